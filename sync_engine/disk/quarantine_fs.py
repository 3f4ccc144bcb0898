"""Moving what sync removes out of the sync folder, and putting it back.

Files, symlinks and EMPTY directories only (a folder that still holds
something raises DirectoryNotEmpty; the executor quarantines the children
first). They move to <quarantine_dir>/<YYYYmmdd-HHMMSS>-<hex>/<relative path>,
outside the sync folder, by rename; across file systems (EXDEV) by copy,
fsync, re-check, unlink (docs/ARCHITECTURE.md section 4, rule 3). Each item
gets its own dated batch folder, whose date drives retention (quarantine.py).
A restore never replaces anything at its destination.

DiskFs (localfs) delegates its `quarantine` and `restore_from_quarantine` here;
the re-checks go through the same open directories as every other operation.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from ..core import names
from ..core.model import Kind, StatKey
from .fs_errors import ChangedOnDisk, NameNotAllowed, from_oserror, show_path
from .fs_primitives import (
    COPY_BLOCK,
    CREATE_FLAGS,
    DIR_FLAGS,
    NO_HARD_LINKS,
    READ_FLAGS,
    Dir,
    FsEntry,
    check_creatable,
    check_expect,
    entry_from_stat,
    split_path,
)


class Folder(Protocol):
    """What the quarantine needs of the sync folder (DiskFs)."""

    @property
    def root(self) -> str: ...

    @property
    def traits(self) -> names.FsTraits: ...

    def open_dir(self, parts: Sequence[str], rel: str) -> AbstractContextManager[Dir]: ...

    def make_dir(self, rel: str) -> FsEntry: ...

    def make_symlink(self, rel: str, target: str, *, expect: StatKey | None) -> FsEntry: ...

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


def quarantine_root(sync_root: str, quarantine_dir: str) -> str:
    """The quarantine folder, absolute; NameNotAllowed if it lies inside the sync folder."""
    qroot = os.path.abspath(quarantine_dir)
    if not os.path.isabs(quarantine_dir):
        raise NameNotAllowed("The quarantine folder must be an absolute path.", path="")
    real_q = os.path.realpath(qroot)
    real_root = os.path.realpath(sync_root)
    if real_q == real_root or real_q.startswith(real_root.rstrip(os.sep) + os.sep):
        raise NameNotAllowed(
            f"The quarantine folder {qroot} is inside the sync folder; choose one outside it.",
            path="",
        )
    return qroot


def quarantine(folder: Folder, rel: str, *, expect: StatKey, quarantine_dir: str) -> str:
    """Move a file, symlink or empty folder out of the sync folder (rule 3); returns where."""
    parts = split_path(rel, allow_root=False)
    qroot = quarantine_root(folder.root, quarantine_dir)
    batch = os.path.join(qroot, quarantine_batch_name(time.time_ns()))
    dest = os.path.join(batch, *parts)
    try:
        os.makedirs(os.path.dirname(dest), mode=0o700, exist_ok=True)
    except OSError as exc:
        raise from_oserror(exc, rel, "quarantine") from exc
    done = False
    try:
        with folder.open_dir(parts[:-1], rel) as d:
            name = parts[-1]
            cur = d.entry(name)
            check_expect(rel, cur, expect, "move to quarantine")
            assert cur is not None
            try:
                if cur.kind is Kind.DIR:
                    # mkdir + rmdir: rmdir refuses atomically if anything arrived meanwhile.
                    os.mkdir(dest, 0o700)
                    try:
                        os.rmdir(d.arg(name), dir_fd=d.fd)
                    except OSError:
                        os.rmdir(dest)
                        raise
                else:
                    try:
                        _move_out(d, name, dest)
                    except OSError as exc:
                        if exc.errno != errno.EXDEV:
                            raise
                        _copy_out(d, name, rel, expect, dest)
                d.fsync()
            except OSError as exc:
                raise from_oserror(exc, rel, "quarantine") from exc
        done = True
    finally:
        if not done:
            _prune_empty(os.path.dirname(dest), qroot)
    return dest


def _move_out(d: Dir, name: str, dest: str) -> None:
    """Rename into the quarantine, through the parent's descriptor where there is one."""
    if d.fd is None:
        os.rename(d.arg(name), dest)
        return
    qfd = os.open(os.path.dirname(dest), DIR_FLAGS)
    try:
        os.rename(name, os.path.basename(dest), src_dir_fd=d.fd, dst_dir_fd=qfd)
        with contextlib.suppress(OSError):
            os.fsync(qfd)
    finally:
        os.close(qfd)


def _copy_out(d: Dir, name: str, rel: str, expect: StatKey, dest: str) -> None:
    """Quarantine across file systems: copy, fsync, re-check, then unlink the original."""
    st = d.lstat(name)
    if st is not None and stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(d.arg(name), dir_fd=d.fd), dest)
    else:
        src = os.open(d.arg(name), READ_FLAGS, dir_fd=d.fd)
        try:
            fst = os.fstat(src)
            check_expect(rel, entry_from_stat(name, fst), expect, "move to quarantine")
            os.set_blocking(src, True)
            part = dest + ".part"
            out = os.open(part, CREATE_FLAGS, 0o600)
            try:
                while block := os.read(src, COPY_BLOCK):
                    view = memoryview(block)
                    while view:
                        view = view[os.write(out, view) :]
                if hasattr(os, "fchmod"):
                    os.fchmod(out, fst.st_mode & 0o7777)
                os.utime(out, ns=(fst.st_atime_ns, fst.st_mtime_ns))
                os.fsync(out)
            finally:
                os.close(out)
            os.replace(part, dest)
        finally:
            os.close(src)
    try:
        check_expect(rel, d.entry(name), expect, "move to quarantine")
    except ChangedOnDisk:
        os.unlink(dest)
        raise
    os.unlink(d.arg(name), dir_fd=d.fd)


def restore_from_quarantine(folder: Folder, qpath: str, rel: str) -> FsEntry:
    """Put a quarantined item back at `rel` (creating its folders); never replaces anything."""
    parts = split_path(rel, allow_root=False)
    check_creatable(rel, folder.traits)
    try:
        st = os.lstat(qpath)
    except OSError as exc:
        raise from_oserror(exc, rel, "restore") from exc
    for i in range(1, len(parts)):
        folder.make_dir("/".join(parts[:i]))
    if stat.S_ISDIR(st.st_mode):
        made = folder.make_dir(rel)
        with contextlib.suppress(OSError):
            os.rmdir(qpath)
        result = made
    elif stat.S_ISLNK(st.st_mode):
        result = folder.make_symlink(rel, os.readlink(qpath), expect=None)
        os.unlink(qpath)
    else:
        result = _restore_file(folder, qpath, st, parts, rel)
    batch = qpath
    for _ in parts:
        batch = os.path.dirname(batch)
    _prune_empty(os.path.dirname(qpath), os.path.dirname(batch))
    return result


def _restore_file(
    folder: Folder, qpath: str, st: os.stat_result, parts: list[str], rel: str
) -> FsEntry:
    """Link the file back (fails atomically if the name is taken), else copy it back."""
    with folder.open_dir(parts[:-1], rel) as d:
        name = parts[-1]
        check_expect(rel, d.entry(name), None, "restore")
        try:
            if d.fd is None:
                os.rename(qpath, d.arg(name))  # refuses to replace on Windows
            else:
                os.link(qpath, name, dst_dir_fd=d.fd)  # fails atomically if taken
                os.unlink(qpath)
            d.fsync()
            cur = d.entry(name)
            if cur is not None:
                return cur
        except FileExistsError as exc:
            raise ChangedOnDisk(
                f"Did not restore {show_path(rel)}: something is already there. "
                "Move it away first.",
                path=rel,
            ) from exc
        except OSError as exc:
            if exc.errno not in NO_HARD_LINKS:
                raise from_oserror(exc, rel, "restore") from exc
    # Another file system (or no hard links): copy through the safe write path.
    with open(qpath, "rb", buffering=0) as f:
        entry = folder.write_file(
            rel,
            iter(lambda: f.read(COPY_BLOCK), b""),
            mtime_ns=st.st_mtime_ns,
            executable=bool(st.st_mode & 0o100),
            expect=None,
            size_hint=st.st_size,
        )
    with contextlib.suppress(OSError):  # restored; a leftover copy in quarantine is harmless
        os.unlink(qpath)
    return entry


def quarantine_batch_name(now_ns: int) -> str:
    """A unique, dated folder name for one quarantined item (the date drives retention)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now_ns // 1_000_000_000))
    return f"{stamp}-{secrets.token_hex(4)}"


def _prune_empty(path: str, stop: str) -> None:
    """Remove now-empty quarantine folders from `path` up to (not including) `stop`."""
    stop = os.path.abspath(stop)
    path = os.path.abspath(path)
    while path != stop and path.startswith(stop):
        try:
            os.rmdir(path)
        except OSError:
            return
        path = os.path.dirname(path)
