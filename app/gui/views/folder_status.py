"""One folder's status: what it is doing, since when, how fast; pause/resume and sync now."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.activity import Attention, FolderModel
from app.gui.i18n import action, describe
from app.share_model import READER
from crypto.reason import UNEXPECTED, Reason
from sync_engine.events import Direction, FolderState

from . import format as fmt


class FolderStatusWidget(QFrame):
    """Draws a FolderModel; asks for commands through its signals."""

    pauseRequested = Signal(str)
    resumeRequested = Signal(str)
    syncRequested = Signal(str)
    unlockRequested = Signal(str)
    shareRequested = Signal(str)

    def __init__(self, model: FolderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Folder {name}").format(name=Path(model.folder).name))
        grid = QGridLayout(self)
        self.opened: list[str] = []  # what "Open the folder" opened, for tests
        self.name_label = QLabel(f"<b>{Path(model.folder).name}</b>", self)
        self.path_label = QLabel(model.folder, self)
        self.path_label.setAccessibleName(self.tr("Folder path"))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.state_label = QLabel(self)
        self.state_label.setAccessibleName(self.tr("State"))
        self.last_sync_label = QLabel(self)
        self.last_sync_label.setAccessibleName(self.tr("Last sync"))
        self.now_label = QLabel(self)
        self.now_label.setAccessibleName(self.tr("Current activity"))
        self.now_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.speed_label = QLabel(self)
        self.speed_label.setAccessibleName(self.tr("Speed"))
        self.badge = QLabel(self.tr("Read only"), self)
        self.badge.setAccessibleName(self.tr("Read only"))
        self.badge.setToolTip(
            self.tr(
                "You receive this folder's files but cannot change them: what you change "
                "stays on this computer and is not synced."
            )
        )
        self.badge.setStyleSheet(
            "border: 1px solid #7a5b00; border-radius: 3px; padding: 0 4px; color: #7a5b00;"
        )
        self.menu_button = QToolButton(self)
        self.menu_button.setText("\u22ef")
        self.menu_button.setAccessibleName(self.tr("Folder menu"))
        self.menu_button.setToolTip(self.tr("Folder menu"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.menu_button)
        self.share_action = self.menu.addAction(self.tr("&Share\u2026"))
        self.share_action.triggered.connect(lambda: self.shareRequested.emit(self.model.folder_id))
        self.menu_button.setMenu(self.menu)
        title = QHBoxLayout()
        title.addWidget(self.name_label)
        title.addWidget(self.badge)
        title.addStretch(1)
        title.addWidget(self.menu_button)
        self.read_only_label = QLabel(self)
        self.read_only_label.setWordWrap(True)
        self.read_only_label.setAccessibleName(self.tr("Not synced: read only"))
        self.read_only_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addLayout(title, 0, 0, 1, 2)
        grid.addWidget(self.path_label, 1, 0, 1, 2)
        grid.addWidget(self.state_label, 2, 0)
        grid.addWidget(self.last_sync_label, 2, 1)
        grid.addWidget(self.now_label, 3, 0, 1, 2)
        grid.addWidget(self.progress, 4, 0)
        grid.addWidget(self.speed_label, 4, 1)
        grid.addWidget(self.read_only_label, 5, 0, 1, 2)

        buttons = QHBoxLayout()
        self.pause_button = QPushButton(self.tr("&Pause"), self)
        self.pause_button.setAccessibleName(self.tr("Pause or resume syncing"))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.sync_button = QPushButton(self.tr("&Sync now"), self)
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.sync_button.clicked.connect(lambda: self.syncRequested.emit(self.model.folder_id))
        self.unlock_button = QPushButton(self.tr("&Unlock…"), self)
        self.unlock_button.setAccessibleName(self.tr("Unlock the folder with the passphrase"))
        self.unlock_button.clicked.connect(lambda: self.unlockRequested.emit(self.model.folder_id))
        self.open_button = QPushButton(self.tr("&Open the folder"), self)
        self.open_button.setAccessibleName(self.tr("Open the folder in the file manager"))
        self.open_button.clicked.connect(self.open_folder)
        for b in (self.pause_button, self.sync_button, self.unlock_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        grid.addLayout(buttons, 6, 0, 1, 2)
        QWidget.setTabOrder(self.pause_button, self.sync_button)
        QWidget.setTabOrder(self.sync_button, self.unlock_button)
        QWidget.setTabOrder(self.unlock_button, self.open_button)
        self.refresh()

    def open_folder(self) -> None:
        """Show the synced folder in the system's file manager."""
        if Path(self.model.folder).is_dir():
            self.opened.append(self.model.folder)
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.model.folder))

    def _toggle_pause(self) -> None:
        if self.model.paused:
            self.resumeRequested.emit(self.model.folder_id)
        else:
            self.pauseRequested.emit(self.model.folder_id)

    def refresh(self) -> None:
        m = self.model
        if m.failure:
            state = self.tr("Locked: {reason}").format(reason=m.failure)
        elif m.locked:
            state = self.tr("Waiting for your passphrase")
        elif not m.ready:
            state = self.tr("Opening the vault…")
        elif m.state is FolderState.IDLE and m.attention:
            state = self._attention_text()  # never "up to date" while something waits
        else:
            state = fmt.state_text(m.state, m.paused_reason)
        self.state_label.setText(state)
        self.last_sync_label.setText(
            self.tr("Last sync: {when}").format(when=fmt.when_ns(m.last_sync_ns))
        )
        now = self._now_text()
        self.now_label.setText(now)
        self.now_label.setVisible(bool(now))
        progress = m.progress
        self.progress.setVisible(progress is not None)
        self.progress.setValue(int((progress or 0.0) * 1000))
        self.speed_label.setVisible(m.speed > 0)
        self.speed_label.setText(fmt.speed(m.speed))
        self.pause_button.setText(self.tr("&Resume") if m.paused else self.tr("&Pause"))
        self.pause_button.setEnabled(m.ready)
        self.sync_button.setEnabled(m.ready and not m.paused)
        self.unlock_button.setVisible(bool(m.failure) or m.locked)
        self.badge.setVisible(m.role == READER)
        withheld = self._read_only_text()
        self.read_only_label.setText(withheld)
        self.read_only_label.setVisible(bool(withheld))

    def _read_only_text(self) -> str:
        """A reader's changes the last round kept here: how many, and the first few paths."""
        paths = self.model.read_only
        if not paths:
            return ""
        text = self.tr(
            "Not synced, read only: you changed %n file(s) that you may not change in this "
            "folder. They stay on this computer only.",
            "",
            len(paths),
        )
        text += "\n" + "\n".join(paths[:5])
        if len(paths) > 5:
            text += "\n" + self.tr("and %n more", "", len(paths) - 5)
        return text

    def _attention_text(self) -> str:
        """What waits for the person, most pressing first (the tray says the same)."""
        m = self.model
        waiting = m.attention
        if Attention.HELD_DELETION in waiting:
            return self.tr("Waiting for you: a deletion must be confirmed")
        if Attention.CONFLICT in waiting:
            return self.tr("Waiting for you: %n conflict(s) to settle", "", m.conflict_count)
        count = max(m.problem_count, len(m.problems))
        return self.tr("Needs attention: %n item(s) could not be synced", "", count)

    def _now_text(self) -> str:
        m = self.model
        # The engine's English `message` is for logs; without a reason it reads as unexpected.
        why = m.reason or (Reason.of(UNEXPECTED, detail=m.message) if m.message else None)
        if m.state in (FolderState.OFFLINE, FolderState.ERROR) and why is not None:
            text = describe(why)
            if m.state is FolderState.ERROR:
                text += " " + action(why)
            return text
        t = m.transfer
        if t is not None and t.files_total:
            verb = (
                self.tr("Sending {done} of %n file(s)", "", t.files_total)
                if t.direction is Direction.UPLOAD
                else self.tr("Receiving {done} of %n file(s)", "", t.files_total)
            )
            text = verb.format(done=t.files_done)
            if t.path:
                text += " — " + t.path
            return text
        if m.state is FolderState.SCANNING and m.scanned_entries:
            return self.tr("%n item(s) examined", "", m.scanned_entries)
        if m.problems:
            return self.tr("%n item(s) could not be synced", "", len(m.problems))
        return ""


class HeldDeletionPanel(QFrame):
    """A mass deletion the guard stopped: the person confirms it or keeps the files."""

    confirmRequested = Signal(str)
    cancelRequested = Signal(str)

    def __init__(self, model: FolderModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Held deletion"))
        layout = QVBoxLayout(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.tr("Held deletion details"))
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("&Keep the files"), self)
        self.cancel_button.setAccessibleName(self.tr("Keep the files and cancel the deletion"))
        self.confirm_button = QPushButton(self.tr("&Delete them"), self)
        self.confirm_button.setAccessibleName(self.tr("Confirm the deletion"))
        self.cancel_button.clicked.connect(lambda: self.cancelRequested.emit(model.folder_id))
        self.confirm_button.clicked.connect(lambda: self.confirmRequested.emit(model.folder_id))
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.cancel_button, self.confirm_button)
        self.refresh()

    def refresh(self) -> None:
        held = self.model.held
        self.setVisible(held is not None)
        if held is None:
            return
        shown = "\n".join(held.paths[:5])
        more = held.total - min(len(held.paths), 5)
        text = self.tr(
            "Syncing would delete %n file(s) in {folder}. Nothing was deleted: "
            "confirm if this is what you want, or keep the files.",
            "",
            held.total,
        ).format(folder=Path(self.model.folder).name)
        text += "\n" + shown
        if more > 0:
            text += "\n" + self.tr("and %n more", "", more)
        self.text.setText(text)
