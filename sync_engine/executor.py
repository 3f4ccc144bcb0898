"""Carrying out a plan on the disk, and preparing the versions it publishes.

The planner decided; the executor acts, one action at a time, and owns the
checks made right before acting (data-protection rule 1): every write,
rename or quarantine goes through `LocalFs`, which compares the path's stat
with what the plan expected and raises `ChangedOnDisk` if it moved. Such a
path is left alone and reported; the next round plans it again.

Local actions commit their Synced update at once, one transaction each.
Actions that write to the journal (uploads, tombstones, moves, conflict
resolutions) become `Outgoing`s, each holding an unstamped version
(model.unstamped), in plan order; a file's is made once its packs are stored
and its chunks located. The engine stamps and publishes them all in one
segment, and only then records them as synced.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from crypto.errors import CoffreCryptoError
from crypto.reason import reason_of

from .core import actions as p
from .core.actions import action_path
from .core.model import (
    UNHASHED,
    Kind,
    LocalEntry,
    SyncedEntry,
    Version,
    VersionId,
    unstamped,
    with_chunks,
)
from .disk.ignore import IgnoreRules
from .disk.localfs import PARTIAL_PREFIX, ChangedOnDisk, FsEntry, FsError, LocalFs, TempFile
from .small_files import BATCH_BYTES as SEAL_BATCH_BYTES
from .small_files import BATCH_FILES as SEAL_BATCH_FILES
from .small_files import POOL_MIN_FILES, SMALL_FILE_MAX, Batch, SmallFileSealers
from .transfer.packer import FileDigest
from .transfer.pipeline import STORE_CALL_TIMEOUT, ChunksMissing, Downloader, Uploader
from .vault.state import LocalState, Problem

log = logging.getLogger(__name__)
PARALLEL_WRITE_MAX_BYTES = 4 * 1024 * 1024  # larger files are written in turn, streaming
PARALLEL_WRITERS = 4
PARALLEL_WRITES_PENDING = 16  # bounds the memory of fetched, not yet written content
BATCH_FILES = 1000  # files and folders made durable and recorded together (_commit_batch)
BATCH_BYTES = 64 * 1024 * 1024  # ...or this much written content, whichever comes first
BATCH_FOLDERS = 64  # ...or files in this many folders (each kept open until published)
WRITE_TIMEOUT = 600.0  # a disk that takes longer is reported as failing, not waited on forever
SEALED_BATCHES_PENDING = 4  # per worker: bounds the memory of sealed, not yet packed files


@dataclass(frozen=True)
class Outgoing:
    """A version to publish: `version` is unstamped (model.unstamped) until published.

    Once published: `stat` given -> Synced[path] = (the version, its id, stat);
    `forget` -> Synced[path] is deleted; neither -> Synced is left as it is.
    """

    version: Version
    stat: tuple[int, int, int] | None = None
    forget: bool = False
    ctime_ns: int = 0  # recorded with `stat`, for the scanner's unchanged test
    dismiss: tuple[str, ...] = ()  # conflict copies whose Synced goes once this is published

    @property
    def path(self) -> str:
        return self.version.path

    @classmethod
    def like(
        cls,
        path: str,
        source: Version,
        supersedes: frozenset[VersionId],
        stat: tuple[int, int, int] | None,
        *,
        mtime_ns: int | None = None,
        copy_of: str | None = None,
        ctime_ns: int = 0,
    ) -> Outgoing:
        """A version of `path` with `source`'s content (a move or a conflict copy)."""
        version = unstamped(
            path,
            supersedes,
            source.kind,
            size=source.size,
            mtime_ns=source.mtime_ns if mtime_ns is None else mtime_ns,
            executable=source.executable,
            content_hash=source.content_hash,
            chunks=source.chunks,
            symlink_target=source.symlink_target,
            copy_of=copy_of,
        )
        return cls(version, stat, ctime_ns=ctime_ns)


@dataclass(frozen=True)
class _Packing:
    """A file upload whose chunks are being packed: its Outgoing once every pack is stored."""

    version: Version  # unstamped, without chunks
    digest: FileDigest
    stat: tuple[int, int, int]
    ctime_ns: int


@dataclass
class ExecutionReport:
    outgoing: list[Outgoing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    done: int = 0
    downloaded_files: int = 0
    uploaded_files: int = 0
    sealed_in_workers: int = 0  # of the uploaded files, those sealed in worker processes
    quarantined: int = 0
    changed_during_sync: list[str] = field(default_factory=list)


def _check_same(path: str, entry: FsEntry, local: LocalEntry) -> None:
    if entry.stat_key != local.stat_key:
        raise ChangedOnDisk(f"{path} changed on disk since it was scanned")


def _report_failure(action: p.Action, exc: Exception, report: ExecutionReport) -> None:
    """An action that could not be done is reported and left for the next round."""
    path = action_path(action)
    if isinstance(exc, ChangedOnDisk):
        report.changed_during_sync.append(path)
        report.problems.append(Problem(path, "changed", exc.reason))
    elif isinstance(exc, FsError):
        report.problems.append(Problem(path, "error", exc.reason))
    elif isinstance(exc, ChunksMissing):
        report.problems.append(Problem(path, "missing", exc.reason))
    else:
        report.problems.append(Problem(path, "tampered", reason_of(exc)))


def _stat(e: LocalEntry | FsEntry) -> tuple[int, int, int]:
    return (e.size, e.mtime_ns, e.inode)


class Executor:
    def __init__(
        self,
        fs: LocalFs,
        state: LocalState,
        uploader: Uploader,
        downloader: Downloader,
        quarantine_dir: Path,
        clock_ns: Callable[[], int],
        ignore: IgnoreRules,
        *,
        on_done: Callable[[p.Action], None] = lambda action: None,
        sealers: Callable[[], SmallFileSealers] | None = None,
    ) -> None:
        """`on_done(action)` is told of each action carried out, on this executor's thread
        (for progress events: it hands over to the event loop itself). `sealers` starts
        the worker processes that read and seal small files (small_files.py),
        used when a plan uploads many; without it every file is packed on this thread."""
        self.fs = fs
        self.state = state
        self.uploader = uploader
        self.downloader = downloader
        self.quarantine_dir = quarantine_dir
        self.clock_ns = clock_ns
        self.ignore = ignore
        self.on_done = on_done
        # What the plan publishes, in plan order; packed files become Outgoing at the end.
        self._outgoing: list[Outgoing | _Packing] = []
        self._writers: concurrent.futures.ThreadPoolExecutor | None = None
        # The batch (see _commit_batch): temp writes running, written, and folders made.
        self._writing: deque[tuple[p.Download, concurrent.futures.Future[TempFile]]] = deque()
        self._written: list[tuple[p.Download, TempFile]] = []
        self._made_dirs: list[tuple[p.MakeDir, FsEntry]] = []
        self._batch_bytes = 0
        self._batch_folders: set[str] = set()  # each held open until published (localfs)
        # Small uploads sealed by worker processes (see _collect_sealed).
        self._start_sealers = sealers
        self._sealers: SmallFileSealers | None = None
        self._seal_batch: list[p.Upload] = []  # small uploads not yet handed to a worker
        self._seal_batch_bytes = 0
        self._sealing: deque[tuple[list[p.Upload], Batch]] = deque()

    def run(self, actions: tuple[p.Action, ...]) -> ExecutionReport:
        report = ExecutionReport()
        self._outgoing = []
        self.downloader.prefetch(
            [a.version for a in actions if isinstance(a, p.Download) and a.version.chunks]
        )
        try:
            self._maybe_start_sealers(actions)
            for action in actions:
                aside = self._aside(action)
                sealed_aside = self._seals_aside(action)
                if not sealed_aside:
                    self._collect_sealed(report, leave=0)  # in plan order, before this action
                if not aside:
                    self._commit_batch(report)  # this action may depend on the batch
                try:
                    if sealed_aside:
                        assert isinstance(action, p.Upload)
                        self._upload_aside(action, report)
                    elif aside:
                        self._do_aside(action)
                    else:
                        self._apply(action, report)
                        report.done += 1
                        self.on_done(action)
                    self.record_stored_chunks()
                except (ChangedOnDisk, FsError, CoffreCryptoError, ChunksMissing) as exc:
                    _report_failure(action, exc, report)
                self._collect_writes(report, leave=PARALLEL_WRITES_PENDING - 1)
                if self._batch_full():
                    self._commit_batch(report)
            self._collect_sealed(report, leave=0)
            self._commit_batch(report)
        finally:
            self._abandon_sealing()
            self._abandon_writes()
        self.uploader.finish()
        self.record_stored_chunks()
        report.outgoing = [self._complete(o) for o in self._outgoing]
        self._outgoing = []
        return report

    def _complete(self, outgoing: Outgoing | _Packing) -> Outgoing:
        """A packed file's Outgoing, with its chunks' places now that every pack is stored."""
        if isinstance(outgoing, Outgoing):
            return outgoing
        version = with_chunks(outgoing.version, self.uploader.locate(outgoing.digest))
        return Outgoing(version, outgoing.stat, ctime_ns=outgoing.ctime_ns)

    # --- small uploads read and sealed in worker processes -----------------------------------
    #
    # Runs of consecutive small-file uploads go to the workers in batches; their answers
    # are packed here, in plan order, and any other action first waits for every batch
    # before it (as it waits for the writes below). A file a worker could not take as
    # scanned comes back as None and is uploaded here on the ordinary path, which
    # re-checks it and says why it failed, if it does.

    def _maybe_start_sealers(self, actions: tuple[p.Action, ...]) -> None:
        if self._start_sealers is None or self._sealers is not None:
            return
        if sum(1 for a in actions if self._is_small_upload(a)) >= POOL_MIN_FILES:
            try:
                self._sealers = self._start_sealers()
            except OSError as exc:  # no processes to be had: pack on this thread instead
                log.warning("small files are packed on one core: %s", exc)

    @staticmethod
    def _is_small_upload(action: p.Action) -> bool:
        return (
            isinstance(action, p.Upload)
            and action.local.kind is Kind.FILE
            and action.local.size <= SMALL_FILE_MAX
        )

    def _seals_aside(self, action: p.Action) -> bool:
        sealers = self._sealers
        return sealers is not None and sealers.usable and self._is_small_upload(action)

    def _upload_aside(self, action: p.Upload, report: ExecutionReport) -> None:
        self._seal_batch.append(action)
        self._seal_batch_bytes += action.local.size
        if len(self._seal_batch) >= SEAL_BATCH_FILES or self._seal_batch_bytes >= SEAL_BATCH_BYTES:
            self._submit_batch()
            assert self._sealers is not None
            self._collect_sealed(report, leave=SEALED_BATCHES_PENDING * self._sealers.workers)

    def _submit_batch(self) -> None:
        if not self._seal_batch or self._sealers is None:
            return
        files = [(a.path, a.local.stat_key) for a in self._seal_batch]
        self._sealing.append((self._seal_batch, self._sealers.submit(files)))
        self._seal_batch, self._seal_batch_bytes = [], 0

    def _collect_sealed(self, report: ExecutionReport, *, leave: int) -> None:
        """Pack finished batches in plan order, waiting until at most `leave` are pending."""
        if leave == 0:
            self._submit_batch()
        while self._sealing and (len(self._sealing) > leave or self._sealing[0][1].done()):
            batch, future = self._sealing.popleft()
            sealed = SmallFileSealers.results(future, len(batch), STORE_CALL_TIMEOUT)
            self.uploader.add_sealed([f.content for f in sealed if f is not None])
            for action, done in zip(batch, sealed, strict=True):
                try:
                    if done is None:
                        self._upload(action, report)  # the ordinary path says what is wrong
                    else:
                        self._packed(action, done.content.digest, done.after, report)
                        report.sealed_in_workers += 1
                    report.done += 1
                    self.on_done(action)
                except (ChangedOnDisk, FsError, CoffreCryptoError, ChunksMissing) as exc:
                    _report_failure(action, exc, report)
            self.record_stored_chunks()

    def _packed(
        self, action: p.Upload, digest: FileDigest, after: FsEntry, report: ExecutionReport
    ) -> None:
        """A packed file's version, published once its packs are stored."""
        local = action.local
        if local.content_hash != UNHASHED and digest.content_hash != local.content_hash:
            raise ChangedOnDisk(f"{action.path} changed while it was being uploaded")
        report.uploaded_files += 1
        version = unstamped(
            action.path,
            action.supersedes,
            Kind.FILE,
            size=digest.size,
            mtime_ns=local.mtime_ns,
            executable=local.executable,
            content_hash=digest.content_hash,
        )
        self._outgoing.append(_Packing(version, digest, _stat(after), after.ctime_ns))

    def _abandon_sealing(self) -> None:
        """At the end or after an error: stop the workers; unpacked answers are dropped."""
        self._seal_batch, self._seal_batch_bytes = [], 0
        self._sealing.clear()
        if self._sealers is not None:
            self._sealers.close()
            self._sealers = None

    # --- downloads written in batches ------------------------------------------------------
    #
    # Writing a small file costs little but an fsync costs milliseconds, so runs of
    # consecutive small downloads and new folders are done in batches. Content is
    # fetched and authenticated here, in order; a few threads write it to temp files
    # beside their destinations, without fsync. When the batch is full (or any other
    # action comes), it is made safe in this order: one flush of every temp file
    # (localfs.flush_temps: a single syncfs on Linux), then each temp is published
    # under its name after the usual re-check, then the new names and folders are
    # flushed (sync_folders), and only then are all their Synced entries committed in
    # one transaction. A crash at any point leaves either temp files (removed by the
    # next round) or complete files under their names, and Synced never names a file
    # or folder that a power cut could take back.

    def _aside(self, action: p.Action) -> bool:
        if isinstance(action, p.MakeDir):
            return action.expect_local is None or action.expect_local.kind is Kind.DIR
        if not isinstance(action, p.Download):
            return False
        v, expect = action.version, action.expect_local
        return (
            v.kind is Kind.FILE
            and v.size <= PARALLEL_WRITE_MAX_BYTES
            and (expect is None or expect.kind is Kind.FILE)
        )

    def _do_aside(self, action: p.Action) -> None:
        if isinstance(action, p.MakeDir):
            entry = self.fs.make_dir(action.path, sync=False)
            self._made_dirs.append((action, entry))
            return
        assert isinstance(action, p.Download)
        version = action.version
        self.downloader.check_version(version)
        content = list(self.downloader.iter_content(version))
        if self._writers is None:
            self._writers = concurrent.futures.ThreadPoolExecutor(
                PARALLEL_WRITERS, thread_name_prefix="coffre-write"
            )
        expect = action.expect_local
        future = self._writers.submit(
            self.fs.write_temp,
            action.path,
            content,
            mtime_ns=version.mtime_ns,
            executable=version.executable,
            expect=None if expect is None else expect.stat_key,
            size_hint=version.size,
        )
        self._writing.append((action, future))
        self._batch_bytes += version.size
        self._batch_folders.add(action.path.rpartition("/")[0])

    def _batch_full(self) -> bool:
        pending = len(self._written) + len(self._writing) + len(self._made_dirs)
        return (
            pending >= BATCH_FILES
            or self._batch_bytes >= BATCH_BYTES
            or len(self._batch_folders) >= BATCH_FOLDERS
        )

    def _collect_writes(self, report: ExecutionReport, *, leave: int) -> None:
        """Take finished temp writes, in plan order, until at most `leave` are running."""
        while self._writing and (len(self._writing) > leave or self._writing[0][1].done()):
            action, future = self._writing.popleft()
            try:
                self._written.append((action, future.result(timeout=WRITE_TIMEOUT)))
            except concurrent.futures.TimeoutError:
                raise FsError(
                    f"Writing {action.path} took more than {WRITE_TIMEOUT:.0f} s"
                ) from None
            except (ChangedOnDisk, FsError, CoffreCryptoError) as exc:
                _report_failure(action, exc, report)

    def _commit_batch(self, report: ExecutionReport) -> None:
        """Make the batch durable and published, then record it as synced (see above)."""
        self._collect_writes(report, leave=0)
        written, self._written = self._written, []
        dirs, self._made_dirs = self._made_dirs, []
        self._batch_bytes = 0
        self._batch_folders.clear()
        if not written and not dirs:
            return
        temps = [t for _, t in written]
        try:
            self.fs.flush_temps(temps)
        except FsError as exc:
            for action, temp in written:
                self.fs.discard_temp(temp)
                _report_failure(action, exc, report)
            written = []
        published: list[tuple[p.Download, FsEntry]] = []
        for action, temp in written:
            expect = action.expect_local
            try:
                entry = self.fs.publish_temp(
                    temp, expect=None if expect is None else expect.stat_key, sync_folder=False
                )
            except (ChangedOnDisk, FsError) as exc:
                _report_failure(action, exc, report)
                continue
            published.append((action, entry))
        self.fs.sync_folders(
            [a.path.rpartition("/")[0] for a, _ in published]
            + [a.path.rpartition("/")[0] for a, _ in dirs]
        )
        with self.state.transaction():
            for d, entry in dirs:
                self.state.put_synced(
                    d.path, SyncedEntry(d.version, d.heads, 0, entry.mtime_ns, entry.inode)
                )
            for action, entry in published:
                synced = SyncedEntry(action.version, action.heads, *_stat(entry))
                self.state.put_synced(action.path, synced, entry.ctime_ns)
        for d, _ in dirs:
            report.done += 1
            self.on_done(d)
        for action, _ in published:
            report.done += 1
            report.downloaded_files += 1
            self.on_done(action)

    def _abandon_writes(self) -> None:
        """After an error: let running writes end, remove their temps, commit nothing more."""
        if self._writers is not None:
            self._writers.shutdown(wait=True, cancel_futures=True)
            self._writers = None
        for _, future in self._writing:
            if future.done() and not future.cancelled() and future.exception() is None:
                self.fs.discard_temp(future.result())
        for _, temp in self._written:
            self.fs.discard_temp(temp)
        self._writing.clear()
        self._written = []
        self._made_dirs = []  # made on disk, not recorded: the next round's scan finds them
        self._batch_bytes = 0
        self._batch_folders.clear()

    def record_stored_chunks(self) -> None:
        """Remember chunks as soon as their pack is stored: a rerun will not send them again."""
        stored = self.uploader.drain_stored()
        if stored:
            self.state.add_chunks(stored)

    # --- one action ------------------------------------------------------------------------

    def _apply(self, action: p.Action, report: ExecutionReport) -> None:
        match action:
            case p.Upload():
                self._upload(action, report)
            case p.UploadTombstone(path=path, supersedes=supersedes):
                if self.fs.stat(path) is not None:
                    raise ChangedOnDisk(f"{path} reappeared on disk; it will be synced next round")
                self._outgoing.append(_tombstone(path, supersedes))
            case p.UploadMove(src=src, dst=dst, supersedes=sup, source=source, local=local):
                if self.fs.stat(src) is not None:
                    raise ChangedOnDisk(f"{src} reappeared on disk; it will be synced next round")
                self._expect(dst, local)
                self._outgoing.append(_tombstone(src, sup))
                if any(c.pack_id in self.state.forbidden_packs() for c in source.chunks):
                    # Its content sits in a pack a GC mark names: a version copying those
                    # references could be stranded by the sweep (core/gc_rules.py). Send
                    # the file again instead, into packs no mark names.
                    self._upload(p.Upload(dst, frozenset(), local), report)
                else:
                    here = _stat(local)
                    arrived = Outgoing.like(
                        dst,
                        source,
                        frozenset(),
                        here,
                        mtime_ns=local.mtime_ns,
                        ctime_ns=local.ctime_ns,
                    )
                    self._outgoing.append(arrived)
            case p.Download():
                self._download(action)
                report.downloaded_files += 1
            case p.MakeDir(path=path, version=version, heads=heads, expect_local=expect):
                if expect is not None and expect.kind is not Kind.DIR:
                    self._quarantine(path, expect)
                    report.quarantined += 1
                entry = self.fs.make_dir(path)
                self._synced(path, SyncedEntry(version, heads, 0, entry.mtime_ns, entry.inode))
            case p.Quarantine(path=path, expect_local=expect):
                self._quarantine(path, expect)
                report.quarantined += 1
                with self.state.transaction():
                    self.state.delete_synced(path)
            case p.RenameLocal(src=src, dst=dst, expect_local=expect, version=v, heads=heads):
                self.fs.rename(src, dst, expect_src=expect.stat_key)
                moved = self.fs.stat(dst)
                if moved is None:
                    raise ChangedOnDisk(f"{dst} vanished right after being renamed")
                with self.state.transaction():
                    self.state.delete_synced(src)
                    self.state.put_synced(dst, SyncedEntry(v, heads, *_stat(moved)), moved.ctime_ns)
            case p.SetAside(src=src, dst=dst, expect_local=expect):
                self.fs.rename(src, dst, expect_src=expect.stat_key)
            case p.Record(path=path, version=version, heads=heads, local=local):
                if local.kind is not Kind.DIR:
                    self._expect(path, local)
                self._synced(path, SyncedEntry(version, heads, *_stat(local)), local.ctime_ns)
            case p.ForgetSynced(path=path):
                with self.state.transaction():
                    self.state.delete_synced(path)
            case p.ResolveConflict():
                self._resolve(action)

    def _expect(self, path: str, local: LocalEntry) -> FsEntry:
        entry = self.fs.stat(path)
        if entry is None or entry.stat_key != local.stat_key:
            raise ChangedOnDisk(f"{path} changed on disk since it was scanned")
        return entry

    def _synced(self, path: str, entry: SyncedEntry, ctime_ns: int = 0) -> None:
        with self.state.transaction():
            self.state.put_synced(path, entry, ctime_ns)

    def _quarantine(self, path: str, expect: LocalEntry) -> None:
        if expect.kind is Kind.DIR:
            self._clear_ignored_junk(path)
        stored = self.fs.quarantine(
            path, expect=expect.stat_key, quarantine_dir=str(self.quarantine_dir)
        )
        with self.state.transaction():
            self.state.add_quarantined(path, stored, self.clock_ns())

    def _clear_ignored_junk(self, path: str) -> None:
        """A folder sync removes may still hold built-in junk (Thumbs.db, ~$locks): it goes too.

        The junk goes to the quarantine like anything else, so nothing is lost; a
        real file or folder left inside keeps the folder (DirectoryNotEmpty).
        """
        for entry in self.fs.list_dir(path):
            child = f"{path}/{entry.name}"
            # Only built-in junk: files the person excluded with .coffreignore exist nowhere
            # else, so they keep the folder instead.
            if entry.kind in (Kind.FILE, Kind.SYMLINK) and IgnoreRules.builtin_ignored(entry.name):
                stored = self.fs.quarantine(
                    child, expect=entry.stat_key, quarantine_dir=str(self.quarantine_dir)
                )
                with self.state.transaction():
                    self.state.add_quarantined(child, stored, self.clock_ns())

    def _upload(self, action: p.Upload, report: ExecutionReport) -> None:
        local = action.local
        if local.kind is Kind.DIR:
            version = unstamped(action.path, action.supersedes, Kind.DIR, mtime_ns=local.mtime_ns)
            self._outgoing.append(Outgoing(version, _stat(local)))
            return
        if local.kind is Kind.SYMLINK:
            self._expect(action.path, local)
            version = unstamped(
                action.path,
                action.supersedes,
                Kind.SYMLINK,
                size=local.size,
                mtime_ns=local.mtime_ns,
                content_hash=local.content_hash,
                symlink_target=local.symlink_target,
            )
            self._outgoing.append(Outgoing(version, _stat(local), ctime_ns=local.ctime_ns))
            return
        # What was opened must be what was scanned, and must not change while it is read.
        with self.fs.open_read(action.path) as stream:
            _check_same(action.path, self.fs.stat_open(action.path, stream), local)
            digest = self.uploader.add(stream)
            after = self.fs.stat_open(action.path, stream)
        _check_same(action.path, after, local)
        self._packed(action, digest, after, report)

    def _download(self, action: p.Download) -> None:
        version = action.version
        expect = action.expect_local
        if expect is not None and expect.kind is Kind.DIR:
            self._quarantine(action.path, expect)  # an emptied directory where a file goes
            expect = None
        expect_key = None if expect is None else expect.stat_key
        if version.kind is Kind.SYMLINK:
            entry = self.fs.make_symlink(
                action.path, version.symlink_target or "", expect=expect_key
            )
        else:
            self.downloader.check_version(version)
            entry = self.fs.write_resumable(
                action.path,
                partial_name(version),
                keep=lambda stream: self._resume_from(version, stream),
                rest=lambda start: self.downloader.iter_content(version, start),
                mtime_ns=version.mtime_ns,
                executable=version.executable,
                expect=expect_key,
                size_hint=version.size,
            )
        self._synced(action.path, SyncedEntry(version, action.heads, *_stat(entry)), entry.ctime_ns)

    def _resume_from(self, version: Version, stream: BinaryIO) -> int:
        """Where a large download resumes: after the chunks an earlier, cut try left."""
        start = self.downloader.present_prefix(version, stream)
        if start:
            log.info(
                "Resuming a download at %d of %d bytes (from the partial file a previous try left)",
                start,
                version.size,
            )
        return start

    def _resolve(self, action: p.ResolveConflict) -> None:
        synced = self.state.synced()
        for copy in action.copies:
            entry = synced.get(copy.path)
            stat = None if entry is None else (entry.size, entry.mtime_ns, entry.inode)
            self._outgoing.append(
                Outgoing.like(copy.path, copy.version, copy.supersedes, stat, copy_of=action.path)
            )
        entry = synced.get(action.path)
        stat = None if entry is None else (entry.size, entry.mtime_ns, entry.inode)
        if action.version is None:
            version = unstamped(action.path, action.supersedes, Kind.DIR)
            resolution = Outgoing(version, stat)
        else:
            resolution = Outgoing.like(action.path, action.version, action.supersedes, stat)
        # Dismissed copies are forgotten only with the resolution published: a round
        # that fails before must not bring a deleted copy back.
        self._outgoing.append(replace(resolution, dismiss=action.dismissed))


def partial_name(version: Version) -> str:
    """The temp name a large download is written under, the same on every try, so a cut
    download resumes (LocalFs.write_resumable). From the version's keyed content hash:
    it says nothing about the content, and any version with that content resumes it."""
    return PARTIAL_PREFIX + version.content_hash.hex()[:32]


def _tombstone(path: str, supersedes: frozenset[VersionId]) -> Outgoing:
    """A deletion to publish; once published, Synced forgets the path."""
    return Outgoing(unstamped(path, supersedes, Kind.TOMBSTONE), forget=True)
