"""The watcher on a real directory: debounced batches, editor saves, overflow -> rescan."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sync_engine.disk.watcher import Batch, Debouncer, Watcher, relative
from tests.environment import unavailable

SETTLE = 0.3
MAX_QUEUED = Path("/proc/sys/fs/inotify/max_queued_events")


def wait_for(predicate: Callable[[], object], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def next_batch(watcher: Watcher, timeout: float = 5.0) -> Batch | None:
    got: list[Batch] = []

    def ready() -> bool:
        batch = watcher.take()
        if batch is not None:
            got.append(batch)
        return bool(got)

    wait_for(ready, timeout)
    return got[0] if got else None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "folder"
    root.mkdir()
    return root


@pytest.fixture
def watcher(folder: Path) -> Iterator[Watcher]:
    w = Watcher(str(folder), settle_s=SETTLE, max_delay_s=5.0)
    w.start()
    yield w
    w.stop()


def test_an_editor_save_is_one_batch_naming_the_file(folder: Path, watcher: Watcher) -> None:
    (folder / "docs").mkdir()
    doc = folder / "docs" / "report.odt"
    doc.write_bytes(b"version 1")
    first = next_batch(watcher)
    assert first is not None and "docs/report.odt" in first.paths

    # An office suite's save: temp file, original to backup, temp over original, backup gone.
    tmp = folder / "docs" / "lu12345.tmp"
    tmp.write_bytes(b"version 2, longer")
    os.rename(doc, folder / "docs" / "report.odt~")
    os.rename(tmp, doc)
    os.unlink(folder / "docs" / "report.odt~")
    batch = next_batch(watcher)
    assert batch is not None
    assert "docs/report.odt" in batch.paths
    assert not batch.rescan
    time.sleep(SETTLE * 2)
    assert watcher.take() is None, "the whole save came out as one batch"


def test_a_file_being_written_is_not_ready_until_it_stops_changing(
    folder: Path, watcher: Watcher
) -> None:
    path = folder / "big.bin"
    with path.open("wb") as f:
        for _ in range(8):
            f.write(os.urandom(4096))
            f.flush()
            time.sleep(SETTLE / 3)
            assert watcher.take() is None, "a batch while the file was still being written"
    batch = next_batch(watcher)  # closed: ready without waiting the settle delay again
    assert batch is not None and batch.paths == {"big.bin"}


def test_a_file_closed_after_writing_does_not_wait_the_settle_delay(folder: Path) -> None:
    slow = 5.0  # the delay for files still being written: far longer than the test waits
    w = Watcher(str(folder), settle_s=slow, max_delay_s=30.0)
    w.start()
    try:
        started = time.monotonic()
        (folder / "done.txt").write_bytes(b"written and closed")
        batch = next_batch(w, timeout=slow / 2)
        assert batch is not None and batch.paths == {"done.txt"}
        assert time.monotonic() - started < slow / 2
        # A file linked into place whole (how downloads publish a new file) is complete.
        (folder / ".coffre-tmp-1").write_bytes(b"downloaded")
        os.link(folder / ".coffre-tmp-1", folder / "linked.txt")
        batch = next_batch(w, timeout=slow / 2)
        assert batch is not None and batch.paths == {"linked.txt"}
        with (folder / "open.txt").open("wb") as f:
            f.write(b"still being written")
            f.flush()
            assert next_batch(w, timeout=1.0) is None, "an open file waits for the settle delay"
    finally:
        w.stop()


def test_new_folders_are_watched_and_coffre_files_are_not_changes(
    folder: Path, watcher: Watcher
) -> None:
    (folder / ".coffre-tmp-abc").write_bytes(b"a download in progress")
    (folder / ".coffre-root").write_bytes(b"")
    time.sleep(SETTLE * 2)
    assert watcher.take() is None, "Coffre's own files are not changes"

    (folder / "a" / "b").mkdir(parents=True)
    assert next_batch(watcher) is not None
    (folder / "a" / "b" / "deep.txt").write_text("deep")
    (folder / ".coffreignore").write_text("*.tmp\n")
    batch = next_batch(watcher)
    assert batch is not None
    assert {"a/b/deep.txt", ".coffreignore"} <= batch.paths


def test_a_moved_folder_names_both_sides(folder: Path, watcher: Watcher) -> None:
    (folder / "old").mkdir()
    (folder / "old" / "x.txt").write_text("x")
    assert next_batch(watcher) is not None
    os.rename(folder / "old", folder / "new")
    batch = next_batch(watcher)
    assert batch is not None and {"old", "new"} <= batch.paths


@contextlib.contextmanager
def small_inotify_queue(size: int) -> Iterator[None]:
    """Lower the kernel's queue size for inotify instances created meanwhile (root only).

    The kernel copies the limit into each instance when it is created, so it is put
    back right after the watcher's instance exists.
    """
    old = MAX_QUEUED.read_text().strip()
    MAX_QUEUED.write_text(str(size))
    try:
        yield
    finally:
        MAX_QUEUED.write_text(old)


def test_an_inotify_overflow_asks_for_a_rescan(folder: Path) -> None:
    if not os.access(MAX_QUEUED, os.W_OK):
        unavailable("needs root to lower fs.inotify.max_queued_events")
    w = Watcher(str(folder), settle_s=SETTLE, max_delay_s=5.0)
    with small_inotify_queue(16):
        w.start()
    try:
        # More events than the queue holds, faster than the watcher's thread reads them.
        for i in range(5000):
            (folder / f"f{i}").write_bytes(b"x")
            if i % 50 == 49 and w.overflows:
                break
        assert wait_for(lambda: w.overflows > 0), "the kernel queue did not overflow"
        batch = next_batch(w)
        assert batch is not None and batch.rescan, "lost events mean a full rescan"
        # The watcher keeps working after the overflow.
        time.sleep(SETTLE * 2)
        w.take()
        (folder / "after.txt").write_text("still watched")
        later = next_batch(w)
        assert later is not None and "after.txt" in later.paths
    finally:
        w.stop()


def test_debouncer_holds_a_never_settling_path_at_most_max_delay() -> None:
    d = Debouncer(settle_s=1.0, max_delay_s=5.0)
    d.add("quiet.txt", 0.0)
    for t in range(0, 6):
        d.add("log.txt", float(t))  # written every second, forever
    assert d.ready_at() == 5.0
    assert d.take(4.9) is None
    batch = d.take(5.0)
    assert batch is not None and batch.paths == {"quiet.txt"}
    assert d.pending, "the still-changing path waits"
    assert d.ready_at() == 6.0  # 1 s after its last event
    later = d.take(6.0)
    assert later is not None and later.paths == {"log.txt"}
    assert d.take(100.0) is None and not d.pending


def test_debouncer_waits_the_settle_delay_only_for_paths_still_being_written() -> None:
    d = Debouncer(settle_s=1.0, max_delay_s=5.0, done_s=0.1)
    d.add("report.odt", 0.0)  # created...
    d.add("report.odt", 0.2, done=True)  # ...and closed after writing
    assert d.ready_at() == pytest.approx(0.3)
    d.add("growing.log", 0.25)  # modified, not closed: may still be written
    assert d.ready_at() == pytest.approx(1.25)
    assert d.take(1.0) is None
    batch = d.take(1.25)
    assert batch is not None and batch.paths == {"report.odt", "growing.log"}
    d.add("big.iso", 2.0, done=True)
    d.add("big.iso", 2.05)  # written again after the close: the settle delay again
    assert d.ready_at() == pytest.approx(3.05)


def test_debouncer_rescan_request() -> None:
    d = Debouncer(settle_s=1.0, max_delay_s=5.0)
    d.add_rescan(10.0)
    assert d.ready_at() == 11.0
    batch = d.take(11.0)
    assert batch == Batch(frozenset(), rescan=True)
    assert d.take(20.0) is None


def test_relative_paths() -> None:
    root = os.path.abspath("/srv/folder")
    assert relative(root, root) == ""
    assert relative(root, os.path.join(root, "a", "b.txt")) == "a/b.txt"
    assert relative(root, os.path.join(root, "a", ".coffre-tmp-1")) is None
    assert relative(root, os.path.join(root, ".coffreignore")) == ".coffreignore"
    assert relative(root, "/srv/other/x") is None
    assert relative(root, "") is None
