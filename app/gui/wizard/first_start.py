"""What `coffre-app` does before its main window: settings, language, and the first setup."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.gui.i18n import install_translators
from app.settings import SettingsStore, apply_proxy
from app.setup_model import SetupModel

from . import needs_setup
from .window import SetupWizard


@dataclass(frozen=True)
class Unlock:
    """A passphrase typed in the wizard, handed to the main window in memory (never saved)."""

    passphrase: str = field(repr=False)
    remember: bool  # keep the vault key in the OS keyring once the folder opens


@dataclass(frozen=True)
class FirstStart:
    """Go on to the main window; `unlocks` open the folders set up just now without asking."""

    unlocks: dict[str, Unlock] = field(default_factory=dict)  # by folder id


def prepare_app() -> SettingsStore:
    """Load the settings, then apply those needed before any window: proxy and language."""
    settings = SettingsStore()
    apply_proxy(settings.current)
    install_translators(settings.current.language)
    return settings


def first_start(settings: SettingsStore) -> FirstStart | None:
    """With nothing configured, run the setup wizard; None if the person left without a folder.

    A vault created before the person closed the wizard still counts: its
    folder is bound and syncs, opened with the passphrase just typed.
    """
    if not needs_setup():
        return FirstStart()
    preset = SetupModel()
    preset.apply_policy(settings.policy)  # the organisation's store and folder, if set
    wizard = SetupWizard(preset)
    wizard.exec()
    model = wizard.model
    if model.binding is None:
        return None
    settings.apply_login_item()
    unlock = Unlock(model.passphrase, model.remember_key)
    model.passphrase = model.passphrase_again = ""
    return FirstStart({model.binding.folder_id: unlock})
