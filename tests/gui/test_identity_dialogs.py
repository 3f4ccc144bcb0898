""" "Mon identité" and "Vérifier un collègue…" driven through the real Coffre menu: the real
identity store and Secret Service (gnome-keyring in the test D-Bus session), a colleague's card
made by the real `coffre identity` command in a home of its own, the real file dialogs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from app import identity_store
from app.account_name import default_name
from app.gui.main_window import MainWindow, launch
from app.gui.settings_dialog import SettingsDialog
from app.gui.views.identity_dialogs import MyIdentityDialog, VerifyColleagueDialog
from app.settings import SettingsStore
from crypto.identity import parse_card
from tests.e2e.conftest import cli_env, run_cli
from tests.environment import unavailable

from .a11y import assert_accessible, interactive_widgets
from .conftest import GuiEnv, clear_keyring_service, keyring_available
from .devices import WAIT_MS
from .french_text import assert_french

STRONG = "une phrase de passe assez longue pour Alice 42"


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This test's own identity service in the real Secret Service, emptied afterwards."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-identity-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(identity_store.SERVICE_ENV, name)
    yield name
    clear_keyring_service(name)


@pytest.fixture
def window(qtbot: Any) -> Iterator[MainWindow]:
    window = launch([], settings=SettingsStore())
    qtbot.addWidget(window)
    yield window
    window.quit()


@pytest.fixture
def colleague(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Élise's computer: its own COFFRE_HOME and keyring service, driven by the real CLI."""
    home = tmp_path / "elise-home"
    name = f"coffre-identity-test-{uuid.uuid4().hex[:12]}"
    env = cli_env(home, None)
    env[identity_store.SERVICE_ENV] = name
    run_cli(["identity", "create", "--name", "Élise Dupont"], env=env)
    yield lambda args: run_cli(args, env=env)
    clear_keyring_service(name)


def menu_action(window: MainWindow, text: str) -> QAction:
    """The Coffre menu's entry with this (French) text: what a person clicks."""
    found = [a for a in window.coffre_menu.actions() if a.text() == text]
    assert len(found) == 1, [a.text() for a in window.coffre_menu.actions()]
    return found[0]


def open_my_identity(qtbot: Any, window: MainWindow) -> MyIdentityDialog:
    menu_action(window, "Mon &identité").trigger()
    dialog = window.identity_menu.my_identity_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def open_verify(qtbot: Any, window: MainWindow) -> VerifyColleagueDialog:
    menu_action(window, "&Vérifier un collègue…").trigger()
    dialog = window.identity_menu.verify_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def choose_in(qtbot: Any, file_dialog: QFileDialog, path: Path) -> None:
    """Pick `path` in the real (Qt) file dialog, as a person types it and presses Enter."""
    qtbot.waitUntil(file_dialog.isVisible, timeout=WAIT_MS)
    file_dialog.selectFile(str(path))
    file_dialog.accept()


def create_from_the_dialog(qtbot: Any, dialog: MyIdentityDialog, name: str) -> None:
    dialog.name_edit.setText(name)
    assert dialog.create_button.isEnabled()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.show_page.isVisible, timeout=WAIT_MS)


def test_my_identity_is_created_shown_copied_and_saved(
    qtbot: Any, window: MainWindow, service: str, gui_env: GuiEnv
) -> None:
    import keyring

    dialog = open_my_identity(qtbot, window)
    assert dialog.create_page.isVisible() and not dialog.show_page.isVisible()
    assert dialog.name_edit.text() == default_name()  # prefilled from the account
    assert not dialog.passphrase_box.isVisible()  # a keyring is there: no passphrase
    assert_french(dialog, "création")
    assert_accessible(dialog)
    dialog.name_edit.setText("Alice\tMartin")
    assert not dialog.create_button.isEnabled()
    assert "tabulation" in dialog.create_problem.text()

    create_from_the_dialog(qtbot, dialog, "Alice Martin")
    stored = identity_store.load()
    assert stored is not None and stored.name == "Alice Martin"
    assert stored.kept_in == identity_store.IN_KEYRING
    assert keyring.get_password(service, stored.identity_id.hex())
    assert not list(gui_env.coffre_home.glob("identity-*.key"))
    assert dialog.name_label.text() == "Alice Martin"
    assert dialog.fingerprint.text().split() == stored.fingerprint.split()
    assert stored.fingerprint.split()[0] in dialog.fingerprint.accessibleName()
    assert dialog.fingerprint.font().pointSizeF() > dialog.name_label.font().pointSizeF()
    assert dialog.card_view.toPlainText() == stored.card
    assert "trousseau" in dialog.kept_label.text()
    assert_french(dialog, "affichage")
    assert_accessible(dialog)

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == stored.card
    assert "copiée" in dialog.card_status.text()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.file_dialog is not None
    assert dialog.file_dialog.selectedFiles()[0].endswith("carte-coffre-alice-martin.txt")
    target = gui_env.home / "pour-elise.txt"
    choose_in(qtbot, dialog.file_dialog, target)
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    assert parse_card(target.read_text(encoding="utf-8")) == stored.public
    assert str(target) in dialog.card_status.text()
    dialog.reject()
    qtbot.waitUntil(lambda: window.identity_menu.my_identity_dialog is None, timeout=WAIT_MS)

    # Opened again, the identity is shown at once: the same keys, nothing recreated.
    again = open_my_identity(qtbot, window)
    assert again.show_page.isVisible() and not again.create_page.isVisible()
    assert again.card_view.toPlainText() == stored.card
    again.reject()


def test_without_a_keyring_the_dialog_asks_for_a_passphrase(
    qtbot: Any, window: MainWindow, gui_env: GuiEnv
) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the keyring library's own "no keyring" backend
    try:
        dialog = open_my_identity(qtbot, window)
        assert not dialog.passphrase_box.isVisible()
        create_button = dialog.create_button
        dialog.name_edit.setText("Alice Martin")
        qtbot.mouseClick(create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.passphrase_box.isVisible, timeout=WAIT_MS)
        assert identity_store.load() is None  # nothing kept without the passphrase
        assert not create_button.isEnabled()
        assert_french(dialog, "phrase de passe demandée")
        assert_accessible(dialog)
        dialog.new_passphrase.setText("motdepasse")
        dialog.new_again.setText("motdepasse")
        assert "trop facile" in dialog.create_problem.text() and not create_button.isEnabled()
        dialog.new_passphrase.setText(STRONG)
        dialog.new_again.setText(STRONG)
        assert create_button.isEnabled()
        qtbot.mouseClick(create_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.show_page.isVisible, timeout=WAIT_MS)
        stored = identity_store.load()
        assert stored is not None and stored.kept_in == identity_store.IN_FILE
        assert dialog.new_passphrase.text() == ""
        assert identity_store.unlock(lambda: STRONG).public == stored.public
        assert "phrase de passe" in dialog.kept_label.text()
        dialog.reject()
    finally:
        keyring.set_keyring(previous)


def test_a_colleagues_card_from_the_cli_shows_the_number_they_see(
    qtbot: Any, window: MainWindow, service: str, colleague: Any, gui_env: GuiEnv
) -> None:
    # Without an identity of one's own there is no safety number: the dialog says what to do.
    elise_card = colleague(["identity", "show", "--card"]).stdout
    verify = open_verify(qtbot, window)
    verify.card_edit.setPlainText(elise_card)
    assert "pas encore d’identité" in verify.problem.text()
    assert not verify.result_box.isVisible()
    verify.reject()

    mine = open_my_identity(qtbot, window)
    create_from_the_dialog(qtbot, mine, "Alice Martin")
    mine.reject()
    alice_card = gui_env.root / "alice.txt"
    alice_card.write_text(mine.model.card, encoding="utf-8")
    # What Élise's Coffre shows for Alice's card, through the real command line.
    seen_by_elise = json.loads(
        colleague(["identity", "compare", "--card", str(alice_card), "--json"]).stdout
    )

    verify = open_verify(qtbot, window)
    assert_french(verify, "vide")
    assert_accessible(verify)
    verify.card_edit.setPlainText("Bonjour Alice,\n\nvoici ma carte :\n\n" + elise_card)
    assert verify.result_box.isVisible() and verify.problem.text() == ""
    assert verify.number.text().split() == seen_by_elise["safety_number"].split()
    assert seen_by_elise["safety_number"].split()[0] in verify.number.accessibleName()
    assert "Élise Dupont" in verify.colleague.text()
    assert "Appelez Élise Dupont" in verify.how.text()
    assert verify.number.font().pointSizeF() > verify.how.font().pointSizeF()
    assert_french(verify, "numéro de sécurité")
    assert_accessible(verify)

    # One character of the signed part changed in transit: refused, no number shown.
    lines = elise_card.splitlines()
    blob = lines[-1]
    lines[-1] = blob[:200] + ("A" if blob[200] != "A" else "B") + blob[201:]
    verify.card_edit.setPlainText("\n".join(lines))
    assert not verify.result_box.isVisible()
    assert "modifiée ou abîmée" in verify.problem.text()
    assert verify.number.text() == ""
    assert_french(verify, "carte modifiée")
    # The name swapped on the readable line: refused too.
    verify.card_edit.setPlainText(elise_card.replace("Élise Dupont", "Élise Durand"))
    assert not verify.result_box.isVisible() and "modifiée" in verify.problem.text()
    verify.card_edit.setPlainText("Bonjour, à demain !")
    assert "pas une carte d’identité Coffre" in verify.problem.text()
    verify.card_edit.setPlainText(mine.model.card)
    assert "votre propre carte" in verify.problem.text()

    # The file Élise attached to her mail, through the real file dialog.
    attached = gui_env.root / "carte-elise.txt"
    attached.write_text(elise_card, encoding="utf-8")
    qtbot.mouseClick(verify.choose_button, Qt.MouseButton.LeftButton)
    assert verify.file_dialog is not None
    choose_in(qtbot, verify.file_dialog, attached)
    qtbot.waitUntil(verify.result_box.isVisible, timeout=WAIT_MS)
    assert verify.number.text().split() == seen_by_elise["safety_number"].split()
    assert verify.card_edit.toPlainText() == elise_card
    verify.reject()


def test_the_dialogs_speak_english_too(
    qtbot: Any, window: MainWindow, service: str, use_language: Callable[[str], None]
) -> None:
    use_language("en")
    english = launch([], settings=SettingsStore())
    qtbot.addWidget(english)
    try:
        texts = [a.text() for a in english.coffre_menu.actions()]
        assert "My &identity" in texts and "&Verify a colleague…" in texts
        english.identity_menu.my_identity.trigger()
        dialog = english.identity_menu.my_identity_dialog
        assert dialog is not None
        assert dialog.windowTitle() == "My identity"
        assert dialog.create_button.text() == "C&reate my identity"
        names = {w.accessibleName() for w in interactive_widgets(dialog)}
        assert "Your name" in names
        dialog.reject()
    finally:
        english.quit()


def test_a_damaged_identity_is_named_and_left_alone(
    qtbot: Any, window: MainWindow, service: str, gui_env: GuiEnv, colleague: Any
) -> None:
    record = gui_env.coffre_home / identity_store.INFO_FILE
    record.write_text('{"format": 1, "card": "abîmé"}', encoding="utf-8")
    dialog = open_my_identity(qtbot, window)
    assert dialog.damaged.isVisible()
    assert not dialog.create_page.isVisible() and not dialog.show_page.isVisible()
    assert str(record) in dialog.damaged.text()
    assert_french(dialog, "identité abîmée")
    dialog.reject()
    verify = open_verify(qtbot, window)
    verify.card_edit.setPlainText(colleague(["identity", "show", "--card"]).stdout)
    assert "ne peut pas être lue" in verify.problem.text()
    assert not verify.result_box.isVisible()
    assert_french(verify, "identité abîmée")
    verify.reject()
    assert record.read_text(encoding="utf-8") == '{"format": 1, "card": "abîmé"}'


def test_the_settings_show_my_identity_too(qtbot: Any, window: MainWindow, service: str) -> None:
    window.settings_action.trigger()
    settings = next(w for w in window.findChildren(SettingsDialog) if w.isVisible())
    assert settings.tabs.currentIndex() == 0  # "Général": the identity button is there
    assert settings.identity_button.isVisible()
    qtbot.mouseClick(settings.identity_button, Qt.MouseButton.LeftButton)
    dialog = settings.identity_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    create_from_the_dialog(qtbot, dialog, "Alice Martin")
    stored = identity_store.load()
    assert stored is not None
    assert dialog.fingerprint.text().split() == stored.fingerprint.split()
    dialog.reject()
    settings.reject()


def test_a_failed_creation_says_so_and_keeps_the_form(
    qtbot: Any, window: MainWindow, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A COFFRE_HOME that cannot be made (inside /proc, read-only even for root).
    monkeypatch.setenv("COFFRE_HOME", f"/proc/coffre-test-{uuid.uuid4().hex[:8]}")
    dialog = open_my_identity(qtbot, window)
    assert dialog.create_page.isVisible()
    dialog.name_edit.setText("Alice Martin")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "pas pu être créée" in dialog.create_problem.text(), timeout=WAIT_MS)
    assert dialog.create_problem.isVisible()
    assert dialog.create_page.isVisible() and dialog.create_button.isEnabled()
    assert dialog.name_edit.text() == "Alice Martin"  # nothing to type again
    dialog.reject()
