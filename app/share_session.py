"""A bound folder's `MembersService` as the desktop app opens it, and closes it after.

The I/O edge of the "Share…" dialog and of the members watch: the folder's
store, its own connection to the local state (the engine keeps its own), the
membership log over both, this computer's identity (`app.identity_store`)
and this device's signing keys kept in the keyring for the vault.
"""

from __future__ import annotations

import asyncio
import contextlib

from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

from . import identity_store
from .folders import Binding
from .members import EpochWriter, MembersService
from .session import store_for


class FolderMembers:
    """A folder's members service and what it holds open; `close` when done."""

    def __init__(self, binding: Binding, epochs: EpochWriter | None = None) -> None:
        vault_id = bytes.fromhex(binding.vault_id)
        device_id = bytes.fromhex(binding.device_id)
        self.store = store_for(binding.store)
        self.state = LocalState(binding.state_path)
        try:
            me = identity_store.load()
        except (identity_store.IdentityError, OSError):
            me = None  # listed without "you"; changes need the identity's device keys anyway
        signer = None
        with contextlib.suppress(identity_store.IdentityError, OSError):
            signer = identity_store.recall_device_keys(vault_id, device_id)
        self.service = MembersService(
            MembershipLog(self.store, self.state, vault_id),
            this_device=device_id,
            me=None if me is None else me.public,
            signer=signer,
            epochs=epochs,
        )

    @classmethod
    async def open(cls, binding: Binding, epochs: EpochWriter | None = None) -> FolderMembers:
        """Open off the caller's thread: the keyring (D-Bus) and SQLite may take a moment."""
        return await asyncio.to_thread(cls, binding, epochs)

    async def close(self) -> None:
        self.state.close()
        await self.store.close()
