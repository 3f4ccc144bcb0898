"""Every wizard page and every settings tab passes `assert_accessible` (tests/gui/a11y.py).

The main window's tests can reuse the same helper:

    from tests.gui.a11y import assert_accessible
    assert_accessible(window)
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.gui.settings_dialog import SettingsDialog
from app.gui.wizard import Mode, PageId, SetupModel, SetupWizard, StoreKind
from app.settings import SettingsStore
from tests.gui.a11y import accessibility_problems, assert_accessible
from tests.gui.conftest import GuiEnv

SAMPLE_KEY = "BGE2-SH1G-94A1-Z0KF-5ABR-Y9Q1-8K73-PDXB"


def wizard_at(qtbot: QtBot, page: PageId, mode: Mode, kind: StoreKind, env: GuiEnv) -> SetupWizard:
    model = SetupModel()
    model.choose(mode)
    model.store.kind = kind
    model.store.folder = str(env.root / "store")
    model.recovery_key = SAMPLE_KEY
    wizard = SetupWizard(model)
    wizard.setStartId(int(page))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def shown_pages() -> list[tuple[Mode, PageId]]:
    """Every page a person can reach in each mode (joining shows no recovery key)."""
    return [
        (mode, page)
        for mode in (Mode.CREATE, Mode.JOIN)
        for page in PageId
        if not (mode is Mode.JOIN and page is PageId.RECOVERY)
    ]


# The connection page starts a real test of the folder store: harmless, it only looks.
@pytest.mark.parametrize(
    ("mode", "page"),
    shown_pages(),
    ids=lambda v: v.name.lower() if isinstance(v, PageId) else v.value,
)
def test_every_wizard_page_is_accessible(
    qtbot: QtBot, gui_env: GuiEnv, mode: Mode, page: PageId
) -> None:
    wizard = wizard_at(qtbot, page, mode, StoreKind.FOLDER, gui_env)
    assert wizard.currentId() == int(page)
    assert_accessible(wizard)
    wizard.hide()


@pytest.mark.parametrize("kind", list(StoreKind), ids=lambda k: k.value)
def test_every_store_form_is_accessible(qtbot: QtBot, gui_env: GuiEnv, kind: StoreKind) -> None:
    wizard = wizard_at(qtbot, PageId.STORE, Mode.CREATE, kind, gui_env)
    assert_accessible(wizard)


def test_every_settings_tab_is_accessible(qtbot: QtBot) -> None:
    dialog = SettingsDialog(SettingsStore(), bindings=[])
    qtbot.addWidget(dialog)
    dialog.show()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert_accessible(dialog)


def test_the_checker_catches_nameless_and_out_of_order_widgets(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    top, middle, bottom = QLineEdit(window), QPushButton("OK", window), QLineEdit(window)
    for widget in (top, middle, bottom):
        layout.addWidget(widget)
    top.setAccessibleName("Top")
    window.show()
    problems = accessibility_problems(window)
    assert any("no accessible name" in p for p in problems)
    bottom.setAccessibleName("Bottom")
    assert accessibility_problems(window) == []
    # Tab goes top -> bottom -> middle -> top: backwards twice round the cycle.
    QWidget.setTabOrder(top, bottom)
    QWidget.setTabOrder(bottom, middle)
    problems = accessibility_problems(window)
    assert any("backwards" in p for p in problems), problems
