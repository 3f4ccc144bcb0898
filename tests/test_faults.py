"""Whole syncs through a broken network and a crashing server, against real servers.

(a) Device A syncs a folder tree (a few hundred files, some of a few MiB)
    to a vault on a real SeaweedFS (and a real Apache WebDAV) through the
    fault proxy: latency, connections cut mid-upload and mid-reply (lost
    acknowledgements), resets, 500s and 503s with Retry-After. A round that
    still fails after the retries is retried, a bounded number of times.
    Then the network heals and device B syncs: its folder must equal A's
    byte for byte, no temporary file left, and every pack the journal
    references must be in the store.
(b) SeaweedFS is SIGKILLed while A uploads its packs: the sync fails with
    StoreUnavailable, quickly (small retry deadlines), then the server is
    restarted, A syncs again and B converges to A.

Devices are real Engines in-process (`DiskFs` on real folders, `LocalState`
on real SQLite files), on stores from `open_store`, so the `ResilientStore`
wrapping is the one the app uses.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import random
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import VaultKey
from crypto.pack import PackWriter
from sync_engine.disk.localfs import INTERNAL_PREFIX, TEMP_PREFIX, DiskFs
from sync_engine.engine import Engine, RoundReport
from sync_engine.stores import (
    PutMode,
    ResilientStore,
    RetryPolicy,
    S3Spec,
    Store,
    StoreUnavailable,
    WebDavSpec,
    open_store,
)
from sync_engine.stores.base import ObjectInfo
from sync_engine.transfer import packer
from sync_engine.vault.state import LocalState
from sync_engine.vault.vault_store import create_vault_on_store, unlock_vault
from tests.faultproxy import KINDS, FaultPlan, FaultProxy
from tests.servers.seaweedfs import TEST_BUCKET, SeaweedFS
from tests.servers.webdav import WebDavServer

PASSPHRASE = "fault tolerant passphrase 7"
FAST_KDF = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)
# Small deadlines: a dead server is reported in seconds, not minutes.
TEST_POLICY = RetryPolicy(base=0.02, cap=0.3, max_attempts=8, deadline=3.0, max_retry_after=0.5)
SYNC_TIMEOUT = 60.0
MAX_SYNC_TRIES = 8
MiB = 1024 * 1024

# Per backend, about as many broken requests as its operations survive within their
# attempts: an S3 operation is one or two requests (and obstore retries a failed one
# once by itself), a WebDAV write is several (collections, the upload, a check), so
# it gets half the rate. Most rounds meet several faults; some fail and are redone.
S3_FAULTS = FaultPlan(
    latency=0.3,
    max_latency=0.02,
    drop_request=0.1,
    drop_response=0.1,
    reset=0.08,
    error_500=0.06,
    error_503=0.08,
    retry_after=0.1,
)
WEBDAV_FAULTS = FaultPlan(
    latency=0.3,
    max_latency=0.02,
    drop_request=0.04,
    drop_response=0.05,
    reset=0.04,
    error_500=0.03,
    error_503=0.04,
    retry_after=0.1,
)


# --- devices -----------------------------------------------------------------------------------


@dataclass
class Device:
    name: str
    folder: Path
    store: Store
    state: LocalState
    engine: Engine

    @classmethod
    def open(cls, name: str, base: Path, store: Store, key: VaultKey) -> Device:
        folder = base / name
        folder.mkdir(parents=True, exist_ok=True)
        home = base / f"{name}-home"
        home.mkdir(exist_ok=True)
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
        return cls(name, folder, store, state, engine)

    async def sync_until_done(self) -> tuple[RoundReport, int]:
        """Sync, retrying rounds that fail with StoreUnavailable; (last report, failed tries)."""
        failures = 0
        for _ in range(MAX_SYNC_TRIES):
            try:
                report = await asyncio.wait_for(self.engine.sync(), SYNC_TIMEOUT)
            except StoreUnavailable:
                failures += 1
                continue
            if report.settled:
                return report, failures
        raise AssertionError(f"{self.name} did not finish syncing in {MAX_SYNC_TRIES} tries")

    async def close(self) -> None:
        self.state.close()
        await self.store.close()


def write_tree(root: Path, seed: int, *, files: int, big: list[int]) -> None:
    """A folder tree: nested folders, small files (some equal), a few large ones, an exec bit."""
    rng = random.Random(seed)
    shared = rng.randbytes(3000)
    for i in range(files):
        folder = root / f"dir{i % 7}" / f"sub{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < 0.1:
            data = shared  # the same content at several paths
        elif roll < 0.15:
            data = b""
        else:
            data = rng.randbytes(rng.randrange(1, 12_000))
        (folder / f"file-{i:03d}.txt").write_bytes(data)
    for j, size in enumerate(big):
        (root / f"big-{j}.bin").write_bytes(rng.randbytes(size))
    script = root / "dir0" / "run.sh"
    script.write_bytes(b"#!/bin/sh\necho ok\n")
    script.chmod(0o755)


def snapshot(root: Path) -> dict[str, tuple[str, str, bool]]:
    """Every path below root (Coffre's own files aside): kind, content hash, exec bit."""
    tree: dict[str, tuple[str, str, bool]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(INTERNAL_PREFIX)]
        for name in dirnames:
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            tree[rel] = ("dir", "", False)
        for name in filenames:
            if name.startswith(INTERNAL_PREFIX):
                continue
            path = Path(dirpath) / name
            mode = path.stat().st_mode
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            tree[os.path.relpath(path, root)] = ("file", digest, bool(mode & stat.S_IXUSR))
    return tree


def temp_files(root: Path) -> list[str]:
    return [os.path.join(d, n) for d, _, names in os.walk(root) for n in names if TEMP_PREFIX in n]


async def audit(store: Store, state: LocalState) -> None:
    """Every pack any version references is in the store (its decryption: B's download)."""
    listed = {o.key for o in await store.list("packs/")}
    referenced = {
        f"packs/{c.pack_id[:2]}/{c.pack_id}" for v in state.all_versions() for c in v.chunks
    }
    assert referenced, "the journal references no pack at all"
    missing = referenced - listed
    assert not missing, f"packs referenced by the journal but absent: {sorted(missing)[:5]}"


# --- stores behind the proxy -------------------------------------------------------------------


@dataclass
class Backend:
    proxy: FaultProxy
    make_store: Callable[[], Store]  # a new store on the same vault location, via the proxy
    faults: FaultPlan


@pytest.fixture
def s3_behind_proxy(seaweedfs: SeaweedFS) -> Iterator[Backend]:
    seaweedfs.start()  # another test may have killed it
    prefix = f"faults-{secrets.token_hex(5)}"
    with FaultProxy(seaweedfs.host, seaweedfs.port, seed=0) as proxy:

        def make() -> Store:
            spec = S3Spec(TEST_BUCKET, prefix, endpoint=proxy.url)
            return open_store(spec, seaweedfs.credentials(), policy=TEST_POLICY)

        yield Backend(proxy, make, S3_FAULTS)


@pytest.fixture
def webdav_behind_proxy(webdav_server: WebDavServer, webdav_collection: str) -> Iterator[Backend]:
    with FaultProxy(webdav_server.host, webdav_server.port, seed=0) as proxy:

        def make() -> Store:
            spec = WebDavSpec(f"{proxy.url}/dav/{webdav_collection}/")
            return open_store(spec, webdav_server.credentials, policy=TEST_POLICY)

        yield Backend(proxy, make, WEBDAV_FAULTS)


@pytest.fixture(params=["s3", "webdav"])
def backend(request: pytest.FixtureRequest) -> Backend:
    result: Backend = request.getfixturevalue(f"{request.param}_behind_proxy")
    return result


async def new_vault(store: Store) -> VaultKey:
    vault = await create_vault_on_store(store, PASSPHRASE, FAST_KDF)
    return vault.key


# --- (a) a whole sync through a faulty network ---------------------------------------------------


SMALL_PACK = 512 * 1024


@pytest.fixture
def small_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Packs of 512 KiB instead of 16 MiB: a few MiB of data make a dozen pack uploads,
    so the faults land on pack writes too, not only on the journal's few requests."""
    monkeypatch.setattr(packer, "PackWriter", functools.partial(PackWriter, target_size=SMALL_PACK))


@pytest.mark.parametrize("seed", [1, 2])
async def test_sync_through_a_faulty_network_converges(
    backend: Backend, seed: int, tmp_path: Path, small_packs: None
) -> None:
    proxy, make_store = backend.proxy, backend.make_store
    proxy.reseed(seed)
    store_a = make_store()
    assert isinstance(store_a, ResilientStore)
    key = await new_vault(store_a)
    a = Device.open("alpha", tmp_path, store_a, key)
    write_tree(a.folder, seed, files=200, big=[3 * MiB // 2, 2 * MiB + 12345])
    try:
        proxy.faults = backend.faults
        report, failures = await a.sync_until_done()
        assert report.uploaded_files > 200
        injected = sum(proxy.counts[k] for k in KINDS)
        print(
            f"seed {seed}: {dict(proxy.counts)}; retries {store_a.retries}, "
            f"recovered acks {store_a.recovered_acks}, failed rounds {failures}"
        )
        assert injected >= 3, "the proxy injected (almost) nothing: the test tested nothing"
        # The wrapper did real work: retried, recognised a lost acknowledgement, or a
        # whole round failed and was redone.
        assert store_a.retries + store_a.recovered_acks + failures > 0

        proxy.faults = None  # healed
        store_b = make_store()
        joined = await unlock_vault(store_b, passphrase=PASSPHRASE)
        assert joined.vault_id == key.vault_id
        b = Device.open("beta", tmp_path, store_b, joined)
        try:
            await b.sync_until_done()
            assert snapshot(b.folder) == snapshot(a.folder)
            assert temp_files(a.folder) == [] and temp_files(b.folder) == []
            await audit(store_b, b.state)
            # And A, healed, sees nothing left to do.
            report, failures = await a.sync_until_done()
            assert failures == 0 and report.uploaded_files == 0
        finally:
            await b.close()
    finally:
        proxy.faults = None
        await a.close()


async def test_lost_acknowledgements_of_creates_are_recovered(
    s3_behind_proxy: Backend, seaweedfs: SeaweedFS
) -> None:
    """Replies cut after the server stored the object: every create still succeeds."""
    proxy = s3_behind_proxy.proxy
    # Patient retries: every request (the PUT, obstore's own retry of it, the read-back)
    # may lose its reply here, and each logical put takes several of them.
    patient = RetryPolicy(base=0.01, cap=0.1, max_attempts=40, deadline=20.0)
    spec = S3Spec(TEST_BUCKET, f"acks-{secrets.token_hex(5)}", endpoint=proxy.url)
    store = open_store(spec, seaweedfs.credentials(), policy=patient)
    assert isinstance(store, ResilientStore)
    try:
        proxy.faults = FaultPlan(drop_response=0.4)
        proxy.reseed(5)
        payloads = {f"packs/0{i}/obj{i}": os.urandom(200_000 + i) for i in range(8)}
        for name, data in payloads.items():
            info = await store.put(name, data, mode=PutMode.CREATE)
            assert isinstance(info, ObjectInfo) and info.size == len(data)
        proxy.faults = None
        for name, data in payloads.items():
            assert await store.get(name) == data
        assert store.recovered_acks > 0
    finally:
        proxy.faults = None
        await store.close()


async def test_webdav_create_after_a_lost_claim_release(
    webdav_behind_proxy: Backend, webdav_server: WebDavServer
) -> None:
    """The MOVE of a create fails, then so does the claim's release: the retry must not
    wait minutes for a claim that its own store left behind."""
    proxy = webdav_behind_proxy.proxy
    healed = []

    async def heal_then_sleep(seconds: float) -> None:
        proxy.faults = None  # the network is back for the retry
        healed.append(seconds)
        await asyncio.sleep(seconds)

    inner = webdav_behind_proxy.make_store()
    assert isinstance(inner, ResilientStore)
    store = ResilientStore(inner.inner, policy=TEST_POLICY, sleep=heal_then_sleep)
    try:
        await store.put("log/dev/0", b"warm-up", mode=PutMode.CREATE)  # parents exist
        proxy.faults = FaultPlan(error_500=1.0, methods=frozenset({"MOVE", "DELETE"}))
        try:
            await asyncio.wait_for(store.put("log/dev/1", b"segment", mode=PutMode.CREATE), 3.0)
        except TimeoutError:
            pytest.fail("the retried create waited on the claim its own first try left behind")
        assert healed, "the first try should have failed"
        assert await store.get("log/dev/1") == b"segment"
    finally:
        proxy.faults = None
        await store.close()


async def test_webdav_create_after_a_lost_claim_reply(
    webdav_behind_proxy: Backend, webdav_server: WebDavServer, webdav_collection: str
) -> None:
    """The server makes the claim but its reply is lost: the retry must not wait for a
    claim its own first try made (CI once saw a log segment fail eight rounds so)."""
    proxy = webdav_behind_proxy.proxy
    healed = []

    async def heal_then_sleep(seconds: float) -> None:
        proxy.faults = None
        healed.append(seconds)
        await asyncio.sleep(seconds)

    inner = webdav_behind_proxy.make_store()
    assert isinstance(inner, ResilientStore)
    store = ResilientStore(inner.inner, policy=TEST_POLICY, sleep=heal_then_sleep)
    try:
        await store.put("log/dev/0", b"warm-up", mode=PutMode.CREATE)  # parents exist
        proxy.faults = FaultPlan(drop_response=1.0, methods=frozenset({"MKCOL"}))
        try:
            await asyncio.wait_for(store.put("log/dev/1", b"segment", mode=PutMode.CREATE), 3.0)
        except TimeoutError:
            pytest.fail("the retried create waited on the claim its own first try made")
        assert healed, "the first try should have failed"
        assert await store.get("log/dev/1") == b"segment"
        folder = webdav_server.root / webdav_collection / "log" / "dev"
        assert sorted(p.name for p in folder.iterdir()) == ["0", "1"], "a claim or temp was left"
    finally:
        proxy.faults = None
        await store.close()


# --- (b) the server dies mid-sync ----------------------------------------------------------------


class KillOnPackUpload:
    """A Store wrapper that kills SeaweedFS (from another thread) once the first pack is sent."""

    def __init__(self, inner: Store, server: SeaweedFS) -> None:
        self.inner = inner
        self.server = server
        self.killer: threading.Thread | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def put(self, key: str, data: Any, *, mode: PutMode = PutMode.OVERWRITE) -> Any:
        if key.startswith("packs/") and self.killer is None:
            self.killer = threading.Thread(target=self.server.kill, name="kill-weed")
            self.killer.start()
        return await self.inner.put(key, data, mode=mode)


async def test_server_killed_mid_sync_then_restarted(
    seaweedfs: SeaweedFS, tmp_path: Path, small_packs: None
) -> None:
    seaweedfs.start()
    prefix = f"kill-{secrets.token_hex(5)}"
    spec = S3Spec(TEST_BUCKET, prefix, endpoint=seaweedfs.endpoint)

    def make_store() -> Store:
        return open_store(spec, seaweedfs.credentials(), policy=TEST_POLICY)

    store_a = make_store()
    key = await new_vault(store_a)
    tap = KillOnPackUpload(store_a, seaweedfs)
    a = Device.open("alpha", tmp_path, tap, key)  # type: ignore[arg-type]  # duck-typed Store
    write_tree(a.folder, 9, files=60, big=[4 * MiB, 3 * MiB, 2 * MiB])  # ~18 small packs
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            await asyncio.wait_for(a.engine.sync(), SYNC_TIMEOUT)
        failed_after = time.monotonic() - started
        assert tap.killer is not None
        tap.killer.join(15)
        assert failed_after < 30, f"a dead server took {failed_after:.1f} s to be reported"
        assert temp_files(a.folder) == []

        restart = time.monotonic()
        await asyncio.to_thread(seaweedfs.start)
        print(f"failed after {failed_after:.1f} s; restarted in {time.monotonic() - restart:.1f} s")
        report, _ = await a.sync_until_done()
        assert report.settled

        store_b = make_store()
        b = Device.open(
            "beta", tmp_path, store_b, await unlock_vault(store_b, passphrase=PASSPHRASE)
        )
        try:
            await b.sync_until_done()
            assert snapshot(b.folder) == snapshot(a.folder)
            assert temp_files(b.folder) == []
            await audit(store_b, b.state)
        finally:
            await b.close()
    finally:
        seaweedfs.start()
        await a.close()
