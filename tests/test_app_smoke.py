"""The desktop app starts and shows its main window (offscreen)."""

from __future__ import annotations

import subprocess
import sys

from app.gui.main_window import MainWindow


def test_main_window_shows_default_locations(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.isVisible()
    assert str(tmp_path / "default-store") in window.status_label.text()


def test_cli_version():
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("coffre ")
