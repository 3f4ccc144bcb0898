""" "Share…" in the Coffre menu and in each folder card's menu, and the members watch.

The window installs it (`install_share_menu`); the dialog itself is
share_dialog.py. After a sync round, at most once a minute per folder
(`app.share_model.MembershipWatch`), the running folder's members are listed
again on the engine's thread: this person's role goes to the folder card (the
read-only badge), who joined or left to the notifications.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from app.folders import Binding
from app.gui.engine_bridge import EngineBridge
from app.gui.notifications import Notifier
from app.members import MemberRow
from app.share_model import MembershipChange, MembershipWatch
from app.share_session import list_members
from sync_engine.events import Event, RoundFinished

from .share_dialog import ShareDialog

log = logging.getLogger(__name__)


class ShareMenu:
    """ "Share…" in the Coffre menu and in each folder card's menu, and the members watch.

    After a sync round (at most once a minute per folder, `MembershipWatch`) the
    folder's members are listed again: this person's role goes to the folder card
    (the read-only badge) and who joined or left to the notifications.
    """

    def __init__(
        self,
        window: QMainWindow,
        current_binding: Callable[[], Binding | None],
        bridge: EngineBridge,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        translate = QCoreApplication.translate
        self.window = window
        self.current_binding = current_binding
        self.bridge = bridge
        self.clock = clock
        self.dialog: ShareDialog | None = None
        self.watches: dict[str, MembershipWatch] = {}
        self.share = QAction(translate("ShareMenu", "S&hare\u2026"), window)
        self.share.setToolTip(
            translate("ShareMenu", "Who shares the selected folder: add, remove, change roles.")
        )
        self.share.triggered.connect(self._share_current)
        # With the folder's own commands, right after "Open the folder".
        menu = window.coffre_menu  # type: ignore[attr-defined]
        actions = menu.actions()
        open_folder = window.open_folder_action  # type: ignore[attr-defined]
        menu.insertAction(actions[actions.index(open_folder) + 1], self.share)
        window.coffre_menu.aboutToShow.connect(self._enable)  # type: ignore[attr-defined]
        bridge.eventReceived.connect(self.on_event)

    def _enable(self) -> None:
        self.share.setEnabled(self.current_binding() is not None)

    def _share_current(self) -> None:
        binding = self.current_binding()
        if binding is not None:
            self.open_for(binding.folder_id)

    def open_for(self, folder_id: str) -> ShareDialog:
        """The folder's "Share…" dialog (window-modal, not blocking the sync)."""
        dialog = ShareDialog(self.bridge, folder_id, self.window)
        vault_menu = getattr(self.window, "vault_menu", None)  # "Change the passphrase…"
        if vault_menu is not None:
            binding = self.bridge.binding(folder_id)
            dialog.changePassphraseRequested.connect(
                lambda: vault_menu.open_change_dialog_for(binding)
            )
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def watch(self, folder_id: str) -> MembershipWatch:
        return self.watches.setdefault(folder_id, MembershipWatch())

    def check(
        self, folder_id: str, seen: Callable[[MembershipWatch, list[MembershipChange]], None]
    ) -> bool:
        """List the folder's members again if it is due; `seen(watch, changes)` after."""
        watch, now = self.watch(folder_id), self.clock()
        if not watch.due(now):
            return False
        watch.asked(now)

        def listed(result: tuple[list[MemberRow], str] | None, error: str) -> None:
            if error or result is None:
                log.info("the members of a folder could not be listed: %s", error)
                return
            rows, role = result
            seen(watch, watch.observe(rows, role))

        self.bridge.run_job(folder_id, list_members, listed)
        return True

    def on_event(self, event: Event) -> None:
        """After a round of a running folder, list its members again when that is due."""
        if isinstance(event, RoundFinished) and self.bridge.is_running(event.folder):
            self.check(event.folder, lambda watch, changes: self.seen(event.folder, changes))

    def seen(self, folder_id: str, changes: list[MembershipChange]) -> None:
        """A listing came back: the card's role badge, and who joined or left, announced."""
        model = self.bridge.models.get(folder_id)
        if model is None:
            return
        role = self.watch(folder_id).my_role
        if model.role != role:
            model.role = role
            self.bridge.folderChanged.emit(folder_id)
        notifier: Notifier | None = getattr(self.window, "notifier", None)
        if notifier is None or not changes:
            return
        joined = [c.name for c in changes if c.joined]
        left = [c.name for c in changes if not c.joined]
        for notice in notifier.policy.members_changed(folder_id, joined, left):
            notifier.show_notice(notice)


def install_share_menu(
    window: QMainWindow, current_binding: Callable[[], Binding | None], bridge: EngineBridge
) -> ShareMenu:
    """Add "Share…" to the Coffre menu after "Open the folder"; folder cards call `open_for`."""
    return ShareMenu(window, current_binding, bridge)
