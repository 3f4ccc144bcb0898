"""Local watching: watchdog events in, debounced batches of dirty paths and rescan requests out.

The watcher does not decide what changed: every round scans the whole folder
and compares it with the Synced tree. It only says *when* a round is worth
running, and what prompted it:

- Events are filtered at the source (`EVENT_FILTER`): no open events, and of
  the close events only "closed after writing" (IN_CLOSE_WRITE). Without an
  explicit filter, watchdog asks inotify for everything, and open/close
  events from any program reading the tree (an indexer, a backup tool)
  overflow the kernel queue on trees of a few thousand directories, after
  which nothing arrives at all; a close after writing comes only from writers.
- Bursts are coalesced and debounced (`Debouncer`): a batch is ready only once
  every pending path is quiet. A file still being written (its latest event a
  modification, or the creation of an empty file) must stay unchanged for
  `settle_s`, so it is not uploaded half-done; a path whose latest event says
  the work is done (closed after writing, moved, deleted, linked into place
  with its content) waits only `done_s`, long enough to coalesce
  an office suite's save (write a temp file, rename the original to a backup,
  rename the temp file over it, delete the backup: one batch naming the file,
  all within milliseconds). Where the platform gives no close events (macOS,
  Windows), every write waits `settle_s` as before. A path that never settles
  (a log written forever) does not hold the others back for more than
  `max_delay_s`.
- A kernel queue overflow (IN_Q_OVERFLOW), or the folder itself disappearing,
  loses events: the watcher then asks for a rescan, which the live service
  turns into a round.

Coffre's own `.coffre*` files (temporaries, the root marker) are not
changes; `.coffreignore` is.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)

from .ignore import IGNORE_FILE
from .localfs import INTERNAL_PREFIX

log = logging.getLogger(__name__)

# What may prompt a round. Deliberately no FileOpenedEvent, FileClosedNoWriteEvent
# (floods: every reader causes them) nor DirModifiedEvent (it repeats every
# create/delete as a change of the parent). FileClosedEvent is IN_CLOSE_WRITE only:
# a writer finished, so the file need not wait `settle_s`.
EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]

ROOT = ""  # the path of the folder itself in batches
DONE_S = 0.1  # a path whose writer is done waits this long, to coalesce a save's renames

# The events after which a file is complete (the others: it may still be written).
DONE_EVENTS: tuple[type[FileSystemEvent], ...] = (
    FileClosedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
)


class WatcherUnavailable(Exception):
    """The folder cannot be watched (inotify watch limit, unsupported file system...)."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Local changes worth a round: the paths that changed, and whether events were lost."""

    paths: frozenset[str]
    rescan: bool = False


class Debouncer:
    """Coalesces events into batches; pure (the caller passes the time), not thread-safe."""

    def __init__(self, settle_s: float, max_delay_s: float, done_s: float = DONE_S) -> None:
        self.settle_s = settle_s
        self.done_s = min(done_s, settle_s)
        self.max_delay_s = max(max_delay_s, settle_s)
        self._quiet: dict[str, float] = {}  # path -> when it will have settled
        self._since: float | None = None  # time of the oldest event not yet taken
        self._rescan = False

    def add(self, path: str, now: float, *, done: bool = False) -> None:
        """An event on `path`; `done`: its writer finished (closed, moved, deleted)."""
        self._quiet[path] = now + (self.done_s if done else self.settle_s)
        if self._since is None:
            self._since = now

    def add_rescan(self, now: float) -> None:
        self._rescan = True
        if self._since is None:
            self._since = now

    @property
    def pending(self) -> bool:
        return self._since is not None

    def ready_at(self) -> float | None:
        """When `take` will return a batch (None: nothing pending)."""
        if self._since is None:
            return None
        quiet_at = max(self._quiet.values(), default=self._since + self.settle_s)
        return min(quiet_at, self._since + self.max_delay_s)

    def take(self, now: float) -> Batch | None:
        ready = self.ready_at()
        if ready is None or now < ready:
            return None
        settled = {p for p, t in self._quiet.items() if t <= now}
        if len(settled) == len(self._quiet):
            batch = Batch(frozenset(self._quiet), self._rescan)
            self._quiet.clear()
            self._since = None
        else:  # forced by max_delay_s: the settled paths go, the still-changing ones wait
            batch = Batch(frozenset(settled), self._rescan)
            for path in settled:
                del self._quiet[path]
            self._since = now
        self._rescan = False
        return batch


def relative(root: str, path: str) -> str | None:
    """The folder-relative '/' path of an event path, or None if it is not a change to sync."""
    if not path:
        return None
    rel = os.path.relpath(path, root)
    if rel == os.curdir:
        return ROOT
    if rel.startswith(os.pardir):
        return None
    parts = rel.split(os.sep)
    for part in parts:
        if part.startswith(INTERNAL_PREFIX) and part != IGNORE_FILE:
            return None
    return "/".join(parts)


class Watcher:
    """Watches a folder recursively; thread-safe.

    `on_pending` is called on the observer's thread whenever the pending batch grows:
    it must only wake its owner (e.g. `loop.call_soon_threadsafe`).
    """

    def __init__(
        self,
        root: str,
        *,
        settle_s: float,
        max_delay_s: float = 30.0,
        on_pending: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = os.path.abspath(root)
        self._debouncer = Debouncer(settle_s, max_delay_s)
        self._lock = threading.Lock()
        self._on_pending = on_pending
        self._clock = clock
        self._observer: Any = None
        self.overflows = 0
        self.broken = False  # the folder itself went away: watches must be set up again

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start watching (walks the tree to add the watches: call it off the event loop)."""
        observer = _make_observer(self.overflowed)
        try:
            observer.schedule(_Handler(self), self.root, recursive=True, event_filter=EVENT_FILTER)
            observer.start()
        except OSError as exc:
            _stop(observer)
            raise WatcherUnavailable(
                f"Cannot watch {self.root} for changes ({exc.strerror or exc}); changes are "
                "found by periodic rescans instead. On Linux, raise fs.inotify.max_user_watches."
            ) from exc
        self._observer = observer

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            _stop(observer)

    @property
    def running(self) -> bool:
        return self._observer is not None and bool(self._observer.is_alive())

    # --- what the live service reads ---------------------------------------------------------

    def ready_at(self) -> float | None:
        with self._lock:
            return self._debouncer.ready_at()

    def take(self, now: float | None = None) -> Batch | None:
        with self._lock:
            return self._debouncer.take(self._clock() if now is None else now)

    # --- what the observer thread calls ------------------------------------------------------

    def changed(self, path: str, *, done: bool = False) -> None:
        with self._lock:
            self._debouncer.add(path, self._clock(), done=done)
        self._on_pending()

    def overflowed(self) -> None:
        """Events were lost (kernel queue overflow): ask for a full rescan."""
        self.overflows += 1
        log.warning("file-system events were lost; the folder will be rescanned")
        self.request_rescan()

    def request_rescan(self) -> None:
        with self._lock:
            self._debouncer.add_rescan(self._clock())
        self._on_pending()


class _Handler:
    """The watchdog event handler: maps events to folder-relative paths."""

    def __init__(self, watcher: Watcher) -> None:
        self._watcher = watcher

    def dispatch(self, event: FileSystemEvent) -> None:
        watcher = self._watcher
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(raw) if raw else ""
            rel = relative(watcher.root, path)
            if rel is None:
                continue
            if rel == ROOT and isinstance(event, DirDeletedEvent | DirMovedEvent):
                watcher.broken = True  # the folder itself went: the round reports it
                watcher.request_rescan()
            else:
                watcher.changed(rel, done=_done(event, path))


def _done(event: FileSystemEvent, path: str) -> bool:
    """Whether the event says the path's writer is done (see DONE_EVENTS).

    A file created with content already in it was linked or renamed into place
    whole (a download's hard link, some editors' saves); a file still being
    written gets IN_MODIFY events after this one, which hold it again.
    """
    if isinstance(event, DONE_EVENTS):
        return True
    if isinstance(event, FileCreatedEvent):
        try:
            return os.lstat(path).st_size > 0
        except OSError:
            return True  # gone already: nothing is being written there
    return False


# --- observers -----------------------------------------------------------------------------------


def _stop(observer: Any) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5.0)
    except RuntimeError:  # never started
        pass


def _make_observer(on_overflow: Callable[[], None]) -> Any:
    """The platform's observer; on Linux one whose inotify instance reports overflows.

    watchdog handles IN_Q_OVERFLOW itself (it rebuilds its watches) but tells no
    handler that events were lost, so the inotify instance is subclassed to say so.
    Elsewhere, the periodic rescan is the safety net.
    """
    if sys.platform.startswith("linux"):
        try:
            return _inotify_observer(on_overflow)
        except (ImportError, AttributeError, OSError) as exc:  # pragma: no cover - other watchdog
            log.warning("inotify overflow detection unavailable: %s", exc)
    from watchdog.observers import Observer

    return Observer()


def _inotify_observer(on_overflow: Callable[[], None]) -> Any:
    from watchdog.observers.api import DEFAULT_OBSERVER_TIMEOUT, BaseObserver
    from watchdog.observers.inotify import InotifyEmitter
    from watchdog.observers.inotify_c import InotifyEvent, InotifyFD

    class OverflowReportingFD(InotifyFD):
        def handle_event(self, event: InotifyEvent) -> None:
            super().handle_event(event)
            if event.is_queue_overflow:
                on_overflow()

    class OverflowReportingObserver(BaseObserver):
        def __init__(self) -> None:
            self._fd = OverflowReportingFD()
            self._fd.start()
            super().__init__(InotifyEmitter, timeout=DEFAULT_OBSERVER_TIMEOUT, inotify_fd=self._fd)

        def on_thread_stop(self) -> None:
            super().on_thread_stop()
            self._fd.stop()
            self._fd.join()

    return OverflowReportingObserver()
