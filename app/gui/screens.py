"""The main window, tray menu and passphrase dialog in representative states, for screenshots.

No engine runs: a `SampleBridge` holds folder models that are fed sample
events, and the views get sample listings directly, so every screen shows a
plausible day of work (an agent's "Documents" and a team folder) in the
language the screenshots tool installed. tools/screenshots.py collects these
through `screenshot_screens()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QTreeWidget, QWidget

from app.activity import HistoryItem
from app.conflicts import ConflictItem, ConflictSide
from app.folders import Binding
from app.identity_model import CheckedCard
from app.identity_store import IN_KEYRING, StoredIdentity
from app.members import DeviceRow, MemberRow
from app.setup_model import StoreKind
from crypto.identity import Identity, make_card, safety_number
from sync_engine.events import (
    Change,
    DeletionHeld,
    Direction,
    FolderState,
    ItemSynced,
    RoundFinished,
    StateChanged,
    TransferProgress,
)
from sync_engine.vault.state import QuarantineItem

from .engine_bridge import EngineBridge
from .main_window import MainWindow
from .move_store_dialog import MoveStoreDialog
from .notifications import Notifier
from .tray import TrayController
from .views.change_passphrase_dialog import ChangePassphraseDialog
from .views.identity_dialogs import MyIdentityDialog, VerifyColleagueDialog
from .views.join_dialog import JoinDialog
from .views.passphrase_dialog import PassphraseDialog
from .views.purge_dialog import PurgeDialog
from .views.share_dialog import RemoveDialog, ShareDialog

MINUTE_NS = 60 * 1_000_000_000
THIS_DEVICE = "poste-bureau"
OTHER_DEVICE = "portable-mission"


class SampleBridge(EngineBridge):
    """An engine bridge with no engine: models only, and jobs that never run."""

    def __init__(self) -> None:
        super().__init__()
        self.stop()  # no engine thread is needed to draw

    def run_job(self, folder_id: str, job: Any, done: Any) -> None:
        return None

    def read_state(self, folder_id: str, fn: Any, done: Any) -> None:
        return None

    def is_running(self, folder_id: str) -> bool:
        return folder_id in self.models


def _binding(name: str, folder_id: str) -> Binding:
    home = Path.home()
    return Binding(
        folder=str(home / name),
        store="/mnt/partage/coffre" if name != "Coffre" else str(home / ".coffre-store"),
        vault_id="00" * 16,
        device_id="ab" * 16,
        device_name=THIS_DEVICE,
        folder_id=folder_id,
    )


def _select(tree: QTreeWidget, row: int) -> None:
    item = tree.topLevelItem(row)
    if item is not None:
        tree.setCurrentItem(item)


def _now_ns() -> int:
    return time.time_ns()


def _window(tab: int, folders: tuple[str, ...], setup: Callable[[MainWindow], None]) -> MainWindow:
    bridge = SampleBridge()
    window = MainWindow(bridge)
    bridge.setParent(window)
    for index, name in enumerate(folders):
        window.add_folder(_binding(name, f"f{index}"))
    for fid, model in bridge.models.items():
        model.ready = True
        model.apply(StateChanged(fid, FolderState.IDLE))
        model.apply(RoundFinished(fid, True, 0, 0, _now_ns() - 3 * MINUTE_NS))
    setup(window)
    for fid in bridge.models:
        bridge.folderChanged.emit(fid)
    window.tabs.blockSignals(True)  # no listing jobs: the views keep their sample data
    window.tabs.setCurrentIndex(tab)
    window.tabs.blockSignals(False)
    window.resize(820, 600)
    return window


def _syncing(window: MainWindow) -> None:
    model = window.bridge.models["f0"]
    model.apply(StateChanged("f0", FolderState.SYNCING))
    model.apply(
        TransferProgress(
            "f0",
            Direction.UPLOAD,
            "Rapports/rapport-annuel-2026.odt",
            3,
            7,
            38_500_000,
            61_000_000,
            4_200_000.0,
        )
    )


def _activity(window: MainWindow) -> None:
    now = _now_ns()
    events = [
        ("Rapports/rapport-annuel-2026.odt", Change.MODIFIED, Direction.UPLOAD, THIS_DEVICE, 2),
        ("Budget/budget-2027.ods", Change.ADDED, Direction.DOWNLOAD, OTHER_DEVICE, 14),
        ("Courriers/réponse-mairie.odt", Change.RENAMED, Direction.UPLOAD, THIS_DEVICE, 31),
        ("Photos/visite-chantier-03.jpg", Change.ADDED, Direction.DOWNLOAD, OTHER_DEVICE, 58),
        ("Brouillons/ancienne-note.txt", Change.DELETED, Direction.DOWNLOAD, OTHER_DEVICE, 95),
        (
            "Réunions/compte-rendu (conflit portable-mission 2026-11-28 101530).odt",
            Change.CONFLICT_COPY,
            Direction.DOWNLOAD,
            OTHER_DEVICE,
            140,
        ),
    ]
    model = window.bridge.models["f0"]
    for path, change, direction, device, minutes in reversed(events):
        old = "Courriers/brouillon-mairie.odt" if change is Change.RENAMED else ""
        model.apply(
            ItemSynced("f0", path, change, direction, device, now - minutes * MINUTE_NS, old)
        )
    window.activity.refresh()
    _select(window.activity.list, 0)


def _side(path: str, device: str, minutes: int, size: int) -> ConflictSide:
    ms = (_now_ns() - minutes * MINUTE_NS) // 1_000_000
    device_id = "ab" * 16 if device == THIS_DEVICE else "cd" * 16
    return ConflictSide(path, device, device_id, ms, size, ms * 1_000_000, f"{device_id}:{size}")


def _conflicts(window: MainWindow) -> None:
    items = [
        ConflictItem(
            "Réunions/compte-rendu.odt",
            "Réunions/compte-rendu (conflit portable-mission 2026-11-28 101530).odt",
            _side("Réunions/compte-rendu.odt", THIS_DEVICE, 12, 48_213),
            _side(
                "Réunions/compte-rendu (conflit portable-mission 2026-11-28 101530).odt",
                OTHER_DEVICE,
                15,
                51_877,
            ),
            True,
            "ab" * 16,
        ),
        ConflictItem(
            "Budget/budget-2027.ods",
            "Budget/budget-2027 (conflit portable-mission 2026-11-27 174210).ods",
            _side("Budget/budget-2027.ods", OTHER_DEVICE, 60 * 17, 220_400),
            _side(
                "Budget/budget-2027 (conflit portable-mission 2026-11-27 174210).ods",
                THIS_DEVICE,
                60 * 17 + 4,
                219_950,
            ),
            True,
            "ab" * 16,
        ),
    ]
    window.bridge.models["f0"].set_conflicts(len(items))
    window.conflicts._loaded(items, "")
    window.conflicts.list.setCurrentRow(0)


def _history(window: MainWindow) -> None:
    view = window.history
    files = [
        "Budget/budget-2027.ods",
        "Courriers/réponse-mairie.odt",
        "Photos/visite-chantier-03.jpg",
        "Rapports/rapport-annuel-2026.odt",
        "Réunions/compte-rendu.odt",
    ]
    view.file_list.blockSignals(True)
    view._files_loaded(files, "")
    view.select_file("Rapports/rapport-annuel-2026.odt")
    view.file_list.blockSignals(False)
    now_ms = _now_ns() // 1_000_000
    day = 24 * 60 * 60 * 1000
    versions = [
        HistoryItem("v0", now_ms - 240 * day, OTHER_DEVICE, 1_190_000, False, kept=False),
        HistoryItem("v1", now_ms - 9 * day, OTHER_DEVICE, 1_204_000, False),
        HistoryItem("v2", now_ms - 3 * day, THIS_DEVICE, 1_310_500, False),
        HistoryItem("v3", now_ms - 2 * day, THIS_DEVICE, 0, True),
        HistoryItem("v4", now_ms - day, OTHER_DEVICE, 1_402_000, False),
        HistoryItem("v5", now_ms - 2 * 60 * 1000, THIS_DEVICE, 1_415_300, False),
    ]
    view._versions_loaded("Rapports/rapport-annuel-2026.odt", versions, "")
    _select(view.versions, 1)
    for column in range(view.versions.columnCount()):
        view.versions.resizeColumnToContents(column)


def _quarantine(window: MainWindow) -> None:
    now = _now_ns()
    items = [
        QuarantineItem(1, "Brouillons/ancienne-note.txt", "1", now - 95 * MINUTE_NS),
        QuarantineItem(2, "Photos/doublon-visite.jpg", "2", now - 26 * 60 * MINUTE_NS),
        QuarantineItem(3, "Archives/2019/inventaire.ods", "3", now - 4 * 24 * 60 * MINUTE_NS),
    ]
    window.quarantine._loaded(items, "")
    _select(window.quarantine.list, 0)


def _held(window: MainWindow) -> None:
    paths = tuple(f"Archives/2024/dossier-{i:03}.pdf" for i in range(1, 6))
    window.bridge.models["f1"].apply(DeletionHeld("f1", 143, paths))
    window.bridge.models["f1"].apply(StateChanged("f1", FolderState.IDLE))


def _waiting_at_login(window: MainWindow) -> None:
    """What `coffre-app --autostart` shows without a tray when nothing was remembered."""
    model = window.bridge.models["f0"]
    model.ready, model.locked = False, True
    window.quiet = True
    bridge = window.bridge
    notifier = Notifier(lambda fid: bridge.binding(fid).folder, None, window.banner.show_message)
    notifier.setParent(window)
    notifier.passphrase_needed("f0")


def _tray_menu() -> QWidget:
    bridge = SampleBridge()
    model = bridge.add_folder(_binding("Coffre", "f0"))
    model.ready = True
    model.apply(StateChanged("f0", FolderState.IDLE))
    tray = TrayController(bridge)
    tray.refresh()
    menu: QMenu = tray.menu
    menu.setProperty("_coffre_keep", [bridge, tray])  # alive as long as the menu
    menu.adjustSize()
    return menu


def _passphrase(error: bool) -> Callable[[], QWidget]:
    def make() -> QWidget:
        folder = str(Path.home() / "Coffre")
        dialog = PassphraseDialog(folder)
        if error:
            dialog.error_label.setText(
                QCoreApplication.translate(
                    "MainWindow",
                    "The key remembered on this computer no longer opens this vault (it may "
                    "have been replaced). Type the passphrase again.",
                )
            )
            dialog.error_label.show()
        dialog.edit.setText("une phrase")
        dialog.adjustSize()
        return dialog

    return make


SAMPLE_KEY = "BGE2-SH1G-94A1-Z0KF-5ABR-Y9Q1-8K73-PDXB"
NEW_PASSPHRASE = "la pluie tombe sur la mairie"


def _passphrase_recovery() -> QWidget:
    """ "Forgot your passphrase?" pressed: the recovery key, then a new passphrase twice."""
    dialog = PassphraseDialog(str(Path.home() / "Coffre"))
    dialog.fields.set_recovering(True)
    dialog.fields.recovery_key.setText(SAMPLE_KEY)
    dialog.fields.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.fields.new_again.setText(NEW_PASSPHRASE)
    dialog.adjustSize()
    return dialog


def _change_passphrase() -> QWidget:
    dialog = ChangePassphraseDialog(_binding("Coffre", "f0"))
    dialog.fields.passphrase.setText("le chat dort sur le canape")
    dialog.fields.new_passphrase.setText(NEW_PASSPHRASE)
    dialog.fields.new_again.setText(NEW_PASSPHRASE)
    dialog.adjustSize()
    return dialog


def _move_store() -> QWidget:
    """ "Connect to a shared storage": the new store's address, as in the setup wizard."""
    bridge = SampleBridge()
    bridge.add_folder(_binding("Coffre", "f0"))
    dialog = MoveStoreDialog(bridge, "f0")
    bridge.setParent(dialog)
    dialog.model.store.kind = StoreKind.FOLDER
    dialog.model.store.folder = "/mnt/partage/coffre"
    dialog.restart()
    return dialog


def _purge() -> QWidget:
    return PurgeDialog("Brouillons/extrait-etat-civil.pdf", 4)


def _conflict_waiting(window: MainWindow) -> None:
    """A conflict waits: the status card says so instead of "up to date"."""
    _conflicts(window)
    window.bridge.models["f0"].apply(RoundFinished("f0", True, 0, 0, _now_ns() - MINUTE_NS))


def _coffre_menu() -> QWidget:
    window = _window(0, ("Coffre",), lambda _w: None)
    menu: QMenu = window.coffre_menu
    menu.setProperty("_coffre_keep", [window])  # alive as long as the menu
    menu.adjustSize()
    return menu


def _join_dialog() -> QWidget:
    return JoinDialog(_binding("Équipe juridique", "f1"))


def _my_identity() -> QWidget:
    alice = Identity.generate("Alice Martin")
    dialog = MyIdentityDialog()
    dialog.show_identity(StoredIdentity(alice.public, make_card(alice), IN_KEYRING))
    return dialog


def _verify_colleague() -> QWidget:
    alice, elise = Identity.generate("Alice Martin"), Identity.generate("Élise Dupont")
    dialog = VerifyColleagueDialog()
    dialog.card_edit.blockSignals(True)
    dialog.card_edit.setPlainText(make_card(elise))
    dialog.card_edit.blockSignals(False)
    dialog.show_checked(CheckedCard(elise.public, safety_number(alice.public, elise.public)))
    return dialog


def _team() -> tuple[Identity, Identity, list[MemberRow]]:
    """Alice (owner, this computer) shares "Équipe juridique" with Élise and Marc."""
    alice, elise = Identity.generate("Alice Martin"), Identity.generate("Élise Dupont")
    marc = Identity.generate("Marc Lefèvre")

    def row(who: Identity, role: str, devices: tuple[DeviceRow, ...], me: bool) -> MemberRow:
        pub = who.public
        return MemberRow(pub.identity_id.hex(), pub.name, role, pub.fingerprint, devices, me)

    rows = [
        row(alice, "owner", (DeviceRow("a1" * 16, THIS_DEVICE, True),), True),
        row(elise, "editor", (DeviceRow("e1" * 16, "portable-elise", False),), False),
        row(marc, "reader", (DeviceRow("m1" * 16, "poste-accueil", False),), False),
    ]
    return alice, elise, rows


def _sample_share() -> ShareDialog:
    """ "Share…" over a bridge with no engine: its listing job never runs."""
    bridge = SampleBridge()
    bridge.add_folder(_binding("Équipe juridique", "f1"))
    dialog = ShareDialog(bridge, "f1")
    bridge.setParent(dialog)
    return dialog


def _share_dialog() -> QWidget:
    """ "Share…" as an owner sees it, a new colleague's card pasted: the safety number."""
    alice, _elise, rows = _team()
    sophie = Identity.generate("Sophie Bernard")
    dialog = _sample_share()
    dialog.show_members(rows, "owner")
    dialog.card_edit.blockSignals(True)
    dialog.card_edit.setPlainText(make_card(sophie))
    dialog.card_edit.blockSignals(False)
    dialog.model.card.checked = CheckedCard(
        sophie.public, safety_number(alice.public, sophie.public)
    )
    dialog.show_members(rows, "owner")
    dialog.select(rows[1].id)
    dialog.resize(680, 760)
    return dialog


def _share_dialog_reader() -> QWidget:
    """ "Share…" as a reader sees it: the members, nothing to change."""
    _alice, _elise, rows = _team()
    rows = [replace(r, me=r.role == "reader") for r in rows]
    rows = [
        replace(r, devices=tuple(replace(d, this_device=r.me) for d in r.devices)) for r in rows
    ]
    dialog = _sample_share()
    dialog.show_members(rows, "reader")
    dialog.resize(640, 420)
    return dialog


def _remove_dialog() -> QWidget:
    dialog = RemoveDialog("Marc Lefèvre", device=False)
    dialog.adjustSize()
    return dialog


def _read_only(window: MainWindow) -> None:
    """A reader's folder: the badge, and the changes kept here, not synced."""
    model = window.bridge.models["f1"]
    model.role = "reader"
    model.read_only = (
        "Contrats/contrat-nettoyage-2027.odt",
        "Contrats/avenant-3.odt",
        "Notes/relecture.txt",
    )


def screenshot_screens() -> list[tuple[str, Callable[[], QWidget]]]:
    two = ("Coffre", "Équipe juridique")
    return [
        ("main-1-status-syncing", lambda: _window(0, two, _syncing)),
        ("main-2-activity", lambda: _window(1, ("Coffre",), _activity)),
        ("main-3-conflicts", lambda: _window(2, ("Coffre",), _conflicts)),
        ("main-4-history", lambda: _window(3, ("Coffre",), _history)),
        ("main-5-quarantine", lambda: _window(4, ("Coffre",), _quarantine)),
        ("main-6-held-deletion", lambda: _window(0, two, _held)),
        ("main-7-waiting-at-login", lambda: _window(0, ("Coffre",), _waiting_at_login)),
        ("main-8-conflict-waiting", lambda: _window(0, ("Coffre",), _conflict_waiting)),
        ("main-menu", _coffre_menu),
        ("join-dialog", _join_dialog),
        ("tray-menu", _tray_menu),
        ("passphrase-dialog", _passphrase(False)),
        ("passphrase-dialog-stale-key", _passphrase(True)),
        ("passphrase-dialog-recovery", _passphrase_recovery),
        ("change-passphrase-dialog", _change_passphrase),
        ("move-store-dialog", _move_store),
        ("purge-dialog", _purge),
        ("my-identity-dialog", _my_identity),
        ("verify-colleague-dialog", _verify_colleague),
        ("share-dialog", _share_dialog),
        ("share-dialog-reader", _share_dialog_reader),
        ("share-remove-dialog", _remove_dialog),
        ("main-9-read-only", lambda: _window(0, two, _read_only)),
    ]
