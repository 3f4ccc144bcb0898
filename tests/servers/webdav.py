"""A real WebDAV server for tests: Apache httpd with mod_dav_fs, as many organisations run.

`webdav_server` starts one Apache (Debian's `apache2` package) per session on
127.0.0.1 with a free port, basic auth and a WebDAV folder at `/dav/`;
`webdav_tls_server` is the same over TLS with a certificate signed by a CA
generated here (for the CA-bundle tests); `webdav_store` is a fresh
`WebDavStore` on its own empty collection, so tests never see each other's
objects.

Apache runs from a config generated in a temporary folder (nothing of
/etc/apache2 is used). As root it drops to `www-data`, which then owns the
served folder; the password is stored as a `{SHA}` line (fast to check on
every request, which is all a test needs).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import hashlib
import ipaddress
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sync_engine.stores.credentials import Secret, WebDavCredentials
from sync_engine.stores.webdav import WebDavStore
from tests.environment import unavailable

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
USER = "coffre"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0

_MODULES = [
    "mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic",
    "dav", "dav_fs", "headers",
]  # fmt: skip
_TLS_MODULES = ["socache_shmcb", "ssl", "http2"]


@dataclass(frozen=True)
class WebDavServer:
    """A running server: where it is and how to log in."""

    host: str
    port: int
    scheme: str  # "http" or "https"
    user: str
    password: str
    root: Path  # the folder served at /dav/
    ca_file: Path | None = None  # the CA that signed the server's certificate (TLS only)

    @property
    def base_url(self) -> str:
        """The WebDAV folder every test collection lives under (ends with '/')."""
        return f"{self.scheme}://{self.host}:{self.port}/dav/"

    @property
    def credentials(self) -> WebDavCredentials:
        return WebDavCredentials(user=self.user, password=Secret(self.password))

    def address(self, path: str) -> str:
        """The store address (webdav:// or webdavs://) of `/dav/<path>`."""
        scheme = "webdavs" if self.scheme == "https" else "webdav"
        return f"{scheme}://{self.host}:{self.port}/dav/{path}"

    def mkcol(self, path: str) -> None:
        """Create the collection `/dav/<path>` (its parent must exist)."""
        verify = _verify(self.ca_file)
        with httpx.Client(auth=(self.user, self.password), verify=verify, timeout=10) as c:
            response = c.request("MKCOL", self.base_url + path.strip("/") + "/")
        assert response.status_code == 201, response


def _verify(ca_file: Path | None) -> ssl.SSLContext | bool:
    return ssl.create_default_context(cafile=str(ca_file)) if ca_file else True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it: (ca, cert, key) files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Coffre test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _config(folder: Path, port: int, *, run_as: str | None, tls: tuple[Path, Path] | None) -> str:
    modules = _MODULES + (_TLS_MODULES if tls else [])
    lines = [f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules]
    if run_as:
        lines += [f"User {run_as}", f"Group {run_as}"]
    lines += [
        f"ServerRoot {folder}",
        "ServerName 127.0.0.1",
        f"Listen 127.0.0.1:{port}",
        f"PidFile {folder}/httpd.pid",
        f"DefaultRuntimeDir {folder}/run",
        f"ErrorLog {folder}/error.log",
        "LogLevel warn",
        f"DocumentRoot {folder}/www",
        f"DavLockDB {folder}/lock/davlock",
        "KeepAlive On",
        "MaxKeepAliveRequests 0",
        "KeepAliveTimeout 30",
        "Timeout 60",
        # Enough threads for the contract suite's 40 concurrent writers.
        "StartServers 1",
        "ServerLimit 2",
        "ThreadsPerChild 64",
        "MaxRequestWorkers 128",
        "MinSpareThreads 8",
        "MaxSpareThreads 128",
        f'<Directory "{folder}/www">',
        "  Options None",
        "  AllowOverride None",
        "  Require all denied",
        "</Directory>",
        f'<Directory "{folder}/www/dav">',
        "  Dav On",
        "  AuthType Basic",
        '  AuthName "Coffre tests"',
        "  AuthBasicProvider file",
        f"  AuthUserFile {folder}/htpasswd",
        "  Require valid-user",
        "</Directory>",
    ]
    if tls:
        cert, key = tls
        lines += [
            "Protocols h2 http/1.1",
            "SSLEngine on",
            f"SSLCertificateFile {cert}",
            f"SSLCertificateKeyFile {key}",
            f"SSLSessionCache shmcb:{folder}/run/ssl_scache(512000)",
        ]
    return "\n".join(lines) + "\n"


def _wait_until_up(server: WebDavServer, process: subprocess.Popen[bytes], log: Path) -> None:
    verify = _verify(server.ca_file)
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(auth=(server.user, server.password), verify=verify, timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                if client.request("OPTIONS", server.base_url).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    errors = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise RuntimeError(f"Apache WebDAV server did not start on port {server.port}:\n{errors}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful stop of the parent and its children
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def run_apache_webdav(*, tls: bool = False) -> Iterator[WebDavServer]:
    """Start Apache with mod_dav on 127.0.0.1 and a free port; stop it on exit."""
    if not os.path.exists(APACHE):
        unavailable("Apache httpd is not installed (Debian package apache2; see tools/test.sh)")
    folder = Path(tempfile.mkdtemp(prefix="coffre-webdav-"))
    try:
        folder.chmod(0o755)  # the www-data workers must reach the served folder
        for sub in ("run", "lock", "www/dav"):
            (folder / sub).mkdir(parents=True)
        run_as: str | None = None
        if os.geteuid() == 0:
            run_as = "www-data"
            entry = pwd.getpwnam(run_as)
            for sub in ("lock", "www/dav"):
                os.chown(folder / sub, entry.pw_uid, entry.pw_gid)
        password = secrets.token_urlsafe(12)
        digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
        (folder / "htpasswd").write_text(f"{USER}:{{SHA}}{digest}\n")
        ca_file: Path | None = None
        tls_files: tuple[Path, Path] | None = None
        if tls:
            ca_file, cert, key = _make_certificates(folder)
            tls_files = (cert, key)
        for _attempt in range(3):  # the free port may be taken before Apache binds it
            port = _free_port()
            conf = folder / "httpd.conf"
            conf.write_text(_config(folder, port, run_as=run_as, tls=tls_files))
            log = folder / "error.log"
            with open(log, "ab") as stderr:  # the child keeps its own copy
                process = subprocess.Popen(
                    [APACHE, "-DFOREGROUND", "-f", str(conf)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    start_new_session=True,
                    env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C"},
                )
            server = WebDavServer(
                host="127.0.0.1",
                port=port,
                scheme="https" if tls else "http",
                user=USER,
                password=password,
                root=folder / "www" / "dav",
                ca_file=ca_file,
            )
            try:
                _wait_until_up(server, process, log)
            except RuntimeError:
                _stop(process)
                if "Address already in use" in log.read_text(errors="replace"):
                    continue
                raise
            try:
                yield server
            finally:
                _stop(process)
            return
        raise RuntimeError("Apache WebDAV server: no free port after 3 attempts")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def webdav_server() -> Iterator[WebDavServer]:
    """One plain-HTTP Apache WebDAV server for the whole session."""
    with run_apache_webdav() as server:
        yield server


@pytest.fixture(scope="session")
def webdav_tls_server() -> Iterator[WebDavServer]:
    """One HTTPS (HTTP/2-capable) Apache WebDAV server, its CA in `ca_file`."""
    with run_apache_webdav(tls=True) as server:
        yield server


@pytest.fixture
def webdav_collection(webdav_server: WebDavServer) -> str:
    """A fresh, empty collection on the session server; returns its path below /dav/."""
    name = "t-" + secrets.token_hex(6)
    webdav_server.mkcol(name)
    return name


@pytest.fixture
def webdav_store(webdav_server: WebDavServer, webdav_collection: str) -> Iterator[WebDavStore]:
    """A fresh `WebDavStore` on its own empty collection (closed at the end)."""

    store = WebDavStore(
        webdav_server.base_url + webdav_collection + "/",
        credentials=webdav_server.credentials,
    )
    yield store
    asyncio.run(store.close())
