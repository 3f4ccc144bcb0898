"""The errors every LocalFs raises, on disk or in memory.

The engine decides from the class alone: `ChangedOnDisk` (and its subclasses)
means "the disk no longer matches the plan: scan again and re-plan";
`RootUnavailable` means "stop, nothing can be trusted"; `FsReadError` means
"treat everything under this path as unknown, never as deleted"; the others
need a person (free space, close a program, fix permissions, rename).
What a person reads comes from `reason` (an `FsProblem` kind with the path
relative to the sync folder), worded by app/messages.py; the English message
says the same for logs and support. Neither ever contains file contents.
"""

from __future__ import annotations

import errno as errno_mod
from enum import StrEnum

from crypto.reason import Reason

__all__ = [
    "ChangedOnDisk",
    "DirectoryNotEmpty",
    "DiskFull",
    "FsError",
    "FsPermissionError",
    "FsProblem",
    "FsReadError",
    "LockedFile",
    "NameNotAllowed",
    "PathNotFound",
    "RootUnavailable",
    "SymlinkInPath",
    "from_oserror",
    "printable_path",
    "show_path",
]


class FsProblem(StrEnum):
    """What a person is told about a disk error (worded in app/messages.py)."""

    ERROR = "fs.error"  # anything else: the English detail says what
    ROOT_UNAVAILABLE = "fs.root_unavailable"
    READ_FOLDER = "fs.read_folder"
    CHANGED = "fs.changed"  # changed or vanished meanwhile: retried next round
    DISK_FULL = "fs.disk_full"  # needed_mb when known
    READ_ONLY = "fs.read_only"
    DENIED = "fs.denied"
    LOCKED = "fs.locked"
    NAME_NOT_ALLOWED = "fs.name_not_allowed"


class FsError(Exception):
    """Base of every error a LocalFs raises."""

    default_kind = FsProblem.ERROR

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        errno: int | None = None,
        kind: FsProblem | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.errno = errno
        self.kind = kind or self.default_kind

    @property
    def reason(self) -> Reason:
        """The kind, the printable path and the English message as `detail`."""
        params = {"path": printable_path(self.path or ""), "detail": str(self)}
        needed = getattr(self, "needed_bytes", None)
        if needed:
            params["needed_mb"] = str(max(1, (needed + 999_999) // 1_000_000))
        return Reason.of(self.kind, **params)


class RootUnavailable(FsError):
    """The sync folder is missing, not a folder, or looks unmounted.

    Never means "empty": nothing may be read into the absence of files.
    """

    default_kind = FsProblem.ROOT_UNAVAILABLE


class FsReadError(FsError):
    """A directory could not be listed: everything under it is unknown this round."""

    default_kind = FsProblem.READ_FOLDER


class ChangedOnDisk(FsError):
    """The disk no longer holds what the plan expected; nothing was changed. Re-plan."""

    default_kind = FsProblem.CHANGED


class PathNotFound(ChangedOnDisk):
    """The path, or a folder on the way to it, does not exist (any more)."""


class SymlinkInPath(ChangedOnDisk):
    """A component of the path is a symbolic link: it is never followed."""


class DirectoryNotEmpty(ChangedOnDisk):
    """A folder that should have been empty still holds something."""


class DiskFull(FsError):
    """No space left (ENOSPC) or quota exceeded (EDQUOT)."""

    default_kind = FsProblem.DISK_FULL

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        errno: int | None = None,
        needed_bytes: int | None = None,
    ) -> None:
        super().__init__(message, path=path, errno=errno)
        self.needed_bytes = needed_bytes


class FsPermissionError(FsError):
    """The operating system refused access (permissions, read-only disk)."""

    default_kind = FsProblem.DENIED


class LockedFile(FsError):
    """Another program holds the file (busy, or a Windows sharing violation)."""

    default_kind = FsProblem.LOCKED


class NameNotAllowed(FsError):
    """The path cannot be used: it would leave the folder, or this disk refuses the name."""

    default_kind = FsProblem.NAME_NOT_ALLOWED


def printable_path(rel: str) -> str:
    """The path with undecodable bytes (surrogate escapes) shown as U+FFFD."""
    if rel.isascii():
        return rel
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def show_path(rel: str) -> str:
    """A path quoted for a message, even one whose bytes are not valid UTF-8."""
    return f"'{printable_path(rel)}'" if rel else "the sync folder"


def _errnos(*names: str) -> frozenset[int]:
    return frozenset(getattr(errno_mod, n) for n in names if hasattr(errno_mod, n))


_NOT_FOUND = _errnos("ENOENT", "ENOTDIR")
_FULL = _errnos("ENOSPC", "EDQUOT")
_DENIED = _errnos("EACCES", "EPERM")
_READ_ONLY = _errnos("EROFS")
_BUSY = _errnos("EBUSY", "ETXTBSY")
_BAD_NAME = _errnos("ENAMETOOLONG", "EILSEQ")
_NOT_EMPTY = _errnos("ENOTEMPTY", "EEXIST")
_WIN_SHARING = frozenset({32, 33})  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_WIN_BAD_NAME = frozenset({123, 161, 206})  # ERROR_INVALID_NAME, BAD_PATHNAME, FILENAME_EXCED_RANGE


def _megabytes(n: int) -> str:
    return f"{max(1, (n + 999_999) // 1_000_000)} MB"


def from_oserror(
    exc: OSError,
    rel: str,
    action: str,
    *,
    reading_dir: bool = False,
    needed_bytes: int | None = None,
) -> FsError:
    """The FsError for an OSError met while doing `action` ("write", "list"...) on `rel`."""
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    reason = exc.strerror or type(exc).__name__
    where = show_path(rel)
    if code in _NOT_FOUND:
        return PathNotFound(
            f"Could not {action} {where}: it, or a folder on the way to it, no longer exists. "
            "It was probably moved or deleted meanwhile; Coffre will look again.",
            path=rel,
            errno=code,
        )
    if code in _FULL:
        need = f" About {_megabytes(needed_bytes)} more are needed." if needed_bytes else ""
        return DiskFull(
            f"Could not {action} {where}: the disk holding the sync folder is full "
            f"or your quota is used up ({reason}).{need} Free some space; Coffre will retry.",
            path=rel,
            errno=code,
            needed_bytes=needed_bytes,
        )
    if winerror in _WIN_SHARING or code in _BUSY:
        return LockedFile(
            f"Could not {action} {where}: another program is using it ({reason}). "
            "Close that program; Coffre will retry.",
            path=rel,
            errno=code,
        )
    if winerror in _WIN_BAD_NAME or code in _BAD_NAME:
        return NameNotAllowed(
            f"Could not {action} {where}: this disk does not accept the name ({reason}). "
            "Rename it to something shorter or simpler.",
            path=rel,
            errno=code,
        )
    if reading_dir:
        return FsReadError(
            f"Could not read the folder {where} ({reason}). Its contents are left alone "
            "until it can be read again; check its permissions and the disk.",
            path=rel,
            errno=code,
        )
    if code in _READ_ONLY:
        return FsPermissionError(
            f"Could not {action} {where}: the disk is read-only ({reason}). "
            "Make it writable, or choose another sync folder.",
            path=rel,
            errno=code,
            kind=FsProblem.READ_ONLY,
        )
    if code in _DENIED:
        return FsPermissionError(
            f"Could not {action} {where}: permission denied ({reason}). Check that your "
            "account may change it (permissions, a read-only flag, or a security tool).",
            path=rel,
            errno=code,
        )
    if code in _NOT_EMPTY and action in ("remove", "quarantine"):
        return DirectoryNotEmpty(
            f"Could not {action} the folder {where}: it is not empty. "
            "Something was added to it meanwhile; Coffre will look again.",
            path=rel,
            errno=code,
        )
    return FsError(
        f"Could not {action} {where}: {reason}. Check the disk; Coffre will retry.",
        path=rel,
        errno=code,
    )
