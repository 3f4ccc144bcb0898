"""Which Debian packages Qt's window system plugin (xcb) lacks, said before Qt says it worse.

On a fresh Debian 12 desktop, `pip install` brings Qt but not every X11
library its xcb plugin links to (libxcb-cursor0 first of all); Qt then
aborts with "Could not load the Qt platform plugin xcb" and a hint about
reinstalling the application. `coffre-app` calls `missing_packages()` before
creating its QApplication and, when a library cannot be loaded, names the
packages to install. The sonames are those `readelf -d` lists as NEEDED by
PySide6's libqxcb.so and libQt6XcbQpa.so.6, and by libQt6Gui.so.6.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# soname -> the Debian (12) package that provides it.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether Qt will use its xcb plugin: Linux, and X11 chosen or the only display."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0]
    if chosen:
        return chosen == "xcb"
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_packages(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The Debian packages whose libraries cannot be loaded, sorted, each once."""
    return sorted({pkg for soname, pkg in XCB_LIBRARIES.items() if not loads(soname)})


def explanation(packages: list[str], lang: str = "") -> str:
    """What to print: the packages and the command that installs them."""
    command = "sudo apt install " + " ".join(packages)
    if (lang or os.environ.get("LANG", "")).startswith("fr"):
        return (
            "Coffre ne peut pas ouvrir sa fenêtre : des bibliothèques système manquent "
            f"({', '.join(packages)}).\nInstallez-les avec :\n  {command}\n"
        )
    return (
        "Coffre cannot open its window: system libraries are missing "
        f"({', '.join(packages)}).\nInstall them with:\n  {command}\n"
    )
