"""The membership log on real stores (a folder, SeaweedFS, Apache WebDAV), with real
hybrid signatures.

A malicious store rolls the log back, forks it, drops a removal, substitutes a
member's key; a malicious member forges an owner's entry or writes after being
removed. Each is refused with its reason, and nothing of it is applied.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from crypto.device import DeviceKeys, certify_device
from crypto.identity import Identity, card_blob
from sync_engine.core.membership import (
    CutMark,
    Membership,
    MembershipProblem,
    MembershipRefused,
    draft,
    replay,
)
from sync_engine.core.membership_entry import (
    EntryKind,
    Role,
    decode_entry,
    encode_signed,
    join_entry,
)
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.errors import exists
from sync_engine.stores.local import LocalStore
from sync_engine.vault.membership_log import (
    ENTRY_CONTEXT,
    HybridChecker,
    MembershipLog,
    entry_key,
)
from sync_engine.vault.state import LocalState
from tests.recording_store import RecordingStore

P = MembershipProblem
VAULT = bytes.fromhex("7c" * 16)
NOW = 1_767_225_600_000


@pytest.fixture(params=["folder", "s3", "webdav"])
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

    @property
    def id(self) -> bytes:
        return self.identity.identity_id


class Team:
    """Alice (owner) made the log; Bob (editor) and Carol (reader) joined with one device each."""

    def __init__(self, store: Store, home: Path) -> None:
        self.store, self.home = store, home
        self.people: dict[str, Someone] = {}

    def someone(self, name: str) -> Someone:
        identity = Identity.generate(name)
        return self.device_of(name, identity, f"{name}-laptop")

    def device_of(self, name: str, identity: Identity, device_name: str) -> Someone:
        local = LocalState(self.home / device_name / "state.db")
        log = MembershipLog(self.store, local, VAULT)
        person = Someone(identity, DeviceKeys.generate(device_name), log, local)
        self.people[device_name] = person
        return person

    async def start(self) -> None:
        self.alice = self.someone("alice")
        self.bob = self.someone("bob")
        self.carol = self.someone("carol")
        a = self.alice.log
        await a.create(self.alice.identity, self.alice.device, NOW)
        await self.add(self.bob, Role.EDITOR)
        await self.add(self.carol, Role.READER)

    async def add(self, who: Someone, role: Role) -> None:
        await self.alice.log.append(
            self.alice.device,
            EntryKind.ADD_MEMBER,
            NOW,
            subject=who.id,
            role=role,
            identity=card_blob(who.identity),
        )
        await who.log.add_own_device(who.identity, who.device, NOW)

    def reader(self, name: str = "fresh") -> MembershipLog:
        """A device that has never read the log (its own empty state.db)."""
        return MembershipLog(self.store, LocalState(self.home / name / "state.db"), VAULT)

    async def forge(self, signer: DeviceKeys, kind: EntryKind, after: Membership, **fields):
        """Sign an entry for the next slot after `after` and put it straight on the store."""
        slot = after.position + 1
        existing = await self.store.list("members/")
        slot = max(slot, len(existing))
        entry = draft(after, slot, kind, signer.device_id, NOW, **fields)
        signed = encode_signed(entry)
        data = join_entry(signed, signer.sign(ENTRY_CONTEXT, signed))
        await self.store.put(entry_key(slot), data, mode=PutMode.CREATE)
        return slot


@pytest.fixture
async def team(store: Store, tmp_path: Path) -> Team:
    t = Team(store, tmp_path / "homes")
    await t.start()
    return t


def roles(state: Membership) -> dict[str, str]:
    return {m.name: m.role.label for m in state.members.values()}


def kinds(read) -> list[str]:
    return [r.kind for r in read.problems]


async def test_every_device_reaches_the_same_state_and_keeps_it(team: Team):
    fresh = team.reader()
    read = await fresh.read()
    assert read.problems == () and read.accepted == 5
    assert roles(read.state) == {"alice": "owner", "bob": "editor", "carol": "reader"}
    assert read.state == (await team.alice.log.read()).state
    assert team.bob.device.device_id in read.state.members[team.bob.id].devices
    # the pin and the state survive a restart: replayed from state.db, no store read
    again = MembershipLog(team.store, LocalState(team.home / "fresh" / "state.db"), VAULT)
    assert again.state == read.state and again.pin == fresh.pin
    assert (await again.read()).accepted == 0


async def test_a_rollback_is_refused_and_nothing_applied(team: Team):
    carol = team.carol.log
    await carol.read()
    pinned = carol.state
    kept = {k: await team.store.get(k) for k in (entry_key(3), entry_key(4))}
    for key in kept:
        await team.store.delete(key)
    with pytest.raises(MembershipRefused) as info:
        await carol.read()
    assert info.value.reason.kind == P.ROLLBACK
    assert info.value.reason.as_dict() == {"pinned": "4", "served": "2"}
    assert carol.state == pinned
    reopened = MembershipLog(team.store, team.carol.local, VAULT)
    assert reopened.state == pinned  # the pin is durable
    with pytest.raises(MembershipRefused):
        await reopened.read()
    for key, data in kept.items():
        await team.store.put(key, data)
    assert (await carol.read()).problems == ()


async def test_a_fork_is_refused_and_nothing_applied(team: Team):
    carol = team.carol.log
    await carol.read()
    pinned = carol.state
    # another valid slot 4, signed by Alice's own device: a different history
    first = [(s, await team.store.get(entry_key(s))) for s in range(4)]
    state_3 = replay(VAULT, first, HybridChecker())
    other = encode_signed(draft(state_3, 4, EntryKind.ROTATE_KEY, team.alice.device.device_id, NOW))
    await team.store.put(
        entry_key(4), join_entry(other, team.alice.device.sign(ENTRY_CONTEXT, other))
    )
    assert (await team.reader().read()).problems == ()  # valid for a device never pinned
    with pytest.raises(MembershipRefused) as info:
        await carol.read()
    assert info.value.reason.kind == P.FORK and info.value.reason.param("position") == "4"
    assert carol.state == pinned


async def test_a_dropped_removal_is_reported_and_nothing_after_it_applied(team: Team):
    carol_id = team.carol.id
    await team.alice.log.append(
        team.alice.device, EntryKind.REMOVE_MEMBER, NOW, cut={}, subject=carol_id
    )
    await team.alice.log.append(team.alice.device, EntryKind.ROTATE_KEY, NOW)
    await team.store.delete(entry_key(5))  # the store hides the removal
    fresh = await team.reader().read()
    assert kinds(fresh) == [P.MISSING, P.BROKEN_CHAIN]
    assert carol_id in fresh.state.members and fresh.state.epoch == 1  # nothing after it
    # a device pinned before the removal sees the same
    assert kinds(await team.carol.log.read()) == [P.MISSING, P.BROKEN_CHAIN]


async def test_a_substituted_member_key_is_refused(team: Team):
    mallory = Identity.generate("bob")  # the store's key, under Bob's name
    data = await team.store.get(entry_key(1))
    e = decode_entry(data)
    forged = replace(e.entry, subject=mallory.identity_id, identity=card_blob(mallory))
    await team.store.delete(entry_key(1))
    await team.store.put(entry_key(1), join_entry(encode_signed(forged), e.signature))
    read = await team.reader().read()
    assert kinds(read)[0] == P.BAD_SIGNATURE
    assert mallory.identity_id not in read.state.members
    assert team.bob.id not in read.state.members  # Bob's own entries chained to it: refused


async def test_an_editor_cannot_make_themselves_owner(team: Team):
    bob = team.bob
    with pytest.raises(MembershipRefused) as info:  # Coffre refuses before writing
        await bob.log.append(
            bob.device, EntryKind.CHANGE_ROLE, NOW, cut={}, subject=bob.id, role=Role.OWNER
        )
    assert info.value.reason.kind == P.NOT_ALLOWED
    assert len(await team.store.list("members/")) == 5
    # a client that ignores the rules writes it anyway: every reader refuses it
    await team.forge(
        bob.device, EntryKind.CHANGE_ROLE, bob.log.state, subject=bob.id, role=Role.OWNER
    )
    read = await team.reader().read()
    assert kinds(read) == [P.NOT_ALLOWED]
    assert read.problems[0].param("role") == "editor"
    assert roles(read.state)["bob"] == "editor"


async def test_a_removed_member_cannot_write_and_cannot_block_the_log(team: Team):
    await team.alice.log.append(
        team.alice.device, EntryKind.REMOVE_MEMBER, NOW, cut={}, subject=team.carol.id
    )
    carol = team.carol
    await carol.log.read()
    slot = await team.forge(
        carol.device,
        EntryKind.ADD_MEMBER,
        carol.log.state,
        subject=carol.id,
        role=Role.OWNER,
        identity=card_blob(carol.identity),
    )
    assert slot == 6
    # Alice's next change goes on past the refused slot
    state = await team.alice.log.append(team.alice.device, EntryKind.ROTATE_KEY, NOW)
    assert state.position == 7 and state.epoch == 3
    read = await team.reader().read()
    assert kinds(read) == [P.UNKNOWN_SIGNER]
    assert carol.id not in read.state.members and read.state == state


async def test_owners_racing_for_a_slot_both_land(team: Team):
    await team.alice.log.append(
        team.alice.device, EntryKind.CHANGE_ROLE, NOW, cut={}, subject=team.bob.id, role=Role.OWNER
    )
    dave, erin = Identity.generate("dave"), Identity.generate("erin")
    await team.bob.log.read()
    await asyncio.gather(
        team.alice.log.append(
            team.alice.device,
            EntryKind.ADD_MEMBER,
            NOW,
            subject=dave.identity_id,
            role=Role.READER,
            identity=card_blob(dave),
        ),
        team.bob.log.append(
            team.bob.device,
            EntryKind.ADD_MEMBER,
            NOW,
            subject=erin.identity_id,
            role=Role.READER,
            identity=card_blob(erin),
        ),
    )
    read = await team.reader().read()
    assert read.problems == ()
    assert {"dave", "erin"} <= set(roles(read.state))


async def test_the_local_copy_is_checked_again_at_start(team: Team):
    carol = team.carol
    await carol.log.read()
    db = carol.local._db  # an altered byte in the copy kept in state.db
    (data,) = db.execute("SELECT data FROM member_entries WHERE slot = 2").fetchone()
    altered = bytearray(data)
    altered[70] ^= 1
    with carol.local.transaction():
        db.execute("UPDATE member_entries SET data = ? WHERE slot = 2", (bytes(altered),))
    with pytest.raises(MembershipRefused) as info:
        MembershipLog(team.store, carol.local, VAULT)
    assert info.value.reason.kind == P.BAD_SIGNATURE


def test_the_hybrid_checker_reads_only_self_signed_identities_and_certified_devices():
    checker = HybridChecker()
    alice, bob = Identity.generate("alice"), Identity.generate("bob")
    blob = card_blob(alice)
    person = checker.person(blob)
    assert person is not None and person.identity_id == alice.identity_id
    renamed = blob.replace(b"alice", b"alicf")  # the name is under the self-signature
    assert checker.person(renamed) is None
    device = DeviceKeys.generate("laptop")
    cert = certify_device(alice, device.public, NOW).to_bytes()
    certified = checker.certified(blob, cert)
    assert certified is not None and certified.device_id == device.device_id
    assert checker.certified(card_blob(bob), cert) is None  # another person's certificate
    signature = device.sign(ENTRY_CONTEXT, b"entry")
    assert checker.signed_by(cert, b"entry", signature)
    assert not checker.signed_by(cert, b"entry", device.sign(b"card", b"entry"))  # context
    assert not checker.signed_by(cert, b"entry", signature[:64] + bytes(3309))  # ML-DSA half


class RacingStore(RecordingStore):
    """Runs `before_create` once, right before the next create-only put of a log entry;
    `echo` makes a create write and then answer ObjectExists (a retry meeting its own write)."""

    def __init__(self, inner: Store) -> None:
        super().__init__(inner)
        self.before_create = None
        self.echo = False

    async def put(self, key: str, data, *, mode: PutMode = PutMode.OVERWRITE):
        if mode is PutMode.CREATE and key.startswith("members/"):
            hook, self.before_create = self.before_create, None
            if hook is not None:
                await hook()
            if self.echo:
                self.echo = False
                await self.inner.put(key, data, mode=mode)
                raise exists(self.url, key)
        return await self.inner.put(key, data, mode=mode)


async def test_an_owner_who_loses_the_slot_reads_again_and_writes_in_the_next(team: Team):
    await team.alice.log.append(
        team.alice.device, EntryKind.CHANGE_ROLE, NOW, cut={}, subject=team.bob.id, role=Role.OWNER
    )
    racing = RacingStore(team.store)
    bob = MembershipLog(racing, team.bob.local, VAULT)
    dave = Identity.generate("dave")

    async def alice_first() -> None:
        await team.alice.log.append(team.alice.device, EntryKind.ROTATE_KEY, NOW)

    racing.before_create = alice_first
    state = await bob.append(
        team.bob.device,
        EntryKind.ADD_MEMBER,
        NOW,
        subject=dave.identity_id,
        role=Role.READER,
        identity=card_blob(dave),
    )
    assert state.position == 7 and state.epoch == 2  # after Alice's rotation in slot 6
    read = await team.reader().read()
    assert read.problems == () and roles(read.state)["dave"] == "reader"


async def test_a_change_the_winner_already_made_is_not_written_twice(team: Team):
    await team.alice.log.append(
        team.alice.device, EntryKind.CHANGE_ROLE, NOW, cut={}, subject=team.bob.id, role=Role.OWNER
    )
    racing = RacingStore(team.store)
    bob = MembershipLog(racing, team.bob.local, VAULT)

    async def alice_removes_carol() -> None:
        await team.alice.log.append(
            team.alice.device, EntryKind.REMOVE_MEMBER, NOW, cut={}, subject=team.carol.id
        )

    racing.before_create = alice_removes_carol
    with pytest.raises(MembershipRefused) as info:
        await bob.append(
            team.bob.device, EntryKind.REMOVE_MEMBER, NOW, cut={}, subject=team.carol.id
        )
    assert info.value.reason.as_dict()["why"] == "not_member"
    assert len(await team.store.list("members/")) == 7  # Alice's removal only


async def test_a_create_that_meets_its_own_write_is_taken_as_done(team: Team):
    racing = RacingStore(team.store)
    alice = MembershipLog(racing, team.alice.local, VAULT)
    racing.echo = True
    state = await alice.append(team.alice.device, EntryKind.ROTATE_KEY, NOW)
    assert state.position == 5 and state.epoch == 2
    assert len(await team.store.list("members/")) == 6  # written once
    assert (await team.reader().read()).state == state


async def test_a_removal_carries_the_cut_made_from_the_journals_positions(team: Team):
    carol = team.carol.device.device_id
    with pytest.raises(ValueError, match="positions"):  # no silent zero cut
        await team.alice.log.append(
            team.alice.device, EntryKind.REMOVE_MEMBER, NOW, subject=team.carol.id
        )
    assert len(await team.store.list("members/")) == 5
    positions = {carol: 12, team.bob.device.device_id: 30}  # only Carol's device is cut
    state = await team.alice.log.append(
        team.alice.device, EntryKind.REMOVE_MEMBER, NOW, subject=team.carol.id, cut=positions
    )
    assert decode_entry(await team.store.get(entry_key(5))).entry.cut == ((carol, 12),)
    assert state.cuts[carol] == (CutMark(5, 12),)
    # every device's history agrees, and a restart rebuilds the same one
    fresh = team.reader()
    await fresh.read()
    assert fresh.history.states == team.alice.log.history.states
    assert (
        fresh.history.at(4).devices.keys() >= {carol} and carol not in fresh.history.at(5).devices
    )
    reopened = MembershipLog(team.store, team.alice.local, VAULT)
    assert reopened.history == team.alice.log.history and reopened.history.read_through == 5
