"""The live service's decisions, as data: the folder-state machine and when to act.

Theory of operation
-------------------
`coffre watch` and the desktop app keep a folder in sync with a loop that, at
every turn, asks this module one question: "given what is pending and what
time it is, what now?" The answer is one of three steps:

    ROUND  run a full sync round (recover, pull, merge, scan, plan, execute,
           publish). Rounds are the only thing that changes the disk or the
           store; a round on an unchanged 10,000-file folder is cheap thanks to
           the scanner's settled fast path, but it still walks the whole tree.
    POLL   list `heads/` once (one request, no GET) to learn whether another
           device wrote something. This is the whole idle cost of a folder.
    WAIT   sleep until a given time, or until something wakes the loop (a
           local change, a command from the person).

The loop feeds back what happened as `Input`s, and `transition` moves the
folder's `FolderState` along the `TRANSITIONS` table, which is the only place
where states change. Pairs missing from the table are bugs of the caller and
raise `ScheduleError` (the loop defers what does not fit yet: a pause asked
during a round is applied when the round ends).

Why rounds start when they do:
- at start, after a watcher overflow (events were lost), after a resume from
  sleep (the machine was away for an unknown time: a wall clock that moved
  much more than the monotonic clock, see `slept`; where the monotonic clock
  counts suspended time too, as on Windows, the front-end that learns of a
  resume calls `sync_now`), and every
  `rescan_every_s` with jitter (a safety net for anything a watcher cannot
  see, such as a network share changed by another machine): a "rescan" is an
  ordinary round, because every round scans;
- when local changes have settled (the watcher's debounced batch: no event on
  those paths for `settle_s`), so an office suite's temp-file + rename +
  delete save is seen once, as an edit;
- when a poll saw a new head, or the person asked (sync now, resume, confirm
  a held deletion).
While local changes are still settling, no round starts at all, whatever
asked for it: a round scans every file, and a file that is still being written
must not be uploaded half-done.

Remote changes are noticed in one of two ways (see `poll_interval`'s table):
- on a folder store on a local disk, the OS's file notifications on the
  store's `heads/` wake the loop the moment another device publishes a head
  (`remote_hint`): the poll runs at once, and the timed poll is only a safety
  net at the idle interval;
- elsewhere (S3, WebDAV, a folder store on a network share, where
  notifications do not see other machines' writes), `heads/` is polled with
  one small LIST: every `active_s` (1 s by default) while the folder or its
  devices are active (a local change, a remote change seen, in the last
  `ACTIVE_HOLD_S`; or the app's window open), then backing off to a quarter
  of the time since the last activity, up to `idle_s` (60 s by default).
  A quiet folder thus costs one LIST a minute, and one a second only while
  people work on it.

When the store cannot be reached, the folder is OFFLINE: nothing runs but a
probe (a POLL) at `retry_delay` (exponential backoff with jitter, capped),
local changes keep accumulating in the watcher, and the first successful probe
brings the folder back to IDLE with a round wanted. ERROR (a failure a person
must look at) retries rounds on the same kind of backoff, from a longer base.
A paused folder does nothing at all until resumed.

Everything here is pure: no clock, no I/O, no randomness (callers pass `now`
from `time.monotonic()` and jitter draws in [0, 1)).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass


class FolderState(enum.Enum):
    """What a folder is doing, as a tray icon shows it."""

    IDLE = "idle"  # up to date
    SCANNING = "scanning"  # looking at the disk for changes
    SYNCING = "syncing"  # transferring or applying changes
    PAUSED = "paused"  # by the person, or by the metered-network policy
    OFFLINE = "offline"  # store unreachable: retried with backoff, local changes queued
    ERROR = "error"  # needs a person: see `message` and `action`


S = FolderState


class Input(enum.Enum):
    """What the live service reports to the state machine."""

    ROUND_STARTED = "round_started"  # a round began (its first work is the scan)
    TRANSFERS_STARTED = "transfers_started"  # the round's plan moves or applies data
    ROUND_FINISHED = "round_finished"  # the round ended without a store or disk failure
    STORE_UNREACHABLE = "store_unreachable"  # a poll or a round could not reach the store
    STORE_REACHABLE = "store_reachable"  # a probe reached the store again
    FAILED = "failed"  # a failure that a person must look at
    PAUSED = "paused"  # the person paused, or the metered-network policy did
    RESUMED = "resumed"  # no reason to pause remains


class ScheduleError(Exception):
    """An input that the state machine does not accept in the current state (a caller bug)."""


I = Input  # noqa: E741 - keeps the table readable

TRANSITIONS: dict[FolderState, dict[Input, FolderState]] = {
    S.IDLE: {
        I.ROUND_STARTED: S.SCANNING,
        I.STORE_UNREACHABLE: S.OFFLINE,
        I.STORE_REACHABLE: S.IDLE,
        I.FAILED: S.ERROR,
        I.PAUSED: S.PAUSED,
    },
    S.SCANNING: {
        I.TRANSFERS_STARTED: S.SYNCING,
        I.ROUND_FINISHED: S.IDLE,
        I.STORE_UNREACHABLE: S.OFFLINE,
        I.FAILED: S.ERROR,
    },
    S.SYNCING: {
        I.TRANSFERS_STARTED: S.SYNCING,  # a later round of the same sync
        I.ROUND_FINISHED: S.IDLE,
        I.STORE_UNREACHABLE: S.OFFLINE,
        I.FAILED: S.ERROR,
    },
    S.OFFLINE: {
        I.ROUND_STARTED: S.SCANNING,  # the person asked to sync now
        I.STORE_UNREACHABLE: S.OFFLINE,
        I.STORE_REACHABLE: S.IDLE,
        I.FAILED: S.ERROR,
        I.PAUSED: S.PAUSED,
    },
    S.ERROR: {
        I.ROUND_STARTED: S.SCANNING,  # a retry
        I.STORE_UNREACHABLE: S.OFFLINE,
        I.STORE_REACHABLE: S.ERROR,  # reachable, but the failure may remain: the retry tells
        I.FAILED: S.ERROR,
        I.PAUSED: S.PAUSED,
    },
    S.PAUSED: {
        I.PAUSED: S.PAUSED,  # another reason to pause (metered while paused by the person)
        I.RESUMED: S.IDLE,
    },
}

# States in which a round runs: inputs that do not fit them wait for its end.
BUSY = frozenset({S.SCANNING, S.SYNCING})


def transition(state: FolderState, event: Input) -> FolderState:
    try:
        return TRANSITIONS[state][event]
    except KeyError:
        raise ScheduleError(f"{event.name} is not accepted in state {state.name}") from None


# --- pausing -----------------------------------------------------------------------------------

PAUSE_USER = "user"
PAUSE_METERED = "metered"
PAUSE_POWER_SAVER = "power_saver"


def pause_reason(
    *,
    user_paused: bool,
    metered: bool,
    pause_on_metered: bool,
    power_saver: bool = False,
    pause_on_power_saver: bool = False,
) -> str:
    """Why the folder is paused ("" if it is not): the person's own pause comes first,
    then a metered network, then the computer's battery (power) saver mode."""
    if user_paused:
        return PAUSE_USER
    if metered and pause_on_metered:
        return PAUSE_METERED
    if power_saver and pause_on_power_saver:
        return PAUSE_POWER_SAVER
    return ""


# --- timing ------------------------------------------------------------------------------------

ACTIVITY_DIVISOR = 4.0  # poll at about a quarter of the time since the last activity
SLEEP_TOLERANCE_S = 30.0  # wall clock ahead of the monotonic clock by more: the machine slept
RESCAN_JITTER = 0.1  # rescans at every_s * [0.9, 1.1)
RETRY_JITTER = 0.2  # backoff delays at d * [0.8, 1.0]


ACTIVE_HOLD_S = 60.0  # after an activity, poll at the active interval this long

# Seconds until the next head poll, first match wins:
#
#   | situation                                         | next poll in                      |
#   |---------------------------------------------------|-----------------------------------|
#   | `heads/` watched by the OS's notifications        | idle_s (a safety net: the         |
#   |                                                   |   notifications poke the loop)    |
#   | the app's window is open (someone looks)          | active_s                          |
#   | an activity less than ACTIVE_HOLD_S ago           | active_s                          |
#   | otherwise                                         | quiet_for / ACTIVITY_DIVISOR,     |
#   |                                                   |   clamped to [active_s, idle_s]   |
#
# An activity is a local change, a remote change seen, or a round that moved data.


def poll_interval(
    *,
    active_s: float,
    idle_s: float,
    quiet_for_s: float,
    heads_notified: bool = False,
    foreground: bool = False,
    hold_s: float = ACTIVE_HOLD_S,
) -> float:
    """Seconds until the next head poll, `quiet_for_s` after the last activity."""
    idle_s = max(idle_s, active_s)
    if heads_notified:
        return idle_s
    if foreground or quiet_for_s < hold_s:
        return active_s
    return min(idle_s, max(active_s, quiet_for_s / ACTIVITY_DIVISOR))


def retry_delay(failures: int, *, base_s: float, cap_s: float, jitter: float) -> float:
    """Backoff after `failures` consecutive failures (>= 1): base, 2 base, 4 base... up to cap.

    The jitter only shortens the delay, so the cap holds and many laptops that lost the
    same store at once do not come back in step.
    """
    exponent = min(max(failures, 1) - 1, 32)
    delay = min(cap_s, base_s * 2.0**exponent)
    return delay * (1.0 - RETRY_JITTER * jitter)


def next_rescan(now: float, *, every_s: float, jitter: float) -> float:
    """When the periodic safety-net rescan is due (monotonic seconds)."""
    return now + every_s * (1.0 - RESCAN_JITTER + 2 * RESCAN_JITTER * jitter)


def slept(
    *, wall_delta_s: float, mono_delta_s: float, tolerance_s: float = SLEEP_TOLERANCE_S
) -> bool:
    """Whether the machine was suspended (or its clock set) between two looks at both clocks.

    The monotonic clock stops during suspend; the wall clock does not. A jump either way
    means that what the watcher saw cannot be trusted to be complete: rescan.
    """
    return abs(wall_delta_s - mono_delta_s) > tolerance_s


# --- the decision ------------------------------------------------------------------------------


class Step(enum.Enum):
    ROUND = "round"
    POLL = "poll"
    WAIT = "wait"


@dataclass(frozen=True, slots=True)
class Situation:
    """All the decision needs; times are monotonic seconds."""

    now: float
    state: FolderState
    paused: bool
    round_wanted: bool  # start, overflow, wake from sleep, remote change, a command
    local_ready_at: float | None  # when pending local changes will have settled (None: none)
    next_poll: float
    next_rescan: float
    retry_at: float  # OFFLINE and ERROR: nothing before this
    remote_hint: bool = False  # the store's notifications saw `heads/` change: poll now


@dataclass(frozen=True, slots=True)
class Decision:
    step: Step
    until: float = math.inf  # WAIT: reconsider at this time at the latest
    why: str = ""


# The rules, first match wins:
#
#   | condition                                   | step                        |
#   |---------------------------------------------|-----------------------------|
#   | paused                                      | WAIT (until a command)      |
#   | OFFLINE or ERROR, before retry_at           | WAIT retry_at               |
#   | OFFLINE, retry due                          | POLL (probe the store)      |
#   | ERROR, retry due                            | ROUND (retry)               |
#   | a round is wanted, local changes settling   | POLL if due, else WAIT      |
#   |                                             |   until they settle         |
#   | a round is wanted (or settled local         | ROUND                       |
#   |   changes, or the rescan is due)            |                             |
#   | the poll is due, or a remote hint came      | POLL                        |
#   | otherwise                                   | WAIT next poll/rescan/local |


def decide(s: Situation) -> Decision:
    if s.paused:
        return Decision(Step.WAIT, math.inf, "paused")
    if s.state in (S.OFFLINE, S.ERROR):
        if s.now < s.retry_at:
            return Decision(Step.WAIT, s.retry_at, "backoff")
        if s.state is S.OFFLINE:
            return Decision(Step.POLL, why="probe")
        return Decision(Step.ROUND, why="retry")
    settling = s.local_ready_at is not None and s.local_ready_at > s.now
    settled = s.local_ready_at is not None and not settling
    rescan_due = s.now >= s.next_rescan
    wanted = s.round_wanted or settled or rescan_due
    if wanted and not settling:
        why = "local changes" if settled else ("rescan" if rescan_due else "requested")
        return Decision(Step.ROUND, why=why)
    if s.now >= s.next_poll or s.remote_hint:
        return Decision(Step.POLL, why="poll" if s.now >= s.next_poll else "remote hint")
    until = min(s.next_poll, s.next_rescan)
    if s.local_ready_at is not None:
        until = min(until, s.local_ready_at)
    return Decision(Step.WAIT, until, "settling" if settling else "idle")


# --- garbage collection in the live service ------------------------------------------------
#
# The live service runs GC (sync_engine/lifecycle/gc.py) by itself, at most once a day and only
# when nothing else waits: right after a round that settled, with no local change
# pending. A run is resumable (each step is published before the next starts), so a
# stop or a crash in the middle costs nothing but the next attempt. Wall-clock seconds:
# a day is a day even across sleeps.
#
#   | condition                                         | GC now |
#   |---------------------------------------------------|--------|
#   | the round did not settle, or local changes wait   | no     |
#   | a GC failed less than GC_RETRY_S ago              | no     |
#   | a GC succeeded less than GC_EVERY_S ago           | no     |
#   | no GC ever ran here (the caller starts the count) | no     |
#   | otherwise (a day passed, or the clock went back)  | yes    |

GC_EVERY_S = 86_400.0
GC_RETRY_S = 3_600.0


def gc_due(
    *,
    now_wall_s: float,
    last_gc_wall_s: float | None,
    last_failure_wall_s: float | None,
    settled: bool,
    local_pending: bool,
) -> bool:
    if not settled or local_pending:
        return False
    if last_failure_wall_s is not None and 0 <= now_wall_s - last_failure_wall_s < GC_RETRY_S:
        return False
    return last_gc_wall_s is not None and not 0 <= now_wall_s - last_gc_wall_s < GC_EVERY_S
