"""The setup wizard window: create a vault or join one, then bind a local folder."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from app.gui.i18n import interface_language
from app.setup_model import SetupModel

from .pages import (
    ConnectionPage,
    DonePage,
    FolderPage,
    PageId,
    PassphrasePage,
    RecoveryPage,
    SetupPage,
    StorePage,
    SummaryPage,
    WelcomePage,
)


class SetupWizard(QWizard):
    """After `exec()` returns Accepted, `model.binding` is the new folder binding."""

    def __init__(self, model: SetupModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model or SetupModel()
        self.model.vault_language = interface_language()  # a new vault speaks the UI's language
        self.setWindowTitle(self.tr("Set up Coffre"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # "Finish" only
        self.pages: dict[PageId, SetupPage] = {
            PageId.WELCOME: WelcomePage(self.model),
            PageId.STORE: StorePage(self.model),
            PageId.CONNECTION: ConnectionPage(self.model),
            PageId.PASSPHRASE: PassphrasePage(self.model),
            PageId.FOLDER: FolderPage(self.model),
            PageId.SUMMARY: SummaryPage(self.model),
            PageId.RECOVERY: RecoveryPage(self.model),
            PageId.DONE: DonePage(self.model),
        }
        for page_id, page in self.pages.items():
            self.setPage(int(page_id), page)
            page.busy.connect(self.set_busy)
        # A policy that hides the wizard: straight to what only the person can give.
        self.setStartId(int(PageId.CONNECTION if self.model.skip_welcome else PageId.WELCOME))
        for button in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            widget = self.button(button)
            widget.setAccessibleName(widget.text().replace("&", "").strip(" <>"))
        self.resize(720, 560)

    def page_of(self, page_id: PageId) -> SetupPage:
        return self.pages[page_id]

    def set_busy(self, busy: bool) -> None:
        """While the vault is being set up, no button may interrupt it."""
        for button in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(button).setEnabled(not busy)
        if not busy:
            current = self.currentPage()
            if current is not None:
                current.completeChanged.emit()

    def reject(self) -> None:
        """Closing before the recovery key is confirmed asks first: it is not shown again."""
        page = self.currentPage()
        if isinstance(page, SummaryPage) and page.running:
            return
        if isinstance(page, RecoveryPage) and not page.confirmed():
            answer = QMessageBox.question(
                self,
                self.tr("Close without confirming?"),
                self.tr(
                    "The vault is created, but the recovery key will not be shown again. Close "
                    "anyway?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
