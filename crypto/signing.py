"""Hybrid signatures: Ed25519 and ML-DSA-65 over one domain-separated message.

A person's or a device's signing key is a pair (Ed25519, ML-DSA-65). A hybrid
signature is the Ed25519 signature (64 bytes) followed by the ML-DSA-65 one
(3,309 bytes), both over `b"coffre/sig/v1/" + context + b"\\x00" + message`;
a verifier requires both, so forging one needs breaking both algorithms (the
classical one today, the post-quantum one tomorrow). `context` is an ASCII label
per use (b"card", b"device-cert", b"member-entry", ...), so a signature made for
one kind of object never verifies as another. High-volume objects (segments,
heads) use the Ed25519 half alone, with the same message rule.

Private keys are kept as seeds (32 bytes each), the form `cryptography`
serialises; keys are derived from the seeds by `cryptography` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey

from .errors import TamperedData
from .rng import RandomBytes, system_random

SIGNATURE_PREFIX = b"coffre/sig/v1/"
SEED_LEN = 32
ED25519_PUBLIC_LEN = 32
MLDSA65_PUBLIC_LEN = 1952
ED25519_SIGNATURE_LEN = 64
MLDSA65_SIGNATURE_LEN = 3309
HYBRID_SIGNATURE_LEN = ED25519_SIGNATURE_LEN + MLDSA65_SIGNATURE_LEN
VERIFY_KEY_LEN = ED25519_PUBLIC_LEN + MLDSA65_PUBLIC_LEN
SIGNING_KEY_LEN = 2 * SEED_LEN
_MAX_CONTEXT = 64


class BadSignature(TamperedData):
    """A signature that does not verify: the object was forged or altered."""


def signed_message(context: bytes, message: bytes) -> bytes:
    """The bytes both algorithms sign: prefix, ASCII context, a zero byte, the message."""
    if not context or len(context) > _MAX_CONTEXT or not all(0x21 <= b < 0x7F for b in context):
        raise ValueError("a signature context is 1 to 64 printable ASCII bytes, no spaces")
    return SIGNATURE_PREFIX + context + b"\x00" + message


@dataclass(frozen=True)
class HybridVerifyKey:
    """The public half: Ed25519 (32 bytes) and ML-DSA-65 (1,952 bytes) public keys."""

    ed25519: bytes
    mldsa65: bytes
    _parsed: list[tuple[Ed25519PublicKey, MLDSA65PublicKey]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if len(self.ed25519) != ED25519_PUBLIC_LEN or len(self.mldsa65) != MLDSA65_PUBLIC_LEN:
            raise ValueError("a hybrid verify key is 32 + 1952 bytes")

    def _keys(self) -> tuple[Ed25519PublicKey, MLDSA65PublicKey]:
        """The parsed keys, parsed once (ML-DSA-65's parse costs about a verify's third)."""
        if not self._parsed:
            self._parsed.append(
                (
                    Ed25519PublicKey.from_public_bytes(self.ed25519),
                    MLDSA65PublicKey.from_public_bytes(self.mldsa65),
                )
            )
        return self._parsed[0]

    def to_bytes(self) -> bytes:
        """Ed25519 public key | ML-DSA-65 public key (1,984 bytes)."""
        return self.ed25519 + self.mldsa65

    @classmethod
    def from_bytes(cls, data: bytes, what: str = "A public signing key") -> HybridVerifyKey:
        if len(data) != VERIFY_KEY_LEN:
            raise TamperedData(what, f"length {len(data)} instead of {VERIFY_KEY_LEN}")
        key = cls(data[:ED25519_PUBLIC_LEN], data[ED25519_PUBLIC_LEN:])
        try:  # both must be keys the algorithms accept
            Ed25519PublicKey.from_public_bytes(key.ed25519)
            MLDSA65PublicKey.from_public_bytes(key.mldsa65)
        except ValueError as exc:
            raise TamperedData(what, "not a valid public key") from exc
        return key

    def verify(self, context: bytes, message: bytes, signature: bytes, what: str) -> None:
        """Raise `BadSignature` unless both halves of `signature` verify."""
        if len(signature) != HYBRID_SIGNATURE_LEN:
            raise BadSignature(what, f"signature of {len(signature)} bytes")
        data = signed_message(context, message)
        ed_sig, ml_sig = signature[:ED25519_SIGNATURE_LEN], signature[ED25519_SIGNATURE_LEN:]
        try:
            ed_key, ml_key = self._keys()
        except ValueError:
            raise BadSignature(what, "the public key is not valid") from None
        try:
            ed_key.verify(ed_sig, data)
        except (InvalidSignature, ValueError):
            raise BadSignature(what, "the Ed25519 signature does not verify") from None
        try:
            ml_key.verify(ml_sig, data)
        except (InvalidSignature, ValueError):
            raise BadSignature(what, "the ML-DSA-65 signature does not verify") from None

    def verify_ed25519(self, context: bytes, message: bytes, signature: bytes, what: str) -> None:
        """Raise `BadSignature` unless `signature` is this key's Ed25519 signature."""
        if len(signature) != ED25519_SIGNATURE_LEN:
            raise BadSignature(what, f"signature of {len(signature)} bytes")
        try:
            self._keys()[0].verify(signature, signed_message(context, message))
        except (InvalidSignature, ValueError):
            raise BadSignature(what, "the Ed25519 signature does not verify") from None


@dataclass(frozen=True)
class HybridSigningKey:
    """The private half, kept as two 32-byte seeds (Ed25519, ML-DSA-65)."""

    ed25519_seed: bytes = field(repr=False)
    mldsa65_seed: bytes = field(repr=False)
    _ed: Ed25519PrivateKey = field(init=False, repr=False, compare=False)
    _ml: MLDSA65PrivateKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.ed25519_seed) != SEED_LEN or len(self.mldsa65_seed) != SEED_LEN:
            raise ValueError("a hybrid signing key is two 32-byte seeds")
        object.__setattr__(self, "_ed", Ed25519PrivateKey.from_private_bytes(self.ed25519_seed))
        object.__setattr__(self, "_ml", MLDSA65PrivateKey.from_seed_bytes(self.mldsa65_seed))

    @classmethod
    def generate(cls, rng: RandomBytes = system_random) -> HybridSigningKey:
        return cls(rng(SEED_LEN), rng(SEED_LEN))

    def to_bytes(self) -> bytes:
        """Ed25519 seed | ML-DSA-65 seed (64 bytes): secret."""
        return self.ed25519_seed + self.mldsa65_seed

    @classmethod
    def from_bytes(cls, data: bytes) -> HybridSigningKey:
        if len(data) != SIGNING_KEY_LEN:
            raise ValueError("a hybrid signing key is 64 bytes")
        return cls(data[:SEED_LEN], data[SEED_LEN:])

    @property
    def public(self) -> HybridVerifyKey:
        return HybridVerifyKey(
            self._ed.public_key().public_bytes_raw(), self._ml.public_key().public_bytes_raw()
        )

    def sign(self, context: bytes, message: bytes) -> bytes:
        """The hybrid signature: Ed25519 (64) | ML-DSA-65 (3,309) over the same message."""
        data = signed_message(context, message)
        return self._ed.sign(data) + self._ml.sign(data)

    def sign_ed25519(self, context: bytes, message: bytes) -> bytes:
        """The Ed25519 signature alone, for high-volume objects."""
        return self._ed.sign(signed_message(context, message))
