"""Upgrading the STORED v1 vault (tests/fixtures/v1-vault, made by the v1 code) to version 2.

The fixture is copied to a folder store or uploaded to SeaweedFS, upgraded in
place, and every file is read back by a new device through the v2 way in:
passphrase -> root R (= K) -> root envelope -> ring -> epoch 1. Interrupted
upgrades leave a v1 vault that still syncs, and running again resumes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto.device import DeviceKeys
from crypto.epochs import EpochStatement, root_kem
from crypto.header import V1, V2, parse_header
from crypto.identity import Identity
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import VaultKey
from crypto.vault import change_passphrase
from sync_engine.core.membership import CutMark
from sync_engine.core.membership_entry import Role
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import statement_key
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState
from sync_engine.vault.upgrade import UpgradeProblem, UpgradeRefused, upgrade_v1_vault
from sync_engine.vault.vault_store import HEADER_KEY, apply_header_change, unlock_vault
from sync_engine.vault.vault_v2 import epoch_keys_for, open_v2_ring
from tests.crash_store import BeforePut, CrashOnPut, Interrupted
from tests.engine_devices import Device

FIXTURE = Path(__file__).parent / "fixtures" / "v1-vault"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
NOW = 1_767_225_600_000
FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)
LAPTOP, DESKTOP = (bytes.fromhex(EXPECTED["devices"][n]) for n in ("laptop", "desktop"))


@pytest.fixture(params=["folder", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A copy of the stored v1 vault."""
    if request.param == "folder":
        shutil.copytree(FIXTURE / "store", tmp_path / "store")
        folder = LocalStore(tmp_path / "store")
        yield folder
        await folder.close()
        return
    s3 = request.getfixturevalue("s3_store")
    for path in sorted((FIXTURE / "store").rglob("*")):
        if path.is_file():
            key = path.relative_to(FIXTURE / "store").as_posix()
            await s3.put(key, path.read_bytes(), mode=PutMode.CREATE)
    yield s3


class Upgrader:
    def __init__(self, home: Path, name: str) -> None:
        self.identity = Identity.generate(name)
        self.device = DeviceKeys.generate(f"{name}-laptop")
        self.local = LocalState(home / name / "state.db")

    def log(self, store: Store) -> MembershipLog:
        return MembershipLog(store, self.local, bytes.fromhex(EXPECTED["vault_id"]))


def files_of(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".coffre")
    }


async def read_back(store: Store, key: VaultKey, base: Path, name: str) -> dict[str, str]:
    """A new device syncs the vault down with `key` and lists what it got."""
    device = Device.open(name, base, store, key)
    try:
        report = await device.sync()
        assert not report.problems, report.problems
    finally:
        device.close()
    return files_of(device.folder)


async def test_the_stored_v1_vault_upgrades_and_every_file_reads_back(store: Store, tmp_path: Path):
    key = await unlock_vault(store, passphrase=EXPECTED["passphrase"])
    assert parse_header(await store.get(HEADER_KEY)).version == V1
    me = Upgrader(tmp_path / "homes", "alice")
    done = await upgrade_v1_vault(store, key, me.identity, me.device, me.log(store), NOW)
    assert done.by_this_device and done.cut == {LAPTOP: 3, DESKTOP: 2}
    header = parse_header(await store.get(HEADER_KEY))
    assert header.version == V2 and header.epoch == 1
    # the v2 way in: the passphrase gives R = K (the slots were kept), R opens the ring
    root = await unlock_vault(store, passphrase=EXPECTED["passphrase"])
    assert root.secret == key.secret
    newcomer = Upgrader(tmp_path / "homes", "newcomer")
    ring = await open_v2_ring(store, root, newcomer.log(store))
    assert ring.format == 2 and ring.current == 1 and ring.key(1).secret == key.secret
    st = EpochStatement.from_bytes(await store.get(statement_key(1)))
    assert st.position == 0 and st.signer == me.device.device_id
    assert st.root_public == root_kem(key).public
    keys = epoch_keys_for(store, me.log(store))
    assert (await keys.open_with_device(me.device)).key(1) == ring.key(1)
    assert (await keys.open_with_identity(me.identity)).key(1) == ring.key(1)
    state = (await me.log(store).read()).state
    assert [m.role for m in state.members.values()] == [Role.OWNER]
    # the creation entry carries the v1 cut: v2 devices apply v1 segments up to it only
    assert state.cuts == {LAPTOP: (CutMark(0, 3),), DESKTOP: (CutMark(0, 2),)}
    assert set(state.devices) == {me.device.device_id}
    assert await read_back(store, ring.key(1), tmp_path, "reader") == EXPECTED["files"]


@pytest.mark.parametrize("crash_at", ["statement", "header"])
async def test_an_interrupted_upgrade_leaves_a_working_v1_vault_and_resumes(
    store: Store, tmp_path: Path, crash_at: str
):
    key = await unlock_vault(store, passphrase=EXPECTED["passphrase"])
    me = Upgrader(tmp_path / "homes", "alice")
    target = statement_key(1) if crash_at == "statement" else HEADER_KEY
    crashing = CrashOnPut(store, target)
    with pytest.raises(Interrupted):
        await upgrade_v1_vault(crashing, key, me.identity, me.device, me.log(crashing), NOW)
    assert parse_header(await store.get(HEADER_KEY)).version == V1
    assert await read_back(store, key, tmp_path, "v1-device") == EXPECTED["files"]
    # another device with K cannot finish what the first one started before its statement
    other = Upgrader(tmp_path / "homes", "bob")
    if crash_at == "statement":
        with pytest.raises(UpgradeRefused) as info:
            await upgrade_v1_vault(store, key, other.identity, other.device, other.log(store), NOW)
        assert info.value.reason.kind == UpgradeProblem.IN_PROGRESS
        assert parse_header(await store.get(HEADER_KEY)).version == V1
        done = await upgrade_v1_vault(store, key, me.identity, me.device, me.log(store), NOW)
        assert not done.by_this_device  # the creation was already there: resumed
    else:  # statement 1 stands: any holder of K writes the v2 header
        done = await upgrade_v1_vault(store, key, other.identity, other.device, other.log(store),
                                      NOW)  # fmt: skip
        assert not done.by_this_device
    assert parse_header(await store.get(HEADER_KEY)).version == V2
    assert done.ring.key(1).secret == key.secret
    again = await upgrade_v1_vault(store, key, me.identity, me.device, me.log(store), NOW)
    assert again.ring.key(1).secret == key.secret and again.cut == {}  # already v2: opened
    assert await read_back(store, done.ring.key(1), tmp_path, "after") == EXPECTED["files"]


async def test_a_v1_passphrase_change_during_the_upgrade_stops_it_before_the_header(
    store: Store, tmp_path: Path
):
    key = await unlock_vault(store, passphrase=EXPECTED["passphrase"])
    new_passphrase = "changée sur un autre poste pendant la mise à niveau"

    async def another_device_changes_the_passphrase() -> None:
        change = change_passphrase(await store.get(HEADER_KEY), key, new_passphrase, params=FAST)
        await apply_header_change(store, change)

    me = Upgrader(tmp_path / "homes", "alice")
    racing = BeforePut(store, statement_key(1), another_device_changes_the_passphrase)
    with pytest.raises(UpgradeRefused) as info:
        await upgrade_v1_vault(racing, key, me.identity, me.device, me.log(racing), NOW)
    assert info.value.reason.kind == UpgradeProblem.HEADER_CHANGED
    header = parse_header(await store.get(HEADER_KEY))
    assert header.version == V1 and header.epoch == 1  # the other device's change stands
    assert (await unlock_vault(store, passphrase=new_passphrase)).secret == key.secret
    done = await upgrade_v1_vault(store, key, me.identity, me.device, me.log(store), NOW)
    header = parse_header(await store.get(HEADER_KEY))
    assert header.version == V2 and header.epoch == 2
    assert (await unlock_vault(store, passphrase=new_passphrase)).secret == key.secret
    assert await read_back(store, done.ring.key(1), tmp_path, "reader") == EXPECTED["files"]
