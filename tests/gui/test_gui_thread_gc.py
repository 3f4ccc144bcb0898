"""Cyclic garbage made on another thread is freed on the GUI thread (app/gui/gui_thread_gc.py)."""

from __future__ import annotations

import gc
import threading
from typing import Any

from app.gui.gui_thread_gc import GuiThreadGarbageCollector


def test_cycles_made_on_a_worker_thread_are_freed_on_the_gui_thread(qtbot: Any) -> None:
    freed_on: list[threading.Thread] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed_on.append(threading.current_thread())

    collector = GuiThreadGarbageCollector(every_ms=10)
    try:
        assert not gc.isenabled()

        def engine_like() -> None:  # allocates a lot, as the engine's thread does
            for _ in range(5000):
                Cycle()
                _ = [[] for _ in range(3)]

        worker = threading.Thread(target=engine_like)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(freed_on) == 5000, timeout=10_000)
        assert set(freed_on) == {threading.main_thread()}
    finally:
        collector.stop()
