"""What a running `coffre watch` is doing, in a small JSON file another process can read.

`coffre watch` and the desktop app fold their event stream into a
`FolderModel` and rewrite `<folder dir>/status.json` (atomically: temp file,
then rename) when what it shows changes, plus a heartbeat
(app/folder_runner.py); `coffre status --json` reads it. A file whose
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .activity import FolderModel

STATUS_NAME = "status.json"
HEARTBEAT_S = 30.0
STALE_AFTER_S = 4 * HEARTBEAT_S


def status_path(folder_dir: Path) -> Path:
    return folder_dir / STATUS_NAME


def _iso(ns: int) -> str:
    """To the millisecond: two rounds a fraction of a second apart must read differently."""
    return datetime.fromtimestamp(ns / 1e9, tz=UTC).isoformat(timespec="milliseconds")


def status_json(model: FolderModel) -> dict[str, Any]:
    """What the file shows of a folder (FolderModel folds the events, for the app and watch)."""
    t = model.transfer
    progress: dict[str, dict[str, Any]] = {}
    if t is not None:
        progress[t.direction.value] = {
            "path": t.path,
            "files_done": t.files_done,
            "files_total": t.files_total,
            "bytes_done": t.bytes_done,
            "bytes_total": t.bytes_total,
            "bytes_per_second": round(t.bytes_per_second, 1),
        }
    return {
        "state": model.state.value,
        "message": model.failure or model.message,
        "action": model.action,
        "paused_reason": model.paused_reason,
        "last_sync": None if model.last_sync_ns is None else _iso(model.last_sync_ns),
        "entries_seen": model.scanned_entries,
        "progress": progress,
        # True only when synced with nothing waiting for a person; else `attention` says what.
        "up_to_date": model.up_to_date,
        "attention": [a.value for a in model.attention],
        "conflicts": model.conflict_count,
        "held_deletion": 0 if model.held is None else model.held.total,
        "problems": max(model.problem_count, len(model.problems)),
        # A reader's local changes, kept on this computer: not synced, read-only.
        "read_only": list(model.read_only),
        "locked": model.locked,
    }


def live_summary(live: dict[str, Any]) -> str:
    """`coffre status`'s one-word state for a running folder: "up to date" only when true."""
    if live.get("attention"):
        return "attention"
    if live.get("up_to_date"):
        return "up to date"
    return str(live.get("state", "unknown"))


def write_status(path: Path, shown: dict[str, Any]) -> None:
    """Replace the status file atomically; a failure to write it never stops the sync."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {**shown, "pid": os.getpid(), "updated": time.time()}
    try:
        tmp.write_text(json.dumps(data, indent=2))
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
