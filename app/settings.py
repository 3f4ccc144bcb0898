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
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from app.paths import coffre_home, ensure_private_dir
from sync_engine.ignore import IGNORE_FILE, MAX_IGNORE_FILE_BYTES

log = logging.getLogger(__name__)

LANGUAGES = ("system", "fr", "en")
PROXY_MODES = ("system", "manual")
POLL_RANGE_S = (2, 3600)
MAX_LIMIT_KIB_S = 10_000_000  # 10 GB/s: anything above is "unlimited" anyway


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Every setting with its default. Limits are in KiB/s, 0 meaning unlimited."""

    pause_on_metered: bool = True
    upload_limit_kib_s: int = 0
    download_limit_kib_s: int = 0
    active_poll_s: int = 10  # how often the store is asked for changes while things happen
    idle_poll_s: int = 60  # ... and when nothing happened for a while
    start_at_login: bool = True
    language: str = "system"  # "system" (follow the desktop), "fr" or "en"
    proxy_mode: str = "system"  # "system" (environment / desktop) or "manual"
    proxy_url: str = ""  # for "manual": http://host:port, https://... or socks5://...

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


def proxy_url_problem(url: str) -> str | None:
    """None if `url` is a usable manual proxy, else a problem code ("empty" or "invalid")."""
    text = url.strip()
    if not text:
        return "empty"
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        return "invalid"
    return None


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


@dataclass(frozen=True, slots=True)
class Policy:
    """Settings IT sets for every user of the machine; `locked` ones cannot be changed."""

    values: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()


POLICY_ENV = "COFFRE_POLICY_FILE"


def policy_path(platform: str = sys.platform) -> Path:
    """Where the platform keeps machine-wide configuration (COFFRE_POLICY_FILE overrides)."""
    override = os.environ.get(POLICY_ENV)
    if override:
        return Path(override)
    if platform.startswith("win"):
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Coffre" / "policy.json"
    if platform == "darwin":
        return Path("/Library/Application Support/Coffre/policy.json")
    return Path("/etc/coffre/policy.json")


def load_policy(path: Path | None = None) -> Policy:
    """The machine policy's settings part: {"settings": {...}, "locked": [...]}; none if absent.

    This is the hook the fuller IT policy (store address, recovery key
    fingerprint, updates) plugs into; an unreadable policy locks nothing but
    is logged, since IT wants to know.
    """
    target = path or policy_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Policy()
    except (OSError, ValueError) as exc:
        log.warning("policy %s cannot be read (%s): nothing is locked", target, exc)
        return Policy()
    if not isinstance(data, dict):
        return Policy()
    raw_values = data.get("settings", {})
    values = dict(raw_values) if isinstance(raw_values, dict) else {}
    raw_locked = data.get("locked", [])
    if not isinstance(raw_locked, list):
        raw_locked = []
    locked = frozenset(n for n in raw_locked if n in SETTING_NAMES)
    return Policy({k: v for k, v in values.items() if k in SETTING_NAMES}, locked)


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
    if path.parent == coffre_home():
        ensure_private_dir(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(tmp_name or path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class XdgAutostart:
    """Linux and BSD desktops: ~/.config/autostart/coffre.desktop (XDG Autostart spec)."""

    FILE_NAME = "coffre.desktop"

    def __init__(self, config_home: Path | None = None) -> None:
        base = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = base / "autostart" / self.FILE_NAME

    def is_enabled(self) -> bool:
        return self.path.is_file()

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


class WindowsRunKey:
    """Windows: a value named Coffre under HKCU's ...\\CurrentVersion\\Run key."""

    VALUE_NAME = "Coffre"

    def __init__(self, run_key: RunKey | None = None) -> None:
        self.run_key: RunKey = run_key or WinRegRunKey()

    def is_enabled(self) -> bool:
        return self.run_key.get(self.VALUE_NAME) is not None

    def enable(self, command: Sequence[str]) -> None:
        self.run_key.set(self.VALUE_NAME, subprocess.list2cmdline(list(command)))

    def disable(self) -> None:
        self.run_key.delete(self.VALUE_NAME)


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
