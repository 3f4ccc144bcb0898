"""File history: every version of a file, and restoring any of them."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.activity import HistoryItem
from app.gui.widgets import RestoreRowTexts, add_restore_row

from . import format as fmt
from .actions import FolderActions
from .purge_dialog import PurgeDialog

VERSION_ROLE = Qt.ItemDataRole.UserRole


class HistoryView(QWidget):
    def __init__(
        self,
        folder_actions: FolderActions,
        folder_id: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder_actions = folder_actions
        self.folder_id = folder_id
        self.files: list[str] = []
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Find a file"))
        self.filter.setAccessibleName(self.tr("Find a file"))
        self.filter.textChanged.connect(self._fill_files)
        layout.addWidget(self.filter)
        row = QHBoxLayout()
        self.file_list = QListWidget(self)
        self.file_list.setAccessibleName(self.tr("Files"))
        self.file_list.currentTextChanged.connect(self._file_chosen)
        self.versions = QTreeWidget(self)
        self.versions.setAccessibleName(self.tr("Versions"))
        self.versions.setRootIsDecorated(False)
        self.versions.setHeaderLabels([self.tr("When"), self.tr("Device"), self.tr("Size")])
        self.versions.itemSelectionChanged.connect(self._update_buttons)
        row.addWidget(self.file_list, 1)
        row.addWidget(self.versions, 2)
        layout.addLayout(row)
        texts = RestoreRowTexts(
            self.tr("&Restore this version"),
            self.tr("Restore the selected version"),
            self.tr("Re&fresh"),
            self.tr("Refresh the file list"),
            self.tr("Result"),
        )
        self.restore_button, self.refresh_button, self.message = add_restore_row(
            self, layout, texts
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton(self.tr("Erase for &good…"), self)
        self.purge_button.setToolTip(
            self.tr("Erase this file and all its versions from the storage and every device")
        )
        self.purge_button.clicked.connect(self.purge_selected)
        layout.addWidget(self.purge_button)
        self.refresh_button.clicked.connect(self.refresh)
        order = [self.filter, self.file_list, self.versions, self.restore_button]
        for a, b in pairwise([*order, self.refresh_button, self.purge_button]):
            QWidget.setTabOrder(a, b)
        self._update_buttons()

    def refresh(self) -> None:
        fid = self.folder_id()
        if fid is None:
            return
        self.folder_actions.history_files(fid, self._files_loaded)

    def _files_loaded(self, files: list[str] | None, error: str) -> None:
        if error:
            self.message.setText(error)
        self.files = list(files or [])
        self._fill_files()

    def _fill_files(self) -> None:
        wanted = self.filter.text().casefold()
        current = self.file_list.currentItem()
        keep = current.text() if current is not None else None
        self.file_list.clear()
        for path in self.files:
            if wanted in path.casefold():
                self.file_list.addItem(path)
        if keep is not None:
            found = self.file_list.findItems(keep, Qt.MatchFlag.MatchExactly)
            if found:
                self.file_list.setCurrentItem(found[0])

    def select_file(self, rel: str) -> None:
        found = self.file_list.findItems(rel, Qt.MatchFlag.MatchExactly)
        if found:
            self.file_list.setCurrentItem(found[0])

    def reload_versions(self) -> None:
        """List the chosen file's versions again (after a round published a new one)."""
        current = self.file_list.currentItem()
        if current is not None:
            self._file_chosen(current.text())

    def _file_chosen(self, rel: str) -> None:
        fid = self.folder_id()
        self.versions.clear()
        self._update_buttons()
        if fid is None or not rel:
            return
        self.folder_actions.history(
            fid, rel, lambda items, error: self._versions_loaded(rel, items, error)
        )

    def _versions_loaded(self, rel: str, items: list[HistoryItem] | None, error: str) -> None:
        current = self.file_list.currentItem()
        if current is None or current.text() != rel:
            return  # another file was chosen meanwhile
        if error:
            self.message.setText(error)
        self.versions.clear()
        for h in reversed(items or []):  # newest first
            what = self.tr("deleted") if h.deleted else fmt.size(h.size)
            item = QTreeWidgetItem([fmt.when_ms(h.time_ms), h.device, what])
            item.setData(0, VERSION_ROLE, None if h.deleted else h.version)
            self.versions.addTopLevelItem(item)
        self._update_buttons()

    def selected_version(self) -> str | None:
        item = self.versions.currentItem()
        return None if item is None else item.data(0, VERSION_ROLE)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_version() is not None)
        self.purge_button.setEnabled(self.versions.topLevelItemCount() > 0)

    def restore_selected(self) -> None:
        fid, version = self.folder_id(), self.selected_version()
        current = self.file_list.currentItem()
        if fid is None or version is None or current is None:
            return
        rel = current.text()

        def done(_where: str | None, error: str) -> None:
            if error:
                self.message.setText(error)
            else:
                self.message.setText(self.tr("Restored {path}.").format(path=rel))
                self._file_chosen(rel)

        self.folder_actions.restore_version(fid, rel, version, done)

    def purge_selected(self, *, ask: type[PurgeDialog] = PurgeDialog) -> None:
        """Erase the chosen file from the store and every device, after a clear warning."""
        fid, current = self.folder_id(), self.file_list.currentItem()
        if fid is None or current is None:
            return
        rel = current.text()
        if not ask(rel, self.versions.topLevelItemCount(), self).confirmed():
            return

        def done(count: int | None, error: str) -> None:
            if error:
                self.message.setText(error)
                return
            self.message.setText(
                self.tr("{path} was erased ({count} versions).").format(path=rel, count=count)
            )
            self.refresh()
            self.versions.clear()
            self._update_buttons()

        self.folder_actions.purge(fid, rel, done)
