"""What the views ask of a folder, as jobs off the GUI thread; results come back as callbacks.

The work itself is in app/conflicts.py, app/activity.py and app/restore.py;
this only routes it through the bridge and asks for a sync after a change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from app import restore as restore_mod
from app.activity import HistoryItem, files_with_history, history_items
from app.conflicts import ConflictItem, Resolution, conflict_items, resolve
from app.folders import Binding
from app.gui.engine_bridge import EngineBridge, with_state
from app.messages import AppProblem
from app.session import FolderSession
from sync_engine.lifecycle.gc import Collector
from sync_engine.vault.state import LocalState, QuarantineItem

T = TypeVar("T")
Done = Callable[[Any, str], None]


class FolderActions:
    def __init__(self, bridge: EngineBridge) -> None:
        self.bridge = bridge

    def _then_sync(self, folder_id: str, done: Done) -> Done:
        def after(result: Any, error: str) -> None:
            if not error:
                self.bridge.sync_now(folder_id)
            done(result, error)

        return after

    def _change(self, folder_id: str, fn: Callable[[Binding, LocalState], T], done: Done) -> None:
        """Change the folder or its state on a worker thread, then sync."""

        async def job(binding: Binding, _session: FolderSession | None) -> T:
            return await asyncio.to_thread(with_state, binding, lambda st: fn(binding, st))

        self.bridge.run_job(folder_id, job, self._then_sync(folder_id, done))

    # --- conflicts -------------------------------------------------------------------------

    def conflicts(self, folder_id: str, done: Done) -> None:
        binding = self.bridge.binding(folder_id)

        def counted(result: list[ConflictItem] | None, error: str) -> None:
            if result is not None:
                self.bridge.models[folder_id].set_conflicts(len(result))
                self.bridge.folderChanged.emit(folder_id)
            done(result, error)

        self.bridge.read_state(folder_id, lambda st: conflict_items(st, binding), counted)

    def resolve(self, folder_id: str, item: ConflictItem, choice: Resolution, done: Done) -> None:
        self._change(folder_id, lambda b, st: resolve(b, st, item, choice), done)

    # --- history ---------------------------------------------------------------------------

    def history_files(self, folder_id: str, done: Done) -> None:
        self.bridge.read_state(folder_id, files_with_history, done)

    def history(self, folder_id: str, rel: str, done: Done) -> None:
        binding = self.bridge.binding(folder_id)

        def items(st: LocalState) -> list[HistoryItem]:
            return history_items(st, binding, rel)

        self.bridge.read_state(folder_id, items, done)

    def restore_version(self, folder_id: str, rel: str, version: str, done: Done) -> None:
        async def job(_binding: Binding, session: FolderSession | None) -> str:
            if session is None:
                raise restore_mod.RestoreError("Unlock the folder first.", AppProblem.FOLDER_LOCKED)
            return await restore_mod.restore(session, rel, version, None)

        self.bridge.run_job(folder_id, job, self._then_sync(folder_id, done))

    def purge(self, folder_id: str, rel: str, done: Done) -> None:
        """Erase `rel` and every version of it from the store and every device (gc.py)."""

        async def job(_binding: Binding, session: FolderSession | None) -> int:
            if session is None:
                raise restore_mod.RestoreError("Unlock the folder first.")
            return (await Collector(session.engine).purge(rel)).versions

        self.bridge.run_job(folder_id, job, self._then_sync(folder_id, done))

    # --- quarantine and held deletions -----------------------------------------------------

    def quarantine(self, folder_id: str, done: Done) -> None:
        def items(st: LocalState) -> list[QuarantineItem]:
            return st.quarantined()

        self.bridge.read_state(folder_id, items, done)

    def restore_quarantined(self, folder_id: str, item_id: int, done: Done) -> None:
        self._change(
            folder_id, lambda b, st: restore_mod.restore_quarantine_item(b, st, item_id), done
        )

    def confirm_held(self, folder_id: str) -> None:
        self.bridge.allow_mass_delete_once(folder_id)

    def cancel_held(self, folder_id: str, done: Done) -> None:
        model = self.bridge.models[folder_id]
        model.held = None
        self.bridge.folderChanged.emit(folder_id)
        self._change(folder_id, lambda _b, st: restore_mod.cancel_held_deletion(st), done)
