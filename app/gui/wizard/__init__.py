"""The setup wizard: the first thing a new user sees, and how folders are added later."""

from __future__ import annotations

from app.folders import all_bindings
from app.setup_model import Mode, SetupModel, StoreForm, StoreKind

from .pages import PageId
from .window import SetupWizard

__all__ = ["Mode", "PageId", "SetupModel", "SetupWizard", "StoreForm", "StoreKind", "needs_setup"]


def needs_setup() -> bool:
    """Nothing configured yet: the app opens the wizard instead of the main window."""
    return not all_bindings()
