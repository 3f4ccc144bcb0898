"""Settings: persisted as JSON, announced to listeners, locked by policy, applied to the system.

Start at login writes the real XDG autostart entry under the test's own
XDG_CONFIG_HOME; the macOS LaunchAgent is a plist written the same way; the
Windows Run key is reached through a small interface, faked here (no
registry on this system).
"""

from __future__ import annotations

import json
import plistlib
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.folders import create_binding
from app.gui.settings_dialog import SettingsDialog
from app.ignore_file import read_ignore_file, write_ignore_file
from app.login_items import AUTOSTART_FLAG, MacLaunchAgent, WindowsRunKey, XdgAutostart
from app.settings import (
    AppSettings,
    Policy,
    SettingsError,
    SettingsStore,
    load_policy,
    proxy_environment,
    validate,
)
from tests.gui.conftest import GuiEnv


def autostart_file(env: GuiEnv) -> Path:
    return env.config_home / "autostart" / "coffre.desktop"


def test_defaults_then_saved_settings_survive_a_restart(gui_env: GuiEnv) -> None:
    store = SettingsStore()
    assert store.current == AppSettings()
    assert store.current.language == "system" and store.current.proxy_mode == "system"
    changed = replace(store.current, upload_limit_kib_s=512, idle_poll_s=120, language="fr")
    store.save(changed)
    on_disk = json.loads((gui_env.coffre_home / "settings.json").read_text())
    assert on_disk["upload_limit_kib_s"] == 512 and on_disk["language"] == "fr"
    again = SettingsStore()
    assert again.current == changed
    assert again.current.upload_bps == 512 * 1024
    assert again.current.download_bps is None  # unlimited


def test_a_damaged_settings_file_falls_back_to_defaults(gui_env: GuiEnv) -> None:
    path = gui_env.coffre_home / "settings.json"
    path.write_text("{not json")
    assert SettingsStore().current == AppSettings()
    path.write_text(json.dumps({"upload_limit_kib_s": "fast", "language": "fr", "x": 1}))
    assert SettingsStore().current == AppSettings(language="fr")


def test_invalid_values_are_refused() -> None:
    with pytest.raises(SettingsError) as proxy:
        validate(AppSettings(proxy_mode="manual", proxy_url="proxy:3128"))
    assert proxy.value.name == "proxy_url"
    with pytest.raises(SettingsError):
        validate(AppSettings(active_poll_s=0))
    with pytest.raises(SettingsError):
        validate(AppSettings(language="de"))
    manual = AppSettings(proxy_mode="manual", proxy_url="http://proxy.example.org:3128")
    assert proxy_environment(manual)["HTTPS_PROXY"] == "http://proxy.example.org:3128"
    assert proxy_environment(AppSettings()) == {}


def test_listeners_hear_each_change_once() -> None:
    store = SettingsStore()
    heard: list[tuple[AppSettings, AppSettings]] = []
    unsubscribe = store.subscribe(lambda old, new: heard.append((old, new)))
    store.save(replace(store.current, pause_on_metered=False))
    store.save(store.current)  # nothing changed: nothing announced
    assert len(heard) == 1
    assert heard[0][0].pause_on_metered and not heard[0][1].pause_on_metered
    unsubscribe()
    store.save(replace(store.current, pause_on_metered=True))
    assert len(heard) == 1


def test_policy_sets_and_locks_settings(gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    policy_file = gui_env.root / "policy.json"
    policy_file.write_text(
        json.dumps(
            {
                "settings": {"pause_on_metered": False, "upload_limit_kib_s": 2048},
                "locked": ["upload_limit_kib_s", "not-a-setting"],
            }
        )
    )
    monkeypatch.setenv("COFFRE_POLICY_FILE", str(policy_file))
    policy = load_policy()
    assert policy.locked == frozenset({"upload_limit_kib_s"})
    store = SettingsStore()
    assert store.current.upload_limit_kib_s == 2048
    assert not store.current.pause_on_metered  # set by policy, but the person may change it
    store.save(replace(store.current, upload_limit_kib_s=0, pause_on_metered=True))
    assert store.current.upload_limit_kib_s == 2048
    assert store.current.pause_on_metered


def test_start_at_login_writes_and_removes_the_xdg_autostart_entry(gui_env: GuiEnv) -> None:
    store = SettingsStore()
    assert store.current.start_at_login
    store.apply_login_item()
    entry = autostart_file(gui_env).read_text()
    assert "[Desktop Entry]" in entry and "Type=Application" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(AUTOSTART_FLAG)
    store.save(replace(store.current, start_at_login=False))
    assert not autostart_file(gui_env).exists()
    store.save(replace(store.current, start_at_login=True))
    assert autostart_file(gui_env).is_file()


def test_desktop_entry_quotes_paths_with_spaces(gui_env: GuiEnv) -> None:
    item = XdgAutostart()
    item.enable(["/opt/Mon Coffre/bin/coffre-app", "--autostart"])
    assert 'Exec="/opt/Mon Coffre/bin/coffre-app" --autostart' in item.path.read_text()


def test_macos_launch_agent_plist(gui_env: GuiEnv) -> None:
    agent = MacLaunchAgent(gui_env.home / "Library" / "LaunchAgents")
    agent.enable(["/Applications/Coffre.app/Contents/MacOS/coffre-app", "--autostart"])
    plist = plistlib.loads(agent.path.read_bytes())
    assert plist["RunAtLoad"] is True
    assert plist["ProgramArguments"][-1] == "--autostart"
    assert agent.is_enabled()
    agent.disable()
    assert not agent.is_enabled()


class FakeRunKey:
    """Stands for HKCU\\...\\Run: Windows' registry cannot run here."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


class FakeMachineStartup:
    """Stands for HKLM's Run value (the MSI's) and HKCU's StartupApproved switch."""

    def __init__(self, present: bool) -> None:
        self.is_present = present
        self.switch: dict[str, bool] = {}

    def present(self, name: str) -> bool:
        return self.is_present

    def approved(self, name: str) -> bool:
        return self.switch.get(name, True)

    def set_approved(self, name: str, approved: bool) -> None:
        self.switch[name] = approved


def test_windows_run_key_beside_the_msi_machine_entry() -> None:
    key, machine = FakeRunKey(), FakeMachineStartup(present=True)
    key.values["Coffre"] = "old per-user value"
    item = WindowsRunKey(key, machine)
    assert item.is_enabled()
    item.enable(["coffre-app.exe", AUTOSTART_FLAG])
    assert key.values == {}  # the machine entry starts it: never twice
    item.disable()
    assert machine.switch == {"Coffre": False} and not item.is_enabled()
    item.enable(["coffre-app.exe", AUTOSTART_FLAG])
    assert machine.switch == {"Coffre": True} and item.is_enabled() and key.values == {}


def test_windows_run_key(gui_env: GuiEnv) -> None:
    key = FakeRunKey()
    store = SettingsStore(
        login_item=WindowsRunKey(key, FakeMachineStartup(present=False)), policy=Policy()
    )
    store.apply_login_item()
    assert key.values["Coffre"].endswith(AUTOSTART_FLAG)
    store.save(replace(store.current, start_at_login=False))
    assert "Coffre" not in key.values
    assert not autostart_file(gui_env).exists()


def test_ignore_file_is_written_atomically_in_the_folder(gui_env: GuiEnv) -> None:
    folder = gui_env.root / "synced"
    folder.mkdir()
    assert read_ignore_file(folder) == ""
    write_ignore_file(folder, "*.iso\nbuild/")
    assert (folder / ".coffreignore").read_text() == "*.iso\nbuild/\n"
    assert sorted(p.name for p in folder.iterdir()) == [".coffreignore"]
    write_ignore_file(gui_env.root / "other", "")  # nothing to write: no file appears
    assert not (gui_env.root / "other" / ".coffreignore").exists()


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
    assert not autostart_file(gui_env).exists()
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
