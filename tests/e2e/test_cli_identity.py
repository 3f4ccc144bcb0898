"""`coffre identity create|show` through the real CLI: the real Secret Service (gnome-keyring
in the test D-Bus session) and, with the keyring library's failing backend, the file kept under
the passphrase. The private keys are then opened back with `app.identity_store`."""

from __future__ import annotations

import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import identity_store
from crypto.errors import WrongPassphrase
from crypto.identity import InvalidCard, parse_card
from tests.e2e.conftest import EXIT_ERROR, EXIT_USAGE, cli_env, run_cli
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

PASSPHRASE = "une phrase de passe assez longue pour Alice 42"
NO_KEYRING = "keyring.backends.fail.Keyring"


@pytest.fixture
def service() -> Iterator[str]:
    """A keyring service of this test's own, emptied afterwards."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-identity-test-{uuid.uuid4().hex[:12]}"
    yield name
    clear_keyring_service(name)


def _env(home: Path, *, service: str | None = None, passphrase: str | None = None) -> dict:
    env = cli_env(home, passphrase)
    if service is None:
        env["PYTHON_KEYRING_BACKEND"] = NO_KEYRING
    else:
        env[identity_store.SERVICE_ENV] = service
    return env


def _show_json(env: dict) -> dict:
    return json.loads(run_cli(["identity", "show", "--json"], env=env).stdout)


def _in_process(monkeypatch: pytest.MonkeyPatch, home: Path, service: str | None) -> None:
    """Point this process at the same COFFRE_HOME (and keyring service) as the commands."""
    monkeypatch.setenv("COFFRE_HOME", str(home))
    if service is not None:
        monkeypatch.setenv(identity_store.SERVICE_ENV, service)


def test_create_and_show_with_the_system_keyring(tmp_path, service, monkeypatch):
    import keyring

    home = tmp_path / "home"
    env = _env(home, service=service)
    out = run_cli(["identity", "create", "--name", "Alice Martin"], env=env).stdout
    assert "in the system keyring" in out
    shown = _show_json(env)
    assert set(shown) >= {"id", "name", "fingerprint", "card"}
    assert shown["name"] == "Alice Martin" and shown["kept_in"] == "keyring"
    public = parse_card(shown["card"])
    assert public.identity_id.hex() == shown["id"] and public.fingerprint == shown["fingerprint"]
    assert shown["fingerprint"] in out and shown["id"] in out
    # --card prints the card alone: what `> me.txt` saves parses to the same identity.
    card = run_cli(["identity", "show", "--card"], env=env).stdout
    assert card == shown["card"] and parse_card(card) == public
    # The private keys are in the keyring, not on disk.
    assert not list(home.glob("identity-*.key"))
    assert keyring.get_password(service, shown["id"]) is not None
    _in_process(monkeypatch, home, service)
    opened = identity_store.unlock(lambda: pytest.fail("no passphrase with a keyring"))
    assert opened.public == public
    assert shown["id"] in run_cli(["identity", "show"], env=env).stdout


def test_create_refuses_to_overwrite_unless_replace(tmp_path, service, monkeypatch):
    import keyring

    home = tmp_path / "home"
    env = _env(home, service=service)
    run_cli(["identity", "create", "--name", "Alice Martin"], env=env)
    first = _show_json(env)
    refused = run_cli(["identity", "create", "--name", "Mallory"], env=env, check_code=EXIT_ERROR)
    assert "already has an identity" in refused.stderr and "--replace" in refused.stderr
    assert _show_json(env) == first  # nothing changed
    assert keyring.get_password(service, first["id"]) is not None

    run_cli(["identity", "create", "--name", "Alice M.", "--replace"], env=env)
    second = _show_json(env)
    assert second["id"] != first["id"] and second["name"] == "Alice M."
    assert keyring.get_password(service, first["id"]) is None  # the old keys are gone
    _in_process(monkeypatch, home, service)
    assert identity_store.unlock(str).public == parse_card(second["card"])


def test_without_a_keyring_the_keys_are_kept_under_the_passphrase(tmp_path, monkeypatch):
    home = tmp_path / "home"
    no_secret = run_cli(
        ["identity", "create", "--name", "Benoît Durand"],
        env=_env(home),
        check_code=EXIT_USAGE,
    )
    assert "COFFRE_PASSPHRASE" in no_secret.stderr and "keyring" in no_secret.stderr
    assert not (home / "identity.json").exists()  # nothing half-made
    weak = run_cli(
        ["identity", "create", "--name", "Benoît Durand"],
        env=_env(home, passphrase="abc"),
        check_code=EXIT_USAGE,
    )
    assert "Nothing was changed" in weak.stderr
    assert not (home / "identity.json").exists()

    env = _env(home, passphrase=PASSPHRASE)
    out = run_cli(["identity", "create", "--name", "Benoît Durand"], env=env).stdout
    assert "protected by your passphrase" in out
    shown = _show_json(_env(home))  # showing needs no passphrase
    assert shown["kept_in"] == "file" and shown["name"] == "Benoît Durand"
    key_file = home / f"identity-{shown['id']}.key"
    for path in (key_file, home / "identity.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    data = key_file.read_bytes()
    assert data[:5] == b"CFIW\x01" and PASSPHRASE.encode() not in data
    assert b"Beno" not in data  # the name is inside the encryption too

    _in_process(monkeypatch, home, None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NO_KEYRING)
    assert identity_store.unlock(lambda: PASSPHRASE).public == parse_card(shown["card"])
    with pytest.raises(WrongPassphrase):
        identity_store.unlock(lambda: "not the passphrase at all 99")

    # Replaced under the same passphrase: the old file goes only after the new one is recorded.
    run_cli(["identity", "create", "--replace", "--name", "B. Durand"], env=env)
    again = _show_json(_env(home))
    assert again["id"] != shown["id"] and not key_file.exists()
    assert (home / f"identity-{again['id']}.key").exists()


def test_show_and_create_report_problems_clearly(tmp_path):
    home = tmp_path / "home"
    env = _env(home, passphrase=PASSPHRASE)
    missing = run_cli(["identity", "show"], env=env, check_code=EXIT_ERROR)
    assert "coffre identity create" in missing.stderr
    for bad in ("", "a\nb"):
        refused = run_cli(["identity", "create", "--name", bad], env=env, check_code=EXIT_USAGE)
        assert "name" in refused.stderr.lower() and not (home / "identity.json").exists()
    run_cli(["identity", "create", "--name", "Alice Martin"], env=env)
    record = json.loads((home / "identity.json").read_text())

    # A card whose readable name was changed on disk is refused, not shown.
    forged = dict(record, card=record["card"].replace("Name: Alice Martin", "Name: Mallory"))
    (home / "identity.json").write_text(json.dumps(forged))
    with pytest.raises(InvalidCard):
        parse_card(forged["card"])
    damaged = run_cli(["identity", "show", "--card"], env=env, check_code=EXIT_ERROR)
    assert "damaged" in damaged.stderr and damaged.stdout == ""
    # A damaged record is reported, and never overwritten unless --replace says so.
    (home / "identity.json").write_text("{not json")
    assert "damaged" in run_cli(["identity", "show"], env=env, check_code=EXIT_ERROR).stderr
    refused = run_cli(["identity", "create", "--name", "X"], env=env, check_code=EXIT_ERROR)
    assert "damaged" in refused.stderr and "--replace" in refused.stderr
    assert (home / "identity.json").read_text() == "{not json"
    run_cli(["identity", "create", "--replace", "--name", "Alice Martin"], env=env)
    assert _show_json(env)["name"] == "Alice Martin"


def test_identity_commands_are_listed_in_help(tmp_path):
    out = run_cli(["identity", "--help"], env=_env(tmp_path / "h")).stdout
    assert "create" in out and "show" in out
    assert os.environ.get("COFFRE_PASSPHRASE") is None


def test_compare_shows_the_same_safety_number_on_both_sides(tmp_path):
    import subprocess
    import sys

    from tests.e2e.conftest import REPO_ROOT

    alice_env = _env(tmp_path / "alice", passphrase=PASSPHRASE)
    bob_env = _env(tmp_path / "bob", passphrase=PASSPHRASE + " bob")
    run_cli(["identity", "create", "--name", "Alice Martin"], env=alice_env)
    run_cli(["identity", "create", "--name", "Benoît Durand"], env=bob_env)
    alice_card, bob_card = tmp_path / "alice.txt", tmp_path / "bob.txt"
    alice_card.write_text(run_cli(["identity", "show", "--card"], env=alice_env).stdout)
    bob_card.write_text(run_cli(["identity", "show", "--card"], env=bob_env).stdout)

    seen_by_alice = json.loads(
        run_cli(["identity", "compare", "--card", str(bob_card), "--json"], env=alice_env).stdout
    )
    seen_by_bob = json.loads(
        run_cli(["identity", "compare", "--card", str(alice_card), "--json"], env=bob_env).stdout
    )
    assert seen_by_alice["safety_number"] == seen_by_bob["safety_number"]
    assert seen_by_alice["name"] == "Benoît Durand" and seen_by_bob["name"] == "Alice Martin"
    bob = _show_json(bob_env)
    assert seen_by_alice["fingerprint"] == bob["fingerprint"]

    # The card read from stdin, checked against the fingerprint Bob gave by phone.
    piped = subprocess.run(
        [
            *(sys.executable, "-m", "app.cli", "identity", "compare", "--card", "-"),
            *("--fingerprint", bob["fingerprint"].lower().replace(" ", "-")),
        ],
        cwd=REPO_ROOT,
        env=alice_env,
        input=bob_card.read_text(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert seen_by_alice["safety_number"] in piped.stdout

    # Alice's card passed off with Bob's fingerprint: refused.
    wrong = run_cli(
        ["identity", "compare", "--card", str(alice_card), "--fingerprint", bob["fingerprint"]],
        env=bob_env,
        check_code=EXIT_ERROR,
    )
    assert "not the card you expected" in wrong.stderr
    # A card altered in transit: refused with the reason.
    forged = tmp_path / "forged.txt"
    forged.write_text(bob_card.read_text().replace("Benoît Durand", "Benoit Durand"))
    altered = run_cli(
        ["identity", "compare", "--card", str(forged)], env=alice_env, check_code=EXIT_ERROR
    )
    assert "identity card is not valid" in altered.stderr
    missing = run_cli(
        ["identity", "compare", "--card", str(tmp_path / "nope.txt")],
        env=alice_env,
        check_code=EXIT_USAGE,
    )
    assert "Cannot read the card" in missing.stderr
