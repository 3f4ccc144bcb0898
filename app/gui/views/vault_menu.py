"""The Coffre menu's entries for the vault's secrets: change the passphrase, forget this
computer (delete the key kept for it: app/device_key.py).

Kept out of main_window.py so the window only calls `install_vault_menu(window)`:
the action goes in the menu's vault section (`add_vault_action`) and acts on
the folder selected in the window (or the only one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from app import device_key
from app.folders import Binding
from app.gui.async_runner import shared_runner
from app.session import store_for

from .change_passphrase_dialog import ChangePassphraseDialog


@runtime_checkable
class VaultMenuHost(Protocol):
    """What the main window offers: its vault section, and the menu that holds it."""

    coffre_menu: QMenu

    def add_vault_action(self, action: QAction) -> None: ...


async def forget_this_computer(binding: Binding) -> bool:
    """Delete this computer's envelope on the store and its keys in the keyring; True if the
    store held an envelope for it."""
    store = store_for(binding.store)
    try:
        return await device_key.forget(store, binding)
    finally:
        await store.close()


class VaultMenu:
    """The entries this module adds, and the dialog last opened from them."""

    def __init__(self, window: QMainWindow, current_binding: Callable[[], Binding | None]):
        assert isinstance(window, VaultMenuHost), "the main window has a Coffre menu"
        translate = QCoreApplication.translate
        self.window = window
        self.current_binding = current_binding
        self.dialog: ChangePassphraseDialog | None = None
        self.message: QMessageBox | None = None  # what "Forget this computer" said last
        self.change_passphrase = QAction(translate("VaultMenu", "Change the &passphrase…"), window)
        self.change_passphrase.triggered.connect(self.open_change_dialog)
        window.add_vault_action(self.change_passphrase)
        self.forget_computer = QAction(translate("VaultMenu", "&Forget this computer"), window)
        self.forget_computer.setToolTip(
            translate(
                "VaultMenu",
                "Delete the key kept for this computer: the passphrase will be asked at the "
                "next start.",
            )
        )
        self.forget_computer.triggered.connect(self.forget)
        window.add_vault_action(self.forget_computer)
        window.coffre_menu.aboutToShow.connect(self._enable)

    def _enable(self) -> None:
        bound = self.current_binding() is not None
        self.change_passphrase.setEnabled(bound)
        self.forget_computer.setEnabled(bound)

    def forget(self) -> None:
        """Forget this computer for the selected folder's vault (the open session runs on)."""
        binding = self.current_binding()
        if binding is None:
            return
        shared_runner().submit(
            forget_this_computer(binding),
            lambda found: self._say(binding, found, ""),
            lambda exc: self._say(binding, False, str(exc) or type(exc).__name__),
            owner=self.window,
        )

    def _say(self, binding: Binding, found: bool, error: str) -> None:
        translate = QCoreApplication.translate
        if error:
            text = translate("VaultMenu", "This computer could not be forgotten: {why}").format(
                why=error
            )
        elif found:
            text = translate(
                "VaultMenu",
                "This computer is forgotten for {folder}: its key is deleted from the store "
                "and from the keyring. Coffre will ask for the passphrase at the next start.",
            ).format(folder=binding.folder)
        else:
            text = translate("VaultMenu", "This computer was not remembered for {folder}.").format(
                folder=binding.folder
            )
        box = QMessageBox(
            QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information,
            translate("VaultMenu", "Forget this computer"),
            text,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.finished.connect(box.deleteLater)
        self.message = box
        box.open()

    def open_change_dialog(self) -> None:
        binding = self.current_binding()
        if binding is not None:
            self.open_change_dialog_for(binding)

    def open_change_dialog_for(self, binding: Binding) -> None:
        """ "Change the passphrase…" for this folder's vault (the Share dialog asks after a
        removal)."""
        dialog = ChangePassphraseDialog(binding, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()


def install_vault_menu(
    window: QMainWindow, current_binding: Callable[[], Binding | None]
) -> VaultMenu:
    """Add "Change the passphrase…" and "Forget this computer" to the window's Vault menu."""
    return VaultMenu(window, current_binding)
