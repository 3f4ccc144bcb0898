"""The tray: one distinct icon per state and its menu's actions (its state and the notification
policy are tested without Qt: tests/test_activity.py, tests/test_notification_policy.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from app.activity import TrayState
from app.gui.icons import state_pixmap
from app.gui.main_window import MainWindow, launch

from .devices import (  # noqa: F401 - the fixtures
    FAST_LIVE,
    PASSPHRASE,
    WAIT_MS,
    Vault,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)


class UrlRecorder(QObject):
    """Receives file:// URLs instead of the desktop's file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toLocalFile())


@pytest.fixture
def urls() -> Iterator[UrlRecorder]:
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "open")
    yield recorder
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def window(qtbot: Any, vault: Vault) -> Iterator[MainWindow]:
    window = launch([vault.a], passphrase_for=lambda _b: PASSPHRASE, config=FAST_LIVE)
    qtbot.addWidget(window)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    yield window
    window.quit()


def test_the_tray_menu_actions(
    qtbot: Any, window: MainWindow, vault: Vault, urls: UrlRecorder
) -> None:
    tray = window.tray
    assert tray is not None
    model = window.bridge.models[vault.a.folder_id]
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator() and a.isVisible()]
    assert len(texts) == 5 and all(texts)  # "Unlock…" only shows while a folder waits for it
    assert "&Paramètres…" in texts
    assert not tray.unlock_action.isVisible()

    tray.open_folder_action.trigger()
    assert urls.urls == [vault.a.folder]

    window.hide()
    tray.open_window_action.trigger()
    assert window.isVisible()

    pause_text = tray.pause_action.text()
    tray.pause_action.trigger()
    qtbot.waitUntil(lambda: model.paused and tray.state is TrayState.PAUSED, timeout=WAIT_MS)
    assert tray.pause_action.text() != pause_text  # now it offers to resume
    tray.pause_action.trigger()
    qtbot.waitUntil(lambda: tray.state is TrayState.UP_TO_DATE, timeout=WAIT_MS)
    assert tray.pause_action.text() == pause_text

    tray.quit_action.trigger()
    assert window.bridge._stopped and not window.isVisible()


def test_each_state_has_its_own_icon(qapp: Any) -> None:
    images = {state: state_pixmap(state).toImage() for state in TrayState}
    for state, image in images.items():
        others = [s for s in TrayState if s is not state]
        assert all(image != images[o] for o in others), state
