"""The fields that open a vault: the passphrase, or the recovery key and a new passphrase.

One widget for the unlock dialog, the setup wizard's join page and the change
dialog, so "Forgot your passphrase?" behaves the same everywhere. The rules
live in `app.passphrase_form.PassphraseForm`; this widget only shows them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.passphrase_form import (
    KEY_INVALID,
    KEY_REQUIRED,
    MISMATCH,
    PASSPHRASE_REQUIRED,
    WEAK,
    PassphraseForm,
)
from app.unlock import VaultSecret

from ..widgets import StrengthMeter


def _password_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


class SecretFields(QWidget):
    """Passphrase or recovery key; `changed` after every keystroke."""

    changed = Signal()

    def __init__(self, *, choosing: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = PassphraseForm(choosing=choosing)
        self.passphrase = _password_edit(self, self.tr("Passphrase"))
        self.recovery_key = QLineEdit(self)
        self.recovery_key.setAccessibleName(self.tr("Recovery key"))
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new_passphrase = _password_edit(self, self.tr("New passphrase"))
        self.new_again = _password_edit(self, self.tr("New passphrase, again"))
        self.meter = StrengthMeter(self)
        self.forgot = QPushButton(self.tr("Forgot your passphrase?"), self)
        self.forgot.setFlat(True)
        self.forgot.setCursor(Qt.CursorShape.PointingHandCursor)
        self.forgot.setAccessibleName(self.tr("Forgot your passphrase? Use the recovery key"))
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setAccessibleName(self.tr("What to fix"))

        form = QFormLayout()
        self.passphrase_label = QLabel(self.tr("&Passphrase:"), self)
        self.passphrase_label.setBuddy(self.passphrase)
        form.addRow(self.passphrase_label, self.passphrase)
        self.key_label = QLabel(self.tr("&Recovery key:"), self)
        self.key_label.setBuddy(self.recovery_key)
        form.addRow(self.key_label, self.recovery_key)
        self.new_label = QLabel(self.tr("&New passphrase:"), self)
        self.new_label.setBuddy(self.new_passphrase)
        form.addRow(self.new_label, self.new_passphrase)
        self.again_label = QLabel(self.tr("Type it &again:"), self)
        self.again_label.setBuddy(self.new_again)
        form.addRow(self.again_label, self.new_again)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.meter)
        layout.addWidget(self.forgot, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problem)

        for edit in (self.passphrase, self.recovery_key, self.new_passphrase, self.new_again):
            edit.textChanged.connect(self._edited)
        self.forgot.clicked.connect(lambda: self.set_recovering(not self.form.recovering))
        self.set_recovering(False)

    def set_recovering(self, recovering: bool) -> None:
        """Switch between the passphrase and the recovery key (with a new passphrase)."""
        self.form.recovering = recovering
        for widget in (self.passphrase_label, self.passphrase):
            widget.setVisible(not recovering)
        for widget in (self.key_label, self.recovery_key):
            widget.setVisible(recovering)
        choosing = self.form.needs_new_passphrase
        for widget in (self.new_label, self.new_passphrase, self.again_label, self.new_again):
            widget.setVisible(choosing)
        self.meter.setVisible(choosing)
        if recovering:
            self.forgot.setText(self.tr("Use the passphrase instead"))
            self.forgot.setAccessibleName(self.tr("Use the passphrase instead"))
            self.explain.setText(
                self.tr(
                    "Type the recovery key you wrote down when the vault was created, then "
                    "choose a new passphrase. The forgotten passphrase stops working on every "
                    "computer; type the new one there."
                )
            )
            self.explain.show()
            self.recovery_key.setFocus()
        else:
            self.forgot.setText(self.tr("Forgot your passphrase?"))
            self.forgot.setAccessibleName(self.tr("Forgot your passphrase? Use the recovery key"))
            self.explain.hide()
            self.passphrase.setFocus()
        self._edited()

    def _edited(self) -> None:
        form = self.form
        form.passphrase = self.passphrase.text()
        form.recovery_key = self.recovery_key.text()
        form.new_passphrase = self.new_passphrase.text()
        form.new_again = self.new_again.text()
        if form.needs_new_passphrase:
            self.meter.update_for(form.new_passphrase)
        code = form.problem()
        quiet = code in (PASSPHRASE_REQUIRED, KEY_REQUIRED) or (
            code == MISMATCH and not form.new_again
        )
        self.problem.setText("" if quiet else self.problem_text(code))
        self.changed.emit()

    def problem_text(self, code: str) -> str:
        return {
            KEY_REQUIRED: self.tr("Type the recovery key."),
            KEY_INVALID: self.tr(
                "This recovery key contains a typo or is incomplete: it has 32 characters in "
                "8 groups of 4. Compare it with the printed key."
            ),
            PASSPHRASE_REQUIRED: self.tr("Type the passphrase."),
            WEAK: self.tr("This new passphrase is too easy to guess: see the advice above."),
            MISMATCH: self.tr("The two new passphrases are different."),
        }.get(code, "")

    def show_error(self, text: str) -> None:
        self.problem.setText(text)

    def is_complete(self) -> bool:
        return self.form.problem() == ""

    def secret(self) -> VaultSecret:
        return self.form.secret()
