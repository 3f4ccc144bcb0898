################################################################
# The data the sync core works on
################################################################
#
# Rule: every definition of what a version, an entry or "the same content"
# is lives in this file. merge.py and planner.py decide; this file only
# describes. Nothing here does I/O, reads a clock or draws random numbers.
#
# Theory of operation
# ===================
#
# A vault's history is a set of Versions. Each Version is one journal
# operation for one path, written by one device: "path P now holds this
# content (or is deleted), and I had seen versions S1, S2... at P when I wrote
# it" (its `supersedes`). The merge (merge.py) turns any set of Versions into
# the Remote tree; the scanner produces the Local tree; the Synced tree
# remembers, per path, the state both last agreed at. The planner
# (planner.py) compares each side with Synced.
#
# Identity. A VersionId is (device, counter): the device's random 128-bit id
# as 32 lowercase hex digits and that device's own counter. Ids are unique by
# construction; they order by (device, counter), which the merge only uses to
# break ties.
#
# Time. `hlc` is a hybrid logical clock reading, laid out as
#
#     hlc = (milliseconds since the Unix epoch, UTC) << 16 | logical counter
#
# so it orders like wall time while staying strictly increasing on a device
# whose clock stalls or steps back. A device must make each hlc it writes
# greater than every hlc it has read (hlc_observe) and than its own previous
# one (hlc_next). The merge reads the millisecond part only to name conflict
# copies.
#
# Content. Two things hold "the same content" when their content keys are
# equal (CONTENT_FIELDS below): a file is its keyed whole-content hash and
# its executable bit, a symlink is its target, a directory or a tombstone is
# its kind alone. mtime, size and inode are not content: touching a file does
# not make it different, and equal content is never a conflict. A key reads
# only kind, hash, executable bit and target, so two things equal in those
# four fields have equal keys: same_content_fields() is that cheaper test.
#
# Entries. The three trees map a normalised path (names.normalise_path) to:
#   RemoteEntry - what the merge says the path holds: the Version providing
#                 the content (None for an implicit directory, one that only
#                 exists because something below it does), the heads an
#                 ordinary edit supersedes, the conflict losers waiting for a
#                 resolution, and where their copies are.
#   LocalEntry  - what the scanner saw on disk, with the content hash always
#                 filled (from Synced when the stat is unchanged).
#   SyncedEntry - the RemoteEntry the path was last agreed at (version and
#                 heads) and the disk stat observed when it was recorded.

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Protocol, TypeAlias

__all__ = [
    "CONTENT_FIELDS",
    "HLC_LOGICAL_BITS",
    "UNSTAMPED",
    "ChunkRef",
    "ContentKey",
    "HasContent",
    "HasContentFields",
    "Kind",
    "LocalEntry",
    "RemoteEntry",
    "StatKey",
    "SyncedEntry",
    "Version",
    "VersionId",
    "content_key",
    "file_entry",
    "hlc_make",
    "hlc_millis",
    "hlc_next",
    "hlc_observe",
    "same_content",
    "same_content_fields",
    "stamped",
    "unchanged_on_disk",
    "unstamped",
]

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True, order=True)
class VersionId:
    """Who wrote a version: (device, counter). Unique, so it can key a version."""

    device: str
    counter: int

    def __post_init__(self) -> None:
        if len(self.device) != 32 or not _HEX.issuperset(self.device):
            raise ValueError(f"device id must be 32 lowercase hex digits: {self.device!r}")
        if self.counter < 0:
            raise ValueError(f"version counter must be >= 0: {self.counter}")

    def __str__(self) -> str:
        return f"{self.device}:{self.counter}"


@dataclass(frozen=True, slots=True)
class ChunkRef:
    """Where one encrypted chunk of a file lives in the store."""

    chunk_id: bytes
    pack_id: str
    offset: int
    length: int
    plain_length: int


class Kind(enum.Enum):
    FILE = "file"
    DIR = "dir"
    SYMLINK = "symlink"
    TOMBSTONE = "tombstone"


_TOMBSTONE = Kind.TOMBSTONE  # a module constant: looking up an Enum member costs more


# ---------------------------------------------------------------------------
# Content: which fields make two things "the same", per kind.
# ---------------------------------------------------------------------------

ContentKey: TypeAlias = tuple[Kind, bytes, bool, str]
"""(kind, content hash, executable, symlink target), with the fields a kind
ignores set to b"", False and ""."""

CONTENT_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.FILE: frozenset({"hash", "executable"}),
    Kind.SYMLINK: frozenset({"target"}),
    Kind.DIR: frozenset(),
    Kind.TOMBSTONE: frozenset(),
}


def content_key(
    kind: Kind, content_hash: bytes, executable: bool, symlink_target: str | None
) -> ContentKey:
    """The comparable content of anything, keeping only the fields its kind uses."""
    fields = CONTENT_FIELDS[kind]
    return (
        kind,
        content_hash if "hash" in fields else b"",
        executable if "executable" in fields else False,
        (symlink_target or "") if "target" in fields else "",
    )


class HasContent(Protocol):
    @property
    def content_key(self) -> ContentKey: ...


def same_content(a: HasContent, b: HasContent) -> bool:
    """Equal content is never a conflict and never needs a transfer."""
    return a.content_key == b.content_key


class HasContentFields(Protocol):
    @property
    def kind(self) -> Kind: ...
    @property
    def content_hash(self) -> bytes: ...
    @property
    def executable(self) -> bool: ...
    @property
    def symlink_target(self) -> str | None: ...


def same_content_fields(a: HasContentFields, b: HasContentFields) -> bool:
    """True when a and b agree on every field content_key() reads, so their
    content keys are equal; False says nothing (compare content keys then).
    Much cheaper than building two keys, for the planner's many equal paths."""
    return (
        a.kind is b.kind
        and a.content_hash == b.content_hash
        and a.executable == b.executable
        and a.symlink_target == b.symlink_target
    )


# ---------------------------------------------------------------------------
# Hybrid logical clock arithmetic (pure: the caller brings the wall time).
# ---------------------------------------------------------------------------

HLC_LOGICAL_BITS = 16


def hlc_make(millis: int, logical: int = 0) -> int:
    if millis < 0 or not 0 <= logical < (1 << HLC_LOGICAL_BITS):
        raise ValueError("hlc parts out of range")
    return (millis << HLC_LOGICAL_BITS) | logical


def hlc_millis(hlc: int) -> int:
    """Milliseconds since the Unix epoch (UTC) of an hlc reading."""
    return hlc >> HLC_LOGICAL_BITS


def hlc_next(last: int, wall_millis: int) -> int:
    """The hlc for a new write: after `last`, and at least the wall time."""
    return max(last + 1, hlc_make(max(wall_millis, 0)))


def hlc_observe(last: int, seen: int) -> int:
    """Fold a reading from another device into ours, so our next write follows it."""
    return max(last, seen)


# ---------------------------------------------------------------------------
# Versions and the three trees' entries.
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """One journal operation for one path."""

    vid: VersionId
    path: str
    supersedes: frozenset[VersionId]
    hlc: int
    kind: Kind
    size: int = 0
    mtime_ns: int = 0
    executable: bool = False
    content_hash: bytes = b""
    chunks: tuple[ChunkRef, ...] = ()
    symlink_target: str | None = None
    copy_of: str | None = None  # set on a conflict copy's version: the path it lost at

    def __post_init__(self) -> None:
        if self.hlc < 0:
            raise ValueError(f"hlc must be >= 0: {self.hlc}")

    @property
    def content_key(self) -> ContentKey:
        return content_key(self.kind, self.content_hash, self.executable, self.symlink_target)

    @property
    def is_live(self) -> bool:
        return self.kind is not _TOMBSTONE

    @property
    def recency(self) -> tuple[int, str, int]:
        """The merge's total order: latest timestamp, then device id, then counter."""
        return (self.hlc, self.vid.device, self.vid.counter)


UNSTAMPED = VersionId("0" * 32, 0)
"""The id of a version not published yet: publishing stamps its real id and hlc."""


def unstamped(path: str, supersedes: frozenset[VersionId], kind: Kind, **content: Any) -> Version:
    """A version this device will publish, before it has an id and a clock (`stamped`).

    `content` holds Version's other fields (size, mtime_ns, executable,
    content_hash, chunks, symlink_target, copy_of).
    """
    return Version(UNSTAMPED, path, supersedes, 0, kind, **content)


def stamped(version: Version, vid: VersionId, hlc: int) -> Version:
    """An unstamped version as it is published: its id and clock reading set, nothing else."""
    if version.vid != UNSTAMPED:
        raise ValueError(f"version {version.vid} is already stamped")
    return _rebuilt(version, vid, hlc, version.chunks)


def with_chunks(version: Version, chunks: tuple[ChunkRef, ...]) -> Version:
    """`version` with its chunks' places (an upload's, once its packs are stored)."""
    return _rebuilt(version, version.vid, version.hlc, chunks)


def _rebuilt(v: Version, vid: VersionId, hlc: int, chunks: tuple[ChunkRef, ...]) -> Version:
    # dataclasses.replace costs ~10 us (fields() and keyword matching), which a first
    # sync pays twice per file; this is the same copy, positionally.
    return Version(
        vid,
        v.path,
        v.supersedes,
        hlc,
        v.kind,
        v.size,
        v.mtime_ns,
        v.executable,
        v.content_hash,
        chunks,
        v.symlink_target,
        v.copy_of,
    )


# _rebuilt lists Version's fields in order: a field added there must be added here.
if tuple(f.name for f in fields(Version)) != (
    "vid",
    "path",
    "supersedes",
    "hlc",
    "kind",
    "size",
    "mtime_ns",
    "executable",
    "content_hash",
    "chunks",
    "symlink_target",
    "copy_of",
):
    raise RuntimeError("Version's fields changed: update model._rebuilt")


_DIR_KEY: ContentKey = content_key(Kind.DIR, b"", False, None)


StatKey: TypeAlias = tuple[Kind, int, int, int]
"""(kind, size, mtime_ns, inode): what the executor re-checks right before acting.

It compares the disk with the scan made moments before, in the same round;
"is this still the file recorded long ago" is unchanged_on_disk, which adds
the ctime."""


class HasDiskStat(Protocol):
    @property
    def kind(self) -> Kind | None: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...
    @property
    def inode(self) -> int: ...
    @property
    def ctime_ns(self) -> int: ...


def unchanged_on_disk(known: HasDiskStat, seen: HasDiskStat) -> bool:
    """The file on disk is still the one recorded: its content need not be read again.

    Kind, size, mtime, inode and ctime all equal. The ctime counts because an
    in-place edit can keep size and mtime (a coarse clock, a skewed peer's
    mtime set back on a download) but cannot set the ctime back. The one test
    behind the scanner's reuse of a known hash (from Synced or the previous
    scan) and the round's settled fast path (round_outcome.disk_as_synced).
    """
    return (
        known.inode == seen.inode
        and known.mtime_ns == seen.mtime_ns
        and known.size == seen.size
        and known.ctime_ns == seen.ctime_ns
        and known.kind is seen.kind
    )


UNHASHED = b""  # the content hash of a new local file the scanner did not read


@dataclass(frozen=True, slots=True)
class LocalEntry:
    """One path on disk, as the scanner saw it."""

    kind: Kind
    size: int
    mtime_ns: int
    inode: int
    executable: bool = False
    content_hash: bytes = b""  # UNHASHED: a new file not read yet (scanner's defer_hash)
    symlink_target: str | None = None
    ctime_ns: int = 0  # not part of stat_key: the scanner's "unchanged" test only

    @property
    def content_key(self) -> ContentKey:
        return content_key(self.kind, self.content_hash, self.executable, self.symlink_target)

    @property
    def stat_key(self) -> StatKey:
        return (self.kind, self.size, self.mtime_ns, self.inode)


# The slots of LocalEntry, set directly by `file_entry`: the generated __init__ of a frozen
# dataclass sets each field through object.__setattr__ in a Python frame, about twice
# the cost, and the scanner builds one entry per file of the folder on every round.
_new_object = object.__new__
_SET_LOCAL_SLOTS: tuple[Callable[[LocalEntry, object], None], ...] = tuple(
    LocalEntry.__dict__[name].__set__ for name in LocalEntry.__slots__
)
(
    _set_kind,
    _set_size,
    _set_mtime,
    _set_inode,
    _set_executable,
    _set_content_hash,
    _set_symlink_target,
    _set_ctime,
) = _SET_LOCAL_SLOTS


def file_entry(
    size: int, mtime_ns: int, inode: int, executable: bool, content_hash: bytes, ctime_ns: int
) -> LocalEntry:
    """LocalEntry(Kind.FILE, size, mtime_ns, inode, executable, content_hash,
    ctime_ns=ctime_ns), built at half the cost: the scanner's hot path (100,000 files)."""
    entry: LocalEntry = _new_object(LocalEntry)
    _set_kind(entry, Kind.FILE)
    _set_size(entry, size)
    _set_mtime(entry, mtime_ns)
    _set_inode(entry, inode)
    _set_executable(entry, executable)
    _set_content_hash(entry, content_hash)
    _set_symlink_target(entry, None)
    _set_ctime(entry, ctime_ns)
    return entry


@dataclass(frozen=True, slots=True)
class RemoteEntry:
    """One path of the merged tree.

    `version` provides the content; it is None only for an implicit directory.
    `heads` are what an ordinary edit of this path supersedes: the winning
    content's heads and any tombstone heads. `losers` are conflict losers whose
    copies (`copies`, sorted) are still only virtual; a resolution supersedes
    heads | losers. A conflict copy's own entry has `copy_of` = the original
    path and the loser as `version` (whose .path is the original path).
    """

    path: str
    version: Version | None
    heads: frozenset[VersionId]
    losers: frozenset[VersionId] = frozenset()
    copies: tuple[str, ...] = ()
    copy_of: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.DIR if self.version is None else self.version.kind

    @property
    def content_key(self) -> ContentKey:
        return _DIR_KEY if self.version is None else self.version.content_key

    @property
    def vid(self) -> VersionId | None:
        return None if self.version is None else self.version.vid


@dataclass(frozen=True, slots=True)
class SyncedEntry:
    """The state one path was last agreed at, and the disk stat seen then.

    `version` and `heads` are copied from the RemoteEntry agreed with (version
    None: an implicit directory). An upload of a later edit supersedes `heads`.
    """

    version: Version | None
    heads: frozenset[VersionId]
    size: int
    mtime_ns: int
    inode: int

    @property
    def kind(self) -> Kind:
        return Kind.DIR if self.version is None else self.version.kind

    @property
    def content_key(self) -> ContentKey:
        return _DIR_KEY if self.version is None else self.version.content_key

    @property
    def vid(self) -> VersionId | None:
        return None if self.version is None else self.version.vid

    @property
    def stat_key(self) -> StatKey:
        return (self.kind, self.size, self.mtime_ns, self.inode)
