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
_CERT_WHAT = "A device certificate"


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
