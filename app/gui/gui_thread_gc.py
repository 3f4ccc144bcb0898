"""Python's cyclic garbage collector, run on the GUI thread only.

Qt objects must be deleted on the thread that owns them. When Python's
automatic collection happens to run on another thread (the engine's asyncio
thread allocates constantly) and frees a cycle holding a Qt wrapper, shiboken
deletes the C++ object there and the process dies with a segmentation fault
(seen in `BindingManager::runDeletionInMainThread`). So automatic collection
is switched off while the app runs, and a timer on the GUI thread collects
each generation once its allocation count passes the usual thresholds: the
same collections, on the right thread. Reference counting, which frees almost
everything, is untouched.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_EVERY_MS = 250


class GuiThreadGarbageCollector(QObject):
    """Create on the GUI thread; `stop()` gives collection back to Python."""

    def __init__(self, parent: QObject | None = None, every_ms: int = CHECK_EVERY_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(every_ms)

    def collect_due(self) -> None:
        """Collect the generations whose counts passed their thresholds (youngest first)."""
        counts = gc.get_count()
        generation = -1
        for i, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = i
            else:
                break
        if generation >= 0:
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
