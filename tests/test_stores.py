"""The store contract, run against every backend, plus folder-store and URL specifics.

The contract tests are parametrised over `LocalStore` (on a temporary folder)
and `MemoryStore`: the simulator relies on the two behaving identically.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import errno
import functools
import itertools
import os
import shutil
import stat
import subprocess
import tempfile
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, ParamSpec

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_engine.stores import (
    LocalSpec,
    LocalStore,
    MemoryStore,
    ObjectExists,
    ObjectNotFound,
    PutMode,
    S3Spec,
    Secret,
    Store,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreUnavailable,
    WebDavSpec,
    open_store,
    parse_store_url,
)
from sync_engine.stores.ranges import coalesce, split
from sync_engine.stores.url import redact
from tests.environment import unavailable

P = ParamSpec("P")

CREATE = PutMode.CREATE


def async_test(fn: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run an async test body in a fresh event loop (no pytest plugin needed)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        asyncio.run(fn(*args, **kwargs))

    return wrapper


def run(awaitable: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await awaitable

    return asyncio.run(main())


def _open_backend(name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A fresh, empty store of one backend; network ones come from tests/servers fixtures."""
    if name == "local":
        return LocalStore(tmp_path)
    if name == "memory":
        return MemoryStore()
    store: Store = request.getfixturevalue(f"{name}_store")  # a fresh bucket prefix / folder
    return store


@pytest.fixture(params=["local", "memory", "s3", "webdav"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = _open_backend(request.param, request, tmp_path)
    yield s
    run(s.close())


@pytest.fixture(params=["local", "memory", "webdav"])
def hierarchical_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Backends with real folders, where an object and a folder cannot share a name.

    S3 has flat keys and would need extra requests on every put to refuse it;
    the engine's fixed key layout never asks for both, so S3 does not check.
    """
    s = _open_backend(request.param, request, tmp_path)
    yield s
    run(s.close())


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalStore]:
    s = LocalStore(tmp_path / "vault")
    (tmp_path / "vault").mkdir()
    yield s
    run(s.close())


# ----------------------------------------------------------------------------
# The contract, for every backend
# ----------------------------------------------------------------------------


def test_is_a_store(store: Store) -> None:
    assert isinstance(store, Store)
    assert isinstance(store.url, str) and store.url
    assert store.supports_compare_and_swap is False


@async_test
async def test_put_get_round_trip(store: Store) -> None:
    payloads = {
        "coffre.json": b'{"format": 1}',
        "empty": b"",
        "packs/ab/ab01": os.urandom(1 << 20),
        "log/dev1/0000000001": bytes(range(256)) * 3,
    }
    for key, data in payloads.items():
        info = await store.put(key, data)
        assert (info.key, info.size) == (key, len(data))
        assert await store.head(key) == info
    for key, data in payloads.items():
        assert await store.get(key) == data


@async_test
async def test_put_accepts_memoryview(store: Store) -> None:
    raw = bytearray(b"0123456789")
    await store.put("a", memoryview(raw)[2:6])
    assert await store.get("a") == b"2345"
    numbers = array.array("I", [1, 2, 3])  # a memoryview whose items are not bytes
    info = await store.put("b", memoryview(numbers))
    assert info.size == numbers.itemsize * 3
    assert await store.get("b") == numbers.tobytes()


@async_test
async def test_missing_key(store: Store) -> None:
    await store.put("heads/other", b"x")
    for call in (
        store.get("heads/dev"),
        store.head("heads/dev"),
        store.get_range("heads/dev", 0, 1),
        store.get_range("heads/dev", 0, 0),
        store.get_ranges("heads/dev", [(0, 1)]),
        store.get_ranges("heads/dev", []),
    ):
        with pytest.raises(ObjectNotFound) as exc_info:
            await call
        assert store.url in str(exc_info.value)
        assert exc_info.value.key == "heads/dev"
    assert await store.list("nothing/") == []
    # A "folder" of objects is not an object.
    with pytest.raises(ObjectNotFound):
        await store.get("heads")
    with pytest.raises(ObjectNotFound):
        await store.head("heads")


@async_test
async def test_get_range_slices_and_clamps(store: Store) -> None:
    data = bytes(range(100))
    await store.put("obj", data)
    assert await store.get_range("obj", 0, 100) == data
    assert await store.get_range("obj", 10, 20) == data[10:20]
    assert await store.get_range("obj", 5, 5) == b""
    # Documented choice: `end` past the size is clamped, `start` past it yields b"".
    assert await store.get_range("obj", 90, 1000) == data[90:]
    assert await store.get_range("obj", 100, 200) == b""
    assert await store.get_range("obj", 500, 600) == b""


@async_test
async def test_get_range_rejects_bad_bounds(store: Store) -> None:
    await store.put("obj", b"abc")
    for start, end in [(-1, 2), (2, 1), (0, -1)]:
        with pytest.raises(ValueError):
            await store.get_range("obj", start, end)
        with pytest.raises(ValueError):
            await store.get_ranges("obj", [(0, 1), (start, end)])
    with pytest.raises(TypeError):
        await store.get_range("obj", 0, True)


@async_test
async def test_get_ranges(store: Store) -> None:
    data = os.urandom(3 << 20)
    await store.put("packs/cd/cd02", data)
    ranges = [
        (2 << 20, (2 << 20) + 10),  # far from the others, asked first
        (0, 10),
        (10, 20),  # adjacent to the previous one
        (5, 15),  # overlapping both
        (0, 10),  # a duplicate
        (30, 40),  # near: coalesced with the first ones
        (40, 40),  # empty
        ((3 << 20) - 5, (3 << 20) + 50),  # past the end: clamped
        (4 << 20, 5 << 20),  # wholly past the end
        (1 << 20, (1 << 20) + (1 << 19)),  # a large one in the middle
    ]
    assert await store.get_ranges("packs/cd/cd02", ranges) == [data[s:e] for s, e in ranges]
    assert await store.get_ranges("packs/cd/cd02", []) == []


@async_test
async def test_create_only(store: Store) -> None:
    await store.put("log/d/1", b"first", mode=CREATE)
    with pytest.raises(ObjectExists) as exc_info:
        await store.put("log/d/1", b"second", mode=CREATE)
    assert store.url in str(exc_info.value)
    assert await store.get("log/d/1") == b"first"
    await store.delete("log/d/1")
    await store.put("log/d/1", b"third", mode=CREATE)
    assert await store.get("log/d/1") == b"third"


@async_test
async def test_concurrent_create_has_one_winner(store: Store) -> None:
    async def attempt(i: int) -> bool:
        try:
            await store.put("log/dev/7", f"writer {i}".encode(), mode=CREATE)
        except ObjectExists:
            return False
        return True

    for round_ in range(3):
        outcomes = await asyncio.gather(*(attempt(i) for i in range(12)))
        assert outcomes.count(True) == 1, round_
        assert await store.get("log/dev/7") == f"writer {outcomes.index(True)}".encode()
        assert [i.key for i in await store.list("log/")] == ["log/dev/7"]
        await store.delete("log/dev/7")


@async_test
async def test_overwrite_changes_etag(store: Store) -> None:
    first = await store.put("heads/dev", b"seq=1")
    second = await store.put("heads/dev", b"seq=2")  # same size, other content
    third = await store.put("heads/dev", b"seq=2")  # same content: S3's MD5 etag stays
    assert first.etag != second.etag
    assert (await store.head("heads/dev")).etag == third.etag
    assert await store.get("heads/dev") == b"seq=2"


@async_test
async def test_list_by_prefix(store: Store) -> None:
    keys = {
        "coffre.json": 10,
        "heads/d1": 3,
        "heads/d2": 4,
        "headsup": 1,
        "keys/00ff": 65,
        "log/d1/1": 5,
        "log/d1/2": 6,
        "log/d2/1": 7,
        "packs/ab/ab01": 20,
        "packs/ab/ab02": 21,
        "packs/ba/ba01": 22,
    }
    for key, size in keys.items():
        await store.put(key, b"x" * size)

    everything = await store.list("")
    assert [i.key for i in everything] == sorted(keys)
    assert {i.key: i.size for i in everything} == keys
    for info in everything:
        assert info == await store.head(info.key)

    def names(infos: list[Any]) -> list[str]:
        return [i.key for i in infos]

    assert names(await store.list("heads/")) == ["heads/d1", "heads/d2"]
    assert names(await store.list("heads")) == ["heads/d1", "heads/d2", "headsup"]
    assert names(await store.list("log/")) == ["log/d1/1", "log/d1/2", "log/d2/1"]
    assert names(await store.list("log/d1/")) == ["log/d1/1", "log/d1/2"]
    assert names(await store.list("packs/a")) == ["packs/ab/ab01", "packs/ab/ab02"]
    assert names(await store.list("packs/ab/ab0")) == ["packs/ab/ab01", "packs/ab/ab02"]
    assert names(await store.list("coffre.json")) == ["coffre.json"]
    assert await store.list("snap/") == []
    assert await store.list("packs/zz") == []


@async_test
async def test_delete_is_idempotent(store: Store) -> None:
    await store.delete("never/was")
    await store.put("packs/ab/ab01", b"x")
    await store.put("packs/ab/ab02", b"y")
    await store.delete("packs/ab/ab01")
    await store.delete("packs/ab/ab01")
    with pytest.raises(ObjectNotFound):
        await store.get("packs/ab/ab01")
    assert [i.key for i in await store.list("")] == ["packs/ab/ab02"]
    await store.delete("packs")  # a folder of objects, not an object: nothing happens
    assert await store.get("packs/ab/ab02") == b"y"


@async_test
async def test_object_and_folder_cannot_share_a_name(hierarchical_store: Store) -> None:
    store = hierarchical_store
    await store.put("a/b", b"1")
    for mode in PutMode:
        with pytest.raises(StoreError) as exc_info:
            await store.put("a", b"2", mode=mode)
        assert type(exc_info.value) is StoreError  # not ObjectExists: nothing is at "a"
        with pytest.raises(StoreError) as exc_info:
            await store.put("a/b/c", b"3", mode=mode)
        assert type(exc_info.value) is StoreError
    assert [i.key for i in await store.list("")] == ["a/b"]
    await store.delete("a/b")
    await store.put("a", b"4")  # the name is free again once "a/" is empty
    assert await store.get("a") == b"4"


INVALID_KEYS = [
    "",
    "/abs",
    "a/../b",
    "..",
    ".",
    "a/./b",
    "a\\b",
    "a//b",
    "a/",
    ".tmp-1234",
    "packs/.tmp-1234",
    ".hidden",
    "Upper",
    "trailing.",
    "nul",
    "con.json",
    "sp ace",
    "nul\x00byte",
    "é",
    "x" * 1025,
    "a/" + "y" * 256,
]


@pytest.mark.parametrize("key", INVALID_KEYS)
@async_test
async def test_invalid_keys_rejected(store: Store, key: str) -> None:
    for call in (
        lambda: store.put(key, b"x"),
        lambda: store.put(key, b"x", mode=CREATE),
        lambda: store.get(key),
        lambda: store.get_range(key, 0, 1),
        lambda: store.get_ranges(key, [(0, 1)]),
        lambda: store.head(key),
        lambda: store.delete(key),
    ):
        with pytest.raises(ValueError):
            await call()
    assert await store.list("") == []


@pytest.mark.parametrize("prefix", ["/", "/a", "../", "a/../", "a//", "a\\", "A", "a/.tmp"])
@async_test
async def test_invalid_prefixes_rejected(store: Store, prefix: str) -> None:
    with pytest.raises(ValueError):
        await store.list(prefix)


@async_test
async def test_closed_store_refuses_work(store: Store) -> None:
    await store.put("a", b"x")
    await store.close()
    await store.close()
    with pytest.raises(StoreError, match="closed"):
        await store.get("a")
    with pytest.raises(StoreError, match="closed"):
        await store.put("b", b"x")


# ----------------------------------------------------------------------------
# Range coalescing
# ----------------------------------------------------------------------------

range_lists = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 60)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(size=st.integers(0, 250), ranges=range_lists, gap=st.integers(0, 50))
def test_coalesce_then_split_equals_slicing(
    size: int, ranges: list[tuple[int, int]], gap: int
) -> None:
    data = bytes(i % 251 for i in range(size))
    spans = coalesce(ranges, gap)
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert next_start > end + gap  # disjoint, and only merged when close enough
    for start, end in ranges:
        if end > start:
            assert any(s <= start and end <= e for s, e in spans)
    blobs = [data[s:e] for s, e in spans]  # what a backend reads, clamped at the end
    assert split(ranges, spans, blobs) == [data[s:e] for s, e in ranges]


def test_local_store_coalesces_nearby_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[tuple[int, int]]] = []
    original = LocalStore._read_spans

    def spy(self: LocalStore, key: str, spans: list[tuple[int, int]]) -> list[bytes]:
        seen.append(list(spans))
        return original(self, key, spans)

    monkeypatch.setattr(LocalStore, "_read_spans", spy)
    store = LocalStore(tmp_path, coalesce_gap=100)
    data = os.urandom(10_000)

    async def body() -> None:
        await store.put("p", data)
        ranges = [(5000, 5010), (0, 10), (50, 60), (150, 170), (9990, 20000)]
        assert await store.get_ranges("p", ranges) == [data[s:e] for s, e in ranges]
        await store.close()

    asyncio.run(body())
    assert seen == [[(0, 170), (5000, 5010), (9990, 20000)]]


def test_local_get_ranges_property(tmp_path: Path) -> None:
    data = os.urandom(400)
    store = LocalStore(tmp_path, coalesce_gap=16)
    run(store.put("obj", data))

    @settings(max_examples=60, deadline=None)
    @given(ranges=range_lists)
    def check(ranges: list[tuple[int, int]]) -> None:
        assert run(store.get_ranges("obj", ranges)) == [data[s:e] for s, e in ranges]

    check()
    run(store.close())


# ----------------------------------------------------------------------------
# The folder store
# ----------------------------------------------------------------------------


@async_test
async def test_local_layout_and_etag(local: LocalStore) -> None:
    info = await local.put("packs/ab/ab01", b"hello")
    path = local.root / "packs" / "ab" / "ab01"
    assert path.read_bytes() == b"hello"
    st_ = path.stat()
    assert info.etag == f"{st_.st_mtime_ns:x}-{st_.st_size:x}-{st_.st_ino:x}"
    assert local.url == local.root.as_uri()
    assert not [p for p in local.root.rglob("*") if p.name.startswith(".tmp-")]


@pytest.mark.parametrize("op", ["get", "head", "get_range", "get_ranges", "list", "put", "delete"])
@async_test
async def test_missing_root_is_unavailable_never_empty(tmp_path: Path, op: str) -> None:
    root = tmp_path / "usb-disk"
    store = LocalStore(root)
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "get": lambda: store.get("coffre.json"),
        "head": lambda: store.head("coffre.json"),
        "get_range": lambda: store.get_range("coffre.json", 0, 10),
        "get_ranges": lambda: store.get_ranges("coffre.json", [(0, 10)]),
        "list": lambda: store.list("heads/"),
        "put": lambda: store.put("packs/ab/ab01", b"x", mode=CREATE),
        "delete": lambda: store.delete("heads/dev"),
    }
    with pytest.raises(StoreUnavailable) as exc_info:
        await calls[op]()
    assert root.as_uri() in str(exc_info.value)
    assert not root.exists()  # nothing was created in place of the missing root
    await store.close()


@async_test
async def test_root_removed_while_in_use(tmp_path: Path) -> None:
    root = tmp_path / "share"
    store = await LocalStore.create(root)
    await store.put("heads/dev", b"x")
    assert len(await store.list("")) == 1
    shutil.rmtree(root)
    with pytest.raises(StoreUnavailable):
        await store.list("")
    with pytest.raises(StoreUnavailable):
        await store.get("heads/dev")
    with pytest.raises(StoreUnavailable):
        await store.put("heads/dev", b"y")
    assert not root.exists()
    await store.close()


@async_test
async def test_root_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "vault").write_bytes(b"")
    store = LocalStore(tmp_path / "vault")
    with pytest.raises(StoreConfigError):
        await store.list("")
    with pytest.raises(StoreConfigError):
        await store.put("a", b"x")
    await store.close()


@async_test
async def test_create_root(tmp_path: Path) -> None:
    store = await LocalStore.create(tmp_path / "vault")
    assert (tmp_path / "vault").is_dir()
    assert await store.list("") == []
    await store.close()
    again = await LocalStore.create(tmp_path / "vault")  # already there: fine
    await again.close()
    with pytest.raises(StoreConfigError, match="parent folder does not exist"):
        await LocalStore.create(tmp_path / "missing" / "vault")
    assert not (tmp_path / "missing").exists()
    deep = await LocalStore.create(tmp_path / "missing" / "vault", parents=True)
    assert (tmp_path / "missing" / "vault").is_dir()
    await deep.close()
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(StoreConfigError):
        await LocalStore.create(tmp_path / "file")


@async_test
async def test_crash_leftovers_are_invisible(local: LocalStore) -> None:
    await local.put("packs/ab/ab01", b"complete")
    # What a crash between the temp write and the rename leaves behind:
    (local.root / ".tmp-0123456789abcdef").write_bytes(b"half a head")
    (local.root / "packs" / "ab" / ".tmp-fedcba9876543210").write_bytes(b"half a pack")
    # And what other programs leave on shares:
    (local.root / "Thumbs.db").write_bytes(b"")
    (local.root / ".snapshot" / "hourly").mkdir(parents=True)
    (local.root / ".snapshot" / "hourly" / "coffre.json").write_bytes(b"old")
    assert [i.key for i in await local.list("")] == ["packs/ab/ab01"]
    assert [i.key for i in await local.list("packs/ab/")] == ["packs/ab/ab01"]
    with pytest.raises(ObjectNotFound):
        await local.head("coffre.json")


@pytest.mark.parametrize(
    ("mode", "failing"),
    [
        (PutMode.OVERWRITE, "fsync"),
        (PutMode.OVERWRITE, "replace"),
        (PutMode.CREATE, "fsync"),
        (PutMode.CREATE, "link"),
    ],
)
@async_test
async def test_failed_write_leaves_no_trace(
    local: LocalStore, monkeypatch: pytest.MonkeyPatch, mode: PutMode, failing: str
) -> None:
    """An I/O error at any step of a write: no new object, no temp file, old one intact."""
    await local.put("heads/dev", b"old")
    key = "heads/dev" if mode is PutMode.OVERWRITE else "heads/new"

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(StoreUnavailable):
        await local.put(key, b"new", mode=mode)
    monkeypatch.undo()
    assert await local.get("heads/dev") == b"old"
    assert [i.key for i in await local.list("")] == ["heads/dev"]
    assert [p.name for p in local.root.rglob("*") if p.is_file()] == ["dev"]


@async_test
async def test_create_without_hard_links(
    local: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The O_EXCL fallback for shares that refuse hard links keeps create-only exclusive."""

    def no_links(src: str, dst: str) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)

    async def attempt(i: int) -> bool:
        try:
            await local.put("log/dev/1", f"writer {i}".encode(), mode=CREATE)
        except ObjectExists:
            return False
        return True

    outcomes = await asyncio.gather(*(attempt(i) for i in range(40)))
    assert outcomes.count(True) == 1
    assert await local.get("log/dev/1") == f"writer {outcomes.index(True)}".encode()
    assert [p.name for p in (local.root / "log" / "dev").iterdir()] == ["1"]


def test_concurrent_create_from_threads_with_separate_stores(tmp_path: Path) -> None:
    """Many clients on one folder (as on a share): exactly one create-only write wins."""
    barrier = threading.Barrier(24)
    results: list[bool] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        store = LocalStore(tmp_path, max_workers=1)

        async def go() -> bool:
            try:
                await store.put("log/dev/9", f"client {i}".encode(), mode=CREATE)
            except ObjectExists:
                return False
            finally:
                await store.close()
            return True

        barrier.wait()
        won = asyncio.run(go())
        with lock:
            results.append(won)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 24 and results.count(True) == 1
    content = (tmp_path / "log" / "dev" / "9").read_bytes()
    assert content.startswith(b"client ")
    assert sorted(p.name for p in (tmp_path / "log" / "dev").iterdir()) == ["9"]


@async_test
async def test_delete_prunes_empty_folders_but_not_the_root(local: LocalStore) -> None:
    await local.put("packs/ab/ab01", b"x")
    await local.put("packs/cd/cd01", b"y")
    await local.delete("packs/ab/ab01")
    assert sorted(p.name for p in (local.root / "packs").iterdir()) == ["cd"]
    await local.delete("packs/cd/cd01")
    assert list(local.root.iterdir()) == []
    assert local.root.is_dir()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
@async_test
async def test_disk_full_is_store_full(
    local: LocalStore, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def full(fd: int, data: Any) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StoreFull) as exc_info:
        await local.put("packs/ab/ab01", b"x" * 100)
    assert local.url in str(exc_info.value)
    monkeypatch.undo()
    assert list((local.root / "packs" / "ab").iterdir()) == []


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[Path, str], None]]:
    """Mount small tmpfs file systems (root only); unmounted at teardown."""
    mounted: list[Path] = []

    def mount(path: Path, size: str = "1m") -> None:
        path.mkdir(exist_ok=True)
        cmd = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)]
        try:
            done = subprocess.run(cmd, capture_output=True, check=False)
        except FileNotFoundError:
            unavailable("no mount command")
        if done.returncode != 0:
            unavailable(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(path)

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@async_test
async def test_real_disk_full(tmp_path: Path, tmpfs: Callable[[Path, str], None]) -> None:
    tmpfs(tmp_path / "small", "64k")
    store = LocalStore(tmp_path / "small")
    with pytest.raises(StoreFull):
        await store.put("packs/ab/ab01", os.urandom(1 << 20))
    assert await store.list("") == []
    assert [p.name for p in (tmp_path / "small").rglob("*") if p.is_file()] == []
    await store.close()


@async_test
async def test_read_only_file_system(tmp_path: Path, tmpfs: Callable[[Path, str], None]) -> None:
    tmpfs(tmp_path / "ro", "64k,ro")
    store = LocalStore(tmp_path / "ro")
    assert await store.list("") == []
    with pytest.raises(StoreAuthError, match="read-only"):
        await store.put("heads/dev", b"x")
    await store.close()


@async_test
async def test_unmounted_share_is_unavailable(
    tmp_path: Path, tmpfs: Callable[[Path, str], None]
) -> None:
    share = tmp_path / "share"
    tmpfs(share, "1m")
    store = LocalStore(share)
    await store.put("heads/dev", b"x")
    assert len(await store.list("")) == 1
    subprocess.run(["umount", str(share)], check=True)
    assert share.is_dir() and not any(share.iterdir())  # the bare mount point is left
    with pytest.raises(StoreUnavailable, match="mounted"):
        await store.list("")
    with pytest.raises(StoreUnavailable):
        await store.get("heads/dev")
    with pytest.raises(StoreUnavailable):
        await store.put("heads/dev", b"y")
    assert not any(share.iterdir())  # nothing written to the local disk under it
    tmpfs(share, "1m")  # mounted again (a new device number): usable again
    assert await store.list("") == []
    await store.close()


def _as_unprivileged(fn: Callable[[], str]) -> str:
    """Run `fn` where permissions apply: as `nobody` in a forked child when we are root."""
    if os.geteuid() != 0:
        return fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for real, then report through the pipe
        try:
            os.close(read_end)
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            except OSError:
                result = "cannot-drop-root"
            else:
                result = fn()
        except BaseException as exc:
            result = f"crash {type(exc).__name__}: {exc}"
        os.write(write_end, result.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read().decode()
    os.waitpid(pid, 0)
    if output == "cannot-drop-root":
        unavailable("cannot switch to an unprivileged user here")
    return output


def test_permission_denied_is_auth_error() -> None:
    """A real EACCES from the kernel (as `nobody`, since root bypasses permissions)."""
    base = Path(tempfile.mkdtemp(prefix="coffre-eacces-"))
    try:
        base.chmod(0o755)
        root = base / "vault"
        root.mkdir()
        (root / "keys").mkdir()
        (root / "keys" / "00ff").write_bytes(b"wrapped key")
        (root / "keys" / "00ff").chmod(0)
        for d in (root / "keys", root):
            d.chmod(0o555)

        def probe() -> str:
            store = LocalStore(root)

            async def go() -> str:
                out = [str(len(await store.list("")))]  # control: the folder is reachable
                for call in (store.get("keys/00ff"), store.put("heads/dev", b"x")):
                    try:
                        await call
                        out.append("no error")
                    except StoreError as exc:
                        ok = root.as_uri() in str(exc) and "permission" in str(exc).lower()
                        out.append(f"{type(exc).__name__}{'' if ok else ' (bad message)'}")
                await store.close()
                return " ".join(out)

            return asyncio.run(go())

        result = _as_unprivileged(probe)
        if os.geteuid() != 0 and result.startswith("1 no error"):
            unavailable("this user bypasses file permissions")
        denied = StoreAuthError.__name__
        assert result == f"1 {denied} {denied}"
    finally:
        for d in (base / "vault" / "keys", base / "vault"):
            with contextlib.suppress(OSError):
                d.chmod(stat.S_IRWXU)
        shutil.rmtree(base, ignore_errors=True)


# ----------------------------------------------------------------------------
# The in-memory store's fault hook
# ----------------------------------------------------------------------------


@async_test
async def test_memory_fault_hook() -> None:
    calls: list[tuple[str, str]] = []

    def fault(op: str, key: str) -> None:
        calls.append((op, key))
        if op == "get" and key == "heads/flaky":
            raise StoreUnavailable("injected", url="memory://sim", key=key)
        if op == "put:ack" and key == "log/d/1":
            raise StoreUnavailable("ack lost", url="memory://sim", key=key)

    store = MemoryStore(name="sim", fault=fault, clock=lambda: 1_000_000.0)
    await store.put("heads/flaky", b"x")
    with pytest.raises(StoreUnavailable):
        await store.get("heads/flaky")
    # A lost acknowledgement: the caller sees an error, yet the write happened.
    with pytest.raises(StoreUnavailable):
        await store.put("log/d/1", b"seg", mode=CREATE)
    assert await store.get("log/d/1") == b"seg"
    with pytest.raises(ObjectExists):
        await store.put("log/d/1", b"seg", mode=CREATE)
    await store.list("log/")
    await store.delete("log/d/1")
    assert calls == [
        ("put", "heads/flaky"),
        ("put:ack", "heads/flaky"),
        ("get", "heads/flaky"),
        ("put", "log/d/1"),
        ("put:ack", "log/d/1"),
        ("get", "log/d/1"),
        ("put", "log/d/1"),
        ("list", "log/"),
        ("delete", "log/d/1"),
        ("delete:ack", "log/d/1"),
    ]
    assert (await store.head("heads/flaky")).mtime.timestamp() == 1_000_000.0
    assert store.url == "memory://sim"


# ----------------------------------------------------------------------------
# Store addresses
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("/srv/coffre/vault", "/srv/coffre/vault"),
        ("  /srv/coffre/vault\n", "/srv/coffre/vault"),
        ("file:///srv/coffre/vault", "/srv/coffre/vault"),
        ("FILE:///srv/coffre/vault", "/srv/coffre/vault"),
        ("file://localhost/srv/vault", "/srv/vault"),
        ("file:///mnt/My%20Share/vault", "/mnt/My Share/vault"),
    ],
)
def test_parse_local(address: str, path: str) -> None:
    spec = parse_store_url(address)
    assert spec == LocalSpec(Path(path))
    assert isinstance(spec, LocalSpec) and spec.url == Path(path).as_uri()


@pytest.mark.parametrize(
    ("address", "bucket", "prefix", "endpoint", "region"),
    [
        ("s3://bucket/prefix", "bucket", "prefix", None, None),
        ("s3://bucket", "bucket", "", None, None),
        ("s3://bucket/", "bucket", "", None, None),
        ("s3://my.bucket/team/vault/", "my.bucket", "team/vault", None, None),
        (
            "s3://b/v?endpoint=https://s3.example.org:9000&region=fr-par",
            "b",
            "v",
            "https://s3.example.org:9000",
            "fr-par",
        ),
    ],
)
def test_parse_s3(
    address: str, bucket: str, prefix: str, endpoint: str | None, region: str | None
) -> None:
    spec = parse_store_url(address)
    assert spec == S3Spec(bucket=bucket, prefix=prefix, endpoint=endpoint, region=region)
    assert parse_store_url(spec.url) == spec


@pytest.mark.parametrize(
    ("address", "base_url"),
    [
        ("webdav://files.example.org/dav", "http://files.example.org/dav/"),
        (
            "webdavs://Files.Example.org:8443/remote.php/dav/files/alice/",
            "https://files.example.org:8443/remote.php/dav/files/alice/",
        ),
        ("webdavs://[::1]:8080/x", "https://[::1]:8080/x/"),
        ("webdavs://host", "https://host/"),
    ],
)
def test_parse_webdav(address: str, base_url: str) -> None:
    spec = parse_store_url(address)
    assert spec == WebDavSpec(base_url=base_url)
    assert parse_store_url(spec.url) == spec


def test_webdav_user_kept_password_never_printable() -> None:
    spec = parse_store_url("webdavs://alice:s3cr%3At@dav.example.org/vault")
    assert isinstance(spec, WebDavSpec)
    assert spec.user == "alice"
    assert spec.base_url == "https://dav.example.org/vault/"
    assert spec.password is not None and spec.password.reveal() == "s3cr:t"
    for text in (repr(spec), str(spec), spec.url, spec.base_url, repr(spec.password)):
        assert "s3cr" not in text
    assert spec.url == "webdavs://alice@dav.example.org/vault/"
    assert spec.password == Secret("s3cr:t")


def test_webdav_ca_bundle_option() -> None:
    spec = parse_store_url("webdavs://dav.example.org/vault?ca_bundle=/etc/ssl/org-ca.pem")
    assert isinstance(spec, WebDavSpec)
    assert spec.base_url == "https://dav.example.org/vault/"
    assert spec.ca_bundle == "/etc/ssl/org-ca.pem"
    assert parse_store_url(spec.url) == spec  # the printable address round-trips


@pytest.mark.parametrize(
    ("address", "hint"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("vault", "absolute"),
        ("./vault", "absolute"),
        ("../vault", "absolute"),
        ("~/vault", "full path"),
        ("file://server/share/vault", "three slashes"),
        ("file:/srv/vault", "file://"),
        ("file:///srv/va?ult", "%3F"),
        ("file://", "absolute"),
        ("s3://", "no bucket"),
        ("s3:///prefix", "no bucket"),
        ("s3:bucket/prefix", "s3://"),
        ("s3://bucket:9000/x", "endpoint="),
        ("s3://bucket/a/../b", "'..'"),
        ("s3://bucket/x?foo=bar", "Unknown S3 address option"),
        ("s3://bucket/x?region=", "empty"),
        ("s3://bucket/x?endpoint=ftp://h", "web address"),
        ("s3://bucket/x?endpoint=https://u:pw@h", "credentials"),
        ("s3://buck et/x", "bucket name"),
        ("webdavs:///path", "no server name"),
        ("webdavs://host:99999/x", "invalid port"),
        ("webdavs://host/x?y=1", "'?'"),
        ("webdavs://host/x?ca_bundle=relative.pem", "absolute path"),
        ("webdavs://host/x?ca_bundle=/a.pem&ca_bundle=/b.pem", "one ca_bundle"),
        ("webdavs://host/x#frag", "'#'"),
        ("https://dav.example.org/x", "webdavs://"),
        ("smb://server/share", "Mount the share"),
        ("ftp://server/x", "Unsupported"),
    ],
)
def test_bad_addresses(address: str, hint: str) -> None:
    with pytest.raises(StoreConfigError) as exc_info:
        parse_store_url(address)
    assert hint in str(exc_info.value)


@pytest.mark.parametrize(
    "address",
    [
        "s3://AKIAEXAMPLE:TOPSECRET@bucket/x",
        "s3://TOPSECRET@bucket/x",
        "s3://bucket/x?secret_key=TOPSECRET",
        "webdavs://alice:TOPSECRET@host:99999/x",
        "webdavs://alice:TOPSECRET@host/x?token=TOPSECRET",
        "ftp://alice:TOPSECRET@host/x",
        "file://alice:TOPSECRET@host/x",
    ],
)
def test_errors_never_show_secrets(address: str) -> None:
    with pytest.raises(StoreConfigError) as exc_info:
        parse_store_url(address)
    assert "TOPSECRET" not in str(exc_info.value)
    assert "TOPSECRET" not in redact(address)


def test_open_store(tmp_path: Path) -> None:
    store = open_store(parse_store_url(str(tmp_path)))
    assert isinstance(store, LocalStore) and store.root == tmp_path
    run(store.close())
