"""`check` finds what the store lost or altered and names the files; a missing pack
costs only the files in it, never the round."""

from __future__ import annotations

import functools
import os
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto.keys import VaultKey
from crypto.pack import PackWriter
from crypto.reason import Reason
from sync_engine.lifecycle.check import check_store
from sync_engine.stores.errors import StoreProblem
from sync_engine.stores.local import LocalStore
from sync_engine.transfer import packer
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


async def _packs(store: LocalStore) -> set[str]:
    return {i.key for i in await store.list("packs/")}


async def test_check_passes_on_a_sound_vault_and_reads_every_pack(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    alpha, beta, store = pair
    alpha.write("a.txt", "hello")
    alpha.write("big.bin", os.urandom(600_000))
    await alpha.sync()
    await beta.sync()
    report = await check_store(store, alpha.key, read_data_percent=100)
    assert report.sound, report.findings
    # Both devices wrote: alpha its hello and its files, beta its hello (gc_rules.py).
    assert report.devices == 2
    assert report.segments == alpha.engine.journal.own_seq + beta.engine.journal.own_seq
    assert report.packs == report.packs_read >= 1
    assert report.chunks_read >= 2


async def test_check_finds_a_deleted_pack_and_names_the_files(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    alpha, _beta, store = pair
    alpha.write("keep.txt", "stays")
    await alpha.sync()
    first = await _packs(store)
    alpha.write("docs/lost.odt", os.urandom(300_000))
    await alpha.sync()
    (gone,) = await _packs(store) - first
    await store.delete(gone)

    report = await check_store(store, alpha.key)
    assert not report.sound
    assert [f.kind for f in report.findings] == ["missing-pack"]
    assert report.findings[0].key == gone
    assert [(a.path, a.current) for a in report.affected] == [("docs/lost.odt", True)]


async def test_read_data_catches_an_extended_pack_that_range_reads_miss(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    """Bytes appended to a pack: the journal's ranges still read; a full read does not."""
    alpha, beta, store = pair
    alpha.write("f.txt", "some content")
    await alpha.sync()
    (pack,) = await _packs(store)
    data = await store.get(pack)
    await store.put(pack, data + b"\x00" * 100)

    await beta.sync()  # ranges read only the chunk: nothing is noticed by a sync
    assert beta.read("f.txt") == b"some content"
    report = await check_store(store, alpha.key, read_data_percent=100)
    assert not report.sound
    assert {f.kind for f in report.findings} == {"bad-index"}
    assert [a.path for a in report.affected] == ["f.txt"]


async def test_read_data_catches_a_flipped_byte_in_a_chunk(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    alpha, _beta, store = pair
    alpha.write("f.bin", os.urandom(100_000))
    await alpha.sync()
    (pack,) = await _packs(store)
    data = bytearray(await store.get(pack))
    data[100] ^= 1
    await store.put(pack, bytes(data))
    assert (await check_store(store, alpha.key)).sound  # structure alone cannot see it
    report = await check_store(store, alpha.key, read_data_percent=100)
    assert {f.kind for f in report.findings} == {"bad-chunk"}
    assert [a.path for a in report.affected] == ["f.bin"]


async def test_read_data_percent_samples_packs(
    pair: tuple[Device, Device, LocalStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packer, "PackWriter", functools.partial(PackWriter, target_size=64 << 10))
    alpha, _beta, store = pair
    for i in range(8):
        alpha.write(f"f{i}.bin", os.urandom(300_000))
    await alpha.sync()
    report = await check_store(store, alpha.key, read_data_percent=25, rng=random.Random(1))
    assert report.sound
    assert report.packs >= 8
    assert report.packs_read == -(-report.packs // 4)


async def test_check_reports_a_segment_past_the_head_and_a_gap(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    alpha, _beta, store = pair
    alpha.write("a.txt", "1")
    await alpha.sync()
    alpha.write("a.txt", "2")
    await alpha.sync()
    past = alpha.engine.journal.own_seq + 1
    seg1 = f"log/{alpha.device_id}/1"
    saved = await store.get(seg1)
    await store.delete(seg1)
    await store.put(f"log/{alpha.device_id}/{past}", saved)
    report = await check_store(store, alpha.key)
    kinds = {(f.kind, f.key) for f in report.findings}
    assert ("journal", f"log/{alpha.device_id}/{past}") in kinds
    assert any("past the device's head" in f.detail for f in report.findings)
    assert any("no snapshot covers them" in f.detail for f in report.findings)


async def test_check_verifies_snapshots_and_accepts_segments_they_cover(
    pair: tuple[Device, Device, LocalStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync_engine.vault import journal

    monkeypatch.setattr(journal, "SNAPSHOT_EVERY", 2)
    alpha, _beta, store = pair
    for i in range(3):
        alpha.write(f"f{i}.txt", str(i))
        await alpha.sync()
    assert (await check_store(store, alpha.key)).sound
    # Segments folded into the newest snapshot may go (garbage collection): still sound.
    snaps = [i.key for i in await store.list(f"snap/{alpha.device_id}/")]
    covered = max(int(k.rsplit("/", 1)[1]) for k in snaps)
    for seq in range(1, covered):  # the last one stays: the chain goes on from there
        await store.delete(f"log/{alpha.device_id}/{seq}")
    report = await check_store(store, alpha.key)
    assert report.sound, report.findings
    assert {v.path for v in report.versions} >= {"f0.txt", "f1.txt", "f2.txt"}
    snap = f"snap/{alpha.device_id}/{covered}"
    data = bytearray(await store.get(snap))
    data[-3] ^= 1
    await store.put(snap, bytes(data))
    report = await check_store(store, alpha.key)
    assert {f.kind for f in report.findings} == {"snapshot", "journal"}


async def test_a_missing_pack_costs_its_files_not_the_round(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    """Beta's round still downloads the other files and publishes its own new file."""
    alpha, beta, store = pair
    alpha.write("gone.bin", os.urandom(200_000))
    await alpha.sync()
    (gone,) = await _packs(store)
    alpha.write("fine.txt", "still here")
    await alpha.sync()
    await store.delete(gone)

    beta.write("mine.txt", "beta's own new file")
    report = await beta.sync()
    missing = [p for p in report.problems if p.kind == "missing"]
    assert [p.path for p in missing] == ["gone.bin"], report.problems
    assert missing[0].reason == Reason.of(StoreProblem.PACK_MISSING)
    assert beta.read("fine.txt") == b"still here"
    assert not (beta.folder / "gone.bin").exists()
    await alpha.sync()
    assert alpha.read("mine.txt") == b"beta's own new file"


async def test_repair_sends_again_what_this_device_has_and_marks_the_rest_lost(
    pair: tuple[Device, Device, LocalStore],
) -> None:
    from sync_engine.lifecycle.repair import lost_chunks, repair

    alpha, beta, store = pair
    alpha.write("history.bin", os.urandom(150_000))
    await alpha.sync()
    alpha.write("history.bin", os.urandom(150_000))  # the old content now only in history
    alpha.write("doc.odt", os.urandom(200_000))
    await alpha.sync()
    await beta.sync()
    beta.write("theirs.txt", "only beta has it")
    await beta.sync()
    for key in await _packs(store):  # the store loses every pack
        await store.delete(key)
    alpha.write("doc.odt", "edited here, not synced yet: not what the store lost")
    before = {p.name: p.read_bytes() for p in alpha.folder.iterdir() if p.is_file()}

    result = await repair(alpha.engine)
    assert result.resent == ["history.bin"]
    lost = sorted(line.split(" (")[0] for line in result.lost)
    assert lost == ["doc.odt", "history.bin", "theirs.txt"], result.lost
    assert any(line.startswith("history.bin (older version") for line in result.lost)
    assert lost_chunks(alpha.state)
    after = {p.name: p.read_bytes() for p in alpha.folder.iterdir() if p.is_file()}
    assert after == before, "repair never touches local files"

    report = await check_store(store, alpha.key, local_versions=alpha.state.all_versions())
    assert [a.path for a in report.affected if a.current] == ["doc.odt", "theirs.txt"]
    await alpha.sync()  # publishes its edit of doc.odt: that path is whole again
    result = await repair(beta.engine)  # beta still has theirs.txt: sent again
    assert result.resent == ["theirs.txt"]
    report = await check_store(store, alpha.key, read_data_percent=100)
    assert not [a for a in report.affected if a.current], report.affected
    assert {a.path for a in report.affected} == {"history.bin", "doc.odt", "theirs.txt"}
    synced = await beta.sync()
    assert synced.downloaded_files == 1, "only alpha's edit of doc.odt: a re-sent file is not"
    await alpha.sync()
    for rel in ("history.bin", "doc.odt", "theirs.txt"):
        assert beta.read(rel) == alpha.read(rel)
