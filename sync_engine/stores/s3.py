"""The `s3://` store: a prefix of a bucket on any S3-compatible server, through `obstore`.

Choices that follow from the `Store` contract (see `base.py`):

- No retry storm here: obstore's transport retries at most once, quickly;
  the resilient wrapper (`resilient.py`) decides what to retry, from the error
  class alone. So every failure is classified precisely, and a refused
  credential or a missing bucket comes back after one request.
- Path-style addressing and plain http allowed for http endpoints: on-premise
  servers (SeaweedFS, Ceph RGW, Garage) are rarely set up for virtual hosts.
- Credentials go through a credential provider, never into obstore's config
  (which is readable from Python), and no credential chain is consulted: an
  unconfigured store sends unsigned requests and gets a clear auth error,
  rather than probing cloud metadata endpoints.
- `put` reads the object's metadata back with a HEAD, so that it returns what
  `head` and `list` will report (S3 does not answer a PUT with a size or date).
- Ranges are read with our own coalescing (`ranges.py`) and one GET per span:
  obstore's `get_ranges` panics on a range past the end of the object, which
  the contract allows.
- S3 ETags are content hashes: rewriting identical bytes keeps the ETag. The
  engine only needs an ETag to change when the content does.
"""

from __future__ import annotations

import asyncio
import builtins
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import obstore
from obstore.exceptions import (
    AlreadyExistsError,
    PermissionDeniedError,
    PreconditionError,
    UnauthenticatedError,
)
from obstore.store import S3Store as _ObS3Store

from . import errors
from .base import (
    ObjectInfo,
    PutMode,
    is_valid_key,
    validate_key,
    validate_prefix,
    validate_range,
)
from .credentials import S3Credentials, Secret
from .errors import (
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreProblem,
    StoreThrottled,
    StoreUnavailable,
)
from .ranges import DEFAULT_COALESCE_GAP, coalesce, split
from .url import S3Spec

if TYPE_CHECKING:
    from obstore import ObjectMeta
    from obstore.store import ClientConfig, RetryConfig, S3Credential

T = TypeVar("T")

DEFAULT_REGION = "us-east-1"
MULTIPART_THRESHOLD = 8 << 20  # larger OVERWRITE payloads go up in parts of this size
CONNECT_TIMEOUT = timedelta(seconds=5)
REQUEST_TIMEOUT = timedelta(seconds=120)  # a 16 MiB pack on a slow uplink
MAX_TRANSPORT_RETRIES = 1  # the resilient wrapper does the real retrying

_STATUS = re.compile(r"status code: (\d{3})")
_CODE = re.compile(r"<Code>([^<]{1,100})</Code>")
_MESSAGE = re.compile(r"<Message>([^<]{1,300})</Message>")

_CREDENTIAL_CODES = frozenset(
    {
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "InvalidToken",
        "ExpiredToken",
        "TokenRefreshRequired",
        "InvalidSecurity",
        "MissingSecurityHeader",
        "AuthFailure",
    }
)
_FULL_CODES = frozenset(
    {
        "QuotaExceeded",
        "XMinioStorageFull",
        "XMinioAdminBucketQuotaExceeded",
        "StorageFull",
        "InsufficientStorage",
        "UserQuotaExceeded",
        "BucketQuotaExceeded",
        "EntityTooLarge",
    }
)
_CONFIG_CODES = frozenset(
    {
        "PermanentRedirect",
        "AuthorizationHeaderMalformed",
        "InvalidBucketName",
        "InvalidRegion",
        "IllegalLocationConstraintException",
        "NotImplemented",
    }
)


class MissingBucket(StoreConfigError):
    """The bucket does not exist: setup tells this apart from other address problems."""

    default_kind = StoreProblem.MISSING_BUCKET


@dataclass(frozen=True, slots=True)
class _Reply:
    """What could be read out of an obstore error (it carries no structured fields)."""

    status: int | None
    code: str
    message: str


def _parse(exc: BaseException) -> _Reply:
    text = str(exc)
    status = _STATUS.search(text)
    code = _CODE.search(text)
    message = _MESSAGE.search(text)
    return _Reply(
        status=int(status.group(1)) if status else None,
        code=code.group(1).strip() if code else "",
        message=message.group(1).strip() if message else "",
    )


def _network_reason(text: str) -> str:
    lowered = text.lower()
    if "connection refused" in lowered:
        return "connection refused (nothing is listening at that address)"
    if "dns error" in lowered or "failed to lookup address" in lowered:
        return "the server name could not be resolved"
    if "timed out" in lowered or "timeout" in lowered:
        return "the request timed out"
    if "reset" in lowered or "broken pipe" in lowered:
        return "the connection was reset"
    if "certificate" in lowered or "tls" in lowered:
        return "the TLS connection failed (check the server certificate)"
    return "the connection failed"


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def credentials_from_env() -> S3Credentials | None:
    """AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), if both are set."""
    key_id = _env("AWS_ACCESS_KEY_ID")
    secret = _env("AWS_SECRET_ACCESS_KEY")
    if key_id is None or secret is None:
        return None
    token = _env("AWS_SESSION_TOKEN")
    return S3Credentials(key_id, Secret(secret), Secret(token) if token else None)


def resolve_endpoint(spec: S3Spec) -> str | None:
    """The spec's endpoint, else AWS_ENDPOINT_URL; None means the provider's default."""
    endpoint = spec.endpoint or _env("AWS_ENDPOINT_URL")
    return endpoint.rstrip("/") if endpoint else None


def resolve_region(spec: S3Spec) -> str:
    return spec.region or _env("AWS_REGION") or _env("AWS_DEFAULT_REGION") or DEFAULT_REGION


class _StaticCredentials:
    """Hands obstore the credentials on demand, so they never sit in its readable config."""

    def __init__(self, credentials: S3Credentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return "_StaticCredentials(***)"

    def __call__(self) -> S3Credential:
        c = self._credentials
        token = c.session_token.reveal() if c.session_token is not None else None
        return {
            "access_key_id": c.access_key_id,
            "secret_access_key": c.secret_access_key.reveal(),
            "token": token,
            "expires_at": None,
        }


class S3Store:
    """A prefix of an S3-compatible bucket."""

    def __init__(
        self,
        spec: S3Spec,
        credentials: S3Credentials | None = None,
        *,
        coalesce_gap: int = DEFAULT_COALESCE_GAP,
        connect_timeout: timedelta = CONNECT_TIMEOUT,
        request_timeout: timedelta = REQUEST_TIMEOUT,
    ) -> None:
        self._spec = spec
        self._url = spec.url
        self._endpoint = resolve_endpoint(spec)
        self._region = resolve_region(spec)
        self._base = spec.prefix.strip("/") + "/" if spec.prefix.strip("/") else ""
        self._coalesce_gap = coalesce_gap
        self._credentials = credentials
        self._secrets = [
            s.reveal()
            for s in (
                credentials.secret_access_key if credentials else None,
                credentials.session_token if credentials else None,
            )
            if s is not None and s.reveal()
        ]
        self._bucket_seen = False  # a request reached the bucket once: it exists

        client: ClientConfig = {
            "connect_timeout": connect_timeout,
            "timeout": request_timeout,
            "allow_http": bool(self._endpoint and self._endpoint.startswith("http://")),
        }
        retry: RetryConfig = {
            "max_retries": MAX_TRANSPORT_RETRIES,
            "backoff": {
                "init_backoff": timedelta(milliseconds=100),
                "max_backoff": timedelta(seconds=1),
                "base": 2,
            },
            "retry_timeout": request_timeout + timedelta(seconds=10),
        }
        options: dict[str, Any] = {
            "region": self._region,
            "virtual_hosted_style_request": False,
        }
        if self._endpoint:
            # Both, since AWS_ENDPOINT_URL_S3 in the environment would win over `endpoint`.
            options["endpoint"] = self._endpoint
            options["aws_endpoint_url_s3"] = self._endpoint
        if credentials is None:
            options["skip_signature"] = True
            provider = None
        else:
            provider = _StaticCredentials(credentials)
        self._store: _ObS3Store | None = _ObS3Store(
            spec.bucket,
            client_options=client,
            retry_config=retry,
            credential_provider=provider,
            **options,
        )

    @classmethod
    def from_spec(cls, spec: S3Spec, credentials: S3Credentials | None = None) -> S3Store:
        """The store for a spec; without credentials, those in the AWS_* environment variables."""
        return cls(spec, credentials if credentials is not None else credentials_from_env())

    def __repr__(self) -> str:
        return f"S3Store({self._url!r})"

    @property
    def url(self) -> str:
        return self._url

    @property
    def endpoint(self) -> str | None:
        return self._endpoint

    @property
    def supports_compare_and_swap(self) -> bool:
        return False

    # -- the Store interface ------------------------------------------------

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        validate_key(key)
        self._check_open()
        view = memoryview(data)
        if view.ndim != 1 or view.format != "B":
            view = view.cast("B")
        path = self._path(key)
        if mode is PutMode.CREATE:
            try:
                await obstore.put_async(self._client(), path, view, mode="create")
            except (AlreadyExistsError, PreconditionError):
                raise errors.exists(self._url, key) from None
            except Exception as exc:
                if _parse(exc).status in (409, 412):
                    raise errors.exists(self._url, key) from None
                raise self._error(exc, "write", key) from None
        else:
            await self._call(
                "write",
                key,
                lambda: obstore.put_async(
                    self._client(),
                    path,
                    view,
                    mode="overwrite",
                    use_multipart=len(view) > MULTIPART_THRESHOLD,
                    chunk_size=MULTIPART_THRESHOLD,
                    max_concurrency=4,
                ),
            )
        self._bucket_seen = True
        return await self.head(key)

    async def get(self, key: str) -> bytes:
        validate_key(key)
        self._check_open()

        async def read() -> bytes:
            result = await obstore.get_async(self._client(), self._path(key))
            return bytes(await result.bytes_async())

        return await self._call("read", key, read)

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        validate_key(key)
        validate_range(start, end)
        self._check_open()
        if start == end:
            await self.head(key)  # same errors as a real read of a missing key
            return b""
        return await self._read_span(key, start, end)

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        validate_key(key)
        asked = [(start, end) for start, end in ranges]
        for start, end in asked:
            validate_range(start, end)
        self._check_open()
        spans = coalesce(asked, self._coalesce_gap)
        if not spans:
            await self.head(key)
            return [b""] * len(asked)
        blobs = await asyncio.gather(*(self._read_span(key, s, e) for s, e in spans))
        return split(asked, spans, blobs)

    async def head(self, key: str) -> ObjectInfo:
        validate_key(key)
        self._check_open()
        meta = await self._call(
            "read", key, lambda: obstore.head_async(self._client(), self._path(key))
        )
        return self._info(key, meta)

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        validate_prefix(prefix)
        self._check_open()
        full = self._base + prefix
        folder = full.rpartition("/")[0]  # obstore lists whole path segments only

        async def fetch() -> Sequence[ObjectMeta]:
            stream = obstore.list(self._client(), prefix=folder or None, chunk_size=1000)
            return await stream.collect_async()

        metas = await self._call("list", prefix or None, fetch)
        found = []
        for meta in metas:
            path = meta["path"]
            if not path.startswith(full):
                continue
            key = path[len(self._base) :]
            if is_valid_key(key):
                found.append(self._info(key, meta))
        found.sort(key=lambda info: info.key)
        return found

    async def delete(self, key: str) -> None:
        validate_key(key)
        self._check_open()
        try:
            await obstore.delete_async(self._client(), self._path(key))
        except FileNotFoundError as exc:
            if _parse(exc).code == "NoSuchBucket":
                raise self._error(exc, "delete", key) from None
            return  # already gone: delete is idempotent
        except Exception as exc:
            raise self._error(exc, "delete", key) from None
        self._bucket_seen = True

    async def close(self) -> None:
        # Drop obstore's client now, while Python runs: its connection pool and the
        # credential callback must not outlive the interpreter (a late callback from a
        # Rust thread during shutdown aborts the process).
        self._store = None

    # -- plumbing -------------------------------------------------------------

    def _check_open(self) -> None:
        self._client()

    def _client(self) -> _ObS3Store:
        if self._store is None:
            raise errors.closed(self._url)
        return self._store

    def _path(self, key: str) -> str:
        return self._base + key

    def _info(self, key: str, meta: ObjectMeta) -> ObjectInfo:
        mtime = meta["last_modified"]
        mtime = mtime.replace(tzinfo=UTC) if mtime.tzinfo is None else mtime.astimezone(UTC)
        etag = meta["e_tag"] or f"{mtime.timestamp():.0f}-{meta['size']:x}"
        return ObjectInfo(key=key, size=meta["size"], etag=etag, mtime=mtime)

    async def _read_span(self, key: str, start: int, end: int) -> bytes:
        """Bytes [start, end) clamped to the object, b"" when start is past its end."""

        async def read() -> bytes:
            try:
                data = await obstore.get_range_async(
                    self._client(), self._path(key), start=start, end=end
                )
            except Exception as exc:
                if _parse(exc).status == 416:  # the object exists but is shorter than start
                    return b""
                raise
            return bytes(data)

        return await self._call("read", key, read)

    async def _call(self, action: str, key: str | None, fn: Callable[[], Awaitable[T]]) -> T:
        try:
            result = await fn()
        except FileNotFoundError as exc:
            raise await self._not_found(exc, action, key) from None
        except StoreError:
            raise
        except Exception as exc:
            raise self._error(exc, action, key) from None
        self._bucket_seen = True
        return result

    async def _not_found(self, exc: FileNotFoundError, action: str, key: str | None) -> StoreError:
        """A 404: a missing object, or the whole bucket missing (a HEAD has no body to tell)."""
        reply = _parse(exc)
        if reply.code == "NoSuchBucket":
            return self._error(exc, action, key)
        if not reply.code and not self._bucket_seen:
            try:
                await obstore.list(self._client(), prefix=None, chunk_size=1).collect_async()
            except Exception as probe:
                if _parse(probe).code == "NoSuchBucket":
                    return self._error(probe, action, key)
            else:
                self._bucket_seen = True
        return errors.not_found(self._url, key or "")

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _error(self, exc: BaseException, action: str, key: str | None) -> StoreError:
        """Translate an obstore failure into the StoreError the engine acts on."""
        err = self._classify(exc, action, key)
        scrubbed = self._scrub(str(err))
        if scrubbed != str(err):
            err.args = (scrubbed,)
        return err

    def _classify(self, exc: BaseException, action: str, key: str | None) -> StoreError:
        url, bucket = self._url, self._spec.bucket
        endpoint = self._endpoint or "the provider's default endpoint"
        what = f"{action} {key!r} in {url}" if key else f"{action} {url}"
        reply = _parse(exc)
        status, code = reply.status, reply.code
        detail = ", ".join(p for p in (f"HTTP {status}" if status else "", code) if p)
        server_says = f" The server said: {reply.message}" if reply.message else ""

        if code == "NoSuchBucket":
            return MissingBucket(
                f"The bucket {bucket!r} does not exist at endpoint {endpoint}; create it or "
                f"check the address ({url}).",
                url=url,
                key=key,
            )
        if status == 507 or code in _FULL_CODES:
            return StoreFull(
                f"Could not {what}: the storage is full or the quota is used up ({detail}). "
                "Free some space or ask your administrator for a larger quota.",
                url=url,
                key=key,
            )
        refused = self._access_refused(exc, what, key, status, code, detail)
        if refused is not None:
            return refused
        if status == 429 or (status == 503 and code == "SlowDown"):
            # obstore's errors carry no response headers, so Retry-After cannot be read
            # here: the wrapper falls back to its own backoff.
            return StoreThrottled(
                f"The S3 store {url} asked Coffre to slow down ({detail}) while trying to "
                f"{action}; Coffre will try again later.",
                url=url,
                key=key,
                retry_after=None,
            )
        if status is not None and status >= 500:
            return StoreUnavailable(
                f"Could not {what}: the S3 server had an error ({detail}); Coffre will try again.",
                url=url,
                key=key,
            )
        if code in _CONFIG_CODES or status in (301, 307, 400):
            return StoreConfigError(
                f"Could not {what}: the S3 server rejected the request ({detail}). Check the "
                f"endpoint ({endpoint}), the region ({self._region}) and the bucket name."
                f"{server_says}",
                url=url,
                key=key,
            )
        if status is None:
            return StoreUnavailable(
                f"Could not {what}: could not reach the S3 server at {endpoint}: "
                f"{_network_reason(str(exc))}. Check the network connection and that the "
                "server is running; Coffre will try again.",
                url=url,
                key=key,
            )
        return StoreError(
            f"Could not {what}: the S3 server answered {detail}.{server_says}", url=url, key=key
        )

    def _access_refused(
        self,
        exc: BaseException,
        what: str,
        key: str | None,
        status: int | None,
        code: str,
        detail: str,
    ) -> StoreAuthError | None:
        """Credentials refused, none given, or lacking permission: what to fix; else None."""
        url, bucket = self._url, self._spec.bucket
        if code in _CREDENTIAL_CODES or (
            status in (401, 403) and code != "AccessDenied" and self._credentials is not None
        ):
            return StoreAuthError(
                f"Could not {what}: the S3 server refused the credentials ({detail}). Check "
                "the access key ID and secret key saved for this store, or set "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
                url=url,
                key=key,
            )
        if status in (401, 403) or isinstance(exc, PermissionDeniedError | UnauthenticatedError):
            if self._credentials is None:
                return StoreAuthError(
                    f"Could not {what}: access denied, and no credentials were given. Save the "
                    "store's access key in Coffre, or set AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY.",
                    url=url,
                    key=key,
                )
            return StoreAuthError(
                f"Could not {what}: access denied ({detail}). The access key "
                f"{self._credentials.access_key_id!r} lacks permission on the bucket {bucket!r}; "
                "ask the storage administrator for read and write access.",
                url=url,
                key=key,
            )
        return None
