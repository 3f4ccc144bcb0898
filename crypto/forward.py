"""The forwarding record a moved vault leaves in its old store (`heads/moved`).

    "CFMV" | version 0x01 | nonce (12) | AES-256-GCM(subkey "forward", payload) | tag (16)
    AAD = "coffre/forward/v1" 0x00 | vault id | "CFMV" 0x01
    payload = canonical JSON {"from": old store URL, "moved_at": ms, "to": new store URL}

Only a holder of the vault key can write one (the tag is its MAC), so a store
cannot send devices elsewhere; `from` names the store it was left in, so a
record copied to another store (or left behind by an earlier move of the same
vault) is refused there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import TamperedData, UnsupportedFormat
from .keys import Purpose, VaultKey
from .rng import RandomBytes, system_random

MAGIC = b"CFMV"
VERSION = 1
NONCE_LEN = 12
TAG_LEN = 16
_LABEL = b"coffre/forward/v1\x00"
_WHAT = "The vault's forwarding record"


@dataclass(frozen=True)
class Forward:
    source: str  # the store the record is in
    target: str  # where the vault now is
    moved_at_ms: int


def _aad(key: VaultKey) -> bytes:
    return _LABEL + key.vault_id + MAGIC + bytes([VERSION])


def seal_forward(key: VaultKey, forward: Forward, rng: RandomBytes = system_random) -> bytes:
    payload = json.dumps(
        {"from": forward.source, "moved_at": forward.moved_at_ms, "to": forward.target},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode()
    nonce = rng(NONCE_LEN)
    sealed = AESGCM(key.subkey(Purpose.FORWARD)).encrypt(nonce, payload, _aad(key))
    return MAGIC + bytes([VERSION]) + nonce + sealed


def open_forward(key: VaultKey, data: bytes, *, found_in: str) -> Forward:
    """Open the record found in the store `found_in` (its printable URL)."""
    if len(data) < len(MAGIC) + 1 + NONCE_LEN + TAG_LEN or data[:4] != MAGIC:
        raise TamperedData(_WHAT, "truncated or bad magic")
    try:
        payload = AESGCM(key.subkey(Purpose.FORWARD)).decrypt(
            data[5 : 5 + NONCE_LEN], data[5 + NONCE_LEN :], _aad(key)
        )
    except InvalidTag:
        raise TamperedData(_WHAT, "it does not authenticate with this vault's key") from None
    if data[4] != VERSION:  # authenticated: the version byte is in the AAD
        raise UnsupportedFormat(f"{_WHAT} has format version {data[4]}; update Coffre.")
    try:
        obj = json.loads(payload)
        forward = Forward(str(obj["from"]), str(obj["to"]), int(obj["moved_at"]))
    except (ValueError, KeyError, TypeError):
        raise TamperedData(_WHAT, "malformed") from None
    if forward.source != found_in:
        raise TamperedData(
            _WHAT,
            f"it was written for {forward.source}, not for {found_in}: copied from elsewhere",
        )
    return forward
