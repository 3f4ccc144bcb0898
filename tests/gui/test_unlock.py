"""Unlocking folders in the app: the remembered key, the passphrase dialog, the login start.

A remembered vault is one this computer opens by itself (app/device_key.py): its own
keys in the real Secret Service (gnome-keyring in the test D-Bus session, under keyring
services of each test's own: conftest.py) and the current epoch sealed to them on the
store; forgetting it makes the app ask the passphrase again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app import device_key, key_cache
from app.activity import TrayState
from app.gui.engine_bridge import EngineBridge
from app.gui.main_window import MainWindow, launch
from app.gui.views.passphrase_dialog import PassphraseDialog
from app.status_file import live_summary, read_status, status_path
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from tests.vault_devices import keep_key, kept_key, own_envelope

from .a11y import assert_accessible
from .conftest import keyring_available
from .devices import (  # noqa: F401 - the fixtures
    FAST_LIVE,
    PASSPHRASE,
    WAIT_MS,
    Device,
    Vault,
    bridge_fixture,
    device_b_fixture,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)

needs_keyring = pytest.mark.skipif(
    not keyring_available(), reason="needs a Secret Service (D-Bus session)"
)


def visible_dialog(window: MainWindow) -> PassphraseDialog | None:
    found = [d for d in window.findChildren(PassphraseDialog) if d.isVisible()]
    return found[0] if found else None


@pytest.fixture
def windows(qtbot: Any) -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        window.quit()


def start(qtbot: Any, windows: list[MainWindow], vault: Vault, **kw: Any) -> MainWindow:
    window = launch([vault.a], passphrase_for=lambda _b: None, config=FAST_LIVE, **kw)
    qtbot.addWidget(window)
    windows.append(window)
    return window


def true_key(device: Device) -> KeyRing:
    return KeyRing.of(device.session.key)


@needs_keyring
def test_a_wrong_remembered_key_falls_back_to_the_dialog_then_the_right_one_is_kept(
    qtbot: Any, vault: Vault, device_b: Device, windows: list[MainWindow]
) -> None:
    vault_id = vault.a.vault_id
    # A raw vault key an older Coffre kept: never used for a format-2 vault (device B's
    # session upgraded the template's), only forgotten; the dialog asks.
    key_cache.remember(VaultKey(bytes.fromhex(vault_id), os.urandom(32)))

    window = start(qtbot, windows, vault)
    qtbot.waitUntil(lambda: visible_dialog(window) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(window)
    assert dialog is not None
    assert key_cache.recall(vault_id) is None  # the stale key is forgotten at once
    assert not dialog.remember.isChecked()  # remembering is a choice (issue 16.2), not a default
    assert dialog.remember.accessibleName() == "Mémoriser la clé du coffre sur cet ordinateur"
    dialog.remember.setChecked(True)
    assert_accessible(dialog)
    dialog.edit.setText(PASSPHRASE)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    model = window.bridge.models[vault.a.folder_id]
    wait_idle(qtbot, model)
    qtbot.waitUntil(lambda: kept_key(vault.a) is not None, timeout=WAIT_MS)
    remembered = kept_key(vault.a)
    assert remembered is not None and remembered == true_key(device_b)
    assert key_cache.recall(vault_id) is None  # a device key, never the raw vault key
    assert own_envelope(vault.store, vault.a).is_file()
    window.quit()

    # Started again: the remembered key opens the folder, nothing is asked.
    again = start(qtbot, windows, vault)
    wait_idle(qtbot, again.bridge.models[vault.a.folder_id])
    assert visible_dialog(again) is None


@needs_keyring
def test_unticking_remember_stores_nothing_and_forgets_an_earlier_key(
    qtbot: Any, vault: Vault, device_b: Device, bridge: EngineBridge, windows: list[MainWindow]
) -> None:
    window = start(qtbot, windows, vault)
    qtbot.waitUntil(lambda: visible_dialog(window) is not None, timeout=WAIT_MS)
    dialog = visible_dialog(window)
    assert dialog is not None and not dialog.error_label.isVisibleTo(dialog)
    dialog.remember.setChecked(False)
    dialog.edit.setText(PASSPHRASE)
    dialog.accept()
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    assert kept_key(vault.a) is None
    assert not device_key.is_remembered(vault.a)

    window.quit()

    # A key remembered earlier goes when the person unlocks with the box unticked.
    keep_key(vault.a, true_key(device_b))
    assert kept_key(vault.a) is not None
    with qtbot.waitSignal(bridge.folderOpened, timeout=WAIT_MS):
        bridge.open_folder(vault.a, PASSPHRASE, remember=False)
    assert kept_key(vault.a) is None
    assert not device_key.is_remembered(vault.a)


@needs_keyring
def test_forget_this_computer_from_the_menu_deletes_its_key(
    qtbot: Any, vault: Vault, device_b: Device, windows: list[MainWindow]
) -> None:
    keep_key(vault.a, true_key(device_b))
    window = start(qtbot, windows, vault)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    assert visible_dialog(window) is None  # opened with the kept key
    action = window.vault_menu.forget_computer
    assert action.text() == "&Oublier cet ordinateur"
    action.trigger()
    qtbot.waitUntil(lambda: window.vault_menu.message is not None, timeout=WAIT_MS)
    message = window.vault_menu.message
    assert message is not None
    assert message.text().startswith("Cet ordinateur est oublié pour")
    assert not device_key.is_remembered(vault.a)
    assert kept_key(vault.a) is None
    window.quit()

    # The next start asks for the passphrase.
    again = start(qtbot, windows, vault)
    qtbot.waitUntil(lambda: visible_dialog(again) is not None, timeout=WAIT_MS)


def test_at_login_a_folder_waiting_for_its_passphrase_asks_nothing_until_opened(
    qtbot: Any, vault: Vault, windows: list[MainWindow]
) -> None:
    window = start(qtbot, windows, vault, autostart=True)
    model = window.bridge.models[vault.a.folder_id]
    tray = window.tray
    assert tray is not None
    qtbot.waitUntil(lambda: model.locked, timeout=WAIT_MS)
    assert visible_dialog(window) is None  # no dialog pops up at login
    assert tray.state is TrayState.LOCKED and tray.unlock_action.isVisible()
    assert "phrase de passe" in tray.tooltip()
    assert window.notifier is not None and len(window.notifier.shown) == 1
    title, _text = window.notifier.shown[0]
    assert title == "Coffre a besoin de votre phrase de passe"
    # No tray offscreen: the window waits minimized in the taskbar, its banner says why.
    assert window.isMinimized() and window.banner.isVisible()
    status = window.status_widgets[vault.a.folder_id]
    assert status.unlock_button.isVisibleTo(window)
    assert status.state_label.text() == "En attente de votre phrase de passe"
    # `coffre status --json` tells the same: the running app waits for a passphrase.
    live = read_status(status_path(vault.a.directory))
    assert live is not None and live["locked"] and live["attention"] == ["locked"]
    assert live_summary(live) == "attention"

    tray.unlock_action.trigger()  # or "Unlock…" in the window: now the dialog may show
    qtbot.waitUntil(lambda: visible_dialog(window) is not None, timeout=WAIT_MS)
    assert not window.isMinimized() and not window.quiet
    dialog = visible_dialog(window)
    assert dialog is not None
    dialog.edit.setText(PASSPHRASE)
    dialog.accept()
    wait_idle(qtbot, model)
    assert not model.locked and tray.state is TrayState.UP_TO_DATE
    qtbot.waitUntil(
        lambda: (read_status(status_path(vault.a.directory)) or {}).get("up_to_date") is True,
        timeout=WAIT_MS,
    )


def test_without_a_keyring_the_folder_opens_and_the_app_says_it_will_ask_again(
    qtbot: Any, vault: Vault, windows: list[MainWindow]
) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        window = start(qtbot, windows, vault)
        qtbot.waitUntil(lambda: visible_dialog(window) is not None, timeout=WAIT_MS)
        dialog = visible_dialog(window)
        assert dialog is not None and not dialog.remember.isChecked()
        dialog.remember.setChecked(True)
        dialog.edit.setText(PASSPHRASE)
        dialog.accept()
        wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
        qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
        assert "La phrase de passe n’a pas été mémorisée" in window.banner.label.text()
    finally:
        keyring.set_keyring(previous)
