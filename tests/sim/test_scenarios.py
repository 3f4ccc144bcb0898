"""Hand-written reductions of what the simulator found: each bug in a dozen lines.

Why: a failing seed shows that something is wrong; these show what, with the
smallest sequence of steps, so the fix can be checked directly. A test is
marked xfail(strict=True) while its bug is open: once the engine is fixed it
passes, strict makes that an error, and the mark must go (the test stays, as
a guard).
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crypto.keys import VaultKey
from sync_engine.core.actions import PlanLimits
from sync_engine.disk.fs_errors import FsError
from sync_engine.engine import Engine, RoundReport
from sync_engine.stores.errors import StoreUnavailable
from sync_engine.stores.memory import MemoryStore
from sync_engine.vault.state import LocalState
from tests.memfs import MemoryFs


@dataclass
class Dev:
    fs: MemoryFs
    engine: Engine
    state: LocalState


class Clock:
    """A wall clock that advances 5 ms a reading."""

    def __init__(self, start_ms: int) -> None:
        self.now_ns = start_ms * 1_000_000

    def __call__(self) -> int:
        self.now_ns += 5_000_000
        return self.now_ns


def _vault(tmp_path: Path, n: int = 2) -> list[Dev]:
    store = MemoryStore(name="scenario")
    key = VaultKey(vault_id=bytes(16), secret=hashlib.sha256(b"scenario").digest())
    devices = []
    for i in range(n):
        fs = MemoryFs()
        fs.clock_ns += i * 10**15  # disjoint mtimes, as in the simulator
        state = LocalState(tmp_path / f"dev{i}.sqlite")
        engine = Engine(
            store=store,
            key=key,
            fs=fs,
            state=state,
            device_id=hashlib.sha256(f"dev{i}".encode()).hexdigest()[:32],
            device_name=f"dev{i}",
            quarantine_dir=tmp_path / "quarantine" / f"dev{i}",
            limits=PlanLimits(allow_mass_delete=True),
            clock_ns=Clock(1_767_225_600_000 + i * 1000),
        )
        devices.append(Dev(fs, engine, state))
    return devices


async def _settle(*devices: Dev) -> None:
    """Rounds on each device in turn until a whole pass changes nothing."""
    for _ in range(12):
        reports: list[RoundReport] = [await d.engine.round() for d in devices]
        if all(r.settled and not r.pulled_versions and not r.published_versions for r in reports):
            return
    raise AssertionError("did not settle")


def _fail_root_listing(op: str, rel: str) -> None:
    if op == "list_dir" and rel == "":
        raise OSError(errno.EACCES, "simulated EACCES")


def _run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def test_versions_pulled_by_a_failed_round_are_still_applied(tmp_path: Path) -> None:
    """Fixed: the settled fast path once skipped versions a failed round had pulled
    (nightly seed 13977)."""
    a, b = _vault(tmp_path)

    async def scenario() -> None:
        a.fs.put_file("one.txt", b"first")
        await _settle(a, b)  # b downloads one.txt; its last round sets 'settled'
        a.fs.put_file("two.txt", b"second")
        await a.engine.round()  # published
        b.fs.fault = _fail_root_listing
        with pytest.raises(FsError):
            await b.engine.round()  # pulls two.txt's version, then cannot scan
        b.fs.fault = None
        await _settle(a, b)
        assert b.fs.exists("two.txt"), "b never downloads two.txt: every round takes the fast path"

    _run(scenario)


def test_an_edit_that_keeps_size_and_mtime_is_still_synced(tmp_path: Path) -> None:
    a, b = _vault(tmp_path)

    async def scenario() -> None:
        a.fs.put_file("notes.txt", b"draft 1")
        await _settle(a, b)
        downloaded = b.fs.paths()["notes.txt"]
        # b's person fixes a typo in place (same size); on a disk with coarse timestamps
        # (FAT: 2 s, HFS+: 1 s) or a skewed peer clock the mtime can come out unchanged.
        b.fs.put_file("notes.txt", b"draft 2", mtime_ns=downloaded.mtime_ns)
        await _settle(a, b)
        assert a.fs.read_bytes("notes.txt") == b"draft 2", "b's edit was never uploaded"

    _run(scenario)


def test_a_deleted_conflict_copy_stays_deleted_when_the_round_fails(tmp_path: Path) -> None:
    a, b = _vault(tmp_path)

    async def scenario() -> None:
        a.fs.put_file("f.txt", b"from a")
        await a.engine.round()
        b.fs.put_file("f.txt", b"from b")
        await b.engine.round()  # b uploads its side: two heads
        await b.engine.round()  # b materialises the conflict copy (not yet resolved)
        copies = [p for p in b.fs.paths() if "(conflict " in p]
        assert copies
        for p in copies:
            b.fs.delete(p)  # the person deletes the copy before the resolution is written
        b.fs.put_file("other.txt", b"something to upload in the same round")

        def pack_outage(op: str, key: str) -> None:
            if op == "put" and key.startswith("packs/"):
                raise StoreUnavailable("simulated outage", key=key)

        b.engine.store.fault = pack_outage  # type: ignore[attr-defined]
        with pytest.raises(StoreUnavailable):
            await b.engine.round()  # dismisses the copy, then the pack upload fails
        b.engine.store.fault = None  # type: ignore[attr-defined]
        await _settle(b)
        assert not [p for p in b.fs.paths() if "(conflict " in p], "the deleted copy came back"

    _run(scenario)


def test_a_conflict_upload_after_a_failed_round_is_not_taken_as_settled(tmp_path: Path) -> None:
    """b pulls a's version in a round that fails; the next round uploads b's side beside
    a's head with nothing new pulled. That round must not count as settled, or the fast
    path would skip the conflict for good."""
    a, b = _vault(tmp_path)

    async def scenario() -> None:
        a.fs.put_file("f.txt", b"from a")
        await a.engine.round()
        b.fs.put_file("f.txt", b"from b")

        def pack_outage(op: str, key: str) -> None:
            if op == "put" and key.startswith("packs/"):
                raise StoreUnavailable("simulated outage", key=key)

        b.engine.store.fault = pack_outage  # type: ignore[attr-defined]
        with pytest.raises(StoreUnavailable):
            await b.engine.round()  # pulls a's version, then fails to upload
        b.engine.store.fault = None  # type: ignore[attr-defined]
        report = await b.engine.round()  # nothing new pulled: uploads b's side, two heads
        assert report.uploaded_files == 1 and not report.settled
        await _settle(a, b)
        for device in (a, b):
            copies = [p for p in device.fs.paths() if "(conflict " in p]
            assert len(copies) == 1, copies
        assert {a.fs.read_bytes("f.txt"), a.fs.read_bytes(copies[0])} == {b"from a", b"from b"}

    _run(scenario)
