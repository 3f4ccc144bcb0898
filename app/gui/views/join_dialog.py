""" "Add another computer": how to join this vault from elsewhere, with the address to copy."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.folders import Binding
from app.join_info import join_info


class JoinDialog(QDialog):
    def __init__(self, binding: Binding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        info = join_info(binding)
        self.setWindowTitle(self.tr("Add another computer"))
        layout = QVBoxLayout(self)
        steps = QLabel(
            self.tr(
                "On the other computer, install Coffre and open it. In the setup assistant, "
                "choose <b>Join an existing vault</b>, type the store address below and the "
                "vault's passphrase, then choose the folder to sync. Both computers then keep "
                "the same files."
            ),
            self,
        )
        steps.setWordWrap(True)
        layout.addWidget(steps)
        self.address = self._copy_row(layout, self.tr("Store address:"), info.address)
        layout.addWidget(QLabel(self.tr("Or, in a terminal on the other computer:"), self))
        self.command = self._copy_row(layout, self.tr("Command:"), info.command)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        if info.on_this_computer_only:
            self.note.setText(
                self.tr(
                    "This vault is kept in a folder of this computer only: another computer "
                    "cannot reach it. Move it to a shared storage first (a network folder, an "
                    "S3 or WebDAV server your organisation provides)."
                )
            )
        elif info.needs_credentials:
            self.note.setText(
                self.tr(
                    "The other computer also needs its own access to this storage (access key "
                    "or account): ask the person who manages it."
                )
            )
        self.note.setVisible(bool(self.note.text()))
        layout.addWidget(self.note)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())

    def _copy_row(self, layout: QVBoxLayout, label: str, text: str) -> QLineEdit:
        row = QHBoxLayout()
        caption = QLabel(label, self)
        field = QLineEdit(text, self)
        field.setReadOnly(True)
        field.setProperty("verbatim", True)  # a command or an address: copied as it is
        field.setAccessibleName(label.rstrip(" :"))
        caption.setBuddy(field)
        copy = QPushButton(self.tr("&Copy"), self)
        copy.setAccessibleName(self.tr("Copy: {what}").format(what=label.rstrip(" :")))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(field.text()))
        row.addWidget(caption)
        row.addWidget(field, 1)
        row.addWidget(copy)
        layout.addLayout(row)
        return field
