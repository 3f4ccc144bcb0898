"""Test vectors for docs/FORMAT.md, generated from the code with a seeded byte source.

`python -m tests.format_vectors --write` regenerates the block in docs/FORMAT.md;
tests/test_format_vectors.py checks that the document and the code agree both ways.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

from crypto.chunk import ChunkCodec
from crypto.device import DeviceKeys
from crypto.forward import Forward, seal_forward
from crypto.header import encode_header, parse_header
from crypto.kdf import FLOOR
from crypto.keyring import KeyRing
from crypto.keys import Purpose, VaultKey, chunker_seed
from crypto.pack import PackWriter
from crypto.padding import padme
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    record_hash,
    seal_head,
    seal_record,
)
from crypto.recovery import format_recovery_key
from crypto.vault import change_passphrase, create_vault
from sync_engine.core.gc_rules import Mark, Moved
from sync_engine.core.model import ChunkRef, Kind, Version, VersionId
from sync_engine.core.vault_settings import SettingsUpdate
from sync_engine.transfer.chunker import PUBLIC_SEED, Chunker
from sync_engine.vault.journal_codec import SegmentMeta, encode_segment, encode_snapshot
from sync_engine.vault.witness import Position, encode_head_extra

FORMAT_MD = Path(__file__).resolve().parent.parent / "docs" / "FORMAT.md"
BEGIN, END = "<!-- vectors:begin -->", "<!-- vectors:end -->"
PASSPHRASE = "correct horse battery staple"
DEVICE = bytes.fromhex("d0" * 16)
OTHER_DEVICE = "e1" * 16
WITNESS_EXTRA = encode_head_extra("laptop", {OTHER_DEVICE: Position(3, bytes(range(32)))})
TEXT_CHUNK = b"Coffre keeps public files private.\n" * 40
RAW_CHUNK = bytes(range(256))
FORWARD_FROM = "file:///srv/coffre/mairie"
FORWARD_TO = "s3://coffre-mairie/vault?endpoint=https://s3.example.org"
CHUNKER_INPUT_SEED = "coffre chunker vector v1"
CHUNKER_INPUT_MIB = 8


class SeededBytes:
    """A deterministic byte stream: SHA-256(seed | counter) blocks."""

    def __init__(self, seed: str) -> None:
        self._seed = seed.encode()
        self._counter = 0
        self._buf = b""

    def __call__(self, n: int) -> bytes:
        blocks = [self._buf]
        have = len(self._buf)
        while have < n:
            blocks.append(hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest())
            self._counter += 1
            have += 32
        data = b"".join(blocks)
        out, self._buf = data[:n], data[n:]
        return out


def chunker_input() -> bytes:
    """The input of the chunking vector: SeededBytes(CHUNKER_INPUT_SEED), 8 MiB."""
    return SeededBytes(CHUNKER_INPUT_SEED)(CHUNKER_INPUT_MIB << 20)


def chunk_ends(seed: int, data: bytes) -> list[int]:
    return [c.offset + c.length for c in Chunker(seed).iter_bytes(data)]


OTHER = "e1" * 16
GC_META = SegmentMeta(
    at_ms=1_767_225_600_000,
    read={OTHER: 7},
    acks=((OTHER, 6),),
    mark=Mark(
        DEVICE.hex(),
        0,
        frozenset({"a1" * 16, "a2" * 16}),
        {DEVICE.hex(): 4, OTHER: 7},
        (Moved("a2" * 16, ChunkRef(b"\xc3" * 32, "b1" * 16, 8, 1064, 1024)),),
    ),
    swept=((OTHER, 3),),
    settings=(
        SettingsUpdate.of(115_816_000_000_000_000, DEVICE.hex(), {"keep_all_ms": 86_400_000}),
    ),
    purge=(VersionId(OTHER, 2),),
)
KEPT = Version(
    VersionId(DEVICE.hex(), 3),
    "rapport.odt",
    frozenset({VersionId(DEVICE.hex(), 1)}),
    115_816_000_000_000_000,
    Kind.FILE,
    size=1024,
    mtime_ns=1_767_225_600_000_000_000,
    content_hash=b"\x11" * 32,
    chunks=(ChunkRef(b"\xc3" * 32, "a2" * 16, 8, 1064, 1024),),
)


def _plain(payload: bytes) -> str:
    """A journal payload's JSON text (the bytes zstd compresses)."""
    import zstandard

    return bytes(zstandard.ZstdDecompressor().decompress(payload, max_output_size=1 << 20)).decode()


def gc_payloads() -> dict[str, str]:
    """A segment carrying every GC, settings and purge field, and a snapshot with history."""
    segment = encode_segment(DEVICE.hex(), "desk", [], GC_META)
    snapshot = encode_snapshot(
        {DEVICE.hex(): (4, b"\x22" * 32)},
        {DEVICE.hex(): "desk"},
        [],
        settings=GC_META.settings,
        marks=[Mark(DEVICE.hex(), 4, frozenset({"a1" * 16}), {DEVICE.hex(): 3})],
        moved=GC_META.mark.moved if GC_META.mark else (),
        history=[KEPT],
    )
    return {"segment": _plain(segment), "snapshot": _plain(snapshot)}


def generate() -> dict[str, object]:
    rng = SeededBytes("coffre format vectors v1")
    vault = create_vault(PASSPHRASE, FLOOR, rng)
    key = vault.key
    codec = ChunkCodec(key, rng=rng)
    text_id, raw_id = codec.chunk_id(TEXT_CHUNK), codec.chunk_id(RAW_CHUNK)
    text_env, raw_env = codec.seal(text_id, TEXT_CHUNK), codec.seal(raw_id, RAW_CHUNK)
    writer = PackWriter(key, codec, target_size=4096, max_chunk=4096, rng=rng)
    writer.add(text_id, TEXT_CHUNK)
    writer.add(raw_id, RAW_CHUNK)
    pack = writer.finish()
    seg1 = seal_record(key, SEGMENT_MAGIC, Record(DEVICE, 1, ZERO_HASH, b"first segment"), rng)
    seg2 = seal_record(
        key, SEGMENT_MAGIC, Record(DEVICE, 2, record_hash(seg1), b"second segment"), rng
    )
    snap = seal_record(key, SNAPSHOT_MAGIC, Record(DEVICE, 2, record_hash(seg2), b"tree"), rng)
    head = seal_head(key, Head(DEVICE, 2, record_hash(seg2), b'{"name":"laptop"}'), rng)
    forward = seal_forward(key, Forward(FORWARD_FROM, FORWARD_TO, 1764892800000), rng)
    witness_head = seal_head(key, Head(DEVICE, 2, record_hash(seg2), WITNESS_EXTRA), rng)
    return {
        "passphrase": PASSPHRASE,
        "vault_key": key.secret.hex(),
        "vault_id": key.vault_id.hex(),
        "subkeys": {p.value: key.subkey(p).hex() for p in Purpose},
        "recovery_key": vault.recovery_key,
        "recovery_key_of_zero_secret": format_recovery_key(bytes(16)),
        "header": vault.header.decode(),
        # The same vault's header with `language` (MAC-covered): conflict copies in French.
        "header_language_fr": encode_header(
            replace(parse_header(vault.header), language="fr"), key
        ).decode(),
        "slot_objects": {name: data.hex() for name, data in sorted(vault.slot_objects.items())},
        "chunks": [
            {"plaintext": TEXT_CHUNK.hex(), "chunk_id": text_id.hex(), "envelope": text_env.hex()},
            {"plaintext": RAW_CHUNK.hex(), "chunk_id": raw_id.hex(), "envelope": raw_env.hex()},
        ],
        "pack": {"pack_id": pack.pack_id.hex(), "name": pack.name, "data": pack.data.hex()},
        "device_id": DEVICE.hex(),
        "segments": [seg1.hex(), seg2.hex()],
        "snapshot": snap.hex(),
        "head": head.hex(),
        "forward": {"from": FORWARD_FROM, "to": FORWARD_TO, "data": forward.hex()},
        "head_with_seen": {"extra": WITNESS_EXTRA.decode(), "object": witness_head.hex()},
        "chunker": {
            "input": f"SeededBytes({CHUNKER_INPUT_SEED!r}), {CHUNKER_INPUT_MIB} MiB",
            "seed": chunker_seed(key),
            "chunk_ends": chunk_ends(chunker_seed(key), chunker_input()),
            "chunk_ends_public_table": chunk_ends(PUBLIC_SEED, chunker_input()),
        },
        "gc_payloads": gc_payloads(),
        "padme": {
            str(n): padme(n) for n in (0, 1, 2, 9, 100, 1000, 4097, 65537, 16777216, 16777217)
        },
    }


CHANGE_BEGIN, CHANGE_END = "<!-- change-vectors:begin -->", "<!-- change-vectors:end -->"
NEW_PASSPHRASE = "new battery horse staple 7"


def generate_change() -> dict[str, object]:
    """The vector vault after one passphrase change (epoch 1), with its own byte source."""
    vault = create_vault(PASSPHRASE, FLOOR, SeededBytes("coffre format vectors v1"))
    rng = SeededBytes("coffre format vectors v1 / passphrase change")
    change = change_passphrase(vault.header, vault.key, NEW_PASSPHRASE, params=FLOOR, rng=rng)
    return {
        "new_passphrase": NEW_PASSPHRASE,
        "epoch": change.epoch,
        "header": change.header.decode(),
        "new_slot_objects": {n: d.hex() for n, d in sorted(change.slot_objects.items())},
        "retired": list(change.retired),
    }


V2_BEGIN, V2_END = "<!-- v2-vectors:begin -->", "<!-- v2-vectors:end -->"
V2_POSITION = 3  # the membership log position the v2 records name
EPOCH_PURPOSES = (
    Purpose.CHUNK,
    Purpose.PACK_INDEX,
    Purpose.SEGMENT,
    Purpose.SNAPSHOT,
    Purpose.HEAD,
    Purpose.FORWARD,
)


def v2_device() -> DeviceKeys:
    """The device that signs the v2 vectors: keys drawn from its own byte source."""
    return DeviceKeys.generate("laptop", SeededBytes("coffre format vectors v2 / device"))


def v2_ring() -> KeyRing:
    """The vector vault upgraded to format 2: its v1 key is E1; E2 from the v2 source."""
    e1 = create_vault(PASSPHRASE, FLOOR, SeededBytes("coffre format vectors v1")).key
    e2 = VaultKey(e1.vault_id, SeededBytes("coffre format vectors v2 / epoch 2")(32))
    return KeyRing(e1.vault_id, 2, {1: e1, 2: e2}, 2)


def generate_v2() -> dict[str, object]:
    """Chunk, pack, segments, snapshot and head in format 2, sealed under epoch 2."""
    ring, device = v2_ring(), v2_device()
    dev = device.device_id
    rng = SeededBytes("coffre format vectors v2")
    codec = ChunkCodec(ring, rng=rng)
    text_id, raw_id = codec.chunk_id(TEXT_CHUNK), codec.chunk_id(RAW_CHUNK)
    text_env, raw_env = codec.seal(text_id, TEXT_CHUNK), codec.seal(raw_id, RAW_CHUNK)
    writer = PackWriter(ring, codec, target_size=4096, max_chunk=4096, rng=rng)
    writer.add(text_id, TEXT_CHUNK)
    writer.add(raw_id, RAW_CHUNK)
    pack = writer.finish()

    def seal(magic: bytes, record: Record) -> bytes:
        return seal_record(ring, magic, record, rng, signer=device, position=V2_POSITION)

    seg1 = seal(SEGMENT_MAGIC, Record(dev, 1, ZERO_HASH, b"first segment"))
    seg2 = seal(SEGMENT_MAGIC, Record(dev, 2, record_hash(seg1), b"second segment"))
    snap = seal(SNAPSHOT_MAGIC, Record(dev, 2, record_hash(seg2), b"tree"))
    head = seal_head(
        ring,
        Head(dev, 2, record_hash(seg2), b'{"name":"laptop"}'),
        rng,
        signer=device,
        position=V2_POSITION,
    )
    e2 = ring.key(2)
    return {
        "vault_id": ring.vault_id.hex(),
        "epoch_keys": {str(n): ring.key(n).secret.hex() for n in sorted(ring.epochs)},
        "current_epoch": ring.current,
        "subkeys_epoch_2": {p.value: e2.subkey(p).hex() for p in EPOCH_PURPOSES},
        "device": {
            "device_id": dev.hex(),
            "private": device.to_bytes().hex(),
            "ed25519_public": device.signing.public.ed25519.hex(),
        },
        "log_position": V2_POSITION,
        "chunks": [
            {"plaintext": TEXT_CHUNK.hex(), "chunk_id": text_id.hex(), "envelope": text_env.hex()},
            {"plaintext": RAW_CHUNK.hex(), "chunk_id": raw_id.hex(), "envelope": raw_env.hex()},
        ],
        "pack": {"pack_id": pack.pack_id.hex(), "name": pack.name, "data": pack.data.hex()},
        "segments": [seg1.hex(), seg2.hex()],
        "snapshot": snap.hex(),
        "head": head.hex(),
    }


def documented(begin: str = BEGIN, end: str = END) -> dict[str, object]:
    text = FORMAT_MD.read_text()
    match = re.search(re.escape(begin) + r"\s*```json\n(.*?)```\s*" + re.escape(end), text, re.S)
    if match is None:
        raise AssertionError("docs/FORMAT.md has no vectors block")
    result: dict[str, object] = json.loads(match.group(1))
    return result


def write() -> None:
    from tests import identity_vectors as idv
    from tests import membership_vectors as mv

    text = FORMAT_MD.read_text()
    try:
        samples = documented(idv.SAMPLES_BEGIN, idv.SAMPLES_END)
    except AssertionError:
        samples = {}
    if not idv.samples_verify(samples):
        samples = idv.generate_samples()
    try:
        member_samples = documented(mv.SAMPLES_BEGIN, mv.SAMPLES_END)
    except AssertionError:
        member_samples = {}
    if not mv.samples_verify(member_samples):
        member_samples = mv.generate_samples()
    for begin, end, vectors in (
        (BEGIN, END, generate()),
        (CHANGE_BEGIN, CHANGE_END, generate_change()),
        (V2_BEGIN, V2_END, generate_v2()),
        (idv.IDENTITY_BEGIN, idv.IDENTITY_END, idv.generate()),
        (idv.SAMPLES_BEGIN, idv.SAMPLES_END, samples),
        (mv.MEMBER_BEGIN, mv.MEMBER_END, mv.generate()),
        (mv.SAMPLES_BEGIN, mv.SAMPLES_END, member_samples),
    ):
        block = f"{begin}\n```json\n{json.dumps(vectors, indent=2)}\n```\n{end}"
        pattern = re.escape(begin) + r".*?" + re.escape(end)
        text = re.sub(pattern, lambda _, b=block: b, text, flags=re.S)
    FORMAT_MD.write_text(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        print(json.dumps(generate(), indent=2))
