"""docs/FORMAT.md and crypto/ agree: the code reproduces the vectors and opens them."""

from __future__ import annotations

from typing import Any

import pytest

from crypto.chunk import ChunkCodec
from crypto.errors import TamperedData
from crypto.forward import open_forward
from crypto.header import parse_header, verify_header
from crypto.keys import Purpose, VaultKey, chunker_seed
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
from sync_engine.vault.witness import Position, decode_head_extra
from tests.format_vectors import (
    RAW_CHUNK,
    TEXT_CHUNK,
    chunk_ends,
    chunker_input,
    documented,
    generate,
)


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


def test_documented_language_is_covered_by_the_header_mac(doc):
    key = _key(doc)
    plain, french = parse_header(doc["header"].encode()), doc["header_language_fr"]
    assert plain.language is None and plain.vault_language == "en"  # vaults made before it
    header = parse_header(french.encode())
    verify_header(header, key)
    assert header.vault_language == "fr"
    forged = parse_header(french.replace('"fr"', '"en"').encode())
    with pytest.raises(TamperedData):
        verify_header(forged, key)


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
    assert decode_head_extra(head.extra) == ("laptop", {})  # a head without "seen" still reads
    vec = doc["head_with_seen"]
    witness = open_head(key, bytes.fromhex(vec["object"]), device_id=device)
    assert witness.extra == vec["extra"].encode()
    assert decode_head_extra(witness.extra) == (
        "laptop",
        {"e1" * 16: Position(3, bytes(range(32)))},
    )


def test_documented_forwarding_record_opens(doc):
    key = _key(doc)
    fwd = doc["forward"]
    opened = open_forward(key, bytes.fromhex(fwd["data"]), found_in=fwd["from"])
    assert (opened.source, opened.target, opened.moved_at_ms) == (
        fwd["from"],
        fwd["to"],
        1764892800000,
    )
    with pytest.raises(TamperedData):
        open_forward(key, bytes.fromhex(fwd["data"]), found_in=fwd["to"])


def test_documented_head_is_padded(doc):
    assert len(bytes.fromhex(doc["head"])) == 21 + 12 + 8 + 32 + 256 + 16


def test_padme_matches_documented_values(doc):
    assert {str(n): padme(int(n)) for n in doc["padme"]} == doc["padme"]


def test_documented_chunker_seed_and_cuts(doc):
    vec = doc["chunker"]
    assert chunker_seed(_key(doc)) == vec["seed"]
    assert (
        int.from_bytes(bytes.fromhex(doc["subkeys"]["chunker-seed"])[:8], "little")
        & ((1 << 63) - 1)
        == vec["seed"]
    )
    data = chunker_input()
    assert chunk_ends(vec["seed"], data) == vec["chunk_ends"]
    assert vec["chunk_ends"][-1] == len(data)
    # The vault's cuts share no boundary with the public table's on this input.
    assert not set(vec["chunk_ends"][:-1]) & set(vec["chunk_ends_public_table"][:-1])


def test_documented_passphrase_change_opens_with_the_new_passphrase_only(doc):
    from crypto.errors import WrongPassphrase
    from tests.format_vectors import CHANGE_BEGIN, CHANGE_END, generate_change

    change = documented(CHANGE_BEGIN, CHANGE_END)
    assert generate_change() == change
    slots = {n: bytes.fromhex(h) for n, h in doc["slot_objects"].items()}
    for name in change["retired"]:
        del slots[name]
    slots.update({n: bytes.fromhex(h) for n, h in change["new_slot_objects"].items()})
    header = change["header"].encode()
    key = unlock_with_passphrase(header, slots, change["new_passphrase"])
    assert key.secret.hex() == doc["vault_key"]
    assert unlock_with_recovery_key(header, slots, doc["recovery_key"]).secret == key.secret
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(header, slots, doc["passphrase"])
    assert change["epoch"] == 1 and '"epoch": 1' in change["header"]


def test_documented_gc_payloads_decode(doc):
    """The GC, settings and purge fields of docs/FORMAT.md read back as written."""
    import zstandard

    from sync_engine.vault.journal_codec import decode_segment, decode_snapshot
    from tests.format_vectors import DEVICE, GC_META, KEPT

    def packed(text: str) -> bytes:
        return zstandard.ZstdCompressor().compress(text.encode())

    segment = decode_segment(packed(doc["gc_payloads"]["segment"]), DEVICE.hex())
    assert segment.meta == GC_META
    snapshot = decode_snapshot(packed(doc["gc_payloads"]["snapshot"]))
    assert snapshot.history == (KEPT,) and snapshot.settings == GC_META.settings
    assert [m.mark_id for m in snapshot.marks] == [(DEVICE.hex(), 4)]


def test_identity_vectors_are_reproduced_and_samples_verify():
    """Identity, device and envelope vectors: the deterministic block byte for byte, the
    randomised samples by opening and verifying them with the deterministic keys."""
    import base64
    import hashlib

    from crypto.device import DeviceCertificate, DeviceKeys
    from crypto.envelope import open_key
    from crypto.identity import Identity, parse_card, unwrap_identity
    from crypto.signing import BadSignature
    from tests import identity_vectors as idv

    vec = documented(idv.IDENTITY_BEGIN, idv.IDENTITY_END)
    assert idv.generate() == vec
    alice = Identity.from_bytes(bytes.fromhex(vec["alice"]["private"]))
    device = DeviceKeys.from_bytes(bytes.fromhex(vec["device"]["private"]))
    assert hashlib.sha256(alice.public.key_bytes()).hexdigest() == vec["alice"]["key_bytes_sha256"]
    wrapped = vec["wrapped_identity"]
    opened = unwrap_identity(bytes.fromhex(wrapped["data"]), wrapped["passphrase"])
    assert opened.to_bytes() == alice.to_bytes()
    message = bytes.fromhex(vec["signed_message"])
    assert message == b"coffre/sig/v1/member-entry\x00an entry"

    samples = documented(idv.SAMPLES_BEGIN, idv.SAMPLES_END)
    assert idv.samples_verify(samples)
    card = parse_card(samples["card"])
    assert card == alice.public and samples["card"].splitlines()[:4] == vec["card_lines"]
    signature = base64.b64decode(samples["hybrid_signature"])
    alice.public.verify(b"member-entry", b"an entry", signature, "vector")
    assert signature[:64].hex() == vec["ed25519_signature"]
    with pytest.raises(BadSignature):
        alice.public.verify(b"member-entry", b"an entry!", signature, "vector")
    cert = DeviceCertificate.from_bytes(base64.b64decode(samples["device_certificate"]))
    assert cert.verify(alice.public) == device.public
    assert (
        hashlib.sha256(cert.signed_bytes()).hexdigest() == vec["device"]["certificate_body_sha256"]
    )
    ids = vec["envelope_ids"]
    key = open_key(
        device.kem,
        bytes.fromhex(samples["envelope"]),
        vault_id=bytes.fromhex(ids["vault_id"]),
        key_id=ids["key_id"],
        recipient_id=bytes.fromhex(ids["recipient_id"]),
    )
    assert key.hex() == ids["key"]
    with pytest.raises(TamperedData):
        open_key(
            device.kem,
            bytes.fromhex(samples["envelope"]),
            vault_id=bytes.fromhex(ids["vault_id"]),
            key_id=ids["key_id"] + 1,
            recipient_id=bytes.fromhex(ids["recipient_id"]),
        )


# --- format 2 ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc_v2() -> dict[str, Any]:
    from tests.format_vectors import V2_BEGIN, V2_END

    return documented(V2_BEGIN, V2_END)


def _ring_v2(vec: dict[str, Any]):
    from crypto.keyring import KeyRing

    vid = bytes.fromhex(vec["vault_id"])
    epochs = {int(n): VaultKey(vid, bytes.fromhex(k)) for n, k in vec["epoch_keys"].items()}
    return KeyRing(vid, 2, epochs, vec["current_epoch"])


def test_code_reproduces_documented_v2_vectors(doc_v2):
    from tests.format_vectors import generate_v2

    assert generate_v2() == doc_v2


def test_documented_v2_objects_open_with_the_ring_and_the_device_key(doc, doc_v2):
    from crypto.device import DeviceKeys
    from crypto.errors import EpochKeyMissing
    from crypto.keyring import KeyRing
    from crypto.records import peek_head, peek_record

    ring = _ring_v2(doc_v2)
    assert ring.key(1).secret.hex() == doc["vault_key"]  # the upgraded vault: K = E1
    assert {p: ring.key(2).subkey(Purpose(p)).hex() for p in doc_v2["subkeys_epoch_2"]} == (
        doc_v2["subkeys_epoch_2"]
    )
    device = DeviceKeys.from_bytes(bytes.fromhex(doc_v2["device"]["private"]))
    dev = bytes.fromhex(doc_v2["device"]["device_id"])
    assert device.device_id == dev
    assert device.signing.public.ed25519.hex() == doc_v2["device"]["ed25519_public"]
    verify = device.signing.public
    codec = ChunkCodec(ring)
    for v1_vec, vec in zip(doc["chunks"], doc_v2["chunks"], strict=True):
        assert vec["chunk_id"] == v1_vec["chunk_id"]  # stable: epoch 1's chunk-id key
        env = bytes.fromhex(vec["envelope"])
        assert env[:6] == b"\x02" + env[1:2] + (2).to_bytes(4, "little")
        assert codec.open(bytes.fromhex(vec["chunk_id"]), env) == bytes.fromhex(vec["plaintext"])
    data = bytes.fromhex(doc_v2["pack"]["data"])
    assert data[:5] == b"CFPK\x02" and data[-8:-4] == (2).to_bytes(4, "little")
    entries = read_index(ring, bytes.fromhex(doc_v2["pack"]["pack_id"]), data)
    assert sorted(open_chunk(codec, e, data) for e in entries) == sorted([TEXT_CHUNK, RAW_CHUNK])
    seg1, seg2 = (bytes.fromhex(s) for s in doc_v2["segments"])
    opened = [
        open_record(
            ring,
            SEGMENT_MAGIC,
            seg,
            device_id=dev,
            seq=seq,
            link=link,
            verify_key=verify,
            require_signed=True,
        )
        for seq, seg, link in ((1, seg1, ZERO_HASH), (2, seg2, record_hash(seg1)))
    ]
    assert [(r.payload, r.epoch, r.position) for r in opened] == [
        (b"first segment", 2, 3),
        (b"second segment", 2, 3),
    ]
    snap = bytes.fromhex(doc_v2["snapshot"])
    assert peek_record(SNAPSHOT_MAGIC, snap).position == doc_v2["log_position"]
    r = open_record(
        ring, SNAPSHOT_MAGIC, snap, device_id=dev, seq=2, verify_key=verify, require_signed=True
    )
    assert (r.payload, r.link) == (b"tree", record_hash(seg2))
    head_bytes = bytes.fromhex(doc_v2["head"])
    assert len(head_bytes) == 33 + 12 + 8 + 32 + 256 + 16 + 64
    assert peek_head(head_bytes).epoch == 2
    head = open_head(ring, head_bytes, device_id=dev, verify_key=verify, require_signed=True)
    assert (head.seq, head.segment_hash, head.extra) == (2, record_hash(seg2), b'{"name":"laptop"}')
    # a device that holds only epoch 1 reads none of it
    only_e1 = KeyRing(ring.vault_id, 2, {1: ring.key(1)}, 1)
    with pytest.raises(EpochKeyMissing):
        open_record(only_e1, SEGMENT_MAGIC, seg1, device_id=dev, seq=1, verify_key=verify)
    # and the v1 vectors still open with the v2 ring
    v1_seg = bytes.fromhex(doc["segments"][0])
    assert open_record(
        ring, SEGMENT_MAGIC, v1_seg, device_id=bytes.fromhex(doc["device_id"]), seq=1
    ).payload == (b"first segment")
