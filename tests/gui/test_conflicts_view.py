"""The conflicts view settles a real conflict between two devices, for each choice."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.conflicts import Resolution
from app.gui.engine_bridge import EngineBridge
from app.gui.views.actions import FolderActions
from app.gui.views.conflicts_view import ConflictsView
from sync_engine.events import FolderState, RoundFinished

from .devices import (  # noqa: F401 - the fixtures
    WAIT_MS,
    Device,
    Vault,
    bridge_fixture,
    device_b_fixture,
    start_a,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)

FILES = {
    Resolution.KEEP_MINE: "mine.txt",
    Resolution.KEEP_THEIRS: "theirs.txt",
    Resolution.KEEP_BOTH: "both.txt",
}


def sync_b_until(qtbot: Any, device: Device, predicate: Any) -> None:
    """Sync B every 0.1 s until it sees what A did (A's engine works meanwhile)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        device.sync()
        if predicate():
            return
        qtbot.wait(100)
    raise AssertionError("device B never saw the change")


def test_keep_mine_theirs_and_both_settle_real_conflicts(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = start_a(qtbot, bridge, vault)
    a = vault.folder_a
    for name in FILES.values():
        (a / name).write_text("original")
    bridge.sync_now(fid)
    sync_b_until(
        qtbot, device_b, lambda: all((device_b.folder / n).exists() for n in FILES.values())
    )

    bridge.pause(fid)
    qtbot.waitUntil(lambda: model.state is FolderState.PAUSED, timeout=WAIT_MS)
    for name in FILES.values():
        (device_b.folder / name).write_text(f"B's edit of {name}")
    device_b.sync()
    for name in FILES.values():
        (a / name).write_text(f"A's longer edit of {name}")
    bridge.resume(fid)
    qtbot.waitUntil(lambda: len(model.conflicts) == 3, timeout=WAIT_MS)
    wait_idle(qtbot, model)

    view = ConflictsView(FolderActions(bridge), lambda: fid)
    qtbot.addWidget(view)
    bridge.eventReceived.connect(lambda e: isinstance(e, RoundFinished) and view.refresh())
    view.refresh()
    qtbot.waitUntil(lambda: len(view.items) == 3, timeout=WAIT_MS)
    item = view.items[0]
    assert item.mine.device == "bureau" and item.theirs.device == "portable"
    # Side by side: the panels show the two versions' devices.
    assert (
        view.mine.device_label.text() == "bureau" and view.theirs.device_label.text() == "portable"
    )
    copies = {i.path: i.copy for i in view.items}
    # Both versions open with the system's app, to compare them; no "no conflicts" under them.
    assert view.message.text() != "Aucun conflit."
    view.mine.open_button.click()
    view.theirs.open_button.click()
    assert view.opened == [str(a / item.mine.path), str(a / item.theirs.path)]
    assert {Path(p).read_text()[:5] for p in view.opened} == {"A's l", "B's e"}

    buttons = {
        Resolution.KEEP_MINE: view.keep_mine,
        Resolution.KEEP_THEIRS: view.keep_theirs,
        Resolution.KEEP_BOTH: view.keep_both,
    }
    for choice, name in FILES.items():
        qtbot.waitUntil(lambda n=name: any(i.path == n for i in view.items), timeout=WAIT_MS)
        row = next(r for r, i in enumerate(view.items) if i.path == name)
        view.list.setCurrentRow(row)
        qtbot.waitUntil(buttons[choice].isEnabled, timeout=WAIT_MS)
        with qtbot.waitSignal(view.resolved, timeout=WAIT_MS):
            qtbot.mouseClick(buttons[choice], Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: view.items == [] and model.conflict_count == 0, timeout=WAIT_MS)
    wait_idle(qtbot, model)
    sync_b_until(qtbot, device_b, lambda: not (device_b.folder / copies["mine.txt"]).exists())
    for folder in (a, device_b.folder):
        assert (folder / "mine.txt").read_text() == "A's longer edit of mine.txt"
        assert (folder / "theirs.txt").read_text() == "B's edit of theirs.txt"
        assert not (folder / copies["mine.txt"]).exists()
        assert not (folder / copies["theirs.txt"]).exists()
        assert (folder / "both.txt").read_text() == "A's longer edit of both.txt"
        assert (folder / copies["both.txt"]).read_text() == "B's edit of both.txt"
