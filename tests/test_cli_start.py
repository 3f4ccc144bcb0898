"""The command line starts without the engine, the stores' libraries or the crypto.

`coffre --help` and the start of every command (hardening, parsing, the log) must
not import what only a command's work needs (issue 13: < 100 ms to reach the
work; bench/cli_start.py prints the times). Each command module in
COMMAND_MODULES is registered by `build_parser`, so a heavy import at the top of
one of them fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Modules that cost tens of milliseconds each and that no command needs to start.
HEAVY = (
    "asyncio",
    "sync_engine.engine",
    "sync_engine.stores.local",
    "cryptography",
    "keyring",
    "pathspec",
    "obstore",
    "httpx",
    "sqlite3",
    "zstandard",
    "crypto.header",
)


def _loaded_after(code: str, tmp_path: Path) -> set[str]:
    env = {"PATH": "/usr/bin:/bin", "COFFRE_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-c", code + "; import sys, json; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _heavy(loaded: set[str]) -> list[str]:
    return sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize("command", ["sync", "status", "watch", "check", "gc", "passphrase"])
def test_reaching_a_command_loads_none_of_the_heavy_modules(command: str, tmp_path: Path) -> None:
    argv = [command, "change", "--folder", "x"] if command == "passphrase" else [command]
    argv += [] if command == "passphrase" else ["--folder", "x"]
    loaded = _loaded_after(f"from app.cli import prepare; prepare({argv!r})", tmp_path)
    assert "app.cli" in loaded
    assert _heavy(loaded) == []


def test_help_loads_none_of_the_heavy_modules(tmp_path: Path) -> None:
    code = "from app.cli import build_parser; build_parser().format_help()"
    loaded = _loaded_after(code, tmp_path)
    assert {"app.cli_check", "app.cli_gc", "app.cli_passphrase"} <= loaded  # all registered
    assert _heavy(loaded) == []


def test_help_still_lists_every_command_and_a_bad_language_is_refused(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "COFFRE_HOME": str(tmp_path / "home")}
    run = [sys.executable, "-m", "app.cli"]
    shown = subprocess.run([*run, "--help"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert shown.returncode == 0
    for name in ("init", "sync", "watch", "check", "gc", "passphrase", "policy", "enrol"):
        assert name in shown.stdout
    bad = subprocess.run(
        [
            *run,
            "init",
            "--store",
            str(tmp_path / "s"),
            "--folder",
            str(tmp_path),
            "--language",
            "de",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "invalid choice: 'de' (choose from en, fr)" in bad.stderr


def test_the_process_leaves_without_finalizing_only_when_nothing_else_runs(
    tmp_path: Path,
) -> None:
    """main() ends with os._exit only when no other thread or child process is running."""
    code = (
        "import threading; from app.cli import _nothing_left_running as alone; "
        "e = threading.Event(); t = threading.Thread(target=e.wait); "
        "before = alone(); t.start(); during = alone(); e.set(); t.join(); "
        "print(before, during, alone())"
    )
    env = {"PATH": "/usr/bin:/bin", "COFFRE_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False", "True"]


def test_a_command_that_fails_still_says_why_and_exits_with_its_code(tmp_path: Path) -> None:
    """What was written before the fast exit reaches the pipes (stdout, stderr, the log)."""
    env = {"PATH": "/usr/bin:/bin", "COFFRE_HOME": str(tmp_path / "home")}
    folder = tmp_path / "never-bound"
    folder.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "sync", "--folder", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0 and str(folder) in proc.stderr
