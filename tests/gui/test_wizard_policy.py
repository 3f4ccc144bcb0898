"""The setup wizard under an organisation's policy naming the store: the person is asked
only what only they can give (the passphrase; credentials if the keyring has none)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.folders import all_bindings
from app.gui.wizard import Mode, PageId, SetupModel, SetupWizard
from app.policy.model import parse_policy
from tests.gui.conftest import GuiEnv
from tests.gui.test_wizard import (
    PASSPHRASE,
    commit_and_wait,
    confirm_recovery,
    connection_result,
    fill_passphrase,
    wait_page,
)


def managed_wizard(qtbot: QtBot, settings: dict[str, object]) -> SetupWizard:
    model = SetupModel()
    model.apply_policy(parse_policy({"settings": settings}, source="test"))
    wizard = SetupWizard(model)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_policy_store_first_computer_creates_second_joins(
    qtbot: QtBot, gui_env: GuiEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = gui_env.root / "org" / "vault"
    folder = gui_env.root / "Documents-Coffre"
    policy = {
        "store_url": str(store),
        "default_folder": str(folder),
        "disable_custom_folder": True,
        "hide_setup_wizard": True,
    }
    wizard = managed_wizard(qtbot, policy)
    assert wizard.currentId() == int(PageId.CONNECTION)  # no welcome, no store choice
    assert "La connexion fonctionne" in connection_result(qtbot, wizard)
    assert wizard.model.mode is Mode.CREATE  # no vault there yet: this computer makes it
    wizard.next()
    wait_page(qtbot, wizard, PageId.PASSPHRASE)
    fill_passphrase(wizard, PASSPHRASE)
    wizard.next()
    page = wizard.page_of(PageId.FOLDER)
    assert not page.picker.isEnabled() and Path(page.picker.text()) == folder
    wizard.next()
    commit_and_wait(qtbot, wizard, PageId.RECOVERY)
    confirm_recovery(wizard)
    (created,) = all_bindings()
    assert (store / "coffre.json").is_file() and Path(created.folder) == folder.resolve()

    gui_env.switch_coffre_home(gui_env.root / "laptop-home", monkeypatch)
    laptop = {"store_url": str(store), "default_folder": str(gui_env.root / "laptop")}
    joiner = managed_wizard(qtbot, laptop)
    welcome = joiner.page_of(PageId.WELCOME)
    assert joiner.currentId() == int(PageId.WELCOME)
    assert not welcome.create_button.isVisible() and not welcome.join_button.isVisible()
    welcome.default_button.click()
    wait_page(qtbot, joiner, PageId.CONNECTION)
    assert connection_result(qtbot, joiner) == (
        "La connexion fonctionne et un coffre Coffre a été trouvé."
    )
    assert joiner.model.mode is Mode.JOIN
    joiner.next()
    fill_passphrase(joiner, PASSPHRASE)
    joiner.next()  # joining: the passphrase is checked against the vault on its own page
    wait_page(qtbot, joiner, PageId.FOLDER)
    assert joiner.page_of(PageId.FOLDER).picker.isEnabled()  # the policy allows a choice
    joiner.next()
    commit_and_wait(qtbot, joiner, PageId.DONE)
    (joined,) = all_bindings()
    assert joined.vault_id == created.vault_id


def test_policy_s3_store_without_credentials_asks_for_them(
    qtbot: QtBot, gui_env: GuiEnv, seaweedfs: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.credentials import delete_credentials

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    s3 = seaweedfs
    s3.create_bucket("wizard-policy")  # type: ignore[attr-defined]
    address = f"s3://wizard-policy/{gui_env.root.name}?endpoint={s3.endpoint}"  # type: ignore[attr-defined]
    wizard = managed_wizard(qtbot, {"store_url": address, "hide_setup_wizard": True})
    connection = wizard.page_of(PageId.CONNECTION)
    assert connection_result(qtbot, wizard).startswith("Le stockage a refusé les identifiants.")
    assert connection.needs_credentials() and not connection.isComplete()
    assert connection.credentials_box.isVisible()  # asked right here, the address stays fixed
    connection.cred_user.setText(s3.access_key)  # type: ignore[attr-defined]
    connection.cred_secret.setText(s3.secret_key)  # type: ignore[attr-defined]
    connection.retry.click()
    assert "La connexion fonctionne" in connection_result(qtbot, wizard)
    assert connection.isComplete()
    assert wizard.model.store.address() == address
    delete_credentials(wizard.model.store.spec())
