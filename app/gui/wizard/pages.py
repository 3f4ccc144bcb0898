"""The setup wizard's pages: thin widgets over `SetupModel`.

Each page copies its fields into the model, asks the model what is valid,
and shows the answer in words. Slow work (the connection test, creating or
joining the vault) runs on the shared async runner; the page shows progress
and the window stays responsive.
"""

from __future__ import annotations

import enum
import itertools
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QCommandLinkButton,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.gui.async_runner import shared_runner
from app.gui.views.passphrase_dialog import remember_checkbox
from app.gui.views.secret_fields import SecretFields
from app.gui.widgets import PathPicker, StrengthMeter
from app.gui.wizard.recovery_sheet import SheetFacts, print_sheet, save_pdf
from app.setup_model import (
    FormError,
    Mode,
    SetupModel,
    StoreKind,
    check_local_folder,
    recovery_confirmed,
)
from app.store_address import shown_address
from crypto.errors import WrongPassphrase
from crypto.reason import reason_of
from sync_engine.stores.url import redact

from .messages import SetupMessages


class PageId(enum.IntEnum):
    WELCOME = 0
    STORE = 1
    CONNECTION = 2
    PASSPHRASE = 3
    FOLDER = 4
    SUMMARY = 5
    RECOVERY = 6
    DONE = 7


def _paragraph(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _status_label(parent: QWidget) -> QLabel:
    """A label for problems and results; screen readers hear it by its accessible name."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _detail_label(parent: QWidget) -> QLabel:
    label = _status_label(parent)
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    label.setFont(font)
    label.setStyleSheet("color: palette(mid);")
    return label


def _set_error(label: QLabel, text: str) -> None:
    label.setStyleSheet("color: #b03a2e;" if text else "")
    label.setText(text)
    label.setAccessibleName(text)


def _form_row(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
    """A labelled row: the label is the field's buddy and its accessible name."""
    label = QLabel(text, form.parentWidget())
    label.setBuddy(widget)
    widget.setAccessibleName(text.rstrip(" :"))
    form.addRow(label, widget)
    return label


class SetupPage(QWizardPage):
    """Base: the shared model; `busy` asks the wizard to hold its buttons while work runs."""

    busy = Signal(bool)

    def __init__(self, model: SetupModel) -> None:
        super().__init__()
        self.model = model
        self.messages = SetupMessages(self)


class WelcomePage(SetupPage):
    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Welcome to Coffre"))
        self.setSubTitle(
            self.tr(
                "Coffre keeps a folder in sync between your computers. Your files are encrypted "
                "on this computer before they are sent: the storage only sees unreadable data."
            )
        )
        self.chosen = False
        self.default_button = QCommandLinkButton(self.tr("Use the default (recommended)"), self)
        self.default_button.setDescription(
            self.tr(
                "Start right away: a new vault on this computer and a synchronised folder in "
                "your personal folder. You can add a shared storage later."
            )
        )
        self.default_button.setAccessibleName(self.tr("Use the default"))
        self.create_button = QCommandLinkButton(
            self.tr("Create a vault on a storage of my choice"), self
        )
        self.create_button.setDescription(
            self.tr("A network share, S3-compatible object storage or a WebDAV server.")
        )
        self.create_button.setAccessibleName(self.tr("Create a vault on a storage of my choice"))
        self.join_button = QCommandLinkButton(self.tr("Join an existing vault"), self)
        self.join_button.setDescription(
            self.tr("The vault already exists (for example on your other computer).")
        )
        self.join_button.setAccessibleName(self.tr("Join an existing vault"))
        layout = QVBoxLayout(self)
        for button in (self.default_button, self.create_button, self.join_button):
            layout.addWidget(button)
        layout.addStretch(1)
        self.default_button.clicked.connect(lambda: self.pick(Mode.DEFAULT))
        self.create_button.clicked.connect(lambda: self.pick(Mode.CREATE))
        self.join_button.clicked.connect(lambda: self.pick(Mode.JOIN))

    def initializePage(self) -> None:
        # The organisation's policy names the store: no choice to make here.
        self.create_button.setVisible(not self.model.managed)
        self.join_button.setVisible(not self.model.managed)
        self.default_button.setFocus()

    def pick(self, mode: Mode) -> None:
        self.model.choose(mode)
        self.chosen = True
        self.completeChanged.emit()
        self.wizard().next()

    def isComplete(self) -> bool:
        return self.chosen

    def nextId(self) -> int:
        if self.model.managed:
            return int(PageId.CONNECTION)
        return int(PageId.PASSPHRASE if self.model.mode is Mode.DEFAULT else PageId.STORE)


class StorePage(SetupPage):
    """Where the vault lives: a folder or share, S3-compatible storage, or WebDAV."""

    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Where is the vault stored?"))
        self.setSubTitle(
            self.tr(
                "Choose the storage your organisation gave you. Coffre only stores encrypted "
                "data there."
            )
        )
        self.kind_group = QButtonGroup(self)
        self.folder_radio = QRadioButton(self.tr("A folder or a network share"), self)
        self.s3_radio = QRadioButton(self.tr("S3-compatible object storage"), self)
        self.webdav_radio = QRadioButton(self.tr("A WebDAV server"), self)
        self.radios = {
            StoreKind.FOLDER: self.folder_radio,
            StoreKind.S3: self.s3_radio,
            StoreKind.WEBDAV: self.webdav_radio,
        }
        for kind, radio in self.radios.items():
            self.kind_group.addButton(radio, list(StoreKind).index(kind))
        self.stack = QStackedWidget(self)

        for page in (self._folder_form(), self._s3_form(), self._webdav_form()):
            self.stack.addWidget(page)
        self.secrets_note = _paragraph(
            self.tr("Keys and passwords are kept in your system's keyring, never in a file."), self
        )
        self.error = _status_label(self)

        layout = QVBoxLayout(self)
        for radio in self.radios.values():
            layout.addWidget(radio)
        layout.addWidget(self.stack)
        layout.addWidget(self.secrets_note)
        layout.addWidget(self.error)
        layout.addStretch(1)

        self.fields: dict[str, QLineEdit] = {
            "folder": self.folder_picker.edit,
            "s3_endpoint": self.s3_endpoint,
            "s3_bucket": self.s3_bucket,
            "s3_prefix": self.s3_prefix,
            "s3_region": self.s3_region,
            "s3_access_key": self.s3_access_key,
            "s3_secret_key": self.s3_secret_key,
            "webdav_url": self.webdav_url,
            "webdav_user": self.webdav_user,
            "webdav_password": self.webdav_password,
        }
        self._loading = False
        for edit in self.fields.values():
            edit.textChanged.connect(self._fields_changed)
        self.kind_group.idToggled.connect(self._kind_toggled)

    def _folder_form(self) -> QWidget:
        """A folder or a network share: one path."""
        folder_page = QWidget(self.stack)
        folder_form = QFormLayout(folder_page)
        self.folder_picker = PathPicker(self.tr("Storage folder"), folder_page)
        _form_row(folder_form, self.tr("Storage folder:"), self.folder_picker)
        self.folder_picker.edit.setAccessibleName(self.tr("Storage folder"))
        folder_form.addRow(
            _paragraph(
                self.tr(
                    "For a network share (SMB or NFS), mount it first, then choose the mounted "
                    "folder."
                ),
                folder_page,
            )
        )
        return folder_page

    def _s3_form(self) -> QWidget:
        """S3-compatible storage: endpoint, bucket, prefix, region and the key pair."""
        s3_page = QWidget(self.stack)
        s3_form = QFormLayout(s3_page)
        self.s3_endpoint = QLineEdit(s3_page)
        self.s3_endpoint.setPlaceholderText("https://s3.example.org")
        self.s3_bucket = QLineEdit(s3_page)
        self.s3_prefix = QLineEdit(s3_page)
        self.s3_prefix.setPlaceholderText(self.tr("optional"))
        self.s3_region = QLineEdit(s3_page)
        self.s3_region.setPlaceholderText(self.tr("optional"))
        self.s3_access_key = QLineEdit(s3_page)
        self.s3_secret_key = QLineEdit(s3_page)
        self.s3_secret_key.setEchoMode(QLineEdit.EchoMode.Password)
        _form_row(s3_form, self.tr("Endpoint:"), self.s3_endpoint)
        _form_row(s3_form, self.tr("Bucket:"), self.s3_bucket)
        _form_row(s3_form, self.tr("Prefix:"), self.s3_prefix)
        _form_row(s3_form, self.tr("Region:"), self.s3_region)
        _form_row(s3_form, self.tr("Access key:"), self.s3_access_key)
        _form_row(s3_form, self.tr("Secret key:"), self.s3_secret_key)
        return s3_page

    def _webdav_form(self) -> QWidget:
        """A WebDAV server: its address, a user name and a password."""
        webdav_page = QWidget(self.stack)
        webdav_form = QFormLayout(webdav_page)
        self.webdav_url = QLineEdit(webdav_page)
        self.webdav_url.setPlaceholderText(
            "https://cloud.example.org/remote.php/dav/files/me/coffre"
        )
        self.webdav_user = QLineEdit(webdav_page)
        self.webdav_password = QLineEdit(webdav_page)
        self.webdav_password.setEchoMode(QLineEdit.EchoMode.Password)
        _form_row(webdav_form, self.tr("Address:"), self.webdav_url)
        _form_row(webdav_form, self.tr("User name:"), self.webdav_user)
        _form_row(webdav_form, self.tr("Password:"), self.webdav_password)
        return webdav_page

    def initializePage(self) -> None:
        form = self.model.store
        self._loading = True  # setting one field must not write the others' old text back
        for name, edit in self.fields.items():
            edit.setText(getattr(form, name))
        self._loading = False
        self.radios[form.kind].setChecked(True)
        self.stack.setCurrentIndex(list(StoreKind).index(form.kind))
        _set_error(self.error, "")

    def _kind_toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.model.store.kind = list(StoreKind)[index]
            self.stack.setCurrentIndex(index)
            self.secrets_note.setVisible(self.model.store.kind is not StoreKind.FOLDER)
            _set_error(self.error, "")
            self.completeChanged.emit()

    def _fields_changed(self) -> None:
        if self._loading:
            return
        for name, edit in self.fields.items():
            setattr(
                self.model.store,
                name,
                edit.text() if "password" in name or "secret" in name else edit.text().strip(),
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        try:
            self.model.store.spec()
        except FormError as exc:
            return exc.code != "required"
        return True

    def validatePage(self) -> bool:
        try:
            self.model.store.spec()
        except FormError as exc:
            _set_error(self.error, self.messages.field_problem(exc.code))
            edit = self.fields.get(exc.field)
            if edit is not None:
                edit.setFocus()
            return False
        return True

    def nextId(self) -> int:
        return int(PageId.CONNECTION)


class ConnectionPage(SetupPage):
    """Tests the store before anything is written, and says clearly what is wrong."""

    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Connection test"))
        self.setSubTitle(self.tr("Coffre checks that it can reach the storage."))
        self.address = _status_label(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Testing the connection"))
        self.result = _status_label(self)
        self.detail = _detail_label(self)
        self.retry = QPushButton(self.tr("Test again"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.address)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.detail)
        self._add_credentials_box(layout)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retry.clicked.connect(self.start_test)
        self.testing = False
        self.last_problem = ""

    def initializePage(self) -> None:
        self.address.setText(
            self.tr("Storage: %1").replace("%1", shown_address(self.model.store.address()))
        )
        self.start_test()

    def start_test(self) -> None:
        if self.testing:
            return
        self.testing = True
        self.model.connection_ok_for = None
        self.progress.show()
        self.retry.setEnabled(False)
        _set_error(self.result, "")
        self.result.setText(self.tr("Testing the connection…"))
        self.detail.setText("")
        address = self.model.store.address()
        shared_runner().submit(
            self.model.check_connection(),
            lambda check: self._tested(address, check),
            self._failed,
            owner=self,
        )
        self.completeChanged.emit()

    def _tested(self, address: str, check: Any) -> None:
        self.testing = False
        self.progress.hide()
        self.retry.setEnabled(True)
        if check.ok:
            self.last_problem = ""
            self.model.connection_ok_for = address
            self.result.setStyleSheet("color: #1e8449;")
            self.result.setText(self.messages.connection_ok(creating=self.model.creating))
            self.result.setAccessibleName(self.result.text())
            self.detail.setText("")
        else:
            self.last_problem = check.problem or "config"
            _set_error(
                self.result,
                self.messages.connection_problem(self.last_problem, creating=self.model.creating),
            )
            self.detail.setText(self.messages.details(check.reason, self.result.text()))
        self.credentials_box.setVisible(
            self.needs_credentials() or self.credentials_box.isVisible()
        )
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.testing = False
        self.progress.hide()
        self.retry.setEnabled(True)
        self.last_problem = "error"
        _set_error(self.result, self.messages.setup_error(exc))
        self.detail.setText(self.messages.details(reason_of(exc), self.result.text()))
        self.completeChanged.emit()

    def needs_credentials(self) -> bool:
        """The organisation's store refused us: the person types their storage credentials."""
        return (
            self.model.managed
            and self.model.store.kind is not StoreKind.FOLDER
            and self.last_problem in ("auth", "config")
        )

    def _add_credentials_box(self, layout: QVBoxLayout) -> None:
        """Only for the organisation's store (policy): the address is fixed, the person's
        credentials are asked here when the keyring holds none."""
        self.credentials_box = QWidget(self)
        form = QFormLayout(self.credentials_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_paragraph(self.tr("Give your storage credentials:"), self.credentials_box))
        self.cred_user = QLineEdit(self.credentials_box)
        self.cred_secret = QLineEdit(self.credentials_box)
        self.cred_secret.setEchoMode(QLineEdit.EchoMode.Password)
        _form_row(form, self.tr("Access key or user name:"), self.cred_user)
        _form_row(form, self.tr("Secret key or password:"), self.cred_secret)
        self.credentials_box.hide()
        layout.addWidget(self.credentials_box)
        self.cred_user.textChanged.connect(self._credentials_typed)
        self.cred_secret.textChanged.connect(self._credentials_typed)

    def _credentials_typed(self) -> None:
        form = self.model.store
        if form.kind is StoreKind.S3:
            form.s3_access_key, form.s3_secret_key = self.cred_user.text(), self.cred_secret.text()
        else:
            form.webdav_user, form.webdav_password = self.cred_user.text(), self.cred_secret.text()

    def isComplete(self) -> bool:
        return not self.testing and self.model.connection_tested()

    def nextId(self) -> int:
        return int(PageId.PASSPHRASE)


class PassphrasePage(SetupPage):
    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.explain = _paragraph("", self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_text = QCheckBox(self.tr("Show the passphrase"), self)
        self.meter = StrengthMeter(self)
        self.problem = _status_label(self)
        self.remember, self.remember_note = remember_checkbox(self)
        # Joining: "Forgot your passphrase?" swaps the passphrase for the recovery key.
        self.forgot = QPushButton(self.tr("Forgot your passphrase?"), self)
        self.forgot.setFlat(True)
        self.forgot.setAccessibleName(self.tr("Forgot your passphrase? Use the recovery key"))
        self.recovery_fields = SecretFields(parent=self)
        self.recovery_fields.forgot.hide()  # this page has its own switch
        self.recovery_fields.set_recovering(True)
        self.checking = QProgressBar(self)
        self.checking.setRange(0, 0)
        self.checking.setAccessibleName(self.tr("Checking the passphrase"))
        self.checking.hide()
        self.verifying = False
        form = QFormLayout()
        self.passphrase_label = _form_row(form, self.tr("Passphrase:"), self.passphrase)
        self.again_label = _form_row(form, self.tr("Type it again:"), self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.recovery_fields)
        layout.addWidget(self.show_text)
        layout.addWidget(self.meter)
        layout.addWidget(self.forgot, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.checking)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.remember)
        layout.addWidget(self.remember_note)
        self.passphrase.textChanged.connect(self._changed)
        self.again.textChanged.connect(self._changed)
        self.show_text.toggled.connect(self._show)
        self.remember.toggled.connect(self._remember_toggled)
        self.forgot.clicked.connect(lambda: self._set_recovering(not self.model.recovering))
        self.recovery_fields.changed.connect(self._changed)
        chain = (
            self.passphrase,
            self.again,
            self.recovery_fields.recovery_key,
            self.recovery_fields.new_passphrase,
            self.recovery_fields.new_again,
            self.show_text,
            self.forgot,
            self.remember,
        )
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def initializePage(self) -> None:
        creating = self.model.creating
        if creating:
            self.setTitle(self.tr("Choose a passphrase"))
            self.setSubTitle(
                self.tr("It protects the vault: you will type it on each computer you add.")
            )
            self.explain.setText(
                self.tr(
                    "Choose a passphrase nobody can guess, such as a short sentence. Nobody can "
                    "reset it for you, not even your administrator: you will also receive a "
                    "recovery key, to keep on paper."
                )
            )
        else:
            self.setTitle(self.tr("Type the vault's passphrase"))
            self.setSubTitle(self.tr("The passphrase chosen when the vault was created."))
            self.explain.setText(self.tr("Coffre needs it to open the vault on this computer."))
        for widget in (self.again, self.again_label, self.meter):
            widget.setVisible(creating)
        self.forgot.setVisible(not creating)
        self._set_recovering(self.model.recovering and not creating)
        passphrase, again = self.model.passphrase, self.model.passphrase_again
        self.passphrase.setText(passphrase)
        self.again.setText(again)
        self.remember.setChecked(self.model.remember_key)
        self._changed()
        self.passphrase.setFocus()

    def _set_recovering(self, recovering: bool) -> None:
        self.model.recovering = recovering
        for widget in (self.passphrase, self.passphrase_label, self.show_text):
            widget.setVisible(not recovering)
        self.recovery_fields.setVisible(recovering)
        self.forgot.setText(
            self.tr("Use the passphrase instead")
            if recovering
            else self.tr("Forgot your passphrase?")
        )
        if recovering:
            self.recovery_fields.recovery_key.setFocus()
        else:
            self.passphrase.setFocus()
        self._changed()

    def _remember_toggled(self, checked: bool) -> None:
        self.model.remember_key = checked

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.again.setEchoMode(mode)

    def _changed(self) -> None:
        self.model.passphrase = self.passphrase.text()
        self.model.passphrase_again = self.again.text()
        if self.model.creating:
            self.meter.update_for(self.model.passphrase)
        self.model.recovery = self.recovery_fields.form
        if self.model.recovering and not self.model.creating:
            _set_error(self.problem, "")  # the recovery fields say what to fix themselves
        else:
            code = self.model.passphrase_problem()
            # "Type it again" is only a problem once the person started typing it.
            quiet = code == "required" or (code == "mismatch" and not self.model.passphrase_again)
            _set_error(self.problem, "" if quiet else self.messages.passphrase_problem(code))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.verifying and self.model.passphrase_problem() == ""

    def validatePage(self) -> bool:
        """Joining: open the vault with what was typed before going on, so a wrong
        passphrase or recovery key is said here."""
        if self.model.creating or self.model.secret_verified():
            return True
        if not self.verifying:
            self.verifying = True
            self.checking.show()
            _set_error(self.problem, "")
            self.busy.emit(True)
            shared_runner().submit(
                self.model.verify_secret(), self._verified, self._not_verified, owner=self
            )
            self.completeChanged.emit()
        return False

    def _verified(self, _result: Any) -> None:
        self.verifying = False
        self.checking.hide()
        self.busy.emit(False)
        self.completeChanged.emit()
        self.wizard().next()

    def _not_verified(self, exc: BaseException) -> None:
        self.verifying = False
        self.checking.hide()
        self.busy.emit(False)
        if self.model.recovering and isinstance(exc, WrongPassphrase):
            _set_error(self.problem, self.messages.wrong_recovery_key())
        else:
            _set_error(self.problem, self.messages.setup_error(exc))
        self.completeChanged.emit()

    def nextId(self) -> int:
        return int(PageId.SUMMARY if self.model.mode is Mode.DEFAULT else PageId.FOLDER)


class FolderPage(SetupPage):
    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Folder to synchronise"))
        self.setSubTitle(
            self.tr("The folder on this computer that Coffre keeps in sync with the vault.")
        )
        self.picker = PathPicker(self.tr("Folder to synchronise"), self)
        self.device = QLineEdit(self)
        self.note = _status_label(self)
        form = QFormLayout()
        _form_row(form, self.tr("Folder:"), self.picker)
        self.picker.edit.setAccessibleName(self.tr("Folder to synchronise"))
        _form_row(form, self.tr("Name of this computer:"), self.device)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.picker.changed.connect(self._changed)
        self.device.textChanged.connect(self._device_changed)

    def initializePage(self) -> None:
        folder, device = self.model.local_folder, self.model.device_name
        self.picker.setText(folder)
        self.device.setText(device)
        self.picker.setEnabled(not self.model.folder_fixed)  # set by the policy
        self._changed()

    def _device_changed(self, text: str) -> None:
        self.model.device_name = text.strip()

    def check(self) -> Any:
        try:
            spec = self.model.store.spec()
        except FormError:
            spec = None
        return check_local_folder(self.model.local_folder, spec)

    def _changed(self) -> None:
        self.model.local_folder = self.picker.text()
        result = self.check()
        if result.problem:
            _set_error(self.note, self.messages.folder_problem(result.problem))
        elif result.not_empty:
            self.note.setStyleSheet("color: #9a6a00;")
            if self.model.creating:
                text = self.tr(
                    "This folder already contains files. They will be encrypted and copied into "
                    "the new vault. Nothing will be deleted."
                )
            else:
                text = self.tr(
                    "This folder already contains files. They will be encrypted and added to the "
                    "vault, and the vault's files will be added to this folder. Nothing will be "
                    "deleted: when a file exists on both sides with different contents, both "
                    "versions are kept and the copy is renamed."
                )
            self.note.setText(text)
            self.note.setAccessibleName(text)
        elif result.path is not None and not result.path.exists():
            _set_error(self.note, "")
            self.note.setText(self.tr("The folder will be created."))
        else:
            _set_error(self.note, "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.check().problem

    def nextId(self) -> int:
        return int(PageId.SUMMARY)


class SummaryPage(SetupPage):
    """Says what will happen, then does it when the person confirms."""

    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Summary"))
        self.setCommitPage(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Setting up"))
        self.progress.hide()
        self.error = _status_label(self)
        self.detail = _detail_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.running = False
        self.done = False

    def initializePage(self) -> None:
        model = self.model
        kinds = {
            StoreKind.FOLDER: self.tr("folder"),
            StoreKind.S3: self.tr("S3-compatible object storage"),
            StoreKind.WEBDAV: self.tr("WebDAV server"),
        }
        if model.mode is Mode.JOIN:
            action = self.tr("Join the existing vault.")
            self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Join the vault"))
        else:
            action = self.tr("Create a new vault.")
            self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Create the vault"))
        lines = [
            action,
            self.tr("Storage (%1): %2")
            .replace("%1", kinds[model.store.kind])
            .replace("%2", shown_address(model.store.address())),
            self.tr("Synchronised folder: %1").replace("%1", model.local_folder),
            self.tr("Name of this computer: %1").replace("%1", model.device_name),
        ]
        if model.creating:
            lines.append(
                self.tr("Next, Coffre shows the recovery key once: have a pen and paper ready.")
            )
        self.summary.setText("\n\n".join(lines))
        _set_error(self.error, "")
        self.detail.setText("")

    def validatePage(self) -> bool:
        if self.done:
            return True
        if not self.running:
            self.start()
        return False

    def start(self) -> None:
        self.running = True
        self.progress.show()
        _set_error(self.error, "")
        self.detail.setText("")
        self.busy.emit(True)
        shared_runner().submit(self.model.run(), self._succeeded, self._failed, owner=self)

    def _succeeded(self, _result: Any) -> None:
        self.running = False
        self.done = True
        self.progress.hide()
        self.busy.emit(False)
        self.wizard().next()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.progress.hide()
        self.busy.emit(False)
        _set_error(self.error, self.messages.setup_error(exc))
        self.detail.setText(self.messages.details(reason_of(exc), self.error.text()))

    def nextId(self) -> int:
        return int(PageId.RECOVERY if self.model.creating else PageId.DONE)


class RecoveryPage(SetupPage):
    """The recovery key, shown once; the person proves they copied it by retyping a part."""

    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Your recovery key"))
        self.setSubTitle(self.tr("It is shown only this once."))
        self.explain = _paragraph(
            self.tr(
                "Write this key down on paper and keep it in a safe place. If you forget your "
                "passphrase, it is the only way to open the vault. Anyone who has it can read "
                "your files: do not send it by e-mail."
            ),
            self,
        )
        self.key = QLabel(self)
        self.key.setTextFormat(Qt.TextFormat.PlainText)
        self.key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.key.setAccessibleName(self.tr("Recovery key"))
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.Bold)
        self.key.setFont(font)
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confirm = QLineEdit(self)
        self.confirm.setMaxLength(9)
        form = QFormLayout()
        _form_row(form, self.tr("To confirm, type the last 4 characters of the key:"), self.confirm)
        self.feedback = _status_label(self)
        self.print_button = QPushButton(self.tr("&Print the recovery sheet…"), self)
        self.pdf_button = QPushButton(self.tr("&Save it as PDF…"), self)
        self.sheet_status = _status_label(self)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.print_button)
        sheet_row.addWidget(self.pdf_button)
        sheet_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.key)
        layout.addLayout(sheet_row)
        layout.addWidget(self.sheet_status)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addStretch(1)
        self.confirm.textChanged.connect(self._changed)
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        QWidget.setTabOrder(self.key, self.print_button)
        QWidget.setTabOrder(self.print_button, self.pdf_button)
        QWidget.setTabOrder(self.pdf_button, self.confirm)

    def sheet_facts(self) -> SheetFacts:
        binding = self.model.binding
        return SheetFacts(
            recovery_key=self.model.recovery_key,
            store=redact(self.model.store.address()),
            vault_id=binding.vault_id if binding is not None else "",
            folder=binding.folder if binding is not None else self.model.local_folder,
            made_on=date.today(),
        )

    def print_sheet(self) -> None:
        if print_sheet(self.sheet_facts(), self):
            self.sheet_status.setText(self.tr("The recovery sheet was sent to the printer."))

    def ask_pdf_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the recovery sheet"),
            str(Path.home() / self.tr("coffre-recovery-key.pdf")),
            self.tr("PDF documents (*.pdf)"),
        )
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: str) -> None:
        try:
            save_pdf(self.sheet_facts(), path)
        except OSError as exc:
            _set_error(
                self.sheet_status,
                self.tr("The PDF could not be written: %1").replace("%1", exc.strerror or str(exc)),
            )
            return
        _set_error(self.sheet_status, "")
        self.sheet_status.setText(
            self.tr(
                "Saved as %1. Print it, then delete the file: a copy on the computer is as "
                "readable as the key itself."
            ).replace("%1", path)
        )

    def initializePage(self) -> None:
        self.key.setText(self.model.recovery_key)
        self.key.setAccessibleDescription(self.model.recovery_key)
        self.confirm.clear()
        self.confirm.setFocus()

    def confirmed(self) -> bool:
        return recovery_confirmed(self.model.recovery_key, self.confirm.text())

    def _changed(self) -> None:
        typed = "".join(c for c in self.confirm.text() if c.isalnum())
        if len(typed) >= 4 and not self.confirmed():
            _set_error(self.feedback, self.tr("These are not the last 4 characters of the key."))
        else:
            _set_error(self.feedback, "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.confirmed()

    def nextId(self) -> int:
        return int(PageId.DONE)


class DonePage(SetupPage):
    def __init__(self, model: SetupModel) -> None:
        super().__init__(model)
        self.setTitle(self.tr("Coffre is ready"))
        self.text = _paragraph("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        folder = (
            self.model.binding.folder if self.model.binding is not None else self.model.local_folder
        )
        self.text.setText(
            self.tr(
                "Your folder %1 is now synchronised. Everything you put in it is encrypted on "
                "this computer, then sent to the vault. Coffre keeps running in the background; "
                "its icon shows whether everything is up to date."
            ).replace("%1", folder)
        )

    def nextId(self) -> int:
        return -1
