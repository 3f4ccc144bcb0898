"""What a running `coffre watch` is doing, in a small JSON file another process can read.

`coffre watch` folds its event stream into `LiveStatus` and rewrites
`<folder dir>/status.json` (atomically: temp file, then rename) when what it
shows changes, plus a heartbeat; `coffre status --json` reads it. A file whose
writer is gone (the process died, or, where process ids cannot be checked,
no heartbeat for a while) is ignored: the folder is then simply not watched.

The file holds paths of the person's own files (the one in transfer): it
lives in their private data directory, next to the local state that holds
the same names.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync_engine.events import (
    Event,
    FolderState,
    RoundFinished,
    ScanProgress,
    StateChanged,
    TransferProgress,
)

STATUS_NAME = "status.json"
HEARTBEAT_S = 30.0
STALE_AFTER_S = 4 * HEARTBEAT_S


def status_path(folder_dir: Path) -> Path:
    return folder_dir / STATUS_NAME


def _iso(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=UTC).isoformat(timespec="seconds")


@dataclass
class LiveStatus:
    """The folder's live state as the event stream tells it."""

    state: FolderState = FolderState.IDLE
    message: str = ""
    action: str = ""
    paused_reason: str = ""
    last_sync: str | None = None
    entries_seen: int = 0
    progress: dict[str, dict[str, Any]] = field(default_factory=dict)  # by direction

    def apply(self, event: Event) -> bool:
        """Fold one event in; True if what the file shows changed."""
        match event:
            case StateChanged():
                self.state, self.message, self.action = event.state, event.message, event.action
                self.paused_reason = event.paused_reason
                if event.state not in (FolderState.SCANNING, FolderState.SYNCING):
                    self.progress.clear()
                return True
            case ScanProgress():
                self.entries_seen = event.entries_seen
                return False
            case TransferProgress():
                self.progress[event.direction.value] = {
                    "path": event.path,
                    "files_done": event.files_done,
                    "files_total": event.files_total,
                    "bytes_done": event.bytes_done,
                    "bytes_total": event.bytes_total,
                    "bytes_per_second": round(event.bytes_per_second, 1),
                }
                return True
            case RoundFinished():
                self.last_sync = _iso(event.at_ns)
                return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "message": self.message,
            "action": self.action,
            "paused_reason": self.paused_reason,
            "last_sync": self.last_sync,
            "entries_seen": self.entries_seen,
            "progress": self.progress,
            "pid": os.getpid(),
            "updated": time.time(),
        }


def write_status(path: Path, status: LiveStatus) -> None:
    """Replace the status file atomically; a failure to write it never stops the sync."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(status.to_json(), indent=2))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def remove_status(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _alive(pid: int) -> bool | None:
    """Whether process `pid` runs (None where this cannot be checked safely)."""
    if sys.platform == "win32":  # os.kill would terminate it there
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def read_status(path: Path, *, now: float | None = None) -> dict[str, Any] | None:
    """The live status of a running watch, or None if no watch runs for this folder."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid, updated = data.get("pid"), data.get("updated")
    if not isinstance(pid, int) or not isinstance(updated, int | float):
        return None
    alive = _alive(pid)
    if alive is False:
        return None
    if alive is None and (now if now is not None else time.time()) - updated > STALE_AFTER_S:
        return None
    return data
