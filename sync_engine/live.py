"""The live service: keeps one folder in sync until stopped (`coffre watch`, the desktop app).

One asyncio task runs the loop that `schedule.decide` steers: full rounds
when local changes settle or another device wrote something, one LIST of
`heads/` per poll in between (every second while the folder is active, backing
off when it is quiet; on a folder store on a local disk, prompted by the OS's
notifications on `heads/` instead: stores/heads_notify.py), probes with backoff
while the store is unreachable, nothing while paused. Every state change goes out on the event
stream as `StateChanged`; the engine's own events (progress, items, conflicts,
problems) pass through the same sink.

Commands (`sync_now`, `pause`, `set_limits`...) may come from any thread, such
as the GUI's: they record what was asked under a lock and wake the loop, which
acts on it at its next turn. A round is never cut short: a pause or a stop asked
during one takes effect when it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import threading
import time
from dataclasses import dataclass, replace

from crypto.errors import CoffreCryptoError
from crypto.reason import Reason, reason_of

from .core import schedule
from .core.schedule import Input, Step
from .disk.fs_errors import FsError
from .disk.watcher import Watcher, WatcherUnavailable
from .engine import Engine
from .events import (
    DeletionHeld,
    Event,
    EventSink,
    FolderState,
    ProblemReported,
    StateChanged,
    TransferProgress,
)
from .lifecycle.gc import Collector
from .stores.errors import (
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreThrottled,
    StoreUnavailable,
)
from .stores.heads_notify import HeadsWatch, local_heads_folder
from .vault.journal import AccessRevoked, JournalError, ReadOnlyDevice
from .vault.state import RoundProblem

log = logging.getLogger(__name__)

_EXPECTED = (
    StoreError,
    CoffreCryptoError,
    FsError,
    JournalError,
    AccessRevoked,
    ReadOnlyDevice,
    OSError,
)
MAX_WAIT_S = 10.0  # the loop looks at both clocks at least this often (sleep detection)
WATCHER_RETRY_S = 600.0  # how often to try again to watch a folder that could not be watched


@dataclass
class LiveConfig:
    active_poll_s: float = 1.0  # heads polls while the folder is active (schedule.poll_interval)
    idle_poll_s: float = 60.0
    active_hold_s: float = schedule.ACTIVE_HOLD_S  # an activity keeps the active polls this long
    settle_s: float = 1.0  # a file still being written must be unchanged this long
    rescan_every_s: float = 3600.0
    pause_on_metered: bool = True
    pause_on_power_saver: bool = False  # pause while the computer saves battery
    max_settle_s: float = 30.0  # a path that never stops changing holds the others this long
    offline_retry_s: float = 1.0  # first probe after the store became unreachable
    offline_retry_max_s: float = 60.0
    error_retry_s: float = 10.0  # first retry after a failure a person must look at
    error_retry_max_s: float = 600.0


class LiveSync:
    def __init__(
        self,
        engine: Engine,
        *,
        folder_id: str,
        events: EventSink,
        config: LiveConfig | None = None,
    ) -> None:
        self.engine = engine
        self.folder_id = folder_id
        self._sink = events
        self._config = config or LiveConfig()
        self._state = FolderState.IDLE
        self._lock = threading.Lock()  # guards the fields commands write
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._random = random.Random()
        # Written by commands (any thread), read by the loop.
        self._stopping = False
        self._user_paused = False
        self._metered = False
        self._power_saver = False
        self._foreground = False  # the app's window is open: poll as if active
        self._remote_hint = False  # the OS said `heads/` changed: poll now
        self._sync_requested = False
        self._allow_mass_delete = False
        self._limits: tuple[int | None, int | None] | None = None
        # The loop's own.
        self._round_wanted = True  # the start-up rescan
        self._failures = 0
        self._retry_at = 0.0
        self._last_activity = 0.0
        self._next_poll = 0.0
        self._next_rescan = 0.0
        self._watcher: Watcher | None = None
        self._heads_watch: HeadsWatch | None = None
        self._heads_watchable = True  # False: not a folder store on a local disk
        self._watcher_retry_at = math.inf  # a watcher that failed to start is retried then
        self._rescan_every = self._config.rescan_every_s  # as configured, before any fallback
        self._paused_reason = ""
        self._shown: StateChanged | None = None  # the state the sink was last told
        self._held: DeletionHeld | None = None  # the held deletion the sink was last told

    # --- commands (thread-safe) ----------------------------------------------------------------

    def sync_now(self) -> None:
        with self._lock:
            self._sync_requested = True
        self._poke()

    def pause(self) -> None:
        with self._lock:
            self._user_paused = True
        self._poke()

    def resume(self) -> None:
        with self._lock:
            self._user_paused = False
        self._poke()

    def set_metered(self, metered: bool) -> None:
        with self._lock:
            self._metered = metered
        self._poke()

    def set_power_saver(self, on: bool) -> None:
        """The computer entered (or left) its battery saver mode."""
        with self._lock:
            self._power_saver = on
        self._poke()

    def set_foreground(self, shown: bool) -> None:
        """The app's window was opened (or closed): while it is, remote changes are polled
        at the active interval, and once at once when it opens."""
        with self._lock:
            if shown and not self._foreground:
                self._remote_hint = True
            self._foreground = shown
        self._poke()

    def heads_changed_hint(self) -> None:
        """The store's notifications saw `heads/` change (any thread): poll now."""
        with self._lock:
            self._remote_hint = True
        self._poke()

    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        with self._lock:
            self._limits = (upload_bps, download_bps)
        self._poke()

    def set_config(self, config: LiveConfig) -> None:
        with self._lock:
            self._config = replace(config)
            self._rescan_every = config.rescan_every_s
        self._poke()

    def allow_mass_delete_once(self) -> None:
        """Confirm the held deletion: the next round may delete (a new hold is told again)."""
        with self._lock:
            self._allow_mass_delete = True
            self._sync_requested = True
        self._poke()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
        self._poke()

    @property
    def state(self) -> FolderState:
        return self._state

    @property
    def foreground(self) -> bool:
        """Whether the app's window is open (remote changes polled at the active interval)."""
        with self._lock:
            return self._foreground

    @property
    def remote_notifications(self) -> bool:
        """Whether the OS's notifications on the store's `heads/` tell of remote changes."""
        watch = self._heads_watch
        return watch is not None and watch.running

    def _poke(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(wake.set)

    # --- the loop ------------------------------------------------------------------------------

    async def run(self) -> None:
        """Keep the folder in sync until `stop()`; failures become states, never exceptions."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.engine.events = self._on_engine_event
        self.engine.folder_id = self.folder_id
        now = time.monotonic()
        self._last_activity = now
        self._next_poll = now
        self._next_rescan = self._rescan_time(now)
        await self._start_watcher()
        await self._start_heads_watch()
        try:
            await self._loop_until_stopped()
        finally:
            watcher, self._watcher = self._watcher, None
            if watcher is not None:
                await asyncio.to_thread(watcher.stop)
            heads_watch, self._heads_watch = self._heads_watch, None
            if heads_watch is not None:
                await asyncio.to_thread(heads_watch.stop)
            self._loop = None

    async def _loop_until_stopped(self) -> None:
        assert self._wake is not None
        wall, mono = time.time(), time.monotonic()
        while True:
            self._wake.clear()
            with self._lock:
                if self._stopping:
                    return
                config = self._config
                user_paused, metered = self._user_paused, self._metered
                power_saver = self._power_saver
                remote_hint = self._remote_hint
                if self._sync_requested:
                    self._sync_requested = False
                    self._round_wanted = True
                    self._retry_at = 0.0
                limits, self._limits = self._limits, None
            if limits is not None:
                self._apply_limits(*limits)

            now_wall, now = time.time(), time.monotonic()
            if schedule.slept(wall_delta_s=now_wall - wall, mono_delta_s=now - mono):
                log.info("the clock jumped (resume from sleep?): rescanning")
                self._round_wanted = True
                self._retry_at = 0.0
            wall, mono = now_wall, now

            reason = schedule.pause_reason(
                user_paused=user_paused,
                metered=metered,
                pause_on_metered=config.pause_on_metered,
                power_saver=power_saver,
                pause_on_power_saver=config.pause_on_power_saver,
            )
            self._apply_pause(reason)
            self._take_local_changes(now)

            decision = schedule.decide(
                schedule.Situation(
                    now=now,
                    state=self._state,
                    paused=bool(reason),
                    round_wanted=self._round_wanted,
                    local_ready_at=None if self._watcher is None else self._watcher.ready_at(),
                    next_poll=self._next_poll,
                    next_rescan=self._next_rescan,
                    retry_at=self._retry_at,
                    remote_hint=remote_hint,
                )
            )
            if decision.step is not Step.WAIT:
                with self._lock:
                    self._remote_hint = False  # this poll, or the round's pull, answers it
            if decision.step is Step.ROUND:
                await self._round(config)
            elif decision.step is Step.POLL:
                await self._poll(config)
            else:
                timeout = min(MAX_WAIT_S, max(0.0, decision.until - now))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
            wall, mono = self._clocks_after_work(decision.step, wall, mono)

    @staticmethod
    def _clocks_after_work(step: Step, wall: float, mono: float) -> tuple[float, float]:
        # A round or a poll may take long; what it took is not a jump of the clock.
        if step is Step.WAIT:
            return wall, mono
        return time.time(), time.monotonic()

    def _take_local_changes(self, now: float) -> None:
        watcher = self._watcher
        if watcher is None:
            return
        batch = watcher.take(now)
        if batch is not None:
            self._round_wanted = True
            self._last_activity = now
            if self._state is FolderState.ERROR:
                self._retry_at = 0.0  # the person may have fixed it: try again now

    def _apply_pause(self, reason: str) -> None:
        paused = self._state is FolderState.PAUSED
        if reason and (not paused or reason != self._paused_reason):
            self._set(Input.PAUSED, paused_reason=reason)
        elif not reason and paused:
            self._set(Input.RESUMED)
            self._round_wanted = True  # catch up on what happened meanwhile

    async def _round(self, config: LiveConfig) -> None:
        with self._lock:
            allow, self._allow_mass_delete = self._allow_mass_delete, False
        self._round_wanted = False
        self._set(Input.ROUND_STARTED)
        started = time.monotonic()
        try:
            report = await self.engine.sync(allow_mass_delete=allow)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if allow:
                with self._lock:  # the confirmation was not used up
                    self._allow_mass_delete = True
            self._failed(exc, config)
            return
        now = time.monotonic()
        self._failures = 0
        self._next_rescan = self._rescan_time(now)
        if report.actions or report.pulled_versions or report.published_versions:
            self._last_activity = now
        self._next_poll = now + self._poll_interval(config, now)
        self._record_last_sync()
        if not report.held:
            self._held = None
        self._set(Input.ROUND_FINISHED)
        await self._restart_watcher_if_needed(now)
        if self._heads_watch is None:
            await self._start_heads_watch()  # `heads/` may exist only since this round
        log.debug("round done in %.2f s", now - started)
        await self._gc_if_due(report.settled)

    async def _gc_if_due(self, settled: bool) -> None:
        """Garbage collection, at most daily, when the folder is otherwise quiet."""
        state = self.engine.state
        watcher = self._watcher
        now_wall = time.time()
        if not self.engine.journal.may_write_changes:
            return  # a reader's device publishes no GC mark: the vault's writers collect
        if state.get_meta("gc_last_run") is None:  # a day from the first live start
            with state.transaction():
                state.set_meta("gc_last_run", now_wall)
            return
        if not schedule.gc_due(
            now_wall_s=now_wall,
            last_gc_wall_s=state.get_meta("gc_last_run"),
            last_failure_wall_s=state.get_meta("gc_last_failure"),
            settled=settled,
            local_pending=watcher is not None and watcher.ready_at() is not None,
        ):
            return
        try:
            report = await Collector(self.engine).run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # GC waits for a better day; sync goes on
            log.warning("garbage collection failed, retried later: %s", exc)
            with state.transaction():
                state.set_meta("gc_last_failure", now_wall)
            return
        with state.transaction():
            state.set_meta("gc_last_run", now_wall)
        log.info(
            "garbage collection: %d packs marked, %d deleted, %d bytes reclaimed",
            report.marked_packs,
            report.deleted_packs,
            report.reclaimed_bytes,
        )

    async def _poll(self, config: LiveConfig) -> None:
        try:
            changed = await self.engine.journal.heads_changed()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(exc, config)
            return
        now = time.monotonic()
        self._failures = 0
        if self._state in (FolderState.OFFLINE, FolderState.ERROR):
            self._set(Input.STORE_REACHABLE)
            self._round_wanted = True  # local changes queued while offline, and the rest
        if changed:
            self._round_wanted = True
            self._last_activity = now
        self._next_poll = now + self._poll_interval(config, now)

    def _failed(self, exc: BaseException, config: LiveConfig) -> None:
        now = time.monotonic()
        self._failures += 1
        unreachable = isinstance(exc, StoreUnavailable)
        if unreachable:
            delay = schedule.retry_delay(
                self._failures,
                base_s=config.offline_retry_s,
                cap_s=config.offline_retry_max_s,
                jitter=self._random.random(),
            )
            if isinstance(exc, StoreThrottled) and exc.retry_after:
                delay = max(delay, exc.retry_after)
        else:
            delay = schedule.retry_delay(
                self._failures,
                base_s=config.error_retry_s,
                cap_s=config.error_retry_max_s,
                jitter=self._random.random(),
            )
        self._retry_at = now + delay
        message = str(exc) or type(exc).__name__
        why = reason_of(exc)
        if unreachable:
            self._set(Input.STORE_UNREACHABLE, message=message, reason=why)
        else:
            if not isinstance(exc, _EXPECTED):
                log.exception("unexpected failure of a sync round", exc_info=exc)
            self._set(Input.FAILED, message=message, action=_action_for(exc), reason=why)

    # --- states and events ---------------------------------------------------------------------

    def _set(
        self,
        event: Input,
        *,
        message: str = "",
        action: str = "",
        paused_reason: str = "",
        reason: Reason | None = None,
    ) -> None:
        """Move the state along the table; tell the sink when what it shows changed."""
        self._state = schedule.transition(self._state, event)
        self._paused_reason = paused_reason if self._state is FolderState.PAUSED else ""
        shown = StateChanged(
            self.folder_id, self._state, message, action, self._paused_reason, reason
        )
        if shown != self._shown:
            self._shown = shown
            self._emit(shown)

    def _emit(self, event: Event) -> None:
        try:
            self._sink(event)
        except Exception:
            log.exception("event sink failed")

    def _on_engine_event(self, event: Event) -> None:
        if isinstance(event, TransferProgress) and self._state is FolderState.SCANNING:
            self._set(Input.TRANSFERS_STARTED)
        if isinstance(event, DeletionHeld):
            if event == self._held:
                return  # still the same held deletion: said once is enough
            self._held = event
        self._emit(event)

    # --- helpers -------------------------------------------------------------------------------

    async def _start_watcher(self) -> None:
        config = self._config
        root = getattr(self.engine.fs, "root", None)
        if not isinstance(root, str):  # not a disk folder (the simulator's): rescans only
            self._degrade(config, "this folder cannot be watched")
            return
        watcher = Watcher(
            root,
            settle_s=config.settle_s,
            max_delay_s=config.max_settle_s,
            on_pending=self._poke,
        )
        try:
            await asyncio.to_thread(watcher.start)
        except WatcherUnavailable as exc:
            log.warning("%s", exc)
            why = Reason.of(RoundProblem.WATCHER_UNAVAILABLE, detail=str(exc))
            self._emit(ProblemReported(self.folder_id, "", "watcher", why))
            self._degrade(config, str(exc))
            return
        self._watcher = watcher

    async def _start_heads_watch(self) -> None:
        """Watch a local folder store's `heads/`, so another device's head wakes the loop."""
        if not self._heads_watchable:
            return
        folder = await asyncio.to_thread(local_heads_folder, self.engine.store)
        if folder is None:
            self._heads_watchable = False  # S3, WebDAV, a network share: polled
            return
        watch = HeadsWatch(folder, self.heads_changed_hint)
        try:
            await asyncio.to_thread(watch.start)
        except OSError as exc:  # no `heads/` yet, or no watch left: polled meanwhile
            log.debug("the store's heads are polled (%s)", exc)
            return
        self._heads_watch = watch
        with self._lock:
            self._remote_hint = True  # what changed before the watch began

    async def _restart_watcher_if_needed(self, now: float) -> None:
        """After a good round, watch again a folder that went away and came back."""
        watcher = self._watcher
        if watcher is not None and not watcher.broken:
            return
        if watcher is None and now < self._watcher_retry_at:
            return
        if watcher is not None:
            self._watcher = None
            await asyncio.to_thread(watcher.stop)
        self._watcher_retry_at = now + WATCHER_RETRY_S
        await self._start_watcher()
        if self._watcher is not None:
            with self._lock:
                self._config = replace(self._config, rescan_every_s=self._rescan_every)
            self._next_rescan = self._rescan_time(now)
            # The round that just ended scanned before the watcher started: what changed
            # in between reaches no watcher, so scan once more now that one is running.
            self._round_wanted = True

    def _degrade(self, config: LiveConfig, why: str) -> None:
        """Without a watcher, rescans every idle poll interval find local changes."""
        log.info("%s: rescanning every %.0f s", why, config.idle_poll_s)
        self._watcher_retry_at = time.monotonic() + WATCHER_RETRY_S
        with self._lock:
            self._config = replace(config, rescan_every_s=max(config.idle_poll_s, 10.0))
        self._next_rescan = self._rescan_time(time.monotonic())

    def _apply_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        set_limits = getattr(self.engine.store, "set_limits", None)
        if set_limits is None:
            log.info("this store does not support bandwidth limits")
            return
        set_limits(upload_bps, download_bps)

    def _poll_interval(self, config: LiveConfig, now: float) -> float:
        heads_watch = self._heads_watch
        with self._lock:
            foreground = self._foreground
        return schedule.poll_interval(
            active_s=config.active_poll_s,
            idle_s=config.idle_poll_s,
            quiet_for_s=now - self._last_activity,
            heads_notified=heads_watch is not None and heads_watch.running,
            foreground=foreground,
            hold_s=config.active_hold_s,
        )

    def _rescan_time(self, now: float) -> float:
        every = self._config.rescan_every_s
        if every <= 0 or math.isinf(every):
            return math.inf
        return schedule.next_rescan(now, every_s=every, jitter=self._random.random())

    def _record_last_sync(self) -> None:
        from datetime import UTC, datetime

        try:
            self.engine.state.set_meta("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
        except Exception:  # the state is what the round just used; a failure here is not fatal
            log.exception("could not record the time of the last sync")


def _action_for(exc: BaseException) -> str:
    """What a person can do about a failure (shown next to the ERROR state)."""
    if isinstance(exc, StoreAuthError):
        return "Check the store credentials and access rights, then choose Sync now."
    if isinstance(exc, StoreFull):
        return "Free space on the store or raise its quota, then choose Sync now."
    if isinstance(exc, StoreConfigError):
        return "Check the store address in the folder settings."
    if isinstance(exc, CoffreCryptoError):
        return "The store returned altered data; contact your IT support before going on."
    if isinstance(exc, JournalError):
        return "Follow the instructions in the message; sync is stopped to protect your files."
    if isinstance(exc, AccessRevoked):
        return "Ask an owner of the vault to add you (or this computer) again; nothing was deleted."
    if isinstance(exc, FsError | OSError):
        return "Check that the folder exists and is accessible (disk mounted, permissions)."
    return "Choose Sync now to try again; if it persists, report the message to your IT support."
