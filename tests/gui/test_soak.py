"""The real app through a day's worth of work: it neither dies nor grows.

`python -m app.gui.main` (what `coffre-app` runs) starts as a subprocess on
folder A of a folder-store vault, so its exit code is real. Device B, driven
here by the engine, adds 2,000 files in four batches; then both devices edit
the same file (a conflict), B deletes a batch (a mass deletion A must hold),
and the app is asked to quit (SIGTERM, what a session logout sends; the same
path as its Quit command). The app is watched from outside the way a person's
scripts would: through the live status file `coffre status --json` reads.

The same run drives `coffre watch` (the engine without a window), which
writes the same status file through the same code (app/folder_runner.py).

Asserted: every file arrives, the conflict and the held deletion are shown
(never "up to date" while they wait), nothing is deleted on A, exit code 0,
no "Fatal Python error", and the resident memory after the last batch is
within a margin of the memory after the first. Figures are printed (-s).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.folders import Binding, create_binding
from app.status_file import read_status, status_path
from sync_engine.disk.localfs import DiskFs

from .devices import PASSPHRASE, Device, vault_template_fixture  # noqa: F401 - the fixture

FILES = int(os.environ.get("COFFRE_SOAK_FILES", "2000"))  # fewer for a quick local look
BATCHES = 4
DELETED = FILES * 3 // 5  # over the mass-delete guard's threshold (half the files)
WAIT_S = 90.0
# Memory must be flat: what the app holds after 500 files it may not double by 2,000.
# Measured: the app +10 MiB from 500 to 2,000 files, `coffre watch` +8 MiB (the vault's
# state grows with its files); a view that kept its rows would add far more.
RSS_MARGIN_KIB = 32 * 1024
REPO = Path(__file__).resolve().parents[2]
COMMANDS = {
    "app": ["-m", "app.gui.main"],  # what `coffre-app` runs
    # The engine alone, for comparison: same status file, same events, no window.
    "watch": ["-m", "app.cli", "watch", "--interval", "2"],
}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


class App:
    """The app as a subprocess, folder A's live status read from outside."""

    def __init__(
        self, binding: Binding, coffre_home: Path, log_dir: Path, command: list[str]
    ) -> None:
        self.folder = Path(binding.folder)
        self.status_file = status_path(coffre_home / "folders" / binding.folder_id)
        self.stderr_path = log_dir / "app.stderr"
        env = {
            **os.environ,
            "COFFRE_HOME": str(coffre_home),
            "COFFRE_PASSPHRASE": PASSPHRASE,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONFAULTHANDLER": "1",
        }
        self.stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, *command],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
        )

    def live(self) -> dict[str, Any] | None:
        return read_status(self.status_file)

    def wait(self, what: str, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_S
        live = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the app ended ({self.process.returncode}):\n{self.why()}")
            live = self.live()
            if live is not None and check(live):
                return live
            time.sleep(0.2)
        raise AssertionError(f"waited {WAIT_S:.0f} s for {what}; last status: {live}\n{self.why()}")

    def why(self) -> str:
        """The app's last words: a fatal error first, then the end of its stderr."""
        text = self.stderr_path.read_text(errors="replace")
        fatal = [line for line in text.splitlines() if "Fatal Python error" in line]
        return "\n".join([*fatal, text[-2000:]])

    def files(self) -> int:
        return sum(1 for p in self.folder.iterdir() if p.name.startswith("f"))

    def quit(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            self.stderr.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.stderr.close()


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.delenv("COFFRE_PASSPHRASE", raising=False)
    return tmp_path / "home-a", tmp_path / "home-b"


def bind(home: Path, folder: Path, store: Path, vault_id: str, name: str) -> Binding:
    """Bind a folder in its own installation (COFFRE_HOME), as on its own computer."""
    home.mkdir(parents=True, exist_ok=True)
    folder.mkdir()
    binding = create_binding(folder, str(store), vault_id, name)
    DiskFs(binding.folder).write_root_marker()
    return binding


@pytest.fixture
def app_and_b(
    tmp_path: Path,
    homes: tuple[Path, Path],
    vault_template: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[tuple[App, Device]]:
    import shutil

    home_a, home_b = homes
    store = tmp_path / "store"
    shutil.copytree(vault_template[0], store)
    monkeypatch.setenv("COFFRE_HOME", str(home_a))
    a = bind(home_a, tmp_path / "bureau", store, vault_template[1], "bureau")
    # The quickest polls the settings allow: B's files reach A within seconds.
    (home_a / "settings.json").write_text(json.dumps({"active_poll_s": 2, "idle_poll_s": 2}))
    monkeypatch.setenv("COFFRE_HOME", str(home_b))  # this process is device B from now on
    b = bind(home_b, tmp_path / "portable", store, vault_template[1], "portable")
    device = Device(b)
    command = COMMANDS[request.param]
    if request.param == "watch":
        command = [*command, "--folder", a.folder]
    app = App(a, home_a, tmp_path, command)
    try:
        yield app, device
    finally:
        app.kill()
        device.close()


def up_to_date(live: dict[str, Any]) -> bool:
    return bool(live["up_to_date"]) and live["state"] == "idle"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("app_and_b", list(COMMANDS), indirect=True)
def test_the_app_syncs_2000_files_a_conflict_and_a_held_deletion_then_quits_cleanly(
    app_and_b: tuple[App, Device],
) -> None:
    app, b = app_and_b
    started = time.monotonic()
    app.wait("the folder to open and sync", up_to_date)
    rss: list[int] = [rss_kib(app.process.pid)]

    per_batch = FILES // BATCHES
    for batch in range(BATCHES):
        for i in range(batch * per_batch, (batch + 1) * per_batch):
            (b.folder / f"f{i:05d}.txt").write_text(f"fichier {i}\n" * (1 + i % 40))
        b.sync()
        want = (batch + 1) * per_batch
        app.wait(f"{want} files on A", lambda live, w=want: app.files() >= w and up_to_date(live))
        rss.append(rss_kib(app.process.pid))
    synced_s = time.monotonic() - started

    # A conflict: both devices change the same file; B has not seen A's change.
    (b.folder / "compte-rendu.txt").write_text("version commune")
    b.sync()
    shared = app.folder / "compte-rendu.txt"
    app.wait("the shared file on A", lambda live: shared.exists() and up_to_date(live))
    before = app.live()
    shared.write_text("version du bureau")
    app.wait(
        "A to publish its change",
        lambda live: up_to_date(live) and live["last_sync"] != (before or {}).get("last_sync"),
    )
    (b.folder / "compte-rendu.txt").write_text("version du portable")
    b.sync()  # B finds the conflict and keeps both versions; A receives the copy
    live = app.wait("the conflict to be shown", lambda live: live["conflicts"] >= 1)
    assert not live["up_to_date"] and "conflict" in live["attention"]

    # A mass deletion from B: A holds it, deletes nothing and says so.
    for i in range(DELETED):
        (b.folder / f"f{i:05d}.txt").unlink()
    b.sync(allow_mass_delete=True)  # B's person confirmed on B
    live = app.wait("the deletion to be held", lambda live: live["held_deletion"] >= DELETED)
    assert not live["up_to_date"] and "held_deletion" in live["attention"]
    assert app.files() == FILES
    coffre = Path(sys.executable).with_name("coffre")
    shown = subprocess.run(
        [str(coffre), "status", "--folder", str(app.folder), "--json"],
        env={**os.environ, "COFFRE_HOME": str(app.status_file.parents[2])},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    status = json.loads(shown.stdout)
    assert status["state"] == "attention" and status["live"]["pid"] == app.process.pid
    rss.append(rss_kib(app.process.pid))

    code = app.quit()
    stderr = app.stderr_path.read_text(errors="replace")
    total_s = time.monotonic() - started
    print(
        f"\nsoak {app.process.args[1:3]}: {FILES} files in {synced_s:.1f} s, "
        f"whole run {total_s:.1f} s; "
        f"RSS KiB after start {rss[0]}, per batch {rss[1:-1]}, at the end {rss[-1]}"
    )
    assert "Fatal Python error" not in stderr, stderr[-3000:]
    assert code == 0, stderr[-3000:]
    assert not app.status_file.exists()  # the app said it stopped
    assert rss[-1] - rss[1] < RSS_MARGIN_KIB, f"memory grew: {rss}"
