################################################################
# Every disk operation on the sync folder
################################################################
#
# Rule: nothing else in the engine touches the sync folder. The executor,
# the scanner and the ignore rules talk to a LocalFs; DiskFs is the real one,
# tests/memfs.py holds an in-memory twin for the simulator. Each operation
# that could destroy data carries the stat the plan was made from (`expect`)
# and re-checks it right before acting (docs/ARCHITECTURE.md section 4, rules 1-4, 7).
#
# Theory of operation
# ===================
#
# Paths are relative to the root, '/'-separated, NFC (names.normalise_path);
# "" is the root itself. split_path() refuses anything that could leave the
# root ('..', '.', empty segments, absolute paths, NUL; on Windows also '\'
# and ':'), so no caller can name a place outside the folder.
#
# Symlinks are never followed, in any component. Where the OS has *at()
# system calls (Linux, macOS), DiskFs walks from the root one component at a
# time with os.open(..., dir_fd=parent, O_DIRECTORY | O_NOFOLLOW) and acts on
# the last component through the parent's descriptor: a directory swapped
# for a symlink at any instant is refused (SymlinkInPath), not followed,
# with no race. Elsewhere (Windows) it lstats each parent first; the window
# between that check and the operation is small and documented.
#
# The root is checked on every operation: it must open as a directory and
# hold the marker file `.coffre-root` (written at bind time by
# write_root_marker). An unmounted disk leaves an empty mount point without
# the marker, so it raises RootUnavailable instead of looking like an empty
# folder, which would read as "everything was deleted" (rule 4).
#
# Writes: write_file writes `.coffre-tmp-<random>` in the destination
# folder, sets mode and mtime, fsyncs, lets the caller verify the content,
# re-checks the destination against `expect`, publishes, and fsyncs the
# folder (rule 2). A new file (expect=None) is published with link() + unlink
# of the temp name, which fails atomically if the name appeared meanwhile;
# where hard links are unsupported (FAT, some network shares) it falls back
# to check-then-replace, leaving a window of a few microseconds. Replacing an
# existing file uses os.replace right after the re-check; the same small
# window is unavoidable without a compare-and-swap rename in the OS.
# rename() and the other expect-checked operations have the same window.
#
# Modes: a new file gets the umask's read/write bits; a replaced file keeps
# the old file's read/write bits (a private file stays private). Executable
# means +x wherever r is set. Directories report size 0 and mtime 0: their
# mtime moves with every child, and their identity (inode) is what matters.
#
# Quarantine: files, symlinks and EMPTY directories move out of the folder
# by rename (quarantine_fs.py, which DiskFs delegates to). The building
# blocks shared with it (FsEntry, the checks, the open directory Dir) are in
# fs_primitives.py.
#
# Listing: list_dir reports everything, internal files included (callers
# filter). Sockets, fifos, devices and entries that could not be examined
# get kind=None and `special` says what they are; the scanner reports them
# as skipped. Names are reported exactly as the OS gives them: on Linux a
# name that is not valid UTF-8 carries surrogate escapes (os.fsdecode), and
# an NFD name stays NFD (the scanner reports both as skipped). On macOS,
# whose file systems ignore the normalisation form, names are turned to NFC.

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from ..core import names
from ..core.model import Kind, StatKey
from . import quarantine_fs
from .fs_errors import (
    ChangedOnDisk,
    DirectoryNotEmpty,
    DiskFull,
    FsError,
    FsPermissionError,
    FsReadError,
    LockedFile,
    NameNotAllowed,
    PathNotFound,
    RootUnavailable,
    SymlinkInPath,
    from_oserror,
    show_path,
)
from .fs_primitives import (
    CREATE_FLAGS,
    DIR_FLAGS,
    HAVE_DIR_FD,
    NO_HARD_LINKS,
    O_BINARY,
    O_CLOEXEC,
    O_DIRECTORY,
    O_NOFOLLOW,
    O_NONBLOCK,
    READ_FLAGS,
    REPARSE_POINT,
    S_IFLNK,
    S_IFMT,
    S_IFREG,
    WINDOWS,
    Dir,
    FsEntry,
    check_creatable,
    check_expect,
    entry_from_stat,
    executable_mode,
    plain_entry,
    split_path,
    sync_file_system,
)
from .quarantine_fs import quarantine_batch_name

__all__ = [
    "INTERNAL_PREFIX",
    "PARTIAL_PREFIX",
    "ROOT_MARKER",
    "TEMP_PREFIX",
    "ChangedOnDisk",
    "DirectoryNotEmpty",
    "DiskFs",
    "DiskFull",
    "FsEntry",
    "FsError",
    "FsPermissionError",
    "FsReadError",
    "LocalFs",
    "LockedFile",
    "NameNotAllowed",
    "PathNotFound",
    "RootUnavailable",
    "SymlinkInPath",
    "TempFile",
    "check_creatable",
    "check_expect",
    "quarantine_batch_name",
    "split_path",
]

INTERNAL_PREFIX = ".coffre"
TEMP_PREFIX = ".coffre-tmp-"
PARTIAL_PREFIX = TEMP_PREFIX + "part-"  # a large download kept to resume (write_resumable)
PARTIAL_KEEP_S = 24 * 3600  # a partial download nobody resumed for this long is removed
ROOT_MARKER = ".coffre-root"
_MARKER_TEXT = (
    "This folder is synced by Coffre. Keep this file: without it Coffre takes the\n"
    "folder for an unmounted disk and stops syncing, so nothing is taken as deleted.\n"
)

_NFC_NAMES = sys.platform == "darwin"


@dataclass(frozen=True, slots=True)
class TempFile:
    """A file written beside its destination `rel` under the temp name `name`, not yet
    published (write_temp); `entry` is the temp file's stat under the destination's
    name, `synced` whether it was fsynced."""

    rel: str
    name: str
    entry: FsEntry
    synced: bool = False


class _HeldDir:
    """An open folder shared by the unpublished temp files written in it."""

    __slots__ = ("dir", "users")

    def __init__(self, d: Dir) -> None:
        self.dir = d
        self.users = 1


class LocalFs(Protocol):
    """The sync folder, as the engine may touch it. Synchronous: call it from worker threads.

    Every path is relative ('' is the root). Methods raise FsError subclasses
    (RootUnavailable first of all), except that write_file lets the exception
    of `content_check` through and a wrong `expect` kind is a ValueError.
    `expect` arguments are the StatKey the plan saw, or None for "nothing may
    be there". Parents are never created implicitly (make_dir them first),
    except by restore_from_quarantine.
    """

    @property
    def case_insensitive(self) -> bool: ...

    @property
    def traits(self) -> names.FsTraits: ...

    def check_root(self) -> None: ...

    def write_root_marker(self) -> None: ...

    def list_dir(self, rel: str) -> list[FsEntry]: ...

    def stat(self, rel: str) -> FsEntry | None: ...

    def open_read(self, rel: str) -> BinaryIO: ...

    def stat_open(self, rel: str, stream: BinaryIO) -> FsEntry:
        """The stat of the file `stream` (from `open_read(rel)`) reads, wherever it is now."""
        ...

    def write_file(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        content_check: Callable[[], None] | None = None,
        size_hint: int | None = None,
        sync_folder: bool = True,
    ) -> FsEntry: ...

    def write_temp(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None = None,
        sync: bool = False,
    ) -> TempFile:
        """write_file in two halves, for batches: the content in a temp file beside `rel`..."""
        ...

    def flush_temps(self, temps: Sequence[TempFile]) -> None:
        """...made durable, many at once (before any of them is published)..."""
        ...

    def publish_temp(self, temp: TempFile, *, expect: StatKey | None, sync_folder: bool) -> FsEntry:
        """...then put in place after the same re-check as write_file (or removed)."""
        ...

    def discard_temp(self, temp: TempFile) -> None: ...

    def write_resumable(
        self,
        rel: str,
        part: str,
        *,
        keep: Callable[[BinaryIO], int],
        rest: Callable[[int], Iterable[bytes | memoryview]],
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None = None,
    ) -> FsEntry:
        """write_file for a large download that may be cut: the content goes to the temp
        file `part` (a PARTIAL_PREFIX name), kept when the write fails or the process
        dies. `keep(reader)` says how many bytes of what a previous try left there are
        right (reading them); the rest is truncated and `rest(offset)` gives the content
        from there on. Then fsync, re-check and publish as write_file does."""
        ...

    def sync_folders(self, rels: Iterable[str]) -> None:
        """Make the names published in these folders durable (after `sync_folder=False`)."""
        ...

    def make_dir(self, rel: str, *, sync: bool = True) -> FsEntry: ...

    def make_symlink(self, rel: str, target: str, *, expect: StatKey | None) -> FsEntry: ...

    def set_mtime(self, rel: str, mtime_ns: int, *, expect: StatKey) -> FsEntry: ...

    def set_executable(self, rel: str, executable: bool, *, expect: StatKey) -> FsEntry: ...

    def rename(
        self, src: str, dst: str, *, expect_src: StatKey, expect_dst: StatKey | None = None
    ) -> FsEntry: ...

    def quarantine(self, rel: str, *, expect: StatKey, quarantine_dir: str) -> str: ...

    def restore_from_quarantine(self, qpath: str, rel: str) -> FsEntry: ...

    def remove_empty_dir(self, rel: str, *, expect: StatKey | None = None) -> None: ...

    def cleanup_temp_files(self, paths: Iterable[str] | None = None) -> int: ...


class DiskFs:
    """The sync folder on the real disk. See the module comment for the guarantees."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = os.path.abspath(os.fspath(root))
        # Free space a download must leave on the folder's disk (the organisation's
        # min_free_disk_mib policy); 0: only a full disk stops a download.
        self.keep_free_bytes = 0
        self._case_insensitive: bool | None = None
        self._name_max = 255
        with contextlib.suppress(FsError, OSError):
            self._case_insensitive = self._probe_case()
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._name_max = min(255, os.pathconf(self._root, "PC_NAME_MAX"))
        # Folders kept open for the temp files written in them and not yet published
        # (write_temp): folder -> [open folder, temps using it]; temp name -> folder.
        self._held: dict[str, _HeldDir] = {}
        self._temp_folder: dict[str, str] = {}
        self._held_lock = threading.Lock()

    @property
    def root(self) -> str:
        return self._root

    # -- root ------------------------------------------------------------

    def _open_root(self, *, require_marker: bool = True) -> Dir:
        where = self._root
        try:
            if HAVE_DIR_FD:
                d = Dir(os.open(where, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC), where)
            else:
                if not stat.S_ISDIR(os.stat(where).st_mode):
                    raise NotADirectoryError(errno.ENOTDIR, "Not a directory", where)
                d = Dir(None, where)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                what = "is missing" if exc.errno == errno.ENOENT else "is not a folder"
                msg = (
                    f"The sync folder {where} {what}. If it is on a removable or network "
                    "disk, connect it; if you moved it, choose its new place in Coffre. "
                    "Nothing is synced until then, and nothing is taken as deleted."
                )
            else:
                msg = (
                    f"The sync folder {where} cannot be opened ({exc.strerror}). Check the "
                    "disk and its permissions. Nothing is synced until then."
                )
            raise RootUnavailable(msg, path="", errno=exc.errno) from exc
        if require_marker:
            try:
                st = d.lstat(ROOT_MARKER)
            except OSError:
                st = None
            if st is None or not stat.S_ISREG(st.st_mode):
                self._close(d)
                raise RootUnavailable(
                    f"The sync folder {where} no longer holds Coffre's marker file "
                    f"{ROOT_MARKER}, so it looks unmounted or replaced. Connect the disk; "
                    "if this really is the right folder, bind it again in Coffre. "
                    "Nothing is synced until then, and nothing is taken as deleted.",
                    path="",
                )
        return d

    @staticmethod
    def _close(d: Dir) -> None:
        if d.fd is not None:
            os.close(d.fd)

    def check_root(self) -> None:
        """RootUnavailable unless the root is a directory holding the marker file."""
        self._close(self._open_root())

    def write_root_marker(self) -> None:
        """Mark the folder as the bound sync root (at bind time); check_root relies on it."""
        d = self._open_root(require_marker=False)
        try:
            tmp = TEMP_PREFIX + secrets.token_hex(8)
            fd = os.open(d.arg(tmp), CREATE_FLAGS, 0o644, dir_fd=d.fd)
            try:
                os.write(fd, _MARKER_TEXT.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(d.arg(tmp), d.arg(ROOT_MARKER), src_dir_fd=d.fd, dst_dir_fd=d.fd)
            d.fsync()
        except OSError as exc:
            raise from_oserror(exc, ROOT_MARKER, "write") from exc
        finally:
            self._close(d)

    # -- traits ----------------------------------------------------------

    def _probe_case(self) -> bool:
        """Create a mixed-case temp file and look for its swapped-case twin.

        Only in a marked root: never write into the empty mount point of an unmounted disk.
        """
        d = self._open_root()
        try:
            name = TEMP_PREFIX + "Case" + secrets.token_hex(4)
            try:
                fd = os.open(d.arg(name), CREATE_FLAGS, 0o600, dir_fd=d.fd)
            except OSError:  # read-only folder: fall back to what the platform usually does
                return WINDOWS or sys.platform == "darwin"
            os.close(fd)
            try:
                mine = d.lstat(name)
                twin = d.lstat(name.swapcase())
                return twin is not None and mine is not None and twin.st_ino == mine.st_ino
            finally:
                os.unlink(d.arg(name), dir_fd=d.fd)
        finally:
            self._close(d)

    @property
    def case_insensitive(self) -> bool:
        if self._case_insensitive is None:
            self._case_insensitive = self._probe_case()
        return self._case_insensitive

    @property
    def traits(self) -> names.FsTraits:
        return names.FsTraits(
            case_insensitive=self.case_insensitive, windows=WINDOWS, max_name_bytes=self._name_max
        )

    # -- walking ---------------------------------------------------------

    @contextlib.contextmanager
    def open_dir(self, parts: Sequence[str], rel: str, *, listing: bool = False) -> Iterator[Dir]:
        """The directory `parts` (relative to the root), reached without following symlinks."""
        d = self._walk(parts, rel, listing)
        try:
            yield d
        finally:
            self._close(d)

    def _walk(self, parts: Sequence[str], rel: str, listing: bool = False) -> Dir:
        """open_dir's directory, for the caller to close."""
        d = self._open_root()
        try:
            for i, seg in enumerate(parts):
                d = self._step(d, seg, "/".join(parts[: i + 1]), rel, listing)
        except BaseException:
            self._close(d)
            raise
        return d

    def _hold(self, parts: Sequence[str], rel: str) -> Dir:
        """The folder of `rel`, opened once and shared by the temps written there."""
        folder = "/".join(parts)
        with self._held_lock:
            held = self._held.get(folder)
            if held is not None:
                held.users += 1
                return held.dir
        d = self._walk(parts, rel)
        with self._held_lock:
            held = self._held.get(folder)
            if held is None:
                self._held[folder] = _HeldDir(d)
                return d
            held.users += 1
        self._close(d)  # another thread opened it meanwhile
        return held.dir

    def _release(self, folder: str) -> None:
        with self._held_lock:
            held = self._held[folder]
            held.users -= 1
            if held.users:
                return
            del self._held[folder]
        self._close(held.dir)

    def _held_dir(self, temp: TempFile) -> tuple[Dir, str] | None:
        """The open folder of a temp from write_temp, and its key (None if not held)."""
        with self._held_lock:
            folder = self._temp_folder.pop(temp.name, None)
            if folder is None:
                return None
            return self._held[folder].dir, folder

    def _step(self, d: Dir, seg: str, partial: str, rel: str, listing: bool) -> Dir:
        """One component down; closes `d` on success, leaves it open on failure."""
        try:
            if d.fd is not None:
                fd = os.open(seg, DIR_FLAGS, dir_fd=d.fd)
                os.close(d.fd)
                return Dir(fd, os.path.join(d.path, seg))
            path = os.path.join(d.path, seg)
            st = os.lstat(path)
            if (
                not stat.S_ISDIR(st.st_mode)
                or stat.S_ISLNK(st.st_mode)
                or (getattr(st, "st_file_attributes", 0) & REPARSE_POINT)
            ):
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
            return Dir(None, path)
        except OSError as exc:
            if exc.errno in (errno.ENOTDIR, errno.ELOOP):
                st2 = None
                with contextlib.suppress(OSError):
                    st2 = d.lstat(seg)
                if st2 is not None and (
                    stat.S_ISLNK(st2.st_mode)
                    or getattr(st2, "st_file_attributes", 0) & REPARSE_POINT
                ):
                    raise SymlinkInPath(
                        f"Did not touch {show_path(rel)}: {show_path(partial)} is a symbolic "
                        "link, and Coffre never follows links inside the sync folder. "
                        "Coffre will look again.",
                        path=rel,
                    ) from exc
            if listing and exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                raise from_oserror(exc, rel, "read", reading_dir=True) from exc
            if exc.errno == errno.ELOOP:
                exc = NotADirectoryError(errno.ENOTDIR, "Not a directory")
            raise from_oserror(exc, rel, "reach") from exc

    # -- reading ---------------------------------------------------------

    def list_dir(self, rel: str) -> list[FsEntry]:
        """Every entry of a directory, from lstat; FsReadError if it cannot be read."""
        parts = split_path(rel)
        out: list[FsEntry] = []
        append = out.append
        make_entry = entry_from_stat
        new_tuple = tuple.__new__
        FILE = Kind.FILE
        x_bit = 0 if WINDOWS else 0o100
        fmt_mask, is_reg, is_lnk, nfc_names = S_IFMT, S_IFREG, S_IFLNK, _NFC_NAMES
        with self.open_dir(parts, rel, listing=True) as d:
            try:
                with os.scandir(d.fd if d.fd is not None else d.path) as it:
                    for de in it:
                        name = de.name
                        if nfc_names and not name.isascii():
                            name = unicodedata.normalize("NFC", name)
                        try:
                            st = de.stat(follow_symlinks=False)
                        except FileNotFoundError:
                            continue  # vanished since the listing: simply absent
                        except OSError as exc:
                            why = f"could not be examined ({exc.strerror})"
                            append(FsEntry(name, None, 0, 0, 0, special=why))
                            continue
                        mode = st.st_mode
                        ctime = 0 if WINDOWS else st.st_ctime_ns
                        if mode & fmt_mask == is_reg:  # the hot path: one tuple, no call
                            append(
                                new_tuple(  # FsEntry(...) without its __new__'s Python frame
                                    FsEntry,
                                    (
                                        name,
                                        FILE,
                                        st.st_size,
                                        st.st_mtime_ns,
                                        st.st_ino,
                                        bool(mode & x_bit),
                                        None,
                                        None,
                                        ctime,
                                    ),
                                )
                            )
                        elif mode & fmt_mask == is_lnk:
                            target = None
                            with contextlib.suppress(OSError):
                                target = os.readlink(d.arg(de.name), dir_fd=d.fd)
                            append(make_entry(name, st, target))
                        else:
                            append(make_entry(name, st))
            except OSError as exc:
                raise from_oserror(exc, rel, "read", reading_dir=True) from exc
        return out

    def stat(self, rel: str) -> FsEntry | None:
        """lstat; None if the path (or a folder on the way) does not exist or is a link."""
        parts = split_path(rel)
        if not parts:
            d = self._open_root()
            try:
                st = os.fstat(d.fd) if d.fd is not None else os.stat(d.path)
                return entry_from_stat("", st)
            finally:
                self._close(d)
        try:
            with self.open_dir(parts[:-1], rel) as d:
                try:
                    return d.entry(parts[-1])
                except OSError as exc:
                    raise from_oserror(exc, rel, "examine") from exc
        except (PathNotFound, SymlinkInPath):
            return None

    def open_read(self, rel: str) -> BinaryIO:
        """An unbuffered reader of a regular file; never through a symlink."""
        parts = split_path(rel, allow_root=False)
        with self.open_dir(parts[:-1], rel) as d:
            name = parts[-1]
            if not O_NOFOLLOW:  # no O_NOFOLLOW (Windows): check, then open
                st0 = d.lstat(name)
                if st0 is not None and not stat.S_ISREG(st0.st_mode):
                    raise ChangedOnDisk(f"{show_path(rel)} is not a regular file.", path=rel)
            try:
                fd = os.open(d.arg(name), READ_FLAGS, dir_fd=d.fd)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise ChangedOnDisk(
                        f"{show_path(rel)} is now a symbolic link; Coffre will look again.",
                        path=rel,
                    ) from exc
                raise from_oserror(exc, rel, "read") from exc
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ChangedOnDisk(
                    f"{show_path(rel)} is not a regular file any more; Coffre will look again.",
                    path=rel,
                )
            if O_NONBLOCK:
                os.set_blocking(fd, True)
            return os.fdopen(fd, "rb", buffering=0)
        except BaseException:
            os.close(fd)
            raise

    def stat_open(self, rel: str, stream: BinaryIO) -> FsEntry:
        """fstat: what was opened, however the path changed since (no second walk)."""
        try:
            st = os.fstat(stream.fileno())
        except OSError as exc:
            raise from_oserror(exc, rel, "examine") from exc
        return entry_from_stat(rel.rpartition("/")[2], st)

    # -- writing ---------------------------------------------------------

    def _check_free_space(self, rel: str, size: int) -> None:
        """DiskFull before writing when the file would leave less than `keep_free_bytes`."""
        if self.keep_free_bytes <= 0:
            return
        try:
            free = shutil.disk_usage(self._root).free
        except OSError:
            return  # the write itself reports what is wrong with the disk
        if free - size < self.keep_free_bytes:
            floor_mib = self.keep_free_bytes // (1024 * 1024)
            raise DiskFull(
                f"Not writing {show_path(rel)}: your organisation asks Coffre to keep "
                f"{floor_mib} MiB free on this disk. Free some space; Coffre will retry.",
                path=rel,
                errno=errno.ENOSPC,
                needed_bytes=self.keep_free_bytes + size - free,
            )

    def write_file(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        content_check: Callable[[], None] | None = None,
        size_hint: int | None = None,
        sync_folder: bool = True,
    ) -> FsEntry:
        """Atomically put a file in place: temp, fsync, verify, re-check, publish (rules 1, 2).

        One walk: the temp is published in the folder it was written in, even if that
        folder was moved meanwhile."""
        parts = split_path(rel, allow_root=False)
        with self.open_dir(parts[:-1], rel) as d:
            temp = self._write_temp_in(
                d, rel, parts[-1], chunks, mtime_ns, executable, expect, size_hint, sync=True
            )
            try:
                if content_check is not None:
                    content_check()
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(d.arg(temp.name), dir_fd=d.fd)
                raise
            return self._publish_in(d, temp, expect, sync_folder)

    def write_temp(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None = None,
        sync: bool = False,
    ) -> TempFile:
        """The first half of write_file, for batches: the content in a temp file beside
        `rel`, mode and mtime set; fsynced only if `sync` (else `flush_temps` makes a
        batch durable before any of it is published)."""
        parts = split_path(rel, allow_root=False)
        folder = "/".join(parts[:-1])
        d = self._hold(parts[:-1], rel)
        try:
            temp = self._write_temp_in(
                d, rel, parts[-1], chunks, mtime_ns, executable, expect, size_hint, sync=sync
            )
        except BaseException:
            self._release(folder)
            raise
        with self._held_lock:
            self._temp_folder[temp.name] = folder
        return temp

    def publish_temp(self, temp: TempFile, *, expect: StatKey | None, sync_folder: bool) -> FsEntry:
        """The second half of write_file: re-check `rel` against `expect`, then put the
        (durable) temp file in its place; the temp is removed if it cannot be. Like
        write_file, it acts in the folder the temp was written in (kept open since),
        even if that folder was moved meanwhile."""
        held = self._held_dir(temp)
        if held is None:
            parts = split_path(temp.rel, allow_root=False)
            with self.open_dir(parts[:-1], temp.rel) as d:
                return self._publish_in(d, temp, expect, sync_folder)
        try:
            return self._publish_in(held[0], temp, expect, sync_folder)
        finally:
            self._release(held[1])

    def _write_temp_in(
        self,
        d: Dir,
        rel: str,
        name: str,
        chunks: Iterable[bytes | memoryview],
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None,
        *,
        sync: bool,
    ) -> TempFile:
        check_creatable(rel, self.traits)
        if expect is not None and expect[0] not in (Kind.FILE, Kind.SYMLINK):
            raise ValueError("write_file replaces only a file or a symlink")
        self._check_free_space(rel, size_hint or 0)
        try:
            old = d.lstat(name)
        except OSError as exc:
            raise from_oserror(exc, rel, "examine") from exc
        check_expect(rel, plain_entry(name, old), expect, "replace")
        tmp = TEMP_PREFIX + secrets.token_hex(8)
        written = 0
        done = False
        fd = -1
        try:
            fd = os.open(d.arg(tmp), CREATE_FLAGS, 0o666, dir_fd=d.fd)
            for chunk in chunks:
                view = memoryview(chunk)
                if view.itemsize != 1 or view.ndim != 1:
                    view = view.cast("B")
                while view:
                    n = os.write(fd, view)
                    written += n
                    view = view[n:]
            self._set_mode_and_time(fd, d, tmp, old, executable, mtime_ns)
            if sync:
                os.fsync(fd)
            st = os.fstat(fd)
            fd, closing = -1, fd
            os.close(closing)  # may report a delayed write error (NFS): never close twice
            done = True
        except OSError as exc:
            need = None if size_hint is None else max(size_hint - written, 1)
            raise from_oserror(exc, rel, "write", needed_bytes=need) from exc
        finally:
            if fd >= 0:
                os.close(fd)
            if not done:
                with contextlib.suppress(OSError):
                    os.unlink(d.arg(tmp), dir_fd=d.fd)
        return TempFile(rel, tmp, entry_from_stat(name, st), synced=sync)

    def _publish_in(
        self, d: Dir, temp: TempFile, expect: StatKey | None, sync_folder: bool
    ) -> FsEntry:
        rel = temp.rel
        name = rel.rpartition("/")[2]
        entry = temp.entry
        published = False
        try:
            check_expect(rel, plain_entry(name, d.lstat(name)), expect, "replace")
            if expect is None:
                self._publish_new(d, temp.name, name, rel)
            else:
                os.replace(d.arg(temp.name), d.arg(name), src_dir_fd=d.fd, dst_dir_fd=d.fd)
            published = True
            if sync_folder:  # else the caller calls sync_folders() before relying on it
                d.fsync()
            final = d.lstat(name)  # linking and renaming moved the ctime
            if final is not None and final.st_ino == entry.inode:
                entry = entry_from_stat(name, final)
        except OSError as exc:
            raise from_oserror(exc, rel, "write") from exc
        finally:
            if not published:
                with contextlib.suppress(OSError):
                    os.unlink(d.arg(temp.name), dir_fd=d.fd)
        return entry

    def flush_temps(self, temps: Sequence[TempFile]) -> None:
        """Make the content of temp files written with `sync=False` durable, before any is
        published: one syncfs of the folder's file system on Linux, else one fsync each."""
        if not temps or all(t.synced for t in temps):
            return
        d = self._open_root()
        try:
            if d.fd is not None and sync_file_system(d.fd):
                return
        except OSError as exc:
            raise from_oserror(exc, temps[0].rel, "write") from exc
        finally:
            self._close(d)
        for temp in temps:
            if temp.synced:
                continue
            parts = split_path(temp.rel, allow_root=False)
            with self.open_dir(parts[:-1], temp.rel) as d:
                try:
                    flags = os.O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_BINARY
                    fd = os.open(d.arg(temp.name), flags, dir_fd=d.fd)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                except OSError as exc:
                    raise from_oserror(exc, temp.rel, "write") from exc

    def discard_temp(self, temp: TempFile) -> None:
        """Remove a temp file that will not be published (gone already is fine)."""
        held = self._held_dir(temp)
        if held is None:
            parts = split_path(temp.rel, allow_root=False)
            with contextlib.suppress(FsError, OSError), self.open_dir(parts[:-1], temp.rel) as d:
                os.unlink(d.arg(temp.name), dir_fd=d.fd)
            return
        try:
            with contextlib.suppress(OSError):
                os.unlink(held[0].arg(temp.name), dir_fd=held[0].fd)
        finally:
            self._release(held[1])

    def write_resumable(
        self,
        rel: str,
        part: str,
        *,
        keep: Callable[[BinaryIO], int],
        rest: Callable[[int], Iterable[bytes | memoryview]],
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None = None,
    ) -> FsEntry:
        """See LocalFs.write_resumable. The partial file is opened without following
        links and must be a regular file; it is removed only once published (or when a
        re-check refuses to publish it)."""
        if not part.startswith(PARTIAL_PREFIX) or "/" in part:
            raise ValueError("a partial download's name starts with PARTIAL_PREFIX")
        parts = split_path(rel, allow_root=False)
        name = parts[-1]
        check_creatable(rel, self.traits)
        if expect is not None and expect[0] not in (Kind.FILE, Kind.SYMLINK):
            raise ValueError("write_file replaces only a file or a symlink")
        with self.open_dir(parts[:-1], rel) as d:
            try:
                old = d.lstat(name)
            except OSError as exc:
                raise from_oserror(exc, rel, "examine") from exc
            check_expect(rel, plain_entry(name, old), expect, "replace")
            written = 0
            fd = -1
            try:
                flags = os.O_RDWR | os.O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_BINARY
                fd = os.open(d.arg(part), flags, 0o666, dir_fd=d.fd)
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise ChangedOnDisk(f"{show_path(rel)}: its partial download is not a file")
                with os.fdopen(os.dup(fd), "rb") as reader:
                    reader.seek(0)
                    start = keep(reader)
                os.ftruncate(fd, start)
                os.lseek(fd, start, os.SEEK_SET)
                self._check_free_space(rel, max((size_hint or 0) - start, 0))
                for chunk in rest(start):
                    view = memoryview(chunk)
                    if view.itemsize != 1 or view.ndim != 1:
                        view = view.cast("B")
                    while view:
                        n = os.write(fd, view)
                        written += n
                        view = view[n:]
                self._set_mode_and_time(fd, d, part, old, executable, mtime_ns)
                os.fsync(fd)
                st = os.fstat(fd)
                fd, closing = -1, fd
                os.close(closing)
            except OSError as exc:
                need = None if size_hint is None else max(size_hint - written, 1)
                raise from_oserror(exc, rel, "write", needed_bytes=need) from exc
            finally:
                if fd >= 0:
                    os.close(fd)
            temp = TempFile(rel, part, entry_from_stat(name, st), synced=True)
            return self._publish_in(d, temp, expect, sync_folder=True)

    def sync_folders(self, rels: Iterable[str]) -> None:
        """Make the names published in these folders (`sync_folder=False`) and the folders
        made with `sync=False` durable: one syncfs on Linux, else one fsync per folder."""
        folders = sorted(set(rels))
        if not folders:
            return
        d = self._open_root()
        try:
            if d.fd is not None and sync_file_system(d.fd):
                return
        except OSError as exc:
            raise from_oserror(exc, folders[0], "write") from exc
        finally:
            self._close(d)
        for rel in folders:
            parts = split_path(rel, allow_root=True)
            try:
                with self.open_dir(parts, rel) as d:
                    d.fsync()
            except (PathNotFound, SymlinkInPath):
                continue  # gone meanwhile: nothing of ours left to make durable there

    @staticmethod
    def _set_mode_and_time(
        fd: int, d: Dir, tmp: str, old: os.stat_result | None, executable: bool, mtime_ns: int
    ) -> None:
        if not WINDOWS:
            created = os.fstat(fd).st_mode & 0o7777
            if old is not None and stat.S_ISREG(old.st_mode):
                base = old.st_mode & 0o666  # a replaced file keeps its read/write bits
            else:
                base = created & 0o666  # the umask's
            mode = executable_mode(base) if executable else base
            if mode != created:
                os.fchmod(fd, mode)
        times = (time.time_ns(), mtime_ns)
        if os.utime in os.supports_fd:
            os.utime(fd, ns=times)
        else:
            os.utime(d.arg(tmp), ns=times, dir_fd=d.fd)

    @staticmethod
    def _publish_new(d: Dir, tmp: str, name: str, rel: str) -> None:
        """Publish without replacing: link() fails atomically if the name appeared meanwhile."""
        try:
            os.link(d.arg(tmp), d.arg(name), src_dir_fd=d.fd, dst_dir_fd=d.fd)
        except FileExistsError as exc:
            raise ChangedOnDisk(
                f"Did not create {show_path(rel)}: something appeared there meanwhile. "
                "Nothing was changed; Coffre will look again.",
                path=rel,
            ) from exc
        except OSError as exc:
            if exc.errno not in NO_HARD_LINKS:
                raise
            # No hard links on this file system: check, then rename (a tiny window).
            check_expect(rel, plain_entry(name, d.lstat(name)), None, "create")
            if WINDOWS:
                os.rename(d.arg(tmp), d.arg(name))  # refuses to replace on Windows
            else:
                os.replace(d.arg(tmp), d.arg(name), src_dir_fd=d.fd, dst_dir_fd=d.fd)
            return
        with contextlib.suppress(OSError):  # a leftover second name is cleaned up later
            os.unlink(d.arg(tmp), dir_fd=d.fd)

    def make_dir(self, rel: str, *, sync: bool = True) -> FsEntry:
        """Create a directory; fine if a real directory is already there.

        `sync=False` leaves its name to a later `sync_folders` of its parent."""
        parts = split_path(rel, allow_root=False)
        check_creatable(rel, self.traits)
        with self.open_dir(parts[:-1], rel) as d:
            name = parts[-1]
            try:
                os.mkdir(d.arg(name), 0o777, dir_fd=d.fd)
                if sync:
                    d.fsync()
            except FileExistsError:
                pass
            except OSError as exc:
                raise from_oserror(exc, rel, "create the folder") from exc
            cur = d.entry(name)
            if cur is None or cur.kind is not Kind.DIR:
                raise ChangedOnDisk(
                    f"Could not create the folder {show_path(rel)}: something else is there. "
                    "Coffre will look again.",
                    path=rel,
                )
            return cur

    def make_symlink(self, rel: str, target: str, *, expect: StatKey | None) -> FsEntry:
        """Create (or replace, if `expect` still holds) a symlink; its target is never followed."""
        parts = split_path(rel, allow_root=False)
        check_creatable(rel, self.traits)
        why = names.check_symlink_target(rel, target)
        if why is not None:
            raise NameNotAllowed(
                f"Did not create the link {show_path(rel)} ({why.kind}).", path=rel
            )
        name = parts[-1]
        with self.open_dir(parts[:-1], rel) as d:
            check_expect(rel, d.entry(name), expect, "replace")
            try:
                if expect is None:
                    try:
                        os.symlink(target, d.arg(name), dir_fd=d.fd)
                    except FileExistsError as exc:
                        raise ChangedOnDisk(
                            f"Did not create the link {show_path(rel)}: something appeared "
                            "there meanwhile. Coffre will look again.",
                            path=rel,
                        ) from exc
                else:
                    tmp = TEMP_PREFIX + secrets.token_hex(8)
                    os.symlink(target, d.arg(tmp), dir_fd=d.fd)
                    try:
                        check_expect(rel, d.entry(name), expect, "replace")
                        os.replace(d.arg(tmp), d.arg(name), src_dir_fd=d.fd, dst_dir_fd=d.fd)
                    except BaseException:
                        with contextlib.suppress(OSError):
                            os.unlink(d.arg(tmp), dir_fd=d.fd)
                        raise
                d.fsync()
                cur = d.entry(name)
            except OSError as exc:
                raise from_oserror(exc, rel, "create the link") from exc
        if cur is None:
            raise PathNotFound(f"The link {show_path(rel)} vanished once created.", path=rel)
        return cur

    def set_mtime(self, rel: str, mtime_ns: int, *, expect: StatKey) -> FsEntry:
        """Set the modification time (of the link itself for a symlink)."""
        parts = split_path(rel, allow_root=False)
        with self.open_dir(parts[:-1], rel) as d:
            name = parts[-1]
            check_expect(rel, d.entry(name), expect, "change the date of")
            try:
                os.utime(
                    d.arg(name),
                    ns=(time.time_ns(), mtime_ns),
                    dir_fd=d.fd,
                    follow_symlinks=False,
                )
            except OSError as exc:
                raise from_oserror(exc, rel, "change the date of") from exc
            cur = d.entry(name)
        if cur is None:
            raise PathNotFound(f"{show_path(rel)} vanished right after a change.", path=rel)
        return cur

    def set_executable(self, rel: str, executable: bool, *, expect: StatKey) -> FsEntry:
        """Turn +x on or off (where r is set); checks identity on the open file itself."""
        parts = split_path(rel, allow_root=False)
        with self.open_dir(parts[:-1], rel) as d:
            try:
                fd = os.open(d.arg(parts[-1]), READ_FLAGS, dir_fd=d.fd)
            except OSError as exc:
                if exc.errno in (errno.ENOENT, errno.ELOOP):
                    check_expect(rel, None, expect, "change the permissions of")
                raise from_oserror(exc, rel, "change the permissions of") from exc
        try:
            st = os.fstat(fd)
            check_expect(rel, entry_from_stat(parts[-1], st), expect, "change the permissions of")
            if not WINDOWS:
                base = st.st_mode & 0o7666
                os.fchmod(fd, executable_mode(base) if executable else base)
            return entry_from_stat(parts[-1], os.fstat(fd))
        except OSError as exc:
            raise from_oserror(exc, rel, "change the permissions of") from exc
        finally:
            os.close(fd)

    def rename(
        self, src: str, dst: str, *, expect_src: StatKey, expect_dst: StatKey | None = None
    ) -> FsEntry:
        """Move src to dst after re-checking both; never replaces an unexpected dst."""
        sp = split_path(src, allow_root=False)
        dp = split_path(dst, allow_root=False)
        check_creatable(dst, self.traits)
        if dp[: len(sp)] == sp:
            raise NameNotAllowed(f"Cannot move {show_path(src)} into itself.", path=dst)
        with self.open_dir(sp[:-1], src) as ds, self.open_dir(dp[:-1], dst) as dd:
            cur = ds.entry(sp[-1])
            check_expect(src, cur, expect_src, "move")
            assert cur is not None
            there = dd.entry(dp[-1])
            if (
                there is not None
                and expect_dst is None
                and there.inode == cur.inode
                and self.case_insensitive
                and names.case_key(src) == names.case_key(dst)
            ):
                there = None  # a case-only rename finds the source under the new spelling
            check_expect(dst, there, expect_dst, "move onto")
            try:
                if expect_dst is None and WINDOWS:
                    os.rename(ds.arg(sp[-1]), dd.arg(dp[-1]))
                else:
                    os.replace(ds.arg(sp[-1]), dd.arg(dp[-1]), src_dir_fd=ds.fd, dst_dir_fd=dd.fd)
                dd.fsync()
                ds.fsync()
                moved = dd.entry(dp[-1])
            except OSError as exc:
                raise from_oserror(exc, dst, "move") from exc
        if moved is None:
            raise PathNotFound(f"{show_path(dst)} vanished right after the move.", path=dst)
        return moved

    # -- quarantine and removal --------------------------------------------

    def quarantine(self, rel: str, *, expect: StatKey, quarantine_dir: str) -> str:
        """Move a file, symlink or empty folder out of the sync folder (rule 3); returns where."""
        return quarantine_fs.quarantine(self, rel, expect=expect, quarantine_dir=quarantine_dir)

    def restore_from_quarantine(self, qpath: str, rel: str) -> FsEntry:
        """Put a quarantined item back at `rel` (creating its folders); never replaces anything."""
        return quarantine_fs.restore_from_quarantine(self, qpath, rel)

    def remove_empty_dir(self, rel: str, *, expect: StatKey | None = None) -> None:
        """rmdir: refuses atomically (DirectoryNotEmpty) if anything is inside."""
        parts = split_path(rel, allow_root=False)
        with self.open_dir(parts[:-1], rel) as d:
            name = parts[-1]
            cur = d.entry(name)
            if expect is not None:
                check_expect(rel, cur, expect, "remove")
            if cur is None or cur.kind is not Kind.DIR:
                raise ChangedOnDisk(
                    f"Did not remove {show_path(rel)}: it is not a folder any more.", path=rel
                )
            try:
                os.rmdir(d.arg(name), dir_fd=d.fd)
            except OSError as exc:
                raise from_oserror(exc, rel, "remove") from exc
            d.fsync()

    def cleanup_temp_files(self, paths: Iterable[str] | None = None) -> int:
        """Remove `.coffre-tmp-*` files left by a crash (rule 2): `paths` (as a scan
        found them), or anywhere in the tree.

        Call it before any write: it would also remove the temp file of a write
        in progress.
        """
        found = self._find_temp_files() if paths is None else paths
        removed = 0
        stale_before = time.time() - PARTIAL_KEEP_S
        for path in found:
            rel, _, name = path.rpartition("/")
            if not name.startswith(TEMP_PREFIX):
                continue
            with contextlib.suppress(ChangedOnDisk), self.open_dir(split_path(rel), rel) as d:
                try:
                    if name.startswith(PARTIAL_PREFIX):
                        st = d.lstat(name)
                        if st is not None and st.st_mtime > stale_before:
                            continue  # a recent partial download: the next try resumes it
                    os.unlink(d.arg(name), dir_fd=d.fd)
                    removed += 1
                except OSError:
                    pass  # gone already, or not removable: harmless, try next time
        return removed

    def _find_temp_files(self) -> list[str]:
        found = []
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                entries = self.list_dir(rel)
            except (FsReadError, ChangedOnDisk):
                continue  # the scan reports it
            prefix = rel + "/" if rel else ""
            for e in entries:
                if e.kind is Kind.DIR:
                    stack.append(prefix + e.name)
                elif e.name.startswith(TEMP_PREFIX):
                    found.append(prefix + e.name)
        return found
