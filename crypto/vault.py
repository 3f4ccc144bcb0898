"""Creating a vault's key material and unlocking it: header + slots <-> vault key.

This is the only place that knows how the header, the key slots and the
vault key fit together; the engine stores and fetches the bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from . import keyslot
from .errors import UnsupportedFormat
from .header import (
    FORMAT_VERSION,
    LANGUAGES,
    PASSPHRASE,
    RECOVERY,
    SLOT_ID_LEN,
    SlotDescriptor,
    VaultHeader,
    encode_header,
    parse_header,
    verify_header,
)
from .kdf import DEFAULT, SALT_LEN, Argon2Params, check_params
from .keys import VaultKey
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


def create_vault(
    passphrase: str,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
    language: str | None = None,
) -> NewVault:
    """A new vault key, its header (with `language`, if given) and its two key slots."""
    check_params(params)
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"unknown vault language {language!r}: one of {', '.join(LANGUAGES)}")
    key = VaultKey.generate(rng)
    pass_slot = SlotDescriptor(rng(SLOT_ID_LEN), PASSPHRASE, rng(SALT_LEN), params)
    rec_slot = SlotDescriptor(rng(SLOT_ID_LEN), RECOVERY, rng(SALT_LEN), None)
    recovery_secret = generate_recovery_secret(rng)
    header = VaultHeader(FORMAT_VERSION, key.vault_id, (pass_slot, rec_slot), language=language)
    slots = {
        slot_object_name(pass_slot): keyslot.wrap(
            key.secret,
            keyslot.wrapping_key_from_passphrase(pass_slot, passphrase),
            keyslot.slot_aad(FORMAT_VERSION, key.vault_id, pass_slot),
            rng,
        ),
        slot_object_name(rec_slot): keyslot.wrap(
            key.secret,
            keyslot.wrapping_key_from_recovery(rec_slot, recovery_secret),
            keyslot.slot_aad(FORMAT_VERSION, key.vault_id, rec_slot),
            rng,
        ),
    }
    return NewVault(
        key=key,
        header=encode_header(header, key),
        slot_objects=slots,
        recovery_key=format_recovery_key(recovery_secret),
    )


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
    """The header and slots after a passphrase change (or a reset after a recovery).

    The new header's epoch is one more than the current one, so devices that saw it
    refuse the old header, and with it the old passphrase, from then on.
    """
    check_params(params)
    header = parse_header(header_bytes)
    verify_header(header, key)
    old_pass = header.slot(PASSPHRASE)
    new_pass = SlotDescriptor(rng(SLOT_ID_LEN), PASSPHRASE, rng(SALT_LEN), params)
    slots = [new_pass if s.kind == PASSPHRASE else s for s in header.slots]
    retired = [slot_object_name(old_pass)]
    created = {
        slot_object_name(new_pass): keyslot.wrap(
            key.secret,
            keyslot.wrapping_key_from_passphrase(new_pass, new_passphrase),
            keyslot.slot_aad(header.version, key.vault_id, new_pass),
            rng,
        )
    }
    recovery_text = None
    if new_recovery_key:
        old_rec = header.slot(RECOVERY)
        new_rec = SlotDescriptor(rng(SLOT_ID_LEN), RECOVERY, rng(SALT_LEN), None)
        secret = generate_recovery_secret(rng)
        slots = [new_rec if s.kind == RECOVERY else s for s in slots]
        retired.append(slot_object_name(old_rec))
        created[slot_object_name(new_rec)] = keyslot.wrap(
            key.secret,
            keyslot.wrapping_key_from_recovery(new_rec, secret),
            keyslot.slot_aad(header.version, key.vault_id, new_rec),
            rng,
        )
        recovery_text = format_recovery_key(secret)
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


def _open_slot(
    header: VaultHeader, slot: SlotDescriptor, slot_objects: Mapping[str, bytes], wrapping: bytes
) -> VaultKey:
    name = slot_object_name(slot)
    if name not in slot_objects:
        raise UnsupportedFormat(f"The store is missing the key slot object {name}.")
    aad = keyslot.slot_aad(header.version, header.vault_id, slot)
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
