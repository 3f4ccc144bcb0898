"""MemoryFs: the LocalFs contract entirely in memory, for the deterministic simulator.

Same checks, same errors, same temp-file protocol as DiskFs, so a test that
passes here means the same thing on disk. No randomness and no wall clock:
inodes come from a counter, times from `clock_ns`, which every change advances.

Faults. `fault(op, rel)`, when set, is called before every step that could
be interrupted, with these ops:

    reads       "list_dir", "stat", "open_read"
    write_file  "create" (temp), "write" (temp, per chunk), "set_attrs" (temp),
                "publish" (destination: the temp is renamed over it)
    others      "mkdir", "symlink", "set_attrs", "rename", "quarantine",
                "restore", "rmdir", "unlink" (cleanup_temp_files)

The hook runs before the operation re-checks `expect`, so a hook that changes
the tree (put_file...) models a person editing just before Coffre acts.
An OSError raised by the hook becomes the FsError the disk would give for it
(EACCES on "list_dir" -> FsReadError, ENOSPC -> DiskFull, EIO -> FsError...)
and the operation cleans up after itself as DiskFs does. Any other exception
is a simulated crash: it propagates and nothing is cleaned up, so a crash
between "create" and "publish" leaves the temp file behind exactly as a
power cut would, for cleanup_temp_files to find.

The `put_*`, `delete`, `read_bytes` and `unmount` helpers act as the person
using the computer: no checks, no faults.
"""

from __future__ import annotations

import errno
import io
import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from sync_engine.core import names
from sync_engine.core.model import Kind, StatKey
from sync_engine.disk.fs_errors import (
    ChangedOnDisk,
    FsError,
    NameNotAllowed,
    PathNotFound,
    RootUnavailable,
    SymlinkInPath,
    from_oserror,
    show_path,
)
from sync_engine.disk.localfs import (
    ROOT_MARKER,
    TEMP_PREFIX,
    FsEntry,
    TempFile,
    check_creatable,
    check_expect,
    split_path,
)

__all__ = ["FaultHook", "MemoryFs"]

FaultHook = Callable[[str, str], None]

_ACTIONS = {
    "list_dir": "read",
    "stat": "examine",
    "open_read": "read",
    "create": "write",
    "write": "write",
    "set_attrs": "write",
    "publish": "write",
    "mkdir": "create the folder",
    "symlink": "create the link",
    "rename": "move",
    "quarantine": "quarantine",
    "restore": "restore",
    "rmdir": "remove",
    "unlink": "remove",
}


_CTIME = itertools.count(1)
_CHANGES_CTIME = frozenset({"data", "mtime_ns", "executable", "target"})


class _OpenFile(io.BytesIO):
    """An open file: the content as it was opened, and the node, like a descriptor."""

    def __init__(self, node: _Node) -> None:
        super().__init__(node.data)
        self.node = node


class _Node:
    __slots__ = (
        "children",
        "ctime_ns",
        "data",
        "executable",
        "inode",
        "kind",
        "mtime_ns",
        "name",
        "special",
        "target",
    )

    def __init__(
        self,
        name: str,
        kind: Kind | None,
        inode: int,
        *,
        data: bytes = b"",
        mtime_ns: int = 0,
        executable: bool = False,
        target: str | None = None,
        special: str | None = None,
    ) -> None:
        self.ctime_ns = 0
        self.name = name
        self.kind = kind
        self.inode = inode
        self.data = data
        self.mtime_ns = mtime_ns
        self.executable = executable
        self.target = target
        self.special = special
        self.children: dict[str, _Node] = {}

    def __setattr__(self, name: str, value: object) -> None:
        # Like a kernel's ctime: any change of content or attributes moves it.
        object.__setattr__(self, name, value)
        if name in _CHANGES_CTIME:
            object.__setattr__(self, "ctime_ns", next(_CTIME))

    def entry(self) -> FsEntry:
        if self.kind is Kind.FILE:
            return FsEntry(
                self.name,
                Kind.FILE,
                len(self.data),
                self.mtime_ns,
                self.inode,
                self.executable,
                ctime_ns=self.ctime_ns,
            )
        if self.kind is Kind.DIR:
            return FsEntry(self.name, Kind.DIR, 0, 0, self.inode)
        if self.kind is Kind.SYMLINK:
            size = len((self.target or "").encode("utf-8", "surrogateescape"))
            return FsEntry(
                self.name, Kind.SYMLINK, size, self.mtime_ns, self.inode, False, self.target
            )
        return FsEntry(self.name, None, 0, 0, self.inode, special=self.special or "a special file")


class MemoryFs:
    """An in-memory sync folder implementing sync_engine.disk.localfs.LocalFs."""

    def __init__(
        self,
        *,
        case_insensitive: bool = False,
        windows: bool = False,
        max_name_bytes: int = 255,
        fault: FaultHook | None = None,
        marker: bool = True,
    ) -> None:
        self._traits = names.FsTraits(case_insensitive, windows, max_name_bytes)
        self.fault = fault
        self.clock_ns = 1_700_000_000 * 1_000_000_000
        self.mounted = True
        self.quarantined: dict[str, _Node] = {}
        self._inodes = 1
        self._counter = 0
        self._crashed = False
        self._lock = threading.RLock()
        self._temp_parents: dict[str, _Node] = {}  # unpublished temps: where they were written
        self._root = _Node("", Kind.DIR, self._next_inode())
        if marker:
            self._root.children[self._key(ROOT_MARKER)] = _Node(
                ROOT_MARKER, Kind.FILE, self._next_inode(), data=b"coffre\n"
            )

    # -- bookkeeping -----------------------------------------------------

    def _next_inode(self) -> int:
        self._inodes += 1
        return self._inodes

    def _tick(self) -> int:
        self.clock_ns += 1_000_000
        return self.clock_ns

    def _key(self, name: str) -> str:
        return names.case_key(name) if self._traits.case_insensitive else name

    def _fault(self, op: str, rel: str) -> None:
        if self.fault is None:
            return
        try:
            self.fault(op, rel)
        except OSError as exc:
            raise from_oserror(
                exc, rel, _ACTIONS.get(op, op), reading_dir=op == "list_dir"
            ) from exc
        except BaseException:
            self._crashed = True  # a simulated crash: no cleanup anywhere
            raise

    @property
    def case_insensitive(self) -> bool:
        return self._traits.case_insensitive

    @property
    def traits(self) -> names.FsTraits:
        return self._traits

    def _split(self, rel: str, *, allow_root: bool = True) -> list[str]:
        return split_path(rel, allow_root=allow_root, windows=self._traits.windows)

    # -- root ------------------------------------------------------------

    def check_root(self) -> None:
        with self._lock:
            self._check_root()

    def _check_root(self) -> None:
        if not self.mounted:
            raise RootUnavailable(
                "The sync folder is missing or unmounted (memory). Nothing is synced until "
                "then, and nothing is taken as deleted.",
                path="",
            )
        marker = self._root.children.get(self._key(ROOT_MARKER))
        if marker is None or marker.kind is not Kind.FILE:
            raise RootUnavailable(
                f"The sync folder no longer holds Coffre's marker file {ROOT_MARKER}, so it "
                "looks unmounted or replaced. Nothing is synced until then.",
                path="",
            )

    def write_root_marker(self) -> None:
        with self._lock:
            if not self.mounted:
                self._check_root()
            self._fault("create", ROOT_MARKER)
            self._root.children[self._key(ROOT_MARKER)] = _Node(
                ROOT_MARKER, Kind.FILE, self._next_inode(), data=b"coffre\n", mtime_ns=self._tick()
            )

    # -- walking ---------------------------------------------------------

    def _dir(self, parts: list[str], rel: str) -> _Node:
        """The directory `parts`, refusing symlinks on the way, like DiskFs."""
        self._check_root()
        node = self._root
        for i, seg in enumerate(parts):
            child = node.children.get(self._key(seg))
            if child is not None and child.kind is Kind.SYMLINK:
                partial = "/".join(parts[: i + 1])
                raise SymlinkInPath(
                    f"Did not touch {show_path(rel)}: {show_path(partial)} is a symbolic link, "
                    "and Coffre never follows links inside the sync folder.",
                    path=rel,
                )
            if child is None or child.kind is not Kind.DIR:
                code = errno.ENOENT if child is None else errno.ENOTDIR
                raise from_oserror(OSError(code, "No such file or directory"), rel, "reach")
            node = child
        return node

    def _parent(self, rel: str) -> tuple[_Node, str]:
        parts = self._split(rel, allow_root=False)
        return self._dir(parts[:-1], rel), parts[-1]

    def _get(self, rel: str) -> _Node | None:
        parent, name = self._parent(rel)
        return parent.children.get(self._key(name))

    @staticmethod
    def _entry(node: _Node | None) -> FsEntry | None:
        return None if node is None else node.entry()

    # -- reading ---------------------------------------------------------

    def list_dir(self, rel: str) -> list[FsEntry]:
        with self._lock:
            parts = self._split(rel)
            self._fault("list_dir", rel)
            node = self._dir(parts, rel)
            return [child.entry() for child in node.children.values()]

    def stat(self, rel: str) -> FsEntry | None:
        with self._lock:
            parts = self._split(rel)
            if not parts:
                self._check_root()
                return self._root.entry()
            self._fault("stat", rel)
            try:
                node = self._get(rel)
            except (PathNotFound, SymlinkInPath):
                return None
            return self._entry(node)

    def open_read(self, rel: str) -> BinaryIO:
        with self._lock:
            self._split(rel, allow_root=False)
            self._fault("open_read", rel)
            node = self._get(rel)
            if node is None:
                raise from_oserror(OSError(errno.ENOENT, "No such file"), rel, "read")
            if node.kind is not Kind.FILE:
                raise ChangedOnDisk(f"{show_path(rel)} is not a regular file.", path=rel)
            return _OpenFile(node)

    def sync_folders(self, rels: Iterable[str]) -> None:
        """Nothing to flush in memory."""

    def stat_open(self, rel: str, stream: BinaryIO) -> FsEntry:
        with self._lock:
            self._fault("stat_open", rel)
            assert isinstance(stream, _OpenFile), "a stream from this MemoryFs's open_read"
            return stream.node.entry()

    # -- writing ---------------------------------------------------------

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
        with self._lock:  # the two halves below, not the overridable public ones
            temp = MemoryFs.write_temp(
                self, rel, chunks, mtime_ns=mtime_ns, executable=executable, expect=expect
            )
            try:
                if content_check is not None:
                    content_check()
            except BaseException:
                if not self._crashed:
                    MemoryFs.discard_temp(self, temp)
                raise
            return MemoryFs.publish_temp(self, temp, expect=expect, sync_folder=sync_folder)

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
        with self._lock:
            self._crashed = False
            check_creatable(rel, self._traits)
            if expect is not None and expect[0] not in (Kind.FILE, Kind.SYMLINK):
                raise ValueError("write_file replaces only a file or a symlink")
            parts = self._split(rel, allow_root=False)
            parent, name = self._dir(parts[:-1], rel), parts[-1]
            check_expect(rel, self._entry(parent.children.get(self._key(name))), expect, "replace")
            self._counter += 1
            tmp = f"{TEMP_PREFIX}{self._counter:016x}"
            tmp_rel = rel[: len(rel) - len(name)] + tmp
            done = False
            try:
                self._fault("create", tmp_rel)
                node = _Node(tmp, Kind.FILE, self._next_inode(), mtime_ns=self._tick())
                parent.children[self._key(tmp)] = node
                buf = bytearray()
                for chunk in chunks:
                    if self.fault is not None:
                        node.data = bytes(buf)  # what a crash right now leaves behind
                        self._fault("write", tmp_rel)
                    buf += chunk
                node.data = bytes(buf)
                self._fault("set_attrs", tmp_rel)
                node.mtime_ns = mtime_ns
                node.executable = executable
                done = True
            finally:
                if not done and not self._crashed:
                    parent.children.pop(self._key(tmp), None)
            self._temp_parents[tmp] = parent
            entry = node.entry()
            return TempFile(rel, tmp, entry._replace(name=name), synced=sync)

    def flush_temps(self, temps: Sequence[TempFile]) -> None:
        """Nothing to flush in memory."""

    def publish_temp(self, temp: TempFile, *, expect: StatKey | None, sync_folder: bool) -> FsEntry:
        with self._lock:
            self._crashed = False
            rel = temp.rel
            parts = self._split(rel, allow_root=False)
            name = parts[-1]
            key = self._key(name)
            parent = self._temp_parents.get(temp.name)
            published = False
            try:
                self._fault("publish", rel)
                node = None if parent is None else parent.children.get(self._key(temp.name))
                if node is None or self._dir(parts[:-1], rel) is not parent:
                    # the hook replaced the folder, or removed the temp
                    raise from_oserror(OSError(errno.ENOENT, "No such file"), rel, "write")
                check_expect(rel, self._entry(parent.children.get(key)), expect, "replace")
                del parent.children[self._key(temp.name)]
                node.name = name
                parent.children.pop(key, None)
                parent.children[key] = node
                published = True
                self._temp_parents.pop(temp.name, None)
            finally:
                if not published and not self._crashed:
                    MemoryFs.discard_temp(self, temp)
            return node.entry()

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
        """Memory keeps no partial download across a crash: always from the start."""
        return self.write_file(
            rel,
            rest(keep(io.BytesIO())),
            mtime_ns=mtime_ns,
            executable=executable,
            expect=expect,
            size_hint=size_hint,
        )

    def discard_temp(self, temp: TempFile) -> None:
        with self._lock:
            parent = self._temp_parents.pop(temp.name, None)
            if parent is not None:
                parent.children.pop(self._key(temp.name), None)

    def make_dir(self, rel: str, *, sync: bool = True) -> FsEntry:
        with self._lock:
            self._crashed = False
            check_creatable(rel, self._traits)
            parent, name = self._parent(rel)
            cur = parent.children.get(self._key(name))
            if cur is None:
                self._fault("mkdir", rel)
                cur = _Node(name, Kind.DIR, self._next_inode())
                parent.children[self._key(name)] = cur
            elif cur.kind is not Kind.DIR:
                raise ChangedOnDisk(
                    f"Could not create the folder {show_path(rel)}: something else is there.",
                    path=rel,
                )
            return cur.entry()

    def make_symlink(self, rel: str, target: str, *, expect: StatKey | None) -> FsEntry:
        with self._lock:
            self._crashed = False
            check_creatable(rel, self._traits)
            why = names.check_symlink_target(rel, target)
            if why is not None:
                raise NameNotAllowed(
                    f"Did not create the link {show_path(rel)} ({why.kind}).", path=rel
                )
            self._split(rel, allow_root=False)
            self._fault("symlink", rel)
            parent, name = self._parent(rel)
            key = self._key(name)
            check_expect(rel, self._entry(parent.children.get(key)), expect, "replace")
            node = _Node(
                name, Kind.SYMLINK, self._next_inode(), target=target, mtime_ns=self._tick()
            )
            parent.children.pop(key, None)
            parent.children[key] = node
            return node.entry()

    def set_mtime(self, rel: str, mtime_ns: int, *, expect: StatKey) -> FsEntry:
        with self._lock:
            self._crashed = False
            self._split(rel, allow_root=False)
            self._fault("set_attrs", rel)
            node = self._get(rel)
            check_expect(rel, self._entry(node), expect, "change the date of")
            assert node is not None
            node.mtime_ns = mtime_ns
            return node.entry()

    def set_executable(self, rel: str, executable: bool, *, expect: StatKey) -> FsEntry:
        with self._lock:
            self._crashed = False
            self._split(rel, allow_root=False)
            self._fault("set_attrs", rel)
            node = self._get(rel)
            check_expect(rel, self._entry(node), expect, "change the permissions of")
            assert node is not None
            if node.kind is not Kind.FILE:
                raise ChangedOnDisk(f"{show_path(rel)} is not a regular file.", path=rel)
            node.executable = executable
            return node.entry()

    def rename(
        self, src: str, dst: str, *, expect_src: StatKey, expect_dst: StatKey | None = None
    ) -> FsEntry:
        with self._lock:
            self._crashed = False
            sp = self._split(src, allow_root=False)
            dp = self._split(dst, allow_root=False)
            check_creatable(dst, self._traits)
            if dp[: len(sp)] == sp:
                raise NameNotAllowed(f"Cannot move {show_path(src)} into itself.", path=dst)
            self._fault("rename", src)
            sparent, sname = self._parent(src)
            dparent, dname = self._parent(dst)
            node = sparent.children.get(self._key(sname))
            check_expect(src, self._entry(node), expect_src, "move")
            assert node is not None
            there = dparent.children.get(self._key(dname))
            if there is node and expect_dst is None:
                there = None  # a case-only rename on a case-insensitive disk
            check_expect(dst, self._entry(there), expect_dst, "move onto")
            if there is not None:
                if there.kind is Kind.DIR and node.kind is not Kind.DIR:
                    raise from_oserror(OSError(errno.EISDIR, "Is a directory"), dst, "move")
                if there.kind is Kind.DIR and there.children:
                    raise from_oserror(OSError(errno.ENOTEMPTY, "Directory not empty"), dst, "move")
                if node.kind is Kind.DIR and there.kind is not Kind.DIR:
                    raise from_oserror(OSError(errno.ENOTDIR, "Not a directory"), dst, "move")
            del sparent.children[self._key(sname)]
            dparent.children.pop(self._key(dname), None)
            node.name = dname
            dparent.children[self._key(dname)] = node
            return node.entry()

    # -- quarantine and removal --------------------------------------------

    def quarantine(self, rel: str, *, expect: StatKey, quarantine_dir: str) -> str:
        with self._lock:
            self._crashed = False
            if not quarantine_dir.startswith("/"):
                raise NameNotAllowed("The quarantine folder must be an absolute path.", path="")
            self._split(rel, allow_root=False)
            self._fault("quarantine", rel)
            parent, name = self._parent(rel)
            node = parent.children.get(self._key(name))
            check_expect(rel, self._entry(node), expect, "move to quarantine")
            assert node is not None
            if node.kind is Kind.DIR and node.children:
                raise from_oserror(
                    OSError(errno.ENOTEMPTY, "Directory not empty"), rel, "quarantine"
                )
            self._counter += 1
            stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(self.clock_ns // 1_000_000_000))
            qpath = f"{quarantine_dir.rstrip('/')}/{stamp}-{self._counter:08x}/{rel}"
            del parent.children[self._key(name)]
            self.quarantined[qpath] = node
            return qpath

    def restore_from_quarantine(self, qpath: str, rel: str) -> FsEntry:
        with self._lock:
            self._crashed = False
            check_creatable(rel, self._traits)
            node = self.quarantined.get(qpath)
            if node is None:
                raise from_oserror(OSError(errno.ENOENT, "No such file"), rel, "restore")
            parts = self._split(rel, allow_root=False)
            for i in range(1, len(parts)):
                self.make_dir("/".join(parts[:i]))
            self._fault("restore", rel)
            parent, name = self._parent(rel)
            key = self._key(name)
            there = parent.children.get(key)
            if there is not None:
                if node.kind is Kind.DIR and there.kind is Kind.DIR:
                    del self.quarantined[qpath]
                    return there.entry()
                raise ChangedOnDisk(
                    f"Did not restore {show_path(rel)}: something is already there. "
                    "Move it away first.",
                    path=rel,
                )
            del self.quarantined[qpath]
            node.name = name
            parent.children[key] = node
            return node.entry()

    def remove_empty_dir(self, rel: str, *, expect: StatKey | None = None) -> None:
        with self._lock:
            self._crashed = False
            self._split(rel, allow_root=False)
            self._fault("rmdir", rel)
            parent, name = self._parent(rel)
            node = parent.children.get(self._key(name))
            if expect is not None:
                check_expect(rel, self._entry(node), expect, "remove")
            if node is None or node.kind is not Kind.DIR:
                raise ChangedOnDisk(
                    f"Did not remove {show_path(rel)}: it is not a folder any more.", path=rel
                )
            if node.children:
                raise from_oserror(OSError(errno.ENOTEMPTY, "Directory not empty"), rel, "remove")
            del parent.children[self._key(name)]

    def cleanup_temp_files(self, paths: Iterable[str] | None = None) -> int:
        with self._lock:
            self._crashed = False
            self._check_root()
            removed = 0
            wanted = None if paths is None else set(paths)
            for rel, parent, node in list(self._walk()):
                if wanted is not None and rel not in wanted:
                    continue
                if node.kind is not Kind.DIR and node.name.startswith(TEMP_PREFIX):
                    try:
                        self._fault("unlink", rel)
                    except FsError:
                        continue
                    del parent.children[self._key(node.name)]
                    removed += 1
            return removed

    def _walk(self) -> Iterator[tuple[str, _Node, _Node]]:
        """(path, parent, node) for every node, parents first; never through symlinks."""
        stack: list[tuple[str, _Node]] = [("", self._root)]
        while stack:
            prefix, d = stack.pop()
            for child in list(d.children.values()):
                rel = prefix + child.name
                yield rel, d, child
                if child.kind is Kind.DIR:
                    stack.append((rel + "/", child))

    # -- the person at the keyboard (no checks, no faults) -----------------

    def _ensure_parent(self, rel: str) -> tuple[_Node, str]:
        parts = rel.split("/")
        node = self._root
        for seg in parts[:-1]:
            child = node.children.get(self._key(seg))
            if child is None:
                child = _Node(seg, Kind.DIR, self._next_inode())
                node.children[self._key(seg)] = child
            if child.kind is not Kind.DIR:
                raise ValueError(f"{seg!r} in {rel!r} is not a directory")
            node = child
        return node, parts[-1]

    def put_file(
        self,
        rel: str,
        data: bytes,
        *,
        mtime_ns: int | None = None,
        executable: bool | None = None,
        new_inode: bool = False,
    ) -> FsEntry:
        """Write a file as an application would: in place (same inode) unless new_inode."""
        with self._lock:
            parent, name = self._ensure_parent(rel)
            key = self._key(name)
            node = parent.children.get(key)
            if node is None or node.kind is not Kind.FILE or new_inode:
                node = _Node(name, Kind.FILE, self._next_inode())
                parent.children.pop(key, None)
                parent.children[key] = node
            node.data = bytes(data)
            node.mtime_ns = self._tick() if mtime_ns is None else mtime_ns
            if executable is not None:
                node.executable = executable
            return node.entry()

    def put_dir(self, rel: str) -> FsEntry:
        with self._lock:
            parent, name = self._ensure_parent(rel)
            key = self._key(name)
            node = parent.children.get(key)
            if node is None:
                node = _Node(name, Kind.DIR, self._next_inode())
                parent.children[key] = node
            return node.entry()

    def put_symlink(self, rel: str, target: str) -> FsEntry:
        with self._lock:
            parent, name = self._ensure_parent(rel)
            node = _Node(
                name, Kind.SYMLINK, self._next_inode(), target=target, mtime_ns=self._tick()
            )
            parent.children[self._key(name)] = node
            return node.entry()

    def put_special(self, rel: str, what: str = "a named pipe (fifo)") -> FsEntry:
        with self._lock:
            parent, name = self._ensure_parent(rel)
            node = _Node(name, None, self._next_inode(), special=what)
            parent.children[self._key(name)] = node
            return node.entry()

    def touch(self, rel: str, mtime_ns: int | None = None) -> FsEntry:
        """Change only the mtime, as `touch` does."""
        with self._lock:
            node = self._lookup(rel)
            node.mtime_ns = self._tick() if mtime_ns is None else mtime_ns
            return node.entry()

    def delete(self, rel: str) -> None:
        """Remove a path and everything below it."""
        with self._lock:
            parent, name = self._ensure_parent(rel)
            del parent.children[self._key(name)]

    def read_bytes(self, rel: str) -> bytes:
        with self._lock:
            return self._lookup(rel).data

    def exists(self, rel: str) -> bool:
        with self._lock:
            try:
                self._lookup(rel)
            except KeyError:
                return False
            return True

    def paths(self) -> dict[str, FsEntry]:
        """Every path in the tree, internal files included."""
        with self._lock:
            return {rel: node.entry() for rel, _parent, node in self._walk()}

    def _lookup(self, rel: str) -> _Node:
        node = self._root
        for seg in rel.split("/"):
            node = node.children[self._key(seg)]
        return node

    def unmount(self) -> None:
        self.mounted = False

    def mount(self) -> None:
        self.mounted = True
