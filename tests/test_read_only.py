"""A reader's rounds: sync_engine.core.read_only, through the real planner.

Plans come from `planner.plan` on model trees, as in tests/test_planner.py, and
the simulated devices there (`Device`) carry them out the way the executor
must, so a reader that loses or overwrites its own edit fails an assertion.
The one action read_only makes itself (SetAside) is also run by the real
executor on a real folder.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_engine.core.actions import (
    Action,
    CopyWrite,
    Download,
    Plan,
    PlanLimits,
    Quarantine,
    RenameLocal,
    ResolveConflict,
    SetAside,
    Upload,
    UploadMove,
)
from sync_engine.core.membership_entry import Role
from sync_engine.core.merge import merge
from sync_engine.core.model import Kind, LocalEntry, RemoteEntry, SyncedEntry
from sync_engine.core.planner import plan
from sync_engine.core.read_only import (
    MAX_COPY_ATTEMPTS,
    READER,
    CopyNaming,
    Fate,
    reader_table,
    touches,
    withhold,
)
from tests.test_planner import (
    ALLOW,
    CELLS,
    CP,
    LIMITS,
    MINE,
    NAMES,
    OPS,
    REMOTE_FOR,
    THEIRS,
    Device,
    P,
    Store,
    act,
    conflicted_tree,
    fv,
    le,
    many,
    re_,
    run,
    se,
    trees,
)
from tests.test_planner import LOCAL_FOR as PLANNER_LOCAL_FOR
from tests.test_planner import S_A as SYNCED_A

ROOT = Path(__file__).resolve().parents[1]
READER_DEV, EDITOR_DEV = "c" * 32, "a" * 32


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def test_every_action_kind_is_in_the_table() -> None:
    assert set(READER) == set(typing.get_args(Action))


def _block(text: str, first: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.lstrip("#").strip().startswith(first))
    out = []
    for line in lines[start:]:
        stripped = line.lstrip("#").strip()
        if not stripped:
            break
        out.append(stripped)
    return out


def test_the_header_and_sync_md_show_the_table_the_code_holds() -> None:
    header = (ROOT / "sync_engine/core/read_only.py").read_text(encoding="utf-8")
    doc = (ROOT / "docs/SYNC.md").read_text(encoding="utf-8")
    want = [line.strip() for line in reader_table()]
    assert _block(header, "action          | reader") == want
    assert _block(doc, "action          | reader") == want


# ---------------------------------------------------------------------------
# Every cell of the planner's table, for a reader
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("cell", "planned"), list(CELLS.items()), ids=str)
def test_each_cell_of_the_decision_table(cell: tuple, planned: list[Action]) -> None:
    local_s, remote_s = cell
    synced = {"f": SYNCED_A} if local_s.name in ("UNCHANGED", "CHANGED", "DELETED") else {}
    on_disk, merged = PLANNER_LOCAL_FOR[local_s], REMOTE_FOR[remote_s]
    local = {"f": on_disk} if on_disk is not None else {}
    remote = {"f": merged} if merged is not None else {}
    full = run(remote, local, synced)
    assert list(full.actions) == planned
    kept, withheld = withhold(full, Role.READER)
    publishes = [a for a in planned if READER[type(a)] is Fate.WITHHOLD]
    assert list(kept.actions) == [a for a in planned if a not in publishes]
    assert withheld == (("f",) if publishes else ())
    for role in (Role.OWNER, Role.EDITOR):
        assert withhold(full, role) == (full, ())


def test_no_role_is_read_only_too() -> None:
    remote, local, synced = {}, {"new": le("n")}, {}
    assert withhold(run(remote, local, synced), None) == (Plan(()), ("new",))


def test_a_local_rename_is_withheld_at_both_ends() -> None:
    v = fv("old", "x", 1)
    moved = le("x", inode=5)
    p = run({"old": re_(v)}, {"new": moved}, {"old": se(v, le("x", inode=5))})
    assert p.actions == (UploadMove("old", "new", frozenset({v.vid}), v, moved),)
    assert withhold(p, Role.READER) == (Plan(()), ("new", "old"))


def test_a_remote_rename_is_applied_here() -> None:
    v = fv("old", "x", 1)
    renamed = fv("new", "x", 1, dev="b" * 32, sup=[v.vid])
    here = le("x", inode=5)
    p = run({"new": re_(renamed)}, {"old": here}, {"old": se(v, here)})
    assert p.actions == (RenameLocal("old", "new", here, renamed, frozenset({renamed.vid})),)
    assert withhold(p, Role.READER) == (p, ())


def test_a_remote_delete_of_an_unchanged_file_quarantines_it_as_for_anyone() -> None:
    v = fv("f", "x", 1)
    here = le("x")
    p = run({}, {"f": here}, {"f": se(v, here)})
    assert p.actions == (Quarantine("f", here),)
    assert withhold(p, Role.READER) == (p, ())


def test_a_settled_conflict_is_left_to_an_editor() -> None:
    remote = conflicted_tree()
    theirs, mine = le("theirs", inode=3), le("mine", inode=4)
    p = run(remote, {P: theirs, CP: mine}, {P: se(THEIRS, theirs), CP: se(MINE, mine, heads=())})
    assert p.actions == (
        ResolveConflict(
            P, THEIRS, frozenset({THEIRS.vid, MINE.vid}), (CopyWrite(CP, MINE, frozenset()),)
        ),
    )
    # nothing of the reader's: not listed, nothing written
    assert withhold(p, Role.READER) == (Plan(()), ())


def test_a_conflict_copy_the_reader_deleted_is_listed() -> None:
    remote = conflicted_tree()
    theirs = le("theirs", inode=3)
    synced = {P: se(THEIRS, theirs), CP: se(MINE, le("mine", inode=4), heads=())}
    p = run(remote, {P: theirs}, synced)
    assert [type(a) for a in p.actions] == [ResolveConflict]
    assert withhold(p, Role.READER) == (Plan(()), (CP,))


def test_a_conflict_copy_the_reader_edited_is_listed() -> None:
    remote = conflicted_tree()
    theirs, edited = le("theirs", inode=3), le("merged by hand", inode=4, mtime=9)
    synced = {P: se(THEIRS, theirs), CP: se(MINE, le("mine", inode=4), heads=())}
    p = run(remote, {P: theirs, CP: edited}, synced)
    assert [type(a) for a in p.actions] == [Upload, ResolveConflict]
    assert withhold(p, Role.READER) == (Plan(()), (CP,))


def test_a_conflict_on_disk_is_still_laid_out_for_a_reader() -> None:
    """Another device's conflict: the reader renames and downloads like anyone."""
    remote = conflicted_tree()
    mine = le("mine", inode=3)
    p = run(remote, {P: mine}, {P: se(MINE, mine)})
    assert [type(a) for a in p.actions] == [RenameLocal, Download]
    assert withhold(p, Role.READER) == (p, ())


def test_a_readers_mass_delete_is_withheld_not_held() -> None:
    remote, local, synced = many(20)
    for path in sorted(remote)[:12]:
        del local[path]
    p = run(remote, local, synced)
    assert len(p.held) == 12 and p.actions == ()
    kept, withheld = withhold(p, Role.READER)
    assert kept == Plan((), (), p.skipped) and withheld == tuple(sorted(remote)[:12])


def test_a_kept_action_on_a_withheld_path_is_dropped() -> None:
    """The safety net: were a plan to carry a download at a path it also uploads, the
    reader's content there is not overwritten."""
    here = le("mine", mtime=9)
    theirs = fv("f", "theirs", 2, dev="b" * 32)
    crafted = Plan(
        (Upload("f", frozenset(), here), Download("f", theirs, frozenset({theirs.vid}), here))
    )
    assert withhold(crafted, Role.READER) == (Plan(()), ("f",))


# ---------------------------------------------------------------------------
# A remote change to a path the reader changed
# ---------------------------------------------------------------------------


@dataclass
class Reader(Device):
    """A simulated device whose person is a reader: plans pass through `withhold`, with
    the names of its local conflict copies (`copies`) or without."""

    withheld: tuple[str, ...] = ()
    copies: bool = True

    def sync(self, store: Store, limits: PlanLimits = ALLOW) -> Plan:
        tree = merge(store.versions, NAMES)
        p = plan(tree.entries, self.local, self.synced, limits=limits, traits=self.traits)
        naming = CopyNaming("lecteur", "fr", {*tree.entries, *self.local})
        kept, self.withheld = withhold(p, Role.READER, naming if self.copies else None)
        for a in kept.actions:
            self.apply(a, store)
        return kept

    def apply(self, a: Action, store: Store) -> None:
        if isinstance(a, SetAside):  # as the executor does: a rename, Synced untouched
            self._expect(a.src, a.expect_local)
            self._expect(a.dst, None)
            self._create(a.dst, self.local.pop(a.src))
        else:
            super().apply(a, store)


def _team(copies: bool = True) -> tuple[Store, Device, Reader]:
    store = Store()
    editor, reader = Device(EDITOR_DEV), Reader(READER_DEV, copies=copies)
    editor.write("doc.txt", "v1")
    editor.write("notes.txt", "n1")
    editor.sync(store)
    reader.sync(store)
    assert reader.view() == editor.view()
    return store, editor, reader


def test_a_remote_change_to_a_path_the_reader_edited_makes_a_local_conflict_copy() -> None:
    store, editor, reader = _team()
    reader.write("doc.txt", "reader's edit")
    mine = reader.local["doc.txt"]
    editor.write("doc.txt", "v2")
    editor.sync(store)
    before = len(store.versions)
    first = reader.sync(store)
    copy = "doc (conflit lecteur 1970-01-01 000000).txt"  # the time of the edit (mtime)
    assert first.actions == (SetAside("doc.txt", copy, mine),)
    assert reader.local[copy] == mine  # the same file, moved: not rewritten
    assert reader.withheld == (copy,)
    reader.sync(store)  # deleted here, changed there: the editor's version comes
    assert reader.local["doc.txt"].content_hash == b"v2"
    assert reader.local[copy] == mine and reader.withheld == (copy,)
    assert reader.sync(store).empty and reader.withheld == (copy,)
    assert len(store.versions) == before  # nothing uploaded, ever
    assert merge(store.versions, NAMES).conflicts == ()


def test_without_names_the_readers_file_stays_and_waits() -> None:
    store, editor, reader = _team(copies=False)
    reader.write("doc.txt", "reader's edit")
    mine = reader.local["doc.txt"]
    editor.write("doc.txt", "v2")
    editor.write("notes.txt", "n2")
    editor.sync(store)
    before = len(store.versions)
    for _ in range(3):
        reader.sync(store)
        assert reader.local["doc.txt"] == mine  # not overwritten, not moved, not quarantined
        assert reader.withheld == ("doc.txt",)
    assert len(store.versions) == before  # nothing uploaded
    assert reader.local["notes.txt"].content_hash == b"n2"  # others' changes still arrive
    assert merge(store.versions, NAMES).conflicts == ()  # the reader's version never left
    # The reader moves their version aside: the editor's arrives, the copy stays listed.
    assert reader.rename("doc.txt", "doc (mine).txt")
    reader.sync(store)
    assert reader.local["doc.txt"].content_hash == b"v2"
    assert reader.local["doc (mine).txt"].content_hash == b"reader's edit"
    assert reader.withheld == ("doc (mine).txt",)
    assert len(store.versions) == before


def test_a_new_file_where_an_editor_makes_one_too() -> None:
    store, editor, reader = _team()
    reader.write("plan.txt", "reader's")
    editor.write("plan.txt", "editor's")
    editor.sync(store)
    reader.sync(store)
    (copy,) = reader.withheld
    assert copy.startswith("plan (conflit lecteur ") and copy.endswith(").txt")
    assert reader.local[copy].content_hash == b"reader's"
    reader.sync(store)
    assert reader.local["plan.txt"].content_hash == b"editor's"


def test_a_copy_name_already_taken_takes_the_next_number() -> None:
    here = le("mine", mtime=9)
    p = Plan((Upload("a/f.txt", frozenset(), here, concurrent=True),))
    first = "a/f (conflit lecteur 1970-01-01 000000).txt"
    second = "a/f (conflit lecteur 1970-01-01 000000 2).txt"
    kept, withheld = withhold(p, Role.READER, CopyNaming("lecteur", "fr", {"a/f.txt", first}))
    assert kept.actions == (SetAside("a/f.txt", second, here),) and withheld == (second,)
    english = CopyNaming("reader", "en", set())
    assert withhold(p, Role.READER, english)[1] == ("a/f (conflict reader 1970-01-01 000000).txt",)


def test_no_copy_for_a_folder_nor_when_every_name_is_taken() -> None:
    folder = Plan((Upload("d", frozenset(), le(kind=Kind.DIR), concurrent=True),))
    assert withhold(folder, Role.READER, CopyNaming("r", "en", set())) == (Plan(()), ("d",))
    here = le("mine")
    p = Plan((Upload("f", frozenset(), here, concurrent=True),))
    stamp = "(conflict r 1970-01-01 000000"
    every = {"f", f"f {stamp})"} | {f"f {stamp} {n})" for n in range(2, MAX_COPY_ATTEMPTS + 1)}
    assert withhold(p, Role.READER, CopyNaming("r", "en", every)) == (Plan(()), ("f",))


def test_an_ordinary_upload_is_never_set_aside() -> None:
    here = le("mine", mtime=9)
    p = Plan((Upload("f", frozenset(), here),))
    assert withhold(p, Role.READER, CopyNaming("r", "en", set())) == (Plan(()), ("f",))


def test_a_file_the_reader_deleted_comes_back_when_an_editor_changes_it() -> None:
    store, editor, reader = _team()
    reader.delete("doc.txt")
    reader.sync(store)
    assert reader.withheld == ("doc.txt",) and "doc.txt" not in reader.local
    editor.write("doc.txt", "v2")
    editor.sync(store)
    reader.sync(store)  # edit beats delete, as for anyone: nothing of the reader's is lost
    assert reader.local["doc.txt"].content_hash == b"v2" and reader.withheld == ()


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(trees(), st.booleans())
def test_on_any_plan_the_reader_keeps_every_kept_kind_and_touches_no_withheld_path(
    t: tuple[dict[str, RemoteEntry], dict[str, LocalEntry], dict[str, SyncedEntry]],
    allow: bool,
) -> None:
    remote, local, synced = t
    full = run(remote, local, synced, limits=ALLOW if allow else LIMITS)
    kept, withheld = withhold(full, Role.READER)
    for planned, left in ((full.actions, kept.actions), (full.held, kept.held)):
        # the safety net never has to drop anything the planner gives
        assert list(left) == [a for a in planned if READER[type(a)] is Fate.KEEP]
    for a in (*kept.actions, *kept.held):
        assert not set(touches(a)) & set(withheld)
    for path in withheld:  # a withheld path is one the reader changed since Synced
        here, agreed = local.get(path), synced.get(path)
        assert (here is None) != (agreed is None) or (
            here is not None
            and agreed is not None
            and (here.content_key, here.stat_key) != (agreed.content_key, agreed.stat_key)
        ), path
    assert kept.skipped == full.skipped


def _kept_somewhere(d: Device, entry: LocalEntry, path: str, asides: dict[str, str]) -> bool:
    """The reader's edit is where it was, or (set aside) at its copy, untouched."""
    return d.local.get(asides.get(path, path)) == entry


def _edited(d: Device) -> dict[str, LocalEntry]:
    """What the person changed on this disk since the last agreement."""
    return {
        p: e
        for p, e in d.local.items()
        if p not in d.synced or d.synced[p].content_key != e.content_key
    }


@settings(max_examples=120, deadline=None)
@given(
    st.lists(OPS, max_size=6),
    st.lists(OPS, max_size=6),
    st.lists(OPS, max_size=6),
    st.lists(OPS, max_size=4),
)
def test_a_reader_never_publishes_never_loses_an_edit_and_gets_the_rest(
    setup: list[tuple[str, str, str]],
    ops_editor: list[tuple[str, str, str]],
    ops_reader: list[tuple[str, str, str]],
    later_editor: list[tuple[str, str, str]],
) -> None:
    store, editor, reader = Store(), Device(EDITOR_DEV), Reader(READER_DEV)
    for i, op in enumerate(setup):
        act(editor, op, f"s{i}")
    for _ in range(4):
        editor.sync(store)
        reader.sync(store)
    for i, op in enumerate(ops_editor):
        act(editor, op, f"e{i}")
    for i, op in enumerate(ops_reader):
        act(reader, op, f"r{i}")
    for batch in ([], later_editor):
        for i, op in enumerate(batch):
            act(editor, op, f"l{i}")
        for _ in range(12):
            by_editor = editor.sync(store)
            edits = _edited(reader)
            by_reader = reader.sync(store)
            asides = {a.src: a.dst for a in by_reader.actions if isinstance(a, SetAside)}
            for path, entry in edits.items():  # never overwritten, deleted nor quarantined
                assert _kept_somewhere(reader, entry, path, asides), path
            if by_editor.empty and by_reader.empty:
                break
        else:
            raise AssertionError("no fixed point")
        assert all(v.vid.device != READER_DEV for v in store.versions)
    # Everything the reader did not change is what the store holds.
    tree = merge(store.versions, NAMES)
    mine = set(reader.withheld)

    def related(path: str) -> bool:
        return any(path == m or path.startswith(m + "/") or m.startswith(path + "/") for m in mine)

    for path, entry in tree.entries.items():
        if not related(path):
            assert path in reader.local, path
            assert reader.local[path].content_key == entry.content_key, path
    for path in reader.local:
        assert path in tree.entries or related(path), path


# ---------------------------------------------------------------------------
# SetAside, carried out by the real executor on a real folder
# ---------------------------------------------------------------------------


async def test_the_executor_sets_the_readers_content_aside_and_nothing_else(tmp_path: Path):
    import asyncio
    import time

    from crypto.keys import VaultKey
    from sync_engine.disk.ignore import IgnoreRules
    from sync_engine.disk.localfs import DiskFs
    from sync_engine.executor import Executor
    from sync_engine.stores.local import LocalStore
    from sync_engine.transfer.pipeline import Downloader, StoreBridge, Uploader
    from sync_engine.vault.state import LocalState

    folder, store_dir = tmp_path / "folder", tmp_path / "store"
    folder.mkdir()
    store_dir.mkdir()
    (folder / "doc.txt").write_bytes(b"reader's edit")
    fs = DiskFs(folder)
    fs.write_root_marker()  # a bound folder, as `coffre init` leaves it
    state = LocalState(tmp_path / "state" / "state.db")
    store = LocalStore(store_dir)
    key = VaultKey.generate()

    def local_entry(path: str) -> LocalEntry:
        e = fs.stat(path)
        assert e is not None
        return LocalEntry(e.kind, e.size, e.mtime_ns, e.inode)

    def executor() -> Executor:
        bridge = StoreBridge(store, asyncio.get_running_loop())
        return Executor(
            fs,
            state,
            Uploader(key, bridge, state.chunk_location),
            Downloader(key, bridge),
            tmp_path / "quarantine",
            time.time_ns,
            IgnoreRules.from_lines([]),
        )

    here = local_entry("doc.txt")
    copy = "doc (conflit lecteur 2026-12-05 101530).txt"
    done = await asyncio.to_thread(executor().run, (SetAside("doc.txt", copy, here),))
    assert done.done == 1 and done.outgoing == []
    assert not (folder / "doc.txt").exists()
    assert (folder / copy).read_bytes() == b"reader's edit"
    assert local_entry(copy).inode == here.inode  # the same file, renamed
    assert await store.list("") == []  # nothing published
    # Changed since the scan: nothing moves (the executor's stat check), reported.
    (folder / "b.txt").write_bytes(b"one")
    stale = local_entry("b.txt")
    (folder / "b.txt").write_bytes(b"two, longer")
    failed = await asyncio.to_thread(executor().run, (SetAside("b.txt", "b copy.txt", stale),))
    assert failed.done == 0 and (folder / "b.txt").read_bytes() == b"two, longer"
    assert not (folder / "b copy.txt").exists()
    # A name taken meanwhile is never replaced.
    (folder / "c.txt").write_bytes(b"mine")
    (folder / "c copy.txt").write_bytes(b"someone else's")
    taken = await asyncio.to_thread(
        executor().run, (SetAside("c.txt", "c copy.txt", local_entry("c.txt")),)
    )
    assert taken.done == 0 and (folder / "c copy.txt").read_bytes() == b"someone else's"
    assert (folder / "c.txt").read_bytes() == b"mine"
    state.close()
    await store.close()
