"""The README's first command, as a new user lives it: `coffre-app` with nothing configured.

The real entry point (`app.gui.main:main`, what the `coffre-app` script runs)
starts in an empty COFFRE_HOME and HOME. A driver on a timer acts as the
person: "Use the default", a passphrase, the recovery key confirmed; then, in
the main window, a file put in ~/Coffre must be synced to the embedded folder
store and the folder shown up to date. Started again at login
(`--autostart`), the remembered key opens the folder with no prompt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWizard

from app.folders import all_bindings
from app.gui import main as entry
from app.gui.main_window import MainWindow
from app.gui.views.passphrase_dialog import PassphraseDialog
from app.gui.wizard import PageId, SetupWizard
from app.paths import default_store_dir
from sync_engine.events import Direction, FolderState
from tests.vault_devices import kept_key

from .conftest import GuiEnv, keyring_available

PASSPHRASE = "le chat dort sur le canapé bleu"
DEADLINE_S = 60.0


@dataclass
class Person:
    """Clicks through the app as a new user would, one step per timer tick."""

    home_file: str = "bonjour.txt"
    done: bool = False
    failure: str = ""
    saw_dialog: bool = False
    steps: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    window_check: Callable[[MainWindow], bool] | None = None

    def tick(self) -> None:
        if self.done:
            return
        try:
            if time.monotonic() - self.started > DEADLINE_S:
                self.give_up(f"stuck after {self.steps}")
                return
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, PassphraseDialog) and widget.isVisible():
                    self.saw_dialog = True
                if isinstance(widget, SetupWizard) and widget.isVisible():
                    self.in_wizard(widget)
                    return
                if isinstance(widget, MainWindow) and not widget.bridge._stopped:
                    self.in_window(widget)
                    return
        except Exception as exc:  # a failed step ends the run, it is asserted afterwards
            self.give_up(f"{type(exc).__name__}: {exc}")

    def step(self, name: str) -> None:
        if not self.steps or self.steps[-1] != name:
            self.steps.append(name)

    def in_wizard(self, wizard: SetupWizard) -> None:
        page = wizard.currentId()
        if page == int(PageId.WELCOME):
            self.step("welcome")
            wizard.page_of(PageId.WELCOME).default_button.click()
        elif page == int(PageId.PASSPHRASE):
            self.step("passphrase")
            passphrase = wizard.page_of(PageId.PASSPHRASE)
            passphrase.passphrase.setText(PASSPHRASE)
            passphrase.again.setText(PASSPHRASE)
            passphrase.remember.setChecked(True)  # unticked by default (issue 16.2)
            wizard.next()
        elif page == int(PageId.SUMMARY):
            summary = wizard.page_of(PageId.SUMMARY)
            if summary.error.text():
                self.give_up("setup failed: " + summary.detail.text())
            elif not summary.running:
                self.step("create")
                wizard.next()
        elif page == int(PageId.RECOVERY):
            self.step("recovery")
            key = wizard.model.recovery_key
            wizard.page_of(PageId.RECOVERY).confirm.setText(key[-4:])
            wizard.next()
        elif page == int(PageId.DONE):
            self.step("done")
            wizard.button(QWizard.WizardButton.FinishButton).click()

    def in_window(self, window: MainWindow) -> None:
        self.step("window")
        if self.window_check is not None and self.window_check(window):
            self.done = True
            window.quit()

    def give_up(self, why: str) -> None:
        self.failure, self.done = why, True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.quit()
            elif isinstance(widget, QDialog) and widget.isVisible():
                QDialog.done(widget, 0)  # not reject(): no "are you sure?" question
        QTimer.singleShot(0, QApplication.quit)


def run_app(person: Person, *args: str) -> int:
    timer = QTimer()
    timer.timeout.connect(person.tick)
    timer.start(50)
    try:
        return entry.main(["coffre-app", *args])
    finally:
        timer.stop()


@pytest.mark.skipif(not keyring_available(), reason="needs a Secret Service (D-Bus session)")
def test_a_new_user_sets_up_in_one_click_and_sees_a_file_synced(
    qtbot: Any, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch, use_language: Any
) -> None:
    monkeypatch.delenv("COFFRE_PASSPHRASE", raising=False)
    synced_folder = gui_env.home / "Coffre"
    wrote: list[bool] = []

    def synced(window: MainWindow) -> bool:
        models = list(window.bridge.models.values())
        if len(models) != 1 or not models[0].ready:
            return False
        model = models[0]
        if not wrote:
            (synced_folder / "bonjour.txt").write_text("Bonjour !")
            wrote.append(True)
        uploaded = any(
            e.path == "bonjour.txt" and e.direction is Direction.UPLOAD for e in model.activity
        )
        return uploaded and model.state is FolderState.IDLE and model.last_sync_ns is not None

    person = Person(window_check=synced)
    assert run_app(person) == 0
    assert not person.failure, person.failure
    assert person.steps == ["welcome", "passphrase", "create", "recovery", "done", "window"]
    assert not person.saw_dialog  # the wizard handed the passphrase over: no second prompt
    (binding,) = all_bindings()
    assert binding.folder == str(synced_folder)
    assert (default_store_dir() / "coffre.json").is_file()
    assert list((default_store_dir() / "packs").rglob("*"))  # the file's encrypted pack
    assert (gui_env.config_home / "autostart" / "coffre.desktop").is_file()
    assert kept_key(binding) is not None  # "Remember" was ticked: a key kept for this computer

    # The next login: the autostart entry starts the app; the folder opens by itself.
    def opened(window: MainWindow) -> bool:
        model = window.bridge.models[binding.folder_id]
        return model.ready and model.state is FolderState.IDLE

    again = Person(window_check=opened)
    assert run_app(again, "--autostart") == 0
    assert not again.failure, again.failure
    assert again.steps == ["window"] and not again.saw_dialog
