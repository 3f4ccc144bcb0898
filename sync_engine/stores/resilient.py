"""A store wrapper that rides out transient failures and keeps to bandwidth limits.

Network stores fail in passing: a dropped connection, a 503 from a proxy, a
server asking to slow down. `ResilientStore` retries exactly the errors that
mean "try again later" (`StoreUnavailable`, throttling included) on the
schedule of `backoff.RetryPolicy`, and re-raises the last one when the
attempts or the deadline run out, so the engine still sees an honest
`StoreUnavailable` and retries at its next round. Errors that need a person
(`StoreAuthError`, `StoreConfigError`, `StoreFull`) and ordinary outcomes
(`ObjectNotFound`, `ObjectExists`) are never retried.

Every operation is safe to repeat: reads and lists are, a single-writer
OVERWRITE writes the same bytes again, a delete of a missing object is not an
error. The one subtle case is a create-only put whose acknowledgement was
lost: the object was written, the reply never came, and the retry meets
`ObjectExists` from our own write. So when a CREATE meets `ObjectExists`, the
object is read back: if it holds exactly the bytes sent, the put succeeded;
anything else is someone else's object and `ObjectExists` stands.

This holds for the first attempt too: a backend's HTTP client may retry a
request whose reply was cut without telling us (obstore's transport does,
seen here through the fault proxy against SeaweedFS), so even our first
`put` can meet its own earlier write. Taking an identical object for ours is
safe: create-only objects are immutable, and equal bytes are equal content.
A real conflict costs one HEAD (and a GET only when the sizes match).

Bandwidth: uploads pay the upload bucket before each attempt is sent (a retry
sends the bytes again), downloads pay the download bucket for what they
received. `set_limits` changes both live.
"""

from __future__ import annotations

import asyncio
import builtins
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from . import errors
from .backoff import DEFAULT_POLICY, RetryPolicy
from .bandwidth import TokenBucket
from .base import ObjectInfo, PutMode, Store
from .errors import ObjectExists, ObjectNotFound, StoreThrottled, StoreUnavailable

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

log = logging.getLogger(__name__)


class ResilientStore:
    """`inner` with retries, throttling and bandwidth limits; a `Store` itself."""

    def __init__(
        self,
        inner: Store,
        *,
        policy: RetryPolicy = DEFAULT_POLICY,
        upload_bps: int | None = None,
        download_bps: int | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()
        self._clock = clock
        self._upload = TokenBucket(upload_bps, clock=clock, sleep=sleep)
        self._download = TokenBucket(download_bps, clock=clock, sleep=sleep)
        self.retries = 0  # attempts made after a failure, over the store's life
        self.throttled = 0  # StoreThrottled answers seen
        self.recovered_acks = 0  # retried creates that found their own earlier write
        self.gave_up = 0  # operations that failed after every allowed attempt

    def __repr__(self) -> str:
        return f"ResilientStore({self.inner!r})"

    @property
    def url(self) -> str:
        return self.inner.url

    @property
    def supports_compare_and_swap(self) -> bool:
        return self.inner.supports_compare_and_swap

    @property
    def upload_bps(self) -> int | None:
        return self._upload.rate

    @property
    def download_bps(self) -> int | None:
        return self._download.rate

    def set_limits(self, upload_bps: int | None, download_bps: int | None) -> None:
        """New bandwidth limits in bytes per second (None: unlimited), effective at once."""
        self._upload.set_rate(upload_bps)
        self._download.set_rate(download_bps)
        log.debug(
            "bandwidth limits for %s: up %s B/s, down %s B/s", self.url, upload_bps, download_bps
        )

    # --- the retry loop ----------------------------------------------------------------------

    async def _retrying(self, op: str, key: str, attempt: Callable[[int], Awaitable[T]]) -> T:
        """Run `attempt(n)` (n = 1, 2, ...) until it succeeds or retrying has to stop."""
        attempts = 0
        first_failure: float | None = None
        while True:
            attempts += 1
            try:
                return await attempt(attempts)
            except StoreUnavailable as exc:
                now = self._clock()
                if first_failure is None:
                    first_failure = now
                retry_after = exc.retry_after if isinstance(exc, StoreThrottled) else None
                if isinstance(exc, StoreThrottled):
                    self.throttled += 1
                wait = self.policy.next_delay(attempts, now - first_failure, self._rng, retry_after)
                if wait is None:
                    self.gave_up += 1
                    log.warning(
                        "%s %s on %s failed after %d attempts over %.1f s: %s",
                        op,
                        key,
                        self.url,
                        attempts,
                        now - first_failure,
                        exc,
                    )
                    raise
                log.debug(
                    "%s %s on %s failed (%s: %s); retry %d in %.2f s",
                    op,
                    key,
                    self.url,
                    type(exc).__name__,
                    exc,
                    attempts,
                    wait,
                )
                self.retries += 1
                await self._sleep(wait)

    # --- writes ------------------------------------------------------------------------------

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        size = data.nbytes if isinstance(data, memoryview) else len(data)

        async def attempt(_n: int) -> ObjectInfo:
            await self._upload.acquire(size)
            try:
                return await self.inner.put(key, data, mode=mode)
            except ObjectExists:
                if mode is not PutMode.CREATE:
                    raise
                return await self._own_create(key, data)

        return await self._retrying("put", key, attempt)

    async def _own_create(self, key: str, data: bytes | memoryview) -> ObjectInfo:
        """A create met an existing object: ours (lost acknowledgement) or not?"""
        try:
            info = await self.inner.head(key)
            size = data.nbytes if isinstance(data, memoryview) else len(data)
            if info.size == size:
                stored = await self.inner.get(key)
                await self._download.acquire(len(stored))
                if stored == bytes(data):
                    self.recovered_acks += 1
                    log.debug(
                        "put %s on %s: its acknowledgement was lost; it is stored", key, self.url
                    )
                    return info
        except ObjectNotFound:
            # Gone between our create and this read: whoever deleted it, creating it
            # again is what the caller asked for.
            raise StoreUnavailable(
                f"{key!r} vanished from {self.url} while a write was being checked; retrying.",
                url=self.url,
                key=key,
            ) from None
        raise errors.exists(self.url, key)

    async def delete(self, key: str) -> None:
        async def attempt(_n: int) -> None:
            await self.inner.delete(key)

        await self._retrying("delete", key, attempt)

    # --- reads -------------------------------------------------------------------------------

    async def get(self, key: str) -> bytes:
        async def attempt(_n: int) -> bytes:
            data = await self.inner.get(key)
            await self._download.acquire(len(data))
            return data

        return await self._retrying("get", key, attempt)

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        async def attempt(_n: int) -> bytes:
            data = await self.inner.get_range(key, start, end)
            await self._download.acquire(len(data))
            return data

        return await self._retrying("get_range", key, attempt)

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        async def attempt(_n: int) -> builtins.list[bytes]:
            parts = await self.inner.get_ranges(key, ranges)
            await self._download.acquire(sum(len(p) for p in parts))
            return parts

        return await self._retrying("get_ranges", key, attempt)

    async def head(self, key: str) -> ObjectInfo:
        async def attempt(_n: int) -> ObjectInfo:
            return await self.inner.head(key)

        return await self._retrying("head", key, attempt)

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        async def attempt(_n: int) -> builtins.list[ObjectInfo]:
            return await self.inner.list(prefix)

        return await self._retrying("list", prefix, attempt)

    async def close(self) -> None:
        await self.inner.close()
