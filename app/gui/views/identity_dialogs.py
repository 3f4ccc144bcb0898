""" "My identity" and "Verify a colleague…": thin views over `app.identity_model`.

"My identity" creates this computer's identity when there is none (the name
prefilled from the account; a passphrase only when no keyring can keep the
keys), then shows the name, the fingerprint large, and the identity card with
Copy and Save… for a mail. "Verify a colleague…" reads a pasted card or a file
and shows the safety number, large, with how to compare it by phone or in
person. Both are in the Coffre menu (`install_identity_menu`), above Settings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.async_runner import shared_runner
from app.gui.i18n import describe_error
from app.identity_model import (
    CARD_ALTERED,
    CARD_REQUIRED,
    CARD_UNREADABLE,
    IDENTITY_DAMAGED,
    NAME_INVALID,
    NAME_REQUIRED,
    NO_IDENTITY,
    NOT_A_CARD,
    OWN_CARD,
    CheckedCard,
    ColleagueCard,
    MyIdentity,
    PassphraseNeeded,
    Step,
)
from app.identity_store import IdentityError, IdentityExists, StoredIdentity
from app.passphrase_form import MISMATCH, PASSPHRASE_REQUIRED, WEAK

from ..widgets import StrengthMeter

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #b00020;"


def big_number_label(parent: QWidget) -> QLabel:
    """A label for a fingerprint or safety number: large, fixed-width, selectable."""
    label = QLabel(parent)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.8)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class _Message(QLabel):
    """A wrapped line that takes no room while it has nothing to say (problems, outcomes)."""

    def __init__(self, parent: QWidget, style: str = "") -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


def _password_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


async def _create(model: MyIdentity) -> Any:
    """Off the GUI thread: the keyring (D-Bus) or Argon2id may take a moment."""
    return await asyncio.to_thread(model.create)


class MyIdentityDialog(QDialog):
    """This computer's identity: created here if needed, then shown with its card."""

    def __init__(self, parent: QWidget | None = None, model: MyIdentity | None = None) -> None:
        super().__init__(parent)
        self.model = model or MyIdentity()
        self.setWindowTitle(self.tr("My identity"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.creating = False
        self.file_dialog: QFileDialog | None = None

        # --- creating -----------------------------------------------------------------------
        self.create_page = QWidget(self)
        create = QVBoxLayout(self.create_page)
        create.setContentsMargins(0, 0, 0, 0)
        create.addWidget(
            _wrapped(
                self.tr(
                    "To share folders with colleagues, you need an identity: keys that "
                    "prove who you are. Coffre creates them on this computer; your colleagues "
                    "receive your identity card, never your private keys."
                ),
                self.create_page,
            )
        )
        form = QFormLayout()
        self.name_edit = QLineEdit(self.create_page)
        self.name_edit.setAccessibleName(self.tr("Your name"))
        name_label = QLabel(self.tr("Your &name:"), self.create_page)
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_edit)
        create.addLayout(form)
        create.addWidget(
            _wrapped(
                self.tr("Your colleagues will see this name. Your first and last name is best."),
                self.create_page,
            )
        )
        self.passphrase_box = QWidget(self.create_page)
        box = QVBoxLayout(self.passphrase_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(
            _wrapped(
                self.tr(
                    "This computer has no system keyring that can keep your private keys. "
                    "Coffre keeps them in a file protected by a passphrase instead: choose "
                    "one, and keep it as carefully as your vault's passphrase."
                ),
                self.passphrase_box,
            )
        )
        secret_form = QFormLayout()
        self.new_passphrase = _password_edit(self.passphrase_box, self.tr("Passphrase"))
        self.new_again = _password_edit(self.passphrase_box, self.tr("Passphrase, again"))
        new_label = QLabel(self.tr("&Passphrase:"), self.passphrase_box)
        new_label.setBuddy(self.new_passphrase)
        again_label = QLabel(self.tr("Type it &again:"), self.passphrase_box)
        again_label.setBuddy(self.new_again)
        secret_form.addRow(new_label, self.new_passphrase)
        secret_form.addRow(again_label, self.new_again)
        box.addLayout(secret_form)
        self.meter = StrengthMeter(self.passphrase_box)
        box.addWidget(self.meter)
        create.addWidget(self.passphrase_box)
        self.create_problem = _Message(self.create_page, ERROR_STYLE)
        create.addWidget(self.create_problem)
        self.progress = QProgressBar(self.create_page)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Creating your identity"))
        self.progress.hide()
        create.addWidget(self.progress)
        self.create_button = QPushButton(self.tr("C&reate my identity"), self.create_page)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.start_create)
        create.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.create_page)

        # --- showing ------------------------------------------------------------------------
        self.show_page = QWidget(self)
        shown = QVBoxLayout(self.show_page)
        shown.setContentsMargins(0, 0, 0, 0)
        self.name_label = QLabel(self.show_page)
        name_font = self.name_label.font()
        name_font.setPointSizeF(name_font.pointSizeF() * 1.3)
        name_font.setBold(True)
        self.name_label.setFont(name_font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.addWidget(self.name_label)
        shown.addWidget(QLabel(self.tr("Your fingerprint:"), self.show_page))
        self.fingerprint = big_number_label(self.show_page)
        shown.addWidget(self.fingerprint)
        self.kept_label = _wrapped("", self.show_page)
        shown.addWidget(self.kept_label)
        card_label = QLabel(self.tr("Your identity &card:"), self.show_page)
        self.card_view = QPlainTextEdit(self.show_page)
        self.card_view.setReadOnly(True)
        self.card_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.card_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.card_view.setAccessibleName(self.tr("Your identity card"))
        self.card_view.setMaximumHeight(140)
        card_label.setBuddy(self.card_view)
        shown.addWidget(card_label)
        shown.addWidget(self.card_view)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("&Copy"), self.show_page)
        self.copy_button.setAccessibleName(self.tr("Copy the identity card"))
        self.copy_button.clicked.connect(self.copy_card)
        self.save_button = QPushButton(self.tr("&Save…"), self.show_page)
        self.save_button.setAccessibleName(self.tr("Save the identity card to a file"))
        self.save_button.clicked.connect(self.ask_save_path)
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        shown.addLayout(row)
        self.card_status = _Message(self.show_page)
        shown.addWidget(self.card_status)
        shown.addWidget(
            _wrapped(
                self.tr(
                    "Send this card by mail to the colleagues who will share folders with "
                    "you (paste it, or attach the saved file). It holds no secret. Then "
                    "compare the safety number Coffre shows each of you, by phone or in "
                    "person: that is what proves the card is really yours."
                ),
                self.show_page,
            )
        )
        layout.addWidget(self.show_page)

        # --- a damaged identity ---------------------------------------------------------------
        self.damaged = _wrapped("", self)
        self.damaged.setStyleSheet(ERROR_STYLE)
        self.damaged.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.damaged)

        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        layout.addWidget(self.buttons)

        for edit in (self.name_edit, self.new_passphrase, self.new_again):
            edit.textChanged.connect(self._edited)
        self.model.load()
        self.name_edit.setText(self.model.name)
        self._show_step()

    def show_identity(self, stored: StoredIdentity) -> None:
        """Show `stored` as this computer's identity (the screenshots' sample person)."""
        self.model.stored, self.model.step = stored, Step.SHOW
        self._show_step()

    # --- the steps ----------------------------------------------------------------------------

    def _show_step(self) -> None:
        step = self.model.step
        self.create_page.setVisible(step is Step.CREATE)
        self.show_page.setVisible(step is Step.SHOW)
        self.damaged.setVisible(step is Step.DAMAGED)
        self.passphrase_box.setVisible(self.model.needs_passphrase)
        if step is Step.SHOW:
            self._fill_shown()
        elif step is Step.DAMAGED:
            log.warning("the identity cannot be shown: %s", self.model.damage)
            self.damaged.setText(
                self.tr(
                    "The identity kept on this computer ({path}) cannot be read, so it is not "
                    "shown. Nothing was changed; tell your IT department."
                ).format(path=self.model.record_path)
            )
        self._edited()

    def _fill_shown(self) -> None:
        model = self.model
        self.name_label.setText(model.stored.name if model.stored else "")
        groups = model.fingerprint_groups
        self.fingerprint.setText("  ".join(groups))
        self.fingerprint.setAccessibleName(
            self.tr("Your fingerprint: {groups}").format(groups=", ".join(groups))
        )
        self.kept_label.setText(
            self.tr("Your private keys are kept in this computer's system keyring.")
            if model.kept_in_keyring
            else self.tr(
                "Your private keys are kept on this computer in a file protected by your "
                "passphrase."
            )
        )
        self.card_view.setPlainText(model.card)

    def _edited(self) -> None:
        model = self.model
        model.name = self.name_edit.text()
        model.passphrase.new_passphrase = self.new_passphrase.text()
        model.passphrase.new_again = self.new_again.text()
        if model.needs_passphrase:
            self.meter.update_for(model.passphrase.new_passphrase)
        code = model.problem()
        quiet = code in (PASSPHRASE_REQUIRED, NAME_REQUIRED) or (
            code == MISMATCH and not model.passphrase.new_again
        )
        if not self.creating:
            self.create_problem.setText("" if quiet else self.problem_text(code))
        self.create_button.setEnabled(not self.creating and not code)

    def problem_text(self, code: str) -> str:
        return {
            NAME_REQUIRED: self.tr("Type your name."),
            NAME_INVALID: self.tr(
                "This name cannot be used: it is too long or holds a line break or a tab. "
                "Type your first and last name on one line."
            ),
            PASSPHRASE_REQUIRED: self.tr("Choose a passphrase."),
            WEAK: self.tr("This passphrase is too easy to guess: see the advice above."),
            MISMATCH: self.tr("The two passphrases are different."),
        }.get(code, "")

    # --- creating -----------------------------------------------------------------------------

    def start_create(self) -> None:
        if self.creating or self.model.problem():
            return
        self.creating = True
        self.progress.show()
        self.create_problem.setText("")
        self.create_page.setEnabled(False)
        shared_runner().submit(_create(self.model), self._created, self._create_failed, owner=self)

    def _stop_creating(self) -> None:
        self.creating = False
        self.progress.hide()
        self.create_page.setEnabled(True)

    def _created(self, _stored: Any) -> None:
        self._stop_creating()
        self.new_passphrase.clear()
        self.new_again.clear()
        self._show_step()
        self.copy_button.setFocus()

    def _create_failed(self, exc: BaseException) -> None:
        self._stop_creating()
        if isinstance(exc, PassphraseNeeded):
            self._show_step()  # the passphrase fields appear
            self.new_passphrase.setFocus()
            return
        if isinstance(exc, IdentityExists):  # created meanwhile (the command line): show it
            self.model.load()
            self._show_step()
            return
        self._edited()  # before the message: it words the form's own problems only
        text = self.tr("Your identity could not be created; nothing was changed.")
        why = str(exc) if isinstance(exc, IdentityError) else describe_error(exc)
        self.create_problem.setText(text + "\n" + self.tr("Details: {why}").format(why=why))

    # --- the card -----------------------------------------------------------------------------

    def copy_card(self) -> None:
        QGuiApplication.clipboard().setText(self.model.card)
        self.card_status.setStyleSheet("")
        self.card_status.setText(
            self.tr("Your card is copied: paste it into a mail to your colleagues.")
        )

    def ask_save_path(self) -> QFileDialog:
        """A file dialog (window-modal) for where to save the card; saved when one is chosen."""
        name = self.model.card_file_name(self.tr("coffre-card"))
        dialog = QFileDialog(self, self.tr("Save your identity card"), str(Path.home() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Text files (*.txt)"))
        dialog.setDefaultSuffix("txt")
        dialog.fileSelected.connect(lambda path: self.save_card(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save_card(self, path: Path) -> None:
        try:
            self.model.save_card(path)
        except OSError as exc:
            self.card_status.setStyleSheet(ERROR_STYLE)
            self.card_status.setText(
                self.tr("The card could not be saved in {path}: {why}").format(
                    path=path, why=exc.strerror or type(exc).__name__
                )
            )
            return
        self.card_status.setStyleSheet("")
        self.card_status.setText(
            self.tr("Your card is saved in {path}: attach this file to a mail.").format(path=path)
        )


class VerifyColleagueDialog(QDialog):
    """A colleague's card, pasted or from a file, and the safety number to compare."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ColleagueCard()
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("Verify a colleague"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Paste the identity card your colleague sent you, or choose the file "
                    "they attached to their mail. Coffre checks it and shows the safety "
                    "number you will compare with them."
                ),
                self,
            )
        )
        card_label = QLabel(self.tr("Your colleague's &card:"), self)
        self.card_edit = QPlainTextEdit(self)
        self.card_edit.setAccessibleName(self.tr("Your colleague's identity card"))
        self.card_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.card_edit.setTabChangesFocus(True)
        self.card_edit.setMaximumHeight(140)
        self.card_edit.setPlaceholderText("Coffre identity card v1 …")
        card_label.setBuddy(self.card_edit)
        layout.addWidget(card_label)
        layout.addWidget(self.card_edit)
        row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("C&hoose a file…"), self)
        self.choose_button.setAccessibleName(self.tr("Choose the card's file"))
        self.choose_button.clicked.connect(self.ask_card_file)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.problem = _Message(self, ERROR_STYLE)
        layout.addWidget(self.problem)

        self.result_box = QWidget(self)
        shown = QVBoxLayout(self.result_box)
        shown.setContentsMargins(0, 0, 0, 0)
        self.colleague = _wrapped("", self.result_box)
        shown.addWidget(self.colleague)
        shown.addWidget(QLabel(self.tr("Safety number:"), self.result_box))
        self.number = big_number_label(self.result_box)
        shown.addWidget(self.number)
        self.how = _wrapped("", self.result_box)
        shown.addWidget(self.how)
        layout.addWidget(self.result_box)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        layout.addWidget(self.buttons)
        self.card_edit.textChanged.connect(self._pasted)
        self._show()

    def _pasted(self) -> None:
        self.model.read_text(self.card_edit.toPlainText())
        self._show()

    def ask_card_file(self) -> QFileDialog:
        return ask_card_file(self, self.load_file)

    def load_file(self, path: Path) -> None:
        code, text = self.model.read_file(path)
        if text:
            self.card_edit.blockSignals(True)
            self.card_edit.setPlainText(text)
            self.card_edit.blockSignals(False)
        self._show()
        if code == CARD_UNREADABLE:
            self.problem.setText(card_unreadable_text(self.model, path))

    def problem_text(self, code: str) -> str:
        return card_problem_text(code)

    def show_checked(self, checked: CheckedCard) -> None:
        """Show `checked` as the card just read (the screenshots' sample colleague)."""
        self.model.checked, self.model.problem = checked, ""
        self._show()

    def _show(self) -> None:
        model = self.model
        checked = model.checked
        self.result_box.setVisible(checked is not None)
        quiet = model.problem in ("", CARD_REQUIRED)
        self.problem.setText("" if quiet else self.problem_text(model.problem))
        if model.problem == CARD_ALTERED:
            log.info("a colleague's card was refused: %s", model.detail)
        if checked is None:
            self.number.clear()
            self.number.setAccessibleName(self.tr("Safety number"))
            return
        self.colleague.setText(
            self.tr("The card of <b>{name}</b> is intact. Fingerprint: {fingerprint}").format(
                name=_escaped(checked.name), fingerprint=checked.fingerprint
            )
        )
        show_safety_number(self.number, checked)
        self.how.setText(
            self.tr(
                "Call {name} or meet them; not by mail or chat, which could be the way the "
                "card was swapped. Each of you opens \u201cVerify a colleague\u201d with the "
                "other's card and reads the safety number aloud, one group at a time. If all "
                "30 digits are the same, the card really is theirs. If a single digit "
                "differs, do not use this card: ask {name} for it again, in person."
            ).format(name=checked.name)
        )


def card_problem_text(code: str) -> str:
    """What is wrong with a colleague's card (`app.identity_model`'s codes), in words.

    "Verify a colleague…" and the "Share…" dialog read cards the same way and say the same.
    """
    translate = QCoreApplication.translate
    return {
        NOT_A_CARD: translate(
            "VerifyColleagueDialog",
            "This is not a Coffre identity card: a card starts with the line "
            "\u201cCoffre identity card v1\u201d. Ask your colleague for the text Coffre "
            "shows under \u201cMy identity\u201d, or the file it saves.",
        ),
        CARD_ALTERED: translate(
            "VerifyColleagueDialog",
            "This card was altered or damaged on the way: what it says does not match its "
            "signature, so it cannot be used. Ask your colleague to send it again, "
            "unchanged (the saved file, attached to a mail, is safest).",
        ),
        CARD_UNREADABLE: translate(
            "VerifyColleagueDialog", "The file {path} cannot be read: {why}"
        ),
        OWN_CARD: translate(
            "VerifyColleagueDialog",
            "This is your own identity card. Paste the card your colleague sent you.",
        ),
        NO_IDENTITY: translate(
            "VerifyColleagueDialog",
            "You have no identity on this computer yet: the safety number is made from "
            "both cards. Create yours first with \u201cMy identity\u201d in the Coffre menu.",
        ),
        IDENTITY_DAMAGED: translate(
            "VerifyColleagueDialog",
            "The identity kept on this computer cannot be read: open \u201cMy "
            "identity\u201d in the Coffre menu to see which file is damaged.",
        ),
    }.get(code, "")


def ask_card_file(parent: QWidget, chosen: Callable[[Path], None]) -> QFileDialog:
    """A file dialog (window-modal) for a colleague's card; `chosen(path)` when one is picked.

    Kept as `parent.file_dialog` while open ("Verify a colleague…" and "Share…" use it).
    """
    translate = QCoreApplication.translate
    dialog = QFileDialog(
        parent, translate("VerifyColleagueDialog", "Choose your colleague's card"), str(Path.home())
    )
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters(
        [
            translate("VerifyColleagueDialog", "Text files (*.txt)"),
            translate("VerifyColleagueDialog", "All files (*)"),
        ]
    )
    dialog.fileSelected.connect(lambda path: chosen(Path(path)))
    dialog.finished.connect(dialog.deleteLater)
    dialog.finished.connect(lambda _r: setattr(parent, "file_dialog", None))
    parent.file_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def card_unreadable_text(card: ColleagueCard, path: Path) -> str:
    """Why the card's file at `path` could not be read (the OS's reason when it gave one)."""
    error = card.error
    why = (error.strerror if isinstance(error, OSError) else None) or card.detail
    return card_problem_text(CARD_UNREADABLE).format(path=path, why=why)


def show_safety_number(label: QLabel, checked: CheckedCard) -> None:
    """The safety number in `label` (a `big_number_label`): two lines of three groups."""
    groups = checked.number_groups
    label.setText("  ".join(groups[:3]) + "\n" + "  ".join(groups[3:]))
    label.setAccessibleName(
        QCoreApplication.translate("VerifyColleagueDialog", "Safety number: {groups}").format(
            groups=", ".join(groups)
        )
    )


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class IdentityMenu:
    """The Coffre menu's identity entries, and the dialog each opened last."""

    def __init__(self, window: QMainWindow) -> None:
        translate = QCoreApplication.translate
        self.window = window
        self.my_identity_dialog: MyIdentityDialog | None = None
        self.verify_dialog: VerifyColleagueDialog | None = None
        self.my_identity = QAction(translate("IdentityMenu", "My &identity"), window)
        self.my_identity.triggered.connect(self.open_my_identity)
        self.verify = QAction(translate("IdentityMenu", "&Verify a colleague…"), window)
        self.verify.triggered.connect(self.open_verify)
        menu = window.coffre_menu  # type: ignore[attr-defined]
        before = window.settings_action  # type: ignore[attr-defined]
        menu.insertAction(before, self.my_identity)
        menu.insertAction(before, self.verify)
        menu.insertSeparator(before)

    def open_my_identity(self) -> MyIdentityDialog:
        dialog = MyIdentityDialog(self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "my_identity_dialog", None))
        self.my_identity_dialog = dialog
        dialog.open()
        return dialog

    def open_verify(self) -> VerifyColleagueDialog:
        dialog = VerifyColleagueDialog(self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "verify_dialog", None))
        self.verify_dialog = dialog
        dialog.open()
        return dialog


def install_identity_menu(window: QMainWindow) -> IdentityMenu:
    """Add "My identity" and "Verify a colleague…" to the Coffre menu, above Settings."""
    return IdentityMenu(window)
