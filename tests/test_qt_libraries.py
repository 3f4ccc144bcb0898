"""The app names the Debian packages Qt's xcb plugin lacks, instead of Qt's own message."""

from __future__ import annotations

import subprocess
from pathlib import Path

import PySide6

from app.qt_libraries import XCB_LIBRARIES, explanation, missing_packages, uses_xcb


def test_every_library_the_xcb_plugin_needs_is_known() -> None:
    qt = Path(PySide6.__file__).parent / "Qt"
    needed: set[str] = set()
    for lib in (
        qt / "plugins" / "platforms" / "libqxcb.so",
        qt / "lib" / "libQt6XcbQpa.so.6",
        qt / "lib" / "libQt6Gui.so.6",
    ):
        out = subprocess.run(
            ["readelf", "-d", str(lib)], capture_output=True, text=True, check=True, timeout=30
        ).stdout
        needed |= {
            line.split("[")[1].rstrip("]")
            for line in out.splitlines()
            if "(NEEDED)" in line and "libQt6" not in line
        }
    base = {"libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6", "libz.so.1"}
    assert needed - base - set(XCB_LIBRARIES) == set()


def test_this_machine_has_them_all() -> None:
    assert missing_packages() == []


def test_a_missing_library_is_named_by_its_package() -> None:
    packages = missing_packages(lambda soname: soname != "libxcb-cursor.so.0")
    assert packages == ["libxcb-cursor0"]
    text = explanation(packages, "fr_FR.UTF-8")
    assert "sudo apt install libxcb-cursor0" in text and "bibliothèques" in text
    assert "Install them with" in explanation(packages, "en_GB.UTF-8")


def test_only_an_x11_session_needs_them() -> None:
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "win32")
