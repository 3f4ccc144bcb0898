"""The live status file of one running folder: written by `coffre watch` and the desktop app.

The folder runner (app/folder_runner.py) folds the engine's events into a
`FolderModel` (app/activity.py) and hands it to a `StatusReporter`, which
rewrites `<folder dir>/status.json` when what it shows changes and on a
heartbeat, and removes it when the folder stops, so `coffre status --json`
tells what the running process is doing, whichever it is.
Conflict copies made by another device arrive as plain files: the runner counts
the vault's conflicts again (`count_conflicts`, off the event loop) after a
round that changed something (`should_recount`), so "up to date" is never
said while a conflict waits, wherever it was found. The reporter is
thread-safe: events may come from the engine's worker threads while the
heartbeat runs on its asyncio loop.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from sync_engine.events import ConflictDetected, Event, RoundFinished
from sync_engine.vault.state import LocalState

from .activity import FolderModel
from .conflicts import conflict_items
from .folders import Binding
from .status_file import HEARTBEAT_S, remove_status, status_json, status_path, write_status


class StatusReporter:
    """Keeps one folder's status file up to date while the folder runs."""

    def __init__(self, folder_dir: Path, heartbeat_s: float = HEARTBEAT_S) -> None:
        self.path = status_path(folder_dir)
        self.heartbeat_s = heartbeat_s
        self._lock = threading.Lock()
        self._shown: dict[str, Any] | None = None
        self._closed = False

    def show(self, model: FolderModel) -> None:
        """Write the model's status if it differs from what the file shows."""
        shown = status_json(model)
        with self._lock:
            if self._closed or shown == self._shown:
                return
            self._shown = shown
            write_status(self.path, shown)

    def beat(self) -> None:
        """Rewrite the last status with a fresh time: the writer is alive."""
        with self._lock:
            if not self._closed and self._shown is not None:
                write_status(self.path, self._shown)

    async def heartbeat(self) -> None:
        """Beat until cancelled (run it as a task next to the live sync)."""
        while True:
            await asyncio.to_thread(self.beat)
            await asyncio.sleep(self.heartbeat_s)

    def close(self) -> None:
        """The folder stopped: no status file any more (`coffre status` says "live": null)."""
        with self._lock:
            self._closed = True
            remove_status(self.path)


def should_recount(event: Event, model: FolderModel) -> bool:
    """After this event, the vault's conflicts may have changed: count them again."""
    if isinstance(event, ConflictDetected):
        return True
    return isinstance(event, RoundFinished) and bool(
        event.uploaded_files or event.downloaded_files or model.conflict_count
    )


def count_conflicts(binding: Binding) -> int:
    """The conflicts waiting in the vault, on a connection of its own (run it on a thread)."""
    state = LocalState(binding.state_path)
    try:
        return len(conflict_items(state, binding))
    finally:
        state.close()
