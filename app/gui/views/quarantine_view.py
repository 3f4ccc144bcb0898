"""The quarantine: files that sync removed from this computer, kept for a while, restorable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.widgets import RestoreRowTexts, add_restore_row
from sync_engine.disk.quarantine import DEFAULT_RETENTION_DAYS
from sync_engine.vault.state import QuarantineItem

from . import format as fmt
from .actions import FolderActions

ID_ROLE = Qt.ItemDataRole.UserRole


class QuarantineView(QWidget):
    def __init__(
        self,
        folder_actions: FolderActions,
        folder_id: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder_actions = folder_actions
        self.folder_id = folder_id
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Files that were deleted on another device are kept here for %n day(s).",
                "",
                DEFAULT_RETENTION_DAYS,
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QTreeWidget(self)
        self.list.setAccessibleName(self.tr("Files removed by sync"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Removed"), self.tr("File")])
        self.list.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.list)
        texts = RestoreRowTexts(
            self.tr("&Restore"),
            self.tr("Put the selected file back"),
            self.tr("Re&fresh"),
            self.tr("Refresh the quarantine"),
            self.tr("Result"),
        )
        self.restore_button, self.refresh_button, self.message = add_restore_row(
            self, layout, texts
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.refresh_button.clicked.connect(self.refresh)
        QWidget.setTabOrder(self.list, self.restore_button)
        QWidget.setTabOrder(self.restore_button, self.refresh_button)
        self._update_buttons()

    def refresh(self) -> None:
        fid = self.folder_id()
        if fid is None:
            return
        self.folder_actions.quarantine(fid, self._loaded)

    def _loaded(self, items: list[QuarantineItem] | None, error: str) -> None:
        if error:
            self.message.setText(error)
        self.list.clear()
        for q in items or []:
            row = QTreeWidgetItem([fmt.when_ns(q.time_ns), q.path])
            row.setData(0, ID_ROLE, q.item_id)
            self.list.addTopLevelItem(row)
        self.list.resizeColumnToContents(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.list.currentItem() is not None)

    def restore_selected(self) -> None:
        fid, item = self.folder_id(), self.list.currentItem()
        if fid is None or item is None:
            return
        item_id, path = int(item.data(0, ID_ROLE)), item.text(1)

        def done(_where: str | None, error: str) -> None:
            if error:
                self.message.setText(error)
            else:
                self.message.setText(self.tr("Restored {path}.").format(path=path))
            self.refresh()

        self.folder_actions.restore_quarantined(fid, item_id, done)
