"""What `coffre-app` does before its main window: settings, language, and the first setup."""

from __future__ import annotations

from app.gui.i18n import install_translators
from app.settings import SettingsStore, apply_proxy

from . import needs_setup
from .window import SetupWizard


def prepare_app() -> SettingsStore:
    """Load the settings, then apply those needed before any window: proxy and language."""
    settings = SettingsStore()
    apply_proxy(settings.current)
    install_translators(settings.current.language)
    return settings


def first_start(settings: SettingsStore) -> bool:
    """With nothing configured, run the setup wizard; False if the person left without a folder.

    A vault created before the person closed the wizard still counts: its
    folder is bound and syncs.
    """
    if not needs_setup():
        return True
    wizard = SetupWizard()
    wizard.exec()
    if wizard.model.binding is None:
        return False
    settings.apply_login_item()
    return True
