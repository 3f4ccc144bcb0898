"""Key slots: the vault key wrapped under a key derived from a passphrase or recovery key.

Object `keys/<slot-id>` (65 bytes): "CFKS" | version 0x01 | nonce (12) |
AES-256-GCM(wrapping key, K) (32 + 16 tag). The AAD binds the header's
format version, the vault id and this slot's descriptor, so a slot whose KDF
parameters were lowered, or that was moved to another vault, fails to open.

The format version in the AAD is the KEY-SLOT format, `SLOT_AAD_VERSION` = 1,
in header versions 1 and 2 alike (the header's own version is covered by its
MAC): a vault upgraded to version 2 keeps its slots, including the recovery
slot whose secret nobody has at hand during the upgrade, since K = R.
"""

from __future__ import annotations

import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import TamperedData, UnsupportedFormat, WrongPassphrase
from .header import RECOVERY, SlotDescriptor, canonical_json
from .kdf import derive_passphrase_key
from .keys import KEY_LEN, hkdf_sha256
from .rng import RandomBytes, system_random
from .versions import check_version

MAGIC = b"CFKS"
VERSION = 1
NONCE_LEN = 12
SLOT_OBJECT_LEN = len(MAGIC) + 1 + NONCE_LEN + KEY_LEN + 16
SLOT_AAD_VERSION = 1  # the u16 in every slot's AAD, whatever the header's version


def slot_aad(vault_id: bytes, slot: SlotDescriptor) -> bytes:
    """ "coffre/keyslot/v1" 0x00 | u16 1 | vault id | canonical(slot descriptor)."""
    return (
        b"coffre/keyslot/v1\x00"
        + struct.pack("<H", SLOT_AAD_VERSION)
        + vault_id
        + canonical_json(slot.to_json())
    )


def wrapping_key_from_passphrase(slot: SlotDescriptor, passphrase: str) -> bytes:
    if slot.kdf is None:
        raise UnsupportedFormat("This key slot is not a passphrase slot.")
    return derive_passphrase_key(passphrase, slot.salt, slot.kdf)


def wrapping_key_from_recovery(slot: SlotDescriptor, secret: bytes) -> bytes:
    if slot.kind != RECOVERY:
        raise UnsupportedFormat("This key slot is not a recovery slot.")
    return hkdf_sha256(secret, salt=slot.salt, info=b"coffre/v1/recovery-slot")


def wrap(
    secret: bytes,
    wrapping_key: bytes,
    aad: bytes,
    rng: RandomBytes = system_random,
) -> bytes:
    nonce = rng(NONCE_LEN)
    return MAGIC + bytes([VERSION]) + nonce + AESGCM(wrapping_key).encrypt(nonce, secret, aad)


def unwrap(data: bytes, wrapping_key: bytes, aad: bytes) -> bytes:
    if len(data) < len(MAGIC) + 1 or data[:4] != MAGIC:
        raise TamperedData("A key slot", "bad magic")
    check_version("A key slot", data[4], VERSION)
    if len(data) != SLOT_OBJECT_LEN:
        raise TamperedData("A key slot", f"length {len(data)} instead of {SLOT_OBJECT_LEN}")
    nonce = data[5 : 5 + NONCE_LEN]
    try:
        return AESGCM(wrapping_key).decrypt(nonce, data[5 + NONCE_LEN :], aad)
    except InvalidTag:
        raise WrongPassphrase() from None
