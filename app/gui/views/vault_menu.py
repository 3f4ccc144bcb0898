"""The window's "Vault" menu entries for secrets: change the passphrase.

Kept out of main_window.py so the window only calls `install_vault_menu(window)`:
the action finds the menu named "Vault" (or creates it), and acts on the folder
selected in the window (or the only one).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from app.folders import Binding

from .change_passphrase_dialog import ChangePassphraseDialog


def _vault_menu(window: QMainWindow) -> QMenu:
    title = QCoreApplication.translate("VaultMenu", "&Vault")
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == title:
            return menu
    return window.menuBar().addMenu(title)


class VaultMenu:
    """The entries this module adds, and the dialog last opened from them."""

    def __init__(self, window: QMainWindow, current_binding: Callable[[], Binding | None]):
        translate = QCoreApplication.translate
        self.window = window
        self.current_binding = current_binding
        self.dialog: ChangePassphraseDialog | None = None
        self.change_passphrase = QAction(translate("VaultMenu", "Change the &passphrase…"), window)
        self.change_passphrase.triggered.connect(self.open_change_dialog)
        menu = _vault_menu(window)
        menu.addAction(self.change_passphrase)
        menu.aboutToShow.connect(
            lambda: self.change_passphrase.setEnabled(current_binding() is not None)
        )

    def open_change_dialog(self) -> None:
        binding = self.current_binding()
        if binding is None:
            return
        dialog = ChangePassphraseDialog(binding, self.window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()


def install_vault_menu(
    window: QMainWindow, current_binding: Callable[[], Binding | None]
) -> VaultMenu:
    """Add "Change the passphrase…" to the window's Vault menu."""
    return VaultMenu(window, current_binding)
