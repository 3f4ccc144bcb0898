"""The app's own model refreshes leave the reference count of None alone.

PySide6 6.12.0 on Python 3.11 drops one reference to None in
`QTreeWidgetItem.setData`, `addTopLevelItem` and `currentItem()`: after a few
hundred synced files the count reaches zero and the interpreter aborts with
"Fatal Python error: none_dealloc". pyproject.toml keeps that combination
out; this test fails on it (or on any other binding that leaks or drops
references to None), by driving the activity, history and conflict views,
the status card and the tray through hundreds of updates as a catch-up does.
From Python 3.12 None is immortal and its count never moves: the test then
only checks the views keep working.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.activity import ACTIVITY_LIMIT, FolderModel, HistoryItem
from app.conflicts import ConflictItem, ConflictSide
from app.gui.engine_bridge import EngineBridge
from app.gui.tray import TrayController
from app.gui.views.actions import FolderActions
from app.gui.views.activity_view import ActivityView
from app.gui.views.conflicts_view import ConflictsView
from app.gui.views.folder_status import FolderStatusWidget, HeldDeletionPanel
from app.gui.views.history_view import HistoryView
from sync_engine.events import (
    Change,
    ConflictDetected,
    DeletionHeld,
    Direction,
    FolderState,
    ItemSynced,
    RoundFinished,
    StateChanged,
    TransferProgress,
)

ROUNDS = 300
WARM_UP = ACTIVITY_LIMIT + 20
# A real drop is one reference per call, hundreds per run; the interpreter's own
# caches move the count by a few.
TOLERANCE = 40


@pytest.fixture
def bridge() -> Iterator[EngineBridge]:
    bridge = EngineBridge()
    yield bridge
    bridge.stop()


def _side(path: str, device: str, n: int) -> ConflictSide:
    return ConflictSide(path, device, device, 1_700_000_000_000 + n, n, n, f"v{n}")


def _conflict(n: int) -> ConflictItem:
    path = f"rapport-{n}.txt"
    copy = f"rapport-{n} (conflit portable {n}).txt"
    return ConflictItem(path, copy, _side(path, "a", n), _side(copy, "b", n), True, "a")


def _round(model: FolderModel, n: int) -> None:
    """One synced file as the engine reports it, folded into the model."""
    folder = model.folder_id
    now = time.time_ns() + n
    for event in (
        StateChanged(folder, FolderState.SYNCING),
        TransferProgress(folder, Direction.DOWNLOAD, f"f{n}.txt", n, n, n * 10, n * 10, 1e5),
        ItemSynced(folder, f"f{n}.txt", Change.ADDED, Direction.DOWNLOAD, "portable", now),
        RoundFinished(folder, True, 0, 1, now),
        StateChanged(folder, FolderState.IDLE),
    ):
        model.apply(event)
    if n % 50 == 10:
        model.apply(DeletionHeld(folder, 30, ("a.txt", "b.txt")))
    if n % 50 == 20:
        model.apply(ConflictDetected(folder, "x.txt", f"x{n}.txt", "portable"))


def test_refreshing_every_view_keeps_the_reference_count_of_none(
    qtbot: Any, bridge: EngineBridge, tmp_path: Any
) -> None:
    model = FolderModel("f0", str(tmp_path), "bureau", ready=True)
    bridge.models["f0"] = model
    activity = ActivityView(bridge.models)
    actions = FolderActions(bridge)
    history = HistoryView(actions, lambda: None)  # no folder running: nothing is read
    conflicts = ConflictsView(actions, lambda: None)
    status = FolderStatusWidget(model)
    held = HeldDeletionPanel(model)
    tray = TrayController(bridge)
    for widget in (activity, history, conflicts, status, held):
        qtbot.addWidget(widget)
    history.files = ["a.txt", "b.txt"]
    history._fill_files()
    history.select_file("a.txt")

    def one_round(n: int) -> None:
        _round(model, n)
        activity.refresh()
        status.refresh()
        held.refresh()
        tray.refresh()
        versions = [
            HistoryItem(f"v{i}", 1_700_000_000_000 + i * 1000, "portable", i, i % 7 == 6)
            for i in range(n % 20 + 1)
        ]
        history._versions_loaded("a.txt", versions, "")
        history.versions.setCurrentItem(history.versions.topLevelItem(0))
        assert history.selected_version() in {f"v{n % 20}", None}
        conflicts._loaded([_conflict(i) for i in range(n % 5)], "")
        activity.list.setCurrentItem(activity.list.topLevelItem(0))
        activity._update_buttons()

    # Warm up past the activity's cap (its rows then stay as many): caches, first layouts.
    for n in range(WARM_UP):
        one_round(n)
    before = sys.getrefcount(None)
    for n in range(WARM_UP, WARM_UP + ROUNDS):
        one_round(n)
    after = sys.getrefcount(None)

    assert abs(after - before) < TOLERANCE, (
        f"None's reference count moved by {after - before} over {ROUNDS} refreshes: "
        "this Qt binding drops references to None (PySide6 6.12.0 on Python 3.11?)"
    )
    # The views followed the data: the newest change on top, the activity capped.
    top = activity.list.topLevelItem(0)
    assert top is not None and top.text(2) == f"f{WARM_UP + ROUNDS - 1}.txt"
    assert activity.list.topLevelItemCount() == len(model.activity)
    assert conflicts.list.count() == (WARM_UP + ROUNDS - 1) % 5
