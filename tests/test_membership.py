"""The membership log's rules (sync_engine/core/membership.py): every row of the table,
every check before it, the entry codec, rollback and fork, and random logs."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_engine.core.membership import (
    RULES,
    CutMark,
    CutRule,
    Epoch,
    Inapplicable,
    Membership,
    MembershipHistory,
    MembershipProblem,
    MembershipRefused,
    Need,
    Pin,
    Signer,
    apply_entry,
    check_pin,
    cut_for,
    cuts_table,
    extend,
    replay_history,
    rules_table,
)
from sync_engine.core.membership_entry import (
    NO_ID,
    EntryKind,
    MalformedEntry,
    MemberEntry,
    Role,
    decode_entry,
    encode_signed,
    join_entry,
)
from tests.membership_world import (
    VAULT,
    DeviceKeys,
    HybridKeys,
    Keys,
    LogWriter,
    PersonKeys,
    SealedKeys,
)

ROOT = Path(__file__).resolve().parents[1]
P = MembershipProblem


@dataclass
class Team:
    keys: Keys
    log: LogWriter
    alice: PersonKeys
    bob: PersonKeys
    carol: PersonKeys
    a1: DeviceKeys
    b1: DeviceKeys
    c1: DeviceKeys

    def state(self) -> Membership:
        check = extend(Membership(VAULT), 0, self.log.served(), self.keys.checker)
        assert check.refused == ()
        return check.state

    def refusal(self, data: bytes) -> MembershipProblem:
        """The problem the next slot's entry `data` is refused with (and that it is refused)."""
        state = self.state()
        with pytest.raises(MembershipRefused) as info:
            apply_entry(state, len(self.log.entries), data, self.keys.checker)
        assert info.value.reason.param("position") == str(len(self.log.entries))
        return P(info.value.reason.kind)

    def accept(self, data: bytes) -> Membership:
        state = apply_entry(self.state(), len(self.log.entries), data, self.keys.checker)
        self.log.append(data)
        return state


@pytest.fixture(params=["hybrid", "sealed"])
def team(request: pytest.FixtureRequest) -> Team:
    """Alice (owner, device a1) created the log; Bob is an editor (b1), Carol a reader (c1).

    With the real hybrid keys, and with the seals the random-log properties use."""
    keys: Keys = HybridKeys() if request.param == "hybrid" else SealedKeys()
    alice, bob, carol = keys.person("Alice"), keys.person("Bob"), keys.person("Carol")
    a1, b1, c1 = keys.device(alice, "a1"), keys.device(bob, "b1"), keys.device(carol, "c1")
    log = LogWriter(keys)
    log.create(a1)
    log.add_member(a1, bob, Role.EDITOR)
    log.add_device(b1, b1)  # Bob's device introduces itself with his certificate
    log.add_member(a1, carol, Role.READER)
    log.add_device(c1, c1)
    return Team(keys, log, alice, bob, carol, a1, b1, c1)


# ---------------------------------------------------------------------------
# The table itself
# ---------------------------------------------------------------------------


def test_the_table_in_the_header_and_in_sync_md_is_rules():
    header = (ROOT / "sync_engine/core/membership.py").read_text()
    sync_md = (ROOT / "docs/SYNC.md").read_text()
    for line in rules_table():
        assert "#  " + line in header.splitlines()
        assert "    " + line in sync_md.splitlines()


def test_every_kind_has_a_rule_and_only_owners_change_membership():
    assert set(RULES) == set(EntryKind)
    for kind in (EntryKind.ADD_MEMBER, EntryKind.REMOVE_MEMBER, EntryKind.CHANGE_ROLE):
        assert RULES[kind].signer is Signer.OWNER
    removals = {EntryKind.REMOVE_MEMBER, EntryKind.REMOVE_DEVICE, EntryKind.ROTATE_KEY}
    assert {k for k, r in RULES.items() if r.epoch is Epoch.NEXT} == removals
    assert {k for k, r in RULES.items() if Need.OWNER_REMAINS in r.needs} == {
        EntryKind.REMOVE_MEMBER,
        EntryKind.CHANGE_ROLE,
    }


def test_the_team_state(team: Team):
    state = team.state()
    assert state.position == 4 and state.epoch == 1
    assert {m.name: m.role for m in state.members.values()} == {
        "Alice": Role.OWNER,
        "Bob": Role.EDITOR,
        "Carol": Role.READER,
    }
    assert state.members[team.bob.identity_id].devices == {team.b1.device_id}
    assert state.devices[team.c1.device_id].name == "c1"
    assert state.role_of_device(team.a1.device_id) is Role.OWNER
    assert state.head == team.keys.checker.digest(team.log.entries[-1])


# ---------------------------------------------------------------------------
# create
# ---------------------------------------------------------------------------


def test_create_makes_the_creator_owner_at_epoch_1():
    keys = SealedKeys()
    alice = keys.person("Alice")
    a1 = keys.device(alice, "a1")
    log = LogWriter(keys)
    state = apply_entry(Membership(VAULT), 0, log.create(a1), keys.checker)
    assert state.epoch == 1 and state.position == 0
    assert state.members[alice.identity_id].role is Role.OWNER
    assert set(state.devices) == {a1.device_id}


def _creation(keys: SealedKeys | None = None, **override: object) -> tuple[SealedKeys, bytes]:
    keys = keys or SealedKeys()
    alice = keys.person("Alice")
    a1 = keys.device(alice, "a1")
    log = LogWriter(keys)
    make = {
        "subject": alice,
        "device": a1,
        "role": Role.OWNER,
        "with_identity": True,
        "with_certificate": True,
    }
    signer = override.pop("signer", a1)
    make.update(override)
    return keys, log.make(EntryKind.CREATE, signer, **make)  # type: ignore[arg-type]


def _refused_first(keys: SealedKeys, data: bytes, slot: int = 0) -> MembershipProblem:
    with pytest.raises(MembershipRefused) as info:
        apply_entry(Membership(VAULT), slot, data, keys.checker)
    return P(info.value.reason.kind)


def test_create_refusals():
    keys, data = _creation(role=Role.EDITOR)
    assert _refused_first(keys, data) is P.NOT_APPLICABLE
    keys, data = _creation()
    assert _refused_first(keys, data[:-1] + bytes([data[-1] ^ 1])) is P.BAD_SIGNATURE
    assert _refused_first(keys, data, slot=1) is P.OUT_OF_ORDER  # a creation copied elsewhere
    # signed by a device that is not the one introduced
    keys3 = SealedKeys()
    stranger = keys3.device(keys3.person("Mallory"), "m1")
    keys3, data = _creation(keys3, signer=stranger)
    assert _refused_first(keys3, data) is P.UNKNOWN_SIGNER
    # the certificate is another person's
    keys4 = SealedKeys()
    alice, mallory = keys4.person("Alice"), keys4.person("Mallory")
    m1 = keys4.device(mallory, "m1")
    forged = replace(m1, owner=alice)  # claims Alice, certified by Mallory
    data = LogWriter(keys4).make(
        EntryKind.CREATE,
        forged,
        subject=alice,
        device=forged,
        role=Role.OWNER,
        with_identity=True,
        with_certificate=True,
    )
    assert _refused_first(keys4, data) is P.BAD_CERTIFICATE
    # the identity carried is not the subject's
    keys5, data = _creation(identity=b"P" + bytes(16) + b"Eve")
    assert _refused_first(keys5, data) is P.NOT_APPLICABLE


def test_the_log_starts_with_one_creation(team: Team):
    # an entry other than a creation in slot 0
    log = LogWriter(team.keys)
    data = log.make(EntryKind.ROTATE_KEY, team.a1)
    assert _refused_first(team.keys, data) is P.NO_CREATION
    # a second creation later
    second = team.log.make(
        EntryKind.CREATE,
        team.a1,
        subject=team.alice,
        device=team.a1,
        role=Role.OWNER,
        with_identity=True,
        with_certificate=True,
    )
    assert team.refusal(second) is P.NO_CREATION


# ---------------------------------------------------------------------------
# add member
# ---------------------------------------------------------------------------


def test_add_member(team: Team):
    dave = team.keys.person("Dave")
    state = team.accept(
        team.log.make(
            EntryKind.ADD_MEMBER, team.a1, subject=dave, role=Role.READER, with_identity=True
        )
    )
    assert state.members[dave.identity_id].role is Role.READER
    assert state.members[dave.identity_id].devices == frozenset() and state.epoch == 1


@pytest.mark.parametrize(
    ("signer", "problem"), [("b1", P.NOT_ALLOWED), ("c1", P.NOT_ALLOWED), ("x1", P.UNKNOWN_SIGNER)]
)
def test_only_an_owner_adds_members(team: Team, signer: str, problem: MembershipProblem):
    dave = team.keys.person("Dave")
    device = getattr(team, signer, None) or team.keys.device(dave, "x1")
    data = team.log.make(
        EntryKind.ADD_MEMBER, device, subject=dave, role=Role.OWNER, with_identity=True
    )
    assert team.refusal(data) is problem


def test_add_member_refusals(team: Team):
    again = team.log.make(
        EntryKind.ADD_MEMBER, team.a1, subject=team.bob, role=Role.OWNER, with_identity=True
    )
    assert team.refusal(again) is P.NOT_APPLICABLE
    dave, eve = team.keys.person("Dave"), team.keys.person("Eve")
    swapped = team.log.make(
        EntryKind.ADD_MEMBER,
        team.a1,
        subject=dave,
        role=Role.EDITOR,
        with_identity=True,
        identity=eve.identity,
    )
    assert team.refusal(swapped) is P.NOT_APPLICABLE


# ---------------------------------------------------------------------------
# remove member
# ---------------------------------------------------------------------------


def test_remove_member_drops_their_devices_and_starts_an_epoch(team: Team):
    state = team.accept(team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=team.bob))
    assert team.bob.identity_id not in state.members
    assert team.b1.device_id not in state.devices and state.epoch == 2
    # Bob's device can no longer sign anything, even for himself
    late = team.log.make(
        EntryKind.ADD_DEVICE,
        team.b1,
        subject=team.bob,
        device=team.keys.device(team.bob, "b2"),
        with_certificate=True,
    )
    assert team.refusal(late) is P.UNKNOWN_SIGNER


def test_remove_member_refusals(team: Team):
    by_editor = team.log.make(EntryKind.REMOVE_MEMBER, team.b1, subject=team.carol)
    assert team.refusal(by_editor) is P.NOT_ALLOWED
    last_owner = team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=team.alice)
    assert team.refusal(last_owner) is P.LAST_OWNER
    stranger = team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=team.keys.person("X"))
    assert team.refusal(stranger) is P.NOT_APPLICABLE
    same_epoch = team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=team.bob, epoch=1)
    assert team.refusal(same_epoch) is P.WRONG_EPOCH


def test_an_owner_may_leave_when_another_owner_remains(team: Team):
    team.log.change_role(team.a1, team.bob, Role.OWNER)
    state = team.accept(team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=team.alice))
    assert [m.name for m in state.owners()] == ["Bob"]


# ---------------------------------------------------------------------------
# change role
# ---------------------------------------------------------------------------


def test_change_role(team: Team):
    state = team.accept(
        team.log.make(EntryKind.CHANGE_ROLE, team.a1, subject=team.carol, role=Role.EDITOR)
    )
    assert state.members[team.carol.identity_id].role is Role.EDITOR and state.epoch == 1


def test_change_role_refusals(team: Team):
    forged = team.log.make(EntryKind.CHANGE_ROLE, team.b1, subject=team.bob, role=Role.OWNER)
    assert team.refusal(forged) is P.NOT_ALLOWED  # an editor forging an owner entry
    same = team.log.make(EntryKind.CHANGE_ROLE, team.a1, subject=team.bob, role=Role.EDITOR)
    assert team.refusal(same) is P.NOT_APPLICABLE
    demote = team.log.make(EntryKind.CHANGE_ROLE, team.a1, subject=team.alice, role=Role.READER)
    assert team.refusal(demote) is P.LAST_OWNER
    next_epoch = team.log.make(
        EntryKind.CHANGE_ROLE, team.a1, subject=team.carol, role=Role.EDITOR, epoch=2
    )
    assert team.refusal(next_epoch) is P.WRONG_EPOCH


def test_promoting_an_owner_keeps_an_owner(team: Team):
    team.log.change_role(team.a1, team.bob, Role.OWNER)
    state = team.accept(
        team.log.make(EntryKind.CHANGE_ROLE, team.b1, subject=team.alice, role=Role.READER)
    )
    assert state.members[team.alice.identity_id].role is Role.READER


# ---------------------------------------------------------------------------
# add device / remove device
# ---------------------------------------------------------------------------


def test_add_device_by_an_existing_device_of_the_same_person(team: Team):
    c2 = team.keys.device(team.carol, "c2")
    state = team.accept(
        team.log.make(
            EntryKind.ADD_DEVICE, team.c1, subject=team.carol, device=c2, with_certificate=True
        )
    )
    assert state.members[team.carol.identity_id].devices == {team.c1.device_id, c2.device_id}


def test_add_device_refusals(team: Team):
    c2 = team.keys.device(team.carol, "c2")

    def add(signer: DeviceKeys, subject: PersonKeys, device: DeviceKeys, **kw: object) -> bytes:
        return team.log.make(
            EntryKind.ADD_DEVICE,
            signer,
            subject=subject,
            device=device,
            with_certificate=True,
            **kw,
        )

    assert team.refusal(add(team.a1, team.carol, c2)) is P.NOT_ALLOWED  # not Carol's device
    assert team.refusal(add(team.b1, team.carol, c2)) is P.NOT_ALLOWED
    dave = team.keys.person("Dave")
    d1 = team.keys.device(dave, "d1")
    assert team.refusal(add(d1, dave, d1)) is P.NOT_APPLICABLE  # Dave is not a member
    mallory_device = team.keys.device(team.keys.person("Mallory"), "m1")
    posing = replace(mallory_device, owner=team.carol)  # Mallory's certificate, for Carol
    assert team.refusal(add(posing, team.carol, posing)) is P.BAD_CERTIFICATE
    # a certificate for another device id than the one signing
    assert team.refusal(add(team.keys.device(team.carol, "c3"), team.carol, c2)) is (
        P.UNKNOWN_SIGNER
    )


def test_a_removed_device_id_never_comes_back(team: Team):
    team.log.remove_device(team.c1, team.c1)
    again = team.log.make(
        EntryKind.ADD_DEVICE, team.c1, subject=team.carol, device=team.c1, with_certificate=True
    )
    assert team.refusal(again) is P.NOT_APPLICABLE


@pytest.mark.parametrize("signer", ["c1", "a1"])
def test_remove_device_by_its_person_or_an_owner(team: Team, signer: str):
    state = team.accept(
        team.log.make(
            EntryKind.REMOVE_DEVICE, getattr(team, signer), subject=team.carol, device=team.c1
        )
    )
    assert team.c1.device_id not in state.devices and state.epoch == 2
    assert team.carol.identity_id in state.members  # the person stays
    after = team.log.make(EntryKind.ROTATE_KEY, team.c1)
    assert team.refusal(after) is P.UNKNOWN_SIGNER


def test_remove_device_refusals(team: Team):
    by_editor = team.log.make(EntryKind.REMOVE_DEVICE, team.b1, subject=team.carol, device=team.c1)
    assert team.refusal(by_editor) is P.NOT_ALLOWED
    wrong_person = team.log.make(EntryKind.REMOVE_DEVICE, team.a1, subject=team.bob, device=team.c1)
    assert team.refusal(wrong_person) is P.NOT_APPLICABLE
    same_epoch = team.log.make(
        EntryKind.REMOVE_DEVICE, team.a1, subject=team.carol, device=team.c1, epoch=1
    )
    assert team.refusal(same_epoch) is P.WRONG_EPOCH


# ---------------------------------------------------------------------------
# rotate key
# ---------------------------------------------------------------------------


def test_rotate_key(team: Team):
    assert team.accept(team.log.make(EntryKind.ROTATE_KEY, team.a1)).epoch == 2
    assert team.refusal(team.log.make(EntryKind.ROTATE_KEY, team.b1)) is P.NOT_ALLOWED
    assert team.refusal(team.log.make(EntryKind.ROTATE_KEY, team.a1, epoch=2)) is P.WRONG_EPOCH


# ---------------------------------------------------------------------------
# The checks every entry passes
# ---------------------------------------------------------------------------


def test_common_checks(team: Team):
    good = team.log.make(EntryKind.ROTATE_KEY, team.a1)
    assert team.refusal(b"CFME" + good[4:-1]) is P.MALFORMED
    assert team.refusal(team.log.make(EntryKind.ROTATE_KEY, team.a1, vault_id=b"\1" * 16)) is (
        P.WRONG_VAULT
    )
    assert team.refusal(team.log.make(EntryKind.ROTATE_KEY, team.a1, position=9)) is (
        P.OUT_OF_ORDER
    )
    assert team.refusal(team.log.make(EntryKind.ROTATE_KEY, team.a1, previous=b"\1" * 32)) is (
        P.BROKEN_CHAIN
    )
    extra = team.log.make(EntryKind.ROTATE_KEY, team.a1, subject=team.bob)
    assert team.refusal(extra) is P.MALFORMED  # a field its kind does not use
    tampered = bytearray(good)
    tampered[70] ^= 1  # inside at_ms (bytes 66-73): signed, read by no rule
    assert team.refusal(bytes(tampered)) is P.BAD_SIGNATURE
    assert team.refusal(good[:-1] + bytes([good[-1] ^ 1])) is P.BAD_SIGNATURE


def test_an_entry_replayed_into_another_slot_is_refused(team: Team):
    assert team.refusal(team.log.entries[1]) is P.OUT_OF_ORDER


# ---------------------------------------------------------------------------
# Reading the log: skip refused entries, missing slots, pins
# ---------------------------------------------------------------------------


def test_a_refused_entry_is_skipped_and_the_log_goes_on(team: Team):
    served = team.log.served()
    served[5] = team.log.make(EntryKind.ROTATE_KEY, team.b1)  # an editor's forgery
    # the honest owner lost slot 5 to it, and writes in 6, chained to slot 4
    served[6] = team.log.make(EntryKind.ROTATE_KEY, team.a1, position=6)
    check = extend(Membership(VAULT), 0, served, team.keys.checker)
    assert [r.kind for r in check.refused] == [P.NOT_ALLOWED]
    assert [slot for slot, _ in check.accepted] == [0, 1, 2, 3, 4, 6]
    assert check.state.epoch == 2 and check.state.position == 6 and check.read_through == 6


def test_a_missing_slot_is_reported_and_what_chains_to_it_refused(team: Team):
    team.log.rotate_key(team.a1)
    team.log.remove_member(team.a1, team.carol)
    served = team.log.served()
    del served[5]  # the store drops the rotation
    check = extend(Membership(VAULT), 0, served, team.keys.checker)
    assert [r.kind for r in check.refused] == [P.MISSING, P.BROKEN_CHAIN]
    assert team.carol.identity_id in check.state.members  # the removal was not applied
    assert check.state.position == 4


def test_reading_on_from_a_pin_gives_the_same_state(team: Team):
    whole = team.state()
    first = extend(
        Membership(VAULT), 0, dict(list(team.log.served().items())[:3]), team.keys.checker
    )
    rest = extend(first.state, first.read_through + 1, team.log.served(), team.keys.checker)
    assert rest.state == whole and rest.refused == ()


def test_check_pin(team: Team):
    c = team.keys.checker
    pin = Pin(4, c.digest(team.log.entries[4]))
    assert check_pin(pin, 4, team.log.entries[4], c) is None
    assert check_pin(None, None, None, c) is None
    rollback = check_pin(pin, 2, None, c)
    assert rollback is not None and rollback.kind == P.ROLLBACK
    assert rollback.as_dict() == {"pinned": "4", "served": "2"}
    gone = check_pin(pin, None, None, c)
    assert gone is not None and gone.kind == P.ROLLBACK
    hole = check_pin(pin, 6, None, c)
    assert hole is not None and hole.as_dict() == {"position": "4"}
    assert hole.kind == P.MISSING
    fork = check_pin(pin, 6, team.log.entries[3], c)
    assert fork is not None and fork.kind == P.FORK


# ---------------------------------------------------------------------------
# The codec
# ---------------------------------------------------------------------------


def test_entry_round_trip_and_strict_decoding():
    e = MemberEntry(
        EntryKind.ADD_MEMBER,
        VAULT,
        3,
        b"\2" * 32,
        7,
        99,
        b"\3" * 16,
        b"\4" * 16,
        NO_ID,
        Role.READER,
        b"identity",
        b"",
    )
    signed = encode_signed(e)
    data = join_entry(signed, b"sig")
    back = decode_entry(data)
    assert back.entry == e and back.signed == signed and back.signature == b"sig"
    assert back.data == data
    for bad in (data[:-1], data + b"\0", b"XXXX" + data[4:]):
        with pytest.raises(MalformedEntry):
            decode_entry(bad)
    for offset, value in ((4, 2), (5, 0), (5, 8), (signed.index(b"identity") - 5, 4)):
        broken = bytearray(data)
        broken[offset] = value
        with pytest.raises(MalformedEntry):
            decode_entry(bytes(broken))
    with pytest.raises(ValueError):
        encode_signed(replace(e, vault_id=b"short"))


# ---------------------------------------------------------------------------
# Random logs
# ---------------------------------------------------------------------------


@dataclass
class RandomLog:
    keys: SealedKeys
    log: LogWriter
    roles: dict[bytes, Role]  # what the honest entries leave
    forged: set[int]  # slots holding an entry no honest device would write


FORGERIES = ["not an owner", "removed device", "stranger", "altered"]


@st.composite
def random_logs(draw: st.DrawFn, *, forge: bool = True) -> RandomLog:
    """A random log an honest team writes, with forged entries slipped in between."""
    keys = SealedKeys()
    founder = keys.person("p0")
    d0 = keys.device(founder, "d0")
    log = LogWriter(keys)
    log.create(d0)
    roles: dict[bytes, Role] = {founder.identity_id: Role.OWNER}
    people = {founder.identity_id: founder}
    devices: dict[bytes, list[DeviceKeys]] = {founder.identity_id: [d0]}
    removed: list[DeviceKeys] = []
    forged: set[int] = set()
    ops = ["add", "remove", "role", "device", "undevice", "rotate"] + (
        ["forge"] * 2 if forge else []
    )
    for _ in range(draw(st.integers(0, 14))):
        owners = [p for p, r in roles.items() if r is Role.OWNER and devices[p]]
        signer = devices[draw(st.sampled_from(owners))][0]
        op = draw(st.sampled_from(ops))
        others = [p for p in roles if p != signer.owner.identity_id]
        if op == "forge":
            how = draw(st.sampled_from(FORGERIES))
            lesser = [d for p, r in roles.items() if r is not Role.OWNER for d in devices[p]]
            if how == "not an owner" and lesser:
                data = log.make(EntryKind.ROTATE_KEY, draw(st.sampled_from(lesser)))
            elif how == "removed device" and removed:
                data = log.make(EntryKind.ROTATE_KEY, draw(st.sampled_from(removed)))
            elif how == "altered":
                honest = bytearray(log.make(EntryKind.ROTATE_KEY, signer))
                honest[draw(st.integers(0, len(honest) - 1))] ^= draw(st.integers(1, 255))
                data = bytes(honest)
            else:
                data = log.make(EntryKind.ROTATE_KEY, keys.device(keys.person("x"), "x"))
            forged.add(len(log.entries))
            log.occupy(data)
        elif op == "add":
            person = keys.person(f"p{len(people)}")
            role = draw(st.sampled_from(list(Role)))
            log.add_member(signer, person, role)
            people[person.identity_id], roles[person.identity_id] = person, role
            devices[person.identity_id] = []
        elif op == "remove" and others:
            gone = draw(st.sampled_from(others))
            log.remove_member(signer, people[gone])
            del roles[gone]
            removed += devices.pop(gone)
        elif op == "role" and others:
            who = draw(st.sampled_from(others))
            role = draw(st.sampled_from([r for r in Role if r is not roles[who]]))
            log.change_role(signer, people[who], role)
            roles[who] = role
        elif op == "device":
            who = draw(st.sampled_from(sorted(roles)))
            new = keys.device(people[who], f"d{len(log.entries)}")
            log.add_device(devices[who][0] if devices[who] else new, new)
            devices[who].append(new)
        elif op == "undevice" and len(devices[signer.owner.identity_id]) > 1:
            gone_device = devices[signer.owner.identity_id].pop()
            log.remove_device(signer, gone_device)
            removed.append(gone_device)
        else:
            log.rotate_key(signer)
    return RandomLog(keys, log, roles, forged)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_logs())
def test_random_logs_accept_the_honest_entries_and_refuse_every_forgery(world: RandomLog):
    check = extend(Membership(VAULT), 0, world.log.served(), world.keys.checker)
    honest = [s for s in range(len(world.log.entries)) if s not in world.forged]
    assert [s for s, _ in check.accepted] == honest
    assert sorted(int(r.param("position")) for r in check.refused) == sorted(world.forged)
    assert {p: m.role for p, m in check.state.members.items()} == world.roles
    assert check.state.epoch == world.log.epoch and check.state.head == world.log.head


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_logs(forge=False), st.data())
def test_one_altered_byte_stops_the_chain_there(world: RandomLog, data):
    keys, log = world.keys, world.log
    served = log.served()
    slot = data.draw(st.integers(0, len(log.entries) - 1))
    offset = data.draw(st.integers(0, len(served[slot]) - 1))
    altered = bytearray(served[slot])
    altered[offset] ^= data.draw(st.integers(1, 255))
    served[slot] = bytes(altered)
    check = extend(Membership(VAULT), 0, served, keys.checker)
    assert [s for s, _ in check.accepted] == list(range(slot))  # nothing at or after it
    assert len(check.refused) == len(log.entries) - slot
    expected = extend(Membership(VAULT), 0, dict(list(log.served().items())[:slot]), keys.checker)
    assert check.state == expected.state


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_logs(), st.data())
def test_reading_in_pieces_gives_the_same_state(world: RandomLog, data):
    served, checker = world.log.served(), world.keys.checker
    whole = extend(Membership(VAULT), 0, served, checker)
    state, start = Membership(VAULT), 0
    while start < len(served):
        end = data.draw(st.integers(start, len(served) - 1))
        part = extend(state, start, {s: d for s, d in served.items() if s <= end}, checker)
        state, start = part.state, part.read_through + 1
    assert state == whole.state


def test_reason_kinds_are_namespaced():
    assert all(re.fullmatch(r"members\.[a-z_]+", k.value) for k in MembershipProblem)


# ---------------------------------------------------------------------------
# The cut: which entries carry one, which devices it names, what the state keeps
# ---------------------------------------------------------------------------


def test_the_cut_column_in_the_header_and_in_sync_md_is_rules():
    header = (ROOT / "sync_engine/core/membership.py").read_text()
    sync_md = (ROOT / "docs/SYNC.md").read_text()
    for line in cuts_table():
        assert "#  " + line in header.splitlines()
        assert "    " + line in sync_md.splitlines()
    assert {k for k, r in RULES.items() if r.cut is not CutRule.NONE} == {
        EntryKind.CREATE,
        EntryKind.REMOVE_MEMBER,
        EntryKind.CHANGE_ROLE,
        EntryKind.REMOVE_DEVICE,
    }


def _honest(team: Team, kind: EntryKind) -> dict[str, object]:
    """The fields of an honest entry of `kind` on the team (make()'s keywords)."""
    fresh = team.keys.device(team.carol, "c2")
    return {
        EntryKind.ADD_MEMBER: {
            "subject": team.keys.person("Dan"),
            "role": Role.READER,
            "with_identity": True,
        },
        EntryKind.REMOVE_MEMBER: {"subject": team.bob},
        EntryKind.CHANGE_ROLE: {"subject": team.bob, "role": Role.READER},
        EntryKind.ADD_DEVICE: {"subject": team.carol, "device": fresh, "with_certificate": True},
        EntryKind.REMOVE_DEVICE: {"subject": team.carol, "device": team.c1},
        EntryKind.ROTATE_KEY: {},
    }[kind]


def _signer(team: Team, kind: EntryKind) -> DeviceKeys:
    return team.c1 if kind is EntryKind.ADD_DEVICE else team.a1


@pytest.mark.parametrize("kind", [k for k in EntryKind if k is not EntryKind.CREATE])
def test_every_kind_with_and_without_a_cut(team: Team, kind: EntryKind):
    rule = RULES[kind].cut
    fields = _honest(team, kind)
    signer = _signer(team, kind)
    stray = ((team.keys.device(team.alice, "stray").device_id, 3),)
    if rule is CutRule.NONE:
        assert team.refusal(team.log.make(kind, signer, **fields, cut=stray)) is P.MALFORMED
        team.accept(team.log.make(kind, signer, **fields))  # and none is fine
        return
    subject_devices = team.b1 if kind is not EntryKind.REMOVE_DEVICE else team.c1
    right = ((subject_devices.device_id, 9),)
    for wrong in ((), stray, tuple(sorted((*right, *stray)))):
        data = team.log.make(kind, signer, **fields, cut=wrong)
        assert team.refusal(data) is P.NOT_APPLICABLE
        with pytest.raises(MembershipRefused) as info:
            apply_entry(team.state(), len(team.log.entries), data, team.keys.checker)
        assert info.value.reason.param("why") == Inapplicable.CUT_MISMATCH
    slot = len(team.log.entries)
    state = team.accept(team.log.make(kind, signer, **fields, cut=right))
    assert state.cuts[subject_devices.device_id] == (CutMark(slot, 9),)


def test_a_member_without_devices_is_removed_with_an_empty_cut(team: Team):
    dan = team.keys.person("Dan")
    team.log.add_member(team.a1, dan, Role.EDITOR)
    state = team.accept(team.log.make(EntryKind.REMOVE_MEMBER, team.a1, subject=dan))
    assert dan.identity_id not in state.members and state.cuts == {}


def test_a_role_change_cuts_every_device_of_the_member_and_cuts_accumulate(team: Team):
    b2 = team.keys.device(team.bob, "b2")
    team.log.add_device(team.b1, b2)
    team.log.accepted = {team.b1.device_id: 4, b2.device_id: 2}
    first = len(team.log.entries)
    team.log.change_role(team.a1, team.bob, Role.READER)
    team.log.accepted = {team.b1.device_id: 6}
    team.log.change_role(team.a1, team.bob, Role.EDITOR)
    state = team.state()
    assert state.cuts[team.b1.device_id] == (CutMark(first, 4), CutMark(first + 1, 6))
    assert state.cuts[b2.device_id] == (CutMark(first, 2), CutMark(first + 1, 0))


@pytest.mark.parametrize("v1_cut", [(), ((bytes(range(16)), 41), (bytes(range(1, 17)), 7))])
def test_the_creation_may_carry_the_v1_cut(v1_cut: tuple):
    keys = SealedKeys()
    owner = keys.device(keys.person("Alice"), "a1")
    log = LogWriter(keys)
    data = log.make(
        EntryKind.CREATE,
        owner,
        subject=owner.owner,
        device=owner,
        role=Role.OWNER,
        with_identity=True,
        with_certificate=True,
        cut=v1_cut,
    )
    state = apply_entry(Membership(VAULT), 0, data, keys.checker)
    assert {d: marks for d, marks in state.cuts.items()} == {
        d: (CutMark(0, seq),) for d, seq in v1_cut
    }
    assert decode_entry(data).entry.cut == v1_cut


def test_cut_bytes_have_one_encoding():
    base = MemberEntry(
        EntryKind.ROTATE_KEY, VAULT, 1, bytes(32), 2, 0, bytes(16), cut=((b"a" * 16, 1),)
    )
    signed = encode_signed(base)
    assert signed[-4 - 24 : -24] == (1).to_bytes(4, "little")
    assert decode_entry(join_entry(signed, b"sig")).entry.cut == ((b"a" * 16, 1),)
    for bad in (((b"b" * 16, 1), (b"a" * 16, 2)), ((b"a" * 16, 1), (b"a" * 16, 2))):
        with pytest.raises(ValueError, match="increasing"):
            encode_signed(replace(base, cut=bad))
        # bytes written by another encoder: refused when read
        unsorted = signed[:-28] + (2).to_bytes(4, "little")
        unsorted += b"".join(d + s.to_bytes(8, "little") for d, s in bad)
        with pytest.raises(MalformedEntry, match="increasing"):
            decode_entry(join_entry(unsorted, b"sig"))
    with pytest.raises(MalformedEntry, match="cut"):
        decode_entry(join_entry(signed[:-10], b""))  # ends inside the cut
    huge = signed[:-28] + (1 << 30).to_bytes(4, "little")
    with pytest.raises(MalformedEntry, match="cut"):
        decode_entry(join_entry(huge, b"sig"))


def test_cut_for_names_the_devices_an_entry_is_about(team: Team):
    state = team.state()
    accepted = {team.b1.device_id: 5, team.c1.device_id: 8}
    bob, carol = team.bob.identity_id, team.carol.identity_id
    assert cut_for(state, EntryKind.REMOVE_MEMBER, accepted, subject=bob) == (
        (team.b1.device_id, 5),
    )
    assert cut_for(state, EntryKind.CHANGE_ROLE, {}, subject=carol) == ((team.c1.device_id, 0),)
    assert cut_for(
        state, EntryKind.REMOVE_DEVICE, accepted, subject=carol, device=team.c1.device_id
    ) == ((team.c1.device_id, 8),)
    assert cut_for(state, EntryKind.ROTATE_KEY, accepted) == ()
    assert cut_for(state, EntryKind.CREATE, {b"z" * 16: 3, b"a" * 16: 1}) == (
        (b"a" * 16, 1),
        (b"z" * 16, 3),
    )


# ---------------------------------------------------------------------------
# MembershipHistory
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_logs(), st.data())
def test_the_history_gives_the_state_at_every_position(world: RandomLog, data):
    served, checker = world.log.served(), world.keys.checker
    whole = extend(Membership(VAULT), 0, served, checker)
    history = MembershipHistory(VAULT).extended(whole)
    assert history.latest == whole.state and history.read_through == len(served) - 1
    replayed = replay_history(VAULT, list(whole.accepted), checker)  # what a restart rebuilds
    assert replayed.states == history.states and replayed.latest == whole.state
    for position in range(-1, len(served) + 1):
        upto = extend(Membership(VAULT), 0, {s: d for s, d in served.items() if s <= position},
                      checker)  # fmt: skip
        assert history.at(position) == upto.state
        assert history.knows(position) == (0 <= position < len(served))
    starts = history.epoch_starts
    assert starts[1] == 0 and sorted(starts) == list(range(1, whole.state.epoch + 1))
    for epoch, position in starts.items():
        assert history.at(position).epoch == epoch and history.at(position - 1).epoch < epoch
    # read in pieces, the history is the same
    pieces, start = MembershipHistory(VAULT), 0
    while start < len(served):
        end = data.draw(st.integers(start, len(served) - 1))
        part = extend(pieces.latest, start, {s: d for s, d in served.items() if s <= end}, checker)
        pieces, start = pieces.extended(part), part.read_through + 1
    assert pieces == history
