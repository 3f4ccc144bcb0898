"""A fault-injecting HTTP proxy on 127.0.0.1, for tests against real servers.

Why: the retry logic and the engine must survive what real networks do to
real requests: latency, a connection cut halfway through an upload, a reply
lost after the server already stored the object (a lost acknowledgement), a
reset, an overloaded gateway answering 500 or 503 with Retry-After. Mocks of
a server would only show what their author imagined; this proxy sits between
the real client (obstore, httpx) and the real server (SeaweedFS, a WebDAV
server) and breaks real traffic.

It understands just enough HTTP/1.1 to find where each request and response
ends (Content-Length, chunked, close-delimited, HEAD, 1xx, 204/304), so it
decides per request (or once per connection) and keeps keep-alive working.
The request body and the response are pumped at the same time, so early
answers and `Expect: 100-continue` pass through.

Faults, drawn from `random.Random(seed)` with a fixed number of draws per
decision (one seed, one sequence of decisions):

  latency        sleep before forwarding (on top of any other fault)
  drop_request   forward only the first k bytes of the request, then close both sides
  drop_response  forward the whole request, relay only k bytes of the reply, close (FIN)
  reset          forward the whole request, relay k bytes of the reply, then RST
                 (SO_LINGER 0); with k = 0 the server did the work and the client
                 never hears of it
  error_500      answer 500 InternalError itself, forwarding nothing
  error_503      answer 503 SlowDown itself with Retry-After, forwarding nothing

`FaultPlan.methods` limits the faults to some HTTP methods (the others pass
untouched and draw nothing).

The asyncio server runs in a daemon thread with its own loop, so plain sync
code and other event loops (pytest-asyncio's, asyncio.run's) can use it.
`proxy.faults = FaultPlan(...)` changes the plan at runtime, `proxy.faults =
None` heals; both are safe from any thread.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, fields
from types import TracebackType

HOST = "127.0.0.1"
_HEAD_LIMIT = 256 * 1024
_CHUNK = 64 * 1024
_UNKNOWN_BODY = 64 * 1024  # for placing a cut in a body of unknown length
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
UPSTREAM_CONNECT_TIMEOUT = 5.0

KINDS = ("drop_request", "drop_response", "reset", "error_500", "error_503")


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Probabilities (0..1) of each fault, per request (or per connection)."""

    latency: float = 0.0
    max_latency: float = 0.1  # seconds; a delay is uniform in [0, max_latency]
    drop_request: float = 0.0
    drop_response: float = 0.0
    reset: float = 0.0
    error_500: float = 0.0
    error_503: float = 0.0
    retry_after: float | None = 1.0  # the 503's Retry-After, in seconds (None: no header)
    per_connection: bool = False  # draw once per connection and apply it to every request
    methods: frozenset[str] | None = None  # only requests with these methods are broken

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("latency", *KINDS) and not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultPlan.{f.name} is a probability, not {value!r}")
        if sum(getattr(self, k) for k in KINDS) > 1.0 + 1e-9:
            raise ValueError("FaultPlan: the fault probabilities add up to more than 1")
        if self.max_latency < 0:
            raise ValueError("FaultPlan.max_latency must be >= 0")

    def draw(self, rng: random.Random) -> Fault:
        """One decision. Always four draws, so a seed gives one sequence of decisions."""
        delayed, amount, pick, where = rng.random(), rng.random(), rng.random(), rng.random()
        kind: str | None = None
        edge = 0.0
        for name in KINDS:
            edge += getattr(self, name)
            if pick < edge:
                kind = name
                break
        latency = amount * self.max_latency if delayed < self.latency else 0.0
        return Fault(kind, latency, where)


@dataclass(frozen=True, slots=True)
class Fault:
    kind: str | None  # one of KINDS, or None: forward faithfully
    latency: float
    where: float  # in [0, 1): where in the request or reply a cut falls

    def cut(self, total: int) -> int:
        return int(self.where * max(total, 1))


NO_FAULT = Fault(None, 0.0, 0.0)


class _Cut(Exception):
    """The byte budget of a drop or reset was spent."""


class _Broken(Exception):
    """The peer closed, or sent something that is not HTTP/1.x framing we can follow."""


class _Sink:
    """Writes to one side, counting bytes; stops at `limit` bytes by raising _Cut."""

    def __init__(self, writer: asyncio.StreamWriter | None, limit: int | None = None) -> None:
        self.writer = writer
        self.limit = limit
        self.sent = 0

    async def write(self, data: bytes) -> None:
        if self.limit is not None and self.sent + len(data) >= self.limit:
            data = data[: self.limit - self.sent]
            await self._put(data)
            raise _Cut
        await self._put(data)

    async def _put(self, data: bytes) -> None:
        self.sent += len(data)
        if self.writer is not None and data:
            self.writer.write(data)
            await self.writer.drain()


async def _read_head(reader: asyncio.StreamReader) -> bytes | None:
    """A request or response head up to its blank line; None on a clean EOF before it."""
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise _Broken("connection closed inside a head") from None
    except asyncio.LimitOverrunError:
        raise _Broken("head too large") from None


def _parse_head(head: bytes) -> tuple[list[str], dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    first = lines[0].split(" ", 2)
    if len(first) < 2:
        raise _Broken(f"not an HTTP head: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return first, headers


def _framing(headers: dict[str, str], *, no_body: bool, request: bool) -> tuple[str, int]:
    if no_body:
        return "length", 0
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return "chunked", 0
    if "content-length" in headers:
        try:
            return "length", int(headers["content-length"])
        except ValueError:
            raise _Broken("bad Content-Length") from None
    return ("length", 0) if request else ("close", 0)


async def _copy_body(reader: asyncio.StreamReader, sink: _Sink, framing: tuple[str, int]) -> None:
    mode, length = framing
    try:
        if mode == "length":
            left = length
            while left > 0:
                data = await reader.read(min(left, _CHUNK))
                if not data:
                    raise _Broken("connection closed inside a body")
                left -= len(data)
                await sink.write(data)
        elif mode == "chunked":
            while True:
                line = await reader.readuntil(b"\r\n")
                await sink.write(line)
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while True:  # trailers, up to the blank line
                        trailer = await reader.readuntil(b"\r\n")
                        await sink.write(trailer)
                        if trailer == b"\r\n":
                            return
                left = size + 2  # the data and its CRLF
                while left > 0:
                    data = await reader.read(min(left, _CHUNK))
                    if not data:
                        raise _Broken("connection closed inside a chunk")
                    left -= len(data)
                    await sink.write(data)
        else:
            while data := await reader.read(_CHUNK):
                await sink.write(data)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        raise _Broken("bad chunked framing") from None


def _error_reply(status: int, method: str, retry_after: float | None) -> bytes:
    code, reason, text = {
        500: ("InternalError", "Internal Server Error", "We encountered an internal error."),
        503: ("SlowDown", "Service Unavailable", "Please reduce your request rate."),
    }[status]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{text} (fault proxy)</Message></Error>"
    ).encode()
    head = [
        f"HTTP/1.1 {status} {reason}",
        "Content-Type: application/xml",
        f"Content-Length: {len(body)}",
    ]
    if status == 503 and retry_after is not None:
        head.append(f"Retry-After: {retry_after:g}")
    data = ("\r\n".join(head) + "\r\n\r\n").encode()
    return data if method == "HEAD" else data + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN: SO_LINGER on, timeout 0."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _close(writer: asyncio.StreamWriter) -> None:
    if not writer.transport.is_closing():
        writer.close()


class FaultProxy:
    """A TCP proxy 127.0.0.1:<port> -> upstream, breaking HTTP traffic per `faults`."""

    def __init__(
        self,
        upstream_host: str,
        upstream_port: int,
        *,
        seed: int = 0,
        faults: FaultPlan | None = None,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.faults = faults
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.counts: Counter[str] = Counter()  # injected faults by kind, plus "requests"
        self.requests: collections.deque[tuple[str, str]] = collections.deque(maxlen=100_000)
        self.decisions: collections.deque[str | None] = collections.deque(maxlen=100_000)
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    # --- life cycle --------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return HOST

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> FaultProxy:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="fault-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the fault proxy did not start")
        if self._error is not None:
            raise RuntimeError(f"the fault proxy could not start: {self._error}")
        return self

    def close(self) -> None:
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop.set)
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("the fault proxy did not stop")
        self._thread = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._serve, HOST, 0, limit=_HEAD_LIMIT)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            server.close()
            for writer in list(self._writers):
                writer.transport.abort()
            await server.wait_closed()

    # --- decisions ---------------------------------------------------------------------------

    def reseed(self, seed: int) -> None:
        """Start the decision sequence of `seed` afresh (e.g. per parametrised test)."""
        with self._rng_lock:
            self._rng.seed(seed)

    def _decide(self, plan: FaultPlan | None) -> Fault:
        if plan is None:
            return NO_FAULT
        with self._rng_lock:
            return plan.draw(self._rng)

    # --- one client connection ---------------------------------------------------------------

    async def _serve(self, creader: asyncio.StreamReader, cwriter: asyncio.StreamWriter) -> None:
        self._writers.add(cwriter)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        plan = self.faults
        conn_fault = self._decide(plan) if plan is not None and plan.per_connection else None
        try:
            while True:
                head = await _read_head(creader)
                if head is None:
                    return
                first, headers = _parse_head(head)
                method, target = first[0], first[1]
                self.requests.append((method, target))
                self.counts["requests"] += 1
                plan = self.faults
                if plan is None or not plan.applies_to(method):
                    fault = NO_FAULT
                elif conn_fault is not None and plan.per_connection:
                    fault = conn_fault
                else:
                    fault = self._decide(plan)
                self.decisions.append(fault.kind)
                if fault.latency:
                    self.counts["latency"] += 1
                    await asyncio.sleep(fault.latency)
                if fault.kind is not None:
                    self.counts[fault.kind] += 1
                req_framing = _framing(headers, no_body=False, request=True)
                if fault.kind in ("error_500", "error_503"):
                    await _copy_body(creader, _Sink(None), req_framing)
                    status = 500 if fault.kind == "error_500" else 503
                    retry_after = plan.retry_after if plan is not None else None
                    cwriter.write(_error_reply(status, method, retry_after))
                    await cwriter.drain()
                    continue
                if upstream is None:
                    try:
                        upstream = await asyncio.wait_for(
                            asyncio.open_connection(*self.upstream, limit=_HEAD_LIMIT),
                            UPSTREAM_CONNECT_TIMEOUT,
                        )
                    except (OSError, TimeoutError):
                        self.counts["upstream_down"] += 1
                        _reset(cwriter)  # as the server itself would: connection refused
                        return
                    self._writers.add(upstream[1])
                keep = await self._exchange(
                    head, method, headers, req_framing, fault, creader, cwriter, upstream
                )
                if not keep:
                    return
        except (_Broken, _Cut, ConnectionError, OSError):
            return
        except asyncio.CancelledError:
            # Only the proxy's own shutdown cancels this; ending quietly keeps asyncio
            # from logging the cancelled connection task as an error.
            return
        finally:
            if upstream is not None:
                self._writers.discard(upstream[1])
                _close(upstream[1])
            self._writers.discard(cwriter)
            _close(cwriter)

    async def _exchange(
        self,
        head: bytes,
        method: str,
        headers: dict[str, str],
        req_framing: tuple[str, int],
        fault: Fault,
        creader: asyncio.StreamReader,
        cwriter: asyncio.StreamWriter,
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    ) -> bool:
        """Forward one request and relay its reply; False when the connection must end."""
        ureader, uwriter = upstream
        body_guess = req_framing[1] if req_framing[0] == "length" else _UNKNOWN_BODY
        req_limit = fault.cut(len(head) + body_guess) if fault.kind == "drop_request" else None
        req_sink = _Sink(uwriter, req_limit)

        async def send() -> None:
            await req_sink.write(head)
            await _copy_body(creader, req_sink, req_framing)

        sending = asyncio.create_task(send())
        relaying = asyncio.create_task(self._relay_reply(ureader, cwriter, method, fault))
        try:
            done, _ = await asyncio.wait({sending, relaying}, return_when=asyncio.FIRST_COMPLETED)
            if sending in done and sending.exception() is not None:
                return False  # a drop mid-request, or the client went away
            keep = await relaying
            if not sending.done():
                await asyncio.wait({sending}, timeout=0.5)
            if not sending.done() or sending.exception() is not None:
                return False  # the server answered before the whole body came: out of sync
            client_close = headers.get("connection", "").lower() == "close"
            return keep and not client_close
        except (_Broken, _Cut, ConnectionError, OSError):
            return False
        finally:
            for task in (sending, relaying):
                if not task.done():
                    task.cancel()
            await asyncio.gather(sending, relaying, return_exceptions=True)

    async def _relay_reply(
        self,
        ureader: asyncio.StreamReader,
        cwriter: asyncio.StreamWriter,
        method: str,
        fault: Fault,
    ) -> bool:
        """Relay the reply (after any 1xx); True if the connection may carry another request."""
        cut_reply = fault.kind in ("drop_response", "reset")
        sink: _Sink | None = None
        while True:
            head = await _read_head(ureader)
            if head is None:
                raise _Broken("the server closed without answering")
            first, headers = _parse_head(head)
            status = int(first[1]) if first[1].isdigit() else 0
            no_body = method == "HEAD" or status in (204, 304) or 100 <= status < 200
            framing = _framing(headers, no_body=no_body, request=False)
            if sink is None:
                total = len(head) + (framing[1] if framing[0] == "length" else _UNKNOWN_BODY)
                sink = _Sink(cwriter, fault.cut(total) if cut_reply else None)
            try:
                await sink.write(head)
                await _copy_body(ureader, sink, framing)
            except _Cut:
                if fault.kind == "reset":
                    _reset(cwriter)
                else:
                    await cwriter.drain()
                    cwriter.close()
                raise
            if not 100 <= status < 200:
                break
        version = first[0].upper()
        closing = headers.get("connection", "").lower()
        if framing[0] == "close" or closing == "close":
            return False
        return version != "HTTP/1.0" or closing == "keep-alive"
