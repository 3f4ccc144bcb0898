"""The Windows MSI, built here with wixl from packaging/windows/coffre.wxs and read back
with msiinfo (msitools).

PyInstaller cannot build Windows programs on Linux, so the MSI here carries a
placeholder tree shaped like the bundle (coffre.exe, coffre-app.exe, _internal/);
packaging/windows/build.ps1 builds the real bundle and MSI on Windows from the same
coffre.wxs. What is checked is the installer's logic: per-machine, the stable upgrade
code, the documented properties (STORE_URL, NO_AUTOSTART, NO_DESKTOP_SHORTCUT,
INSTALLDIR), secure and remembered for upgrades.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.environment import unavailable

ROOT = Path(__file__).resolve().parents[1]
UPGRADE_CODE = "{6F2B7A1C-4E3D-4B8A-9C5E-0C0FFE0C0FFE}"


def _table(msi: Path, name: str) -> list[list[str]]:
    text = subprocess.run(
        ["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True
    ).stdout
    return [line.split("\t") for line in text.splitlines()[3:]]


def _build(tmp_path: Path, name: str) -> Path:
    bundle = tmp_path / "bundle"
    if not bundle.exists():
        (bundle / "_internal" / "PySide6").mkdir(parents=True)
        for rel in ("coffre.exe", "coffre-app.exe", "_internal/python311.dll",
                    "_internal/PySide6/Qt6Core.dll"):  # fmt: skip
            (bundle / rel).write_bytes(b"placeholder " + rel.encode())
    out = tmp_path / name
    proc = subprocess.run(
        ["bash", "packaging/windows/build-msi.sh", str(bundle), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr  # no wixl warning left unexplained
    return out


@pytest.mark.packaging
def test_msi_carries_the_documented_properties(tmp_path: Path) -> None:
    for tool in ("wixl", "msiinfo", "msibuild"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (Debian packages wixl, msitools)")
    msi = _build(tmp_path, "a.msi")
    props = dict((row[0], row[1]) for row in _table(msi, "Property"))
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ALLUSERS"] == "1"  # per machine
    secure = props["SecureCustomProperties"].split(";")
    assert {"STORE_URL", "NO_AUTOSTART", "NO_DESKTOP_SHORTCUT", "INSTALLDIR"} <= set(secure)

    registry = {(r[2], r[3]): (r[4], r[5]) for r in _table(msi, "Registry")}
    assert registry[("Software\\Policies\\Coffre", "store_url")] == (
        "[STORE_URL]",
        "PolicyStoreUrl",
    )
    run = registry[("Software\\Microsoft\\Windows\\CurrentVersion\\Run", "Coffre")]
    assert run == ('"[INSTALLDIR]coffre-app.exe" --autostart', "Autostart")
    for prop in ("STORE_URL", "NO_AUTOSTART", "NO_DESKTOP_SHORTCUT", "INSTALLDIR"):
        assert registry[("Software\\Coffre\\Installer", prop)][0] == f"[{prop}]"

    # Remembered: read back at AppSearch, restored only when not given again.
    search = {r[0]: r[1] for r in _table(msi, "AppSearch")}
    locators = {r[0]: (r[2], r[3]) for r in _table(msi, "RegLocator")}
    actions = {r[0]: (r[2], r[3]) for r in _table(msi, "CustomAction")}
    sequence = {r[0]: (r[1], int(r[2])) for r in _table(msi, "InstallExecuteSequence")}
    for prop in ("STORE_URL", "NO_AUTOSTART", "NO_DESKTOP_SHORTCUT", "INSTALLDIR"):
        assert locators[search[f"SAVED_{prop}"]] == ("Software\\Coffre\\Installer", prop)
        restore = next(a for a, (target, value) in actions.items() if value == f"[SAVED_{prop}]")
        assert actions[restore][0] == prop
        condition, number = sequence[restore]
        assert condition == f"SAVED_{prop} AND NOT {prop}"
        assert sequence["AppSearch"][1] < number < sequence["CostInitialize"][1]

    # No STORE_URL, NO_AUTOSTART, NO_DESKTOP_SHORTCUT: their features are named in REMOVE
    # before costing (after the remembered values are restored).
    features = {r[0] for r in _table(msi, "Feature")}
    assert {"Coffre", "StoreUrlPolicy", "StartAtLogin", "DesktopIcon", "NothingElse"} <= features
    assert props["OPT_OUT"] == "NothingElse"
    feature_of = {r[1]: r[0] for r in _table(msi, "FeatureComponents")}
    for action, feature, component, condition in (
        ("OptOutStorePolicy", "StoreUrlPolicy", "PolicyStoreUrl", "NOT STORE_URL"),
        ("OptOutAutostart", "StartAtLogin", "Autostart", "NO_AUTOSTART"),
        ("OptOutDesktop", "DesktopIcon", "DesktopShortcut", "NO_DESKTOP_SHORTCUT"),
    ):
        assert actions[action] == ("OPT_OUT", f"[OPT_OUT],{feature}")
        assert sequence[action][0] == f"{condition} AND NOT Installed"
        assert sequence["RestoreInstallDir"][1] < sequence[action][1] < sequence["ApplyOptOut"][1]
        assert feature_of[component] == feature
    assert actions["ApplyOptOut"] == ("REMOVE", "[OPT_OUT]")
    assert sequence["ApplyOptOut"][1] < sequence["CostFinalize"][1]
    shortcuts = {r[0]: r[1] for r in _table(msi, "Shortcut")}
    assert shortcuts == {"StartMenuCoffre": "ProgramMenuFolder", "DesktopCoffre": "DesktopFolder"}

    files = {r[2] for r in _table(msi, "File")}
    assert {"coffre.exe", "coffre-app.exe", "python311.dll", "Qt6Core.dll"} <= files
    upgrades = _table(msi, "Upgrade")
    assert all(r[0] == UPGRADE_CODE for r in upgrades)
    assert {r[6] for r in upgrades} == {"OLDER_VERSION_FOUND", "NEWER_VERSION_FOUND"}
    assert "RemoveExistingProducts" in sequence

    # Another build (another release) keeps the upgrade code, gets a new product code.
    again = dict((row[0], row[1]) for row in _table(_build(tmp_path, "b.msi"), "Property"))
    assert again["UpgradeCode"] == UPGRADE_CODE and again["ProductCode"] != props["ProductCode"]
    summary = subprocess.run(
        ["msiinfo", "suminfo", str(msi)], capture_output=True, text=True, check=True
    ).stdout
    assert "Template: x64;" in summary
