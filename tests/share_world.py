"""A shared folder for the sharing GUI and model tests, made by the real `coffre` CLI.

Alice is this test's own person (its COFFRE_HOME and keyring services, the
ones the in-process app reads): `coffre init` makes the format-2 vault on a
folder store with her as owner. Bob and Carol are colleagues on computers of
their own (their own COFFRE_HOME and keyring services): each creates an
identity, Alice adds them with `coffre members add` (Bob editor, Carol reader)
and Bob's computer joins with `coffre join`, through his identity, with no
passphrase. Each person's later commands run the same way (`Person.cli`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import device_key, identity_store, key_cache
from app.folders import Binding, all_bindings
from tests.e2e.conftest import cli_env, run_cli
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available
from tests.isolated_home import isolate_home

PASSPHRASE = "la phrase de passe de l'équipe juridique 42"
SERVICE_VARS = (
    identity_store.SERVICE_ENV,
    identity_store.DEVICE_SERVICE_ENV,
    device_key.SERVICE_ENV,
    key_cache.SERVICE_ENV,
)


def _services(tag: str) -> dict[str, str]:
    """Keyring services of one person's computer in the real Secret Service."""
    return {var: f"coffre-test-{var.lower()}-{tag}" for var in SERVICE_VARS}


@pytest.fixture(name="keyring_services")
def keyring_services_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """This test's (Alice's) keyring services; everything kept in them is deleted after."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    services = _services(uuid.uuid4().hex[:12])
    for var, name in services.items():
        monkeypatch.setenv(var, name)
    yield services
    for name in services.values():
        clear_keyring_service(name)


@dataclass
class Person:
    """One person's computer: the environment their `coffre` commands run in."""

    name: str
    env: dict[str, str]
    folder: Path

    def cli(self, *args: str, code: int = 0) -> str:
        return run_cli(list(args), env=self.env, check_code=code).stdout

    @property
    def card(self) -> str:
        return self.cli("identity", "show", "--card")

    @property
    def id(self) -> str:
        return str(json.loads(self.cli("identity", "show", "--json"))["id"])

    def card_file(self) -> Path:
        path = self.folder.parent / f"carte-{self.folder.parent.name}.txt"
        path.write_text(self.card, encoding="utf-8")
        return path


@dataclass
class SharedFolder:
    store: Path
    alice: Person
    bob: Person
    carol: Person
    binding: Binding  # Alice's folder, as the in-process app finds it
    cleanup: list[str]  # the colleagues' keyring services

    def add(self, person: Person, role: str) -> str:
        """Alice adds `person` with the real CLI; what it prints (the safety number)."""
        return self.alice.cli(
            "members", "add", "--folder", str(self.alice.folder), "--card",
            str(person.card_file()), "--role", role,
        )  # fmt: skip

    def colleague(self, root: Path, name: str, slug: str) -> Person:
        """A colleague's computer, with an identity of their own."""
        home = root / slug
        services = _services(uuid.uuid4().hex[:12])
        self.cleanup.extend(services.values())
        env = {**cli_env(home / "coffre-home", None), **services}
        env["HOME"] = str(home)
        env["COFFRE_POLICY_FILE"] = str(root / "no-policy.json")
        person = Person(name, env, home / "Équipe juridique")
        person.cli("identity", "create", "--name", name)
        return person


def alice_here(root: Path) -> Person:
    """This process's person: the same COFFRE_HOME and keyring services as the app in it."""
    env = {k: v for k, v in os.environ.items()}
    env["PYTHONUNBUFFERED"] = "1"
    env["COFFRE_PASSPHRASE"] = PASSPHRASE
    return Person("Alice Martin", env, root / "alice" / "Équipe juridique")


def share(root: Path) -> SharedFolder:
    """Alice's new shared folder, Bob (editor) joined from his computer, Carol (reader) added."""
    store = root / "store"
    alice = alice_here(root)
    alice.folder.mkdir(parents=True)
    alice.cli("identity", "create", "--name", alice.name)  # else init names her after the account
    alice.cli(
        "init", "--store", str(store), "--folder", str(alice.folder), "--device-name", "bureau"
    )
    (binding,) = all_bindings()
    world = SharedFolder(store, alice, alice, alice, binding, [])
    world.bob = world.colleague(root, "Bob Durand", "bob")
    world.carol = world.colleague(root, "Carol Petit", "carol")
    world.add(world.bob, "editor")
    world.add(world.carol, "reader")
    world.bob.folder.mkdir(parents=True)
    world.bob.cli(
        "join", "--store", str(store), "--folder", str(world.bob.folder),
        "--device-name", "portable-bob",
    )  # fmt: skip
    return world


@pytest.fixture(name="shared")
def shared_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keyring_services: dict[str, str]
) -> Iterator[SharedFolder]:
    """The shared folder, in a home of this test's own (COFFRE_HOME, HOME, no policy)."""
    isolate_home(tmp_path, monkeypatch)  # what the GUI tests' own fixture does too
    monkeypatch.delenv("COFFRE_PASSPHRASE", raising=False)
    world = share(tmp_path)
    yield world
    for name in world.cleanup:
        clear_keyring_service(name)
