"""The Local tree: what the sync folder holds now, with every file's content hash.

A scan lists the folder through a LocalFs and produces one LocalEntry per
path. It reads a file only when its stat differs from the Synced entry's:
the same file (model.unchanged_on_disk: kind, size, mtime, inode, ctime)
means the hash is copied from Synced, so a no-change scan of a large folder
costs one lstat per entry and no reads.
The previous scan's Local tree, when given, is a second such cache: a new
file that is not synced yet (upload pending, held, failing) is not re-read
every round, and an unchanged entry is reused as is instead of rebuilt.
The cyclic garbage collector is paused during the walk: the walk makes
hundreds of thousands of small objects and no cycles, and the collector's
repeated passes over them cost about a quarter of a large scan.

What the scan could not see is never reported as absent (docs/ARCHITECTURE.md section 4, rule 4):
unreadable folders and files, files that changed or vanished while being
hashed, folders that vanished or were replaced mid-scan, and names that
cannot be synced are collected, and `ScanResult.is_unknown(path)` is True
for them and for everything below them. The planner must treat an unknown path as "no news",
never as a local delete. Ignored paths found on disk are listed in `ignored`
(a folder once, without its contents) so the planner can tell "the person
excluded it" from "the person deleted it". A new name in decomposed Unicode
(NFD) whose NFC spelling is free is listed in `to_normalise` for the engine
to rename (names.nfc_renames decides), and unknown this round.

The walk is iterative (a stack, no recursion limit), never follows symlinks
(a symlink is an entry whose content is its target) and skips Coffre's own
`.coffre*` files except `.coffreignore`, which is synced. The root is checked
before and after the walk: a disk unmounted mid-scan raises RootUnavailable
instead of returning a half-empty tree.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol, TypeAlias

from crypto.reason import Reason, reason_of

from ..core import names
from ..core.model import (
    UNHASHED,
    HasDiskStat,
    Kind,
    LocalEntry,
    StatKey,
    file_entry,
    unchanged_on_disk,
)
from ..core.round_outcome import entry_as_synced
from .fs_errors import ChangedOnDisk, FsError, FsReadError, printable_path
from .ignore import IGNORE_FILE, IgnoreRules
from .localfs import INTERNAL_PREFIX, TEMP_PREFIX, FsEntry, LocalFs

__all__ = ["DigestFn", "ScanResult", "StreamDigester", "scan"]


class _Digest(Protocol):
    @property
    def size(self) -> int: ...

    @property
    def content_hash(self) -> bytes: ...


class KnownStat(HasDiskStat, Protocol):
    """What the scanner needs of a Synced entry (state.SyncedStat, cheap to load)."""

    @property
    def content_hash(self) -> bytes: ...

    @property
    def executable(self) -> bool: ...


class StreamDigester(Protocol):
    """Anything with packer.Digester's digest_stream (FileDigest has .size, .content_hash)."""

    def digest_stream(self, stream: BinaryIO) -> _Digest: ...


DigestFn: TypeAlias = Callable[[BinaryIO], tuple[int, bytes]]
"""Reads a stream to its end and returns (size, content hash)."""


@dataclass
class ScanResult:
    """The Local tree, plus everything the scan could not describe."""

    local: dict[str, LocalEntry] = field(default_factory=dict)
    unreadable: list[tuple[str, Reason]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, Reason]] = field(default_factory=list)  # (printable path, reason)
    changing: list[str] = field(default_factory=list)  # changed while read: retry next round
    ignored: list[str] = field(default_factory=list)
    temp_files: list[str] = field(default_factory=list)  # .coffre-tmp-* seen (crash leftovers)
    # Decomposed (NFD) names to rename on disk to their NFC spelling: (path, NFC path, stat).
    to_normalise: list[tuple[str, str, StatKey]] = field(default_factory=list)
    hashed_files: int = 0
    # Paths of `local` exactly as Synced recorded them (round_outcome.entry_as_synced),
    # counted as they are listed: the round's fast path needs no second pass.
    as_synced: int = 0
    deferred_files: int = 0  # new files left unread (see `scan`'s defer_hash)
    hashed_bytes: int = 0
    _unknown: set[str] = field(default_factory=set, repr=False)
    _ignored: set[str] = field(default_factory=set, repr=False)

    @property
    def unknown_prefixes(self) -> frozenset[str]:
        """Paths whose state, and that of everything below them, is unknown this round."""
        return frozenset(self._unknown)

    def is_unknown(self, path: str) -> bool:
        """True if `path` or a folder above it could not be seen: never read it as deleted."""
        return _under(path, self._unknown)

    def was_ignored(self, path: str) -> bool:
        """True if `path` or a folder above it is on disk but excluded by the ignore rules."""
        return _under(path, self._ignored)


def _under(path: str, prefixes: set[str]) -> bool:
    if not prefixes:
        return False
    if "" in prefixes or path in prefixes:
        return True
    end = path.rfind("/")
    while end > 0:
        path = path[:end]
        if path in prefixes:
            return True
        end = path.rfind("/")
    return False


def _as_digest_fn(digest: DigestFn | StreamDigester) -> DigestFn:
    if hasattr(digest, "digest_stream"):
        digester: StreamDigester = digest

        def fn(stream: BinaryIO) -> tuple[int, bytes]:
            d = digester.digest_stream(stream)
            return d.size, d.content_hash

        return fn
    return digest


def _name_problem(name: str, traits: names.FsTraits) -> Reason | None:
    """Why a name seen on disk cannot be synced (NFD: the walk may rename it), or None."""
    if not name.isascii():
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            return Reason.of(names.NameProblem.NOT_UTF8)
        if not unicodedata.is_normalized("NFC", name):
            return Reason.of(names.NameProblem.NFD)
    # Its folders passed already, and every rule holds segment by segment.
    return names.check_name(name, traits)


@contextmanager
def _gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan(
    fs: LocalFs,
    synced: Mapping[str, KnownStat],
    digest: DigestFn | StreamDigester,
    ignore: IgnoreRules | None = None,
    traits: names.FsTraits | None = None,
    *,
    previous: Mapping[str, LocalEntry] | None = None,
    progress: Callable[[int, int], None] | None = None,
    defer_hash: Callable[[str], bool] | None = None,
) -> ScanResult:
    """Walk the folder and describe it; see the module comment for the guarantees.

    `ignore` None loads `.coffreignore` now; `traits` None asks the fs.
    `previous` is the last scan's `local`, reused where the stat is unchanged.
    `progress(entries_seen, bytes_hashed)` is called after each folder and file hashed.
    `defer_hash(path)` True lets a new file (not in `synced`) go unread: its
    entry has an empty content hash, and the uploader hashes it while packing.
    The caller says True only where no decision needs the hash: no version of
    the path exists anywhere. A new file as large as a vanished synced file is
    read anyway, as it may be that file renamed.
    Raises RootUnavailable (root missing or unmounted) and FsError if the root
    itself or `.coffreignore` cannot be read.
    """
    fs.check_root()
    if ignore is None:
        ignore = IgnoreRules.load(fs)
    if traits is None:
        traits = fs.traits
    result = ScanResult()
    with _gc_paused():
        to_hash = _walk(fs, synced, ignore, traits, previous or {}, result, progress)
    digest_fn = _as_digest_fn(digest)
    vanished_sizes: set[int] | None = None
    for path, before in to_hash:
        if defer_hash is not None and path not in synced:
            if vanished_sizes is None:
                local = result.local
                vanished_sizes = {
                    s.size for p, s in synced.items() if s.kind is Kind.FILE and p not in local
                }
            if before.size not in vanished_sizes and defer_hash(path):
                result.local[path] = LocalEntry(
                    Kind.FILE,
                    before.size,
                    before.mtime_ns,
                    before.inode,
                    before.executable and not traits.windows,
                    UNHASHED,
                    ctime_ns=before.ctime_ns,
                )
                result.deferred_files += 1
                continue
        _hash_one(fs, path, before, digest_fn, result, traits.windows)
        if progress is not None:
            progress(len(result.local), result.hashed_bytes)
    fs.check_root()  # unmounted mid-scan: the listing above cannot be trusted
    return result


def _walk(
    fs: LocalFs,
    synced: Mapping[str, KnownStat],
    ignore: IgnoreRules,
    traits: names.FsTraits,
    previous: Mapping[str, LocalEntry],
    result: ScanResult,
    progress: Callable[[int, int], None] | None,
) -> list[tuple[str, FsEntry]]:
    """List everything; returns the files whose content must be read."""
    local = result.local
    builtin_match = ignore.builtin_match
    user_ignored = ignore.user_ignored if ignore.has_user_rules else None
    synced_get = synced.get
    previous_get = previous.get
    FILE, DIR, SYMLINK = Kind.FILE, Kind.DIR, Kind.SYMLINK
    windows = traits.windows
    to_hash: list[tuple[str, FsEntry]] = []
    seen = 0
    as_synced = 0
    stack = [""]
    while stack:
        dir_path = stack.pop()
        entries = _list_folder(fs, dir_path, result)
        if entries is None:
            continue
        prefix = dir_path + "/" if dir_path else ""
        seen += len(entries)
        nfc: names.NfcDecision | None = None  # for this folder, on its first non-NFC name
        for e in entries:
            name = e.name
            if name.startswith(INTERNAL_PREFIX) and name != IGNORE_FILE:
                if name.startswith(TEMP_PREFIX):
                    result.temp_files.append(prefix + name)
                continue
            path = prefix + name
            kind = e.kind
            if builtin_match(name) is not None or (
                user_ignored is not None and user_ignored(path, kind is DIR)
            ):
                result.ignored.append(path)
                result._ignored.add(path)
                continue
            s = synced_get(path)
            # A synced path already passed these checks; only new names pay for them.
            if s is None and (problem := _name_problem(name, traits)) is not None:
                if problem.kind != names.NameProblem.NFD:
                    _skip(result, synced, path, problem)
                    continue
                if nfc is None:
                    nfc = names.nfc_renames((x.name for x in entries), traits)
                _normalise_or_skip(result, synced, nfc, e, prefix, entries)
                continue
            if kind is FILE:
                p = previous_get(path)
                if (
                    p is not None
                    and unchanged_on_disk(p, e)
                    and p.executable == (e.executable and not windows)
                    and p.content_hash != UNHASHED  # whether to read it is decided again
                ):
                    local[path] = p  # unchanged since the last scan: reuse it as is
                    as_synced += entry_as_synced(s, p)
                    continue
                if s is not None and unchanged_on_disk(s, e):
                    executable = e.executable and not windows
                    local[path] = file_entry(
                        e.size, e.mtime_ns, e.inode, executable, s.content_hash, e.ctime_ns
                    )
                    # entry_as_synced, inlined on the hot path: the stat test just held.
                    as_synced += s.executable == executable
                else:
                    to_hash.append((path, e))
            elif kind is DIR:
                p = previous_get(path)
                if p is not None and p.kind is DIR and p.inode == e.inode:
                    local[path] = p
                else:
                    local[path] = LocalEntry(DIR, 0, 0, e.inode)
                as_synced += s is not None and s.kind is DIR  # entry_as_synced of a folder
                stack.append(path)
            elif kind is SYMLINK:
                link = _symlink_entry(path, e)
                if isinstance(link, LocalEntry):
                    local[path] = link
                    as_synced += entry_as_synced(s, link)
                else:
                    _skip(result, synced, path, link)
            else:
                why = Reason.of(names.NameProblem.SPECIAL_FILE, detail=e.special or "")
                _skip(result, synced, path, why)
        if progress is not None:
            progress(seen, 0)
    result.as_synced += as_synced
    return to_hash


def _list_folder(fs: LocalFs, dir_path: str, result: ScanResult) -> list[FsEntry] | None:
    """The folder's entries, or None (recorded as unknown) if it cannot be read or is gone.

    The root's own failure is raised: a scan that cannot read the root knows nothing.
    """
    try:
        return fs.list_dir(dir_path)
    except FsReadError as exc:
        if dir_path == "":
            raise
        result.unreadable.append((dir_path, exc.reason))
    except ChangedOnDisk:  # vanished or replaced since its parent was listed
        if dir_path == "":
            raise
        result.local.pop(dir_path, None)
        result.changing.append(dir_path)
    result._unknown.add(dir_path)
    return None


def _skip(
    result: ScanResult,
    synced: Mapping[str, KnownStat],
    path: str,
    reason: Reason,
    *,
    nfc_on_disk: bool = False,
) -> None:
    """Report a path that cannot be synced; nothing is planned for it, so nothing is lost."""
    shown = printable_path(path)
    result.skipped.append((shown, reason))
    if shown != path:
        return  # not valid UTF-8: no vault path can be spelt like it
    result._unknown.add(path)  # nothing is planned for it: no download over it, no delete
    nfc = unicodedata.normalize("NFC", path)
    if nfc != path and nfc in synced and not nfc_on_disk:
        result._unknown.add(nfc)  # its synced NFC spelling must not look deleted


def _normalise_or_skip(
    result: ScanResult,
    synced: Mapping[str, KnownStat],
    nfc: names.NfcDecision,
    e: FsEntry,
    prefix: str,
    entries: list[FsEntry],
) -> None:
    """A new decomposed (NFD) name: listed for renaming to NFC when free, else skipped."""
    name, path = e.name, prefix + e.name
    target = nfc.renames.get(name)
    if target is not None:
        # Renamed by the engine, then synced: this round plans for neither
        # spelling, so a synced NFC twin does not look deleted meanwhile.
        result.to_normalise.append((path, prefix + target, e.stat_key))
        result._unknown.update((path, prefix + target))
        return
    twin = unicodedata.normalize("NFC", name)
    on_disk = any(x.name == twin for x in entries)
    _skip(result, synced, path, nfc.clashes[name], nfc_on_disk=on_disk)


def _symlink_entry(path: str, e: FsEntry) -> LocalEntry | Reason:
    """A link's Local entry, or why it cannot be synced (its target leaves the folder...)."""
    target = e.symlink_target or ""
    why = names.check_symlink_target(path, target)
    if why is None and not target.isascii():
        try:
            target.encode("utf-8")
        except UnicodeEncodeError:
            why = Reason.of(names.NameProblem.LINK_INVALID)
    if why is not None:
        return why
    return LocalEntry(Kind.SYMLINK, e.size, e.mtime_ns, e.inode, symlink_target=target)


def _hash_one(
    fs: LocalFs,
    path: str,
    before: FsEntry,
    digest_fn: DigestFn,
    result: ScanResult,
    windows: bool,
) -> None:
    """Hash one file; one that changed or vanished meanwhile goes to `changing`.

    A file that vanishes between the listing and its reading is treated as
    changing, not as deleted: applications that save by delete-then-create
    leave exactly that window, and a delete read into it would publish a
    tombstone (or let a download land where the person just deleted). The
    next round sees it settled, present or absent.
    """
    try:
        with fs.open_read(path) as f:
            size, content_hash = digest_fn(f)
        after = fs.stat(path)
    except ChangedOnDisk:  # vanished, or replaced by a link or a folder, or a parent was
        result.changing.append(path)
        result._unknown.add(path)
        return
    except (FsError, OSError) as exc:
        result.unreadable.append((path, reason_of(exc)))
        result._unknown.add(path)
        return
    result.hashed_files += 1
    result.hashed_bytes += size
    if after is None or after.stat_key != before.stat_key or size != before.size:
        result.changing.append(path)
        result._unknown.add(path)
        return
    result.local[path] = LocalEntry(
        Kind.FILE,
        after.size,
        after.mtime_ns,
        after.inode,
        after.executable and not windows,
        content_hash,
        ctime_ns=after.ctime_ns,
    )
