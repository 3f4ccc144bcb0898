"""The remembered vault key: kept in the real OS keyring, checked against the store's header.

The keyring tests talk to the real Secret Service (gnome-keyring in the D-Bus
session tools/test.sh starts), each under a keyring service of its own.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import key_cache
from app.folders import Binding, create_binding
from app.session import FolderSession
from app.unlock import CachedKeyRejected
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import VaultKey
from sync_engine.disk.localfs import DiskFs
from sync_engine.stores.local import LocalStore
from sync_engine.vault.vault_store import create_vault_on_store
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

ROOT = Path(__file__).resolve().parents[1]
FAST_KDF = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)


@pytest.fixture
def _secret_service() -> None:
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")


needs_keyring = pytest.mark.usefixtures("_secret_service")


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    name = f"coffre-vault-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(key_cache.SERVICE_ENV, name)
    yield name
    clear_keyring_service(name)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter: what a later start of the app would find."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_keyring
def test_a_remembered_key_is_read_back_by_a_fresh_process(service: str) -> None:
    key = VaultKey.generate()
    key_cache.remember(key)
    vault_id = key.vault_id.hex()
    shown = run_python(
        f"from app import key_cache; k = key_cache.recall({vault_id!r}); "
        "print(k.vault_id.hex(), k.secret.hex())"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [vault_id, key.secret.hex()]
    # Under another service (another installation), nothing is found.
    other = run_python(
        f"from app import key_cache; print(key_cache.recall({vault_id!r}))",
        **{key_cache.SERVICE_ENV: service + "-other"},
    )
    assert other.stdout.strip() == "None"

    key_cache.forget(vault_id)
    assert key_cache.recall(vault_id) is None
    key_cache.forget(vault_id)  # forgetting twice is fine


@needs_keyring
def test_damaged_or_foreign_entries_are_ignored(service: str) -> None:
    import keyring

    vault_id = os.urandom(16).hex()
    for text in ("not base64 !", "c2hvcnQ=", "é"):
        keyring.set_password(service, vault_id, text)
        assert key_cache.recall(vault_id) is None, text
    assert key_cache.recall("not-a-vault-id") is None


def test_without_a_keyring_nothing_is_remembered_and_the_reason_is_clear(tmp_path: Path) -> None:
    shown = run_python(
        "from app import key_cache\n"
        "from crypto.keys import VaultKey\n"
        "key = VaultKey.generate()\n"
        "print(key_cache.recall(key.vault_id.hex()))\n"
        "try:\n"
        "    key_cache.remember(key)\n"
        "except key_cache.KeyCacheUnavailable as exc:\n"
        "    print(exc)\n",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "None"
    assert "no keyring service is running" in lines[1] and "ask for the passphrase" in lines[1]


# --- opening a folder with a remembered key -------------------------------------------------


@pytest.fixture
def bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Binding, VaultKey]:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))
    store_dir = tmp_path / "store"

    async def create() -> VaultKey:
        store = await LocalStore.create(str(store_dir), parents=True)
        try:
            return (await create_vault_on_store(store, "une phrase assez longue", FAST_KDF)).key
        finally:
            await store.close()

    key = asyncio.run(create())
    folder = tmp_path / "Coffre"
    folder.mkdir()
    binding = create_binding(folder, str(store_dir), key.vault_id.hex(), "bureau")
    DiskFs(binding.folder).write_root_marker()
    return binding, key


async def test_the_right_key_opens_the_folder_without_the_passphrase(
    bound: tuple[Binding, VaultKey],
) -> None:
    binding, key = bound
    session = await FolderSession.open_with_key(binding, VaultKey(key.vault_id, key.secret))
    try:
        assert session.key.secret == key.secret
        report = await asyncio.wait_for(session.engine.sync(), 30)
        assert report is not None
    finally:
        await session.close()


async def test_a_stale_or_foreign_key_is_refused_clearly(bound: tuple[Binding, VaultKey]) -> None:
    binding, key = bound
    with pytest.raises(CachedKeyRejected, match="no longer opens the vault"):
        await FolderSession.open_with_key(binding, VaultKey(key.vault_id, os.urandom(32)))
    with pytest.raises(CachedKeyRejected, match="another vault"):
        await FolderSession.open_with_key(binding, VaultKey.generate())
