"""A person's identity: signing and KEM keys, their id, fingerprint and identity card.

An `Identity` (private) holds a hybrid signing key (Ed25519 + ML-DSA-65) and a
hybrid KEM key (ML-KEM-768 + X25519, for HPKE envelopes). Its `PublicIdentity`
is a name and the three public keys. The id and the fingerprint cover the keys
only, never the name: a person who renames themselves stays the same identity,
and a name cannot be used to pass one key off as another.

The identity card is what a person mails to a colleague: readable lines (name,
id, fingerprint) and one base64 line holding the public keys and the name with
a hybrid self-signature (context "card"). Parsing checks the signature and
that every readable line says what the signed part says, so a card whose name
or key was swapped in transit is refused; whether the key really is the
colleague's is settled by comparing the safety number (`safety_number`) by
phone or in person.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .envelope import KEM_PRIVATE_LEN, KEM_PUBLIC_LEN, KemPrivateKey, KemPublicKey
from .errors import CoffreCryptoError, CryptoProblem, TamperedData, WrongPassphrase
from .kdf import SALT_LEN, Argon2Params, derive_passphrase_key
from .rng import RandomBytes, system_random
from .signing import (
    HYBRID_SIGNATURE_LEN,
    SIGNING_KEY_LEN,
    VERIFY_KEY_LEN,
    BadSignature,
    HybridSigningKey,
    HybridVerifyKey,
)
from .versions import check_version

IDENTITY_ID_LEN = 16
PUBLIC_KEYS_LEN = VERIFY_KEY_LEN + KEM_PUBLIC_LEN
MAX_NAME_BYTES = 200
CARD_CONTEXT = b"card"
CARD_MAGIC = b"CFID"
CARD_VERSION = 1
CARD_HEADER = "Coffre identity card v1"
PRIVATE_MAGIC = b"CFIK"
PRIVATE_VERSION = 1
WRAP_MAGIC = b"CFIW"
WRAP_VERSION = 1
_FINGERPRINT_BYTES = 15  # 120 bits, 24 base32 characters
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class InvalidCard(CoffreCryptoError):
    """An identity card that cannot be read, or whose contents do not match its signature."""

    kind = CryptoProblem.INVALID_CARD

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"This identity card is not valid: {detail}. Ask its owner to send it again "
            "(`coffre identity show --card`), unchanged."
        )


class WrongIdentityPassphrase(WrongPassphrase):
    """The passphrase does not open the identity's wrapped private keys."""

    def __init__(self) -> None:
        CoffreCryptoError.__init__(
            self,
            "The passphrase does not open your identity's private keys. Check it and try "
            "again; if you are sure it is right, the file may have been altered.",
        )


class InvalidName(ValueError):
    """A person's or device's name Coffre cannot keep (empty, too long, control characters)."""


def check_name(name: str) -> str:
    """The name, NFC-normalised and stripped; `InvalidName` says what is wrong with it."""
    clean = unicodedata.normalize("NFC", name).strip()
    if not clean:
        raise InvalidName("The name is empty: give a name, for example your first and last name.")
    if len(clean.encode()) > MAX_NAME_BYTES:
        raise InvalidName(f"The name is too long: at most {MAX_NAME_BYTES} bytes of UTF-8.")
    if any(unicodedata.category(c).startswith("C") for c in clean):
        raise InvalidName("The name contains control characters (a line break, a tab...).")
    return clean


def encode_name(name: str) -> bytes:
    """u16 length | UTF-8 name (the name as `check_name` leaves it)."""
    raw = check_name(name).encode()
    return struct.pack("<H", len(raw)) + raw


def decode_name(data: bytes, offset: int, what: str) -> tuple[str, int]:
    """The name at `offset` and the offset after it; `TamperedData` if malformed."""
    if offset + 2 > len(data):
        raise TamperedData(what, "truncated before the name")
    (length,) = struct.unpack_from("<H", data, offset)
    end = offset + 2 + length
    if end > len(data):
        raise TamperedData(what, "truncated name")
    try:
        name = data[offset + 2 : end].decode()
        if check_name(name) != name:
            raise ValueError("not in canonical form")
    except ValueError as exc:
        raise TamperedData(what, f"invalid name ({exc})") from None
    return name, end


@dataclass(frozen=True)
class PublicIdentity:
    """What others know of a person: a name and the public signing and KEM keys."""

    name: str
    signing: HybridVerifyKey
    kem: KemPublicKey

    def key_bytes(self) -> bytes:
        """The canonical public-key bytes: Ed25519 | ML-DSA-65 | ML-KEM-768 | X25519 (3,200)."""
        return self.signing.to_bytes() + self.kem.to_bytes()

    @property
    def identity_id(self) -> bytes:
        """First 16 bytes of SHA-256("coffre/identity/v1" 0x00 | key bytes); no name."""
        return hashlib.sha256(b"coffre/identity/v1\x00" + self.key_bytes()).digest()[
            :IDENTITY_ID_LEN
        ]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)

    def verify(self, context: bytes, message: bytes, signature: bytes, what: str) -> None:
        """Raise `BadSignature` unless `signature` is this person's hybrid signature."""
        self.signing.verify(context, message, signature, what)

    def to_bytes(self) -> bytes:
        """The public identity as bytes (unsigned): the same layout as `signed_card_body`."""
        return self.signed_card_body()

    @classmethod
    def from_bytes(cls, data: bytes, what: str = "A public identity") -> PublicIdentity:
        """Parse `to_bytes`; `TamperedData` if malformed (no signature is checked here)."""
        if len(data) < len(CARD_MAGIC) + 1 or data[: len(CARD_MAGIC)] != CARD_MAGIC:
            raise TamperedData(what, "bad magic")
        check_version(what, data[len(CARD_MAGIC)], CARD_VERSION)
        at = len(CARD_MAGIC) + 1
        if len(data) < at + PUBLIC_KEYS_LEN:
            raise TamperedData(what, "truncated")
        signing = HybridVerifyKey.from_bytes(data[at : at + VERIFY_KEY_LEN], what)
        kem = KemPublicKey.from_bytes(data[at + VERIFY_KEY_LEN : at + PUBLIC_KEYS_LEN], what)
        name, end = decode_name(data, at + PUBLIC_KEYS_LEN, what)
        if end != len(data):
            raise TamperedData(what, "trailing bytes")
        return cls(name, signing, kem)

    def signed_card_body(self) -> bytes:
        """What the card signs: "CFID" 0x01 | key bytes | u16 name length | UTF-8 name."""
        return CARD_MAGIC + bytes([CARD_VERSION]) + self.key_bytes() + encode_name(self.name)


@dataclass(frozen=True)
class Identity:
    """A person's private keys and name. Secret: kept in the keyring or passphrase-wrapped."""

    name: str
    signing: HybridSigningKey
    kem: KemPrivateKey

    @classmethod
    def generate(cls, name: str, rng: RandomBytes = system_random) -> Identity:
        return cls(check_name(name), HybridSigningKey.generate(rng), KemPrivateKey.generate(rng))

    @property
    def public(self) -> PublicIdentity:
        return PublicIdentity(self.name, self.signing.public, self.kem.public)

    @property
    def identity_id(self) -> bytes:
        return self.public.identity_id

    def sign(self, context: bytes, message: bytes) -> bytes:
        return self.signing.sign(context, message)

    def renamed(self, name: str) -> Identity:
        return Identity(check_name(name), self.signing, self.kem)

    def to_bytes(self) -> bytes:
        """Layout: "CFIK" 0x01 | signing seeds (64) | KEM private (96) | u16 len | name."""
        return (
            PRIVATE_MAGIC
            + bytes([PRIVATE_VERSION])
            + self.signing.to_bytes()
            + self.kem.to_bytes()
            + encode_name(self.name)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Identity:
        what = "A private identity"
        if data[: len(PRIVATE_MAGIC)] != PRIVATE_MAGIC or len(data) < len(PRIVATE_MAGIC) + 1:
            raise TamperedData(what, "bad magic")
        check_version(what, data[len(PRIVATE_MAGIC)], PRIVATE_VERSION)
        at = len(PRIVATE_MAGIC) + 1
        if len(data) < at + SIGNING_KEY_LEN + KEM_PRIVATE_LEN:
            raise TamperedData(what, "truncated")
        signing = HybridSigningKey.from_bytes(data[at : at + SIGNING_KEY_LEN])
        at += SIGNING_KEY_LEN
        kem = KemPrivateKey.from_bytes(data[at : at + KEM_PRIVATE_LEN])
        name, end = decode_name(data, at + KEM_PRIVATE_LEN, what)
        if end != len(data):
            raise TamperedData(what, "trailing bytes")
        return cls(name, signing, kem)


def _fingerprint_bytes(public: PublicIdentity) -> bytes:
    digest = hashlib.sha256(b"coffre/fingerprint/v1\x00" + public.key_bytes()).digest()
    return digest[:_FINGERPRINT_BYTES]


def _base32(data: bytes) -> str:
    value, bits = int.from_bytes(data, "big"), len(data) * 8
    return "".join(_BASE32[(value >> (bits - 5 * (i + 1))) & 31] for i in range(bits // 5))


def fingerprint(public: PublicIdentity) -> str:
    """24 base32 characters (RFC 4648 alphabet) in 6 groups of 4, over the public keys."""
    text = _base32(_fingerprint_bytes(public))
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, spaces or dashes) in its compact form."""
    return "".join(c for c in text.upper() if c not in " -\t")


def fingerprint_matches(public: PublicIdentity, text: str) -> bool:
    """Whether `text` (as a person typed it) is this identity's fingerprint."""
    return hmac.compare_digest(
        normalise_fingerprint(fingerprint(public)).encode(),
        normalise_fingerprint(text).encode(),
    )


def safety_number(a: PublicIdentity, b: PublicIdentity) -> str:
    """30 decimal digits in 6 groups of 5, the same whichever side computes it.

    SHA-256("coffre/safety-number/v1" 0x00 | lower fingerprint bytes | higher
    fingerprint bytes); group i is the big-endian value of digest bytes 5i..5i+4
    modulo 100000, written with 5 digits.
    """
    low, high = sorted((_fingerprint_bytes(a), _fingerprint_bytes(b)))
    digest = hashlib.sha256(b"coffre/safety-number/v1\x00" + low + high).digest()
    groups = (int.from_bytes(digest[5 * i : 5 * i + 5], "big") % 100000 for i in range(6))
    return " ".join(f"{g:05d}" for g in groups)


# --- identity card ----------------------------------------------------------------------


def card_blob(identity: Identity) -> bytes:
    """The card's signed part: `PublicIdentity.to_bytes()` | hybrid self-signature ("card")."""
    body = identity.public.signed_card_body()
    return body + identity.sign(CARD_CONTEXT, body)


def make_card(identity: Identity) -> str:
    """The card text: header, name, id, fingerprint, then one base64 line (signed)."""
    public = identity.public
    blob = card_blob(identity)
    return (
        f"{CARD_HEADER}\n"
        f"Name: {public.name}\n"
        f"Id: {public.identity_id.hex()}\n"
        f"Fingerprint: {public.fingerprint}\n"
        f"{base64.b64encode(blob).decode()}\n"
    )


def parse_card_blob(blob: bytes) -> PublicIdentity:
    """The identity in a card's signed part, after checking its self-signature."""
    what = "An identity card"
    if len(blob) < len(CARD_MAGIC) + 1 or blob[: len(CARD_MAGIC)] != CARD_MAGIC:
        raise InvalidCard("its signed part does not start like a Coffre identity card")
    try:
        check_version(what, blob[len(CARD_MAGIC)], CARD_VERSION)
    except CoffreCryptoError as exc:
        raise InvalidCard(f"its format is not one this Coffre reads ({exc})") from None
    at = len(CARD_MAGIC) + 1
    if len(blob) < at + PUBLIC_KEYS_LEN + 2 + HYBRID_SIGNATURE_LEN:
        raise InvalidCard("it is truncated")
    end = len(blob) - HYBRID_SIGNATURE_LEN
    try:
        public = PublicIdentity.from_bytes(blob[:end], what)
    except TamperedData:
        raise InvalidCard("it is truncated, has bytes added, or its keys are malformed") from None
    try:
        public.verify(CARD_CONTEXT, blob[:end], blob[end:], what)
    except BadSignature:
        raise InvalidCard("its signature does not match its contents (it was altered)") from None
    return public


def parse_card(text: str) -> PublicIdentity:
    """The identity a card text holds; `InvalidCard` for any mismatch or damage."""
    return read_card(text)[0]


def read_card(text: str) -> tuple[PublicIdentity, bytes]:
    """The identity a card text holds and its signed part (`card_blob`'s bytes).

    The signed part is what a membership entry carries for the person.
    `InvalidCard` for any mismatch or damage.

    Lines may carry surrounding spaces or CR (mail clients); the base64 part
    may be wrapped over several lines. Text before the header line (a mail's
    greeting) is ignored; the readable lines must say exactly what is signed.
    """
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    try:
        start = lines.index(CARD_HEADER)
    except ValueError:
        raise InvalidCard(f"the line {CARD_HEADER!r} is missing") from None
    fields = lines[start + 1 : start + 4]
    labels = ("Name:", "Id:", "Fingerprint:")
    if len(fields) != 3 or any(
        not f.startswith(lab) for f, lab in zip(fields, labels, strict=True)
    ):
        raise InvalidCard("the Name, Id and Fingerprint lines are missing or out of order")
    name, id_hex, finger = (f[len(lab) :].strip() for f, lab in zip(fields, labels, strict=True))
    encoded = "".join(lines[start + 4 :])
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidCard("its last part is not valid base64 (was it cut or edited?)") from None
    public = parse_card_blob(blob)
    if unicodedata.normalize("NFC", name) != public.name:
        raise InvalidCard("the Name line does not match the signed name")
    if id_hex.lower() != public.identity_id.hex():
        raise InvalidCard("the Id line does not match the signed keys")
    if normalise_fingerprint(finger) != normalise_fingerprint(public.fingerprint):
        raise InvalidCard("the Fingerprint line does not match the signed keys")
    return public, blob


# --- private keys wrapped under a passphrase --------------------------------------------

_WRAP_HEADER = struct.Struct("<4sBIII")  # magic, version, memory KiB, iterations, lanes
_NONCE_LEN = 12


def wrap_identity(
    identity: Identity,
    passphrase: str,
    params: Argon2Params,
    rng: RandomBytes = system_random,
) -> bytes:
    """The identity's private bytes under Argon2id(passphrase) + AES-256-GCM.

    "CFIW" | 0x01 | u32 memory KiB | u32 iterations | u32 lanes | salt (16) |
    nonce (12) | ENC(W, nonce, `Identity.to_bytes()`, aad = "coffre/identity-wrap/v1"
    0x00 | everything before the nonce). The same bytes serve for the file in
    COFFRE_HOME and the copy in each store.
    """
    salt = rng(SALT_LEN)
    wrapping_key = derive_passphrase_key(passphrase, salt, params)
    head = (
        _WRAP_HEADER.pack(
            WRAP_MAGIC, WRAP_VERSION, params.memory_kib, params.iterations, params.lanes
        )
        + salt
    )
    nonce = rng(_NONCE_LEN)
    aad = b"coffre/identity-wrap/v1\x00" + head
    return head + nonce + AESGCM(wrapping_key).encrypt(nonce, identity.to_bytes(), aad)


def unwrap_identity(data: bytes, passphrase: str) -> Identity:
    """The identity `wrap_identity` sealed; `WrongIdentityPassphrase` if the tag fails."""
    what = "A passphrase-protected identity"
    if len(data) < _WRAP_HEADER.size or data[: len(WRAP_MAGIC)] != WRAP_MAGIC:
        raise TamperedData(what, "bad magic")
    _, version, memory_kib, iterations, lanes = _WRAP_HEADER.unpack_from(data)
    check_version(what, version, WRAP_VERSION)
    head_len = _WRAP_HEADER.size + SALT_LEN
    if len(data) < head_len + _NONCE_LEN + 16:
        raise TamperedData(what, "truncated")
    params = Argon2Params(memory_kib=memory_kib, iterations=iterations, lanes=lanes)
    head = data[:head_len]
    wrapping_key = derive_passphrase_key(passphrase, head[_WRAP_HEADER.size :], params)
    nonce = data[head_len : head_len + _NONCE_LEN]
    try:
        plain = AESGCM(wrapping_key).decrypt(
            nonce, data[head_len + _NONCE_LEN :], b"coffre/identity-wrap/v1\x00" + head
        )
    except InvalidTag:
        raise WrongIdentityPassphrase() from None
    return Identity.from_bytes(plain)
