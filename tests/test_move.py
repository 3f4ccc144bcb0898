"""Moving a vault between stores: copied, verified, forwarded; devices follow; resumable."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.move import SessionFollower
from crypto.errors import TamperedData
from crypto.forward import Forward, seal_forward
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import VaultKey
from sync_engine.events import Event, VaultMoved
from sync_engine.lifecycle.check import check_store
from sync_engine.lifecycle.move import MARKER_KEY, MoveError, move_store
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.errors import StoreConfigError
from sync_engine.stores.local import LocalStore
from sync_engine.vault.journal import MOVED_KEY, StoreMoved
from sync_engine.vault.vault_store import HEADER_KEY, create_vault_on_store, unlock_vault
from tests.engine_devices import Device
from tests.servers.seaweedfs import TEST_BUCKET, SeaweedFS

PASSPHRASE = "move the vault, keep the files 9"
FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)


class Follower:
    """What the app's SessionFollower does, with folder stores and no binding file."""

    def __init__(self) -> None:
        self.switched_to: list[str] = []

    async def open(self, url: str) -> Store:
        return LocalStore(Path(url.removeprefix("file://")))

    async def switched(self, store: Store) -> None:
        self.switched_to.append(store.url)


@pytest.fixture
async def stores(tmp_path: Path) -> AsyncIterator[tuple[LocalStore, LocalStore, VaultKey]]:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, new = LocalStore(tmp_path / "old"), LocalStore(tmp_path / "new")
    await create_vault_on_store(old, PASSPHRASE, FAST)
    key = await unlock_vault(old, passphrase=PASSPHRASE)
    yield old, new, key
    await old.close()
    await new.close()


async def _keys(store: Store) -> dict[str, bytes]:
    return {i.key: await store.get(i.key) for i in await store.list("")}


async def test_move_copies_verifies_forwards_and_both_devices_follow(
    tmp_path: Path, stores: tuple[LocalStore, LocalStore, VaultKey]
) -> None:
    old, new, key = stores
    alpha = Device.open("alpha", tmp_path, old, key)
    beta = Device.open("beta", tmp_path, old, key)
    events: list[Event] = []
    followers = {}
    for d in (alpha, beta):
        followers[d.name] = d.engine.follower = Follower()
    beta.engine.events = events.append
    alpha.write("a.txt", "from alpha")
    alpha.write("big.bin", os.urandom(500_000))
    await alpha.sync()
    await beta.sync()
    before = await _keys(old)

    report = await move_store(old, new, key, now_ms=1)
    assert report.copied == len(before) - 1 and not report.damaged  # all but the header
    after = await _keys(new)
    assert after == before, "every object copied byte for byte, the marker gone"
    assert MOVED_KEY in {i.key for i in await old.list("heads/")}
    assert await alpha.engine.journal.heads_changed()

    beta.write("b.txt", "from beta, after the move")
    await beta.sync()
    assert followers["beta"].switched_to == [new.url]
    assert [e for e in events if isinstance(e, VaultMoved)] == [VaultMoved("", old.url, new.url)]
    await alpha.sync()
    assert alpha.read("b.txt") == b"from beta, after the move"
    assert alpha.engine.store.url == new.url
    assert not any(k.startswith("log/") and k not in before for k in await _keys(old))
    assert (await check_store(new, key, read_data_percent=100)).sound


async def test_a_non_empty_destination_is_refused(
    stores: tuple[LocalStore, LocalStore, VaultKey],
) -> None:
    old, new, key = stores
    await new.put("someone-elses-file", b"x")
    with pytest.raises(MoveError, match="not empty"):
        await move_store(old, new, key, now_ms=1)
    assert [i.key for i in await new.list("")] == ["someone-elses-file"]
    assert MOVED_KEY not in {i.key for i in await old.list("")}


class _FailingAfter:
    """A store whose puts fail after `n` of them: a move interrupted half-way."""

    def __init__(self, inner: LocalStore, n: int) -> None:
        self.inner, self.left = inner, n

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def put(self, key: str, data: bytes, *, mode: PutMode = PutMode.OVERWRITE) -> object:
        if self.left <= 0:
            raise OSError("interrupted")
        self.left -= 1
        return await self.inner.put(key, data, mode=mode)


async def test_an_interrupted_move_resumes(
    tmp_path: Path, stores: tuple[LocalStore, LocalStore, VaultKey]
) -> None:
    old, new, key = stores
    alpha = Device.open("alpha", tmp_path, old, key)
    for i in range(5):
        alpha.write(f"f{i}.txt", f"file {i}")
        await alpha.sync()
    with pytest.raises(OSError, match="interrupted"):
        await move_store(old, _FailingAfter(new, 4), key, now_ms=1)  # type: ignore[arg-type]
    assert MARKER_KEY in {i.key for i in await new.list("")}
    assert HEADER_KEY not in {i.key for i in await new.list("")}, "not a vault yet"
    assert MOVED_KEY not in {i.key for i in await old.list("")}
    report = await move_store(old, new, key, now_ms=2)
    assert report.resumed
    assert await _keys(new) == {k: v for k, v in (await _keys(old)).items() if k != MOVED_KEY}


async def test_a_forged_or_copied_forwarding_record_is_refused(
    tmp_path: Path, stores: tuple[LocalStore, LocalStore, VaultKey]
) -> None:
    old, new, key = stores
    alpha = Device.open("alpha", tmp_path, old, key)
    alpha.engine.follower = Follower()
    alpha.write("a.txt", "x")
    await alpha.sync()
    other = VaultKey.generate()  # the store's own key: it cannot send devices elsewhere
    await old.put(MOVED_KEY, seal_forward(other, Forward(old.url, new.url, 1)))
    with pytest.raises(TamperedData):
        await alpha.sync()
    # A real record, but written for another store (copied here): refused too.
    await old.put(MOVED_KEY, seal_forward(key, Forward(new.url, "file:///elsewhere", 1)))
    with pytest.raises(TamperedData, match="copied from elsewhere"):
        await alpha.sync()
    assert alpha.engine.store is old


async def test_without_a_follower_the_move_is_an_error_that_names_the_new_store(
    tmp_path: Path, stores: tuple[LocalStore, LocalStore, VaultKey]
) -> None:
    old, new, key = stores
    alpha = Device.open("alpha", tmp_path, old, key)
    alpha.write("a.txt", "x")
    await alpha.sync()
    await move_store(old, new, key, now_ms=1)
    with pytest.raises(StoreMoved, match=new.url):
        await alpha.sync()


async def test_a_follower_without_good_credentials_is_told_what_to_run(
    seaweedfs: SeaweedFS, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's follower on a real S3 store that refuses this computer's credentials."""
    url = f"s3://{TEST_BUCKET}/moved-{os.urandom(4).hex()}?endpoint={seaweedfs.endpoint}"
    session = SimpleNamespace(binding=SimpleNamespace(folder="/home/agent/Coffre"))
    follower = SessionFollower(session)  # type: ignore[arg-type]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-key")
    with pytest.raises(StoreConfigError, match="refuses this computer's credentials"):
        await follower.open(url)
