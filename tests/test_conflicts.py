"""Settling real conflicts made by two devices: keep mine, keep theirs, keep both, on real files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.conflicts import ConflictError, ConflictItem, Resolution, conflict_items, list_conflicts
from app.conflicts import resolve as resolve_conflict
from sync_engine.vault.state import LocalState

from .qt_free import assert_imports_without_qt
from .vault_devices import Device, Vault, make_vault, vault_template_fixture  # noqa: F401

FILES = {
    Resolution.KEEP_MINE: "mine.txt",
    Resolution.KEEP_THEIRS: "theirs.txt",
    Resolution.KEEP_BOTH: "both.txt",
}


@pytest.fixture
def devices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vault_template: tuple[Path, str]
) -> Iterator[tuple[Vault, Device, Device]]:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))
    vault = make_vault(tmp_path, vault_template)
    a, b = Device(vault.a), Device(vault.b)
    yield vault, a, b
    a.close()
    b.close()


def _conflicts(a: Device) -> list[ConflictItem]:
    state = LocalState(a.binding.state_path)
    try:
        return conflict_items(state, a.binding)
    finally:
        state.close()


def _make_conflicts(a: Device, b: Device) -> dict[str, ConflictItem]:
    """A's edit of each file loses to B's later one: on A, A's version is the copy."""
    for name in FILES.values():
        (a.folder / name).write_text("original")
    a.sync()
    b.sync()
    for name in FILES.values():
        (a.folder / name).write_text(f"A's edit of {name}")
    a.sync()
    for name in FILES.values():
        (b.folder / name).write_text(f"B's longer edit of {name}")
        st = (b.folder / name).stat()
        os.utime(b.folder / name, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    b.sync()
    a.sync()
    return {item.path: item for item in _conflicts(a)}


def test_each_choice_leaves_the_right_files_on_both_devices(
    devices: tuple[Vault, Device, Device],
) -> None:
    _vault, a, b = devices
    items = _make_conflicts(a, b)
    assert set(items) == set(FILES.values())
    for name, item in items.items():
        assert item.written
        assert item.mine.device == "bureau" and item.mine.path == item.copy
        assert item.theirs.device == "portable" and item.theirs.path == name
        assert (a.folder / item.copy).read_text() == f"A's edit of {name}"

    state = LocalState(a.binding.state_path)
    try:
        for choice, name in FILES.items():
            resolve_conflict(a.binding, state, items[name], choice)
    finally:
        state.close()
    a.sync()
    b.sync()
    a.sync()

    assert _conflicts(a) == []
    for device in (a, b):
        names = sorted(p.name for p in device.folder.iterdir() if not p.name.startswith(".coffre"))
        mine, theirs, both = (device.folder / FILES[c] for c in Resolution)
        assert mine.read_text() == "A's edit of mine.txt"
        assert theirs.read_text() == "B's longer edit of theirs.txt"
        assert both.read_text() == "B's longer edit of both.txt"
        copy = items["both.txt"].copy
        assert (device.folder / copy).read_text() == "A's edit of both.txt"
        assert names == sorted(["both.txt", copy, "mine.txt", "theirs.txt"])


def test_a_conflict_changed_since_it_was_shown_is_not_touched(
    devices: tuple[Vault, Device, Device],
) -> None:
    _vault, a, b = devices
    item = _make_conflicts(a, b)["mine.txt"]
    (a.folder / item.copy).write_text("edited again meanwhile")
    state = LocalState(a.binding.state_path)
    try:
        with pytest.raises(ConflictError, match="changed since"):
            resolve_conflict(a.binding, state, item, Resolution.KEEP_THEIRS)
    finally:
        state.close()
    assert (a.folder / "mine.txt").read_text() == "B's longer edit of mine.txt"
    assert (a.folder / item.copy).read_text() == "edited again meanwhile"


def test_list_conflicts_keeps_the_cli_format(devices: tuple[Vault, Device, Device]) -> None:
    _vault, a, b = devices
    _make_conflicts(a, b)
    state = LocalState(a.binding.state_path)
    try:
        listed = list_conflicts(state, a.binding)
    finally:
        state.close()
    assert {d["path"] for d in listed} == set(FILES.values())
    for d in listed:
        assert set(d) == {"path", "copy", "losing_device", "losing_time", "loser", "written"}
        assert d["losing_device"] == "bureau" and "(conflict bureau " in d["copy"]


def test_the_model_and_these_tests_need_no_qt() -> None:
    assert_imports_without_qt("tests.test_conflicts")
