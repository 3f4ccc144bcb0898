"""The errors every store raises, whatever the backend.

The engine decides what to do from the class alone: `StoreUnavailable` means
"retry later", `ObjectNotFound` and `ObjectExists` are ordinary outcomes, the
others need a person. What a person reads comes from `reason` (a
`StoreProblem` kind with the store's printable URL), worded by app/messages.py;
the English message says what happened for logs and support. Neither ever
contains a secret.
"""

from __future__ import annotations

from enum import StrEnum

from crypto.reason import Reason


class StoreProblem(StrEnum):
    """What a person is told about a store error (worded in app/messages.py)."""

    ERROR = "store.error"  # anything else: the English detail says what
    NOT_FOUND = "store.object_not_found"
    EXISTS = "store.object_exists"
    UNAVAILABLE = "store.unavailable"
    FOLDER_MISSING = "store.folder_missing"  # the store folder (or its share) is gone
    THROTTLED = "store.throttled"
    AUTH = "store.auth"
    CONFIG = "store.config"
    MISSING_BUCKET = "store.missing_bucket"
    TLS_UNTRUSTED = "store.tls_untrusted"  # the server's certificate is not trusted
    NOT_TLS = "store.not_tls"  # the server does not speak TLS on this port
    FULL = "store.full"
    CLOSED = "store.closed"
    PACK_MISSING = "store.pack_missing"  # a file's content is in a pack the store lost


class StoreError(Exception):
    """Base of every error a store raises."""

    default_kind = StoreProblem.ERROR

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        key: str | None = None,
        kind: StoreProblem | None = None,
    ) -> None:
        super().__init__(message)
        self.url = url
        self.key = key
        self.kind = kind or self.default_kind

    @property
    def reason(self) -> Reason:
        """The kind, the store's printable URL and the English message as `detail`."""
        return Reason.of(self.kind, url=self.url or "", detail=str(self))


class ObjectNotFound(StoreError):
    """The object does not exist (an ordinary outcome, not a failure of the store)."""

    default_kind = StoreProblem.NOT_FOUND


class ObjectExists(StoreError):
    """A create-only write found the object already there; nothing was written."""

    default_kind = StoreProblem.EXISTS


class StoreUnavailable(StoreError):
    """The store cannot be reached right now (unmounted, offline, transient I/O error).

    Never means "empty": the engine must retry later and must not read anything
    into the absence of objects.
    """

    default_kind = StoreProblem.UNAVAILABLE


class StoreThrottled(StoreUnavailable):
    """The store asked us to slow down (HTTP 429, S3 503 SlowDown).

    `retry_after` is the server's hint in seconds (Retry-After), when it gave one.
    """

    default_kind = StoreProblem.THROTTLED

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        key: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, key=key, kind=StoreProblem.THROTTLED)
        self.retry_after = retry_after


class StoreAuthError(StoreError):
    """Permission denied or credentials refused: a person has to fix access rights."""

    default_kind = StoreProblem.AUTH


class StoreConfigError(StoreError):
    """The store address or its configuration is wrong (bad URL, missing bucket...)."""

    default_kind = StoreProblem.CONFIG


class StoreFull(StoreError):
    """No space left or quota exceeded on the store."""

    default_kind = StoreProblem.FULL


# Messages every backend shares, so the same situation reads the same everywhere.


def not_found(url: str, key: str) -> ObjectNotFound:
    return ObjectNotFound(
        f"{key!r} does not exist in the store {url}. Another device may have deleted it, "
        "or the store address may point to the wrong place.",
        url=url,
        key=key,
    )


def exists(url: str, key: str) -> ObjectExists:
    return ObjectExists(
        f"{key!r} already exists in the store {url}, so it was not written again. "
        "Read it back before deciding whether this is your own earlier write.",
        url=url,
        key=key,
    )


def key_conflict(url: str, key: str) -> StoreError:
    return StoreError(
        f"{key!r} cannot be stored in {url}: an object and a folder of objects would share "
        "that name, which a folder store cannot represent. This is a bug in Coffre; "
        "please report it.",
        url=url,
        key=key,
    )


def closed(url: str) -> StoreError:
    return StoreError(
        f"The store {url} was closed; open it again to use it.", url=url, kind=StoreProblem.CLOSED
    )
