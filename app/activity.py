"""What the main window and the tray show, computed without Qt.

`FolderModel` folds one folder's engine events (sync_engine/events.py) into
the few facts a person looks at: its state, when it last synced, what is
moving now and how fast, recent changes, conflicts, a held deletion. The
widgets only draw these objects, so the logic is tested without a window.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from crypto.reason import Reason
from sync_engine.core.model import Kind, hlc_millis
from sync_engine.events import (
    ConflictDetected,
    DeletionHeld,
    Direction,
    Event,
    FolderState,
    ItemSynced,
    ProblemReported,
    RoundFinished,
    ScanProgress,
    StateChanged,
    TransferProgress,
)
from sync_engine.lifecycle.gc import kept_in_state
from sync_engine.vault.state import LocalState

from .conflicts import device_names
from .folders import Binding

ACTIVITY_LIMIT = 200


class Attention(enum.Enum):
    """Why a folder is not simply "up to date": something waits for a person."""

    ERROR = "error"  # could not open, or a failure someone must look at
    LOCKED = "locked"  # waits for the passphrase
    HELD_DELETION = "held_deletion"  # a mass deletion waits for confirmation
    CONFLICT = "conflict"  # two versions wait for a choice
    SKIPPED = "skipped"  # files that could not be synced


@dataclass
class FolderModel:
    """One bound folder as the window shows it; `apply` takes the engine's events in order."""

    folder_id: str
    folder: str
    device_name: str = ""
    ready: bool = False  # the session is open and the live sync runs
    failure: str = ""  # why the folder could not be opened (wrong passphrase, store missing)
    locked: bool = False  # waiting for the person's passphrase (nothing remembered)
    state: FolderState = FolderState.SCANNING
    message: str = ""  # English, for logs: `reason` is what a person reads
    action: str = ""
    paused_reason: str = ""
    reason: Reason | None = None  # why the folder is OFFLINE or in ERROR
    last_sync_ns: int | None = None
    scanned_entries: int = 0
    transfer: TransferProgress | None = None
    conflicts: dict[str, ConflictDetected] = field(default_factory=dict)
    conflict_count: int = 0
    held: DeletionHeld | None = None
    problems: dict[str, ProblemReported] = field(default_factory=dict)
    problem_count: int = 0  # paths the last round could not sync (RoundFinished.problems)
    read_only: tuple[str, ...] = ()  # a reader's local changes, not synced: read-only
    activity: deque[ItemSynced] = field(default_factory=lambda: deque(maxlen=ACTIVITY_LIMIT))
    # This person's role in a shared (v2) folder: "owner", "editor", "reader"; "" not known
    # (a v1 vault, or the members not read yet). A reader's card wears a read-only badge.
    role: str = ""
    _round_problems: dict[str, ProblemReported] = field(default_factory=dict)
    _round_held: bool = False

    @classmethod
    def for_binding(cls, binding: Binding) -> FolderModel:
        return cls(binding.folder_id, binding.folder, binding.device_name)

    def apply(self, event: Event) -> None:
        if isinstance(event, StateChanged):
            self.state = event.state
            self.message, self.action = event.message, event.action
            self.reason = event.reason
            self.paused_reason = event.paused_reason
            if event.state is not FolderState.SYNCING:
                self.transfer = None
            if event.state is not FolderState.SCANNING:
                self.scanned_entries = 0
        elif isinstance(event, ScanProgress):
            self.scanned_entries = event.entries_seen
        elif isinstance(event, TransferProgress):
            self.transfer = event
        elif isinstance(event, ItemSynced):
            self.activity.appendleft(event)
        elif isinstance(event, ConflictDetected):
            self.conflicts[event.copy_path] = event
            self.conflict_count = max(self.conflict_count, len(self.conflicts))
        elif isinstance(event, DeletionHeld):
            self.held, self._round_held = event, True
        elif isinstance(event, ProblemReported):
            self._round_problems[event.path] = event
        elif isinstance(event, RoundFinished):
            self.transfer = None
            self.problems, self._round_problems = self._round_problems, {}
            self.problem_count = max(event.problems, len(self.problems))
            self.read_only = event.read_only
            if not self._round_held:  # a round without the guard: nothing is held any more
                self.held = None
            self._round_held = False
            if event.settled:
                self.last_sync_ns = event.at_ns

    def set_conflicts(self, count: int) -> None:
        """The conflicts view listed the vault's conflicts: that count is the truth."""
        self.conflict_count = count
        if count == 0:
            self.conflicts.clear()

    @property
    def attention(self) -> list[Attention]:
        """What waits for a person, most pressing first; empty when nothing does."""
        found = []
        if self.failure or self.state is FolderState.ERROR:
            found.append(Attention.ERROR)
        if self.locked:
            found.append(Attention.LOCKED)
        if self.held is not None:
            found.append(Attention.HELD_DELETION)
        if self.conflict_count:
            found.append(Attention.CONFLICT)
        if self.problem_count or self.problems:
            found.append(Attention.SKIPPED)
        return found

    @property
    def up_to_date(self) -> bool:
        """True only when the folder is synced and nothing waits for a person."""
        return self.ready and self.state is FolderState.IDLE and not self.attention

    @property
    def busy(self) -> bool:
        return self.state in (FolderState.SCANNING, FolderState.SYNCING)

    @property
    def paused(self) -> bool:
        return self.state is FolderState.PAUSED

    @property
    def progress(self) -> float | None:
        """Fraction of the current round's bytes done, or None when nothing is moving."""
        t = self.transfer
        if t is None or t.bytes_total <= 0:
            return None
        return min(1.0, t.bytes_done / t.bytes_total)

    @property
    def speed(self) -> float:
        return 0.0 if self.transfer is None else self.transfer.bytes_per_second

    @property
    def current_file(self) -> str:
        return "" if self.transfer is None else self.transfer.path

    @property
    def direction(self) -> Direction | None:
        return None if self.transfer is None else self.transfer.direction


# --- the tray: one state for all folders -------------------------------------------------------


class TrayState(enum.Enum):
    UP_TO_DATE = "up_to_date"
    SYNCING = "syncing"
    PAUSED = "paused"
    OFFLINE = "offline"
    ERROR = "error"
    LOCKED = "locked"  # a folder waits for its passphrase
    CONFLICT = "conflict"


def tray_state(models: Iterable[FolderModel]) -> TrayState:
    """The most pressing state of any folder: a person's attention first, then work."""
    found = set()
    for m in models:
        attention = m.attention
        if Attention.ERROR in attention:
            found.add(TrayState.ERROR)
        elif Attention.LOCKED in attention:
            found.add(TrayState.LOCKED)
        elif Attention.CONFLICT in attention or Attention.HELD_DELETION in attention:
            found.add(TrayState.CONFLICT)
        elif Attention.SKIPPED in attention:
            found.add(TrayState.ERROR)  # files left behind: never "up to date"
        elif not m.ready or m.busy:
            found.add(TrayState.SYNCING)
        elif m.state is FolderState.OFFLINE:
            found.add(TrayState.OFFLINE)
        elif m.paused:
            found.add(TrayState.PAUSED)
        else:
            found.add(TrayState.UP_TO_DATE)
    for state in (
        TrayState.ERROR,
        TrayState.LOCKED,
        TrayState.CONFLICT,
        TrayState.OFFLINE,
        TrayState.SYNCING,
        TrayState.PAUSED,
    ):
        if state in found:
            return state
    return TrayState.UP_TO_DATE


def all_paused(models: Iterable[FolderModel]) -> bool:
    ready = [m for m in models if m.ready]
    return bool(ready) and all(m.paused for m in ready)


# --- history and quarantine listings ------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    version: str
    time_ms: int
    device: str
    size: int
    deleted: bool
    # False: the vault's retention no longer keeps it, and the next garbage collection
    # frees its data (`coffre history`'s "[expires at next GC]").
    kept: bool = True


@dataclass(frozen=True)
class RetentionSummary:
    """How many of a file's listed versions are past the vault's retention."""

    total: int
    expiring: int

    @classmethod
    def of(cls, items: Iterable[HistoryItem]) -> RetentionSummary:
        listed = list(items)
        return cls(len(listed), sum(1 for h in listed if not h.kept))


def history_items(
    state: LocalState, binding: Binding, rel: str, now_ms: int | None = None
) -> list[HistoryItem]:
    """Every version of one path, oldest first, and whether the vault's retention keeps it.

    As `coffre history` lists them: the same `kept_in_state` decides what is kept at `now_ms`.
    """
    names = device_names(state, binding)
    versions = [v for v in state.versions_at(rel) if v.kind in (Kind.FILE, Kind.TOMBSTONE)]
    now = int(time.time() * 1000) if now_ms is None else now_ms
    kept = kept_in_state(state, names, now) if versions else frozenset()
    return [
        HistoryItem(
            version=str(v.vid),
            time_ms=hlc_millis(v.hlc),
            device=names.get(v.vid.device, v.vid.device[:8]),
            size=v.size,
            deleted=v.kind is Kind.TOMBSTONE,
            kept=v.vid in kept,
        )
        for v in versions
    ]


def files_with_history(state: LocalState) -> list[str]:
    """Every path that was ever a file in the vault, including deleted ones, sorted."""
    return sorted({v.path for v in state.all_versions() if v.kind is Kind.FILE})


def last_sync_ns(state: LocalState) -> int | None:
    """The time the CLI or an earlier run recorded as the last complete sync."""
    text = state.get_meta("last_sync")
    if not isinstance(text, str):
        return None
    try:
        return int(datetime.fromisoformat(text).timestamp() * 1e9)
    except ValueError:
        return None
