"""What protects data: the mass-delete guard, skipped names, the quarantine, a missing store."""

from __future__ import annotations

import os
import unicodedata

import pytest

from .conftest import (
    EXIT_ATTENTION,
    EXIT_ERROR,
    EXIT_OK,
    ROOT_MARKER,
    MakeDevices,
    assert_same_tree,
    files_only,
)


def _problems(status: dict[str, object], kind: str) -> list[dict[str, str]]:
    problems = status["problems"]
    assert isinstance(problems, list)
    return [p for p in problems if p["kind"] == kind]


def test_mass_delete_guard_and_quarantine(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    for i in range(15):
        alpha.write(f"top-{i:02}.txt", f"top {i}")
        alpha.write(f"sub/f-{i:02}.txt", f"sub {i}")
    alpha.sync()
    beta.sync()

    # 10 of 30 synced files: fewer than half, so not held, on either side. What
    # alpha deleted goes to beta's quarantine.
    removed = [f"top-{i:02}.txt" for i in range(10)]
    for rel in removed:
        alpha.path(rel).unlink()
    alpha.sync()
    beta.sync()
    assert_same_tree(alpha, beta)
    assert len(files_only(beta.tree())) == 20
    quarantined = beta.json("quarantine")
    assert sorted(item["path"] for item in quarantined) == removed
    assert all(isinstance(item["id"], int) for item in quarantined)

    # 10 of 20: half of the synced files and 10 or more -> held, nothing published.
    doomed = [f"sub/f-{i:02}.txt" for i in range(10)]
    for rel in doomed:
        alpha.path(rel).unlink()
    before = alpha.location.size()
    held = alpha.sync(check_code=EXIT_ATTENTION)
    assert "held" in held.stderr and "--allow-mass-delete" in held.stderr, held.stderr
    assert all(rel in held.stderr for rel in doomed), held.stderr
    assert alpha.location.size() == before, "a held deletion publishes nothing"
    status = alpha.status(check_code=EXIT_ATTENTION)
    assert status["state"] == "attention"
    assert sorted(p["path"] for p in _problems(status, "held")) == doomed
    alpha.sync("--allow-mass-delete")

    # The deletion arriving from alpha deletes half of beta's files: held there too.
    arriving = beta.sync(check_code=EXIT_ATTENTION)
    assert "held" in arriving.stderr, arriving.stderr
    assert all(rel in arriving.stderr for rel in doomed), arriving.stderr
    assert all(beta.path(rel).is_file() for rel in doomed), "nothing deleted before confirming"
    beta.sync("--allow-mass-delete")
    assert not any(beta.path(rel).exists() for rel in doomed)
    assert_same_tree(alpha, beta)

    # A file from the quarantine comes back and is synced again, not deleted again.
    quarantined = beta.json("quarantine")
    assert set(doomed) | set(removed) == {item["path"] for item in quarantined}
    item = next(i for i in quarantined if i["path"] == "top-03.txt")
    beta.run("quarantine", "--restore", str(item["id"]))
    assert beta.read("top-03.txt") == b"top 3"
    beta.sync()
    assert beta.read("top-03.txt") == b"top 3", "a restored file is not deleted again"
    status = beta.status(check_code=EXIT_OK)
    assert status["files"] == 11 and status["problems"] == [], "and it is synced again"


def test_names_this_system_cannot_sync_are_reported_and_skipped(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("good.txt", "good")
    with open(os.path.join(os.fsencode(alpha.folder), b"bad-\xff.txt"), "wb") as f:
        f.write(b"a name that is not UTF-8")
    # A decomposed name beside its composed twin is a real clash: reported, never renamed.
    nfd = unicodedata.normalize("NFD", "café.txt")
    alpha.write("café.txt", "the composed one")
    alpha.write(nfd, "a decomposed name")
    os.mkfifo(alpha.path("pipe"))
    os.symlink("/etc/hostname", alpha.path("absolute-link"))
    os.symlink("../outside.txt", alpha.path("escaping-link"))
    skipped = ["bad-\ufffd.txt", nfd, "pipe", "absolute-link", "escaping-link"]

    proc = alpha.sync(check_code=EXIT_ATTENTION)
    for rel in skipped:
        assert f"skipped: {rel}:" in proc.stderr, (rel, proc.stderr)
    status = alpha.status(check_code=EXIT_ATTENTION)
    assert sorted(p["path"] for p in _problems(status, "skipped")) == sorted(skipped)
    assert all(p["reason"] for p in status["problems"])
    assert status["files"] == 2

    beta.sync()
    assert sorted(beta.tree()) == ["café.txt", "good.txt"]

    # Renamed or removed, the folder is in sync again and the problems are gone.
    os.unlink(os.path.join(os.fsencode(alpha.folder), b"bad-\xff.txt"))
    alpha.path(nfd).unlink()
    for rel in ("pipe", "absolute-link", "escaping-link"):
        alpha.path(rel).unlink()
    alpha.sync()
    assert alpha.status(check_code=EXIT_OK)["problems"] == []


def test_decomposed_names_are_renamed_to_nfc_and_sync_under_one_name(
    make_devices: MakeDevices,
) -> None:
    """As Mac-made archives leave them: a decomposed folder holding decomposed files."""
    alpha, beta = make_devices(2)
    folder = unicodedata.normalize("NFD", "Procès-verbaux")
    names = [unicodedata.normalize("NFD", f"séance {i} à Noël.txt") for i in range(3)]
    for i, name in enumerate(names):
        alpha.write(f"{folder}/{name}", f"minutes {i}")
    alpha.sync()
    files = [unicodedata.normalize("NFC", f"{folder}/{n}") for n in names]
    composed = sorted([unicodedata.normalize("NFC", folder), *files])
    assert sorted(alpha.tree()) == composed, "renamed on disk to the NFC spelling"
    assert alpha.status(check_code=EXIT_OK)["problems"] == []
    beta.sync()
    assert sorted(beta.tree()) == composed
    assert beta.path(files[0]).read_text() == "minutes 0"


@pytest.mark.folder_only  # unplugs the store's folder
def test_missing_store_or_unmounted_folder_deletes_nothing(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    for i in range(12):
        alpha.write(f"f{i}.txt", f"file {i}")
    alpha.sync()
    beta.sync()
    before = alpha.tree()

    unplugged = alpha.store.with_name("store-unplugged")
    alpha.store.rename(unplugged)
    alpha.path("f0.txt").unlink()  # a real local change waits for the store
    proc = alpha.sync(check_code=EXIT_ERROR)
    assert "missing" in proc.stderr and str(alpha.store) in proc.stderr, proc.stderr
    alpha.store.mkdir()  # an empty folder where the store was, like an empty mount point
    proc = beta.sync(check_code=EXIT_ERROR)
    assert "no coffre vault" in proc.stderr.lower(), proc.stderr
    assert beta.tree() == before
    alpha.store.rmdir()
    unplugged.rename(alpha.store)

    # beta's folder is unmounted: an empty folder without the marker, never "all deleted".
    mounted = beta.folder.with_name("beta-unmounted")
    beta.folder.rename(mounted)
    beta.folder.mkdir()
    proc = beta.sync(check_code=EXIT_ERROR)
    assert str(beta.folder) in proc.stderr, proc.stderr
    assert list(beta.folder.iterdir()) == []
    beta.folder.rmdir()
    mounted.rename(beta.folder)
    assert (beta.folder / ROOT_MARKER).is_file()

    alpha.sync()
    beta.sync()
    assert sorted(files_only(beta.tree())) == sorted(f"f{i}.txt" for i in range(1, 12))
    assert_same_tree(alpha, beta)
