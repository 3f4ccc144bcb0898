"""The settings dialog: a thin view over `app.settings.SettingsStore`.

It shows the settings in force, greys out those the organisation's policy
locks, and on OK hands a new `AppSettings` to the store, which persists,
applies (start at login) and announces them to the live sync bridge. Ignore
patterns are edited per synced folder, in that folder's `.coffreignore`.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.folders import Binding, all_bindings
from app.gui.views.identity_dialogs import MyIdentityDialog
from app.gui.views.identity_panel import IdentityPanel
from app.ignore_file import read_ignore_file, write_ignore_file
from app.settings import MAX_LIMIT_KIB_S, POLL_RANGE_S, AppSettings, SettingsError, SettingsStore


def _labelled(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
    label = QLabel(text, form.parentWidget())
    widget.setProperty("coffreLabel", label)  # the label shows "set by your administrator"
    label.setBuddy(widget)
    widget.setAccessibleName(text.rstrip(" :"))
    form.addRow(label, widget)
    return label


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class SettingsDialog(QDialog):
    def __init__(
        self,
        store: SettingsStore,
        bindings: list[Binding] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.bindings = all_bindings() if bindings is None else bindings
        self.setWindowTitle(self.tr("Coffre settings"))
        self.identity_dialog: MyIdentityDialog | None = None
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(self._general_tab(), self.tr("General"))
        self.tabs.addTab(self._network_tab(), self.tr("Network"))
        self.tabs.addTab(self._sync_tab(), self.tr("Synchronisation"))
        self.tabs.addTab(self._ignore_tab(), self.tr("Ignored files"))
        self.identity_panel = IdentityPanel(self)  # own card, fingerprint, QR code
        self.identity_panel.identityDialogRequested.connect(self.open_identity)
        self.tabs.addTab(self.identity_panel, self.tr("Identity"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b03a2e;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        for button in self.buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.load(store.current)
        self._apply_locks()
        self.resize(560, 460)

    # --- tabs ---------------------------------------------------------------------------------

    def _general_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.language = QComboBox(tab)
        self.language.addItem(self.tr("System default"), "system")
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        _labelled(form, self.tr("Language:"), self.language)
        form.addRow(_note(self.tr("A new language applies the next time Coffre starts."), tab))
        self.start_at_login = QCheckBox(self.tr("Start Coffre when I log in"), tab)
        form.addRow(self.start_at_login)
        self.identity_button = QPushButton(self.tr("My &identity…"), tab)
        self.identity_button.setAccessibleName(self.tr("My identity"))
        self.identity_button.clicked.connect(self.open_identity)
        row = QHBoxLayout()
        row.addWidget(self.identity_button)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(
            _note(
                self.tr(
                    "Your name, fingerprint and identity card: what colleagues need to share "
                    "folders with you."
                ),
                tab,
            )
        )
        return tab

    def open_identity(self) -> MyIdentityDialog:
        """This computer's identity (created there if needed), over the settings."""
        dialog = MyIdentityDialog(self)
        dialog.finished.connect(lambda _r: self.identity_panel.reload())  # created there?
        dialog.finished.connect(dialog.deleteLater)
        self.identity_dialog = dialog
        dialog.open()
        return dialog

    def _network_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.pause_on_metered = QCheckBox(
            self.tr("Pause synchronisation on metered connections (mobile data)"), tab
        )
        form.addRow(self.pause_on_metered)
        self.pause_on_battery_saver = QCheckBox(
            self.tr("Pause synchronisation while the computer saves battery"), tab
        )
        form.addRow(self.pause_on_battery_saver)
        self.upload_limit = self._limit_box(tab)
        self.download_limit = self._limit_box(tab)
        _labelled(form, self.tr("Upload limit:"), self.upload_limit)
        _labelled(form, self.tr("Download limit:"), self.download_limit)
        self.proxy_group = QButtonGroup(tab)
        self.proxy_system = QRadioButton(self.tr("Use the system's proxy settings"), tab)
        self.proxy_manual = QRadioButton(self.tr("Use this proxy:"), tab)
        self.proxy_group.addButton(self.proxy_system)
        self.proxy_group.addButton(self.proxy_manual)
        self.proxy_url = QLineEdit(tab)
        self.proxy_url.setPlaceholderText("http://proxy.example.org:3128")
        self.proxy_url.setAccessibleName(self.tr("Proxy address"))
        form.addRow(self.proxy_system)
        form.addRow(self.proxy_manual, self.proxy_url)
        self.proxy_manual.toggled.connect(self.proxy_url.setEnabled)
        return tab

    def _limit_box(self, parent: QWidget) -> QSpinBox:
        box = QSpinBox(parent)
        box.setRange(0, MAX_LIMIT_KIB_S)
        box.setSingleStep(100)
        box.setSuffix(self.tr(" KiB/s"))
        box.setSpecialValueText(self.tr("Unlimited"))
        return box

    def _sync_tab(self) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        low, high = POLL_RANGE_S
        self.active_poll = QSpinBox(tab)
        self.idle_poll = QSpinBox(tab)
        for box in (self.active_poll, self.idle_poll):
            box.setRange(low, high)
            box.setSuffix(self.tr(" s"))
        _labelled(form, self.tr("Check for changes every (while active):"), self.active_poll)
        _labelled(form, self.tr("Check for changes every (when idle):"), self.idle_poll)
        form.addRow(
            _note(
                self.tr(
                    "Changes on this computer are seen at once; these intervals are for changes "
                    "made on your other computers."
                ),
                tab,
            )
        )
        return tab

    def _ignore_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        form = QFormLayout()
        self.ignore_folder = QComboBox(tab)
        for binding in self.bindings:
            self.ignore_folder.addItem(binding.folder, binding.folder)
        _labelled(form, self.tr("Folder:"), self.ignore_folder)
        layout.addLayout(form)
        self.ignore_text = QPlainTextEdit(tab)
        self.ignore_text.setAccessibleName(self.tr("Ignore patterns"))
        self.ignore_text.setTabChangesFocus(True)
        self.ignore_text.setPlaceholderText(
            self.tr("For example:\n*.iso\ndrafts/\n/personal-notes.txt")
        )
        layout.addWidget(self.ignore_text, 1)
        layout.addWidget(
            _note(
                self.tr(
                    "One rule per line. *.iso leaves out every file ending in .iso; drafts/ "
                    "leaves out every folder named drafts; /personal-notes.txt leaves out only "
                    "that file at the top of the folder. The list is shared with your other "
                    "computers. Office lock files and system files are always left out."
                ),
                tab,
            )
        )
        if not self.bindings:
            self.ignore_text.setEnabled(False)
            self.ignore_folder.setEnabled(False)
        self._ignore_edits: dict[str, str] = {}
        self._ignore_original: dict[str, str] = {}
        self._ignore_shown: str | None = None
        self.ignore_folder.currentIndexChanged.connect(self._show_ignore)
        self._show_ignore()
        return tab

    def _show_ignore(self) -> None:
        if self._ignore_shown is not None:
            self._ignore_edits[self._ignore_shown] = self.ignore_text.toPlainText()
        folder = self.ignore_folder.currentData()
        self._ignore_shown = folder
        if folder is None:
            return
        if folder not in self._ignore_original:
            try:
                self._ignore_original[folder] = read_ignore_file(folder)
            except OSError:
                self._ignore_original[folder] = ""
        self.ignore_text.setPlainText(self._ignore_edits.get(folder, self._ignore_original[folder]))

    # --- model <-> widgets ------------------------------------------------------------------

    def load(self, settings: AppSettings) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.start_at_login.setChecked(settings.start_at_login)
        self.pause_on_metered.setChecked(settings.pause_on_metered)
        self.pause_on_battery_saver.setChecked(settings.pause_on_battery_saver)
        self.upload_limit.setValue(settings.upload_limit_kib_s)
        self.download_limit.setValue(settings.download_limit_kib_s)
        manual = settings.proxy_mode == "manual"
        self.proxy_manual.setChecked(manual)
        self.proxy_system.setChecked(not manual)
        self.proxy_url.setText(settings.proxy_url)
        self.proxy_url.setCursorPosition(0)  # the address's start, not its port, when too long
        self.proxy_url.setEnabled(manual)
        self.active_poll.setValue(settings.active_poll_s)
        self.idle_poll.setValue(settings.idle_poll_s)

    def collect(self) -> AppSettings:
        return replace(
            self.store.current,
            language=str(self.language.currentData()),
            start_at_login=self.start_at_login.isChecked(),
            pause_on_metered=self.pause_on_metered.isChecked(),
            pause_on_battery_saver=self.pause_on_battery_saver.isChecked(),
            upload_limit_kib_s=self.upload_limit.value(),
            download_limit_kib_s=self.download_limit.value(),
            proxy_mode="manual" if self.proxy_manual.isChecked() else "system",
            proxy_url=self.proxy_url.text().strip(),
            active_poll_s=self.active_poll.value(),
            idle_poll_s=self.idle_poll.value(),
        )

    def _widgets_for(self, name: str) -> list[QWidget]:
        widgets: dict[str, list[QWidget]] = {
            "language": [self.language],
            "start_at_login": [self.start_at_login],
            "pause_on_metered": [self.pause_on_metered],
            "pause_on_battery_saver": [self.pause_on_battery_saver],
            "upload_limit_kib_s": [self.upload_limit],
            "download_limit_kib_s": [self.download_limit],
            "proxy_mode": [self.proxy_system, self.proxy_manual],
            "proxy_url": [self.proxy_url],
            "active_poll_s": [self.active_poll],
            "idle_poll_s": [self.idle_poll],
        }
        return widgets.get(name, [])

    def _apply_locks(self) -> None:
        """Greyed out, and saying so: "set by your administrator" beside each locked one."""
        mark = self.tr("set by your administrator")
        for name in sorted(self.store.policy.locked):
            for widget in self._widgets_for(name):
                widget.setEnabled(False)
                widget.setToolTip(self.tr("Set by your administrator."))
                widget.setAccessibleDescription(self.tr("Set by your administrator"))
                label = widget.property("coffreLabel")
                if isinstance(widget, QCheckBox | QRadioButton):
                    widget.setText(f"{widget.text()} ({mark})")
                elif isinstance(label, QLabel) and mark not in label.text():
                    text = label.text()
                    colon = " :" if text.endswith(" :") else ":"  # French puts a space before
                    label.setText(f"{text.rstrip(' :')} ({mark}){colon}")
        if self.store.policy.broken:
            self.error.setText(
                self.tr(
                    "Your organisation's settings cannot be read: synchronisation is stopped "
                    "until your IT department fixes them."
                )
            )

    def error_text(self, exc: SettingsError) -> str:
        if exc.name == "proxy_url":
            return self.tr("Give the proxy's address, for example http://proxy.example.org:3128.")
        if exc.name == "ignore":
            return self.tr("The ignore list is too long.")
        return self.tr("A value is out of range.")

    def accept(self) -> None:
        self._show_ignore()
        try:
            self.store.save(self.collect())
            for folder, text in self._ignore_edits.items():
                if text != self._ignore_original.get(folder, ""):
                    write_ignore_file(folder, text)
        except SettingsError as exc:
            self.error.setText(self.error_text(exc))
            self.error.setAccessibleName(self.error.text())
            return
        except OSError as exc:
            self.error.setText(
                self.tr("The ignore list could not be saved: %1").replace("%1", exc.strerror or "")
            )
            return
        super().accept()


def screenshot_screens() -> list[tuple[str, object]]:
    """Screens for tools/screenshots.py: the dialog, one picture per tab."""

    def tab(index: int) -> object:
        def build() -> QWidget:
            dialog = SettingsDialog(SettingsStore())
            dialog.tabs.setCurrentIndex(index)
            return dialog

        return build

    def locked() -> QWidget:
        """The network tab as an organisation's policy sets it: limits and proxy locked."""
        from app.policy.model import Policy

        policy = Policy(
            {
                "upload_limit_kib_s": 2048,
                "proxy_mode": "manual",
                "proxy_url": "http://10.0.0.1:3128",
            },
            frozenset({"upload_limit_kib_s", "proxy_mode", "proxy_url"}),
        )
        dialog = SettingsDialog(SettingsStore(policy=policy))
        dialog.tabs.setCurrentIndex(1)
        return dialog

    def identity() -> QWidget:
        """The identity tab with a sample person (the screenshots' home has none)."""
        from app.identity_store import IN_KEYRING, StoredIdentity
        from crypto.identity import Identity, make_card

        dialog = SettingsDialog(SettingsStore())
        alice = Identity.generate("Alice Martin")
        stored = StoredIdentity(alice.public, make_card(alice), IN_KEYRING)
        dialog.identity_panel.show_identity(stored)
        dialog.tabs.setCurrentWidget(dialog.identity_panel)
        dialog.resize(640, 560)
        return dialog

    names = ("general", "network", "sync", "ignore")
    screens: list[tuple[str, object]] = [
        (f"settings-{name}", tab(i)) for i, name in enumerate(names)
    ]
    return [
        *screens,
        ("settings-identity", identity),
        ("settings-locked-by-administrator", locked),
    ]
