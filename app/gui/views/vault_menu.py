"""The Coffre menu's entries for the vault's secrets: change the passphrase.

Kept out of main_window.py so the window only calls `install_vault_menu(window)`:
the action goes in the menu's vault section (`add_vault_action`) and acts on
the folder selected in the window (or the only one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from app.folders import Binding

from .change_passphrase_dialog import ChangePassphraseDialog


@runtime_checkable
class VaultMenuHost(Protocol):
    """What the main window offers: its vault section, and the menu that holds it."""

    coffre_menu: QMenu

    def add_vault_action(self, action: QAction) -> None: ...


class VaultMenu:
    """The entries this module adds, and the dialog last opened from them."""

    def __init__(self, window: QMainWindow, current_binding: Callable[[], Binding | None]):
        assert isinstance(window, VaultMenuHost), "the main window has a Coffre menu"
        translate = QCoreApplication.translate
        self.window = window
        self.current_binding = current_binding
        self.dialog: ChangePassphraseDialog | None = None
        self.change_passphrase = QAction(translate("VaultMenu", "Change the &passphrase…"), window)
        self.change_passphrase.triggered.connect(self.open_change_dialog)
        window.add_vault_action(self.change_passphrase)
        window.coffre_menu.aboutToShow.connect(
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
