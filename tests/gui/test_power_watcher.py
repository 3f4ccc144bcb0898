"""PowerSaverWatcher: tells the bridge of battery saver changes, once per change.

The platform's service (power-profiles-daemon on the system bus, Windows'
power status) cannot run here, so the probe is a function the test drives.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.gui.power_watcher import PowerSaverWatcher


class Sink:
    def __init__(self) -> None:
        self.calls: list[bool] = []

    def set_power_saver(self, on: bool) -> None:
        self.calls.append(on)


def test_changes_reach_the_bridge_once(qtbot: QtBot) -> None:
    saving = [False]
    sink = Sink()
    watcher = PowerSaverWatcher(sink, probe=lambda: saving[0])
    assert watcher.available and watcher.timer.isActive()
    assert sink.calls == [False]
    watcher.check()
    assert sink.calls == [False]
    saving[0] = True
    watcher.check()
    watcher.check()
    assert sink.calls == [False, True]


def test_a_broken_probe_never_pauses(qtbot: QtBot) -> None:
    def broken() -> bool | None:
        raise OSError("no power service")

    sink = Sink()
    PowerSaverWatcher(sink, probe=broken)
    assert sink.calls == [False]
