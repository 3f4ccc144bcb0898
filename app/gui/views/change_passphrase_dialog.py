"""Changing a vault's passphrase from the app: the current one (or the recovery key), then
the new one, typed twice and as strong as the wizard asks.

The change itself is `app.session.change_folder_passphrase`, the same as `coffre
passphrase change`: new key slots, a higher header epoch, the old slots removed (and,
for a shared format-2 vault, a new root and key epoch the old passphrase cannot open).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app import device_key
from app.folders import Binding
from app.gui.async_runner import shared_runner
from app.session import change_folder_passphrase, store_for
from app.vault_epochs import StaleVaultHeader
from crypto.errors import WrongPassphrase

from .secret_fields import SecretFields


async def _change(binding: Binding, fields: SecretFields) -> Any:
    form = fields.form
    unlocked = await change_folder_passphrase(
        binding, form.opening_secret(), form.new_passphrase, new_recovery_key=False
    )
    store = store_for(binding.store)
    try:  # this computer, if remembered, keeps opening by itself; the others ask once
        await device_key.keep_if_remembered(store, binding, unlocked)
        return unlocked
    finally:
        await store.close()


class ChangePassphraseDialog(QDialog):
    def __init__(self, binding: Binding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binding = binding
        self.setWindowTitle(self.tr("Change the passphrase"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "The new passphrase replaces the current one for the vault that {folder} is "
                "synced with, on every computer: type the new one on the others when they ask. "
                "The recovery key stays the same."
            ).format(folder=binding.folder),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fields = SecretFields(choosing=True, parent=self)
        self.fields.passphrase_label.setText(self.tr("&Current passphrase:"))
        self.fields.passphrase.setAccessibleName(self.tr("Current passphrase"))
        layout.addWidget(self.fields)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Changing the passphrase"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.done_label = QLabel(self)
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        layout.addWidget(self.done_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("C&hange the passphrase"))
        self.ok.setAccessibleName(self.tr("Change the passphrase"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            self.tr("Cancel")
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.running = False
        self.changed = False
        self.fields.changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(not self.running and self.fields.is_complete())

    def start(self) -> None:
        if self.changed:
            self.accept()
            return
        if self.running or not self.fields.is_complete():
            return
        self.running = True
        self.progress.show()
        self.fields.setEnabled(False)
        self._update()
        shared_runner().submit(
            _change(self.binding, self.fields), self._succeeded, self._failed, owner=self
        )

    def _succeeded(self, _result: Any) -> None:
        self.running, self.changed = False, True
        self.progress.hide()
        self.done_label.setText(
            self.tr(
                "The passphrase was changed. The old one no longer opens the vault; type the "
                "new one on your other computers when they ask for it."
            )
        )
        self.done_label.show()
        self.ok.setText(self.tr("Close"))
        self.ok.setAccessibleName(self.tr("Close"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self._update()
        self.ok.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.progress.hide()
        self.fields.setEnabled(True)
        if isinstance(exc, WrongPassphrase):
            text = (
                self.tr("This recovery key does not open the vault.")
                if self.fields.form.recovering
                else self.tr("The current passphrase is wrong. Nothing was changed.")
            )
        elif isinstance(exc, StaleVaultHeader):
            text = self.tr(
                "The storage served an old version of the vault's header. Nothing was "
                "changed: tell your IT department."
            )
        else:
            text = self.tr("The passphrase could not be changed; nothing was changed.")
            text += "\n" + self.tr("Details: {why}").format(why=str(exc) or type(exc).__name__)
        self.fields.show_error(text)
        self._update()
