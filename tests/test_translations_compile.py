"""Every translation source compiles cleanly: a garbled .ts would leave a screen untranslated."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.gui.i18n import TRANSLATIONS_DIR, _pyside_tool


@pytest.mark.parametrize("ts", sorted(TRANSLATIONS_DIR.glob("*.ts")), ids=lambda p: p.name)
def test_lrelease_accepts_the_source_and_finds_nothing_unfinished(ts: Path, tmp_path: Path) -> None:
    tool = _pyside_tool("lrelease")
    assert tool is not None
    result = subprocess.run(
        [*tool, str(ts), "-qm", str(tmp_path / "out.qm")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "error" not in result.stderr.lower(), result.stderr
    assert " 0 unfinished" in result.stdout, result.stdout
