"""One sync round, and rounds until settled: the imperative shell around the pure core.

`Engine._round` is a script of phases, each a method: prepare (root check,
quarantine purge), pull (following a moved vault), scan, the fast-path check,
plan (merge, then planner), execute (on a worker thread, progress through
the executor's `on_done` callback), publish (stamp and push the new versions,
record them as synced), record the outcome (problems, the pinned verdict).
Every decision is the pure core's: merge.py and planner.py decide what to do,
round_outcome.py whether planning may be skipped, whether the round is
settled and which problems it reports. This module gathers the facts, moves
data between the core and the disk, the store and the local state, and acts
on the answers.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from crypto.device import DeviceKeys
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason

from .core import gc_rules, planner, read_only, retention, round_outcome
from .core.actions import (
    Action,
    Download,
    MakeDir,
    Plan,
    PlanLimits,
    Quarantine,
    RenameLocal,
    ResolveConflict,
    Skipped,
    Upload,
    UploadMove,
    UploadTombstone,
    action_path,
)
from .core.merge import Conflict, MergedTree, merge
from .core.model import (
    Kind,
    LocalEntry,
    SyncedEntry,
    Version,
    VersionId,
    hlc_next,
    hlc_observe,
    stamped,
)
from .core.vault_settings import VaultSettings, effective
from .disk.fs_errors import FsError
from .disk.ignore import IgnoreRules
from .disk.localfs import DiskFs, LocalFs
from .disk.quarantine import purge_quarantine
from .disk.scanner import ScanResult, scan
from .events import (
    Change,
    ConflictDetected,
    DeletionHeld,
    Direction,
    Event,
    EventSink,
    ItemSynced,
    ProblemReported,
    RoundFinished,
    ScanProgress,
    TransferProgress,
    VaultMoved,
    discard,
)
from .executor import ExecutionReport, Executor, Outgoing
from .lifecycle.move import Follower, follow
from .small_files import SmallFileSealers, pool_available
from .stores.base import Store
from .transfer.packer import Digester
from .transfer.pipeline import Downloader, StoreBridge, Uploader
from .vault.journal import Journal, PullResult, StoreMoved
from .vault.membership_log import MembershipLog
from .vault.state import LocalState, Problem, SyncedStat

log = logging.getLogger(__name__)
MAX_ROUNDS = 12
PROGRESS_EVERY_S = 0.1
DEFAULT_LIMITS = PlanLimits()


@dataclass
class RoundReport:
    pulled_versions: int = 0
    published_versions: int = 0
    actions: int = 0
    uploaded_files: int = 0
    sealed_in_workers: int = 0  # of the uploaded files, those read and sealed on other cores
    downloaded_files: int = 0
    quarantined: int = 0
    bytes_uploaded: int = 0
    bytes_downloaded: int = 0
    conflicts: tuple[Conflict, ...] = ()
    held: tuple[Action, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    settled: bool = False
    read_only: tuple[str, ...] = ()  # a reader's local changes, kept here and not published

    def count(
        self,
        tree: MergedTree,
        the_plan: Plan,
        executed: ExecutionReport,
        problems: list[Problem],
        *,
        settled: bool,
    ) -> None:
        """Fill in what a round that planned did."""
        self.conflicts = tree.conflicts
        self.held, self.skipped = the_plan.held, the_plan.skipped
        self.actions = executed.done
        self.uploaded_files = executed.uploaded_files
        self.sealed_in_workers = executed.sealed_in_workers
        self.downloaded_files = executed.downloaded_files
        self.quarantined = executed.quarantined
        self.problems = problems
        self.settled = settled

    def absorb(self, other: RoundReport) -> None:
        """Fold a later round into this summary of a whole sync."""
        for name in (
            "pulled_versions",
            "published_versions",
            "actions",
            "uploaded_files",
            "sealed_in_workers",
            "downloaded_files",
            "quarantined",
            "bytes_uploaded",
            "bytes_downloaded",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.conflicts += tuple(c for c in other.conflicts if c not in self.conflicts)
        self.held, self.skipped = other.held, other.skipped
        self.read_only = other.read_only
        self.problems = round_outcome.carried_problems(self.problems, other.problems)
        self.settled = other.settled


# How many times one round renames NFD names and rescans (each pass reaches one more level
# of decomposed folder names; what is left goes to the next round).
NFC_RENAME_PASSES = 4


VAULT_LANGUAGE_META = "vault_language"


class Engine:
    def __init__(
        self,
        *,
        store: Store,
        key: VaultKey | KeyRing,
        fs: LocalFs,
        state: LocalState,
        device_id: str,
        device_name: str,
        quarantine_dir: Path,
        limits: PlanLimits = DEFAULT_LIMITS,
        clock_ns: Callable[[], int] = time.time_ns,
        events: EventSink = discard,
        folder_id: str = "",
        follower: Follower | None = None,
        language: str = "en",
        signer: DeviceKeys | None = None,
        membership: MembershipLog | None = None,
    ) -> None:
        """`key`: a v1 vault's VaultKey, or a KeyRing; a ring of format 2 makes a v2
        engine, which needs this device's keys (`signer`) and the vault's `membership` log."""
        self.store = store
        self.key = key  # as given: a v1 caller's VaultKey stays one (gc, repair, check)
        ring = KeyRing.of(key)
        self.fs = fs
        self.state = state
        self.device_id = device_id
        self.limits = limits
        self.clock_ns = clock_ns
        self.quarantine_dir = quarantine_dir
        self.journal = Journal(
            store, ring, state, device_id, device_name, signer=signer, membership=membership
        )
        self._digester = Digester(ring)
        self._started = False
        self._previous: dict[str, LocalEntry] = {}
        self.events = events  # what front-ends see of each round (events.py)
        self.folder_id = folder_id  # the `folder` of every event
        self.follower = follower  # None: a moved vault stops the round with StoreMoved
        # The organisation's ignore patterns (policy ignore_patterns), on top of .coffreignore.
        self.enforced_ignore: tuple[str, ...] = ()
        # The vault's language (its header's `language`): it names conflict copies, so
        # it is kept with the state for the views that list them (VAULT_LANGUAGE_META).
        self.language = language
        if state.get_meta(VAULT_LANGUAGE_META) != language:
            state.set_meta(VAULT_LANGUAGE_META, language)
        # A format-2 vault: opens the keys of an epoch started since (app/session.py).
        self.epochs_follower: Callable[[KeyRing], Awaitable[KeyRing | None]] | None = None
        # Rounds and GC/purge/settings changes (gc.py) publish on this device's journal:
        # one at a time, whoever asks (the live loop, a GUI job).
        self.exclusive = asyncio.Lock()

    @property
    def ring(self) -> KeyRing:
        """The journal's ring: it follows the epochs the membership log starts."""
        return self.journal.ring

    @ring.setter
    def ring(self, ring: KeyRing) -> None:
        self.journal.ring = ring

    def use_ring(self, ring: KeyRing) -> None:
        """Seal under `ring`'s current epoch from now on (a newer epoch this device opened,
        such as the one its owner's removal of a member started). Same vault, same format."""
        if (ring.vault_id, ring.format) != (self.ring.vault_id, self.ring.format):
            raise ValueError("the ring is another vault's, or another format's")
        self.key = self.ring = ring  # `ring` sets the journal's ring
        self._digester = Digester(ring)

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
        async with self.exclusive:
            with _full_collections_paused():
                return await self._round(allow_mass_delete=allow_mass_delete)

    async def _round(self, *, allow_mass_delete: bool) -> RoundReport:
        """The phases of a round, in order; every verdict is the pure core's."""
        report = RoundReport()
        self._prepare()
        pulled = await self._pull_following_moves()
        await self._follow_epochs()
        report.pulled_versions = len(pulled.new_versions)
        # From here on only whether versions arrived matters: a first download must not
        # hold a second copy of every version (all_versions has them) while it plans and runs.
        pulled = replace(pulled, new_versions=pulled.new_versions[:1])
        stats = self.state.synced_stats()
        ignore, scanned = await self._scan_folder(stats)
        problems = _problems_before_planning(pulled, scanned)
        if self._may_skip_planning(scanned, stats):
            await self._finish_unchanged(report, problems)
            return report
        problems += await self._current_role()
        self.journal.require_current_epoch()  # nothing sealed under an epoch the log retired
        versions = self.state.all_versions()
        tree, the_plan = self._plan(versions, pulled, scanned, allow_mass_delete)
        the_plan, report.read_only = self._withhold(the_plan, tree, scanned)
        problems += _plan_problems(problems, the_plan, report.read_only)
        self._announce_held(the_plan.held)
        progress = self._start_progress(the_plan.actions)
        executed = await self._execute(the_plan.actions, ignore, report, progress)
        problems += executed.problems
        await self._publish_outgoing(executed, versions, report)
        outcome = round_outcome.verdict(_round_facts(pulled, scanned, tree, the_plan, executed))
        report.count(tree, the_plan, executed, problems, settled=outcome.settled)
        self._end_progress(progress)
        self._emit_items(the_plan.actions, executed, tree)
        self._record_outcome(problems, pin=outcome.pin)
        if self.journal.snapshot_due():
            await self.snapshot()
        self._emit_finished(report)
        return report

    # --- the phases of a round -----------------------------------------------------------------

    def _prepare(self) -> None:
        """The folder must be there (rule 4); quarantined files past their time go."""
        self.fs.check_root()
        purge_quarantine(self.state, self.quarantine_dir, self.clock_ns())

    async def _follow_epochs(self) -> None:
        """Take the keys of an epoch started since this device opened the vault (a member or
        device removed, the passphrase changed) before sealing anything more: the front-end's
        `epochs_follower` opens them (its own envelope), or None while nothing changed."""
        if self.epochs_follower is None:
            return
        ring = await self.epochs_follower(self.ring)
        if ring is not None and ring.current > self.ring.current:
            self.use_ring(ring)
            log.info("this device now seals under key epoch %d", ring.current)

    async def _pull_following_moves(self) -> PullResult:
        """Pull; a vault that moved to another store is followed there, then pulled."""
        try:
            return await self.pull()
        except StoreMoved as moved:
            await self._follow(moved)
            return await self.pull()

    async def _scan_folder(self, stats: dict[str, SyncedStat]) -> tuple[IgnoreRules, ScanResult]:
        """The Local tree; a crash's temporary files go before anything is written (rule 2)."""
        ignore = await asyncio.to_thread(IgnoreRules.load, self.fs, self.enforced_ignore)
        scanned = await asyncio.to_thread(self._scan, stats, ignore)
        self._previous = scanned.local
        self._emit(ScanProgress(self.folder_id, len(scanned.local)))
        if not self._started:
            await asyncio.to_thread(self.fs.cleanup_temp_files, scanned.temp_files)
            self._started = True
        return ignore, scanned

    def _may_skip_planning(self, scanned: ScanResult, stats: dict[str, SyncedStat]) -> bool:
        """Whether the trees are those of the last settled round (round_outcome's fast path)."""
        as_synced = round_outcome.disk_as_synced(
            len(scanned.local),
            len(stats),
            scanned.as_synced,
            changing=bool(scanned.changing),
            unreadable=bool(scanned.unreadable),
            hashed=bool(scanned.hashed_files),
        )
        return round_outcome.may_skip_planning(
            self.state.get_meta("settled_at_versions"), self.state.version_count(), as_synced
        )

    async def _finish_unchanged(self, report: RoundReport, problems: list[Problem]) -> None:
        """A round on the fast path: settled, with the scan's problems, nothing planned."""
        report.settled = True
        report.problems = problems
        await self._ack_marks()
        self._emit_problems(problems)
        with self.state.transaction():
            self.state.replace_problems(problems)
        self._emit_finished(report)

    def _plan(
        self,
        versions: list[Version],
        pulled: PullResult,
        scanned: ScanResult,
        allow_mass_delete: bool,
    ) -> tuple[MergedTree, Plan]:
        """Merge every known version into the Remote tree, and plan against Local and Synced."""
        tree = merge(versions, pulled.device_names, self.language)
        synced = self.state.synced()
        limits = PlanLimits(
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
        return tree, the_plan

    async def _current_role(self) -> list[Problem]:
        """A round that plans may publish: it reads the membership log first (one LIST of
        `members/`) unless its pull just did, so it plans with the role the log gives now,
        not the one of the last head change (a demoted editor's changes would be refused).
        The log's refused entries, if any, are the round's problems."""
        if self.journal.membership is None or self.journal.log_fresh:
            return []
        read = PullResult()
        await self.journal.read_membership(read)
        return round_outcome.round_problems(
            pulled_errors=read.errors, scan_skipped=(), scan_unreadable=(), scan_changing=()
        )

    def _withhold(
        self, the_plan: Plan, tree: MergedTree, scanned: ScanResult
    ) -> tuple[Plan, tuple[str, ...]]:
        """A v2 round: what this device's role may not publish stays local
        (core/read_only.py; an owner's or an editor's plan is unchanged). A reader's
        content that another device changed too is set aside as a local conflict copy,
        named as the merge names this device's copies."""
        if self.journal.may_write_changes:  # a v1 vault's device, an owner's, an editor's
            return the_plan, ()
        naming = read_only.CopyNaming(
            self.journal.device_name, self.language, tree.entries.keys() | scanned.local.keys()
        )
        return read_only.withhold(the_plan, self.journal.role, naming)

    def _announce_held(self, held: tuple[Action, ...]) -> None:
        if held:
            paths = tuple(action_path(a) for a in held)
            self._emit(DeletionHeld(self.folder_id, len(paths), paths[:20]))

    def _start_progress(self, actions: tuple[Action, ...]) -> _Progress:
        """Tell the front-ends what the plan will transfer; count it as it goes."""
        transfers = _transfer_totals(actions)
        self._emit_transfers(transfers, done=False, elapsed_s=0.0)
        return _Progress(transfers, time.monotonic(), asyncio.get_running_loop())

    def _end_progress(self, progress: _Progress) -> None:
        elapsed_s = time.monotonic() - progress.started
        self._emit_transfers(progress.totals, done=True, elapsed_s=elapsed_s)

    async def _publish_outgoing(
        self, executed: ExecutionReport, known: list[Version], report: RoundReport
    ) -> None:
        """Publish the round's versions; a round with none still acknowledges GC marks."""
        published = await self._publish(executed.outgoing, known)
        if not published:
            await self._ack_marks()
        report.published_versions = len(published)

    def _record_outcome(self, problems: list[Problem], *, pin: bool) -> None:
        """Report the new problems, keep the list, and pin (or unpin) the settled verdict.

        The version count pins what "settled" was computed from: versions read or
        written since (even by a round that failed half-way) mean planning again.
        """
        self._emit_problems(problems)
        with self.state.transaction():
            self.state.replace_problems(problems)
            self.state.set_meta("settled_at_versions", self.state.version_count() if pin else None)

    async def _follow(self, moved: StoreMoved) -> None:
        """Switch to the store the vault moved to, after checking it and catching it up."""
        if self.follower is None:
            raise moved
        old = self.store
        new = await self.follower.open(moved.forward.target)
        try:
            await follow(old, new, self.ring.stable, moved.forward)
        except BaseException:
            await new.close()
            raise
        self.store = new
        self.journal.store = new
        await self.follower.switched(new)
        log.info("the vault moved; this folder now syncs with %s", new.url)
        self._emit(VaultMoved(self.folder_id, old.url, new.url))

    # --- events ------------------------------------------------------------------------------

    def _emit(self, event: Event) -> None:
        try:
            self.events(event)
        except Exception:  # a front-end's bug must not break a round
            log.exception("event sink failed")

    def _emit_problems(self, problems: list[Problem]) -> None:
        """Report the problems that are new since the last round (the list is in the state)."""
        if not problems:
            return
        known = set(self.state.problems())
        for problem in problems:
            if problem not in known:
                self._emit(ProblemReported(self.folder_id, *problem_fields(problem)))

    def _action_done(self, progress: _Progress, action: Action) -> None:
        """Called on the executor's thread: count the action; tell the loop now and then.

        At most one progress event per `PROGRESS_EVERY_S` per direction (and one
        for the last file), so 100,000 small files do not flood the front-ends.
        """
        match action:
            case Upload(path=path, local=local) if local.kind is Kind.FILE:
                direction, size = Direction.UPLOAD, local.size
            case Download(path=path, version=v) if v.kind is Kind.FILE:
                direction, size = Direction.DOWNLOAD, v.size
            case _:
                return
        counts = progress.done.setdefault(direction, [0, 0])
        counts[0] += 1
        counts[1] += size
        files, total = progress.totals.get(direction, (counts[0], counts[1]))
        now = time.monotonic()
        last = progress.last_event.get(direction, 0.0)
        if counts[0] < files and now - last < PROGRESS_EVERY_S:
            return
        progress.last_event[direction] = now
        elapsed = now - progress.started
        rate = counts[1] / elapsed if elapsed > 0 else 0.0
        event = TransferProgress(
            self.folder_id, direction, path, counts[0], files, counts[1], total, rate
        )
        progress.loop.call_soon_threadsafe(self._emit, event)

    def _emit_finished(self, report: RoundReport) -> None:
        self._emit(
            RoundFinished(
                self.folder_id,
                report.settled,
                report.uploaded_files,
                report.downloaded_files,
                self.clock_ns(),
                problems=len(report.problems),
                read_only=report.read_only,
            )
        )

    def _emit_transfers(
        self, totals: dict[Direction, tuple[int, int]], *, done: bool, elapsed_s: float
    ) -> None:
        for direction, (files, size) in totals.items():
            rate = size / elapsed_s if done and elapsed_s > 0 else 0.0
            self._emit(
                TransferProgress(
                    self.folder_id,
                    direction,
                    "",
                    files if done else 0,
                    files,
                    size if done else 0,
                    size,
                    rate,
                )
            )

    def _emit_items(
        self, actions: tuple[Action, ...], executed: ExecutionReport, tree: MergedTree
    ) -> None:
        failed = {p.path for p in executed.problems}
        names = self.journal.device_names()
        now = self.clock_ns()
        for action in actions:
            if action_path(action) in failed:
                continue
            for event in item_events(action, self.folder_id, self.device_id, names, tree, now):
                self._emit(event)

    def _scan(self, stats: dict[str, SyncedStat], ignore: IgnoreRules) -> ScanResult:
        """Scan the folder. Decomposed (NFD) names that the scan found renamable get their
        NFC spelling on disk, then the folder is scanned again so they sync this round (a
        renamed folder may hold more such names: a few passes, bounded)."""
        # A first sync (no version known at all) asks nothing per file.
        first = self.state.version_count() == 0 and not self.fs.traits.case_insensitive
        scanned = scan(
            self.fs,
            stats,
            self._digester,
            ignore,
            self.fs.traits,
            previous=self._previous,
            defer_hash=(lambda _path: True) if first else self._can_defer_hash,
        )
        failed: list[tuple[str, Reason]] = []
        for _ in range(NFC_RENAME_PASSES):
            if not scanned.to_normalise:
                break
            for path, nfc_path, expect in scanned.to_normalise:
                try:
                    self.fs.rename(path, nfc_path, expect_src=expect)
                    log.info("renamed a decomposed (NFD) name to its NFC spelling")
                except FsError as exc:  # changed meanwhile, or the NFC name appeared
                    failed.append((path, exc.reason))
            scanned = scan(
                self.fs,
                stats,
                self._digester,
                ignore,
                self.fs.traits,
                previous=scanned.local,
                defer_hash=self._can_defer_hash,
            )
        scanned.skipped.extend(failed)
        scanned.changing.extend(path for path, _, _ in scanned.to_normalise)  # next round
        return scanned

    def _can_defer_hash(self, path: str) -> bool:
        """A new file needs no hash before its upload if no version was ever at its path.

        (Only to tell equal content from a conflict; renames are the scanner's
        concern.) Not on case-insensitive disks, where another spelling of the
        name may be the same file.
        """
        return not self.fs.traits.case_insensitive and not self.state.has_versions(path)

    async def _execute(
        self,
        actions: tuple[Action, ...],
        ignore: IgnoreRules,
        report: RoundReport,
        progress: _Progress,
    ) -> ExecutionReport:
        """Carry the plan out on a worker thread (disk work, packing, downloads)."""
        bridge = StoreBridge(self.store, asyncio.get_running_loop())
        uploader = Uploader(
            self.ring, bridge, self.state.chunk_location, known_among=self.state.known_chunks
        )
        downloader = Downloader(self.ring, bridge, moved=self.state.relocations())
        sealers = (
            functools.partial(SmallFileSealers, self.fs.root, self.ring)
            if isinstance(self.fs, DiskFs) and pool_available()
            else None
        )
        executor = Executor(
            self.fs,
            self.state,
            uploader,
            downloader,
            self.quarantine_dir,
            self.clock_ns,
            ignore,
            on_done=functools.partial(self._action_done, progress),
            sealers=sealers,
        )
        try:
            result = await asyncio.to_thread(executor.run, actions)
        finally:
            downloader.close()
            await asyncio.to_thread(uploader.wait)  # packs still being written
            executor.record_stored_chunks()
        report.bytes_uploaded = uploader.bytes_written
        report.bytes_downloaded = downloader.bytes_read
        return result

    async def publish(self, outgoing: list[Outgoing]) -> list[Version]:
        """Publish versions prepared outside a round (`coffre repair`), as a round would."""
        return await self._publish(outgoing, self.state.all_versions())

    async def pull(self) -> PullResult:
        """Finish an interrupted publication, then read what other devices wrote.

        A device silent longer than the vault allows reads the vault again
        first (gc_rules.must_rejoin); a new or rejoined device then announces
        itself before it writes anything (Journal.hello).
        """
        await self.journal.recover()
        now = self.clock_ns() // 1_000_000
        last = self.state.get_meta("last_publish_ms")
        if self.journal.own_seq and gc_rules.must_rejoin(last, now, self.settings().silent_ms):
            log.info("silent longer than the vault allows: reading the vault again")
            pulled = await self.journal.rejoin()
            fresh = True
        else:
            pulled = await self.journal.pull()
            fresh = self.journal.own_seq == 0
            if pulled.missing:
                # Segments this device still needed were folded: the vault's GC did not
                # know it (never announced, or silent). Read the vault again.
                log.info("journal segments folded before this device read them: rejoining")
                pulled = await self.journal.rejoin()
                fresh = True
        if fresh:
            again = await self.journal.hello(now)
            pulled.new_versions += again.new_versions
            pulled.errors += again.errors
            pulled.refused = list(dict.fromkeys(pulled.refused + again.refused))
            pulled.device_names = again.device_names
            # A new or rejoined device knows no mark swept before it arrived: it learns
            # chunk locations only from the current tree, whose packs no sweep removed
            # (gc_rules.py), never from older versions it read on the way.
            versions = self.state.all_versions()
            heads = retention.current_heads(merge(versions, pulled.device_names, self.language))
            self.state.add_chunks(
                (ref for v in versions if v.vid in heads for ref in v.chunks), newest=True
            )
        else:
            self.state.add_chunks(
                (ref for v in pulled.new_versions for ref in v.chunks), newest=True
            )
        return pulled

    async def _ack_marks(self) -> None:
        """An idle device still acknowledges GC marks, or it would block every sweep."""
        if self.journal.owes_ack():
            await self.journal.push([], now_ms=self.clock_ns() // 1_000_000)

    def settings(self) -> VaultSettings:
        return effective(self.state.settings_updates())

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
            stamped(o.version, VersionId(self.device_id, counter + i), hlc)
            for i, o in enumerate(outgoing)
        ]
        await self.journal.push(versions, now_ms=self.clock_ns() // 1_000_000)
        with self.state.transaction():
            synced: list[tuple[str, SyncedEntry, int]] = []  # written in one statement
            for o, v in zip(outgoing, versions, strict=True):
                if o.dismiss or o.forget:
                    self.state.put_synced_many(synced)  # in order: a later delete wins
                    synced = []
                for dismissed in o.dismiss:
                    self.state.delete_synced(dismissed)
                if o.forget:
                    self.state.delete_synced(o.path)
                elif o.stat is not None:
                    synced.append((o.path, SyncedEntry(v, frozenset({v.vid}), *o.stat), o.ctime_ns))
            self.state.put_synced_many(synced)
        return versions

    async def snapshot(self) -> dict[str, int]:
        """Checkpoint every head and conflict loser: all a new device needs to merge.

        Deleted paths past the retention window are left out (retention.py).
        Returns what the snapshot covers.
        """
        versions = self.state.all_versions()
        tree = merge(versions, self.journal.device_names(), self.language)
        known = self.state.known_versions()
        policy, now = self.settings().retention, self.clock_ns() // 1_000_000
        expired = retention.expired_paths(versions, tree, policy, now)
        heads = retention.current_heads(tree)
        kept = retention.kept(known, tree, policy, now)
        return await self.journal.write_snapshot(
            (v for v in versions if v.vid in heads and v.path not in expired),
            (v for v in known if v.vid in kept and v.vid not in heads),
        )


# --- what a round tells its front-ends ---------------------------------------------------------


@dataclass
class _Progress:
    """Transfer counts of the plan being carried out."""

    totals: dict[Direction, tuple[int, int]]  # files, bytes
    started: float
    loop: asyncio.AbstractEventLoop
    done: dict[Direction, list[int]] = field(default_factory=dict)
    last_event: dict[Direction, float] = field(default_factory=dict)  # monotonic seconds


def _problems_before_planning(pulled: PullResult, scanned: ScanResult) -> list[Problem]:
    return round_outcome.round_problems(
        pulled_errors=pulled.errors,
        pulled_refused=pulled.refused,
        scan_skipped=scanned.skipped,
        scan_unreadable=scanned.unreadable,
        scan_changing=scanned.changing,
    )


def _plan_problems(
    earlier: list[Problem], the_plan: Plan, withheld: tuple[str, ...] = ()
) -> list[Problem]:
    return round_outcome.plan_problems(
        earlier,
        ((s.path, s.reason) for s in the_plan.skipped),
        (action_path(a) for a in the_plan.held),
        withheld,
    )


class _FullCollections:
    """Rounds running now (several folders' may overlap): the first pauses, the last restores."""

    lock = threading.Lock()
    rounds = 0
    saved = 0


@contextmanager
def _full_collections_paused() -> Iterator[None]:
    """No full (oldest-generation) pass of the cyclic garbage collector during a round.

    A round over 100,000 files holds millions of long-lived objects (the trees,
    the plan, the versions it publishes); each full pass walks all of them, and
    they come every time the heap grows by a quarter: about 30 % of a first
    sync's CPU. Young generations are still collected, so short-lived cycles
    (asyncio's, exceptions') go as usual; what survives into the oldest
    generation waits for the end of the round.
    """
    with _FullCollections.lock:
        young, middle, old = gc.get_threshold()
        if _FullCollections.rounds == 0:
            _FullCollections.saved = old
            gc.set_threshold(young, middle, 1 << 30)
        _FullCollections.rounds += 1
    try:
        yield
    finally:
        with _FullCollections.lock:
            _FullCollections.rounds -= 1
            if _FullCollections.rounds == 0:
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, _FullCollections.saved)


def _round_facts(
    pulled: PullResult,
    scanned: ScanResult,
    tree: MergedTree,
    the_plan: Plan,
    executed: ExecutionReport,
) -> round_outcome.RoundFacts:
    """What round_outcome.verdict needs to know of a round that planned."""
    return round_outcome.RoundFacts(
        plan_empty=the_plan.empty,
        published=bool(executed.outgoing),
        settles_when_done=the_plan.settles_when_done,
        fills_from_remote=the_plan.fills_from_remote,
        all_done=executed.done == len(the_plan.actions),
        action_problems=bool(executed.problems),
        pulled=bool(pulled.new_versions),
        conflicts=bool(tree.conflicts),
        changing=bool(scanned.changing),
        unreadable=bool(scanned.unreadable),
        held=bool(the_plan.held),
    )


def problem_fields(problem: Problem) -> tuple[str, str, Reason]:
    return (problem.path, problem.kind, problem.reason)


def _transfer_totals(actions: tuple[Action, ...]) -> dict[Direction, tuple[int, int]]:
    """Files and bytes the plan moves, per direction (only directions with work)."""
    up = [a.local.size for a in actions if isinstance(a, Upload) and a.local.kind is Kind.FILE]
    down = [
        a.version.size for a in actions if isinstance(a, Download) and a.version.kind is Kind.FILE
    ]
    totals: dict[Direction, tuple[int, int]] = {}
    if up:
        totals[Direction.UPLOAD] = (len(up), sum(up))
    if down:
        totals[Direction.DOWNLOAD] = (len(down), sum(down))
    return totals


def item_events(
    action: Action,
    folder: str,
    own_device: str,
    names: dict[str, str],
    tree: MergedTree,
    now_ns: int,
) -> list[Event]:
    """The activity-list lines of one action that was carried out."""
    own = names.get(own_device, own_device[:8])

    def name_of(device: str) -> str:
        return names.get(device, device[:8])

    match action:
        case Upload(path=path, supersedes=sup):
            change = Change.MODIFIED if sup else Change.ADDED
            return [ItemSynced(folder, path, change, Direction.UPLOAD, own, now_ns)]
        case UploadTombstone(path=path):
            return [ItemSynced(folder, path, Change.DELETED, Direction.UPLOAD, own, now_ns)]
        case UploadMove(src=src, dst=dst):
            return [ItemSynced(folder, dst, Change.RENAMED, Direction.UPLOAD, own, now_ns, src)]
        case Download(path=path, version=v, expect_local=expect):
            change = Change.ADDED if expect is None else Change.MODIFIED
            by = name_of(v.vid.device)
            return [ItemSynced(folder, path, change, Direction.DOWNLOAD, by, now_ns)]
        case MakeDir(path=path, version=v) if v is not None:
            by = name_of(v.vid.device)
            return [ItemSynced(folder, path, Change.ADDED, Direction.DOWNLOAD, by, now_ns)]
        case Quarantine(path=path):
            heads = tree.deleted.get(path, frozenset())
            by = name_of(min(h.device for h in heads)) if heads else ""
            return [ItemSynced(folder, path, Change.DELETED, Direction.DOWNLOAD, by, now_ns)]
        case RenameLocal(src=src, dst=dst, version=v):
            by = name_of(v.vid.device)
            return [ItemSynced(folder, dst, Change.RENAMED, Direction.DOWNLOAD, by, now_ns, src)]
        case ResolveConflict(path=path, copies=copies):
            return [
                ConflictDetected(folder, path, c.path, name_of(c.version.vid.device))
                for c in copies
            ]
    return []
