"""Round trips and properties of crypto/: keys, slots, chunks, packs, records."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.chunk import FLAG_ZSTD, OVERHEAD, ChunkCodec
from crypto.errors import InvalidRecoveryKey, WrongPassphrase
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import Purpose, VaultKey
from crypto.pack import PackWriter, open_chunk, read_index
from crypto.padding import padme
from crypto.records import (
    SEGMENT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    open_head,
    open_record,
    record_hash,
    seal_head,
    seal_record,
)
from crypto.recovery import format_recovery_key, parse_recovery_key
from crypto.vault import create_vault, unlock_with_passphrase, unlock_with_recovery_key

FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)


@pytest.fixture(scope="module")
def vault():
    return create_vault("un mot de passe très long", FAST)


def test_passphrase_and_recovery_key_open_the_same_vault_key(vault):
    key = unlock_with_passphrase(vault.header, vault.slot_objects, "un mot de passe très long")
    assert key.secret == vault.key.secret
    messy = vault.recovery_key.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert unlock_with_recovery_key(vault.header, vault.slot_objects, messy).secret == key.secret


def test_passphrase_is_normalised_nfc(vault):
    decomposed = "un mot de passe tre\u0300s long"
    key = unlock_with_passphrase(vault.header, vault.slot_objects, decomposed)
    assert key.secret == vault.key.secret


def test_wrong_passphrase_is_reported_as_such(vault):
    with pytest.raises(WrongPassphrase, match="passphrase"):
        unlock_with_passphrase(vault.header, vault.slot_objects, "un mot de passe tres long")


def test_recovery_key_typo_is_caught_by_the_checksum(vault):
    key = vault.recovery_key
    typo = ("Z" if key[5] != "Z" else "Y").join([key[:5], key[6:]])
    with pytest.raises(InvalidRecoveryKey, match="typo"):
        parse_recovery_key(typo)
    with pytest.raises(InvalidRecoveryKey, match="32 characters"):
        parse_recovery_key(key[:-1])
    with pytest.raises(InvalidRecoveryKey, match="cannot appear"):
        parse_recovery_key("U" + key[1:])


@given(st.binary(min_size=16, max_size=16))
def test_recovery_key_round_trip(secret):
    text = format_recovery_key(secret)
    assert len(text) == 39 and text.count("-") == 7
    assert parse_recovery_key(text) == secret


def test_subkeys_are_distinct_per_purpose_and_vault():
    a, b = VaultKey.generate(), VaultKey.generate()
    keys = [k.subkey(p) for k in (a, b) for p in Purpose]
    assert len(set(keys)) == len(keys)
    assert a.secret.hex() not in repr(a)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=70_000), st.booleans())
def test_chunk_round_trip(data, repetitive):
    key = VaultKey.generate()
    codec = ChunkCodec(key)
    if repetitive:
        data = data * 3 + bytes(4096)
    chunk_id = codec.chunk_id(data)
    envelope = codec.seal(chunk_id, data)
    assert len(envelope) <= len(data) + OVERHEAD
    assert codec.open(chunk_id, envelope) == data


def test_compression_only_when_it_saves_space():
    codec = ChunkCodec(VaultKey.generate())
    text = b"Rapport annuel du service. " * 40_000
    noise = os.urandom(1 << 20)
    text_env = codec.seal(codec.chunk_id(text), text)
    noise_env = codec.seal(codec.chunk_id(noise), noise)
    assert text_env[1] == FLAG_ZSTD and len(text_env) < len(text) // 10
    assert noise_env[1] == 0 and len(noise_env) == len(noise) + OVERHEAD


def test_same_chunk_sealed_twice_differs_but_has_the_same_id():
    codec = ChunkCodec(VaultKey.generate())
    data = os.urandom(5000)
    chunk_id = codec.chunk_id(data)
    assert codec.seal(chunk_id, data) != codec.seal(chunk_id, data)
    other = ChunkCodec(VaultKey.generate())
    assert other.chunk_id(data) != chunk_id  # keyed: the store cannot test for known content


def test_pack_round_trip_random_order_and_padme_size():
    key = VaultKey.generate()
    codec = ChunkCodec(key)
    writer = PackWriter(key, codec, target_size=1 << 20)
    chunks = [os.urandom(n) for n in (1, 100, 5000, 70_000, 300_000)] + [b"a" * 200_000]
    for c in chunks:
        writer.add(codec.chunk_id(c), c)
    assert len(writer) == len(chunks)
    pack = writer.finish()
    assert len(pack.data) == padme(len(pack.data))
    assert pack.name == f"packs/{pack.pack_id.hex()[:2]}/{pack.pack_id.hex()}"
    entries = read_index(key, pack.pack_id, pack.data)
    assert sorted(entries, key=lambda e: e.offset) == sorted(pack.entries, key=lambda e: e.offset)
    assert {open_chunk(codec, e, pack.data) for e in entries} == set(chunks)
    assert len(writer) == 0 and writer.size == 0  # ready for the next pack


def test_pack_order_is_shuffled():
    key = VaultKey.generate()
    codec = ChunkCodec(key)
    chunks = [bytes([i]) * 100 for i in range(40)]
    ids = [codec.chunk_id(c) for c in chunks]
    writer = PackWriter(key, codec)
    orders = set()
    for _ in range(5):
        for i, c in zip(ids, chunks, strict=True):
            writer.add(i, c)
        orders.add(tuple(e.chunk_id for e in writer.finish().entries))
    assert tuple(ids) not in orders or len(orders) > 1
    assert len(orders) > 1


def test_padme_overhead_is_bounded():
    for n in [*range(2, 5000), 10**6, 16 * 2**20 + 12345, 2**31 - 1]:
        p = padme(n)
        assert n <= p <= n * 1.12 + 2
        assert padme(p) == p


def test_segment_chain_and_head_round_trip():
    key = VaultKey.generate()
    device = os.urandom(16)
    seg1 = seal_record(key, SEGMENT_MAGIC, Record(device, 1, ZERO_HASH, b"ops 1"))
    seg2 = seal_record(key, SEGMENT_MAGIC, Record(device, 2, record_hash(seg1), b"ops 2"))
    assert open_record(key, SEGMENT_MAGIC, seg1, device_id=device, seq=1).payload == b"ops 1"
    r2 = open_record(key, SEGMENT_MAGIC, seg2, device_id=device, seq=2, link=record_hash(seg1))
    assert r2.payload == b"ops 2"
    head1 = open_head(key, seal_head(key, Head(device, 1, record_hash(seg1))), device_id=device)
    head2_bytes = seal_head(key, Head(device, 2, record_hash(seg2), b"laptop"))
    head2 = open_head(key, head2_bytes, device_id=device, accepted=head1)
    assert (head2.seq, head2.extra) == (2, b"laptop")
    # The same head again is fine (nothing new), not a rollback.
    assert open_head(key, head2_bytes, device_id=device, accepted=head2) == head2
