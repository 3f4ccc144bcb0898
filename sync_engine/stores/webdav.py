"""The `webdav(s)://` store: one object per file below a WebDAV collection, over httpx.

One `httpx.AsyncClient` per store (per event loop) keeps connections pooled
and speaks HTTP/2 where a TLS server offers it. Timeouts are explicit
(connect 5 s, read/write 120 s). The store never retries: it classifies every
failure precisely (see `_status_error`, `_transport_error`) and the retry
wrapper decides.

How each contract point is met, measured against Apache mod_dav_fs (what the
tests run) under truly parallel writers:

- OVERWRITE is a plain PUT of the final name. Apache, nginx, Nextcloud and
  rclone write the body to a temporary file and rename it over the target,
  so readers see the old or the new object. PUT to a temporary name then
  `MOVE` with `Overwrite: T` is *not* atomic on Apache: mod_dav deletes the
  destination before renaming, and concurrent readers were seen getting 404.
- CREATE uploads to `.tmp-<random>` in the key's collection, then, holding a
  claim, `MOVE`s it to the final name with `Overwrite: F` (412 means the
  object exists). Neither `MOVE` with `Overwrite: F` nor `PUT` with
  `If-None-Match: *` is atomic on Apache (both check, then rename: with 12
  processes racing, several writers "won" in 3 of 40 and 26 of 40 rounds).
  MKCOL is atomic everywhere (mkdir, or a unique row), so the claim is an
  MKCOL of `.claim-<hash of name>`, held only for the MOVE. A writer finding
  the claim taken waits (bounded) for the holder, then sees the object
  (`ObjectExists`) or, if the holder failed, claims it itself. A claim left
  by a crashed writer is broken once it is `CLAIM_STALE` old by the server's
  clock. Temporary and claim names start with '.', so listings never show them.
  A claim whose MKCOL or DELETE reply was lost is taken as still ours by the
  next try (else the key would be blocked for `CLAIM_STALE`); the cost is a
  window where a lost MKCOL that never reached the server meets a concurrent
  creator of the same key, and only Apache's non-atomic MOVE then decides.
- An object and a collection cannot share a name: the PUT or MOVE is refused
  (409/412) and the store tells `key_conflict` from "exists" with a PROPFIND.
  A collection left empty by deletes is removed when an object needs its
  name, so `a` can be written again once `a/b` is gone. `delete` removes
  only objects, never a collection (WebDAV DELETE of a collection is
  recursive), and prunes nothing.
- Missing parent collections are made with MKCOL (405 "already exists" from a
  concurrent writer is success); the ones known to exist are cached.
- `list` walks collections with PROPFIND Depth 1 (Depth infinity is refused
  by many servers), a few at a time. `head` is PROPFIND Depth 0, so its
  size, ETag and mtime are exactly what listings report (a `W/` weak marker
  is dropped: Apache marks ETags weak during the second of a change).
- Ranges: a server answering 200 with the whole body is sliced, 416 (start
  past the end) is `b""`. `get_ranges` coalesces nearby ranges.
- A 404 is checked against the base collection, so a wrong address or a
  deleted base folder is a `StoreConfigError`, never an empty store.

TLS: a private CA is trusted with the `ca_bundle` option of the address
(`webdavs://host/path?ca_bundle=/etc/ssl/org-ca.pem`), the `ca_bundle`
argument, or else the environment variable `COFFRE_CA_BUNDLE`; it is trusted
in addition to the usual public CAs. A certificate that does not verify is a
`StoreConfigError` naming that option. Proxy settings from the environment
(HTTPS_PROXY, NO_PROXY) are honoured.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import hashlib
import os
import secrets
import ssl
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit

import certifi
import httpx

from . import errors
from .base import (
    ObjectInfo,
    PutMode,
    is_valid_key,
    validate_key,
    validate_prefix,
    validate_range,
)
from .credentials import WebDavCredentials
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

if TYPE_CHECKING:
    from .url import WebDavSpec

CA_BUNDLE_ENV = "COFFRE_CA_BUNDLE"
TEMP_PREFIX = ".tmp-"
CLAIM_PREFIX = ".claim-"
CLAIM_STALE = 120.0  # seconds (server clock) after which a claim is a crashed writer's
CLAIM_WAIT = 60.0  # how long a creator waits for another one holding the claim
LIST_CONCURRENCY = 8

_DAV = "{DAV:}"
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/>'
    b"<D:getetag/><D:getlastmodified/></D:prop></D:propfind>"
)
_PROPFIND_HEADERS = {"Content-Type": 'application/xml; charset="utf-8"'}
_EPOCH = datetime.fromtimestamp(0, UTC)
_OK = frozenset({200, 201, 204})
_REFUSED_PLACEMENT = frozenset({400, 404, 409})  # missing parent, or a file/folder in the way


@dataclass(frozen=True, slots=True)
class _Entry:
    """One PROPFIND response: a path relative to the base ('' is the base) and its kind."""

    rel: str
    collection: bool
    size: int
    etag: str
    mtime: datetime


def _ssl_problem(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _etag(value: str | None) -> str:
    value = (value or "").strip()
    return value[2:] if value.startswith("W/") else value


def _printable_url(base_url: str, user: str | None) -> str:
    scheme, rest = base_url.split("://", 1)
    who = f"{quote(user, safe='')}@" if user else ""
    return f"{'webdavs' if scheme == 'https' else 'webdav'}://{who}{rest}"


class WebDavStore:
    """A store in a collection of a WebDAV server (Nextcloud, ownCloud, Apache mod_dav...)."""

    def __init__(
        self,
        base_url: str,
        *,
        credentials: WebDavCredentials | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        coalesce_gap: int = DEFAULT_COALESCE_GAP,
        connect_timeout: float = 5.0,
        read_timeout: float = 120.0,
        max_connections: int = 16,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreConfigError("A WebDAV base URL must be http(s)://host/path/.")
        if parts.username or parts.password:
            raise StoreConfigError(
                "The WebDAV base URL contains credentials; pass them as WebDavCredentials."
            )
        self._base = base_url if base_url.endswith("/") else base_url + "/"
        self._base_path = unquote(urlsplit(self._base).path)
        creds = credentials or WebDavCredentials()
        self._url = _printable_url(self._base, creds.user)
        self._unreleased_claims: set[str] = set()
        self._auth: httpx.Auth | None = None
        self._headers: dict[str, str] = {}
        if creds.bearer_token is not None:
            self._headers["Authorization"] = f"Bearer {creds.bearer_token.reveal()}"
        elif creds.user is not None:
            password = creds.password.reveal() if creds.password else ""
            self._auth = httpx.BasicAuth(creds.user, password)
        bundle = os.fspath(ca_bundle) if ca_bundle else os.environ.get(CA_BUNDLE_ENV) or None
        self._ca_bundle = bundle
        self._verify: ssl.SSLContext | bool = self._ssl_context(bundle) if bundle else True
        self._timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=read_timeout
        )
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        self._coalesce_gap = coalesce_gap
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._collections: set[str] = {""}  # known to exist, relative to the base
        self._closed = False

    @classmethod
    def from_spec(cls, spec: WebDavSpec, credentials: WebDavCredentials | None) -> WebDavStore:
        """The store for a parsed address; credentials default to the address's user/password."""
        if credentials is None and (spec.user or spec.password):
            credentials = WebDavCredentials(user=spec.user, password=spec.password)
        return cls(
            spec.base_url,
            credentials=credentials,
            ca_bundle=spec.ca_bundle,
        )

    def __repr__(self) -> str:
        return f"WebDavStore({self._url!r})"

    @property
    def url(self) -> str:
        return self._url

    @property
    def supports_compare_and_swap(self) -> bool:
        return False

    # -- the Store interface ------------------------------------------------

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        validate_key(key)
        body = data if isinstance(data, bytes) else bytes(data)
        if mode is PutMode.CREATE:
            await self._put_create(key, body)
        else:
            await self._put_overwrite(key, body)
        entry = await self._stat(key)
        if entry is None or entry.collection:
            raise StoreUnavailable(
                f"{key!r} was written to {self._url} but is not there right after; another "
                "device may have deleted it. Coffre will try again.",
                url=self._url,
                key=key,
            )
        return self._info(key, entry)

    async def get(self, key: str) -> bytes:
        validate_key(key)
        response = await self._request("GET", key, action="read", key=key)
        if response.status_code == 200:
            return response.content
        raise await self._error(response, "read", key)

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        validate_key(key)
        validate_range(start, end)
        if start == end:
            await self.head(key)  # same errors as a real read of a missing key
            return b""
        return await self._get_span(key, start, end)

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        validate_key(key)
        asked = [(start, end) for start, end in ranges]
        for start, end in asked:
            validate_range(start, end)
        spans = coalesce(asked, self._coalesce_gap)
        if not spans:
            await self.head(key)
            return [b""] * len(asked)
        blobs = await asyncio.gather(*(self._get_span(key, s, e) for s, e in spans))
        return split(asked, spans, blobs)

    async def head(self, key: str) -> ObjectInfo:
        validate_key(key)
        entry = await self._stat(key)
        if entry is None or entry.collection:
            raise await self._not_found(key)
        return self._info(key, entry)

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        validate_prefix(prefix)
        folder = prefix.rpartition("/")[0]
        found: builtins.list[ObjectInfo] = []
        first = await self._propfind(folder + "/" if folder else "", depth=1, action="list")
        if first is None:
            await self._check_base()
            return []
        limit = asyncio.Semaphore(LIST_CONCURRENCY)

        async def walk(entries: builtins.list[_Entry], here: str) -> None:
            children = []
            for entry in entries:
                rel = entry.rel.rstrip("/")
                if rel == here or not rel.startswith(here) or not is_valid_key(rel):
                    continue  # the collection itself, or temporaries and foreign names
                if entry.collection:
                    if (rel + "/").startswith(prefix):
                        children.append(rel)
                elif rel.startswith(prefix):
                    found.append(self._info(rel, entry))
            async with asyncio.TaskGroup() as group:
                for child in children:
                    group.create_task(visit(child))

        async def visit(rel: str) -> None:
            async with limit:
                entries = await self._propfind(rel + "/", depth=1, action="list")
            if entries is not None:  # None: removed while we walked
                await walk(entries, rel)

        try:
            await walk(first, folder)
        except* StoreError as group:
            raise group.exceptions[0] from None
        found.sort(key=lambda info: info.key)
        return found

    async def delete(self, key: str) -> None:
        validate_key(key)
        entry = await self._stat(key)
        if entry is None:
            await self._check_base()
            return
        if entry.collection:
            return  # a folder of other objects, not an object: WebDAV would delete it all
        response = await self._request(
            "DELETE", key, headers={"Depth": "0"}, action="delete", key=key
        )
        if response.status_code in _OK or response.status_code == 404:
            return
        raise await self._error(response, "delete", key)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        client, loop = self._http, self._loop
        self._http = self._loop = None
        if client is not None and loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                if loop is asyncio.get_running_loop():
                    await client.aclose()

    # -- writing ---------------------------------------------------------------

    async def _put_overwrite(self, key: str, body: bytes) -> None:
        await self._make_parents(key, refresh=False)
        response = await self._request("PUT", key, content=body, action="write", key=key)
        if response.status_code in _REFUSED_PLACEMENT:
            entry = await self._stat(key)
            if entry is not None and entry.collection:
                await self._free_name(key)
            else:
                await self._make_parents(key, refresh=True)
            response = await self._request("PUT", key, content=body, action="write", key=key)
            if response.status_code in _REFUSED_PLACEMENT:
                await self._check_base()
                raise errors.key_conflict(self._url, key)
        if response.status_code not in _OK:
            raise await self._error(response, "write", key)

    async def _put_create(self, key: str, body: bytes) -> None:
        folder, _, name = key.rpartition("/")
        here = folder + "/" if folder else ""
        tmp = here + TEMP_PREFIX + secrets.token_hex(8)
        await self._make_parents(key, refresh=False)
        response = await self._request("PUT", tmp, content=body, action="write", key=key)
        if response.status_code in _REFUSED_PLACEMENT:
            await self._make_parents(key, refresh=True)
            response = await self._request("PUT", tmp, content=body, action="write", key=key)
            if response.status_code in _REFUSED_PLACEMENT:
                await self._check_base()
                raise errors.key_conflict(self._url, key)
        if response.status_code not in _OK:
            raise await self._error(response, "write", key)
        moved = False
        try:
            claim = here + CLAIM_PREFIX + hashlib.sha256(name.encode()).hexdigest()[:32]
            await self._acquire_claim(claim, key)
            try:
                moved = await self._move_new(tmp, key)
            finally:
                await self._release_claim(claim)
        finally:
            if not moved:
                await self._release(tmp)

    async def _move_new(self, tmp: str, key: str) -> bool:
        """MOVE the finished temp to `key` unless something is there; True once moved."""
        for attempt in range(2):
            response = await self._request(
                "MOVE",
                tmp,
                headers={"Destination": self._href(key), "Overwrite": "F"},
                action="write",
                key=key,
            )
            if response.status_code in _OK:
                return True
            if response.status_code != 412:
                raise await self._error(response, "write", key)
            entry = await self._stat(key)
            if entry is None and attempt == 0:
                continue  # deleted between the MOVE and our look: try once more
            if entry is None or not entry.collection:
                raise errors.exists(self._url, key)
            if attempt == 0:
                await self._free_name(key)
        raise errors.key_conflict(self._url, key)

    async def _acquire_claim(self, claim: str, key: str) -> None:
        """Hold the creation claim on `key`, or raise ObjectExists once its creator is done."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLAIM_WAIT
        delay = 0.01
        while True:
            try:
                response = await self._request("MKCOL", claim + "/", action="write", key=key)
            except StoreUnavailable:
                # The MKCOL may have made the claim with only its reply lost: then it is
                # ours, and waiting on it would block this key for CLAIM_STALE.
                self._unreleased_claims.add(claim)
                raise
            if response.status_code in _OK:
                return
            if not await self._mkcol_found_existing(response, claim, key):
                raise await self._error(response, "write", key)
            if claim in self._unreleased_claims:
                return  # ours: an earlier try could not release it, so we still hold it
            entry = await self._stat(key)
            if entry is not None and not entry.collection:
                raise errors.exists(self._url, key)  # its creator is done
            held = await self._propfind_raw(claim + "/", depth=0, action="write", key=key)
            if held is not None:
                entries, server_now = held
                since = entries[0].mtime if entries else None
                if server_now and since and (server_now - since).total_seconds() > CLAIM_STALE:
                    await self._release(claim + "/")  # its writer crashed long ago
                    continue
            if loop.time() > deadline:
                raise StoreUnavailable(
                    f"Another device has been writing {key!r} to {self._url} for more than "
                    f"{CLAIM_WAIT:.0f} seconds. Coffre will try again.",
                    url=self._url,
                    key=key,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)

    async def _mkcol_found_existing(self, response: httpx.Response, rel: str, key: str) -> bool:
        """Whether a refused MKCOL of `rel` met an existing collection.

        405 says so; Apache answers 403 instead when a concurrent MKCOL of the
        same name wins the race inside the server (mkdir fails with EEXIST).
        """
        if response.status_code == 405:
            return True
        if response.status_code != 403:
            return False
        entries = await self._propfind(rel + "/", depth=0, action="write", key=key)
        return bool(entries) and entries is not None and entries[0].collection

    async def _release_claim(self, claim: str) -> None:
        """Give the claim up; one we could not delete is remembered as still ours.

        Otherwise a lost DELETE would block this very key for `CLAIM_STALE`,
        and every retry of the create would wait `CLAIM_WAIT` for ourselves.
        """
        try:
            response = await self._request("DELETE", claim + "/", action="clean up", key=None)
        except StoreError:
            self._unreleased_claims.add(claim)
            return
        if response.status_code in _OK or response.status_code == 404:
            self._unreleased_claims.discard(claim)
        else:
            self._unreleased_claims.add(claim)

    async def _release(self, rel: str) -> None:
        """Delete a temporary or claim of ours; a leftover is invisible, so failure is moot."""
        with contextlib.suppress(StoreError):
            await self._request("DELETE", rel, action="clean up", key=None)

    async def _free_name(self, key: str) -> None:
        """Remove the collection at `key` if it holds no objects, else refuse the key."""
        entries = await self._propfind(key + "/", depth=1, action="write", key=key)
        if entries is None:
            return
        for entry in entries:
            rel = entry.rel.rstrip("/")
            if rel != key and not rel.rpartition("/")[2].startswith("."):
                raise errors.key_conflict(self._url, key)
        response = await self._request("DELETE", key + "/", action="write", key=key)
        if response.status_code not in _OK and response.status_code != 404:
            raise await self._error(response, "write", key)
        self._collections = {c for c in self._collections if c != key and not c.startswith(key)}

    async def _make_parents(self, key: str, *, refresh: bool) -> None:
        """MKCOL every collection above `key` not known to exist (all of them if `refresh`)."""
        segments = key.split("/")[:-1]
        levels = ["/".join(segments[: i + 1]) for i in range(len(segments))]
        if not refresh and all(level in self._collections for level in levels):
            return
        for level in levels:
            if level in self._collections and not refresh:
                continue
            response = await self._request("MKCOL", level + "/", action="write", key=key)
            if response.status_code in _OK or await self._mkcol_found_existing(
                response, level, key
            ):
                self._collections.add(level)  # made meanwhile by another writer
                continue
            if response.status_code in _REFUSED_PLACEMENT:
                self._collections.discard(level)
                await self._check_base()
                raise errors.key_conflict(self._url, key)
            raise await self._error(response, "write", key)

    # -- reading ---------------------------------------------------------------

    async def _get_span(self, key: str, start: int, end: int) -> bytes:
        response = await self._request(
            "GET", key, headers={"Range": f"bytes={start}-{end - 1}"}, action="read", key=key
        )
        if response.status_code == 206:
            got = response.headers.get("Content-Range", "")
            if not got.startswith(f"bytes {start}-"):
                raise StoreUnavailable(
                    f"The WebDAV server {self._url} answered a read of {key!r} with the wrong "
                    f"part ({got!r}). Coffre will try again.",
                    url=self._url,
                    key=key,
                )
            return response.content[: end - start]
        if response.status_code == 200:  # the whole object: the server ignores ranges
            return response.content[start:end]
        if response.status_code == 416:
            return b""
        raise await self._error(response, "read", key)

    async def _stat(self, key: str) -> _Entry | None:
        """The PROPFIND Depth 0 entry of `key`, or None if nothing is there."""
        entries = await self._propfind(key, depth=0, action="read", key=key)
        for entry in entries or []:
            if entry.rel.rstrip("/") == key:
                return entry
        return None

    async def _propfind(
        self, rel: str, *, depth: int, action: str, key: str | None = None
    ) -> builtins.list[_Entry] | None:
        result = await self._propfind_raw(rel, depth=depth, action=action, key=key)
        return None if result is None else result[0]

    async def _propfind_raw(
        self, rel: str, *, depth: int, action: str, key: str | None
    ) -> tuple[builtins.list[_Entry], datetime | None] | None:
        """PROPFIND entries and the server's clock, or None on 404."""
        response = await self._request(
            "PROPFIND",
            rel,
            headers={**_PROPFIND_HEADERS, "Depth": str(depth)},
            content=_PROPFIND_BODY,
            action=action,
            key=key,
        )
        if response.status_code == 404:
            return None
        if response.status_code != 207:
            raise await self._error(response, action, key)
        return self._parse_multistatus(response), _http_date(response.headers.get("Date"))

    def _parse_multistatus(self, response: httpx.Response) -> builtins.list[_Entry]:
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError:
            raise StoreUnavailable(
                f"The WebDAV server {self._url} sent a listing that is not valid XML. "
                "Coffre will try again.",
                url=self._url,
            ) from None
        entries: builtins.list[_Entry] = []
        for item in root.iter(f"{_DAV}response"):
            href = item.findtext(f"{_DAV}href")
            if not href:
                continue
            path = unquote(urlsplit(urljoin(str(response.url), href.strip())).path)
            if not path.startswith(self._base_path) and path + "/" != self._base_path:
                continue
            rel = path[len(self._base_path) :]
            props: dict[str, ET.Element] = {}
            for propstat in item.iter(f"{_DAV}propstat"):
                status = propstat.findtext(f"{_DAV}status") or ""
                prop = propstat.find(f"{_DAV}prop")
                if prop is None or " 200" not in status:
                    continue
                for child in prop:
                    props[child.tag] = child
            kind = props.get(f"{_DAV}resourcetype")
            collection = kind is not None and kind.find(f"{_DAV}collection") is not None
            length = props.get(f"{_DAV}getcontentlength")
            try:
                size = int((length.text or "0").strip()) if length is not None else 0
            except ValueError:
                size = 0
            tag = props.get(f"{_DAV}getetag")
            modified = props.get(f"{_DAV}getlastmodified")
            mtime = _http_date(modified.text if modified is not None else None) or _EPOCH
            entries.append(
                _Entry(rel, collection, size, _etag(tag.text if tag is not None else None), mtime)
            )
        return entries

    def _info(self, key: str, entry: _Entry) -> ObjectInfo:
        return ObjectInfo(key=key, size=entry.size, etag=entry.etag, mtime=entry.mtime)

    # -- HTTP plumbing ----------------------------------------------------------

    def _href(self, rel: str) -> str:
        return self._base + quote(rel, safe="/")

    def _client(self) -> httpx.AsyncClient:
        """The pooled client of the running event loop (a loop's sockets are its own)."""
        if self._closed:
            raise errors.closed(self._url)
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._http = httpx.AsyncClient(
                auth=self._auth,
                headers=self._headers,
                verify=self._verify,
                http2=True,
                timeout=self._timeout,
                limits=self._limits,
                follow_redirects=False,
                trust_env=True,  # corporate proxies (HTTPS_PROXY, NO_PROXY)
            )
            self._loop = loop
        return self._http

    def _ssl_context(self, bundle: str) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=certifi.where())
        try:
            context.load_verify_locations(cafile=bundle)
        except (OSError, ssl.SSLError) as exc:
            raise StoreConfigError(
                f"The CA bundle {bundle!r} for {self._url} cannot be used ({exc}). Give the "
                "path of a readable PEM file with your organisation's CA certificate.",
                url=self._url,
            ) from None
        return context

    async def _request(
        self,
        method: str,
        rel: str,
        *,
        action: str,
        key: str | None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        client = self._client()
        try:
            return await client.request(method, self._href(rel), headers=headers, content=content)
        except httpx.TransportError as exc:
            raise self._transport_error(exc, action, key) from None

    def _transport_error(
        self, exc: httpx.TransportError, action: str, key: str | None
    ) -> StoreError:
        what = f"{action} {key!r} in" if key else f"{action}"
        problem = _ssl_problem(exc)
        if isinstance(problem, ssl.SSLCertVerificationError):
            reason = problem.verify_message or problem.reason or "verification failed"
            return StoreConfigError(
                f"Could not {what} {self._url}: the server's TLS certificate is not trusted "
                f"({reason}). If your organisation uses its own certificate authority, give "
                "its CA certificate (a PEM file) with the address option "
                "?ca_bundle=/path/to/ca.pem or the COFFRE_CA_BUNDLE environment variable.",
                url=self._url,
                key=key,
                kind=StoreProblem.TLS_UNTRUSTED,
            )
        if problem is not None and problem.reason in ("WRONG_VERSION_NUMBER", "HTTP_REQUEST"):
            return StoreConfigError(
                f"Could not {what} {self._url}: the server does not speak TLS on this port. "
                "Check the address: webdav:// is plain HTTP, webdavs:// is HTTPS.",
                url=self._url,
                key=key,
                kind=StoreProblem.NOT_TLS,
            )
        if isinstance(exc, httpx.TimeoutException):
            reason = "the server did not answer in time"
        elif isinstance(exc, httpx.ConnectError):
            reason = "cannot connect to the server"
        elif isinstance(exc, httpx.UnsupportedProtocol):
            return StoreConfigError(f"Could not {what} {self._url}: {exc}.", url=self._url)
        else:
            reason = f"the connection failed ({type(exc).__name__})"
        return StoreUnavailable(
            f"Could not {what} {self._url}: {reason}. Check the network connection and "
            "that the server is running; Coffre will try again.",
            url=self._url,
            key=key,
        )

    async def _error(self, response: httpx.Response, action: str, key: str | None) -> StoreError:
        """The StoreError for an unexpected answer (404 is checked against the base)."""
        if response.status_code == 404 and key is not None:
            return await self._not_found(key)
        return self._status_error(response, action, key)

    def _status_error(self, response: httpx.Response, action: str, key: str | None) -> StoreError:
        code = response.status_code
        what = f"{action} {key!r} in" if key else f"{action}"
        prefix = f"Could not {what} {self._url}: the server answered HTTP {code}"
        if code == 401:
            return StoreAuthError(
                f"{prefix} (not authenticated). Check the user name and password (or token) "
                "for this server.",
                url=self._url,
                key=key,
            )
        if code == 403:
            return StoreAuthError(
                f"{prefix} (forbidden). Check that this account may read and write the folder.",
                url=self._url,
                key=key,
            )
        if code == 404:
            return self._base_missing()
        if code in (429, 503):
            return StoreThrottled(
                f"{prefix}: it is busy or asks to slow down. Coffre will try again.",
                url=self._url,
                key=key,
                retry_after=_retry_after(response),
            )
        if code == 507:
            return StoreFull(
                f"{prefix} (insufficient storage): the quota is used up or the disk is full. "
                "Free some space or ask your administrator for a larger quota.",
                url=self._url,
                key=key,
            )
        if code == 413:
            return StoreConfigError(
                f"{prefix} (request too large): the server limits the size of uploads. Ask "
                "your administrator to raise the limit.",
                url=self._url,
                key=key,
            )
        if code in (301, 302, 303, 307, 308):
            return StoreConfigError(
                f"{prefix} (redirect). Check the address; the server points elsewhere.",
                url=self._url,
                key=key,
            )
        if code == 423 or code >= 500:
            return StoreUnavailable(f"{prefix}. Coffre will try again.", url=self._url, key=key)
        return StoreError(f"{prefix}.", url=self._url, key=key)

    def _base_missing(self) -> StoreConfigError:
        return StoreConfigError(
            f"The WebDAV folder {self._url} does not exist on the server. Create the folder, "
            "or fix the address.",
            url=self._url,
        )

    async def _check_base(self) -> None:
        """Raise unless the base collection exists (so missing never reads as empty)."""
        response = await self._request(
            "PROPFIND",
            "",
            headers={**_PROPFIND_HEADERS, "Depth": "0"},
            content=_PROPFIND_BODY,
            action="open",
            key=None,
        )
        if response.status_code == 404:
            raise self._base_missing()
        if response.status_code != 207:
            raise self._status_error(response, "open", None)
        entries = self._parse_multistatus(response)
        if entries and not entries[0].collection:
            raise StoreConfigError(
                f"The WebDAV address {self._url} is a file, not a folder. Point Coffre at "
                "the vault's folder.",
                url=self._url,
            )

    async def _not_found(self, key: str) -> StoreError:
        await self._check_base()
        return errors.not_found(self._url, key)
