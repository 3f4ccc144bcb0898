"""The prose-only implementation (tests/independent_format.py) reads every vector of
docs/FORMAT.md and a real vault written by the real code."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import json
import random
import secrets
import struct
from pathlib import Path
from typing import Any

import pytest
from pyfastcdc import FastCDC

from tests import independent_format as ind
from tests.format_vectors import documented

INDEPENDENT = Path(ind.__file__)
PASSPHRASE = "une phrase de passe indépendante"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return documented()


def test_the_independent_reader_imports_nothing_of_the_implementation() -> None:
    allowed = {"cryptography", "blake3", "zstandard", "__future__"}
    stdlib = {"base64", "hashlib", "hmac", "json", "struct", "unicodedata", "dataclasses", "typing"}
    for node in ast.walk(ast.parse(INDEPENDENT.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            names = [node.module or ""]
        for name in names:
            assert name.split(".")[0] in allowed | stdlib, name


def _keys(doc: dict[str, Any]) -> ind.Keys:
    return ind.Keys(bytes.fromhex(doc["vault_key"]), bytes.fromhex(doc["vault_id"]))


def test_vault_vectors(doc) -> None:
    header = doc["header"].encode()
    # "UTF-8 JSON object, written with sorted keys and an indent of 2, ending in a newline"
    assert doc["header"] == json.dumps(json.loads(doc["header"]), sort_keys=True, indent=2) + "\n"
    slots = {name: bytes.fromhex(h) for name, h in doc["slot_objects"].items()}
    assert set(slots) == {f"keys/{slot['id']}" for slot in ind.read_header(header)["slots"]}
    keys = ind.unlock_with_passphrase(header, slots, doc["passphrase"])
    assert (keys.vault_key.hex(), keys.vault_id.hex()) == (doc["vault_key"], doc["vault_id"])
    by_recovery = ind.unlock_with_recovery_key(header, slots, doc["recovery_key"].lower())
    assert by_recovery == keys
    assert {label: keys.sub(label).hex() for label in ind.LABELS} == doc["subkeys"]
    assert ind.format_recovery_key(bytes(16)) == doc["recovery_key_of_zero_secret"]
    secret = ind.parse_recovery_key(doc["recovery_key"])
    assert ind.format_recovery_key(secret) == doc["recovery_key"]
    with pytest.raises(ind.FormatError):
        ind.unlock_with_passphrase(header, slots, doc["passphrase"] + "!")
    altered = header.replace(b'"lanes": 1', b'"lanes": 2')
    with pytest.raises(ind.FormatError):
        ind.unlock_with_passphrase(altered, slots, doc["passphrase"])


def test_chunk_and_pack_vectors(doc) -> None:
    keys = _keys(doc)
    plains = set()
    for vec in doc["chunks"]:
        plain = bytes.fromhex(vec["plaintext"])
        cid = bytes.fromhex(vec["chunk_id"])
        assert ind.chunk_id(keys, plain) == cid
        assert ind.open_chunk(keys, cid, bytes.fromhex(vec["envelope"])) == plain
        plains.add(plain)
    # The repetitive text saves more than 1/32 compressed (flag 0x01); 0..255 does not.
    assert [bytes.fromhex(v["envelope"])[1] for v in doc["chunks"]] == [1, 0]
    pack = doc["pack"]
    pack_id = bytes.fromhex(pack["pack_id"])
    assert pack["name"] == f"packs/{pack['pack_id'][:2]}/{pack['pack_id']}"
    chunks = ind.open_pack(keys, pack_id, bytes.fromhex(pack["data"]))
    assert set(chunks.values()) == plains
    flipped = bytearray.fromhex(pack["data"])
    flipped[20] ^= 1
    with pytest.raises(ind.FormatError):
        ind.open_pack(keys, pack_id, bytes(flipped))
    assert {n: ind.padme(int(n)) for n in doc["padme"]} == {n: v for n, v in doc["padme"].items()}


def test_record_and_head_vectors(doc) -> None:
    keys = _keys(doc)
    device = bytes.fromhex(doc["device_id"])
    seg1, seg2 = (bytes.fromhex(s) for s in doc["segments"])
    r1 = ind.open_record(keys, "segment", seg1, device, 1, link=bytes(32))
    r2 = ind.open_record(keys, "segment", seg2, device, 2, link=r1.record_hash)
    assert (r1.payload, r2.payload) == (b"first segment", b"second segment")
    with pytest.raises(ind.FormatError):
        ind.open_record(keys, "segment", seg2, device, 3)
    snap = ind.open_record(keys, "snapshot", bytes.fromhex(doc["snapshot"]), device, 2)
    assert (snap.link, snap.payload) == (r2.record_hash, b"tree")
    head = ind.open_head(keys, bytes.fromhex(doc["head"]), device)
    assert (head.seq, head.segment_hash) == (2, r2.record_hash)
    assert head.name_and_seen() == ("laptop", {})
    vec = doc["head_with_seen"]
    witness = ind.open_head(keys, bytes.fromhex(vec["object"]), device)
    assert witness.extra == vec["extra"].encode()
    assert witness.name_and_seen() == ("laptop", {"e1" * 16: (3, bytes(range(32)))})
    forward = doc["forward"]
    record = ind.open_forward(keys, bytes.fromhex(forward["data"]))
    assert (record["from"], record["to"]) == (forward["from"], forward["to"])
    name, seen = witness.name_and_seen()
    assert ind.canonical(
        {"name": name, "seen": {d: [s, h.hex()] for d, (s, h) in seen.items()}}
    ) == (witness.extra)


def test_format_2_vectors(doc) -> None:
    """Chunk, pack, segments, snapshot and head of format 2, read from the prose alone."""
    from tests.format_vectors import V2_BEGIN, V2_END

    v2 = documented(V2_BEGIN, V2_END)
    vid = bytes.fromhex(v2["vault_id"])
    ring = ind.Ring(
        vid, {int(n): ind.Keys(bytes.fromhex(k), vid) for n, k in v2["epoch_keys"].items()}
    )
    assert ring.epoch(1) == _keys(doc)  # an upgraded vault: E1 is the v1 vault key
    assert {p: ring.epoch(2).sub(p).hex() for p in v2["subkeys_epoch_2"]} == v2["subkeys_epoch_2"]
    public = bytes.fromhex(v2["device"]["ed25519_public"])
    device = bytes.fromhex(v2["device"]["device_id"])
    plains = set()
    for vec in v2["chunks"]:
        plain, cid = bytes.fromhex(vec["plaintext"]), bytes.fromhex(vec["chunk_id"])
        assert ind.chunk_id(ring.stable, plain) == cid
        assert ind.open_chunk_v2(ring, cid, bytes.fromhex(vec["envelope"])) == plain
        plains.add(plain)
    v1_chunk = doc["chunks"][0]
    assert ind.open_chunk_v2(
        ring, bytes.fromhex(v1_chunk["chunk_id"]), bytes.fromhex(v1_chunk["envelope"])
    ) == bytes.fromhex(v1_chunk["plaintext"])
    pack_id = bytes.fromhex(v2["pack"]["pack_id"])
    assert (
        set(ind.open_pack_v2(ring, pack_id, bytes.fromhex(v2["pack"]["data"])).values()) == plains
    )
    seg1, seg2 = (bytes.fromhex(s) for s in v2["segments"])
    r1 = ind.open_record_v2(ring, "segment", seg1, device, 1, public, link=bytes(32))
    r2 = ind.open_record_v2(ring, "segment", seg2, device, 2, public, link=r1.record_hash)
    assert [(r.payload, r.epoch, r.position) for r in (r1, r2)] == [
        (b"first segment", 2, v2["log_position"]),
        (b"second segment", 2, v2["log_position"]),
    ]
    snap = ind.open_record_v2(ring, "snapshot", bytes.fromhex(v2["snapshot"]), device, 2, public)
    assert (snap.link, snap.payload) == (r2.record_hash, b"tree")
    head = ind.open_head_v2(ring, bytes.fromhex(v2["head"]), device, public)
    assert (head.seq, head.segment_hash) == (2, r2.record_hash)
    assert head.name_and_seen() == ("laptop", {})
    forged = bytearray(seg1)
    forged[-1] ^= 1
    with pytest.raises(ind.FormatError):
        ind.open_record_v2(ring, "segment", bytes(forged), device, 1, public)
    with pytest.raises(ind.FormatError):
        ind.open_record_v2(ind.Ring(vid, {1: ring.epoch(1)}), "segment", seg1, device, 1, public)


def seeded_bytes(seed: str, n: int) -> bytes:
    """FORMAT.md's vector byte source: SHA-256(seed | u64 big-endian counter) blocks."""
    blocks = (
        hashlib.sha256(seed.encode() + i.to_bytes(8, "big")).digest() for i in range(n // 32 + 1)
    )
    return b"".join(blocks)[:n]


def test_chunker_vector(doc) -> None:
    """Seed derivation by the prose; the cut by pyfastcdc with FORMAT's parameters.

    pyfastcdc is the library FORMAT names for FastCDC itself; Coffre's own chunker
    module is not used.
    """
    from pyfastcdc.py.constants import GEAR

    vec = doc["chunker"]
    seed = _keys(doc).chunker_seed()
    assert seed == vec["seed"]
    table = struct.pack("<256Q", *GEAR)
    assert hashlib.sha256(table).hexdigest() == (
        "91a3061015ae351cd3701852712bcd6aa4a1ce26c8a231d3969432b00f028f88"
    )
    assert vec["input"] == "SeededBytes('coffre chunker vector v1'), 8 MiB"
    data = seeded_bytes("coffre chunker vector v1", 8 << 20)
    for s, ends in ((seed, vec["chunk_ends"]), (0, vec["chunk_ends_public_table"])):
        cdc = FastCDC(786432, min_size=262144, max_size=4194304, normalized_chunking=1, seed=s)
        assert [c.offset + c.length for c in cdc.cut_buf(data)] == ends


# --- a real vault, written by the real code ----------------------------------------------------


def test_a_real_vault_reads_independently(tmp_path: Path) -> None:
    from crypto.kdf import FLOOR, Argon2Params
    from sync_engine.disk.localfs import DiskFs
    from sync_engine.engine import Engine
    from sync_engine.stores import LocalStore
    from sync_engine.vault.state import LocalState
    from sync_engine.vault.vault_store import create_vault_on_store

    rng = random.Random(8)
    files = {
        "note.txt": b"Compte rendu du conseil.\n" * 400,
        "photo.bin": rng.randbytes(150_000),
        "vide.txt": b"",
    }
    root = tmp_path / "store"
    root.mkdir()
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    device_id = secrets.token_hex(16)

    async def write_vault() -> str:
        store = LocalStore(root)
        vault = await create_vault_on_store(store, PASSPHRASE, Argon2Params(FLOOR.memory_kib, 3, 1))
        fs = DiskFs(folder)
        fs.write_root_marker()
        state = LocalState(tmp_path / "state.db")
        engine = Engine(
            store=store,
            key=vault.key,
            fs=fs,
            state=state,
            device_id=device_id,
            device_name="poste-mairie",
            quarantine_dir=tmp_path / "quarantine",
        )
        assert (await engine.sync()).settled
        state.close()
        await store.close()
        return vault.recovery_key

    recovery_key = asyncio.run(write_vault())

    def objects(prefix: str) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / prefix).rglob("*"))
            if p.is_file()
        }

    header = (root / "coffre.json").read_bytes()
    slots = objects("keys")
    keys = ind.unlock_with_passphrase(header, slots, PASSPHRASE)
    assert ind.unlock_with_recovery_key(header, slots, recovery_key) == keys

    chunks: dict[bytes, bytes] = {}
    packs = objects("packs")
    assert packs
    for name, data in packs.items():
        pack_hex = name.rsplit("/", 1)[1]
        assert name == f"packs/{pack_hex[:2]}/{pack_hex}"
        chunks.update(ind.open_pack(keys, bytes.fromhex(pack_hex), data))
    # Files under 256 KiB are one chunk each: their bytes come out as they went in.
    for data in files.values():
        if data:
            assert chunks[ind.chunk_id(keys, data)] == data

    device = bytes.fromhex(device_id)
    segments = objects(f"log/{device_id}")
    link = bytes(32)
    for seq in range(1, len(segments) + 1):
        record = ind.open_record(
            keys, "segment", segments[f"log/{device_id}/{seq}"], device, seq, link
        )
        link = record.record_hash
    assert segments
    head = ind.open_head(keys, (root / "heads" / device_id).read_bytes(), device)
    assert (head.seq, head.segment_hash) == (len(segments), link)
    assert head.name_and_seen() == ("poste-mairie", {})


def test_identity_vectors() -> None:
    """Identity ids, fingerprints, safety number, card, wrap, certificate and envelope."""
    import base64

    from tests import identity_vectors as idv

    vec = documented(idv.IDENTITY_BEGIN, idv.IDENTITY_END)
    samples = documented(idv.SAMPLES_BEGIN, idv.SAMPLES_END)
    alice_name, alice_keys, _ = ind.read_identity_private(bytes.fromhex(vec["alice"]["private"]))
    bob_name, bob_keys, _ = ind.read_identity_private(bytes.fromhex(vec["bob"]["private"]))
    assert (alice_name, bob_name) == ("Alice Martin", "Beno\u00eet Durand")
    assert hashlib.sha256(alice_keys).hexdigest() == vec["alice"]["key_bytes_sha256"]
    assert ind.identity_id(alice_keys).hex() == vec["alice"]["identity_id"]
    assert ind.fingerprint(alice_keys) == vec["alice"]["fingerprint"]
    assert ind.fingerprint(bob_keys) == vec["bob"]["fingerprint"]
    assert ind.safety_number(alice_keys, bob_keys) == vec["safety_number"]
    assert ind.safety_number(bob_keys, alice_keys) == vec["safety_number"]
    wrapped = vec["wrapped_identity"]
    inner = ind.unwrap_identity(bytes.fromhex(wrapped["data"]), wrapped["passphrase"])
    assert inner.hex() == vec["alice"]["private"]
    assert ind.read_card(samples["card"]) == ("Alice Martin", alice_keys)
    signature = base64.b64decode(samples["hybrid_signature"])
    ind.verify_hybrid(alice_keys, b"member-entry", b"an entry", signature)
    with pytest.raises(ind.FormatError):
        ind.verify_hybrid(bob_keys, b"member-entry", b"an entry", signature)
    device = bytes.fromhex(vec["device"]["private"])
    assert device[:5] == b"CFDK\x01"
    device_id, device_seeds = device[5:21], device[21:181]
    device_keys, _ = ind._seeds_to_keys(device_seeds)
    cert = ind.read_device_certificate(base64.b64decode(samples["device_certificate"]), alice_keys)
    assert cert["device_id"] == device_id and cert["keys"] == device_keys
    assert cert["created_at_ms"] == vec["device"]["created_at_ms"]
    ids = vec["envelope_ids"]
    key = ind.open_envelope(
        bytes.fromhex(samples["envelope"]),
        device_seeds[64:128],
        device_seeds[128:160],
        bytes.fromhex(ids["vault_id"]),
        ids["key_id"],
        bytes.fromhex(ids["recipient_id"]),
    )
    assert key.hex() == ids["key"]


def test_membership_log_vectors() -> None:
    """The sample membership log reads, chain and hybrid signatures, from the prose alone."""
    from tests import membership_vectors as mv

    vec = documented(mv.MEMBER_BEGIN, mv.MEMBER_END)
    entries = [bytes.fromhex(e) for e in documented(mv.SAMPLES_BEGIN, mv.SAMPLES_END)["entries"]]
    vault = bytes.fromhex(vec["vault_id"])
    read = ind.read_member_log(vault, entries)
    state = vec["sample_state"]
    assert read["members"] == state["members"] and read["epoch"] == state["epoch"]
    assert read["devices"] == sorted(state["devices"])
    assert read["cuts"] == state["cuts"]
    change = ind.read_member_entry(bytes.fromhex(vec["change_role_signed"]) + bytes(4))
    assert (change["kind"], change["role"], change["position"]) == ("change role", "owner", 3)
    (bobs_device,) = state["cuts"]  # the sample log cuts Bob's device only
    assert change["cut"] == [(bytes.fromhex(bobs_device), 7)]
    altered = bytearray(entries[3])
    altered[70] ^= 1
    with pytest.raises(ind.FormatError):
        ind.read_member_log(vault, [*entries[:3], bytes(altered)])
