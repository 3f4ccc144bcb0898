"""Unlocking a bound vault with a passphrase, the recovery key or a remembered key.

One path for the CLI, the setup and the app: read the header and slots, open
the passphrase slot or the recovery slot (or check that a key remembered in the
OS keyring still authenticates the header), refuse a header older than the
newest this computer has seen (app/vault_epochs.py), and remember the new one. After a
recovery the person chooses a new passphrase: `VaultSecret.new_passphrase` is
written as a passphrase change (new slot, higher epoch) before anything else, so
the forgotten passphrase stops working on every device that syncs afterwards.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from crypto.errors import TamperedData
from crypto.header import DEFAULT_LANGUAGE, parse_header, verify_header
from crypto.keys import VaultKey
from crypto.vault import change_passphrase, unlock_with_passphrase, unlock_with_recovery_key
from sync_engine.stores.base import Store
from sync_engine.vault.vault_store import (
    SetupProblem,
    VaultSetupError,
    apply_header_change,
    read_header_bytes,
    read_vault_objects,
)

from . import vault_epochs


@dataclass(frozen=True)
class VaultSecret:
    """What the person gave to open the vault: a passphrase, or the recovery key and the
    passphrase that replaces the forgotten one."""

    passphrase: str | None = field(default=None, repr=False)
    recovery_key: str | None = field(default=None, repr=False)
    new_passphrase: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (self.recovery_key is None):
            raise ValueError("give either a passphrase or a recovery key")

    @property
    def is_recovery(self) -> bool:
        return self.recovery_key is not None

    def opening_key(self) -> tuple[str, str]:
        """What opens the vault, comparable (to know whether it was already checked)."""
        if self.recovery_key is not None:
            return ("recovery", self.recovery_key)
        return ("passphrase", self.passphrase or "")


@dataclass(frozen=True)
class Unlocked:
    key: VaultKey
    epoch: int
    new_recovery_key: str | None = field(default=None, repr=False)
    language: str = DEFAULT_LANGUAGE  # the vault's: it names conflict copies


class OtherVault(Exception):
    """The store holds another vault than the folder was bound to."""


class CachedKeyRejected(VaultSetupError):
    """A remembered vault key does not open the store's vault (changed, stale): ask again."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind=SetupProblem.CACHED_KEY_REJECTED)


def as_secret(secret: str | VaultSecret) -> VaultSecret:
    return secret if isinstance(secret, VaultSecret) else VaultSecret(passphrase=secret)


async def unlock_store(
    store: Store, secret: str | VaultSecret, *, vault_id: str | None = None
) -> Unlocked:
    """The vault key of the store's vault; a recovery also sets the new passphrase.

    With `vault_id` (the vault a folder was bound to), a store holding another vault
    raises `OtherVault` before anything is written.
    """
    secret = as_secret(secret)
    header_bytes, slots = await read_vault_objects(store)
    if secret.recovery_key is not None:
        key = unlock_with_recovery_key(header_bytes, slots, secret.recovery_key)
    else:
        assert secret.passphrase is not None
        key = unlock_with_passphrase(header_bytes, slots, secret.passphrase)
    header = parse_header(header_bytes)  # MAC-checked by the unlock above
    epoch = header.epoch
    found = key.vault_id.hex()
    if vault_id is not None and found != vault_id:
        raise OtherVault(
            f"The store {store.url} now holds another vault than the one this folder was "
            "bound to. Check the store address; nothing was changed."
        )
    vault_epochs.check_epoch(found, epoch)
    vault_epochs.accept_epoch(found, epoch)
    if secret.is_recovery and secret.new_passphrase is not None:
        reset = await set_passphrase(store, key, header_bytes, secret.new_passphrase)
        return dataclasses.replace(reset, language=header.vault_language)
    return Unlocked(key, epoch, language=header.vault_language)


async def unlock_with_key(store: Store, key: VaultKey, *, vault_id: str, folder: str) -> Unlocked:
    """Check a vault key remembered earlier against the store's vault (`check_kept_key`)."""
    header_bytes = await read_header_bytes(store)
    return check_kept_key(header_bytes, key, vault_id=vault_id, folder=folder, url=store.url)


def check_kept_key(
    header_bytes: bytes, key: VaultKey, *, vault_id: str, folder: str, url: str
) -> Unlocked:
    """Accept a key kept on this computer (app/device_key.py) if it opens the store's header.

    The key must be the bound vault's and authenticate the store's header, which
    must not be older than the newest this computer has seen (StaleVaultHeader);
    otherwise `CachedKeyRejected` says so (`folder` names the folder in it).
    """
    if key.vault_id.hex() != vault_id:
        raise CachedKeyRejected(f"The key remembered for {folder} belongs to another vault.")
    header = parse_header(header_bytes)
    try:
        verify_header(header, key)
    except TamperedData:
        raise CachedKeyRejected(
            f"The key remembered for {folder} no longer opens the vault at "
            f"{url}: type the passphrase again."
        ) from None
    vault_epochs.check_epoch(vault_id, header.epoch)
    vault_epochs.accept_epoch(vault_id, header.epoch)
    return Unlocked(key, header.epoch, language=header.vault_language)


async def set_passphrase(
    store: Store,
    key: VaultKey,
    header_bytes: bytes,
    new_passphrase: str,
    *,
    new_recovery_key: bool = False,
) -> Unlocked:
    """Replace the passphrase slot (a change, or the reset after a recovery)."""
    vault_epochs.check_epoch(key.vault_id.hex(), parse_header(header_bytes).epoch)
    change = change_passphrase(header_bytes, key, new_passphrase, new_recovery_key=new_recovery_key)
    await apply_header_change(store, change)
    vault_epochs.accept_epoch(key.vault_id.hex(), change.epoch)
    return Unlocked(key, change.epoch, change.recovery_key)


async def change_store_passphrase(
    store: Store,
    old: str | VaultSecret,
    new_passphrase: str,
    *,
    vault_id: str,
    new_recovery_key: bool = False,
) -> Unlocked:
    """Unlock with the old passphrase (or the recovery key) and set `new_passphrase`.

    `vault_id` is the vault the folder was bound to: a store now holding another
    vault is left untouched.
    """
    old = as_secret(old)
    unlocked = await unlock_store(
        store, VaultSecret(old.passphrase, old.recovery_key), vault_id=vault_id
    )
    header_bytes, _slots = await read_vault_objects(store)
    return await set_passphrase(
        store, unlocked.key, header_bytes, new_passphrase, new_recovery_key=new_recovery_key
    )
