"""KeyRing: the keys of a vault by epoch, and which sub-keys stay stable across epochs."""

from __future__ import annotations

import pickle

import pytest

from crypto.errors import CryptoProblem, EpochKeyMissing, TamperedData
from crypto.keyring import KeyRing
from crypto.keys import Purpose, VaultKey, chunker_seed

VID = bytes(range(16))


def _key(byte: int, vault_id: bytes = VID) -> VaultKey:
    return VaultKey(vault_id, bytes([byte]) * 32)


def test_v1_ring_is_the_vault_key_as_epoch_one():
    k = _key(1)
    ring = KeyRing.v1(k)
    assert (ring.format, ring.current, ring.vault_id) == (1, 1, VID)
    assert ring.now is k and ring.stable is k and ring.key(1) is k
    assert KeyRing.of(k) == ring and KeyRing.of(ring) is ring


def test_epoch_one_of_an_upgraded_vault_derives_the_v1_sub_keys_byte_for_byte():
    secret = bytes(range(32))
    v1 = VaultKey(VID, secret)
    ring = KeyRing(VID, 2, {1: VaultKey(VID, secret), 2: _key(9)}, 2)
    for purpose in Purpose:
        assert ring.stable.subkey(purpose) == v1.subkey(purpose)
    assert chunker_seed(ring.stable) == chunker_seed(v1)
    assert ring.now.subkey(Purpose.CHUNK) != v1.subkey(Purpose.CHUNK)


def test_an_epoch_the_ring_lacks_is_epoch_key_missing_a_kind_of_tampering():
    ring = KeyRing(VID, 2, {1: _key(1), 2: _key(2)}, 2)
    assert ring.key(2) == _key(2)
    with pytest.raises(EpochKeyMissing) as caught:
        ring.key(3, "A journal segment")
    err = caught.value
    assert isinstance(err, TamperedData) and err.epoch == 3
    assert "epoch 3" in str(err) and "was not given" in str(err)
    assert "A journal segment" in str(err)
    assert err.reason.kind == CryptoProblem.TAMPERED


@pytest.mark.parametrize(
    ("fmt", "epochs", "current", "why"),
    [
        (3, {1: 1}, 1, "unknown vault format"),
        (2, {2: 2}, 2, "holds epoch 1"),
        (2, {1: 1}, 2, "current epoch 2"),
        (1, {1: 1, 2: 2}, 1, "exactly one key"),
        (2, {1: 1, 0: 2}, 1, "numbered from 1"),
        (2, {1: 1, 2**32: 2}, 1, "numbered from 1"),
    ],
)
def test_an_inconsistent_ring_is_refused(fmt, epochs, current, why):
    with pytest.raises(ValueError, match=why):
        KeyRing(VID, fmt, {n: _key(b) for n, b in epochs.items()}, current)


def test_every_key_belongs_to_the_rings_vault():
    with pytest.raises(ValueError, match="ring's vault"):
        KeyRing(VID, 2, {1: _key(1), 2: _key(2, bytes(16))}, 2)


def test_the_ring_keeps_its_own_copy_of_the_epochs():
    epochs = {1: _key(1), 2: _key(2)}
    ring = KeyRing(VID, 2, epochs, 2)
    epochs[3] = _key(3)
    with pytest.raises(EpochKeyMissing):
        ring.key(3)


def test_a_writer_ring_holds_only_epoch_one_and_the_current_epoch_and_pickles():
    ring = KeyRing(VID, 2, {n: _key(n) for n in (1, 2, 3, 4)}, 4)
    writer = ring.for_writing()
    assert set(writer.epochs) == {1, 4} and writer.now == ring.now and writer.current == 4
    again = pickle.loads(pickle.dumps(writer))
    assert again == writer and again.key(4).subkey(Purpose.CHUNK) == ring.now.subkey(Purpose.CHUNK)
    with pytest.raises(EpochKeyMissing):
        writer.key(2)


def test_a_ring_is_hashable_and_never_shows_its_keys():
    ring = KeyRing(VID, 2, {1: _key(1), 2: _key(2)}, 2)
    assert hash(ring) == hash(KeyRing(VID, 2, {1: _key(1), 2: _key(2)}, 2))
    assert ring != KeyRing(VID, 2, {1: _key(1), 2: _key(3)}, 2)
    assert (bytes([2]) * 32).hex() not in repr(ring) and "epochs" not in repr(ring)
