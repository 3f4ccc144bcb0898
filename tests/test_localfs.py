"""The LocalFs contract, run over the real disk (DiskFs) and the simulator's MemoryFs.

Each data-protection rule the file system layer owns (docs/ARCHITECTURE.md section 4)
is checked on both, so the simulator's results mean something on disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

from sync_engine.core import names as fs_names
from sync_engine.core.model import Kind
from sync_engine.disk.fs_errors import (
    ChangedOnDisk,
    DirectoryNotEmpty,
    DiskFull,
    FsError,
    FsReadError,
    LockedFile,
    NameNotAllowed,
    PathNotFound,
    RootUnavailable,
    SymlinkInPath,
    from_oserror,
)
from sync_engine.disk.localfs import (
    PARTIAL_PREFIX,
    ROOT_MARKER,
    TEMP_PREFIX,
    DiskFs,
    FsEntry,
    LocalFs,
)
from tests.memfs import MemoryFs

T0 = 1_600_000_000_123_456_789


class Crash(Exception):
    """A simulated power cut (anything but an OSError from the fault hook)."""


@dataclass
class Env:
    """One LocalFs plus 'the person at the keyboard' acting on the same tree."""

    fs: LocalFs
    qdir: str
    put: Callable[[str, bytes], FsEntry]
    read: Callable[[str], bytes]
    exists: Callable[[str], bool]
    names: Callable[[str], set[str]]
    raw_symlink: Callable[[str, str], object]
    remove_root: Callable[[], None]
    remove_marker: Callable[[], None]
    outside: str  # a place outside the root that must never be written


def _disk_env(tmp_path: Path) -> Env:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    fs = DiskFs(root)
    fs.write_root_marker()

    def put(rel: str, data: bytes) -> FsEntry:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        entry = fs.stat(rel)
        assert entry is not None
        return entry

    return Env(
        fs=fs,
        qdir=str(tmp_path / "quarantine"),
        put=put,
        read=lambda rel: (root / rel).read_bytes(),
        exists=lambda rel: os.path.lexists(root / rel),
        names=lambda rel: set(os.listdir(root / rel)),
        raw_symlink=lambda rel, target: os.symlink(target, root / rel),
        remove_root=lambda: shutil.rmtree(root),
        remove_marker=lambda: (root / ROOT_MARKER).unlink(),
        outside=str(outside),
    )


def _memory_env(tmp_path: Path) -> Env:
    fs = MemoryFs()

    def names(rel: str) -> set[str]:
        return {e.name for e in fs.list_dir(rel)}

    return Env(
        fs=fs,
        qdir="/quarantine",
        put=lambda rel, data: fs.put_file(rel, data),
        read=fs.read_bytes,
        exists=fs.exists,
        names=names,
        raw_symlink=fs.put_symlink,
        remove_root=fs.unmount,
        remove_marker=lambda: fs.delete(ROOT_MARKER),
        outside="/outside",
    )


@pytest.fixture(params=["disk", "memory"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    yield _disk_env(tmp_path) if request.param == "disk" else _memory_env(tmp_path)


def _temps(env: Env, rel: str = "") -> set[str]:
    return {n for n in env.names(rel) if n.startswith(TEMP_PREFIX)}


# -- write_file --------------------------------------------------------------


def test_write_new_file_is_complete_and_leaves_no_temp(env: Env) -> None:
    entry = env.fs.write_file(
        "a.txt", [b"hello ", memoryview(b"world")], mtime_ns=T0, executable=True, expect=None
    )
    assert env.read("a.txt") == b"hello world"
    assert entry.kind is Kind.FILE and entry.size == 11 and entry.executable
    assert entry.mtime_ns == T0
    assert env.fs.stat("a.txt") == entry
    assert _temps(env) == set()


def test_write_refuses_to_overwrite_when_nothing_was_expected(env: Env) -> None:
    env.put("a.txt", b"mine")
    with pytest.raises(ChangedOnDisk):
        env.fs.write_file("a.txt", [b"theirs"], mtime_ns=T0, executable=False, expect=None)
    assert env.read("a.txt") == b"mine"
    assert _temps(env) == set()


def test_write_replaces_only_the_expected_version(env: Env) -> None:
    old = env.put("a.txt", b"v1")
    env.put("a.txt", b"v1 edited by the person")  # changes size (and mtime)
    with pytest.raises(ChangedOnDisk):
        env.fs.write_file("a.txt", [b"v2"], mtime_ns=T0, executable=False, expect=old.stat_key)
    assert env.read("a.txt") == b"v1 edited by the person"
    assert _temps(env) == set()
    current = env.fs.stat("a.txt")
    assert current is not None
    new = env.fs.write_file(
        "a.txt", [b"v2"], mtime_ns=T0, executable=False, expect=current.stat_key
    )
    assert env.read("a.txt") == b"v2"
    assert new.inode != current.inode  # a new file was renamed over the old one


def test_change_during_the_download_is_caught_before_publishing(env: Env) -> None:
    old = env.put("a.txt", b"v1")

    def chunks() -> Iterator[bytes]:
        yield b"remote "
        env.put("a.txt", b"edited meanwhile, longer")
        yield b"version"

    with pytest.raises(ChangedOnDisk):
        env.fs.write_file("a.txt", chunks(), mtime_ns=T0, executable=False, expect=old.stat_key)
    assert env.read("a.txt") == b"edited meanwhile, longer"
    assert _temps(env) == set()


def test_content_check_failure_changes_nothing(env: Env) -> None:
    old = env.put("a.txt", b"v1")

    def bad_hash() -> None:
        raise ValueError("hash mismatch")

    for expect in (old.stat_key, None):
        rel = "a.txt" if expect else "b.txt"
        with pytest.raises(ValueError):
            env.fs.write_file(
                rel, [b"xx"], mtime_ns=T0, executable=False, expect=expect, content_check=bad_hash
            )
    assert env.read("a.txt") == b"v1"
    assert not env.exists("b.txt")
    assert _temps(env) == set()


def test_write_needs_an_existing_parent(env: Env) -> None:
    with pytest.raises(PathNotFound):
        env.fs.write_file("no/such/dir.txt", [b"x"], mtime_ns=T0, executable=False, expect=None)


# -- never outside the root ------------------------------------------------------


@pytest.mark.parametrize("bad", ["../x", "/etc/x", "a/../../x", "a/./b", "a//b", "a/", "x\x00y"])
def test_paths_that_could_leave_the_root_are_refused(env: Env, bad: str) -> None:
    with pytest.raises(NameNotAllowed):
        env.fs.write_file(bad, [b"x"], mtime_ns=T0, executable=False, expect=None)
    with pytest.raises(NameNotAllowed):
        env.fs.stat(bad)
    with pytest.raises(NameNotAllowed):
        env.fs.make_dir(bad)


def test_symlinked_parent_is_never_followed(env: Env) -> None:
    env.fs.make_dir("real")
    env.put("real/inside.txt", b"x")
    env.raw_symlink("link", env.outside)
    with pytest.raises(SymlinkInPath):
        env.fs.write_file("link/x", [b"x"], mtime_ns=T0, executable=False, expect=None)
    with pytest.raises(SymlinkInPath):
        env.fs.make_dir("link/sub")
    with pytest.raises(SymlinkInPath):
        env.fs.open_read("link/x")
    with pytest.raises(SymlinkInPath):
        env.fs.list_dir("link")
    assert env.fs.stat("link/x") is None  # "link/x" is not a path of the tree
    link = env.fs.stat("link")
    assert link is not None and link.kind is Kind.SYMLINK and link.symlink_target == env.outside
    if isinstance(env.fs, DiskFs):
        assert os.listdir(env.outside) == []


def test_open_read_refuses_a_symlink_itself(env: Env) -> None:
    env.put("target.txt", b"secret")
    env.raw_symlink("l.txt", "target.txt")
    with pytest.raises(ChangedOnDisk):
        env.fs.open_read("l.txt")


def test_symlink_targets_leaving_the_folder_are_refused(env: Env) -> None:
    with pytest.raises(NameNotAllowed):
        env.fs.make_symlink("l", "/etc/passwd", expect=None)
    with pytest.raises(NameNotAllowed):
        env.fs.make_symlink("l", "../../x", expect=None)
    made = env.fs.make_symlink("l", "sub/x", expect=None)
    assert made.kind is Kind.SYMLINK and made.symlink_target == "sub/x"
    with pytest.raises(ChangedOnDisk):
        env.fs.make_symlink("l", "other", expect=None)
    again = env.fs.make_symlink("l", "other", expect=made.stat_key)
    assert again.symlink_target == "other"


# -- root ---------------------------------------------------------------------


def test_missing_root_is_never_an_empty_folder(env: Env) -> None:
    env.put("a.txt", b"x")
    env.remove_root()
    for call in (
        env.fs.check_root,
        lambda: env.fs.list_dir(""),
        lambda: env.fs.stat("a.txt"),
        lambda: env.fs.open_read("a.txt"),
        lambda: env.fs.write_file("b", [b"x"], mtime_ns=T0, executable=False, expect=None),
    ):
        with pytest.raises(RootUnavailable):
            call()


def test_root_without_marker_looks_unmounted(env: Env) -> None:
    env.remove_marker()
    with pytest.raises(RootUnavailable):
        env.fs.check_root()
    with pytest.raises(RootUnavailable):
        env.fs.list_dir("")
    env.fs.write_root_marker()
    env.fs.check_root()


# -- reading ------------------------------------------------------------------------


def test_list_dir_and_stat(env: Env) -> None:
    env.fs.make_dir("d")
    f = env.put("d/f.txt", b"12345")
    entries = {e.name: e for e in env.fs.list_dir("d")}
    assert entries == {"f.txt": f}
    assert f.size == 5 and f.kind is Kind.FILE
    d = env.fs.stat("d")
    assert d is not None and d.kind is Kind.DIR and d.size == 0 and d.mtime_ns == 0
    assert env.fs.stat("nope") is None
    assert env.fs.stat("d/f.txt/below") is None  # ENOTDIR
    with pytest.raises(PathNotFound):
        env.fs.list_dir("nope")
    with pytest.raises(PathNotFound):
        env.fs.open_read("nope")


def _list_as_nobody(fs: LocalFs, tmp_path: Path, rel: str) -> str:
    """list_dir(rel) in a child running as `nobody`; returns what it raised."""
    top = Path(tempfile.gettempdir())
    for d in (tmp_path, *tmp_path.parents):
        if top in d.parents:
            os.chmod(d, 0o755)  # let the unprivileged child reach the folder
    os.chmod(tmp_path / "root" / rel, 0o700)  # root's own folder: nobody may not read it
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        outcome = "no error"
        try:
            os.setgid(65534)
            os.setuid(65534)
            fs.list_dir(rel)
        except FsReadError as exc:
            outcome = f"FsReadError {exc.path}"
        except BaseException as exc:
            outcome = f"{type(exc).__name__}: {exc}"
        os.write(write_end, outcome.encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as f:
        return f.read().decode()


def test_unreadable_directory_raises_fs_read_error(env: Env, tmp_path: Path) -> None:
    env.fs.make_dir("secret")
    env.put("secret/a.txt", b"x")
    if isinstance(env.fs, MemoryFs):

        def deny(op: str, rel: str) -> None:
            if op == "list_dir" and rel == "secret":
                raise PermissionError(errno.EACCES, "Permission denied")

        env.fs.fault = deny
    elif os.geteuid() == 0:
        # Root reads any directory: check as an unprivileged user in a forked child.
        assert _list_as_nobody(env.fs, tmp_path, "secret") == "FsReadError secret"
        return
    else:
        os.chmod(tmp_path / "root" / "secret", 0)
    try:
        with pytest.raises(FsReadError) as info:
            env.fs.list_dir("secret")
        assert "secret" in str(info.value) and info.value.path == "secret"
    finally:
        if isinstance(env.fs, DiskFs):
            os.chmod(tmp_path / "root" / "secret", 0o755)


def test_names_that_are_not_utf8_and_special_files_are_reported(env: Env, tmp_path: Path) -> None:
    if isinstance(env.fs, DiskFs):
        root = os.fsencode(tmp_path / "root")
        with open(root + b"/bad\xff.txt", "wb") as f:
            f.write(b"x")
        os.mkfifo(tmp_path / "root" / "pipe")
    else:
        assert isinstance(env.fs, MemoryFs)
        env.fs.put_file("bad\udcff.txt", b"x")
        env.fs.put_special("pipe")
    entries = {e.name: e for e in env.fs.list_dir("")}
    assert entries["bad\udcff.txt"].kind is Kind.FILE
    assert entries["pipe"].kind is None and "pipe" in (entries["pipe"].special or "")
    with pytest.raises(ChangedOnDisk):
        env.fs.open_read("pipe")  # and it does not block waiting for a writer


# -- make_dir, rename, attributes ----------------------------------------------------------


def test_make_dir_is_exists_ok_only_for_real_directories(env: Env) -> None:
    first = env.fs.make_dir("d")
    assert env.fs.make_dir("d") == first
    env.put("f", b"x")
    with pytest.raises(ChangedOnDisk):
        env.fs.make_dir("f")
    env.raw_symlink("l", "d")
    with pytest.raises(ChangedOnDisk):
        env.fs.make_dir("l")


def test_rename_rechecks_source_and_destination(env: Env) -> None:
    a = env.put("a.txt", b"a")
    b = env.put("b.txt", b"b")
    env.put("a.txt", b"a, edited")
    with pytest.raises(ChangedOnDisk):
        env.fs.rename("a.txt", "c.txt", expect_src=a.stat_key)
    a2 = env.fs.stat("a.txt")
    assert a2 is not None
    with pytest.raises(ChangedOnDisk):
        env.fs.rename("a.txt", "b.txt", expect_src=a2.stat_key)  # b.txt was not expected
    assert env.read("b.txt") == b"b"
    moved = env.fs.rename("a.txt", "b.txt", expect_src=a2.stat_key, expect_dst=b.stat_key)
    assert env.read("b.txt") == b"a, edited" and not env.exists("a.txt")
    assert moved.inode == a2.inode
    with pytest.raises(NameNotAllowed):
        env.fs.rename("b.txt", "../b.txt", expect_src=moved.stat_key)


def test_rename_a_directory_into_itself_is_refused(env: Env) -> None:
    d = env.fs.make_dir("d")
    with pytest.raises(NameNotAllowed):
        env.fs.rename("d", "d/e", expect_src=d.stat_key)


def test_set_executable_and_mtime_check_expect(env: Env) -> None:
    f = env.put("run.sh", b"#!/bin/sh\n")
    g = env.fs.set_executable("run.sh", True, expect=f.stat_key)
    assert g.executable and g.inode == f.inode
    with pytest.raises(ChangedOnDisk):
        env.fs.set_mtime("run.sh", T0, expect=(Kind.FILE, 999, g.mtime_ns, g.inode))
    h = env.fs.set_mtime("run.sh", T0, expect=g.stat_key)
    assert h.mtime_ns == T0 and h.executable
    off = env.fs.set_executable("run.sh", False, expect=h.stat_key)
    assert not off.executable


# -- quarantine ---------------------------------------------------------------------------


def test_quarantine_keeps_content_and_restores(env: Env) -> None:
    env.fs.make_dir("docs")
    f = env.put("docs/report.odt", b"precious")
    qpath = env.fs.quarantine("docs/report.odt", expect=f.stat_key, quarantine_dir=env.qdir)
    assert not env.exists("docs/report.odt")
    assert qpath.startswith(env.qdir) and qpath.endswith("/docs/report.odt")
    if isinstance(env.fs, DiskFs):
        assert Path(qpath).read_bytes() == b"precious"
    env.fs.quarantine("docs", expect=env.fs.stat("docs").stat_key, quarantine_dir=env.qdir)  # type: ignore[union-attr]
    assert not env.exists("docs")
    back = env.fs.restore_from_quarantine(qpath, "docs/report.odt")  # recreates docs/
    assert env.read("docs/report.odt") == b"precious"
    assert back.size == len(b"precious")
    if isinstance(env.fs, DiskFs):
        assert not os.path.exists(qpath)


def test_quarantine_rechecks_and_refuses_non_empty_folders(env: Env) -> None:
    f = env.put("a.txt", b"v1")
    env.put("a.txt", b"v1 but edited")
    with pytest.raises(ChangedOnDisk):
        env.fs.quarantine("a.txt", expect=f.stat_key, quarantine_dir=env.qdir)
    assert env.read("a.txt") == b"v1 but edited"
    d = env.fs.make_dir("d")
    env.put("d/new.txt", b"arrived meanwhile")
    with pytest.raises(DirectoryNotEmpty):
        env.fs.quarantine("d", expect=d.stat_key, quarantine_dir=env.qdir)
    assert env.read("d/new.txt") == b"arrived meanwhile"
    with pytest.raises(DirectoryNotEmpty):
        env.fs.remove_empty_dir("d")


def test_restore_never_replaces(env: Env) -> None:
    f = env.put("a.txt", b"old")
    qpath = env.fs.quarantine("a.txt", expect=f.stat_key, quarantine_dir=env.qdir)
    env.put("a.txt", b"new file meanwhile")
    with pytest.raises(ChangedOnDisk):
        env.fs.restore_from_quarantine(qpath, "a.txt")
    assert env.read("a.txt") == b"new file meanwhile"
    env.fs.restore_from_quarantine(qpath, "a (restored).txt")
    assert env.read("a (restored).txt") == b"old"


# -- temp files ----------------------------------------------------------------------------


def test_cleanup_removes_stale_temp_files_everywhere(env: Env) -> None:
    env.fs.make_dir("d")
    env.put(TEMP_PREFIX + "0123", b"torn")
    env.put("d/" + TEMP_PREFIX + "4567", b"torn")
    env.put("d/keep.txt", b"keep")
    assert env.fs.cleanup_temp_files() == 2
    assert env.names("d") == {"keep.txt"} and _temps(env) == set()
    assert env.fs.cleanup_temp_files() == 0


def test_case_insensitivity_is_detected(env: Env) -> None:
    assert env.fs.case_insensitive is False  # Linux ext4/tmpfs; MemoryFs default
    assert env.fs.traits.case_insensitive is False
    assert _temps(env) == set()  # the probe cleaned up


# -- MemoryFs fault injection (the simulator's crash model) ----------------------------------


@pytest.mark.parametrize("crash_at", ["create", "write", "set_attrs", "publish"])
def test_crash_during_write_leaves_old_file_or_temp_only(crash_at: str) -> None:
    fs = MemoryFs()
    old = fs.put_file("a.txt", b"old")

    def crash(op: str, rel: str) -> None:
        if op == crash_at:
            raise Crash(op)

    fs.fault = crash
    with pytest.raises(Crash):
        fs.write_file("a.txt", [b"new", b"er"], mtime_ns=T0, executable=False, expect=old.stat_key)
    fs.fault = None
    assert fs.read_bytes("a.txt") == b"old"  # never torn
    leftovers = [p for p in fs.paths() if p.startswith(TEMP_PREFIX)]
    assert len(leftovers) == (0 if crash_at == "create" else 1)
    assert fs.cleanup_temp_files() == len(leftovers)
    assert [p for p in fs.paths() if p.startswith(TEMP_PREFIX)] == []


def test_injected_os_errors_map_like_the_disk_and_clean_up() -> None:
    fs = MemoryFs()

    def full(op: str, rel: str) -> None:
        if op == "write":
            raise OSError(errno.ENOSPC, "No space left on device")

    fs.fault = full
    with pytest.raises(DiskFull):
        fs.write_file("a.txt", [b"x"], mtime_ns=T0, executable=False, expect=None, size_hint=5)
    fs.fault = None
    assert not fs.exists("a.txt")
    assert [p for p in fs.paths() if p.startswith(TEMP_PREFIX)] == []


def test_memory_case_insensitive_disk() -> None:
    fs = MemoryFs(case_insensitive=True)
    a = fs.put_file("Report.txt", b"x")
    with pytest.raises(ChangedOnDisk):
        fs.write_file("REPORT.txt", [b"y"], mtime_ns=T0, executable=False, expect=None)
    moved = fs.rename("Report.txt", "report.txt", expect_src=a.stat_key)
    assert moved.name == "report.txt" and [e.name for e in fs.list_dir("")] == [
        ROOT_MARKER,
        "report.txt",
    ]


def test_memory_windows_names_are_refused() -> None:
    fs = MemoryFs(windows=True, case_insensitive=True)
    for bad in ("CON.txt", "a:b", "trailing."):
        with pytest.raises(NameNotAllowed):
            fs.write_file(bad, [b"x"], mtime_ns=T0, executable=False, expect=None)


# -- DiskFs only ------------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> DiskFs:
    (tmp_path / "root").mkdir()
    fs = DiskFs(tmp_path / "root")
    fs.write_root_marker()
    return fs


def test_disk_modes_follow_umask_and_old_file(disk: DiskFs, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        e = disk.write_file("new", [b"x"], mtime_ns=T0, executable=False, expect=None)
        assert stat.S_IMODE(os.stat(tmp_path / "root" / "new").st_mode) == 0o644
        x = disk.write_file("tool", [b"x"], mtime_ns=T0, executable=True, expect=None)
        assert stat.S_IMODE(os.stat(tmp_path / "root" / "tool").st_mode) == 0o755 and x.executable
        os.chmod(tmp_path / "root" / "new", 0o600)
        e = disk.stat("new")  # type: ignore[assignment]
        disk.write_file("new", [b"y"], mtime_ns=T0, executable=True, expect=e.stat_key)
        assert stat.S_IMODE(os.stat(tmp_path / "root" / "new").st_mode) == 0o700
    finally:
        os.umask(old_umask)


def test_disk_parent_swapped_for_a_symlink_mid_write_stays_inside(
    disk: DiskFs, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    outside.mkdir()
    disk.make_dir("d")

    def chunks() -> Iterator[bytes]:
        yield b"a"
        (root / "d").rename(root / "d-moved")
        (root / "d").symlink_to(outside)
        yield b"b"

    disk.write_file("d/x", chunks(), mtime_ns=T0, executable=False, expect=None)
    assert list(outside.iterdir()) == []  # the open folder descriptor kept it inside
    assert (root / "d-moved" / "x").read_bytes() == b"ab"


def test_disk_quarantine_across_file_systems(
    disk: DiskFs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = disk.write_file("a.txt", [b"content"], mtime_ns=T0, executable=True, expect=None)
    real_rename = os.rename

    def exdev(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "rename", exdev)
    qpath = disk.quarantine("a.txt", expect=f.stat_key, quarantine_dir=str(tmp_path / "q"))
    monkeypatch.setattr(os, "rename", real_rename)
    assert not (tmp_path / "root" / "a.txt").exists()
    q = Path(qpath)
    assert q.read_bytes() == b"content" and q.stat().st_mtime_ns == T0
    assert q.stat().st_mode & 0o100


def test_disk_quarantine_dir_must_be_outside_the_root(disk: DiskFs, tmp_path: Path) -> None:
    f = disk.write_file("a.txt", [b"x"], mtime_ns=T0, executable=False, expect=None)
    with pytest.raises(NameNotAllowed):
        disk.quarantine("a.txt", expect=f.stat_key, quarantine_dir=str(tmp_path / "root" / "q"))
    assert (tmp_path / "root" / "a.txt").exists()


def test_disk_overlong_name_is_refused(disk: DiskFs) -> None:
    with pytest.raises(NameNotAllowed):
        disk.write_file("x" * 300, [b"x"], mtime_ns=T0, executable=False, expect=None)


def test_disk_write_without_hard_links_falls_back(
    disk: DiskFs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    disk.write_file("a.txt", [b"x"], mtime_ns=T0, executable=False, expect=None)
    assert (tmp_path / "root" / "a.txt").read_bytes() == b"x"
    assert [p.name for p in (tmp_path / "root").iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_error_messages_say_what_to_do() -> None:
    no_space = OSError(errno.ENOSPC, "No space left")
    full = from_oserror(no_space, "big.iso", "write", needed_bytes=5 * 10**9)
    assert isinstance(full, DiskFull) and "5000 MB" in str(full) and "Free some space" in str(full)
    busy = from_oserror(OSError(errno.EBUSY, "Busy"), "a.pst", "write")
    assert isinstance(busy, LockedFile) and "Close that program" in str(busy)
    odd = from_oserror(OSError(errno.EIO, "I/O error"), "bad\udcff", "read")
    assert type(odd) is FsError and "bad\ufffd" in str(odd)
    assert isinstance(from_oserror(OSError(errno.ENOENT, "x"), "a", "read"), ChangedOnDisk)


def test_localfs_is_the_protocol() -> None:
    fs: LocalFs = MemoryFs()  # mypy checks the structural match; keep both honest
    assert fs.traits == fs_names.FsTraits(case_insensitive=False, windows=False)


def test_disk_write_resumable_keeps_what_keep_accepts_and_writes_the_rest(disk: DiskFs) -> None:
    root = Path(disk.root)
    part = PARTIAL_PREFIX + "ab12"
    (root / part).write_bytes(b"good-good-BAD!")  # what a killed try left
    seen: list[bytes] = []

    def keep(stream: BinaryIO) -> int:
        seen.append(stream.read())
        return 10  # "good-good-" is proven; the rest is not

    entry = disk.write_resumable(
        "f.bin",
        part,
        keep=keep,
        rest=lambda start: [b"rest", b"-of-it"] if start == 10 else [b"wrong start"],
        mtime_ns=T0,
        executable=False,
        expect=None,
    )
    assert seen == [b"good-good-BAD!"]
    assert (root / "f.bin").read_bytes() == b"good-good-rest-of-it"
    assert entry.size == 20 and entry.mtime_ns == T0
    assert not (root / part).exists(), "published: the partial name is gone"


def test_disk_write_resumable_leaves_the_partial_when_the_content_fails(disk: DiskFs) -> None:
    root = Path(disk.root)
    part = PARTIAL_PREFIX + "cd34"

    def rest(start: int) -> Iterator[bytes]:
        yield b"first chunk "
        raise OSError(errno.EIO, "the store went away")

    with pytest.raises(FsError):
        disk.write_resumable(
            "f.bin", part, keep=lambda s: 0, rest=rest, mtime_ns=T0, executable=False, expect=None
        )
    assert not (root / "f.bin").exists(), "nothing under the final name"
    assert (root / part).read_bytes() == b"first chunk ", "kept for the next try to resume"
    # A recent partial survives the start-up cleanup; an old one does not.
    assert disk.cleanup_temp_files([part]) == 0
    old = T0 // 1_000_000_000
    os.utime(root / part, (old, old))
    assert disk.cleanup_temp_files([part]) == 1
    assert not (root / part).exists()
