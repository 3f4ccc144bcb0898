"""Epoch keys on real stores (a folder and SeaweedFS), checked against the membership log.

Alice (owner) created the log; Bob (editor) and Carol (reader) joined with one
device each. Alice publishes epoch 1 (root = R) and, after removing Carol,
epoch 2. The store or a member then replays an old envelope, swaps one,
publishes a statement as an editor, or forges the root public: each is refused
with its reason and nothing of it is used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crypto.device import DeviceKeys
from crypto.epochs import EpochStatement, new_epoch, root_kem, root_recipient_id, seal_epoch_key
from crypto.identity import Identity, card_blob
from crypto.keys import VaultKey
from sync_engine.core.epoch_rules import EpochProblem
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import (
    EpochKeys,
    EpochRefused,
    envelope_key,
    history_of,
    recipients_of,
    root_key,
    statement_key,
)
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

E = EpochProblem
VAULT = bytes.fromhex("3a" * 16)
NOW = 1_767_225_600_000


@pytest.fixture(params=["folder", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param != "folder":
        yield request.getfixturevalue(f"{request.param}_store")
        return
    (tmp_path / "store").mkdir()
    folder = LocalStore(tmp_path / "store")
    yield folder
    await folder.close()


@dataclass
class Someone:
    identity: Identity
    device: DeviceKeys
    log: MembershipLog
    local: LocalState


class Team:
    def __init__(self, store: Store, home: Path) -> None:
        self.store, self.home = store, home
        self.root = VaultKey(VAULT, b"\x52" * 32)

    def someone(self, name: str) -> Someone:
        local = LocalState(self.home / name / "state.db")
        return Someone(
            Identity.generate(name),
            DeviceKeys.generate(f"{name}-laptop"),
            MembershipLog(self.store, local, VAULT),
            local,
        )

    async def start(self) -> None:
        self.alice, self.bob, self.carol = (self.someone(n) for n in ("alice", "bob", "carol"))
        await self.alice.log.create(self.alice.identity, self.alice.device, NOW)
        for who, role in ((self.bob, Role.EDITOR), (self.carol, Role.READER)):
            await self.alice.log.append(
                self.alice.device, EntryKind.ADD_MEMBER, NOW, subject=who.identity.identity_id,
                role=role, identity=card_blob(who.identity),
            )  # fmt: skip
            await who.log.add_own_device(who.identity, who.device, NOW)
        await self.alice.log.read()
        keys = self.keys_of(self.alice)
        self.ring1 = await keys.write_epoch(
            1, None, 0, recipients_of(self.alice.log.state), self.alice.device,
            root_kem(self.root).public,
        )  # fmt: skip

    def keys_of(self, who: Someone) -> EpochKeys:
        history = history_of(VAULT, who.local.member_entries())
        return EpochKeys(self.store, VAULT, history, who.log.read_through)

    async def fresh(self, who: Someone) -> EpochKeys:
        await who.log.read()
        return self.keys_of(who)

    async def remove_carol(self):
        state = await self.alice.log.append(
            self.alice.device, EntryKind.REMOVE_MEMBER, NOW,
            subject=self.carol.identity.identity_id,
        )  # fmt: skip
        keys = self.keys_of(self.alice)
        ring = await keys.open_with_device(self.alice.device)
        ring2 = await keys.write_epoch(
            2, ring, state.position, recipients_of(state), self.alice.device, None
        )
        return state, ring2


@pytest.fixture
async def team(store: Store, tmp_path: Path) -> Team:
    t = Team(store, tmp_path / "homes")
    await t.start()
    return t


def kinds(keys: EpochKeys) -> list[str]:
    return [r.kind for r in keys.problems]


async def test_devices_identities_and_the_root_open_the_same_epoch(team: Team):
    expected = team.ring1.key(1).secret
    for who in (team.alice, team.bob, team.carol):
        keys = await team.fresh(who)
        assert (await keys.open_with_device(who.device)).key(1).secret == expected
        assert (await keys.open_with_identity(who.identity)).key(1).secret == expected
        assert keys.problems == []
    keys = await team.fresh(team.bob)
    ring = await keys.open_with_root(team.root)
    assert ring.format == 2 and ring.current == 1 and ring.key(1).secret == expected
    stranger = DeviceKeys.generate("stranger")
    with pytest.raises(EpochRefused) as info:
        await keys.open_with_device(stranger)
    assert info.value.reason.kind == E.NOT_GIVEN


async def test_a_removed_member_keeps_old_epochs_and_gets_no_new_one(team: Team):
    _, ring2 = await team.remove_carol()
    bob = await team.fresh(team.bob)
    got = await bob.open_with_device(team.bob.device)
    assert got.current == 2 and got.key(2).secret == ring2.key(2).secret
    assert got.key(1).secret == team.ring1.key(1).secret  # the chain reaches back
    assert (await bob.open_with_root(team.root)).current == 2  # sealed to the root too
    carol = await team.fresh(team.carol)
    left = await carol.open_with_device(team.carol.device)
    assert left.current == 1 and 2 not in left.epochs
    assert not await team.store.list(envelope_key(2, team.carol.device.device_id))


async def test_a_replayed_old_epoch_envelope_opens_nothing_new(team: Team):
    await team.remove_carol()
    bob_id = team.bob.device.device_id
    old = await team.store.get(envelope_key(1, bob_id))
    await team.store.put(envelope_key(2, bob_id), old, mode=PutMode.OVERWRITE)
    keys = await team.fresh(team.bob)
    ring = await keys.open_with_device(team.bob.device)
    assert ring.current == 1  # what it opens is epoch 1, as before
    assert kinds(keys) == [E.BAD_ENVELOPE] and keys.problems[0].param("epoch") == "2"


async def test_a_swapped_envelope_is_refused(team: Team):
    await team.remove_carol()
    bob = team.bob.device
    # Carol, removed, knows Bob's public key from the log: she seals a key she chose
    chosen = seal_epoch_key(
        bob.kem.public, b"\xcc" * 32, vault_id=VAULT, epoch=2, recipient_id=bob.device_id
    )
    await team.store.put(envelope_key(2, bob.device_id), chosen, mode=PutMode.OVERWRITE)
    keys = await team.fresh(team.bob)
    assert (await keys.open_with_device(bob)).current == 1
    assert kinds(keys) == [E.BAD_ENVELOPE] and "commits to" in keys.problems[0].param("detail")
    # Alice's own envelope filed under Bob's name: bound to Alice's recipient id
    alice_env = await team.store.get(envelope_key(2, team.alice.device.device_id))
    await team.store.put(envelope_key(2, bob.device_id), alice_env, mode=PutMode.OVERWRITE)
    keys = await team.fresh(team.bob)
    assert (await keys.open_with_device(bob)).current == 1
    assert kinds(keys) == [E.BAD_ENVELOPE]


async def test_a_statement_signed_by_an_editor_is_refused_with_its_forged_root(team: Team):
    await team.remove_carol()
    state = await team.alice.log.append(team.alice.device, EntryKind.ROTATE_KEY, NOW)
    # Bob (editor, holding E2) publishes epoch 3 first, with a root of his own
    bob_keys = await team.fresh(team.bob)
    ring2 = await bob_keys.open_with_device(team.bob.device)
    bobs_root = VaultKey(VAULT, b"\xbb" * 32)
    await bob_keys.write_epoch(
        3, ring2, state.position, recipients_of(state), team.bob.device,
        root_kem(bobs_root).public,
    )  # fmt: skip
    for who in (team.alice, team.bob):
        keys = await team.fresh(who)
        ring = await keys.open_with_device(who.device)
        assert ring.current == 2
        assert kinds(keys) == [E.NOT_OWNER]
        assert keys.problems[0].as_dict() == {"epoch": "3", "role": "editor"}
    keys = await team.fresh(team.alice)
    assert (await keys.open_with_root(team.root)).current == 2  # R is still the root
    with pytest.raises(EpochRefused) as info:
        await keys.open_with_root(bobs_root)
    assert info.value.reason.kind == E.ROOT_RETIRED


async def test_a_forged_root_public_breaks_the_signature_and_opens_nothing(team: Team):
    data = bytearray(await team.store.get(statement_key(1)))
    forged_root = root_kem(VaultKey(VAULT, b"\xee" * 32)).public.to_bytes()
    at = bytes(data).index(root_kem(team.root).public.to_bytes())
    data[at : at + len(forged_root)] = forged_root
    await team.store.put(statement_key(1), bytes(data), mode=PutMode.OVERWRITE)
    keys = await team.fresh(team.bob)
    with pytest.raises(EpochRefused) as info:
        await keys.open_with_device(team.bob.device)
    assert info.value.reason.kind == E.BAD_STATEMENT
    assert kinds(keys)[0] == E.BAD_STATEMENT


async def test_a_statement_for_an_entry_that_started_no_epoch_is_refused(team: Team):
    # an owner's statement 2 naming slot 3 (Carol's add device: epoch stays 1)
    _, s2 = new_epoch(
        VAULT, 2, 3, team.alice.device, prev=team.ring1.key(1).secret, root_public=None
    )
    await team.store.put(statement_key(2), s2, mode=PutMode.CREATE)
    keys = await team.fresh(team.alice)
    assert (await keys.open_with_device(team.alice.device)).current == 1
    assert kinds(keys) == [E.NOT_STARTED_THERE]


async def test_a_statement_beyond_the_log_read_is_left_for_later(team: Team):
    stale = team.keys_of(team.bob)  # Bob's copy of the log, before the removal
    await team.remove_carol()
    ring = await stale.open_with_device(team.bob.device)
    assert ring.current == 1 and stale.problems == []  # not refused: not yet known
    assert (await (await team.fresh(team.bob)).open_with_device(team.bob.device)).current == 2


async def test_writing_again_after_a_crash_before_the_statement(team: Team):
    state = await team.alice.log.append(
        team.alice.device, EntryKind.REMOVE_MEMBER, NOW, subject=team.carol.identity.identity_id
    )
    keys = team.keys_of(team.alice)
    ring = await keys.open_with_device(team.alice.device)
    # a first attempt wrote Bob's envelope of another E2, then crashed before its statement
    lost_key = b"\x99" * 32
    bob = team.bob.device
    await team.store.put(
        envelope_key(2, bob.device_id),
        seal_epoch_key(bob.kem.public, lost_key, vault_id=VAULT, epoch=2,
                       recipient_id=bob.device_id),
    )  # fmt: skip
    ring2 = await keys.write_epoch(
        2, ring, state.position, recipients_of(state), team.alice.device, None
    )
    got = await (await team.fresh(team.bob)).open_with_device(bob)
    assert got.current == 2 and got.key(2).secret == ring2.key(2).secret
    # a second owner run for the same epoch with another key is refused, nothing replaced
    with pytest.raises(EpochRefused) as info:
        await team.keys_of(team.alice).write_epoch(
            2, ring, state.position, recipients_of(state), team.alice.device, None
        )
    assert info.value.reason.kind == E.PUBLISHED_MEANWHILE
    again = await (await team.fresh(team.bob)).open_with_device(bob)
    assert again.key(2).secret == ring2.key(2).secret
    root_env = await team.store.get(root_key(2))
    st = EpochStatement.from_bytes(await team.store.get(statement_key(2)))
    assert st.root_public is None and len(root_env) == 1205
    assert root_recipient_id(root_kem(team.root).public) != bob.device_id
