"""Format-2 segments, snapshots and heads: epochs, log positions and device signatures."""

from __future__ import annotations

import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto.device import DeviceKeys
from crypto.errors import (
    CoffreCryptoError,
    DowngradeRefused,
    EpochKeyMissing,
    RollbackDetected,
    TamperedData,
    UnsupportedFormat,
)
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    ZERO_HASH,
    Head,
    HeadInfo,
    Record,
    RecordInfo,
    open_head,
    open_record,
    peek_head,
    peek_record,
    record_hash,
    seal_head,
    seal_record,
)
from crypto.signing import BadSignature

K = VaultKey(bytes(range(16)), bytes(range(32)))  # a v1 vault's key, which becomes E1


def _ring(*epochs: int, current: int | None = None) -> KeyRing:
    keys = {n: K if n == 1 else VaultKey(K.vault_id, bytes([n]) * 32) for n in epochs}
    return KeyRing(K.vault_id, 2, keys, current or max(epochs))


@pytest.fixture(scope="module")
def laptop() -> DeviceKeys:
    return DeviceKeys.generate("laptop")


@pytest.fixture(scope="module")
def other() -> DeviceKeys:
    return DeviceKeys.generate("other")


def flip(data: bytes, pos: int, bit: int = 0) -> bytes:
    b = bytearray(data)
    b[pos] ^= 1 << bit
    return bytes(b)


def _segment(laptop, ring=None, seq=3, payload=b"operations", position=7, magic=SEGMENT_MAGIC):
    rec = Record(laptop.device_id, seq, bytes(range(32)), payload)
    return seal_record(ring or _ring(1, 2), magic, rec, signer=laptop, position=position)


@pytest.mark.parametrize("magic", [SEGMENT_MAGIC, SNAPSHOT_MAGIC])
def test_v2_record_round_trip_names_its_epoch_and_log_position(laptop, magic):
    ring = _ring(1, 2)
    data = _segment(laptop, ring, magic=magic)
    assert data[:5] == magic + b"\x02" and len(data) == 73 + 12 + len(b"operations") + 16 + 64
    assert peek_record(magic, data) == RecordInfo(2, laptop.device_id, 3, bytes(range(32)), 2, 7)
    rec = open_record(
        ring,
        magic,
        data,
        device_id=laptop.device_id,
        seq=3,
        link=bytes(range(32)),
        verify_key=laptop.signing.public,
        require_signed=True,
    )
    assert (rec.payload, rec.epoch, rec.position, rec.version) == (b"operations", 2, 7, 2)
    # the plain Ed25519 public key verifies as well as the device's hybrid key
    ed = Ed25519PublicKey.from_public_bytes(laptop.signing.public.ed25519)
    assert open_record(ring, magic, data, device_id=laptop.device_id, seq=3, verify_key=ed).payload
    assert record_hash(data) != record_hash(data[:-64])  # the hash covers the signature


def test_v2_head_round_trip(laptop):
    ring = _ring(1, 2, 3)
    head = Head(laptop.device_id, 5, bytes(32), b'{"name":"laptop"}')
    data = seal_head(ring, head, signer=laptop, position=11)
    assert data[:5] == b"CFHD\x02" and len(data) == 33 + 12 + 8 + 32 + 256 + 16 + 64
    assert peek_head(data) == HeadInfo(2, laptop.device_id, 3, 11)
    got = open_head(
        ring,
        data,
        device_id=laptop.device_id,
        verify_key=laptop.signing.public,
        require_signed=True,
    )
    assert (got.seq, got.extra, got.epoch, got.position, got.version) == (
        5,
        b'{"name":"laptop"}',
        3,
        11,
        2,
    )
    with pytest.raises(RollbackDetected):
        open_head(
            ring, data, device_id=laptop.device_id, accepted=Head(laptop.device_id, 6, bytes(32))
        )


def test_every_tampered_byte_of_a_v2_segment_and_head_is_refused(laptop):
    ring = _ring(1, 2)
    seg = _segment(laptop, ring)
    dev, key = laptop.device_id, laptop.signing.public
    for pos in range(len(seg)):
        with pytest.raises(CoffreCryptoError) as err:
            open_record(
                ring, SEGMENT_MAGIC, flip(seg, pos, pos % 8), device_id=dev, seq=3, verify_key=key
            )
        if pos >= 5:  # past magic and version: an integrity failure, never "update Coffre"
            assert isinstance(err.value, TamperedData)
    head = seal_head(ring, Head(dev, 3, record_hash(seg), b"x"), signer=laptop, position=2)
    for pos in range(len(head)):
        with pytest.raises(CoffreCryptoError):
            open_head(ring, flip(head, pos, pos % 8), device_id=dev, verify_key=key)


def test_a_changed_epoch_or_position_breaks_the_signature_before_anything_is_decrypted(laptop):
    ring = _ring(1, 2)
    seg = bytearray(_segment(laptop, ring, position=7))
    struct.pack_into("<Q", seg, 65, 8)  # position 7 -> 8
    with pytest.raises(BadSignature):
        open_record(
            ring,
            SEGMENT_MAGIC,
            bytes(seg),
            device_id=laptop.device_id,
            seq=3,
            verify_key=laptop.signing.public,
        )
    # without a verify key the AEAD still binds the header
    with pytest.raises(TamperedData):
        open_record(ring, SEGMENT_MAGIC, bytes(seg), device_id=laptop.device_id, seq=3)


@pytest.mark.parametrize("change", ["truncate", "extend", "unsigned"])
def test_truncated_or_extended_v2_records(laptop, change):
    ring = _ring(1, 2)
    seg = _segment(laptop, ring)
    head = seal_head(ring, Head(laptop.device_id, 3, record_hash(seg)), signer=laptop)
    mutate = {
        "truncate": lambda b: b[:-1],
        "extend": lambda b: b + b"\0",
        "unsigned": lambda b: b[:-64],
    }[change]
    key = laptop.signing.public
    with pytest.raises(TamperedData):
        open_record(
            ring, SEGMENT_MAGIC, mutate(seg), device_id=laptop.device_id, seq=3, verify_key=key
        )
    with pytest.raises(TamperedData):
        open_head(ring, mutate(head), device_id=laptop.device_id, verify_key=key)


def test_an_epoch_the_ring_lacks_is_epoch_key_missing(laptop):
    later = _ring(1, 2, 3)
    seg = _segment(laptop, later)
    head = seal_head(later, Head(laptop.device_id, 3, record_hash(seg)), signer=laptop)
    removed = _ring(1, 2)  # a device removed before epoch 3 started
    key = laptop.signing.public
    with pytest.raises(EpochKeyMissing) as err:
        open_record(removed, SEGMENT_MAGIC, seg, device_id=laptop.device_id, seq=3, verify_key=key)
    assert err.value.epoch == 3
    with pytest.raises(EpochKeyMissing):
        open_head(removed, head, device_id=laptop.device_id, verify_key=key)


def test_an_older_epoch_opens_with_a_ring_that_has_moved_on(laptop):
    seg = _segment(laptop, _ring(1, 2))
    rec = open_record(_ring(1, 2, 3, 4), SEGMENT_MAGIC, seg, device_id=laptop.device_id, seq=3)
    assert rec.epoch == 2 and rec.payload == b"operations"


def test_a_signature_by_another_device_is_refused(laptop, other):
    ring = _ring(1, 2)
    seg = _segment(laptop, ring)
    with pytest.raises(BadSignature):
        open_record(
            ring,
            SEGMENT_MAGIC,
            seg,
            device_id=laptop.device_id,
            seq=3,
            verify_key=other.signing.public,
        )
    # another device re-signing a record in this device's name: refused with the right key
    forged = seg[:-64] + other.signing.sign_ed25519(b"segment", seg[:-64])
    with pytest.raises(BadSignature):
        open_record(
            ring,
            SEGMENT_MAGIC,
            forged,
            device_id=laptop.device_id,
            seq=3,
            verify_key=laptop.signing.public,
        )
    # a head's signature does not verify as a segment's (contexts differ)
    head = seal_head(ring, Head(laptop.device_id, 3, ZERO_HASH), signer=laptop)
    as_segment = head[:-64] + laptop.signing.sign_ed25519(b"segment", head[:-64])
    with pytest.raises(BadSignature):
        open_head(ring, as_segment, device_id=laptop.device_id, verify_key=laptop.signing.public)
    with pytest.raises(ValueError, match="its own records"):
        seal_record(ring, SEGMENT_MAGIC, Record(laptop.device_id, 1, ZERO_HASH, b""), signer=other)


def test_v1_objects_still_open_with_a_v2_ring_and_are_refused_where_signatures_are_required(laptop):
    v1_seg = seal_record(K, SEGMENT_MAGIC, Record(laptop.device_id, 2, ZERO_HASH, b"old"))
    v1_head = seal_head(K, Head(laptop.device_id, 2, record_hash(v1_seg)))
    ring = _ring(1, 2)
    rec = open_record(ring, SEGMENT_MAGIC, v1_seg, device_id=laptop.device_id, seq=2)
    assert (rec.payload, rec.epoch, rec.position, rec.version) == (b"old", 1, 0, 1)
    assert peek_record(SEGMENT_MAGIC, v1_seg) == RecordInfo(1, laptop.device_id, 2, ZERO_HASH, 1, 0)
    assert open_head(ring, v1_head, device_id=laptop.device_id).version == 1
    assert peek_head(v1_head) == HeadInfo(1, laptop.device_id, 1, 0)
    key = laptop.signing.public
    with pytest.raises(DowngradeRefused):
        open_record(
            ring,
            SEGMENT_MAGIC,
            v1_seg,
            device_id=laptop.device_id,
            seq=2,
            verify_key=key,
            require_signed=True,
        )
    with pytest.raises(DowngradeRefused):
        open_head(ring, v1_head, device_id=laptop.device_id, verify_key=key, require_signed=True)
    with pytest.raises(ValueError, match="verify key"):
        open_record(
            ring, SEGMENT_MAGIC, v1_seg, device_id=laptop.device_id, seq=2, require_signed=True
        )


def test_v2_objects_are_v1_plus_the_new_fields_and_v1_stays_byte_identical(laptop):
    """A format-1 ring (or a bare VaultKey) writes the v1 layout; a v2 ring never does."""
    rec = Record(laptop.device_id, 1, ZERO_HASH, b"p")
    rng = lambda n: bytes(n)  # noqa: E731
    assert seal_record(K, SEGMENT_MAGIC, rec, rng) == seal_record(
        KeyRing.v1(K), SEGMENT_MAGIC, rec, rng
    )
    with pytest.raises(ValueError, match="signs every record"):
        seal_record(_ring(1, 2), SEGMENT_MAGIC, rec)
    with pytest.raises(ValueError, match="unsigned v1"):
        seal_record(K, SEGMENT_MAGIC, rec, signer=laptop)
    with pytest.raises(ValueError, match="signs every head"):
        seal_head(_ring(1, 2), Head(laptop.device_id, 1, ZERO_HASH))


def test_a_v2_record_moved_to_another_vault_kind_or_place_is_refused(laptop):
    ring = _ring(1, 2)
    seg = _segment(laptop, ring)
    elsewhere = KeyRing(
        b"\x01" * 16, 2, {n: VaultKey(b"\x01" * 16, bytes([n]) * 32) for n in (1, 2)}, 2
    )
    with pytest.raises(TamperedData):
        open_record(elsewhere, SEGMENT_MAGIC, seg, device_id=laptop.device_id, seq=3)
    with pytest.raises(TamperedData):
        open_record(ring, SNAPSHOT_MAGIC, seg, device_id=laptop.device_id, seq=3)
    with pytest.raises(TamperedData):
        open_record(ring, SEGMENT_MAGIC, seg, device_id=laptop.device_id, seq=4)
    with pytest.raises(TamperedData):
        open_record(ring, SEGMENT_MAGIC, seg, device_id=laptop.device_id, seq=3, link=ZERO_HASH)


@pytest.mark.parametrize(("version", "error"), [(0, DowngradeRefused), (3, UnsupportedFormat)])
def test_unknown_record_versions(laptop, version, error):
    seg = bytearray(_segment(laptop))
    seg[4] = version
    with pytest.raises(error):
        peek_record(SEGMENT_MAGIC, bytes(seg))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.binary(max_size=2000),
    seq=st.integers(1, 2**64 - 1),
    position=st.integers(0, 2**64 - 1),
    epoch=st.integers(1, 6),
    magic=st.sampled_from([SEGMENT_MAGIC, SNAPSHOT_MAGIC]),
)
def test_v2_record_and_head_round_trip_any_fields(laptop, payload, seq, position, epoch, magic):
    writer = _ring(*range(1, epoch + 1))
    reader = _ring(*range(1, 8))
    data = seal_record(
        writer,
        magic,
        Record(laptop.device_id, seq, ZERO_HASH, payload),
        signer=laptop,
        position=position,
    )
    rec = open_record(
        reader, magic, data, device_id=laptop.device_id, seq=seq, verify_key=laptop.signing.public
    )
    assert (rec.payload, rec.epoch, rec.position) == (payload, epoch, position)
    head = seal_head(
        writer, Head(laptop.device_id, seq, record_hash(data)), signer=laptop, position=position
    )
    got = open_head(reader, head, device_id=laptop.device_id, verify_key=laptop.signing.public)
    assert (got.seq, got.segment_hash, got.epoch, got.position) == (
        seq,
        record_hash(data),
        epoch,
        position,
    )
