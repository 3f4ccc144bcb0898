"""The folder runner without Qt: two devices of one vault on a real folder store.

Each device is a real bound folder (app/folders.py) opened as `coffre watch` and
the app open it: a FolderRunner unlocks it with the passphrase (or a key
remembered in the keyring of the test's D-Bus session), runs the real LiveSync,
keeps the status file `coffre status --json` reads, and closes it all.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from app import device_key, key_cache
from app.folder_runner import FolderRunner
from app.folders import Binding, create_binding
from app.status_file import read_status
from app.unlock import VaultSecret
from crypto.errors import WrongPassphrase
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import VaultKey
from sync_engine.disk.localfs import DiskFs
from sync_engine.events import Event, FolderState, RoundFinished, StateChanged
from sync_engine.live import LiveConfig
from sync_engine.stores.local import LocalStore
from sync_engine.stores.resilient import ResilientStore
from sync_engine.vault.vault_store import create_vault_on_store
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

PASSPHRASE = "une phrase de passe assez longue 42"
FAST_KDF = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)
FAST = LiveConfig(
    active_poll_s=0.2,
    idle_poll_s=0.4,
    settle_s=0.1,
    rescan_every_s=3600.0,
    offline_retry_s=0.2,
    offline_retry_max_s=0.4,
    error_retry_s=0.2,
    error_retry_max_s=0.4,
)
TIMEOUT = 20.0


async def eventually(predicate: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


@dataclass
class Device:
    binding: Binding
    runner: FolderRunner
    events: list[Event] = field(default_factory=list)
    counted: list[int] = field(default_factory=list)  # what on_conflicts was told

    @property
    def folder(self) -> Path:
        return Path(self.binding.folder)

    def live(self) -> dict[str, Any] | None:
        """The status file, as `coffre status --json` reads it from another process."""
        return read_status(self.runner._reporter.path)

    def states(self) -> list[StateChanged]:
        return [e for e in self.events if isinstance(e, StateChanged)]

    def has(self, rel: str, data: bytes) -> bool:
        try:
            return (self.folder / rel).read_bytes() == data
        except OSError:
            return False


class Vault:
    """A vault in a folder store, and devices bound to it (each a folder and a runner)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store_dir = root / "store"
        self.vault_id = ""
        self.devices: list[Device] = []

    async def create(self) -> None:
        store = await LocalStore.create(str(self.store_dir), parents=True)
        try:
            self.vault_id = (
                await create_vault_on_store(store, PASSPHRASE, FAST_KDF)
            ).key.vault_id.hex()
        finally:
            await store.close()

    def device(self, name: str, config: LiveConfig = FAST) -> Device:
        folder = self.root / name
        folder.mkdir()
        binding = create_binding(folder, str(self.store_dir), self.vault_id, name)
        DiskFs(binding.folder).write_root_marker()
        events: list[Event] = []
        counted: list[int] = []
        runner = FolderRunner(binding, events.append, config, on_conflicts=counted.append)
        device = Device(binding, runner, events, counted)
        self.devices.append(device)
        return device

    async def open(self, device: Device) -> None:
        device.runner.start_heartbeat()
        session = await device.runner.unlock(PASSPHRASE)
        assert session is not None
        assert device.runner.start(session)

    async def close(self) -> None:
        await asyncio.gather(*(d.runner.close() for d in self.devices))


@pytest.fixture
async def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Vault]:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COFFRE_POLICY_FILE", str(tmp_path / "no-policy.json"))
    made = Vault(tmp_path)
    await made.create()
    try:
        yield made
    finally:
        await made.close()


async def settled(d: Device) -> None:
    """The first round is over and the status file says so."""
    await eventually(
        lambda: (
            d.runner.live is not None
            and d.runner.live.state is FolderState.IDLE
            and (d.live() or {}).get("last_sync") is not None
        )
    )


async def test_commands_given_before_the_start_apply_and_files_flow_both_ways(
    vault: Vault,
) -> None:
    a, b = vault.device("bureau"), vault.device("portable")
    a.runner.pause()  # asked while the folder is still locked: kept for the live sync
    assert not a.runner.running
    await vault.open(a)
    await vault.open(b)
    await eventually(
        lambda: a.runner.live is not None and a.runner.live.state is FolderState.PAUSED
    )
    assert a.states()[-1].paused_reason == "user"
    await settled(b)
    (a.folder / "note.txt").write_bytes(b"written while paused")
    await asyncio.sleep(1.0)
    assert not b.has("note.txt", b"written while paused"), "nothing leaves a paused folder"
    live = a.live()
    assert live is not None and live["state"] == "paused" and live["paused_reason"] == "user"

    a.runner.resume()
    await eventually(lambda: b.has("note.txt", b"written while paused"))
    (b.folder / "reply.txt").write_bytes(b"from the laptop")
    await eventually(lambda: a.has("reply.txt", b"from the laptop"))
    await eventually(lambda: (a.live() or {}).get("up_to_date") is True)


async def test_metered_and_power_saver_pauses_follow_the_settings_before_and_after_start(
    vault: Vault,
) -> None:
    a = vault.device("bureau", replace(FAST, pause_on_power_saver=True))
    a.runner.set_metered(True)  # the network was metered before the folder opened
    await vault.open(a)
    await eventually(lambda: bool(a.states()) and a.states()[-1].paused_reason == "metered")
    a.runner.set_metered(False)
    await eventually(lambda: a.runner.live is not None and a.runner.live.state is FolderState.IDLE)
    a.runner.set_power_saver(True)
    await eventually(lambda: (a.live() or {}).get("paused_reason") == "power_saver")
    a.runner.set_config(replace(FAST, pause_on_power_saver=False))  # the person's new setting
    await eventually(lambda: (a.live() or {}).get("state") == "idle")


async def test_the_open_window_reaches_the_live_sync_before_and_after_start(
    vault: Vault,
) -> None:
    a = vault.device("bureau")
    a.runner.set_foreground(True)  # the window was open before the folder opened
    await vault.open(a)
    await eventually(lambda: a.runner.live is not None and a.runner.live.foreground)
    a.runner.set_foreground(False)
    assert a.runner.live is not None and not a.runner.live.foreground


async def test_bandwidth_limits_reach_the_store_before_and_after_start(vault: Vault) -> None:
    a = vault.device("bureau")
    a.runner.set_limits(64 * 1024, None)  # the settings in force when the app starts
    session = await a.runner.unlock(PASSPHRASE)
    assert session is not None
    # An S3 or WebDAV store comes wrapped like this (stores/open_store.py); a folder store
    # has no limits, so the test wraps the real one.
    limited = ResilientStore(session.store)
    session.engine.store = limited
    a.runner.start(session)
    await eventually(lambda: limited.upload_bps == 64 * 1024 and limited.download_bps is None)
    await asyncio.to_thread(a.runner.set_limits, None, 128 * 1024)  # from the GUI's thread
    await eventually(lambda: limited.upload_bps is None and limited.download_bps == 128 * 1024)


async def test_a_conflict_is_counted_in_both_status_files(vault: Vault) -> None:
    a, b = vault.device("bureau"), vault.device("portable")
    for d in (a, b):
        d.runner.pause()
    await vault.open(a)
    await vault.open(b)
    (a.folder / "budget.txt").write_bytes(b"version du bureau")
    (b.folder / "budget.txt").write_bytes(b"version du portable")
    a.runner.resume()
    await eventually(
        lambda: any(isinstance(e, RoundFinished) and e.uploaded_files for e in a.events)
    )
    b.runner.resume()  # the laptop finds both its own edit and the office's
    for d in (a, b):
        await eventually(lambda d=d: (d.live() or {}).get("conflicts") == 1)  # type: ignore[misc]
        live = d.live()
        assert live is not None and "conflict" in live["attention"] and not live["up_to_date"]
        assert d.counted and d.counted[-1] == 1
    assert len([p for p in a.folder.iterdir() if p.name.startswith("budget")]) == 2


async def test_close_removes_the_status_file_and_closes_the_session(vault: Vault) -> None:
    a = vault.device("bureau")
    status = a.runner._reporter.path
    live = read_status(status)
    assert live is not None and not live["up_to_date"]  # shown before the folder opens
    await vault.open(a)
    await settled(a)
    session = a.runner.session
    assert session is not None
    started = time.monotonic()
    await a.runner.close()
    assert time.monotonic() - started < 5.0
    assert not status.exists(), "a folder nothing runs has no status file"
    with pytest.raises(Exception, match="closed"):
        session.state.synced()  # the local state's connection is closed
    a.runner.close_status()  # again (the bridge's fallback after a timeout): harmless
    assert not status.exists()


async def test_a_wrong_passphrase_opens_nothing_and_waiting_for_the_store_ends_on_stop(
    vault: Vault,
) -> None:
    a = vault.device("bureau")
    a.runner.start_heartbeat()
    with pytest.raises(WrongPassphrase):
        await a.runner.unlock("pas la bonne phrase de passe du tout")
    a.runner.fail("wrong passphrase")
    live = a.live()
    assert (
        live is not None and live["message"] == "wrong passphrase" and "error" in live["attention"]
    )
    assert not a.runner.running

    # A store that is not there (an unmounted share): with wait_for_store the runner
    # says OFFLINE and tries again until stopped.
    (vault.store_dir).rename(vault.root / "store-unmounted")
    waiting = asyncio.create_task(a.runner.unlock(PASSPHRASE, wait_for_store=True))
    await eventually(lambda: any(s.state is FolderState.OFFLINE for s in a.states()))
    assert (a.live() or {}).get("state") == "offline"
    a.runner.stop()
    assert await asyncio.wait_for(waiting, 5.0) is None


# --- a key remembered in the keyring --------------------------------------------------------


@pytest.fixture
def keyring_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-runner-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(key_cache.SERVICE_ENV, name)
    monkeypatch.setenv(device_key.SERVICE_ENV, name + "-device")
    yield name
    clear_keyring_service(name)
    clear_keyring_service(name + "-device")


async def test_a_remembered_key_opens_the_folder_and_a_stale_one_asks_again(
    vault: Vault, keyring_service: str
) -> None:
    a = vault.device("bureau")
    a.runner.start_heartbeat()
    assert await a.runner.unlock_remembered() is None  # nothing remembered: ask the person
    live = a.live()
    assert live is not None and live["locked"] and live["attention"] == ["locked"]

    session = await a.runner.unlock(VaultSecret(passphrase=PASSPHRASE))
    assert session is not None
    await a.runner.remember_key(session, True)
    await session.close()
    again = await a.runner.unlock_remembered()
    assert again is not None and again.key == session.key  # the same epoch keys
    assert a.runner.start(again)
    await settled(a)
    assert (a.live() or {}).get("locked") is False

    # The vault is format 2 now (upgraded on the first unlock): a raw vault key an older
    # Coffre kept is never used for it, only forgotten; the person is asked.
    b = vault.device("portable")
    key_cache.remember(VaultKey(bytes.fromhex(vault.vault_id), bytes(32)))  # a stale entry
    assert await b.runner.unlock_remembered() is None
    assert key_cache.recall(vault.vault_id) is None, "a raw key is forgotten"
    assert (b.live() or {}).get("locked") is True


async def test_a_raw_key_an_older_version_kept_is_forgotten_once_the_vault_is_upgraded(
    vault: Vault, keyring_service: str
) -> None:
    a = vault.device("bureau")
    session = await a.runner.unlock(VaultSecret(passphrase=PASSPHRASE))  # upgrades it
    assert session is not None and session.sharing is not None
    key = session.key
    await session.close()
    key_cache.remember(VaultKey(key.vault_id, key.key(1).secret))  # what the app kept before
    assert await a.runner.unlock_remembered() is None  # not remembered: the passphrase
    assert key_cache.recall(vault.vault_id) is None, "the raw vault key is deleted"
    binding = a.runner.binding
    assert device_key.has_device_keys(binding)  # its own keys, made by the upgrade
    session = await a.runner.unlock(VaultSecret(passphrase=PASSPHRASE))
    assert session is not None
    await a.runner.remember_key(session, True)
    await session.close()
    again = await a.runner.unlock_remembered()  # from the device's own keys now
    assert again is not None and again.key == key
    await again.close()


async def test_the_remembered_marker_names_keyrings_backend_and_nothing_else_is_loaded(
    vault: Vault, keyring_service: str
) -> None:
    import keyring

    a = vault.device("bureau")
    session = await a.runner.unlock(VaultSecret(passphrase=PASSPHRASE))
    assert session is not None
    await a.runner.remember_key(session, True)
    await session.close()
    binding = a.runner.binding
    marker = binding.directory / device_key.MARKER
    chosen = type(keyring.get_keyring())
    assert marker.read_text().strip() == f"{chosen.__module__}.{chosen.__qualname__}"

    # A marker naming anything but one of keyring's backends is not imported, and keyring
    # then chooses as usual: the kept key still opens the folder.
    marker.write_text("this.Keyring\n")  # the standard library's `this`: never imported
    assert device_key.load_device_keys(binding) is not None
    assert "this" not in sys.modules
    opened = await a.runner.unlock_remembered()
    assert opened is not None and opened.key == session.key
    await opened.close()
