"""Which versions a vault keeps at a given time: a pure function of history and policy.

Theory of operation
-------------------
A vault's retention policy (a vault setting, `vault_settings.py`) says how
long old versions stay restorable. `kept(versions, tree, policy, now_ms)`
answers, for every version the device knows, whether it is kept at time
`now_ms`; garbage collection (`gc_rules.py`) then frees the chunks that no
kept version references. The answer only ever shrinks as time passes for a
fixed history, and grows with every window of the policy (property tests in
tests/test_retention.py).

A version's age is `now - hlc_millis(hlc)` (the time it was written). A path
is *expired* when the merge says it is deleted and its newest tombstone head
is at least `deleted_ms` old: then every version of it goes, tombstones
included, so no device ever sees half of a path. Otherwise `RULES`, first
match wins:

| rule | a version of a path that is not expired is kept when |
|---|---|
| `head` | it is a head or pending conflict loser of a live path, or a tombstone head |
| `recent` | its age is under `keep_all_ms` (default 30 days) |
| `daily` | its age is under `daily_ms` (default 182 days), newest of its path on its UTC day |
| `old` | never |

`keep_all_ms = daily_ms = deleted_ms = 0` keeps exactly the current tree
(`coffre gc --keep-within 0s`): the heads of live paths, nothing of deleted
ones.

Retention decides which versions' *data* survives; it never removes a
version from the merge input (a non-head version whose superseder is dropped
would turn back into a head). Only expired paths and purges leave the merge,
whole paths at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .merge import MergedTree
from .model import Kind, Version, VersionId, hlc_millis

DAY_MS = 86_400_000


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long versions stay restorable, in milliseconds."""

    keep_all_ms: int = 30 * DAY_MS
    daily_ms: int = 182 * DAY_MS
    deleted_ms: int = 30 * DAY_MS

    def __post_init__(self) -> None:
        if min(self.keep_all_ms, self.daily_ms, self.deleted_ms) < 0:
            raise ValueError("retention windows must be >= 0")

    @classmethod
    def within(cls, ms: int) -> RetentionPolicy:
        """Keep everything younger than `ms` and nothing older (`--keep-within`)."""
        return cls(keep_all_ms=ms, daily_ms=0, deleted_ms=ms)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the rules read about one version."""

    version: Version
    is_head: bool
    age_ms: int
    newest_of_day: bool


Rule = tuple[str, Callable[[_Facts, RetentionPolicy], bool]]

RULES: tuple[Rule, ...] = (
    ("head", lambda f, p: f.is_head),
    ("recent", lambda f, p: f.age_ms < p.keep_all_ms),
    ("daily", lambda f, p: f.age_ms < p.daily_ms and f.newest_of_day),
)


def current_heads(tree: MergedTree) -> frozenset[VersionId]:
    """Every version the current tree stands on: heads, losers, tombstone heads."""
    heads: set[VersionId] = set()
    for entry in tree.entries.values():
        heads |= entry.heads | entry.losers
        if entry.version is not None:
            heads.add(entry.version.vid)
    for tombstones in tree.deleted.values():
        heads |= tombstones
    return frozenset(heads)


def expired_paths(
    versions: Iterable[Version], tree: MergedTree, policy: RetentionPolicy, now_ms: int
) -> frozenset[str]:
    """Deleted paths whose newest tombstone head is at least `deleted_ms` old."""
    newest: dict[str, int] = {}
    wanted = tree.deleted
    for v in versions:
        if v.path in wanted and v.vid in wanted[v.path] and v.kind is Kind.TOMBSTONE:
            newest[v.path] = max(newest.get(v.path, 0), hlc_millis(v.hlc))
    return frozenset(p for p, ms in newest.items() if now_ms - ms >= policy.deleted_ms)


def kept(
    versions: Iterable[Version], tree: MergedTree, policy: RetentionPolicy, now_ms: int
) -> frozenset[VersionId]:
    """The versions kept at `now_ms` (`tree` is the merge of the same versions)."""
    versions = list(versions)
    expired = expired_paths(versions, tree, policy, now_ms)
    heads = current_heads(tree)
    newest_of_day: dict[tuple[str, int], Version] = {}
    for v in versions:
        day = (v.path, hlc_millis(v.hlc) // DAY_MS)
        best = newest_of_day.get(day)
        if best is None or v.recency > best.recency:
            newest_of_day[day] = v
    out: set[VersionId] = set()
    for v in versions:
        if v.path in expired:
            continue
        facts = _Facts(
            v,
            v.vid in heads,
            now_ms - hlc_millis(v.hlc),
            newest_of_day[(v.path, hlc_millis(v.hlc) // DAY_MS)] is v,
        )
        if any(test(facts, policy) for _, test in RULES):
            out.add(v.vid)
    return frozenset(out)


def referenced_packs(versions: Iterable[Version], keep: frozenset[VersionId]) -> frozenset[str]:
    """The packs holding at least one chunk of a kept version (before relocation)."""
    return frozenset(c.pack_id for v in versions if v.vid in keep for c in v.chunks)


def parse_duration(text: str) -> int:
    """`0s`, `90s`, `15m`, `12h`, `30d`, `26w` -> milliseconds (ValueError otherwise)."""
    units: Mapping[str, int] = {
        "s": 1000,
        "m": 60_000,
        "h": 3_600_000,
        "d": DAY_MS,
        "w": 7 * DAY_MS,
    }
    text = text.strip().lower()
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(
            f"{text!r} is not a duration: write a whole number and a unit, "
            "such as 0s, 90s, 15m, 12h, 30d or 26w"
        )
    return int(text[:-1]) * units[text[-1]]


def format_duration(ms: int) -> str:
    """The shortest exact spelling `parse_duration` reads back."""
    for unit, size in (("w", 7 * DAY_MS), ("d", DAY_MS), ("h", 3_600_000), ("m", 60_000)):
        if ms and ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms // 1000}s"
