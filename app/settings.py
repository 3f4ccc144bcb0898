"""The app's settings: what a person can change in the settings dialog, persisted as JSON.

    <COFFRE_HOME>/settings.json

No secret ever lives here (store credentials go to the OS keyring). A
machine-wide policy file (IT's) may set and lock any setting: the effective
value is the policy's, and the dialog shows it greyed out. Listeners (the live
sync bridge, the GUI) subscribe to changes with plain callbacks, so this module
needs no Qt.

Starting at login is a platform detail behind `LoginItem` (app/login_items.py).
Ignore patterns are not stored here: they live in each folder's
`.coffreignore` (app/ignore_file.py), which is synced so every device ignores
the same things.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.atomic_file import write_atomically
from app.login_items import LoginItem, autostart_command, login_item_for_platform
from app.paths import coffre_home, ensure_private_dir
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
        if self.path.parent == coffre_home():
            ensure_private_dir(self.path.parent)  # this user's only (docs/THREATS.md)
        write_atomically(self.path, json.dumps(chosen, indent=2, sort_keys=True).encode())
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
