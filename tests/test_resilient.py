"""Retries, throttling and bandwidth limits: the backoff schedule, the token bucket, ResilientStore.

Everything here runs in virtual time (`VirtualTime`): sleeps advance a fake
clock instead of waiting, so schedules of tens of seconds are checked
exactly and in milliseconds. The store behind `ResilientStore` is the real
`MemoryStore`, whose fault hooks inject unavailability and lost
acknowledgements exactly where a test wants them.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import random
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_engine.stores import (
    MemoryStore,
    ObjectExists,
    ObjectNotFound,
    PutMode,
    Store,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreThrottled,
    StoreUnavailable,
)
from sync_engine.stores.backoff import DEFAULT_POLICY, RetryPolicy, sane_retry_after
from sync_engine.stores.bandwidth import MAX_NAP, TokenBucket
from sync_engine.stores.resilient import ResilientStore

T = TypeVar("T")
CREATE = PutMode.CREATE
MiB = 1024 * 1024


# ----------------------------------------------------------------------------
# Virtual time
# ----------------------------------------------------------------------------


class VirtualTime:
    """A fake monotonic clock and a sleep that advances it, for many tasks at once.

    `run(coro)` drives the event loop: it lets every runnable task run, then
    jumps the clock to the earliest pending sleep and wakes it. Tasks must
    block only on `self.sleep` (or on things that yield with asyncio.sleep(0)).
    """

    SETTLE_YIELDS = 20

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.start = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    @property
    def elapsed(self) -> float:
        return self.now - self.start

    async def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._seq), fut))
        await fut

    async def _settle(self) -> None:
        for _ in range(self.SETTLE_YIELDS):
            await asyncio.sleep(0)

    async def run(self, coro: Coroutine[Any, Any, T], *, max_steps: int = 100_000) -> T:
        task = asyncio.ensure_future(coro)
        for _ in range(max_steps):
            await self._settle()
            if task.done():
                return task.result()
            if not self._sleepers:
                await asyncio.sleep(0)
                continue
            wake, _, fut = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            if not fut.cancelled():
                fut.set_result(None)
        task.cancel()
        raise AssertionError("virtual time ran out of steps")


# ----------------------------------------------------------------------------
# The backoff schedule
# ----------------------------------------------------------------------------


def test_policy_ceiling_doubles_then_caps() -> None:
    policy = RetryPolicy(base=0.2, cap=30.0)
    assert [policy.ceiling(n) for n in range(1, 5)] == pytest.approx([0.2, 0.4, 0.8, 1.6])
    assert policy.ceiling(8) == pytest.approx(25.6)
    assert policy.ceiling(9) == 30.0
    assert policy.ceiling(5000) == 30.0  # no float overflow on absurd retry numbers
    with pytest.raises(ValueError):
        policy.ceiling(0)


def test_policy_full_jitter_spreads_over_the_whole_range() -> None:
    """Full jitter: waits cover [0, ceiling], not a band around it (the herd spreads out)."""
    policy = RetryPolicy(base=1.0, cap=8.0)
    rng = random.Random(7)
    waits = [policy.delay(4, rng) for _ in range(2000)]
    assert all(0.0 <= w <= 8.0 for w in waits)
    assert min(waits) < 0.5 and max(waits) > 7.5
    assert 3.5 < sum(waits) / len(waits) < 4.5


def test_policy_is_deterministic_for_a_seed() -> None:
    a = [DEFAULT_POLICY.delay(n, random.Random(3)) for n in range(1, 8)]
    b = [DEFAULT_POLICY.delay(n, random.Random(3)) for n in range(1, 8)]
    assert a == b


def test_policy_gives_up_after_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3, deadline=1e9)
    rng = random.Random(1)
    assert policy.next_delay(1, 0.0, rng) is not None
    assert policy.next_delay(2, 0.0, rng) is not None
    assert policy.next_delay(3, 0.0, rng) is None
    assert RetryPolicy(max_attempts=1).next_delay(1, 0.0, rng) is None


def test_policy_gives_up_before_a_wait_past_the_deadline() -> None:
    policy = RetryPolicy(base=1.0, cap=1.0, max_attempts=100, deadline=10.0)
    rng = random.Random(2)
    assert policy.next_delay(1, 8.5, rng, retry_after=1.0) == 1.0
    assert policy.next_delay(1, 9.5, rng, retry_after=1.0) is None


def test_retry_after_is_a_floor_and_is_capped() -> None:
    policy = RetryPolicy(base=0.2, cap=1.0, max_retry_after=60.0, deadline=1e9)
    rng = random.Random(5)
    for n in range(1, 6):
        assert policy.delay(n, rng, retry_after=5.0) == 5.0  # never sooner than the server said
    assert policy.delay(1, rng, retry_after=86_400.0) == 60.0  # a day is not sane: capped
    assert policy.delay(1, rng, retry_after=-3.0) <= 0.2  # a negative hint means "now"
    # A hint shorter than the jitter does not shorten the jitter.
    big = RetryPolicy(base=100.0, cap=100.0)
    assert all(big.delay(1, random.Random(s), retry_after=0.001) >= 0.001 for s in range(50))


def test_sane_retry_after() -> None:
    assert sane_retry_after(None, 60) is None
    assert sane_retry_after(float("nan"), 60) is None
    assert sane_retry_after(True, 60) is None
    assert sane_retry_after(float("inf"), 60) == 60
    assert sane_retry_after(2, 60) == 2.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base": -1.0},
        {"cap": float("inf")},
        {"deadline": float("nan")},
        {"base": 2.0, "cap": 1.0},
        {"max_attempts": 0},
        {"max_retry_after": -1},
    ],
)
def test_policy_rejects_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    base=st.floats(0.0, 5.0),
    extra_cap=st.floats(0.0, 100.0),
    max_attempts=st.integers(1, 30),
    deadline=st.floats(0.0, 500.0),
    hints=st.lists(st.one_of(st.none(), st.floats(-10.0, 1e6)), min_size=30, max_size=30),
)
def test_policy_schedule_properties(
    seed: int,
    base: float,
    extra_cap: float,
    max_attempts: int,
    deadline: float,
    hints: list[float | None],
) -> None:
    """Whatever the seed and hints: bounded waits, hints honoured, attempts and deadline kept."""
    policy = RetryPolicy(
        base=base, cap=base + extra_cap, max_attempts=max_attempts, deadline=deadline
    )
    rng = random.Random(seed)
    elapsed = 0.0
    attempts = 1
    while True:
        hint = hints[attempts - 1]
        wait = policy.next_delay(attempts, elapsed, rng, hint)
        if wait is None:
            break
        floor = sane_retry_after(hint, policy.max_retry_after)
        assert wait >= 0.0
        if floor is not None:
            assert wait >= floor
        assert wait <= max(policy.ceiling(attempts), floor or 0.0)
        elapsed += wait
        attempts += 1
    assert attempts <= max_attempts
    assert elapsed <= deadline


# ----------------------------------------------------------------------------
# The token bucket
# ----------------------------------------------------------------------------


async def test_unlimited_bucket_never_sleeps() -> None:
    vt = VirtualTime()
    bucket = TokenBucket(None, clock=vt.clock, sleep=vt.sleep)
    await vt.run(bucket.acquire(10 * 1024 * MiB))
    assert vt.sleeps == [] and vt.elapsed == 0


async def test_bucket_lets_a_burst_through_then_holds_the_rate() -> None:
    vt = VirtualTime()
    bucket = TokenBucket(MiB, clock=vt.clock, sleep=vt.sleep)
    await vt.run(bucket.acquire(MiB))  # one second's worth: at once
    assert vt.elapsed == 0
    await vt.run(bucket.acquire(4 * MiB))
    assert vt.elapsed == pytest.approx(4.0, abs=0.01)
    # Idle time refills at most one burst, not more.
    vt.now += 100
    t0 = vt.now
    await vt.run(bucket.acquire(3 * MiB))
    assert vt.now - t0 == pytest.approx(2.0, abs=0.01)


async def test_bucket_long_run_average_is_the_rate() -> None:
    vt = VirtualTime()
    rate = 256 * 1024
    bucket = TokenBucket(rate, clock=vt.clock, sleep=vt.sleep)
    rng = random.Random(4)
    sizes = [rng.randrange(1, 300_000) for _ in range(20)]

    async def many() -> None:
        await asyncio.gather(*(bucket.acquire(s) for s in sizes))

    await vt.run(many())
    expected = (sum(sizes) - rate) / rate  # everything but the initial burst paid at the rate
    assert vt.elapsed == pytest.approx(expected, abs=0.05)


async def test_bucket_slices_keep_small_requests_moving_behind_a_big_one() -> None:
    """A 16 MiB pack under 1 MiB/s must not make a small request wait for the whole pack."""
    vt = VirtualTime()
    bucket = TokenBucket(MiB, clock=vt.clock, sleep=vt.sleep)
    done: dict[str, float] = {}

    async def pay(name: str, nbytes: int, after: float) -> None:
        await vt.sleep(after)
        await bucket.acquire(nbytes)
        done[name] = vt.now - vt.start

    async def both() -> None:
        await asyncio.gather(pay("pack", 16 * MiB, 0.0), pay("small", 10_000, 2.0))

    await vt.run(both())
    assert done["pack"] == pytest.approx(15.0, abs=0.2)  # the whole pack still pays in full
    assert done["small"] < 2.5  # one slice's wait, not the rest of the pack's 13 s


async def test_set_rate_reaches_waiters_live() -> None:
    vt = VirtualTime()
    bucket = TokenBucket(MiB, clock=vt.clock, sleep=vt.sleep)
    finished: list[float] = []

    async def big() -> None:
        await bucket.acquire(11 * MiB)  # 10 s at 1 MiB/s
        finished.append(vt.elapsed)

    async def settings_change() -> None:
        await vt.sleep(2.0)
        bucket.set_rate(4 * MiB)  # remaining ~8 MiB now take ~2 s

    async def both() -> None:
        await asyncio.gather(big(), settings_change())

    await vt.run(both())
    assert finished[0] == pytest.approx(4.0, abs=MAX_NAP + 0.05)

    # Lifting the limit frees a waiter at once (within one nap).
    vt2 = VirtualTime()
    bucket2 = TokenBucket(MiB, clock=vt2.clock, sleep=vt2.sleep)
    ended: list[float] = []

    async def waiter() -> None:
        await bucket2.acquire(100 * MiB)
        ended.append(vt2.elapsed)

    async def lift() -> None:
        await vt2.sleep(3.0)
        bucket2.set_rate(None)

    async def both2() -> None:
        await asyncio.gather(waiter(), lift())

    await vt2.run(both2())
    assert ended[0] <= 3.0 + MAX_NAP + 1e-9
    # And a limit set again starts from a full burst, not from old debt.
    t0 = vt2.now
    bucket2.set_rate(MiB)
    await vt2.run(bucket2.acquire(MiB))
    assert vt2.now == t0


async def test_set_rate_from_another_thread_wakes_a_real_waiter() -> None:
    """The settings window calls set_rate on the GUI thread while the engine's loop waits."""
    bucket = TokenBucket(64 * 1024)  # real clock and sleep
    timer = threading.Timer(0.2, bucket.set_rate, args=(None,))
    started = time.monotonic()
    timer.start()
    try:
        await asyncio.wait_for(bucket.acquire(64 * MiB), timeout=5.0)  # ~1000 s at the old rate
    finally:
        timer.cancel()
    assert time.monotonic() - started < 2.0


async def test_a_cancelled_waiter_does_not_charge_those_behind() -> None:
    vt = VirtualTime()
    bucket = TokenBucket(MiB, clock=vt.clock, sleep=vt.sleep)
    await vt.run(bucket.acquire(MiB))  # empty the burst

    async def scenario() -> float:
        doomed = asyncio.ensure_future(bucket.acquire(64 * 1024))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        doomed.cancel()
        t0 = vt.now
        await bucket.acquire(128 * 1024)
        return vt.now - t0

    waited = await vt.run(scenario())
    assert waited == pytest.approx(0.125, abs=0.01)  # its own 128 KiB, not the cancelled 64 KiB too


@pytest.mark.parametrize("rate", [0, -5, 1.5, True])
def test_bucket_rejects_nonsense_rates(rate: Any) -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate)
    with pytest.raises(ValueError):
        TokenBucket(None).set_rate(rate)


# ----------------------------------------------------------------------------
# ResilientStore
# ----------------------------------------------------------------------------

FAST = RetryPolicy(base=0.2, cap=5.0, max_attempts=6, deadline=60.0)


class Faults:
    """A MemoryStore fault hook: raise the queued errors for (op, key) in order."""

    def __init__(self) -> None:
        self.plan: dict[tuple[str, str], list[StoreError]] = {}
        self.calls: list[tuple[str, str]] = []

    def add(self, op: str, key: str, *errs: StoreError) -> None:
        self.plan.setdefault((op, key), []).extend(errs)

    def __call__(self, op: str, key: str) -> None:
        self.calls.append((op, key))
        queued = self.plan.get((op, key))
        if queued:
            raise queued.pop(0)

    def count(self, op: str, key: str | None = None) -> int:
        return sum(1 for o, k in self.calls if o == op and (key is None or k == key))


def down(key: str = "k") -> StoreUnavailable:
    return StoreUnavailable("connection reset (injected)", url="memory://t", key=key)


def make(
    policy: RetryPolicy = FAST, **kwargs: Any
) -> tuple[ResilientStore, MemoryStore, Faults, VirtualTime]:
    faults = Faults()
    inner = MemoryStore(name="t", fault=faults)
    vt = VirtualTime()
    store = ResilientStore(
        inner, policy=policy, sleep=vt.sleep, clock=vt.clock, rng=random.Random(0), **kwargs
    )
    return store, inner, faults, vt


async def test_resilient_store_is_a_store() -> None:
    store, _, _, _ = make()
    assert isinstance(store, Store)
    assert store.url == "memory://t"
    assert store.supports_compare_and_swap is False


async def test_transient_failures_are_retried_until_success() -> None:
    store, inner, faults, vt = make()
    await inner.put("k", b"v1")
    faults.add("get", "k", down(), down(), down())
    assert await vt.run(store.get("k")) == b"v1"
    assert faults.count("get") == 4
    assert store.retries == 3 and store.throttled == 0 and store.gave_up == 0
    # Each wait is full jitter under the doubling ceiling.
    assert len(vt.sleeps) == 3
    for n, wait in enumerate(vt.sleeps, start=1):
        assert 0 <= wait <= FAST.ceiling(n)


async def test_every_operation_retries() -> None:
    store, inner, faults, vt = make()
    await inner.put("a/b", b"0123456789")
    for op in ("put", "get", "get_range", "get_ranges", "head", "list", "delete"):
        faults.add(op, "a/b" if op != "list" else "a/", down())
    assert await vt.run(store.head("a/b")) is not None
    assert await vt.run(store.get("a/b")) == b"0123456789"
    assert await vt.run(store.get_range("a/b", 2, 4)) == b"23"
    assert await vt.run(store.get_ranges("a/b", [(0, 1), (8, 20)])) == [b"0", b"89"]
    assert [o.key for o in await vt.run(store.list("a/"))] == ["a/b"]
    await vt.run(store.put("a/b", b"new"))
    assert await inner.get("a/b") == b"new"
    await vt.run(store.delete("a/b"))
    with pytest.raises(ObjectNotFound):
        await inner.get("a/b")
    assert store.retries == 7


async def test_gives_up_after_max_attempts_with_the_last_error() -> None:
    store, inner, faults, vt = make(RetryPolicy(max_attempts=4, deadline=1e6))
    await inner.put("k", b"v")
    errs = [down() for _ in range(10)]
    faults.add("get", "k", *errs)
    with pytest.raises(StoreUnavailable) as info:
        await vt.run(store.get("k"))
    assert info.value is errs[3]  # the last attempt's own error, not a wrapper
    assert faults.count("get") == 4
    assert store.retries == 3 and store.gave_up == 1


async def test_gives_up_at_the_deadline() -> None:
    policy = RetryPolicy(base=1.0, cap=1.0, max_attempts=1000, deadline=10.0)
    store, inner, faults, vt = make(policy)
    await inner.put("k", b"v")
    faults.add("get", "k", *(StoreThrottled("slow down", retry_after=3.0) for _ in range(100)))
    with pytest.raises(StoreThrottled):
        await vt.run(store.get("k"))
    # Waits of 3 s each: 3 fit in 10 s, a 4th would end past the deadline.
    assert vt.sleeps == [3.0, 3.0, 3.0]
    assert faults.count("get") == 4
    assert store.throttled == 4


async def test_throttling_honours_retry_after() -> None:
    store, inner, faults, vt = make(RetryPolicy(base=0.2, cap=5.0, deadline=600.0))
    await inner.put("k", b"v")
    faults.add(
        "get",
        "k",
        StoreThrottled("503 SlowDown", retry_after=4.0),
        StoreThrottled("429", retry_after=None),
        StoreThrottled("429", retry_after=10_000.0),
    )
    assert await vt.run(store.get("k")) == b"v"
    assert vt.sleeps[0] == 4.0  # never sooner than the server asked
    assert vt.sleeps[1] <= store.policy.ceiling(2)  # no hint: plain backoff
    assert vt.sleeps[2] == store.policy.max_retry_after  # an absurd hint is capped
    assert store.throttled == 3 and store.retries == 3


@pytest.mark.parametrize(
    "error",
    [
        StoreAuthError("403 forbidden"),
        StoreConfigError("no such bucket"),
        StoreFull("quota exceeded"),
        ObjectNotFound("missing"),
        StoreError("closed"),
    ],
)
async def test_errors_that_need_a_person_are_never_retried(error: StoreError) -> None:
    store, inner, faults, vt = make()
    await inner.put("k", b"v")
    faults.calls.clear()
    for op in ("get", "put", "delete", "list", "head"):
        faults.add(op, "k", error)
    with pytest.raises(type(error)):
        await vt.run(store.get("k"))
    with pytest.raises(type(error)):
        await vt.run(store.put("k", b"x"))
    assert faults.count("get") == 1 and faults.count("put") == 1
    assert store.retries == 0 and vt.sleeps == []


async def test_value_errors_pass_through_untouched() -> None:
    store, _, faults, vt = make()
    with pytest.raises(ValueError):
        await vt.run(store.get("Bad/Key"))
    assert store.retries == 0 and faults.calls == []


async def test_create_meeting_another_object_raises_exists() -> None:
    store, inner, faults, vt = make()
    await inner.put("log/d/1", b"theirs")
    await inner.put("log/d/2", b"THEIRS")
    faults.calls.clear()
    with pytest.raises(ObjectExists):
        await vt.run(store.put("log/d/1", b"mine", mode=CREATE))  # other size: a HEAD tells
    assert faults.count("get") == 0
    with pytest.raises(ObjectExists):
        await vt.run(store.put("log/d/2", b"theirs", mode=CREATE))  # same size: read back
    assert await inner.get("log/d/2") == b"THEIRS"
    assert store.recovered_acks == 0 and store.retries == 0


async def test_first_create_meeting_its_own_bytes_succeeds() -> None:
    """A backend's HTTP client may have retried under us: an identical object is ours."""
    store, inner, _, vt = make()
    first = await inner.put("packs/ab/p0", b"pack bytes", mode=CREATE)
    info = await vt.run(store.put("packs/ab/p0", b"pack bytes", mode=CREATE))
    assert info == first
    assert store.recovered_acks == 1 and store.retries == 0


async def test_lost_acknowledgement_of_a_create_is_recovered() -> None:
    """The write happened, the reply was lost: the retry's ObjectExists is our own object."""
    store, inner, faults, vt = make()
    faults.add("put:ack", "packs/ab/p1", down("packs/ab/p1"))
    data = bytes(range(256)) * 1000
    info = await vt.run(store.put("packs/ab/p1", memoryview(data), mode=CREATE))
    assert await inner.get("packs/ab/p1") == data
    assert info == await inner.head("packs/ab/p1")
    assert store.recovered_acks == 1 and store.retries == 1
    assert faults.count("put") == 2  # the original write and the retry that met it


async def test_lost_acknowledgement_with_a_failing_read_back_is_still_recovered() -> None:
    store, _, faults, vt = make()
    faults.add("put:ack", "log/d/7", down())
    faults.add("get", "log/d/7", down())
    faults.add("head", "log/d/7", down())
    info = await vt.run(store.put("log/d/7", b"segment", mode=CREATE))
    assert info.size == 7
    assert store.recovered_acks == 1


@pytest.mark.parametrize("other", [b"someone else", b"segmenT"])  # other size / same size
async def test_retried_create_meeting_another_writers_object_raises_exists(other: bytes) -> None:
    """Between our failed try and the retry someone else created the key: not ours."""
    faults = Faults()
    inner = MemoryStore(name="t", fault=faults)
    vt = VirtualTime()

    async def sleep_while_another_device_writes(seconds: float) -> None:
        await inner.put("log/d/7", other, mode=CREATE)
        await vt.sleep(seconds)

    store = ResilientStore(
        inner,
        policy=FAST,
        sleep=sleep_while_another_device_writes,
        clock=vt.clock,
        rng=random.Random(0),
    )
    faults.add("put", "log/d/7", down())  # fails before writing anything
    with pytest.raises(ObjectExists):
        await vt.run(store.put("log/d/7", b"segment", mode=CREATE))
    assert await inner.get("log/d/7") == other  # untouched
    assert store.recovered_acks == 0


async def test_create_whose_object_vanishes_during_the_check_is_created_again() -> None:
    faults = Faults()
    inner = MemoryStore(name="t", fault=faults)
    vt = VirtualTime()
    store = ResilientStore(inner, policy=FAST, sleep=vt.sleep, clock=vt.clock)
    faults.add("put:ack", "k", down())

    def delete_on_head(op: str, key: str) -> None:
        faults(op, key)
        if op == "head" and not deleted:
            deleted.append(True)
            inner._objects.pop(key)  # another device removes it right then
            inner._folders.clear()

    deleted: list[bool] = []
    inner.fault = delete_on_head
    await vt.run(store.put("k", b"mine", mode=CREATE))
    assert await inner.get("k") == b"mine"


async def test_lost_acknowledgements_of_overwrite_and_delete_are_harmless() -> None:
    store, inner, faults, vt = make()
    faults.add("put:ack", "heads/d", down())
    faults.add("delete:ack", "heads/d", down())
    await vt.run(store.put("heads/d", b"h1"))
    assert await inner.get("heads/d") == b"h1"
    await vt.run(store.delete("heads/d"))
    assert await inner.list("") == []
    assert store.retries == 2


@settings(max_examples=60, deadline=None)
@given(
    outcomes=st.lists(st.sampled_from(["ok", "down", "ack", "throttled"]), min_size=1, max_size=8),
    seed=st.integers(0, 1000),
)
def test_create_under_any_fault_sequence(outcomes: list[str], seed: int) -> None:
    """Whatever fails in which order: success means the data is stored; failure means retryable."""

    async def scenario() -> None:
        inner = MemoryStore(name="t")
        vt = VirtualTime()
        policy = RetryPolicy(base=0.1, cap=1.0, max_attempts=5, deadline=1e6)
        store = ResilientStore(
            inner, policy=policy, sleep=vt.sleep, clock=vt.clock, rng=random.Random(seed)
        )
        queue = list(outcomes)

        def fault(op: str, key: str) -> None:
            if op not in ("put", "put:ack") or not queue:
                return
            if op == "put":
                if queue[0] == "down":
                    queue.pop(0)
                    raise down()
                if queue[0] == "throttled":
                    queue.pop(0)
                    raise StoreThrottled("slow down", retry_after=0.5)
            elif queue[0] in ("ack", "ok") and queue.pop(0) == "ack":
                raise down()

        inner.fault = fault
        try:
            await vt.run(store.put("packs/00/x", b"payload", mode=CREATE))
        except StoreUnavailable:
            assert store.gave_up == 1 and store.retries == policy.max_attempts - 1
        else:
            inner.fault = None
            assert await inner.get("packs/00/x") == b"payload"

    asyncio.run(scenario())


# --- bandwidth through the store -----------------------------------------------------------


async def test_uploads_pay_before_sending_and_again_on_retry() -> None:
    store, inner, faults, vt = make(upload_bps=MiB)
    sent_at: list[float] = []
    faults.add("put", "p", down())

    def record(op: str, key: str) -> None:
        if op == "put":
            sent_at.append(vt.elapsed)
        faults(op, key)

    inner.fault = record
    policy_sleeps_before = len(vt.sleeps)
    await vt.run(store.put("p", b"x" * (3 * MiB)))
    assert policy_sleeps_before == 0
    # First try: 1 MiB burst, 2 MiB at 1 MiB/s -> sent at 2 s; the retry pays 3 MiB again.
    assert sent_at[0] == pytest.approx(2.0, abs=0.01)
    assert sent_at[1] >= sent_at[0] + 3.0 - 0.01
    assert store.upload_bps == MiB and store.download_bps is None


async def test_downloads_pay_for_what_they_received() -> None:
    store, inner, _, vt = make(download_bps=MiB)
    await inner.put("big", b"y" * (5 * MiB))
    await vt.run(store.get("big"))
    assert vt.elapsed == pytest.approx(4.0, abs=0.01)
    t0 = vt.now
    parts = await vt.run(store.get_ranges("big", [(0, MiB), (2 * MiB, 3 * MiB)]))
    assert [len(p) for p in parts] == [MiB, MiB]
    assert vt.now - t0 == pytest.approx(2.0, abs=0.01)
    t0 = vt.now
    await vt.run(store.head("big"))
    await vt.run(store.list(""))
    assert vt.now == t0  # metadata is free


async def test_set_limits_takes_effect_live() -> None:
    store, inner, _, vt = make(upload_bps=MiB)
    store.set_limits(None, 2 * MiB)
    assert (store.upload_bps, store.download_bps) == (None, 2 * MiB)
    await vt.run(store.put("p", b"z" * (8 * MiB)))
    assert vt.elapsed == 0
    store.set_limits(MiB, None)
    t0 = vt.now

    async def put_and_relax() -> None:
        async def relax() -> None:
            await vt.sleep(1.0)
            store.set_limits(None, None)

        await asyncio.gather(store.put("q", b"z" * (20 * MiB)), relax())

    await vt.run(put_and_relax())
    assert vt.now - t0 <= 1.0 + MAX_NAP + 1e-9
    assert len(await inner.get("q")) == 20 * MiB


async def test_give_up_is_logged_without_data(caplog: pytest.LogCaptureFixture) -> None:
    store, _, faults, vt = make(RetryPolicy(max_attempts=2))
    faults.add("put", "heads/d", down(), down())
    caplog.set_level(logging.DEBUG, logger="sync_engine.stores.resilient")
    with pytest.raises(StoreUnavailable):
        await vt.run(store.put("heads/d", b"SECRET-PAYLOAD"))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "heads/d" in warnings[0].getMessage()
    assert all("SECRET-PAYLOAD" not in r.getMessage() for r in caplog.records)


async def test_close_closes_the_inner_store() -> None:
    store, _, _, vt = make()
    await store.close()
    with pytest.raises(StoreError):
        await vt.run(store.get("k"))
    assert store.retries == 0  # a closed store is not "unavailable"
