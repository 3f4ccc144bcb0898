"""Version-2 vaults: the header, creation, unlock through the root, passphrase change.

On a real folder store and SeaweedFS. A v1-only Coffre (the code before format
2, taken from git history) meeting a v2 header says "update Coffre".
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto.device import DeviceKeys
from crypto.envelope import open_key
from crypto.epochs import EpochStatement, root_kem, root_recipient_id
from crypto.errors import TamperedData, UnsupportedFormat, WrongPassphrase
from crypto.header import V1, V2, parse_header
from crypto.identity import Identity, card_blob
from crypto.kdf import FLOOR, Argon2Params
from crypto.vault import (
    change_passphrase,
    create_vault_v2,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from sync_engine.core.epoch_rules import EpochProblem
from sync_engine.core.membership import MembershipProblem, MembershipRefused
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.stores.base import Store
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import EpochRefused, root_key, statement_key
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState
from sync_engine.vault.vault_store import HEADER_KEY, read_vault_objects, unlock_vault
from sync_engine.vault.vault_v2 import (
    change_passphrase_v2,
    create_v2_vault_on_store,
    epoch_keys_for,
    open_v2_ring,
)
from tests.crash_store import CrashOnPut, Interrupted

PASS, NEW = "une phrase de passe de test assez longue", "la nouvelle phrase de passe, bien longue"
FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)
NOW = 1_767_225_600_000
REPO = Path(__file__).resolve().parent.parent
V1_ONLY_COMMIT = "ce3fc5b"  # main before format 2: reads header version 1 only


@pytest.fixture(params=["folder", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param != "folder":
        yield request.getfixturevalue(f"{request.param}_store")
        return
    (tmp_path / "store").mkdir()
    folder = LocalStore(tmp_path / "store")
    yield folder
    await folder.close()


def test_a_v1_only_coffre_says_update_for_a_v2_header(tmp_path: Path):
    old = tmp_path / "coffre-v1"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", V1_ONLY_COMMIT, "crypto"],
        capture_output=True, check=False,
    )  # fmt: skip
    assert archive.returncode == 0, f"git history is needed here: {archive.stderr.decode()}"
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    header = create_vault_v2(PASS, FAST).header
    assert json.loads(header)["version"] == 2
    (tmp_path / "coffre.json").write_bytes(header)
    script = (
        "import sys\n"
        "from crypto.header import FORMAT_VERSION, parse_header\n"
        "from crypto.errors import UnsupportedFormat, DowngradeRefused\n"
        "assert FORMAT_VERSION == 1\n"
        "try:\n"
        "    parse_header(open(sys.argv[1], 'rb').read())\n"
        "except DowngradeRefused as e:\n"
        "    print('DOWNGRADE', e)\n"
        "except UnsupportedFormat as e:\n"
        "    print('UNSUPPORTED', e)\n"
        "else:\n"
        "    print('READ')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "coffre.json")],
        capture_output=True, text=True, cwd=old, env={"PYTHONPATH": str(old)}, check=True,
    )  # fmt: skip
    assert run.stdout.startswith("UNSUPPORTED"), run.stdout + run.stderr
    assert "format version 2" in run.stdout and "Update Coffre" in run.stdout


def test_v2_header_mac_and_version(tmp_path: Path):
    vault = create_vault_v2(PASS, FAST, language="fr")
    header = parse_header(vault.header)
    assert header.version == V2 and header.language == "fr"
    # a v2 header relabelled 1 fails the MAC under R: no silent downgrade to v1
    body = json.loads(vault.header)
    body["version"] = V1
    with pytest.raises(TamperedData):
        unlock_with_passphrase(json.dumps(body).encode(), vault.slot_objects, PASS)
    with pytest.raises(UnsupportedFormat, match="change_root"):
        change_passphrase(vault.header, vault.key, NEW, params=FAST)


class Owner:
    def __init__(self, store: Store, home: Path, name: str = "alice") -> None:
        self.store = store
        self.identity = Identity.generate(name)
        self.device = DeviceKeys.generate(f"{name}-laptop")
        self.local = LocalState(home / name / "state.db")


async def test_create_unlock_and_open_epoch_one_every_way(store: Store, tmp_path: Path):
    alice = Owner(store, tmp_path)
    created = await create_v2_vault_on_store(
        store, PASS, alice.identity, alice.device, alice.local, NOW, FAST
    )
    assert parse_header(await store.get(HEADER_KEY)).version == V2
    root = await unlock_vault(store, passphrase=PASS)
    assert root.secret == created.root.secret
    assert created.ring.current == 1 and created.ring.key(1).secret != root.secret  # E1 != R
    other_device_log = MembershipLog(store, LocalState(tmp_path / "d2" / "state.db"), root.vault_id)
    ring = await open_v2_ring(store, root, other_device_log)
    assert ring.format == 2 and ring.key(1).secret == created.ring.key(1).secret
    keys = epoch_keys_for(store, created.log)
    assert (await keys.open_with_device(alice.device)).key(1) == ring.key(1)
    assert (await keys.open_with_identity(alice.identity)).key(1) == ring.key(1)
    header, slots = await read_vault_objects(store)
    assert unlock_with_recovery_key(header, slots, created.recovery_key).secret == root.secret
    st = EpochStatement.from_bytes(await store.get(statement_key(1)))
    assert st.position == 0 and st.root_public == root_kem(root).public


async def test_passphrase_change_moves_the_root_and_the_old_one_opens_nothing_new(
    store: Store, tmp_path: Path
):
    alice = Owner(store, tmp_path)
    created = await create_v2_vault_on_store(
        store, PASS, alice.identity, alice.device, alice.local, NOW, FAST
    )
    old_root, old_header = created.root, await store.get(HEADER_KEY)
    header_then, slots_then = await read_vault_objects(store)
    changed = await change_passphrase_v2(
        store, old_header, old_root, NEW, alice.device, created.log, NOW, params=FAST
    )
    new_root = await unlock_vault(store, passphrase=NEW)
    assert new_root.secret == changed.root.secret != old_root.secret
    assert parse_header(await store.get(HEADER_KEY)).epoch == 1
    with pytest.raises(WrongPassphrase):
        await unlock_vault(store, passphrase=PASS)
    with pytest.raises(WrongPassphrase):
        await unlock_vault(store, recovery_key=created.recovery_key)
    header, slots = await read_vault_objects(store)
    assert unlock_with_recovery_key(header, slots, changed.recovery_key).secret == new_root.secret
    # the log: a rotate-key entry started epoch 2, whose statement publishes R' root public
    assert created.log.state.epoch == 2
    st = EpochStatement.from_bytes(await store.get(statement_key(2)))
    assert st.root_public == root_kem(new_root).public
    ring = await open_v2_ring(store, new_root, created.log)
    assert ring.current == 2 and ring.key(1) == created.ring.key(1)
    assert ring.key(2).secret == changed.ring.key(2).secret
    # the old root (from the old header a store could keep) opens nothing of epoch 2
    old_private = root_kem(old_root)
    with pytest.raises(TamperedData):
        open_key(
            old_private, await store.get(root_key(2)), vault_id=old_root.vault_id, key_id=2,
            recipient_id=root_recipient_id(old_private.public),
        )  # fmt: skip
    with pytest.raises(EpochRefused) as info:
        await epoch_keys_for(store, created.log).open_with_root(old_root)
    assert info.value.reason.kind == EpochProblem.ROOT_RETIRED
    assert header_then != header and set(slots_then).isdisjoint(slots)


async def test_only_an_owner_changes_the_passphrase_and_nothing_is_written(
    store: Store, tmp_path: Path
):
    alice = Owner(store, tmp_path)
    created = await create_v2_vault_on_store(
        store, PASS, alice.identity, alice.device, alice.local, NOW, FAST
    )
    bob = Owner(store, tmp_path, "bob")
    await created.log.append(
        alice.device, EntryKind.ADD_MEMBER, NOW, subject=bob.identity.identity_id,
        role=Role.EDITOR, identity=card_blob(bob.identity),
    )  # fmt: skip
    bob_log = MembershipLog(store, bob.local, created.root.vault_id)
    await bob_log.add_own_device(bob.identity, bob.device, NOW)
    before = {i.key for i in await store.list("")}
    with pytest.raises(MembershipRefused) as info:
        await change_passphrase_v2(
            store, await store.get(HEADER_KEY), created.root, NEW, bob.device, bob_log, NOW,
            params=FAST,
        )  # fmt: skip
    assert info.value.reason.kind == MembershipProblem.NOT_ALLOWED
    assert {i.key for i in await store.list("")} == before
    assert (await unlock_vault(store, passphrase=PASS)).secret == created.root.secret


async def test_a_change_interrupted_before_its_statement_resumes_on_the_same_epoch(
    store: Store, tmp_path: Path
):
    alice = Owner(store, tmp_path)
    created = await create_v2_vault_on_store(
        store, PASS, alice.identity, alice.device, alice.local, NOW, FAST
    )
    header = await store.get(HEADER_KEY)
    crashing = CrashOnPut(store, statement_key(2))
    log = MembershipLog(crashing, alice.local, created.root.vault_id)
    with pytest.raises(Interrupted):
        await change_passphrase_v2(
            crashing, header, created.root, NEW, alice.device, log, NOW, params=FAST
        )
    assert await store.get(HEADER_KEY) == header  # the old passphrase still opens
    assert (await unlock_vault(store, passphrase=PASS)).secret == created.root.secret
    resumed = MembershipLog(store, alice.local, created.root.vault_id)  # a restart
    assert resumed.state.epoch == 2 and resumed.state.position == 1
    changed = await change_passphrase_v2(
        store, header, created.root, NEW, alice.device, resumed, NOW, params=FAST
    )
    assert resumed.state.epoch == 2 and resumed.state.position == 1  # no second rotation
    ring = await open_v2_ring(store, await unlock_vault(store, passphrase=NEW), resumed)
    assert ring.current == 2 and ring.key(2) == changed.ring.key(2)
