"""What the planner can decide: the actions, and the plan that lists them.

The planner (planner.py) makes a Plan; the executor and the engine carry it out
and use these types as their vocabulary. Each action's docstring says what it
obliges the executor to do (data-protection rule 1: every action carrying an
expect_local or a local must find exactly that stat on disk right before
acting, else the path is planned again next round).
"""

from __future__ import annotations

from dataclasses import dataclass

from crypto.reason import Reason

from .model import LocalEntry, Version, VersionId

__all__ = [
    "Action",
    "CopyWrite",
    "Download",
    "ForgetSynced",
    "MakeDir",
    "Plan",
    "PlanLimits",
    "Quarantine",
    "Record",
    "RenameLocal",
    "ResolveConflict",
    "SetAside",
    "Skipped",
    "Upload",
    "UploadMove",
    "UploadTombstone",
    "action_path",
]


@dataclass(frozen=True, slots=True)
class Upload:
    """Read the local file (re-checking `local`'s stat before and after), store
    its chunks, write a version at `path` superseding `supersedes`. A
    directory or symlink writes a version with no data. Then Synced[path] =
    (new version, {new vid}, stat). `concurrent`: another device's head stays
    standing beside it, a conflict that the next round settles."""

    path: str
    supersedes: frozenset[VersionId]
    local: LocalEntry
    concurrent: bool = False


@dataclass(frozen=True, slots=True)
class UploadTombstone:
    """Check `path` is still absent on disk; write a tombstone superseding
    `supersedes`; delete Synced[path]."""

    path: str
    supersedes: frozenset[VersionId]


@dataclass(frozen=True, slots=True)
class UploadMove:
    """A local rename: check `src` is still absent and `dst` still matches
    `local`; write a tombstone at `src` superseding `supersedes`, then a
    version at `dst` with `source`'s content and chunks (no data moves) and
    `local`'s mtime. Then delete Synced[src], set Synced[dst]."""

    src: str
    dst: str
    supersedes: frozenset[VersionId]
    source: Version
    local: LocalEntry


@dataclass(frozen=True, slots=True)
class Download:
    """Check the disk holds `expect_local` at `path` (None: nothing); fetch and
    verify `version`'s chunks into a temporary file in the same directory,
    fsync, rename into place (an emptied directory there goes to quarantine
    first). Then Synced[path] = (version, heads, stat)."""

    path: str
    version: Version
    heads: frozenset[VersionId]
    expect_local: LocalEntry | None


@dataclass(frozen=True, slots=True)
class MakeDir:
    """Check the disk holds `expect_local` at `path` (None: nothing; a file or
    symlink goes to quarantine); create the directory. Then Synced[path] =
    (version, heads, stat); version None is an implicit directory."""

    path: str
    version: Version | None
    heads: frozenset[VersionId]
    expect_local: LocalEntry | None


@dataclass(frozen=True, slots=True)
class Quarantine:
    """Check the disk holds `expect_local`; move it to the local quarantine
    (a directory only once nothing that syncs is left in it); delete
    Synced[path]."""

    path: str
    expect_local: LocalEntry


@dataclass(frozen=True, slots=True)
class RenameLocal:
    """Check `src` holds `expect_local` and `dst` holds nothing; rename src to
    dst (no transfer). Then delete Synced[src], Synced[dst] = (version, heads,
    stat)."""

    src: str
    dst: str
    expect_local: LocalEntry
    version: Version
    heads: frozenset[VersionId]


@dataclass(frozen=True, slots=True)
class SetAside:
    """A reader's own content at `src`, which another device changed too
    (core/read_only.py): check `src` holds `expect_local` and `dst` holds
    nothing; rename src to dst (no transfer). Synced is left as it is: the
    next round sees `src` deleted here and changed there (a download), and
    `dst` as a new local file (for a reader, withheld)."""

    src: str
    dst: str
    expect_local: LocalEntry


@dataclass(frozen=True, slots=True)
class Record:
    """Both sides agree: if the disk still matches `local`, Synced[path] =
    (version, heads, local's stat). Nothing else."""

    path: str
    version: Version | None
    heads: frozenset[VersionId]
    local: LocalEntry


@dataclass(frozen=True, slots=True)
class ForgetSynced:
    """Both sides deleted the path: delete Synced[path]."""

    path: str


@dataclass(frozen=True, slots=True)
class CopyWrite:
    """One conflict copy made real: a version at `path` with `version`'s
    content and chunks, superseding `supersedes`."""

    path: str
    version: Version
    supersedes: frozenset[VersionId]


@dataclass(frozen=True, slots=True)
class ResolveConflict:
    """Write, in this order and in one journal segment: each CopyWrite, then a
    version at `path` with `version`'s content and chunks (None: a directory)
    superseding `supersedes`. No local file changes. Then Synced of each
    written path = (its new version, {its vid}, its Synced stat), and delete
    Synced of each `dismissed` copy (a virtual copy the user deleted: its
    loser is dropped, and stays in history). `adopted` copies were edited
    here: an Upload earlier in this plan writes them; nothing more to do."""

    path: str
    version: Version | None
    supersedes: frozenset[VersionId]
    copies: tuple[CopyWrite, ...]
    dismissed: tuple[str, ...] = ()
    adopted: tuple[str, ...] = ()


Action = (
    Upload
    | UploadTombstone
    | UploadMove
    | Download
    | MakeDir
    | Quarantine
    | RenameLocal
    | SetAside
    | Record
    | ForgetSynced
    | ResolveConflict
)


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class PlanLimits:
    mass_delete_fraction: float = 0.5
    mass_delete_min: int = 10
    allow_mass_delete: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """`actions` in execution order; `held` waits for a person (mass delete);
    `skipped` are paths this disk cannot hold or read, with the reason."""

    actions: tuple[Action, ...]
    held: tuple[Action, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.actions

    @property
    def settles_when_done(self) -> bool:
        """Whether doing every action leaves the next plan empty, so no round is needed to see it.

        True for a plan of plain uploads with nothing held or skipped: each makes
        Remote, Local and Synced agree on its path, and touches no other path.
        Not for an upload beside another device's head: that conflict is the
        next round's. (A first sync is such a plan: this saves re-planning
        100,000 paths.)
        """
        return (
            not self.held
            and not self.skipped
            and all(type(a) is Upload and not a.concurrent for a in self.actions)
        )

    @property
    def fills_from_remote(self) -> bool:
        """Whether the plan only brings new paths from Remote, so no round is needed to see
        it done (round_outcome, SETTLE_WHEN_FILLED).

        True for downloads and folders where nothing is on disk, with nothing held or
        skipped: each makes Remote, Local and Synced agree on its path and touches no
        other. (A new device's first download is such a plan.)
        """
        return (
            bool(self.actions)
            and not self.held
            and not self.skipped
            and all(
                isinstance(a, Download | MakeDir) and a.expect_local is None for a in self.actions
            )
        )


def action_path(action: Action) -> str:
    """The path an action is reported under (the destination of a move)."""
    if isinstance(action, RenameLocal | UploadMove | SetAside):
        return action.dst
    return action.path
