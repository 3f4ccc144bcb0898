"""What a hostile store tries against the journal: each is refused and reported, never silent."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto.errors import TamperedData
from crypto.keys import VaultKey
from crypto.records import ZERO_HASH, Head, seal_head
from sync_engine.stores.local import LocalStore
from sync_engine.vault import journal
from sync_engine.vault.journal import JournalError
from sync_engine.vault.state import RoundProblem
from tests.engine_devices import Device


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalStore]:
    (tmp_path / "store").mkdir()
    s = LocalStore(tmp_path / "store")
    yield s
    await s.close()


@pytest.mark.parametrize("attack", ["tampered", "swapped"])
async def test_a_bad_snapshot_is_refused_and_stays_reported_over_the_whole_sync(
    tmp_path: Path, store: LocalStore, monkeypatch: pytest.MonkeyPatch, attack: str
) -> None:
    monkeypatch.setattr(journal, "SNAPSHOT_EVERY", 1)
    key = VaultKey.generate()
    alpha = Device.open("alpha", tmp_path, store, key)
    alpha.write("a.txt", "one")
    await alpha.sync()
    alpha.write("b.txt", "two")
    await alpha.sync()
    # Its two newest snapshots (a new device's first segment only says hello: gc_rules.py).
    snaps = sorted(
        (i.key for i in await store.list(f"snap/{alpha.device_id}/")),
        key=lambda k: int(k.rsplit("/", 1)[1]),
    )
    snap1, snap2 = snaps[-2], snaps[-1]
    if attack == "tampered":
        data = bytearray(await store.get(snap2))
        data[-5] ^= 1
        await store.put(snap2, bytes(data))
    else:  # the older snapshot served under the newer name
        await store.put(snap2, await store.get(snap1))

    gamma = Device.open("gamma", tmp_path, store, key)
    report = await gamma.sync()  # several rounds: it downloads, then settles
    snapshot_problems = [
        p for p in report.problems if p.reason.kind == RoundProblem.SNAPSHOT_SKIPPED
    ]
    assert snapshot_problems and snapshot_problems[0].kind == "tampered", report.problems
    assert snapshot_problems[0].path == alpha.device_id
    assert gamma.read("a.txt") == b"one" and gamma.read("b.txt") == b"two"  # from the segments


async def test_a_device_notices_its_own_head_and_journal_vanishing(
    tmp_path: Path, store: LocalStore
) -> None:
    key = VaultKey.generate()
    alpha = Device.open("alpha", tmp_path, store, key)
    alpha.write("a.txt", "one")
    await alpha.sync()
    for info in await store.list(""):
        if alpha.device_id in info.key:
            await store.delete(info.key)
    assert await alpha.engine.journal.heads_changed()
    alpha.write("a.txt", "two")
    with pytest.raises(JournalError, match="gone from the store"):
        await alpha.sync()
    assert [i.key for i in await store.list("log/")] == [], "it did not start a new chain"


async def test_a_pre_created_next_segment_is_blamed_on_the_store(
    tmp_path: Path, store: LocalStore
) -> None:
    key = VaultKey.generate()
    alpha = Device.open("alpha", tmp_path, store, key)
    alpha.write("a.txt", "one")
    await alpha.sync()
    next_seq = alpha.engine.journal.own_seq + 1
    await store.put(f"log/{alpha.device_id}/{next_seq}", os.urandom(200))
    alpha.write("a.txt", "two")
    with pytest.raises(TamperedData, match="never wrote") as caught:
        await alpha.sync()
    assert "same device identity" not in str(caught.value)


def test_a_heads_size_does_not_reveal_the_device_names_length() -> None:
    key = VaultKey.generate()
    dev = os.urandom(16)
    sizes = {
        len(seal_head(key, Head(dev, 1, ZERO_HASH, f'{{"name":"{"x" * n}"}}'.encode())))
        for n in (1, 7, 20, 100, 200)
    }
    assert len(sizes) == 1, sizes


async def test_heads_on_the_store_have_one_size_whatever_the_names(
    tmp_path: Path, store: LocalStore
) -> None:
    key = VaultKey.generate()
    for name in ("pc", "poste-accueil-mairie-de-saint-germain"):
        device = Device.open(name, tmp_path, store, key)
        device.write(f"{name}.txt", name)
        await device.sync()
        device.close()
    sizes = {i.size for i in await store.list("heads/")}
    assert len(sizes) == 1, sizes
