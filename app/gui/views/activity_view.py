"""Recent changes in every folder: who, what, when; open the file or show it in its folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.activity import FolderModel
from app.rows import KeyedRows, unique_keys
from sync_engine.events import Change, ItemSynced

from . import format as fmt

PATH_ROLE = Qt.ItemDataRole.UserRole
ActivityKey = tuple[tuple[str, int, str, str, str], int]


class ActivityView(QWidget):
    def __init__(self, models: dict[str, FolderModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.opened: list[str] = []  # what was asked to open, for tests and screenshots
        self.rows: KeyedRows[ActivityKey] = KeyedRows(
            self._remove_row, self._insert_row, self._rebuild
        )
        self._pending: dict[ActivityKey, tuple[FolderModel, ItemSynced]] = {}
        layout = QVBoxLayout(self)
        self.list = QTreeWidget(self)
        self.list.setAccessibleName(self.tr("Recent changes"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(
            [self.tr("When"), self.tr("What"), self.tr("File"), self.tr("By")]
        )
        # The file column takes the room left and elides in the middle, so "By" stays in view.
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.itemActivated.connect(lambda *_: self.open_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.list)
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setAccessibleName(self.tr("Open the file"))
        self.open_button.clicked.connect(self.open_selected)
        self.show_button = QPushButton(self.tr("Show in &folder"), self)
        self.show_button.setAccessibleName(self.tr("Show the file in its folder"))
        self.show_button.clicked.connect(self.show_selected)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        QWidget.setTabOrder(self.list, self.open_button)
        QWidget.setTabOrder(self.open_button, self.show_button)
        self.refresh()

    def entries(self) -> list[tuple[FolderModel, ItemSynced]]:
        found = [(m, e) for m in self.models.values() for e in m.activity]
        return sorted(found, key=lambda pair: pair[1].at_ns, reverse=True)

    def refresh(self) -> None:
        """Bring the rows up to date: new changes are inserted, old ones dropped, the rest kept."""
        entries = self.entries()
        keys = unique_keys(
            (m.folder_id, e.at_ns, e.path, e.change.value, e.direction.value) for m, e in entries
        )
        self._pending = dict(zip(keys, entries, strict=True))
        self.rows.update(keys)
        self._pending = {}
        self._update_buttons()

    def _remove_row(self, row: int) -> None:
        self.list.takeTopLevelItem(row)

    def _insert_row(self, row: int, key: ActivityKey) -> None:
        self.list.insertTopLevelItem(row, self._item(*self._pending[key]))

    def _rebuild(self, keys: Sequence[ActivityKey]) -> None:
        self.list.clear()
        self.list.addTopLevelItems([self._item(*self._pending[k]) for k in keys])

    def _item(self, model: FolderModel, e: ItemSynced) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                fmt.when_ns(e.at_ns),
                fmt.change_text(e.change, e.direction),
                e.path,
                e.device_name,
            ]
        )
        tip = e.path
        if e.change is Change.RENAMED and e.old_path:
            tip = self.tr("Renamed from {old}").format(old=e.old_path)
        # setData, not setToolTip: PySide6 6.11's convenience setter leaks a reference to
        # None per call (tests/gui/test_no_crash.py).
        item.setData(2, Qt.ItemDataRole.ToolTipRole, tip)
        item.setData(0, PATH_ROLE, str(Path(model.folder, *e.path.split("/"))))
        return item

    def _selected_path(self) -> Path | None:
        item = self.list.currentItem()
        return None if item is None else Path(item.data(0, PATH_ROLE))

    def _update_buttons(self) -> None:
        path = self._selected_path()
        self.open_button.setEnabled(path is not None)
        self.show_button.setEnabled(path is not None)

    def open_selected(self) -> None:
        path = self._selected_path()
        if path is not None and path.exists():
            self._open(path)

    def show_selected(self) -> None:
        path = self._selected_path()
        if path is not None:
            self._open(path.parent if path.parent.exists() else path)

    def _open(self, path: Path) -> None:
        self.opened.append(str(path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
