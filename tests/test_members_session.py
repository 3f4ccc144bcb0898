"""A running session follows the key epochs its owner starts (app/session.py).

Alice's folder stays open (as in the app or `coffre watch`) while she removes Carol
through the Share dialog's service (`members_for`): the very next round of that same
engine seals under the new epoch, which Carol was not given. Real folder store, real
keys, real engine; no keyring (keys in files under each person's passphrase).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import identity_store, setup
from app.session import FolderSession, members_for
from crypto.records import SEGMENT_MAGIC, peek_record
from sync_engine.stores.local import LocalStore

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


async def test_an_open_session_seals_under_the_epoch_its_owner_just_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv(identity_store.SERVICE_ENV, f"coffre-identity-{tmp_path.name}")
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
        access = await members_for(session)
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
