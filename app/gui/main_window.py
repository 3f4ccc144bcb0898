"""Coffre's main window: every folder's status, recent changes, conflicts, history, quarantine.

`launch()` is what opens after setup: the engine bridge, the tray icon, the
window and the notifications, with every bound folder unlocked and syncing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.folders import Binding, all_bindings
from app.passphrase import ENV_VAR, take_env
from app.paths import default_setup_taken, default_store_dir, default_sync_folder
from app.settings import AppSettings, SettingsStore
from sync_engine.events import ConflictDetected, Event, ItemSynced, RoundFinished
from sync_engine.live import LiveConfig

from .engine_bridge import EngineBridge, MeteredWatcher
from .move_store_dialog import install_move_store_action
from .notifications import Notice, Notifier
from .power_watcher import PowerSaverWatcher
from .settings_dialog import SettingsDialog
from .tray import TrayController
from .views.actions import FolderActions
from .views.activity_view import ActivityView
from .views.banner import Banner
from .views.conflicts_view import ConflictsView
from .views.folder_status import FolderStatusWidget, HeldDeletionPanel
from .views.history_view import HistoryView
from .views.identity_dialogs import install_identity_menu
from .views.join_dialog import JoinDialog
from .views.passphrase_dialog import PassphraseDialog
from .views.quarantine_view import QuarantineView
from .views.share_menu import install_share_menu
from .views.vault_menu import install_vault_menu
from .widgets import keep_tab_accents
from .wizard import PageId, SetupWizard

PassphraseSource = Callable[[Binding], str | None]
ACTIVITY_REDRAW_MS = 250  # synced files shown in batches, at most four redraws a second
log = logging.getLogger(__name__)


class Unlock(Protocol):
    """A passphrase handed over by the setup wizard (app/gui/wizard/first_start.py)."""

    @property
    def passphrase(self) -> str: ...
    @property
    def remember(self) -> bool: ...


class MainWindow(QMainWindow):
    def __init__(
        self,
        bridge: EngineBridge | None = None,
        tray: TrayController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._owns_bridge = bridge is None
        self.bridge = bridge if bridge is not None else EngineBridge()
        self.tray = tray
        self.folder_actions = FolderActions(self.bridge)
        self.setWindowTitle(self.tr("Coffre"))
        self.status_widgets: dict[str, FolderStatusWidget] = {}
        self.held_panels: dict[str, HeldDeletionPanel] = {}
        self.ask_passphrase: Callable[[str, str], None] = self.prompt_passphrase
        # At login (`--autostart`) nothing pops up: a folder that needs its passphrase
        # waits, with a notice, until the person opens Coffre.
        self.quiet = False
        self._dialogs: dict[str, PassphraseDialog] = {}
        self._quitting = False
        self.notifier: Notifier | None = None
        self.metered: MeteredWatcher | None = None
        self.power_saver: PowerSaverWatcher | None = None

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.banner = Banner(central)
        layout.addWidget(self.banner)
        picker_row = QHBoxLayout()
        self.folder_label = QLabel(self.tr("&Folder:"), central)
        self.folder_picker = QComboBox(central)
        self.folder_picker.setAccessibleName(self.tr("Folder"))
        self.folder_label.setBuddy(self.folder_picker)
        self.folder_picker.currentIndexChanged.connect(lambda _i: self.refresh_folder_views())
        picker_row.addWidget(self.folder_label)
        picker_row.addWidget(self.folder_picker, 1)
        layout.addLayout(picker_row)

        self.tabs = QTabWidget(central)
        self.tabs.setAccessibleName(self.tr("Views"))
        keep_tab_accents(self.tabs)
        layout.addWidget(self.tabs, 1)
        self.status_page = QWidget()
        self.status_layout = QVBoxLayout(self.status_page)
        self.status_label = QLabel(
            self.tr(
                "No folder is synced yet. Your files in {folder} will be kept in an encrypted "
                "vault in {store}."
            ).format(folder=default_sync_folder(), store=default_store_dir()),
            self.status_page,
        )
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_layout.addWidget(self.status_label)
        self.status_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.status_page)
        scroll.setAccessibleName(self.tr("Folders"))
        self.activity = ActivityView(self.bridge.models)
        self._activity_timer = QTimer(self)
        self._activity_timer.setSingleShot(True)
        self._activity_timer.setInterval(ACTIVITY_REDRAW_MS)
        self._activity_timer.timeout.connect(self.activity.refresh)
        self.conflicts = ConflictsView(self.folder_actions, self.current_folder)
        self.history = HistoryView(self.folder_actions, self.current_folder)
        self.quarantine = QuarantineView(self.folder_actions, self.current_folder)
        self.tabs.addTab(scroll, self.tr("&Status"))
        self.tabs.addTab(self.activity, self.tr("&Activity"))
        self.tabs.addTab(self.conflicts, self.tr("&Conflicts"))
        self.tabs.addTab(self.history, self.tr("&History"))
        self.tabs.addTab(self.quarantine, self.tr("&Quarantine"))
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        QWidget.setTabOrder(self.folder_picker, self.tabs)
        self.setCentralWidget(central)
        self.resize(760, 560)
        self.settings: SettingsStore | None = None  # launch() gives the app's; else loaded
        self._build_menu()
        self.vault_menu = install_vault_menu(self, self._current_binding)
        self.share_menu = install_share_menu(self, self._current_binding, self.bridge)
        self.identity_menu = install_identity_menu(self)  # "My identity", "Verify a colleague…"

        self.bridge.folderChanged.connect(self._folder_changed)
        self.bridge.folderOpened.connect(self._folder_opened)
        self.bridge.folderFailed.connect(self._needs_passphrase)
        self.bridge.folderNeedsPassphrase.connect(self._nothing_remembered)
        self.bridge.keyNotRemembered.connect(self._key_not_remembered)
        self.bridge.eventReceived.connect(self._event)
        for binding in self.bridge.bindings():
            self.add_folder(binding)
        self._update_picker_visibility()
        self.move_store_action = install_move_store_action(self)  # "Connect to a shared storage"

    # --- the menu --------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        """The "Coffre" menu: folders and computers, then the vault's own commands, settings, quit.

        Commands about the vault (shared storage, passphrase, recovery key) go in their
        section with `add_vault_action`, so each feature adds one line.
        """
        self.coffre_menu = self.menuBar().addMenu(self.tr("&Coffre"))
        self.add_folder_action = QAction(self.tr("&Add a folder…"), self)
        self.add_folder_action.triggered.connect(self.start_add_folder)
        self.add_computer_action = QAction(self.tr("Add another &computer…"), self)
        self.add_computer_action.triggered.connect(self.show_join_dialog)
        self.open_folder_action = QAction(self.tr("Open the &folder"), self)
        self.open_folder_action.triggered.connect(self._open_current_folder)
        for action in (self.add_folder_action, self.add_computer_action, self.open_folder_action):
            self.coffre_menu.addAction(action)
        self._vault_section = self.coffre_menu.addSeparator()
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        self.coffre_menu.addAction(self.settings_action)
        self.coffre_menu.addSeparator()
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.quit)
        self.coffre_menu.addAction(self.quit_action)
        self._update_menu()

    def add_vault_action(self, action: QAction) -> None:
        """Add a command about the vault (its section of the Coffre menu, before Settings)."""
        self.coffre_menu.insertAction(self._vault_section, action)

    def _update_menu(self) -> None:
        has_folder = self.current_folder() is not None
        self.add_computer_action.setEnabled(has_folder)
        self.open_folder_action.setEnabled(has_folder)

    def open_settings(self) -> SettingsDialog:
        """The settings dialog (window-modal, not blocking the sync)."""
        self.show_and_raise()
        if self.settings is None:
            self.settings = SettingsStore()
        dialog = SettingsDialog(self.settings, self.bridge.bindings(), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def start_add_folder(self) -> SetupWizard:
        """The setup assistant, to sync one more folder (a new vault or one that exists)."""
        self.show_and_raise()
        wizard = SetupWizard(parent=self)
        if default_setup_taken([b.folder for b in self.bridge.bindings()]):
            wizard.page_of(PageId.WELCOME).default_button.setVisible(False)
        wizard.finished.connect(lambda _r: self._wizard_done(wizard))
        wizard.open()
        return wizard

    def _wizard_done(self, wizard: SetupWizard) -> None:
        model = wizard.model
        binding = model.binding
        if binding is not None:  # bound, even if closed on the recovery page
            self.add_folder(binding)
            self.bridge.open_folder(binding, model.passphrase, model.remember_key)
            self.folder_picker.setCurrentIndex(self.folder_picker.findData(binding.folder_id))
        model.passphrase = model.passphrase_again = ""
        wizard.deleteLater()

    def show_join_dialog(self) -> JoinDialog | None:
        fid = self.current_folder()
        if fid is None:
            return None
        dialog = JoinDialog(self.bridge.binding(fid), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _open_current_folder(self) -> None:
        fid = self.current_folder()
        if fid is not None:
            self.status_widgets[fid].open_folder()

    # --- folders -------------------------------------------------------------------------------

    def add_folder(self, binding: Binding) -> None:
        model = self.bridge.add_folder(binding)
        fid = binding.folder_id
        if fid in self.status_widgets:
            return
        status = FolderStatusWidget(model, self.status_page)
        status.pauseRequested.connect(self.bridge.pause)
        status.resumeRequested.connect(self.bridge.resume)
        status.syncRequested.connect(self.bridge.sync_now)
        status.unlockRequested.connect(lambda f: self.ask_passphrase(f, model.failure))
        status.shareRequested.connect(self.share_menu.open_for)
        held = HeldDeletionPanel(model, self.status_page)
        held.confirmRequested.connect(self.folder_actions.confirm_held)
        held.cancelRequested.connect(self._cancel_held)
        index = self.status_layout.count() - 1  # above the stretch
        self.status_layout.insertWidget(index, held)
        self.status_layout.insertWidget(index, status)
        self.status_widgets[fid] = status
        self.held_panels[fid] = held
        self.folder_picker.addItem(Path(binding.folder).name, fid)
        self.status_label.setVisible(False)
        self._update_picker_visibility()
        self._update_menu()

    def _update_picker_visibility(self) -> None:
        several = self.folder_picker.count() > 1
        self.folder_label.setVisible(several)
        self.folder_picker.setVisible(several)

    def current_folder(self) -> str | None:
        fid = self.folder_picker.currentData()
        return fid if isinstance(fid, str) else None

    def _current_binding(self) -> Binding | None:
        fid = self.current_folder() or next(iter(self.bridge.models), None)
        return self.bridge.binding(fid) if fid is not None else None

    def _cancel_held(self, fid: str) -> None:
        def done(_paths: object, error: str) -> None:
            if error:
                self.banner.show_message(self.tr("The deletion could not be cancelled"), error)

        self.folder_actions.cancel_held(fid, done)

    # --- reacting to the engine ------------------------------------------------------------------

    def _folder_changed(self, fid: str) -> None:
        if fid in self.status_widgets:
            self.status_widgets[fid].refresh()
            self.held_panels[fid].refresh()
        count = sum(m.conflict_count for m in self.bridge.models.values())
        title = self.tr("&Conflicts ({count})").format(count=count) if count else None
        self.tabs.setTabText(2, title or self.tr("&Conflicts"))

    def _folder_opened(self, fid: str) -> None:
        if fid == self.current_folder():
            self.refresh_folder_views()

    def _event(self, event: Event) -> None:
        if isinstance(event, ItemSynced) and not self._activity_timer.isActive():
            self._activity_timer.start()  # a catch-up's thousand files: a few redraws
        if event.folder != self.current_folder():
            return
        if isinstance(event, ConflictDetected):
            self.conflicts.refresh()
        elif isinstance(event, RoundFinished):
            model = self.bridge.models.get(event.folder)
            # The bridge counts the vault's conflicts after each round; the list is read
            # again when it is in view or when that count says it is out of date.
            shown = self.tabs.currentWidget() is self.conflicts
            stale = model is not None and model.conflict_count != len(self.conflicts.items)
            if shown or stale:
                self.conflicts.refresh()
            if self.tabs.currentWidget() is self.quarantine:
                self.quarantine.refresh()
            elif self.tabs.currentWidget() is self.history:
                self.history.reload_versions()

    def _tab_shown(self) -> None:
        page = self.tabs.currentWidget()
        if page is self.activity:
            self.activity.refresh()
        elif page is self.conflicts:
            self.conflicts.refresh()
        elif page is self.history:
            self.history.refresh()
        elif page is self.quarantine:
            self.quarantine.refresh()

    def refresh_folder_views(self) -> None:
        self.conflicts.refresh()
        self.history.refresh()
        self.quarantine.refresh()

    # --- unlocking -------------------------------------------------------------------------------

    def _needs_passphrase(self, fid: str, why: str) -> None:
        if not self.quiet:
            self.ask_passphrase(fid, why)
            return
        model = self.bridge.models[fid]
        if self.notifier is not None:
            if model.failure:  # not a passphrase matter (a store out of reach): say what
                self.notifier.show_notice(Notice("error", fid, 1, model.failure))
            else:
                self.notifier.passphrase_needed(fid)
        model.locked = not model.failure
        self.bridge.folderChanged.emit(fid)

    def _nothing_remembered(self, fid: str, refused: str) -> None:
        """No key remembered for the folder, or the one remembered was refused (`refused`)."""
        why = ""
        if refused:
            why = self.tr(
                "The key remembered on this computer no longer opens this vault (it may have "
                "been replaced). Type the passphrase again."
            )
        self._needs_passphrase(fid, why)

    def _key_not_remembered(self, _fid: str, why: str) -> None:
        """The folder opened, but the keyring would not keep its key (logged in English)."""
        log.info("vault key not remembered: %s", why)
        self.banner.show_message(
            self.tr("The passphrase was not remembered"),
            self.tr(
                "This computer's keyring could not keep the vault key (it may be locked or "
                "missing). Syncing goes on; Coffre will ask for the passphrase at the next start."
            ),
        )

    def prompt_passphrase(self, fid: str, error: str = "") -> None:
        """Ask for a folder's passphrase without blocking the window; unlock when given."""
        shown = self._dialogs.get(fid)
        if shown is not None:
            shown.raise_()
            shown.activateWindow()
            return
        binding = self.bridge.binding(fid)
        dialog = PassphraseDialog(binding.folder, error, self)
        self._dialogs[fid] = dialog
        dialog.accepted.connect(
            lambda: self.bridge.open_folder(binding, dialog.secret(), dialog.remember_key())
        )
        dialog.rejected.connect(lambda: self._not_unlocked(fid))
        dialog.finished.connect(lambda _r: self._dialogs.pop(fid, None))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def unlock_waiting(self) -> None:
        """Show the window and ask for the first folder that waits for its passphrase."""
        self.show_and_raise()
        for fid, model in self.bridge.models.items():
            if model.locked or model.failure:
                self.ask_passphrase(fid, model.failure)
                return

    def _not_unlocked(self, fid: str) -> None:
        model = self.bridge.models[fid]
        if not model.ready and not model.failure:
            model.locked = True  # waits calmly; "Unlock…" in the window and the tray
            self.bridge.folderChanged.emit(fid)

    # --- closing ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.bridge.set_foreground(True)  # someone looks: other devices' changes come fast

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.bridge.set_foreground(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting and self.tray is not None and self.tray.icon.isVisible():
            self.hide()  # still reachable from the tray
            event.ignore()
            return
        event.accept()
        self.quit()

    def quit(self) -> None:
        """Stop syncing and end the app."""
        if self._quitting:
            return
        self._quitting = True
        if self.tray is not None:
            self.tray.hide()
        self.bridge.stop()
        self.close()
        app = QApplication.instance()
        if app is not None:
            QTimer.singleShot(0, app.quit)

    def show_and_raise(self) -> None:
        self.quiet = False  # the person is here: asking is fine from now on
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()


def env_passphrase(_binding: Binding) -> str | None:
    return take_env(ENV_VAR)  # out of os.environ: programs the app opens do not inherit it


def live_config(settings: AppSettings, base: LiveConfig | None = None) -> LiveConfig:
    """The live-sync parameters the settings choose (the rest as `base` has them)."""
    return replace(
        base or LiveConfig(),
        active_poll_s=float(settings.active_poll_s),
        idle_poll_s=float(settings.idle_poll_s),
        pause_on_metered=settings.pause_on_metered,
        pause_on_power_saver=settings.pause_on_battery_saver,
    )


def follow_settings(bridge: EngineBridge, store: SettingsStore) -> None:
    """Apply the settings now and whenever the settings dialog saves new ones."""

    def apply(_old: AppSettings | None, new: AppSettings) -> None:
        bridge.set_config(live_config(new, bridge.config))
        bridge.set_limits(new.upload_bps, new.download_bps)

    apply(None, store.current)
    store.subscribe(apply)


def launch(
    bindings: Sequence[Binding] | None = None,
    *,
    passphrase_for: PassphraseSource = env_passphrase,
    unlocks: Mapping[str, Unlock] | None = None,
    config: LiveConfig | None = None,
    settings: SettingsStore | None = None,
    show: bool = True,
    autostart: bool = False,
) -> MainWindow:
    """Open the everyday app: the bridge, the tray, the window; start every bound folder.

    Each folder opens with, in order: the passphrase the wizard handed over
    (`unlocks`, by folder id), `passphrase_for` (the environment), the key
    remembered in the OS keyring, else the passphrase dialog. With `autostart`
    (the login item) the window starts hidden in the tray (minimized without
    one) and a folder that needs its passphrase waits with a notice instead of
    a dialog. `settings` (poll intervals, limits, metered policy) are followed.
    """
    bridge = EngineBridge(config)
    if settings is not None:
        follow_settings(bridge, settings)
    tray = TrayController(bridge)
    window = MainWindow(bridge, tray)
    window.settings = settings
    notifier = Notifier(
        lambda fid: bridge.binding(fid).folder,
        tray.icon if tray.available else None,
        window.banner.show_message,
        parent=window,
    )
    bridge.eventReceived.connect(notifier.on_event)
    window.notifier = notifier
    window.metered = MeteredWatcher(bridge, window)
    window.power_saver = PowerSaverWatcher(bridge, parent=window)
    tray.openWindowRequested.connect(window.show_and_raise)
    tray.unlockRequested.connect(window.unlock_waiting)
    tray.settingsRequested.connect(window.open_settings)
    tray.quitRequested.connect(window.quit)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        # Without a tray, closing the window must end the app, not leave it invisible.
        app.setQuitOnLastWindowClosed(not tray.available)
        app.aboutToQuit.connect(bridge.stop)
    window.quiet = autostart
    handed = unlocks or {}
    for binding in all_bindings() if bindings is None else bindings:
        window.add_folder(binding)
        given = handed.get(binding.folder_id)
        passphrase = passphrase_for(binding) if given is None else None
        if given is not None:
            bridge.open_folder(binding, given.passphrase, given.remember)
        elif passphrase:
            bridge.open_folder(binding, passphrase)  # the environment's: the keyring is left alone
        else:
            bridge.open_remembered(binding)  # else folderNeedsPassphrase: dialog or notice
    if window.current_folder() is not None:
        window.refresh_folder_views()
    if autostart:
        if not tray.available:
            window.showMinimized()  # the taskbar is the only way back to it
    elif show or not tray.available:
        window.show()
    return window
