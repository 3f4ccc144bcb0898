"""The bridge between the window and the live-sync engine: one engine thread, Qt signals back.

The engine runs an asyncio loop on its own thread, with one LiveSync per bound
folder. Its event sink only emits a Qt signal; the signal's receiver lives on
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
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from app import key_cache
from app.activity import FolderModel, last_sync_ns
from app.folder_runner import StatusReporter, count_conflicts, should_recount
from app.folders import Binding
from app.gui.i18n import describe_error
from app.session import CachedKeyRejected, FolderSession
from app.unlock import VaultSecret
from crypto.reason import reason_of
from sync_engine.events import Event, EventSink, FolderState, StateChanged
from sync_engine.live import LiveConfig, LiveSync
from sync_engine.vault.state import LocalState

log = logging.getLogger(__name__)
T = TypeVar("T")
STOP_TIMEOUT_S = 10.0


class Live(Protocol):
    """What the bridge uses of sync_engine.live.LiveSync."""

    async def run(self) -> None: ...
    def sync_now(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def set_metered(self, metered: bool) -> None: ...
    def set_power_saver(self, on: bool) -> None: ...
    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None: ...
    def allow_mass_delete_once(self) -> None: ...
    def set_config(self, config: LiveConfig) -> None: ...
    def stop(self) -> None: ...


def real_live(
    session: FolderSession, folder_id: str, events: EventSink, config: LiveConfig | None
) -> Live:
    return LiveSync(session.engine, folder_id=folder_id, events=events, config=config)


def with_state(binding: Binding, fn: Callable[[LocalState], T]) -> T:
    """Run fn on a connection of its own to the folder's local state (on a worker thread)."""
    state = LocalState(binding.state_path)
    try:
        return fn(state)
    finally:
        state.close()


@dataclass
class _Folder:
    binding: Binding
    session: FolderSession | None = None
    live: Live | None = None
    task: asyncio.Task[None] | None = None
    metered: bool = False
    power_saver: bool = False
    limits: tuple[int | None, int | None] = (None, None)
    pending: list[Callable[[Live], None]] = field(default_factory=list)
    reporter: StatusReporter | None = None  # the live status file `coffre status` reads
    heartbeat: concurrent.futures.Future[None] | None = None
    counting: bool = False  # the vault's conflicts are being counted


class EngineBridge(QObject):
    """Owns the engine thread; the GUI's only way to the engine."""

    # Emitted on the engine thread; received (queued) on the GUI thread.
    _event = Signal(object)
    _opened = Signal(str, str)  # folder id, failure message ("" when it worked)
    _locked = Signal(str, str)  # folder id, why a remembered key did not do ("" if none)
    _not_remembered = Signal(str, str)  # folder id, why the keyring did not keep the key
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
        self.limits: tuple[int | None, int | None] = (None, None)  # upload, download bytes/s
        self.models: dict[str, FolderModel] = {}
        self._folders: dict[str, _Folder] = {}
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
        self.folderChanged.connect(self._report)
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
        self, folder: _Folder, passphrase: str | VaultSecret, remember: bool | None
    ) -> None:
        """Unlock with the passphrase; then remember the key (True), forget it (False) or
        leave the keyring alone (None: the passphrase came from the environment)."""
        fid = folder.binding.folder_id
        try:
            session = await FolderSession.open(folder.binding, passphrase)
        except Exception as exc:
            log.info("a folder could not be opened: %s", exc)
            self._opened.emit(fid, describe_error(exc))
            return
        if remember is True:
            try:
                await asyncio.to_thread(key_cache.remember, session.key)
            except key_cache.KeyCacheUnavailable as exc:
                self._not_remembered.emit(fid, str(exc))
        elif remember is False:
            await asyncio.to_thread(key_cache.forget, folder.binding.vault_id)
        self._start(folder, session)

    async def _open_cached(self, folder: _Folder) -> None:
        """Open with the key remembered in the OS keyring, or say a passphrase is needed."""
        binding = folder.binding
        fid = binding.folder_id
        try:
            key = await asyncio.to_thread(key_cache.recall, binding.vault_id)
        except Exception:  # a keyring backend failing in an unexpected way: ask instead
            log.info("the remembered key could not be read", exc_info=True)
            key = None
        if key is None:
            self._locked.emit(fid, "")
            return
        try:
            session = await FolderSession.open_with_key(binding, key)
        except CachedKeyRejected as exc:
            await asyncio.to_thread(key_cache.forget, binding.vault_id)
            self._locked.emit(fid, describe_error(exc))
            return
        except Exception as exc:
            log.info("a folder could not be opened: %s", exc)
            self._opened.emit(fid, describe_error(exc))
            return
        self._start(folder, session)

    def _start(self, folder: _Folder, session: FolderSession) -> None:
        fid = folder.binding.folder_id
        if folder.live is not None:  # two unlocks crossed: the first one runs already
            asyncio.get_running_loop().create_task(session.close())
            return
        folder.session = session
        live = real_live(session, fid, self._sink, self.config)
        folder.live = live
        if folder.metered:
            live.set_metered(True)
        if folder.power_saver:
            live.set_power_saver(True)
        if folder.limits != (None, None):
            live.set_limits(*folder.limits)
        for command in folder.pending:
            command(live)
        folder.pending.clear()
        folder.task = asyncio.get_running_loop().create_task(self._keep_running(folder))
        self._opened.emit(fid, "")

    async def _keep_running(self, folder: _Folder) -> None:
        assert folder.live is not None
        try:
            await folder.live.run()
        except Exception as exc:  # LiveSync turns errors into states; this is a bug
            log.exception("the live sync of a folder stopped")
            self._sink_state_error(folder.binding.folder_id, exc)

    def _sink_state_error(self, folder_id: str, exc: BaseException) -> None:
        message = str(exc) or type(exc).__name__
        self._sink(StateChanged(folder_id, FolderState.ERROR, message, reason=reason_of(exc)))

    async def _shutdown(self) -> None:
        for folder in self._folders.values():
            if folder.live is not None:
                folder.live.stop()
        tasks = [f.task for f in self._folders.values() if f.task is not None]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=STOP_TIMEOUT_S)
            for task in pending:
                task.cancel()
        for folder in self._folders.values():
            if folder.session is not None:
                with contextlib.suppress(Exception):
                    await folder.session.close()

    # --- the GUI thread ---------------------------------------------------------------------

    @Slot(object)
    def _on_event(self, event: Event) -> None:
        model = self.models.get(event.folder)
        if model is None:
            return
        model.apply(event)
        if should_recount(event, model):
            self._count_conflicts(event.folder)
        self.folderChanged.emit(event.folder)
        self.eventReceived.emit(event)

    def _count_conflicts(self, folder_id: str) -> None:
        """Count the vault's conflicts (copies made here or on another device) off the GUI
        thread: the status card, the tray and the status file show them whichever tab is open."""
        folder = self._folders[folder_id]
        if folder.counting or self._stopped:
            return
        folder.counting = True
        binding = folder.binding

        def done(count: int | None, _error: str) -> None:
            folder.counting = False
            if count is not None and count != self.models[folder_id].conflict_count:
                self.models[folder_id].set_conflicts(count)
                self.folderChanged.emit(folder_id)

        async def job(_binding: Binding, _session: FolderSession | None) -> int:
            return await asyncio.to_thread(count_conflicts, binding)

        self.run_job(folder_id, job, done)

    @Slot(str)
    def _report(self, folder_id: str) -> None:
        folder = self._folders.get(folder_id)
        if folder is not None and folder.reporter is not None and not self._stopped:
            folder.reporter.show(self.models[folder_id])

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
        if binding.folder_id not in self.models:
            model = FolderModel.for_binding(binding)
            with contextlib.suppress(Exception):  # a fresh folder has no state yet
                model.last_sync_ns = with_state(binding, last_sync_ns)
            self.models[binding.folder_id] = model
            folder = _Folder(
                binding, metered=self.metered, power_saver=self.power_saver, limits=self.limits
            )
            self._folders[binding.folder_id] = folder
            if binding.directory.is_dir():
                folder.reporter = StatusReporter(binding.directory)
                folder.reporter.show(model)
                folder.heartbeat = self._submit(folder.reporter.heartbeat())
        return self.models[binding.folder_id]

    def open_folder(
        self, binding: Binding, passphrase: str | VaultSecret, remember: bool | None = None
    ) -> None:
        """Unlock and start a folder on the engine thread; folderOpened or folderFailed follows.

        `remember` True keeps the vault key in the OS keyring for the next start, False
        forgets a key kept earlier, None leaves the keyring as it is.
        """
        model = self.add_folder(binding)
        model.failure, model.locked = "", False
        folder = self._folders[binding.folder_id]
        if folder.live is not None:
            return
        self._submit(self._open(folder, passphrase, remember))

    def open_remembered(self, binding: Binding) -> None:
        """Start a folder with its remembered key: folderOpened, or folderNeedsPassphrase."""
        model = self.add_folder(binding)
        model.failure = ""
        folder = self._folders[binding.folder_id]
        if folder.live is not None:
            return
        self._submit(self._open_cached(folder))

    def binding(self, folder_id: str) -> Binding:
        return self._folders[folder_id].binding

    def bindings(self) -> list[Binding]:
        return [f.binding for f in self._folders.values()]

    def is_running(self, folder_id: str) -> bool:
        folder = self._folders.get(folder_id)
        return folder is not None and folder.live is not None

    def _command(self, folder_id: str, command: Callable[[Live], None]) -> None:
        folder = self._folders.get(folder_id)
        if folder is None:
            return
        if folder.live is None:
            folder.pending.append(command)  # applied when the folder opens
            return
        command(folder.live)

    def sync_now(self, folder_id: str) -> None:
        self._command(folder_id, lambda live: live.sync_now())

    def pause(self, folder_id: str) -> None:
        self._command(folder_id, lambda live: live.pause())

    def resume(self, folder_id: str) -> None:
        self._command(folder_id, lambda live: live.resume())

    def pause_all(self) -> None:
        for fid in self._folders:
            self.pause(fid)

    def resume_all(self) -> None:
        for fid in self._folders:
            self.resume(fid)

    def allow_mass_delete_once(self, folder_id: str) -> None:
        self._command(folder_id, lambda live: live.allow_mass_delete_once())
        self.sync_now(folder_id)
        self.models[folder_id].held = None
        self.folderChanged.emit(folder_id)

    def set_metered(self, metered: bool) -> None:
        self.metered = metered
        for fid, folder in self._folders.items():
            folder.metered = metered
            if folder.live is not None:
                self._command(fid, lambda live: live.set_metered(metered))

    def set_power_saver(self, on: bool) -> None:
        self.power_saver = on
        for fid, folder in self._folders.items():
            folder.power_saver = on
            if folder.live is not None:
                self._command(fid, lambda live: live.set_power_saver(on))

    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        self.limits = (upload_bps, download_bps)
        for fid, folder in self._folders.items():
            folder.limits = (upload_bps, download_bps)
            if folder.live is not None:
                self._command(fid, lambda live: live.set_limits(upload_bps, download_bps))

    def set_config(self, config: LiveConfig) -> None:
        """New poll intervals and policy for every folder (the settings dialog's)."""
        self.config = config
        for fid, folder in self._folders.items():
            if folder.live is not None:
                self._command(fid, lambda live: live.set_config(config))

    def run_job(
        self,
        folder_id: str,
        job: Callable[[Binding, FolderSession | None], Awaitable[T]],
        done: Callable[[T | None, str], None],
    ) -> None:
        """Run `job` on the engine thread; `done(result, error)` is called on the GUI thread."""
        job_id = next(self._job_ids)
        self._jobs[job_id] = done
        folder = self._folders[folder_id]

        async def run() -> None:
            try:
                result = await job(folder.binding, folder.session)
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
        for folder in self._folders.values():
            if folder.heartbeat is not None:
                folder.heartbeat.cancel()
            if folder.reporter is not None:
                folder.reporter.close()  # nothing runs this folder any more
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
