"""A no-change round: the settled fast path skips planning, yet never misses a change.

Real engines on real folders and a folder store. The fast path trusts the scanner's
count of paths exactly as synced (round_outcome.entry_as_synced, disk_as_synced);
these tests check that an edit the stat hides poorly (same size, mtime set back) still
reaches the other device, from a long-running engine (the previous scan reused) and
from a fresh one (a `coffre sync` process: only Synced's stats to compare with).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto.keys import VaultKey
from sync_engine.engine import Engine
from sync_engine.stores.local import LocalStore
from tests.engine_devices import Device


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Device, Device, LocalStore]]:
    (tmp_path / "store").mkdir()
    store = LocalStore(tmp_path / "store")
    key = VaultKey.generate()
    alpha = Device.open("alpha", tmp_path, store, key)
    beta = Device.open("beta", tmp_path, store, key)
    yield alpha, beta, store
    alpha.close()
    beta.close()
    await store.close()


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records every round that planned (the real planner still runs)."""
    calls: list[int] = []
    real = Engine._plan

    def spy(self: Engine, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "_plan", spy)
    return calls


def _edit_keeping_size_and_mtime(path: Path, data: bytes) -> None:
    before = path.stat()
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns


async def _settled(alpha: Device, beta: Device) -> None:
    alpha.write("notes/a.txt", "first version")
    alpha.write("b.txt", "bravo")
    await alpha.sync()
    await beta.sync()
    assert beta.read("notes/a.txt") == b"first version"


async def test_a_no_change_round_does_not_plan(
    pair: tuple[Device, Device, LocalStore], plans: list[int]
) -> None:
    alpha, beta, _ = pair
    await _settled(alpha, beta)
    await alpha.sync()  # settles and pins: the next round may take the fast path
    plans.clear()
    report = await alpha.sync()
    assert plans == [] and report.settled and report.uploaded_files == 0
    fresh = alpha.reopen(alpha.store)  # a new process: no previous scan, Synced's stats only
    plans.clear()
    report = await fresh.sync()
    assert plans == [] and report.settled and report.uploaded_files == 0
    fresh.close()


@pytest.mark.parametrize("fresh_process", [False, True], ids=["same engine", "new process"])
async def test_an_edit_with_mtime_preserved_is_still_synced(
    pair: tuple[Device, Device, LocalStore], plans: list[int], fresh_process: bool
) -> None:
    alpha, beta, _ = pair
    await _settled(alpha, beta)
    await alpha.sync()
    _edit_keeping_size_and_mtime(alpha.folder / "notes" / "a.txt", b"other version")
    if fresh_process:
        alpha = alpha.reopen(alpha.store)
    plans.clear()
    report = await alpha.sync()
    assert plans, "the edit must not be taken for a no-change round"
    assert report.uploaded_files == 1
    await beta.sync()
    assert beta.read("notes/a.txt") == b"other version"
    if fresh_process:
        alpha.close()


async def test_a_deleted_and_an_added_file_are_not_a_no_change_round(
    pair: tuple[Device, Device, LocalStore], plans: list[int]
) -> None:
    """The same number of paths, one gone and one new: the counts alone must not pass."""
    alpha, beta, _ = pair
    await _settled(alpha, beta)
    await alpha.sync()
    (alpha.folder / "b.txt").unlink()
    alpha = alpha.reopen(alpha.store)
    alpha.write("c.txt", "charlie")
    plans.clear()
    await alpha.sync()
    assert plans
    await beta.sync()
    assert not (beta.folder / "b.txt").exists() and beta.read("c.txt") == b"charlie"
    alpha.close()
