"""The printable recovery key: 128 random bits a person can copy onto paper.

Text form: 16 secret bytes + 4 checksum bytes (SHA-256 prefix), in Crockford
base32, 32 characters in 8 groups of 4: `XXXX-XXXX-...`. Parsing forgives
case, spaces, hyphens and the usual look-alikes (O->0, I/L->1); the checksum
catches a mistyped character before any key is tried.
"""

from __future__ import annotations

import hashlib

from .errors import InvalidRecoveryKey
from .rng import RandomBytes, system_random

SECRET_LEN = 16
_CHECK_LEN = 4
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_CHARS = 32
_GROUP = 4


def _checksum(secret: bytes) -> bytes:
    return hashlib.sha256(b"coffre/v1/recovery-check" + secret).digest()[:_CHECK_LEN]


def generate_recovery_secret(rng: RandomBytes = system_random) -> bytes:
    return rng(SECRET_LEN)


def format_recovery_key(secret: bytes) -> str:
    if len(secret) != SECRET_LEN:
        raise ValueError("recovery secret must be 16 bytes")
    value = int.from_bytes(secret + _checksum(secret), "big")
    chars = [_ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(_CHARS))]
    text = "".join(chars)
    return "-".join(text[i : i + _GROUP] for i in range(0, _CHARS, _GROUP))


def parse_recovery_key(text: str) -> bytes:
    """The secret inside a typed recovery key, or InvalidRecoveryKey saying what is off."""
    cleaned = "".join(c for c in text.upper() if c not in " -\t\n")
    if len(cleaned) != _CHARS:
        raise InvalidRecoveryKey(
            f"A recovery key has {_CHARS} characters (8 groups of 4); this one has "
            f"{len(cleaned)}. Check that you copied all of it."
        )
    value = 0
    for pos, char in enumerate(cleaned, start=1):
        digit = _DECODE.get(char)
        if digit is None:
            raise InvalidRecoveryKey(
                f"Character {pos} ({char!r}) cannot appear in a recovery key. Check for typos."
            )
        value = (value << 5) | digit
    raw = value.to_bytes(SECRET_LEN + _CHECK_LEN, "big")
    secret, check = raw[:SECRET_LEN], raw[SECRET_LEN:]
    if _checksum(secret) != check:
        raise InvalidRecoveryKey(
            "This recovery key contains a typo (its checksum does not match). "
            "Compare it with the printed key character by character."
        )
    return secret
