"""Write authority: sync_engine.core.authority, the "Write authority" table of docs/SYNC.md 8.

One test per row of CHECKS (and of CONTENT_OF_FIELD and MAY_PUBLISH), then
properties over random membership logs (members added, removed, demoted and
promoted, devices added and removed, cuts of random seqs): `may_apply` agrees
with the rules stated again from the entries themselves (each state by a replay
of the log's prefix, each cut from the entry's bytes), a removed device gets
nothing past its cut applied, a current device naming the newest position
always gets its allowed content applied, and a longer log never turns a
refusal into an acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto.reason import Reason
from sync_engine.core.authority import (
    CHECKS,
    CONTENT_OF_FIELD,
    MAY_PUBLISH,
    PENDING,
    AuthorityProblem,
    Content,
    checks_table,
    content_of,
    may_apply,
    may_publish,
    past_cut,
)
from sync_engine.core.gc_rules import Mark
from sync_engine.core.membership import (
    Membership,
    MembershipHistory,
    replay,
    replay_history,
)
from sync_engine.core.membership_entry import EntryKind, Role, decode_entry
from sync_engine.core.model import VersionId
from sync_engine.core.vault_settings import SettingsUpdate
from sync_engine.vault.journal_codec import SegmentMeta
from tests.membership_world import VAULT, DeviceKeys, LogWriter, PersonKeys, SealedKeys

ROOT = Path(__file__).resolve().parents[1]
A = AuthorityProblem
S, C = Content.STATUS, Content.CHANGES


def history_of(log: LogWriter, keys: SealedKeys, upto: int | None = None) -> MembershipHistory:
    """The history of the first `upto` entries (all of them by default), every slot read."""
    entries = log.entries if upto is None else log.entries[:upto]
    replayed = replay_history(VAULT, list(enumerate(entries)), keys.checker)
    return MembershipHistory(VAULT, replayed.states, len(entries) - 1)


def kind(reason: Reason | None) -> str | None:
    return None if reason is None else reason.kind


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------


def test_the_table_in_the_header_and_in_sync_md_is_checks():
    header = (ROOT / "sync_engine/core/authority.py").read_text(encoding="utf-8").splitlines()
    sync_md = (ROOT / "docs/SYNC.md").read_text(encoding="utf-8").splitlines()
    for line in checks_table():
        assert "#  " + line in header
        assert "    " + line in sync_md


def test_every_reason_is_one_check_and_pending_ones_are_marked():
    assert sorted(c.otherwise for c in CHECKS) == sorted(AuthorityProblem)
    assert {A.POSITION_AHEAD, A.EPOCH_AHEAD} == PENDING
    for line in checks_table()[1:]:
        assert line.endswith(" *") == any(line.endswith(k.removeprefix("authority.") + " *")
                                          for k in PENDING)  # fmt: skip
    assert all(k.value.startswith("authority.") for k in AuthorityProblem)


def _meta_with(field: str) -> tuple[tuple[object, ...], SegmentMeta]:
    """A segment payload carrying only `field` (a real journal_codec.SegmentMeta)."""
    vid = VersionId("a" * 32, 1)
    values: dict[str, object] = {
        "at_ms": 1_767_225_600_000,
        "read": {"b" * 32: 4},
        "acks": (("c" * 32, 2),),
        "mark": Mark("a" * 32, 0, frozenset({"p" * 64}), {"a" * 32: 3}),
        "swept": (("c" * 32, 2),),
        "settings": (SettingsUpdate.of(5, "a" * 32, {"keep_all_ms": 30}),),
        "purge": (vid,),
    }
    if field == "versions":
        return (object(),), SegmentMeta()
    return (), SegmentMeta(**{field: values[field]})  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "content"), list(CONTENT_OF_FIELD.items()))
def test_each_payload_field_makes_its_content(field: str, content: Content):
    versions, meta = _meta_with(field)
    assert content_of(versions, meta) is content
    assert hasattr(SegmentMeta(), field) or field == "versions"


def test_an_empty_segment_is_status_and_every_field_of_the_codec_is_in_the_table():
    assert content_of((), SegmentMeta()) is S
    assert set(CONTENT_OF_FIELD) == {*SegmentMeta.__dataclass_fields__, "versions"}


@pytest.mark.parametrize("role", [*Role, None])
@pytest.mark.parametrize("content", list(Content))
def test_may_publish(role: Role | None, content: Content):
    expected = role is not None and (content is S or role is not Role.READER)
    assert may_publish(role, content) is expected
    if role is not None:
        assert (content in MAY_PUBLISH[role]) is expected


# ---------------------------------------------------------------------------
# Each check, on a small team
# ---------------------------------------------------------------------------


@dataclass
class Team:
    keys: SealedKeys
    log: LogWriter
    alice: PersonKeys
    bob: PersonKeys
    carol: PersonKeys
    a1: DeviceKeys
    b1: DeviceKeys
    c1: DeviceKeys

    def history(self, upto: int | None = None) -> MembershipHistory:
        return history_of(self.log, self.keys, upto)


@pytest.fixture
def team() -> Team:
    """Slots: 0 Alice creates (a1), 1 Bob added as editor, 2 b1, 3 Carol as reader, 4 c1."""
    keys = SealedKeys()
    alice, bob, carol = keys.person("Alice"), keys.person("Bob"), keys.person("Carol")
    a1, b1, c1 = keys.device(alice, "a1"), keys.device(bob, "b1"), keys.device(carol, "c1")
    log = LogWriter(keys)
    log.create(a1)
    log.add_member(a1, bob, Role.EDITOR)
    log.add_device(b1, b1)
    log.add_member(a1, carol, Role.READER)
    log.add_device(c1, c1)
    return Team(keys, log, alice, bob, carol, a1, b1, c1)


def test_an_editor_and_an_owner_may_publish_changes_a_reader_status(team: Team):
    h = team.history()
    assert may_apply(h, team.a1.device_id, 1, 4, 1, C, signed=True) is None
    assert may_apply(h, team.b1.device_id, 9, 2, 1, C, signed=True) is None
    assert may_apply(h, team.c1.device_id, 3, 4, 1, S, signed=True) is None
    refused = may_apply(h, team.c1.device_id, 3, 4, 1, C, signed=True)
    assert refused == Reason.of(
        A.NOT_ALLOWED, device=team.c1.device_id.hex(), seq=3, role="reader", position=4, name="c1"
    )


def test_position_known(team: Team):
    h = team.history()
    refused = may_apply(h, team.b1.device_id, 1, 5, 1, C, signed=True)
    assert kind(refused) == A.POSITION_AHEAD and refused.param("read") == "4"  # type: ignore[union-attr]
    assert kind(refused) in PENDING


def test_epoch_known(team: Team):
    assert kind(may_apply(team.history(), team.b1.device_id, 1, 4, 2, C, signed=True)) == (
        A.EPOCH_AHEAD
    )
    team.log.rotate_key(team.a1)  # slot 5 starts epoch 2
    assert may_apply(team.history(), team.b1.device_id, 1, 5, 2, C, signed=True) is None


def test_device_known_at_the_position(team: Team):
    h = team.history()
    stranger = team.keys.device(team.keys.person("Mallory"), "m1")
    assert kind(may_apply(h, stranger.device_id, 1, 4, 1, S, signed=True)) == A.UNKNOWN_DEVICE
    # b1 joined in slot 2: a segment naming slot 1 claims a log without it
    assert kind(may_apply(h, team.b1.device_id, 1, 1, 1, S, signed=True)) == A.UNKNOWN_DEVICE


def test_not_removed_at_the_position(team: Team):
    team.log.accepted = {team.b1.device_id: 7}
    team.log.remove_device(team.a1, team.b1)  # slot 5, epoch 2
    h = team.history()
    refused = may_apply(h, team.b1.device_id, 8, 5, 2, S, signed=True)
    assert kind(refused) == A.REMOVED_DEVICE and refused.param("name") == "b1"  # type: ignore[union-attr]


def test_epoch_no_older_than_the_one_in_force(team: Team):
    team.log.rotate_key(team.a1)  # slot 5: epoch 2
    team.log.rotate_key(team.a1)  # slot 6: epoch 3
    h = team.history()
    refused = may_apply(h, team.b1.device_id, 1, 5, 1, C, signed=True)
    assert refused is not None and (refused.kind, refused.param("expected")) == (A.STALE_EPOCH, "2")
    assert may_apply(h, team.b1.device_id, 1, 5, 2, C, signed=True) is None
    assert may_apply(h, team.b1.device_id, 1, 5, 3, C, signed=True) is None  # later: fine


@pytest.mark.parametrize("content", list(Content))
def test_a_removed_device_gets_nothing_past_its_cut(team: Team, content: Content):
    team.log.accepted = {team.b1.device_id: 7}
    team.log.remove_member(team.a1, team.bob)  # slot 5
    h = team.history()
    b1 = team.b1.device_id
    for position in range(2, 5):  # what the owner had accepted stays applied
        assert may_apply(h, b1, 7, position, 1, content, signed=True) is None
    for seq in (8, 9, 100):  # anything after it, whatever position it names
        refused = may_apply(h, b1, seq, 2, 1, content, signed=True)
        assert refused == Reason.of(
            A.PAST_CUT, device=b1.hex(), seq=seq, cut=7, position=5, name="b1"
        )
    assert (
        past_cut(h, b1, 8, 4) == [5] and past_cut(h, b1, 7, 4) == [] and not past_cut(h, b1, 8, 5)
    )


def test_a_demoted_editor_keeps_status_past_the_cut_not_changes(team: Team):
    team.log.accepted = {team.b1.device_id: 7}
    team.log.change_role(team.a1, team.bob, Role.READER)  # slot 5
    h = team.history()
    b1 = team.b1.device_id
    assert may_apply(h, b1, 7, 4, 1, C, signed=True) is None  # within the cut
    assert kind(may_apply(h, b1, 8, 4, 1, C, signed=True)) == A.PAST_CUT
    assert may_apply(h, b1, 8, 4, 1, S, signed=True) is None  # its read positions still count
    assert kind(may_apply(h, b1, 8, 5, 1, C, signed=True)) == A.NOT_ALLOWED


def test_a_promoted_reader_writes_from_the_promotion_on(team: Team):
    team.log.accepted = {team.c1.device_id: 3}
    team.log.change_role(team.a1, team.carol, Role.EDITOR)  # slot 5
    h = team.history()
    c1 = team.c1.device_id
    assert may_apply(h, c1, 4, 5, 1, C, signed=True) is None
    assert kind(may_apply(h, c1, 4, 4, 1, C, signed=True)) == A.NOT_ALLOWED  # read-only then
    assert may_apply(h, c1, 4, 4, 1, S, signed=True) is None


def test_cuts_at_every_change_of_role(team: Team):
    """Demoted (cut 5), promoted (cut 9), demoted again (cut 12): a change between 5 and 9
    naming a position before the first cut is judged as a reader's."""
    b1 = team.b1.device_id
    for seq, role in ((5, Role.READER), (9, Role.EDITOR), (12, Role.READER)):
        team.log.accepted = {b1: seq}
        team.log.change_role(team.a1, team.bob, role)  # slots 5, 6, 7
    h = team.history()
    assert may_apply(h, b1, 5, 4, 1, C, signed=True) is None
    assert kind(may_apply(h, b1, 7, 4, 1, C, signed=True)) == A.PAST_CUT
    assert may_apply(h, b1, 7, 6, 1, C, signed=True) is None  # after the promotion
    assert kind(may_apply(h, b1, 13, 6, 1, C, signed=True)) == A.PAST_CUT
    assert may_apply(h, b1, 13, 6, 1, S, signed=True) is None


def _upgraded(v1_cut: tuple[tuple[bytes, int], ...]) -> tuple[MembershipHistory, DeviceKeys]:
    keys = SealedKeys()
    owner = keys.device(keys.person("Alice"), "a1")
    log = LogWriter(keys)
    log.append(
        log.make(
            EntryKind.CREATE,
            owner,
            subject=owner.owner,
            device=owner,
            role=Role.OWNER,
            with_identity=True,
            with_certificate=True,
            cut=v1_cut,
        )
    )
    return history_of(log, keys), owner


def test_unsigned_v1_segments_only_within_the_upgrades_cut():
    old_laptop, old_desktop = bytes.fromhex("11" * 16), bytes.fromhex("22" * 16)
    h, owner = _upgraded(((old_laptop, 40), (old_desktop, 3)))
    for seq in (1, 40):
        assert may_apply(h, old_laptop, seq, 0, 1, C, signed=False) is None
    assert may_apply(h, old_desktop, 3, 0, 1, S, signed=False) is None
    for device, seq, epoch in ((old_laptop, 41, 1), (old_desktop, 4, 1), (old_laptop, 2, 2)):
        assert kind(may_apply(h, device, seq, 0, epoch, C, signed=False)) == A.UNSIGNED
    # a device of the log, unsigned: refused; a vault made in format 2: every unsigned one
    assert kind(may_apply(h, owner.device_id, 1, 0, 1, S, signed=False)) == A.UNSIGNED
    fresh, owner = _upgraded(())
    assert kind(may_apply(fresh, old_laptop, 1, 0, 1, S, signed=False)) == A.UNSIGNED
    assert may_apply(fresh, owner.device_id, 1, 0, 1, C, signed=True) is None


def test_a_v1_cut_does_not_bound_signed_segments():
    h, owner = _upgraded(((bytes(16), 2),))
    assert may_apply(h, owner.device_id, 50, 0, 1, C, signed=True) is None


# ---------------------------------------------------------------------------
# Properties over random logs
# ---------------------------------------------------------------------------


@dataclass
class World:
    keys: SealedKeys
    log: LogWriter
    devices: list[DeviceKeys]  # every device ever in the log, and one never in it


@st.composite
def worlds(draw: st.DrawFn) -> World:
    keys = SealedKeys()
    founder = keys.person("p0")
    d0 = keys.device(founder, "d0")
    log = LogWriter(keys)
    log.create(d0)
    roles: dict[bytes, Role] = {founder.identity_id: Role.OWNER}
    people = {founder.identity_id: founder}
    devices: dict[bytes, list[DeviceKeys]] = {founder.identity_id: [d0]}
    every = [d0]
    for _ in range(draw(st.integers(0, 12))):
        owners = [p for p, r in roles.items() if r is Role.OWNER and devices[p]]
        signer = devices[draw(st.sampled_from(owners))][0]
        others = [p for p in roles if p != signer.owner.identity_id]
        log.accepted = {d.device_id: draw(st.integers(0, 6)) for d in every}
        op = draw(
            st.sampled_from(["add", "remove", "role", "role", "device", "undevice", "rotate"])
        )
        if op == "add":
            person = keys.person(f"p{len(people)}")
            role = draw(st.sampled_from(list(Role)))
            log.add_member(signer, person, role)
            people[person.identity_id], roles[person.identity_id] = person, role
            devices[person.identity_id] = []
            if draw(st.booleans()):  # most people join with a device at once
                new = keys.device(person, f"d{len(log.entries)}")
                log.add_device(new, new)
                devices[person.identity_id].append(new)
                every.append(new)
        elif op == "remove" and others:
            gone = draw(st.sampled_from(others))
            log.remove_member(signer, people[gone])
            del roles[gone]
            devices.pop(gone)
        elif op == "role" and others:
            who = draw(st.sampled_from(others))
            role = draw(st.sampled_from([r for r in Role if r is not roles[who]]))
            log.change_role(signer, people[who], role)
            roles[who] = role
        elif op == "device" and others:
            who = draw(st.sampled_from(others))
            new = keys.device(people[who], f"d{len(log.entries)}")
            log.add_device(new, new)
            devices[who].append(new)
            every.append(new)
        elif op == "undevice":
            holders = [p for p in others if devices[p]]
            if holders:
                who = draw(st.sampled_from(holders))
                log.remove_device(signer, devices[who].pop())
        else:
            log.rotate_key(signer)
    stranger = keys.device(keys.person("stranger"), "x")
    return World(keys, log, [*every, stranger])


@dataclass(frozen=True)
class Segment:
    device: int  # index in World.devices
    seq: int
    position: int
    epoch: int
    content: Content
    signed: bool


CONTENTS = st.sampled_from(list(Content))


@st.composite
def segments(draw: st.DrawFn, w: World) -> list[Segment]:
    """Segments near what the log allows: positions in (or just past) the log, epochs
    around the one in force there, mostly signed, mostly by a device current there."""
    history = history_of(w.log, w.keys)
    out = []
    index = {d.device_id: i for i, d in enumerate(w.devices)}
    marks = [(d, m) for d, ms in history.latest.cuts.items() for m in ms if m.position > 0]
    for _ in range(draw(st.integers(1, 12))):
        if marks and draw(st.booleans()):  # around a cut: its seq, its position
            d, m = draw(st.sampled_from(marks))
            position = draw(st.integers(0, m.position))
            there = history.at(position)
            seq = m.seq + draw(st.integers(0, 2))
            out.append(Segment(index[d], seq, position, there.epoch, draw(CONTENTS), True))
            continue
        position = draw(st.integers(0, len(w.log.entries)))
        there = history.at(position)
        current = sorted(index[d] for d in there.devices)
        pick = st.sampled_from(current) if current else st.nothing()
        device = draw(pick | pick | pick | st.integers(0, len(w.devices) - 1))
        in_force = there.epoch
        out.append(
            Segment(
                device,
                draw(st.integers(0, 8)),
                position,
                max(0, in_force + draw(st.sampled_from([-1, 0, 0, 0, 1]))),
                draw(CONTENTS),
                draw(st.sampled_from([True, True, True, True, False])),
            )
        )
    return out


def worlds_and_segments() -> st.SearchStrategy[tuple[World, list[Segment]]]:
    return worlds().flatmap(lambda w: st.tuples(st.just(w), segments(w)))


def rules_restated(w: World, s: Segment, upto: int | None = None) -> str | None:
    """The checks of docs/SYNC.md, from the entries: each state replayed from slot 0."""
    entries = w.log.entries if upto is None else w.log.entries[:upto]
    device = w.devices[s.device % len(w.devices)].device_id

    def state(position: int) -> Membership:
        return replay(VAULT, list(enumerate(entries[: position + 1])), w.keys.checker)

    decoded = [decode_entry(e).entry for e in entries]
    if not s.signed:
        v1 = dict(decoded[0].cut)
        ok = s.epoch == 1 and device in v1 and s.seq <= v1[device]
        return None if ok else A.UNSIGNED
    if s.position >= len(entries):
        return A.POSITION_AHEAD
    if s.epoch > state(len(entries) - 1).epoch:
        return A.EPOCH_AHEAD

    def judge(at: Membership) -> str | None:
        if device not in at.devices:
            return A.REMOVED_DEVICE if device in at.seen_devices else A.UNKNOWN_DEVICE
        role = at.members[at.devices[device].identity_id].role
        if s.content is C and role is Role.READER:
            return A.NOT_ALLOWED
        return None

    there = state(s.position)
    found = judge(there) or (A.STALE_EPOCH if s.epoch < there.epoch else None)
    if found:
        return found
    for q, e in enumerate(decoded):
        for cut_device, c in e.cut:
            if cut_device == device and s.seq > c and s.position < q and judge(state(q)):
                return A.PAST_CUT
    return None


def _apply(w: World, s: Segment, history: MembershipHistory) -> Reason | None:
    device = w.devices[s.device % len(w.devices)].device_id
    return may_apply(history, device, s.seq, s.position, s.epoch, s.content, signed=s.signed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds_and_segments())
def test_may_apply_is_the_rules_stated_from_the_entries(ws: tuple[World, list[Segment]]):
    w, drawn = ws
    history = history_of(w.log, w.keys)
    for s in drawn:
        assert kind(_apply(w, s, history)) == rules_restated(w, s), s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds_and_segments())
def test_a_removed_device_gets_nothing_past_its_cut_applied(ws: tuple[World, list[Segment]]):
    w, drawn = ws
    history = history_of(w.log, w.keys)
    cuts = {}  # device -> the seq of the cut of the entry that removed it
    for q, data in enumerate(w.log.entries):
        e = decode_entry(data).entry
        if e.kind in (EntryKind.REMOVE_DEVICE, EntryKind.REMOVE_MEMBER):
            cuts.update({d: (q, c) for d, c in e.cut})
    for s in drawn:
        device = w.devices[s.device % len(w.devices)].device_id
        if device in cuts and s.seq > cuts[device][1]:
            assert _apply(w, s, history) is not None, s


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.integers(0, 50), st.sampled_from(list(Content)))
def test_a_current_device_naming_the_newest_position_is_applied(w: World, seq, content):
    history = history_of(w.log, w.keys)
    latest = history.latest
    for device in latest.devices:
        role = latest.role_of_device(device)
        got = may_apply(history, device, seq, latest.position, latest.epoch, content, signed=True)
        assert (got is None) == may_publish(role, content), (device, got)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds_and_segments(), st.data())
def test_a_longer_log_never_turns_a_refusal_into_an_acceptance(
    ws: tuple[World, list[Segment]], data: st.DataObject
):
    """Only a cut written later turns an acceptance into a refusal."""
    w, drawn = ws
    upto = data.draw(st.integers(1, len(w.log.entries)))
    shorter, longer = history_of(w.log, w.keys, upto), history_of(w.log, w.keys)
    for s in drawn:
        before, after = _apply(w, s, shorter), _apply(w, s, longer)
        if before is not None and before.kind not in PENDING:
            assert after is not None, s
        if before is None and after is not None:
            device = w.devices[s.device % len(w.devices)].device_id
            assert after.kind == A.PAST_CUT and int(after.param("position")) >= upto, s
            assert [q for q in past_cut(longer, device, s.seq, s.position) if q >= upto]
