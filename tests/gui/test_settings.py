"""The settings dialog: saves, applies and announces; locked settings are greyed out.

The settings themselves, without the dialog, are tested in tests/test_settings.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.folders import create_binding
from app.gui.settings_dialog import SettingsDialog
from app.settings import AppSettings, Policy, SettingsStore
from tests.gui.conftest import GuiEnv


def test_settings_dialog_saves_applies_and_announces(qtbot: QtBot, gui_env: GuiEnv) -> None:
    folder = gui_env.root / "synced"
    folder.mkdir()
    create_binding(folder, str(gui_env.root / "store"), "00" * 16, "desk")
    store = SettingsStore()
    store.apply_login_item()
    heard: list[AppSettings] = []
    store.subscribe(lambda _old, new: heard.append(new))
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Paramètres de Coffre"
    assert dialog.upload_limit.text() == "Illimitée"

    dialog.upload_limit.setValue(300)
    dialog.download_limit.setValue(1000)
    dialog.start_at_login.setChecked(False)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.active_poll.setValue(5)
    dialog.tabs.setCurrentIndex(3)
    dialog.ignore_text.setPlainText("*.iso\n")
    dialog.proxy_manual.setChecked(True)
    dialog.proxy_url.setText("proxy sans schéma")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()  # refused: the proxy address is wrong
    assert dialog.error.text() == (
        "Indiquez l'adresse du proxy, par exemple http://proxy.example.org:3128."
    )
    assert heard == []
    dialog.proxy_url.setText("http://proxy.example.org:3128")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()

    (new,) = heard
    assert (new.upload_limit_kib_s, new.download_limit_kib_s) == (300, 1000)
    assert (new.language, new.active_poll_s, new.start_at_login) == ("en", 5, False)
    assert new.proxy_url == "http://proxy.example.org:3128"
    assert SettingsStore().current == new
    assert not (gui_env.config_home / "autostart" / "coffre.desktop").exists()
    assert (folder / ".coffreignore").read_text() == "*.iso\n"


def test_locked_settings_are_greyed_out_in_the_dialog(qtbot: QtBot) -> None:
    policy = Policy({"start_at_login": True}, frozenset({"start_at_login", "proxy_mode"}))
    dialog = SettingsDialog(SettingsStore(policy=policy), bindings=[])
    qtbot.addWidget(dialog)
    assert not dialog.start_at_login.isEnabled()
    assert dialog.start_at_login.toolTip() == "Défini par votre administrateur."
    assert "(défini par votre administrateur)" in dialog.start_at_login.text()
    assert not dialog.proxy_manual.isEnabled() and not dialog.proxy_system.isEnabled()
    assert dialog.upload_limit.isEnabled()
    assert not dialog.ignore_text.isEnabled()  # no synced folder yet
    assert dialog.error.text() == ""  # a usable policy: nothing to warn about


def test_locked_limit_label_and_broken_policy_warning(qtbot: QtBot) -> None:
    policy = Policy(
        {"upload_limit_kib_s": 300},
        frozenset({"upload_limit_kib_s", "pause_on_battery_saver"}),
        source="/etc/coffre/policy.json",
        problems=("download_limit_kib_s: must be a whole number",),
    )
    dialog = SettingsDialog(SettingsStore(policy=policy), bindings=[])
    qtbot.addWidget(dialog)
    assert dialog.upload_limit.value() == 300 and not dialog.upload_limit.isEnabled()
    label = dialog.upload_limit.property("coffreLabel")
    assert label.text() == "Limite d'envoi (défini par votre administrateur) :"
    assert not dialog.pause_on_battery_saver.isEnabled()
    assert "synchronisation est arrêtée" in dialog.error.text()
