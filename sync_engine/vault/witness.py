"""Devices as witnesses of each other's heads: rollback and fork evidence that survives state loss.

Theory. A device's head only moves forward. Each device publishes, inside its
own encrypted head, the newest head it accepted from every other device
("seen": device -> seq and segment hash, docs/FORMAT.md "Heads"). A claim by a
witness W that it accepted seq N of device X, with hash H, is therefore proof,
sealed under the vault key, that X's journal reached N with that segment.
The store can hide or roll back a head, but it cannot forge a claim, so a
device that lost its local state (or never had one: a fresh join) still
learns from the others how far every device got.

Rules, for a claim (N, H) about device X against this device's view of X
(after a fresh read of X's head; see `Journal.pull`):

| this device's view of X          | finding                                  |
|----------------------------------|------------------------------------------|
| no head of X at all              | rollback: X's head is withheld           |
| seq < N                          | rollback: the store serves an old head   |
| seq == N, hash == H              | agree                                    |
| seq == N, hash != H              | fork: two journals at one seq            |
| seq > N, seq N passed this pull  | fork if the hash passed differs from H   |
| seq > N, seq N passed before     | nothing to compare (not kept locally)    |

A claim about the checking device itself is checked the same way against its
own position: a witness that saw more than this device wrote means the local
state is older than the store (restored from a copy), which `Journal` also
reports on its own head.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum

from crypto.reason import Reason

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Position:
    """How far a device's journal got: its newest segment's seq and SHA-256."""

    seq: int
    segment_hash: bytes


class WitnessProblem(StrEnum):
    """What a cross-check finds wrong (worded for a person in app/messages.py)."""

    SELF_FORK = "witness.self_fork"  # by, seq: another machine wrote as this device
    SELF_STALE = "witness.self_stale"  # by, seq: this device's state is an older copy
    FORK = "witness.fork"  # device, by, seq: two journals at one segment
    HIDDEN = "witness.hidden"  # device, by, seq: the store hides a head a witness saw
    ROLLBACK = "witness.rollback"  # device, by, seq, served: the store rolled a head back


class FindingKind(Enum):
    ROLLBACK = "rollback"
    FORK = "fork"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    device: str  # the device whose head is wrong
    witness: str  # the device whose head proves it
    claimed: Position
    served: Position | None  # what this device holds for `device`; None: no head at all

    def reason(self, names: Mapping[str, str], me: str) -> Reason:
        """What to tell the person (worded in app/messages.py); `me` is the checking device."""
        who = names.get(self.device, self.device[:8])
        by = names.get(self.witness, self.witness[:8])
        seq = self.claimed.seq
        if self.device == me:
            kind = (
                WitnessProblem.SELF_FORK
                if self.kind is FindingKind.FORK
                else (WitnessProblem.SELF_STALE)
            )
            return Reason.of(kind, by=by, seq=seq)
        if self.kind is FindingKind.FORK:
            return Reason.of(WitnessProblem.FORK, device=who, by=by, seq=seq)
        if self.served is None:
            return Reason.of(WitnessProblem.HIDDEN, device=who, by=by, seq=seq)
        return Reason.of(
            WitnessProblem.ROLLBACK, device=who, by=by, seq=seq, served=self.served.seq
        )


def cross_check(
    served: Mapping[str, Position],
    passed: Mapping[str, Mapping[int, bytes]],
    claims: Mapping[str, Mapping[str, Position]],
) -> list[Finding]:
    """Every contradiction between the claims of witnesses and this device's view.

    `served`: this device's view per device (its accepted heads and its own
    position); `passed`: segment hashes by seq that this device checked while
    pulling; `claims`: per witness, what it says it accepted.
    """
    findings: list[Finding] = []
    for witness, seen in sorted(claims.items()):
        for device, claim in sorted(seen.items()):
            if device == witness:
                continue  # a device's own position is its head, not a claim
            view = served.get(device)
            kind: FindingKind | None = None
            if view is None or view.seq < claim.seq:
                kind = FindingKind.ROLLBACK
            elif view.seq == claim.seq:
                if view.segment_hash != claim.segment_hash:
                    kind = FindingKind.FORK
            else:
                on_the_way = passed.get(device, {}).get(claim.seq)
                if on_the_way is not None and on_the_way != claim.segment_hash:
                    kind = FindingKind.FORK
            if kind is not None:
                findings.append(Finding(kind, device, witness, claim, view))
    return findings


def encode_head_extra(name: str, seen: Mapping[str, Position]) -> bytes:
    """The `extra` of a head: the device's name and the heads it accepted (FORMAT.md)."""
    body = {
        "name": name,
        "seen": {d: [p.seq, p.segment_hash.hex()] for d, p in sorted(seen.items())},
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def decode_head_extra(extra: bytes) -> tuple[str | None, dict[str, Position]]:
    """(name, seen) of a head's `extra`; heads written before "seen" existed have none.

    Raises ValueError on a malformed "seen": the head is authenticated, so that
    is a device writing something this version does not understand.
    """
    try:
        body = json.loads(extra)
    except ValueError:
        return None, {}
    if not isinstance(body, dict):
        return None, {}
    name = body.get("name")
    raw = body.get("seen", {})
    if not isinstance(raw, dict):
        raise ValueError("the heads it accepted are not a JSON object")
    seen: dict[str, Position] = {}
    for device, value in raw.items():
        if not (
            isinstance(device, str)
            and _HEX32.fullmatch(device)
            and isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], int)
            and not isinstance(value[0], bool)
            and value[0] >= 1
            and isinstance(value[1], str)
            and _HEX64.fullmatch(value[1])
        ):
            raise ValueError(f"an accepted head is malformed: {device!r}")
        seen[device] = Position(value[0], bytes.fromhex(value[1]))
    return (name if isinstance(name, str) and name else None), seen
