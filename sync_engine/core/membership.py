################################################################
# The membership log: signed entries -> who may do what
################################################################
#
# Rule 1: every rule that decides whether an entry of a shared vault's
# membership log is accepted lives in this file: the acceptance table
# (RULES), the checks every entry passes before it (the order below), what
# an accepted entry changes (members, roles, devices, the key epoch), and
# what counts as a rollback or a fork of the log. The entry's bytes are in
# membership_entry.py; nothing else decides.
#
# Rule 2: this module never looks at the store, the disk or the clock, and
# never does cryptography itself. Hashing an entry, reading a public
# identity, checking a device certificate and checking a signature are asked
# of an injected `EntryChecker` (sync_engine/vault/membership_log.py gives the
# real one: SHA-256 and crypto/'s hybrid Ed25519 + ML-DSA-65 signatures).
#
# Theory of operation
# ===================
#
# A vault shared by several people keeps, in the store, an append-only log of
# entries in numbered slots `members/<position>`. Slot 0 holds the creation;
# each later entry names its own slot and holds the hash of the newest entry
# accepted before it, so the accepted entries form one chain. Each entry is
# signed by one device (its `signer`), and a device is known only through a
# certificate its person signed with their identity key. Replaying the chain
# from slot 0 gives the state after every entry: the members (identity, name,
# role), their current devices, the devices ever seen (a removed device never
# comes back under the same id) and the key epoch. Whether an entry is
# accepted depends only on the state before it and its own bytes, so every
# device that reads the same slots reaches the same state.
#
# A refused entry is reported and skipped: the next entry must chain to the
# last accepted one. Slots are create-only and anyone holding the store's
# credentials can write one, so a refused entry that blocked the log would let
# any member (or a removed one) stop everybody's changes; skipping it costs
# nothing, because a skipped entry changes no state. An entry written after a
# refused one by a device that accepted it would chain to it and be refused
# too: that is why every device must apply the same rules.
#
# Every entry passes these checks, in this order; the first that fails
# refuses it:
#   1. it decodes as one canonical entry                   MALFORMED
#   2. it names this vault                                 WRONG_VAULT
#   3. it names the slot it is stored in                   OUT_OF_ORDER
#   4. it holds the hash of the newest accepted entry      BROKEN_CHAIN
#   5. a creation exactly in slot 0, and nothing before it NO_CREATION
#   6. its kind's fields are present, the others empty,    MALFORMED
#      and no cut where RULES' "cut" says "-"
#   7. its signer may sign it (RULES' "signed by")         UNKNOWN_SIGNER / NOT_ALLOWED
#   8. the signature verifies with the signer's keys       BAD_SIGNATURE
#   9. its kind's conditions hold (RULES' "needs"),        NOT_APPLICABLE / BAD_CERTIFICATE /
#      then its cut (RULES' "cut")                         LAST_OWNER
#  10. its epoch is the one RULES says                     WRONG_EPOCH
# The signature is checked before the conditions so that an entry nobody
# authorised is reported as such, not by what it claims.
#
# The acceptance table, as RULES below holds it (rules_table() prints it;
# docs/SYNC.md shows it too and tests/test_membership.py checks both copies).
# Fields: S subject, I identity, D device, C certificate, R role. "owner",
# "subject": a current device of an owner, of the person the entry is about.
#
#  kind          | fields    | signed by          | needs                                    | epoch
#  create        | S I D C R | new device         | first, owner role, id=subject, certified | 1
#  add member    | S I R     | owner              | not member, id=subject                   | same
#  remove member | S         | owner              | member, owner remains                    | next
#  change role   | S R       | owner              | member, new role, owner remains          | same
#  add device    | S D C     | subject|new device | member, certified                        | same
#  remove device | S D       | owner|subject      | member, own device                       | next
#  rotate key    | -         | owner              | -                                        | next
#
# and its "cut" column (RULES[kind].cut; cuts_table() prints it):
#
#  kind          | cut
#  create        | v1 devices (may)
#  add member    | -
#  remove member | their devices
#  change role   | their devices
#  add device    | -
#  remove device | the device
#  rotate key    | -
#
# "certified": the certificate verifies under the subject's public identity,
# names the entry's device, and that device id was never in this log.
# "new device": the device the entry introduces signs it itself, proven by the
# certificate (so a person adds their own computer with their identity key,
# without asking an owner). Removing a member removes their devices. Removing
# a member or a device starts a new epoch: the keys of the next epoch are
# wrapped to the remaining devices only (the envelopes are written next to
# the log; the log fixes the epoch number).
#
# The cut. Removing a member or a device, or changing a member's role,
# carries, for each device it is about ("their devices": every current device
# of the subject; "the device": the one removed), the newest journal segment
# seq the signing owner had accepted from it; the entry is refused
# (NOT_APPLICABLE, cut_mismatch) unless it names exactly those devices. A
# segment names the log position its author had read; the cut is what keeps
# that claim from being a way around the entry: a segment past the cut is
# judged at the entry's position too (sync_engine/core/authority.py). The
# creation of a vault upgraded from format 1 may carry the v1 cut: each v1
# device's last unsigned segment (any ids: v1 devices are not in the log);
# a new vault's creation carries none. The other kinds carry none, and an
# entry of theirs that does is MALFORMED. The state keeps every cut, by
# device, with its position (`Membership.cuts`), and `MembershipHistory`
# keeps the state after every accepted entry, for the authority rules.
#
# Rollback and fork. A device pins the newest entry it accepted (position,
# hash) durably. Reading the log again, it refuses the whole read, applying
# nothing, when the store's log ends before the pinned position (ROLLBACK),
# holds another entry there (FORK) or lacks just that one (MISSING). Any other
# slot missing below the newest one the store lists is reported (MISSING) and
# skipped like a refused entry; the entries chained to what it held are then
# refused as BROKEN_CHAIN.

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from crypto.reason import Reason

from .membership_entry import (
    HASH_LEN,
    NO_ID,
    Cut,
    EntryKind,
    MalformedEntry,
    MemberEntry,
    Role,
    SignedEntry,
    decode_entry,
)

__all__ = [
    "FIRST_EPOCH",
    "RULES",
    "ZERO_HASH",
    "CertifiedDevice",
    "CutMark",
    "CutRule",
    "Device",
    "EntryChecker",
    "Epoch",
    "Field",
    "Inapplicable",
    "LogCheck",
    "Member",
    "Membership",
    "MembershipHistory",
    "MembershipProblem",
    "MembershipRefused",
    "Need",
    "Person",
    "Pin",
    "Rule",
    "Signer",
    "apply_entry",
    "check_pin",
    "cut_for",
    "cuts_table",
    "draft",
    "expected_epoch",
    "extend",
    "replay",
    "replay_history",
    "rules_table",
]

ZERO_HASH = bytes(HASH_LEN)  # the "previous hash" of position 0
FIRST_EPOCH = 1


class MembershipProblem(StrEnum):
    """Why an entry or a read of the log is refused (worded in app/messages.py)."""

    MALFORMED = "members.malformed"  # position, detail
    WRONG_VAULT = "members.wrong_vault"  # position
    OUT_OF_ORDER = "members.out_of_order"  # position, found
    BROKEN_CHAIN = "members.broken_chain"  # position
    FORK = "members.fork"  # position
    ROLLBACK = "members.rollback"  # pinned, served
    MISSING = "members.missing"  # position
    NO_CREATION = "members.no_creation"  # position
    UNKNOWN_SIGNER = "members.unknown_signer"  # position, signer
    NOT_ALLOWED = "members.not_allowed"  # position, entry (its kind), role
    BAD_SIGNATURE = "members.bad_signature"  # position
    BAD_CERTIFICATE = "members.bad_certificate"  # position
    NOT_APPLICABLE = "members.not_applicable"  # position, entry (its kind), why (Inapplicable)
    LAST_OWNER = "members.last_owner"  # position
    WRONG_EPOCH = "members.wrong_epoch"  # position, expected, found
    CONTENDED = "members.contended"  # attempts: other writers kept taking the next slot


class Inapplicable(StrEnum):
    """Which condition of RULES' "needs" a NOT_APPLICABLE entry fails (its `why`)."""

    CREATOR_NOT_OWNER = "creator_not_owner"
    IDENTITY_MISMATCH = "identity_mismatch"
    ALREADY_MEMBER = "already_member"
    NOT_MEMBER = "not_member"
    SAME_ROLE = "same_role"
    DEVICE_REUSED = "device_reused"
    NOT_THEIR_DEVICE = "not_their_device"
    CUT_MISMATCH = "cut_mismatch"


class MembershipRefused(Exception):
    """An entry or a read of the log refused by a rule; `reason` says which."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.kind} {reason.as_dict()}")
        self.reason = reason


def _refuse(problem: MembershipProblem, position: int, **params: object) -> MembershipRefused:
    return MembershipRefused(Reason.of(problem, position=position, **params))


# ---------------------------------------------------------------------------
# What the core asks of cryptography (injected)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """What a public identity says: its id and the name it carries."""

    identity_id: bytes
    name: str


@dataclass(frozen=True, slots=True)
class CertifiedDevice:
    """What a device certificate says, once its signature has been checked."""

    device_id: bytes
    identity_id: bytes
    name: str


class EntryChecker(Protocol):
    """The cryptography the rules need, on bytes: a hash, identities, certificates, signatures."""

    def digest(self, data: bytes) -> bytes:
        """The 32-byte hash of a stored entry (the chain's link)."""
        ...

    def person(self, identity: bytes) -> Person | None:
        """The person a public identity's bytes describe; None if they are not one."""
        ...

    def certified(self, identity: bytes, certificate: bytes) -> CertifiedDevice | None:
        """The device a certificate describes if `identity` signed it, else None."""
        ...

    def signed_by(self, certificate: bytes, message: bytes, signature: bytes) -> bool:
        """True if `signature` is the certified device's signature of a log entry `message`."""
        ...


# ---------------------------------------------------------------------------
# The state after an entry
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Device:
    device_id: bytes
    identity_id: bytes
    name: str
    certificate: bytes


@dataclass(frozen=True, slots=True)
class Member:
    identity_id: bytes
    name: str
    role: Role
    identity: bytes  # the public identity's bytes, as the add entry carried them
    devices: frozenset[bytes] = frozenset()


@dataclass(frozen=True, slots=True)
class CutMark:
    """One cut of one device: the entry at `position` accepted its segments up to `seq`."""

    position: int
    seq: int


@dataclass(frozen=True, slots=True)
class Membership:
    """Who is in the vault after the entry at `position` (-1: before the creation).

    Treated as immutable: `apply_entry` returns a new one.
    """

    vault_id: bytes
    position: int = -1
    head: bytes = ZERO_HASH  # hash of the entry at `position`
    epoch: int = 0
    members: Mapping[bytes, Member] = field(default_factory=dict)
    devices: Mapping[bytes, Device] = field(default_factory=dict)
    seen_devices: frozenset[bytes] = frozenset()
    cuts: Mapping[bytes, tuple[CutMark, ...]] = field(default_factory=dict)  # oldest first

    def role_of_device(self, device_id: bytes) -> Role | None:
        device = self.devices.get(device_id)
        return None if device is None else self.members[device.identity_id].role

    def owners(self) -> list[Member]:
        return [m for m in self.members.values() if m.role is Role.OWNER]


@dataclass(frozen=True, slots=True)
class Pin:
    """The newest entry a device accepted: a log that does not hold it is refused."""

    position: int
    entry_hash: bytes


# ---------------------------------------------------------------------------
# The acceptance table
# ---------------------------------------------------------------------------


class Field(enum.Enum):
    """An optional field of an entry; the value is its letter in the table."""

    SUBJECT = "S"
    IDENTITY = "I"
    DEVICE = "D"
    CERTIFICATE = "C"
    ROLE = "R"


class Signer(enum.Enum):
    NEW_DEVICE = "new device"
    OWNER = "owner"
    SUBJECT_OR_NEW = "subject|new device"
    OWNER_OR_SUBJECT = "owner|subject"


class Need(enum.Enum):
    FIRST = "first"
    OWNER_ROLE = "owner role"
    IDENTITY_IS_SUBJECT = "id=subject"
    CERTIFIED = "certified"
    NOT_MEMBER = "not member"
    MEMBER = "member"
    NEW_ROLE = "new role"
    OWNER_REMAINS = "owner remains"
    SUBJECTS_DEVICE = "own device"


class CutRule(enum.Enum):
    """Which devices an entry's cut must name (the table's "cut" column)."""

    NONE = "-"
    V1 = "v1 devices (may)"  # any ids, or none: the last v1 segments of an upgraded vault
    SUBJECTS = "their devices"  # every current device of the subject
    DEVICE = "the device"  # the entry's device


class Epoch(enum.Enum):
    """The epoch an entry must carry: the first, the current one, or the next."""

    START = "1"
    SAME = "same"
    NEXT = "next"


@dataclass(frozen=True, slots=True)
class Rule:
    fields: frozenset[Field]
    signer: Signer
    needs: tuple[Need, ...]
    cut: CutRule
    epoch: Epoch


_S, _I, _D, _C, _R = Field.SUBJECT, Field.IDENTITY, Field.DEVICE, Field.CERTIFICATE, Field.ROLE

RULES: dict[EntryKind, Rule] = {
    EntryKind.CREATE: Rule(
        frozenset({_S, _I, _D, _C, _R}),
        Signer.NEW_DEVICE,
        (Need.FIRST, Need.OWNER_ROLE, Need.IDENTITY_IS_SUBJECT, Need.CERTIFIED),
        CutRule.V1,
        Epoch.START,
    ),
    EntryKind.ADD_MEMBER: Rule(
        frozenset({_S, _I, _R}),
        Signer.OWNER,
        (Need.NOT_MEMBER, Need.IDENTITY_IS_SUBJECT),
        CutRule.NONE,
        Epoch.SAME,
    ),
    EntryKind.REMOVE_MEMBER: Rule(
        frozenset({_S}),
        Signer.OWNER,
        (Need.MEMBER, Need.OWNER_REMAINS),
        CutRule.SUBJECTS,
        Epoch.NEXT,
    ),
    EntryKind.CHANGE_ROLE: Rule(
        frozenset({_S, _R}),
        Signer.OWNER,
        (Need.MEMBER, Need.NEW_ROLE, Need.OWNER_REMAINS),
        CutRule.SUBJECTS,
        Epoch.SAME,
    ),
    EntryKind.ADD_DEVICE: Rule(
        frozenset({_S, _D, _C}),
        Signer.SUBJECT_OR_NEW,
        (Need.MEMBER, Need.CERTIFIED),
        CutRule.NONE,
        Epoch.SAME,
    ),
    EntryKind.REMOVE_DEVICE: Rule(
        frozenset({_S, _D}),
        Signer.OWNER_OR_SUBJECT,
        (Need.MEMBER, Need.SUBJECTS_DEVICE),
        CutRule.DEVICE,
        Epoch.NEXT,
    ),
    EntryKind.ROTATE_KEY: Rule(frozenset(), Signer.OWNER, (), CutRule.NONE, Epoch.NEXT),
}


_FIELD_ORDER = (_S, _I, _D, _C, _R)


def rules_table() -> list[str]:
    """RULES as the lines of the table in the header above and in docs/SYNC.md."""
    rows = [("kind", "fields", "signed by", "needs", "epoch")]
    for kind, rule in RULES.items():
        fields = " ".join(f.value for f in _FIELD_ORDER if f in rule.fields) or "-"
        needs = ", ".join(n.value for n in rule.needs) or "-"
        rows.append((kind.name.lower().replace("_", " "), fields, rule.signer.value, needs,
                     rule.epoch.value))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + " | " + r[4]
            for r in rows]  # fmt: skip


def cuts_table() -> list[str]:
    """RULES' cut column as the lines of the second table in the header and docs/SYNC.md."""
    rows = [("kind", "cut")] + [
        (kind.name.lower().replace("_", " "), rule.cut.value) for kind, rule in RULES.items()
    ]
    width = max(len(k) for k, _ in rows)
    return [f"{k.ljust(width)} | {c}" for k, c in rows]


def _present(e: MemberEntry) -> frozenset[Field]:
    found = {
        _S: e.subject != NO_ID,
        _I: bool(e.identity),
        _D: e.device != NO_ID,
        _C: bool(e.certificate),
        _R: e.role is not None,
    }
    return frozenset(f for f, here in found.items() if here)


def _kind(e: MemberEntry) -> str:
    return e.kind.name.lower()


# ---------------------------------------------------------------------------
# Checks 7-10: signer, signature, needs, epoch
# ---------------------------------------------------------------------------


def _signing_certificate(state: Membership, e: MemberEntry, rule: Rule) -> bytes:
    """The certificate whose keys must verify the signature (check 7)."""
    p = e.position
    known = state.devices.get(e.signer)
    may_be_new = rule.signer in (Signer.NEW_DEVICE, Signer.SUBJECT_OR_NEW)
    if known is None:
        if may_be_new and e.signer == e.device:
            return e.certificate  # its certification is a need (check 9)
        raise _refuse(MembershipProblem.UNKNOWN_SIGNER, p, signer=e.signer.hex())
    if rule.signer is Signer.NEW_DEVICE:
        raise _refuse(MembershipProblem.NOT_ALLOWED, p, entry=_kind(e), role="")
    role = state.members[known.identity_id].role
    of_subject = known.identity_id == e.subject
    allowed = {
        Signer.OWNER: role is Role.OWNER,
        Signer.SUBJECT_OR_NEW: of_subject,
        Signer.OWNER_OR_SUBJECT: role is Role.OWNER or of_subject,
    }[rule.signer]
    if not allowed:
        raise _refuse(MembershipProblem.NOT_ALLOWED, p, entry=_kind(e), role=role.label)
    return known.certificate


def _check_need(
    need: Need, state: Membership, e: MemberEntry, checker: EntryChecker
) -> CertifiedDevice | None:
    """Raises if `need` fails; CERTIFIED returns the device the certificate describes."""
    p, kind = e.position, _kind(e)
    member = state.members.get(e.subject)

    def not_applicable(why: Inapplicable) -> MembershipRefused:
        return _refuse(MembershipProblem.NOT_APPLICABLE, p, entry=kind, why=why)

    if need is Need.FIRST:
        if state.position != -1:
            raise _refuse(MembershipProblem.NO_CREATION, p)
    elif need is Need.OWNER_ROLE:
        if e.role is not Role.OWNER:
            raise not_applicable(Inapplicable.CREATOR_NOT_OWNER)
    elif need is Need.IDENTITY_IS_SUBJECT:
        person = checker.person(e.identity)
        if person is None or person.identity_id != e.subject:
            raise not_applicable(Inapplicable.IDENTITY_MISMATCH)
    elif need is Need.CERTIFIED:
        identity = (
            e.identity if e.kind is EntryKind.CREATE else (member.identity if member else b"")
        )
        device = checker.certified(identity, e.certificate)
        if device is None or device.identity_id != e.subject or device.device_id != e.device:
            raise _refuse(MembershipProblem.BAD_CERTIFICATE, p)
        if e.device in state.seen_devices:
            raise not_applicable(Inapplicable.DEVICE_REUSED)
        return device
    elif need is Need.NOT_MEMBER:
        if member is not None:
            raise not_applicable(Inapplicable.ALREADY_MEMBER)
    elif need is Need.MEMBER:
        if member is None:
            raise not_applicable(Inapplicable.NOT_MEMBER)
    elif need is Need.NEW_ROLE:
        if member is not None and member.role is e.role:
            raise not_applicable(Inapplicable.SAME_ROLE)
    elif need is Need.OWNER_REMAINS:
        stays_owner = e.kind is EntryKind.CHANGE_ROLE and e.role is Role.OWNER
        others = [m for m in state.owners() if m.identity_id != e.subject]
        if not others and not stays_owner:
            raise _refuse(MembershipProblem.LAST_OWNER, p)
    elif need is Need.SUBJECTS_DEVICE:
        device_here = state.devices.get(e.device)
        if device_here is None or device_here.identity_id != e.subject:
            raise not_applicable(Inapplicable.NOT_THEIR_DEVICE)
    return None


def _cut_devices(rule: CutRule, state: Membership, e: MemberEntry) -> frozenset[bytes] | None:
    """The devices `e`'s cut must name after `state` (None: any, the v1 cut)."""
    if rule is CutRule.V1:
        return None
    if rule is CutRule.SUBJECTS:
        return state.members[e.subject].devices  # MEMBER is checked first
    if rule is CutRule.DEVICE:
        return frozenset({e.device})
    return frozenset()


def _check_cut(rule: CutRule, state: Membership, e: MemberEntry) -> None:
    wanted = _cut_devices(rule, state, e)
    if wanted is not None and frozenset(d for d, _ in e.cut) != wanted:
        raise _refuse(
            MembershipProblem.NOT_APPLICABLE, e.position, entry=_kind(e),
            why=Inapplicable.CUT_MISMATCH,
        )  # fmt: skip


def cut_for(
    state: Membership,
    kind: EntryKind,
    accepted: Mapping[bytes, int],
    *,
    subject: bytes = NO_ID,
    device: bytes = NO_ID,
) -> Cut:
    """The cut an owner writes for an entry of `kind` after `state`: each device
    the entry is about, with the newest seq `accepted` holds for it (0: none).
    For a creation, all of `accepted` (the v1 cut of an upgrade, or nothing)."""
    rule = RULES[kind].cut
    if rule is CutRule.V1:
        return tuple(sorted(accepted.items()))
    if rule is CutRule.SUBJECTS:
        member = state.members.get(subject)
        devices: frozenset[bytes] = frozenset() if member is None else member.devices
    elif rule is CutRule.DEVICE:
        devices = frozenset({device})
    else:
        devices = frozenset()
    return tuple(sorted((d, accepted.get(d, 0)) for d in devices))


def expected_epoch(kind: EntryKind, state: Membership) -> int:
    """The epoch an entry of `kind` must carry after `state` (RULES' epoch column)."""
    return {
        Epoch.START: FIRST_EPOCH,
        Epoch.SAME: state.epoch,
        Epoch.NEXT: state.epoch + 1,
    }[RULES[kind].epoch]


# ---------------------------------------------------------------------------
# Applying an accepted entry
# ---------------------------------------------------------------------------


def _effect(
    state: Membership, e: MemberEntry, new_device: CertifiedDevice | None, checker: EntryChecker
) -> tuple[dict[bytes, Member], dict[bytes, Device]]:
    members, devices = dict(state.members), dict(state.devices)
    if e.kind in (EntryKind.CREATE, EntryKind.ADD_MEMBER):
        person = checker.person(e.identity)
        assert person is not None and e.role is not None  # checked by the needs
        members[e.subject] = Member(e.subject, person.name, e.role, e.identity)
    elif e.kind is EntryKind.REMOVE_MEMBER:
        gone = members.pop(e.subject)
        for device_id in gone.devices:
            devices.pop(device_id, None)
    elif e.kind is EntryKind.CHANGE_ROLE:
        assert e.role is not None
        members[e.subject] = replace(members[e.subject], role=e.role)
    elif e.kind is EntryKind.REMOVE_DEVICE:
        devices.pop(e.device)
        m = members[e.subject]
        members[e.subject] = replace(m, devices=m.devices - {e.device})
    if new_device is not None:  # create, add device
        devices[e.device] = Device(e.device, e.subject, new_device.name, e.certificate)
        m = members[e.subject]
        members[e.subject] = replace(m, devices=m.devices | {e.device})
    return members, devices


def apply_entry(state: Membership, slot: int, data: bytes, checker: EntryChecker) -> Membership:
    """The state after the entry stored in `slot`; `MembershipRefused` names the rule broken."""
    p = slot
    try:
        signed: SignedEntry = decode_entry(data)
    except MalformedEntry as exc:
        raise _refuse(MembershipProblem.MALFORMED, p, detail=str(exc)) from None
    e = signed.entry
    if e.vault_id != state.vault_id:
        raise _refuse(MembershipProblem.WRONG_VAULT, p)
    if e.position != slot or slot <= state.position:
        raise _refuse(MembershipProblem.OUT_OF_ORDER, p, found=e.position)
    if e.previous != state.head:
        raise _refuse(MembershipProblem.BROKEN_CHAIN, p)
    if (e.kind is EntryKind.CREATE or state.position == -1) and not (
        e.kind is EntryKind.CREATE and slot == 0
    ):
        raise _refuse(MembershipProblem.NO_CREATION, p)
    rule = RULES[e.kind]
    present = _present(e)
    if present != rule.fields:
        detail = f"{_kind(e)} carries {sorted(f.value for f in present)}"
        raise _refuse(MembershipProblem.MALFORMED, p, detail=detail)
    if e.cut and rule.cut is CutRule.NONE:
        raise _refuse(MembershipProblem.MALFORMED, p, detail=f"{_kind(e)} carries a cut")
    certificate = _signing_certificate(state, e, rule)
    if not checker.signed_by(certificate, signed.signed, signed.signature):
        raise _refuse(MembershipProblem.BAD_SIGNATURE, p)
    new_device: CertifiedDevice | None = None
    for need in rule.needs:
        new_device = _check_need(need, state, e, checker) or new_device
    _check_cut(rule.cut, state, e)
    expected = expected_epoch(e.kind, state)
    if e.epoch != expected:
        raise _refuse(MembershipProblem.WRONG_EPOCH, p, expected=expected, found=e.epoch)
    members, devices = _effect(state, e, new_device, checker)
    return replace(
        state,
        position=p,
        head=checker.digest(data),
        epoch=e.epoch,
        members=members,
        devices=devices,
        seen_devices=state.seen_devices | ({e.device} if new_device else set()),
        cuts=_with_cut(state.cuts, p, e.cut) if e.cut else state.cuts,
    )


def _with_cut(
    cuts: Mapping[bytes, tuple[CutMark, ...]], position: int, cut: Cut
) -> dict[bytes, tuple[CutMark, ...]]:
    out = dict(cuts)
    for device, seq in cut:
        out[device] = (*out.get(device, ()), CutMark(position, seq))
    return out


def draft(
    state: Membership,
    slot: int,
    kind: EntryKind,
    signer: bytes,
    at_ms: int,
    *,
    subject: bytes = NO_ID,
    device: bytes = NO_ID,
    role: Role | None = None,
    identity: bytes = b"",
    certificate: bytes = b"",
    cut: Cut = (),
) -> MemberEntry:
    """The entry an honest device writes in `slot` after `state`: chained, with its
    epoch, its cut in canonical order (`cut_for` makes one)."""
    return MemberEntry(
        kind, state.vault_id, slot, state.head, expected_epoch(kind, state), at_ms, signer,
        subject, device, role, identity, certificate, tuple(sorted(cut)),
    )  # fmt: skip


def replay(
    vault_id: bytes, accepted: Sequence[tuple[int, bytes]], checker: EntryChecker
) -> Membership:
    """The state after entries this device accepted before, (slot, bytes) in order.

    They are checked again; `MembershipRefused` means the local copy was altered.
    """
    return replay_history(vault_id, accepted, checker).latest


def replay_history(
    vault_id: bytes, accepted: Sequence[tuple[int, bytes]], checker: EntryChecker
) -> MembershipHistory:
    """`replay`, keeping the state after every entry (`MembershipLog` keeps its read_through)."""
    states: list[Membership] = []
    state = Membership(vault_id)
    for slot, data in accepted:
        state = apply_entry(state, slot, data, checker)
        states.append(state)
    return MembershipHistory(vault_id, tuple(states), state.position)


@dataclass(frozen=True, slots=True)
class MembershipHistory:
    """The state after each accepted entry, oldest first: who was who at any position.

    `read_through`: the last slot examined (accepted or not); what a position
    up to it means is settled, a later one is not known yet.
    """

    vault_id: bytes
    states: tuple[Membership, ...] = ()
    read_through: int = -1
    _positions: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_positions", tuple(s.position for s in self.states))

    @property
    def latest(self) -> Membership:
        return self.states[-1] if self.states else Membership(self.vault_id)

    def knows(self, position: int) -> bool:
        """Whether `position` is within what was read (a later one may still come)."""
        return 0 <= position <= self.read_through

    def at(self, position: int) -> Membership:
        """The state after the newest accepted entry at or before `position`
        (refused slots change nothing); before the creation, the empty state."""
        i = bisect_right(self._positions, position)
        return self.states[i - 1] if i else Membership(self.vault_id)

    @property
    def epoch_starts(self) -> dict[int, int]:
        """epoch -> the position of the accepted entry that started it."""
        starts: dict[int, int] = {}
        for s in self.states:
            starts.setdefault(s.epoch, s.position)
        return starts

    def extended(self, check: LogCheck) -> MembershipHistory:
        """This history with what `extend` accepted after it."""
        return MembershipHistory(
            self.vault_id,
            self.states + check.states,
            max(self.read_through, check.read_through),
        )


# ---------------------------------------------------------------------------
# Reading the log: pins, missing slots, and applying what is new
# ---------------------------------------------------------------------------


def check_pin(
    pin: Pin | None, newest: int | None, at_pin: bytes | None, checker: EntryChecker
) -> Reason | None:
    """Why the store's log cannot be read on from `pin` (rollback, fork), or None.

    `newest`: the highest slot the store lists (None: no log at all);
    `at_pin`: the stored bytes in the pinned slot (None: not found).
    """
    if pin is None:
        return None
    if newest is None or newest < pin.position:
        served = -1 if newest is None else newest
        return Reason.of(MembershipProblem.ROLLBACK, pinned=pin.position, served=served)
    if at_pin is None:  # later entries are there, the pinned one is gone
        return Reason.of(MembershipProblem.MISSING, position=pin.position)
    if checker.digest(at_pin) != pin.entry_hash:
        return Reason.of(MembershipProblem.FORK, position=pin.position)
    return None


@dataclass(frozen=True, slots=True)
class LogCheck:
    """What reading slots `start`..`read_through` gave."""

    state: Membership  # after the accepted entries
    accepted: tuple[tuple[int, bytes], ...]  # (slot, stored bytes), in order
    refused: tuple[Reason, ...]  # one per refused or missing slot, in order
    read_through: int  # the last slot examined (start - 1 if none)
    states: tuple[Membership, ...] = ()  # the state after each accepted entry


def extend(
    state: Membership, start: int, served: Mapping[int, bytes], checker: EntryChecker
) -> LogCheck:
    """Apply the entries in slots `start`.. up to the newest `served` holds, in order.

    A refused entry or a missing slot is reported and skipped (see the theory).
    """
    accepted: list[tuple[int, bytes]] = []
    states: list[Membership] = []
    refused: list[Reason] = []
    current = state
    newest = max(served, default=start - 1)
    for slot in range(start, newest + 1):
        data = served.get(slot)
        if data is None:
            refused.append(Reason.of(MembershipProblem.MISSING, position=slot))
            continue
        try:
            current = apply_entry(current, slot, data, checker)
        except MembershipRefused as refusal:
            refused.append(refusal.reason)
            continue
        accepted.append((slot, data))
        states.append(current)
    return LogCheck(current, tuple(accepted), tuple(refused), max(newest, start - 1), tuple(states))
