"""The French interface shows French only: one language per screen.

Walks, in French, the main window in every screenshot state, the status card
in every folder state with every problem and error kind, the tray menu and
tooltip, the notifications, every wizard page with every error it can show,
the settings tabs, and every sentence of app/messages.py; each visible text
goes through tests/gui/french_text.py. The first test proves the checker
catches English, so a regression cannot pass unseen.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app import messages
from app.activity import FolderModel
from app.credentials import CredentialsUnavailable
from app.folders import Binding, BindingError
from app.gui import i18n
from app.gui.engine_bridge import EngineBridge
from app.gui.notifications import Notice, NotificationPolicy, Notifier
from app.gui.screens import SampleBridge, screenshot_screens
from app.gui.settings_dialog import SettingsDialog
from app.gui.tray import TrayController
from app.gui.views.folder_status import FolderStatusWidget
from app.gui.wizard import Mode, PageId, SetupModel, SetupWizard, StoreKind
from app.gui.wizard.messages import SetupMessages
from app.gui.wizard.pages import ConnectionPage, SummaryPage
from app.settings import SettingsStore
from app.setup import ConnectionCheck
from crypto.errors import (
    DowngradeRefused,
    InvalidRecoveryKey,
    RollbackDetected,
    TamperedData,
    UnsupportedFormat,
    WrongPassphrase,
)
from crypto.reason import Reason
from sync_engine.disk.fs_errors import from_oserror
from sync_engine.events import DeletionHeld, FolderState, ProblemReported, StateChanged
from sync_engine.stores.errors import (
    StoreAuthError,
    StoreConfigError,
    StoreFull,
    StoreProblem,
    StoreUnavailable,
)
from sync_engine.stores.s3 import MissingBucket
from sync_engine.vault.vault_store import SetupProblem, VaultSetupError
from tests.gui.conftest import GuiEnv
from tests.gui.devices import (  # noqa: F401 - the fixtures
    PASSPHRASE,
    WAIT_MS,
    Vault,
    bridge_fixture,
    vault_fixture,
    vault_template_fixture,
)
from tests.gui.french_text import assert_french, english_texts, why_not_french

PARAMS = {
    "url": "s3://archives/mairie",
    "path": "Rapports/rapport-annuel.odt",
    "name": "CON",
    "other": "Rapport.odt",
    "folder": "Archives",
    "device": "portable-mission",
    "needed_mb": "120",
    "holds": "vault",
    "detail": "the English detail for support",
}


def every_reason() -> list[Reason]:
    """One reason of each kind app/messages.py words, with every parameter it may use."""
    kinds = [k for k in messages.SENTENCES if "/" not in k and "+" not in k]
    reasons = [Reason.of(k, **PARAMS) for k in kinds]
    reasons.append(Reason.of(SetupProblem.NOT_EMPTY, holds="other"))
    reasons.append(Reason.of("a.kind.from.a.newer.engine", detail="something"))
    return reasons


def every_error() -> list[BaseException]:
    url = "s3://archives/mairie"
    return [
        WrongPassphrase(),
        InvalidRecoveryKey("checksum"),
        TamperedData("A pack", "bad magic"),
        RollbackDetected("A head", "older"),
        UnsupportedFormat("format 9; update Coffre."),
        DowngradeRefused("weaker"),
        StoreUnavailable("The store folder is missing", url=url, kind=StoreProblem.FOLDER_MISSING),
        StoreUnavailable("Could not connect", url=url),
        StoreAuthError("Access denied", url=url),
        StoreConfigError("Bad URL", url=url),
        MissingBucket("No such bucket", url=url),
        StoreFull("Quota", url=url),
        VaultSetupError("not empty", kind=SetupProblem.NOT_EMPTY, holds="vault", url=url),
        VaultSetupError("no vault", kind=SetupProblem.NO_VAULT, url=url),
        VaultSetupError("race", kind=SetupProblem.CREATED_MEANWHILE, url=url),
        from_oserror(OSError(errno.ENOSPC, "No space left on device"), "a.txt", "write"),
        from_oserror(OSError(errno.EACCES, "Permission denied"), "a.txt", "write"),
        BindingError("/home/agent/Coffre is already synced"),
        CredentialsUnavailable("The keyring is locked"),
        OSError(errno.EROFS, "Read-only file system"),
        RuntimeError("an English bug message"),
    ]


# --- the checker ---------------------------------------------------------------------------


def test_the_checker_catches_english_of_every_kind(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    label = QLabel(i18n.describe(Reason.of(StoreProblem.UNAVAILABLE, url="s3://b/p")), window)
    button = QPushButton(window.tr("Synchroniser maintenant"), window)
    button.setToolTip("Le stockage « Documents » est injoignable.")
    layout.addWidget(label)
    layout.addWidget(button)
    window.setWindowTitle("Coffre")
    assert english_texts(window) == [], "French reads as French"

    # An engine reason worded without translation (the bug this issue is about).
    reason = Reason.of(StoreProblem.FOLDER_MISSING, url="file:///srv/coffre")
    label.setText(window.tr("Verrouillé : {reason}").format(reason=messages.describe(reason)))
    assert [p.why.startswith("English engine sentence") for p in english_texts(window)] == [True]
    label.setText(i18n.describe(reason))
    assert english_texts(window) == []

    # A catalogue string shown without its translation (a missing self.tr()).
    button.setText("&Sync now")
    assert [p.why for p in english_texts(window)] == ["untranslated catalogue source"]
    button.setText("&Synchroniser maintenant")

    # English the catalogues do not know, in a tooltip, a placeholder or a name.
    button.setToolTip("Could not reach the server: check your network")
    assert english_texts(window) and "English words" in english_texts(window)[0].why
    button.setToolTip("")
    button.setAccessibleName("Open the folder")
    assert english_texts(window), "two English words in an accessible name"
    button.setAccessibleName("")
    # Paths, file names and quoted names are not read as English.
    assert why_not_french("Envoi de « the file of the year.odt » vers /srv/the/store") is None


# --- the main window, tray and dialogs --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make"), screenshot_screens(), ids=[name for name, _ in screenshot_screens()]
)
def test_every_screen_is_french(qtbot: QtBot, name: str, make: object) -> None:
    assert callable(make)
    widget = make()
    qtbot.addWidget(widget)
    widget.show()
    assert_french(widget, name)


def _status(qtbot: QtBot) -> tuple[FolderStatusWidget, FolderModel]:
    model = FolderModel("f0", "/home/agent/Coffre", "poste-bureau", ready=True)
    widget = FolderStatusWidget(model)
    qtbot.addWidget(widget)
    widget.show()
    return widget, model


def test_status_card_is_french_in_every_state(qtbot: QtBot) -> None:
    widget, model = _status(qtbot)
    for state in FolderState:
        for paused in ("", "user", "metered"):
            model.apply(StateChanged("f0", state, paused_reason=paused))
            widget.refresh()
            assert_french(widget, f"{state.name} {paused}")
    # A state an older or foreign sink sent with only the English message, no reason.
    model.apply(StateChanged("f0", FolderState.ERROR, "Could not write the file: disk full"))
    widget.refresh()
    assert_french(widget, "ERROR without a reason")
    model.apply(ProblemReported("f0", "a.txt", "skipped", Reason.of("name.windows_reserved")))
    model.apply(DeletionHeld("f0", 140, ("a.txt",)))
    widget.refresh()
    assert_french(widget, "problems")
    model.ready, model.locked = False, True
    widget.refresh()
    assert_french(widget, "locked")
    model.locked = False
    widget.refresh()
    assert_french(widget, "opening")
    model.ready, model.role = True, "reader"  # a shared folder this person only reads
    model.read_only = tuple(f"Notes/note-{i}.txt" for i in range(7))
    widget.refresh()
    assert widget.badge.isVisible() and widget.read_only_label.isVisible()
    assert_french(widget, "read only")
    assert_french(widget.menu, "folder card menu")


@pytest.mark.parametrize("state", [FolderState.OFFLINE, FolderState.ERROR], ids=lambda s: s.name)
def test_status_card_words_every_reason_in_french(qtbot: QtBot, state: FolderState) -> None:
    widget, model = _status(qtbot)
    for reason in every_reason():
        english = f"English message for logs about {reason.kind}: could not do it"
        model.apply(StateChanged("f0", state, english, "Check your storage", reason=reason))
        widget.refresh()
        assert_french(widget, f"{state.name} {reason.kind}")


def test_a_folder_that_could_not_open_says_why_in_french(qtbot: QtBot) -> None:
    widget, model = _status(qtbot)
    for exc in every_error():
        model.ready, model.failure = False, i18n.describe_error(exc)  # as engine_bridge does
        widget.refresh()
        assert_french(widget, type(exc).__name__)


def test_the_real_bridge_words_why_a_folder_does_not_open_in_french(
    qtbot: QtBot, bridge: EngineBridge, vault: Vault
) -> None:
    """The two sentences of the issue, through the real engine thread and stores."""
    model = bridge.add_folder(vault.a)
    widget = FolderStatusWidget(model)
    qtbot.addWidget(widget)
    widget.show()
    bridge.folderChanged.connect(lambda _f: widget.refresh())
    with qtbot.waitSignal(bridge.folderFailed, timeout=WAIT_MS):
        bridge.open_folder(vault.a, "pas la bonne phrase")
    assert model.failure == i18n.describe_error(WrongPassphrase())
    assert_french(widget, "wrong passphrase")
    assert widget.state_label.text().startswith("Verrouillé : La phrase de passe")

    shutil.rmtree(vault.store)  # the store folder's share is gone
    with qtbot.waitSignal(bridge.folderFailed, timeout=WAIT_MS):
        bridge.open_folder(vault.a, PASSPHRASE)
    assert "Le dossier de stockage" in model.failure and "introuvable" in model.failure
    assert_french(widget, "store folder missing")


def test_every_engine_reason_reads_french() -> None:
    for reason in every_reason():
        text = i18n.describe(reason)
        assert text and why_not_french(text) is None, (reason.kind, text)
        assert text != messages.describe(reason), f"{reason.kind} is not translated"
    for reason in every_reason():
        assert why_not_french(i18n.action(reason)) is None, reason.kind


def test_tray_menu_and_tooltip_are_french_in_every_state(qtbot: QtBot) -> None:
    bridge = SampleBridge()
    model = bridge.add_folder(
        Binding("/home/agent/Coffre", "/srv/coffre", "00" * 16, "ab" * 16, "poste", "f0")
    )
    tray = TrayController(bridge)
    cases = [
        lambda: setattr(model, "ready", True),
        lambda: model.apply(StateChanged("f0", FolderState.SYNCING)),
        lambda: model.apply(StateChanged("f0", FolderState.PAUSED, paused_reason="user")),
        lambda: model.apply(StateChanged("f0", FolderState.OFFLINE)),
        lambda: model.apply(DeletionHeld("f0", 12, ("a",))),
        lambda: model.set_conflicts(2),
        lambda: setattr(model, "locked", True),
        lambda: setattr(model, "failure", i18n.describe_error(WrongPassphrase())),
        lambda: model.apply(StateChanged("f0", FolderState.ERROR)),
    ]
    for change in cases:
        change()
        tray.refresh()
        assert_french(tray.menu, "tray menu")
        assert why_not_french(tray.icon.toolTip()) is None, tray.icon.toolTip()


def test_notifications_are_french(qtbot: QtBot) -> None:
    shown: list[tuple[str, str]] = []
    notifier = Notifier(lambda fid: "/home/agent/Coffre", None, lambda t, x: shown.append((t, x)))
    notices = [
        Notice("conflict", "f0", 1, "Rapports/rapport.odt"),
        Notice("conflict", "f0", 3, "Rapports/rapport.odt"),
        Notice("passphrase", "f0", 1, ""),
        Notice("held", "f0", 1, "140"),
        Notice("error", "f0", 1, ""),
        *NotificationPolicy().members_changed("f0", ["Élise Dupont"], ["Marc Lefèvre"]),
        *NotificationPolicy().members_changed("f0", ["Élise Dupont", "Paul"], ["Marc", "Léa"]),
    ]
    policy = NotificationPolicy(min_interval_s=0)
    for reason in every_reason():
        notice = policy.consider(
            StateChanged("f0", FolderState.ERROR, "English for logs", reason=reason)
        )
        assert notice is not None
        notices.append(notice)
        policy.consider(StateChanged("f0", FolderState.IDLE))
    for notice in notices:
        for text in notifier.words(notice):
            assert why_not_french(text) is None, (notice, text)


def test_settings_dialog_is_french_on_every_tab(qtbot: QtBot, gui_env: GuiEnv) -> None:
    folder = gui_env.home / "Coffre"
    folder.mkdir()
    binding = Binding(str(folder), "/srv/coffre", "00" * 16, "ab" * 16, "poste", "f0")
    dialog = SettingsDialog(SettingsStore(), bindings=[binding])
    qtbot.addWidget(dialog)
    dialog.show()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        assert_french(dialog, f"settings tab {index}")


def test_share_dialog_is_french_in_every_state(qtbot: QtBot) -> None:
    """The owner's and the reader's "Share…", every card problem, both removal warnings."""
    from app.gui.screens import _share_dialog, _share_dialog_reader
    from app.gui.views.share_dialog import RemoveDialog, ShareDialog
    from app.identity_model import CARD_ALTERED, NO_IDENTITY, NOT_A_CARD, OWN_CARD
    from app.members import CardPreview

    owner = _share_dialog()
    assert isinstance(owner, ShareDialog)
    qtbot.addWidget(owner)
    owner.show()
    assert_french(owner, "share: owner, a card checked")
    namesake = owner.model.members[1]  # a card in a member's name, with other keys
    owner.model.preview = CardPreview(namesake.name, "ab" * 16, "FP", "", None, namesake.id)
    owner._show()
    assert "Attention" in owner.card_problem.text()
    assert_french(owner, "share: a card in a member's name, other keys")
    owner.model.preview = None
    for code in (NOT_A_CARD, CARD_ALTERED, OWN_CARD, NO_IDENTITY):
        owner.model.card.checked, owner.model.card.problem = None, code
        owner._show()
        assert owner.card_problem.isVisible()
        assert_french(owner, f"share: card {code}")
    for row in owner.model.members:  # each member and device selected: the notes under
        owner.select(row.id)
        assert_french(owner, f"share: {row.role} selected")
        for device in row.devices:
            owner.select(device.id)
            assert_french(owner, "share: device selected")
    reader = _share_dialog_reader()
    qtbot.addWidget(reader)
    reader.show()
    assert_french(reader, "share: reader")
    for device in (False, True):
        warning = RemoveDialog("Marc Lefèvre", device=device)
        qtbot.addWidget(warning)
        warning.show()
        assert_french(warning, f"remove, device={device}")
        warning.reencrypt.setChecked(True)
        assert_french(warning, f"remove re-encrypting, device={device}")


# --- the setup wizard ------------------------------------------------------------------------


def _wizard(qtbot: QtBot, env: GuiEnv, mode: Mode, kind: StoreKind, page: PageId) -> SetupWizard:
    model = SetupModel()
    model.choose(mode)
    model.store.kind = kind
    model.store.folder = str(env.root / "store")
    model.recovery_key = "BGE2-SH1G-94A1-Z0KF-5ABR-Y9Q1-8K73-PDXB"
    wizard = SetupWizard(model)
    wizard.setStartId(int(page))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


@pytest.mark.parametrize("mode", [Mode.DEFAULT, Mode.CREATE, Mode.JOIN], ids=lambda m: m.value)
def test_every_wizard_page_is_french(qtbot: QtBot, gui_env: GuiEnv, mode: Mode) -> None:
    for page in PageId:
        if mode is Mode.JOIN and page is PageId.RECOVERY:
            continue
        for kind in StoreKind if page is PageId.STORE else (StoreKind.FOLDER,):
            wizard = _wizard(qtbot, gui_env, mode, kind, page)
            assert_french(wizard, f"{mode.value} {page.name} {kind.value}")
            wizard.hide()


# The store kind does not change the error texts; a folder store keeps the connection
# test local (the wizard starts one on the connection page).
def test_every_setup_error_and_its_details_are_french(qtbot: QtBot, gui_env: GuiEnv) -> None:
    wizard = _wizard(qtbot, gui_env, Mode.CREATE, StoreKind.FOLDER, PageId.SUMMARY)
    summary = wizard.pages[PageId.SUMMARY]
    assert isinstance(summary, SummaryPage)
    for exc in every_error():
        summary._failed(exc)
        assert_french(wizard, f"summary {type(exc).__name__}")
        assert summary.detail.text() == "" or summary.detail.text().startswith("Détails : ")


def test_every_connection_problem_and_its_details_are_french(qtbot: QtBot, gui_env: GuiEnv) -> None:
    wizard = _wizard(qtbot, gui_env, Mode.JOIN, StoreKind.FOLDER, PageId.CONNECTION)
    connection = wizard.pages[PageId.CONNECTION]
    assert isinstance(connection, ConnectionPage)
    qtbot.waitUntil(lambda: not connection.testing, timeout=10_000)
    problems = ["unreachable", "auth", "missing_bucket", "not_found", "not_empty", "no_vault"]
    for problem, exc in zip(
        [*problems, "config"],
        [
            StoreUnavailable("Could not connect", url="s3://b/p"),
            StoreAuthError("Denied", url="s3://b/p"),
            MissingBucket("No bucket", url="s3://b/p"),
            StoreUnavailable("Missing", url="/srv/x", kind=StoreProblem.FOLDER_MISSING),
            None,
            None,
            StoreConfigError("Bad address", url="s3://b/p"),
        ],
        strict=True,
    ):
        reason = None if exc is None else exc.reason
        check = ConnectionCheck(False, problem, "English message for the log", reason)
        connection._tested(connection.model.store.address(), check)
        assert_french(wizard, f"connection {problem}")
    for exc in every_error():
        connection._failed(exc)
        assert_french(wizard, f"connection {type(exc).__name__}")

    words = SetupMessages()
    texts = [words.connection_ok(creating=c) for c in (True, False)]
    texts += [words.field_problem(c) for c in ("required", "relative", "invalid", "x")]
    texts += [words.passphrase_problem(c) for c in ("required", "weak", "mismatch")]
    texts += [
        words.folder_problem(c)
        for c in ("required", "relative", "not_a_folder", "already_synced", "inside_store")
    ]
    texts += [words.setup_error(exc) for exc in every_error()]
    for text in texts:
        assert why_not_french(text) is None, text


def test_the_wizard_creates_a_vault_in_the_interface_language(
    qtbot: QtBot, use_language: Callable[[str], None]
) -> None:
    french = SetupWizard(SetupModel())
    qtbot.addWidget(french)
    assert french.model.vault_language == "fr"  # its conflict copies: "(conflit ...)"
    use_language("en")
    english = SetupWizard(SetupModel())
    qtbot.addWidget(english)
    assert english.model.vault_language == "en"
