"""Device keys and certificates: only the person's signature over every field certifies."""

from __future__ import annotations

import dataclasses

import pytest

from crypto.device import (
    DeviceCertificate,
    DeviceKeys,
    certificate_body,
    certify_device,
)
from crypto.envelope import open_key, seal_key
from crypto.errors import DowngradeRefused, TamperedData
from crypto.identity import Identity
from crypto.signing import BadSignature

CREATED = 1_767_225_600_000


@pytest.fixture(scope="module")
def person() -> Identity:
    return Identity.generate("Alice Martin")


@pytest.fixture(scope="module")
def device() -> DeviceKeys:
    return DeviceKeys.generate("portable mairie")


@pytest.fixture(scope="module")
def cert(person, device) -> DeviceCertificate:
    return certify_device(person, device.public, CREATED)


def test_certificate_round_trip_and_verify(person, device, cert):
    data = cert.to_bytes()
    assert data[:5] == b"CFDC\x01"
    parsed = DeviceCertificate.from_bytes(data)
    assert parsed == cert
    assert parsed.verify(person.public) == device.public
    assert parsed.created_at_ms == CREATED and parsed.identity_id == person.identity_id


def test_another_person_cannot_certify_for_alice(person, device):
    mallory = Identity.generate("Alice Martin")
    forged = certify_device(mallory, device.public, CREATED)
    with pytest.raises(TamperedData, match="another person"):
        forged.verify(person.public)
    # Same identity id claimed, Mallory's signature: the signature fails.
    claimed = dataclasses.replace(forged, identity_id=person.identity_id)
    with pytest.raises(BadSignature):
        claimed.verify(person.public)


@pytest.mark.parametrize(
    "change",
    [
        lambda c, o: dataclasses.replace(c, created_at_ms=c.created_at_ms + 1),
        lambda c, o: dataclasses.replace(c, device=dataclasses.replace(c.device, name="x")),
        lambda c, o: dataclasses.replace(
            c, device=dataclasses.replace(c.device, device_id=o.device_id)
        ),
        lambda c, o: dataclasses.replace(c, device=dataclasses.replace(c.device, kem=o.kem.public)),
        lambda c, o: dataclasses.replace(
            c, device=dataclasses.replace(c.device, signing=o.signing.public)
        ),
    ],
    ids=["created_at", "name", "device_id", "kem_key", "signing_key"],
)
def test_every_certified_field_is_covered(person, cert, change):
    other = DeviceKeys.generate("autre")
    forged = change(cert, other)
    with pytest.raises(BadSignature):
        DeviceCertificate.from_bytes(forged.to_bytes()).verify(person.public)


def test_flipped_bytes_are_refused(person, cert):
    data = cert.to_bytes()
    for position in (5, 21, 37, 45, 100, 3000, 3300, len(data) - 3373, len(data) - 1):
        mutated = bytearray(data)
        mutated[position] ^= 1
        with pytest.raises(TamperedData):
            DeviceCertificate.from_bytes(bytes(mutated)).verify(person.public)


def test_malformed_certificates(cert):
    data = cert.to_bytes()
    with pytest.raises(TamperedData):
        DeviceCertificate.from_bytes(data[:-1])
    with pytest.raises(TamperedData):
        DeviceCertificate.from_bytes(data + b"\x00")
    with pytest.raises(DowngradeRefused):
        DeviceCertificate.from_bytes(data[:4] + b"\x00" + data[5:])
    with pytest.raises(TamperedData):
        DeviceCertificate.from_bytes(b"CFDX" + data[4:])


def test_device_private_bytes_round_trip(device):
    data = device.to_bytes()
    again = DeviceKeys.from_bytes(data)
    assert again.public == device.public and again.device_id == device.device_id
    with pytest.raises(TamperedData):
        DeviceKeys.from_bytes(data[:-1] + b"\xff")
    with pytest.raises(TamperedData):
        DeviceKeys.from_bytes(data + b"\x00")


def test_device_signs_and_receives_envelopes(device):
    sig = device.sign(b"member-entry", b"entry")
    device.public.signing.verify(b"member-entry", b"entry", sig, "An entry")
    vault = b"\x05" * 16
    sealed = seal_key(
        device.public.kem, b"\x09" * 32, vault_id=vault, key_id=1, recipient_id=device.device_id
    )
    assert (
        open_key(device.kem, sealed, vault_id=vault, key_id=1, recipient_id=device.device_id)
        == b"\x09" * 32
    )


def test_certificate_body_refuses_bad_ids(device):
    with pytest.raises(ValueError):
        certificate_body(b"short", device.public, 0)


def test_device_keys_wrapped_under_the_first_epoch_key() -> None:
    """Without a keyring, a device's keys live in a file under E1 (docs/FORMAT.md "CFDW")."""
    from crypto.device import unwrap_device_keys, wrap_device_keys
    from crypto.errors import TamperedData
    from crypto.keys import VaultKey

    keys = DeviceKeys.generate("portable")
    e1 = VaultKey(bytes(range(16)), bytes(range(32)))
    wrapped = wrap_device_keys(keys, e1)
    assert wrapped[:5] == b"CFDW\x01" and keys.to_bytes() not in wrapped
    back = unwrap_device_keys(wrapped, e1, keys.device_id)
    assert back.to_bytes() == keys.to_bytes()
    other_vault = VaultKey(bytes(16), e1.secret)
    for data, key, device in (
        (wrapped, VaultKey(e1.vault_id, bytes(32)), keys.device_id),  # another epoch key
        (wrapped, other_vault, keys.device_id),  # the same secret, another vault
        (wrapped, e1, bytes(16)),  # moved to another device's file
        (wrapped[:-1] + bytes([wrapped[-1] ^ 1]), e1, keys.device_id),  # altered
        (wrapped[:20], e1, keys.device_id),  # truncated
    ):
        with pytest.raises(TamperedData):
            unwrap_device_keys(data, key, device)
