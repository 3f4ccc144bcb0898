"""Format-2 chunk envelopes and packs: the epoch in every object, v1 objects still read."""

from __future__ import annotations

import os
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.chunk import OVERHEAD_V2, ChunkCodec, envelope_epoch
from crypto.errors import CoffreCryptoError, EpochKeyMissing, TamperedData
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.pack import (
    HEADER_V2,
    PackWriter,
    index_tail_size,
    open_chunk,
    open_index,
    read_index,
)

K = VaultKey(bytes(range(16)), bytes(range(32)))  # a v1 vault's key, epoch 1 after upgrade


def ring(*epochs: int, current: int | None = None) -> KeyRing:
    keys = {n: K if n == 1 else VaultKey(K.vault_id, bytes([n]) * 32) for n in epochs}
    return KeyRing(K.vault_id, 2, keys, current or max(epochs))


def flip(data: bytes, pos: int, bit: int = 0) -> bytes:
    b = bytearray(data)
    b[pos] ^= 1 << bit
    return bytes(b)


# --- chunks ------------------------------------------------------------------------------


def test_a_v2_envelope_names_its_epoch_and_costs_34_bytes():
    codec = ChunkCodec(ring(1, 2, 3))
    data = os.urandom(5000)
    cid = codec.chunk_id(data)
    env = codec.seal(cid, data)
    assert env[0] == 2 and env[1] == 0 and struct.unpack_from("<I", env, 2)[0] == 3
    assert len(env) == len(data) + OVERHEAD_V2 == len(data) + 34
    assert envelope_epoch(env) == 3
    assert codec.open(cid, env) == data


def test_chunk_ids_come_from_epoch_one_so_dedup_survives_rotation():
    data = b"le conseil municipal " * 100
    ids = {ChunkCodec(r).chunk_id(data) for r in (K, ring(1, 2), ring(1, 2, 3, 4))}
    assert len(ids) == 1


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000), epoch=st.integers(1, 5), compressible=st.booleans())
def test_v2_chunk_round_trip(data, epoch, compressible):
    if compressible:
        data = data * 4 + b"a" * 500
    writer = ChunkCodec(ring(*range(1, epoch + 1)))
    reader = ChunkCodec(ring(*range(1, 7)))  # a ring that moved on opens every older epoch
    cid = writer.chunk_id(data)
    assert reader.open(cid, writer.seal(cid, data)) == data


def test_v1_envelopes_open_with_a_v2_ring_as_epoch_one():
    data = os.urandom(2000)
    v1 = ChunkCodec(K)
    cid = v1.chunk_id(data)
    env = v1.seal(cid, data)
    assert env[0] == 1 and envelope_epoch(env) == 1
    assert ChunkCodec(ring(1, 2, 3)).open(cid, env) == data


def test_an_envelope_of_an_epoch_the_ring_lacks_is_epoch_key_missing():
    data = os.urandom(300)
    codec = ChunkCodec(ring(1, 2, 3))
    cid = codec.chunk_id(data)
    with pytest.raises(EpochKeyMissing) as err:
        ChunkCodec(ring(1, 2)).open(cid, codec.seal(cid, data))
    assert err.value.epoch == 3


def test_every_tampered_byte_of_a_v2_envelope_is_refused():
    codec = ChunkCodec(ring(1, 2))
    for data in (os.urandom(700), b"compressible text " * 60):
        cid = codec.chunk_id(data)
        env = codec.seal(cid, data)
        for pos in range(len(env)):
            with pytest.raises(CoffreCryptoError) as err:
                codec.open(cid, flip(env, pos, pos % 8))
            if pos >= 2:  # past the version and flags: epoch, nonce, ciphertext, tag
                assert isinstance(err.value, TamperedData)


def test_an_envelope_relabelled_to_another_held_epoch_fails():
    codec = ChunkCodec(ring(1, 2, 3))
    data = os.urandom(500)
    cid = codec.chunk_id(data)
    env = bytearray(codec.seal(cid, data))
    struct.pack_into("<I", env, 2, 2)
    with pytest.raises(TamperedData):
        codec.open(cid, bytes(env))
    downgraded = bytes([1, env[1]]) + bytes(env[6:])  # the v1 layout under epoch 1
    with pytest.raises(TamperedData):
        codec.open(cid, downgraded)


@pytest.mark.parametrize("change", ["truncate", "extend", "header_only"])
def test_truncated_or_extended_v2_chunk(change):
    codec = ChunkCodec(ring(1, 2))
    data = os.urandom(1000)
    cid = codec.chunk_id(data)
    env = codec.seal(cid, data)
    bad = {"truncate": env[:-1], "extend": env + b"\0", "header_only": env[:33]}[change]
    with pytest.raises(TamperedData):
        codec.open(cid, bad)


# --- packs -------------------------------------------------------------------------------


def small_pack(key):
    codec = ChunkCodec(key)
    writer = PackWriter(key, codec, target_size=8192, max_chunk=8192)
    chunks = [os.urandom(300), b"lorem ipsum " * 100, os.urandom(50)]
    for c in chunks:
        writer.add(codec.chunk_id(c), c)
    return codec, writer.finish(), chunks


def read_all(key, codec, pack_id, data):
    return [open_chunk(codec, e, data) for e in read_index(key, pack_id, data)]


def from_tail(key, pack_id, data, version=None):
    """The index as a range reader gets it: from the pack's last bytes only."""
    tail = data[-min(len(data), index_tail_size(data[-4:])) :]
    return open_index(key, pack_id, tail, len(data), version=version)


def test_v2_pack_layout_and_round_trip():
    r = ring(1, 2)
    codec, pack, chunks = small_pack(r)
    data = pack.data
    assert data[:8] == HEADER_V2 == b"CFPK\x02\x00\x00\x00"
    epoch, index_len = struct.unpack_from("<II", data, len(data) - 8)
    assert epoch == 2 and len(data) - 8 - index_len == max(
        e.offset + e.length for e in pack.entries
    )
    assert sorted(read_all(r, codec, pack.pack_id, data)) == sorted(chunks)
    assert sorted(from_tail(r, pack.pack_id, data), key=lambda e: e.offset) == sorted(
        pack.entries, key=lambda e: e.offset
    )
    assert all(data[e.offset] == 2 and envelope_epoch(data[e.offset :]) == 2 for e in pack.entries)


def test_v1_and_v2_packs_both_read_from_their_tail_in_a_v2_vault():
    r = ring(1, 2, 3)
    for key in (K, ring(1, 2), r):
        _, pack, chunks = small_pack(key)
        got = from_tail(r, pack.pack_id, pack.data)
        assert len(got) == len(chunks)
        assert sorted(read_all(r, ChunkCodec(r), pack.pack_id, pack.data)) == sorted(chunks)


def test_every_tampered_byte_of_a_v2_pack_is_refused():
    r = ring(1, 2)
    codec, pack, _ = small_pack(r)
    data = pack.data
    for pos in range(len(data)):
        with pytest.raises(CoffreCryptoError):
            read_all(r, codec, pack.pack_id, flip(data, pos, pos % 8))


@pytest.mark.parametrize("change", ["truncate", "extend", "cut_in_half", "v1_trailer"])
def test_truncated_or_extended_v2_pack(change):
    r = ring(1, 2)
    codec, pack, _ = small_pack(r)
    data = pack.data
    bad = {
        "truncate": data[:-1],
        "extend": data + b"\0\0\0\0",
        "cut_in_half": data[: len(data) // 2],
        "v1_trailer": data[:-8] + data[-4:],  # drop the epoch: read as a v1 pack, fails
    }[change]
    with pytest.raises(TamperedData):
        read_all(r, codec, pack.pack_id, bad)
    with pytest.raises(TamperedData):
        from_tail(r, pack.pack_id, bad)


def test_a_pack_of_an_epoch_the_ring_lacks_is_epoch_key_missing():
    _, pack, _ = small_pack(ring(1, 2, 3))
    removed = ring(1, 2)
    with pytest.raises(EpochKeyMissing):
        read_index(removed, pack.pack_id, pack.data)
    with pytest.raises(EpochKeyMissing):
        from_tail(removed, pack.pack_id, pack.data)


def test_a_pack_served_under_another_id_or_with_its_epoch_changed_fails():
    r = ring(1, 2, 3)
    _, pack, _ = small_pack(ring(1, 2, 3, current=2))
    with pytest.raises(TamperedData):
        read_index(r, os.urandom(16), pack.data)
    relabelled = bytearray(pack.data)
    struct.pack_into("<I", relabelled, len(relabelled) - 8, 3)
    with pytest.raises(TamperedData):
        read_index(r, pack.pack_id, bytes(relabelled))
    with pytest.raises(TamperedData):
        from_tail(r, pack.pack_id, bytes(relabelled))


def test_all_chunks_of_a_pack_share_its_epoch():
    r = ring(1, 2)
    with pytest.raises(ValueError, match="codec"):
        PackWriter(r, ChunkCodec(K))
    writer = PackWriter(r, ChunkCodec(r))
    data = os.urandom(100)
    for other in (ChunkCodec(K), ChunkCodec(ring(1, 2, 3))):
        with pytest.raises(ValueError, match="epoch"):
            writer.add_sealed(other.chunk_id(data), other.seal(other.chunk_id(data), data), 100)
    # a writer that slipped a v1 envelope into a v2 pack: a full read refuses the pack
    writer._codec = ChunkCodec(K)
    writer.add(ChunkCodec(K).chunk_id(data), data)
    pack = writer.finish()
    assert from_tail(r, pack.pack_id, pack.data)  # the index itself is sound
    with pytest.raises(TamperedData, match="epoch"):
        read_index(r, pack.pack_id, pack.data)


def test_a_v1_pack_whose_tag_ends_like_a_held_epoch_still_reads_from_its_tail():
    """The 4 bytes before a v1 trailer are random tag bytes; should they name an epoch
    the ring holds, the v2 layout is tried first, fails, and the v1 layout opens."""
    for _ in range(20):
        _, pack, chunks = small_pack(K)
        (lookalike,) = struct.unpack_from("<I", pack.data, len(pack.data) - 8)
        if lookalike > 1:
            break
    keys = {1: K, lookalike: VaultKey(K.vault_id, bytes([7]) * 32)}
    r = KeyRing(K.vault_id, 2, keys, lookalike)
    assert len(from_tail(r, pack.pack_id, pack.data)) == len(chunks)
    assert len(read_index(r, pack.pack_id, pack.data)) == len(chunks)
