"""The merge: sync_engine.core.merge, rules of docs/SYNC.md section 2."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_engine.core.merge import (
    Conflict,
    MergedTree,
    conflict_copy_name,
    device_label,
    merge,
)
from sync_engine.core.model import (
    ChunkRef,
    ContentKey,
    Kind,
    LocalEntry,
    RemoteEntry,
    Version,
    VersionId,
    hlc_make,
    hlc_millis,
    hlc_next,
    hlc_observe,
    same_content,
    same_content_fields,
)

DEVS = [f"{i:x}" * 32 for i in range(1, 6)]
A, B, C = DEVS[0], DEVS[1], DEVS[2]
NAMES = {A: "laptop", B: "desktop", C: "phone"}

# 2026-11-28 10:15:30.250 UTC
T0 = int(datetime(2026, 11, 28, 10, 15, 30, tzinfo=UTC).timestamp()) * 1000 + 250


def hlc(ms_offset: int, logical: int = 0) -> int:
    return hlc_make(T0 + ms_offset, logical)


def ver(
    dev: str,
    n: int,
    path: str,
    content: str | None = "x",
    *,
    kind: Kind = Kind.FILE,
    t: int = 0,
    sup: Iterable[VersionId] = (),
    executable: bool = False,
) -> Version:
    """A version; content None (or kind TOMBSTONE) makes a tombstone."""
    if content is None:
        kind = Kind.TOMBSTONE
    data = (content or "").encode()
    is_file = kind is Kind.FILE
    return Version(
        vid=VersionId(dev, n),
        path=path,
        supersedes=frozenset(sup),
        hlc=hlc(t),
        kind=kind,
        size=len(data) if is_file else 0,
        executable=executable,
        content_hash=data if kind in (Kind.FILE, Kind.SYMLINK) else b"",
        chunks=(ChunkRef(data, "p", 0, len(data), len(data)),) if is_file else (),
        symlink_target=content if kind is Kind.SYMLINK else None,
    )


def vid(dev: str, n: int) -> VersionId:
    return VersionId(dev, n)


def view(tree: MergedTree) -> dict[str, ContentKey]:
    """What a person sees: path -> content."""
    return {p: e.content_key for p, e in tree.entries.items()}


# ---------------------------------------------------------------------------
# Model basics
# ---------------------------------------------------------------------------


def test_version_id_validation_and_order() -> None:
    with pytest.raises(ValueError):
        VersionId("ABC", 1)
    with pytest.raises(ValueError):
        VersionId("A" * 32, 1)
    with pytest.raises(ValueError):
        VersionId(A, -1)
    assert VersionId(A, 9) < VersionId(A, 10) < VersionId(B, 0)


def test_same_content_ignores_mtime_and_fields_a_kind_does_not_use() -> None:
    a = ver(A, 1, "f", "x")
    b = Version(VersionId(B, 1), "g", frozenset(), 5, Kind.FILE, 1, 999, False, b"x")
    assert same_content(a, b)
    assert not same_content(a, ver(A, 2, "f", "x", executable=True))
    assert not same_content(a, ver(A, 2, "f", "y"))
    d1, d2 = ver(A, 1, "d", kind=Kind.DIR), ver(B, 1, "d", kind=Kind.DIR, executable=True)
    assert same_content(d1, d2)
    assert same_content(
        ver(A, 1, "l", "t", kind=Kind.SYMLINK), ver(B, 1, "l", "t", kind=Kind.SYMLINK)
    )
    assert not same_content(ver(A, 1, "l", "x", kind=Kind.SYMLINK), a)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(Kind)),
            st.sampled_from([b"", b"x", b"y"]),
            st.booleans(),
            st.sampled_from([None, "", "t"]),
        ),
        min_size=2,
        max_size=2,
    ),
    st.booleans(),
)
def test_equal_content_fields_mean_equal_content(
    fields: list[tuple[Kind, bytes, bool, str | None]], local: bool
) -> None:
    (k1, h1, x1, t1), (k2, h2, x2, t2) = fields
    a = Version(VersionId(A, 1), "p", frozenset(), 1, k1, 0, 1, x1, h1, (), t1)
    b: Version | LocalEntry = Version(
        VersionId(B, 2), "q", frozenset(), 2, k2, 5, 9, x2, h2, (), t2
    )
    if local:
        b = LocalEntry(k2, 5, 9, 3, x2, h2, t2)
    if same_content_fields(a, b):
        assert same_content(a, b)
    assert same_content_fields(a, a)


def test_hlc_layout_and_clock_rules() -> None:
    h = hlc_make(1234, 7)
    assert h == (1234 << 16) | 7 and hlc_millis(h) == 1234
    assert hlc_next(h, 1000) == h + 1  # wall clock behind: logical tick
    assert hlc_next(h, 5000) == hlc_make(5000)  # wall clock ahead: follow it
    assert hlc_observe(h, hlc_make(9000)) == hlc_make(9000)
    assert hlc_next(hlc_make(9000), 1000) > hlc_make(9000)


# ---------------------------------------------------------------------------
# One path
# ---------------------------------------------------------------------------


def test_empty() -> None:
    assert merge([], {}) == MergedTree({}, (), {})


def test_one_head_is_the_state() -> None:
    v1 = ver(A, 1, "f", "one")
    v2 = ver(B, 1, "f", "two", t=5, sup=[v1.vid])
    tree = merge([v1, v2], NAMES)
    assert tree.entries == {"f": RemoteEntry("f", v2, frozenset({v2.vid}))}
    assert tree.conflicts == ()


def test_equal_content_heads_are_not_a_conflict() -> None:
    v1 = ver(A, 1, "f", "same", t=10)
    v2 = ver(B, 1, "f", "same", t=3)
    v3 = ver(C, 1, "f", "same", t=10)
    tree = merge([v1, v2, v3], NAMES)
    e = tree.entries["f"]
    assert e.version == v3  # greatest (hlc, device, counter); C > A at equal hlc
    assert e.heads == {v1.vid, v2.vid, v3.vid} and not e.losers
    assert tree.conflicts == ()


def test_edit_beats_delete() -> None:
    base = ver(A, 1, "f", "base")
    edit = ver(A, 2, "f", "edit", t=1, sup=[base.vid])
    delete = ver(B, 1, "f", None, t=99, sup=[base.vid])
    tree = merge([base, edit, delete], NAMES)
    e = tree.entries["f"]
    assert e.version == edit
    assert e.heads == {edit.vid, delete.vid}  # an edit supersedes the tombstone too
    assert tree.conflicts == ()


def test_all_tombstones_is_deleted() -> None:
    v = ver(A, 1, "f")
    t1 = ver(A, 2, "f", None, sup=[v.vid])
    t2 = ver(B, 1, "f", None, sup=[v.vid])
    tree = merge([v, t1, t2], NAMES)
    assert tree.entries == {}
    assert tree.deleted == {"f": frozenset({t1.vid, t2.vid})}


def test_unknown_supersedes_are_ignored() -> None:
    v = ver(A, 2, "f", "x", sup=[vid(B, 77), vid(C, 1)])
    assert merge([v], NAMES).entries["f"].version == v


def test_supersedes_only_counts_within_a_path() -> None:
    v = ver(A, 1, "f", "x")
    other = ver(B, 1, "g", "y", sup=[v.vid])
    assert set(merge([v, other], NAMES).entries) == {"f", "g"}


def test_conflict_copy_is_named_after_the_loser() -> None:
    base = ver(A, 1, "docs/report.odt", "base")
    d = ver(A, 0, "docs", kind=Kind.DIR)
    lose = ver(A, 2, "docs/report.odt", "mine", t=1000, sup=[base.vid])
    win = ver(B, 1, "docs/report.odt", "theirs", t=2000, sup=[base.vid])
    tree = merge([d, base, lose, win], NAMES)
    copy = "docs/report (conflict laptop 2026-11-28 101531).odt"
    assert tree.conflicts == (Conflict("docs/report.odt", win.vid, lose.vid, copy),)
    original = tree.entries["docs/report.odt"]
    assert original.version == win
    assert original.heads == {win.vid} and original.losers == {lose.vid}
    assert original.copies == (copy,)
    assert tree.entries[copy] == RemoteEntry(copy, lose, frozenset(), copy_of="docs/report.odt")


def test_winner_is_latest_timestamp_then_device_id() -> None:
    a = ver(A, 1, "f", "a", t=5)
    b = ver(B, 1, "f", "b", t=5)
    tree = merge([a, b], NAMES)
    assert tree.entries["f"].version == b  # same hlc: greater device id wins
    assert tree.conflicts[0].loser == a.vid


def test_several_losers_with_the_same_content_make_one_copy() -> None:
    w = ver(C, 1, "f", "w", t=50)
    l1 = ver(A, 1, "f", "l", t=10)
    l2 = ver(B, 1, "f", "l", t=20)
    tree = merge([w, l1, l2], NAMES)
    assert [c.loser for c in tree.conflicts] == [l2.vid]
    assert tree.entries["f"].losers == {l1.vid, l2.vid}


def test_taken_conflict_name_gets_a_counter() -> None:
    name = "f (conflict laptop 2026-11-28 101530)"
    squatter = ver(C, 1, name, "squat")
    loser = ver(A, 1, "f", "l", t=0)
    winner = ver(B, 1, "f", "w", t=10)
    tree = merge([squatter, loser, winner], NAMES)
    assert tree.conflicts[0].copy_path == "f (conflict laptop 2026-11-28 101530 2)"
    assert tree.entries[name].version == squatter


def test_two_losers_from_one_device_in_one_second_get_distinct_names() -> None:
    l1 = ver(A, 1, "f.txt", "l1", t=100)
    l2 = ver(A, 2, "f.txt", "l2", t=200)
    w = ver(B, 1, "f.txt", "w", t=900)
    tree = merge([l1, l2, w], NAMES)
    copies = {c.loser: c.copy_path for c in tree.conflicts}
    assert copies == {
        l2.vid: "f (conflict laptop 2026-11-28 101530).txt",
        l1.vid: "f (conflict laptop 2026-11-28 101530 2).txt",
    }


def test_directory_beats_file_whatever_the_time() -> None:
    f = ver(A, 1, "x", "file", t=100)
    d = ver(B, 1, "x", kind=Kind.DIR, t=1)
    tree = merge([f, d], NAMES)
    assert tree.entries["x"].kind is Kind.DIR and tree.entries["x"].version == d
    assert tree.conflicts == (Conflict("x", d.vid, f.vid, "x (conflict laptop 2026-11-28 101530)"),)


def test_file_created_in_a_deleted_directory_brings_it_back() -> None:
    d = ver(A, 1, "d", kind=Kind.DIR)
    gone = ver(A, 2, "d", None, t=5, sup=[d.vid])
    child = ver(B, 1, "d/new.txt", "hello", t=3)
    tree = merge([d, gone, child], NAMES)
    e = tree.entries["d"]
    assert e.kind is Kind.DIR and e.version is None and e.heads == {gone.vid}
    assert "d" not in tree.deleted


def test_missing_parents_are_implicit_directories() -> None:
    tree = merge([ver(A, 1, "a/b/c.txt")], NAMES)
    assert list(tree.entries) == ["a", "a/b", "a/b/c.txt"]
    assert tree.entries["a"] == RemoteEntry("a", None, frozenset())


def test_file_with_live_children_becomes_a_directory_and_a_copy() -> None:
    old = ver(A, 1, "p", kind=Kind.DIR)
    as_file = ver(A, 2, "p", "now a file", t=10, sup=[old.vid])
    child = ver(B, 1, "p/child", "c", t=5)
    tree = merge([old, as_file, child], NAMES)
    assert tree.entries["p"].version is None and tree.entries["p"].losers == {as_file.vid}
    (conflict,) = tree.conflicts
    assert conflict.winner is None and conflict.loser == as_file.vid
    assert tree.entries[conflict.copy_path].version == as_file


def test_cycle_of_supersession_keeps_every_version() -> None:
    v1 = ver(A, 1, "f", "one", sup=[vid(B, 1)])
    v2 = ver(B, 1, "f", "two", t=1, sup=[vid(A, 1)])
    tree = merge([v1, v2], NAMES)
    assert tree.entries["f"].version == v2 and len(tree.conflicts) == 1


def test_same_id_with_different_bodies_is_refused() -> None:
    with pytest.raises(ValueError, match="two different versions"):
        merge([ver(A, 1, "f", "x"), ver(A, 1, "f", "y")], NAMES)


# ---------------------------------------------------------------------------
# Conflict names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("report.odt", "report (conflict laptop 2026-11-28 101530).odt"),
        ("a/b/archive.tar.gz", "a/b/archive.tar (conflict laptop 2026-11-28 101530).gz"),
        (".bashrc", ".bashrc (conflict laptop 2026-11-28 101530)"),
        ("Makefile", "Makefile (conflict laptop 2026-11-28 101530)"),
        ("d.x/noext", "d.x/noext (conflict laptop 2026-11-28 101530)"),
    ],
)
def test_conflict_copy_names(path: str, expected: str) -> None:
    assert conflict_copy_name(path, "laptop", hlc(0, 5)) == expected


def test_conflict_copy_name_fits_in_255_bytes() -> None:
    long = "é" * 120 + ".txt"  # 244 bytes
    name = conflict_copy_name("dir/" + long, "laptop", hlc(0))
    leaf = name.rpartition("/")[2]
    assert len(leaf.encode()) <= 255
    assert leaf.endswith(" (conflict laptop 2026-11-28 101530).txt")


def test_conflict_time_is_utc_and_survives_absurd_hlc() -> None:
    assert "1970-01-01 000000" in conflict_copy_name("f", "x", 0)
    assert "9999-12-31 235959" in conflict_copy_name("f", "x", 1 << 120)


def test_device_label_is_safe_and_falls_back_to_the_id() -> None:
    assert device_label(A, {A: "Marie's PC: bureau/2"}) == "Marie's PC- bureau-2"
    assert device_label(A, {A: " ... "}) == A[:8]
    assert device_label(A, {}) == A[:8]
    assert len(device_label(A, {A: "x" * 500})) == 64


# ---------------------------------------------------------------------------
# The resolution protocol
# ---------------------------------------------------------------------------


def resolution(tree: MergedTree, dev: str, first_counter: int, t: int) -> list[Version]:
    """What a device that materialised every conflict writes (planner's ResolveConflict)."""
    out: list[Version] = []
    n = first_counter
    for path, entry in tree.entries.items():
        if not entry.losers:
            continue
        for copy_path in entry.copies:
            c = tree.entries[copy_path]
            if c.copy_of == path:
                assert c.version is not None
                out.append(_rewrite(c.version, dev, n, copy_path, c.heads, t))
                n += 1
        if entry.version is None:
            out.append(ver(dev, n, path, kind=Kind.DIR, t=t, sup=entry.heads | entry.losers))
        else:
            out.append(_rewrite(entry.version, dev, n, path, entry.heads | entry.losers, t))
        n += 1
    return out


def _rewrite(v: Version, dev: str, n: int, path: str, sup: frozenset[VersionId], t: int) -> Version:
    return Version(
        VersionId(dev, n),
        path,
        sup,
        hlc(t),
        v.kind,
        v.size,
        v.mtime_ns,
        v.executable,
        v.content_hash,
        v.chunks,
        v.symlink_target,
    )


def test_resolution_keeps_the_tree_and_ends_the_conflict() -> None:
    base = ver(A, 1, "f.txt", "base")
    mine = ver(A, 2, "f.txt", "mine", t=10, sup=[base.vid])
    theirs = ver(B, 1, "f.txt", "theirs", t=20, sup=[base.vid])
    before = merge([base, mine, theirs], NAMES)
    res_a = resolution(before, A, 3, 30)
    res_b = resolution(before, B, 2, 31)
    for written in (res_a, res_b, res_a + res_b, res_b + res_a):
        after = merge([base, mine, theirs, *written], NAMES)
        assert view(after) == view(before)
        assert after.conflicts == ()
    # A reader that has only seen the copy's version so far sees the same tree.
    partial = merge([base, mine, theirs, res_a[0]], NAMES)
    assert view(partial) == view(before)
    assert partial.conflicts == before.conflicts


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

PATHS = ["a", "a/x", "a/y", "b", "b/c/d", "r.txt", "r (conflict laptop 2026-11-28 101530).txt"]
KINDS = [Kind.FILE, Kind.FILE, Kind.FILE, Kind.DIR, Kind.TOMBSTONE, Kind.TOMBSTONE, Kind.SYMLINK]


STEPS = st.tuples(
    st.integers(0, 2),  # device
    st.integers(0, len(PATHS) - 1),
    st.integers(0, len(KINDS) - 1),
    st.integers(0, 2),  # content
    st.integers(0, 3),  # time, in steps of 400 ms
    st.one_of(st.just(0), st.integers(0, 255)),  # which versions at the path it supersedes
    st.integers(-1, 3),  # an unknown id it also supersedes (-1: none)
    st.booleans(),  # executable
)


def build_history(
    steps: list[tuple[int, int, int, int, int, int, int, bool]],
) -> list[Version]:
    """Versions as devices write them: each supersedes some of what exists at its path."""
    out: list[Version] = []
    counters = dict.fromkeys(DEVS[:3], 0)
    for d, p, k, content, t, mask, unknown, x in steps:
        dev, path, kind = DEVS[d], PATHS[p], KINDS[k]
        seen = sorted(v.vid for v in out if v.path == path)
        sup = {s for i, s in enumerate(seen) if mask >> i & 1}
        if unknown >= 0:
            sup.add(VersionId(DEVS[4], unknown))  # never seen
        counters[dev] += 1
        out.append(
            ver(
                dev,
                counters[dev],
                path,
                "pqs"[content],
                kind=kind,
                t=t * 400,
                sup=sup,
                executable=x and kind is Kind.FILE,
            )
        )
    return out


def histories() -> st.SearchStrategy[list[Version]]:
    return st.lists(STEPS, max_size=14).map(build_history)


def check_invariants(tree: MergedTree, versions: list[Version]) -> None:
    entries = tree.entries
    assert list(entries) == sorted(entries)
    for path, e in entries.items():
        assert e.path == path
        for i in range(1, path.count("/") + 1):
            assert entries[path.rsplit("/", i)[0]].kind is Kind.DIR, path
        if e.copy_of is not None:
            assert e.version is not None and path in entries[e.copy_of].copies
        for c in e.copies:
            assert c in entries
    assert not set(entries) & set(tree.deleted)
    copies = [c.copy_path for c in tree.conflicts]
    assert len(copies) == len(set(copies))
    # No lost version: every live head's content is at its path or in one of its copies.
    by_path: dict[str, list[Version]] = {}
    for v in versions:
        by_path.setdefault(v.path, []).append(v)
    for path, vs in by_path.items():
        superseded = {s for v in vs for s in v.supersedes}
        for h in vs:
            if h.vid in superseded or not h.is_live:
                continue
            e = entries[path]
            places = [path, *e.copies]
            assert any(entries[p].content_key == h.content_key for p in places), (path, h)


@settings(max_examples=80, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_order_and_duplication_do_not_matter(versions: list[Version], rnd: random.Random) -> None:
    tree = merge(versions, NAMES)
    check_invariants(tree, versions)
    shuffled = versions + rnd.sample(versions, k=len(versions) // 2)
    rnd.shuffle(shuffled)
    assert merge(shuffled, NAMES) == tree
    assert merge(iter(reversed(versions)), NAMES) == tree


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(0, 14))
def test_two_devices_reading_in_different_orders_agree(versions: list[Version], cut: int) -> None:
    # Device 1 reads A's journal then the rest; device 2 reads them the other way round.
    first = [v for v in versions if v.vid.device == A]
    rest = [v for v in versions if v.vid.device != A]
    assert merge(first + rest, NAMES) == merge(rest + first, NAMES)
    # Merging a merged prefix's versions again changes nothing (idempotence).
    prefix = versions[:cut]
    assert merge(prefix + prefix, NAMES) == merge(prefix, NAMES)


@settings(max_examples=80, deadline=None)
@given(histories(), st.data())
def test_superseding_all_heads_resolves_a_path(
    versions: list[Version], data: st.DataObject
) -> None:
    tree = merge(versions, NAMES)
    conflicted = [p for p, e in tree.entries.items() if e.losers]
    if not conflicted:
        return
    path = data.draw(st.sampled_from(conflicted))
    e = tree.entries[path]
    sup = e.heads | e.losers
    if e.version is None:
        fix = ver(DEVS[3], 1, path, kind=Kind.DIR, t=5000, sup=sup)
    else:
        fix = _rewrite(e.version, DEVS[3], 1, path, sup, 5000)
    after = merge([*versions, fix], NAMES)
    assert not after.entries[path].losers
    assert after.entries[path].content_key == e.content_key
    assert all(c.path != path for c in after.conflicts)


@settings(max_examples=120, deadline=None)
@given(histories())
def test_resolution_protocol_converges(versions: list[Version]) -> None:
    before = merge(versions, NAMES)
    res_x = resolution(before, DEVS[3], 1, 6000)
    res_y = resolution(before, DEVS[4], 10, 6001)
    for written in (res_x, res_y, res_x + res_y):
        after = merge(versions + written, NAMES)
        check_invariants(after, versions + written)
        assert view(after) == view(before)
        assert after.conflicts == ()
    # Read in the middle of a resolution (copies first, then originals): the same tree.
    for k in range(len(res_x)):
        assert view(merge(versions + res_x[:k], NAMES)) == view(before)


def test_conflict_copy_named_in_the_vault_language() -> None:
    at = int(datetime(2026, 12, 4, 19, 5, 56, tzinfo=UTC).timestamp() * 1000)
    name = conflict_copy_name("compte-rendu.txt", "portable-mission", hlc(at - T0), 1, "fr")
    assert name == "compte-rendu (conflit portable-mission 2026-12-04 190556).txt"
    unknown = conflict_copy_name("compte-rendu.txt", "portable-mission", hlc(at - T0), 1, "xx")
    assert unknown == "compte-rendu (conflict portable-mission 2026-12-04 190556).txt"


def test_merge_names_copies_in_the_language_it_is_given() -> None:
    base = ver(A, 1, "docs/report.odt", "base")
    lose = ver(A, 2, "docs/report.odt", "mine", t=1000, sup=[base.vid])
    win = ver(B, 1, "docs/report.odt", "theirs", t=2000, sup=[base.vid])
    french = merge([base, lose, win], NAMES, "fr")
    copy = "docs/report (conflit laptop 2026-11-28 101531).odt"
    assert french.conflicts == (Conflict("docs/report.odt", win.vid, lose.vid, copy),)
    assert french.entries[copy].copy_of == "docs/report.odt"
    english = merge([base, lose, win], NAMES)
    assert english.conflicts[0].copy_path == copy.replace("(conflit ", "(conflict ")
