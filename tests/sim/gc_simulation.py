"""A deterministic simulator of garbage collection, retention and purge across devices.

Why: the GC protocol (sync_engine/core/gc_rules.py) is safe only if every
interleaving of marks, acknowledgements, sweeps, edits, long absences and
crashes keeps every kept version's chunks. This drives 2-3 devices (real
Engines on MemoryFs, one MemoryStore, tests/gc_world.py) with a
random.Random(seed) scheduler that interleaves:

  * edits on one device (new files, edits, deletions; contents of one to a
    few chunks, sometimes equal to another file's so chunks are shared),
    and sync rounds;
  * GC runs on a random device with a random `--keep-within` (0s, 1h, 2d) or
    the vault's retention, some dry runs; purges of a random path;
  * time passing (hours to weeks), and devices going offline for long
    periods (no rounds), past the vault's 90-day silence limit in some seeds;
  * a crash in the middle of a GC: the store fails the k-th write or delete
    of that run (SimCrash); the collector is simply run again later.

Invariant, checked after every GC and at the end: on every online device
(except one back from an absence longer than the vault allows, until its
next round rebuilds its view: the vault stopped keeping what only it knew),
every version kept by the strictest retention any GC used so far, at the
current time, reads back from the store intact (chunks exist, authenticate,
add up to the version's size and hash). Kept means the pure
`retention.kept` decision on the device's own history: versions the device
believes gone are not excused. Until the device has read the whole journal,
a version is excused only when the vault no longer keeps it either: every
device's published history together (`vault_view`: what any device has
read, less what any purge erased) purges it, or supersedes it and lets it
expire, in segments this device has not read yet. Such a version is no
loss: the device drops it when it reads them, before it acts (a round pulls
first). At the end, after every device synced, no excuse is left: the disks
agree and everything kept by that policy in each device's own history reads
back, which also checks that every device dropped what it was excused.

Replay: `python -m tests.sim.gc_simulation --seed N`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sync_engine.core.gc_rules import must_rejoin
from sync_engine.core.merge import merge
from sync_engine.core.model import Version, VersionId
from sync_engine.core.retention import DAY_MS, RetentionPolicy, kept
from sync_engine.lifecycle.gc import GcRefused
from sync_engine.stores.errors import StoreUnavailable
from sync_engine.stores.memory import MemoryStore
from sync_engine.transfer.pipeline import Downloader, StoreBridge
from tests.gc_world import Dev, World

NAMES = ("a.txt", "b.txt", "d/c.bin", "d/e.bin", "f/g.txt")
KEEP_WITHIN = (0, 3_600_000, 2 * DAY_MS)
CHUNKY = 300_000


class SimCrash(StoreUnavailable):
    """The collector's process dies at this store call."""


@dataclass
class GcSimResult:
    seed: int
    trace: list[str] = field(default_factory=list)
    gc_runs: int = 0
    deleted_packs: int = 0
    checked_versions: int = 0


class GcSimulation:
    def __init__(self, seed: int, workdir: Path) -> None:
        self.rng = random.Random(seed)
        self.result = GcSimResult(seed)
        self.faults = 0  # >0: the store fails its n-th mutating call from now
        self.store = MemoryStore(name=f"gcsim{seed}", fault=self._fault)
        self.world = World(workdir, self.store)
        self.devices = [self.world.device(f"dev{i}") for i in range(self.rng.choice((2, 3)))]
        self.offline: set[str] = set()
        self.strictest = RetentionPolicy()
        self.long_absence = self.rng.random() < 0.3
        self.blobs = [self.rng.randbytes(self.rng.choice((100, 5000, CHUNKY))) for _ in range(6)]

    def log(self, text: str) -> None:
        self.result.trace.append(text)

    def _fault(self, op: str, key: str) -> None:
        if self.faults and op in ("put", "delete"):
            self.faults -= 1
            if self.faults == 0:
                raise SimCrash(f"simulated crash at {op} {key}")

    def _online(self) -> list[Dev]:
        return [d for d in self.devices if d.name not in self.offline]

    # --- steps ------------------------------------------------------------------------------

    def _edit(self, dev: Dev) -> None:
        path = self.rng.choice(NAMES)
        if dev.fs.exists(path) and self.rng.random() < 0.35:
            dev.fs.delete(path)
            self.log(f"{dev.name}: delete {path}")
            return
        data = self.rng.choice(self.blobs) + self.rng.randbytes(self.rng.choice((0, 10)))
        dev.fs.put_file(path, data)
        self.log(f"{dev.name}: write {path} ({len(data)} bytes)")

    async def _gc(self, dev: Dev) -> None:
        keep_within = self.rng.choice((None, *KEEP_WITHIN))
        dry = self.rng.random() < 0.1
        crash = self.rng.random() < 0.25
        if crash:
            self.faults = self.rng.randint(1, 6)
        policy = (
            dev.engine.settings().retention
            if keep_within is None
            else RetentionPolicy.within(keep_within)
        )
        if not dry:
            self.strictest = _meet(self.strictest, policy)
        try:
            report = await dev.gc.run(dry_run=dry, keep_within_ms=keep_within)
            self.result.gc_runs += 1
            self.result.deleted_packs += report.deleted_packs
            self.log(
                f"{dev.name}: gc keep_within={keep_within} dry={dry}: marked "
                f"{report.marked_packs} deleted {report.deleted_packs} repacked "
                f"{report.repacked_packs} folded {report.folded_segments} "
                f"waiting {report.waiting_for}"
            )
        except SimCrash as exc:
            self.log(f"{dev.name}: gc crashed: {exc}")
        except GcRefused as exc:
            self.log(f"{dev.name}: gc refused: {exc}")
        finally:
            self.faults = 0
        await self.check()

    async def _purge(self, dev: Dev) -> None:
        path = self.rng.choice((*NAMES, "d", "f"))
        if not dev.state.versions_under(path):
            return
        try:
            result = await dev.gc.purge(path)
            self.log(f"{dev.name}: purge {path}: {result.versions} versions")
        except SimCrash as exc:
            self.log(f"{dev.name}: purge crashed: {exc}")
        except GcRefused as exc:
            self.log(f"{dev.name}: purge refused: {exc}")
        await self.check()

    async def _round(self, dev: Dev) -> None:
        try:
            await dev.engine.round()
        except SimCrash as exc:  # only armed during GC; kept for safety
            self.log(f"{dev.name}: round crashed: {exc}")

    async def step(self) -> None:
        online = self._online()
        dev = self.rng.choice(online)
        r = self.rng.random()
        if r < 0.35:
            self._edit(dev)
        elif r < 0.7:
            await self._round(dev)
        elif r < 0.8:
            await self._gc(dev)
        elif r < 0.84:
            await self._purge(dev)
        elif r < 0.94:
            days = self.rng.choice((0.05, 1, 3, 10, 40))
            self.world.clock.advance_days(days)
            self.log(f"time passes: {days} days")
        elif len(online) > 1 and not self.offline:
            away = self.rng.choice(online[1:])
            self.offline.add(away.name)
            self.log(f"{away.name}: goes offline")
            if self.long_absence:
                self.world.clock.advance_days(95)
                self.log("time passes: 95 days")
        elif self.offline:
            back = self.offline.pop()
            self.log(f"{back}: back online")

    # --- the invariant ----------------------------------------------------------------------

    async def check(self, *, settled: bool = False) -> None:
        self.result.checked_versions += await check_devices(
            self.devices, self._online(), self.strictest, settled=settled
        )

    async def run(self, steps: int) -> GcSimResult:
        try:
            for _ in range(steps):
                await self.step()
            self.offline.clear()
            await self.world.settle()
            await self.check(settled=True)
            views = [{p: d.fs.read_bytes(p) for p in NAMES if d.fs.exists(p)} for d in self.devices]
            if any(v != views[0] for v in views):
                raise AssertionError("the devices' folders differ after settling")
        except AssertionError as exc:
            raise AssertionError(
                f"gc simulation seed {self.result.seed}: {exc}\n" + "\n".join(self.result.trace)
            ) from exc
        return self.result


def _meet(p: RetentionPolicy, q: RetentionPolicy) -> RetentionPolicy:
    """The policy keeping only what both keep (per window)."""
    return RetentionPolicy(
        min(p.keep_all_ms, q.keep_all_ms),
        min(p.daily_ms, q.daily_ms),
        min(p.deleted_ms, q.deleted_ms),
    )


@dataclass(frozen=True)
class VaultView:
    """Every device's published history together: what the vault itself still keeps."""

    known: list[Version]  # merge input and snapshot history, as `LocalState.known_versions`
    live: list[Version]  # merge input, as `LocalState.all_versions`
    names: dict[str, str]


def vault_view(devices: list[Dev]) -> VaultView:
    """The union of what every device has read, less every version any purge erased.

    A device's state holds only published versions, so this is what the
    journal (and the snapshots) say, however stale any one device is.
    """
    purged: set[VersionId] = set()
    known: dict[VersionId, Version] = {}
    live: dict[VersionId, Version] = {}
    names: dict[str, str] = {}
    for dev in devices:
        purged |= dev.state.purged_versions()
        known.update((v.vid, v) for v in dev.state.known_versions())
        live.update((v.vid, v) for v in dev.state.all_versions())
        names.update(dev.engine.journal.device_names())
    return VaultView(
        [v for vid, v in known.items() if vid not in purged],
        [v for vid, v in live.items() if vid not in purged],
        names,
    )


async def check_devices(
    devices: list[Dev], online: list[Dev], policy: RetentionPolicy, *, settled: bool = False
) -> int:
    """The invariant (module docstring) on every online device; how many versions it read.

    `settled`: every device has read the whole journal, so nothing is excused.
    """
    vault = None if settled else vault_view(devices)
    checked = 0
    for dev in online:
        now = dev.engine.clock_ns() // 1_000_000
        last = dev.state.get_meta("last_publish_ms")
        if must_rejoin(last, now, dev.engine.settings().silent_ms):
            continue  # back from a long absence: its view is rebuilt before it acts
        checked += await _check(dev, policy, vault)
    return checked


async def _check(dev: Dev, policy: RetentionPolicy, vault: VaultView | None = None) -> int:
    """Every version `policy` keeps in `dev`'s history (and, given `vault`, in it) reads back."""
    versions = dev.state.known_versions()
    now = dev.engine.clock_ns() // 1_000_000
    tree = merge(dev.state.all_versions(), dev.engine.journal.device_names())
    keep = kept(versions, tree, policy, now)
    if vault is not None:
        keep &= kept(vault.known, merge(vault.live, vault.names), policy, now)
    wanted = [v for v in versions if v.vid in keep and v.chunks]
    downloader = Downloader(
        dev.engine.key,
        StoreBridge(dev.engine.store, asyncio.get_running_loop()),
        moved=dev.state.relocations(),
    )

    def read_all() -> None:
        for v in wanted:
            downloader.check_version(v)
            try:
                size = sum(len(b) for b in downloader.iter_content(v))
            except Exception as exc:
                raise AssertionError(f"{dev.name}: kept {v.path} {v.vid} lost: {exc}") from exc
            if size != v.size:
                raise AssertionError(f"{dev.name}: kept {v.path} {v.vid} reads {size} bytes")

    await asyncio.to_thread(read_all)
    return len(wanted)


def run_seed(seed: int, workdir: Path, steps: int = 60) -> GcSimResult:
    sim = GcSimulation(seed, workdir)
    try:
        return asyncio.run(sim.run(steps))
    finally:
        for dev in sim.devices:
            dev.state.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run_seed(args.seed, Path(tmp), args.steps)
    print("\n".join(result.trace))
    print(
        f"gc runs {result.gc_runs}, packs deleted {result.deleted_packs}, "
        f"versions checked {result.checked_versions}"
    )


if __name__ == "__main__":
    main()
