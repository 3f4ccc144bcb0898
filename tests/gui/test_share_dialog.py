""" "Share…" through the real menus, on a real shared folder with the real MembersService.

tests/share_world.py makes the folder (a real vault on a folder store, its
membership log and epoch keys; Alice on this computer owns it, Bob edits from
his computer, Carol reads). The window is the real app (`launch`, the engine
running); each change made in the dialog is checked again in the store's log
through a service of its own, and a colleague's view comes from their own copy
of the log.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.gui.main_window import MainWindow, launch
from app.gui.views.share_dialog import RemoveDialog, ShareDialog
from app.settings import SettingsStore
from tests.share_world import (  # noqa: F401 - the fixtures
    PASSPHRASE,
    SharedFolder,
    keyring_services_fixture,
    shared_fixture,
)

from .a11y import assert_accessible
from .devices import FAST_LIVE, WAIT_MS, wait_idle
from .french_text import assert_french


@pytest.fixture
def window(qtbot: Any, shared: SharedFolder) -> Iterator[MainWindow]:
    window = launch(
        [shared.binding],
        passphrase_for=lambda _b: PASSPHRASE,
        config=FAST_LIVE,
        settings=SettingsStore(),
    )
    qtbot.addWidget(window)
    wait_idle(qtbot, window.bridge.models[shared.binding.folder_id])
    yield window
    window.quit()


def in_the_log(shared: SharedFolder) -> list[dict[str, Any]]:
    """The members as `coffre members list --json` reads them from the store's log."""
    folder = str(shared.alice.folder)
    return list(json.loads(shared.alice.cli("members", "list", "--folder", folder, "--json")))


def names_roles(shared: SharedFolder) -> dict[str, str]:
    return {m["name"]: m["role"] for m in in_the_log(shared)}


def open_share(qtbot: Any, window: MainWindow) -> ShareDialog:
    found = [a for a in window.coffre_menu.actions() if a.text() == "Par&tager…"]
    assert len(found) == 1, [a.text() for a in window.coffre_menu.actions()]
    window.coffre_menu.aboutToShow.emit()  # as opening the menu does: enabled for a folder
    assert found[0].isEnabled()
    found[0].trigger()
    dialog = window.share_menu.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.model.loaded, dialog.outcome.text()
    return dialog


def wait_done(qtbot: Any, dialog: ShareDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.outcome.styleSheet() == "", dialog.outcome.text()


def tree_rows(dialog: ShareDialog) -> list[tuple[str, str, list[str]]]:
    rows = []
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        devices = [item.child(j).text(0) for j in range(item.childCount())]
        rows.append((item.text(0), item.text(1), devices))
    return rows


def test_an_owner_adds_changes_and_removes_through_the_share_dialog(
    qtbot: Any, window: MainWindow, shared: SharedFolder, tmp_path: Path
) -> None:
    dialog = open_share(qtbot, window)
    assert tree_rows(dialog) == [
        ("Alice Martin (vous)", "Propriétaire", ["bureau (cet ordinateur)"]),
        ("Bob Durand", "Éditeur", ["portable-bob"]),
        ("Carol Petit", "Lecteur", []),
    ]
    assert "Votre rôle dans ce dossier : propriétaire" in dialog.my_role.text()
    assert dialog.add_box.isVisible()
    assert_french(dialog, "partage, propriétaire")
    assert_accessible(dialog)

    # Élise's card, from the file attached to her mail, through the real file dialog.
    elise = shared.colleague(tmp_path, "Élise Dupont", "elise")
    alice_card = tmp_path / "carte-alice.txt"
    alice_card.write_text(shared.alice.card, encoding="utf-8")
    compared = elise.cli("identity", "compare", "--card", str(alice_card), "--json")
    theirs = json.loads(compared)["safety_number"]  # what Élise's own Coffre shows her
    attached = tmp_path / "carte-elise.txt"
    attached.write_text("Bonjour Alice,\n\n" + elise.card, encoding="utf-8")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    file_dialog = dialog.file_dialog
    assert isinstance(file_dialog, QFileDialog)
    qtbot.waitUntil(file_dialog.isVisible, timeout=WAIT_MS)
    file_dialog.selectFile(str(attached))
    file_dialog.accept()
    qtbot.waitUntil(dialog.checked_box.isVisible, timeout=WAIT_MS)
    # The number Élise's own Coffre shows her for Alice's card: compared by phone.
    assert dialog.number.text().split() == theirs.split()
    assert dialog.number.font().pointSizeF() > dialog.how.font().pointSizeF()
    assert "appelez" in dialog.how.text() and "30 chiffres" in dialog.how.text()
    assert_french(dialog, "carte vérifiée")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("reader"))
    assert dialog.add_button.isEnabled()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert "Élise Dupont fait désormais partie du dossier" in dialog.outcome.text()
    assert names_roles(shared)["Élise Dupont"] == "reader"
    assert not dialog.checked_box.isVisible() and dialog.card_edit.toPlainText() == ""
    elise.folder.mkdir(parents=True)  # her identity opens the folder's key: she joins
    elise.cli("join", "--store", str(shared.store), "--folder", str(elise.folder))

    # Bob's card again: he already shares the folder, nothing to add.
    dialog.card_edit.setPlainText(shared.bob.card)
    assert "Bob Durand partage déjà ce dossier" in dialog.card_problem.text()
    assert not dialog.add_button.isEnabled()
    dialog.card_edit.clear()

    # Making Carol an owner is asked first; cancelled, nothing changes.
    dialog.select(shared.carol.id)
    dialog.role_actions["owner"].trigger()
    question = dialog.owner_question
    assert question is not None
    qtbot.waitUntil(question.isVisible, timeout=WAIT_MS)
    assert "vous compris" in question.text()
    assert_french(question, "faire un propriétaire")
    question.reject()
    assert not dialog.busy and names_roles(shared)["Carol Petit"] == "reader"

    # Carol becomes an editor from the role menu.
    dialog.select(shared.carol.id)
    assert dialog.role_button.isEnabled()
    assert not dialog.role_actions["reader"].isVisible()  # her role now
    dialog.role_actions["editor"].trigger()
    wait_done(qtbot, dialog)
    assert names_roles(shared)["Carol Petit"] == "editor"
    assert "Nouveau rôle de Carol Petit : éditeur" in dialog.outcome.text()

    # Bob's laptop is lost: removed, with what that cannot do said first.
    (bob,) = [m for m in dialog.model.members if m.name == "Bob Durand"]
    dialog.select(bob.devices[0].id)
    assert dialog.remove_button.isEnabled() and not dialog.role_button.isEnabled()
    warning = dialog.ask_remove()
    assert isinstance(warning, RemoveDialog)
    qtbot.waitUntil(warning.isVisible, timeout=WAIT_MS)
    said = warning.consequences.text()
    for words in ("nouvelle clé", "déjà téléchargé", "service informatique", "phrase de passe"):
        assert words in said, words
    assert not warning.reencrypt.isVisible()  # a device is removed without re-encrypting
    assert warning.cancel_button.isDefault()
    assert_french(warning, "retirer un ordinateur")
    qtbot.mouseClick(warning.remove_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert [m["devices"] for m in in_the_log(shared) if m["name"] == "Bob Durand"] == [[]]
    assert "perdu ou volé" in dialog.outcome.text()

    # Bob himself leaves the team: re-encrypting is offered, and refused by this version.
    dialog.select(shared.bob.id)
    warning = dialog.ask_remove()
    assert warning is not None and warning.reencrypt.isVisible()
    assert "anciennes clés" in warning.consequences.text()
    warning.reencrypt.setChecked(True)
    assert "chiffrés de nouveau" in warning.consequences.text()
    assert "anciennes clés que détenait Bob Durand ouvrent" not in warning.consequences.text()
    qtbot.mouseClick(warning.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert "Impossible de retirer Bob Durand ; rien n’a été modifié." in dialog.outcome.text()
    assert "Bob Durand" in names_roles(shared)
    assert_french(dialog, "retrait refusé")

    warning = dialog.ask_remove()
    assert warning is not None and not warning.reencrypt.isChecked()
    qtbot.mouseClick(warning.remove_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert "Bob Durand" not in names_roles(shared)
    assert "Bob Durand ne fait plus partie du dossier" in dialog.outcome.text()
    assert "accès au stockage" in dialog.outcome.text()
    # The passphrase next, for the vault of this folder, from the dialog itself.
    assert dialog.passphrase_button.isVisible()
    qtbot.mouseClick(dialog.passphrase_button, Qt.MouseButton.LeftButton)
    change = window.vault_menu.dialog
    assert change is not None and change.binding == shared.binding
    change.reject()
    assert [r[0] for r in tree_rows(dialog)] == [
        "Alice Martin (vous)",
        "Carol Petit",
        "Élise Dupont",
    ]
    dialog.reject()

    # The folder card's own menu opens the same dialog.
    card = window.status_widgets[shared.binding.folder_id]
    card.share_action.trigger()
    again = window.share_menu.dialog
    assert again is not None and again is not dialog
    qtbot.waitUntil(lambda: again.model.loaded, timeout=WAIT_MS)
    assert again.windowTitle() == f"Partager {Path(shared.binding.folder).name}"
    again.reject()


def test_joins_and_departures_are_announced_and_a_reader_wears_the_badge(
    qtbot: Any, window: MainWindow, shared: SharedFolder, tmp_path: Path
) -> None:
    fid = shared.binding.folder_id
    menu = window.share_menu
    now = [time.monotonic() + 61]  # a listing is due at once, whatever launching did
    menu.clock = lambda: now[0]
    notifier = window.notifier
    assert notifier is not None
    card = window.status_widgets[fid]
    model = window.bridge.models[fid]

    def round_and_listing() -> None:
        asked = menu.watch(fid).checked_at
        window.bridge.sync_now(fid)
        qtbot.waitUntil(lambda: menu.watch(fid).checked_at != asked, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: menu.watch(fid).known is not None, timeout=WAIT_MS)

    round_and_listing()  # the baseline: nobody announced, this person an owner
    qtbot.waitUntil(lambda: model.role == "owner", timeout=WAIT_MS)
    assert not card.badge.isVisible() and notifier.shown == []

    # Alice makes Bob an owner; from his computer Bob makes her a reader.
    alice_id = json.loads(shared.alice.cli("identity", "show", "--json"))["id"]
    shared.alice.cli(
        "members", "role", "--folder", str(shared.alice.folder), shared.bob.id, "owner"
    )
    shared.bob.cli("members", "role", "--folder", str(shared.bob.folder), alice_id, "reader")
    now[0] += 61
    round_and_listing()
    qtbot.waitUntil(lambda: model.role == "reader", timeout=WAIT_MS)
    qtbot.waitUntil(card.badge.isVisible, timeout=WAIT_MS)
    assert_french(card, "lecteur")
    assert notifier.shown == []  # roles changed; nobody joined or left

    # Bob adds Élise and removes Carol: both announced at the next listing.
    elise = shared.colleague(tmp_path, "Élise Dupont", "elise")
    bob_folder = str(shared.bob.folder)
    shared.bob.cli(
        "members", "add", "--folder", bob_folder, "--card", str(elise.card_file()),
        "--role", "editor",
    )  # fmt: skip
    shared.bob.cli("members", "remove", "--folder", bob_folder, shared.carol.id)
    now[0] += 61
    round_and_listing()
    qtbot.waitUntil(lambda: len(notifier.shown) == 2, timeout=WAIT_MS)
    titles = [title for title, _text in notifier.shown]
    folder = Path(shared.binding.folder).name
    assert titles == [f"Nouveau membre dans {folder}", f"Un membre a quitté {folder}"]
    assert notifier.shown[0][1] == "Élise Dupont partage désormais ce dossier."
    assert notifier.shown[1][1].startswith("Carol Petit ne partage plus ce dossier")

    # As a reader Alice sees the members, and nothing to change.
    dialog = open_share(qtbot, window)
    assert not dialog.add_box.isVisible()
    assert "Votre rôle dans ce dossier : lecteur" in dialog.my_role.text()
    dialog.select(shared.bob.id)
    assert not dialog.remove_button.isEnabled() and not dialog.role_button.isEnabled()
    assert "Seul un propriétaire" in dialog.role_note.text()
    assert_french(dialog, "partage, lecteur")
    dialog.reject()
