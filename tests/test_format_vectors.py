"""docs/FORMAT.md and crypto/ agree: the code reproduces the vectors and opens them."""

from __future__ import annotations

from typing import Any

import pytest

from crypto.chunk import ChunkCodec
from crypto.keys import Purpose, VaultKey
from crypto.pack import open_chunk, read_index
from crypto.padding import padme
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    ZERO_HASH,
    open_head,
    open_record,
    record_hash,
)
from crypto.recovery import parse_recovery_key
from crypto.vault import unlock_with_passphrase, unlock_with_recovery_key
from tests.format_vectors import RAW_CHUNK, TEXT_CHUNK, documented, generate


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return documented()


def test_code_reproduces_documented_vectors(doc):
    assert generate() == doc


def test_documented_vault_opens_with_passphrase_and_recovery_key(doc):
    slots = {name: bytes.fromhex(h) for name, h in doc["slot_objects"].items()}
    header = doc["header"].encode()
    key = unlock_with_passphrase(header, slots, doc["passphrase"])
    assert key.secret.hex() == doc["vault_key"]
    assert key.vault_id.hex() == doc["vault_id"]
    assert unlock_with_recovery_key(header, slots, doc["recovery_key"]).secret == key.secret
    assert parse_recovery_key(doc["recovery_key_of_zero_secret"]) == bytes(16)
    assert {p.value: key.subkey(p).hex() for p in Purpose} == doc["subkeys"]


def _key(doc: dict[str, Any]) -> VaultKey:
    return VaultKey(bytes.fromhex(doc["vault_id"]), bytes.fromhex(doc["vault_key"]))


def test_documented_chunks_and_pack_open(doc):
    key = _key(doc)
    codec = ChunkCodec(key)
    for vec in doc["chunks"]:
        plain = bytes.fromhex(vec["plaintext"])
        assert codec.chunk_id(plain).hex() == vec["chunk_id"]
        assert codec.open(bytes.fromhex(vec["chunk_id"]), bytes.fromhex(vec["envelope"])) == plain
    # The text chunk is stored compressed, the raw one is not.
    assert bytes.fromhex(doc["chunks"][0]["envelope"])[1] == 1
    assert bytes.fromhex(doc["chunks"][1]["envelope"])[1] == 0
    data = bytes.fromhex(doc["pack"]["data"])
    assert len(data) == padme(len(data))
    entries = read_index(key, bytes.fromhex(doc["pack"]["pack_id"]), data)
    assert sorted(open_chunk(codec, e, data) for e in entries) == sorted([TEXT_CHUNK, RAW_CHUNK])


def test_documented_records_open(doc):
    key = _key(doc)
    device = bytes.fromhex(doc["device_id"])
    seg1, seg2 = (bytes.fromhex(s) for s in doc["segments"])
    r1 = open_record(key, SEGMENT_MAGIC, seg1, device_id=device, seq=1, link=ZERO_HASH)
    r2 = open_record(key, SEGMENT_MAGIC, seg2, device_id=device, seq=2, link=record_hash(seg1))
    assert (r1.payload, r2.payload) == (b"first segment", b"second segment")
    snap = open_record(key, SNAPSHOT_MAGIC, bytes.fromhex(doc["snapshot"]), device_id=device, seq=2)
    assert snap.link == record_hash(seg2)
    head = open_head(key, bytes.fromhex(doc["head"]), device_id=device)
    assert (head.seq, head.segment_hash, head.extra) == (2, record_hash(seg2), b'{"name":"laptop"}')


def test_padme_matches_documented_values(doc):
    assert {str(n): padme(int(n)) for n in doc["padme"]} == doc["padme"]


def test_documented_gc_payloads_decode(doc):
    """The GC, settings and purge fields of docs/FORMAT.md read back as written."""
    import zstandard

    from sync_engine.journal_codec import decode_segment, decode_snapshot
    from tests.format_vectors import DEVICE, GC_META, KEPT

    def packed(text: str) -> bytes:
        return zstandard.ZstdCompressor().compress(text.encode())

    segment = decode_segment(packed(doc["gc_payloads"]["segment"]), DEVICE.hex())
    assert segment.meta == GC_META
    snapshot = decode_snapshot(packed(doc["gc_payloads"]["snapshot"]))
    assert snapshot.history == (KEPT,) and snapshot.settings == GC_META.settings
    assert [m.mark_id for m in snapshot.marks] == [(DEVICE.hex(), 4)]
