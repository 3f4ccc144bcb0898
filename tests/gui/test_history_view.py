"""History and quarantine: an older version and a file removed by sync are brought back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.gui.engine_bridge import EngineBridge
from app.gui.views.actions import FolderActions
from app.gui.views.history_view import HistoryView
from app.gui.views.quarantine_view import QuarantineView
from sync_engine.events import Change, Direction
from sync_engine.lifecycle.gc import Collector

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
from .test_conflicts_view import sync_b_until


def _sent(model: Any, path: str, count: int) -> bool:
    sent = [e for e in model.activity if e.path == path and e.direction is Direction.UPLOAD]
    return len(sent) >= count


def test_restore_an_older_version(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = start_a(qtbot, bridge, vault)
    budget = vault.folder_a / "budget.txt"
    budget.write_text("version 1")
    bridge.sync_now(fid)
    qtbot.waitUntil(lambda: _sent(model, "budget.txt", 1), timeout=WAIT_MS)
    budget.write_text("version 2, longer")
    bridge.sync_now(fid)
    qtbot.waitUntil(lambda: _sent(model, "budget.txt", 2), timeout=WAIT_MS)

    view = HistoryView(FolderActions(bridge), lambda: fid)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: "budget.txt" in view.files, timeout=WAIT_MS)
    view.select_file("budget.txt")
    qtbot.waitUntil(lambda: view.versions.topLevelItemCount() == 2, timeout=WAIT_MS)
    assert not view.restore_button.isEnabled()
    view.versions.setCurrentItem(view.versions.topLevelItem(1))  # newest first: 1 is the older
    assert view.restore_button.isEnabled()
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: budget.read_text() == "version 1", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _sent(model, "budget.txt", 3), timeout=WAIT_MS)
    sync_b_until(
        qtbot, device_b, lambda: (device_b.folder / "budget.txt").read_text() == "version 1"
    )
    view.reload_versions()
    qtbot.waitUntil(lambda: view.versions.topLevelItemCount() == 3, timeout=WAIT_MS)


def test_restore_from_the_quarantine(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = start_a(qtbot, bridge, vault)
    (device_b.folder / "compte-rendu.txt").write_text("à garder")
    device_b.sync()
    qtbot.waitUntil(lambda: (vault.folder_a / "compte-rendu.txt").exists(), timeout=WAIT_MS)
    (device_b.folder / "compte-rendu.txt").unlink()
    device_b.sync()

    def removed() -> bool:
        return any(
            e.path == "compte-rendu.txt" and e.change is Change.DELETED for e in model.activity
        )

    qtbot.waitUntil(removed, timeout=WAIT_MS)
    assert not (vault.folder_a / "compte-rendu.txt").exists()
    wait_idle(qtbot, model)

    view = QuarantineView(FolderActions(bridge), lambda: fid)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=WAIT_MS)
    assert view.list.topLevelItem(0).text(1) == "compte-rendu.txt"
    view.list.setCurrentItem(view.list.topLevelItem(0))
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (vault.folder_a / "compte-rendu.txt").exists(), timeout=WAIT_MS)
    assert (vault.folder_a / "compte-rendu.txt").read_text() == "à garder"
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 0, timeout=WAIT_MS)
    # The restored file goes back to the vault: B gets it again.
    sync_b_until(qtbot, device_b, lambda: (device_b.folder / "compte-rendu.txt").exists())


def test_history_shows_what_the_retention_keeps(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    """An older version past the vault's retention (set on B) shows as expired on A, as in
    `coffre history`; the version in the folder stays kept."""
    fid = vault.a.folder_id
    model = start_a(qtbot, bridge, vault)
    budget = vault.folder_a / "budget.txt"
    budget.write_text("version 1")
    bridge.sync_now(fid)
    qtbot.waitUntil(lambda: _sent(model, "budget.txt", 1), timeout=WAIT_MS)
    budget.write_text("version 2, longer")
    bridge.sync_now(fid)
    qtbot.waitUntil(lambda: _sent(model, "budget.txt", 2), timeout=WAIT_MS)

    view = HistoryView(FolderActions(bridge), lambda: fid)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: "budget.txt" in view.files, timeout=WAIT_MS)
    view.select_file("budget.txt")
    qtbot.waitUntil(lambda: view.versions.topLevelItemCount() == 2, timeout=WAIT_MS)
    fates = [view.versions.topLevelItem(i).text(3) for i in range(2)]
    kept, expired = view.tr("kept"), view.tr("expired")  # in the tests' language
    assert fates == [kept, kept]  # the default retention keeps 30 days of versions
    assert view.retention_note.text() == view.tr("The vault's retention keeps every version.")

    # B keeps only the current tree from now on (`coffre retention --keep-all 0s ...`).
    collector = Collector(device_b.session.engine)
    device_b.loop.run_until_complete(
        collector.set_settings({"keep_all_ms": 0, "daily_ms": 0, "deleted_ms": 0})
    )
    before = model.last_sync_ns
    bridge.sync_now(fid)  # A reads the new setting in B's journal
    qtbot.waitUntil(lambda: model.last_sync_ns != before, timeout=WAIT_MS)
    view.reload_versions()
    qtbot.waitUntil(lambda: view.versions.topLevelItem(1).text(3) == expired, timeout=WAIT_MS)
    current, older = view.versions.topLevelItem(0), view.versions.topLevelItem(1)
    assert current.text(3) == kept  # the version in the folder is never expired
    assert older.toolTip(0) == view.tr(
        "The vault's retention no longer keeps this version: the next clean-up of "
        "the storage frees it. Restore it now if you still need it."
    )
    note = view.tr(
        "Past the vault's retention: {expiring} of {total} versions. The next "
        "clean-up of the storage frees them; restore one now if you still need it."
    )
    assert view.retention_note.text() == note.format(expiring=1, total=2)
    older_vid = older.data(0, Qt.ItemDataRole.UserRole)
    assert older_vid is not None  # still restorable until GC runs: restore stays offered
    view.versions.setCurrentItem(older)
    assert view.restore_button.isEnabled()
