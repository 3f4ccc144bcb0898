"""Devices sharing one store, with a clock the test moves: for GC, retention and purge tests.

Real Engines on `MemoryFs` and real SQLite states; the store is whatever the
test passes (the in-memory store, SeaweedFS, WebDAV). `check_kept` is the
invariant every GC test ends with: every version the vault's retention keeps,
as each device knows it, can be read back and matches its content hash.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from pathlib import Path

from crypto.keys import VaultKey
from crypto.pack import read_index
from sync_engine.core.actions import PlanLimits
from sync_engine.core.retention import DAY_MS, RetentionPolicy
from sync_engine.engine import Engine, RoundReport
from sync_engine.lifecycle.gc import Collector, kept_in_state
from sync_engine.stores.base import Store
from sync_engine.transfer.pipeline import Downloader, StoreBridge
from sync_engine.vault.state import LocalState
from tests.memfs import MemoryFs

START_MS = 1_767_225_600_000  # 2026-01-01


class Clock:
    """Wall time in ns, moved by the test (and 1 ms a reading, so hlcs move on)."""

    def __init__(self, start_ms: int = START_MS) -> None:
        self.now_ns = start_ms * 1_000_000

    def __call__(self) -> int:
        self.now_ns += 1_000_000
        return self.now_ns

    def advance_days(self, days: float) -> None:
        self.now_ns += int(days * DAY_MS) * 1_000_000


@dataclass
class Dev:
    name: str
    fs: MemoryFs
    engine: Engine
    state: LocalState

    @property
    def gc(self) -> Collector:
        return Collector(self.engine)


class World:
    def __init__(self, tmp_path: Path, store: Store, key: VaultKey | None = None) -> None:
        self.tmp_path = tmp_path
        self.store = store
        self.key = key or VaultKey(vault_id=bytes(16), secret=hashlib.sha256(b"gc").digest())
        self.clock = Clock()
        self.devices: list[Dev] = []

    def device(self, name: str) -> Dev:
        fs = MemoryFs()
        fs.clock_ns += len(self.devices) * 10**15
        state = LocalState(self.tmp_path / f"{name}.sqlite")
        engine = Engine(
            store=self.store,
            key=self.key,
            fs=fs,
            state=state,
            device_id=hashlib.sha256(name.encode()).hexdigest()[:32],
            device_name=name,
            quarantine_dir=self.tmp_path / "quarantine" / name,
            limits=PlanLimits(allow_mass_delete=True),
            clock_ns=self.clock,
        )
        dev = Dev(name, fs, engine, state)
        self.devices.append(dev)
        return dev

    async def settle(self, *devices: Dev) -> None:
        """Rounds on each device in turn until a whole pass changes nothing."""
        devices = devices or tuple(self.devices)
        for _ in range(12):
            reports: list[RoundReport] = [await d.engine.round() for d in devices]
            if all(
                r.settled and not r.pulled_versions and not r.published_versions for r in reports
            ):
                return
        raise AssertionError("did not settle")

    async def store_bytes(self, prefix: str = "") -> int:
        return sum(i.size for i in await self.store.list(prefix))

    async def chunk_ids_in_store(self) -> set[bytes]:
        """Every chunk id some pack's (authenticated) index lists."""
        out: set[bytes] = set()
        for info in await self.store.list("packs/"):
            data = await self.store.get(info.key)
            pack_id = bytes.fromhex(info.key.rsplit("/", 1)[1])
            out |= {e.chunk_id for e in read_index(self.key, pack_id, data)}
        return out


async def check_kept(dev: Dev, policy: RetentionPolicy | None = None) -> int:
    """Every version `dev` keeps reads back intact; how many.

    Kept: by `policy` (default: the vault's retention), and, of course, by
    every stricter policy a GC ran with: so the test checks against the
    strictest one it used. Versions the device itself knows to be gone (a
    chunk in a marked pack) are not claimed.
    """
    names = dev.engine.journal.device_names()
    keep = kept_in_state(dev.state, names, dev.engine.clock_ns() // 1_000_000, policy)
    versions = [v for v in dev.state.all_versions() if v.vid in keep and v.chunks]
    downloader = Downloader(
        dev.engine.key,
        StoreBridge(dev.engine.store, asyncio.get_running_loop()),
        moved=dev.state.relocations(),
    )

    def read_all() -> None:
        for v in versions:
            downloader.check_version(v)
            data = b"".join(downloader.iter_content(v))
            assert len(data) == v.size, f"{v.path} {v.vid} reads back {len(data)} bytes"

    await asyncio.to_thread(read_all)
    return len(versions)
