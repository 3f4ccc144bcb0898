"""Tests of Qt-free models live outside tests/gui: this checks they really need no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assert_imports_without_qt(module: str) -> None:
    """Import `module` in a fresh interpreter where any PySide6 import fails."""
    code = f"import sys; sys.modules['PySide6'] = None; import {module}"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
