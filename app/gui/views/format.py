"""Sizes, speeds and times as a person reads them, in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from sync_engine.events import Change, Direction, FolderState


def size(n: int) -> str:
    """Bytes with the locale's units (octets in French)."""
    return QLocale().formattedDataSize(max(0, n), 1)


def speed(bytes_per_second: float) -> str:
    return QCoreApplication.translate("Format", "{size}/s").format(size=size(int(bytes_per_second)))


def when_ns(ns: int | None) -> str:
    if ns is None:
        return QCoreApplication.translate("Format", "never")
    return when_ms(ns // 1_000_000)


def when_ms(ms: int) -> str:
    """A moment in the local time zone, in the locale's short format."""
    moment = QDateTime.fromMSecsSinceEpoch(ms)
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def when_ms_seconds(ms: int) -> str:
    """A moment to the second: two versions saved the same minute must look different."""
    moment = QDateTime.fromMSecsSinceEpoch(ms)
    locale = QLocale()
    day = locale.toString(moment.date(), QLocale.FormatType.ShortFormat)
    return f"{day} {moment.time().toString('HH:mm:ss')}"


def state_text(state: FolderState, paused_reason: str = "") -> str:
    if state is FolderState.PAUSED and paused_reason == "metered":
        return QCoreApplication.translate("Format", "Paused (metered network)")
    if state is FolderState.PAUSED and paused_reason == "power_saver":
        return QCoreApplication.translate("Format", "Paused (battery saver)")
    return {
        FolderState.IDLE: QCoreApplication.translate("Format", "Up to date"),
        FolderState.SCANNING: QCoreApplication.translate("Format", "Looking for changes"),
        FolderState.SYNCING: QCoreApplication.translate("Format", "Syncing"),
        FolderState.PAUSED: QCoreApplication.translate("Format", "Paused"),
        FolderState.OFFLINE: QCoreApplication.translate("Format", "Offline"),
        FolderState.ERROR: QCoreApplication.translate("Format", "Needs attention"),
    }[state]


def change_text(change: Change, direction: Direction) -> str:
    """What happened, from this device's point of view (UPLOAD: a change made here)."""
    if direction is Direction.UPLOAD:
        return {
            Change.ADDED: QCoreApplication.translate("Format", "Added"),
            Change.MODIFIED: QCoreApplication.translate("Format", "Modified"),
            Change.DELETED: QCoreApplication.translate("Format", "Deleted"),
            Change.RENAMED: QCoreApplication.translate("Format", "Renamed"),
            Change.CONFLICT_COPY: QCoreApplication.translate("Format", "Conflict copy"),
        }[change]
    return {
        Change.ADDED: QCoreApplication.translate("Format", "Added (received)"),
        Change.MODIFIED: QCoreApplication.translate("Format", "Modified (received)"),
        Change.DELETED: QCoreApplication.translate("Format", "Deleted (moved to quarantine)"),
        Change.RENAMED: QCoreApplication.translate("Format", "Renamed (received)"),
        Change.CONFLICT_COPY: QCoreApplication.translate("Format", "Conflict copy"),
    }[change]
