"""The bridge runs a real LiveSync on its own thread and brings its events to the GUI thread."""

from __future__ import annotations

import threading
from typing import Any

from app.gui.engine_bridge import EngineBridge
from app.gui.views.activity_view import ActivityView
from sync_engine.events import (
    Direction,
    FolderState,
)

from .devices import (  # noqa: F401 - the fixtures
    WAIT_MS,
    Device,
    Vault,
    bridge_fixture,
    device_b_fixture,
    start_a,
    vault_fixture,
    vault_template_fixture,
)


def test_a_file_created_on_b_shows_up_in_the_activity_of_a(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    seen_on: set[str] = set()
    bridge.eventReceived.connect(lambda _e: seen_on.add(threading.current_thread().name))
    model = start_a(qtbot, bridge, vault)
    view = ActivityView(bridge.models)
    qtbot.addWidget(view)
    bridge.eventReceived.connect(lambda _e: view.refresh())

    (device_b.folder / "rapport.odt").write_bytes(b"le rapport de B")
    device_b.sync()

    def received() -> bool:
        return any(e.path == "rapport.odt" for e in model.activity)

    qtbot.waitUntil(received, timeout=WAIT_MS)
    item = next(e for e in model.activity if e.path == "rapport.odt")
    assert item.direction is Direction.DOWNLOAD
    assert item.device_name == "portable"
    assert (vault.folder_a / "rapport.odt").read_bytes() == b"le rapport de B"
    # Events reach the widgets on the GUI thread only, never on the engine's.
    assert seen_on == {threading.main_thread().name}
    rows = [view.list.topLevelItem(i).text(2) for i in range(view.list.topLevelItemCount())]
    assert "rapport.odt" in rows
    assert view.list.topLevelItem(rows.index("rapport.odt")).text(3) == "portable"


def test_a_local_edit_is_sent_and_pause_resume_is_shown(
    qtbot: Any, bridge: EngineBridge, vault: Vault
) -> None:
    model = start_a(qtbot, bridge, vault)
    bridge.pause(vault.a.folder_id)
    qtbot.waitUntil(lambda: model.state is FolderState.PAUSED, timeout=WAIT_MS)
    assert model.paused_reason == "user"
    bridge.resume(vault.a.folder_id)
    qtbot.waitUntil(lambda: model.state is not FolderState.PAUSED, timeout=WAIT_MS)

    (vault.folder_a / "note.txt").write_text("écrit sur A")
    bridge.sync_now(vault.a.folder_id)
    qtbot.waitUntil(
        lambda: any(
            e.path == "note.txt" and e.direction is Direction.UPLOAD for e in model.activity
        ),
        timeout=WAIT_MS,
    )
    assert model.activity[0].device_name == "bureau"


def test_a_wrong_passphrase_is_reported_without_blocking(
    qtbot: Any, bridge: EngineBridge, vault: Vault
) -> None:
    model = bridge.add_folder(vault.a)
    with qtbot.waitSignal(bridge.folderFailed, timeout=WAIT_MS) as failed:
        bridge.open_folder(vault.a, "pas la bonne phrase")
    assert failed.args[0] == vault.a.folder_id
    assert model.failure and not model.ready
    assert "pas la bonne phrase" not in failed.args[1]
