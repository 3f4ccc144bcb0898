"""The recovery key and passphrase changes on the CLI, and the old header staying retired.

`coffre passphrase change`, `--recovery-key-file` / COFFRE_RECOVERY_KEY on join and
sync (a new passphrase is then set from COFFRE_NEW_PASSPHRASE), the one strength
rule, and a store that serves the header a change replaced (issue 16.3).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from .conftest import EXIT_ERROR, EXIT_OK, EXIT_USAGE, PASSPHRASE, Device, folder_location, run_cli

pytestmark = pytest.mark.folder_only

NEW = "lanterne rouge sur le quai 19"
NEWER = "trois hirondelles au clocher 7"
RECOVERY = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}\b")


def _device(tmp_path: Path, name: str, store: Path) -> Device:
    return Device(name, tmp_path / name, tmp_path / f"home-{name}", folder_location(store))


def _run(device: Device, *args: str, code: int = EXIT_OK, **env: str):
    """`coffre ARGS` for the device with extra COFFRE_* variables (and no passphrase unless
    COFFRE_PASSPHRASE is among them)."""
    base = device.env(keep_passphrase=False)
    return run_cli(device.argv(args), env=base | env, check_code=code)


def _init(tmp_path: Path) -> tuple[Device, Path, str]:
    store = tmp_path / "store"
    alpha = _device(tmp_path, "alpha", store)
    init = alpha.run("init", "--store", str(store), "--device-name", "alpha")
    found = RECOVERY.search(init.stdout)
    assert found, init.stdout
    return alpha, store, found.group(0)


def _slot_files(store: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (store / "keys").iterdir() if p.is_file()}


def test_change_retires_the_old_passphrase_even_when_the_store_serves_the_old_header(
    tmp_path: Path,
) -> None:
    alpha, store, _recovery = _init(tmp_path)
    old_header = (store / "coffre.json").read_bytes()
    old_slots = _slot_files(store)

    proc = _run(
        alpha,
        "passphrase",
        "change",
        "--folder",
        str(alpha.folder),
        COFFRE_PASSPHRASE=PASSPHRASE,
        COFFRE_NEW_PASSPHRASE=NEW,
    )
    assert "changed" in proc.stdout
    assert '"epoch": 1' in (store / "coffre.json").read_text()
    retired = set(old_slots) - set(_slot_files(store))
    # A format-2 vault gets a new root: both of its slots (and the recovery key) are new.
    assert retired == set(old_slots)

    wrong = _run(alpha, "sync", code=EXIT_ERROR, COFFRE_PASSPHRASE=PASSPHRASE)
    assert "passphrase or recovery key is wrong" in wrong.stderr
    _run(alpha, "sync", COFFRE_PASSPHRASE=NEW)

    # The store puts the replaced header and slot back: the old passphrase opens them,
    # but this device has seen epoch 1 and refuses them.
    (store / "coffre.json").write_bytes(old_header)
    for name, data in old_slots.items():
        (store / "keys" / name).write_bytes(data)
    stale = _run(alpha, "sync", code=EXIT_ERROR, COFFRE_PASSPHRASE=PASSPHRASE)
    assert "old vault header" in stale.stderr and "epoch 0" in stale.stderr, stale.stderr


def test_recovery_key_syncs_and_sets_a_new_passphrase(tmp_path: Path) -> None:
    alpha, store, recovery = _init(tmp_path)
    alpha.write("note.txt", "from alpha")
    alpha.sync()
    beta = _device(tmp_path, "beta", store)

    # A new computer with the recovery key alone cannot enter a shared (format-2) vault:
    # no identity of a member is at hand to certify it. Nothing is changed.
    header = (store / "coffre.json").read_bytes()
    refused = _run(
        beta, "join", "--store", str(store), "--device-name", "beta", code=EXIT_ERROR,
        COFFRE_RECOVERY_KEY=recovery.lower().replace("-", " "), COFFRE_NEW_PASSPHRASE=NEW,
    )  # fmt: skip
    assert "No owner has added your identity" in refused.stderr
    assert refused.stdout.startswith("Coffre identity card v1")
    assert (store / "coffre.json").read_bytes() == header

    # On a computer of the vault, sync with the recovery key resets the passphrase.
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(recovery + "\n")
    reset = _run(alpha, "sync", "--recovery-key-file", str(key_file), COFFRE_NEW_PASSPHRASE=NEW)
    assert "recovery key" in reset.stdout and "replaced" in reset.stdout
    renewed = RECOVERY.search(reset.stdout)  # a new root: a new recovery key, shown once
    assert renewed and renewed.group(0) != recovery
    _run(alpha, "sync", code=EXIT_ERROR, COFFRE_PASSPHRASE=PASSPHRASE)
    _run(alpha, "sync", COFFRE_PASSPHRASE=NEW)
    assert '"epoch": 1' in (store / "coffre.json").read_text()


def test_recovery_without_a_new_passphrase_and_weak_passphrases_are_usage_errors(
    tmp_path: Path,
) -> None:
    alpha, store, recovery = _init(tmp_path)
    before = (store / "coffre.json").read_bytes()
    proc = _run(alpha, "sync", code=EXIT_USAGE, COFFRE_RECOVERY_KEY=recovery)
    assert "COFFRE_NEW_PASSPHRASE" in proc.stderr
    typo = _run(
        alpha,
        "sync",
        code=EXIT_USAGE,
        COFFRE_RECOVERY_KEY=recovery[:-1] + ("0" if recovery[-1] != "0" else "1"),
        COFFRE_NEW_PASSPHRASE=NEW,
    )
    assert "typo" in typo.stderr
    weak = _run(
        alpha,
        "passphrase",
        "change",
        "--folder",
        str(alpha.folder),
        code=EXIT_USAGE,
        COFFRE_PASSPHRASE=PASSPHRASE,
        COFFRE_NEW_PASSPHRASE="password123",
    )
    assert "too easy to guess" in weak.stderr
    assert (store / "coffre.json").read_bytes() == before  # nothing changed

    other = _device(tmp_path, "other", tmp_path / "other-store")
    weak_init = _run(
        other,
        "init",
        "--store",
        str(tmp_path / "other-store"),
        code=EXIT_USAGE,
        COFFRE_PASSPHRASE="azertyuiop",
    )
    assert "too easy to guess" in weak_init.stderr


def test_local_state_is_private(tmp_path: Path) -> None:
    alpha, _store, _recovery = _init(tmp_path)
    alpha.write("a.txt", "a")
    alpha.sync()
    assert stat.S_IMODE(alpha.home.stat().st_mode) == 0o700
    states = list(alpha.home.glob("folders/*/state.db*"))
    assert states
    for path in states:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for directory in alpha.home.glob("folders/*"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
