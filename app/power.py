"""Is the computer saving battery? For the "pause in battery saver mode" setting.

Each platform says it its own way; a probe answers True, False, or None when
it cannot tell (no such service, a desktop computer, an unknown system):

- Linux: power-profiles-daemon's active profile is "power-saver" (read over
  the system D-Bus by the GUI, app/gui/power_watcher.py; `profile_saves_power`
  is the rule).
- Windows: GetSystemPowerStatus reports the battery saver flag.
- macOS: `pmset -g` reports lowpowermode 1.
"""

from __future__ import annotations

import ctypes
import re
import subprocess
import sys
from collections.abc import Callable

POWER_SAVER_PROFILE = "power-saver"
PROFILES_SERVICES = (
    # (service, object path, interface): the newer name first, then the historical one.
    ("org.freedesktop.UPower.PowerProfiles", "/org/freedesktop/UPower/PowerProfiles",
     "org.freedesktop.UPower.PowerProfiles"),
    ("net.hadess.PowerProfiles", "/net/hadess/PowerProfiles", "net.hadess.PowerProfiles"),
)  # fmt: skip

Probe = Callable[[], bool | None]


def profile_saves_power(profile: str | None) -> bool | None:
    """power-profiles-daemon's ActiveProfile: "power-saver" saves power; None if unknown."""
    if not profile:
        return None
    return profile == POWER_SAVER_PROFILE


class SystemPowerStatus(ctypes.Structure):
    """Windows' SYSTEM_POWER_STATUS (winbase.h)."""

    _fields_ = [
        ("ACLineStatus", ctypes.c_ubyte),
        ("BatteryFlag", ctypes.c_ubyte),
        ("BatteryLifePercent", ctypes.c_ubyte),
        ("SystemStatusFlag", ctypes.c_ubyte),  # 1: battery saver is on
        ("BatteryLifeTime", ctypes.c_ulong),
        ("BatteryFullLifeTime", ctypes.c_ulong),
    ]


def windows_saver_from(status: SystemPowerStatus) -> bool:
    return status.SystemStatusFlag == 1


def windows_probe() -> bool | None:  # pragma: no cover - Windows only
    status = SystemPowerStatus()
    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent off Windows
    if not kernel32.GetSystemPowerStatus(ctypes.byref(status)):
        return None
    return windows_saver_from(status)


_LOW_POWER = re.compile(r"^\s*lowpowermode\s+(\d)", re.MULTILINE)


def pmset_saver_from(output: str) -> bool | None:
    match = _LOW_POWER.search(output)
    return None if match is None else match.group(1) == "1"


def mac_probe() -> bool | None:  # pragma: no cover - macOS only
    try:
        out = subprocess.run(
            ["pmset", "-g"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return pmset_saver_from(out)


def platform_probe(platform: str = sys.platform) -> Probe | None:
    """The probe that needs no Qt (Windows, macOS); Linux uses D-Bus from the GUI."""
    if platform.startswith("win"):
        return windows_probe
    if platform == "darwin":
        return mac_probe
    return None
