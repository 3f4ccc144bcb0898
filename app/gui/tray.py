"""The tray icon: the state of all folders at a glance, and the everyday commands.

Where the desktop has no tray (`isSystemTrayAvailable()` false: offscreen,
some Wayland or headless sessions) the icon is never shown, every command
stays in the main window, and closing the window quits instead of leaving
an invisible app behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from app.activity import TrayState, all_paused, tray_state

from .engine_bridge import EngineBridge
from .icons import state_icon


class TrayController(QObject):
    openWindowRequested = Signal()
    unlockRequested = Signal()
    settingsRequested = Signal()
    quitRequested = Signal()

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.state = TrayState.SYNCING
        self._first = True  # the icon is drawn once, then only when the state changes
        self.opened: list[str] = []  # folders asked to open, for tests
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu()
        self.menu.setAccessibleName(self.tr("Coffre menu"))
        self.open_folder_action = QAction(self.tr("Open the &folder"), self.menu)
        self.open_window_action = QAction(self.tr("Open &Coffre"), self.menu)
        self.unlock_action = QAction(self.tr("&Unlock with the passphrase…"), self.menu)
        self.pause_action = QAction(self.tr("&Pause syncing"), self.menu)
        self.settings_action = QAction(self.tr("&Settings…"), self.menu)
        self.settings_action.triggered.connect(self.settingsRequested)
        self.quit_action = QAction(self.tr("&Quit"), self.menu)
        self.open_folder_action.triggered.connect(self.open_folders)
        self.open_window_action.triggered.connect(self.openWindowRequested)
        self.unlock_action.triggered.connect(self.unlockRequested)
        self.pause_action.triggered.connect(self.toggle_pause)
        self.quit_action.triggered.connect(self.quitRequested)
        self.menu.addAction(self.open_folder_action)
        self.menu.addAction(self.open_window_action)
        self.menu.addAction(self.unlock_action)
        self.menu.addSeparator()
        self.menu.addAction(self.pause_action)
        self.menu.addAction(self.settings_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        bridge.folderChanged.connect(lambda _fid: self.refresh())
        self.refresh()
        if self.available:
            self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            if self.state is TrayState.LOCKED:
                self.unlockRequested.emit()  # what the person came for
            else:
                self.openWindowRequested.emit()

    def tooltip(self) -> str:
        return {
            TrayState.UP_TO_DATE: self.tr("Coffre: up to date"),
            TrayState.SYNCING: self.tr("Coffre: syncing"),
            TrayState.PAUSED: self.tr("Coffre: paused"),
            TrayState.OFFLINE: self.tr("Coffre: offline, changes are kept for later"),
            TrayState.ERROR: self.tr("Coffre: needs your attention"),
            TrayState.LOCKED: self.tr("Coffre: needs your passphrase to start syncing"),
            TrayState.CONFLICT: self.tr("Coffre: a conflict or a deletion awaits your choice"),
        }[self.state]

    def refresh(self) -> None:
        models = list(self.bridge.models.values())
        state = tray_state(models)
        if state is not self.state or self._first:
            self.state, self._first = state, False
            self.icon.setIcon(state_icon(self.state))
            self.icon.setToolTip(self.tooltip())
        paused = all_paused(models)
        self.pause_action.setText(
            self.tr("&Resume syncing") if paused else self.tr("&Pause syncing")
        )
        self.pause_action.setEnabled(any(m.ready for m in models))
        self.open_folder_action.setEnabled(bool(models))
        self.unlock_action.setVisible(any(m.locked or m.failure for m in models))

    def toggle_pause(self) -> None:
        if all_paused(self.bridge.models.values()):
            self.bridge.resume_all()
        else:
            self.bridge.pause_all()

    def open_folders(self) -> None:
        for model in self.bridge.models.values():
            if Path(model.folder).is_dir():
                self.opened.append(model.folder)
                QDesktopServices.openUrl(QUrl.fromLocalFile(model.folder))

    def hide(self) -> None:
        self.icon.hide()
