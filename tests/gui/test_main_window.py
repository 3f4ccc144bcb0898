"""The main window over a real live sync: status, pause/resume, held deletions, closing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.activity import TrayState
from app.gui.icons import state_icon
from app.gui.main_window import MainWindow, launch
from app.gui.views import format as fmt
from app.gui.views.passphrase_dialog import PassphraseDialog
from sync_engine.events import FolderState

from .a11y import assert_accessible
from .devices import (  # noqa: F401 - the fixtures
    FAST_LIVE,
    PASSPHRASE,
    WAIT_MS,
    Device,
    Vault,
    device_b_fixture,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)
from .test_conflicts_view import sync_b_until


@pytest.fixture
def window(qtbot: Any, vault: Vault) -> Iterator[MainWindow]:
    window = launch([vault.a], passphrase_for=lambda _b: PASSPHRASE, config=FAST_LIVE)
    qtbot.addWidget(window)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    yield window
    window.quit()


def test_pause_and_resume_change_the_state_shown_and_the_tray_icon(
    qtbot: Any, window: MainWindow, vault: Vault
) -> None:
    fid = vault.a.folder_id
    status = window.status_widgets[fid]
    tray = window.tray
    assert tray is not None
    assert status.state_label.text() == fmt.state_text(FolderState.IDLE)
    assert tray.state is TrayState.UP_TO_DATE
    assert tray.icon.icon().cacheKey() == state_icon(TrayState.UP_TO_DATE).cacheKey()

    qtbot.mouseClick(status.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.bridge.models[fid].paused, timeout=WAIT_MS)
    assert status.state_label.text() == fmt.state_text(FolderState.PAUSED, "user")
    assert not status.sync_button.isEnabled()
    assert tray.state is TrayState.PAUSED
    assert tray.icon.icon().cacheKey() == state_icon(TrayState.PAUSED).cacheKey()

    qtbot.mouseClick(status.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tray.state is TrayState.UP_TO_DATE, timeout=WAIT_MS)
    assert status.state_label.text() == fmt.state_text(FolderState.IDLE)
    assert status.sync_button.isEnabled()


def test_the_window_shown_makes_the_folders_check_other_devices_often(
    qtbot: Any, window: MainWindow
) -> None:
    window.show()
    qtbot.waitUntil(lambda: window.bridge.foreground, timeout=WAIT_MS)
    window.hide()
    qtbot.waitUntil(lambda: not window.bridge.foreground, timeout=WAIT_MS)


def _files(vault: Vault) -> list[str]:
    return [f"dossier/fiche-{i:02}.txt" for i in range(12)]


def _delete_all_at_once(qtbot: Any, window: MainWindow, fid: str, vault: Vault) -> None:
    """Delete the files while sync is paused, so that no round sees half of the deletion.

    (A round already scanning while the files go one by one could see six, then six:
    each under the guard's threshold. The guard judges one round's plan.)
    """
    model = window.bridge.models[fid]
    window.bridge.pause(fid)
    qtbot.waitUntil(lambda: model.state is FolderState.PAUSED, timeout=WAIT_MS)
    for rel in _files(vault):
        (vault.folder_a / rel).unlink()
    window.bridge.resume(fid)


def test_a_held_mass_deletion_is_cancelled_then_confirmed(
    qtbot: Any, window: MainWindow, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = window.bridge.models[fid]
    panel = window.held_panels[fid]
    a = vault.folder_a
    (a / "dossier").mkdir()
    for rel in _files(vault):
        (a / rel).write_text(rel)
    window.bridge.sync_now(fid)
    sync_b_until(
        qtbot, device_b, lambda: all((device_b.folder / r).exists() for r in _files(vault))
    )
    assert not panel.isVisible()

    _delete_all_at_once(qtbot, window, fid, vault)
    qtbot.waitUntil(lambda: model.held is not None, timeout=WAIT_MS)
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    assert model.held is not None and model.held.total >= 12
    # No tray offscreen: the notice is a banner in the window, once.
    assert window.banner.isVisible()
    assert window.notifier is not None and len(window.notifier.shown) == 1

    # Keep the files: they come back from the store.
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all((a / r).exists() for r in _files(vault)), timeout=WAIT_MS)
    wait_idle(qtbot, model)
    assert model.held is None and not panel.isVisible()
    assert (a / _files(vault)[3]).read_text() == _files(vault)[3]

    # Delete them: confirmed, the deletion reaches the other device.
    _delete_all_at_once(qtbot, window, fid, vault)
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, model)
    assert not any((a / r).exists() for r in _files(vault))

    def gone_on_b() -> bool:
        report = device_b.loop.run_until_complete(
            device_b.session.engine.sync(allow_mass_delete=True)
        )
        return report is not None and not any((device_b.folder / r).exists() for r in _files(vault))

    qtbot.waitUntil(gone_on_b, timeout=WAIT_MS)


def test_every_view_is_accessible_and_closing_without_a_tray_ends_the_app(
    qtbot: Any, window: MainWindow
) -> None:
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert_accessible(window)

    assert window.tray is not None and not window.tray.available
    app = QApplication.instance()
    assert isinstance(app, QApplication) and app.quitOnLastWindowClosed()
    window.close()
    assert not window.isVisible()
    assert window.bridge._stopped  # the engine thread ended with the window
    assert not window.bridge._thread.is_alive()


def test_keeping_files_another_device_deleted_brings_them_back_for_everyone(
    qtbot: Any, window: MainWindow, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = window.bridge.models[fid]
    panel = window.held_panels[fid]
    b = device_b.folder
    (b / "dossier").mkdir()
    for rel in _files(vault):
        (b / rel).write_text(rel)
    device_b.sync()
    qtbot.waitUntil(
        lambda: all((vault.folder_a / r).exists() for r in _files(vault)), timeout=WAIT_MS
    )
    wait_idle(qtbot, model)

    for rel in _files(vault):
        (b / rel).unlink()
    device_b.sync(allow_mass_delete=True)  # B's own guard: B's person confirmed
    qtbot.waitUntil(panel.isVisible, timeout=WAIT_MS)
    assert all((vault.folder_a / r).exists() for r in _files(vault))  # held: nothing removed

    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=WAIT_MS)
    wait_idle(qtbot, model)
    sync_b_until(qtbot, device_b, lambda: all((b / r).exists() for r in _files(vault)))
    assert (b / _files(vault)[0]).read_text() == _files(vault)[0]
    assert all((vault.folder_a / r).exists() for r in _files(vault))


def test_the_passphrase_is_asked_for_again_until_it_unlocks(qtbot: Any, vault: Vault) -> None:
    window = launch([vault.a], passphrase_for=lambda _b: None, config=FAST_LIVE)
    qtbot.addWidget(window)
    model = window.bridge.models[vault.a.folder_id]
    try:

        def dialog() -> PassphraseDialog | None:
            found = [d for d in window.findChildren(PassphraseDialog) if d.isVisible()]
            return found[0] if found else None

        qtbot.waitUntil(lambda: dialog() is not None, timeout=WAIT_MS)
        first = dialog()
        assert first is not None and not first.error_label.isVisibleTo(first)
        first.edit.setText("pas la bonne phrase")
        first.accept()
        qtbot.waitUntil(lambda: dialog() not in (None, first), timeout=WAIT_MS)
        second = dialog()
        assert second is not None and second.error_label.text()  # says why
        assert "pas la bonne phrase" not in second.error_label.text()
        second.edit.setText(PASSPHRASE)
        second.accept()
        wait_idle(qtbot, model)
        assert not model.failure and not window.status_widgets[
            model.folder_id
        ].unlock_button.isVisibleTo(window)
    finally:
        window.quit()
