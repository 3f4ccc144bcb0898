"""A store that knows a file cannot find it in the byte ranges a device downloads.

The attack (issue 16, item 1): chunk a known file with FastCDC's public
parameters, seal each chunk under any key (an envelope's length does not
depend on the key: compressed size + 30), and look for those lengths among
the ranges a device reads from the packs. Two defences stop it: the vault's
keyed gear table moves the boundaries, and the downloader reads whole aligned
windows (sync_engine/stores/ranges.py), so no range has a chunk's length.

Devices are real Engines on real folders, syncing through a real store (a
folder, SeaweedFS's S3, Apache WebDAV); the second one reads through
`RecordingStore`, which only records.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crypto.chunk import ChunkCodec
from crypto.keys import VaultKey
from sync_engine.core.model import ChunkRef, Kind, Version, VersionId
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine
from sync_engine.stores import LocalStore, MemoryStore, Store
from sync_engine.stores.ranges import READ_WINDOW, windows
from sync_engine.transfer.chunker import PUBLIC_SEED, Chunker
from sync_engine.transfer.pipeline import (
    DOWNLOADS_IN_FLIGHT,
    MAX_DOWNLOADS_IN_FLIGHT,
    Downloader,
    StoreBridge,
)
from sync_engine.vault.state import LocalState
from tests.recording_store import RecordingStore

MiB = 1 << 20
TEXT = str.split(
    "le dossier du conseil municipal rapport annexe budget délibération arrêté "
    "préfecture marché public contrat avenant facture montant référence numéro"
)


def known_files() -> dict[str, bytes]:
    """What the store is assumed to know: a large file and two files under one chunk."""
    rng = random.Random(16)
    words = " ".join(rng.choices(TEXT, k=40_000)).encode()
    return {
        "rapport.bin": rng.randbytes(12 * MiB),  # about a dozen chunks
        "note.txt": words[:100_000],  # one chunk, stored compressed
        "scan.bin": rng.randbytes(200_000),  # one chunk, stored as is
    }


def public_envelope_lengths(data: bytes) -> set[int]:
    """The attacker's prediction: envelope lengths of `data` cut with the public table."""
    codec = ChunkCodec(VaultKey.generate())  # any key: lengths do not depend on it
    lengths = set()
    for chunk in Chunker(PUBLIC_SEED).iter_bytes(data):
        chunk_id = codec.chunk_id(chunk.data)
        lengths.add(len(codec.seal(chunk_id, chunk.data)))
    return lengths


def make_engine(name: str, base: Path, store: Store, key: VaultKey) -> tuple[Engine, LocalState]:
    folder = base / name
    folder.mkdir()
    home = base / f"{name}-home"
    home.mkdir()
    fs = DiskFs(folder)
    fs.write_root_marker()
    state = LocalState(home / "state.db")
    engine = Engine(
        store=store,
        key=key,
        fs=fs,
        state=state,
        device_id=secrets.token_hex(16),
        device_name=name,
        quarantine_dir=home / "quarantine",
    )
    return engine, state


@pytest.fixture(params=["local", "s3", "webdav"])
def real_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store of each real backend (the network ones from tests/servers)."""
    if request.param != "local":
        yield request.getfixturevalue(f"{request.param}_store")
        return
    (tmp_path / "store").mkdir()
    store = LocalStore(tmp_path / "store")
    yield store
    asyncio.run(store.close())


def test_known_files_are_not_found_in_the_ranges_a_device_reads(
    tmp_path: Path, real_store: Store
) -> None:
    files = known_files()

    async def scenario() -> tuple[list[tuple[str, int, int | None]], set[int]]:
        key = VaultKey.generate()
        a_store = real_store
        b_store = RecordingStore(real_store)
        a, a_state = make_engine("a", tmp_path, a_store, key)
        b, b_state = make_engine("b", tmp_path, b_store, key)
        try:
            for name, data in files.items():
                (tmp_path / "a" / name).write_bytes(data)
            assert (await a.sync()).settled
            assert (await b.sync()).settled
            for name, data in files.items():
                assert (tmp_path / "b" / name).read_bytes() == data
            stored = {ref.length for v in b_state.all_versions() for ref in v.chunks}
            return b_store.pack_reads(), stored
        finally:
            a_state.close()
            b_state.close()

    reads, stored_lengths = asyncio.run(scenario())
    predicted = set().union(*(public_envelope_lengths(d) for d in files.values()))

    # The attacker's model is right: one-chunk files are stored with exactly the
    # predicted envelope length, so reading them exactly would reveal them.
    assert public_envelope_lengths(files["note.txt"]) <= stored_lengths
    assert public_envelope_lengths(files["scan.bin"]) <= stored_lengths
    # What the device asked for: only whole aligned windows, none of a predicted length.
    assert reads, "the second device read no pack"
    for key, start, end in reads:
        assert end is not None, f"whole read of {key}"
        assert start % READ_WINDOW == 0 and end % READ_WINDOW == 0, (start, end)
        assert end - start not in predicted
        assert end - start not in stored_lengths
    # And the keyed table moved the large file's boundaries: its stored chunk lengths
    # (minus the one-chunk files) share nothing with the public cut's.
    big = public_envelope_lengths(files["rapport.bin"])
    assert len(big) > 5
    assert not big & stored_lengths


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        ([], []),
        ([(5, 5)], []),
        ([(0, 1)], [(0, 65536)]),
        ([(65536, 65537)], [(65536, 131072)]),
        ([(100, 70_000)], [(0, 131072)]),
        ([(10, 20), (65_000, 66_000), (300_000, 300_001)], [(0, 131072), (262144, 327680)]),
    ],
)
def test_windows_are_aligned_merged_and_cover_every_range(
    ranges: list[tuple[int, int]], expected: list[tuple[int, int]]
) -> None:
    assert windows(ranges, READ_WINDOW) == expected


def _small_versions(packs: list[str]) -> list[Version]:
    """One 4 KiB chunk per file, the i-th in packs[i], at consecutive offsets."""
    return [
        Version(
            vid=VersionId("d0" * 16, i + 1),
            path=f"f{i}",
            supersedes=frozenset(),
            hlc=i,
            kind=Kind.FILE,
            size=4000,
            chunks=(ChunkRef(bytes(32), pack, 8 + i * 4096, 4096, 4000),),
        )
        for i, pack in enumerate(packs)
    ]


def test_read_ahead_batches_count_the_windows_they_hold() -> None:
    """Small chunks scattered over many packs each hold a whole window in memory."""
    loop = asyncio.new_event_loop()
    try:
        bridge = StoreBridge(MemoryStore(), loop)
        scattered = Downloader(VaultKey.generate(), bridge, batch_bytes=16 * MiB)
        scattered.prefetch(_small_versions([secrets.token_hex(16) for _ in range(600)]))
        # 600 chunks of 4 KiB in 600 packs, one or two 64 KiB windows each: a 16 MiB
        # batch holds 256 windows (the chunk that fills it may add one more).
        assert len(scattered._batches) == 3
        for batch in scattered._batches:
            held = {
                (run.pack_key, w)
                for run in batch
                for ref in run.chunks
                for w in range(
                    ref.offset // READ_WINDOW, -(-(ref.offset + ref.length) // READ_WINDOW)
                )
            }
            assert len(held) <= 16 * MiB // READ_WINDOW + 1
        together = Downloader(VaultKey.generate(), bridge, batch_bytes=16 * MiB)
        together.prefetch(_small_versions(["ab" * 16] * 600))
        assert len(together._batches) == 1  # 2.3 MiB of one pack: 38 windows
    finally:
        loop.close()


def test_read_ahead_grows_with_the_rate_the_store_delivers_and_stays_bounded() -> None:
    loop = asyncio.new_event_loop()
    try:
        bridge = StoreBridge(MemoryStore(), loop)
        d = Downloader(VaultKey.generate(), bridge, batch_bytes=16 * MiB)
        assert d._ahead() == DOWNLOADS_IN_FLIGHT  # nothing seen yet
        now = time.monotonic()
        d._fetch_started, d._fetched_bytes = now - 10.0, 20 * MiB  # 2 MiB/s: a slow link
        assert d._ahead() == DOWNLOADS_IN_FLIGHT
        d._fetch_started, d._fetched_bytes = now - 1.0, 40 * MiB  # 40 MiB/s: 3 batches
        assert d._ahead() == 3
        d._fetch_started, d._fetched_bytes = now - 1.0, 4000 * MiB  # loopback: the bound
        assert d._ahead() == MAX_DOWNLOADS_IN_FLIGHT
    finally:
        loop.close()
