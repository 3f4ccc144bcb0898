"""LiveSync in-process, on real folders and a real folder store: propagation, outage, pause.

Each device is built as app/session.py builds it (DiskFs, LocalState, Engine on
a LocalStore), with a vault key made directly (no Argon2: the key's origin does
not matter here). Timings are shortened through LiveConfig so a test takes seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crypto.keys import VaultKey
from sync_engine.core import schedule
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine
from sync_engine.events import (
    Change,
    ConflictDetected,
    DeletionHeld,
    Direction,
    Event,
    FolderState,
    ItemSynced,
    RoundFinished,
    StateChanged,
    TransferProgress,
)
from sync_engine.lifecycle.gc import Collector
from sync_engine.live import LiveConfig, LiveSync
from sync_engine.stores.base import Store
from sync_engine.stores.local import LocalStore
from sync_engine.vault.state import LocalState

FAST = LiveConfig(
    active_poll_s=0.2,
    idle_poll_s=0.5,
    settle_s=0.1,
    rescan_every_s=3600.0,
    pause_on_metered=True,
    offline_retry_s=0.2,
    offline_retry_max_s=0.4,
    error_retry_s=0.2,
    error_retry_max_s=0.4,
)
TIMEOUT = 15.0


@dataclass
class Device:
    name: str
    folder: Path
    store: Store
    state: LocalState
    engine: Engine
    live: LiveSync
    events: list[Event] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    def states(self) -> list[StateChanged]:
        return [e for e in self.events if isinstance(e, StateChanged)]

    def items(self) -> list[ItemSynced]:
        return [e for e in self.events if isinstance(e, ItemSynced)]

    def write(self, rel: str, data: bytes) -> None:
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def tree_names(self) -> set[str]:
        return {
            str(p.relative_to(self.folder))
            for p in self.folder.rglob("*")
            if not p.name.startswith(".coffre")
        }

    def has(self, rel: str, data: bytes) -> bool:
        try:
            return (self.folder / rel).read_bytes() == data
        except OSError:
            return False


async def eventually(predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


class Network:
    """Devices of one vault on one folder store; stops them all at the end."""

    def __init__(self, root: Path, make_store: Callable[[], Store] | None = None) -> None:
        self.root = root
        self.make_store = make_store  # None: a folder store under root
        self.store_path = root / "store"
        self.key = VaultKey(vault_id=bytes(16), secret=hashlib.sha256(b"live").digest())
        self.devices: list[Device] = []

    async def device(self, name: str, config: LiveConfig = FAST, *, start: bool = True) -> Device:
        if self.make_store is None and not self.store_path.exists():
            await (await LocalStore.create(self.store_path)).close()
        folder = self.root / name
        folder.mkdir()
        fs = DiskFs(folder)
        fs.write_root_marker()
        store = LocalStore(self.store_path) if self.make_store is None else self.make_store()
        state = LocalState(self.root / f"{name}.db")
        engine = Engine(
            store=store,
            key=self.key,
            fs=fs,
            state=state,
            device_id=hashlib.md5(name.encode()).hexdigest(),
            device_name=name,
            quarantine_dir=self.root / f"{name}-quarantine",
        )
        events: list[Event] = []
        live = LiveSync(engine, folder_id=name, events=events.append, config=config)
        device = Device(name, folder, store, state, engine, live, events)
        self.devices.append(device)
        if start:
            self.start(device)
        return device

    def start(self, device: Device) -> None:
        device.task = asyncio.create_task(device.live.run())

    async def close(self) -> None:
        for d in self.devices:
            d.live.stop()
        for d in self.devices:
            if d.task is not None:
                await asyncio.wait_for(d.task, TIMEOUT)
            d.state.close()
            await d.store.close()


@pytest.fixture
async def net(tmp_path: Path) -> AsyncIterator[Network]:
    network = Network(tmp_path)
    try:
        yield network
    finally:
        await network.close()


async def idle(d: Device) -> None:
    await eventually(lambda: d.live.state is FolderState.IDLE and bool(d.states()))


async def test_changes_propagate_both_ways_with_events(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)

    a.write("docs/report.txt", b"from alpha")
    await eventually(lambda: b.has("docs/report.txt", b"from alpha"))
    ups = [i for i in a.items() if i.path == "docs/report.txt"]
    assert ups and ups[0].direction is Direction.UPLOAD and ups[0].device_name == "alpha"
    await eventually(lambda: any(i.path == "docs/report.txt" for i in b.items()))
    down = next(i for i in b.items() if i.path == "docs/report.txt")
    assert down.direction is Direction.DOWNLOAD and down.device_name == "alpha"

    for d, direction in ((a, Direction.UPLOAD), (b, Direction.DOWNLOAD)):
        progress = [e for e in d.events if isinstance(e, TransferProgress)]
        per_file = [e for e in progress if e.path == "docs/report.txt"]
        assert per_file, f"{d.name}: per-file progress"
        done = per_file[-1]
        assert done.direction is direction
        assert (done.files_done, done.bytes_done) == (done.files_total, done.bytes_total) == (1, 10)

    b.write("docs/report.txt", b"edited on beta")
    await eventually(lambda: a.has("docs/report.txt", b"edited on beta"))

    states = {s.state for s in a.states()}
    assert {FolderState.SCANNING, FolderState.IDLE} <= states
    # The file is in place a moment before its round ends.
    await eventually(
        lambda: any(isinstance(e, RoundFinished) and e.downloaded_files for e in a.events)
    )
    await idle(a)


async def test_store_outage_goes_offline_backs_off_and_catches_up(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)
    probes = 0
    real = a.engine.journal.heads_changed

    async def counted() -> bool:
        nonlocal probes
        probes += 1
        return await real()

    a.engine.journal.heads_changed = counted  # type: ignore[method-assign]

    away = net.store_path.with_name("store-away")
    net.store_path.rename(away)  # the share is unmounted
    try:
        await eventually(lambda: a.live.state is FolderState.OFFLINE)
        offline = [s for s in a.states() if s.state is FolderState.OFFLINE]
        assert offline[-1].message, "OFFLINE says what happened"
        a.write("offline.txt", b"written while offline")
        probes_before = probes
        await asyncio.sleep(2.0)
        # Backoff capped at 0.4 s: about 5 probes in 2 s; a busy loop would do thousands.
        assert 1 <= probes - probes_before <= 12, probes - probes_before
        assert a.live.state is FolderState.OFFLINE, "the queued change waits for the store"
    finally:
        away.rename(net.store_path)
    await eventually(lambda: b.has("offline.txt", b"written while offline"))
    await idle(a)
    assert not [s for s in a.states() if s.state is FolderState.ERROR], "an outage is not an error"


async def test_pause_and_resume(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)
    a.live.pause()
    await eventually(lambda: a.live.state is FolderState.PAUSED)
    assert a.states()[-1].paused_reason == "user"
    a.write("while-paused.txt", b"held back")
    await asyncio.sleep(1.0)
    assert not b.has("while-paused.txt", b"held back"), "nothing leaves a paused folder"
    a.live.resume()
    await eventually(lambda: b.has("while-paused.txt", b"held back"))
    assert a.live.state is not FolderState.PAUSED


async def test_metered_network_pauses_only_when_the_policy_says_so(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)
    a.live.set_metered(True)
    await eventually(lambda: a.live.state is FolderState.PAUSED)
    assert a.states()[-1].paused_reason == "metered"
    a.write("metered.txt", b"waits for a free network")
    await asyncio.sleep(0.8)
    assert not b.has("metered.txt", b"waits for a free network")

    a.live.pause()  # the person's pause takes precedence in what is shown
    await eventually(lambda: a.states()[-1].paused_reason == "user")
    a.live.resume()
    await eventually(lambda: a.states()[-1].paused_reason == "metered")

    a.live.set_config(LiveConfig(**{**FAST.__dict__, "pause_on_metered": False}))
    await eventually(lambda: b.has("metered.txt", b"waits for a free network"))
    a.live.set_metered(False)
    await idle(a)


async def test_held_mass_deletion_is_confirmed_once(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    for i in range(12):
        a.write(f"many/f{i}.txt", f"file {i}".encode())
    await eventually(lambda: all(b.has(f"many/f{i}.txt", f"file {i}".encode()) for i in range(12)))
    for i in range(12):
        os.unlink(a.folder / f"many/f{i}.txt")
    await eventually(lambda: any(isinstance(e, DeletionHeld) for e in a.events))
    await asyncio.sleep(0.5)
    assert b.has("many/f0.txt", b"file 0"), "held: nothing deleted elsewhere"
    a.live.allow_mass_delete_once()
    # The receiving side guards its own files too: a second confirmation, there.
    await eventually(lambda: any(isinstance(e, DeletionHeld) for e in b.events))
    assert b.has("many/f0.txt", b"file 0")
    b.live.allow_mass_delete_once()
    await eventually(lambda: not list(b.folder.glob("many/f*.txt")))
    # Deleted because of another device: kept in the local quarantine, restorable.
    await eventually(lambda: len(b.state.quarantined()) == 12)


async def test_limits_reach_a_store_that_has_them_and_stop_is_prompt(net: Network) -> None:
    a = await net.device("alpha", start=False)
    calls: list[tuple[int | None, int | None]] = []
    a.store.set_limits = lambda up, down: calls.append((up, down))  # type: ignore[attr-defined]
    a.live.set_limits(1000, None)  # before run(): applied at its first turn
    net.start(a)
    await idle(a)
    a.live.set_limits(None, 2000)  # from another thread, as the GUI does
    await asyncio.to_thread(lambda: None)
    await eventually(lambda: calls == [(1000, None), (None, 2000)])
    started = time.monotonic()
    a.live.stop()
    assert a.task is not None
    await asyncio.wait_for(a.task, 5.0)
    assert time.monotonic() - started < 2.0


async def test_a_folder_that_goes_away_is_an_error_until_it_is_back_and_watched_again(
    net: Network,
) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)
    shutil.rmtree(a.folder)  # the folder is deleted (or its disk unplugged)
    await eventually(lambda: a.live.state is FolderState.ERROR)
    error = a.states()[-1]
    assert error.message and error.action, "an error says what happened and what to do"

    a.folder.mkdir()
    a.engine.fs.write_root_marker()  # the person restores it
    await eventually(lambda: a.live.state is FolderState.IDLE)
    a.write("back.txt", b"the folder is watched again")
    await eventually(lambda: b.has("back.txt", b"the folder is watched again"))


async def test_renames_and_conflicts_reach_the_event_stream(net: Network) -> None:
    a = await net.device("alpha")
    b = await net.device("beta")
    a.write("plan.txt", b"first plan")
    await eventually(lambda: b.has("plan.txt", b"first plan"))

    b.live.pause()
    await eventually(lambda: b.live.state is FolderState.PAUSED)
    a.write("plan.txt", b"alpha's plan")
    b.write("plan.txt", b"beta's plan, made offline")
    await eventually(lambda: any(i.path == "plan.txt" and i.change.value == "modified"
                                 for i in a.items()))  # fmt: skip
    b.live.resume()
    await eventually(lambda: a.tree_names() == b.tree_names() and len(a.tree_names()) == 2)

    def conflicts() -> list[ConflictDetected]:
        return [e for d in (a, b) for e in d.events if isinstance(e, ConflictDetected)]

    await eventually(lambda: bool(conflicts()))
    assert conflicts()[0].path == "plan.txt"
    assert conflicts()[0].copy_path in a.tree_names()

    a.write("notes.txt", b"notes")
    await eventually(lambda: b.has("notes.txt", b"notes"))
    os.rename(a.folder / "notes.txt", a.folder / "final-notes.txt")

    def renamed(d: Device) -> list[ItemSynced]:
        return [i for i in d.items() if i.change is Change.RENAMED]

    await eventually(lambda: bool(renamed(a)) and bool(renamed(b)))
    for d, direction in ((a, Direction.UPLOAD), (b, Direction.DOWNLOAD)):
        item = renamed(d)[-1]
        assert (item.old_path, item.path, item.direction) == (
            "notes.txt",
            "final-notes.txt",
            direction,
        )
        assert item.device_name == "alpha"


async def test_live_service_collects_garbage_once_a_day(net: Network) -> None:
    a = await net.device("alpha", start=False)
    zero = {"keep_all_ms": 0, "daily_ms": 0, "deleted_ms": 0}
    await Collector(a.engine).set_settings(zero)  # what is deleted goes at the next GC
    (a.folder / "gone.bin").write_bytes(os.urandom(300_000))
    net.start(a)
    await idle(a)
    await eventually(lambda: a.state.get_meta("gc_last_run") is not None)
    first = a.state.get_meta("gc_last_run")
    assert a.state.marks() == []  # the first day only starts the count
    (a.folder / "gone.bin").unlink()
    a.state.set_meta("gc_last_run", first - schedule.GC_EVERY_S - 1)  # a day later
    a.live.sync_now()
    await eventually(lambda: a.state.get_meta("gc_last_run", 0) > first)
    assert len(a.state.marks(pending_only=False)) == 1  # gone.bin's pack
