"""Two real devices of one vault: a folder store, two bound folders (no Qt).

Device A is the one under test (in the GUI tests, the window's, whose engine
runs in the bridge's thread: tests/gui/devices.py); device B is driven
directly by the test, with its own asyncio loop and engine, to make changes
that A receives through the real store.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.folders import Binding, create_binding
from app.session import FolderSession
from app.unlock import CachedKeyRejected
from crypto.kdf import FLOOR, Argon2Params
from crypto.keyring import KeyRing
from sync_engine.disk.localfs import DiskFs
from sync_engine.stores.local import LocalStore
from sync_engine.vault.vault_store import create_vault_on_store

PASSPHRASE = "une phrase de passe assez longue 42"
FAST_KDF = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)


class Device:
    """Device B: an engine the test drives round by round."""

    def __init__(self, binding: Binding) -> None:
        self.binding = binding
        self.loop = asyncio.new_event_loop()
        self.session = self.loop.run_until_complete(FolderSession.open(binding, PASSPHRASE))

    @property
    def folder(self) -> Path:
        return Path(self.binding.folder)

    def sync(self, *, allow_mass_delete: bool = False) -> None:
        work = self.session.engine.sync(allow_mass_delete=allow_mass_delete)
        self.loop.run_until_complete(asyncio.wait_for(work, 60))

    def close(self) -> None:
        self.loop.run_until_complete(self.session.close())
        self.loop.close()


@dataclass
class Vault:
    store: Path
    a: Binding
    b: Binding

    @property
    def folder_a(self) -> Path:
        return Path(self.a.folder)


def create_store(store_dir: Path) -> str:
    """A fresh vault in a folder store; returns its id."""

    async def create() -> str:
        store = await LocalStore.create(str(store_dir), parents=True)
        try:
            vault = await create_vault_on_store(store, PASSPHRASE, FAST_KDF)
        finally:
            await store.close()
        return vault.key.vault_id.hex()

    return asyncio.run(create())


def kept_key(binding: Binding) -> KeyRing | None:
    """The epoch keys this computer opens by itself for the binding's device (a remembered
    device of a format-2 vault: app/session.py), as the next start would; None if it is not
    remembered or its key opens nothing."""

    async def read() -> KeyRing | None:
        try:
            session = await FolderSession.open_kept(binding, migrate=False)
        except CachedKeyRejected:
            return None
        if session is None:
            return None
        await session.close()
        return KeyRing.of(session.key)

    return asyncio.run(read())


def keep_key(binding: Binding, _key: object = None) -> None:
    """Remember the vault on this computer for the binding's device, as the app does (the
    passphrase opens it once; its own keys then open it)."""

    async def keep() -> None:
        session = await FolderSession.open(binding, PASSPHRASE)
        try:
            await session.keep_key()
        finally:
            await session.close()

    asyncio.run(keep())


def own_envelope(store: Path, binding: Binding, epoch: int = 1) -> Path:
    """The store file holding epoch `epoch` sealed to the binding's device."""
    return store / "keys" / "epochs" / f"{epoch:08x}" / binding.device_id


def make_vault(root: Path, template: tuple[Path, str]) -> Vault:
    """A copy of the template vault, with folders A ('bureau') and B ('portable') bound.

    Creating a vault costs an Argon2 run: the session makes one and each test copies it.
    """
    store_dir = root / "store"
    shutil.copytree(template[0], store_dir)
    bindings = []
    for name in ("bureau", "portable"):
        folder = root / name
        folder.mkdir()
        binding = create_binding(folder, str(store_dir), template[1], name)
        DiskFs(binding.folder).write_root_marker()
        bindings.append(binding)
    return Vault(store_dir, bindings[0], bindings[1])


@pytest.fixture(name="vault_template", scope="session")
def vault_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    store_dir = tmp_path_factory.mktemp("vault-template") / "store"
    return store_dir, create_store(store_dir)


@pytest.fixture(name="vault")
def vault_fixture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vault_template: tuple[Path, str]
) -> Vault:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COFFRE_PASSPHRASE", raising=False)
    return make_vault(tmp_path, vault_template)


@pytest.fixture(name="device_b")
def device_b_fixture(vault: Vault) -> Iterator[Device]:
    device = Device(vault.b)
    yield device
    device.close()
