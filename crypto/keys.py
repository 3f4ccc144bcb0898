"""The vault key and its sub-keys: one key, one purpose.

The vault key K is 32 random bytes. Every use gets its own sub-key, derived
with HKDF-SHA256 (salt = vault id, info = "coffre/v1/" + purpose), so a key
is never used by two algorithms or two kinds of object.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .rng import RandomBytes, system_random

KEY_LEN = 32
VAULT_ID_LEN = 16


class Purpose(enum.Enum):
    """The HKDF labels; the values are part of the format (docs/FORMAT.md)."""

    CHUNK_ID = "chunk-id"
    CHUNK = "chunk"
    FILE_HASH = "file-hash"
    PACK_INDEX = "pack-index"
    SEGMENT = "segment"
    SNAPSHOT = "snapshot"
    HEAD = "head"
    HEADER = "header"
    FORWARD = "forward"
    CHUNKER_SEED = "chunker-seed"


def hkdf_sha256(ikm: bytes, *, salt: bytes, info: bytes, length: int = KEY_LEN) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass(frozen=True)
class VaultKey:
    """The vault key K with its vault id; derives and caches sub-keys."""

    vault_id: bytes
    secret: bytes = field(repr=False)
    _cache: dict[Purpose, bytes] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.vault_id) != VAULT_ID_LEN:
            raise ValueError("vault id must be 16 bytes")
        if len(self.secret) != KEY_LEN:
            raise ValueError("vault key must be 32 bytes")

    @classmethod
    def generate(cls, rng: RandomBytes = system_random) -> VaultKey:
        return cls(vault_id=rng(VAULT_ID_LEN), secret=rng(KEY_LEN))

    def subkey(self, purpose: Purpose) -> bytes:
        key = self._cache.get(purpose)
        if key is None:
            key = hkdf_sha256(
                self.secret, salt=self.vault_id, info=b"coffre/v1/" + purpose.value.encode()
            )
            self._cache[purpose] = key
        return key


CHUNKER_SEED_MASK = (1 << 63) - 1


def chunker_seed(key: VaultKey) -> int:
    """The vault's FastCDC gear seed: its chunk boundaries are secret to key holders.

    With the public gear table a store that knows a file can chunk it itself and
    look for those chunk lengths in what a device downloads; a keyed table makes
    the boundaries depend on the vault key (as restic and Borg do). The seed is
    the first 8 bytes of sub-key "chunker-seed", little-endian, cut to 63 bits
    (pyfastcdc shifts it left by one inside a 64-bit integer); 0 would select the
    public table, so it becomes 1 (docs/FORMAT.md).
    """
    seed = int.from_bytes(key.subkey(Purpose.CHUNKER_SEED)[:8], "little") & CHUNKER_SEED_MASK
    return seed or 1
