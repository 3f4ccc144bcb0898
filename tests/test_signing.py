"""Hybrid signatures: both halves required, bound to their context and message."""

from __future__ import annotations

import pytest

from crypto.errors import TamperedData
from crypto.signing import (
    ED25519_SIGNATURE_LEN,
    HYBRID_SIGNATURE_LEN,
    BadSignature,
    HybridSigningKey,
    HybridVerifyKey,
    signed_message,
)


@pytest.fixture(scope="module")
def key() -> HybridSigningKey:
    return HybridSigningKey.generate()


@pytest.fixture(scope="module")
def other() -> HybridSigningKey:
    return HybridSigningKey.generate()


def test_hybrid_signature_verifies_and_has_both_halves(key):
    sig = key.sign(b"member-entry", b"entry bytes")
    assert len(sig) == HYBRID_SIGNATURE_LEN == 64 + 3309
    key.public.verify(b"member-entry", b"entry bytes", sig, "An entry")


def test_seeds_round_trip_to_the_same_keys(key):
    again = HybridSigningKey.from_bytes(key.to_bytes())
    assert again.public == key.public
    assert HybridVerifyKey.from_bytes(key.public.to_bytes()) == key.public
    key.public.verify(b"card", b"m", again.sign(b"card", b"m"), "x")


def test_other_message_context_or_key_is_refused(key, other):
    sig = key.sign(b"member-entry", b"entry bytes")
    with pytest.raises(BadSignature):
        key.public.verify(b"member-entry", b"entry bytez", sig, "An entry")
    with pytest.raises(BadSignature):
        key.public.verify(b"card", b"entry bytes", sig, "An entry")
    with pytest.raises(BadSignature):
        other.public.verify(b"member-entry", b"entry bytes", sig, "An entry")


def test_context_and_message_cannot_slide_into_each_other(key):
    # "ab" 0x00 "c" vs "a" 0x00 "bc": the zero separator and printable contexts keep them apart.
    assert signed_message(b"ab", b"c") != signed_message(b"a", b"bc")
    with pytest.raises(ValueError):
        signed_message(b"a\x00b", b"")
    with pytest.raises(ValueError):
        signed_message(b"", b"m")


def test_each_half_is_required(key, other):
    msg = b"coffre"
    sig = key.sign(b"card", msg)
    foreign = other.sign(b"card", msg)
    ed_swapped = foreign[:ED25519_SIGNATURE_LEN] + sig[ED25519_SIGNATURE_LEN:]
    ml_swapped = sig[:ED25519_SIGNATURE_LEN] + foreign[ED25519_SIGNATURE_LEN:]
    with pytest.raises(BadSignature, match="Ed25519"):
        key.public.verify(b"card", msg, ed_swapped, "A card")
    with pytest.raises(BadSignature, match="ML-DSA-65"):
        key.public.verify(b"card", msg, ml_swapped, "A card")
    # A valid Ed25519 half alone (the ML-DSA half cut off or zeroed) is not a hybrid signature.
    with pytest.raises(BadSignature):
        key.public.verify(b"card", msg, sig[:ED25519_SIGNATURE_LEN], "A card")
    with pytest.raises(BadSignature):
        key.public.verify(
            b"card", msg, sig[:ED25519_SIGNATURE_LEN] + bytes(HYBRID_SIGNATURE_LEN - 64), "A card"
        )


@pytest.mark.parametrize("position", [0, 31, 63, 64, 1000, HYBRID_SIGNATURE_LEN - 1])
def test_any_flipped_bit_is_refused(key, position):
    sig = bytearray(key.sign(b"card", b"m"))
    sig[position] ^= 0x01
    with pytest.raises(BadSignature) as info:
        key.public.verify(b"card", b"m", bytes(sig), "A card")
    assert isinstance(info.value, TamperedData)
    assert "A card failed its integrity check" in str(info.value)


def test_ed25519_only_signature(key, other):
    sig = key.sign_ed25519(b"segment", b"seg")
    assert len(sig) == ED25519_SIGNATURE_LEN
    key.public.verify_ed25519(b"segment", b"seg", sig, "A segment")
    # It is the hybrid's first half: same message rule.
    assert key.sign(b"segment", b"seg")[:ED25519_SIGNATURE_LEN] == sig
    for ctx, msg, pub in (
        (b"head", b"seg", key.public),
        (b"segment", b"seh", key.public),
        (b"segment", b"seg", other.public),
    ):
        with pytest.raises(BadSignature):
            pub.verify_ed25519(ctx, msg, sig, "A segment")
    with pytest.raises(BadSignature):
        key.public.verify(b"segment", b"seg", sig, "A segment")


def test_malformed_public_keys_are_refused(key):
    raw = key.public.to_bytes()
    with pytest.raises(TamperedData):
        HybridVerifyKey.from_bytes(raw[:-1])
    with pytest.raises(TamperedData):
        HybridVerifyKey.from_bytes(raw + b"\x00")


def test_signing_key_repr_shows_no_seed(key):
    assert key.to_bytes().hex() not in repr(key)
    assert key.ed25519_seed.hex()[:16] not in repr(key)
