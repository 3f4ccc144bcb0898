"""A bandwidth limit: an async token bucket counted in bytes.

Why a bucket: a person sets "upload at most 1 MiB/s" so sync does not eat
the office link; the bucket lets a short burst through at once (about one
second's worth) and holds the long-run average to the rate.

Fairness: a request is paid in slices, and every slice takes its place in
line (its position in the stream of bytes paid so far) when it is asked for.
A 16 MiB pack under 1 MiB/s therefore does not hold the line for 16 s: a
small request arriving meanwhile gets the next slice's turn. Tokens may go
negative (a debt) so the order in line is the order of asking.

Live changes: `set_rate()` may be called at any time, from any thread (the
settings window runs on the GUI thread). Waiters never sleep longer than
`MAX_NAP` at a time, so they see a new rate, or the limit lifted, within it.
The clock and the sleep are injectable so tests run in virtual time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

MAX_NAP = 0.1  # seconds: the longest a waiter sleeps before looking at the rate again
MIN_SLICE = 16 * 1024
SLICES_PER_BURST = 8


def _check_rate(rate: int | None) -> int | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, int) or rate <= 0:
        raise ValueError(
            f"a bandwidth limit is a positive number of bytes per second or None, not {rate!r}"
        )
    return rate


class TokenBucket:
    """Bytes-per-second limit; `None` means unlimited. Safe to share between tasks and threads."""

    def __init__(
        self,
        rate: int | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._rate = _check_rate(rate)
        # Cumulative byte counts: `_reserved` is what has been asked for (slices in line),
        # `_allowed` what the rate has granted so far. A slice whose end position is at
        # or below `_allowed` is paid. `_allowed - _reserved` is the bucket's content.
        self._reserved = 0.0
        self._allowed = self._burst()
        self._stamp = clock()

    @property
    def rate(self) -> int | None:
        return self._rate

    def _burst(self) -> float:
        return float(self._rate) if self._rate is not None else 0.0

    def _slice(self) -> int:
        rate = self._rate
        if rate is None:
            return MIN_SLICE
        return max(MIN_SLICE, rate // SLICES_PER_BURST)

    def _refill(self, now: float) -> None:
        """Grant what the rate allowed since the last look (caller holds the lock)."""
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        if self._rate is None:
            return
        # The bucket holds at most one burst of unused tokens; debt is always paid down.
        self._allowed = min(self._allowed + elapsed * self._rate, self._reserved + self._burst())

    def set_rate(self, rate: int | None) -> None:
        """Change the limit now; waiters adopt it within MAX_NAP (None lifts it)."""
        rate = _check_rate(rate)
        with self._lock:
            self._refill(self._clock())
            was_unlimited = self._rate is None
            self._rate = rate
            if rate is None:
                return
            if was_unlimited:
                # Coming from unlimited: no debt, a full burst available.
                self._allowed = self._reserved + self._burst()
            else:
                self._allowed = min(self._allowed, self._reserved + self._burst())

    async def acquire(self, nbytes: int) -> None:
        """Wait until `nbytes` may be sent (or were received), in fair slices."""
        if nbytes < 0:
            raise ValueError("cannot pay a negative number of bytes")
        left = nbytes
        while left > 0:
            with self._lock:
                if self._rate is None:
                    return
                part = min(left, self._slice())
                self._refill(self._clock())
                self._reserved += part
                position = self._reserved
            await self._wait_for(position, part)
            left -= part

    async def _wait_for(self, position: float, part: int) -> None:
        """Sleep until the bytes up to `position` are granted (the slice is paid)."""
        try:
            while True:
                with self._lock:
                    if self._rate is None:
                        return
                    self._refill(self._clock())
                    missing = position - self._allowed
                    if missing <= 0:
                        return
                    wait = missing / self._rate
                await self._sleep(min(wait, MAX_NAP))
        except asyncio.CancelledError:
            with self._lock:  # give the unpaid slice back, so those behind do not pay for it
                if self._allowed < position:
                    self._allowed += part
            raise
