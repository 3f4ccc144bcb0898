"""A shared folder for the sharing GUI and model tests, all real.

The vault is tests/vault_devices.py's (made by the real service on a folder
store); its membership log is created by this computer's person, Alice, whose
identity lives in `app.identity_store` and whose device keys (for folder A's
device) live in the keyring, as the app keeps them; epoch 1 is published to
her device, her identity and the vault's root. Bob (editor) and Carol (reader)
are added through the app's own `FolderMembers` (the service the "Share…"
dialog opens); Bob's computer then joins as `coffre join` does: his identity
opens the epoch key, his device adds itself and seals the key to itself.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import identity_store
from app.folders import Binding
from app.session import store_for
from app.share_session import FolderMembers
from app.unlock import unlock_store
from crypto.device import DeviceKeys
from crypto.epochs import root_kem
from crypto.identity import Identity, make_card
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import EpochKeys, history_of, recipients_of
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available
from tests.vault_devices import PASSPHRASE, Vault

NOW = 1_767_225_600_000
IDENTITY_PASSPHRASE = "une phrase de passe assez longue pour Alice 42"


@pytest.fixture(name="keyring_services")
def keyring_services_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """This test's own identity and device-key services in the real Secret Service."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    tag = uuid.uuid4().hex[:12]
    names = (f"coffre-identity-test-{tag}", f"coffre-device-test-{tag}")
    monkeypatch.setenv(identity_store.SERVICE_ENV, names[0])
    monkeypatch.setenv(identity_store.DEVICE_SERVICE_ENV, names[1])
    yield names
    for name in names:
        clear_keyring_service(name)


@dataclass
class Colleague:
    """A colleague's computer: their identity, device and their own copy of the log."""

    identity: Identity
    device: DeviceKeys
    store: LocalStore
    local: LocalState
    vault_id: bytes

    @property
    def card(self) -> str:
        return make_card(self.identity)

    @property
    def id(self) -> str:
        return self.identity.identity_id.hex()

    def log(self) -> MembershipLog:
        return MembershipLog(self.store, self.local, self.vault_id)

    async def join(self) -> None:
        """What `coffre join` does on their computer once an owner added them."""
        log = self.log()
        await log.read()
        keys = EpochKeys(
            self.store, self.vault_id, history_of(self.vault_id, self.local.member_entries()),
            log.state.position,
        )  # fmt: skip
        ring = await keys.open_with_identity(self.identity)
        await log.add_own_device(self.identity, self.device, NOW)
        keys = EpochKeys(
            self.store, self.vault_id, history_of(self.vault_id, self.local.member_entries()),
            log.state.position,
        )  # fmt: skip
        keys.ring = ring
        await keys.seal_for(self.device.device_id, self.device.kem.public)


@dataclass
class SharedFolder:
    vault: Vault
    binding: Binding  # folder A: this computer, Alice's
    alice: Identity
    bob: Colleague
    carol: Colleague

    @property
    def vault_id(self) -> bytes:
        return bytes.fromhex(self.binding.vault_id)


def colleague(vault: Vault, root: Path, name: str, device_name: str) -> Colleague:
    return Colleague(
        Identity.generate(name),
        DeviceKeys.generate(device_name),
        LocalStore(vault.store),
        LocalState(root / f"{device_name}.db"),
        bytes.fromhex(vault.a.vault_id),
    )


async def create_log(binding: Binding) -> Identity:
    """Alice makes this computer's identity and the folder's log and epoch 1 (`coffre init`)."""
    identity_store.create("Alice Martin", lambda: IDENTITY_PASSPHRASE)
    alice = identity_store.unlock(lambda: IDENTITY_PASSPHRASE)
    vault_id = bytes.fromhex(binding.vault_id)
    device = dataclasses.replace(
        DeviceKeys.generate("bureau"), device_id=bytes.fromhex(binding.device_id)
    )
    identity_store.keep_device_keys(vault_id, device)
    store = store_for(binding.store)
    state = LocalState(binding.state_path)
    try:
        created = await MembershipLog(store, state, vault_id).create(alice, device, NOW)
        root = (await unlock_store(store, PASSPHRASE, vault_id=binding.vault_id)).key
        keys = EpochKeys(
            store, vault_id, history_of(vault_id, state.member_entries()), created.position
        )
        await keys.write_epoch(
            1, None, created.position, recipients_of(created), device, root_kem(root).public
        )
    finally:
        state.close()
        await store.close()
    return alice


async def share(vault: Vault, root: Path) -> SharedFolder:
    """Alice's folder A shared with Bob (editor, his computer joined) and Carol (reader)."""
    alice = await create_log(vault.a)
    bob = colleague(vault, root, "Bob Durand", "portable-bob")
    carol = colleague(vault, root, "Carol Petit", "poste-carol")
    members = await FolderMembers.open(vault.a)
    try:
        await members.service.add(bob.card, "editor", fingerprint=bob.identity.public.fingerprint)
        await members.service.add(carol.card, "reader")
    finally:
        await members.close()
    await bob.join()
    return SharedFolder(vault, vault.a, alice, bob, carol)
