"""A bound folder's `MembersService` as the desktop app opens it, and closes it after.

The I/O edge of the "Share…" dialog and of the members watch: the folder's
store, its own connection to the local state (the engine keeps its own), the
membership log over both, this computer's identity (`app.identity_store`),
this device's signing keys kept in the keyring for the vault, and the vault's
epoch keys as this device opens them (what adding and removing members need).
Without device keys or an epoch key for this device the service still lists
the members; the changes that need them are refused with their typed reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from crypto.device import DeviceKeys
from crypto.errors import CoffreCryptoError
from sync_engine.core.membership import MembershipRefused
from sync_engine.vault.epoch_keys import EpochKeys, EpochRefused, history_of
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

from . import identity_store
from .folders import Binding
from .members import MembersService
from .session import store_for

log = logging.getLogger(__name__)

# The Secret Service client is not safe from two threads at once: the dialog and the members
# watch may open a folder's service together, so their keyring reads take turns.
_KEYRING = threading.Lock()


class FolderMembers:
    """A folder's members service and what it holds open; `close` when done."""

    def __init__(self, binding: Binding) -> None:
        """Blocking (SQLite, the keyring over D-Bus): `open` runs it on a worker thread."""
        self.vault_id = bytes.fromhex(binding.vault_id)
        device_id = bytes.fromhex(binding.device_id)
        self.store = store_for(binding.store)
        self.state = LocalState(binding.state_path)
        self.log = MembershipLog(self.store, self.state, self.vault_id)
        try:
            me = identity_store.load()
        except (identity_store.IdentityError, OSError) as exc:
            log.info("this computer's identity cannot be read: %s", exc)
            me = None  # listed without "you"; nothing is changed without the device's keys
        self.signer: DeviceKeys | None = None
        with _KEYRING, contextlib.suppress(identity_store.IdentityError, OSError):
            self.signer = identity_store.recall_device_keys(self.vault_id, device_id)
        self.me = None if me is None else me.public
        self.device_id = device_id
        self.service = MembersService(
            self.log, this_device=device_id, me=self.me, signer=self.signer
        )

    @classmethod
    async def open(cls, binding: Binding) -> FolderMembers:
        """The folder's service, with the epoch keys this device opens (when it does)."""
        members = await asyncio.to_thread(cls, binding)
        try:
            await members._open_epochs()
        except BaseException:
            await members.close()
            raise
        return members

    async def _open_epochs(self) -> None:
        if self.signer is None:
            return
        try:
            await self.log.read()
        except MembershipRefused as refused:  # `list` reports it, worded
            log.info("the membership log was refused: %s", refused)
            return
        epochs = EpochKeys(
            self.store,
            self.vault_id,
            history_of(self.vault_id, self.state.member_entries()),
            self.log.state.position,
        )
        try:
            await epochs.open_with_device(self.signer)
        except (EpochRefused, CoffreCryptoError) as exc:
            log.info("no epoch key opens for this device: %s", exc)
            return
        self.service = MembersService(
            self.log, this_device=self.device_id, me=self.me, signer=self.signer, epochs=epochs
        )

    async def close(self) -> None:
        self.state.close()
        await self.store.close()
