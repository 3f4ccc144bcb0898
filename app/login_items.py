"""Starting Coffre when the person logs in: the platform's own mechanism, behind `LoginItem`.

An XDG autostart entry on Linux, a LaunchAgent on macOS, the `Run` registry key
on Windows (beside the MSI's per-machine entry). The settings dialog's "start at
login" box turns it on or off through `SettingsStore.apply_login_item`.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from app.atomic_file import write_atomically


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
        write_atomically(self.path, text.encode())

    def disable(self) -> None:
        if self._system_entry():
            text = "[Desktop Entry]\nType=Application\nName=Coffre\nHidden=true\n"
            write_atomically(self.path, text.encode())
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
        write_atomically(self.path, plistlib.dumps(plist))

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
