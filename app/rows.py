"""Keeping a list on screen up to date with a few edits instead of rebuilding it.

A view that clears and refills its rows on every synced file redraws
thousands of rows while a device catches up, and every row it recreates is
work for Qt's bindings. Instead each view keys its rows (a key says which
thing a row shows), and `row_edits` computes the rows to remove and the rows
to insert that turn what is shown into what is wanted. The rows that stay
keep their widgets, selection and scroll position.

Theory: when the rows kept appear in the same order in both lists (lists
sorted by time, by path, by version), removing the rows that went away
(highest first, so indices stay valid) and then inserting the new rows at
their final index (lowest first) yields exactly the wanted list. When the
kept rows changed order the answer is None and the view rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class RowEdits(Generic[K]):
    removals: list[int]  # row indices in the shown list, highest first
    insertions: list[tuple[int, K]]  # (final row, key), lowest row first, after the removals

    @property
    def empty(self) -> bool:
        return not self.removals and not self.insertions


def row_edits(shown: Sequence[K], wanted: Sequence[K]) -> RowEdits[K] | None:
    """The edits that turn `shown` into `wanted` (unique keys), or None to rebuild."""
    wanted_set = set(wanted)
    shown_set = set(shown)
    kept_shown = [k for k in shown if k in wanted_set]
    kept_wanted = [k for k in wanted if k in shown_set]
    if kept_shown != kept_wanted:
        return None
    removals = [i for i in range(len(shown) - 1, -1, -1) if shown[i] not in wanted_set]
    insertions = [(i, k) for i, k in enumerate(wanted) if k not in shown_set]
    return RowEdits(removals, insertions)


def unique_keys(keys: Iterable[K]) -> list[tuple[K, int]]:
    """Keys made unique by counting repeats: (key, 0), (key, 1)... in order."""
    seen: dict[K, int] = {}
    out = []
    for key in keys:
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append((key, n))
    return out


class KeyedRows(Generic[K]):
    """The keys of the rows a view shows, and the edits that bring them up to date.

    `update` calls `remove(row)` and `insert(row, key)` (or `rebuild(keys)` when
    edits cannot do it) and remembers the new keys; the view only draws rows.
    """

    def __init__(
        self,
        remove: Callable[[int], None],
        insert: Callable[[int, K], None],
        rebuild: Callable[[Sequence[K]], None],
    ) -> None:
        self._remove = remove
        self._insert = insert
        self._rebuild = rebuild
        self.keys: list[K] = []

    def update(self, wanted: Sequence[K]) -> bool:
        """Show `wanted`; True if anything changed on screen."""
        wanted = list(wanted)
        edits = row_edits(self.keys, wanted)
        if edits is None:
            self._rebuild(wanted)
        else:
            if edits.empty:
                return False
            for row in edits.removals:
                self._remove(row)
            for row, key in edits.insertions:
                self._insert(row, key)
        self.keys = wanted
        return True

    def clear(self) -> None:
        self.update([])
