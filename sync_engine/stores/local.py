"""The `file://` store: one object per file under a root folder.

This backend serves the embedded default vault, the tests, and SMB/NFS network
shares, so it is written with the standard library on a small thread pool,
where every system call and its failure modes are visible:

- Writes go to `.tmp-<random>` in the target's folder, are fsynced, then
  renamed into place, and the folder is fsynced: a crash leaves the old object
  or the new one, plus at worst a temp file that listings never show.
- `PutMode.CREATE` publishes the temp file with `os.link`, which fails if the
  name exists, atomically, also against other machines on the share.
  Where hard links are unsupported (EPERM/ENOTSUP, e.g. some SMB mounts or FAT)
  it falls back to claiming the name with `O_CREAT|O_EXCL` and then renaming the
  finished temp file over the claim. Exclusivity is still atomic (O_EXCL is
  atomic on local disks, SMB2+ and NFSv3+), and readers never see a partial
  object; the cost is a short window, and after a crash a permanent state,
  where the object exists but is empty. No valid Coffre object is empty and
  every object is authenticated, so the engine detects it; the writer's retry
  then sees `ObjectExists`, as after any lost acknowledgement.
- The root folder is never created implicitly (only by `LocalStore.create`).
  If it is missing, or is a mount point with nothing mounted on it any more,
  every operation raises `StoreUnavailable`: an unmounted share must never
  look like an empty store. Reads check this only when a file is missing,
  so the common path costs no extra system call.
- Deleting the last object of a folder removes the now-empty folders up to
  the root, so that `a` can become an object again once `a/b` is gone, as on
  every other store. A writer racing with that cleanup recreates the folder.
- Symbolic links inside the store are not objects: listings skip them.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import errno
import functools
import os
import secrets
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from . import errors
from .base import (
    ObjectInfo,
    PutMode,
    is_valid_key,
    validate_key,
    validate_prefix,
    validate_range,
)
from .errors import (
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreProblem,
    StoreUnavailable,
)
from .ranges import coalesce, split

P = ParamSpec("P")
T = TypeVar("T")

TEMP_PREFIX = ".tmp-"
DEFAULT_COALESCE_GAP = 256 * 1024  # a round trip on a share costs more than reading this
_MKDIR_ATTEMPTS = 5

_O_BINARY: int = getattr(os, "O_BINARY", 0)
_O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY: int = getattr(os, "O_DIRECTORY", 0)


def _errnos(*names: str) -> frozenset[int]:
    return frozenset(getattr(errno, n) for n in names if hasattr(errno, n))


_FULL = _errnos("ENOSPC", "EDQUOT")
_DENIED = _errnos("EACCES", "EPERM")
# Unreachable or transient: the engine retries later.
_UNAVAILABLE = _errnos(
    "EIO", "ETIMEDOUT", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH", "ENETRESET",
    "ECONNRESET", "ECONNABORTED", "ECONNREFUSED", "ESTALE", "ENOTCONN", "EAGAIN", "EBUSY",
    "ENODEV", "ENXIO", "ESHUTDOWN", "ENOLINK", "EREMOTEIO", "ECOMM", "EINTR",
)  # fmt: skip
_MISSING = _errnos("ENOENT", "ENOTDIR")
# Windows reports a file another program holds open as EACCES; it is "busy", not "denied".
_WINDOWS_IN_USE = frozenset({32, 33})  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
# os.link failing for these means "no hard links on this file system", not a real error.
_NO_HARDLINKS = _errnos("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EINVAL", "EMLINK")
# Directory fsync is unsupported on some network and FUSE file systems.
_NO_DIR_FSYNC = _errnos("EINVAL", "EBADF", "ENOTSUP", "EOPNOTSUPP", "EACCES", "EPERM")


def _etag(st: os.stat_result) -> str:
    return f"{st.st_mtime_ns:x}-{st.st_size:x}-{st.st_ino:x}"


def _info(key: str, st: os.stat_result) -> ObjectInfo:
    mtime = datetime.fromtimestamp(st.st_mtime_ns / 1e9, tz=UTC)
    return ObjectInfo(key=key, size=st.st_size, etag=_etag(st), mtime=mtime)


def _write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    if view.ndim != 1 or view.format != "B":
        view = view.cast("B")
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(path: str) -> None:
    """Make a rename or unlink in `path` durable (POSIX only; Windows has no such call)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    except OSError as exc:
        if exc.errno in _NO_DIR_FSYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_FSYNC:
            raise
    finally:
        os.close(fd)


def _unlink_quietly(path: str) -> None:
    # A stray temp file is never listed; there is nothing better to do on failure.
    with contextlib.suppress(OSError):
        os.unlink(path)


class LocalStore:
    """A store in a folder of the local file system or of a mounted network share."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        max_workers: int = 8,
        coalesce_gap: int = DEFAULT_COALESCE_GAP,
    ) -> None:
        self._root = os.path.abspath(os.fspath(root))
        self._url = Path(self._root).as_uri()
        self._coalesce_gap = coalesce_gap
        self._executor = ThreadPoolExecutor(max_workers, thread_name_prefix="coffre-local-store")
        self._closed = False
        self._hardlinks = True  # until the file system says otherwise
        self._seen_mounted = False  # the root was once a mount point

    @classmethod
    async def create(
        cls, root: str | os.PathLike[str], *, parents: bool = False, **options: int
    ) -> LocalStore:
        """Make the root folder (for `coffre init`) and open the store on it.

        Parent folders are created only if `parents` is true: on an unmounted
        share the parent is missing, and creating it would put the vault on the
        local disk under the mount point.
        """
        store = cls(root, **options)
        try:
            await store._run(store._create_root, parents)
        except BaseException:
            await store.close()
            raise
        return store

    def __repr__(self) -> str:
        return f"LocalStore({self._url!r})"

    @property
    def url(self) -> str:
        return self._url

    @property
    def root(self) -> Path:
        return Path(self._root)

    @property
    def supports_compare_and_swap(self) -> bool:
        return False

    # -- the Store interface ------------------------------------------------

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        validate_key(key)
        return await self._run(self._put, key, data, mode)

    async def get(self, key: str) -> bytes:
        validate_key(key)
        return await self._run(self._read, key, [(0, -1)])

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        validate_key(key)
        validate_range(start, end)
        if start == end:
            await self.head(key)  # same errors as a real read of a missing key
            return b""
        return await self._run(self._read, key, [(start, end)])

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        validate_key(key)
        asked = [(start, end) for start, end in ranges]
        for start, end in asked:
            validate_range(start, end)
        spans = coalesce(asked, self._coalesce_gap)
        if not spans:
            await self.head(key)
            return [b""] * len(asked)
        blobs = await self._run(self._read_spans, key, spans)
        return split(asked, spans, blobs)

    async def head(self, key: str) -> ObjectInfo:
        validate_key(key)
        return await self._run(self._head, key)

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        validate_prefix(prefix)
        return await self._run(self._list, prefix)

    async def delete(self, key: str) -> None:
        validate_key(key)
        await self._run(self._delete, key)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.to_thread(self._executor.shutdown, True)

    # -- plumbing -------------------------------------------------------------

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._closed:
            raise errors.closed(self._url)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def _path(self, key: str) -> str:
        return os.path.join(self._root, *key.split("/"))

    def _root_problem(self) -> StoreError | None:
        """Why the root cannot be used right now, or None if it can."""
        try:
            st = os.stat(self._root)
        except OSError as exc:
            if exc.errno in _MISSING:
                return StoreUnavailable(
                    f"The store folder {self._url} is missing. If it is on a network share "
                    "or a removable disk, check that it is connected and mounted; Coffre "
                    "will try again.",
                    url=self._url,
                    kind=StoreProblem.FOLDER_MISSING,
                )
            return self._os_error(exc, "open the store folder", None, check_root=False)
        if not stat.S_ISDIR(st.st_mode):
            return StoreConfigError(
                f"The store address {self._url} is a file, not a folder. "
                "Point Coffre at the vault's folder.",
                url=self._url,
            )
        parent = os.path.dirname(self._root)
        if parent == self._root:
            return None
        try:
            is_mount = os.stat(parent).st_dev != st.st_dev
        except OSError:
            return None  # cannot tell; the folder itself is there
        if is_mount:
            self._seen_mounted = True
        elif self._seen_mounted:
            return StoreUnavailable(
                f"Nothing is mounted on the store folder {self._url} any more. Check that "
                "the network share or disk is connected and mounted; Coffre will try again.",
                url=self._url,
            )
        return None

    def _check_root(self) -> None:
        problem = self._root_problem()
        if problem is not None:
            raise problem

    def _os_error(
        self, exc: OSError, action: str, key: str | None, *, check_root: bool = True
    ) -> StoreError:
        """Translate an OSError into the StoreError the engine acts on."""
        code = exc.errno
        what = f"{action} {key!r} in {self._url}" if key else f"{action} {self._url}"
        reason = exc.strerror or type(exc).__name__
        if check_root and code in _MISSING:
            problem = self._root_problem()
            if problem is not None:
                return problem
        if code in _FULL:
            return StoreFull(
                f"Could not {what}: the disk is full or the quota is used up. Free some "
                "space or ask your administrator for a larger quota.",
                url=self._url,
                key=key,
            )
        if getattr(exc, "winerror", None) in _WINDOWS_IN_USE or code in _UNAVAILABLE:
            return StoreUnavailable(
                f"Could not {what}: {reason}. The disk or network share may be "
                "disconnected or busy; Coffre will try again.",
                url=self._url,
                key=key,
            )
        if code in _DENIED:
            return StoreAuthError(
                f"Could not {what}: permission denied. Check that your user account can "
                "read and write this folder (for a network share, both the share and the "
                "file permissions).",
                url=self._url,
                key=key,
            )
        if code == errno.EROFS:
            return StoreAuthError(
                f"Could not {what}: the file system is read-only. Mount it read-write or "
                "choose another store.",
                url=self._url,
                key=key,
            )
        return StoreError(f"Could not {what}: {reason}.", url=self._url, key=key)

    # -- blocking operations (run on the thread pool) -------------------------

    def _create_root(self, parents: bool) -> None:
        try:
            if parents:
                os.makedirs(self._root, exist_ok=True)
            else:
                os.mkdir(self._root)
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno in _MISSING:
                raise StoreConfigError(
                    f"Cannot create the store folder {self._url}: its parent folder does "
                    "not exist. Create it first, or check that the network share or disk "
                    "is mounted.",
                    url=self._url,
                ) from exc
            raise self._os_error(exc, "create the store folder", None, check_root=False) from exc
        self._check_root()

    def _read(self, key: str, spans: builtins.list[tuple[int, int]]) -> bytes:
        return self._read_spans(key, spans)[0]

    def _read_spans(self, key: str, spans: builtins.list[tuple[int, int]]) -> builtins.list[bytes]:
        """Read each `[start, end)` of one open file (end -1: to the end of the file)."""
        try:
            with open(self._path(key), "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    raise errors.not_found(self._url, key)
                out = []
                for start, end in spans:
                    f.seek(start)
                    out.append(f.read() if end < 0 else f.read(end - start))
                return out
        except IsADirectoryError as exc:
            raise errors.not_found(self._url, key) from exc
        except OSError as exc:
            raise self._read_error(exc, key) from exc

    def _read_error(self, exc: OSError, key: str) -> StoreError:
        if exc.errno in _MISSING:
            return self._root_problem() or errors.not_found(self._url, key)
        return self._os_error(exc, "read", key)

    def _head(self, key: str) -> ObjectInfo:
        try:
            st = os.stat(self._path(key))
        except OSError as exc:
            raise self._read_error(exc, key) from exc
        if not stat.S_ISREG(st.st_mode):
            raise errors.not_found(self._url, key)
        return _info(key, st)

    def _put(self, key: str, data: bytes | memoryview, mode: PutMode) -> ObjectInfo:
        self._check_root()
        final = self._path(key)
        folder = os.path.dirname(final)
        tmp: str | None = None
        try:
            fd, tmp = self._open_temp(key, folder)
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if mode is PutMode.CREATE:
                self._publish_new(tmp, final, key)
            else:
                self._publish_over(tmp, final, key)
            tmp = None
            _fsync_dir(folder)
            return _info(key, os.stat(final))
        except OSError as exc:
            raise self._os_error(exc, "write", key) from exc
        finally:
            if tmp is not None:
                _unlink_quietly(tmp)

    def _open_temp(self, key: str, folder: str) -> tuple[int, str]:
        """Create the key's folders and an exclusive temp file in the last one."""
        for attempt in range(_MKDIR_ATTEMPTS):
            self._make_folders(key)
            tmp = os.path.join(folder, TEMP_PREFIX + secrets.token_hex(8))
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC
            try:
                return os.open(tmp, flags, 0o666), tmp
            except FileNotFoundError:
                # A concurrent delete removed the folder once it was empty: make it again.
                if attempt == _MKDIR_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _make_folders(self, key: str) -> None:
        """mkdir each folder of the key below the root, never the root itself."""
        path = self._root
        for segment in key.split("/")[:-1]:
            path = os.path.join(path, segment)
            try:
                os.mkdir(path)
            except FileExistsError:
                if not os.path.isdir(path):
                    raise errors.key_conflict(self._url, key) from None
            except NotADirectoryError:
                raise errors.key_conflict(self._url, key) from None

    def _publish_over(self, tmp: str, final: str, key: str) -> None:
        try:
            os.replace(tmp, final)
        except OSError:
            if os.path.isdir(final):
                raise errors.key_conflict(self._url, key) from None
            raise

    def _publish_new(self, tmp: str, final: str, key: str) -> None:
        if self._hardlinks:
            try:
                os.link(tmp, final)
            except FileExistsError:
                raise self._exists_error(final, key) from None
            except OSError as exc:
                if exc.errno not in _NO_HARDLINKS:
                    raise
                self._hardlinks = False  # e.g. an SMB mount: use the fallback from now on
            else:
                _unlink_quietly(tmp)
                return
        # Fallback without hard links: claim the name exclusively, then rename the
        # finished temp file over the (empty) claim. See the module docstring.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC
        try:
            os.close(os.open(final, flags, 0o666))
        except FileExistsError:
            raise self._exists_error(final, key) from None
        try:
            os.replace(tmp, final)
        except OSError:
            _unlink_quietly(final)  # release our empty claim so a retry can succeed
            raise

    def _exists_error(self, final: str, key: str) -> StoreError:
        if os.path.isdir(final):
            return errors.key_conflict(self._url, key)
        return errors.exists(self._url, key)

    def _delete(self, key: str) -> None:
        self._check_root()
        path = self._path(key)
        try:
            try:
                st = os.lstat(path)
            except OSError as exc:
                if exc.errno in _MISSING:
                    return  # already gone: delete is idempotent
                raise
            if stat.S_ISDIR(st.st_mode):
                return  # a folder of other objects, not an object
            try:
                os.unlink(path)
            except FileNotFoundError:
                return
            _fsync_dir(os.path.dirname(path))
        except OSError as exc:
            raise self._os_error(exc, "delete", key) from exc
        self._prune(key)

    def _prune(self, key: str) -> None:
        """Remove the key's folders that are now empty, deepest first, never the root."""
        segments = key.split("/")[:-1]
        for depth in range(len(segments), 0, -1):
            try:
                os.rmdir(os.path.join(self._root, *segments[:depth]))
            except OSError:
                return  # not empty (or busy): leave it and everything above

    def _list(self, prefix: str) -> builtins.list[ObjectInfo]:
        self._check_root()
        folder_key, _, _ = prefix.rpartition("/")
        start = self._path(folder_key) if folder_key else self._root
        pending = [(start, folder_key + "/" if folder_key else "")]
        found: builtins.list[ObjectInfo] = []
        while pending:
            folder, key_prefix = pending.pop()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        self._visit(entry, key_prefix, prefix, pending, found)
            except OSError as exc:
                if exc.errno in _MISSING:
                    continue  # no such folder (or removed by a concurrent delete): no objects
                raise self._os_error(exc, "list", prefix or "(all objects)") from exc
        # A share that went away during the walk must not yield a partial listing.
        self._check_root()
        found.sort(key=lambda info: info.key)
        return found

    def _visit(
        self,
        entry: os.DirEntry[str],
        key_prefix: str,
        prefix: str,
        pending: builtins.list[tuple[str, str]],
        found: builtins.list[ObjectInfo],
    ) -> None:
        key = key_prefix + entry.name
        # Names that are not valid keys (temp files, .snapshot, Thumbs.db...) are not
        # objects, and folders with such names are not walked.
        if not is_valid_key(key):
            return
        if entry.is_dir(follow_symlinks=False):
            if (key + "/").startswith(prefix):
                pending.append((entry.path, key + "/"))
            return
        if not key.startswith(prefix) or not entry.is_file(follow_symlinks=False):
            return
        try:
            # DirEntry.stat has no inode number on Windows: stat the path there.
            st = entry.stat(follow_symlinks=False) if os.name == "posix" else os.stat(entry.path)
        except FileNotFoundError:
            return  # deleted while we walked
        found.append(_info(key, st))
