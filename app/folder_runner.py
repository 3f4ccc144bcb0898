"""One synced folder's life on an asyncio loop, without Qt: `coffre watch` and the app run it.

A `FolderRunner` unlocks the folder (passphrase, recovery key, or a key
kept for this device: app/session.py, app/device_key.py), starts its
`LiveSync` with the configuration, bandwidth limits, metered-network and
battery-saver pauses in force, applies the commands given before the live sync
existed (a pause asked while the folder was still opening), keeps the live
status file (app/status_reporter.py) up to date with a heartbeat, and stops
cleanly: the live sync ends after its round, the status file goes, the session
closes. A vault another device moved is followed by the session itself
(app/move.py `SessionFollower`).

The front-ends only translate: the CLI prints the events, the app's
EngineBridge turns them into Qt signals. Lifecycle methods run on the runner's
loop; commands (`sync_now`, `pause`, `set_limits`...) may come from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from crypto.reason import reason_of
from sync_engine.core.schedule import retry_delay
from sync_engine.events import Event, EventSink, FolderState, StateChanged
from sync_engine.live import LiveConfig, LiveSync
from sync_engine.stores.errors import StoreUnavailable

from . import device_key, key_cache
from .activity import FolderModel, last_sync_ns
from .folders import Binding
from .session import FolderSession, open_folder
from .status_file import HEARTBEAT_S
from .status_reporter import StatusReporter, count_conflicts, should_recount
from .unlock import CachedKeyRejected, VaultSecret

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0  # a round that does not end by then is cancelled (as safe as a crash)
OFFLINE_RETRY_S = (1.0, 60.0)  # first and longest wait between opens while the store is away

Command = Callable[[LiveSync], None]


class FolderRunner:
    """Owns one folder's session, live sync and status file, from unlock to shutdown."""

    def __init__(
        self,
        binding: Binding,
        events: EventSink,
        config: LiveConfig | None = None,
        *,
        on_conflicts: Callable[[int], None] | None = None,
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        self._binding = binding
        self._sink = events  # the front-end's: lines on a terminal, or Qt signals
        self._on_conflicts = on_conflicts  # the vault's conflicts were counted again
        self.config = config
        self.session: FolderSession | None = None
        self.live: LiveSync | None = None
        # What `coffre status --json` shows; only the runner writes it.
        self.model = FolderModel.for_binding(binding)
        self.model.state = FolderState.IDLE
        self._reporter = StatusReporter(binding.directory, heartbeat_s)
        self._writes_status = binding.directory.is_dir()
        self._lock = threading.Lock()  # guards the fields below and the model
        self._metered = False
        self._power_saver = False
        self._foreground = False  # the app's window is open
        self._limits: tuple[int | None, int | None] = (None, None)
        self._pending: list[Command] = []
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._counting = False
        self._chores: set[asyncio.Task[None]] = set()  # conflict counts, a crossed unlock's close
        self._show()

    @property
    def binding(self) -> Binding:
        """The folder's binding (the session's, which follows a moved vault)."""
        return self.session.binding if self.session is not None else self._binding

    @property
    def running(self) -> bool:
        return self.live is not None

    # --- lifecycle (on the loop) ---------------------------------------------------------------

    def start_heartbeat(self) -> None:
        """Rewrite the status file now and then, so readers know this process is alive."""
        self._bind_loop()
        if self._heartbeat is None and self._writes_status:
            self._heartbeat = asyncio.get_running_loop().create_task(self._reporter.heartbeat())

    async def unlock(
        self, secret: str | VaultSecret, *, wait_for_store: bool = False
    ) -> FolderSession | None:
        """Open the session with a passphrase or the recovery key (errors propagate).

        With `wait_for_store`, an unreachable store is waited for with backoff
        (a laptop that starts offline), telling OFFLINE meanwhile; None if
        `stop()` came first.
        """
        return await self._opening(
            lambda: FolderSession.open(self._binding, secret), wait_for_store
        )

    async def _opening(
        self, open_once: Callable[[], Awaitable[FolderSession]], wait_for_store: bool
    ) -> FolderSession | None:
        stopping = self._bind_loop()
        failures = 0
        while not stopping.is_set():
            try:
                return await open_once()
            except StoreUnavailable as exc:
                if not wait_for_store:
                    raise
                failures += 1
                self._on_event(StateChanged(self._binding.folder_id, FolderState.OFFLINE, str(exc)))
                first, cap = OFFLINE_RETRY_S
                delay = retry_delay(failures, base_s=first, cap_s=cap, jitter=random.random())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), delay)
        return None

    async def unlock_kept_or_asked(
        self,
        read_secret: Callable[[], str | VaultSecret],
        *,
        wait_for_store: bool = False,
        note: Callable[[str], None] = log.info,
    ) -> FolderSession | None:
        """Open with the key kept for this device, else with `read_secret()` (asked only
        then: `open_folder`); an unreachable store is waited for as `unlock` does."""
        return await self._opening(
            lambda: open_folder(self._binding, read_secret, note=note), wait_for_store
        )

    async def unlock_remembered(self) -> FolderSession | None:
        """Open with the key kept for this device (app/device_key.py); None when none is
        kept (ask the person).

        A kept key the vault refuses (this computer was forgotten, the passphrase
        changed since) raises `CachedKeyRejected`, which says why; the status file
        shows the folder waiting for its passphrase.
        """
        self._bind_loop()
        try:
            session = await FolderSession.open_kept(self._binding)
        except CachedKeyRejected:
            self.set_locked()
            raise
        if session is None:
            self.set_locked()
        return session

    async def remember_key(self, session: FolderSession, remember: bool) -> None:
        """Remember the vault on this computer (device keys and an envelope of the vault
        key), or forget this computer (envelope and keys deleted).

        KeyCacheUnavailable if the keyring cannot keep the device's key.
        """
        if remember:
            await session.keep_key()
        elif device_key.is_remembered(session.binding):
            await session.forget_key()
        else:  # nothing kept here but, perhaps, the raw key an older version kept
            await asyncio.to_thread(key_cache.forget, session.binding.vault_id)

    def start(self, session: FolderSession) -> bool:
        """Run the live sync on the open session; False (session closed) if one runs already
        or the runner is stopping."""
        stopping = self._bind_loop()
        loop = asyncio.get_running_loop()
        if self.live is not None or stopping.is_set():  # two unlocks crossed, or closing
            self._chore(session.close())
            return False
        self.session = session
        live = LiveSync(
            session.engine,
            folder_id=self._binding.folder_id,
            events=self._on_event,
            config=self.config,
        )
        with self._lock:
            self.live = live
            if self._metered:
                live.set_metered(True)
            if self._power_saver:
                live.set_power_saver(True)
            if self._foreground:
                live.set_foreground(True)
            if self._limits != (None, None):
                live.set_limits(*self._limits)
            for command in self._pending:
                command(live)
            self._pending.clear()
            self.model.ready, self.model.locked, self.model.failure = True, False, ""
            self.model.last_sync_ns = last_sync_ns(session.state)
        self._show()
        self._task = loop.create_task(self._run(live))
        return True

    def fail(self, message: str) -> None:
        """The folder could not be opened: the status file says why."""
        with self._lock:
            self.model.failure, self.model.ready, self.model.locked = message, False, False
        self._show()

    def set_locked(self) -> None:
        """Nothing opens the folder until the person types the passphrase."""
        with self._lock:
            self.model.locked, self.model.ready, self.model.failure = True, False, ""
        self._show()

    async def wait(self) -> None:
        """Until the live sync ends (after `stop()`); at once if it never started."""
        if self._task is not None:
            await asyncio.shield(self._task)

    def stop(self) -> None:
        """Stop after the current round (and stop waiting for an unreachable store)."""
        if self._stopping is not None:
            self._stopping.set()
        live = self.live
        if live is not None:
            live.stop()

    async def close(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop, wait for the round in progress (cancelled after `timeout`), close it all."""
        self.stop()
        if self._task is not None:
            _done, pending = await asyncio.wait([self._task], timeout=timeout)
            for task in pending:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        self.close_status()
        if self.session is not None:
            with contextlib.suppress(Exception):
                await self.session.close()

    def close_status(self) -> None:
        """No status file any more: nothing runs this folder (thread-safe, idempotent)."""
        if self._writes_status:
            self._reporter.close()

    async def _run(self, live: LiveSync) -> None:
        try:
            await live.run()
        except Exception as exc:  # LiveSync turns errors into states; this is a bug
            log.exception("the live sync of a folder stopped")
            message = str(exc) or type(exc).__name__
            state = StateChanged(
                self._binding.folder_id, FolderState.ERROR, message, reason=reason_of(exc)
            )
            self._on_event(state)

    def _chore(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._chores.add(task)  # referenced until done (the loop keeps only weak references)
        task.add_done_callback(self._chores.discard)

    def _bind_loop(self) -> asyncio.Event:
        if self._stopping is None:
            self._loop = asyncio.get_running_loop()
            self._stopping = asyncio.Event()
        return self._stopping

    # --- commands (any thread) -----------------------------------------------------------------

    def _command(self, command: Command) -> None:
        with self._lock:
            if self.live is None:
                self._pending.append(command)  # applied when the live sync starts
                return
            command(self.live)

    def sync_now(self) -> None:
        self._command(lambda live: live.sync_now())

    def pause(self) -> None:
        self._command(lambda live: live.pause())

    def resume(self) -> None:
        self._command(lambda live: live.resume())

    def allow_mass_delete_once(self) -> None:
        """Confirm the held deletion: the next round may delete."""
        self._command(lambda live: live.allow_mass_delete_once())
        with self._lock:
            self.model.held = None
        self._show()

    def set_metered(self, metered: bool) -> None:
        with self._lock:
            self._metered = metered
            if self.live is not None:
                self.live.set_metered(metered)

    def set_power_saver(self, on: bool) -> None:
        with self._lock:
            self._power_saver = on
            if self.live is not None:
                self.live.set_power_saver(on)

    def set_foreground(self, shown: bool) -> None:
        """The app's window is open (someone looks): other devices' changes are polled fast."""
        with self._lock:
            self._foreground = shown
            if self.live is not None:
                self.live.set_foreground(shown)

    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        """Bandwidth limits in bytes per second (None: unlimited), now and after a restart."""
        with self._lock:
            self._limits = (upload_bps, download_bps)
            if self.live is not None:
                self.live.set_limits(upload_bps, download_bps)

    def set_config(self, config: LiveConfig) -> None:
        with self._lock:
            self.config = config
            if self.live is not None:
                self.live.set_config(config)

    # --- events and the status file ------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        """The live sync's sink: the status file first, then the front-end."""
        with self._lock:
            self.model.apply(event)
            recount = should_recount(event, self.model)
        self._show()
        if recount and self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self._loop.call_soon_threadsafe(self._recount)
        self._sink(event)

    def _show(self) -> None:
        if self._writes_status:
            with self._lock:
                self._reporter.show(self.model)

    def _recount(self) -> None:
        if self._counting:
            return
        self._counting = True
        self._chore(self._count_conflicts())

    async def _count_conflicts(self) -> None:
        """Conflicts made on other devices count too (never "up to date" while one waits)."""
        try:
            count = await asyncio.to_thread(count_conflicts, self.binding)
        except Exception as exc:  # the count is for showing only: never stop the folder
            log.warning("the conflicts could not be counted: %s", exc)
            return
        finally:
            self._counting = False
        with self._lock:
            changed = count != self.model.conflict_count
            if changed:
                self.model.set_conflicts(count)
        if changed:
            self._show()
        if self._on_conflicts is not None:
            self._on_conflicts(count)
