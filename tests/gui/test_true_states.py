"""A folder with something waiting never says "À jour", in the window or in the tray."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.activity import FolderModel, TrayState
from app.gui.engine_bridge import EngineBridge
from app.gui.tray import TrayController
from app.gui.views.folder_status import FolderStatusWidget
from sync_engine.events import (
    ConflictDetected,
    DeletionHeld,
    FolderState,
    ProblemReported,
    RoundFinished,
    StateChanged,
)


@pytest.fixture
def bridge() -> Iterator[EngineBridge]:
    bridge = EngineBridge()
    yield bridge
    bridge.stop()


def _idle(model: FolderModel) -> None:
    model.apply(StateChanged("f0", FolderState.IDLE))
    model.apply(RoundFinished("f0", True, 0, 0, 1_800_000_000_000_000_000))


@pytest.mark.parametrize(
    ("event", "shown", "tray"),
    [
        (None, "À jour", TrayState.UP_TO_DATE),
        (ConflictDetected("f0", "a.txt", "a (c).txt", "portable"), "conflit", TrayState.CONFLICT),
        (DeletionHeld("f0", 40, ("a.txt",)), "suppression", TrayState.CONFLICT),
        (ProblemReported("f0", "CON", "skipped", "nom réservé"), "synchronis", TrayState.ERROR),
        ("locked", "phrase de passe", TrayState.LOCKED),
    ],
)
def test_the_status_card_and_the_tray_agree(
    qtbot: Any, bridge: EngineBridge, tmp_path: Any, event: object, shown: str, tray: TrayState
) -> None:
    model = FolderModel("f0", str(tmp_path), "bureau", ready=True)
    bridge.models["f0"] = model
    _idle(model)
    if event == "locked":
        model.ready, model.locked = False, True
    elif event is not None:
        model.apply(event)  # type: ignore[arg-type]
        model.apply(RoundFinished("f0", True, 0, 0, 2, problems=1 if shown == "synchronis" else 0))
    card = FolderStatusWidget(model)
    qtbot.addWidget(card)
    controller = TrayController(bridge)
    card.refresh()
    controller.refresh()
    text = card.state_label.text()
    assert shown in text
    assert controller.state is tray
    if event is not None:
        assert "À jour" not in text and "à jour" not in controller.tooltip()


def test_no_conflicts_is_never_said_under_a_list_that_shows_one(
    qtbot: Any, bridge: EngineBridge
) -> None:
    from app.gui.views.actions import FolderActions
    from app.gui.views.conflicts_view import ConflictsView

    from .test_no_crash import _conflict

    view = ConflictsView(FolderActions(bridge), lambda: None)
    qtbot.addWidget(view)
    view._loaded([], "")
    assert view.message.text() == "Aucun conflit."
    view._loaded([_conflict(1)], "")  # a conflict arrives from another device
    assert view.list.count() == 1 and view.message.text() == ""
    assert view.mine.device_label.text() == "a" and view.theirs.device_label.text() == "b"
    view._loaded([], "")
    assert view.list.count() == 0 and view.message.text() == "Aucun conflit."
