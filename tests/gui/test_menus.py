"""Every everyday command is reachable from the window's menu or the tray menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton, QWizard

from app.gui.main_window import MainWindow, launch
from app.gui.settings_dialog import SettingsDialog
from app.gui.views.join_dialog import JoinDialog
from app.gui.wizard import Mode, PageId, SetupWizard
from app.settings import SettingsStore

from .a11y import assert_accessible
from .devices import (  # noqa: F401 - the fixtures
    FAST_LIVE,
    PASSPHRASE,
    Vault,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)
from .test_wizard import (
    choose_local_folder,
    commit_and_wait,
    connection_result,
    fill_folder_store,
    fill_passphrase,
    start,
    wait_page,
)


@pytest.fixture
def window(qtbot: Any, vault: Vault) -> Iterator[MainWindow]:
    window = launch(
        [vault.a], passphrase_for=lambda _b: PASSPHRASE, config=FAST_LIVE, settings=SettingsStore()
    )
    qtbot.addWidget(window)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    yield window
    window.quit()


def _shown(kind: type) -> list[Any]:
    app = QGuiApplication.instance()
    assert app is not None
    return [w for w in app.allWidgets() if isinstance(w, kind) and w.isVisible()]  # type: ignore[attr-defined]


def test_settings_open_from_the_menu_and_from_the_tray(qtbot: Any, window: MainWindow) -> None:
    menu_texts = [a.text() for a in window.coffre_menu.actions() if a.text()]
    assert menu_texts == [
        "&Ajouter un dossier…",
        "Ajouter un autre &ordinateur…",
        "Ouvrir le &dossier",
        "Par&tager…",
        "Changer la &phrase de passe…",
        "&Oublier cet ordinateur",
        "Connecter à un &stockage partagé…",
        "Mon &identité",
        "&Vérifier un collègue…",
        "&Paramètres…",
        "&Quitter",
    ]
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: len(_shown(SettingsDialog)) == 1)
    dialog = _shown(SettingsDialog)[0]
    assert dialog.store is window.settings  # the app's settings, which the sync follows
    dialog.reject()
    qtbot.waitUntil(lambda: not _shown(SettingsDialog))

    assert window.tray is not None
    window.tray.settings_action.trigger()
    qtbot.waitUntil(lambda: len(_shown(SettingsDialog)) == 1)
    _shown(SettingsDialog)[0].reject()


def test_another_computer_is_told_the_store_address_to_type(
    qtbot: Any, window: MainWindow, vault: Vault
) -> None:
    window.add_computer_action.trigger()
    qtbot.waitUntil(lambda: len(_shown(JoinDialog)) == 1)
    dialog = _shown(JoinDialog)[0]
    assert dialog.address.text() == str(vault.store)
    assert dialog.command.text() == f"coffre join --store {vault.store} --folder ~/Coffre"
    assert not dialog.note.isVisible()  # a folder the test shares, not the default store
    assert_accessible(dialog)
    copy = [b for b in dialog.findChildren(QPushButton) if b.text() == "&Copier"]
    assert len(copy) == 2
    copy[0].click()
    assert QGuiApplication.clipboard().text() == str(vault.store)
    dialog.reject()


def test_open_the_folder_from_the_status_card(window: MainWindow, vault: Vault) -> None:
    status = window.status_widgets[vault.a.folder_id]
    assert status.path_label.text() == vault.a.folder
    status.open_button.click()
    window.open_folder_action.trigger()
    assert status.opened == [vault.a.folder, vault.a.folder]


def test_add_a_folder_joins_the_vault_with_the_setup_assistant(
    qtbot: Any, window: MainWindow, vault: Vault, tmp_path: Path
) -> None:
    window.add_folder_action.trigger()
    qtbot.waitUntil(lambda: len(_shown(SetupWizard)) == 1)
    wizard = _shown(SetupWizard)[0]
    start(wizard, Mode.JOIN)
    fill_folder_store(wizard, vault.store)
    assert connection_result(qtbot, wizard).startswith("La connexion fonctionne")
    wizard.next()
    fill_passphrase(wizard, PASSPHRASE)
    wizard.next()  # joining: the passphrase is checked against the vault on its own page
    wait_page(qtbot, wizard, PageId.FOLDER)
    second = tmp_path / "second"
    choose_local_folder(wizard, second)
    commit_and_wait(qtbot, wizard, PageId.DONE)
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()  # "Finish" only
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: len(window.status_widgets) == 2)
    (new,) = [b for b in window.bridge.bindings() if b.folder == str(second.resolve())]
    assert window.current_folder() == new.folder_id
    model = window.bridge.models[new.folder_id]
    wait_idle(qtbot, model)  # opened with the passphrase typed in the assistant: no prompt
    assert model.ready and not model.locked
