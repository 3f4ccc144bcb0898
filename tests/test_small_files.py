"""Small files sealed in worker processes (sync_engine/small_files.py): same vault, every core.

The workers are real processes on a real folder; what they return must be
exactly what the one-thread path makes (same chunk ids, same content hash,
envelopes that open to the file's bytes), a file that is not as scanned must
come back as None (the executor then takes the ordinary path), and a round
that uses them must give the other device the same tree.
"""

from __future__ import annotations

import asyncio
import gc
import io
import os
import random
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from crypto.chunk import ChunkCodec
from crypto.keys import VaultKey
from sync_engine.disk.localfs import DiskFs
from sync_engine.small_files import (
    POOL_MIN_FILES,
    SMALL_FILE_MAX,
    SealedFile,
    SmallFileSealers,
)
from sync_engine.stores.local import LocalStore
from sync_engine.transfer.packer import Digester
from tests.engine_devices import Device

TIMEOUT = 120.0


@pytest.fixture
def folder(tmp_path: Path) -> DiskFs:
    (tmp_path / "folder").mkdir()
    fs = DiskFs(tmp_path / "folder")
    fs.write_root_marker()
    return fs


@pytest.fixture
def key() -> VaultKey:
    return VaultKey.generate()


@pytest.fixture
def sealers(folder: DiskFs, key: VaultKey) -> Iterator[SmallFileSealers]:
    pool = SmallFileSealers(folder.root, key, workers=2)
    yield pool
    pool.close()


def _write(fs: DiskFs, rel: str, data: bytes) -> None:
    path = Path(fs.root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _stat_key(fs: DiskFs, rel: str) -> tuple[object, ...]:
    entry = fs.stat(rel)
    assert entry is not None
    return entry.stat_key


def _seal(
    sealers: SmallFileSealers, fs: DiskFs, rels: list[str], keys: list[tuple[object, ...]]
) -> list[SealedFile | None]:
    future = sealers.submit(list(zip(rels, keys, strict=True)))  # type: ignore[arg-type]
    return SmallFileSealers.results(future, len(rels), TIMEOUT)


def test_a_worker_seals_what_the_one_thread_path_would(
    folder: DiskFs, key: VaultKey, sealers: SmallFileSealers
) -> None:
    rnd = random.Random(5)
    contents = {
        "empty.txt": b"",
        "a/text.txt": b"conseil municipal " * 300,  # compressible
        "a/random.bin": rnd.randbytes(9000),
        "b/largest.bin": rnd.randbytes(SMALL_FILE_MAX),  # several chunks, read whole
    }
    for rel, data in contents.items():
        _write(folder, rel, data)
    rels = list(contents)
    sealed = _seal(sealers, folder, rels, [_stat_key(folder, r) for r in rels])

    codec = ChunkCodec(key)
    for rel, done in zip(rels, sealed, strict=True):
        assert done is not None, rel
        expected = Digester(key).digest_stream(io.BytesIO(contents[rel]))
        assert done.content.digest == expected, rel
        assert done.after.stat_key == _stat_key(folder, rel)
        ids, envelopes = done.content.digest.chunk_ids, done.content.sealed
        plain = b"".join(
            codec.open(chunk_id, envelope)
            for chunk_id, envelope in zip(ids, envelopes, strict=True)
        )
        assert plain == contents[rel], rel
    assert len(sealed[3].content.digest.chunk_ids) > 1 if sealed[3] else False


def test_a_file_not_as_scanned_comes_back_for_the_ordinary_path(
    folder: DiskFs, sealers: SmallFileSealers
) -> None:
    _write(folder, "same.txt", b"unchanged")
    _write(folder, "edited.txt", b"before")
    _write(folder, "gone.txt", b"soon deleted")
    _write(folder, "grown.bin", b"x")
    _write(folder, "real.txt", b"real")
    rels = ["same.txt", "edited.txt", "gone.txt", "grown.bin", "link.txt"]
    keys = [_stat_key(folder, r) for r in rels[:4]]
    os.symlink("real.txt", Path(folder.root, "link.txt"))
    keys.append(_stat_key(folder, "real.txt"))  # a file became a symlink since the scan
    _write(folder, "edited.txt", b"after, longer")
    Path(folder.root, "gone.txt").unlink()
    _write(folder, "grown.bin", os.urandom(SMALL_FILE_MAX + 1))

    sealed = _seal(sealers, folder, rels, keys)
    assert sealed[0] is not None
    assert sealed[1:] == [None, None, None, None]


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Device, Device]]:
    (tmp_path / "store").mkdir()
    store = LocalStore(tmp_path / "store")
    key = VaultKey.generate()
    alpha = Device.open("alpha", tmp_path, store, key)
    beta = Device.open("beta", tmp_path, store, key)
    yield alpha, beta
    alpha.close()
    beta.close()
    await store.close()


async def test_a_round_of_many_small_files_uses_the_workers_and_arrives_whole(
    pair: tuple[Device, Device],
) -> None:
    alpha, beta = pair
    rnd = random.Random(13)
    count = POOL_MIN_FILES + 100
    for i in range(count):
        data = b"duplicate content" if i % 50 == 0 else rnd.randbytes(rnd.randint(0, 3000))
        alpha.write(f"d{i // 100:02}/f{i:04}.bin", data)
    alpha.write("big/large.bin", rnd.randbytes(SMALL_FILE_MAX + 300_000))  # stays in-thread

    report = await alpha.sync()
    assert report.uploaded_files == count + 1
    assert report.sealed_in_workers == count
    assert report.problems == []

    await beta.sync()
    for i in range(count):
        rel = f"d{i // 100:02}/f{i:04}.bin"
        assert beta.read(rel) == alpha.read(rel), rel
    assert beta.read("big/large.bin") == alpha.read("big/large.bin")

    again = await alpha.sync()
    assert again.uploaded_files == 0, "every file was recorded as synced"


def test_a_pool_whose_worker_died_answers_none_for_the_ordinary_path(
    folder: DiskFs, sealers: SmallFileSealers
) -> None:
    _write(folder, "a.txt", b"content")
    keys = [_stat_key(folder, "a.txt")]
    assert _seal(sealers, folder, ["a.txt"], keys)[0] is not None  # the workers are up
    for pid in list(sealers._pool._processes):  # a worker killed (out of memory, by hand)
        os.kill(pid, signal.SIGKILL)
    answers = [_seal(sealers, folder, ["a.txt"], keys) for _ in range(3)]
    assert answers[-1] == [None], "a broken pool gives every file back"
    assert not sealers.usable


async def test_overlapping_rounds_give_the_collector_its_settings_back(
    pair: tuple[Device, Device],
) -> None:
    """Full collections are paused during a round (engine.py); two folders' rounds
    overlapping must not leave them paused, whichever ends first."""
    alpha, beta = pair
    before = gc.get_threshold()
    for i in range(40):
        alpha.write(f"a{i}.txt", f"alpha {i}")
        beta.write(f"b{i}.txt", f"beta {i}")
    seen: list[int] = []

    async def watch() -> None:
        for _ in range(200):
            seen.append(gc.get_threshold()[2])
            await asyncio.sleep(0)

    await asyncio.gather(alpha.sync(), beta.sync(), watch())
    assert gc.get_threshold() == before
    assert max(seen) > before[2], "paused while the rounds ran"
