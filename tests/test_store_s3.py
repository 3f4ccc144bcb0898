"""The S3 backend against a real SeaweedFS: what the shared contract tests cannot show.

Multipart uploads, how each kind of failure is classified (the resilient
wrapper retries on the class alone), that no secret reaches a message, and
how the store is found from an address and the environment. Failures that
SeaweedFS does not produce on demand (throttling, quota, 5xx) come from a
small HTTP server on 127.0.0.1 that answers like S3 does.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from sync_engine.stores import (
    ObjectExists,
    ObjectNotFound,
    PutMode,
    S3Credentials,
    S3Spec,
    Secret,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreThrottled,
    StoreUnavailable,
    open_store,
    parse_store_url,
)
from sync_engine.stores.s3 import S3Store
from tests.servers.seaweedfs import TEST_BUCKET, SeaweedFS, free_ports

AWS_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


@pytest.fixture(autouse=True)
def _clean_aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AWS_VARS:
        monkeypatch.delenv(name, raising=False)


def _prefix() -> str:
    return f"s3t-{secrets.token_hex(6)}"


async def test_multipart_round_trip_and_ranges(seaweedfs: SeaweedFS) -> None:
    store = seaweedfs.store(prefix=_prefix())
    data = os.urandom(20 << 20)
    info = await store.put("packs/ab/big", memoryview(data))
    # A multipart upload's ETag is "<md5 of the part md5s>-<number of parts>".
    assert info.etag.strip('"').endswith("-3"), info.etag
    assert info.size == len(data)
    assert await store.get("packs/ab/big") == data
    mib = 1 << 20
    assert (
        await store.get_range("packs/ab/big", 9 * mib - 5, 9 * mib + 5)
        == data[9 * mib - 5 : 9 * mib + 5]
    )
    assert await store.get_range("packs/ab/big", 20 * mib - 3, 30 * mib) == data[-3:]
    ranges = [(0, 10), (5 * mib, 5 * mib + 100), (19 * mib, 21 * mib), (25 * mib, 26 * mib)]
    assert await store.get_ranges("packs/ab/big", ranges) == [data[s:e] for s, e in ranges]
    # CREATE of a large object is one conditional PUT, and stays create-only.
    await store.put("packs/ab/big2", data[: 17 << 20], mode=PutMode.CREATE)
    with pytest.raises(ObjectExists):
        await store.put("packs/ab/big2", b"x", mode=PutMode.CREATE)
    await store.close()


async def test_wrong_secret_is_an_auth_error_at_once(seaweedfs: SeaweedFS) -> None:
    wrong = "Wr0ngSecret-" + secrets.token_hex(8)
    store = S3Store(
        S3Spec(TEST_BUCKET, _prefix(), seaweedfs.endpoint),
        S3Credentials(seaweedfs.access_key, Secret(wrong)),
    )
    for call in (store.list(""), store.get("heads/x"), store.put("heads/x", b"1")):
        started = time.monotonic()
        with pytest.raises(StoreAuthError) as exc_info:
            await call
        assert time.monotonic() - started < 2.0, "no retries on refused credentials"
        message = str(exc_info.value)
        assert wrong not in message and seaweedfs.secret_key not in message
        assert store.url in message and "AWS_SECRET_ACCESS_KEY" in message
    # HEAD answers carry no body to tell why; still an auth error, never "not found".
    with pytest.raises(StoreAuthError):
        await store.head("heads/x")


async def test_read_only_identity_cannot_write(seaweedfs: SeaweedFS) -> None:
    prefix = _prefix()
    writer = seaweedfs.store(prefix=prefix)
    await writer.put("heads/dev", b"1")
    spec = S3Spec(TEST_BUCKET, prefix, seaweedfs.endpoint)
    reader = S3Store(spec, seaweedfs.reader_credentials())
    assert await reader.get("heads/dev") == b"1"
    with pytest.raises(StoreAuthError, match="access denied") as exc_info:
        await reader.put("heads/dev", b"2")
    assert seaweedfs.reader_access_key in str(exc_info.value)
    assert seaweedfs.reader_secret_key not in str(exc_info.value)
    assert await writer.get("heads/dev") == b"1"


async def test_no_credentials_anywhere(seaweedfs: SeaweedFS) -> None:
    store = S3Store.from_spec(S3Spec(TEST_BUCKET, _prefix(), seaweedfs.endpoint))
    with pytest.raises(StoreAuthError) as exc_info:
        await store.list("")
    assert "no credentials" in str(exc_info.value) and "AWS_ACCESS_KEY_ID" in str(exc_info.value)


async def test_missing_bucket_is_a_config_error(seaweedfs: SeaweedFS) -> None:
    store = S3Store(S3Spec("no-such-bucket", "v", seaweedfs.endpoint), seaweedfs.credentials())
    calls = [
        lambda: store.list(""),
        lambda: store.get("coffre.json"),
        lambda: store.head("coffre.json"),  # a HEAD's 404 has no body: the store checks
        lambda: store.get_range("coffre.json", 0, 10),
        lambda: store.put("coffre.json", b"{}", mode=PutMode.CREATE),
        lambda: store.put("heads/x", b"1"),
        lambda: store.delete("heads/x"),
    ]
    for call in calls:
        started = time.monotonic()
        with pytest.raises(StoreConfigError) as exc_info:
            await call()
        assert time.monotonic() - started < 2.0
        message = str(exc_info.value)
        assert "'no-such-bucket' does not exist" in message and seaweedfs.endpoint in message


async def test_missing_object_in_existing_bucket(seaweedfs: SeaweedFS) -> None:
    store = seaweedfs.store(prefix=_prefix())
    with pytest.raises(ObjectNotFound):
        await store.head("coffre.json")  # the first request: the bucket check runs
    with pytest.raises(ObjectNotFound):
        await store.get_range("coffre.json", 5, 10)


async def test_nothing_listening_is_unavailable() -> None:
    (port,) = free_ports(1)
    store = S3Store(
        S3Spec(TEST_BUCKET, "v", f"http://127.0.0.1:{port}"),
        S3Credentials("key", Secret("s3cret-value")),
    )
    for call in (store.list(""), store.get("a"), store.put("a", b"x", mode=PutMode.CREATE)):
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as exc_info:
            await call
        assert time.monotonic() - started < 5.0
        assert "connection refused" in str(exc_info.value)
        assert "s3cret-value" not in str(exc_info.value)


async def test_concurrent_create_from_several_stores(seaweedfs: SeaweedFS) -> None:
    prefix = _prefix()
    stores = [seaweedfs.store(prefix=prefix) for _ in range(5)]

    async def attempt(i: int) -> bool:
        try:
            await stores[i].put("log/dev/1", f"writer {i}".encode(), mode=PutMode.CREATE)
        except ObjectExists:
            return False
        return True

    outcomes = await asyncio.gather(*(attempt(i) for i in range(len(stores))))
    assert outcomes.count(True) == 1
    assert await stores[0].get("log/dev/1") == f"writer {outcomes.index(True)}".encode()


async def test_open_store_from_an_address(seaweedfs: SeaweedFS) -> None:
    prefix = _prefix()
    spec = parse_store_url(f"s3://{TEST_BUCKET}/{prefix}?endpoint={seaweedfs.endpoint}")
    store = open_store(spec, seaweedfs.credentials())
    assert store.url == f"s3://{TEST_BUCKET}/{prefix}?endpoint={seaweedfs.endpoint}"
    await store.put("heads/dev", b"hello")
    assert [i.key for i in await store.list("heads/")] == ["heads/dev"]
    # The prefix is a real boundary: a sibling prefix sees nothing of it.
    sibling = seaweedfs.store(prefix=prefix + "x")
    assert await sibling.list("") == []


async def test_endpoint_and_credentials_from_the_environment(
    seaweedfs: SeaweedFS, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", seaweedfs.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", seaweedfs.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seaweedfs.secret_key)
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    spec = parse_store_url(f"s3://{TEST_BUCKET}/{_prefix()}")
    assert isinstance(spec, S3Spec)
    assert S3Store.from_spec(spec).endpoint == seaweedfs.endpoint
    store = open_store(spec)
    await store.put("a", b"1")
    assert await store.get("a") == b"1"
    assert seaweedfs.secret_key not in repr(store) and seaweedfs.secret_key not in store.url


async def test_server_killed_then_back(seaweedfs: SeaweedFS) -> None:
    store = seaweedfs.store(prefix=_prefix())
    await store.put("heads/dev", b"before")
    seaweedfs.kill()
    try:
        with pytest.raises(StoreUnavailable):
            await store.get("heads/dev")
    finally:
        seaweedfs.start()
    assert await store.get("heads/dev") == b"before"


# ----------------------------------------------------------------------------
# Failures SeaweedFS does not produce on demand: a server that answers like S3
# ----------------------------------------------------------------------------


def _s3_error(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()


class _Canned(BaseHTTPRequestHandler):
    """Answers every request with the status and S3 error code named by the bucket."""

    answers: ClassVar[dict[str, tuple[int, str, dict[str, str]]]] = {
        "slow": (503, "SlowDown", {"Retry-After": "7"}),
        "many": (429, "TooManyRequests", {}),
        "broken": (500, "InternalError", {}),
        "full": (403, "QuotaExceeded", {}),
        "insufficient": (507, "InsufficientStorage", {}),
        "denied": (403, "AccessDenied", {}),
    }
    counts: ClassVar[dict[str, int]] = {}  # one server per test module

    def _answer(self) -> None:
        bucket = self.path.lstrip("/").split("/")[0].split("?")[0]
        _Canned.counts[bucket] = _Canned.counts.get(bucket, 0) + 1
        status, code, headers = self.answers.get(bucket, (404, "NoSuchKey", {}))
        body = _s3_error(code, f"canned {code}")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def canned() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("bucket", "error", "max_requests"),
    [
        ("slow", StoreThrottled, 2),
        ("many", StoreThrottled, 2),
        ("broken", StoreUnavailable, 2),
        ("full", StoreFull, 1),
        ("insufficient", StoreFull, 2),
        ("denied", StoreAuthError, 1),
    ],
)
async def test_failure_classes(
    canned: str, bucket: str, error: type[StoreError], max_requests: int
) -> None:
    store = S3Store(S3Spec(bucket, "v", canned), S3Credentials("key", Secret("s3cret-value")))
    _Canned.counts[bucket] = 0
    with pytest.raises(error) as exc_info:
        await store.get("heads/dev")
    assert type(exc_info.value) is error
    # The transport retries at most once; the resilient wrapper does the rest.
    assert 1 <= _Canned.counts[bucket] <= max_requests
    assert store.url in str(exc_info.value) and "s3cret-value" not in str(exc_info.value)
    if error is StoreThrottled:
        assert isinstance(exc_info.value, StoreUnavailable)  # retryable, like any outage
