################################################################
# The round outcome: facts of one round -> settled or not, and its problems
################################################################
#
# Rule 1: every rule that judges a round lives in this file: whether the
# planner may be skipped (the settled fast path), whether the round is
# settled (no other round is needed to see the folder in sync), whether that
# verdict may be pinned for the next round's fast path, and which problems
# the round reports, of which kind, and which of them a multi-round sync keeps.
#
# Rule 2: nothing here does I/O, reads a clock or looks at an exception. The
# engine (sync_engine/engine.py) gathers the facts (what was pulled, scanned,
# planned, carried out) and acts on the answers.
#
# Theory of operation
# ===================
#
# A round is settled when Remote, Local and Synced agree on every path, so
# the next plan would be empty. The engine learns it in one of three ways:
#
#   1. The fast path (may_skip_planning). The last settled round pinned the
#      number of versions in the local state ("settled_at_versions"). If no
#      version was read or written since (the count is the same) and the disk
#      is exactly as Synced recorded it (disk_as_synced), the three trees are
#      those of that settled round: the plan would be empty, so merge and
#      planner are skipped. "Exactly" is one test per path (entry_as_synced:
#      model.unchanged_on_disk, i.e. kind, size, mtime, inode, ctime, plus the
#      executable bit), made by the scanner as it lists each path, which counts
#      the paths that pass; the counts then decide (disk_as_synced). A scan that
#      had to hash a file, saw one changing or could not read one is never
#      "as synced".
#   2. Nothing to do: the plan was empty and nothing was published.
#   3. Done and quiet: the plan was one that settles when done
#      (Plan.settles_when_done: plain uploads, nothing held or skipped) and
#      every row of SETTLE_WHEN_DONE holds. This spares the round that would
#      only confirm the uploads (a first sync of 100,000 files).
#   4. Filled and quiet: the plan only brought new paths from Remote
#      (Plan.fills_from_remote: downloads and folders where nothing was on
#      disk, nothing held or skipped) and every row of SETTLE_WHEN_FILLED
#      holds. Versions pulled this round do not unsettle it: they are what it
#      downloaded, merged before it planned, and it published nothing. This
#      spares the round that would only confirm a first download (a new
#      device joining a team folder of 100,000 files).
#
# Any other round is not settled: `Engine.sync` runs another one (up to its
# bound). A settled round pins the version count only when nothing is held:
# a held mass deletion waits for a person, and the fast path must not hide
# it from the planner (PIN_RULE).
#
# Problems. Every path the round did not sync is reported once, as a Problem
# (path, kind, reason); PROBLEM_KINDS says where each kind comes from. A
# path already reported by the scan is not reported again as a plan skip.
# Over the rounds of one `sync`, what the store did wrong (KEPT_OVER_A_SYNC)
# may be seen by one round only, so it stays reported; other problems are the
# latest round's (carried_problems).

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from crypto.reason import Reason

from .model import HasDiskStat, Kind, LocalEntry, unchanged_on_disk

__all__ = [
    "KEPT_OVER_A_SYNC",
    "PIN_RULE",
    "PROBLEM_KINDS",
    "SETTLE_WHEN_DONE",
    "SETTLE_WHEN_FILLED",
    "KnownStat",
    "Problem",
    "RoundFacts",
    "RoundProblem",
    "Verdict",
    "carried_problems",
    "disk_as_synced",
    "entry_as_synced",
    "may_skip_planning",
    "plan_problems",
    "round_problems",
    "verdict",
]


class RoundProblem(StrEnum):
    """Reasons a round itself gives (worded for a person in app/messages.py)."""

    CHANGING = "round.changing"  # changing while it was read; synced once it settles
    HELD = "round.held"  # mass deletion held: a person confirms or cancels it
    JOURNAL_LOST = "round.journal_lost"  # device: the store lost part of its journal
    SNAPSHOT_SKIPPED = "round.snapshot_skipped"  # device; detail says why
    JOURNAL_MISMATCH = "round.journal_mismatch"  # this device's journal and state disagree
    HEAD_NOT_UNDERSTOOD = "round.head_not_understood"  # device, detail: its head's extra
    WATCHER_UNAVAILABLE = "round.watcher_unavailable"  # changes found by periodic rescans only
    READ_ONLY = "round.read_only"  # a reader's local change, kept here and not published
    DEVICE_REMOVED = "round.device_removed"  # position: this device was removed from the vault
    PERSON_REMOVED = "round.person_removed"  # position: this device's person was removed
    NOT_A_MEMBER = "round.not_a_member"  # this device is not (yet) in the membership log


@dataclass(frozen=True)
class Problem:
    """A path not synced this round: `kind` sorts it (skipped, held...), `reason` says why."""

    path: str
    kind: str
    reason: Reason


# ---------------------------------------------------------------------------
# Problems: where each kind comes from.
# ---------------------------------------------------------------------------

PROBLEM_KINDS: dict[str, str] = {
    "tampered": "the store's journal or a pack failed a check (a device, or a file)",
    "skipped": "a name this disk cannot hold, a case clash, an NFD clash (scan or plan)",
    "unreadable": "the scan could not read a folder or a file",
    "changed": "changing while scanned, or changed between plan and action",
    "held": "a mass deletion waiting for a person",
    "error": "the disk refused an action",
    "missing": "a file's content is in a pack the store no longer has",
    "refused": "a device's segment that the membership log does not allow (write authority)",
    "read_only": "a local change of a reader's device: kept here, not published",
}

# What the store did wrong may be seen by one round only: kept over a sync's rounds.
KEPT_OVER_A_SYNC = frozenset({"tampered", "missing", "refused"})


def round_problems(
    *,
    pulled_errors: Iterable[tuple[str, Reason]],
    scan_skipped: Iterable[tuple[str, Reason]],
    scan_unreadable: Iterable[tuple[str, Reason]],
    scan_changing: Iterable[str],
    pulled_refused: Iterable[tuple[str, Reason]] = (),
) -> list[Problem]:
    """The problems known before planning, in the order a person reads them: store, then scan."""
    problems = [Problem(device, "tampered", why) for device, why in pulled_errors]
    problems += [Problem(device, "refused", why) for device, why in pulled_refused]
    problems += [Problem(path, "skipped", why) for path, why in scan_skipped]
    problems += [Problem(path, "unreadable", why) for path, why in scan_unreadable]
    changing = Reason.of(RoundProblem.CHANGING)
    problems += [Problem(path, "changed", changing) for path in scan_changing]
    return problems


def plan_problems(
    earlier: Sequence[Problem],
    skipped: Iterable[tuple[str, Reason]],
    held: Iterable[str],
    read_only: Iterable[str] = (),
) -> list[Problem]:
    """The plan's own problems: skips not already reported (by the scan), then held work,
    then a reader's local changes withheld from the store (core/read_only.py)."""
    reported = {p.path for p in earlier}
    problems = [Problem(p, "skipped", why) for p, why in skipped if p not in reported]
    held_reason = Reason.of(RoundProblem.HELD)
    problems += [Problem(path, "held", held_reason) for path in held]
    withheld = Reason.of(RoundProblem.READ_ONLY)
    problems += [Problem(path, "read_only", withheld) for path in read_only]
    return problems


def carried_problems(earlier: Sequence[Problem], later: Sequence[Problem]) -> list[Problem]:
    """The problems of a sync after one more round: the store's stay, the rest are the latest."""
    kept = [p for p in earlier if p.kind in KEPT_OVER_A_SYNC]
    return kept + [p for p in later if p not in kept]


# ---------------------------------------------------------------------------
# The fast path: skip merge and planner when nothing moved since a settled round.
# ---------------------------------------------------------------------------


class KnownStat(HasDiskStat, Protocol):
    """What Synced recorded of a path's disk stat (state.SyncedStat)."""

    @property
    def executable(self) -> bool: ...


def entry_as_synced(known: KnownStat | None, entry: LocalEntry) -> bool:
    """This path on disk is exactly as last synced: the same kind and, for a file or a link,
    the same stat (model.unchanged_on_disk) and executable bit (a folder's inode is not
    compared). The scanner applies it to every entry it puts in the Local tree."""
    if known is None or known.kind is not entry.kind:
        return False
    return entry.kind is Kind.DIR or (
        unchanged_on_disk(known, entry) and known.executable == entry.executable
    )


def disk_as_synced(
    on_disk: int,
    known: int,
    as_synced: int,
    *,
    changing: bool,
    unreadable: bool,
    hashed: bool,
) -> bool:
    """Every path on disk is exactly as last synced, and nothing else is.

    `on_disk`: the paths of the Local tree; `known`: the paths Synced recorded;
    `as_synced`: how many of the Local tree's paths the scan found entry_as_synced.
    Paths are unique, so when the three are equal the two trees hold the same paths,
    each as synced; the scan's counting spares a second pass over 100,000 paths.
    `changing`, `unreadable`, `hashed`: the scan saw a file changing, could not
    read something, or had to read a file (its stat was new): never "as synced".
    """
    if changing or unreadable or hashed:
        return False
    return on_disk == known == as_synced


def may_skip_planning(
    settled_at_versions: int | None, version_count: int, disk_as_synced: bool
) -> bool:
    """The trees are those of the last settled round: the plan would be empty."""
    return settled_at_versions == version_count and disk_as_synced


# ---------------------------------------------------------------------------
# The verdict of a round that planned.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFacts:
    """What a round that planned saw and did (the engine fills it in)."""

    plan_empty: bool  # the plan had no action (held and skipped work aside)
    published: bool  # the round published versions (or had some to publish)
    settles_when_done: bool  # Plan.settles_when_done
    fills_from_remote: bool  # Plan.fills_from_remote
    all_done: bool  # every action of the plan was carried out
    action_problems: bool  # an action failed (changed, refused, missing, tampered)
    pulled: bool  # other devices' versions arrived this round
    conflicts: bool  # the merged tree holds conflicts
    changing: bool  # the scan saw files changing
    unreadable: bool  # the scan could not read something
    held: bool  # the plan holds work for a person (a mass deletion)


# A plan that settles when done settles the round only if each fact has the value given:
# (fact, required value, why another round is needed otherwise).
SETTLE_WHEN_DONE: tuple[tuple[str, bool, str], ...] = (
    ("settles_when_done", True, "the plan's actions touch other paths, or leave conflicts"),
    ("all_done", True, "an action was not carried out: plan it again"),
    ("action_problems", False, "an action failed: plan it again"),
    ("pulled", False, "other devices wrote meanwhile: merge again"),
    ("conflicts", False, "a conflict is resolved by the next plan"),
    ("changing", False, "a file was changing: scan it once it settles"),
    ("unreadable", False, "something could not be read: try again"),
)

# A plan that only fills new paths from Remote settles the round only if each fact has
# the value given (the rows of SETTLE_WHEN_DONE but the plan's kind and `pulled`).
SETTLE_WHEN_FILLED: tuple[tuple[str, bool, str], ...] = (
    ("fills_from_remote", True, "the plan's actions touch other paths, or leave conflicts"),
    ("published", False, "the round published versions: merge again"),
    ("all_done", True, "an action was not carried out: plan it again"),
    ("action_problems", False, "an action failed: plan it again"),
    ("conflicts", False, "a conflict is resolved by the next plan"),
    ("changing", False, "a file was changing: scan it once it settles"),
    ("unreadable", False, "something could not be read: try again"),
)

# A settled round pins the version count for the fast path unless these facts say not to.
PIN_RULE: tuple[tuple[str, bool, str], ...] = (
    ("held", False, "a held deletion waits for a person: the planner must see it again"),
)


@dataclass(frozen=True)
class Verdict:
    """Whether the round is settled, whether to pin it, and in a few words why."""

    settled: bool
    pin: bool
    why: str


def _first_failing(facts: RoundFacts, rows: tuple[tuple[str, bool, str], ...]) -> str | None:
    for name, required, why in rows:
        if getattr(facts, name) is not required:
            return why
    return None


def verdict(facts: RoundFacts) -> Verdict:
    """Settled: nothing to do, or a plan that settles when done, done without news."""
    if facts.plan_empty and not facts.published:
        settled, why = True, "nothing to do"
    elif facts.fills_from_remote:
        failing = _first_failing(facts, SETTLE_WHEN_FILLED)
        settled, why = failing is None, failing or "filled from Remote, and nothing new"
    else:
        failing = _first_failing(facts, SETTLE_WHEN_DONE)
        settled, why = failing is None, failing or "done, and nothing new"
    if not settled:
        return Verdict(False, False, why)
    blocked = _first_failing(facts, PIN_RULE)
    return Verdict(True, blocked is None, blocked or why)
