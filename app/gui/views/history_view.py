"""File history: every version of a file, which ones the vault's retention keeps, and
restoring any of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.activity import HistoryItem, RetentionSummary
from app.gui.widgets import RestoreRowTexts, add_restore_row
from app.rows import KeyedRows

from . import format as fmt
from .actions import FolderActions
from .purge_dialog import PurgeDialog

VERSION_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = 4  # when, device, size, retention


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
        self._shown_file = ""
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
        self.versions.setHeaderLabels(
            [self.tr("When"), self.tr("Device"), self.tr("Size"), self.tr("Retention")]
        )
        header = self.versions.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.retention_note = QLabel(self)
        self.retention_note.setWordWrap(True)
        self.retention_note.setAccessibleName(self.tr("Versions the retention keeps"))
        self.file_rows: KeyedRows[str] = KeyedRows(
            lambda row: self.file_list.takeItem(row),
            lambda row, path: self.file_list.insertItem(row, path),
            self._rebuild_files,
        )
        self.version_rows: KeyedRows[tuple[str, bool, bool]] = KeyedRows(
            lambda row: self.versions.takeTopLevelItem(row),
            lambda row, key: self.versions.insertTopLevelItem(row, self._version_item(key)),
            self._rebuild_versions,
        )
        self._by_version: dict[str, HistoryItem] = {}
        self.versions.itemSelectionChanged.connect(self._update_buttons)
        row.addWidget(self.file_list, 2)
        versions_column = QVBoxLayout()
        versions_column.addWidget(self.versions, 1)
        versions_column.addWidget(self.retention_note)
        row.addLayout(versions_column, 5)
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
        self.file_rows.update([p for p in self.files if wanted in p.casefold()])

    def _rebuild_files(self, paths: Sequence[str]) -> None:
        current = self.file_list.currentItem()
        keep = current.text() if current is not None else None
        self.file_list.clear()
        self.file_list.addItems(list(paths))
        if keep is not None:
            self.select_file(keep)

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
        if rel != self._shown_file:
            self._shown_file = rel
            self.version_rows.clear()
            self.retention_note.clear()
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
        newest_first = list(reversed(items or []))
        self._by_version = {h.version: h for h in newest_first}
        # The version in the folder now: the newest, unless the file was deleted.
        current_version = newest_first[0].version if newest_first else ""
        self.version_rows.update(
            [
                (h.version, h.version == current_version and not h.deleted, h.kept)
                for h in newest_first
            ]
        )
        self._show_retention(RetentionSummary.of(newest_first))
        self._update_buttons()

    def _show_retention(self, summary: RetentionSummary) -> None:
        if summary.total == 0:
            self.retention_note.clear()
        elif summary.expiring == 0:
            self.retention_note.setText(self.tr("The vault's retention keeps every version."))
        else:
            self.retention_note.setText(
                self.tr(
                    "Past the vault's retention: {expiring} of {total} versions. The next "
                    "clean-up of the storage frees them; restore one now if you still need it."
                ).format(expiring=summary.expiring, total=summary.total)
            )

    def _version_item(self, key: tuple[str, bool, bool]) -> QTreeWidgetItem:
        version, is_current, kept = key
        h = self._by_version[version]
        what = self.tr("deleted") if h.deleted else fmt.size(h.size)
        when = fmt.when_ms_seconds(h.time_ms)
        if is_current:
            when = self.tr("{when} (current version)").format(when=when)
        fate = self.tr("kept") if kept else self.tr("expired")
        item = QTreeWidgetItem([when, h.device, what, fate])
        item.setData(0, VERSION_ROLE, None if h.deleted else h.version)
        if is_current:  # setData: PySide6 6.11's setFont and setToolTip leak None references
            font = QFont(self.versions.font())
            font.setBold(True)
            for column in range(COLUMNS):
                item.setData(column, Qt.ItemDataRole.FontRole, font)
            tip = self.tr("This is the version in your folder now.")
            item.setData(0, Qt.ItemDataRole.ToolTipRole, tip)
        if not kept:
            grey = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
            tip = self.tr(
                "The vault's retention no longer keeps this version: the next clean-up of "
                "the storage frees it. Restore it now if you still need it."
            )
            for column in range(COLUMNS):
                item.setData(column, Qt.ItemDataRole.ForegroundRole, grey)
                item.setData(column, Qt.ItemDataRole.ToolTipRole, tip)
        return item

    def _rebuild_versions(self, keys: Sequence[tuple[str, bool, bool]]) -> None:
        self.versions.clear()
        self.versions.addTopLevelItems([self._version_item(k) for k in keys])

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
            self.retention_note.clear()
            self._update_buttons()

        self.folder_actions.purge(fid, rel, done)
