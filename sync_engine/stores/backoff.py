"""When to try a store operation again: exponential backoff with full jitter.

Why full jitter: after an outage every client retries at once; spreading each
wait uniformly over `[0, min(cap, base * 2**n)]` ("full jitter", from the AWS
Architecture Blog's "Exponential Backoff And Jitter") drains such a herd
fastest for the server, at the price of a few short waits for the client.

This module is pure: no clock, no sleeping, no I/O. The randomness comes from
the `random.Random` the caller passes, and the elapsed time is passed in too,
so a test (or the simulator) replays the exact schedule of a seed.

A server's Retry-After (`StoreThrottled.retry_after`) is honoured: the wait
is never shorter than it, but it is capped at `max_retry_after`, so a broken
or hostile server cannot park the client for hours.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to retry a transient store failure.

    `max_attempts` counts every attempt, the first one included (1 = never retry).
    `deadline` bounds, in seconds, how long to keep retrying after the first
    failure: a wait that would end past it is not started; the caller gives up
    and reports the last error instead (the engine retries at its next round).
    """

    base: float = 0.2
    cap: float = 30.0
    max_attempts: int = 10
    deadline: float = 60.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        for name in ("base", "cap", "deadline", "max_retry_after"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"RetryPolicy.{name} must be a finite number >= 0, not {value!r}")
        if self.cap < self.base:
            raise ValueError("RetryPolicy.cap must be at least RetryPolicy.base")
        if not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be an int >= 1")

    def ceiling(self, retry: int) -> float:
        """The upper bound of the jittered wait before retry number `retry` (1-based)."""
        if retry < 1:
            raise ValueError("retry numbers start at 1")
        # 2**retry overflows a float around 1024; the cap is reached long before.
        exponent = min(retry - 1, 64)
        return min(self.cap, self.base * 2.0**exponent)

    def delay(self, retry: int, rng: random.Random, retry_after: float | None = None) -> float:
        """The wait before retry number `retry`: full jitter, but never below the server's hint."""
        wait = rng.uniform(0.0, self.ceiling(retry))
        hint = sane_retry_after(retry_after, self.max_retry_after)
        return max(wait, hint) if hint is not None else wait

    def next_delay(
        self,
        attempts: int,
        elapsed: float,
        rng: random.Random,
        retry_after: float | None = None,
    ) -> float | None:
        """The wait before the next attempt, or None to give up.

        `attempts` is how many attempts were made so far (all failed), and
        `elapsed` the seconds since the first of them failed.
        """
        if attempts < 1:
            raise ValueError("next_delay is asked after at least one failed attempt")
        if attempts >= self.max_attempts:
            return None
        wait = self.delay(attempts, rng, retry_after)
        if elapsed + wait > self.deadline:
            return None
        return wait


def sane_retry_after(value: float | None, limit: float) -> float | None:
    """A server's Retry-After as a wait in [0, limit]; None if absent or not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), limit)


DEFAULT_POLICY = RetryPolicy()
