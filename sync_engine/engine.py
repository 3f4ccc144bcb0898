"""One sync round, and rounds until settled: the imperative shell around merge and planner.

A round: finish any interrupted publication; pull other devices' journals;
merge every known version into the Remote tree; scan the disk into the Local
tree; plan against Synced; execute the plan (disk work and uploads on a worker
thread); publish this device's new versions as one segment; record them as
synced. Every decision is the pure core's (merge.py, planner.py); this module
only moves data between it and the disk, the store and the local state.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crypto.keys import VaultKey

from . import planner
from .executor import ExecutionReport, Executor, Outgoing, action_path
from .ignore import IgnoreRules
from .journal import Journal
from .localfs import LocalFs
from .merge import Conflict, merge
from .model import Kind, LocalEntry, SyncedEntry, Version, VersionId, hlc_next, hlc_observe
from .packer import Digester
from .quarantine import purge_quarantine
from .scanner import ScanResult, scan
from .state import LocalState, Problem, SyncedStat
from .stores.base import Store
from .transfer import Downloader, StoreBridge, Uploader

log = logging.getLogger(__name__)
MAX_ROUNDS = 12
DEFAULT_LIMITS = planner.PlanLimits()


@dataclass
class RoundReport:
    pulled_versions: int = 0
    published_versions: int = 0
    actions: int = 0
    uploaded_files: int = 0
    downloaded_files: int = 0
    quarantined: int = 0
    bytes_uploaded: int = 0
    bytes_downloaded: int = 0
    conflicts: tuple[Conflict, ...] = ()
    held: tuple[planner.Action, ...] = ()
    skipped: tuple[planner.Skipped, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    settled: bool = False

    def absorb(self, other: RoundReport) -> None:
        """Fold a later round into this summary of a whole sync."""
        for name in (
            "pulled_versions",
            "published_versions",
            "actions",
            "uploaded_files",
            "downloaded_files",
            "quarantined",
            "bytes_uploaded",
            "bytes_downloaded",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.conflicts += tuple(c for c in other.conflicts if c not in self.conflicts)
        self.held, self.skipped = other.held, other.skipped
        self.problems = other.problems
        self.settled = other.settled


def _disk_matches_synced(scanned: ScanResult, stats: dict[str, SyncedStat]) -> bool:
    """Every path on disk is exactly as last synced (stat and exec bit), and nothing else is."""
    if scanned.changing or scanned.unreadable or scanned.hashed_files:
        return False
    local = scanned.local
    if len(local) != len(stats):
        return False
    for path, entry in local.items():
        known = stats.get(path)
        if known is None or known.kind is not entry.kind:
            return False
        if entry.kind is not Kind.DIR and (
            (entry.size, entry.mtime_ns, entry.inode, entry.executable, entry.ctime_ns)
            != (known.size, known.mtime_ns, known.inode, known.executable, known.ctime_ns)
        ):
            return False
    return True


class Engine:
    def __init__(
        self,
        *,
        store: Store,
        key: VaultKey,
        fs: LocalFs,
        state: LocalState,
        device_id: str,
        device_name: str,
        quarantine_dir: Path,
        limits: planner.PlanLimits = DEFAULT_LIMITS,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.store = store
        self.key = key
        self.fs = fs
        self.state = state
        self.device_id = device_id
        self.limits = limits
        self.clock_ns = clock_ns
        self.quarantine_dir = quarantine_dir
        self.journal = Journal(store, key, state, device_id, device_name)
        self._digester = Digester(key)
        self._started = False
        self._previous: dict[str, LocalEntry] = {}

    # --- rounds ------------------------------------------------------------------------------

    async def sync(
        self, *, allow_mass_delete: bool = False, max_rounds: int = MAX_ROUNDS
    ) -> RoundReport:
        """Rounds until the plan is empty (or only held and skipped work remains)."""
        total = RoundReport()
        for _ in range(max_rounds):
            report = await self.round(allow_mass_delete=allow_mass_delete)
            total.absorb(report)
            if report.settled:
                break
        return total

    async def round(self, *, allow_mass_delete: bool = False) -> RoundReport:
        report = RoundReport()
        self.fs.check_root()
        purge_quarantine(self.state, self.quarantine_dir, self.clock_ns())
        await self.journal.recover()
        pulled = await self.journal.pull()
        report.pulled_versions = len(pulled.new_versions)
        self.state.add_chunks(ref for v in pulled.new_versions for ref in v.chunks)
        problems = [Problem(device, "tampered", msg) for device, msg in pulled.errors]

        stats = self.state.synced_stats()
        ignore = await asyncio.to_thread(IgnoreRules.load, self.fs)
        scanned = await asyncio.to_thread(
            scan, self.fs, stats, self._digester, ignore, self.fs.traits, previous=self._previous
        )
        self._previous = scanned.local
        if not self._started:  # rule 2: a crash's leftovers go before anything is written
            await asyncio.to_thread(self.fs.cleanup_temp_files, scanned.temp_files)
            self._started = True
        problems += [Problem(path, "skipped", reason) for path, reason in scanned.skipped]
        problems += [Problem(path, "unreadable", reason) for path, reason in scanned.unreadable]
        problems += [
            Problem(path, "changed", "changing while it was read; synced once it settles")
            for path in scanned.changing
        ]
        if self.state.get_meta(
            "settled_at_versions"
        ) == self.state.version_count() and _disk_matches_synced(scanned, stats):
            # Remote, Local and Synced are exactly as the last settled round left them,
            # so the plan would be empty: skip merging and planning.
            report.settled = True
            report.problems = problems
            with self.state.transaction():
                self.state.replace_problems(problems)
            return report

        versions = self.state.all_versions()
        tree = merge(versions, pulled.device_names)
        report.conflicts = tree.conflicts
        synced = self.state.synced()
        limits = planner.PlanLimits(
            self.limits.mass_delete_fraction,
            self.limits.mass_delete_min,
            allow_mass_delete or self.limits.allow_mass_delete,
        )
        the_plan = planner.plan(
            tree.entries,
            scanned.local,
            synced,
            limits=limits,
            traits=self.fs.traits,
            # Never read as deleted: what could not be seen, and synced files now ignored.
            unreadable=scanned.unknown_prefixes
            | frozenset(p for p in scanned.ignored if p in synced),
        )
        report.held, report.skipped = the_plan.held, the_plan.skipped
        reported = {p.path for p in problems}
        problems += [
            Problem(s.path, "skipped", s.reason) for s in the_plan.skipped if s.path not in reported
        ]
        problems += [
            Problem(action_path(a), "held", "mass deletion held: confirm with --allow-mass-delete")
            for a in the_plan.held
        ]

        executed = await self._execute(the_plan.actions, ignore, report)
        problems += executed.problems
        published = await self._publish(executed.outgoing, versions)
        report.published_versions = len(published)
        report.actions = executed.done
        report.uploaded_files = executed.uploaded_files
        report.downloaded_files = executed.downloaded_files
        report.quarantined = executed.quarantined
        report.settled = the_plan.empty and not executed.outgoing
        report.problems = problems
        with self.state.transaction():
            self.state.replace_problems(problems)
            # The version count pins what "settled" was computed from: versions read or
            # written since (even by a round that failed half-way) mean planning again.
            settled = report.settled and not the_plan.held
            self.state.set_meta(
                "settled_at_versions", self.state.version_count() if settled else None
            )
        if self.journal.snapshot_due():
            await self._snapshot()
        return report

    async def _execute(
        self, actions: tuple[planner.Action, ...], ignore: IgnoreRules, report: RoundReport
    ) -> ExecutionReport:
        bridge = StoreBridge(self.store, asyncio.get_running_loop())
        uploader = Uploader(self.key, bridge, self.state.chunk_location)
        downloader = Downloader(self.key, bridge)
        executor = Executor(
            self.fs, self.state, uploader, downloader, self.quarantine_dir, self.clock_ns, ignore
        )
        result = await asyncio.to_thread(executor.run, actions)
        self.state.add_chunks(uploader.new_chunks.values())
        report.bytes_uploaded = uploader.bytes_written
        report.bytes_downloaded = downloader.bytes_read
        return result

    async def _publish(self, outgoing: list[Outgoing], known: list[Version]) -> list[Version]:
        """Give the outgoing versions ids and timestamps, publish them, then mark them synced."""
        if not outgoing:
            return []
        counter = int(self.state.get_meta("next_counter", 1))
        last_hlc = int(self.state.get_meta("last_hlc", 0))
        for v in known:
            last_hlc = hlc_observe(last_hlc, v.hlc)
        hlc = hlc_next(last_hlc, self.clock_ns() // 1_000_000)
        with self.state.transaction(durable=True):  # counters are never reused
            self.state.set_meta("next_counter", counter + len(outgoing))
            self.state.set_meta("last_hlc", hlc)
        versions = [
            Version(
                vid=VersionId(self.device_id, counter + i),
                path=o.path,
                supersedes=o.supersedes,
                hlc=hlc,
                kind=o.kind,
                size=o.size,
                mtime_ns=o.mtime_ns,
                executable=o.executable,
                content_hash=o.content_hash,
                chunks=o.chunks,
                symlink_target=o.symlink_target,
                copy_of=o.copy_of,
            )
            for i, o in enumerate(outgoing)
        ]
        await self.journal.push(versions)
        with self.state.transaction():
            for o, v in zip(outgoing, versions, strict=True):
                for dismissed in o.dismiss:
                    self.state.delete_synced(dismissed)
                if o.forget:
                    self.state.delete_synced(o.path)
                elif o.stat is not None:
                    self.state.put_synced(
                        o.path, SyncedEntry(v, frozenset({v.vid}), *o.stat), o.ctime_ns
                    )
        return versions

    async def _snapshot(self) -> None:
        """Checkpoint every head and conflict loser: all a new device needs to merge."""
        versions = self.state.all_versions()
        tree = merge(versions, self.journal.device_names())
        keep: set[VersionId] = set()
        for entry in tree.entries.values():
            keep |= entry.heads | entry.losers
        for heads in tree.deleted.values():
            keep |= heads
        await self.journal.write_snapshot(v for v in versions if v.vid in keep)
