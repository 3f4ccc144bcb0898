"""`coffre init` / `join`, where the passphrase comes from, and usage errors (exit 2)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import (
    COMMAND_TIMEOUT,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    PASSPHRASE,
    REPO_ROOT,
    Device,
    MakeDevices,
    cli_env,
    folder_location,
    run_cli,
)

# Setup is the CLI's business, whatever the store: one backend is enough here
# (tests/test_setup.py covers S3 and WebDAV setup).
pytestmark = pytest.mark.folder_only


def _device(tmp_path: Path, name: str, store: Path, passphrase: str | None = PASSPHRASE) -> Device:
    return Device(
        name, tmp_path / name, tmp_path / f"home-{name}", folder_location(store), passphrase
    )


def test_init_and_join_bind_two_folders_to_one_vault(tmp_path: Path) -> None:
    store = tmp_path / "store"
    alpha = _device(tmp_path, "alpha", store)
    beta = _device(tmp_path, "beta", store, passphrase=None)
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")

    init = alpha.run("init", "--store", str(store), "--device-name", "alpha")
    assert (store / "coffre.json").is_file()
    assert "recovery key" in init.stdout.lower()
    beta.run(
        "join", "--store", str(store), "--device-name", "beta", "--passphrase-file", str(secret)
    )
    alpha.write("hello.txt", "hello from alpha")
    alpha.sync()
    beta.run("sync", "--passphrase-file", str(secret))

    assert beta.read("hello.txt") == b"hello from alpha"
    status = beta.status(check_code=EXIT_OK)
    assert status["device"] == "beta"
    assert status["folder"] == str(beta.folder.resolve())
    assert status["files"] == 1
    assert status["problems"] == []


def test_init_refuses_a_store_that_is_not_empty(tmp_path: Path, make_devices: MakeDevices) -> None:
    (alpha,) = make_devices(1)
    other = tmp_path / "other-data"
    other.mkdir()
    (other / "notes.txt").write_text("not a vault")

    for store, what in ((alpha.store, "vault"), (other, "other data")):
        newcomer = _device(tmp_path, f"newcomer-{what.replace(' ', '-')}", store)
        proc = newcomer.run("init", "--store", str(store), check_code=EXIT_ERROR)
        assert "not empty" in proc.stderr and what in proc.stderr, proc.stderr
        assert "join" in proc.stderr, "the message says what to do instead"
    newcomer.run("status", check_code=EXIT_USAGE)  # nothing was bound
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


def test_join_needs_a_vault_and_the_right_passphrase(
    tmp_path: Path, make_devices: MakeDevices
) -> None:
    (alpha,) = make_devices(1)
    empty = tmp_path / "empty-store"
    empty.mkdir()

    beta = _device(tmp_path, "beta", empty)
    proc = beta.run("join", "--store", str(empty), check_code=EXIT_ERROR)
    assert "no coffre vault" in proc.stderr.lower(), proc.stderr
    proc = beta.run("join", "--store", str(tmp_path / "missing-store"), check_code=EXIT_ERROR)
    assert "missing" in proc.stderr.lower(), proc.stderr

    proc = beta.run(
        "join", "--store", str(alpha.store), passphrase="not the passphrase", check_code=EXIT_ERROR
    )
    assert "passphrase" in proc.stderr.lower() and "wrong" in proc.stderr.lower(), proc.stderr
    beta.run("status", check_code=EXIT_USAGE)  # still not bound

    alpha.write("kept.txt", "kept")
    proc = alpha.run("sync", passphrase="not the passphrase", check_code=EXIT_ERROR)
    assert "passphrase" in proc.stderr.lower() and "wrong" in proc.stderr.lower(), proc.stderr
    assert alpha.read("kept.txt") == b"kept"


def test_no_passphrase_and_no_terminal_is_a_usage_error(
    tmp_path: Path, make_devices: MakeDevices
) -> None:
    (alpha,) = make_devices(1)
    alpha.write("a.txt", "a")

    proc = alpha.run("sync", no_passphrase=True, check_code=EXIT_USAGE)
    assert "COFFRE_PASSPHRASE" in proc.stderr and "--passphrase-file" in proc.stderr, proc.stderr

    store = tmp_path / "new-store"
    newcomer = _device(tmp_path, "newcomer", store, passphrase=None)
    proc = newcomer.run("init", "--store", str(store), check_code=EXIT_USAGE)
    assert "COFFRE_PASSPHRASE" in proc.stderr, proc.stderr
    assert not store.exists(), "nothing is created without a passphrase"

    empty_file = tmp_path / "empty-passphrase"
    empty_file.write_text("\n")
    proc = alpha.run(
        "sync", "--passphrase-file", str(empty_file), no_passphrase=True, check_code=EXIT_USAGE
    )
    assert "empty" in proc.stderr, proc.stderr
    proc = alpha.run(
        "sync",
        "--passphrase-file",
        str(tmp_path / "no-such-file"),
        no_passphrase=True,
        check_code=EXIT_USAGE,
    )
    assert "no-such-file" in proc.stderr, proc.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home", PASSPHRASE)
    unknown = tmp_path / "never-bound"
    unknown.mkdir()

    proc = run_cli(["sync", "--folder", str(unknown)], env=env, check_code=EXIT_USAGE)
    assert "not synced by Coffre" in proc.stderr and "coffre init" in proc.stderr, proc.stderr
    proc = run_cli(["status", "--folder", str(unknown)], env=env, check_code=EXIT_USAGE)
    assert "coffre join" in proc.stderr, proc.stderr
    run_cli(["init", "--folder", str(unknown)], env=env, check_code=EXIT_USAGE)  # no --store


def _read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {wanted!r} within {timeout} s; got {seen!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"the command ended before asking; got {seen!r}"
            seen += chunk
    return seen


def test_the_passphrase_is_asked_on_a_terminal(make_devices: MakeDevices) -> None:
    (alpha,) = make_devices(1)
    alpha.write("typed.txt", "synced after typing the passphrase")
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *alpha.argv(["sync"])],
            cwd=REPO_ROOT,
            env=alpha.env(keep_passphrase=False),
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # no controlling terminal: the prompt uses stdin
        )
        os.close(terminal)
        assert proc.stderr is not None
        prompt = _read_until(proc.stderr.fileno(), b"passphrase", timeout=COMMAND_TIMEOUT)
        os.write(controller, PASSPHRASE.encode() + b"\n")
        out, err = proc.communicate(timeout=COMMAND_TIMEOUT)
    finally:
        os.close(controller)
    assert proc.returncode == EXIT_OK, (prompt + err).decode(errors="replace")
    assert PASSPHRASE.encode() not in out + prompt + err, "the passphrase is not echoed"
    assert alpha.status(check_code=EXIT_OK)["files"] == 1
