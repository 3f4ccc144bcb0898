"""Purge from the history view: a clear warning, then the file is gone everywhere."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.gui.engine_bridge import EngineBridge
from app.gui.views.actions import FolderActions
from app.gui.views.history_view import HistoryView
from app.gui.views.purge_dialog import PurgeDialog
from sync_engine.events import Direction

from .devices import (  # noqa: F401 - the fixtures
    WAIT_MS,
    Device,
    Vault,
    bridge_fixture,
    device_b_fixture,
    start_a,
    vault_fixture,
    vault_template_fixture,
)
from .test_conflicts_view import sync_b_until


class _AnswersErase(PurgeDialog):
    """The real dialog; the person clicks "Erase for good" as soon as it shows."""

    shown: ClassVar[list[str]] = []

    def __init__(self, rel: str, versions: int, parent: QWidget | None = None) -> None:
        super().__init__(rel, versions, parent)
        _AnswersErase.shown.append(self.text())
        QTimer.singleShot(0, self.erase_button.click)


class _AnswersCancel(PurgeDialog):
    def __init__(self, rel: str, versions: int, parent: QWidget | None = None) -> None:
        super().__init__(rel, versions, parent)
        QTimer.singleShot(0, self.cancel_button.click)


def test_the_warning_defaults_to_cancel(qtbot: Any) -> None:
    dialog = PurgeDialog("etat-civil/extrait.pdf", 3)
    qtbot.addWidget(dialog)
    assert dialog.defaultButton() is dialog.cancel_button
    assert dialog.icon() is QMessageBox.Icon.Warning
    assert "etat-civil/extrait.pdf" in dialog.text() and "3" in dialog.text()
    warning = dialog.informativeText()  # English, or French once a test installed it
    assert "cannot be undone" in warning or "irréversible" in warning


def test_purge_from_the_history_view(
    qtbot: Any, bridge: EngineBridge, vault: Vault, device_b: Device
) -> None:
    fid = vault.a.folder_id
    model = start_a(qtbot, bridge, vault)
    doc = vault.folder_a / "extrait.pdf"
    doc.write_bytes(b"%PDF extrait d'acte de naissance")

    def sent() -> bool:
        return any(
            e.path == "extrait.pdf" and e.direction is Direction.UPLOAD for e in model.activity
        )

    bridge.sync_now(fid)
    qtbot.waitUntil(sent, timeout=WAIT_MS)
    sync_b_until(qtbot, device_b, lambda: (device_b.folder / "extrait.pdf").exists())

    view = HistoryView(FolderActions(bridge), lambda: fid)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: "extrait.pdf" in view.files, timeout=WAIT_MS)
    view.select_file("extrait.pdf")
    qtbot.waitUntil(lambda: view.versions.topLevelItemCount() == 1, timeout=WAIT_MS)
    assert view.purge_button.isEnabled()

    view.purge_selected(ask=_AnswersCancel)  # the person changes their mind: nothing happens
    assert doc.exists()

    view.purge_selected(ask=_AnswersErase)
    assert "extrait.pdf" in _AnswersErase.shown[-1]
    qtbot.waitUntil(lambda: view.message.text().startswith("extrait.pdf "), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "extrait.pdf" not in view.files, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not doc.exists(), timeout=WAIT_MS)  # moved out by the next round
    sync_b_until(qtbot, device_b, lambda: not (device_b.folder / "extrait.pdf").exists())
    assert device_b.session.state.versions_under("extrait.pdf") == []
