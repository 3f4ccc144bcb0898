"""Moving a folder's vault to another store, and following a vault another device moved.

Qt-free: `coffre move-store` and the app's move dialog call `move_vault`; every
FolderSession's engine follows a moved vault through `SessionFollower`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from crypto.keys import VaultKey
from sync_engine.lifecycle.move import MoveError, MoveReport, Progress, move_store, read_forward
from sync_engine.stores.base import Store
from sync_engine.stores.credentials import StoreCredentials
from sync_engine.stores.errors import StoreAuthError, StoreConfigError
from sync_engine.stores.open_store import open_store
from sync_engine.stores.url import LocalSpec, S3Spec, parse_store_url
from sync_engine.vault.vault_store import HEADER_KEY

from . import setup
from .credentials import load_credentials
from .folders import Binding, rebind_store


class FolderSession(Protocol):
    """What moving and following need of an open folder (app/session.py's FolderSession)."""

    binding: Binding
    store: Store
    key: VaultKey


@dataclass(frozen=True)
class MoveOutcome:
    binding: Binding
    report: MoveReport


async def move_vault(
    session: FolderSession,
    address: str,
    credentials: StoreCredentials | None,
    *,
    progress: Progress | None = None,
) -> MoveOutcome:
    """Copy the session's vault to `address`, verify it, forward the old store, rebind.

    Credentials given now are kept in the system keyring (like `coffre init`),
    removed again if the move fails. Resumable: run it again after an interruption.
    """
    spec = parse_store_url(address)
    source = parse_store_url(session.binding.store)
    if isinstance(spec, LocalSpec) and isinstance(source, LocalSpec):
        new, old = spec.path.resolve(), source.path.resolve()
        if new == old or new.is_relative_to(old) or old.is_relative_to(new):
            raise MoveError(
                f"{spec.path} is inside the vault's store {source.path} (or contains it): "
                "choose a folder outside it."
            )
    explicit = setup._explicit(spec, credentials)
    with setup._keyring_entry(spec, explicit):
        target = await setup._open_for_create(spec, setup.credentials_for(spec, explicit))
        try:
            report = await move_store(
                session.store,
                target,
                session.key,
                now_ms=time.time_ns() // 1_000_000,
                progress=progress,
            )
        finally:
            await target.close()
    binding = rebind_store(session.binding, setup.stored_address(address))
    session.binding = binding
    return MoveOutcome(binding, report)


async def forwarded_to(session: FolderSession) -> str | None:
    """Where the session's vault moved, if its store holds a forwarding record."""
    forward = await read_forward(session.store, session.key)
    return None if forward is None else forward.target


class SessionFollower:
    """Opens the store a vault moved to with this computer's credentials; rebinds the folder."""

    def __init__(self, session: FolderSession) -> None:
        self.session = session

    async def open(self, url: str) -> Store:
        spec = parse_store_url(url)
        creds = load_credentials(spec)
        if isinstance(spec, S3Spec) and creds is None:
            raise StoreConfigError(
                f"The vault of {self.session.binding.folder} moved to {spec.url}, and this "
                "computer has no credentials for it. Run `coffre move-store --folder "
                f"{self.session.binding.folder} --to '{spec.url}'` to give them: it then "
                "follows the vault there.",
                url=spec.url,
            )
        store = open_store(spec, creds)
        try:
            await store.head(HEADER_KEY)
        except StoreAuthError:
            await store.close()
            raise StoreConfigError(
                f"The vault of {self.session.binding.folder} moved to {spec.url}, and it "
                "refuses this computer's credentials. Run `coffre move-store --folder "
                f"{self.session.binding.folder} --to '{spec.url}'` to give the right ones: it "
                "then follows the vault there.",
                url=spec.url,
            ) from None
        except BaseException:
            await store.close()
            raise
        return store

    async def switched(self, store: Store) -> None:
        session = self.session
        old = session.store
        spec = parse_store_url(store.url)
        address = str(spec.path) if isinstance(spec, LocalSpec) else spec.url
        session.binding = rebind_store(session.binding, address)
        session.store = store
        sharing = getattr(session, "sharing", None)
        if sharing is not None:  # a format-2 vault's log and epoch keys read the new store
            sharing.log.moved_to(store)
            sharing.epochs.moved_to(store)
        await old.close()
