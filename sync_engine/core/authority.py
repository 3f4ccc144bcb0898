################################################################
# Write authority: may this journal segment (or snapshot) be applied?
################################################################
#
# Rule 1: every rule that decides whether a device's segment or snapshot of a
# format-2 vault is applied lives in this file: what a segment's content is
# (CONTENT_OF_FIELD), what each role may publish (MAY_PUBLISH) and the checks,
# in order, with the reason each gives (CHECKS). Who was who at a log position
# is the membership core's (membership.py, `MembershipHistory`); nothing else
# decides.
#
# Rule 2: this module never looks at the store, the disk or the clock, and
# does no cryptography. The engine opens the object first: its Ed25519
# signature verified with the key of the device certificate the log holds
# (`signed`), its record header read for device, seq, epoch and log position.
# What this module gets is those numbers and what the payload carries.
#
# Theory of operation
# ===================
#
# Holding an epoch key lets anyone seal a segment; only a device's signing key
# lets it sign one, and the membership log says which device acts for which
# person in which role, entry by entry. Each signed segment names the log
# position its author had accepted when sealing; the segment is judged by the
# log at that position: the device must be current there, its person's role
# must allow what the segment carries, and the segment must be sealed under
# an epoch no older than the one in force there.
#
# The position is the author's own claim. An author that had not seen its
# own demotion or removal yet names an older position in good faith; a
# malicious one would name an old position forever. The CUT closes that: the
# owner who removes a device, removes a member or changes a role writes, for
# each device concerned, the newest seq it had accepted from it. A segment
# past that seq is judged at the cut's position too, whatever position it
# names: after a removal the device is gone there (refused), after a
# demotion to reader only status passes, so what the entry takes away cannot
# be kept by naming an older position. Segments up to the cut stay judged at
# their own position: what everybody had already applied stays applied, and a
# device that joins later reads the same history.
#
# Why "judged at the cut too" rather than "refused past the cut unless it
# names a position at or after it": the two agree for a removal (the device
# is gone at the cut) and for a demoted editor's changes; they differ only
# where the role at the cut still allows the content: a demoted editor's
# status (its read positions and GC acks) and anything a promoted reader may
# now write. Refusing those would take nothing back that the entry took away,
# yet would stop that device's chain for good (a refused segment stops its
# device's chain), and the GC would wait forever for the acks of a device
# that is still a member.
#
# Content. A segment that carries only `at`, `read` and `acks` is STATUS (what
# a device has seen and applied: the GC waits for every current device's
# acks, a reader's too); anything else (versions, purge, settings, a GC mark,
# swept marks) is CHANGES. A snapshot is CHANGES. Readers publish STATUS only.
#
# The checks, in order; the first that fails gives the reason (CHECKS holds
# them; docs/SYNC.md section 8 shows the same table and tests/test_authority.py
# checks both copies against CHECKS):
#
#  check          | on       | passes when                                    | else (authority.*)
#  v1 cut         | unsigned | epoch 1, seq <= the device's v1 cut            | unsigned
#  position known | signed   | position <= the last slot read                 | position_ahead *
#  epoch known    | signed   | epoch <= the newest the log started            | epoch_ahead *
#  device known   | signed   | in the log at the position                     | unknown_device
#  not removed    | signed   | not removed at the position                    | removed_device
#  role           | signed   | its role there may publish the content         | not_allowed
#  epoch          | signed   | epoch >= the one in force there                | stale_epoch
#  cuts           | signed   | past a cut at q: known, not removed, role at q | past_cut
#
# * pending, not refused (PENDING): the log the engine holds is behind the
#   author's. The engine reads the log again and leaves the segment for the
#   next round; nothing of it, nor after it in that device's chain, is applied
#   meanwhile.
#
# The epoch rule: "no older than the epoch in force at the position", not
# "exactly it". Removing someone starts a new epoch so that they cannot read
# what is written after; a segment sealed under an OLDER epoch than its
# position's would hand new content to the removed, so it is refused. A LATER
# epoch only narrows who can read; refusing it would stop that device's whole
# chain over a lag between its log position and its key ring (the entry, its
# statement and its envelopes are written in separate steps), for no gain.
# An epoch later than any the log read started is pending (the author saw
# an entry this device has not read yet).
#
# The v1 rule: an upgraded vault keeps its format-1 segments, which carry no
# signature and no position. They are applied only up to the v1 cut the
# upgrade's creation entry carries (each v1 device's last seq when the vault
# became format 2): after the upgrade, anyone still holding the v1 key could
# otherwise go on writing unsigned segments that every device would apply.
# A vault created in format 2 has no v1 cut: every unsigned segment is
# refused. v1 objects open as epoch 1, so anything else is refused as well.
#
# A segment is PAST a cut (q, c) of its device when its seq is above c and
# the position it names is below q (`past_cut`).
#
# Known limit. A cut bounds what devices apply from the moment they read the
# entry; a device that pulled a segment past the cut before the entry was
# written has applied it. `past_cut` names such segments, for the engine to
# tell (what to do with them is the engine's: docs/SYNC.md section 8).

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from crypto.reason import Reason

from .membership import Membership, MembershipHistory
from .membership_entry import Role

__all__ = [
    "CHECKS",
    "CONTENT_OF_FIELD",
    "MAY_PUBLISH",
    "PENDING",
    "V1_EPOCH",
    "AuthorityProblem",
    "Check",
    "Content",
    "SegmentMetaLike",
    "checks_table",
    "content_of",
    "may_apply",
    "may_publish",
    "past_cut",
    "refusing_cut",
]

V1_EPOCH = 1  # what a format-1 object opens as


class AuthorityProblem(StrEnum):
    """Why a segment or snapshot is not applied (worded in app/messages.py)."""

    UNSIGNED = "authority.unsigned"  # device, seq
    POSITION_AHEAD = "authority.position_ahead"  # device, seq, position, read
    EPOCH_AHEAD = "authority.epoch_ahead"  # device, seq, epoch, newest
    UNKNOWN_DEVICE = "authority.unknown_device"  # device, seq, position
    REMOVED_DEVICE = "authority.removed_device"  # device, seq, position, name
    STALE_EPOCH = "authority.stale_epoch"  # device, seq, epoch, expected, name
    NOT_ALLOWED = "authority.not_allowed"  # device, seq, role, position, name
    PAST_CUT = "authority.past_cut"  # device, seq, cut, position, name


# Not refused: the log this device holds is behind the author's.
PENDING: frozenset[str] = frozenset({AuthorityProblem.POSITION_AHEAD, AuthorityProblem.EPOCH_AHEAD})


class Content(enum.Enum):
    """What a segment carries, as far as authority goes."""

    STATUS = "status"  # at, read, acks: any current device may publish it
    CHANGES = "changes"  # versions, purge, settings, GC mark, swept: editors and owners


# A segment payload's fields (journal_codec.SegmentMeta's names, and its
# versions) -> the content a non-empty one makes the segment.
CONTENT_OF_FIELD: dict[str, Content] = {
    "at_ms": Content.STATUS,
    "read": Content.STATUS,
    "acks": Content.STATUS,
    "versions": Content.CHANGES,
    "purge": Content.CHANGES,
    "settings": Content.CHANGES,
    "mark": Content.CHANGES,
    "swept": Content.CHANGES,
}

# role -> what its devices may publish.
MAY_PUBLISH: dict[Role, frozenset[Content]] = {
    Role.OWNER: frozenset({Content.STATUS, Content.CHANGES}),
    Role.EDITOR: frozenset({Content.STATUS, Content.CHANGES}),
    Role.READER: frozenset({Content.STATUS}),
}


class SegmentMetaLike(Protocol):
    """What content_of reads of a segment's meta (journal_codec.SegmentMeta has it)."""

    @property
    def at_ms(self) -> int | None: ...
    @property
    def read(self) -> Mapping[str, int]: ...
    @property
    def acks(self) -> Collection[object]: ...
    @property
    def mark(self) -> object | None: ...
    @property
    def swept(self) -> Collection[object]: ...
    @property
    def settings(self) -> Collection[object]: ...
    @property
    def purge(self) -> Collection[object]: ...


def content_of(versions: Collection[object], meta: SegmentMetaLike) -> Content:
    """CHANGES if any field CONTENT_OF_FIELD calls so is there, else STATUS."""
    for name, content in CONTENT_OF_FIELD.items():
        if content is not Content.CHANGES:
            continue
        value = versions if name == "versions" else getattr(meta, name)
        if value is not None and (not isinstance(value, Collection) or len(value)):
            return Content.CHANGES
    return Content.STATUS


def may_publish(role: Role | None, content: Content) -> bool:
    """Whether a device of a person in `role` may publish `content` (None: no role)."""
    return role is not None and content in MAY_PUBLISH[role]


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------


class AppliesTo(enum.Enum):
    UNSIGNED = "unsigned"
    SIGNED = "signed"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    applies_to: AppliesTo
    passes_when: str
    otherwise: AuthorityProblem


_P, _SIGNED = AuthorityProblem, AppliesTo.SIGNED


CHECKS: tuple[Check, ...] = (
    Check("v1 cut", AppliesTo.UNSIGNED, "epoch 1, seq <= the device's v1 cut", _P.UNSIGNED),
    Check("position known", _SIGNED, "position <= the last slot read", _P.POSITION_AHEAD),
    Check("epoch known", _SIGNED, "epoch <= the newest the log started", _P.EPOCH_AHEAD),
    Check("device known", _SIGNED, "in the log at the position", _P.UNKNOWN_DEVICE),
    Check("not removed", _SIGNED, "not removed at the position", _P.REMOVED_DEVICE),
    Check("role", _SIGNED, "its role there may publish the content", _P.NOT_ALLOWED),
    Check("epoch", _SIGNED, "epoch >= the one in force there", _P.STALE_EPOCH),
    Check("cuts", _SIGNED, "past a cut at q: known, not removed, role at q", _P.PAST_CUT),
)


def checks_table() -> list[str]:
    """CHECKS as the lines of the table in the header and in docs/SYNC.md."""
    rows = [("check", "on", "passes when", "else (authority.*)")]
    for c in CHECKS:
        pending = " *" if c.otherwise in PENDING else ""
        kind = c.otherwise.value.removeprefix("authority.")
        rows.append((c.name, c.applies_to.value, c.passes_when, kind + pending))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return [" | ".join(x.ljust(w) for x, w in zip(r, widths, strict=False)) + " | " + r[3]
            for r in rows]  # fmt: skip


def _name(history: MembershipHistory, device: bytes) -> str:
    """The name the device's certificate gave it, from the newest state that knew it."""
    for state in reversed(history.states):
        known = state.devices.get(device)
        if known is not None:
            return known.name
    return ""


def _judge_at(
    state: Membership, device: bytes, content: Content
) -> tuple[AuthorityProblem, dict[str, object]] | None:
    """The device and role checks at one state."""
    if device not in state.devices:
        if device in state.seen_devices:
            return AuthorityProblem.REMOVED_DEVICE, {}
        return AuthorityProblem.UNKNOWN_DEVICE, {}
    role = state.role_of_device(device)
    if not may_publish(role, content):
        return AuthorityProblem.NOT_ALLOWED, {"role": "" if role is None else role.label}
    return None


def refusing_cut(history: MembershipHistory, device: bytes, seq: int) -> int | None:
    """The lowest seq c of a cut of `device` below `seq` whose entry took its right to
    write changes away (demoted to reader, removed), else None.

    A snapshot is judged as its author's changes; the segments it folds in are not.
    Those of `device` after c may be refused one by one (`may_apply`), so a device
    starting from a snapshot that covers `device` up to `seq` judges them first.
    """
    floors = [
        m.seq
        for m in history.latest.cuts.get(device, ())
        if seq > m.seq and _judge_at(history.at(m.position), device, Content.CHANGES) is not None
    ]
    return min(floors, default=None)


def past_cut(history: MembershipHistory, device: bytes, seq: int, position: int) -> list[int]:
    """The positions of the cuts of `device` that a segment (seq, position) is past:
    seq beyond the cut's seq and a position before the cut's entry."""
    marks = history.latest.cuts.get(device, ())
    return [m.position for m in marks if seq > m.seq and position < m.position]


def may_apply(
    history: MembershipHistory,
    device_id: bytes,
    seq: int,
    position: int,
    epoch: int,
    content: Content,
    *,
    signed: bool,
) -> Reason | None:
    """None if the segment (or snapshot, content CHANGES) may be applied, else why not.

    A reason in PENDING is not a refusal: read the log again, try next round.
    """
    who = {"device": device_id.hex(), "seq": seq}
    latest = history.latest
    if not signed:
        v1_cut = [m.seq for m in latest.cuts.get(device_id, ()) if m.position == 0]
        if epoch != V1_EPOCH or not v1_cut or seq > v1_cut[0]:
            return Reason.of(AuthorityProblem.UNSIGNED, **who)
        return None
    if not history.knows(position):
        return Reason.of(
            AuthorityProblem.POSITION_AHEAD, **who, position=position, read=history.read_through
        )
    if epoch > latest.epoch:
        return Reason.of(AuthorityProblem.EPOCH_AHEAD, **who, epoch=epoch, newest=latest.epoch)
    there = history.at(position)
    refused = _judge_at(there, device_id, content)
    if refused is None and epoch < there.epoch:
        refused = AuthorityProblem.STALE_EPOCH, {"epoch": epoch, "expected": there.epoch}
    if refused is not None:
        problem, params = refused
        return Reason.of(
            problem, **who, **params, position=position, name=_name(history, device_id)
        )
    for q in past_cut(history, device_id, seq, position):
        if _judge_at(history.at(q), device_id, content) is not None:
            cut = next(m.seq for m in latest.cuts[device_id] if m.position == q)
            return Reason.of(
                AuthorityProblem.PAST_CUT, **who, cut=cut, position=q,
                name=_name(history, device_id),
            )  # fmt: skip
    return None
