"""The wizard's pages in representative states, for tools/screenshots.py.

Each factory builds a wizard at one page with plausible choices made. They
run in a throwaway COFFRE_HOME and HOME (the screenshots tool sets them), so
the connection tests they trigger only look at temporary folders.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from app.setup_model import Mode, SetupModel, StoreKind

from .pages import ConnectionPage, PageId
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
        ("wizard-5-folder-not-empty", screen(PageId.FOLDER, Mode.JOIN, _busy_folder)),
        ("wizard-6-summary", screen(PageId.SUMMARY, Mode.CREATE, _summary)),
        ("wizard-7-recovery-key", screen(PageId.RECOVERY, Mode.CREATE, _recovery)),
        ("wizard-8-done", screen(PageId.DONE, Mode.DEFAULT)),
    ]
