"""Any byte changed anywhere in a card, a certificate, an envelope or a hybrid signature is
refused: hypothesis picks the position and the change (every field is covered by a signature
or by HPKE, so no position may slip through)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto.device import DeviceCertificate, DeviceKeys, certify_device
from crypto.envelope import ENVELOPE_LEN, open_key, seal_key
from crypto.errors import CoffreCryptoError
from crypto.identity import Identity, make_card, parse_card
from crypto.signing import HYBRID_SIGNATURE_LEN

ALICE = Identity.generate("Alice Martin")
DEVICE = DeviceKeys.generate("portable")
CARD = make_card(ALICE)
BLOB = base64.b64decode(CARD.splitlines()[4])
CERT = certify_device(ALICE, DEVICE.public, 1_767_225_600_000).to_bytes()
VAULT = b"\x07" * 16
ENVELOPE = seal_key(
    DEVICE.public.kem, b"\x42" * 32, vault_id=VAULT, key_id=5, recipient_id=DEVICE.device_id
)
SIGNATURE = ALICE.sign(b"member-entry", b"entry")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _flip(data: bytes, position: int, mask: int) -> bytes:
    out = bytearray(data)
    out[position % len(data)] ^= mask
    return bytes(out)


masks = st.integers(min_value=1, max_value=255)


@SETTINGS
@given(position=st.integers(min_value=0, max_value=len(BLOB) - 1), mask=masks)
def test_any_changed_byte_of_a_card_is_refused(position, mask):
    lines = CARD.splitlines()
    forged = "\n".join([*lines[:4], base64.b64encode(_flip(BLOB, position, mask)).decode()])
    with pytest.raises(CoffreCryptoError):
        parse_card(forged)


@SETTINGS
@given(position=st.integers(min_value=0, max_value=len(CERT) - 1), mask=masks)
def test_any_changed_byte_of_a_device_certificate_is_refused(position, mask):
    with pytest.raises(CoffreCryptoError):
        DeviceCertificate.from_bytes(_flip(CERT, position, mask)).verify(ALICE.public)


@SETTINGS
@given(position=st.integers(min_value=0, max_value=ENVELOPE_LEN - 1), mask=masks)
def test_any_changed_byte_of_an_envelope_is_refused(position, mask):
    with pytest.raises(CoffreCryptoError):
        open_key(
            DEVICE.kem,
            _flip(ENVELOPE, position, mask),
            vault_id=VAULT,
            key_id=5,
            recipient_id=DEVICE.device_id,
        )


@SETTINGS
@given(position=st.integers(min_value=0, max_value=HYBRID_SIGNATURE_LEN - 1), mask=masks)
def test_any_changed_byte_of_a_hybrid_signature_is_refused(position, mask):
    with pytest.raises(CoffreCryptoError):
        ALICE.public.verify(b"member-entry", b"entry", _flip(SIGNATURE, position, mask), "x")


def test_the_unchanged_objects_are_accepted():
    assert parse_card(CARD) == ALICE.public
    assert DeviceCertificate.from_bytes(CERT).verify(ALICE.public) == DEVICE.public
    assert open_key(DEVICE.kem, ENVELOPE, vault_id=VAULT, key_id=5, recipient_id=DEVICE.device_id)
    ALICE.public.verify(b"member-entry", b"entry", SIGNATURE, "x")
