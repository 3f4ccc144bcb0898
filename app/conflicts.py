"""Conflicts as a person sees them: both versions of a file, and how to settle them on disk.

The merge (sync_engine/core/merge.py) already keeps every losing version as a
conflict copy next to the original, on every device alike. Settling a conflict
is therefore plain file work in the synced folder, which the next sync round
publishes like any other change:

- keep both: the copy becomes an ordinary file (its date is refreshed, so the
  next round publishes a version of it that is no longer marked as a copy);
- keep one side: that content ends at the original path and the other file
  goes to the local quarantine (never unlinked; every version also stays in
  the history).

Every step re-checks the files against what the person was shown (size, date,
inode) and refuses if either changed meanwhile (docs/ARCHITECTURE.md, rule 1).
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sync_engine.core.merge import merge
from sync_engine.core.model import Kind, StatKey, Version, hlc_millis
from sync_engine.disk.fs_errors import FsError
from sync_engine.disk.localfs import DiskFs, FsEntry
from sync_engine.engine import VAULT_LANGUAGE_META
from sync_engine.vault.state import LocalState

from .folders import Binding
from .messages import AppProblem, ReasonedError


class ConflictError(ReasonedError):
    """A conflict could not be settled; nothing was changed. The reason says why."""


class Resolution(enum.Enum):
    KEEP_MINE = "keep_mine"
    KEEP_THEIRS = "keep_theirs"
    KEEP_BOTH = "keep_both"


@dataclass(frozen=True)
class ConflictSide:
    """One of the two versions: where it is on disk and who wrote it when."""

    path: str  # where this content is now (the original path, or the copy)
    device: str  # the device name
    device_id: str
    time_ms: int  # when that device wrote it (ms since the epoch, UTC)
    size: int
    mtime_ns: int
    version: str  # its version id, for the history

    @property
    def iso_time(self) -> str:
        return iso_millis(self.time_ms)


@dataclass(frozen=True)
class ConflictItem:
    path: str  # the path both devices edited
    copy: str  # where the losing version is kept
    current: ConflictSide  # the version at `path` (the winner)
    conflict_copy: ConflictSide  # the version at `copy` (the loser)
    written: bool  # False: the copy is still virtual (the next round writes it)
    this_device: str  # device id of this folder

    @property
    def mine(self) -> ConflictSide:
        """This device's version; if neither side is ours, the one at the original path."""
        if self.conflict_copy.device_id == self.this_device != self.current.device_id:
            return self.conflict_copy
        return self.current

    @property
    def theirs(self) -> ConflictSide:
        return self.current if self.mine is self.conflict_copy else self.conflict_copy


def iso_millis(millis: int) -> str:
    return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat(timespec="seconds")


def device_names(state: LocalState, binding: Binding) -> dict[str, str]:
    names = {d: h.name for d, h in state.accepted_heads().items()}
    names[binding.device_id] = binding.device_name
    return names


def _side(path: str, v: Version, names: dict[str, str]) -> ConflictSide:
    return ConflictSide(
        path=path,
        device=names.get(v.vid.device, v.vid.device[:8]),
        device_id=v.vid.device,
        time_ms=hlc_millis(v.hlc),
        size=v.size,
        mtime_ns=v.mtime_ns,
        version=str(v.vid),
    )


def conflict_items(state: LocalState, binding: Binding) -> list[ConflictItem]:
    """Every conflict copy still in the vault: not yet written (virtual) or written."""
    names = device_names(state, binding)
    language = state.get_meta(VAULT_LANGUAGE_META) or "en"  # as the engine names copies
    tree = merge(state.all_versions(), names, language)
    items = []
    for copy_path, entry in tree.entries.items():
        v = entry.version
        original = entry.copy_of or (v.copy_of if v is not None else None)
        if v is None or original is None:
            continue
        # The loser is the version at the original path with this content.
        same = [o for o in state.versions_at(original) if o.content_key == v.content_key]
        loser = max(same, key=lambda o: o.recency) if same else v
        there = tree.entries.get(original)
        winner = there.version if there is not None else None
        if winner is None:  # the original path became a folder: nothing to choose between
            winner = loser
        items.append(
            ConflictItem(
                path=original,
                copy=copy_path,
                current=_side(original, winner, names),
                conflict_copy=_copy_side(copy_path, v, loser, names),
                written=entry.copy_of is None,
                this_device=binding.device_id,
            )
        )
    return items


def _copy_side(path: str, v: Version, loser: Version, names: dict[str, str]) -> ConflictSide:
    """The copy's own version may be a resolution written by a third device: show the loser's
    author and time, with the copy's size and date as they are on disk."""
    side = _side(path, loser, names)
    return ConflictSide(
        side.path, side.device, side.device_id, side.time_ms, v.size, v.mtime_ns, side.version
    )


def list_conflicts(state: LocalState, binding: Binding) -> list[dict[str, Any]]:
    """The conflicts as `coffre conflicts --json` prints them."""
    return [
        {
            "path": item.path,
            "copy": item.copy,
            "losing_device": item.conflict_copy.device,
            "losing_time": item.conflict_copy.iso_time,
            "loser": item.conflict_copy.version,
            "written": item.written,
        }
        for item in conflict_items(state, binding)
    ]


# --- settling a conflict on disk --------------------------------------------------------------


def _expect(fs: DiskFs, side: ConflictSide) -> StatKey:
    """The file as it is now, if it is still the version the person was shown."""
    try:
        entry: FsEntry | None = fs.stat(side.path)
    except FsError as exc:
        raise ConflictError(str(exc), exc.reason) from exc
    if entry is None or entry.kind is not Kind.FILE:
        raise ConflictError(
            f"{side.path} is not in the folder any more; wait for the next sync and try again.",
            AppProblem.CONFLICT_GONE,
            path=side.path,
        )
    if entry.size != side.size or entry.mtime_ns != side.mtime_ns:
        raise ConflictError(
            f"{side.path} changed since the conflict was shown; nothing was changed. "
            "Look at the conflict again.",
            AppProblem.CONFLICT_CHANGED,
            path=side.path,
        )
    return entry.stat_key


def resolve(binding: Binding, state: LocalState, item: ConflictItem, choice: Resolution) -> str:
    """Settle one conflict in the folder; returns the path that now holds the kept content.

    The caller then asks for a sync: the round publishes the result.
    """
    fs = DiskFs(binding.folder)
    if choice is Resolution.KEEP_BOTH:
        expect = _expect(fs, item.conflict_copy)
        now_ns = time.time_ns()
        # At least a second newer: the planner compares dates to the second.
        when = max(now_ns, item.conflict_copy.mtime_ns + 1_000_000_000)
        try:
            fs.set_mtime(item.copy, when, expect=expect)
        except FsError as exc:
            raise ConflictError(str(exc), exc.reason) from exc
        return item.copy
    keep = item.mine if choice is Resolution.KEEP_MINE else item.theirs
    drop = item.conflict_copy if keep is item.current else item.current
    expect_keep = _expect(fs, keep)
    expect_drop = _expect(fs, drop)
    quarantine = str(binding.quarantine_dir)
    try:
        stored = fs.quarantine(drop.path, expect=expect_drop, quarantine_dir=quarantine)
        with state.transaction():
            state.add_quarantined(drop.path, stored, time.time_ns())
        if keep.path != item.path:
            fs.rename(keep.path, item.path, expect_src=expect_keep, expect_dst=None)
    except FsError as exc:
        raise ConflictError(str(exc), exc.reason) from exc
    return item.path
