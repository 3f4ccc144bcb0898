"""The wizard's pages in representative states, for tools/screenshots.py.

Each factory builds a wizard at one page with plausible choices made. They
run in a throwaway COFFRE_HOME and HOME (the screenshots tool sets them), so
the connection tests they trigger only look at temporary folders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.setup_model import Mode, SetupModel, StoreKind

from .pages import ConnectionPage, PageId, PassphrasePage
from .recovery_sheet import SheetFacts, sheet_document
from .window import SetupWizard

SAMPLE_KEY = "BGE2-SH1G-94A1-Z0KF-5ABR-Y9Q1-8K73-PDXB"


def _scratch() -> Path:
    root = Path.home() / "screenshots-scratch"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _wizard(
    page: PageId, mode: Mode, setup: Callable[[SetupModel], None] | None = None
) -> SetupWizard:
    model = SetupModel()
    model.choose(mode)
    model.device_name = "poste-accueil"
    if setup is not None:
        setup(model)
    wizard = SetupWizard(model)
    wizard.setStartId(int(page))
    wizard.show()
    current = wizard.currentPage()
    if isinstance(current, ConnectionPage):
        deadline = time.monotonic() + 10
        while current.testing and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
    return wizard


def _store_kind(kind: StoreKind) -> Callable[[SetupModel], None]:
    def setup(model: SetupModel) -> None:
        model.store.kind = kind
        model.store.folder = "/mnt/partage/coffre"
        model.store.s3_endpoint = "https://s3.exemple.gouv.fr"
        model.store.s3_bucket = "equipe-juridique"
        model.store.s3_prefix = "coffre"
        model.store.s3_access_key = "AKIAEXEMPLE"
        model.store.s3_secret_key = "exemple-secret"
        model.store.webdav_url = "https://nuage.exemple.gouv.fr/remote.php/dav/files/agent/coffre"
        model.store.webdav_user = "agent"
        model.store.webdav_password = "exemple"

    return setup


def _new_store(model: SetupModel) -> None:
    model.store.folder = str(_scratch() / "nouveau-coffre")


def _missing_store(model: SetupModel) -> None:
    model.store.folder = str(_scratch() / "partage-non-monte")


def _passphrase(model: SetupModel) -> None:
    model.passphrase = model.passphrase_again = "le chat dort sur le canape"


def _busy_folder(model: SetupModel) -> None:
    folder = _scratch() / "Documents"
    folder.mkdir(exist_ok=True)
    (folder / "rapport-annuel.odt").write_bytes(b"exemple")
    model.store.folder = "/mnt/partage/coffre"
    model.local_folder = str(folder)


def _summary(model: SetupModel) -> None:
    model.store.kind = StoreKind.S3
    _store_kind(StoreKind.S3)(model)


def _recovery(model: SetupModel) -> None:
    model.recovery_key = SAMPLE_KEY


def _join_recovering(model: SetupModel) -> None:
    model.recovering = True


def _join_recovery_page() -> QWidget:
    """Joining with the recovery key: "Forgot your passphrase?" pressed, the key typed."""
    wizard = _wizard(PageId.PASSPHRASE, Mode.JOIN, _join_recovering)
    page = wizard.currentPage()
    if isinstance(page, PassphrasePage):
        fields = page.recovery_fields
        fields.recovery_key.setText(SAMPLE_KEY)
        fields.new_passphrase.setText("la pluie tombe sur la mairie")
        fields.new_again.setText("la pluie tombe sur la mairie")
    return wizard


SHEET_MARGIN = 48  # pixels around the text, as the paper's margin
SHEET_TEXT_WIDTH = round(170 / 25.4 * 96)  # A4's width less 2 x 20 mm margins, at 96 dpi


def _recovery_sheet() -> QWidget:
    """The printed sheet, drawn from the same QTextDocument as the PDF, on white paper."""
    facts = SheetFacts(
        recovery_key=SAMPLE_KEY,
        store="s3://s3.exemple.gouv.fr/equipe-juridique/coffre",
        vault_id="3f9a1c7e5b2d48a6" * 2,
        folder="/home/agent/Équipe juridique",
        made_on=date(2026, 11, 28),
    )
    doc = sheet_document(facts)
    doc.setDocumentMargin(SHEET_MARGIN)
    doc.setTextWidth(SHEET_TEXT_WIDTH + 2 * SHEET_MARGIN)
    size = doc.size().toSize()
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    label = QLabel()
    label.setPixmap(QPixmap.fromImage(image))
    label.setFixedSize(QSizeF(size).toSize())
    label.setProperty("_coffre_keep", [doc])
    return label


def screenshot_screens() -> list[tuple[str, Callable[[], QWidget]]]:
    def screen(
        page: PageId, mode: Mode, setup: Callable[[SetupModel], None] | None = None
    ) -> Callable[[], QWidget]:
        return lambda: _wizard(page, mode, setup)

    return [
        ("wizard-1-welcome", screen(PageId.WELCOME, Mode.DEFAULT)),
        ("wizard-2-store-folder", screen(PageId.STORE, Mode.CREATE, _store_kind(StoreKind.FOLDER))),
        ("wizard-2-store-s3", screen(PageId.STORE, Mode.CREATE, _store_kind(StoreKind.S3))),
        ("wizard-2-store-webdav", screen(PageId.STORE, Mode.CREATE, _store_kind(StoreKind.WEBDAV))),
        ("wizard-3-connection-ok", screen(PageId.CONNECTION, Mode.CREATE, _new_store)),
        ("wizard-3-connection-error", screen(PageId.CONNECTION, Mode.JOIN, _missing_store)),
        ("wizard-4-passphrase-create", screen(PageId.PASSPHRASE, Mode.CREATE, _passphrase)),
        ("wizard-4-passphrase-join", screen(PageId.PASSPHRASE, Mode.JOIN)),
        ("wizard-4-passphrase-join-recovery", _join_recovery_page),
        ("wizard-5-folder-not-empty", screen(PageId.FOLDER, Mode.JOIN, _busy_folder)),
        ("wizard-6-summary", screen(PageId.SUMMARY, Mode.CREATE, _summary)),
        ("wizard-7-recovery-key", screen(PageId.RECOVERY, Mode.CREATE, _recovery)),
        ("wizard-8-done", screen(PageId.DONE, Mode.DEFAULT)),
        ("recovery-sheet", _recovery_sheet),
    ]
