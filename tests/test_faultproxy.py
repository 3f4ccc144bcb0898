"""The fault proxy itself, against a plain real HTTP server (http.server in a thread).

The proxy is test equipment the fault tests trust: it must forward faithfully
when healed (keep-alive, chunked replies, HEAD), inject exactly the faults
asked for, never corrupt a byte it forwards, and replay one decision
sequence per seed.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.faultproxy import FaultPlan, FaultProxy

TIMEOUT = 10.0


def pattern(n: int) -> bytes:
    """n deterministic, position-dependent bytes (a shifted or cut copy never matches)."""
    block = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(2048))
    out = block * (n // len(block) + 1)
    return out[:n]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: list[tuple[str, str]] = []
        self.objects: dict[str, bytes] = {}
        self.incomplete: list[str] = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as S3 and WebDAV servers do
    disable_nagle_algorithm = True  # head and body go out in two writes
    server: Server

    def setup(self) -> None:
        super().setup()
        with self.server.rec.lock:
            self.server.rec.connections += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> None:
        with self.server.rec.lock:
            self.server.rec.requests.append((self.command, self.path))

    def _reply(self, status: int, body: bytes, *, head: bool = False, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._record()
        kind, _, arg = self.path.strip("/").partition("/")
        if kind == "bytes":
            self._reply(200, pattern(int(arg)))
        elif kind == "chunked":
            data = pattern(int(arg))
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(data), 7000):
                part = data[i : i + 7000]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif kind == "obj" and arg in self.server.rec.objects:
            self._reply(200, self.server.rec.objects[arg])
        else:
            self._reply(404, b"not found")

    def do_HEAD(self) -> None:
        self._record()
        self._reply(200, pattern(int(self.path.rsplit("/", 1)[1])), head=True)

    def do_PUT(self) -> None:
        self._record()
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        name = self.path.rsplit("/", 1)[1]
        if len(body) < length:
            with self.server.rec.lock:
                self.server.rec.incomplete.append(name)
            self.close_connection = True
            return
        with self.server.rec.lock:
            self.server.rec.objects[name] = body
        reply = {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        self._reply(200, json.dumps(reply).encode(), Content_Type="application/json")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    rec: Recorder

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connections the proxy cuts or resets are the point here, not errors to print."""


@pytest.fixture
def origin() -> Iterator[Server]:
    server = Server(("127.0.0.1", 0), Handler)
    server.rec = Recorder()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


@pytest.fixture
def proxy(origin: Server) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", origin.server_address[1], seed=1) as p:
        yield p


def conn(proxy: FaultProxy) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=TIMEOUT)


def fetch(c: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> Any:
    c.request(method, path, body=body)
    resp = c.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read()


# ----------------------------------------------------------------------------


def test_healed_proxy_forwards_faithfully_over_keep_alive(
    proxy: FaultProxy, origin: Server
) -> None:
    c = conn(proxy)
    try:
        for n in (0, 1, 65_535, 65_536, 1_000_003):
            status, _, body = fetch(c, "GET", f"/bytes/{n}")
            assert status == 200 and body == pattern(n)
        status, _, body = fetch(c, "GET", "/chunked/300000")
        assert status == 200 and body == pattern(300_000)
        status, headers, body = fetch(c, "HEAD", "/bytes/5000")
        assert status == 200 and headers["Content-Length"] == "5000" and body == b""
        payload = pattern(2_000_000)
        status, _, body = fetch(c, "PUT", "/obj/a", payload)
        assert status == 200 and json.loads(body)["size"] == 2_000_000
        assert origin.rec.objects["a"] == payload
        status, _, body = fetch(c, "GET", "/obj/a")
        assert body == payload
        assert fetch(c, "GET", "/nothing")[0] == 404
    finally:
        c.close()
    assert origin.rec.connections == 1  # one client connection, one upstream connection
    assert proxy.counts["requests"] == 10
    assert set(proxy.decisions) == {None}


def test_injected_503_carries_retry_after_and_never_reaches_the_server(
    proxy: FaultProxy, origin: Server
) -> None:
    proxy.faults = FaultPlan(error_503=1.0, retry_after=7)
    c = conn(proxy)
    try:
        status, headers, body = fetch(c, "PUT", "/obj/x", b"data" * 1000)
        assert status == 503 and headers["Retry-After"] == "7" and b"SlowDown" in body
        status, headers, body = fetch(c, "HEAD", "/bytes/10")
        assert status == 503 and body == b""
        proxy.faults = None  # healed: the same keep-alive connection works again
        status, _, body = fetch(c, "GET", "/bytes/100")
        assert status == 200 and body == pattern(100)
    finally:
        c.close()
    assert origin.rec.requests == [("GET", "/bytes/100")]
    assert "x" not in origin.rec.objects
    assert proxy.counts["error_503"] == 2


def test_injected_500(proxy: FaultProxy, origin: Server) -> None:
    proxy.faults = FaultPlan(error_500=1.0)
    c = conn(proxy)
    try:
        status, headers, body = fetch(c, "GET", "/bytes/10")
    finally:
        c.close()
    assert status == 500 and b"InternalError" in body and "Retry-After" not in headers
    assert origin.rec.requests == []


def test_drop_mid_request_leaves_a_partial_upload_on_the_server(
    proxy: FaultProxy, origin: Server
) -> None:
    proxy.faults = FaultPlan(drop_request=1.0)
    payload = pattern(3_000_000)
    failures = 0
    for i in range(4):
        c = conn(proxy)
        try:
            with pytest.raises((ConnectionError, http.client.HTTPException)):
                fetch(c, "PUT", f"/obj/p{i}", payload)
            failures += 1
        finally:
            c.close()
    assert failures == 4
    deadline = time.monotonic() + TIMEOUT
    while len(origin.rec.incomplete) + len(origin.rec.requests) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert origin.rec.objects == {}  # nothing complete was stored
    assert proxy.counts["drop_request"] == 4


def test_drop_mid_response_loses_the_acknowledgement_not_the_write(
    proxy: FaultProxy, origin: Server
) -> None:
    """The case ResilientStore's read-back exists for: the server stored it, the client erred."""
    proxy.faults = FaultPlan(drop_response=1.0)
    # httpx (h11) as the client: http.client takes a head cut short for a whole reply.
    with httpx.Client(base_url=proxy.url, timeout=TIMEOUT) as client:
        for i in range(5):
            payload = pattern(500_000 + i)
            with pytest.raises(httpx.TransportError):
                client.put(f"/obj/acked{i}", content=payload)
            assert origin.rec.objects[f"acked{i}"] == payload
        # A large reply cut short is an error, never a short body taken as whole.
        for _ in range(5):
            with pytest.raises(httpx.TransportError):
                client.get("/bytes/2000000")
    assert proxy.counts["drop_response"] == 10


def test_reset_is_a_tcp_rst(proxy: FaultProxy, origin: Server) -> None:
    proxy.faults = FaultPlan(reset=1.0)
    seen: list[type[BaseException]] = []
    for _ in range(5):
        c = conn(proxy)
        try:
            fetch(c, "GET", "/bytes/3000000")
        except (ConnectionError, http.client.HTTPException) as exc:
            seen.append(type(exc))
        finally:
            c.close()
    assert len(seen) == 5
    assert ConnectionResetError in seen  # RST, not a polite FIN
    assert len(origin.rec.requests) == 5  # the server did the work each time


def test_latency_delays_without_changing_anything(proxy: FaultProxy) -> None:
    proxy.faults = FaultPlan(latency=1.0, max_latency=0.2)
    c = conn(proxy)
    started = time.monotonic()
    try:
        for _ in range(10):
            status, _, body = fetch(c, "GET", "/bytes/1000")
            assert status == 200 and body == pattern(1000)
    finally:
        c.close()
    assert time.monotonic() - started > 0.3  # ten uniform delays in [0, 0.2] s
    assert proxy.counts["latency"] == 10


def test_a_seed_replays_the_same_decisions(origin: Server) -> None:
    plan = FaultPlan(latency=0.2, max_latency=0.01, error_500=0.2, error_503=0.2)
    runs = []
    for _ in range(2):
        with FaultProxy("127.0.0.1", origin.server_address[1], seed=42, faults=plan) as p:
            c = conn(p)
            try:
                for _ in range(40):
                    fetch(c, "GET", "/bytes/10")
            finally:
                c.close()
            runs.append(list(p.decisions))
    assert runs[0] == runs[1]
    assert {"error_500", "error_503", None} <= set(runs[0])
    with FaultProxy("127.0.0.1", origin.server_address[1], seed=43, faults=plan) as p:
        c = conn(p)
        try:
            for _ in range(40):
                fetch(c, "GET", "/bytes/10")
        finally:
            c.close()
        assert list(p.decisions) != runs[0]


def test_per_connection_faults_hold_for_the_whole_connection(proxy: FaultProxy) -> None:
    proxy.faults = FaultPlan(error_503=0.5, per_connection=True)
    outcomes = set()
    for _ in range(12):
        c = conn(proxy)
        try:
            statuses = {fetch(c, "GET", "/bytes/10")[0] for _ in range(5)}
        finally:
            c.close()
        assert len(statuses) == 1
        outcomes |= statuses
    assert outcomes == {200, 503}


def test_mixed_faults_never_corrupt_what_gets_through(proxy: FaultProxy) -> None:
    """Whatever the proxy breaks, a reply that arrives whole is exactly the server's."""
    proxy.faults = FaultPlan(
        latency=0.1,
        max_latency=0.01,
        drop_request=0.1,
        drop_response=0.15,
        reset=0.1,
        error_500=0.1,
        error_503=0.1,
        retry_after=0,
    )
    ok = failed = 0
    for i in range(60):
        n = (i * 7919) % 400_000
        c = conn(proxy)
        try:
            status, _, body = fetch(c, "GET", f"/bytes/{n}")
            if status == 200:
                assert body == pattern(n)
                ok += 1
            else:
                assert status in (500, 503)
                failed += 1
        except (ConnectionError, http.client.HTTPException):
            failed += 1
        finally:
            c.close()
    assert ok > 10 and failed > 10


def test_upstream_down_looks_like_a_refused_connection() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    with FaultProxy("127.0.0.1", dead_port) as p:
        c = conn(p)
        try:
            with pytest.raises((ConnectionError, http.client.HTTPException)):
                fetch(c, "GET", "/")
        finally:
            c.close()
        assert p.counts["upstream_down"] == 1


async def test_usable_from_another_event_loop(proxy: FaultProxy) -> None:
    """The proxy's loop is its own: an async client on the test's loop goes through it."""
    proxy.faults = FaultPlan(latency=1.0, max_latency=0.05)
    async with httpx.AsyncClient(base_url=proxy.url, timeout=TIMEOUT) as client:
        for n in (10, 200_000):
            r = await client.get(f"/bytes/{n}")
            assert r.status_code == 200 and r.content == pattern(n)
        r = await client.put("/obj/z", content=pattern(100_000))
        assert r.json()["size"] == 100_000


def test_faults_limited_to_some_methods(proxy: FaultProxy, origin: Server) -> None:
    proxy.faults = FaultPlan(error_503=1.0, methods=frozenset({"PUT"}))
    c = conn(proxy)
    try:
        assert fetch(c, "GET", "/bytes/10")[0] == 200
        assert fetch(c, "PUT", "/obj/m", b"x")[0] == 503
        assert fetch(c, "HEAD", "/bytes/10")[0] == 200
    finally:
        c.close()
    assert "m" not in origin.rec.objects
    assert list(proxy.decisions) == [None, "error_503", None]


def test_rejects_impossible_plans() -> None:
    with pytest.raises(ValueError):
        FaultPlan(error_500=0.7, error_503=0.7)
    with pytest.raises(ValueError):
        FaultPlan(reset=-0.1)
    with pytest.raises(ValueError):
        FaultPlan(latency=2.0)
