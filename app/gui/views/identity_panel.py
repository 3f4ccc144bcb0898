"""Settings' "Identity" tab: this person's card, fingerprint and QR code, and what they are for.

A thin view over `app.identity_model.MyIdentity` (the same identity "My
identity" creates and shows) and `app.share_model.identity_qr_png`: the QR
code holds the identity id and fingerprint only (`coffre:identity?id=…&fp=…`);
the full card, about 9 KB of post-quantum keys, does not fit in one and is
sent as a file or as text. Creating an identity and saving the card are done
in "My identity…", which this tab opens.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.identity_model import MyIdentity, Step
from app.identity_store import StoredIdentity
from app.share_model import identity_qr_png, identity_uri

from .identity_dialogs import _escaped, _Message, _wrapped, big_number_label

log = logging.getLogger(__name__)


class IdentityPanel(QWidget):
    """This computer's identity as Settings shows it; "My identity…" to create or save it."""

    identityDialogRequested = Signal()

    def __init__(self, parent: QWidget | None = None, model: MyIdentity | None = None) -> None:
        super().__init__(parent)
        self.model = model or MyIdentity()
        layout = QVBoxLayout(self)
        self.none_label = _wrapped("", self)
        layout.addWidget(self.none_label)

        self.shown = QWidget(self)
        shown = QVBoxLayout(self.shown)
        shown.setContentsMargins(0, 0, 0, 0)
        self.name_label = QLabel(self.shown)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.addWidget(self.name_label)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Your fingerprint:"), self.shown))
        self.fingerprint = big_number_label(self.shown)
        left.addWidget(self.fingerprint)
        left.addWidget(
            _wrapped(
                self.tr(
                    "Your fingerprint identifies your keys. With a colleague, you compare the "
                    "safety number instead: Coffre makes it from both your cards and shows "
                    "it in \u201cVerify a colleague\u201d and in \u201cShare\u2026\u201d. Read it "
                    "aloud by phone or in person, never by mail: if all 30 digits are the "
                    "same on both sides, each of you really has the other's card."
                ),
                self.shown,
            )
        )
        left.addStretch(1)
        top.addLayout(left, 1)
        right = QVBoxLayout()
        self.qr = QLabel(self.shown)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right.addWidget(self.qr)
        self.qr_note = _wrapped(
            self.tr(
                "This QR code holds your identity number and fingerprint, for a colleague to "
                "check your card with their phone. Your full card (about 9 KB of "
                "post-quantum keys) does not fit in a QR code: send it as a file or as text."
            ),
            self.shown,
        )
        self.qr_note.setMaximumWidth(240)
        right.addWidget(self.qr_note)
        right.addStretch(1)
        top.addLayout(right)
        shown.addLayout(top)
        card_label = QLabel(self.tr("Your identity &card:"), self.shown)
        self.card_view = QPlainTextEdit(self.shown)
        self.card_view.setReadOnly(True)
        self.card_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.card_view.setAccessibleName(self.tr("Your identity card"))
        self.card_view.setMaximumHeight(90)
        card_label.setBuddy(self.card_view)
        shown.addWidget(card_label)
        shown.addWidget(self.card_view)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("&Copy the card"), self.shown)
        self.copy_button.clicked.connect(self.copy_card)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        shown.addLayout(row)
        self.card_status = _Message(self.shown)
        shown.addWidget(self.card_status)
        layout.addWidget(self.shown)

        row = QHBoxLayout()
        self.identity_button = QPushButton(self.tr("My &identity…"), self)
        self.identity_button.setAccessibleName(self.tr("My identity"))
        self.identity_button.clicked.connect(self.identityDialogRequested)
        row.addWidget(self.identity_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.reload()

    def reload(self) -> None:
        """Read the identity again (after "My identity…" created one)."""
        self.model.load()
        self._show()

    def show_identity(self, stored: StoredIdentity) -> None:
        """Show `stored` as this computer's identity (the screenshots' sample person)."""
        self.model.stored, self.model.step = stored, Step.SHOW
        self._show()

    def _show(self) -> None:
        model = self.model
        step = model.step
        self.shown.setVisible(step is Step.SHOW)
        self.none_label.setVisible(step is not Step.SHOW)
        if step is Step.CREATE:
            self.none_label.setText(
                self.tr(
                    "You have no identity on this computer yet. To share folders with "
                    "colleagues, create one with \u201cMy identity\u2026\u201d."
                )
            )
        elif step is Step.DAMAGED:
            self.none_label.setText(
                self.tr(
                    "The identity kept on this computer cannot be read: open \u201cMy "
                    "identity\u2026\u201d to see which file is damaged."
                )
            )
        stored = model.stored
        if step is not Step.SHOW or stored is None:
            return
        self.name_label.setText(f"<b>{_escaped(stored.name)}</b>")
        groups = model.fingerprint_groups
        self.fingerprint.setText("  ".join(groups[:3]) + "\n" + "  ".join(groups[3:]))
        self.fingerprint.setAccessibleName(
            self.tr("Your fingerprint: {groups}").format(groups=", ".join(groups))
        )
        pixmap = QPixmap()
        pixmap.loadFromData(identity_qr_png(stored))
        self.qr.setPixmap(pixmap)
        self.qr.setAccessibleName(
            self.tr("QR code of your identity number and fingerprint: {uri}").format(
                uri=identity_uri(stored)
            )
        )
        self.card_view.setPlainText(model.card)

    def copy_card(self) -> None:
        QGuiApplication.clipboard().setText(self.model.card)
        self.card_status.setText(
            self.tr("Your card is copied: paste it into a mail to your colleagues.")
        )
