"""The setup wizard end to end, in French, against real stores: a folder store and SeaweedFS.

Each test drives the widgets as a person would (fields, buttons, Next), and
checks what matters: the vault really exists on the store, the folder is
bound to it, the recovery key is shown once and must be confirmed, and each
failure is explained in French.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.folders import all_bindings
from app.gui.wizard import Mode, PageId, SetupWizard, needs_setup
from sync_engine.stores.credentials import S3Credentials
from sync_engine.stores.url import S3Spec
from tests.gui.conftest import GuiEnv, keyring_available

PASSPHRASE = "le chat dort sur le canapé bleu"
WAIT_MS = 30_000


def make_wizard(qtbot: QtBot) -> SetupWizard:
    wizard = SetupWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def wait_page(qtbot: QtBot, wizard: SetupWizard, page: PageId) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == int(page), timeout=WAIT_MS)


def connection_result(qtbot: QtBot, wizard: SetupWizard) -> str:
    page = wizard.page_of(PageId.CONNECTION)
    qtbot.waitUntil(lambda: not page.testing, timeout=WAIT_MS)
    return page.result.text()


def fill_passphrase(wizard: SetupWizard, passphrase: str, again: str | None = None) -> None:
    page = wizard.page_of(PageId.PASSPHRASE)
    page.passphrase.setText(passphrase)
    if page.again.isVisibleTo(wizard):
        page.again.setText(passphrase if again is None else again)


def commit_and_wait(qtbot: QtBot, wizard: SetupWizard, then: PageId) -> None:
    assert wizard.currentId() == int(PageId.SUMMARY)
    summary = wizard.page_of(PageId.SUMMARY)
    wizard.next()
    qtbot.waitUntil(lambda: not summary.running, timeout=WAIT_MS)
    assert wizard.currentId() == int(then), summary.error.text() + " " + summary.detail.text()


def confirm_recovery(wizard: SetupWizard) -> str:
    page = wizard.page_of(PageId.RECOVERY)
    key = page.key.text()
    assert key == wizard.model.recovery_key and len(key.split("-")) == 8
    page.confirm.setText("ZZZZ")
    assert not page.isComplete()
    assert page.feedback.text() == "Ce ne sont pas les 4 derniers caractères de la clé."
    page.confirm.setText(key[-4:].lower())
    assert page.isComplete()
    wizard.next()
    return key


def start(wizard: SetupWizard, mode: Mode) -> None:
    welcome = wizard.page_of(PageId.WELCOME)
    button = {
        Mode.DEFAULT: welcome.default_button,
        Mode.CREATE: welcome.create_button,
        Mode.JOIN: welcome.join_button,
    }[mode]
    button.click()


def fill_folder_store(wizard: SetupWizard, store: Path) -> None:
    assert wizard.currentId() == int(PageId.STORE)
    page = wizard.page_of(PageId.STORE)
    page.folder_radio.setChecked(True)
    page.folder_picker.setText(str(store))
    wizard.next()


def choose_local_folder(wizard: SetupWizard, folder: Path) -> str:
    assert wizard.currentId() == int(PageId.FOLDER)
    page = wizard.page_of(PageId.FOLDER)
    page.picker.setText(str(folder))
    note = page.note.text()
    wizard.next()
    return note


def test_default_setup_in_one_click(qtbot: QtBot, gui_env: GuiEnv) -> None:
    assert needs_setup()
    wizard = make_wizard(qtbot)
    assert (
        wizard.page_of(PageId.WELCOME).default_button.text()
        == "Utiliser la configuration par défaut (recommandé)"
    )
    start(wizard, Mode.DEFAULT)
    assert wizard.currentId() == int(PageId.PASSPHRASE)
    page = wizard.page_of(PageId.PASSPHRASE)
    fill_passphrase(wizard, "azerty")
    assert not page.isComplete()
    assert page.problem.text() == "Cette phrase de passe est trop facile à deviner : allongez-la."
    fill_passphrase(wizard, PASSPHRASE, again=PASSPHRASE + "x")
    assert page.problem.text() == "Les deux phrases de passe sont différentes."
    fill_passphrase(wizard, PASSPHRASE)
    assert page.isComplete()
    wizard.next()
    assert wizard.currentId() == int(PageId.SUMMARY)
    summary = wizard.page_of(PageId.SUMMARY).summary.text()
    assert "Créer un nouveau coffre." in summary
    assert str(gui_env.home / "Coffre") in summary
    commit_and_wait(qtbot, wizard, PageId.RECOVERY)
    confirm_recovery(wizard)
    assert wizard.currentId() == int(PageId.DONE)
    wizard.next()  # Finish

    (binding,) = all_bindings()
    assert Path(binding.folder) == (gui_env.home / "Coffre").resolve()
    assert Path(binding.store) == gui_env.coffre_home / "default-store"
    assert (gui_env.coffre_home / "default-store" / "coffre.json").is_file()
    assert not needs_setup()


def test_create_on_a_folder_store_then_join_from_another_computer(
    qtbot: QtBot, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = gui_env.root / "share" / "vault"
    desk = gui_env.root / "desk"
    desk.mkdir()
    (desk / "rapport.odt").write_bytes(b"already here")

    wizard = make_wizard(qtbot)
    start(wizard, Mode.CREATE)
    fill_folder_store(wizard, store)
    assert connection_result(qtbot, wizard) == (
        "La connexion fonctionne et l'emplacement est prêt pour un nouveau coffre."
    )
    wizard.next()
    fill_passphrase(wizard, PASSPHRASE)
    wizard.next()
    note = choose_local_folder(wizard, desk)
    assert "Ce dossier contient déjà des fichiers" in note
    assert "Rien ne sera supprimé" in note
    commit_and_wait(qtbot, wizard, PageId.RECOVERY)
    # Once the vault exists there is no going back to change it.
    assert (
        not wizard.button(wizard.WizardButton.BackButton).isVisible()
        or not wizard.button(wizard.WizardButton.BackButton).isEnabled()
    )
    confirm_recovery(wizard)
    (created,) = all_bindings()
    assert (store / "coffre.json").is_file()

    # The second computer: its own COFFRE_HOME.
    gui_env.switch_coffre_home(gui_env.root / "laptop-home", monkeypatch)
    assert needs_setup()
    laptop = gui_env.root / "laptop"
    joiner = make_wizard(qtbot)
    start(joiner, Mode.JOIN)
    fill_folder_store(joiner, store)
    assert connection_result(qtbot, joiner) == (
        "La connexion fonctionne et un coffre Coffre a été trouvé."
    )
    joiner.next()
    fill_passphrase(joiner, "une autre phrase de passe")
    passphrase_page = joiner.page_of(PageId.PASSPHRASE)
    joiner.next()  # the wrong passphrase is found on its own page, not two pages later
    qtbot.waitUntil(lambda: not passphrase_page.verifying, timeout=WAIT_MS)
    assert passphrase_page.problem.text() == (
        "Cette phrase de passe n'ouvre pas le coffre. Vérifiez-la (les majuscules et les "
        "minuscules comptent) et réessayez."
    )
    assert joiner.currentId() == int(PageId.PASSPHRASE)
    fill_passphrase(joiner, PASSPHRASE)
    joiner.next()
    wait_page(qtbot, joiner, PageId.FOLDER)
    choose_local_folder(joiner, laptop)
    commit_and_wait(qtbot, joiner, PageId.DONE)  # joining shows no recovery key
    (joined,) = all_bindings()
    assert joined.vault_id == created.vault_id
    assert joined.device_id != created.device_id
    assert Path(joined.folder) == laptop.resolve()


def test_folder_store_problems_are_explained_in_french(qtbot: QtBot, gui_env: GuiEnv) -> None:
    busy = gui_env.root / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("not a vault")
    wizard = make_wizard(qtbot)
    start(wizard, Mode.CREATE)
    fill_folder_store(wizard, busy)
    assert connection_result(qtbot, wizard).startswith(
        "Cet emplacement contient déjà des fichiers."
    )
    assert not wizard.page_of(PageId.CONNECTION).isComplete()

    joiner = make_wizard(qtbot)
    start(joiner, Mode.JOIN)
    fill_folder_store(joiner, busy)
    assert connection_result(qtbot, joiner).startswith(
        "Il n'y a pas de coffre Coffre à cet emplacement."
    )
    page = joiner.page_of(PageId.CONNECTION)
    assert "Details" not in page.detail.text() and page.detail.text().startswith("Détails : ")

    missing = make_wizard(qtbot)
    start(missing, Mode.JOIN)
    fill_folder_store(missing, gui_env.root / "nowhere")
    assert connection_result(qtbot, missing).startswith("Ce dossier est introuvable.")


def test_relative_store_path_is_refused_on_the_store_page(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    start(wizard, Mode.CREATE)
    page = wizard.page_of(PageId.STORE)
    page.folder_picker.setText("relative/path")
    wizard.next()
    assert wizard.currentId() == int(PageId.STORE)
    assert page.error.text() == "Indiquez le chemin complet du dossier, par exemple /srv/coffre."


def test_going_back_keeps_what_was_typed(qtbot: QtBot) -> None:
    wizard = make_wizard(qtbot)
    start(wizard, Mode.CREATE)
    fill_s3(wizard, "http://127.0.0.1:9", "equipe", "coffre", "AKIA", "secret")
    connection_result(qtbot, wizard)
    wizard.back()
    page = wizard.page_of(PageId.STORE)
    assert page.s3_radio.isChecked()
    typed = [page.s3_endpoint, page.s3_bucket, page.s3_prefix, page.s3_access_key]
    assert [e.text() for e in typed] == ["http://127.0.0.1:9", "equipe", "coffre", "AKIA"]
    assert page.s3_secret_key.text() == "secret"


# --- S3 (SeaweedFS) ---------------------------------------------------------------------------


def fill_s3(
    wizard: SetupWizard, endpoint: str, bucket: str, prefix: str, key: str, secret: str
) -> None:
    assert wizard.currentId() == int(PageId.STORE)
    page = wizard.page_of(PageId.STORE)
    page.s3_radio.setChecked(True)
    assert page.s3_endpoint.isVisibleTo(wizard)
    page.s3_endpoint.setText(endpoint)
    page.s3_bucket.setText(bucket)
    page.s3_prefix.setText(prefix)
    page.s3_access_key.setText(key)
    page.s3_secret_key.setText(secret)
    wizard.next()


@pytest.mark.skipif(not keyring_available(), reason="needs a Secret Service (D-Bus session)")
def test_s3_vault_with_credentials_in_the_real_keyring(
    qtbot: QtBot, gui_env: GuiEnv, seaweedfs: object
) -> None:
    from app.credentials import delete_credentials, load_credentials

    s3 = seaweedfs
    bucket = "wizard-gui"
    s3.create_bucket(bucket)  # type: ignore[attr-defined]
    prefix = f"vault-{gui_env.root.name}"
    wizard = make_wizard(qtbot)
    start(wizard, Mode.CREATE)
    fill_s3(wizard, s3.endpoint, bucket, prefix, s3.access_key, s3.secret_key)  # type: ignore[attr-defined]
    assert connection_result(qtbot, wizard) == (
        "La connexion fonctionne et l'emplacement est prêt pour un nouveau coffre."
    )
    wizard.next()
    fill_passphrase(wizard, PASSPHRASE)
    wizard.next()
    choose_local_folder(wizard, gui_env.root / "s3-folder")
    summary = wizard.page_of(PageId.SUMMARY).summary.text()
    assert s3.endpoint in summary  # type: ignore[attr-defined]  # the endpoint, not "***"
    assert s3.secret_key not in summary and s3.access_key not in summary  # type: ignore[attr-defined]
    commit_and_wait(qtbot, wizard, PageId.RECOVERY)
    confirm_recovery(wizard)

    (binding,) = all_bindings()
    spec = S3Spec(bucket=bucket, prefix=prefix, endpoint=s3.endpoint)  # type: ignore[attr-defined]
    assert binding.store == spec.url
    on_disk = (binding.directory / "binding.json").read_text()
    assert s3.secret_key not in on_disk  # type: ignore[attr-defined]
    assert s3.secret_key not in json.dumps(  # type: ignore[attr-defined]
        [p.read_text(errors="replace") for p in gui_env.coffre_home.rglob("*.json")]
    )
    try:
        saved = load_credentials(spec)
        assert isinstance(saved, S3Credentials)
        assert saved.access_key_id == s3.access_key  # type: ignore[attr-defined]
        assert saved.secret_access_key.reveal() == s3.secret_key  # type: ignore[attr-defined]
    finally:
        delete_credentials(spec)


def test_s3_problems_are_explained_in_french(qtbot: QtBot, seaweedfs: object) -> None:
    s3 = seaweedfs
    s3.create_bucket("wizard-errors")  # type: ignore[attr-defined]
    cases = [
        # (endpoint, bucket, key, secret, expected start of the message)
        (
            "http://127.0.0.1:9",
            "wizard-errors",
            s3.access_key,
            s3.secret_key,  # type: ignore[attr-defined]
            "Le serveur de stockage est injoignable.",
        ),
        (
            s3.endpoint,
            "wizard-errors",
            s3.access_key,
            "wrong-secret",  # type: ignore[attr-defined]
            "Le stockage a refusé les identifiants.",
        ),
        (
            s3.endpoint,
            "no-such-bucket",
            s3.access_key,
            s3.secret_key,  # type: ignore[attr-defined]
            "Ce compartiment n'existe pas sur le serveur.",
        ),
    ]
    for endpoint, bucket, key, secret, expected in cases:
        wizard = make_wizard(qtbot)
        start(wizard, Mode.CREATE)
        fill_s3(wizard, endpoint, bucket, "p", key, secret)
        text = connection_result(qtbot, wizard)
        assert text.startswith(expected), (endpoint, bucket, text)
        assert not wizard.page_of(PageId.CONNECTION).isComplete()
        assert secret not in wizard.page_of(PageId.CONNECTION).detail.text()
        wizard.hide()


# --- first start (what coffre-app does before its main window) ---------------------------


def test_first_start_runs_the_wizard_then_enables_start_at_login(
    qtbot: QtBot, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.gui.wizard.first_start import first_start
    from app.settings import SettingsStore

    def run_default_setup(wizard: SetupWizard) -> int:
        qtbot.addWidget(wizard)
        wizard.show()
        start(wizard, Mode.DEFAULT)
        fill_passphrase(wizard, PASSPHRASE)
        wizard.next()
        commit_and_wait(qtbot, wizard, PageId.RECOVERY)
        confirm_recovery(wizard)
        wizard.next()
        return int(wizard.result())

    monkeypatch.setattr(SetupWizard, "exec", run_default_setup)
    settings = SettingsStore()
    started = first_start(settings)
    assert started is not None and len(all_bindings()) == 1
    # The passphrase goes to the main window in memory: the folder opens without a prompt.
    (unlock,) = started.unlocks.values()
    assert unlock.passphrase == PASSPHRASE and not unlock.remember  # a choice, not a default
    assert PASSPHRASE not in repr(started)
    assert (gui_env.config_home / "autostart" / "coffre.desktop").is_file()

    def must_not_run(wizard: SetupWizard) -> int:
        raise AssertionError("the wizard opened although a folder is configured")

    monkeypatch.setattr(SetupWizard, "exec", must_not_run)
    assert first_start(settings)  # configured: straight to the main window


def test_leaving_the_first_wizard_quits(
    qtbot: QtBot, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.gui.wizard.first_start import first_start
    from app.settings import SettingsStore

    def cancel(wizard: SetupWizard) -> int:
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.reject()
        return int(wizard.result())

    monkeypatch.setattr(SetupWizard, "exec", cancel)
    assert not first_start(SettingsStore())
    assert not (gui_env.config_home / "autostart" / "coffre.desktop").exists()


def test_join_with_the_recovery_key_sets_a_new_passphrase(
    qtbot: QtBot, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Phrase de passe oubliée ?" on the join page: the recovery key is checked at once. A
    new computer with the recovery key alone cannot enter a shared (format-2) vault: no
    member's identity is at hand to certify it, so the wizard says no owner added it, and
    nothing is changed (the forgotten passphrase is reset from a computer of the vault)."""
    import asyncio

    from app import setup
    from crypto.errors import WrongPassphrase
    from sync_engine.stores.local import LocalStore
    from sync_engine.vault.vault_store import unlock_vault

    store = gui_env.root / "vault"
    desk = gui_env.root / "desk"
    created = asyncio.run(setup.create_vault(desk, str(store), None, PASSPHRASE, "bureau"))
    assert created.recovery_key
    gui_env.switch_coffre_home(gui_env.root / "laptop-home", monkeypatch)
    new = "trois hirondelles au clocher 7"

    joiner = make_wizard(qtbot)
    start(joiner, Mode.JOIN)
    fill_folder_store(joiner, store)
    connection_result(qtbot, joiner)
    joiner.next()
    page = joiner.page_of(PageId.PASSPHRASE)
    assert page.forgot.isVisibleTo(joiner)
    assert page.forgot.text() == "Phrase de passe oubliée ?"
    page.forgot.click()
    fields = page.recovery_fields
    assert fields.isVisibleTo(joiner) and not page.passphrase.isVisibleTo(joiner)
    fields.recovery_key.setText("0000-0000")
    assert not page.isComplete()
    # A mistyped key: said at once, before anything is tried.
    fields.recovery_key.setText("0000-0000-0000-0000-0000-0000-0000-0000")
    assert fields.problem.text().startswith("Cette clé de secours contient une faute")
    fields.recovery_key.setText(created.recovery_key.lower())
    fields.new_passphrase.setText("azerty")
    assert not page.isComplete()
    fields.new_passphrase.setText(new)
    fields.new_again.setText(new)
    assert page.isComplete()
    joiner.next()
    wait_page(qtbot, joiner, PageId.FOLDER)
    choose_local_folder(joiner, gui_env.root / "laptop")
    summary = joiner.page_of(PageId.SUMMARY)
    joiner.next()
    qtbot.waitUntil(lambda: not summary.running, timeout=WAIT_MS)
    assert joiner.currentId() == int(PageId.SUMMARY)
    assert "Aucun propriétaire n'a encore ajouté votre identité" in summary.detail.text() + (
        summary.error.text()
    )

    async def opens(passphrase: str) -> bool:
        local = LocalStore(store)
        try:
            await unlock_vault(local, passphrase=passphrase)
            return True
        except WrongPassphrase:
            return False
        finally:
            await local.close()

    assert asyncio.run(opens(PASSPHRASE)) and not asyncio.run(opens(new))
