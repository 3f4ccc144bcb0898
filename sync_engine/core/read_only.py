################################################################
# Read-only rounds: what a reader's device does of a plan
################################################################
#
# Rule 1: every rule that decides what a device whose person is a READER does
# with the planner's plan lives in this file: which action kinds it keeps,
# which it withholds (the paths it lists as "not synced: read-only"), and the
# safety rule that keeps a withheld path's local content as it is (READER).
# The planner (planner.py) decides as for anyone; this is a filter after it.
#
# Rule 2: pure. It reads a Plan and a role and returns a Plan and paths; the
# engine runs the plan and reports the paths (RoundReport.read_only).
#
# Theory of operation
# ===================
#
# A reader may apply what others publish but publish nothing of its own but
# status (sync_engine/core/authority.py): its client does not even try, so
# nothing it holds is refused, and nothing it does locally is lost. Its local
# changes stay on its disk, listed, until its role changes or it undoes them.
#
# Each action kind is either KEPT (it brings others' changes to this disk, or
# it is local bookkeeping) or WITHHELD (it would publish a version, a
# tombstone or a resolution). SetAside is never planned: this module makes
# it (below), and keeps it. The table, as READER holds it (docs/SYNC.md
# section 8 "Write authority" shows it too; tests/test_read_only.py checks
# both copies and that every action kind is in it):
#
#   action          | reader    | withheld paths
#   Download        | keeps     | -
#   MakeDir         | keeps     | -
#   Quarantine      | keeps     | -
#   RenameLocal     | keeps     | -
#   SetAside        | keeps     | -
#   Record          | keeps     | -
#   ForgetSynced    | keeps     | -
#   Upload          | withholds | path
#   UploadTombstone | withholds | path
#   UploadMove      | withholds | src, dst
#   ResolveConflict | withholds | dismissed copies
#
# Data safety. The planner gives each path one action (a move two paths, a
# resolution its copies), so a path a reader changed carries the action
# that would publish the change, never a download or a delete as well. A
# withheld path therefore keeps its local content: not overwritten, deleted
# nor quarantined in that round. Should a kept action still touch a withheld
# path on disk (the planner's rules change), it is dropped too (`touches`;
# by construction it never is: tests/test_read_only.py checks it over
# arbitrary plans of the real planner).
#
# A remote change to a path the reader changed is a conflict for the
# planner (CHANGED/CHANGED or NEW/NEW): it plans the conflict upload of the
# local content (`Upload(concurrent=True)`), and no download. The reader
# withholds that upload, nothing is uploaded, and its content becomes a
# LOCAL CONFLICT COPY: given the names (`CopyNaming`), the file or symlink is
# renamed (`SetAside`, first in the plan, checked against its scanned stat)
# to the name the merge would give a conflict copy of this device
# (`conflict_copy_name`: "report (conflit poste-2 2026-12-05 101530).odt",
# the time of the reader's edit, a free name), and that copy is listed. The
# next round sees the path deleted here and changed there and downloads the
# other version (edit beats delete); the copy is a new local file, withheld
# like any. Without the names (or for a folder) the content stays where it
# is, listed, and the other version waits until the reader moves it away.
# Either way the reader's bytes are never overwritten, deleted or
# quarantined, and the store gets nothing: the merge shows no conflict copy
# to others, since the reader's version never reached it.
#
# A resolution writes versions (the winner, each conflict copy): the reader
# cannot publish it, so it is left to an editor. The copies it dismissed (a
# virtual conflict copy the reader deleted) are the reader's change: listed.
# A copy the reader edited is an Upload, withheld like any other.
#
# Held actions (the mass-delete guard) go through the same table: a reader's
# mass delete is withheld, not held.

from __future__ import annotations

import enum
from collections.abc import Set
from dataclasses import dataclass

from .actions import (
    Action,
    Download,
    ForgetSynced,
    MakeDir,
    Plan,
    Quarantine,
    Record,
    RenameLocal,
    ResolveConflict,
    SetAside,
    Upload,
    UploadMove,
    UploadTombstone,
)
from .membership_entry import Role
from .merge import conflict_copy_name
from .model import Kind, hlc_make

__all__ = [
    "MAX_COPY_ATTEMPTS",
    "READER",
    "CopyNaming",
    "Fate",
    "reader_table",
    "touches",
    "withheld_paths",
    "withhold",
]

MAX_COPY_ATTEMPTS = 1000  # " 2", " 3"...: past this, the content stays where it is


class Fate(enum.Enum):
    KEEP = "keeps"
    WITHHOLD = "withholds"


# action kind -> what a reader does with it.
READER: dict[type[Action], Fate] = {
    Download: Fate.KEEP,
    MakeDir: Fate.KEEP,
    Quarantine: Fate.KEEP,
    RenameLocal: Fate.KEEP,
    SetAside: Fate.KEEP,
    Record: Fate.KEEP,
    ForgetSynced: Fate.KEEP,
    Upload: Fate.WITHHOLD,
    UploadTombstone: Fate.WITHHOLD,
    UploadMove: Fate.WITHHOLD,
    ResolveConflict: Fate.WITHHOLD,
}

_WITHHELD_LABEL: dict[type[Action], str] = {
    Upload: "path",
    UploadTombstone: "path",
    UploadMove: "src, dst",
    ResolveConflict: "dismissed copies",
}


def reader_table() -> list[str]:
    """READER as the lines of the table in the header and in docs/SYNC.md."""
    rows = [("action", "reader", "withheld paths")] + [
        (kind.__name__, fate.value, _WITHHELD_LABEL.get(kind, "-")) for kind, fate in READER.items()
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    return [f"{r[0].ljust(widths[0])} | {r[1].ljust(widths[1])} | {r[2]}" for r in rows]


def withheld_paths(action: Action) -> tuple[str, ...]:
    """The paths whose local change a withheld `action` would have published."""
    if isinstance(action, Upload | UploadTombstone):
        return (action.path,)
    if isinstance(action, UploadMove):
        return (action.src, action.dst)
    if isinstance(action, ResolveConflict):
        return action.dismissed
    return ()


def touches(action: Action) -> tuple[str, ...]:
    """The paths a kept action changes on disk or in Synced."""
    if isinstance(action, RenameLocal | SetAside):
        return (action.src, action.dst)
    if isinstance(action, Download | MakeDir | Quarantine | Record | ForgetSynced):
        return (action.path,)
    return ()


@dataclass(frozen=True, slots=True)
class CopyNaming:
    """What a reader's local conflict copy is named from, as the merge names copies."""

    label: str  # this device's name
    language: str  # the vault's language ("en", "fr")
    taken: Set[str]  # every path of Remote and Local: a copy never lands on one


def _copy_name(path: str, mtime_ns: int, naming: CopyNaming, chosen: Set[str]) -> str | None:
    stamp = hlc_make(max(0, mtime_ns) // 1_000_000)
    for attempt in range(1, MAX_COPY_ATTEMPTS + 1):
        name = conflict_copy_name(path, naming.label, stamp, attempt, naming.language)
        if name not in naming.taken and name not in chosen:
            return name
    return None


def _set_aside(plan: Plan, naming: CopyNaming) -> list[SetAside]:
    """A SetAside for each conflict upload of a file or symlink, in plan order."""
    out: list[SetAside] = []
    chosen: set[str] = set()
    for a in plan.actions:
        if isinstance(a, Upload) and a.concurrent and a.local.kind in (Kind.FILE, Kind.SYMLINK):
            name = _copy_name(a.path, a.local.mtime_ns, naming, chosen)
            if name is not None:
                chosen.add(name)
                out.append(SetAside(a.path, name, a.local))
    return out


def _filter(
    actions: tuple[Action, ...], withheld: Set[str]
) -> tuple[tuple[Action, ...], list[str]]:
    kept: list[Action] = []
    found: list[str] = []
    for a in actions:
        if READER[type(a)] is Fate.WITHHOLD:
            found.extend(withheld_paths(a))
        elif not any(p in withheld for p in touches(a)):
            kept.append(a)
    return tuple(kept), found


def withhold(
    plan: Plan, role: Role | None, naming: CopyNaming | None = None
) -> tuple[Plan, tuple[str, ...]]:
    """What a device of a person in `role` runs of `plan`, and the paths it withholds.

    Owners and editors run the plan as it is. A reader (or a device with no
    role) keeps the kinds READER keeps, minus any that touches a withheld
    path, and with `naming` sets aside its content where another device
    changed the path too; the paths come back sorted (a set-aside content
    under its copy's name).
    """
    if role in (Role.OWNER, Role.EDITOR):
        return plan, ()
    asides = _set_aside(plan, naming) if naming is not None else []
    withheld = {p for a in (*plan.actions, *plan.held) if READER[type(a)] is Fate.WITHHOLD
                for p in withheld_paths(a)}  # fmt: skip
    actions, found = _filter(plan.actions, withheld)
    held, found_held = _filter(plan.held, withheld)
    moved = {a.src: a.dst for a in asides}
    paths = tuple(sorted({moved.get(p, p) for p in (*found, *found_held)}))
    return Plan(actions=(*asides, *actions), held=held, skipped=plan.skipped), paths
