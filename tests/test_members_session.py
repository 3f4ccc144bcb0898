"""A running session follows the key epochs its owner starts (app/session.py).

Alice's folder stays open (as in the app or `coffre watch`) while she removes Carol
through `coffre members`' service on its own connection (`open_members`): the very
next round of that same engine seals under the new epoch, which Carol was not given.
Real folder store, real keys, real engine; no keyring (keys in files under each
person's passphrase).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import device_key, identity_store, key_cache, setup
from app.session import FolderSession, open_members
from crypto.records import SEGMENT_MAGIC, peek_record
from sync_engine.stores.local import LocalStore
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

ALICE = "la phrase de passe du dossier d'Alice 42"
CAROL = "Carol garde la sienne pour elle seule 19"


def _as(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("COFFRE_HOME", str(home))


async def _newest_epoch(store_dir: Path, device_id: str) -> int:
    store = LocalStore(store_dir)
    try:
        seqs = [int(i.key.rsplit("/", 1)[1]) for i in await store.list(f"log/{device_id}/")]
        data = await store.get(f"log/{device_id}/{max(seqs)}")
    finally:
        await store.close()
    return peek_record(SEGMENT_MAGIC, data).epoch


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """This process's keyring refuses everything (put back after)."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The session's Secret Service, under keyring services of this test's own."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    tag = uuid.uuid4().hex[:12]
    names = {
        identity_store.SERVICE_ENV: f"coffre-identity-t-{tag}",
        device_key.SERVICE_ENV: f"coffre-device-t-{tag}",
        key_cache.SERVICE_ENV: f"coffre-vault-t-{tag}",
    }
    for env, name in names.items():
        monkeypatch.setenv(env, name)
    yield
    for name in names.values():
        clear_keyring_service(name)


async def test_an_open_session_seals_under_the_epoch_its_owner_just_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    store = tmp_path / "store"
    _as(monkeypatch, tmp_path / "home-alice")
    made = await setup.create_vault(tmp_path / "alice", str(store), None, ALICE, "alice-pc")
    session = await FolderSession.open(made.binding, ALICE)
    try:
        (tmp_path / "alice" / "avant.txt").write_text("avant")
        await session.engine.sync()
        assert await _newest_epoch(store, made.binding.device_id) == 1

        _as(monkeypatch, tmp_path / "home-carol")
        identity_store.create("Carol Petit", lambda: CAROL)
        card = identity_store.load()
        assert card is not None
        _as(monkeypatch, tmp_path / "home-alice")
        access = await open_members(
            made.binding, keys=True, read_secret=lambda: ALICE, note=lambda _note: None
        )
        try:
            await access.service.add(card.card, "reader")
            _as(monkeypatch, tmp_path / "home-carol")
            await setup.join_vault(tmp_path / "carol", str(store), None, CAROL, "carol-pc")
            _as(monkeypatch, tmp_path / "home-alice")
            report = await access.service.remove(card.identity_id.hex())
        finally:
            await access.close()
        assert report.epoch == 2

        # The same engine, opened before the removal: its next round seals under epoch 2.
        (tmp_path / "alice" / "après.txt").write_text("après le départ de Carol")
        await session.engine.sync()
        assert await _newest_epoch(store, made.binding.device_id) == 2
        assert session.sharing is not None and session.sharing.ring.current == 2
    finally:
        await session.close()


async def test_a_remembered_format_1_device_upgrades_the_vault_without_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, services: None
) -> None:
    """A key kept by a format-1 Coffre opens the vault once more, upgrades it in place
    (this person owns it through this device), and the device's own keys open it after."""
    from app.folders import create_binding
    from app.unlock import Unlocked
    from crypto.header import parse_header
    from sync_engine.disk.localfs import DiskFs
    from sync_engine.vault.vault_store import create_vault_on_store, read_header_bytes
    from tests.vault_devices import FAST_KDF

    _as(monkeypatch, tmp_path / "home")
    local = await LocalStore.create(str(tmp_path / "store"), parents=True)
    try:
        vault = await create_vault_on_store(local, ALICE, FAST_KDF)  # a format-1 vault
        (tmp_path / "bureau").mkdir()
        binding = create_binding(
            tmp_path / "bureau", str(tmp_path / "store"), vault.key.vault_id.hex(), "bureau"
        )
        DiskFs(binding.folder).write_root_marker()
        await device_key.keep(local, binding, Unlocked(vault.key, 0))  # remembered (format 1)
        session = await FolderSession.open_kept(binding, migrate=False)
        assert session is not None and session.sharing is not None
        try:
            assert session.sharing.how == "device"  # no passphrase asked
            assert parse_header(await read_header_bytes(local)).version == 2
            assert session.sharing.ring.key(1).secret == vault.key.secret  # K is epoch 1
            (tmp_path / "bureau" / "note.txt").write_text("après la mise à jour")
            await session.engine.sync()
        finally:
            await session.close()
        again = await FolderSession.open_kept(binding, migrate=False)
        assert again is not None and again.sharing is not None
        await again.close()
    finally:
        await local.close()


async def test_a_demotion_keeps_what_the_editor_published_just_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    """The cut of a role change is taken after reading the others' journals again: what
    Carol published before Alice demoted her stays applied, although Alice's open folder
    had not synced since (docs/SYNC.md section 8, the demotion race)."""
    store = tmp_path / "store"
    _as(monkeypatch, tmp_path / "home-alice")
    made = await setup.create_vault(tmp_path / "alice", str(store), None, ALICE, "alice-pc")
    session = await FolderSession.open(made.binding, ALICE)
    try:
        _as(monkeypatch, tmp_path / "home-carol")
        identity_store.create("Carol Petit", lambda: CAROL)
        card = identity_store.load()
        assert card is not None
        _as(monkeypatch, tmp_path / "home-alice")
        access = await open_members(
            made.binding, keys=True, read_secret=lambda: ALICE, note=lambda _note: None
        )
        try:
            await access.service.add(card.card, "editor")
        finally:
            await access.close()
        _as(monkeypatch, tmp_path / "home-carol")
        joined = await setup.join_vault(tmp_path / "carol", str(store), None, CAROL, "carol-pc")
        carol = await FolderSession.open(joined.binding, CAROL)
        try:
            (tmp_path / "carol" / "relu.txt").write_text("relu par Carol")
            published = await carol.engine.sync()
            assert published.published_versions == 1
        finally:
            await carol.close()

        # Alice's open folder has not pulled Carol's segment; the demotion reads it first.
        _as(monkeypatch, tmp_path / "home-alice")
        access = await open_members(
            made.binding, keys=True, read_secret=lambda: ALICE, note=lambda _note: None
        )
        try:
            await access.service.set_role(card.identity_id.hex(), "reader")
        finally:
            await access.close()
        report = await session.engine.sync()
        assert not report.problems, report.problems
        assert (tmp_path / "alice" / "relu.txt").read_text() == "relu par Carol"
    finally:
        await session.close()
