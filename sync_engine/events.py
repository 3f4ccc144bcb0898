"""The engine's event stream: everything a front-end may know about a folder's sync.

The engine, the live service and the transfer pipeline emit these; the CLI
(`coffre watch`, `coffre status --json`) and the GUI read them, and neither
reaches into the engine's internals (docs/ARCHITECTURE.md section 1). Events are plain
frozen values, so a sink may pass them to another thread as they are.

A sink is called on the engine's own thread (its asyncio loop or one of its
worker threads): it must be cheap, must not block and must not raise. The GUI's
sink emits a queued Qt signal; the CLI's prints a line or writes a status file.

Paths are folder-relative with '/' separators. Events carry decrypted names,
so they are for the person at this computer: never log them at info level.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from crypto.reason import Reason

from .core.schedule import FolderState as FolderState  # part of the front-ends vocabulary


class Direction(enum.Enum):
    UPLOAD = "upload"
    DOWNLOAD = "download"


class Change(enum.Enum):
    """What happened to one path, as the activity list tells it."""

    ADDED = "added"
    MODIFIED = "modified"
    DELETED = "deleted"  # locally: moved to the quarantine, restorable
    RENAMED = "renamed"
    CONFLICT_COPY = "conflict_copy"


@dataclass(frozen=True, slots=True)
class StateChanged:
    folder: str  # the folder binding's id
    state: FolderState
    message: str = ""  # for OFFLINE and ERROR: what happened, in plain words
    action: str = ""  # for ERROR: what the person can do about it
    paused_reason: str = ""  # for PAUSED: "user" or "metered"
    reason: Reason | None = None  # for OFFLINE and ERROR: why, worded by app/messages.py


@dataclass(frozen=True, slots=True)
class ScanProgress:
    folder: str
    entries_seen: int


@dataclass(frozen=True, slots=True)
class TransferProgress:
    """Totals for the work of the current round, plus the file being moved now.

    Sent per direction that has work: once when the round's transfers start (nothing
    done yet), after each file (`path` is the file just done), and once at the end
    (`path` "", everything counted). The first one moves the folder to SYNCING.
    """

    folder: str
    direction: Direction
    path: str  # the file in progress ("" between files)
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    bytes_per_second: float


@dataclass(frozen=True, slots=True)
class ItemSynced:
    """One path changed on this device (incoming) or was published (outgoing)."""

    folder: str
    path: str
    change: Change
    direction: Direction  # UPLOAD: this device's change; DOWNLOAD: another device's
    device_name: str  # the device that made the change
    at_ns: int  # wall-clock time of the change, ns since the epoch
    old_path: str = ""  # for RENAMED


@dataclass(frozen=True, slots=True)
class ConflictDetected:
    folder: str
    path: str  # the path both devices edited
    copy_path: str  # where the losing version was put
    losing_device: str


@dataclass(frozen=True, slots=True)
class DeletionHeld:
    """The mass-delete guard stopped a deletion; a person must confirm or cancel it."""

    folder: str
    total: int
    paths: tuple[str, ...]  # the first few, for display


@dataclass(frozen=True, slots=True)
class ProblemReported:
    """A path that could not be synced (skipped name, unreadable, changing, held...).

    Sent once, in the round where the problem appears; `RoundFinished.problems` counts
    the problems that remain, and `coffre status` lists them.
    """

    folder: str
    path: str
    kind: str  # the `Problem.kind` of sync_engine.vault.state
    reason: Reason  # why, worded for a person by app/messages.py


@dataclass(frozen=True, slots=True)
class RoundFinished:
    folder: str
    settled: bool  # nothing left to do
    uploaded_files: int
    downloaded_files: int
    at_ns: int
    problems: int = 0  # paths not synced this round (details: ProblemReported, status)
    read_only: tuple[str, ...] = ()  # a reader's local changes, not synced: read-only


@dataclass(frozen=True, slots=True)
class VaultMoved:
    """The vault moved to another store (`coffre move-store`); this folder now syncs there."""

    folder: str
    old_url: str
    new_url: str


Event = (
    StateChanged
    | ScanProgress
    | TransferProgress
    | ItemSynced
    | ConflictDetected
    | DeletionHeld
    | ProblemReported
    | RoundFinished
    | VaultMoved
)

EventSink = Callable[[Event], None]


def discard(event: Event) -> None:
    """The sink of an engine nobody watches."""
