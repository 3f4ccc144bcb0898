"""The Debian package: built by packaging/build-deb.sh from the PyInstaller bundle, then
installed, checked and removed by packaging/linux/check-deb.sh in a throwaway root.

The throwaway root is this machine's root under an overlay in a private mount
namespace: `dpkg -i` checks the Depends against real installed packages, the
bundled programs run without Python, a locked /etc/coffre/policy.json is obeyed
(store forced, another store refused with exit 2, limits and IT ignore patterns
applied), and `dpkg -r` / `-P` leave nothing behind. Costs about two minutes
(the bundle build), so it runs once, in CI too (tools/test.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.environment import unavailable

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.mark.packaging
@pytest.mark.timeout(900)
def test_deb_builds_installs_obeys_policy_and_uninstalls() -> None:
    for tool in ("dpkg-deb", "dpkg", "unshare", "chroot", "xvfb-run"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed")
    if os.geteuid() != 0:
        unavailable("installing a .deb in a throwaway root needs root")
    if not (ROOT / ".venv/bin/python").is_file():
        unavailable("the bundle is built from the project's .venv")
    build = subprocess.run(
        ["bash", "packaging/build-deb.sh", "--rebuild"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    deb = ROOT / "dist" / f"coffre_{VERSION}_amd64.deb"
    assert build.stdout.strip().endswith(deb.name) and deb.is_file()

    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Architecture: amd64" in info and "libxcb-cursor0" in info
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    assert "./etc/coffre/" not in listing  # the policy is IT's, never the package's

    check = subprocess.run(
        ["bash", "packaging/linux/check-deb.sh", str(deb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = check.stdout + check.stderr
    assert check.returncode == 0 and "all checks passed" in out, out
    for step in (
        "ok: dpkg -i",
        "ok: coffre --version: coffre " + VERSION,
        "ok: coffre-app starts offscreen",
        "ok: every bundled library resolves",
        "ok: coffre-app starts on an X11 display (xcb)",
        "ok: custom store refused (exit 2)",
        "ok: enrolled in the policy's store",
        "ok: sync ran; *.pst ignored by policy",
        "ok: upload limit 256 KiB/s locked by policy",
        "ok: dpkg -r removed /opt/coffre",
    ):
        assert step in out, out
    assert not Path("/opt/coffre").exists()  # the machine itself was never touched
