""" "Share…": a thin view over `app.share_model.ShareModel` for one folder.

The members with their role and devices; for an owner, adding a colleague
(their card pasted or chosen as a file, the safety number shown large with how
to compare it), changing a role, removing a member or a device after saying
what a removal cannot do (`RemoveDialog`). Reached from the folder card's menu
and the Coffre menu (share_menu.py, installed by the main window).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.folders import Binding
from app.gui.engine_bridge import EngineBridge
from app.identity_model import CARD_REQUIRED, CARD_UNREADABLE
from app.members import MemberRow, RemoveReport
from app.session import FolderSession
from app.share_model import (
    ADDABLE_ROLES,
    EDITOR,
    OWNER,
    READER,
    Consequence,
    ShareModel,
    removal_consequences,
)
from app.share_session import running_members

from .identity_dialogs import (
    ERROR_STYLE,
    _escaped,
    _Message,
    _wrapped,
    ask_card_file,
    big_number_label,
    card_problem_text,
    card_unreadable_text,
    show_safety_number,
)

log = logging.getLogger(__name__)

Job = Callable[[Binding, FolderSession | None], Awaitable[Any]]
ID_ROLE = Qt.ItemDataRole.UserRole  # a row's identity id (member) or device id (device)
DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1  # True on a device row


def role_name(role: str) -> str:
    """A role as a person reads it."""
    translate = QCoreApplication.translate
    return {
        OWNER: translate("ShareDialog", "Owner"),
        EDITOR: translate("ShareDialog", "Editor"),
        READER: translate("ShareDialog", "Reader"),
    }.get(role, role)


def role_help(role: str) -> str:
    """What a role may do, one sentence."""
    translate = QCoreApplication.translate
    return {
        OWNER: translate(
            "ShareDialog",
            "Owners change files and decide who shares the folder.",
        ),
        EDITOR: translate("ShareDialog", "Editors change files; they cannot add or remove anyone."),
        READER: translate(
            "ShareDialog",
            "Readers receive the files but cannot change them: what they change stays on "
            "their computer and is not synced.",
        ),
    }.get(role, "")


def consequence_text(consequence: Consequence, name: str) -> str:
    """One thing a removal does or cannot do, about `name` (a person or a computer)."""
    translate = QCoreApplication.translate
    return {
        Consequence.NEW_KEY: translate(
            "RemoveDialog",
            "Files changed from now on are encrypted with a new key that {name} never receives.",
        ),
        Consequence.KEEPS_DOWNLOADED: translate(
            "RemoveDialog",
            "What {name} already downloaded stays on their computers: no removal can take it back.",
        ),
        Consequence.OLD_FILES_READABLE: translate(
            "RemoveDialog",
            "The older keys {name} held still open the files as they were before the "
            "removal, if {name} can still reach the storage. Check \u201cRe-encrypt\u201d to "
            "encrypt them again under the new key.",
        ),
        Consequence.REENCRYPTED: translate(
            "RemoveDialog",
            "The folder's files are encrypted again under the new key: the older keys {name} "
            "held no longer open them. This uploads the whole folder again and may take a "
            "while.",
        ),
        Consequence.WITHDRAW_CREDENTIALS: translate(
            "RemoveDialog",
            "Ask your IT department to withdraw the storage access (account, password or "
            "access key) {name} used: Coffre cannot do it.",
        ),
        Consequence.CHANGE_PASSPHRASE: translate(
            "RemoveDialog",
            "If {name} knew the vault's passphrase, change it (Coffre menu, \u201cChange the "
            "passphrase\u2026\u201d): the passphrase opens every key.",
        ),
    }[consequence].format(name=name)


class RemoveDialog(QDialog):
    """Asks before removing a member or a device, with what the removal cannot do.

    The safe answer (Cancel) is the default; the destructive button says what it does.
    """

    def __init__(self, name: str, *, device: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.device = device
        self.setWindowTitle(
            self.tr("Remove a computer") if device else self.tr("Remove from the folder")
        )
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        question = (
            self.tr("Remove the computer {name} from this folder?")
            if device
            else self.tr("Remove {name} from this folder?")
        )
        title = QLabel(f"<b>{_escaped(question.format(name=name))}</b>", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.consequences = QLabel(self)
        self.consequences.setWordWrap(True)
        self.consequences.setTextFormat(Qt.TextFormat.RichText)
        self.consequences.setAccessibleName(self.tr("What the removal does and cannot do"))
        layout.addWidget(self.consequences)
        self.reencrypt = QCheckBox(
            self.tr("&Re-encrypt the folder's files under the new key"), self
        )
        self.reencrypt.setVisible(not device)
        self.reencrypt.toggled.connect(lambda _on: self._show())
        layout.addWidget(self.reencrypt)
        self.buttons = QDialogButtonBox(self)
        self.remove_button = self.buttons.addButton(
            self.tr("Re&move the computer") if device else self.tr("Re&move"),
            QDialogButtonBox.ButtonRole.DestructiveRole,
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.remove_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show()

    def lines(self) -> list[str]:
        return [
            consequence_text(c, self.name)
            for c in removal_consequences(reencrypt=self.reencrypt.isChecked())
        ]

    def _show(self) -> None:
        items = "".join(f"<li>{_escaped(line)}</li>" for line in self.lines())
        self.consequences.setText(f"<ul>{items}</ul>")


class ShareDialog(QDialog):
    """One folder's members, and for an owner the ways to change them."""

    changePassphraseRequested = Signal()

    def __init__(self, bridge: EngineBridge, folder_id: str, parent: QWidget | None = None) -> None:
        """The folder's running session gives the service (`bridge.run_job`): the dialog
        and the engine read one membership log."""
        super().__init__(parent)
        self.model = ShareModel()
        self.bridge = bridge
        self.folder_id = folder_id
        self.folder = folder = bridge.binding(folder_id).folder
        self.busy = False
        self.file_dialog: QFileDialog | None = None
        self.remove_dialog: RemoveDialog | None = None
        self.owner_question: QMessageBox | None = None
        self.setWindowTitle(self.tr("Share {folder}").format(folder=Path(folder).name))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        self.my_role = _wrapped("", self)
        layout.addWidget(self.my_role)

        # --- the members ----------------------------------------------------------------
        members_label = QLabel(self.tr("&People who share this folder:"), self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Fingerprint")])
        self.tree.setAccessibleName(self.tr("People who share this folder"))
        self.tree.setRootIsDecorated(True)
        self.tree.setMinimumHeight(160)
        members_label.setBuddy(self.tree)
        layout.addWidget(members_label)
        layout.addWidget(self.tree)
        row = QHBoxLayout()
        self.role_button = QPushButton(self.tr("Change the &role"), self)
        self.role_menu = QMenu(self.role_button)
        self.role_actions: dict[str, QAction] = {}
        for role in (OWNER, EDITOR, READER):
            act = self.role_menu.addAction(self.tr("Make {role}").format(role=role_name(role)))
            act.triggered.connect(lambda _c=False, r=role: self.change_role(r))
            self.role_actions[role] = act
        self.role_button.setMenu(self.role_menu)
        self.remove_button = QPushButton(self.tr("Re&move…"), self)
        self.remove_button.setAccessibleName(self.tr("Remove the selected person or computer"))
        self.remove_button.clicked.connect(self.ask_remove)
        row.addWidget(self.role_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.role_note = _wrapped("", self)
        layout.addWidget(self.role_note)

        # --- adding a colleague ---------------------------------------------------------
        self.add_box = QGroupBox(self.tr("Add a colleague"), self)
        add = QVBoxLayout(self.add_box)
        add.addWidget(
            _wrapped(
                self.tr(
                    "Paste the identity card your colleague sent you, or choose the file "
                    "they attached to their mail."
                ),
                self.add_box,
            )
        )
        self.card_edit = QPlainTextEdit(self.add_box)
        self.card_edit.setAccessibleName(self.tr("Your colleague's identity card"))
        self.card_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.card_edit.setTabChangesFocus(True)
        self.card_edit.setMaximumHeight(90)
        self.card_edit.setPlaceholderText("Coffre identity card v1 …")
        add.addWidget(self.card_edit)
        form = QFormLayout()
        self.role_combo = QComboBox(self.add_box)
        for role in ADDABLE_ROLES:
            self.role_combo.addItem(role_name(role), role)
        self.role_combo.setAccessibleName(self.tr("Role of the new member"))
        role_label = QLabel(self.tr("Their r&ole:"), self.add_box)
        role_label.setBuddy(self.role_combo)
        form.addRow(role_label, self.role_combo)
        add.addLayout(form)
        self.add_role_help = _wrapped("", self.add_box)
        add.addWidget(self.add_role_help)
        buttons = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("C&hoose a file…"), self.add_box)
        self.choose_button.setAccessibleName(self.tr("Choose the card's file"))
        self.choose_button.clicked.connect(self.ask_card_file)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        add.addLayout(buttons)
        self.card_problem = _Message(self.add_box, ERROR_STYLE)
        add.addWidget(self.card_problem)
        self.checked_box = QWidget(self.add_box)
        checked = QVBoxLayout(self.checked_box)
        checked.setContentsMargins(0, 0, 0, 0)
        self.colleague = _wrapped("", self.checked_box)
        checked.addWidget(self.colleague)
        checked.addWidget(QLabel(self.tr("Safety number:"), self.checked_box))
        self.number = big_number_label(self.checked_box)
        checked.addWidget(self.number)
        self.how = _wrapped("", self.checked_box)
        checked.addWidget(self.how)
        self.add_button = QPushButton(self.tr("&Add to the folder"), self.checked_box)
        self.add_button.clicked.connect(self.add_member)
        checked.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        add.addWidget(self.checked_box)
        layout.addWidget(self.add_box)

        # --- outcome --------------------------------------------------------------------
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Working"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.outcome = _Message(self)
        layout.addWidget(self.outcome)
        # After a removal: the passphrase is the next thing to change if they knew it.
        self.passphrase_button = QPushButton(self.tr("Change the &passphrase\u2026"), self)
        self.passphrase_button.clicked.connect(self.changePassphraseRequested)
        self.passphrase_button.hide()
        layout.addWidget(self.passphrase_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)
        close = self.close_buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        layout.addWidget(self.close_buttons)

        self.card_edit.textChanged.connect(self._pasted)
        self.role_combo.currentIndexChanged.connect(self._role_chosen)
        self.tree.currentItemChanged.connect(lambda *_a: self._selection_changed())
        self._show()
        self._run(
            self._open,
            lambda _rows: None,
            self.tr("The people who share this folder could not be listed."),
        )

    async def _open(self, binding: Binding, session: FolderSession | None) -> list[MemberRow]:
        """On the engine's thread: the running folder's service, then the members."""
        self.model.service = running_members(binding, session)
        return await self.model.load()

    def show_members(self, rows: list[MemberRow], my_role: str) -> None:
        """Show `rows` as the folder's members (the screenshots' sample team)."""
        self.model.members, self.model.my_role, self.model.loaded = rows, my_role, True
        self.busy = False
        self.progress.hide()
        self._show()

    # --- running the service ----------------------------------------------------------------

    def _run(self, job: Job, done: Callable[[Any], None], failed_text: str) -> None:
        """Run `job(binding, session)` on the engine's thread; `done(result)` here after."""
        self.busy = True
        self.progress.show()
        self.outcome.setText("")
        self._enable()

        def finished(result: Any, error: str) -> None:
            if not shiboken6.isValid(self):  # closed meanwhile
                return
            self._stop()
            if error:
                self.outcome.setStyleSheet(ERROR_STYLE)
                self.outcome.setText(
                    failed_text + "\n" + self.tr("Details: {why}").format(why=error)
                )
                return
            self.outcome.setStyleSheet("")
            done(result)

        self.bridge.run_job(self.folder_id, job, finished)

    def _stop(self) -> None:
        self.busy = False
        self.progress.hide()
        self._show()

    # --- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        model = self.model
        if not model.loaded:
            self.my_role.setText(self.tr("Reading who shares this folder…"))
        elif model.my_role:
            self.my_role.setText(
                self.tr("You are {role} of this folder. {help}").format(
                    role=role_name(model.my_role).lower(), help=role_help(model.my_role)
                )
            )
        else:
            self.my_role.setText("")
        self._fill_tree()
        self.add_box.setVisible(model.can_manage)
        self.add_role_help.setText(role_help(model.add_role))
        self._show_card()
        self._enable()

    def _fill_tree(self) -> None:
        selected = self.selected()
        self.tree.clear()
        for member in self.model.members:
            name = member.name + (" " + self.tr("(you)") if member.me else "")
            item = QTreeWidgetItem([name, role_name(member.role), member.fingerprint])
            item.setData(0, ID_ROLE, member.id)
            item.setData(0, DEVICE_ROLE, False)
            for device in member.devices:
                shown = device.name + (
                    " " + self.tr("(this computer)") if device.this_device else ""
                )
                child = QTreeWidgetItem([shown, "", ""])
                child.setData(0, ID_ROLE, device.id)
                child.setData(0, DEVICE_ROLE, True)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            if selected is not None and selected[1] == member.id and not selected[2]:
                self.tree.setCurrentItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)

    def selected(self) -> tuple[MemberRow, str, bool] | None:
        """(the member, the id of the row, whether the row is a device) of the selection."""
        item = self.tree.currentItem()
        if item is None:
            return None
        is_device = bool(item.data(0, DEVICE_ROLE))
        owner_item = item.parent() if is_device else item
        member = self.model.member(str(owner_item.data(0, ID_ROLE)))
        if member is None:
            return None
        return member, str(item.data(0, ID_ROLE)), is_device

    def select(self, row_id: str) -> None:
        """Select the member or device row whose id is `row_id`."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            for candidate in [item] + [item.child(j) for j in range(item.childCount())]:
                if candidate.data(0, ID_ROLE) == row_id:
                    self.tree.setCurrentItem(candidate)
                    return

    def _selection_changed(self) -> None:
        self._enable()

    def _enable(self) -> None:
        model, chosen = self.model, self.selected()
        idle = not self.busy
        member_chosen = chosen is not None and not chosen[2]
        can_role = (
            idle and member_chosen and chosen is not None and model.can_change_role(chosen[0])
        )
        self.role_button.setEnabled(can_role)
        if chosen is not None and member_chosen:
            for role, act in self.role_actions.items():
                act.setVisible(role != chosen[0].role)
        if chosen is None:
            can_remove = False
        elif chosen[2]:
            can_remove = model.can_remove_device(chosen[0], chosen[1])
        else:
            can_remove = model.can_remove(chosen[0])
        self.remove_button.setEnabled(idle and can_remove)
        self.role_note.setText(self._role_note(chosen))
        self.card_edit.setReadOnly(self.busy)
        self.choose_button.setEnabled(idle)
        self.add_button.setEnabled(idle and model.can_add)

    def _role_note(self, chosen: tuple[MemberRow, str, bool] | None) -> str:
        if chosen is None or not self.model.loaded:
            return ""
        member, _row_id, is_device = chosen
        if is_device and member.me and not self.model.can_manage:
            return self.tr("You can remove your other computers; an owner removes the others.")
        if not self.model.can_manage:
            return self.tr("Only an owner of the folder adds, removes or changes roles.")
        return role_help(member.role)

    # --- adding --------------------------------------------------------------------------

    def _pasted(self) -> None:
        self.model.read_card_text(self.card_edit.toPlainText())
        self._show_card()
        self._enable()

    def _role_chosen(self, _index: int) -> None:
        self.model.add_role = str(self.role_combo.currentData())
        self.add_role_help.setText(role_help(self.model.add_role))

    def ask_card_file(self) -> QFileDialog:
        return ask_card_file(self, self.load_card_file)

    def load_card_file(self, path: Path) -> None:
        code, text = self.model.read_card_file(path)
        if text:
            self.card_edit.blockSignals(True)
            self.card_edit.setPlainText(text)
            self.card_edit.blockSignals(False)
        self._show_card()
        self._enable()
        if code == CARD_UNREADABLE:
            self.card_problem.setText(card_unreadable_text(self.model.card, path))

    def _show_card(self) -> None:
        card = self.model.card
        checked = card.checked
        quiet = card.problem in ("", CARD_REQUIRED)
        self.card_problem.setText("" if quiet else card_problem_text(card.problem))
        self.checked_box.setVisible(checked is not None)
        if checked is None:
            self.number.clear()
            return
        already = self.model.already_member
        if already is not None:
            self.card_problem.setText(
                self.tr("{name} already shares this folder, as {role}.").format(
                    name=already.name, role=role_name(already.role).lower()
                )
            )
        namesake = self.model.same_name
        if namesake is not None:
            self.card_problem.setText(
                self.tr(
                    "Careful: {name} already shares this folder with other keys (fingerprint "
                    "{fingerprint}). If {name} made a new identity, compare the safety number "
                    "below with them by phone before adding it, then remove the old one. "
                    "Otherwise this card is not theirs: do not add it."
                ).format(name=namesake.name, fingerprint=namesake.fingerprint)
            )
        self.colleague.setText(
            self.tr("The card of <b>{name}</b> is intact. Fingerprint: {fingerprint}").format(
                name=_escaped(checked.name), fingerprint=checked.fingerprint
            )
        )
        show_safety_number(self.number, checked)
        self.how.setText(
            self.tr(
                "Before adding {name}, call them or meet them; not by mail or chat, which could "
                "be the way the card was swapped. {name} opens \u201cVerify a colleague\u201d "
                "with your card and reads their safety number aloud, one group at a time. Add "
                "{name} only if all 30 digits are the same as these."
            ).format(name=checked.name)
        )

    def add_member(self) -> None:
        checked = self.model.card.checked
        if self.busy or checked is None or not self.model.can_add:
            return
        name = checked.name

        def added(row: MemberRow) -> None:
            self.card_edit.blockSignals(True)
            self.card_edit.clear()
            self.card_edit.blockSignals(False)
            self._show()
            self.select(row.id)
            self.outcome.setText(
                self.tr(
                    "{name} is added as {role}. Their computer receives the folder's key at its "
                    "next sync: tell them to open Coffre and join the folder."
                ).format(name=name, role=role_name(row.role).lower())
            )

        self._run(
            lambda _b, _s: self.model.add(),
            added,
            self.tr("{name} could not be added; nothing was changed.").format(name=name),
        )

    # --- changing ------------------------------------------------------------------------

    def change_role(self, role: str) -> None:
        """Give the selected member `role`; making an owner is asked first (`owner_question`)."""
        chosen = self.selected()
        if self.busy or chosen is None or chosen[2] or not self.model.can_change_role(chosen[0]):
            return
        member = chosen[0]
        if role == OWNER:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                self.tr("Make an owner"),
                self.tr(
                    "Make {name} an owner of this folder? An owner adds and removes anyone, "
                    "you included, and changes everyone's role."
                ).format(name=member.name),
                QMessageBox.StandardButton.Cancel,
                self,
            )
            yes = box.addButton(self.tr("&Make owner"), QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            yes.clicked.connect(lambda: self._set_role(member, role))
            box.finished.connect(box.deleteLater)
            box.finished.connect(lambda _r: setattr(self, "owner_question", None))
            self.owner_question = box
            box.open()
            return
        self._set_role(member, role)

    def _set_role(self, member: MemberRow, role: str) -> None:

        def changed(_none: object) -> None:
            self.select(member.id)
            self.outcome.setText(
                self.tr("{name} is now {role}.").format(
                    name=member.name, role=role_name(role).lower()
                )
            )

        self._run(
            lambda _b, _s: self.model.set_role(member.id, role),
            changed,
            self.tr("The role of {name} could not be changed.").format(name=member.name),
        )

    def ask_remove(self) -> RemoveDialog | None:
        """The warning before a removal (window-modal); the removal follows a confirmation."""
        chosen = self.selected()
        if self.busy or chosen is None:
            return None
        member, row_id, is_device = chosen
        if is_device:
            device = next(d for d in member.devices if d.id == row_id)
            dialog = RemoveDialog(device.name, device=True, parent=self)
            dialog.accepted.connect(lambda: self.remove_device(member, row_id, device.name))
        else:
            dialog = RemoveDialog(member.name, device=False, parent=self)
            dialog.accepted.connect(
                lambda: self.remove_member(member, reencrypt=dialog.reencrypt.isChecked())
            )
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "remove_dialog", None))
        self.remove_dialog = dialog
        dialog.open()
        return dialog

    def remove_member(self, member: MemberRow, *, reencrypt: bool) -> None:
        def removed(report: RemoveReport) -> None:
            self.outcome.setText(self._removed_text(member.name, report))
            self.passphrase_button.show()

        self._run(
            lambda _b, _s: self.model.remove(member.id, reencrypt=reencrypt),
            removed,
            self.tr("{name} could not be removed; nothing was changed.").format(name=member.name),
        )

    def _removed_text(self, name: str, _report: RemoveReport) -> str:
        return self.tr(
            "{name} is removed: files changed from now on are encrypted with a new key. Do "
            "not forget to have their storage access withdrawn, and to change the passphrase "
            "if they knew it."
        ).format(name=name)

    def remove_device(self, member: MemberRow, device_id: str, name: str) -> None:
        def removed(_none: object) -> None:
            self.outcome.setText(
                self.tr(
                    "The computer {name} is removed: files changed from now on are encrypted "
                    "with a new key. If it was lost or stolen, have the storage access it "
                    "kept withdrawn, and change the passphrase if it remembered it."
                ).format(name=name)
            )
            self.passphrase_button.show()

        self._run(
            lambda _b, _s: self.model.remove_device(device_id),
            removed,
            self.tr("The computer {name} could not be removed; nothing was changed.").format(
                name=name
            ),
        )
