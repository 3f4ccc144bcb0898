""" "Connect to a shared storage…": move this folder's vault to another store.

Thin widgets: the store form and its connection test are the setup wizard's
own pages (the new store must be reachable, writable and empty, exactly as
for a new vault); the move itself is app/move.py's `move_vault`, run on the
engine thread with the folder's open session. The other computers follow on
their next sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.move import MoveOutcome, move_vault
from app.setup_model import Mode, SetupModel
from sync_engine.stores.url import redact

from .wizard.pages import ConnectionPage, PageId, StorePage

if TYPE_CHECKING:
    from app.folders import Binding
    from app.session import FolderSession

    from .engine_bridge import EngineBridge


class MovePage(QWizardPage):
    """Copies the vault, reads every object back, and leaves the forwarding record."""

    def __init__(self, model: SetupModel, bridge: EngineBridge, folder_id: str) -> None:
        super().__init__()
        self.model = model
        self.bridge = bridge
        self.folder_id = folder_id
        self.setTitle(self.tr("Moving the vault"))
        self.setSubTitle(
            self.tr(
                "Every file of the vault is copied to the new storage and read back. The old "
                "storage then tells your other computers where the vault went: they follow on "
                "their next sync."
            )
        )
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(self.tr("Moving the vault"))
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.done = False
        self.outcome: MoveOutcome | None = None

    def initializePage(self) -> None:
        self.done = False
        self.progress.show()
        self.result.setText(self.tr("Copying and checking…"))
        address = self.model.store.address()
        credentials = self.model.store.credentials()

        async def job(_binding: Binding, session: FolderSession | None) -> MoveOutcome:
            if session is None:
                raise RuntimeError(self.tr("Unlock the folder first, then try again."))
            return await move_vault(session, address, credentials)

        self.bridge.run_job(self.folder_id, job, self._finished)
        self.completeChanged.emit()

    def _finished(self, outcome: Any, error: str) -> None:
        self.progress.hide()
        if error:
            self.result.setStyleSheet("color: #b03a2e;")
            self.result.setText(
                self.tr(
                    "The vault was not moved: %1\nNothing was lost; you can try again (the copy "
                    "resumes where it stopped)."
                ).replace("%1", error)
            )
            return
        self.outcome = outcome
        self.done = True
        self.result.setStyleSheet("color: #1e8449;")
        self.result.setText(
            self.tr(
                "The vault is now at %1. Keep the old storage until your other computers have "
                "synced once."
            ).replace("%1", redact(outcome.binding.store))
        )
        self.result.setAccessibleName(self.result.text())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.done

    def nextId(self) -> int:
        return -1


class MoveStoreDialog(QWizard):
    """Choose the new storage (the wizard's pages), test it, move."""

    def __init__(self, bridge: EngineBridge, folder_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SetupModel(mode=Mode.CREATE)  # an empty, writable store, as for a new vault
        self.setWindowTitle(self.tr("Connect to a shared storage"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.store_page = StorePage(self.model)
        self.store_page.setTitle(self.tr("Where should the vault move to?"))
        self.store_page.setSubTitle(
            self.tr(
                "Choose the shared storage your organisation gave you. It must be empty: Coffre "
                "copies the vault there, and your other computers follow."
            )
        )
        self.connection_page = ConnectionPage(self.model)
        self.move_page = MovePage(self.model, bridge, folder_id)
        # The wizard's pages go on by page id: store -> connection -> the next step.
        self.setPage(int(PageId.STORE), self.store_page)
        self.setPage(int(PageId.CONNECTION), self.connection_page)
        self.setPage(int(PageId.PASSPHRASE), self.move_page)
        self.setStartId(int(PageId.STORE))
        self.resize(720, 560)


def install_move_store_action(window: Any) -> QAction:
    """The menu command; `window` is the main window (its bridge and current folder)."""
    action = QAction(
        QCoreApplication.translate("MoveStoreDialog", "Connect to a &shared storage…"), window
    )

    def open_dialog() -> None:
        folder_id = window.current_folder()
        if folder_id is None:
            QMessageBox.information(
                window,
                QCoreApplication.translate("MoveStoreDialog", "Connect to a shared storage"),
                QCoreApplication.translate("MoveStoreDialog", "Add a folder first."),
            )
            return
        dialog = MoveStoreDialog(window.bridge, folder_id, window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    action.triggered.connect(open_dialog)
    window.add_vault_action(action)  # the Coffre menu's vault section
    return action
