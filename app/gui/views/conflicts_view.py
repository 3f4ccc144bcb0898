"""Conflicts: both versions side by side; keep mine, keep theirs or keep both."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path, PurePosixPath

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.conflicts import ConflictItem, ConflictSide, Resolution
from app.rows import KeyedRows

from . import format as fmt
from .actions import FolderActions


class SidePanel(QGroupBox):
    """One version: name, device, time, size, and a button to open it with its usual app."""

    openRequested = Signal(str)  # the version's path in the folder

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.side: ConflictSide | None = None
        self.setAccessibleName(title)
        form = QFormLayout(self)
        self.name_label = QLabel(self)
        self.device_label = QLabel(self)
        self.time_label = QLabel(self)
        self.size_label = QLabel(self)
        self.name_label.setWordWrap(True)  # a conflict copy's name is long
        for label, widget in (
            (self.tr("Name"), self.name_label),
            (self.tr("Device"), self.device_label),
            (self.tr("Modified"), self.time_label),
            (self.tr("Size"), self.size_label),
        ):
            widget.setAccessibleName(label)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, widget)
        self.open_button = QPushButton(self.tr("&Open this version"), self)
        self.open_button.setAccessibleName(
            self.tr("Open this version: {title}").format(title=title)
        )
        self.open_button.clicked.connect(self._open)
        form.addRow(self.open_button)

    def _open(self) -> None:
        if self.side is not None:
            self.openRequested.emit(self.side.path)

    def show_side(self, side: ConflictSide | None, on_disk: bool = True) -> None:
        self.side = side
        self.open_button.setEnabled(side is not None and on_disk)
        self.name_label.setText("" if side is None else PurePosixPath(side.path).name)
        self.device_label.setText("" if side is None else side.device)
        self.time_label.setText("" if side is None else fmt.when_ms(side.time_ms))
        self.size_label.setText("" if side is None else fmt.size(side.size))


class ConflictsView(QWidget):
    resolved = Signal(str)  # the path whose conflict was settled

    def __init__(
        self,
        folder_actions: FolderActions,
        folder_id: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder_actions = folder_actions
        self.folder_id = folder_id
        self.items: list[ConflictItem] = []
        self._by_copy: dict[str, ConflictItem] = {}
        self.rows: KeyedRows[str] = KeyedRows(self._remove_row, self._insert_row, self._rebuild)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr("Two devices changed the same file. Both versions are kept until you choose."),
            self,
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Conflicts"))
        self.list.currentRowChanged.connect(self._show_current)
        layout.addWidget(self.list)
        sides = QHBoxLayout()
        self.mine = SidePanel(self.tr("Your version"), self)
        self.theirs = SidePanel(self.tr("The other version"), self)
        self.opened: list[str] = []  # what was asked to open, for tests
        for panel in (self.mine, self.theirs):
            panel.openRequested.connect(self.open_version)
        sides.addWidget(self.mine, 1)  # equal halves, whatever the names' lengths
        sides.addWidget(self.theirs, 1)
        layout.addLayout(sides)
        buttons = QHBoxLayout()
        self.keep_mine = QPushButton(self.tr("Keep &mine"), self)
        self.keep_mine.setAccessibleName(self.tr("Keep my version"))
        self.keep_theirs = QPushButton(self.tr("Keep &theirs"), self)
        self.keep_theirs.setAccessibleName(self.tr("Keep the other version"))
        self.keep_both = QPushButton(self.tr("Keep &both"), self)
        self.keep_both.setAccessibleName(self.tr("Keep both versions as separate files"))
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the conflicts"))
        for button, choice in (
            (self.keep_mine, Resolution.KEEP_MINE),
            (self.keep_theirs, Resolution.KEEP_THEIRS),
            (self.keep_both, Resolution.KEEP_BOTH),
        ):
            button.clicked.connect(lambda _=False, c=choice: self.resolve_current(c))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        self.refresh_button.clicked.connect(self.refresh)
        layout.addLayout(buttons)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Result"))
        layout.addWidget(self.message)
        order = [self.list, self.keep_mine, self.keep_theirs, self.keep_both, self.refresh_button]
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)
        self._show_current(-1)

    def refresh(self) -> None:
        fid = self.folder_id()
        if fid is None or not self.folder_actions.bridge.is_running(fid):
            self._loaded([], "")
            return
        self.folder_actions.conflicts(fid, self._loaded)

    def _loaded(self, items: list[ConflictItem] | None, error: str) -> None:
        if error:
            self.message.setText(error)
            return
        current = self.current()
        self.items = sorted(items or [], key=lambda i: (i.path, i.copy))
        self._by_copy = {i.copy: i for i in self.items}
        self.rows.update([i.copy for i in self.items])
        if not self.items:
            self.message.setText(self.tr("No conflicts."))
            self._show_current(-1)
            return
        if self.message.text() == self.tr("No conflicts."):
            self.message.clear()  # never "no conflicts" under a list that shows one
        keys = [i.copy for i in self.items]
        row = keys.index(current.copy) if current is not None and current.copy in keys else 0
        if self.list.currentRow() != row:
            self.list.setCurrentRow(row)
        else:
            self._show_current(row)

    def _remove_row(self, row: int) -> None:
        self.list.takeItem(row)

    def _insert_row(self, row: int, copy: str) -> None:
        self.list.insertItem(row, self._by_copy[copy].path)

    def _rebuild(self, copies: Sequence[str]) -> None:
        self.list.clear()
        self.list.addItems([self._by_copy[c].path for c in copies])

    def open_version(self, rel: str) -> None:
        """Open one version with the system's app for it, to compare the two."""
        fid = self.folder_id()
        if fid is None:
            return
        path = Path(self.folder_actions.bridge.binding(fid).folder, *rel.split("/"))
        if path.is_file():
            self.opened.append(str(path))
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        else:
            self.message.setText(
                self.tr("{path} is not in the folder yet: wait for the next sync.").format(path=rel)
            )

    def current(self) -> ConflictItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _show_current(self, _row: int) -> None:
        item = self.current()
        if item is None:
            self.mine.show_side(None)
            self.theirs.show_side(None)
        else:
            for panel, side in ((self.mine, item.mine), (self.theirs, item.theirs)):
                # A copy not written yet (the next round writes it) cannot be opened.
                panel.show_side(side, item.written or side.path == item.path)
        for button in (self.keep_mine, self.keep_theirs, self.keep_both):
            button.setEnabled(item is not None)

    def resolve_current(self, choice: Resolution) -> None:
        item, fid = self.current(), self.folder_id()
        if item is None or fid is None:
            return
        for button in (self.keep_mine, self.keep_theirs, self.keep_both):
            button.setEnabled(False)

        def done(_where: str | None, error: str) -> None:
            if error:
                self.message.setText(error)
            else:
                self.message.setText(self.tr("Settled: {path}").format(path=item.path))
                self.resolved.emit(item.path)
            self.refresh()

        self.folder_actions.resolve(fid, item, choice, done)
