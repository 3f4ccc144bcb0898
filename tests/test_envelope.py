"""HPKE key envelopes: open only for their recipient, vault and key id; key-committing."""

from __future__ import annotations

import hashlib
import hmac
import struct

import pytest

from crypto.envelope import (
    ENVELOPE_LEN,
    SUITE,
    KemPrivateKey,
    KemPublicKey,
    envelope_info,
    key_commitment,
    open_key,
    seal_key,
)
from crypto.errors import DowngradeRefused, TamperedData, UnsupportedFormat

VAULT, OTHER_VAULT = b"\x01" * 16, b"\x02" * 16
RECIPIENT, OTHER_RECIPIENT = b"\xaa" * 16, b"\xbb" * 16
KEY = bytes(range(32))


@pytest.fixture(scope="module")
def kem() -> KemPrivateKey:
    return KemPrivateKey.generate()


@pytest.fixture(scope="module")
def sealed(kem) -> bytes:
    return seal_key(kem.public, KEY, vault_id=VAULT, key_id=3, recipient_id=RECIPIENT)


def _open(kem, data, vault=VAULT, key_id=3, recipient=RECIPIENT):
    return open_key(kem, data, vault_id=vault, key_id=key_id, recipient_id=recipient)


def test_round_trip_and_size(kem, sealed):
    assert len(sealed) == ENVELOPE_LEN == 1205
    assert sealed[:5] == b"CFEV\x01"
    assert _open(kem, sealed) == KEY


def test_each_seal_is_fresh(kem, sealed):
    again = seal_key(kem.public, KEY, vault_id=VAULT, key_id=3, recipient_id=RECIPIENT)
    assert again != sealed and _open(kem, again) == KEY


def test_kem_keys_round_trip(kem):
    again = KemPrivateKey.from_bytes(kem.to_bytes())
    assert again.public == kem.public
    assert KemPublicKey.from_bytes(kem.public.to_bytes()) == kem.public
    with pytest.raises(TamperedData):
        KemPublicKey.from_bytes(kem.public.to_bytes()[:-1])


@pytest.mark.parametrize(
    "change",
    [
        {"vault": OTHER_VAULT},
        {"key_id": 4},
        {"key_id": 2},
        {"recipient": OTHER_RECIPIENT},
    ],
)
def test_moved_to_another_vault_key_id_or_recipient_is_refused(kem, sealed, change):
    with pytest.raises(TamperedData):
        _open(kem, sealed, **change)


def test_another_private_key_cannot_open(sealed):
    with pytest.raises(TamperedData):
        _open(KemPrivateKey.generate(), sealed)


@pytest.mark.parametrize("position", [5, 20, 36, 37, 600, 1156, 1157, 1190, ENVELOPE_LEN - 1])
def test_every_byte_region_is_authenticated(kem, sealed, position):
    # commit (5..36), the ML-KEM ciphertext, the X25519 share, the sealed key and its tag
    data = bytearray(sealed)
    data[position] ^= 0x40
    with pytest.raises(TamperedData):
        _open(kem, bytes(data))


def test_magic_version_and_length(kem, sealed):
    with pytest.raises(TamperedData):
        _open(kem, b"XFEV" + sealed[4:])
    with pytest.raises(DowngradeRefused):
        _open(kem, sealed[:4] + b"\x00" + sealed[5:])
    with pytest.raises(UnsupportedFormat):
        _open(kem, sealed[:4] + b"\x02" + sealed[5:])
    for data in (sealed[:-1], sealed + b"\x00", b""):
        with pytest.raises(TamperedData):
            _open(kem, data)


def test_commitment_is_checked_even_when_hpke_opens(kem):
    """An envelope whose commit names another key fails, even though its AEAD tag holds.

    Built by hand (as a malicious member could): the HPKE part is honest for the
    commit it carries in `info`, but that commit is not the commitment of the key.
    """
    wrong_commit = key_commitment(b"\x07" * 32, vault_id=VAULT, key_id=3)
    info = envelope_info(VAULT, 3, RECIPIENT, wrong_commit)
    forged = b"CFEV\x01" + wrong_commit + SUITE.encrypt(KEY, kem.public.to_hpke(), info=info)
    with pytest.raises(TamperedData, match="commitment"):
        _open(kem, forged)


def test_commitment_formula():
    expected = hmac.new(
        KEY, b"coffre/key-commit/v1" + VAULT + struct.pack("<Q", 9), hashlib.sha256
    ).digest()
    assert key_commitment(KEY, vault_id=VAULT, key_id=9) == expected


def test_bad_arguments_are_programming_errors(kem):
    with pytest.raises(ValueError):
        seal_key(kem.public, b"short", vault_id=VAULT, key_id=0, recipient_id=RECIPIENT)
    with pytest.raises(ValueError):
        seal_key(kem.public, KEY, vault_id=b"x", key_id=0, recipient_id=RECIPIENT)
    with pytest.raises(ValueError):
        seal_key(kem.public, KEY, vault_id=VAULT, key_id=-1, recipient_id=RECIPIENT)


def test_private_key_repr_hides_secrets(kem):
    assert kem.x25519.hex() not in repr(kem) and kem.mlkem768_seed.hex()[:16] not in repr(kem)
