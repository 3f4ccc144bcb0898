"""The setup wizard's model, without widgets: addresses, field checks, the recovery key."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.policy.model import parse_policy
from app.setup_model import (
    FormError,
    Mode,
    SetupModel,
    StoreForm,
    StoreKind,
    check_local_folder,
    recovery_confirmed,
)
from sync_engine.stores.credentials import S3Credentials
from sync_engine.stores.url import LocalSpec, S3Spec, WebDavSpec

from .isolated_home import IsolatedHome, isolate_home
from .qt_free import assert_imports_without_qt

PASSPHRASE = "le chat dort sur le canapé bleu"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedHome:
    """The model reads the bindings, the default folder and the policy: none of this machine's."""
    return isolate_home(tmp_path, monkeypatch)


def test_the_model_and_these_tests_need_no_qt() -> None:
    assert_imports_without_qt("tests.test_setup_model")


def test_store_form_builds_addresses_without_secrets() -> None:
    form = StoreForm(
        kind=StoreKind.S3,
        s3_endpoint="s3.example.org:9000",
        s3_bucket="equipe",
        s3_prefix="/dossiers/coffre/",
        s3_region="fr-par",
        s3_access_key="AKIA",
        s3_secret_key="very-secret",
    )
    spec = form.spec()
    assert spec == S3Spec("equipe", "dossiers/coffre", "https://s3.example.org:9000", "fr-par")
    assert "very-secret" not in form.address()
    creds = form.credentials()
    assert isinstance(creds, S3Credentials) and creds.secret_access_key.reveal() == "very-secret"

    dav = StoreForm(
        kind=StoreKind.WEBDAV,
        webdav_url="https://cloud.example.org/dav/coffre",
        webdav_user="agent",
        webdav_password="pw",
    )
    assert isinstance(dav.spec(), WebDavSpec)
    assert dav.address() == "webdavs://cloud.example.org/dav/coffre/"

    with pytest.raises(FormError) as missing:
        StoreForm(
            kind=StoreKind.S3, s3_endpoint="https://s3", s3_bucket="b", s3_access_key="k"
        ).spec()
    assert missing.value.field == "s3_secret_key"
    with pytest.raises(FormError) as bad:
        StoreForm(
            kind=StoreKind.S3,
            s3_endpoint="ftp://x",
            s3_bucket="b",
            s3_access_key="k",
            s3_secret_key="s",
        ).spec()
    assert bad.value.field == "s3_endpoint"
    assert StoreForm(kind=StoreKind.FOLDER, folder="/srv/coffre").spec() == LocalSpec(
        Path("/srv/coffre")
    )


def test_local_folder_checks(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert check_local_folder("").problem == "required"
    assert check_local_folder("relative").problem == "relative"
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert check_local_folder(str(a_file)).problem == "not_a_folder"
    assert check_local_folder(str(store / "inside"), LocalSpec(store)).problem == "inside_store"
    assert check_local_folder(str(tmp_path), LocalSpec(store)).problem == "inside_store"
    fresh = check_local_folder(str(tmp_path / "new"))
    assert fresh.problem == "" and not fresh.not_empty
    full = check_local_folder(str(tmp_path))
    assert full.problem == "" and full.not_empty


def test_recovery_confirmation_and_passphrase_rules() -> None:
    key = "BGE2-SH1G-94A1-Z0KF-5ABR-Y9Q1-8K73-PDXB"
    assert recovery_confirmed(key, "pdxb")
    assert recovery_confirmed(key, " PD-XB ")
    assert not recovery_confirmed(key, "8K73")
    assert not recovery_confirmed("", "")
    model = SetupModel()
    model.choose(Mode.JOIN)
    model.passphrase = "x"
    assert model.passphrase_problem() == ""  # joining: whatever the vault's passphrase is
    model.choose(Mode.CREATE)
    assert model.passphrase_problem() == "weak"
    model.passphrase = PASSPHRASE
    assert model.passphrase_problem() == "mismatch"
    model.passphrase_again = PASSPHRASE
    assert model.passphrase_problem() == ""


def test_policy_s3_store_asks_only_credentials() -> None:
    form = StoreForm.for_policy("s3://coffre-mairie/agents?endpoint=https://s3.example.org")
    assert form.kind is StoreKind.S3 and form.s3_bucket == "coffre-mairie"
    assert form.address() == "s3://coffre-mairie/agents?endpoint=https://s3.example.org"
    assert form.credentials() is None  # from the keyring or the environment
    form.s3_access_key, form.s3_secret_key = "AKIA", "secret"
    assert form.credentials() is not None
    model = SetupModel()
    model.apply_policy(
        parse_policy(
            {"settings": {"store_url": "s3://b/p?endpoint=http://127.0.0.1:1"}}, source="t"
        )
    )
    model.choose(Mode.DEFAULT)  # the welcome page's button changes nothing
    assert model.managed and model.store.fixed_address and model.mode is Mode.JOIN
