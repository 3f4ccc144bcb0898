"""Settings without their dialog (tests/gui/test_settings.py): persisted as JSON, announced
to listeners, locked by policy, applied to the system.

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

from .isolated_home import IsolatedHome, isolate_home
from .qt_free import assert_imports_without_qt


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedHome:
    return isolate_home(tmp_path, monkeypatch)


def test_the_settings_and_these_tests_need_no_qt() -> None:
    assert_imports_without_qt("tests.test_settings")


def autostart_file(env: IsolatedHome) -> Path:
    return env.config_home / "autostart" / "coffre.desktop"


def test_defaults_then_saved_settings_survive_a_restart(home: IsolatedHome) -> None:
    store = SettingsStore()
    assert store.current == AppSettings()
    assert store.current.language == "system" and store.current.proxy_mode == "system"
    changed = replace(store.current, upload_limit_kib_s=512, idle_poll_s=120, language="fr")
    store.save(changed)
    on_disk = json.loads((home.coffre_home / "settings.json").read_text())
    assert on_disk["upload_limit_kib_s"] == 512 and on_disk["language"] == "fr"
    again = SettingsStore()
    assert again.current == changed
    assert again.current.upload_bps == 512 * 1024
    assert again.current.download_bps is None  # unlimited


def test_a_damaged_settings_file_falls_back_to_defaults(home: IsolatedHome) -> None:
    path = home.coffre_home / "settings.json"
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


def test_policy_sets_and_locks_settings(
    home: IsolatedHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy_file = home.root / "policy.json"
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


def test_start_at_login_writes_and_removes_the_xdg_autostart_entry(home: IsolatedHome) -> None:
    store = SettingsStore()
    assert store.current.start_at_login
    store.apply_login_item()
    entry = autostart_file(home).read_text()
    assert "[Desktop Entry]" in entry and "Type=Application" in entry
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(AUTOSTART_FLAG)
    store.save(replace(store.current, start_at_login=False))
    assert not autostart_file(home).exists()
    store.save(replace(store.current, start_at_login=True))
    assert autostart_file(home).is_file()


def test_desktop_entry_quotes_paths_with_spaces(home: IsolatedHome) -> None:
    item = XdgAutostart()
    item.enable(["/opt/Mon Coffre/bin/coffre-app", "--autostart"])
    assert 'Exec="/opt/Mon Coffre/bin/coffre-app" --autostart' in item.path.read_text()


def test_macos_launch_agent_plist(home: IsolatedHome) -> None:
    agent = MacLaunchAgent(home.home / "Library" / "LaunchAgents")
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


def test_windows_run_key(home: IsolatedHome) -> None:
    key = FakeRunKey()
    store = SettingsStore(
        login_item=WindowsRunKey(key, FakeMachineStartup(present=False)), policy=Policy()
    )
    store.apply_login_item()
    assert key.values["Coffre"].endswith(AUTOSTART_FLAG)
    store.save(replace(store.current, start_at_login=False))
    assert "Coffre" not in key.values
    assert not autostart_file(home).exists()


def test_ignore_file_is_written_atomically_in_the_folder(home: IsolatedHome) -> None:
    folder = home.root / "synced"
    folder.mkdir()
    assert read_ignore_file(folder) == ""
    write_ignore_file(folder, "*.iso\nbuild/")
    assert (folder / ".coffreignore").read_text() == "*.iso\nbuild/\n"
    assert sorted(p.name for p in folder.iterdir()) == [".coffreignore"]
    write_ignore_file(home.root / "other", "")  # nothing to write: no file appears
    assert not (home.root / "other" / ".coffreignore").exists()
