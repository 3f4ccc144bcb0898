"""Notifications for what needs a person: conflicts, errors, held deletions, members joining
or leaving. Never per file.

Which events deserve a notice, and how often, is app/notification_policy.py
(no Qt). `Notifier` words the notice and shows it as a tray message, or in
the window's banner when there is no tray.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from app.gui.i18n import describe
from app.notification_policy import Notice, NotificationPolicy
from sync_engine.events import Event
from sync_engine.stores.url import redact

__all__ = ["Notice", "NotificationPolicy", "Notifier"]


class Notifier(QObject):
    """Shows the policy's notices: tray balloon when there is a tray, else the banner."""

    def __init__(
        self,
        folder_name: Callable[[str], str],
        tray: QSystemTrayIcon | None,
        banner: Callable[[str, str], None],
        policy: NotificationPolicy | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.policy = policy or NotificationPolicy()
        self._folder_name = folder_name
        self._tray = tray
        self._banner = banner
        self.shown: list[tuple[str, str]] = []  # (title, text), for tests and screenshots

    def on_event(self, event: Event) -> None:
        notice = self.policy.consider(event)
        if notice is not None:
            self.show_notice(notice)

    def words(self, notice: Notice) -> tuple[str, str]:
        name = Path(self._folder_name(notice.folder)).name
        if notice.kind == "conflict":
            title = self.tr("Conflict in {folder}").format(folder=name)
            if notice.count > 1:
                text = self.tr("%n file(s) were changed on two devices at once.", "", notice.count)
            else:
                text = self.tr("{path} was changed on two devices at once.").format(
                    path=notice.detail
                )
            text += " " + self.tr("Both versions are kept; open Coffre to choose.")
        elif notice.kind == "passphrase":
            title = self.tr("Coffre needs your passphrase")
            text = self.tr(
                "The folder {folder} is not syncing yet: click the Coffre icon, or open Coffre, "
                "to unlock it."
            ).format(folder=name)
        elif notice.kind == "held":
            title = self.tr("Deletion held in {folder}").format(folder=name)
            text = self.tr(
                "Syncing would delete %n file(s). Nothing was deleted: open Coffre to "
                "confirm or keep them.",
                "",
                int(notice.detail),
            )
        elif notice.kind == "moved":
            title = self.tr("The vault of {folder} moved").format(folder=name)
            text = self.tr("This folder now syncs with {store}.").format(
                store=redact(notice.detail)
            )
        elif notice.kind == "joined":
            title = self.tr("New member in {folder}").format(folder=name)
            text = self.tr("{name} now shares this folder.").format(name=notice.detail)
            if notice.count > 1:
                text = self.tr(
                    "{name} and %n other person(s) now share this folder.", "", notice.count - 1
                ).format(name=notice.detail)
        elif notice.kind == "left":
            title = self.tr("A member left {folder}").format(folder=name)
            text = self.tr(
                "{name} no longer shares this folder: files changed from now on are encrypted "
                "with a key they do not have."
            ).format(name=notice.detail)
            if notice.count > 1:
                text = self.tr(
                    "{name} and %n other person(s) no longer share this folder.",
                    "",
                    notice.count - 1,
                ).format(name=notice.detail)
        else:
            title = self.tr("Sync stopped in {folder}").format(folder=name)
            if notice.reason is not None:
                text = describe(notice.reason)
            else:
                text = notice.detail or self.tr("Open Coffre to see what happened.")
        return title, text

    def passphrase_needed(self, folder_id: str) -> None:
        """A folder waits for its passphrase (at login, nothing remembered): say so once."""
        self.show_notice(Notice("passphrase", folder_id, 1, ""))

    def show_notice(self, notice: Notice) -> None:
        title, text = self.words(notice)
        self.shown.append((title, text))
        tray = self._tray
        if tray is not None and tray.isVisible() and QSystemTrayIcon.supportsMessages():
            icon = {
                "error": QSystemTrayIcon.MessageIcon.Critical,
                "passphrase": QSystemTrayIcon.MessageIcon.Information,
                "moved": QSystemTrayIcon.MessageIcon.Information,
                "joined": QSystemTrayIcon.MessageIcon.Information,
                "left": QSystemTrayIcon.MessageIcon.Information,
            }.get(notice.kind, QSystemTrayIcon.MessageIcon.Warning)
            tray.showMessage(title, text, icon, 10_000)
        else:
            self._banner(title, text)
