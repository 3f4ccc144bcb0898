"""Asks for a vault's passphrase when it is neither remembered nor in the environment.

"Forgot your passphrase?" switches to the recovery key; a new passphrase is then
chosen, and set on the vault when it opens (app/unlock.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.unlock import VaultSecret

from .secret_fields import SecretFields


def remember_checkbox(parent: QWidget) -> tuple[QCheckBox, QLabel]:
    """The "Remember on this computer" box (unticked) and what it means; the wizard uses it too.

    Unticked by default: a key kept for this computer (app/device_key.py) lets anything
    that runs in the session once read the vault (docs/THREATS.md), so remembering is a
    choice, not a default.
    """
    translate = QCoreApplication.translate
    box = QCheckBox(translate("RememberKey", "&Remember on this computer"), parent)
    box.setChecked(False)
    box.setAccessibleName(translate("RememberKey", "Remember the vault key on this computer"))
    note = QLabel(
        translate(
            "RememberKey",
            "Coffre then opens by itself when you log in: a key for this computer is kept in "
            "its keyring, protected by your session password, and any program you run in your "
            "session could use it to read the vault, until you forget this computer (Coffre "
            "menu) or change the passphrase. Tick only on a computer that you alone use.",
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
        self.fields = SecretFields(parent=self)
        self.edit = self.fields.passphrase
        self.label.setBuddy(self.edit)
        layout.addWidget(self.fields)
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
        self.fields.changed.connect(self._fields_changed)
        self._fields_changed()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.fields, self.remember)
        QWidget.setTabOrder(self.remember, self.buttons)
        self.edit.setFocus()

    def _fields_changed(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.fields.is_complete())

    def passphrase(self) -> str:
        return self.edit.text()

    def secret(self) -> VaultSecret:
        """The passphrase, or the recovery key with the new passphrase."""
        return self.fields.secret()

    def remember_key(self) -> bool:
        return self.remember.isChecked()
