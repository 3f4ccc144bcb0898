"""The app's settings: what a person can change in the settings dialog, persisted as JSON.

    <COFFRE_HOME>/settings.json

No secret ever lives here (store credentials go to the OS keyring). A
machine-wide policy file (IT's) may set and lock any setting: the effective
value is the policy's, and the dialog shows it greyed out. Listeners (the live
sync bridge, the GUI) subscribe to changes with plain callbacks, so this module
needs no Qt.

Starting at login is a platform detail behind `LoginItem`: an XDG autostart
entry on Linux, a LaunchAgent on macOS, the `Run` registry key on Windows.
Ignore patterns are not stored here: they live in each folder's
`.coffreignore`, which is synced so every device ignores the same things.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol

from app.paths import coffre_home
from app.policy.model import Policy
from app.policy.schema import (
    LANGUAGES,
    MAX_LIMIT_KIB_S,
    POLL_RANGE_S,
    PROXY_MODES,
    proxy_url_problem,
)
from app.policy.schema import default as _default
from app.policy.sources import load_policy
from sync_engine.disk.ignore import IGNORE_FILE, MAX_IGNORE_FILE_BYTES

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Every setting a person can change, with its default (app/policy/schema.py's).

    Limits are in KiB/s, 0 meaning unlimited.
    """

    pause_on_metered: bool = _default("pause_on_metered")
    pause_on_battery_saver: bool = _default("pause_on_battery_saver")
    upload_limit_kib_s: int = _default("upload_limit_kib_s")
    download_limit_kib_s: int = _default("download_limit_kib_s")
    active_poll_s: int = _default("active_poll_s")  # store checks while things happen
    idle_poll_s: int = _default("idle_poll_s")  # ... and when nothing happened for a while
    start_at_login: bool = _default("start_at_login")
    language: str = _default("language")  # "system" (follow the desktop), "fr" or "en"
    proxy_mode: str = _default("proxy_mode")  # "system" (environment / desktop) or "manual"
    proxy_url: str = _default("proxy_url")  # for "manual": http://host:port, socks5://...

    @property
    def upload_bps(self) -> int | None:
        """Bytes per second for `LiveSync.set_limits`; None is unlimited."""
        return self.upload_limit_kib_s * 1024 or None

    @property
    def download_bps(self) -> int | None:
        return self.download_limit_kib_s * 1024 or None


SETTING_NAMES = tuple(f.name for f in fields(AppSettings))


class SettingsError(ValueError):
    """A setting value that cannot be used; `code` names the problem for the GUI."""

    def __init__(self, name: str, code: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.code = code


def validate(settings: AppSettings) -> AppSettings:
    """The settings if every value is usable, else SettingsError naming the first bad one."""
    for name in ("upload_limit_kib_s", "download_limit_kib_s"):
        value = getattr(settings, name)
        if not 0 <= value <= MAX_LIMIT_KIB_S:
            raise SettingsError(name, "range", f"{name} must be between 0 and {MAX_LIMIT_KIB_S}.")
    low, high = POLL_RANGE_S
    for name in ("active_poll_s", "idle_poll_s"):
        if not low <= getattr(settings, name) <= high:
            raise SettingsError(name, "range", f"{name} must be between {low} and {high} s.")
    if settings.language not in LANGUAGES:
        raise SettingsError("language", "invalid", f"language must be one of {LANGUAGES}.")
    if settings.proxy_mode not in PROXY_MODES:
        raise SettingsError("proxy_mode", "invalid", f"proxy_mode must be one of {PROXY_MODES}.")
    if settings.proxy_mode == "manual":
        problem = proxy_url_problem(settings.proxy_url)
        if problem:
            raise SettingsError(
                "proxy_url", problem, "The proxy address must look like http://host:port."
            )
    return settings


def _from_mapping(data: Mapping[str, Any], base: AppSettings) -> AppSettings:
    """Known keys with the right type replace `base`'s; anything else is ignored (logged)."""
    values: dict[str, Any] = {}
    defaults = asdict(base)
    for name, value in data.items():
        if name not in defaults:
            continue
        expected = type(defaults[name])
        if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
            log.warning("settings: ignoring %s, which has the wrong type", name)
            continue
        values[name] = value
    candidate = replace(base, **values)
    try:
        return validate(candidate)
    except SettingsError as exc:
        log.warning("settings: ignoring invalid values (%s)", exc)
        return base


# --- IT policy ---------------------------------------------------------------------------------
# The policy itself (sources, precedence, store rules) lives in app/policy/; the
# settings store only layers it over the person's choices.


# --- Start at login ----------------------------------------------------------------------------


class LoginItem(Protocol):
    """The platform's way to start Coffre when the person logs in."""

    def is_enabled(self) -> bool: ...

    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...


def _desktop_exec(command: Sequence[str]) -> str:
    """Quote arguments as the Desktop Entry spec's Exec key wants them."""
    out = []
    for arg in command:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            out.append(arg)
        else:
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
            out.append(f'"{escaped}"')
    return " ".join(out).replace("%", "%%")


def _atomic_write(path: Path, data: bytes, tmp_name: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(tmp_name or path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class XdgAutostart:
    """Linux and BSD desktops: ~/.config/autostart/coffre.desktop (XDG Autostart spec)."""

    FILE_NAME = "coffre.desktop"
    # The .deb installs an entry for every user here; a person's copy with Hidden=true
    # turns it off for them (the XDG Autostart spec's way), so `disable` writes one.
    SYSTEM_DIRS = (Path("/etc/xdg/autostart"),)

    def __init__(
        self, config_home: Path | None = None, system_dirs: Sequence[Path] | None = None
    ) -> None:
        base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = base / "autostart" / self.FILE_NAME
        self.system_dirs = tuple(self.SYSTEM_DIRS if system_dirs is None else system_dirs)

    def _system_entry(self) -> bool:
        return any((d / self.FILE_NAME).is_file() for d in self.system_dirs)

    def is_enabled(self) -> bool:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._system_entry()
        except OSError:
            return False
        return "\nHidden=true" not in text

    def enable(self, command: Sequence[str]) -> None:
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=Coffre\n"
            "Comment=Encrypted file sync\n"
            "Comment[fr]=Synchronisation chiffrée de fichiers\n"
            f"Exec={_desktop_exec(command)}\n"
            "Icon=coffre\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _atomic_write(self.path, text.encode())

    def disable(self) -> None:
        if self._system_entry():
            text = "[Desktop Entry]\nType=Application\nName=Coffre\nHidden=true\n"
            _atomic_write(self.path, text.encode())
        else:
            self.path.unlink(missing_ok=True)


class MacLaunchAgent:
    """macOS: a per-user LaunchAgent plist that runs Coffre at load (login)."""

    LABEL = "org.coffre.app"

    def __init__(self, agents_dir: Path | None = None) -> None:
        directory = agents_dir or Path.home() / "Library" / "LaunchAgents"
        self.path = directory / f"{self.LABEL}.plist"

    def is_enabled(self) -> bool:
        return self.path.is_file()

    def enable(self, command: Sequence[str]) -> None:
        plist = {"Label": self.LABEL, "ProgramArguments": list(command), "RunAtLoad": True}
        _atomic_write(self.path, plistlib.dumps(plist))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)


class RunKey(Protocol):
    """The few registry operations on HKCU\\...\\Run that Windows start-at-login needs."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class WinRegRunKey:
    """The real HKEY_CURRENT_USER Run key (only importable on Windows)."""

    SUBKEY = r"Software\Microsoft\Windows\CurrentVersion\Run"

    def get(self, name: str) -> str | None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.SUBKEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, self.SUBKEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            access = winreg.KEY_SET_VALUE
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.SUBKEY, 0, access) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class MachineStartup(Protocol):
    """The per-machine start entry the MSI writes (HKLM\\...\\Run), and the person's
    switch for it (HKCU\\...\\Explorer\\StartupApproved\\Run, as Task Manager sets it)."""

    def present(self, name: str) -> bool: ...

    def approved(self, name: str) -> bool: ...

    def set_approved(self, name: str, approved: bool) -> None: ...


class WinRegMachineStartup:
    """The real registry (only on Windows)."""

    RUN = r"Software\Microsoft\Windows\CurrentVersion\Run"
    APPROVED = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"

    def present(self, name: str) -> bool:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return False
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, self.RUN) as key:
                winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return False
        return True

    def approved(self, name: str) -> bool:  # pragma: no cover - Windows only
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, self.APPROVED) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return True
        return not (isinstance(value, bytes) and value[:1] == b"\x03")  # 03: turned off

    def set_approved(self, name: str, approved: bool) -> None:  # pragma: no cover - Windows
        import winreg

        flag = (b"\x02" if approved else b"\x03") + bytes(11)
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, self.APPROVED) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_BINARY, flag)


class WindowsRunKey:
    """Windows: a value named Coffre under HKCU's ...\\CurrentVersion\\Run key.

    When the MSI installed the per-machine entry (HKLM Run), that one starts the
    app for everyone: the person's own value would start it twice, so it is
    removed, and turning the setting off flips the person's StartupApproved
    switch for the machine entry instead (what Task Manager's Startup tab does).
    """

    VALUE_NAME = "Coffre"

    def __init__(
        self, run_key: RunKey | None = None, machine: MachineStartup | None = None
    ) -> None:
        self.run_key: RunKey = run_key or WinRegRunKey()
        self.machine: MachineStartup = machine or WinRegMachineStartup()

    def is_enabled(self) -> bool:
        if self.machine.present(self.VALUE_NAME):
            return self.machine.approved(self.VALUE_NAME)
        return self.run_key.get(self.VALUE_NAME) is not None

    def enable(self, command: Sequence[str]) -> None:
        if self.machine.present(self.VALUE_NAME):
            self.run_key.delete(self.VALUE_NAME)
            self.machine.set_approved(self.VALUE_NAME, True)
            return
        self.run_key.set(self.VALUE_NAME, subprocess.list2cmdline(list(command)))

    def disable(self) -> None:
        self.run_key.delete(self.VALUE_NAME)
        if self.machine.present(self.VALUE_NAME):
            self.machine.set_approved(self.VALUE_NAME, False)


def login_item_for_platform(platform: str = sys.platform) -> LoginItem:
    if platform.startswith("win"):
        return WindowsRunKey()
    if platform == "darwin":
        return MacLaunchAgent()
    return XdgAutostart()


AUTOSTART_FLAG = "--autostart"


def autostart_command() -> list[str]:
    """How the login item starts Coffre: the installed `coffre-app`, else this Python."""
    scripts = Path(sys.executable).parent
    for name in ("coffre-app", "coffre-app.exe"):
        candidate = scripts / name
        if candidate.is_file():
            return [str(candidate), AUTOSTART_FLAG]
    found = shutil.which("coffre-app")
    if found:
        return [found, AUTOSTART_FLAG]
    return [sys.executable, "-m", "app.gui.main", AUTOSTART_FLAG]


# --- The store ---------------------------------------------------------------------------------

Listener = Callable[[AppSettings, AppSettings], None]


def settings_path() -> Path:
    return coffre_home() / "settings.json"


class SettingsStore:
    """Loads, saves and announces settings; applies the ones that live outside Coffre.

    `subscribe(callback)` registers `callback(old, new)`, called after every
    save that changed something (on the caller's thread: the GUI's).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        policy: Policy | None = None,
        login_item: LoginItem | None = None,
    ) -> None:
        self.path = path or settings_path()
        self.policy = policy if policy is not None else load_policy()
        self.login_item = login_item or login_item_for_platform()
        self._listeners: list[Listener] = []
        # The policy's values are defaults; the locked ones also override the person's.
        self.defaults = _from_mapping(self.policy.values, AppSettings())
        self._current = self._effective(self._read())

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("settings file %s cannot be read (%s): using defaults", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def _effective(self, user: Mapping[str, Any]) -> AppSettings:
        chosen = _from_mapping(user, self.defaults)
        locked = {n: v for n, v in self.policy.values.items() if n in self.policy.locked}
        return _from_mapping(locked, chosen)

    @property
    def current(self) -> AppSettings:
        """The settings in force: the person's, over the policy's defaults, under its locks."""
        return self._current

    def is_locked(self, name: str) -> bool:
        return name in self.policy.locked

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def save(self, settings: AppSettings) -> AppSettings:
        """Persist, apply and announce; locked settings keep the policy's value.

        Only what differs from the defaults is written, so a setting the
        person never changed follows a later change of the policy's default.
        """
        validate(settings)
        chosen = {
            name: value
            for name, value in asdict(settings).items()
            if name not in self.policy.locked and value != getattr(self.defaults, name)
        }
        _atomic_write(self.path, json.dumps(chosen, indent=2, sort_keys=True).encode())
        old = self._current
        self._current = self._effective(chosen)
        self.apply_login_item()
        if old != self._current:
            for listener in list(self._listeners):
                listener(old, self._current)
        return self._current

    def apply_login_item(self) -> None:
        """Make the platform's login item match the setting (also called after setup)."""
        try:
            if self._current.start_at_login:
                self.login_item.enable(autostart_command())
            else:
                self.login_item.disable()
        except OSError as exc:
            log.warning("start at login could not be changed: %s", exc)


# --- Things applied from settings ------------------------------------------------------------


def proxy_environment(settings: AppSettings) -> dict[str, str]:
    """Environment variables that make httpx and the S3 client use the manual proxy."""
    if settings.proxy_mode != "manual" or proxy_url_problem(settings.proxy_url):
        return {}
    url = settings.proxy_url.strip()
    return {name: url for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")}


def apply_proxy(settings: AppSettings, environ: dict[str, str] | None = None) -> None:
    """At start: a manual proxy overrides the system's for this process (system: untouched)."""
    target = os.environ if environ is None else environ
    target.update(proxy_environment(settings))


def read_ignore_file(folder: str | os.PathLike[str]) -> str:
    """The text of a synced folder's `.coffreignore` ("" if it has none)."""
    path = Path(folder) / IGNORE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def write_ignore_file(folder: str | os.PathLike[str], text: str) -> None:
    """Replace a folder's `.coffreignore` atomically; it syncs to the other devices."""
    data = text.encode("utf-8")
    if len(data) > MAX_IGNORE_FILE_BYTES:
        raise SettingsError("ignore", "too_long", "The ignore list is too long (1 MiB at most).")
    path = Path(folder) / IGNORE_FILE
    if not data.strip() and not path.exists():
        return
    if not data.endswith(b"\n") and data:
        data += b"\n"
    with contextlib.suppress(FileNotFoundError):
        if path.read_bytes() == data:
            return
    # The temporary name is one sync always ignores (localfs's temp prefix).
    _atomic_write(path, data, tmp_name=".coffre-tmp-coffreignore")
