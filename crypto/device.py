"""A device's own keys, and the certificate by which its person vouches for them.

Each computer a person uses has its own hybrid signing key (it signs membership
entries and, later, its segments and heads) and its own KEM key (vault keys are
sealed to it), so a lost laptop is removed alone, without touching the
person's other devices. A `DeviceCertificate` is the person's hybrid signature
(context "device-cert") over the identity id, device id, device name, device
public keys and creation time; verifying it needs the person's
`PublicIdentity`, obtained from a card checked by safety number or from the
membership log.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .envelope import KEM_PRIVATE_LEN, KEM_PUBLIC_LEN, KemPrivateKey, KemPublicKey
from .errors import TamperedData
from .identity import (
    IDENTITY_ID_LEN,
    Identity,
    PublicIdentity,
    check_name,
    decode_name,
    encode_name,
)
from .keys import VaultKey, hkdf_sha256
from .rng import RandomBytes, system_random
from .signing import (
    HYBRID_SIGNATURE_LEN,
    SIGNING_KEY_LEN,
    VERIFY_KEY_LEN,
    HybridSigningKey,
    HybridVerifyKey,
)
from .versions import check_version

DEVICE_ID_LEN = 16
CERT_CONTEXT = b"device-cert"
CERT_MAGIC = b"CFDC"
CERT_VERSION = 1
PRIVATE_MAGIC = b"CFDK"
PRIVATE_VERSION = 1
WRAP_MAGIC = b"CFDW"
WRAP_VERSION = 1
_WRAP_INFO = b"coffre/v2/device-key-wrap"
_WRAP_AAD = b"coffre/device-wrap/v1\x00"
_WRAP_NONCE_LEN = 12
_CERT_WHAT = "A device certificate"
_WRAP_WHAT = "This device's wrapped keys"


@dataclass(frozen=True)
class DevicePublic:
    """A device's public side: id, name and public keys."""

    device_id: bytes
    name: str
    signing: HybridVerifyKey
    kem: KemPublicKey


@dataclass(frozen=True)
class DeviceKeys:
    """A device's private keys. Secret: kept in the OS keyring (service coffre-device)."""

    device_id: bytes
    name: str
    signing: HybridSigningKey
    kem: KemPrivateKey

    def __post_init__(self) -> None:
        if len(self.device_id) != DEVICE_ID_LEN:
            raise ValueError("a device id is 16 bytes")

    @classmethod
    def generate(cls, name: str, rng: RandomBytes = system_random) -> DeviceKeys:
        return cls(
            rng(DEVICE_ID_LEN),
            check_name(name),
            HybridSigningKey.generate(rng),
            KemPrivateKey.generate(rng),
        )

    @property
    def public(self) -> DevicePublic:
        return DevicePublic(self.device_id, self.name, self.signing.public, self.kem.public)

    def sign(self, context: bytes, message: bytes) -> bytes:
        return self.signing.sign(context, message)

    def to_bytes(self) -> bytes:
        """Layout: "CFDK" 0x01 | device id | signing seeds | KEM private | u16 len | name."""
        return (
            PRIVATE_MAGIC
            + bytes([PRIVATE_VERSION])
            + self.device_id
            + self.signing.to_bytes()
            + self.kem.to_bytes()
            + encode_name(self.name)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceKeys:
        what = "A device's private keys"
        if len(data) < len(PRIVATE_MAGIC) + 1 or data[: len(PRIVATE_MAGIC)] != PRIVATE_MAGIC:
            raise TamperedData(what, "bad magic")
        check_version(what, data[len(PRIVATE_MAGIC)], PRIVATE_VERSION)
        at = len(PRIVATE_MAGIC) + 1
        if len(data) < at + DEVICE_ID_LEN + SIGNING_KEY_LEN + KEM_PRIVATE_LEN:
            raise TamperedData(what, "truncated")
        device_id = data[at : at + DEVICE_ID_LEN]
        at += DEVICE_ID_LEN
        signing = HybridSigningKey.from_bytes(data[at : at + SIGNING_KEY_LEN])
        at += SIGNING_KEY_LEN
        kem = KemPrivateKey.from_bytes(data[at : at + KEM_PRIVATE_LEN])
        name, end = decode_name(data, at + KEM_PRIVATE_LEN, what)
        if end != len(data):
            raise TamperedData(what, "trailing bytes")
        return cls(device_id, name, signing, kem)


@dataclass(frozen=True)
class DeviceCertificate:
    """A person's signed statement that these public keys are their device's."""

    identity_id: bytes
    device: DevicePublic
    created_at_ms: int
    signature: bytes

    def signed_bytes(self) -> bytes:
        return certificate_body(self.identity_id, self.device, self.created_at_ms)

    def to_bytes(self) -> bytes:
        """The signed body followed by the person's hybrid signature (3,373 bytes)."""
        return self.signed_bytes() + self.signature

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceCertificate:
        """Parse (not verify: call `verify` with the person's identity)."""
        what = _CERT_WHAT
        if len(data) < len(CERT_MAGIC) + 1 or data[: len(CERT_MAGIC)] != CERT_MAGIC:
            raise TamperedData(what, "bad magic")
        check_version(what, data[len(CERT_MAGIC)], CERT_VERSION)
        at = len(CERT_MAGIC) + 1
        fixed = IDENTITY_ID_LEN + DEVICE_ID_LEN + 8 + VERIFY_KEY_LEN + KEM_PUBLIC_LEN
        if len(data) < at + fixed + 2 + HYBRID_SIGNATURE_LEN:
            raise TamperedData(what, "truncated")
        identity_id = data[at : at + IDENTITY_ID_LEN]
        at += IDENTITY_ID_LEN
        device_id = data[at : at + DEVICE_ID_LEN]
        at += DEVICE_ID_LEN
        (created_at_ms,) = struct.unpack_from("<Q", data, at)
        at += 8
        signing = HybridVerifyKey.from_bytes(data[at : at + VERIFY_KEY_LEN], what)
        at += VERIFY_KEY_LEN
        kem = KemPublicKey.from_bytes(data[at : at + KEM_PUBLIC_LEN], what)
        name, end = decode_name(data, at + KEM_PUBLIC_LEN, what)
        if len(data) != end + HYBRID_SIGNATURE_LEN:
            raise TamperedData(what, "length does not match its contents")
        device = DevicePublic(device_id, name, signing, kem)
        return cls(identity_id, device, created_at_ms, data[end:])

    def verify(self, person: PublicIdentity) -> DevicePublic:
        """The certified device, if `person` signed this certificate; else `BadSignature`."""
        if person.identity_id != self.identity_id:
            raise TamperedData(_CERT_WHAT, "it names another person's identity")
        person.verify(CERT_CONTEXT, self.signed_bytes(), self.signature, _CERT_WHAT)
        return self.device


def certificate_body(identity_id: bytes, device: DevicePublic, created_at_ms: int) -> bytes:
    """What a certificate signs.

    "CFDC" 0x01 | identity id | device id | u64 created-at ms | signing public
    (1,984) | KEM public (1,216) | u16 name length | UTF-8 device name.
    """
    if len(identity_id) != IDENTITY_ID_LEN or len(device.device_id) != DEVICE_ID_LEN:
        raise ValueError("identity and device ids are 16 bytes")
    if not 0 <= created_at_ms < 1 << 64:
        raise ValueError("created_at_ms is a u64")
    return (
        CERT_MAGIC
        + bytes([CERT_VERSION])
        + identity_id
        + device.device_id
        + struct.pack("<Q", created_at_ms)
        + device.signing.to_bytes()
        + device.kem.to_bytes()
        + encode_name(device.name)
    )


def certify_device(person: Identity, device: DevicePublic, created_at_ms: int) -> DeviceCertificate:
    """The person's hybrid signature over the device's id, name, keys and creation time."""
    identity_id = person.identity_id
    body = certificate_body(identity_id, device, created_at_ms)
    return DeviceCertificate(identity_id, device, created_at_ms, person.sign(CERT_CONTEXT, body))


# --- a device's keys kept without a keyring -----------------------------------------------


def _wrapping_key(first_epoch: VaultKey) -> bytes:
    return hkdf_sha256(first_epoch.secret, salt=first_epoch.vault_id, info=_WRAP_INFO)


def _wrap_aad(vault_id: bytes, device_id: bytes) -> bytes:
    return _WRAP_AAD + bytes([WRAP_VERSION]) + vault_id + device_id


def wrap_device_keys(
    keys: DeviceKeys, first_epoch: VaultKey, rng: RandomBytes = system_random
) -> bytes:
    """The device's private keys for a computer without a keyring, under the vault's E1.

    "CFDW" | 0x01 | nonce (12) | AES-256-GCM(HKDF-SHA256(E1, salt = vault id, info
    "coffre/v2/device-key-wrap"), nonce, `DeviceKeys.to_bytes()`, aad =
    "coffre/device-wrap/v1" 0x00 | 0x01 | vault id | device id). Whoever opens the
    vault (passphrase, identity) can unwrap them: they add nothing to what the vault
    key already gives, and spare asking for a second secret.
    """
    nonce = rng(_WRAP_NONCE_LEN)
    aad = _wrap_aad(first_epoch.vault_id, keys.device_id)
    sealed = AESGCM(_wrapping_key(first_epoch)).encrypt(nonce, keys.to_bytes(), aad)
    return WRAP_MAGIC + bytes([WRAP_VERSION]) + nonce + sealed


def unwrap_device_keys(data: bytes, first_epoch: VaultKey, device_id: bytes) -> DeviceKeys:
    """The keys `wrap_device_keys` sealed for `device_id`; `TamperedData` otherwise."""
    head = len(WRAP_MAGIC) + 1
    if len(data) < head + _WRAP_NONCE_LEN + 16 or data[: len(WRAP_MAGIC)] != WRAP_MAGIC:
        raise TamperedData(_WRAP_WHAT, "bad magic or truncated")
    check_version(_WRAP_WHAT, data[len(WRAP_MAGIC)], WRAP_VERSION)
    nonce = data[head : head + _WRAP_NONCE_LEN]
    aad = _wrap_aad(first_epoch.vault_id, device_id)
    try:
        plain = AESGCM(_wrapping_key(first_epoch)).decrypt(
            nonce, data[head + _WRAP_NONCE_LEN :], aad
        )
    except InvalidTag:
        raise TamperedData(_WRAP_WHAT, "they do not open with this vault's key") from None
    keys = DeviceKeys.from_bytes(plain)
    if keys.device_id != device_id:
        raise TamperedData(_WRAP_WHAT, "they belong to another device")
    return keys
