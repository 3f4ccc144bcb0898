"""Creating a vault on a store and unlocking one: the bytes of crypto/vault.py, stored.

The header is written last and create-only, so its presence means the vault
is complete, and two devices racing to create a vault in one place cannot
both succeed.
"""

from __future__ import annotations

from enum import StrEnum

from crypto.header import parse_header
from crypto.kdf import DEFAULT, Argon2Params
from crypto.keys import VaultKey
from crypto.reason import Reason
from crypto.vault import (
    HeaderChange,
    NewVault,
    create_vault,
    slot_object_name,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)

from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound

HEADER_KEY = "coffre.json"


class SetupProblem(StrEnum):
    """Why a vault cannot be created, joined or opened here (worded in app/messages.py)."""

    NOT_EMPTY = "setup.not_empty"  # holds: "vault" or "other"
    CREATED_MEANWHILE = "setup.created_meanwhile"
    NO_VAULT = "setup.no_vault"
    OTHER_VAULT = "setup.other_vault"  # the store holds another vault than the folder's
    CACHED_KEY_REJECTED = "setup.cached_key_rejected"  # a remembered key: ask the passphrase
    DEVICE_KEYS_LOST = "setup.device_keys_lost"  # this device is in the log, its keys are gone


class VaultSetupError(Exception):
    """The store is not in the state the operation needs (no vault, or not empty)."""

    def __init__(self, message: str, *, kind: SetupProblem, **params: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.params = params

    @property
    def reason(self) -> Reason:
        return Reason.of(self.kind, detail=str(self), **self.params)


async def require_empty(store: Store) -> None:
    """`VaultSetupError` (NOT_EMPTY) unless the store holds nothing: a vault is made only there."""
    existing = await store.list("")
    if existing:
        holds = "vault" if any(o.key == HEADER_KEY for o in existing) else "other"
        what = "a Coffre vault" if holds == "vault" else "other data"
        raise VaultSetupError(
            f"The store {store.url} is not empty (it holds {what}). Create a vault in an "
            "empty location, or use `coffre join` to use an existing vault.",
            kind=SetupProblem.NOT_EMPTY,
            holds=holds,
            url=store.url,
        )


async def create_vault_on_store(
    store: Store, passphrase: str, params: Argon2Params = DEFAULT, language: str | None = None
) -> NewVault:
    await require_empty(store)
    vault = create_vault(passphrase, params, language=language)
    for name, data in vault.slot_objects.items():
        await store.put(name, data, mode=PutMode.CREATE)
    await put_new_header(store, vault.header)
    return vault


async def put_new_header(store: Store, header: bytes) -> None:
    """Write a new vault's header last, create-only: the vault exists once it is there."""
    try:
        await store.put(HEADER_KEY, header, mode=PutMode.CREATE)
    except ObjectExists:
        raise VaultSetupError(
            f"Another device created a vault at {store.url} at the same moment. "
            "Use `coffre join` to use it.",
            kind=SetupProblem.CREATED_MEANWHILE,
            url=store.url,
        ) from None


async def read_header_bytes(store: Store) -> bytes:
    """The store's `coffre.json` as stored (not yet authenticated); VaultSetupError if none."""
    try:
        return await store.get(HEADER_KEY)
    except ObjectNotFound:
        raise VaultSetupError(
            f"There is no Coffre vault at {store.url}. Check the address, or create one "
            "with `coffre init`.",
            kind=SetupProblem.NO_VAULT,
            url=store.url,
        ) from None


async def read_vault_objects(store: Store) -> tuple[bytes, dict[str, bytes]]:
    header_bytes = await read_header_bytes(store)
    header = parse_header(header_bytes)
    slots: dict[str, bytes] = {}
    for slot in header.slots:
        name = slot_object_name(slot)
        try:
            slots[name] = await store.get(name)
        except ObjectNotFound:
            continue
    return header_bytes, slots


async def unlock_vault(
    store: Store, *, passphrase: str | None = None, recovery_key: str | None = None
) -> VaultKey:
    header_bytes, slots = await read_vault_objects(store)
    if recovery_key is not None:
        return unlock_with_recovery_key(header_bytes, slots, recovery_key)
    if passphrase is None:
        raise ValueError("a passphrase or a recovery key is needed")
    return unlock_with_passphrase(header_bytes, slots, passphrase)


async def apply_header_change(store: Store, change: HeaderChange) -> None:
    """Write a passphrase change: new slots, then the header, then remove the retired slots.

    Until the header is replaced the old one and its slots stay whole, so an
    interruption leaves the old passphrase working and nothing half-changed.
    """
    for name, data in change.slot_objects.items():
        await store.put(name, data, mode=PutMode.CREATE)
    await store.put(HEADER_KEY, change.header, mode=PutMode.OVERWRITE)
    for name in change.retired:
        await store.delete(name)
