"""The retention decision and the vault settings merge: examples and properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_engine.core.merge import merge
from sync_engine.core.model import Kind, Version, VersionId, hlc_make
from sync_engine.core.retention import (
    DAY_MS,
    RetentionPolicy,
    current_heads,
    format_duration,
    kept,
    parse_duration,
)
from sync_engine.core.vault_settings import SettingsUpdate, VaultSettings, effective

DEVICES = ("a" * 32, "b" * 32)
NOW = 400 * DAY_MS


@st.composite
def histories(draw: st.DrawFn) -> list[Version]:
    """Chains of edits and deletions of a few paths, spread over a year, by two devices."""
    versions: list[Version] = []
    counters = itertools.count(1)
    for path in ("a.txt", "b.txt", "d/c.txt"):
        n = draw(st.integers(1, 8))
        times = sorted(draw(st.lists(st.integers(0, NOW), min_size=n, max_size=n)))
        prev: frozenset[VersionId] = frozenset()
        for t in times:
            device = draw(st.sampled_from(DEVICES))
            tomb = draw(st.booleans()) and draw(st.booleans())
            vid = VersionId(device, next(counters))
            versions.append(
                Version(
                    vid=vid,
                    path=path,
                    supersedes=prev if draw(st.integers(0, 9)) else frozenset(),  # some conflicts
                    hlc=hlc_make(t, vid.counter),
                    kind=Kind.TOMBSTONE if tomb else Kind.FILE,
                    size=0 if tomb else 1,
                    content_hash=b"" if tomb else vid.counter.to_bytes(32, "little"),
                )
            )
            prev = frozenset({vid})
    return versions


policies = st.builds(
    RetentionPolicy,
    keep_all_ms=st.integers(0, 60).map(lambda d: d * DAY_MS),
    daily_ms=st.integers(0, 200).map(lambda d: d * DAY_MS),
    deleted_ms=st.integers(0, 60).map(lambda d: d * DAY_MS),
)


def _kept(versions: list[Version], policy: RetentionPolicy, now: int = NOW) -> frozenset[VersionId]:
    return kept(versions, merge(versions, {}), policy, now)


@settings(max_examples=150, deadline=None)
@given(histories(), policies)
def test_the_live_tree_is_always_kept(versions: list[Version], policy: RetentionPolicy) -> None:
    tree = merge(versions, {})
    keep = _kept(versions, policy)
    for entry in tree.entries.values():
        assert entry.heads | entry.losers <= keep
        if entry.version is not None:
            assert entry.version.vid in keep


@settings(max_examples=150, deadline=None)
@given(histories(), policies, policies)
def test_wider_windows_keep_more(
    versions: list[Version], p: RetentionPolicy, q: RetentionPolicy
) -> None:
    wide = RetentionPolicy(
        max(p.keep_all_ms, q.keep_all_ms),
        max(p.daily_ms, q.daily_ms),
        max(p.deleted_ms, q.deleted_ms),
    )
    assert _kept(versions, p) <= _kept(versions, wide)


@settings(max_examples=150, deadline=None)
@given(histories(), policies, st.integers(0, 100))
def test_time_only_ever_drops_versions(
    versions: list[Version], policy: RetentionPolicy, days: int
) -> None:
    assert _kept(versions, policy, NOW + days * DAY_MS) <= _kept(versions, policy, NOW)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_zero_keeps_exactly_the_live_tree(versions: list[Version]) -> None:
    tree = merge(versions, {})
    live = frozenset(
        vid
        for e in tree.entries.values()
        for vid in e.heads | e.losers | ({e.version.vid} if e.version else set())
    )
    assert _kept(versions, RetentionPolicy.within(0)) == live


@settings(max_examples=150, deadline=None)
@given(histories(), policies)
def test_old_versions_are_thinned_to_one_a_day(
    versions: list[Version], policy: RetentionPolicy
) -> None:
    keep = _kept(versions, policy)
    heads = current_heads(merge(versions, {}))
    per_day: dict[tuple[str, int], int] = {}
    for v in versions:
        age = NOW - (v.hlc >> 16)
        if v.vid in keep and v.vid not in heads and age >= policy.keep_all_ms:
            key = (v.path, (v.hlc >> 16) // DAY_MS)
            per_day[key] = per_day.get(key, 0) + 1
            assert age < policy.daily_ms
    assert all(n == 1 for n in per_day.values())


def test_defaults_on_an_example() -> None:
    dev = DEVICES[0]

    def v(counter: int, day: float, sup: int | None, kind: Kind = Kind.FILE) -> Version:
        return Version(
            VersionId(dev, counter),
            "r.odt",
            frozenset() if sup is None else frozenset({VersionId(dev, sup)}),
            hlc_make(int(day * DAY_MS)),
            kind,
            content_hash=bytes([counter]) * 32,
        )

    history = [
        v(1, 10.1, None),  # 390 days old: gone
        v(2, 300.2, 1),  # 100 days old, first of its day: gone (not the newest that day)
        v(3, 300.3, 2),  # 100 days old, newest of its day: kept (daily)
        v(4, 390.0, 3),  # 10 days old: kept (recent)
        v(5, 399.0, 4),  # the head
    ]
    assert _kept(history, RetentionPolicy()) == {VersionId(dev, n) for n in (3, 4, 5)}
    deleted = [*history, v(6, 360.0, 5, Kind.TOMBSTONE)]  # deleted 40 days ago: all goes
    assert _kept(deleted, RetentionPolicy()) == frozenset()
    assert _kept(deleted, RetentionPolicy(deleted_ms=60 * DAY_MS)) >= {VersionId(dev, 6)}


@pytest.mark.parametrize(
    ("text", "ms"), [("0s", 0), ("90s", 90_000), ("12h", 43_200_000), ("30d", 30 * DAY_MS)]
)
def test_durations(text: str, ms: int) -> None:
    assert parse_duration(text) == ms
    assert parse_duration(format_duration(ms)) == ms


@pytest.mark.parametrize("text", ["", "12", "h", "-3d", "1.5d", "3 days", "3y"])
def test_bad_durations_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="such as 0s"):
        parse_duration(text)


def test_settings_merge_per_field_last_writer_wins() -> None:
    a, b = DEVICES
    updates = [
        SettingsUpdate.of(10, a, {"keep_all_ms": 1, "silent_ms": 5}),
        SettingsUpdate.of(20, b, {"keep_all_ms": 2}),
        SettingsUpdate.of(20, a, {"keep_all_ms": 3}),  # same hlc: the greater device id wins
    ]
    for order in itertools.permutations(updates):
        s = effective(order)
        assert (s.keep_all_ms, s.silent_ms, s.daily_ms) == (2, 5, VaultSettings().daily_ms)
    with pytest.raises(ValueError):
        SettingsUpdate.of(1, a, {"keep_all_ms": -1})
    with pytest.raises(ValueError):
        SettingsUpdate.of(1, a, {"colour": 1})
