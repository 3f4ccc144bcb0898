"""Row edits: a list on screen follows its data with a few inserts and removals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.rows import KeyedRows, row_edits, unique_keys


def apply(shown: list[str], wanted: list[str]) -> tuple[list[str], int]:
    """Run KeyedRows over a plain list; returns the result and the rows touched."""
    rows = list(shown)
    touched = [0]

    def remove(i: int) -> None:
        touched[0] += 1
        del rows[i]

    def insert(i: int, k: str) -> None:
        touched[0] += 1
        rows.insert(i, k)

    def rebuild(keys: object) -> None:
        touched[0] += 1000
        rows[:] = list(keys)  # type: ignore[call-overload]

    keyed: KeyedRows[str] = KeyedRows(remove, insert, rebuild)
    keyed.keys = list(shown)
    keyed.update(wanted)
    assert keyed.keys == wanted
    return rows, touched[0]


def test_a_new_change_on_top_of_a_capped_list_is_one_insert_and_one_removal() -> None:
    shown = [f"f{i}" for i in range(200, 0, -1)]
    wanted = ["f201", *shown[:-1]]
    rows, touched = apply(shown, wanted)
    assert rows == wanted and touched == 2


def test_rows_that_changed_order_are_rebuilt() -> None:
    assert row_edits(["a", "b"], ["b", "a"]) is None
    rows, touched = apply(["a", "b"], ["b", "a"])
    assert rows == ["b", "a"] and touched == 1000


def test_nothing_changed_touches_nothing() -> None:
    assert apply(["a", "b"], ["a", "b"]) == (["a", "b"], 0)


def test_repeated_keys_are_told_apart() -> None:
    assert unique_keys(["a", "b", "a"]) == [("a", 0), ("b", 0), ("a", 1)]


@given(
    st.lists(st.integers(0, 30), unique=True),
    st.lists(st.integers(0, 30), unique=True),
)
def test_edits_always_give_the_wanted_list(shown: list[int], wanted: list[int]) -> None:
    a, b = [str(x) for x in shown], [str(x) for x in wanted]
    rows, _touched = apply(a, b)
    assert rows == b
