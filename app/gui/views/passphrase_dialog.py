"""Asks for a vault's passphrase when it is neither remembered nor in the environment."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


def remember_checkbox(parent: QWidget) -> tuple[QCheckBox, QLabel]:
    """The "Remember on this computer" box (ticked) and what it means; the wizard uses it too."""
    translate = QCoreApplication.translate
    box = QCheckBox(translate("RememberKey", "&Remember on this computer"), parent)
    box.setChecked(True)
    box.setAccessibleName(translate("RememberKey", "Remember the passphrase on this computer"))
    note = QLabel(
        translate(
            "RememberKey",
            "Coffre then opens by itself when you log in. The vault key is kept in this "
            "computer's keyring, protected by your session password. Untick on a shared "
            "computer.",
        ),
        parent,
    )
    note.setWordWrap(True)
    note.setTextFormat(Qt.TextFormat.PlainText)
    font = note.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    note.setFont(font)
    return box, note


class PassphraseDialog(QDialog):
    def __init__(self, folder: str, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock {name}").format(name=Path(folder).name))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        text = self.tr("Type the passphrase of the vault that {folder} is synced with.").format(
            folder=folder
        )
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.error_label = QLabel(error, self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Why the vault could not be unlocked"))
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setVisible(bool(error))
        layout.addWidget(self.error_label)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self.tr("Passphrase"))
        self.label.setBuddy(self.edit)
        layout.addWidget(self.edit)
        self.remember, self.remember_note = remember_checkbox(self)
        layout.addWidget(self.remember)
        layout.addWidget(self.remember_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName(self.tr("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            self.tr("Cancel")
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.edit, self.remember)
        QWidget.setTabOrder(self.remember, self.buttons)
        self.edit.setFocus()

    def passphrase(self) -> str:
        return self.edit.text()

    def remember_key(self) -> bool:
        return self.remember.isChecked()
