"""Key envelopes: a 32-byte key sealed to one recipient with hybrid post-quantum HPKE.

HPKE (RFC 9180) base mode with the hybrid KEM ML-KEM-768 + X25519
(`KEM.MLKEM768_X25519`), HKDF-SHA256 and AES-256-GCM, as `cryptography`
implements it. The HPKE `info` binds the vault id, the key id and the
recipient id, so an envelope copied to another vault, key id or recipient does
not open. AES-GCM is not key-committing, so the envelope also carries
`commit = HMAC-SHA256(key, "coffre/key-commit/v1" | vault id | u64 key id)` in
the clear (and inside `info`), and the opener checks it: one envelope cannot
open to two different keys that both pass (a malicious sender handing two
members different keys under one ciphertext is caught).

Object layout (1,205 bytes): "CFEV" | 0x01 | commit (32) | HPKE enc (1,120) |
AES-256-GCM ciphertext of the key (32 + 16).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey, MLKEM768PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from .errors import TamperedData
from .keys import KEY_LEN, VAULT_ID_LEN
from .rng import RandomBytes, system_random
from .versions import check_version

MAGIC = b"CFEV"
VERSION = 1
RECIPIENT_ID_LEN = 16
COMMIT_LEN = 32
MLKEM_SEED_LEN = 64
X25519_LEN = 32
MLKEM768_PUBLIC_LEN = 1184
KEM_PUBLIC_LEN = MLKEM768_PUBLIC_LEN + X25519_LEN
KEM_PRIVATE_LEN = MLKEM_SEED_LEN + X25519_LEN
SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
ENC_LEN = hpke.KEM.MLKEM768_X25519.enc_length()
ENVELOPE_LEN = len(MAGIC) + 1 + COMMIT_LEN + ENC_LEN + KEY_LEN + 16
_WHAT = "A key envelope"


@dataclass(frozen=True)
class KemPublicKey:
    """A recipient's public KEM key: ML-KEM-768 (1,184 bytes) and X25519 (32 bytes)."""

    mlkem768: bytes
    x25519: bytes

    def __post_init__(self) -> None:
        if len(self.mlkem768) != MLKEM768_PUBLIC_LEN or len(self.x25519) != X25519_LEN:
            raise ValueError("a KEM public key is 1184 + 32 bytes")

    def to_bytes(self) -> bytes:
        """ML-KEM-768 public key | X25519 public key (1,216 bytes)."""
        return self.mlkem768 + self.x25519

    @classmethod
    def from_bytes(cls, data: bytes, what: str = "A public encryption key") -> KemPublicKey:
        if len(data) != KEM_PUBLIC_LEN:
            raise TamperedData(what, f"length {len(data)} instead of {KEM_PUBLIC_LEN}")
        key = cls(data[:MLKEM768_PUBLIC_LEN], data[MLKEM768_PUBLIC_LEN:])
        try:
            key.to_hpke()
        except ValueError as exc:
            raise TamperedData(what, "not a valid public key") from exc
        return key

    def to_hpke(self) -> hpke.MLKEM768X25519PublicKey:
        return hpke.MLKEM768X25519PublicKey(
            MLKEM768PublicKey.from_public_bytes(self.mlkem768),
            X25519PublicKey.from_public_bytes(self.x25519),
        )


@dataclass(frozen=True)
class KemPrivateKey:
    """A recipient's private KEM key, kept as the ML-KEM-768 seed (64) and X25519 key (32)."""

    mlkem768_seed: bytes = field(repr=False)
    x25519: bytes = field(repr=False)
    _mlkem: MLKEM768PrivateKey = field(init=False, repr=False, compare=False)
    _x25519: X25519PrivateKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.mlkem768_seed) != MLKEM_SEED_LEN or len(self.x25519) != X25519_LEN:
            raise ValueError("a KEM private key is a 64-byte ML-KEM seed and 32 bytes")
        object.__setattr__(self, "_mlkem", MLKEM768PrivateKey.from_seed_bytes(self.mlkem768_seed))
        object.__setattr__(self, "_x25519", X25519PrivateKey.from_private_bytes(self.x25519))

    @classmethod
    def generate(cls, rng: RandomBytes = system_random) -> KemPrivateKey:
        return cls(rng(MLKEM_SEED_LEN), rng(X25519_LEN))

    def to_bytes(self) -> bytes:
        """ML-KEM-768 seed | X25519 private key (96 bytes): secret."""
        return self.mlkem768_seed + self.x25519

    @classmethod
    def from_bytes(cls, data: bytes) -> KemPrivateKey:
        if len(data) != KEM_PRIVATE_LEN:
            raise ValueError("a KEM private key is 96 bytes")
        return cls(data[:MLKEM_SEED_LEN], data[MLKEM_SEED_LEN:])

    @property
    def public(self) -> KemPublicKey:
        return KemPublicKey(
            self._mlkem.public_key().public_bytes_raw(),
            self._x25519.public_key().public_bytes_raw(),
        )

    def to_hpke(self) -> hpke.MLKEM768X25519PrivateKey:
        return hpke.MLKEM768X25519PrivateKey(self._mlkem, self._x25519)


def _check_ids(vault_id: bytes, key_id: int, recipient_id: bytes) -> None:
    if len(vault_id) != VAULT_ID_LEN or len(recipient_id) != RECIPIENT_ID_LEN:
        raise ValueError("vault id and recipient id are 16 bytes")
    if not 0 <= key_id < 1 << 64:
        raise ValueError("a key id is a u64")


def key_commitment(key: bytes, *, vault_id: bytes, key_id: int) -> bytes:
    """HMAC-SHA256(key, "coffre/key-commit/v1" | vault id | u64 key id): binds one key."""
    return hmac.new(
        key, b"coffre/key-commit/v1" + vault_id + struct.pack("<Q", key_id), hashlib.sha256
    ).digest()


def envelope_info(vault_id: bytes, key_id: int, recipient_id: bytes, commit: bytes) -> bytes:
    """The HPKE info: "coffre/envelope/v1" 0x00 | vault id | u64 key id | recipient | commit."""
    return b"coffre/envelope/v1\x00" + vault_id + struct.pack("<Q", key_id) + recipient_id + commit


def seal_key(
    recipient: KemPublicKey,
    key: bytes,
    *,
    vault_id: bytes,
    key_id: int,
    recipient_id: bytes,
) -> bytes:
    """The envelope of `key` that only `recipient`'s private key opens, for these ids."""
    if len(key) != KEY_LEN:
        raise ValueError("an enveloped key is 32 bytes")
    _check_ids(vault_id, key_id, recipient_id)
    commit = key_commitment(key, vault_id=vault_id, key_id=key_id)
    info = envelope_info(vault_id, key_id, recipient_id, commit)
    return MAGIC + bytes([VERSION]) + commit + SUITE.encrypt(key, recipient.to_hpke(), info=info)


def open_key(
    recipient: KemPrivateKey,
    data: bytes,
    *,
    vault_id: bytes,
    key_id: int,
    recipient_id: bytes,
) -> bytes:
    """The key in `data`; `TamperedData` if it is not an envelope for exactly these ids."""
    _check_ids(vault_id, key_id, recipient_id)
    if len(data) < len(MAGIC) + 1 or data[: len(MAGIC)] != MAGIC:
        raise TamperedData(_WHAT, "bad magic")
    check_version(_WHAT, data[len(MAGIC)], VERSION)
    if len(data) != ENVELOPE_LEN:
        raise TamperedData(_WHAT, f"length {len(data)} instead of {ENVELOPE_LEN}")
    start = len(MAGIC) + 1
    commit, sealed = data[start : start + COMMIT_LEN], data[start + COMMIT_LEN :]
    info = envelope_info(vault_id, key_id, recipient_id, commit)
    try:
        key = SUITE.decrypt(sealed, recipient.to_hpke(), info=info)
    except (InvalidTag, ValueError):
        raise TamperedData(_WHAT, "it does not open for this vault, key id and recipient") from None
    expected = key_commitment(key, vault_id=vault_id, key_id=key_id)
    if len(key) != KEY_LEN or not hmac.compare_digest(expected, commit):
        raise TamperedData(_WHAT, "the key does not match its commitment")
    return key
