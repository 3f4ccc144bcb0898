"""SIGTERM and SIGINT quit the app the way its Quit command does.

A session that logs out, a `kill`, Ctrl+C in the terminal that started
`coffre-app`: the sync stops after its current step, the live status file is
removed and the exit code is 0, instead of the process dying mid-write. Qt's
event loop runs no Python code by itself, so Python's signal handlers would
wait for the next event; a wake-up socket watched by a QSocketNotifier makes
the loop run them at once.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals(QObject):
    """Calls `quit` on the GUI thread when the process is asked to stop."""

    def __init__(self, quit: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit = quit
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._previous = {s: signal.signal(s, self._on_signal) for s in STOP_SIGNALS}

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            self._reader.recv(64)  # Python already ran the handler: this only woke the loop

    def _on_signal(self, _signum: int, _frame: object) -> None:
        self._quit()

    def close(self) -> None:
        for s, previous in self._previous.items():
            signal.signal(s, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
