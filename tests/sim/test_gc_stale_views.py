"""Nightly GC seeds 11562 and 11894, reduced by hand: a stale device's view is no loss.

In both, a sweep removed a pack that a version still referenced in the view
of a device that had not yet read why the vault dropped that version (a
purge; a superseding delete and a `--keep-within` expiry). The simulator's
check (`check_devices`) excuses exactly such versions until the device has
read the journal; these tests pin that down, and that the device drops the
version when it reads it, so its own strict check passes again.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from sync_engine.core.retention import RetentionPolicy
from sync_engine.stores.errors import StoreUnavailable
from sync_engine.stores.memory import MemoryStore
from tests.gc_world import Dev, World

from .gc_simulation import check_devices

HOUR_MS = 3_600_000


class Crash(StoreUnavailable):
    """The process dies at this store call."""


class Faults:
    """Fail the first `put` of a key starting with `prefix`, once armed."""

    def __init__(self) -> None:
        self.prefix: str | None = None

    def __call__(self, op: str, key: str) -> None:
        if self.prefix is not None and op == "put" and key.startswith(self.prefix):
            self.prefix = None
            raise Crash(f"crash at {op} {key}")


def _packs_of(dev: Dev, path: str) -> set[str]:
    return {c.pack_id for v in dev.state.known_versions() if v.path == path for c in v.chunks}


async def _stored_packs(store: MemoryStore) -> set[str]:
    return {i.key.rsplit("/", 1)[1] for i in await store.list("packs/")}


def test_unannounced_device_holding_a_purged_version(tmp_path: Path) -> None:
    """Seed 11562: a device whose first segment crashed still holds a version purged and swept."""

    async def scenario() -> None:
        faults = Faults()
        store = MemoryStore(fault=faults)
        world = World(tmp_path, store)
        dev0, dev2 = world.device("dev0"), world.device("dev2")
        dev0.fs.put_file("d/e.bin", os.urandom(100))
        await dev0.engine.round()
        # dev2 reads the vault, then dies announcing itself: the vault never hears of it.
        faults.prefix = f"log/{dev2.engine.device_id}/"
        with pytest.raises(Crash):
            await dev2.gc.run()
        (doomed,) = [v for v in dev2.state.known_versions() if v.path == "d/e.bin"]
        packs = _packs_of(dev2, "d/e.bin")
        await dev0.gc.purge("d/e.bin")  # marks its pack; no other device to wait for...
        await dev0.gc.run()  # ...so the next run sweeps it
        assert not packs & await _stored_packs(store)
        assert doomed.vid in dev0.state.purged_versions()
        assert doomed in dev2.state.known_versions()  # not read the purge yet
        with pytest.raises(AssertionError, match="lost"):  # the check before the fix
            await check_devices([dev0, dev2], [dev2], RetentionPolicy(), settled=True)
        await check_devices([dev0, dev2], [dev0, dev2], RetentionPolicy())  # excused: no loss
        # dev2's next round announces it, reads the purge and drops the version.
        await dev2.engine.round()
        assert doomed.vid not in {v.vid for v in dev2.state.known_versions()}
        await check_devices([dev0, dev2], [dev0, dev2], RetentionPolicy(), settled=True)

    asyncio.run(scenario())


async def _resurrected_marked_pack(
    tmp_path: Path,
) -> tuple[World, MemoryStore, Dev, Dev, bytes, set[str]]:
    """The state both seed-11894 tests start from: dev1's GC marked the pack of a deleted
    d/e.bin and died before its head named the mark; dev0, not seeing it, wrote the same
    content again and so put that pack back in use."""
    faults = Faults()
    store = MemoryStore(fault=faults)
    world = World(tmp_path, store)
    dev0, dev1 = world.device("dev0"), world.device("dev1")
    content = os.urandom(5000)
    dev0.fs.put_file("d/e.bin", content)
    await world.settle()
    pack = _packs_of(dev0, "d/e.bin")
    dev0.fs.delete("d/e.bin")
    await world.settle()
    world.clock.advance_days(1)
    faults.prefix = f"heads/{dev1.engine.device_id}"
    with pytest.raises(Crash):
        await dev1.gc.run(keep_within_ms=HOUR_MS)
    dev0.fs.put_file("d/e.bin", content)
    await dev0.engine.round()
    return world, store, dev0, dev1, content, pack


def test_device_behind_a_delete_that_expired_a_resurrecting_version(tmp_path: Path) -> None:
    """Seed 11894: a head in a stale view, superseded and expired by `--keep-within`, swept."""

    async def scenario() -> None:
        world, store, dev0, dev1, _content, pack = await _resurrected_marked_pack(tmp_path)
        v = max((v for v in dev0.state.all_versions() if v.path == "d/e.bin"), key=lambda v: v.hlc)
        assert {c.pack_id for c in v.chunks} == pack
        await dev1.engine.round()  # publishes the mark, reads v: a head in its view
        assert v in dev1.state.known_versions()
        await dev0.engine.round()  # applies and acknowledges the mark
        dev0.fs.delete("d/e.bin")
        await dev0.engine.round()  # supersedes v
        world.clock.advance_days(1)
        report = await dev0.gc.run(keep_within_ms=HOUR_MS)  # v expired: the pack goes
        assert report.deleted_packs >= 1
        assert not pack & await _stored_packs(store)
        policy = RetentionPolicy.within(HOUR_MS)
        with pytest.raises(AssertionError, match="lost"):  # the check before the fix
            await check_devices([dev0, dev1], [dev1], policy, settled=True)
        await check_devices([dev0, dev1], [dev0, dev1], policy)  # excused: no loss
        await dev1.engine.round()  # reads the delete: v is no longer kept there either
        await world.settle()
        await check_devices([dev0, dev1], [dev0, dev1], policy, settled=True)

    asyncio.run(scenario())


def test_rename_of_a_resurrecting_head_across_a_sweep_keeps_its_chunks(tmp_path: Path) -> None:
    """Found while reducing seed 11894: the same state, with the sweep inside dev1's round."""

    async def scenario() -> None:
        world, store, dev0, dev1, content, pack = await _resurrected_marked_pack(tmp_path)
        await world.settle()  # every device applied and acknowledged the mark
        assert pack <= await _stored_packs(store)
        dev1.fs.delete("d/e.bin")  # dev1 renames the file...
        dev1.fs.put_file("d/x.bin", content)
        dev0.fs.delete("d/e.bin")  # ...while dev0 deletes it
        scan = dev1.engine._scan_folder

        async def sweep_after_pull(stats: Any) -> Any:
            await dev0.engine.round()  # supersedes the resurrecting head
            world.clock.advance_days(1)
            await dev0.gc.run(keep_within_ms=HOUR_MS)  # it expired: the pack is swept
            return await scan(stats)

        dev1.engine._scan_folder = sweep_after_pull  # type: ignore[method-assign]
        await dev1.engine.round()
        dev1.engine._scan_folder = scan  # type: ignore[method-assign]
        (renamed,) = [v for v in dev1.state.all_versions() if v.path == "d/x.bin"]
        stored = await _stored_packs(store)
        missing = {c.pack_id for c in renamed.chunks} - stored
        assert not missing, f"d/x.bin was published referencing swept packs {missing}"

    asyncio.run(scenario())
