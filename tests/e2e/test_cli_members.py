"""Three people share a folder through the real CLI (issue 11 item 7), each with their own
COFFRE_HOME and passphrase, on a folder store and on SeaweedFS.

Alice creates the folder (`coffre init`: her identity owns it); Bob's `coffre join`
before anyone added him exits 1 printing his card; Alice adds Bob (editor) with
`--fingerprint` and Carol (reader); both join through their identities (they never
learn Alice's passphrase); files flow; Carol's edit is kept on her computer and
`coffre sync` exits 3 naming it; Alice removes Carol, whose keys then open no epoch
that seals new files. A wrong `--fingerprint` is refused with exit 2 and nothing
written. Without a keyring (keyring's failing backend): identities and device keys
live in files under each person's passphrase; `test_bob_joins_with_the_keyring_alone`
runs the real Secret Service instead.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app import device_key, identity_store
from crypto.device import unwrap_device_keys
from crypto.errors import EpochKeyMissing
from crypto.identity import parse_card, safety_number
from tests.e2e.conftest import (
    EXIT_ATTENTION,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    StoreLocation,
    cli_env,
    run_cli,
)
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

NO_KEYRING = "keyring.backends.fail.Keyring"


@dataclass
class Person:
    name: str
    root: Path
    location: StoreLocation
    passphrase: str | None
    keyring: dict[str, str] | None = None  # keyring services (None: no keyring at all)

    @property
    def home(self) -> Path:
        return self.root / f"home-{self.name}"

    @property
    def folder(self) -> Path:
        return self.root / self.name

    def env(self) -> dict[str, str]:
        env = cli_env(self.home, self.passphrase) | dict(self.location.env)
        if self.keyring is None:
            env["PYTHON_KEYRING_BACKEND"] = NO_KEYRING
        else:
            env |= self.keyring
        return env

    def run(self, *args: str, code: int | None = EXIT_OK) -> Any:
        return run_cli(list(args), env=self.env(), check_code=code)

    def folder_run(self, command: str, *args: str, code: int | None = EXIT_OK) -> Any:
        return self.run(*command.split(), "--folder", str(self.folder), *args, code=code)

    def card(self) -> str:
        return str(self.run("identity", "show", "--card").stdout)

    def card_file(self) -> Path:
        path = self.root / f"{self.name}.card"
        path.write_text(self.card(), encoding="utf-8")
        return path

    def join(self, code: int = EXIT_OK) -> Any:
        return self.run(
            "join", "--store", self.location.address, "--folder", str(self.folder),
            "--device-name", f"{self.name}-pc", code=code,
        )  # fmt: skip

    def members(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(self.folder_run("members list", "--json").stdout)
        return found

    def write(self, rel: str, text: str) -> None:
        (self.folder / rel).write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.folder / rel).read_text(encoding="utf-8")


@pytest.fixture(params=["folder", "s3"])
def location(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    e2e_locations: Callable[[str, Path], StoreLocation],
) -> StoreLocation:
    return e2e_locations(request.param, tmp_path)


def _people(tmp_path: Path, location: StoreLocation) -> tuple[Person, Person, Person]:
    return (
        Person("alice", tmp_path, location, "la phrase de passe du dossier d'Alice 42"),
        Person("bob", tmp_path, location, "la phrase de passe à Bob, pas celle du dossier 7"),
        Person("carol", tmp_path, location, "Carol garde la sienne pour elle seule 19"),
    )


def _ids(card_text: str) -> tuple[str, str]:
    public = parse_card(card_text)
    return public.identity_id.hex(), public.fingerprint


def test_three_people_share_a_folder(tmp_path: Path, location: StoreLocation) -> None:
    alice, bob, carol = _people(tmp_path, location)
    alice.run("init", "--store", location.address, "--folder", str(alice.folder),
              "--device-name", "alice-pc", "--language", "en")  # fmt: skip
    alice.write("rapport.txt", "version d'Alice\n")
    alice.folder_run("sync")
    assert [m["role"] for m in alice.members()] == ["owner"]

    # Bob, before anyone added him: exit 1, his card on stdout, nothing bound.
    bob.run("identity", "create", "--name", "Bob Durand")
    early = bob.join(code=EXIT_ERROR)
    assert "no owner has added your identity" in early.stderr.lower()
    assert early.stdout == bob.card() and parse_card(early.stdout).name == "Bob Durand"
    assert not list(bob.home.glob("folders/*/binding.json"))
    carol.run("identity", "create", "--name", "Carol Petit")

    # A wrong --fingerprint: exit 2, nothing written to the store.
    before = location.objects()
    bob_id, bob_fp = _ids(bob.card())
    carol_id, carol_fp = _ids(carol.card())
    refused = alice.folder_run(
        "members add", "--card", str(bob.card_file()), "--role", "editor",
        "--fingerprint", carol_fp, code=EXIT_USAGE,
    )  # fmt: skip
    assert bob_fp in refused.stderr and "not the card you expected" in refused.stderr
    assert location.objects() == before

    added = alice.folder_run(
        "members add", "--card", str(bob.card_file()), "--role", "editor",
        "--fingerprint", bob_fp.lower().replace(" ", "-"),
    )  # fmt: skip
    alice_public = parse_card(alice.card())
    number = safety_number(alice_public, parse_card(bob.card()))
    assert number in added.stdout and bob_id in added.stdout
    alice.folder_run("members add", "--card", str(carol.card_file()), "--role", "reader")

    # Both join through their identities: neither knows Alice's passphrase.
    assert "Opened through your identity" in bob.join().stdout
    carol.join()
    for person in (bob, carol):
        person.folder_run("sync")
        assert person.read("rapport.txt") == "version d'Alice\n"
    bob.write("notes.txt", "Bob écrit\n")
    bob.folder_run("sync")
    alice.folder_run("sync")
    assert alice.read("notes.txt") == "Bob écrit\n"

    rows = alice.members()
    assert [(r["name"], r["role"]) for r in rows] == [
        (alice_public.name, "owner"), ("Bob Durand", "editor"), ("Carol Petit", "reader"),
    ]  # fmt: skip
    for row in rows:
        assert {"id", "name", "role", "devices", "fingerprint"} <= set(row)
    assert (rows[1]["id"], rows[1]["fingerprint"]) == (bob_id, bob_fp)
    assert [d["name"] for d in rows[1]["devices"]] == ["bob-pc"]
    assert [r["me"] for r in rows] == [True, False, False]
    assert [r["me"] for r in bob.members()] == [False, True, False]

    # Carol is a reader: her edit stays with her, and `coffre sync` says so (exit 3).
    carol.write("rapport.txt", "Carol a changé ceci\n")
    held = carol.folder_run("sync", code=EXIT_ATTENTION)
    assert "rapport.txt" in held.stderr and "read-only" in held.stderr
    assert carol.read("rapport.txt") == "Carol a changé ceci\n"  # nothing lost
    alice.folder_run("sync")
    assert alice.read("rapport.txt") == "version d'Alice\n"

    # Alice removes Carol: new files are sealed under an epoch Carol was not given.
    removed = alice.folder_run("members remove", carol_id)
    assert "cannot" in removed.stdout and "storage" in removed.stdout
    alice.write("après.txt", "après le départ de Carol\n")
    alice.folder_run("sync")
    bob.folder_run("sync")
    assert bob.read("après.txt") == "après le départ de Carol\n"
    stopped = carol.folder_run("sync", code=EXIT_ERROR)
    assert "removed you" in stopped.stderr
    assert not (carol.folder / "après.txt").exists()
    assert carol.read("rapport.txt") == "Carol a changé ceci\n"  # nothing deleted
    assert [r["name"] for r in bob.members()] == [alice_public.name, "Bob Durand"]
    assert _carol_epochs(carol, location) == 1


def _carol_epochs(carol: Person, location: StoreLocation) -> int:
    """The newest epoch Carol's own keys (identity and device) open: not the new one."""
    import asyncio

    from app.folders import find_binding
    from app.session import epoch_keys
    from sync_engine.vault.membership_log import MembershipLog
    from sync_engine.vault.state import LocalState

    async def newest() -> int:
        store = location.open()
        local = LocalState(carol.home / "carol-log.db")
        try:
            log = MembershipLog(store, local, bytes.fromhex(binding.vault_id))
            await log.read()
            identity = identity_store.unlock(lambda: carol.passphrase or "")
            by_identity = await epoch_keys(store, log).open_with_identity(identity)
            key_file = binding.directory / device_key.KEY_FILE  # no keyring: a file under E1
            keys = unwrap_device_keys(
                key_file.read_bytes(), by_identity.key(1), bytes.fromhex(binding.device_id)
            )
            by_device = await epoch_keys(store, log).open_with_device(keys)
            assert by_identity.current == by_device.current
            with pytest.raises(EpochKeyMissing):
                by_identity.key(log.state.epoch)
            return by_identity.current
        finally:
            local.close()
            await store.close()

    mp = pytest.MonkeyPatch()
    mp.setenv("COFFRE_HOME", str(carol.home))  # her files only: this process's keyring untouched
    try:
        binding = find_binding(carol.folder)
        return asyncio.run(newest())
    finally:
        mp.undo()


@pytest.fixture
def services() -> Iterator[dict[str, str]]:
    """Keyring services of this test only (the session's gnome-keyring)."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    tag = uuid.uuid4().hex[:12]
    env = {
        identity_store.SERVICE_ENV: f"coffre-identity-e2e-{tag}",
        device_key.SERVICE_ENV: f"coffre-device-e2e-{tag}",
    }
    yield env
    for name in env.values():
        clear_keyring_service(name)


@pytest.mark.folder_only
def test_bob_joins_with_the_keyring_alone(tmp_path: Path, services: dict[str, str]) -> None:
    """With a keyring, Bob needs no passphrase at all: his identity opens the folder once,
    then his device's own keys (it is remembered)."""
    from tests.e2e.conftest import folder_location

    location = folder_location(tmp_path / "store")
    alice, bob, _ = _people(tmp_path, location)
    alice.run("init", "--store", location.address, "--folder", str(alice.folder),
              "--device-name", "alice-pc")  # fmt: skip
    alice.write("a.txt", "A\n")
    alice.folder_run("sync")
    bob.keyring, bob.passphrase = services, None
    bob.run("identity", "create", "--name", "Bob Durand")
    alice.folder_run("members add", "--card", str(bob.card_file()), "--role", "editor")
    joined = bob.join()
    assert "own keys from now on" in joined.stdout
    bob.folder_run("sync")
    assert bob.read("a.txt") == "A\n"
    assert not list(bob.home.glob("folders/*/device.key"))  # in the keyring
    alice.folder_run("members remove-device", "bob-pc")
    stopped = bob.folder_run("sync", code=EXIT_ERROR)
    assert "removed" in stopped.stderr


def test_members_list_reads_without_a_secret(tmp_path: Path) -> None:
    from tests.e2e.conftest import folder_location

    location = folder_location(tmp_path / "store")
    alice, _, _ = _people(tmp_path, location)
    alice.run("init", "--store", location.address, "--folder", str(alice.folder))
    alice.passphrase = None  # listing needs no passphrase: the log is signed, not secret
    (row,) = alice.members()
    assert row["role"] == "owner" and row["me"] and len(row["devices"]) == 1
    text = alice.folder_run("members list").stdout
    assert row["id"] in text and row["fingerprint"] in text
    # A change needs the folder's keys: without a passphrase, a usage error naming it.
    alice.folder_run("members role", row["id"], "reader", code=EXIT_USAGE)
