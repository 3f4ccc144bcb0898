################################################################
# The planner: (Remote, Local, Synced) -> actions
################################################################
#
# Rule 1: every rule that decides what to do about a path lives in this file:
# the decision table, the refinements around it, the pairing of moves, the
# conflict resolution, the safety rules that are decisions (mass-delete
# guard, names this disk cannot hold, case clashes, unreadable folders) and
# the order of the actions. As much as possible is in tables (LOCAL_STATES,
# REMOTE_STATES, DECISIONS, ACTION_RANK); the rest is small functions below,
# each applied once, in the order plan() lists them.
#
# Rule 2: the planner never looks at the disk, the store or the clock. Its
# output is a Plan of frozen actions; the executor performs them and owns
# the checks made right before acting (data-protection rule 1: every action
# carrying an expect_local must find exactly that on disk, else re-plan).
#
# Theory of operation
# ===================
#
# Three trees, keyed by normalised path: Remote (the merge), Local (the last
# scan) and Synced (the last state at which both agreed). Each side is
# compared with Synced on its own, which says which side changed:
#
#   local state   (LocalEntry vs SyncedEntry): content_key equal -> UNCHANGED
#   remote state  (RemoteEntry vs SyncedEntry): content_key equal -> UNCHANGED
#   either side:  no entry, no Synced -> ABSENT; entry, no Synced -> NEW;
#                 Synced, no entry -> DELETED; else CHANGED.
#
# Content, not version ids, decides: a remote path whose heads moved but whose
# content did not (another device wrote a resolution, or equal edits) is
# UNCHANGED, and the planner only refreshes Synced with a Record.
#
# The decision table, as DECISIONS below holds it (docs/SYNC.md shows it too;
# tests/test_docs.py checks both copies against DECISIONS):
#
#   local \ remote | UNCHANGED  CHANGED            DELETED     ABSENT   NEW
#   UNCHANGED      | nothing    download           quarantine  -        -
#   CHANGED        | upload     record|conflict    upload      -        -
#   DELETED        | tombstone  download           forget      -        -
#   NEW            | -          -                  -           upload   record|conflict
#   ABSENT         | -          -                  -           -        download
#
# "conflict" uploads the local version superseding what this device had
# synced (nothing, for NEW): the merge then sees two heads and every device
# settles it the same way. "download" of a directory is a MakeDir; a
# download whose content is already on disk is a Record.
#
# Most paths of a round are in the UNCHANGED/UNCHANGED cell with nothing to
# record (same version, heads and stat as Synced). _settled() recognises
# them with a few cheap comparisons, and plan() builds a cell, and looks up
# the table, only for the other paths; the answer is the same.
#
# Refinements, applied in this order by plan():
#  a. skipped paths (names this disk cannot hold, case clashes, anything in
#     an unreadable folder) get no action at all: never a delete, never a
#     tombstone, never a download. They are reported in plan.skipped.
#  b. directories follow their children: a local directory is not removed
#     while anything below it stays on disk (including skipped things), and a
#     directory deleted here but still holding live remote entries is made
#     again instead of tombstoned (a file added inside a folder another
#     device deleted brings the folder back).
#  c. a creation whose parent will not be a directory waits for a later
#     round (the merge turns the parent into a directory first).
#  d. a download that would create a symlink pointing outside the vault is
#     skipped.
#  e. moves: a download whose content sits in a local file this plan would
#     otherwise discard becomes a RenameLocal (a remote rename, or the local
#     file losing a conflict); a tombstone plus an upload of the same content
#     becomes an UploadMove (a local rename: no data is sent).
#  f. conflicts: when the original path and all its copies are settled on
#     disk, write the resolution (ResolveConflict). A virtual copy the user
#     deleted is dismissed by that resolution rather than tombstoned (else
#     the loser would come back as a copy); one the user edited is adopted:
#     uploaded as an ordinary file, and the loser dropped (COPY_FATES).
#  g. mass-delete guard: if the quarantines, or the tombstones, cover at least
#     limits.mass_delete_fraction of the synced files and at least
#     limits.mass_delete_min files, that side's deletes (and whatever depends
#     on them) move to plan.held until a person confirms.
#  h. order: a topological order of the dependencies below, ties broken by
#     (ACTION_RANK, path split on "/"):
#       - MakeDir(d) before anything created below d;
#       - moving a local file away (RenameLocal src) before creating at its path;
#       - removals below a directory before removing the directory;
#       - an uploaded directory before uploads below it;
#       - tombstones below a directory before the directory's tombstone;
#       - the upload of an adopted copy before its conflict's resolution.

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass

from crypto.reason import Reason

from .actions import (
    Action,
    CopyWrite,
    Download,
    ForgetSynced,
    MakeDir,
    Plan,
    PlanLimits,
    Quarantine,
    Record,
    RenameLocal,
    ResolveConflict,
    SetAside,
    Skipped,
    Upload,
    UploadMove,
    UploadTombstone,
)
from .model import (
    ContentKey,
    Kind,
    LocalEntry,
    RemoteEntry,
    SyncedEntry,
    VersionId,
    same_content_fields,
)
from .names import FsTraits, NameProblem, case_key, check_names, check_symlink_target

__all__ = [
    "ACTION_RANK",
    "BUILDERS",
    "COPY_FATES",
    "DECISIONS",
    "LOCAL_STATES",
    "REMOTE_STATES",
    "UNREADABLE_REASON",
    "CopyFate",
    "Decision",
    "LocalState",
    "RemoteState",
    "local_state",
    "plan",
    "remote_state",
]


# ---------------------------------------------------------------------------
# The order of actions of one kind against another (refinement h)
# ---------------------------------------------------------------------------

ACTION_RANK: dict[type[Action], int] = {
    RenameLocal: 0,
    SetAside: 0,  # never planned here: read_only.py puts it first
    Quarantine: 1,
    MakeDir: 2,
    Download: 3,
    UploadMove: 4,
    Upload: 5,
    UploadTombstone: 6,
    ResolveConflict: 7,
    Record: 8,
    ForgetSynced: 9,
}


# ---------------------------------------------------------------------------
# States and the decision table
# ---------------------------------------------------------------------------


_DIR, _FILE, _SYMLINK = Kind.DIR, Kind.FILE, Kind.SYMLINK  # an Enum lookup costs more


class LocalState(enum.Enum):
    ABSENT = "absent, never synced"
    NEW = "new"
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    DELETED = "deleted"


RemoteState = LocalState  # the same five states, computed against the same Synced

# (has entry, has Synced) -> state; the (True, True) row is refined by content.
LOCAL_STATES: dict[tuple[bool, bool], LocalState] = {
    (False, False): LocalState.ABSENT,
    (True, False): LocalState.NEW,
    (False, True): LocalState.DELETED,
    (True, True): LocalState.UNCHANGED,
}
REMOTE_STATES = LOCAL_STATES


def local_state(local: LocalEntry | None, synced: SyncedEntry | None) -> LocalState:
    state = LOCAL_STATES[(local is not None, synced is not None)]
    if local is not None and synced is not None and local.content_key != synced.content_key:
        return LocalState.CHANGED
    return state


def remote_state(remote: RemoteEntry | None, synced: SyncedEntry | None) -> RemoteState:
    state = REMOTE_STATES[(remote is not None, synced is not None)]
    if remote is not None and synced is not None and remote.content_key != synced.content_key:
        return LocalState.CHANGED
    return state


class Decision(enum.Enum):
    NOTHING = "nothing"
    DOWNLOAD = "download"
    QUARANTINE = "move local to quarantine"
    UPLOAD = "upload"
    TOMBSTONE = "write tombstone"
    FORGET = "record (both deleted)"
    RECORD_OR_CONFLICT = "equal content: record; else conflict"


_U, _C, _D, _A, _N = (
    LocalState.UNCHANGED,
    LocalState.CHANGED,
    LocalState.DELETED,
    LocalState.ABSENT,
    LocalState.NEW,
)

# (local state, remote state) -> decision. Pairs not listed cannot happen:
# UNCHANGED/CHANGED/DELETED need a Synced entry, ABSENT/NEW need none.
DECISIONS: dict[tuple[LocalState, RemoteState], Decision] = {
    (_U, _U): Decision.NOTHING,
    (_U, _C): Decision.DOWNLOAD,
    (_U, _D): Decision.QUARANTINE,
    (_C, _U): Decision.UPLOAD,
    (_C, _C): Decision.RECORD_OR_CONFLICT,
    (_C, _D): Decision.UPLOAD,  # edit beats delete
    (_D, _U): Decision.TOMBSTONE,
    (_D, _C): Decision.DOWNLOAD,  # edit beats delete
    (_D, _D): Decision.FORGET,
    (_N, _A): Decision.UPLOAD,
    (_N, _N): Decision.RECORD_OR_CONFLICT,
    (_A, _N): Decision.DOWNLOAD,
}


@dataclass(frozen=True, slots=True)
class _Cell:
    """Everything the table's actions are built from, for one path."""

    path: str
    local: LocalEntry | None
    remote: RemoteEntry | None
    synced: SyncedEntry | None

    @property
    def states(self) -> tuple[LocalState, RemoteState]:
        return (local_state(self.local, self.synced), remote_state(self.remote, self.synced))

    def agreed_heads(self) -> frozenset[VersionId]:
        """What an upload or tombstone supersedes: what this device had synced,
        plus the remote heads when they still hold that same content."""
        heads = self.synced.heads if self.synced is not None else frozenset()
        if (
            self.remote is not None
            and self.synced is not None
            and (self.remote.content_key == self.synced.content_key)
        ):
            heads |= self.remote.heads
        return heads


class _Cells:
    """plan()'s cells, made on demand: the path's three entries, or None for a
    path that is skipped or in no tree."""

    __slots__ = ("_blocked", "_local", "_remote", "_synced")

    def __init__(
        self,
        remote: Mapping[str, RemoteEntry],
        local: Mapping[str, LocalEntry],
        synced: Mapping[str, SyncedEntry],
        blocked: Set[str],
    ) -> None:
        self._remote, self._local, self._synced, self._blocked = remote, local, synced, blocked

    def get(self, path: str) -> _Cell | None:
        if path in self._blocked:
            return None
        here, there = self._local.get(path), self._remote.get(path)
        agreed = self._synced.get(path)
        if here is None and there is None and agreed is None:
            return None
        return _Cell(path, here, there, agreed)


def _seconds(mtime_ns: int) -> int:
    return mtime_ns // 1_000_000_000


def _build_nothing(c: _Cell) -> Action | None:
    """Same content on both sides. Only the modification time (to the second) can
    still differ: a person's touch is published (no data moves: every chunk is
    known), and a touch from another device is applied by fetching its version."""
    assert c.local is not None and c.remote is not None and c.synced is not None
    stale_stat = c.local.kind is not _DIR and c.local.stat_key != c.synced.stat_key
    stale_ids = (c.remote.vid, c.remote.heads) != (c.synced.vid, c.synced.heads)
    synced_v, remote_v = c.synced.version, c.remote.version
    if c.local.kind is _FILE and synced_v is not None and remote_v is not None:
        if (
            stale_stat
            and not stale_ids
            and (_seconds(c.local.mtime_ns) != _seconds(synced_v.mtime_ns))
        ):
            return Upload(c.path, c.agreed_heads(), c.local)
        if (
            stale_ids
            and not stale_stat
            and (_seconds(remote_v.mtime_ns) != _seconds(synced_v.mtime_ns))
        ):
            return Download(c.path, remote_v, c.remote.heads, c.local)
    if stale_stat or stale_ids:
        return Record(c.path, c.remote.version, c.remote.heads, c.local)
    return None


def _settled(local: LocalEntry, remote: RemoteEntry, synced: SyncedEntry) -> bool:
    """A shortcut for the commonest cell: True only if the table has nothing
    to do, that is both states are UNCHANGED (DECISIONS: NOTHING) and
    _build_nothing has nothing to record. False decides nothing: the cell is
    then built and goes through the table. Content is compared field by
    field (same_content_fields), enough for a path whose three sides agree;
    anything else (an implicit directory, say) takes the long way. Keep in
    step with DECISIONS and _build_nothing: tests/test_planner.py checks it
    against them."""
    rv, sv = remote.version, synced.version
    return (
        rv is not None
        and sv is not None
        and (rv is sv or rv.vid == sv.vid)
        and remote.heads == synced.heads
        and (local.kind is _DIR or local.stat_key == synced.stat_key)
        and same_content_fields(local, sv)
        and (rv is sv or same_content_fields(rv, sv))
    )


def _build_download(c: _Cell) -> Action | None:
    r = c.remote
    assert r is not None
    if c.local is not None and c.local.content_key == r.content_key:
        return Record(c.path, r.version, r.heads, c.local)
    if r.version is None or r.kind is _DIR:
        return MakeDir(c.path, r.version, r.heads, c.local)
    return Download(c.path, r.version, r.heads, c.local)


def _build_quarantine(c: _Cell) -> Action | None:
    assert c.local is not None
    return Quarantine(c.path, c.local)


def _build_upload(c: _Cell) -> Action | None:
    assert c.local is not None
    if c.states == (_C, _C) or c.states == (_N, _N):  # conflict: supersede only our own past
        heads = c.synced.heads if c.synced is not None else frozenset()
        return Upload(c.path, heads, c.local, concurrent=True)
    return Upload(c.path, c.agreed_heads(), c.local)


def _build_tombstone(c: _Cell) -> Action | None:
    if c.remote is not None and c.remote.copy_of is not None:
        return None  # a deleted virtual copy is dismissed by the resolution (step f)
    return UploadTombstone(c.path, c.agreed_heads())


def _build_forget(c: _Cell) -> Action | None:
    return ForgetSynced(c.path)


def _build_record_or_conflict(c: _Cell) -> Action | None:
    assert c.local is not None and c.remote is not None
    if c.local.content_key == c.remote.content_key:
        return Record(c.path, c.remote.version, c.remote.heads, c.local)
    return _build_upload(c)


BUILDERS: dict[Decision, Callable[[_Cell], Action | None]] = {
    Decision.NOTHING: _build_nothing,
    Decision.DOWNLOAD: _build_download,
    Decision.QUARANTINE: _build_quarantine,
    Decision.UPLOAD: _build_upload,
    Decision.TOMBSTONE: _build_tombstone,
    Decision.FORGET: _build_forget,
    Decision.RECORD_OR_CONFLICT: _build_record_or_conflict,
}


# ---------------------------------------------------------------------------
# Path helpers
# ---------------------------------------------------------------------------


def _ancestors(path: str) -> list[str]:
    """Every proper prefix of `path` that ends before a "/", shortest first."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _add_ancestors(path: str, into: set[str]) -> None:
    """Add _ancestors(path) to `into`, which must hold the ancestors of all it holds."""
    while "/" in path:
        path = path.rpartition("/")[0]
        if path in into:
            return
        into.add(path)


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _basename(path: str) -> str:
    return path.rpartition("/")[2]


def _path_key(path: str) -> str:
    """Parents before children, siblings in code-point order.

    The order of tuple(path.split("/")), as one string that is quicker to make
    and compare: "/" becomes "\\0\\0" and a NUL "\\0\\1", so "/" sorts
    below everything else.
    """
    return path.replace("\0", "\0\1").replace("/", "\0\0")


# ---------------------------------------------------------------------------
# a. Skipped paths
# ---------------------------------------------------------------------------

# Could not be seen on disk this round (unreadable, or changing while read):
# nothing at or below it is synced until it can be.
UNREADABLE_REASON = Reason.of(NameProblem.NOT_SEEN)
_FILELIKE = (Kind.FILE, Kind.SYMLINK)


def _skips(
    paths: list[str],
    remote: Mapping[str, RemoteEntry],
    local: Mapping[str, LocalEntry],
    synced: Mapping[str, SyncedEntry],
    traits: FsTraits,
    unreadable: Set[str],
) -> tuple[dict[str, Reason], set[str]]:
    """(reported path -> reason, every path that gets no action)."""
    reported = {root: UNREADABLE_REASON for root in unreadable}
    blocked = _under_unreadable(paths, unreadable) if unreadable else set()
    bad_names = check_names([p for p in paths if p not in blocked] if blocked else paths, traits)
    reported.update(bad_names)
    blocked.update(bad_names)
    if traits.case_insensitive:
        _case_clashes(paths, remote, local, synced, reported, blocked)
    return reported, blocked


def _under_unreadable(paths: Iterable[str], unreadable: Set[str]) -> set[str]:
    """The paths at or below an unreadable root ("" is the root of everything)."""
    if "" in unreadable:
        return set(paths)
    below: dict[str, bool] = {}  # folder -> it or a folder above it is unreadable

    def folder_below(d: str) -> bool:
        chain = []
        while True:
            known = below.get(d)
            if known is not None:
                break
            chain.append(d)
            if d in unreadable:
                known = True
                break
            if "/" not in d:
                known = False
                break
            d = d.rpartition("/")[0]
        for c in chain:
            below[c] = known
        return known

    return {
        p for p in paths if p in unreadable or ("/" in p and folder_below(p.rpartition("/")[0]))
    }


def _case_clashes(
    paths: list[str],
    remote: Mapping[str, RemoteEntry],
    local: Mapping[str, LocalEntry],
    synced: Mapping[str, SyncedEntry],
    reported: dict[str, Reason],
    blocked: set[str],
) -> None:
    """Of paths equal but for case, materialise one: the one on disk, else the
    synced one, else the first in code-point order. Report the others, and
    everything below them."""
    by_depth: dict[int, list[str]] = {}
    for p in paths:
        if p not in blocked and (p in remote or p in local):
            by_depth.setdefault(p.count("/"), []).append(p)
    clashed: set[str] = set()
    for depth in sorted(by_depth):
        first: dict[str, str] = {}  # case key -> the first path with it
        groups: dict[str, list[str]] = {}  # case key -> every path with it, if two or more
        for p in by_depth[depth]:
            if clashed:
                above = next((a for a in _ancestors(p) if a in clashed), None)
                if above is not None:
                    clashed.add(p)
                    reported[p] = Reason.of(NameProblem.CASE_PARENT, folder=above)
                    continue
            key = case_key(p)
            seen = first.setdefault(key, p)
            if seen is not p:
                groups.setdefault(key, [seen]).append(p)
        for group in groups.values():
            keep = min(group, key=lambda p: (p not in local, p not in synced, p))
            for p in group:
                if p != keep:
                    clashed.add(p)
                    reported[p] = Reason.of(NameProblem.CASE_CLASH, other=keep)
    blocked |= clashed


# ---------------------------------------------------------------------------
# b-e. Refinements
# ---------------------------------------------------------------------------


def _removes_local_dir(a: Action | None) -> bool:
    if isinstance(a, Quarantine):
        return a.expect_local.kind is _DIR
    if isinstance(a, Download):
        return a.expect_local is not None and a.expect_local.kind is _DIR
    return False


def _removes_local(a: Action | None) -> bool:
    return isinstance(a, Quarantine) or _removes_local_dir(a)


def _keep_needed_dirs(
    actions: dict[str, Action],
    remote: Mapping[str, RemoteEntry],
    local: Mapping[str, LocalEntry],
    unreadable: Set[str],
) -> None:
    """b. Directories follow their children, on both sides."""
    removed_dirs = [p for p, a in actions.items() if _removes_local_dir(a)]
    if removed_dirs:
        needed: set[str] = set()
        for p in local:
            if not _removes_local(actions.get(p)):
                _add_ancestors(p, needed)
        for p in unreadable:
            _add_ancestors(p, needed)
        for p in removed_dirs:
            if p in needed:
                del actions[p]

    tombstoned_dirs = []
    for p, a in actions.items():
        r = remote.get(p)
        if isinstance(a, UploadTombstone) and r is not None and r.kind is _DIR:
            tombstoned_dirs.append((p, r))
    if tombstoned_dirs:
        needed_remote: set[str] = set()
        for p in remote:
            if not isinstance(actions.get(p), UploadTombstone):
                _add_ancestors(p, needed_remote)
        for p, r in tombstoned_dirs:
            if p in needed_remote:
                actions[p] = MakeDir(p, r.version, r.heads, None)


def _defer_orphans(actions: dict[str, Action], local: Mapping[str, LocalEntry]) -> None:
    """c. Create only where the parent is, or is about to be, a directory."""
    made = {p for p, a in actions.items() if isinstance(a, MakeDir)}
    for p in list(actions):  # in path order: parents first
        a = actions[p]
        if not isinstance(a, (Download, MakeDir)):
            continue
        parent = _parent(p)
        if not parent or parent in made:
            continue
        on_disk = local.get(parent)
        if on_disk is not None and on_disk.kind is _DIR and not _removes_local(actions.get(parent)):
            continue
        del actions[p]
        made.discard(p)


def _unsafe_links(actions: dict[str, Action], reported: dict[str, Reason]) -> None:
    """d. Never create a symlink that leads outside the vault."""
    links = [
        (p, a.version)
        for p, a in actions.items()
        if isinstance(a, Download) and a.version.kind is _SYMLINK
    ]
    for p, link in links:
        reason = check_symlink_target(p, link.symlink_target or "")
        if reason is not None:
            del actions[p]
            reported[p] = reason


def _pair_local_moves(actions: dict[str, Action], local: Mapping[str, LocalEntry]) -> None:
    """e. Get content from a local file this plan would discard, not the store."""
    sources: dict[ContentKey, list[str]] = {}  # candidates; min() below picks among them
    for p, a in actions.items():
        on_disk = local.get(p)
        if on_disk is None or on_disk.kind not in _FILELIKE:
            continue
        discards = isinstance(a, Quarantine) or (
            isinstance(a, (Download, MakeDir)) and a.expect_local is not None
        )
        if discards:
            sources.setdefault(on_disk.content_key, []).append(p)
    if not sources:
        return
    replaced = {p for p, a in actions.items() if isinstance(a, MakeDir) and a.expect_local}
    for dst in list(actions):  # in path order
        d = actions.get(dst)
        if not isinstance(d, Download) or d.expect_local is not None:
            continue
        if replaced and any(anc in replaced for anc in _ancestors(dst)):
            continue  # its parent only exists after a file moves away: no cycle
        candidates = sources.get(d.version.content_key)
        if not candidates:
            continue
        src = min(candidates, key=lambda s: (_basename(s) != _basename(dst), s))
        candidates.remove(src)
        actions[dst] = RenameLocal(src, dst, local[src], d.version, d.heads)
        s = actions[src]
        if isinstance(s, Quarantine):
            del actions[src]
        elif isinstance(s, Download):
            actions[src] = Download(src, s.version, s.heads, None)
        elif isinstance(s, MakeDir):
            actions[src] = MakeDir(src, s.version, s.heads, None)


def _pair_uploaded_moves(
    actions: dict[str, Action],
    remote: Mapping[str, RemoteEntry],
    local: Mapping[str, LocalEntry],
    synced: Mapping[str, SyncedEntry],
) -> None:
    """e. A local rename uploads a tombstone and a version reusing the chunks."""
    sources: dict[ContentKey, list[str]] = {}  # candidates; min() below picks among them
    for p, a in actions.items():
        s = synced.get(p)
        if isinstance(a, UploadTombstone) and s is not None and s.kind in _FILELIKE:
            sources.setdefault(s.content_key, []).append(p)
    if not sources:
        return
    for dst in list(actions):  # in path order
        u = actions.get(dst)  # a source paired earlier is gone
        if not isinstance(u, Upload) or dst in synced or dst in remote:
            continue
        if u.local.kind not in _FILELIKE:
            continue
        candidates = sources.get(u.local.content_key)
        if not candidates:
            continue
        src = min(
            candidates,
            key=lambda s: (synced[s].inode != u.local.inode, _basename(s) != _basename(dst), s),
        )
        candidates.remove(src)
        source = synced[src]
        assert source.version is not None
        del actions[src]
        actions[dst] = UploadMove(src, dst, source.heads, source.version, u.local)


# ---------------------------------------------------------------------------
# f. Conflict resolution
# ---------------------------------------------------------------------------


class CopyFate(enum.Enum):
    WRITE = "write the loser's content at the copy path"
    DISMISS = "the user deleted the copy: drop the loser"
    ADOPT = "the user edited the copy: an Upload in this plan writes it"
    REAL = "the copy is already a real, settled entry"


# For a *virtual* copy, by the (local, remote) state of the copy path, and the
# action the table gave that path. Anything else: the conflict waits.
COPY_FATES: dict[tuple[LocalState, RemoteState, type[Action] | None], CopyFate] = {
    (_U, _U, None): CopyFate.WRITE,
    (_D, _U, None): CopyFate.DISMISS,
    (_C, _U, Upload): CopyFate.ADOPT,
}


def _resolutions(
    cells: _Cells, originals: Iterable[str], actions: Mapping[str, Action]
) -> list[ResolveConflict]:
    """f. Write the resolution of every conflict this disk holds settled.

    `originals`: the paths whose RemoteEntry has copies, in path order.
    """

    def settled(p: str) -> bool:
        c = cells.get(p)
        return c is not None and c.states == (_U, _U) and p not in actions

    def fate(p: str, original: str) -> CopyFate | None:
        c = cells.get(p)
        if c is None or c.remote is None:
            return None
        if c.remote.copy_of != original:  # a real entry: already written
            return CopyFate.REAL if settled(p) else None
        a = actions.get(p)
        return COPY_FATES.get((*c.states, None if a is None else type(a)))

    out: list[ResolveConflict] = []
    for p in originals:
        cell = cells.get(p)
        r = None if cell is None else cell.remote
        if r is None or not r.copies or not settled(p):
            continue
        fates = {c: fate(c, p) for c in r.copies}
        if None in fates.values():
            continue
        writes = []
        for c, f in fates.items():
            copy_cell = cells.get(c)
            copy = None if copy_cell is None else copy_cell.remote
            if f is CopyFate.WRITE and copy is not None and copy.version is not None:
                writes.append(CopyWrite(c, copy.version, copy.heads))
        out.append(
            ResolveConflict(
                p,
                r.version,
                r.heads | r.losers,
                tuple(writes),
                dismissed=tuple(c for c, f in fates.items() if f is CopyFate.DISMISS),
                adopted=tuple(c for c, f in fates.items() if f is CopyFate.ADOPT),
            )
        )
    return out


# ---------------------------------------------------------------------------
# g-h. Dependencies, mass-delete guard, order
# ---------------------------------------------------------------------------


def _primary(a: Action) -> str:
    if isinstance(a, (RenameLocal, UploadMove, SetAside)):
        return a.dst
    return a.path


def _local_puts(a: Action) -> tuple[str, ...]:
    if isinstance(a, (Download, MakeDir)):
        return (a.path,)
    if isinstance(a, RenameLocal):
        return (a.dst,)
    return ()


def _local_takes(a: Action) -> tuple[str, ...]:
    if isinstance(a, Quarantine):
        return (a.path,)
    if isinstance(a, RenameLocal):
        return (a.src,)
    if isinstance(a, (Download, MakeDir)) and a.expect_local is not None:
        return (a.path,)
    return ()


def _remote_puts(a: Action) -> tuple[str, ...]:
    if isinstance(a, Upload):
        return (a.path,)
    if isinstance(a, UploadMove):
        return (a.dst,)
    if isinstance(a, ResolveConflict):
        return (a.path, *(c.path for c in a.copies))
    return ()


def _remote_takes(a: Action) -> tuple[str, ...]:
    if isinstance(a, UploadTombstone):
        return (a.path,)
    if isinstance(a, UploadMove):
        return (a.src,)
    return ()


def _edges(acts: list[Action]) -> dict[int, set[int]]:
    """successors[i] = the actions that must come after acts[i] (absent: none)."""
    made_dir: dict[str, int] = {}
    takes: dict[str, list[int]] = {}
    removed_dir: dict[str, int] = {}
    uploaded_dir: dict[str, int] = {}
    tombstoned: dict[str, int] = {}
    uploaded: dict[str, int] = {}
    for i, a in enumerate(acts):
        if isinstance(a, MakeDir):
            made_dir[a.path] = i
        for p in _local_takes(a):
            takes.setdefault(p, []).append(i)
        if _removes_local_dir(a):
            removed_dir[_primary(a)] = i
        if isinstance(a, Upload):
            uploaded[a.path] = i
            if a.local.kind is _DIR:
                uploaded_dir[a.path] = i
        elif isinstance(a, UploadTombstone):
            tombstoned[a.path] = i
    succ: dict[int, set[int]] = {}

    def edge(i: int, j: int) -> None:
        if i != j:
            succ.setdefault(i, set()).add(j)

    by_folder: dict[str, list[str]] = {}

    def ancestors(p: str) -> list[str]:
        """_ancestors(p), worked out once per folder."""
        if "/" not in p:
            return []
        folder = p.rpartition("/")[0]
        found = by_folder.get(folder)
        if found is None:
            found = by_folder[folder] = _ancestors(p)
        return found

    for i, a in enumerate(acts):
        if made_dir or takes:
            for p in _local_puts(a):
                if made_dir:
                    for anc in ancestors(p):
                        if anc in made_dir:
                            edge(made_dir[anc], i)
                for j in takes.get(p, ()):
                    edge(j, i)
        if removed_dir:
            for p in _local_takes(a):
                for anc in ancestors(p):
                    if anc in removed_dir:
                        edge(i, removed_dir[anc])
        if uploaded_dir:
            for p in _remote_puts(a):
                for anc in ancestors(p):
                    if anc in uploaded_dir:
                        edge(uploaded_dir[anc], i)
        if tombstoned:
            for p in _remote_takes(a):
                for anc in ancestors(p):
                    if anc in tombstoned:
                        edge(i, tombstoned[anc])
        if isinstance(a, ResolveConflict):
            for p in a.adopted:
                if p in uploaded:
                    edge(uploaded[p], i)
    return succ


def _order(acts: list[Action], succ: Mapping[int, Set[int]], keep: Set[int]) -> tuple[Action, ...]:
    """Kahn's algorithm on the kept actions, ties by (rank, path)."""
    # Each action's place in the (rank, path, index) order, worked out once:
    # the heap then compares plain ints.
    by_key = sorted(
        keep, key=lambda i: (ACTION_RANK[type(acts[i])], _path_key(_primary(acts[i])), i)
    )
    place = {i: n for n, i in enumerate(by_key)}
    indegree = dict.fromkeys(keep, 0)
    for i in keep:
        for j in succ.get(i, ()):
            if j in indegree:
                indegree[j] += 1

    ready = [place[i] for i, n in indegree.items() if n == 0]
    heapq.heapify(ready)
    out: list[Action] = []
    done: set[int] = set()
    while len(done) < len(indegree):
        if not ready:  # a cycle: cannot happen by construction; stay deterministic
            heapq.heappush(ready, min(place[i] for i in indegree if i not in done))
        i = by_key[heapq.heappop(ready)]
        if i in done:
            continue
        done.add(i)
        out.append(acts[i])
        for j in succ.get(i, ()):
            if j in indegree and j not in done:
                indegree[j] -= 1
                if indegree[j] == 0:
                    heapq.heappush(ready, place[j])
    return tuple(out)


def _held(
    acts: list[Action],
    succ: Mapping[int, Set[int]],
    synced: Mapping[str, SyncedEntry],
    limits: PlanLimits,
) -> set[int]:
    """g. The deletes a person must confirm, and everything after them."""
    if limits.allow_mass_delete:
        return set()

    def files() -> int:
        return sum(1 for s in synced.values() if s.kind is not _DIR)

    def local_delete(a: Action) -> tuple[bool, bool]:
        """(is a local delete, of a file)"""
        if isinstance(a, Quarantine):
            return True, a.expect_local.kind is not _DIR
        return False, False

    def remote_delete(a: Action) -> tuple[bool, bool]:
        """(is a remote delete, of a file)"""
        if isinstance(a, UploadTombstone):
            s = synced.get(a.path)
            return True, s is not None and s.kind is not _DIR
        return False, False

    held: set[int] = set()
    for side in (local_delete, remote_delete):
        marks = [side(a) for a in acts]
        n = sum(1 for _, is_file in marks if is_file)
        if n >= limits.mass_delete_min and n >= limits.mass_delete_fraction * files():
            held |= {i for i, (is_del, _) in enumerate(marks) if is_del}
    stack = list(held)
    while stack:
        for j in succ.get(stack.pop(), ()):
            if j not in held:
                held.add(j)
                stack.append(j)
    return held


# ---------------------------------------------------------------------------
# The planner
# ---------------------------------------------------------------------------


def plan(
    remote: Mapping[str, RemoteEntry],
    local: Mapping[str, LocalEntry],
    synced: Mapping[str, SyncedEntry],
    *,
    limits: PlanLimits,
    traits: FsTraits,
    unreadable: Set[str] = frozenset(),
) -> Plan:
    """What to do so that Remote, Local and Synced agree. Pure and deterministic.

    `unreadable`: paths whose local state is unknown this round (the scanner's
    unknown prefixes: unreadable folders and files, files changing while read).
    Nothing at or below them is planned, so an I/O error never reads as a
    delete (data-protection rule 4). Passing ignored paths here too keeps an
    ignored path from reading as deleted.
    """
    paths = [
        *synced,
        *(p for p in remote if p not in synced),
        *(p for p in local if p not in synced and p not in remote),
    ]
    reported, blocked = _skips(paths, remote, local, synced, traits, unreadable)
    found: dict[str, Action] = {}
    for p in paths:
        if p in blocked:
            continue
        here, there, agreed = local.get(p), remote.get(p), synced.get(p)
        if (
            here is not None
            and there is not None
            and agreed is not None
            and _settled(here, there, agreed)
        ):
            continue
        cell = _Cell(p, here, there, agreed)
        action = BUILDERS[DECISIONS[cell.states]](cell)
        if action is not None:
            found[p] = action
    # From here on `actions` stays in path order: the refinements only replace
    # or delete actions.
    actions = {p: found[p] for p in sorted(found, key=_path_key)}
    _keep_needed_dirs(actions, remote, local, unreadable)
    _defer_orphans(actions, local)
    _unsafe_links(actions, reported)
    _pair_local_moves(actions, local)
    _pair_uploaded_moves(actions, remote, local, synced)
    acts = list(actions.values())
    originals = [p for p, r in remote.items() if r.copies and p not in blocked]
    cells = _Cells(remote, local, synced, blocked)
    acts += _resolutions(cells, sorted(originals, key=_path_key), actions)
    succ = _edges(acts)
    held = _held(acts, succ, synced, limits)
    kept = set(range(len(acts))) - held
    return Plan(
        actions=_order(acts, succ, kept),
        held=_order(acts, succ, held),
        skipped=tuple(Skipped(p, reported[p]) for p in sorted(reported, key=_path_key)),
    )
