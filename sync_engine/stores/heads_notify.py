"""OS notifications on a folder store's `heads/`: another device's new head wakes the live loop.

Why: polling `heads/` every second costs a LIST a second forever; on a folder
store on a local disk the kernel can say the very moment a head is written
(the folder store publishes a head by renaming a temporary file over it).
The live service (sync_engine/live.py) then polls at once, and keeps the timed
poll only as a safety net at the idle interval.

Only where the notifications see every writer: a network share (NFS, SMB,
sshfs...) reports the changes this machine makes, not another machine's, so
there `heads/` is polled as on S3. The rules, first match wins:

    | the store's folder is on                          | notifications |
    |---------------------------------------------------|---------------|
    | a file system type in NETWORK_FS_TYPES            | no            |
    | any FUSE file system (often remote: sshfs, rclone)| no            |
    | a mount this process cannot identify              | no            |
    | Windows: a UNC path or a drive that is not fixed  | no            |
    | any other platform than Linux and Windows         | no (polling)  |
    | otherwise (a local disk)                          | yes           |

The watch is not recursive and filters events at the source: no open or close
events (any reader of the store, a backup tool, would flood the queue), only
what a published or removed head does.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)

log = logging.getLogger(__name__)

HEADS_DIR = "heads"

# Events a new, replaced or removed head causes; deliberately no open/close events.
HEADS_EVENT_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
]

NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "virtiofs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "coda",
    }
)

_DRIVE_FIXED = 3  # GetDriveTypeW


def mount_type(path: str, mounts: str) -> str | None:
    """The type of the file system holding absolute `path`, from a /proc/self/mounts text."""
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _unescape(field: str) -> str:
    """/proc/self/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def notifications_see_others(fs_type: str | None) -> bool:
    """Whether file notifications on this file system also report other machines' writes."""
    if fs_type is None:
        return False
    return fs_type not in NETWORK_FS_TYPES and not fs_type.startswith("fuse")


def on_local_disk(path: Path) -> bool:
    """Whether `path` is on a local disk, as far as this platform can tell (else False)."""
    resolved = str(path.resolve())
    if sys.platform.startswith("linux"):
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        return notifications_see_others(mount_type(resolved, mounts))
    if sys.platform == "win32":  # pragma: no cover - Windows only
        if resolved.startswith("\\\\"):
            return False
        import ctypes

        drive = os.path.splitdrive(resolved)[0] + "\\"
        kernel32: Any = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(drive) == _DRIVE_FIXED)
    return False


def local_heads_folder(store: object) -> Path | None:
    """The `heads/` folder of a folder store on a local disk (through wrappers), else None.

    The folder may not exist yet (no device published a head): watching it then fails,
    and the caller tries again later.
    """
    from .local import LocalStore

    seen = 0
    while not isinstance(store, LocalStore) and seen < 8:  # ResilientStore and kin wrap `inner`
        inner = getattr(store, "inner", None)
        if inner is None:
            return None
        store, seen = inner, seen + 1
    if not isinstance(store, LocalStore):
        return None
    try:
        return store.root / HEADS_DIR if on_local_disk(store.root) else None
    except OSError:
        return None


class HeadsWatch:
    """Calls `on_change` (on the observer's thread) whenever a file in `heads/` changes."""

    def __init__(self, folder: Path, on_change: Callable[[], None]) -> None:
        self.folder = folder
        self._on_change = on_change
        self._observer: Any = None

    def start(self) -> None:
        """Start watching; OSError if the folder cannot be watched (call it off the loop)."""
        from watchdog.observers import Observer

        observer = Observer()
        try:
            observer.schedule(
                _Handler(self._on_change),
                str(self.folder),
                recursive=False,
                event_filter=HEADS_EVENT_FILTER,
            )
            observer.start()
        except OSError:
            _stop(observer)
            raise
        self._observer = observer

    @property
    def running(self) -> bool:
        return self._observer is not None and bool(self._observer.is_alive())

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            _stop(observer)


class _Handler(FileSystemEventHandler):
    def __init__(self, on_change: Callable[[], None]) -> None:
        super().__init__()
        self._on_change = on_change

    def dispatch(self, event: FileSystemEvent) -> None:
        self._on_change()


def _stop(observer: Any) -> None:
    try:
        observer.stop()
        if observer.is_alive():
            observer.join(timeout=5.0)
    except RuntimeError:  # never started
        pass
