"""Re-encryption after a removal (lifecycle/reencrypt.py) on real shared vaults.

Real format-2 vaults (tests/sharing_world.py: identities, signed membership log,
signed journals) on a folder store and on SeaweedFS. After an owner removes a
member and re-encrypts: every referenced chunk lies in a pack whose trailer and
envelopes name the new epoch, a ring of the old epochs opens none of them,
every file still reads back on the other members' devices (and on a device
that joins afterwards), and the old packs are swept once the others
acknowledged. An interrupted re-encryption leaves a vault that reads whole and
resumes.
"""

from __future__ import annotations

import asyncio
import os
import struct
from pathlib import Path

import pytest

from crypto.chunk import ChunkCodec, envelope_epoch
from crypto.errors import CoffreCryptoError, EpochKeyMissing
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.pack import TRAILER_LEN_V2, open_index, pack_object_name, read_index
from crypto.records import peek_head
from sync_engine.core import gc_rules
from sync_engine.core.gc_rules import DeviceStatus
from sync_engine.core.membership_entry import Role
from sync_engine.core.model import ChunkRef
from sync_engine.lifecycle.check import check_store
from sync_engine.lifecycle.gc import Collector, GcRefused, kept_in_state
from sync_engine.lifecycle.reencrypt import Reencryptor, ReencryptRefused
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.local import LocalStore
from sync_engine.transfer.pipeline import Downloader, StoreBridge
from tests.crash_store import Interrupted
from tests.sharing_world import SharedDevice, SharedVault

KIB = 1024
MIB = 1024 * KIB


def test_the_rules_re_encryption_adds_to_gc() -> None:
    ref = ChunkRef(b"\1" * 32, "aa" * 16, 8, 40, 10)
    live = {"aa" * 16: {ref.chunk_id: ref}, "bb" * 16: {}, "cc" * 16: {}}
    # Only a pack proven sealed under the current epoch is left; unproven ones are rewritten.
    assert gc_rules.to_reencrypt({"bb" * 16: 2, "cc" * 16: 1}, live, 2) == ["aa" * 16, "cc" * 16]
    assert gc_rules.batches(["p", "q", "r"], {"p": 5, "q": 5, "r": 5}, 10) == [["p", "q"], ["r"]]
    assert gc_rules.batches(["p", "q"], {"p": 50, "q": 1}, 10) == [["p"], ["q"]]
    assert gc_rules.batches([], {}, 10) == []
    statuses = [DeviceStatus("removed", 1), DeviceStatus("kept", 1), DeviceStatus("v1", None)]
    assert [s.device for s in gc_rules.voters(statuses, frozenset({"removed"}))] == ["kept", "v1"]


def folder_store(base: Path) -> LocalStore:
    (base / "store").mkdir()
    return LocalStore(base / "store")


async def sync_all(*devices: SharedDevice, rounds: int = 3) -> None:
    for _ in range(rounds):
        for device in devices:
            await device.sync()


async def removal(store: Store, base: Path) -> tuple[SharedVault, SharedDevice, SharedDevice]:
    """Alice (owner) and Dan (editor) share files written in several rounds (several packs)
    with Bob (editor); Alice removes Bob: epoch 2. Returns the vault, Alice's and Dan's
    devices (Bob's is `vault.devices[1]`)."""
    vault = SharedVault(base, store)
    alice = await vault.create("Alice", "alice-pc")
    bob = await vault.member(alice, "Bob", Role.EDITOR)
    dan = await vault.member(alice, "Dan", Role.EDITOR)
    for i in range(4):
        alice.write(f"reports/r{i}.bin", os.urandom(300 * KIB + i))
        bob.write(f"bob/b{i}.bin", os.urandom(200 * KIB + i))
        await sync_all(alice, bob, dan, rounds=1)
    dan.write("notes.txt", "Dan's notes")
    await vault.settle()
    assert await vault.remove_member(alice, bob.person) == 2
    await sync_all(alice, dan)
    return vault, alice, dan


def referenced(device: SharedDevice) -> dict[str, dict[bytes, object]]:
    """Per pack, the chunks the versions `device` keeps read there (after relocations)."""
    names = device.journal.device_names()
    keep = kept_in_state(device.state, names, device.engine.clock_ns() // 1_000_000)
    return gc_rules.live_chunks(device.state.known_versions(), keep, device.state.relocations())


async def pack_epochs(store: Store, packs: set[str]) -> dict[str, int]:
    """Each pack's trailer epoch, as the store holds it."""
    out = {}
    for pack in packs:
        data = await store.get(pack_object_name(bytes.fromhex(pack)))
        (out[pack],) = struct.unpack_from("<I", data, len(data) - TRAILER_LEN_V2)
    return out


async def reads_back(device: SharedDevice) -> int:
    """Every version `device` keeps reads back from the store and matches its hash."""
    names = device.journal.device_names()
    keep = kept_in_state(device.state, names, device.engine.clock_ns() // 1_000_000)
    versions = [v for v in device.state.known_versions() if v.vid in keep and v.chunks]
    downloader = Downloader(
        device.engine.ring,
        StoreBridge(device.engine.store, asyncio.get_running_loop()),
        moved=device.state.relocations(),
    )

    def read_all() -> None:
        for v in versions:
            downloader.check_version(v)
            assert len(b"".join(downloader.iter_content(v))) == v.size

    await asyncio.to_thread(read_all)
    downloader.close()
    return len(versions)


async def all_under(store: Store, vault: SharedVault, live: dict[str, dict[bytes, object]]) -> None:
    """Every referenced pack is sealed under the newest epoch, index and envelopes both,
    and a ring of the older epochs opens neither its index nor any of its chunks."""
    new = vault.ring()
    old = KeyRing(vault.vault_id, 2, {1: vault.epochs[1]}, 1)
    codec_old = ChunkCodec(old)
    for pack, chunks in live.items():
        pack_id = bytes.fromhex(pack)
        data = await store.get(pack_object_name(pack_id))
        (trailer,) = struct.unpack_from("<I", data, len(data) - TRAILER_LEN_V2)
        assert trailer == new.current
        entries = {e.chunk_id: e for e in read_index(new, pack_id, data)}
        for chunk_id in chunks:
            e = entries[chunk_id]  # type: ignore[index]
            envelope = data[e.offset : e.offset + e.length]
            assert envelope_epoch(envelope) == new.current
            with pytest.raises(CoffreCryptoError):
                codec_old.open(chunk_id, envelope)  # type: ignore[arg-type]
        with pytest.raises(EpochKeyMissing):
            open_index(old, pack_id, data[-64 * KIB :], len(data))


async def rewritten_and_swept(store: Store, base: Path) -> None:
    vault, alice, dan = await removal(store, base)
    before = referenced(alice)
    assert set((await pack_epochs(store, set(before))).values()) == {1}
    report = await Reencryptor(alice.engine, batch_bytes=MIB).run()
    assert report.epoch == 2
    assert report.rewritten_packs == report.referenced_packs == len(before) >= 4
    assert report.batches >= 2  # one mark per ~1 MiB batch
    assert report.bytes_read >= report.bytes_written >= 4 * (300 + 200) * KIB
    assert report.waiting_for == ["dan-pc"]  # Bob's device does not hold the sweep
    after = referenced(alice)
    await all_under(store, vault, after)
    assert not set(after) & set(before)
    # The old packs are still there until Dan acknowledges.
    assert set(before) <= {p for p in await Collector(alice.engine).pack_sizes()}
    await sync_all(dan, alice)
    assert await reads_back(dan) == await reads_back(alice) >= 9
    assert dan.read("bob/b3.bin") == vault.devices[1].read("bob/b3.bin")
    gc = await Collector(alice.engine).run()
    assert gc.deleted_packs >= len(before)
    stored = await Collector(alice.engine).pack_sizes()
    assert not set(before) & set(stored)
    assert set((await pack_epochs(store, set(stored))).values()) == {2}
    # `coffre check --read-data` follows the relocations: every chunk found and read.
    checked = await check_store(
        store, dan.engine.ring, local_versions=dan.state.all_versions(),
        read_data_percent=100, authors=dan.journal.authors(),
    )  # fmt: skip
    assert checked.sound and checked.findings == [] and checked.chunks_read >= 9
    # A device joining now reads every file from the rewritten packs.
    erin = await vault.join(dan.person, "dan-laptop")
    await sync_all(erin, alice, dan)
    for rel in ("reports/r0.bin", "bob/b3.bin", "notes.txt"):
        assert erin.read(rel) == alice.read(rel) == dan.read(rel)
    assert await reads_back(erin) >= 9
    # Later GC runs (once everyone read the mark segments) fold the old epochs' journal.
    for _ in range(2):
        await sync_all(dan, erin, alice)
        await Collector(alice.engine).run()
    old_epoch = [
        info.key
        for info in await store.list("log/") + await store.list("snap/")
        if envelope_epoch_of_record(await store.get(info.key)) < 2
    ]
    assert old_epoch == []  # Bob's own segments too
    old_heads = [
        info.key
        for info in await store.list("heads/")
        if peek_head(await store.get(info.key)).epoch < 2
    ]
    assert old_heads == [f"heads/{vault.devices[1].device_id}"]  # his name and positions only
    vault.close()


def envelope_epoch_of_record(data: bytes) -> int:
    from crypto.records import SEGMENT_MAGIC, SNAPSHOT_MAGIC, peek_record

    magic = SNAPSHOT_MAGIC if data[:4] == SNAPSHOT_MAGIC else SEGMENT_MAGIC
    return peek_record(magic, data).epoch


async def test_removal_then_reencrypt_on_a_folder_store(tmp_path: Path) -> None:
    await rewritten_and_swept(folder_store(tmp_path), tmp_path)


async def test_removal_then_reencrypt_on_seaweedfs(s3_store: Store, tmp_path: Path) -> None:
    await rewritten_and_swept(s3_store, tmp_path)


class CrashAfterPacks:
    """The real store, interrupted (as a crash) at the n-th new pack written."""

    def __init__(self, inner: Store, packs: int) -> None:
        self.inner, self.left = inner, packs

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def put(self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE):  # type: ignore[no-untyped-def]
        if key.startswith("packs/"):
            if self.left == 0:
                raise Interrupted(f"interrupted before writing {key}")
            self.left -= 1
        return await self.inner.put(key, data, mode=mode)


async def interrupted_then_resumed(store: Store, tmp_path: Path) -> None:
    vault, alice, dan = await removal(store, tmp_path)
    before = referenced(alice)
    real = alice.engine.store
    # Batches of one pack: the crash comes in the second batch, after one mark.
    alice.engine.store = alice.engine.journal.store = CrashAfterPacks(real, 1)  # type: ignore[assignment]
    with pytest.raises(Interrupted):
        await Reencryptor(alice.engine, batch_bytes=1).run()
    alice.engine.store = alice.engine.journal.store = real
    # Consistent meanwhile: every file reads back on both devices, half rewritten.
    await sync_all(dan, alice)
    assert await reads_back(dan) == await reads_back(alice) >= 9
    mixed = await pack_epochs(store, set(referenced(alice)))
    assert set(mixed.values()) == {1, 2}
    # The next run rewrites only what is left.
    report = await Reencryptor(alice.engine).run()
    assert 0 < report.rewritten_packs < len(before)
    await all_under(store, vault, referenced(alice))
    await sync_all(dan, alice)
    assert await reads_back(dan) >= 9
    await Collector(alice.engine).run()  # Dan acknowledged both runs' marks: swept
    stored = await Collector(alice.engine).pack_sizes()
    assert set((await pack_epochs(store, set(stored))).values()) == {2}
    assert not set(before) & set(stored)
    for rel in ("reports/r2.bin", "bob/b0.bin", "notes.txt"):
        assert dan.read(rel) == alice.read(rel)
    vault.close()


async def test_an_interrupted_reencryption_loses_nothing_and_resumes(tmp_path: Path) -> None:
    await interrupted_then_resumed(folder_store(tmp_path), tmp_path)


async def test_an_interrupted_reencryption_resumes_on_seaweedfs(
    s3_store: Store, tmp_path: Path
) -> None:
    await interrupted_then_resumed(s3_store, tmp_path)


async def test_reencrypt_needs_the_newest_epoch_and_the_right_to_write(tmp_path: Path) -> None:
    store = folder_store(tmp_path)
    vault = SharedVault(tmp_path, store)
    alice = await vault.create("Alice", "alice-pc")
    carol = await vault.member(alice, "Carol", Role.READER)
    bob = await vault.member(alice, "Bob", Role.EDITOR)
    alice.write("a.txt", "a")
    await vault.settle()
    with pytest.raises(ReencryptRefused, match="owner or an editor"):
        await Reencryptor(carol.engine).run()
    await vault.remove_member(alice, bob.person)
    stale = vault.ring(upto=1)
    alice.engine.use_ring(stale)  # as if the new epoch's envelope were not opened yet
    vid = os.urandom(16)
    other = KeyRing(vid, 2, {1: VaultKey(vid, os.urandom(32))}, 1)
    with pytest.raises(ValueError, match="another vault"):
        alice.engine.use_ring(KeyRing.v1(vault.epochs[1]))  # a format-1 ring of the same key
    with pytest.raises(ValueError):
        alice.engine.use_ring(other)
    # Its journal opens the epoch the log started before anything else (this in-process
    # world sealed no envelope of it to the store): refused, nothing changed.
    with pytest.raises(GcRefused, match=r"epochs\.not_given"):
        await Reencryptor(alice.engine).run()
    vault.close()


async def test_a_relabelled_old_pack_is_rewritten_all_the_same(tmp_path: Path) -> None:
    store = folder_store(tmp_path)
    vault, alice, dan = await removal(store, tmp_path)
    before = referenced(alice)
    forged = sorted(before)[0]
    path = tmp_path / "store" / pack_object_name(bytes.fromhex(forged))
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, len(data) - TRAILER_LEN_V2, 2)  # "sealed under epoch 2"
    path.write_bytes(bytes(data))
    assert (await pack_epochs(store, {forged}))[forged] == 2
    report = await Reencryptor(alice.engine).run()
    # Its index does not open as epoch 2's: rewritten, its chunks read by their envelopes.
    assert report.rewritten_packs == len(before)
    await all_under(store, vault, referenced(alice))
    await sync_all(dan, alice)
    assert await reads_back(dan) >= 9
    vault.close()
