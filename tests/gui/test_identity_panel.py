"""Settings' "Identité" tab: the person's card, fingerprint and QR code, through the real menu.

No identity yet: the tab says how to make one and its "Mon identité…" creates it
(the real identity store, the real Secret Service); the tab then shows the
fingerprint, the card and a QR code of `coffre:identity?id=…&fp=…`, and says the
full card does not fit in one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from app import identity_store
from app.gui.main_window import MainWindow, launch
from app.gui.settings_dialog import SettingsDialog
from app.settings import SettingsStore
from app.share_model import identity_uri
from tests.environment import unavailable

from .a11y import assert_accessible
from .conftest import clear_keyring_service, keyring_available
from .devices import WAIT_MS
from .french_text import assert_french


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-identity-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(identity_store.SERVICE_ENV, name)
    yield name
    clear_keyring_service(name)


@pytest.fixture
def window(qtbot: Any) -> Iterator[MainWindow]:
    window = launch([], settings=SettingsStore())
    qtbot.addWidget(window)
    yield window
    window.quit()


def test_the_identity_tab_shows_the_card_fingerprint_and_qr_code(
    qtbot: Any, window: MainWindow, service: str
) -> None:
    window.settings_action.trigger()
    settings = next(w for w in window.findChildren(SettingsDialog) if w.isVisible())
    panel = settings.identity_panel
    settings.tabs.setCurrentWidget(panel)
    assert settings.tabs.tabText(settings.tabs.currentIndex()) == "Identité"
    assert panel.none_label.isVisible() and not panel.shown.isVisible()
    assert "pas encore d’identité" in panel.none_label.text()
    assert_french(settings, "identité absente")

    qtbot.mouseClick(panel.identity_button, Qt.MouseButton.LeftButton)
    dialog = settings.identity_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.name_edit.setText("Alice Martin")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.show_page.isVisible, timeout=WAIT_MS)
    dialog.reject()  # back on the tab: it now shows the identity just made

    stored = identity_store.load()
    assert stored is not None
    qtbot.waitUntil(panel.shown.isVisible, timeout=WAIT_MS)
    assert panel.fingerprint.text().split() == stored.fingerprint.split()
    assert panel.card_view.toPlainText() == stored.card
    qr = panel.qr.pixmap()
    assert not qr.isNull() and qr.width() >= 150  # large enough for a phone's camera
    assert identity_uri(stored) in panel.qr.accessibleName()
    assert "ne tient pas dans un QR code" in panel.qr_note.text()
    assert "9 Ko" in panel.qr_note.text()
    explained = [label.text() for label in panel.findChildren(QLabel)]
    assert any("30 chiffres" in text and "téléphone" in text for text in explained)
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == stored.card
    assert_french(settings, "identité")
    assert_accessible(settings)
    settings.reject()
