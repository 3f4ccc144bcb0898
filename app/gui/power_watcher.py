"""Tells the engine bridge when the computer enters or leaves battery saver mode.

Polled once a minute (a property read, or `pmset` on macOS): the change is
rare and a minute late is fine. Where the platform cannot say (no
power-profiles-daemon, a desktop without battery saver), nothing is paused.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from app.power import PROFILES_SERVICES, Probe, platform_probe, profile_saves_power

POLL_MS = 60_000


class PowerSaverSink(Protocol):
    def set_power_saver(self, on: bool) -> None: ...


def dbus_profiles_probe() -> Probe | None:
    """Linux: power-profiles-daemon's ActiveProfile over the system bus (None: no daemon)."""
    from PySide6.QtDBus import QDBusConnection, QDBusInterface

    bus = QDBusConnection.systemBus()
    if not bus.isConnected():
        return None
    for service, path, interface in PROFILES_SERVICES:
        proxy = QDBusInterface(service, path, interface, bus)
        if proxy.isValid():

            def probe(proxy: QDBusInterface = proxy) -> bool | None:
                value = proxy.property("ActiveProfile")
                return profile_saves_power(value if isinstance(value, str) else None)

            return probe
    return None


class PowerSaverWatcher(QObject):
    def __init__(
        self, sink: PowerSaverSink, probe: Probe | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._sink = sink
        self._probe = probe or platform_probe() or dbus_profiles_probe()
        self.available = self._probe is not None
        self._last: bool | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        if self.available:
            self.check()
            self.timer.start()

    def check(self) -> None:
        assert self._probe is not None
        try:
            on = bool(self._probe())
        except Exception:  # a probe that breaks must not stop sync: treat as "not saving"
            on = False
        if on != self._last:
            self._last = on
            self._sink.set_power_saver(on)
