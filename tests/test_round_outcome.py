"""The round outcome's pure rules: the settled verdict, the fast path, the problems, in tables."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import NamedTuple

import pytest

from crypto.reason import Reason
from sync_engine.core import round_outcome
from sync_engine.core.model import Kind, LocalEntry, VersionId, stamped, unstamped
from sync_engine.core.names import NameProblem
from sync_engine.core.round_outcome import (
    Problem,
    RoundFacts,
    RoundProblem,
    carried_problems,
    disk_as_synced,
    entry_as_synced,
    may_skip_planning,
    plan_problems,
    round_problems,
    verdict,
)

# A round that carried out a plan of plain uploads and saw nothing else: settled.
QUIET = RoundFacts(
    plan_empty=False,
    published=True,
    settles_when_done=True,
    fills_from_remote=False,
    all_done=True,
    action_problems=False,
    pulled=False,
    conflicts=False,
    changing=False,
    unreadable=False,
    held=False,
)
# Nothing planned, nothing published: settled, whatever else was seen.
IDLE = replace(QUIET, plan_empty=True, published=False, settles_when_done=False)

# A round that downloaded new paths only (a new device's first download): the versions it
# pulled are what it wrote, so it is settled.
FILLED = replace(
    QUIET, settles_when_done=False, fills_from_remote=True, published=False, pulled=True
)

# (facts, settled, pinned), written out by hand: a change to the rules must change this too.
VERDICTS: dict[str, tuple[RoundFacts, bool, bool]] = {
    "plan of uploads, done, nothing new": (QUIET, True, True),
    "nothing to do": (IDLE, True, True),
    "nothing to do, news pulled": (replace(IDLE, pulled=True), True, True),
    "nothing to do, a deletion held": (replace(IDLE, held=True), True, False),
    "empty plan but a resolution published": (replace(IDLE, published=True), False, False),
    "plan that does not settle when done": (replace(QUIET, settles_when_done=False), False, False),
    "an action not done": (replace(QUIET, all_done=False), False, False),
    "an action failed": (replace(QUIET, action_problems=True), False, False),
    "another device wrote": (replace(QUIET, pulled=True), False, False),
    "a conflict in the tree": (replace(QUIET, conflicts=True), False, False),
    "a file changing": (replace(QUIET, changing=True), False, False),
    "something unreadable": (replace(QUIET, unreadable=True), False, False),
    "done, a deletion held": (replace(QUIET, held=True), True, False),
    "new paths filled from Remote, done": (FILLED, True, True),
    "new paths filled, nothing pulled": (replace(FILLED, pulled=False), True, True),
    "new paths filled, an action failed": (replace(FILLED, action_problems=True), False, False),
    "new paths filled, not all done": (replace(FILLED, all_done=False), False, False),
    "new paths filled, a conflict": (replace(FILLED, conflicts=True), False, False),
    "new paths filled, a file changing": (replace(FILLED, changing=True), False, False),
    "new paths filled, something unreadable": (replace(FILLED, unreadable=True), False, False),
    "new paths filled, versions published": (replace(FILLED, published=True), False, False),
}


@pytest.mark.parametrize(("facts", "settled", "pinned"), VERDICTS.values(), ids=list(VERDICTS))
def test_verdict(facts: RoundFacts, settled: bool, pinned: bool) -> None:
    outcome = verdict(facts)
    assert (outcome.settled, outcome.pin) == (settled, pinned), outcome.why


def test_every_fact_of_the_settle_table_unsettles_a_quiet_round() -> None:
    """Flipping any one row of SETTLE_WHEN_DONE in a quiet round makes it unsettled."""
    for name, required, why in round_outcome.SETTLE_WHEN_DONE:
        outcome = verdict(replace(QUIET, **{name: not required}))
        assert not outcome.settled and outcome.why == why, name


def test_every_fact_of_the_filled_table_unsettles_a_filled_round() -> None:
    """Flipping any one row of SETTLE_WHEN_FILLED in a filled round makes it unsettled."""
    for name, required, why in round_outcome.SETTLE_WHEN_FILLED:
        outcome = verdict(replace(FILLED, **{name: not required}))
        assert not outcome.settled and outcome.why == why, name


def test_the_tables_name_every_fact_but_the_routes() -> None:
    named = {
        row[0]
        for row in round_outcome.SETTLE_WHEN_DONE
        + round_outcome.SETTLE_WHEN_FILLED
        + round_outcome.PIN_RULE
    }
    routes = {"plan_empty", "published"}  # the "nothing to do" route
    assert named | routes == {f.name for f in fields(RoundFacts)}


# --- the fast path ------------------------------------------------------------------------


class Known(NamedTuple):
    kind: Kind
    size: int
    mtime_ns: int
    inode: int
    content_hash: bytes = b"h"
    executable: bool = False
    ctime_ns: int = 0


FILE = LocalEntry(Kind.FILE, 3, 10, 7, False, b"h", ctime_ns=20)
KNOWN = {"a": Known(Kind.FILE, 3, 10, 7, ctime_ns=20), "d": Known(Kind.DIR, 0, 0, 5)}
LOCAL = {"a": FILE, "d": LocalEntry(Kind.DIR, 0, 0, 5)}

# (local tree, scan flags, as synced)
DISKS: dict[str, tuple[dict[str, LocalEntry], dict[str, bool], bool]] = {
    "exactly as synced": (LOCAL, {}, True),
    "a folder's inode moved (not compared)": (
        {**LOCAL, "d": LocalEntry(Kind.DIR, 0, 0, 9)},
        {},
        True,
    ),
    "size": ({**LOCAL, "a": replace(FILE, size=4)}, {}, False),
    "mtime": ({**LOCAL, "a": replace(FILE, mtime_ns=11)}, {}, False),
    "inode": ({**LOCAL, "a": replace(FILE, inode=8)}, {}, False),
    "ctime only (an in-place edit)": ({**LOCAL, "a": replace(FILE, ctime_ns=21)}, {}, False),
    "executable bit": ({**LOCAL, "a": replace(FILE, executable=True)}, {}, False),
    "kind": ({**LOCAL, "a": LocalEntry(Kind.SYMLINK, 3, 10, 7, ctime_ns=20)}, {}, False),
    "a new path": ({**LOCAL, "b": FILE}, {}, False),
    "a path gone": ({"a": FILE}, {}, False),
    "a path replaced by another": ({"a": FILE, "e": LocalEntry(Kind.DIR, 0, 0, 5)}, {}, False),
    "a file changing": (LOCAL, {"changing": True}, False),
    "something unreadable": (LOCAL, {"unreadable": True}, False),
    "a file hashed": (LOCAL, {"hashed": True}, False),
}


@pytest.mark.parametrize(("local", "flags", "expected"), DISKS.values(), ids=list(DISKS))
def test_disk_as_synced(
    local: dict[str, LocalEntry], flags: dict[str, bool], expected: bool
) -> None:
    """Each path judged as the scanner judges it (entry_as_synced), the counts deciding."""
    scan = {"changing": False, "unreadable": False, "hashed": False, **flags}
    counted = sum(entry_as_synced(KNOWN.get(path), entry) for path, entry in local.items())
    assert disk_as_synced(len(local), len(KNOWN), counted, **scan) is expected


@pytest.mark.parametrize(
    ("pinned", "count", "as_synced", "skip"),
    [
        (12, 12, True, True),
        (12, 13, True, False),  # a version read or written since the settled round
        (None, 12, True, False),  # never settled, or unpinned
        (12, 12, False, False),  # the disk moved
    ],
)
def test_may_skip_planning(pinned: int | None, count: int, as_synced: bool, skip: bool) -> None:
    assert may_skip_planning(pinned, count, as_synced) is skip


# --- problems -----------------------------------------------------------------------------

WHY = Reason.of(NameProblem.NFD)


def test_round_problems_in_reading_order() -> None:
    problems = round_problems(
        pulled_errors=[("dev1", WHY)],
        scan_skipped=[("x", WHY)],
        scan_unreadable=[("y", WHY)],
        scan_changing=["z"],
    )
    assert problems == [
        Problem("dev1", "tampered", WHY),
        Problem("x", "skipped", WHY),
        Problem("y", "unreadable", WHY),
        Problem("z", "changed", Reason.of(RoundProblem.CHANGING)),
    ]
    assert {p.kind for p in problems} <= set(round_outcome.PROBLEM_KINDS)


def test_plan_problems_skip_what_the_scan_reported_then_list_held_work() -> None:
    earlier = [Problem("x", "skipped", WHY)]
    other = Reason.of(NameProblem.LINK_INVALID)
    assert plan_problems(earlier, [("x", other), ("w", other)], ["gone"]) == [
        Problem("w", "skipped", other),
        Problem("gone", "held", Reason.of(RoundProblem.HELD)),
    ]


def test_store_problems_stay_over_a_sync_others_are_the_latest_rounds() -> None:
    tampered, missing = Problem("dev", "tampered", WHY), Problem("f", "missing", WHY)
    changed = Problem("g", "changed", WHY)
    later = [Problem("h", "skipped", WHY), missing]
    assert carried_problems([tampered, changed, missing], later) == [
        tampered,
        missing,
        Problem("h", "skipped", WHY),
    ]
    assert set(round_outcome.PROBLEM_KINDS) >= round_outcome.KEPT_OVER_A_SYNC


# --- unstamped versions -------------------------------------------------------------------


def test_an_unstamped_version_gets_only_its_id_and_clock_when_published() -> None:
    draft = unstamped("a", frozenset(), Kind.FILE, size=3, content_hash=b"h", executable=True)
    vid = VersionId("ab" * 16, 7)
    published = stamped(draft, vid, 99)
    assert (published.vid, published.hlc) == (vid, 99)
    assert replace(published, vid=draft.vid, hlc=draft.hlc) == draft
    with pytest.raises(ValueError, match="already stamped"):
        stamped(published, vid, 100)
