"""The "Connect to a shared storage" command: the wizard's store form and connection test,
then a real move of the running folder's vault; the other computer follows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.folders import find_binding
from app.gui.main_window import MainWindow, launch
from app.gui.move_store_dialog import MoveStoreDialog
from app.setup_model import StoreKind
from sync_engine.vault.journal import MOVED_KEY

from .a11y import assert_accessible
from .devices import (  # noqa: F401 - the fixtures
    FAST_LIVE,
    PASSPHRASE,
    WAIT_MS,
    Device,
    Vault,
    device_b_fixture,
    vault_fixture,
    vault_template_fixture,
    wait_idle,
)


@pytest.fixture
def window(qtbot: Any, vault: Vault) -> Iterator[MainWindow]:
    window = launch([vault.a], passphrase_for=lambda _b: PASSPHRASE, config=FAST_LIVE)
    qtbot.addWidget(window)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    yield window
    window.quit()


def test_the_menu_moves_the_vault_and_the_other_computer_follows(
    qtbot: Any, window: MainWindow, vault: Vault, device_b: Device, tmp_path: Path
) -> None:
    (vault.folder_a / "rapport.txt").write_text("avant le déménagement")
    window.bridge.sync_now(vault.a.folder_id)
    qtbot.waitUntil(lambda: (vault.store / "packs").is_dir(), timeout=WAIT_MS)
    wait_idle(qtbot, window.bridge.models[vault.a.folder_id])
    assert window.move_store_action.text()

    dialog = MoveStoreDialog(window.bridge, vault.a.folder_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_accessible(dialog)
    new_store = tmp_path / "partage" / "coffre"
    page = dialog.store_page
    page.radios[StoreKind.FOLDER].setChecked(True)
    page.folder_picker.edit.setText(str(new_store))
    dialog.next()
    qtbot.waitUntil(dialog.connection_page.isComplete, timeout=WAIT_MS)
    dialog.next()
    qtbot.waitUntil(dialog.move_page.isComplete, timeout=WAIT_MS)
    assert str(new_store) in dialog.move_page.result.text()

    assert find_binding(vault.folder_a).store == str(new_store)
    # A's running sync follows on its next round, and says so once.
    window.bridge.sync_now(vault.a.folder_id)
    notifier = window.notifier
    assert notifier is not None
    qtbot.waitUntil(
        lambda: any(str(new_store) in text for _title, text in notifier.shown), timeout=WAIT_MS
    )
    assert (vault.store / MOVED_KEY).is_file()
    assert (new_store / "coffre.json").is_file()

    (device_b.folder / "portable.txt").write_text("écrit après")
    device_b.sync()  # B still bound to the old store: it follows
    assert find_binding(device_b.folder).store == str(new_store)
    assert any((new_store / "log").iterdir())
    qtbot.waitUntil(lambda: (vault.folder_a / "portable.txt").exists(), timeout=WAIT_MS)
    assert not (vault.store / "log" / device_b.binding.device_id).exists(), "B wrote nothing old"
