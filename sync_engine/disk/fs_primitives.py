"""The building blocks every operation on the sync folder shares: one entry as
lstat reports it, the checks made before acting (a path that cannot leave the
root, a name this disk can hold, the stat the plan saw), and a directory
reached without following links. DiskFs (localfs) and its quarantine
(quarantine_fs) are built on them; tests/memfs.py uses the same checks.
See localfs's module comment for the guarantees.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import sys
from collections.abc import Callable
from typing import NamedTuple

from ..core import names
from ..core.model import Kind, StatKey
from .fs_errors import ChangedOnDisk, NameNotAllowed, PathNotFound, show_path

WINDOWS = os.name == "nt"
HAVE_DIR_FD = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd
O_BINARY: int = getattr(os, "O_BINARY", 0)
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
O_DIRECTORY: int = getattr(os, "O_DIRECTORY", 0)
O_NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
DIR_FLAGS = os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
READ_FLAGS = os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_BINARY
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_BINARY
REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: junctions and the like on Windows
NO_HARD_LINKS = frozenset(
    getattr(errno, n)
    for n in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "ENOSYS", "EINVAL", "EXDEV")
    if hasattr(errno, n)
)
COPY_BLOCK = 1 << 20

S_IFMT = 0o170000  # the file-type bits of st_mode
S_IFREG = stat.S_IFREG
S_IFDIR = stat.S_IFDIR
S_IFLNK = stat.S_IFLNK
_SPECIAL_NAMES = {
    stat.S_IFSOCK: "a socket",
    stat.S_IFIFO: "a named pipe (fifo)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


class FsEntry(NamedTuple):
    """One directory entry, from lstat. A NamedTuple because scans make 100,000s of them.

    `kind` is None for what cannot be synced (sockets, fifos, devices, entries
    that could not be examined); `special` then says what it is. Directories
    report size 0 and mtime 0.
    """

    name: str
    kind: Kind | None
    size: int
    mtime_ns: int
    inode: int
    executable: bool = False
    symlink_target: str | None = None
    special: str | None = None
    ctime_ns: int = 0  # inode change time: moves on every write, cannot be set back (0: unknown)

    @property
    def stat_key(self) -> StatKey:
        # kind None never equals a StatKey of a synced entry, so it always "changed".
        return (self.kind, self.size, self.mtime_ns, self.inode)  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# Checks shared by every implementation (DiskFs and tests/memfs.MemoryFs).
# ---------------------------------------------------------------------------


def split_path(rel: str, *, allow_root: bool = True, windows: bool = WINDOWS) -> list[str]:
    """The segments of a relative path; NameNotAllowed for anything that could leave the root."""
    if rel == "":
        if allow_root:
            return []
        raise NameNotAllowed("This operation needs a path inside the sync folder.", path=rel)
    reason: str | None = None
    if "\x00" in rel:
        reason = "it contains a NUL character"
    elif rel.startswith("/") or (windows and (rel.startswith("\\") or ":" in rel)):
        reason = "it is absolute or names a drive"
    elif windows and "\\" in rel:
        reason = "it contains a backslash"
    parts = rel.split("/")
    if reason is None and any(p in ("", ".", "..") for p in parts):
        reason = "it has an empty, '.' or '..' segment"
    if reason is not None:
        raise NameNotAllowed(
            f"Refused the path {show_path(rel)}: {reason}, so it could lead outside the sync "
            "folder. This is a bug or a tampered vault; nothing was changed.",
            path=rel,
        )
    return parts


def check_creatable(rel: str, traits: names.FsTraits) -> None:
    """Defence in depth for rule 7: never create a name this disk cannot hold."""
    reason = names.check_name(rel, traits)
    if reason is not None:
        raise NameNotAllowed(
            f"Did not create {show_path(rel)} ({reason.kind}). Rename it on another device.",
            path=rel,
        )


def check_expect(rel: str, current: FsEntry | None, expect: StatKey | None, action: str) -> None:
    """Rule 1: act only if the disk still holds what the plan saw."""
    if expect is None:
        if current is not None:
            raise ChangedOnDisk(
                f"Did not {action} {show_path(rel)}: something appeared there meanwhile. "
                "Nothing was changed; Coffre will look again.",
                path=rel,
            )
        return
    if current is None:
        raise PathNotFound(
            f"Did not {action} {show_path(rel)}: it was moved or deleted meanwhile. "
            "Nothing was changed; Coffre will look again.",
            path=rel,
        )
    if current.stat_key != expect:
        raise ChangedOnDisk(
            f"Did not {action} {show_path(rel)}: it changed since Coffre last looked at it. "
            "Nothing was changed; Coffre will look again.",
            path=rel,
        )


def executable_mode(base: int) -> int:
    """+x wherever r is set."""
    return base | ((base & 0o444) >> 2)


def entry_from_stat(name: str, st: os.stat_result, target: str | None = None) -> FsEntry:
    fmt = st.st_mode & S_IFMT
    if fmt == S_IFREG:
        return FsEntry(
            name,
            Kind.FILE,
            st.st_size,
            st.st_mtime_ns,
            st.st_ino,
            not WINDOWS and bool(st.st_mode & 0o100),
            ctime_ns=0 if WINDOWS else st.st_ctime_ns,  # Windows: creation time, useless here
        )
    if fmt == S_IFDIR:
        if getattr(st, "st_file_attributes", 0) & REPARSE_POINT:
            return FsEntry(name, None, 0, 0, st.st_ino, special="a junction or reparse point")
        return FsEntry(name, Kind.DIR, 0, 0, st.st_ino)
    if fmt == S_IFLNK:
        if target is None:
            return FsEntry(name, None, 0, 0, st.st_ino, special="a link whose target is unreadable")
        return FsEntry(name, Kind.SYMLINK, st.st_size, st.st_mtime_ns, st.st_ino, False, target)
    what = _SPECIAL_NAMES.get(fmt, "a special file")
    return FsEntry(name, None, 0, 0, st.st_ino, special=what)


class Dir:
    """An open directory inside the root: a descriptor where the OS has *at() calls, else a path."""

    __slots__ = ("fd", "path")

    def __init__(self, fd: int | None, path: str) -> None:
        self.fd = fd
        self.path = path

    def arg(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.stat(self.arg(name), dir_fd=self.fd, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def entry(self, name: str) -> FsEntry | None:
        st = self.lstat(name)
        if st is None:
            return None
        target = None
        if stat.S_ISLNK(st.st_mode):
            with contextlib.suppress(OSError):
                target = os.readlink(self.arg(name), dir_fd=self.fd)
        return entry_from_stat(name, st, target)

    def fsync(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):  # some file systems refuse fsync on folders
                os.fsync(self.fd)


def _load_syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2): one flush of a whole file system, where fsync flushes one file."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


_SYNCFS = _load_syncfs()


def sync_file_system(fd: int) -> bool:
    """Make everything written on `fd`'s file system durable at once (Linux syncfs).

    False where the OS has no such call: the caller fsyncs each file instead.
    Since Linux 5.8 syncfs reports a write-back error of any file on the file
    system, which is raised here as OSError.
    """
    if _SYNCFS is None:
        return False
    if _SYNCFS(fd) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return True


def plain_entry(name: str, st: os.stat_result | None) -> FsEntry | None:
    """An entry for expect-checks (symlink targets are not needed for the stat key)."""
    return None if st is None else entry_from_stat(name, st, "")
