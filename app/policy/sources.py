"""Where each platform keeps the organisation's policy, and reading it.

- Linux (and other Unixes): /etc/coffre/policy.json, `{"settings": {...}, "locked": [...]}`.
- Windows: HKLM\\Software\\Policies\\Coffre (enforced values) and its
  `Recommended` subkey (defaults the person may change), as Group Policy
  writes them from the ADMX; a list is a subkey of numbered string values.
- macOS: /Library/Managed Preferences/fr.coffre.app.plist, written by a
  configuration profile: its keys are enforced, its `Recommended` dictionary
  holds defaults.

`COFFRE_POLICY_FILE` names a JSON policy file that replaces the platform's
source (tests, portable installs, `coffre enrol --policy`).
"""

from __future__ import annotations

import json
import logging
import os
import plistlib
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from .model import Policy, build_policy, parse_policy, unreadable_policy
from .schema import SETTINGS

log = logging.getLogger(__name__)

POLICY_ENV = "COFFRE_POLICY_FILE"
LINUX_POLICY = Path("/etc/coffre/policy.json")
MAC_POLICY = Path("/Library/Managed Preferences/fr.coffre.app.plist")
REGISTRY_KEY = r"Software\Policies\Coffre"
RECOMMENDED = "Recommended"


def policy_from_json_file(path: Path) -> Policy:
    """The JSON policy at `path`: empty when absent, broken when unreadable or invalid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Policy()
    except (OSError, ValueError) as exc:
        return unreadable_policy(str(path), str(exc))
    return parse_policy(data, source=str(path))


def policy_from_plist(data: Mapping[str, Any], *, source: str) -> Policy:
    """A managed-preferences dictionary: top-level keys enforced, `Recommended` defaults."""
    recommended = data.get(RECOMMENDED, {})
    if not isinstance(recommended, dict):
        return unreadable_policy(source, f"{RECOMMENDED} must be a dictionary")
    enforced = {k: v for k, v in data.items() if k != RECOMMENDED}
    return build_policy(enforced, recommended, source=source)


def policy_from_plist_file(path: Path) -> Policy:
    try:
        with path.open("rb") as f:
            data = plistlib.load(f)
    except FileNotFoundError:
        return Policy()
    except (OSError, ValueError, plistlib.InvalidFileException) as exc:
        return unreadable_policy(str(path), str(exc))
    if not isinstance(data, dict):
        return unreadable_policy(str(path), "not a dictionary")
    return policy_from_plist(data, source=str(path))


# --- Windows registry ------------------------------------------------------------------------


class PolicyRegistry(Protocol):
    """Read access to HKEY_LOCAL_MACHINE, as much as policy needs."""

    def values(self, subkey: str) -> dict[str, Any] | None:
        """The values of a key by name (None if the key does not exist)."""
        ...


class WinRegPolicyRegistry:
    """The real HKEY_LOCAL_MACHINE (only on Windows)."""

    def values(self, subkey: str) -> dict[str, Any] | None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg

        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, subkey)
        except FileNotFoundError:
            return None
        out: dict[str, Any] = {}
        with key:
            index = 0
            while True:
                try:
                    name, value, _kind = winreg.EnumValue(key, index)
                except OSError:  # no more values
                    break
                out[name] = value
                index += 1
        return out


def _registry_layer(registry: PolicyRegistry, key: str) -> dict[str, Any] | None:
    values = registry.values(key)
    if values is None:
        return None
    layer = {name: value for name, value in values.items()}
    for s in SETTINGS:
        if s.kind == "list":
            items = registry.values(f"{key}\\{s.name}")
            if items is not None:  # GPO's list: values named 1, 2, 3...
                layer[s.name] = [str(items[n]) for n in sorted(items, key=_numeric)]
    return layer


def _numeric(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (1 << 30, name)


def policy_from_registry(registry: PolicyRegistry) -> Policy:
    source = "HKLM\\" + REGISTRY_KEY
    try:
        enforced = _registry_layer(registry, REGISTRY_KEY)
        recommended = _registry_layer(registry, f"{REGISTRY_KEY}\\{RECOMMENDED}")
    except OSError as exc:
        return unreadable_policy(source, str(exc))
    if enforced is None and recommended is None:
        return Policy()
    return build_policy(enforced or {}, recommended or {}, source=source)


# --- the platform's --------------------------------------------------------------------------


def load_policy(
    platform: str = sys.platform,
    *,
    registry: PolicyRegistry | None = None,
    path: Path | None = None,
) -> Policy:
    """The policy in force on this machine (an empty one when IT set none)."""
    override = path or (Path(os.environ[POLICY_ENV]) if os.environ.get(POLICY_ENV) else None)
    if override is not None:
        policy = policy_from_json_file(override)
    elif platform.startswith("win"):
        policy = policy_from_registry(registry or WinRegPolicyRegistry())
    elif platform == "darwin":
        policy = policy_from_plist_file(MAC_POLICY)
    else:
        policy = policy_from_json_file(LINUX_POLICY)
    for problem in policy.problems:
        log.error("policy %s: %s", policy.source, problem)
    for warning in policy.warnings:
        log.warning("policy %s: %s", policy.source, warning)
    return policy
