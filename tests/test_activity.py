"""What the main window and the tray show, computed without Qt (app/activity.py)."""

from __future__ import annotations

from typing import Any

from app.activity import FolderModel, TrayState, tray_state
from sync_engine.events import (
    Change,
    Direction,
    FolderState,
    ItemSynced,
    RoundFinished,
    StateChanged,
    TransferProgress,
)

from .qt_free import assert_imports_without_qt


def test_the_models_and_these_tests_need_no_qt() -> None:
    assert_imports_without_qt("tests.test_activity")


def test_folder_model_aggregates_progress_and_rounds() -> None:
    model = FolderModel("f", "/tmp/f")
    model.apply(StateChanged("f", FolderState.SYNCING))
    model.apply(TransferProgress("f", Direction.UPLOAD, "a.bin", 1, 4, 250, 1000, 2048.0))
    assert model.progress == 0.25
    assert model.speed == 2048.0 and model.current_file == "a.bin"
    model.apply(ItemSynced("f", "a.bin", Change.ADDED, Direction.UPLOAD, "bureau", 5))
    model.apply(RoundFinished("f", True, 1, 0, 123))
    assert model.transfer is None and model.progress is None
    assert model.last_sync_ns == 123
    model.apply(StateChanged("f", FolderState.IDLE))
    assert not model.busy and len(model.activity) == 1


def _model(state: FolderState, **kw: Any) -> FolderModel:
    m = FolderModel("f", "/f", ready=True, state=state)
    for k, v in kw.items():
        setattr(m, k, v)
    return m


def test_the_tray_shows_the_most_pressing_state() -> None:
    idle, paused = _model(FolderState.IDLE), _model(FolderState.PAUSED)
    syncing, offline = _model(FolderState.SYNCING), _model(FolderState.OFFLINE)
    error, conflicted = _model(FolderState.ERROR), _model(FolderState.IDLE, conflict_count=1)
    assert tray_state([idle]) is TrayState.UP_TO_DATE
    assert tray_state([idle, paused]) is TrayState.PAUSED
    assert tray_state([paused, syncing]) is TrayState.SYNCING
    assert tray_state([syncing, offline]) is TrayState.OFFLINE
    assert tray_state([offline, conflicted]) is TrayState.CONFLICT
    assert tray_state([conflicted, error]) is TrayState.ERROR
    assert tray_state([_model(FolderState.IDLE, ready=False, failure="locked")]) is TrayState.ERROR
    waiting = _model(FolderState.SCANNING, ready=False, locked=True)  # needs its passphrase
    assert tray_state([conflicted, waiting]) is TrayState.LOCKED
    assert tray_state([waiting, error]) is TrayState.ERROR
