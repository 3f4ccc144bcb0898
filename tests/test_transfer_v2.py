"""The transfer layer with a format-2 KeyRing: uploads seal under the current epoch,
downloads, checks and moves open every epoch the ring holds, and v1 packs still read.

Real packs through a real store (a folder), real worker processes for small files.
"""

from __future__ import annotations

import asyncio
import io
import random
from pathlib import Path

import pytest

from crypto.device import DeviceKeys
from crypto.errors import EpochKeyMissing
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.records import (
    SEGMENT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    record_hash,
    seal_head,
    seal_record,
)
from sync_engine.core.model import Kind, Version, VersionId
from sync_engine.disk.localfs import DiskFs
from sync_engine.lifecycle.check import CheckReport, _Checker, check_store
from sync_engine.lifecycle.move import MoveReport, copy_pass
from sync_engine.small_files import SmallFileSealers, _keys_wire
from sync_engine.stores.local import LocalStore
from sync_engine.transfer.packer import Digester
from sync_engine.transfer.pipeline import Downloader, StoreBridge, Uploader
from sync_engine.vault.journal import head_key, segment_key
from sync_engine.vault.journal_codec import encode_segment

TIMEOUT = 120.0
K = VaultKey.generate()


def ring(*epochs: int) -> KeyRing:
    keys = {n: K if n == 1 else VaultKey(K.vault_id, bytes([n]) * 32) for n in epochs}
    return KeyRing(K.vault_id, 2, keys, max(epochs))


def contents() -> dict[str, bytes]:
    rnd = random.Random(2)
    return {
        "big.bin": rnd.randbytes(3 * 1024 * 1024),  # several chunks, through the packer
        "notes.txt": b"compte rendu du conseil " * 2000,
    }


def small_contents() -> dict[str, bytes]:
    rnd = random.Random(3)
    return {f"small/{i}.bin": rnd.randbytes(2000 + i) for i in range(6)}


def version(
    i: int, path: str, data: bytes, chunks, content_hash: bytes, device: str = "d0" * 16
) -> Version:
    return Version(
        vid=VersionId(device, i + 1),
        path=path,
        supersedes=frozenset(),
        hlc=i,
        kind=Kind.FILE,
        size=len(data),
        content_hash=content_hash,
        chunks=chunks,
    )


async def upload(store: LocalStore, key: VaultKey | KeyRing, folder: DiskFs) -> list[Version]:
    """Big files through the packer, small ones sealed by worker processes."""
    bridge = StoreBridge(store, asyncio.get_running_loop())
    small = small_contents()
    for rel, data in small.items():
        path = Path(folder.root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    sealers = SmallFileSealers(folder.root, key, workers=2)
    try:
        stats = [(rel, folder.stat(rel).stat_key) for rel in small]  # type: ignore[union-attr]
        sealed = SmallFileSealers.results(sealers.submit(stats), len(stats), TIMEOUT)
    finally:
        sealers.close()
    assert all(s is not None for s in sealed)

    def work() -> list[Version]:
        up = Uploader(key, bridge, lambda _id: None)
        digests = [(p, d, up.add(io.BytesIO(d))) for p, d in contents().items()]
        up.add_sealed([s.content for s in sealed if s is not None])
        up.finish()
        out = [
            version(i, p, d, up.locate(g), g.content_hash) for i, (p, d, g) in enumerate(digests)
        ]
        for i, ((rel, data), s) in enumerate(zip(small.items(), sealed, strict=True)):
            assert s is not None
            dg = s.content.digest
            out.append(version(100 + i, rel, data, up.locate(dg), dg.content_hash))
        return out

    return await asyncio.to_thread(work)


async def download(
    store: LocalStore, key: VaultKey | KeyRing, versions: list[Version]
) -> dict[str, bytes]:
    bridge = StoreBridge(store, asyncio.get_running_loop())

    def work() -> dict[str, bytes]:
        down = Downloader(key, bridge)
        try:
            return {v.path: b"".join(down.iter_content(v)) for v in versions}
        finally:
            down.close()

    return await asyncio.to_thread(work)


@pytest.fixture
def world(tmp_path: Path):
    (tmp_path / "store").mkdir()
    (tmp_path / "folder").mkdir()
    fs = DiskFs(tmp_path / "folder")
    fs.write_root_marker()
    return LocalStore(tmp_path / "store"), fs


def pack_sizes(store_root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in (store_root / "packs").rglob("*") if p.is_file()}


def test_a_v2_ring_uploads_v2_packs_that_later_rings_read_and_removed_devices_cannot(
    world, tmp_path: Path
) -> None:
    store, fs = world
    expected = {**contents(), **small_contents()}

    async def scenario() -> None:
        versions = await upload(store, ring(1, 2), fs)
        for data in (tmp_path / "store" / "packs").rglob("*"):
            if data.is_file():
                raw = data.read_bytes()
                assert raw[:5] == b"CFPK\x02" and raw[-8:-4] == (2).to_bytes(4, "little")
        assert await download(store, ring(1, 2), versions) == expected
        assert await download(store, ring(1, 2, 3), versions) == expected  # after a rotation
        with pytest.raises(EpochKeyMissing):
            await download(store, KeyRing(K.vault_id, 2, {1: K}, 1), versions[:1])
        # dedup and file identity do not depend on the epoch: epoch 1's keys decide them
        v1_digest = Digester(K).digest_stream(io.BytesIO(contents()["big.bin"]))
        assert v1_digest.content_hash == versions[0].content_hash
        assert v1_digest.chunk_ids == tuple(c.chunk_id for c in versions[0].chunks)
        await store.close()

    asyncio.run(scenario())


def test_v1_packs_still_read_with_the_ring_of_the_upgraded_vault(world) -> None:
    store, fs = world
    expected = {**contents(), **small_contents()}

    async def scenario() -> None:
        versions = await upload(store, K, fs)
        assert await download(store, ring(1, 2), versions) == expected
        await store.close()

    asyncio.run(scenario())


def test_small_file_workers_receive_only_epoch_one_and_the_current_epoch() -> None:
    vault_id, fmt, current, pairs = _keys_wire(ring(1, 2, 3, 4))
    assert (vault_id, fmt, current) == (K.vault_id, 2, 4)
    assert [n for n, _ in pairs] == [1, 4]
    assert _keys_wire(K) == (K.vault_id, 1, 1, ((1, K.secret),))


def test_check_and_move_read_v1_and_v2_packs_with_the_ring(world, tmp_path: Path) -> None:
    store, fs = world
    (tmp_path / "target").mkdir()
    target = LocalStore(tmp_path / "target")

    async def scenario() -> None:
        await upload(store, K, fs)
        await upload(store, ring(1, 2), fs)
        sizes = pack_sizes(tmp_path / "store")
        assert len(sizes) >= 2
        report = CheckReport()
        checker = _Checker(store, ring(1, 2), report)
        for pack_hex, size in sizes.items():
            assert await checker.index(pack_hex, size)
            await checker.read_pack(pack_hex, {})
        assert report.findings == [] and report.packs_read == len(sizes)
        # a device that lacks epoch 2 finds every v2 pack unreadable, and says why
        lacking = CheckReport()
        checker = _Checker(store, KeyRing(K.vault_id, 2, {1: K}, 1), lacking)
        missing = 0
        for pack_hex, size in sizes.items():
            try:
                await checker.index(pack_hex, size)
            except EpochKeyMissing:
                missing += 1
        assert 0 < missing < len(sizes)
        moved = MoveReport()
        assert await copy_pass(store, target, ring(1, 2), moved) == len(sizes)
        assert moved.damaged == []
        assert pack_sizes(tmp_path / "target") == sizes
        await store.close()
        await target.close()

    asyncio.run(scenario())


def test_check_verifies_v2_signatures_when_it_can_name_the_authors(world) -> None:
    """A v2 journal written and signed by one device: `check` with the authors' keys finds
    it sound, and flags a record whose signer was not that device at that log position."""
    store, fs = world
    laptop, other = DeviceKeys.generate("laptop"), DeviceKeys.generate("other")
    dev = laptop.device_id
    r = ring(1, 2)

    def authors(device: bytes, position: int):
        return laptop.signing.public if device == dev and position <= 5 else None

    async def scenario() -> None:
        uploaded = await upload(store, r, fs)
        versions = [
            version(i, v.path, b"", v.chunks, v.content_hash, dev.hex())
            for i, v in enumerate(uploaded)
        ]
        link, segments = ZERO_HASH, []
        for seq, part in ((1, versions[:3]), (2, versions[3:])):
            payload = encode_segment(dev.hex(), "laptop", part)
            seg = seal_record(
                r, SEGMENT_MAGIC, Record(dev, seq, link, payload), signer=laptop, position=4
            )
            await store.put(segment_key(dev.hex(), seq), seg)
            segments.append(seg)
            link = record_hash(seg)
        await store.put(
            head_key(dev.hex()), seal_head(r, Head(dev, 2, link), signer=laptop, position=5)
        )

        report = await check_store(store, r, read_data_percent=100, authors=authors)
        assert report.sound, report.findings
        assert report.segments == 2 and len(report.versions) == len(versions)
        assert report.packs_read == report.packs > 0

        # the other device re-signs segment 2 in the laptop's name: refused, with the chain
        forged = segments[1][:-64] + other.signing.sign_ed25519(b"segment", segments[1][:-64])
        await store.put(segment_key(dev.hex(), 2), forged)
        report = await check_store(store, r, authors=authors)
        assert [f.key for f in report.findings] == [segment_key(dev.hex(), 2), head_key(dev.hex())]
        assert "Ed25519" in report.findings[0].detail
        # without authors the forged segment opens (signatures unchecked); only the
        # head, which names the real segment's hash, no longer matches
        report = await check_store(store, r)
        assert [f.key for f in report.findings] == [head_key(dev.hex())]
        # a head naming a log position its author was not a device at
        await store.put(segment_key(dev.hex(), 2), segments[1])
        await store.put(
            head_key(dev.hex()), seal_head(r, Head(dev, 2, link), signer=laptop, position=9)
        )
        report = await check_store(store, r, authors=authors)
        assert [f.key for f in report.findings] == [head_key(dev.hex())]
        assert "log position 9" in report.findings[0].detail
        await store.close()

    asyncio.run(scenario())
