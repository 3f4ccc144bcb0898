"""Garbage collection, purge and vault settings through real engines on one store.

Each test ends with `check_kept`: every version the vault keeps still reads
back intact on every device.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from crypto.chunk import ChunkCodec
from sync_engine.core.gc_rules import Mark, Moved
from sync_engine.core.model import ChunkRef, VersionId
from sync_engine.core.retention import DAY_MS, RetentionPolicy
from sync_engine.core.vault_settings import SettingsUpdate
from sync_engine.stores.errors import StoreUnavailable
from sync_engine.stores.memory import MemoryStore
from sync_engine.vault.journal import segment_key
from sync_engine.vault.journal_codec import SegmentMeta, decode_segment, encode_segment
from tests.gc_world import World, check_kept

MIB = 1024 * 1024


def _run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def _blob(n: int) -> bytes:
    return os.urandom(n)


def test_segment_meta_round_trips() -> None:
    dev = "ab" * 16
    meta = SegmentMeta(
        at_ms=5,
        read={"cd" * 16: 3},
        acks=(("cd" * 16, 2),),
        mark=Mark(
            dev,
            0,
            frozenset({"11" * 16}),
            {dev: 4},
            (Moved("11" * 16, ChunkRef(b"\1" * 32, "22" * 16, 8, 40, 10)),),
        ),
        swept=(("cd" * 16, 1),),
        settings=(SettingsUpdate.of(7, dev, {"keep_all_ms": DAY_MS}),),
        purge=(VersionId(dev, 9),),
    )
    back = decode_segment(encode_segment(dev, "desk", [], meta), dev).meta
    assert back == meta
    assert decode_segment(encode_segment(dev, "desk", []), dev).meta == SegmentMeta()


def test_gc_gives_deleted_space_back_once_every_device_synced(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        a.fs.put_file("keep.bin", _blob(600_000))
        await w.settle()
        a.fs.put_file("big.bin", _blob(3 * MIB))
        await w.settle()
        before = await w.store_bytes("packs/")
        a.fs.delete("big.bin")
        await w.settle()
        first = await a.gc.run(keep_within_ms=0)
        assert first.marked_packs == 1 and first.deleted_packs == 0
        assert first.waiting_for == ["b"]
        assert await w.store_bytes("packs/") == before  # nothing deleted before b's ack
        await w.settle()  # b reads the mark and acknowledges it
        second = await a.gc.run(keep_within_ms=0)
        assert second.deleted_packs == 1 and second.reclaimed_bytes >= 3 * MIB
        assert await w.store_bytes("packs/") < before - 3 * MIB
        assert second.folded_segments > 0
        for d in (a, b):
            await check_kept(d)
        c = w.device("c")  # a newcomer starts from the folded journal
        await w.settle()
        assert c.fs.read_bytes("keep.bin") == a.fs.read_bytes("keep.bin")
        assert not c.fs.exists("big.bin")
        await check_kept(c)

    _run(scenario)


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a = w.device("a")

    async def scenario() -> None:
        a.fs.put_file("x.bin", _blob(400_000))
        await w.settle()
        a.fs.delete("x.bin")
        await w.settle()
        keys = [i.key for i in await w.store.list("")]
        report = await a.gc.run(dry_run=True, keep_within_ms=0)
        assert report.marked_packs == 1
        assert [i.key for i in await w.store.list("")] == keys

    _run(scenario)


def test_retention_keeps_recent_versions_until_they_age(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        a.fs.put_file("doc.bin", _blob(300_000))
        await w.settle()
        a.fs.put_file("doc.bin", _blob(300_000))
        await w.settle()
        for _ in range(2):  # default retention: the old version is 0 days old, kept
            report = await a.gc.run()
            await w.settle()
        assert report.deleted_packs == 0 and report.dropped_versions == 0
        w.clock.advance_days(31)  # older than keep-all, and the same day as the newer one
        for _ in range(2):
            report = await a.gc.run()
            await w.settle()
        assert report.deleted_packs == 1
        for d in (a, b):
            assert await check_kept(d) == 1

    _run(scenario)


def test_a_device_reusing_a_marked_chunk_resurrects_its_pack(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")
    data = _blob(500_000)

    async def scenario() -> None:
        a.fs.put_file("one.bin", data)
        await w.settle()
        (old,) = [v for v in b.state.versions_at("one.bin") if v.chunks]
        a.fs.delete("one.bin")
        await w.settle()
        await a.gc.run(keep_within_ms=0)  # marks one.bin's pack
        # b, not having read the mark yet, writes a version reusing those chunks (a copy
        # of the file it had, deduplicated): exactly what a device mid-round may do.
        copy = dataclasses.replace(
            old,
            vid=VersionId(b.engine.device_id, 1000),
            path="copy.bin",
            supersedes=frozenset(),
            hlc=old.hlc + (1 << 20),
        )
        await b.engine.journal.push([copy], now_ms=w.clock() // 1_000_000)
        await w.settle()  # b reads the mark and acknowledges it
        report = await a.gc.run(keep_within_ms=0)
        assert report.resurrected_packs == 1 and report.deleted_packs == 0
        await w.settle()
        assert a.fs.read_bytes("copy.bin") == data
        for d in (a, b):
            await check_kept(d, RetentionPolicy.within(0))

    _run(scenario)


def test_a_silent_device_stops_blocking_and_rejoins(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        a.fs.put_file("old.bin", _blob(400_000))
        b.fs.put_file("mine.txt", b"b's file")
        await w.settle()
        a.fs.delete("old.bin")
        await w.settle(a)
        w.clock.advance_days(100)  # b is silent longer than the vault's 90 days
        await a.gc.run(keep_within_ms=0)
        report = await a.gc.run(keep_within_ms=0)
        assert report.deleted_packs == 1 and report.waiting_for == []
        b.fs.put_file("new.txt", b"written while away")
        await w.settle()  # b rejoins before writing, then syncs as usual
        assert a.fs.read_bytes("new.txt") == b"written while away"
        assert not b.fs.exists("old.bin")
        for d in (a, b):
            await check_kept(d)

    _run(scenario)


class _FailingDeletes(MemoryStore):
    """Deletes fail after `allowed` of them succeeded (a crash or a network cut mid-sweep)."""

    allowed = 1 << 30

    async def delete(self, key: str) -> None:
        if self.allowed <= 0:
            raise StoreUnavailable("simulated failure while deleting")
        self.allowed -= 1
        await super().delete(key)


def test_a_gc_interrupted_while_deleting_loses_nothing(tmp_path: Path) -> None:
    store = _FailingDeletes(name="gc")
    w = World(tmp_path, store)
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        for i in range(4):
            a.fs.put_file(f"f{i}.bin", _blob(200_000))
            await w.settle()
        for i in range(3):
            a.fs.delete(f"f{i}.bin")
        await w.settle()
        await a.gc.run(keep_within_ms=0)
        await w.settle()
        store.allowed = 1
        with pytest.raises(StoreUnavailable):
            await a.gc.run(keep_within_ms=0)
        store.allowed = 1 << 30
        await w.settle()
        for d in (a, b):
            await check_kept(d)
        await a.gc.run(keep_within_ms=0)
        await w.settle()
        await a.gc.run(keep_within_ms=0)
        await w.settle()
        assert len(await store.list("packs/")) == 1
        for d in (a, b):
            await check_kept(d)

    _run(scenario)


def test_purge_erases_a_file_from_the_store_and_every_history(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")
    secret = _blob(700_000)

    async def scenario() -> None:
        a.fs.put_file("dossier/extrait.pdf", secret)  # one pack, shared with other.txt
        a.fs.put_file("other.txt", b"stays")
        await w.settle()
        a.fs.put_file("dossier/extrait.pdf", secret + b"v2")
        await w.settle()
        codec = ChunkCodec(w.key)
        secret_ids = {c.chunk_id for v in a.state.versions_under("dossier") for c in v.chunks}
        assert secret_ids <= await w.chunk_ids_in_store()
        result = await a.gc.purge("dossier")
        assert result.versions == 3  # the folder and two file versions
        assert a.state.versions_under("dossier") == []
        await w.settle()
        assert b.state.versions_under("dossier") == []  # b's history shows nothing
        assert not b.fs.exists("dossier/extrait.pdf")  # moved to b's quarantine
        await a.gc.run()
        await w.settle()
        assert not secret_ids & await w.chunk_ids_in_store()
        for info in await w.store.list("log/"):  # no segment left names the file
            device, seq = info.key.split("/")[1:]
            from crypto.records import SEGMENT_MAGIC, open_record

            record = open_record(
                w.key,
                SEGMENT_MAGIC,
                await w.store.get(info.key),
                device_id=bytes.fromhex(device),
                seq=int(seq),
            )
            segment = decode_segment(record.payload, device)
            assert all(not v.path.startswith("dossier") for v in segment.versions)
        c = w.device("c")
        await w.settle()
        assert c.fs.read_bytes("other.txt") == b"stays"
        assert c.state.versions_under("dossier") == []
        assert codec.chunk_id(b"stays")  # other.txt's chunk was moved, not lost
        for d in (a, b, c):
            await check_kept(d)

    _run(scenario)


def test_retention_setting_travels_to_every_device(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        await w.settle()
        await a.gc.set_settings({"keep_all_ms": 7 * DAY_MS})
        await b.gc.set_settings({"deleted_ms": 2 * DAY_MS})
        await w.settle()
        for d in (a, b):
            s = d.engine.settings()
            assert (s.keep_all_ms, s.deleted_ms, s.daily_ms) == (
                7 * DAY_MS,
                2 * DAY_MS,
                182 * DAY_MS,
            )
        await b.gc.set_settings({"keep_all_ms": 9 * DAY_MS})  # later: wins
        await w.settle()
        assert a.engine.settings().keep_all_ms == 9 * DAY_MS
        await a.gc.run()  # the snapshot carries the settings to a newcomer
        c = w.device("c")
        await w.settle()
        assert c.engine.settings().keep_all_ms == 9 * DAY_MS

    _run(scenario)


def test_segment_under_the_old_key_is_gone_after_folding(tmp_path: Path) -> None:
    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        a.fs.put_file("x.txt", b"x")
        await w.settle()
        await a.gc.run()
        await w.settle()
        await a.gc.run()
        assert segment_key(a.engine.device_id, 1) not in {i.key for i in await w.store.list("log/")}
        b.fs.put_file("y.txt", b"y")
        await w.settle()
        assert a.fs.read_bytes("y.txt") == b"y"

    _run(scenario)


def test_a_rejoin_still_refuses_a_rolled_back_device(tmp_path: Path) -> None:
    """A store that forces a rejoin (hiding a segment) cannot roll a device back."""
    from crypto.errors import RollbackDetected
    from sync_engine.vault.journal import head_key

    w = World(tmp_path, MemoryStore(name="gc"))
    a, b = w.device("a"), w.device("b")

    async def scenario() -> None:
        a.fs.put_file("x.txt", b"1")
        await w.settle()
        old_head = await w.store.get(head_key(a.engine.device_id))
        a.fs.put_file("x.txt", b"2")
        await w.settle()
        await w.store.put(head_key(a.engine.device_id), old_head)  # the store rolls a back
        with pytest.raises(RollbackDetected):
            await b.engine.journal.rejoin()
        assert b.state.get_meta("rejoin_floor")  # kept until a rejoin succeeds

    _run(scenario)
