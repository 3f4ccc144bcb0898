"""Creating a vault's key material and unlocking it: header + slots <-> vault key.

This is the only place that knows how the header, the key slots and the
vault key fit together; the engine stores and fetches the bytes.

A version-1 header's slots wrap the vault key K; a version-2 header's slots
wrap the root key R (crypto/epochs.py: R opens the newest epoch key through its
root envelope). Unlocking reads either and returns the key the slots wrap, with
the header's version telling which it is (`VaultHeader.version`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from . import keyslot
from .errors import UnsupportedFormat
from .header import (
    LANGUAGES,
    PASSPHRASE,
    RECOVERY,
    SLOT_ID_LEN,
    V1,
    V2,
    SlotDescriptor,
    VaultHeader,
    encode_header,
    parse_header,
    verify_header,
)
from .kdf import DEFAULT, SALT_LEN, Argon2Params, check_params
from .keys import KEY_LEN, VaultKey
from .recovery import format_recovery_key, generate_recovery_secret, parse_recovery_key
from .rng import RandomBytes, system_random


def slot_object_name(slot: SlotDescriptor) -> str:
    return f"keys/{slot.slot_id.hex()}"


@dataclass(frozen=True)
class NewVault:
    """What `coffre init` writes to the store, and the secrets it shows once."""

    key: VaultKey
    header: bytes
    slot_objects: dict[str, bytes]
    recovery_key: str


def _wrap_in_slot(
    slot: SlotDescriptor, wrapping: bytes, key: VaultKey, rng: RandomBytes
) -> tuple[str, bytes]:
    return slot_object_name(slot), keyslot.wrap(
        key.secret, wrapping, keyslot.slot_aad(key.vault_id, slot), rng
    )


def _new_passphrase_slot(
    key: VaultKey, passphrase: str, params: Argon2Params, rng: RandomBytes
) -> tuple[SlotDescriptor, tuple[str, bytes]]:
    slot = SlotDescriptor(rng(SLOT_ID_LEN), PASSPHRASE, rng(SALT_LEN), params)
    wrapping = keyslot.wrapping_key_from_passphrase(slot, passphrase)
    return slot, _wrap_in_slot(slot, wrapping, key, rng)


def _new_recovery_slot(
    key: VaultKey, rng: RandomBytes
) -> tuple[SlotDescriptor, tuple[str, bytes], str]:
    slot = SlotDescriptor(rng(SLOT_ID_LEN), RECOVERY, rng(SALT_LEN), None)
    secret = generate_recovery_secret(rng)
    wrapped = _wrap_in_slot(slot, keyslot.wrapping_key_from_recovery(slot, secret), key, rng)
    return slot, wrapped, format_recovery_key(secret)


def _create(
    version: int,
    passphrase: str,
    params: Argon2Params,
    rng: RandomBytes,
    language: str | None,
) -> NewVault:
    check_params(params)
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown vault language {language!r}: one of {', '.join(LANGUAGES)}")
    key = VaultKey.generate(rng)
    # the draws keep the order of the first Coffre's (the documented vectors depend on it)
    pass_slot = SlotDescriptor(rng(SLOT_ID_LEN), PASSPHRASE, rng(SALT_LEN), params)
    rec_slot = SlotDescriptor(rng(SLOT_ID_LEN), RECOVERY, rng(SALT_LEN), None)
    secret = generate_recovery_secret(rng)
    header = VaultHeader(version, key.vault_id, (pass_slot, rec_slot), language=language)
    pass_wrapping = keyslot.wrapping_key_from_passphrase(pass_slot, passphrase)
    rec_wrapping = keyslot.wrapping_key_from_recovery(rec_slot, secret)
    return NewVault(
        key=key,
        header=encode_header(header, key),
        slot_objects=dict(
            (
                _wrap_in_slot(pass_slot, pass_wrapping, key, rng),
                _wrap_in_slot(rec_slot, rec_wrapping, key, rng),
            )
        ),
        recovery_key=format_recovery_key(secret),
    )


def create_vault(
    passphrase: str,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
    language: str | None = None,
) -> NewVault:
    """A new version-1 vault: its key K, header (with `language`, if given) and two key slots."""
    return _create(V1, passphrase, params, rng, language)


def create_vault_v2(
    passphrase: str,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
    language: str | None = None,
) -> NewVault:
    """A new version-2 vault: `key` is the root R its slots wrap and its header MAC uses.

    Epoch 1 (E1, its statement and envelopes, one of them to R's root recipient)
    is written next to it by sync_engine/vault/vault_v2.py, before the header.
    """
    return _create(V2, passphrase, params, rng, language)


@dataclass(frozen=True)
class HeaderChange:
    """A new header that retires the passphrase slot (and maybe the recovery slot).

    Write `slot_objects` first (create-only), then `header` over the old one, then
    delete `retired`: a crash in between leaves the old header with its slots intact.
    """

    header: bytes
    epoch: int
    slot_objects: dict[str, bytes]
    retired: tuple[str, ...]
    recovery_key: str | None  # set when a new recovery key replaced the old one


def change_passphrase(
    header_bytes: bytes,
    key: VaultKey,
    new_passphrase: str,
    *,
    new_recovery_key: bool = False,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
) -> HeaderChange:
    """The header and slots after a passphrase change (or a reset after a recovery), version 1.

    The new header's epoch is one more than the current one, so devices that saw it
    refuse the old header, and with it the old passphrase, from then on. A
    version-2 vault changes its root instead (`change_root`).
    """
    check_params(params)
    header = parse_header(header_bytes)
    verify_header(header, key)
    if header.version != V1:
        raise UnsupportedFormat(
            "This vault uses format version 2: changing its passphrase also changes its root "
            "key (crypto.vault.change_root)."
        )
    old_pass = header.slot(PASSPHRASE)
    new_pass, pass_object = _new_passphrase_slot(key, new_passphrase, params, rng)
    slots = [new_pass if s.kind == PASSPHRASE else s for s in header.slots]
    retired = [slot_object_name(old_pass)]
    created = dict((pass_object,))
    recovery_text = None
    if new_recovery_key:
        old_rec = header.slot(RECOVERY)
        new_rec, rec_object, recovery_text = _new_recovery_slot(key, rng)
        slots = [new_rec if s.kind == RECOVERY else s for s in slots]
        retired.append(slot_object_name(old_rec))
        created.update((rec_object,))
    new_header = replace(
        header, slots=tuple(slots), epoch=header.epoch + 1, mac=None, received_body=None
    )
    return HeaderChange(
        header=encode_header(new_header, key),
        epoch=new_header.epoch,
        slot_objects=created,
        retired=tuple(retired),
        recovery_key=recovery_text,
    )


@dataclass(frozen=True)
class RootChange:
    """A version-2 passphrase change: the new root R' and the header that wraps it.

    Both slots are new (the recovery slot wrapped the old R, so a new recovery
    key always comes with it). The new epoch that publishes R's root public and
    seals to it is written by sync_engine/vault/vault_v2.py before the header.
    """

    root: VaultKey
    change: HeaderChange


def change_root(
    header_bytes: bytes,
    root: VaultKey,
    new_passphrase: str,
    *,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
) -> RootChange:
    """A new root R', new passphrase and recovery slots wrapping it, header epoch + 1."""
    check_params(params)
    header = parse_header(header_bytes)
    verify_header(header, root)
    if header.version != V2:
        raise UnsupportedFormat("change_root applies to format version 2 vaults only")
    new_root = VaultKey(header.vault_id, rng(KEY_LEN))
    pass_slot, pass_object = _new_passphrase_slot(new_root, new_passphrase, params, rng)
    rec_slot, rec_object, recovery_text = _new_recovery_slot(new_root, rng)
    new_header = replace(
        header, slots=(pass_slot, rec_slot), epoch=header.epoch + 1, mac=None, received_body=None
    )
    change = HeaderChange(
        header=encode_header(new_header, new_root),
        epoch=new_header.epoch,
        slot_objects=dict((pass_object, rec_object)),
        retired=tuple(slot_object_name(s) for s in header.slots),
        recovery_key=recovery_text,
    )
    return RootChange(new_root, change)


def upgraded_header(header_bytes: bytes, key: VaultKey) -> bytes:
    """The version-2 header of a version-1 vault upgraded in place (R = K, slots kept).

    Same slots and language; `epoch` + 1, so a device that saw it refuses the
    version-1 header a store could serve again (app/vault_epochs.py).
    """
    header = parse_header(header_bytes)
    verify_header(header, key)
    if header.version != V1:
        raise UnsupportedFormat(f"the header is version {header.version}, not 1")
    new = replace(header, version=V2, epoch=header.epoch + 1, mac=None, received_body=None)
    return encode_header(new, key)


def _open_slot(
    header: VaultHeader, slot: SlotDescriptor, slot_objects: Mapping[str, bytes], wrapping: bytes
) -> VaultKey:
    name = slot_object_name(slot)
    if name not in slot_objects:
        raise UnsupportedFormat(f"The store is missing the key slot object {name}.")
    aad = keyslot.slot_aad(header.vault_id, slot)
    key = VaultKey(header.vault_id, keyslot.unwrap(slot_objects[name], wrapping, aad))
    verify_header(header, key)
    return key


def unlock_with_passphrase(
    header_bytes: bytes, slot_objects: Mapping[str, bytes], passphrase: str
) -> VaultKey:
    header = parse_header(header_bytes)
    slot = header.slot(PASSPHRASE)
    wrapping = keyslot.wrapping_key_from_passphrase(slot, passphrase)
    return _open_slot(header, slot, slot_objects, wrapping)


def unlock_with_recovery_key(
    header_bytes: bytes, slot_objects: Mapping[str, bytes], recovery_key: str
) -> VaultKey:
    header = parse_header(header_bytes)
    secret = parse_recovery_key(recovery_key)
    slot = header.slot(RECOVERY)
    wrapping = keyslot.wrapping_key_from_recovery(slot, secret)
    return _open_slot(header, slot, slot_objects, wrapping)
