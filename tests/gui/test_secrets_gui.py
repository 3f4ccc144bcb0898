"""Secrets in the app, in French: "Phrase de passe oubliée ?" in the unlock dialog, the
passphrase change from the window's menu, and the recovery sheet as PDF (issue 10)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.folders import Binding, create_binding
from app.gui.main_window import MainWindow, launch
from app.gui.views.passphrase_dialog import PassphraseDialog
from app.gui.wizard.recovery_sheet import SheetFacts, save_pdf, sheet_document
from crypto.errors import WrongPassphrase
from sync_engine.disk.localfs import DiskFs
from sync_engine.stores.local import LocalStore
from sync_engine.vault.vault_store import create_vault_on_store, unlock_vault

from .a11y import assert_accessible
from .devices import (  # noqa: F401 - the fixtures
    FAST_KDF,
    FAST_LIVE,
    PASSPHRASE,
    WAIT_MS,
    Vault,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)

NEW = "trois hirondelles au clocher 7"


def _opens(store_dir: Path, passphrase: str) -> bool:
    async def attempt() -> bool:
        store = LocalStore(str(store_dir))
        try:
            await unlock_vault(store, passphrase=passphrase)
            return True
        except WrongPassphrase:
            return False
        finally:
            await store.close()

    return asyncio.run(attempt())


@pytest.fixture
def windows(qtbot: Any) -> Any:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        window.quit()


def _start(qtbot: Any, windows: list[MainWindow], binding: Binding) -> MainWindow:
    window = launch([binding], passphrase_for=lambda _b: None, config=FAST_LIVE)
    qtbot.addWidget(window)
    windows.append(window)
    return window


def _dialog(qtbot: Any, window: MainWindow) -> PassphraseDialog:
    def shown() -> PassphraseDialog | None:
        found = [d for d in window.findChildren(PassphraseDialog) if d.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
    dialog = shown()
    assert dialog is not None
    return dialog


def test_forgotten_passphrase_unlock_with_the_recovery_key_and_choose_a_new_one(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: list[MainWindow]
) -> None:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))
    store_dir = tmp_path / "store"

    async def create() -> Any:
        store = await LocalStore.create(str(store_dir), parents=True)
        try:
            return await create_vault_on_store(store, PASSPHRASE, FAST_KDF)
        finally:
            await store.close()

    created = asyncio.run(create())
    folder = tmp_path / "bureau"
    folder.mkdir()
    binding = create_binding(folder, str(store_dir), created.key.vault_id.hex(), "bureau")
    DiskFs(binding.folder).write_root_marker()

    window = _start(qtbot, windows, binding)
    dialog = _dialog(qtbot, window)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    fields = dialog.fields
    assert not ok.isEnabled()  # nothing typed yet
    assert fields.forgot.text() == "Phrase de passe oubliée ?"
    fields.forgot.click()
    assert fields.recovery_key.isVisibleTo(dialog) and not fields.passphrase.isVisibleTo(dialog)
    assert fields.explain.text().startswith("Saisissez la clé de secours")
    fields.recovery_key.setText(created.recovery_key)
    fields.new_passphrase.setText("azerty")
    fields.new_again.setText("azerty")
    assert not ok.isEnabled()
    assert "trop facile" in fields.problem.text()
    assert "Trop" in fields.meter.label.text() or "faible" in fields.meter.label.text().lower()
    fields.new_passphrase.setText(NEW)
    fields.new_again.setText(NEW)
    assert ok.isEnabled()
    assert_accessible(dialog)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.bridge.models[binding.folder_id])
    # The vault now opens with the new passphrase only, on every device.
    assert _opens(store_dir, NEW) and not _opens(store_dir, PASSPHRASE)


def test_change_the_passphrase_from_the_window_menu(
    qtbot: Any, vault: Vault, windows: list[MainWindow]
) -> None:
    window = _start(qtbot, windows, vault.a)
    menu_titles = [a.text() for a in window.menuBar().actions()]
    assert "&Coffre" in menu_titles
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Coffre")
    assert window.vault_menu.change_passphrase in menu.actions()
    assert window.vault_menu.change_passphrase.text() == "Changer la &phrase de passe…"
    window.vault_menu.change_passphrase.trigger()
    dialog = window.vault_menu.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Changer la phrase de passe"
    assert_accessible(dialog)
    fields = dialog.fields
    fields.passphrase.setText("pas la bonne phrase")
    fields.new_passphrase.setText(NEW)
    fields.new_again.setText(NEW + "x")
    assert not dialog.ok.isEnabled()
    assert fields.problem.text() == "Les deux nouvelles phrases de passe sont différentes."
    fields.new_again.setText(NEW)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert fields.problem.text() == "La phrase de passe actuelle est erronée. Rien n’a été changé."
    assert _opens(vault.store, PASSPHRASE)
    fields.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.changed, timeout=WAIT_MS)
    assert dialog.done_label.text().startswith("La phrase de passe a été changée.")
    assert _opens(vault.store, NEW) and not _opens(vault.store, PASSPHRASE)


def test_the_recovery_sheet_is_saved_as_a_pdf_with_what_to_do(qtbot: Any, tmp_path: Path) -> None:
    facts = SheetFacts(
        recovery_key="ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789",
        store="s3://mairie/coffre?endpoint=https://s3.mairie.example",
        vault_id="0123456789abcdef0123456789abcdef",
        folder="/home/agent/Coffre",
        made_on=date(2026, 12, 4),
    )
    text = sheet_document(facts).toPlainText()
    for expected in (
        "Clé de secours Coffre",
        facts.recovery_key,
        facts.store,
        facts.vault_id,
        "04/12/2026",
        "Phrase de passe oubliée ?",
        "Ne l’envoyez jamais par courriel",
    ):
        assert expected in text, expected
    path = tmp_path / "fiche.pdf"
    save_pdf(facts, str(path))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert len(data) > 2000


@pytest.mark.parametrize(
    ("typed", "advice"),
    [
        ("password123", "« password » fait partie des premiers mots de passe"),
        ("1234chat", "« 1234 » est une suite"),
        ("zzzzzzzzzzzzzzzz", "« zzzzzzzzzzzzzzzz » répète un même caractère"),
        ("Tr0ub4dor&3", "Allongez-la d’au moins 1 caractère(s)"),
        ("correct horse", "Ajoutez un mot ou deux"),
    ],
)
def test_the_strength_meter_advice_is_about_what_was_typed(
    qtbot: Any, typed: str, advice: str
) -> None:
    from app.gui.widgets import StrengthMeter

    meter = StrengthMeter()
    qtbot.addWidget(meter)
    meter.update_for(typed)
    assert advice in meter.label.text(), meter.label.text()
