"""The warning before a purge: what it erases, that it cannot be undone, and an explicit yes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class PurgeDialog(QMessageBox):
    """Asks before erasing a file and every version of it from the store and every device.

    The safe answer (Cancel) is the default; the destructive button says what it does.
    """

    def __init__(self, rel: str, versions: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Erase for good"))
        self.setText(
            self.tr("Erase {path} and its {count} versions for good?").format(
                path=rel, count=versions
            )
        )
        self.setInformativeText(
            self.tr(
                "It is removed from the shared storage and from the history of every "
                "device, which also move their copy out of the folder. This cannot be "
                "undone: no version can be restored afterwards, not even by your IT "
                "department."
            )
        )
        self.erase_button = self.addButton(
            self.tr("&Erase for good"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.cancel_button)

    def confirmed(self) -> bool:
        self.exec()
        return self.clickedButton() is self.erase_button
