"""The bridge between the window and the live-sync engine: one engine thread, Qt signals back.

The engine runs an asyncio loop on its own thread, with one FolderRunner
(app/folder_runner.py: unlock, live sync, limits, pauses, pending commands, the
status file, shutdown) per bound folder, the same runner `coffre watch` uses.
This bridge only translates: its event sink emits a Qt signal; the signal's receiver lives on
the GUI thread, so Qt queues every event there and the window never waits for
the engine. Commands go the other way through LiveSync's thread-safe methods.
Anything slow (opening a session runs Argon2, restores read the store, listings
merge the journal) is a job: it runs on the engine thread or a worker thread and
its result comes back as a signal too.

Jobs that touch the local state open their own SQLite connection (`with_state`):
the engine's connection is used by its executor thread, and SQLite's own locking
keeps two connections consistent.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from app import key_cache
from app.activity import FolderModel, last_sync_ns
from app.folder_runner import STOP_TIMEOUT_S, FolderRunner
from app.folders import Binding
from app.gui.i18n import describe_error
from app.session import FolderSession
from app.unlock import CachedKeyRejected, VaultSecret
from sync_engine.events import Event
from sync_engine.live import LiveConfig
from sync_engine.vault.state import LocalState

log = logging.getLogger(__name__)
T = TypeVar("T")


def with_state(binding: Binding, fn: Callable[[LocalState], T]) -> T:
    """Run fn on a connection of its own to the folder's local state (on a worker thread)."""
    state = LocalState(binding.state_path)
    try:
        return fn(state)
    finally:
        state.close()


class EngineBridge(QObject):
    """Owns the engine thread; the GUI's only way to the engine."""

    # Emitted on the engine thread; received (queued) on the GUI thread.
    _event = Signal(object)
    _opened = Signal(str, str)  # folder id, failure message ("" when it worked)
    _locked = Signal(str, str)  # folder id, why a remembered key did not do ("" if none)
    _not_remembered = Signal(str, str)  # folder id, why the keyring did not keep the key
    _conflicts = Signal(str, int)  # folder id, the vault's conflicts, counted again
    _job_done = Signal(int, object, str)  # job id, result, error message

    # For the widgets (GUI thread).
    folderChanged = Signal(str)
    folderOpened = Signal(str)
    folderFailed = Signal(str, str)
    # No passphrase at hand (nothing remembered, or the remembered key was refused: the
    # message says why); the window asks the person, or waits quietly at login.
    folderNeedsPassphrase = Signal(str, str)
    keyNotRemembered = Signal(str, str)  # folder id, the keyring's problem
    eventReceived = Signal(object)  # every event, after the model took it

    def __init__(self, config: LiveConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.metered = False  # the network is metered (MeteredWatcher says so)
        self.power_saver = False  # battery saver mode (PowerSaverWatcher says so)
        self.foreground = False  # the main window is shown
        self.limits: tuple[int | None, int | None] = (None, None)  # upload, download bytes/s
        self.models: dict[str, FolderModel] = {}
        self._folders: dict[str, FolderRunner] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="coffre-engine", daemon=True)
        self._jobs: dict[int, Callable[[Any, str], None]] = {}
        self._job_ids = itertools.count(1)
        self._stopped = False
        queued = Qt.ConnectionType.QueuedConnection
        self._event.connect(self._on_event, queued)
        self._opened.connect(self._on_opened, queued)
        self._locked.connect(self._on_locked, queued)
        self._not_remembered.connect(self.keyNotRemembered, queued)
        self._job_done.connect(self._on_job_done, queued)
        self._conflicts.connect(self._on_conflicts, queued)
        self._thread.start()

    # --- the engine thread ------------------------------------------------------------------

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()
        self._loop.close()

    def _call(self, fn: Callable[[], None]) -> None:
        if not self._stopped:
            self._loop.call_soon_threadsafe(fn)

    def _submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        if self._stopped:  # after stop(): nothing runs any more
            coro.close()
            future: concurrent.futures.Future[T] = concurrent.futures.Future()
            future.cancel()
            return future
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _sink(self, event: Event) -> None:
        """The engine's event sink: cheap, never blocks, never raises."""
        with contextlib.suppress(RuntimeError):  # the bridge is being torn down
            self._event.emit(event)

    async def _open(
        self, runner: FolderRunner, passphrase: str | VaultSecret, remember: bool | None
    ) -> None:
        """Unlock with the passphrase; then remember the key (True), forget it (False) or
        leave the keyring alone (None: the passphrase came from the environment)."""
        fid = runner.binding.folder_id
        try:
            session = await runner.unlock(passphrase)
        except Exception as exc:
            log.info("a folder could not be opened: %s", exc)
            self._failed(runner, exc)
            return
        if session is None:
            return
        if remember is not None:
            try:
                await runner.remember_key(session, remember)
            except key_cache.KeyCacheUnavailable as exc:
                self._not_remembered.emit(fid, str(exc))
            except Exception as exc:  # the store refused the envelope: the folder opens anyway
                log.info("the key for this computer could not be kept or forgotten: %s", exc)
                self._not_remembered.emit(fid, str(exc))
        self._start(runner, session)

    async def _open_cached(self, runner: FolderRunner) -> None:
        """Open with the key remembered in the OS keyring, or say a passphrase is needed."""
        fid = runner.binding.folder_id
        try:
            session = await runner.unlock_remembered()
        except CachedKeyRejected as exc:
            self._locked.emit(fid, describe_error(exc))
            return
        except Exception as exc:
            log.info("a folder could not be opened: %s", exc)
            self._failed(runner, exc)
            return
        if session is None:
            self._locked.emit(fid, "")
            return
        self._start(runner, session)

    def _start(self, runner: FolderRunner, session: FolderSession) -> None:
        runner.start_heartbeat()
        if runner.start(session):
            self._opened.emit(runner.binding.folder_id, "")

    def _failed(self, runner: FolderRunner, exc: BaseException) -> None:
        message = describe_error(exc)
        runner.fail(message)
        self._opened.emit(runner.binding.folder_id, message)

    async def _shutdown(self) -> None:
        closing = [runner.close() for runner in self._folders.values()]
        await asyncio.gather(*closing, return_exceptions=True)  # every folder at once

    # --- the GUI thread ---------------------------------------------------------------------

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        model = self.models.get(event.folder)
        if model is None:
            return
        model.apply(event)
        self.folderChanged.emit(event.folder)
        self.eventReceived.emit(event)

    @Slot(str, int)
    def _on_conflicts(self, folder_id: str, count: int) -> None:
        """The runner counted the vault's conflicts (copies made here or on another device):
        the status card and the tray show them whichever tab is open."""
        model = self.models.get(folder_id)
        if model is not None and count != model.conflict_count:
            model.set_conflicts(count)
            self.folderChanged.emit(folder_id)

    @Slot(str, str)
    def _on_opened(self, folder_id: str, failure: str) -> None:
        model = self.models[folder_id]
        model.failure = failure
        model.ready = not failure
        model.locked = False
        if failure:
            self.folderFailed.emit(folder_id, failure)
        else:
            self.folderOpened.emit(folder_id)
        self.folderChanged.emit(folder_id)

    @Slot(str, str)
    def _on_locked(self, folder_id: str, why: str) -> None:
        model = self.models[folder_id]
        model.locked, model.ready, model.failure = True, False, ""
        self.folderNeedsPassphrase.emit(folder_id, why)
        self.folderChanged.emit(folder_id)

    @Slot(int, object, str)
    def _on_job_done(self, job_id: int, result: object, error: str) -> None:
        callback = self._jobs.pop(job_id, None)
        if callback is not None:
            callback(result, error)

    def add_folder(self, binding: Binding) -> FolderModel:
        """Show a folder (not running yet: `open_folder` starts it)."""
        fid = binding.folder_id
        if fid not in self.models:
            model = FolderModel.for_binding(binding)
            with contextlib.suppress(Exception):  # a fresh folder has no state yet
                model.last_sync_ns = with_state(binding, last_sync_ns)
            self.models[fid] = model
            runner = FolderRunner(
                binding,
                self._sink,
                self.config,
                on_conflicts=lambda n: self._conflicts.emit(fid, n),
            )
            runner.set_metered(self.metered)
            runner.set_power_saver(self.power_saver)
            runner.set_foreground(self.foreground)
            runner.set_limits(*self.limits)
            self._folders[fid] = runner
            self._call(runner.start_heartbeat)
        return self.models[fid]

    def open_folder(
        self, binding: Binding, passphrase: str | VaultSecret, remember: bool | None = None
    ) -> None:
        """Unlock and start a folder on the engine thread; folderOpened or folderFailed follows.

        `remember` True keeps a key for this computer (app/device_key.py) for the next
        start, False forgets one kept earlier, None leaves them as they are.
        """
        model = self.add_folder(binding)
        model.failure, model.locked = "", False
        runner = self._folders[binding.folder_id]
        if not runner.running:
            self._submit(self._open(runner, passphrase, remember))

    def open_remembered(self, binding: Binding) -> None:
        """Start a folder with its remembered key: folderOpened, or folderNeedsPassphrase."""
        model = self.add_folder(binding)
        model.failure = ""
        runner = self._folders[binding.folder_id]
        if not runner.running:
            self._submit(self._open_cached(runner))

    def binding(self, folder_id: str) -> Binding:
        return self._folders[folder_id].binding

    def bindings(self) -> list[Binding]:
        return [f.binding for f in self._folders.values()]

    def is_running(self, folder_id: str) -> bool:
        runner = self._folders.get(folder_id)
        return runner is not None and runner.running

    def _command(self, folder_id: str, command: Callable[[FolderRunner], None]) -> None:
        runner = self._folders.get(folder_id)
        if runner is not None:
            command(runner)  # the runner keeps it until its live sync starts

    def sync_now(self, folder_id: str) -> None:
        self._command(folder_id, FolderRunner.sync_now)

    def pause(self, folder_id: str) -> None:
        self._command(folder_id, FolderRunner.pause)

    def resume(self, folder_id: str) -> None:
        self._command(folder_id, FolderRunner.resume)

    def pause_all(self) -> None:
        for fid in self._folders:
            self.pause(fid)

    def resume_all(self) -> None:
        for fid in self._folders:
            self.resume(fid)

    def allow_mass_delete_once(self, folder_id: str) -> None:
        self._command(folder_id, FolderRunner.allow_mass_delete_once)
        self.models[folder_id].held = None
        self.folderChanged.emit(folder_id)

    def set_metered(self, metered: bool) -> None:
        self.metered = metered
        for runner in self._folders.values():
            runner.set_metered(metered)

    def set_power_saver(self, on: bool) -> None:
        self.power_saver = on
        for runner in self._folders.values():
            runner.set_power_saver(on)

    def set_foreground(self, shown: bool) -> None:
        """The main window was shown or hidden: while shown, remote changes are polled fast."""
        self.foreground = shown
        for runner in self._folders.values():
            runner.set_foreground(shown)

    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        self.limits = (upload_bps, download_bps)
        for runner in self._folders.values():
            runner.set_limits(upload_bps, download_bps)

    def set_config(self, config: LiveConfig) -> None:
        """New poll intervals and policy for every folder (the settings dialog's)."""
        self.config = config
        for runner in self._folders.values():
            runner.set_config(config)

    def run_job(
        self,
        folder_id: str,
        job: Callable[[Binding, FolderSession | None], Awaitable[T]],
        done: Callable[[T | None, str], None],
    ) -> None:
        """Run `job` on the engine thread; `done(result, error)` is called on the GUI thread."""
        job_id = next(self._job_ids)
        self._jobs[job_id] = done
        runner = self._folders[folder_id]

        async def run() -> None:
            try:
                result = await job(runner.binding, runner.session)
            except Exception as exc:
                log.info("a folder action failed: %s", exc)
                self._job_done.emit(job_id, None, describe_error(exc))
            else:
                self._job_done.emit(job_id, result, "")

        self._submit(run())

    def read_state(
        self,
        folder_id: str,
        fn: Callable[[LocalState], T],
        done: Callable[[T | None, str], None],
    ) -> None:
        """Run fn on the folder's local state, off the GUI thread."""

        async def job(binding: Binding, _session: FolderSession | None) -> T:
            return await asyncio.to_thread(with_state, binding, fn)

        self.run_job(folder_id, job, done)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop every folder's sync, close the sessions and end the engine thread."""
        if self._stopped:
            return
        future = self._submit(self._shutdown())
        with contextlib.suppress(Exception):
            future.result(timeout=timeout)
        self._stopped = True
        for runner in self._folders.values():
            runner.close_status()  # nothing runs this folder any more, even after a timeout
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=timeout)


class MeteredWatcher(QObject):
    """Tells the bridge when the network becomes metered, where the platform can say so."""

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.available = False
        info = None
        try:
            if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Metered):
                info = QNetworkInformation.instance()
        except Exception:  # no backend on this platform (offscreen, headless, no D-Bus)
            info = None
        if info is None or not info.supports(QNetworkInformation.Feature.Metered):
            return
        self.available = True
        info.isMeteredChanged.connect(self._changed)
        self._changed(info.isMetered())

    @Slot(bool)
    def _changed(self, metered: bool) -> None:
        self._bridge.set_metered(metered)
