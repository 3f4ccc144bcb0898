"""Run coroutines off the GUI thread and get their results back on it.

One daemon thread owns one asyncio loop. `submit(coro, on_done, on_error)`
schedules the coroutine there; when it finishes, the callback runs on the
GUI thread (a queued Qt signal), so widgets are only ever touched from the
thread that owns them and the window never blocks on I/O.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the loop thread is queued to it."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, callback: Callable[[], None]) -> None:
        callback()


class AsyncRunner:
    """An asyncio loop on its own thread, with results delivered to the GUI thread."""

    def __init__(self, name: str = "coffre-gui-async") -> None:
        self._relay = _Relay()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()
        self._pending: set[concurrent.futures.Future[Any]] = set()

    def submit(
        self,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        owner: QObject | None = None,
    ) -> concurrent.futures.Future[T]:
        """Run `coro` on the loop; its outcome goes to `on_done` or `on_error` on the GUI thread.

        With an `owner` (the widget that asked), the callback is dropped if the
        widget was deleted meanwhile (a window closed during a slow test).
        """
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)

        def alive() -> bool:
            return owner is None or shiboken6.isValid(owner)

        self._pending.add(future)

        def finished(fut: concurrent.futures.Future[T]) -> None:
            self._pending.discard(fut)
            if fut.cancelled():
                return
            exc = fut.exception()

            def deliver() -> None:
                if not alive():
                    return
                if exc is not None:
                    on_error(exc)
                else:
                    on_done(fut.result())

            self._relay.deliver.emit(deliver)

        future.add_done_callback(finished)
        return future

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def close(self, timeout: float = 5.0) -> None:
        """Cancel what is still running and stop the loop (bounded wait)."""
        for fut in list(self._pending):
            fut.cancel()
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()
        else:  # pragma: no cover - a coroutine ignoring cancellation
            log.warning("the GUI's async thread did not stop within %.0f s", timeout)


_shared: AsyncRunner | None = None


def shared_runner() -> AsyncRunner:
    """The app's one runner (created on first use, on the GUI thread)."""
    global _shared
    if _shared is None:
        _shared = AsyncRunner()
    return _shared
