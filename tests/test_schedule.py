"""The live service's pure core: the state table, every transition, and the timing rules."""

from __future__ import annotations

import math

import pytest

from sync_engine.core import schedule
from sync_engine.core.schedule import (
    BUSY,
    TRANSITIONS,
    Decision,
    Input,
    ScheduleError,
    Situation,
    Step,
    decide,
    next_rescan,
    pause_reason,
    poll_interval,
    retry_delay,
    slept,
    transition,
)
from sync_engine.events import FolderState

S, I = FolderState, Input  # noqa: E741 - keeps the table readable

# Every (state, input) -> state the service relies on, written out once more by hand:
# a change to the table must be a change to this list too.
EXPECTED = {
    (S.IDLE, I.ROUND_STARTED): S.SCANNING,
    (S.IDLE, I.STORE_UNREACHABLE): S.OFFLINE,
    (S.IDLE, I.STORE_REACHABLE): S.IDLE,
    (S.IDLE, I.FAILED): S.ERROR,
    (S.IDLE, I.PAUSED): S.PAUSED,
    (S.SCANNING, I.TRANSFERS_STARTED): S.SYNCING,
    (S.SCANNING, I.ROUND_FINISHED): S.IDLE,
    (S.SCANNING, I.STORE_UNREACHABLE): S.OFFLINE,
    (S.SCANNING, I.FAILED): S.ERROR,
    (S.SYNCING, I.TRANSFERS_STARTED): S.SYNCING,
    (S.SYNCING, I.ROUND_FINISHED): S.IDLE,
    (S.SYNCING, I.STORE_UNREACHABLE): S.OFFLINE,
    (S.SYNCING, I.FAILED): S.ERROR,
    (S.OFFLINE, I.ROUND_STARTED): S.SCANNING,
    (S.OFFLINE, I.STORE_UNREACHABLE): S.OFFLINE,
    (S.OFFLINE, I.STORE_REACHABLE): S.IDLE,
    (S.OFFLINE, I.FAILED): S.ERROR,
    (S.OFFLINE, I.PAUSED): S.PAUSED,
    (S.ERROR, I.ROUND_STARTED): S.SCANNING,
    (S.ERROR, I.STORE_UNREACHABLE): S.OFFLINE,
    (S.ERROR, I.STORE_REACHABLE): S.ERROR,
    (S.ERROR, I.FAILED): S.ERROR,
    (S.ERROR, I.PAUSED): S.PAUSED,
    (S.PAUSED, I.PAUSED): S.PAUSED,
    (S.PAUSED, I.RESUMED): S.IDLE,
}


@pytest.mark.parametrize(
    ("state", "event"), sorted(EXPECTED, key=lambda k: (k[0].value, k[1].value))
)
def test_every_listed_transition(state: FolderState, event: Input) -> None:
    assert transition(state, event) is EXPECTED[(state, event)]


def test_the_table_is_exactly_the_listed_transitions() -> None:
    table = {(s, i): t for s, row in TRANSITIONS.items() for i, t in row.items()}
    assert table == EXPECTED
    assert set(TRANSITIONS) == set(FolderState), "every state has a row"


def test_every_other_pair_is_refused() -> None:
    refused = [(s, i) for s in FolderState for i in Input if (s, i) not in EXPECTED]
    assert refused, "some pairs must be refused"
    for state, event in refused:
        with pytest.raises(ScheduleError, match=event.name):
            transition(state, event)


def test_no_pause_in_the_middle_of_a_round_and_no_round_while_paused() -> None:
    for state in BUSY:
        with pytest.raises(ScheduleError):
            transition(state, I.PAUSED)
    with pytest.raises(ScheduleError):
        transition(S.PAUSED, I.ROUND_STARTED)


def test_every_state_can_reach_idle() -> None:
    reach = {S.IDLE}
    changed = True
    while changed:
        changed = False
        for (state, _), target in EXPECTED.items():
            if target in reach and state not in reach:
                reach.add(state)
                changed = True
    assert reach == set(FolderState)


def test_pause_reason() -> None:
    assert pause_reason(user_paused=False, metered=False, pause_on_metered=True) == ""
    assert pause_reason(user_paused=False, metered=True, pause_on_metered=True) == "metered"
    assert pause_reason(user_paused=False, metered=True, pause_on_metered=False) == ""
    assert pause_reason(user_paused=True, metered=True, pause_on_metered=True) == "user"
    assert pause_reason(user_paused=True, metered=False, pause_on_metered=False) == "user"
    saver = {"user_paused": False, "metered": False, "pause_on_metered": True}
    assert pause_reason(**saver, power_saver=True, pause_on_power_saver=True) == "power_saver"
    assert pause_reason(**saver, power_saver=True, pause_on_power_saver=False) == ""
    assert pause_reason(**saver, power_saver=False, pause_on_power_saver=True) == ""


def test_poll_interval_is_fast_after_activity_and_slows_to_idle() -> None:
    def at(quiet: float) -> float:
        return poll_interval(active_s=1, idle_s=60, quiet_for_s=quiet)

    hold = schedule.ACTIVE_HOLD_S
    assert at(0) == 1
    assert at(hold - 1) == 1, "every second for a while after an activity"
    assert at(hold) == hold / schedule.ACTIVITY_DIVISOR
    assert at(hold) >= 10, "a quiet folder costs at most one request per 10 s"
    assert at(100) == 25
    assert at(240) == 60
    assert at(10_000) == 60
    values = [at(q) for q in range(0, 400, 5)]
    assert values == sorted(values), "never faster as the quiet time grows"
    assert poll_interval(active_s=5, idle_s=1, quiet_for_s=1000) == 5, "idle never below active"


def test_poll_interval_with_the_window_open_or_heads_notified() -> None:
    quiet = 10_000.0
    assert poll_interval(active_s=1, idle_s=60, quiet_for_s=quiet, foreground=True) == 1
    # Notifications wake the loop: the timed poll is a safety net, even while active.
    assert poll_interval(active_s=1, idle_s=60, quiet_for_s=0, heads_notified=True) == 60
    assert (
        poll_interval(active_s=1, idle_s=60, quiet_for_s=0, heads_notified=True, foreground=True)
        == 60
    )


def test_retry_delay_backs_off_exponentially_up_to_the_cap() -> None:
    delays = [retry_delay(n, base_s=1, cap_s=60, jitter=0) for n in range(1, 10)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert retry_delay(0, base_s=1, cap_s=60, jitter=0) == 1
    assert retry_delay(10_000, base_s=1, cap_s=60, jitter=0) == 60, "no overflow"
    jittered = retry_delay(3, base_s=1, cap_s=60, jitter=0.999)
    assert 3.2 <= jittered < 4, "jitter only shortens"


def test_rescan_is_jittered_around_the_period() -> None:
    assert next_rescan(100, every_s=3600, jitter=0) == pytest.approx(100 + 3240)
    assert next_rescan(100, every_s=3600, jitter=0.5) == pytest.approx(100 + 3600)
    assert next_rescan(100, every_s=3600, jitter=0.999) < 100 + 3960


def test_sleep_is_a_clock_jump_not_elapsed_time() -> None:
    assert not slept(wall_delta_s=31, mono_delta_s=30)  # just time passing
    assert not slept(wall_delta_s=3600, mono_delta_s=3600)  # a long wait, awake
    assert slept(wall_delta_s=3600, mono_delta_s=30)  # suspended for most of an hour
    assert slept(wall_delta_s=-600, mono_delta_s=30)  # the clock was set back


def situation(**changes: object) -> Situation:
    base: dict[str, object] = {
        "now": 100.0,
        "state": S.IDLE,
        "paused": False,
        "round_wanted": False,
        "local_ready_at": None,
        "next_poll": 110.0,
        "next_rescan": 3700.0,
        "retry_at": 0.0,
    }
    base.update(changes)
    return Situation(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # paused: nothing at all, whatever is pending
        ({"paused": True, "round_wanted": True, "next_poll": 0}, Decision(Step.WAIT, math.inf)),
        # offline: wait for the backoff, then probe with a poll (not a round)
        ({"state": S.OFFLINE, "retry_at": 150.0, "round_wanted": True}, Decision(Step.WAIT, 150.0)),
        ({"state": S.OFFLINE, "retry_at": 100.0, "round_wanted": True}, Decision(Step.POLL)),
        # error: wait for the backoff, then retry a round
        ({"state": S.ERROR, "retry_at": 130.0}, Decision(Step.WAIT, 130.0)),
        ({"state": S.ERROR, "retry_at": 90.0}, Decision(Step.ROUND)),
        # wanted and nothing settling: a round
        ({"round_wanted": True}, Decision(Step.ROUND)),
        # local changes settled: a round
        ({"local_ready_at": 99.0}, Decision(Step.ROUND)),
        # rescan due: a round
        ({"next_rescan": 100.0}, Decision(Step.ROUND)),
        # wanted while local changes settle: wait for them (the poll is not due)
        ({"round_wanted": True, "local_ready_at": 101.5}, Decision(Step.WAIT, 101.5)),
        # ... but a due poll still happens meanwhile
        ({"round_wanted": True, "local_ready_at": 101.5, "next_poll": 99.0}, Decision(Step.POLL)),
        # nothing wanted, poll due
        ({"next_poll": 100.0}, Decision(Step.POLL)),
        # the store's notifications saw a new head: poll now, not at the next poll
        ({"remote_hint": True}, Decision(Step.POLL)),
        ({"remote_hint": True, "round_wanted": True, "local_ready_at": 101.5}, Decision(Step.POLL)),
        # ... but never while paused or backing off
        ({"remote_hint": True, "paused": True}, Decision(Step.WAIT, math.inf)),
        ({"remote_hint": True, "state": S.OFFLINE, "retry_at": 150.0}, Decision(Step.WAIT, 150.0)),
        # nothing to do: wait for the earliest of poll, rescan, settled changes
        ({}, Decision(Step.WAIT, 110.0)),
        ({"next_rescan": 105.0}, Decision(Step.WAIT, 105.0)),
        ({"local_ready_at": 103.0}, Decision(Step.WAIT, 103.0)),
    ],
)
def test_decide(changes: dict[str, object], expected: Decision) -> None:
    got = decide(situation(**changes))
    assert (got.step, got.until) == (expected.step, expected.until), got.why


DAY = schedule.GC_EVERY_S


@pytest.mark.parametrize(
    ("last", "failure", "settled", "pending", "due"),
    [
        (None, None, True, False, False),  # the count starts at the first live start
        (0.0, None, True, False, True),  # a day passed
        (DAY - 1, None, True, False, False),  # at most daily
        (0.0, None, False, False, False),  # only after a settled round
        (0.0, None, True, True, False),  # and with no local change waiting
        (0.0, DAY - 60, True, False, False),  # a failure waits an hour
        (0.0, DAY - 2 * 3600, True, False, True),
        (2 * DAY, None, True, False, True),  # the clock went back: run rather than never
    ],
)
def test_gc_due(
    last: float | None, failure: float | None, settled: bool, pending: bool, due: bool
) -> None:
    assert (
        schedule.gc_due(
            now_wall_s=DAY,
            last_gc_wall_s=last,
            last_failure_wall_s=failure,
            settled=settled,
            local_pending=pending,
        )
        is due
    )
