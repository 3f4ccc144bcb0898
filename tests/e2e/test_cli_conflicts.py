"""Concurrent changes: an edit beats a delete, different edits conflict, equal edits do not.

The scenarios touch different paths, so they share one set of sync rounds (each
CLI call costs about a second).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .conftest import (
    DEVICE_NAMES,
    Device,
    MakeDevices,
    StoreLocation,
    assert_same_tree,
    files_only,
)

BUDGET = "budget 2026.final.ods"


def _conflict_copies(device: Device) -> list[str]:
    return sorted(p for p in files_only(device.tree()) if "conflict" in p)


def test_concurrent_changes_settle_the_same_way_on_three_devices(
    make_devices: MakeDevices,
) -> None:
    alpha, beta, gamma = make_devices(3)
    alpha.write(BUDGET, "the original budget")
    alpha.write("e1.txt", "e1 original")
    alpha.write("e2.txt", "e2 original")
    alpha.write("proj/a.txt", "in a folder alpha deletes")
    alpha.write("shared.txt", "before")
    alpha.sync()
    beta.sync()
    gamma.sync()

    # Different edits of one file: one conflict copy.
    edits = {"alpha": b"alpha's budget: 100", "beta": b"beta's budget: 250 (longer)"}
    alpha.write(BUDGET, edits["alpha"])
    beta.write(BUDGET, edits["beta"])
    # An edit against a delete, both ways round: the edit wins.
    alpha.write("e1.txt", "e1 edited by alpha")
    beta.path("e1.txt").unlink()
    alpha.path("e2.txt").unlink()
    beta.write("e2.txt", "e2 edited by beta")
    # A file created in a folder another device deleted brings the folder back.
    shutil.rmtree(alpha.path("proj"))
    beta.write("proj/new.txt", "created by beta in the folder alpha deleted")
    # The same edit, and the same new file, on two devices: no conflict.
    for device in (alpha, beta):
        device.write("shared.txt", "the same edit on both devices", mtime=1_700_000_000)
        device.write("new-on-both.txt", "the same new file on both devices", mtime=1_700_000_000)

    for _ in range(2):
        for device in (alpha, beta, gamma):
            device.sync()

    tree = assert_same_tree(alpha, beta, gamma)
    copies = _conflict_copies(alpha)
    assert len(copies) == 1, f"one conflict copy expected, got {copies} in {sorted(tree)}"
    (copy,) = copies
    assert copy.startswith("budget 2026.final") and copy.endswith(".ods"), copy
    assert {alpha.read(BUDGET), alpha.read(copy)} == set(edits.values())
    loser = next(name for name, data in edits.items() if data == alpha.read(copy))
    assert loser in copy, f"the copy {copy!r} names the losing device {loser}"

    assert alpha.read("e1.txt") == b"e1 edited by alpha"
    assert alpha.read("e2.txt") == b"e2 edited by beta"
    assert alpha.read("proj/new.txt").startswith(b"created by beta")
    assert "proj/a.txt" not in tree
    assert alpha.read("shared.txt") == b"the same edit on both devices"
    assert sorted(files_only(tree)) == sorted(
        [BUDGET, copy, "e1.txt", "e2.txt", "proj/new.txt", "shared.txt", "new-on-both.txt"]
    )


def test_conflicts_lists_the_copy_a_sync_made(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    alpha.write("plan.txt", "original")
    alpha.sync()
    beta.sync()
    alpha.write("plan.txt", "alpha's edit")
    beta.write("plan.txt", "beta's longer edit")
    alpha.sync()
    proc = beta.sync()
    copies = _conflict_copies(beta)
    assert len(copies) == 1, copies

    listed = beta.json("conflicts")
    assert [(item["path"], item["copy"]) for item in listed] == [("plan.txt", copies[0])]
    assert listed[0]["losing_device"] in copies[0]
    assert "0 conflicts" not in proc.stdout, proc.stdout


def test_a_french_vault_names_conflict_copies_in_french_on_every_device(
    tmp_path: Path, e2e_locations: Callable[[str, Path], StoreLocation]
) -> None:
    location = e2e_locations("folder", tmp_path)
    alpha, beta = (
        Device(n, tmp_path / n, tmp_path / f"home-{n}", location) for n in DEVICE_NAMES[:2]
    )
    alpha.run("init", "--store", location.address, "--device-name", "alpha", "--language", "fr")
    beta.run("join", "--store", location.address, "--device-name", "beta")
    alpha.write("compte-rendu.txt", "version d'origine")
    alpha.sync()
    beta.sync()
    alpha.write("compte-rendu.txt", "modifié sur alpha")
    beta.write("compte-rendu.txt", "modifié sur beta, plus long")
    for _ in range(2):
        for device in (alpha, beta):
            device.sync()
    assert_same_tree(alpha, beta)
    copies = [p for p in files_only(alpha.tree()) if p != "compte-rendu.txt"]
    assert len(copies) == 1 and copies[0].startswith("compte-rendu (conflit "), copies
    assert copies[0].endswith(").txt") and " 20" in copies[0]
    listed = beta.json("conflicts")
    assert [item["copy"] for item in listed] == copies
