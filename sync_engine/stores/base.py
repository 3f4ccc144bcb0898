"""The store interface: the only way the engine talks to storage.

A store is deliberately dumb (docs/ARCHITECTURE.md section 1): put, get with byte ranges,
head, list by prefix, delete. Every backend (a folder, S3, WebDAV, the
in-memory store of the simulator) has the same semantics, which the shared
contract tests in `tests/test_stores.py` pin down:

- Keys are '/'-separated relative names such as `packs/ab/<hex>`. They are
  restricted to a portable alphabet (see `validate_key`) so that a key means
  the same object on a case-insensitive SMB share, on Windows and on S3.
  A key cannot be both an object and the "folder" of other objects
  (`a` and `a/b`): a folder store cannot represent that, so the engine's key
  layout never asks for it, and the stores with real folders refuse it (S3,
  whose keys are flat, does not spend requests checking).
- `put` is atomic: readers see the old object or the new one, never a mix.
  `PutMode.CREATE` is atomic create-only: of many concurrent writers exactly
  one succeeds, the others get `ObjectExists`.
- Ranges are half-open `[start, end)` and follow slicing: an `end` past the
  object's size is clamped, a `start` past it yields `b""`. This lets the
  engine read "up to n bytes" without a HEAD; it must check lengths anyway,
  because the store is not trusted.
- `list` has object-store prefix semantics: a plain string prefix (`"heads/"`,
  or `"packs/a"` matching `packs/ab/...`), recursive, sorted by key.
- A store that cannot be reached raises `StoreUnavailable`, never an empty
  answer: the engine would read emptiness as "everything was deleted".
"""

from __future__ import annotations

import builtins
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

MAX_KEY_LEN = 1024  # S3's limit, so a key valid here is valid on every backend
MAX_SEGMENT_LEN = 255  # file-name limit of common file systems

_SEGMENT = re.compile(r"[a-z0-9_-][a-z0-9._-]*")
_PARTIAL = re.compile(r"[a-z0-9._-]*")
# Names Windows (and so SMB shares served by Windows) cannot create, with or without extension.
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


class PutMode(enum.Enum):
    """How `put` treats an existing object."""

    OVERWRITE = "overwrite"  # single-writer objects such as heads/<device>
    CREATE = "create"  # immutable objects: fail with ObjectExists if present


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """What a store knows about one object.

    `etag` is opaque: compare it for equality only. It changes whenever the
    object's content changes, which is how the engine notices a new head (every
    new head has new content; S3's etag, an MD5, stays the same for equal bytes).
    """

    key: str
    size: int
    etag: str
    mtime: datetime  # timezone-aware, UTC


@runtime_checkable
class Store(Protocol):
    """An object store as the engine sees it. All methods may raise `StoreError`s."""

    @property
    def url(self) -> str:
        """Where the store is, for messages; never contains a secret."""
        ...

    @property
    def supports_compare_and_swap(self) -> bool:
        """Whether conditional overwrite (If-Match) is available; the design never needs it."""
        ...

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        """Write the whole object atomically.

        `data` must not change until this returns (memoryviews are not copied).
        An error does not prove that nothing was written: the acknowledgement
        may be what was lost, so a retried CREATE can meet its own object as
        `ObjectExists`.
        """
        ...

    async def get(self, key: str) -> bytes:
        """Read the whole object."""
        ...

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        """Read bytes `[start, end)`; `end` past the size is clamped."""
        ...

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        """Read several ranges of one object, in the order asked (may coalesce requests)."""
        ...

    async def head(self, key: str) -> ObjectInfo:
        """Size, etag and mtime of one object."""
        ...

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        """Every object whose key starts with `prefix`, recursively, sorted by key."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing object is not an error."""
        ...

    async def close(self) -> None:
        """Release resources; later calls raise `StoreError`. Closing twice is fine."""
        ...


def _check_segment(seg: str, key: str) -> None:
    if seg == "":
        raise ValueError(f"invalid store key {key!r}: empty path segment")
    if seg in (".", ".."):
        raise ValueError(f"invalid store key {key!r}: '.' and '..' segments are not allowed")
    if not _SEGMENT.fullmatch(seg) or seg.endswith("."):
        raise ValueError(
            f"invalid store key {key!r}: segment {seg!r} must use only lowercase letters, "
            "digits, '.', '_' and '-', and not start or end with '.'"
        )
    if len(seg) > MAX_SEGMENT_LEN:
        raise ValueError(f"invalid store key {key!r}: segment longer than {MAX_SEGMENT_LEN}")
    if seg.split(".", 1)[0] in _WINDOWS_RESERVED:
        raise ValueError(f"invalid store key {key!r}: {seg!r} is a reserved name on Windows")


def _check_common(key: str, what: str) -> None:
    if not isinstance(key, str):
        raise TypeError(f"store {what} must be str, not {type(key).__name__}")
    if key.startswith("/"):
        raise ValueError(f"invalid store {what} {key!r}: must be relative, not absolute")
    if "\\" in key:
        raise ValueError(f"invalid store {what} {key!r}: use '/' as separator, not '\\'")
    if len(key) > MAX_KEY_LEN:
        raise ValueError(f"invalid store {what}: longer than {MAX_KEY_LEN} characters")


def validate_key(key: str) -> str:
    """Return `key` if it is a valid object key, else raise ValueError.

    The alphabet is lowercase ASCII on purpose: two keys differing only in
    case would be one file on a case-insensitive share, and a leading '.' is
    reserved for the folder store's temporary files.
    """
    _check_common(key, "key")
    if key == "":
        raise ValueError("invalid store key: empty")
    for seg in key.split("/"):
        _check_segment(seg, key)
    return key


def is_valid_key(key: str) -> bool:
    """Whether `key` passes `validate_key`; listings skip anything that does not."""
    try:
        validate_key(key)
    except (ValueError, TypeError):
        return False
    return True


def validate_prefix(prefix: str) -> str:
    """Return `prefix` if it can start a valid key ("" lists everything), else raise ValueError."""
    _check_common(prefix, "prefix")
    if prefix == "":
        return prefix
    segments = prefix.split("/")
    last = segments.pop()  # "" when the prefix ends with '/'
    for seg in segments:
        _check_segment(seg, prefix)
    if not _PARTIAL.fullmatch(last) or last.startswith("."):
        raise ValueError(
            f"invalid store prefix {prefix!r}: use only lowercase letters, digits, '.', '_', "
            "'-' and '/', not starting a segment with '.'"
        )
    return prefix


def validate_range(start: int, end: int) -> None:
    """Raise ValueError unless `0 <= start <= end` (both plain ints)."""
    for v in (start, end):
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"range bounds must be int, not {type(v).__name__}")
    if not 0 <= start <= end:
        raise ValueError(f"invalid byte range [{start}, {end}): need 0 <= start <= end")
