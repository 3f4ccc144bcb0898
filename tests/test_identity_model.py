"""The "My identity" and "Verify a colleague" models, without Qt: the real identity store, the
real Secret Service (gnome-keyring in the test D-Bus session) and, with the keyring library's
own failing backend, the file kept under a passphrase."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import identity_store
from app.account_name import default_name
from app.identity_model import (
    CARD_ALTERED,
    CARD_REQUIRED,
    CARD_UNREADABLE,
    IDENTITY_DAMAGED,
    MAX_CARD_FILE_BYTES,
    NAME_INVALID,
    NAME_REQUIRED,
    NO_IDENTITY,
    NOT_A_CARD,
    OWN_CARD,
    ColleagueCard,
    MyIdentity,
    PassphraseNeeded,
    Step,
    file_slug,
)
from app.passphrase_form import MISMATCH, PASSPHRASE_REQUIRED, WEAK
from crypto.identity import Identity, make_card, parse_card, safety_number
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available
from tests.isolated_home import IsolatedHome, isolate_home
from tests.qt_free import assert_imports_without_qt

STRONG = "une phrase de passe assez longue pour Alice 42"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedHome:
    return isolate_home(tmp_path, monkeypatch)


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch, home: IsolatedHome) -> Iterator[str]:
    """This test's own keyring service in the real Secret Service, emptied afterwards."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-identity-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(identity_store.SERVICE_ENV, name)
    yield name
    clear_keyring_service(name)


@pytest.fixture
def no_keyring(home: IsolatedHome) -> Iterator[None]:
    """The keyring library's own failing backend, as on a computer without a keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def colleague_card(name: str = "Élise Dupont") -> tuple[Identity, str]:
    colleague = Identity.generate(name)
    return colleague, make_card(colleague)


def test_the_models_import_without_qt() -> None:
    assert_imports_without_qt("app.identity_model")


def test_with_no_identity_the_name_is_prefilled_from_the_account(home: IsolatedHome) -> None:
    model = MyIdentity()
    assert model.load() is Step.CREATE
    assert model.name == default_name() and model.name
    assert model.problem() == ""
    assert not model.needs_passphrase  # asked only when the keyring refuses the keys


@pytest.mark.parametrize(
    ("name", "code"),
    [("", NAME_REQUIRED), ("   ", NAME_REQUIRED), ("Alice\nMartin", NAME_INVALID),
     ("Alice\tMartin", NAME_INVALID), ("é" * 101, NAME_INVALID), ("Élise Dupont", "")],
)  # fmt: skip
def test_name_problems(home: IsolatedHome, name: str, code: str) -> None:
    model = MyIdentity(name=name)
    assert model.name_problem() == code
    if code:
        with pytest.raises(ValueError, match="not complete"):
            model.create()
        assert identity_store.load() is None


def test_create_keeps_the_keys_in_the_keyring_and_shows_the_card(service: str) -> None:
    import keyring

    model = MyIdentity()
    model.load()
    model.name = "  Alice Martin "
    stored = model.create()
    assert model.step is Step.SHOW and model.kept_in_keyring and not model.needs_passphrase
    assert stored.name == "Alice Martin"
    assert keyring.get_password(service, stored.identity_id.hex())  # the real Secret Service
    groups = model.fingerprint_groups
    assert len(groups) == 6 and all(len(g) == 4 for g in groups)
    assert " ".join(groups) == stored.fingerprint
    assert parse_card(model.card) == stored.public
    # What the command line and a new dialog see is the same identity, keys included.
    again = MyIdentity()
    assert again.load() is Step.SHOW and again.card == model.card
    opened = identity_store.unlock(lambda: pytest.fail("no passphrase with a keyring"))
    assert opened.public == stored.public


def test_without_a_keyring_a_passphrase_is_asked_before_anything_is_written(
    home: IsolatedHome, no_keyring: None
) -> None:
    model = MyIdentity(name="Alice Martin")
    with pytest.raises(PassphraseNeeded):
        model.create()
    assert model.needs_passphrase and model.step is Step.CREATE
    assert not list(home.coffre_home.iterdir())  # nothing kept yet
    assert model.problem() == PASSPHRASE_REQUIRED
    model.passphrase.new_passphrase = model.passphrase.new_again = "motdepasse"
    assert model.problem() == WEAK
    model.passphrase.new_passphrase = STRONG
    assert model.problem() == MISMATCH
    model.passphrase.new_again = STRONG
    assert model.problem() == ""
    stored = model.create()
    assert not model.kept_in_keyring
    assert model.passphrase.new_passphrase == model.passphrase.new_again == ""
    key_files = list(home.coffre_home.glob("identity-*.key"))
    assert [p.name for p in key_files] == [f"identity-{stored.identity_id.hex()}.key"]
    assert identity_store.unlock(lambda: STRONG).public == stored.public


def test_a_damaged_identity_is_reported_and_left_as_it_is(home: IsolatedHome) -> None:
    path = home.coffre_home / identity_store.INFO_FILE
    path.write_text('{"format": 1, "card": "garbage"}')
    model = MyIdentity()
    assert model.load() is Step.DAMAGED
    assert str(path) in model.damage and model.record_path == path
    assert path.read_text() == '{"format": 1, "card": "garbage"}'


def test_the_card_is_saved_whole_under_a_plain_file_name(service: str, home: IsolatedHome) -> None:
    model = MyIdentity(name="Élise Dupont-Martin")
    model.create()
    name = model.card_file_name("carte-coffre")
    assert name == "carte-coffre-elise-dupont-martin.txt"
    target = home.home / "Documents" / name
    model.save_card(target)
    assert target.read_text(encoding="utf-8") == model.card
    assert parse_card(target.read_text(encoding="utf-8")) == model.stored.public  # type: ignore[union-attr]
    with pytest.raises(OSError):
        model.save_card(target / "under-a-file.txt")  # a file is not a folder


def test_file_slug_keeps_any_name_usable() -> None:
    assert file_slug("Zoë O'Brien") == "zoe-o-brien"
    assert file_slug("李雷") == "card"
    assert len(file_slug("a" * 300)) == 60


def test_a_colleagues_card_gives_the_same_safety_number_on_both_sides(service: str) -> None:
    mine = MyIdentity(name="Alice Martin")
    mine.create()
    colleague, card = colleague_card()
    check = ColleagueCard()
    assert check.read_text(card) == ""
    assert check.checked is not None
    assert check.checked.name == "Élise Dupont"
    assert check.checked.fingerprint == colleague.public.fingerprint
    assert mine.stored is not None
    theirs = safety_number(colleague.public, mine.stored.public)  # what Élise's Coffre shows
    assert check.checked.safety_number == theirs
    groups = check.checked.number_groups
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    # As a mail client delivers it: a greeting, CRLF line ends, indentation.
    mailed = "Bonjour Alice,\r\nvoici ma carte :\r\n\r\n" + card.replace("\n", "\r\n  ")
    assert check.read_text(mailed) == "" and check.checked.safety_number == theirs


def test_an_altered_or_foreign_card_is_refused_with_its_reason(service: str) -> None:
    mine = MyIdentity(name="Alice Martin")
    mine.create()
    _colleague, card = colleague_card()
    check = ColleagueCard()
    renamed = card.replace("Name: Élise Dupont", "Name: Élise Durand")
    assert check.read_text(renamed) == CARD_ALTERED and check.checked is None
    assert "Name line" in check.detail
    lines = card.splitlines()
    blob = lines[-1]
    flipped = blob[:100] + ("A" if blob[100] != "A" else "B") + blob[101:]
    assert check.read_text("\n".join([*lines[:-1], flipped])) == CARD_ALTERED
    assert check.read_text("\n".join(lines[:-1])) == CARD_ALTERED  # the signed part cut off
    # A card re-signed by someone else under Élise's name passes its own checks but has
    # another safety number: the comparison by phone is what catches it.
    assert check.read_text(card) == ""
    genuine = check.checked
    _mallory, forged = colleague_card("Élise Dupont")
    assert check.read_text(forged) == ""
    assert check.checked is not None and genuine is not None
    assert check.checked.safety_number != genuine.safety_number
    assert check.read_text("Bonjour, à demain !") == NOT_A_CARD
    assert check.read_text("  \n ") == CARD_REQUIRED
    assert check.read_text(mine.card) == OWN_CARD


def test_a_card_needs_an_identity_of_ones_own(home: IsolatedHome) -> None:
    _colleague, card = colleague_card()
    assert ColleagueCard().read_text(card) == NO_IDENTITY
    (home.coffre_home / identity_store.INFO_FILE).write_text(json.dumps({"format": 1}))
    check = ColleagueCard()
    assert check.read_text(card) == IDENTITY_DAMAGED and "damaged" in check.detail


def test_cards_read_from_files(service: str, tmp_path: Path) -> None:
    MyIdentity(name="Alice Martin").create()
    _colleague, card = colleague_card()
    good = tmp_path / "carte.txt"
    good.write_text(card, encoding="utf-8")
    check = ColleagueCard()
    assert check.read_file(good) == ("", card)
    assert check.read_file(tmp_path / "missing.txt")[0] == CARD_UNREADABLE
    assert check.checked is None and "missing.txt" in check.detail
    big = tmp_path / "photo.jpg"
    big.write_bytes(b"\xff" * (MAX_CARD_FILE_BYTES + 1))
    assert check.read_file(big) == (NOT_A_CARD, "")


def test_an_unreadable_home_is_a_damaged_identity_not_a_crash(
    home: IsolatedHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = home.root / "not-a-folder"
    blocker.write_text("a file where COFFRE_HOME should be a folder")
    monkeypatch.setenv("COFFRE_HOME", str(blocker))
    model = MyIdentity()
    assert model.load() is Step.DAMAGED and "not-a-folder" in model.damage
    _colleague, card = colleague_card()
    assert ColleagueCard().read_text(card) == IDENTITY_DAMAGED
