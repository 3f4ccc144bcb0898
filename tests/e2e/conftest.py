"""End-to-end fixtures: the real `coffre` CLI, run as subprocesses, on real folders.

Every device is one synced folder with its own COFFRE_HOME; all devices of a
test share one store. Each test runs once per backend: a folder store (an
absolute path under tmp_path), S3 (the session's SeaweedFS) and WebDAV (the
session's Apache), unless it is marked `folder_only` because it handles the
store's folder itself (unplugging it, for instance). Commands run
as `python -m app.cli` with the interpreter running the tests, from the
repository root, with stdin not a terminal.

`make_devices(n)` gives devices that are bound to one fresh vault. Running
`coffre init` and `coffre join` for every test costs several seconds each
(Argon2 and start-up), so by default the devices of a test are copies of a
vault that was created once per session with the real `init` and `join`: the
store, each COFFRE_HOME and each folder are copied, and the copy's
`binding.json` is pointed at the copied folder and store (the binding is the
only file that names a path); network stores are copied object by object.
`make_devices(n, fresh=True)` runs the real commands instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest

from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.local import LocalStore
from sync_engine.stores.s3 import S3Store
from sync_engine.stores.url import S3Spec, WebDavSpec, parse_store_url
from sync_engine.stores.webdav import WebDavStore
from tests.servers.seaweedfs import SeaweedFS, run_blocking
from tests.servers.webdav import WebDavServer

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple 42"
DEVICE_NAMES = ("alpha", "beta", "gamma")
COMMAND_TIMEOUT = 180.0
ROOT_MARKER = ".coffre-root"
TEMP_PREFIX = ".coffre-tmp-"

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ATTENTION = 0, 1, 2, 3
BACKENDS = ("folder", "s3", "webdav")
E2E_BUCKET = "coffre-e2e"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that makes devices runs on each backend (`folder_only` ones on a folder)."""
    if "e2e_backend" in metafunc.fixturenames:
        only_folder = metafunc.definition.get_closest_marker("folder_only") is not None
        metafunc.parametrize("e2e_backend", ("folder",) if only_folder else BACKENDS)


# Commands that take --folder.
_FOLDER_COMMANDS = frozenset(
    {"init", "join", "sync", "watch", "status", "conflicts", "history", "restore", "quarantine"}
    | {"check", "repair", "move-store", "gc", "purge", "retention"}
)


def cli_env(home: Path | None, passphrase: str | None) -> dict[str, str]:
    """The environment of one command: no inherited COFFRE_* variable, unbuffered output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COFFRE_")}
    env["PYTHONUNBUFFERED"] = "1"
    if home is not None:
        env["COFFRE_HOME"] = str(home)
    if passphrase is not None:
        env["COFFRE_PASSPHRASE"] = passphrase
    return env


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    args = proc.args if isinstance(proc.args, list) else [str(proc.args)]
    return (
        f"command: {' '.join(str(a) for a in args[2:])}\n"
        f"exit code: {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


def run_cli(
    args: Sequence[str],
    *,
    env: dict[str, str],
    check_code: int | None = EXIT_OK,
    timeout: float = COMMAND_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run `coffre ARGS` to its end; assert its exit code unless check_code is None."""
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )
    assert "Traceback (most recent call last)" not in proc.stderr, (
        f"a traceback instead of a message\n{describe(proc)}"
    )
    if check_code is not None:
        assert proc.returncode == check_code, f"expected exit {check_code}\n{describe(proc)}"
    return proc


@dataclass(frozen=True)
class StoreLocation:
    """Where a test's vault lives: the address the CLI takes, its credentials, and a
    `Store` for the test's own look at the objects (as an operator or attacker would)."""

    address: str
    env: Mapping[str, str]
    open: Callable[[], Store]
    path: Path | None = None  # folder stores only

    def _with_store(self, use: Callable[[Store], Any]) -> Any:
        async def go() -> Any:
            store = self.open()
            try:
                return await use(store)
            finally:
                await store.close()

        return run_blocking(go())

    def objects(self, prefix: str = "") -> dict[str, int]:
        """Key -> size of every object under `prefix`."""

        async def listing(store: Store) -> dict[str, int]:
            return {i.key: i.size for i in await store.list(prefix)}

        result: dict[str, int] = self._with_store(listing)
        return result

    def size(self) -> int:
        return sum(self.objects().values())

    def read(self, key: str) -> bytes:
        data: bytes = self._with_store(lambda store: store.get(key))
        return data

    def write(self, key: str, data: bytes) -> None:
        """Replace an object the way the store itself writes objects."""
        self._with_store(lambda store: store.put(key, data, mode=PutMode.OVERWRITE))


def folder_location(path: Path) -> StoreLocation:
    return StoreLocation(str(path), {}, lambda: LocalStore(path), path)


def s3_location(server: SeaweedFS, prefix: str) -> StoreLocation:
    address = f"s3://{E2E_BUCKET}/{prefix}?endpoint={server.endpoint}"
    env = {"AWS_ACCESS_KEY_ID": server.access_key, "AWS_SECRET_ACCESS_KEY": server.secret_key}
    spec = parse_store_url(address)
    assert isinstance(spec, S3Spec)
    return StoreLocation(address, env, lambda: S3Store(spec, server.credentials()))


def webdav_location(server: WebDavServer, collection: str) -> StoreLocation:
    address = server.address(collection)
    env = {"COFFRE_WEBDAV_USER": server.user, "COFFRE_WEBDAV_PASSWORD": server.password}
    spec = parse_store_url(address)
    assert isinstance(spec, WebDavSpec)
    return StoreLocation(address, env, lambda: WebDavStore.from_spec(spec, server.credentials))


@dataclass
class Device:
    """One synced folder with its own COFFRE_HOME, driven through the CLI."""

    name: str
    folder: Path
    home: Path
    location: StoreLocation
    passphrase: str | None = PASSPHRASE
    calls: list[str] = field(default_factory=list)

    @property
    def store(self) -> Path:
        """The folder store's path (tests marked `folder_only`)."""
        assert self.location.path is not None, "a folder_only test"
        return self.location.path

    def env(self, *, passphrase: str | None = None, keep_passphrase: bool = True) -> dict[str, str]:
        chosen = passphrase if passphrase is not None else self.passphrase
        return cli_env(self.home, chosen if keep_passphrase else None) | dict(self.location.env)

    def argv(self, args: Sequence[str], *, folder: bool = True) -> list[str]:
        """ARGS with `--folder DIR` right after the subcommand, when it takes one."""
        argv = list(args)
        if folder and argv and argv[0] in _FOLDER_COMMANDS:
            argv[1:1] = ["--folder", str(self.folder)]
        return argv

    def run(
        self,
        *args: str,
        check_code: int | None = EXIT_OK,
        folder: bool = True,
        passphrase: str | None = None,
        no_passphrase: bool = False,
        timeout: float = COMMAND_TIMEOUT,
    ) -> subprocess.CompletedProcess[str]:
        """`coffre ARGS --folder <this folder>`, asserting the exit code (None: don't)."""
        argv = self.argv(args, folder=folder)
        self.calls.append(" ".join(argv))
        env = self.env(passphrase=passphrase, keep_passphrase=not no_passphrase)
        return run_cli(argv, env=env, check_code=check_code, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """Start `coffre ARGS --folder <this folder>` without waiting (for kill tests)."""
        argv = self.argv(args)
        self.calls.append(" ".join(argv) + " &")
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", *argv],
            cwd=REPO_ROOT,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )

    def sync(
        self, *extra: str, check_code: int | None = EXIT_OK
    ) -> subprocess.CompletedProcess[str]:
        return self.run("sync", *extra, check_code=check_code)

    def json(self, *args: str, check_code: int | None = EXIT_OK) -> Any:
        """Run a command with --json and parse what it printed."""
        proc = self.run(*args, "--json", check_code=check_code)
        try:
            return json.loads(proc.stdout)
        except ValueError as exc:  # pragma: no cover - diagnostic only
            raise AssertionError(f"not JSON:\n{describe(proc)}") from exc

    def status(self, *, check_code: int | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.json("status", check_code=check_code)
        return result

    # --- the folder --------------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.folder / rel

    def write(self, rel: str, data: bytes | str, *, mtime: float | None = None) -> Path:
        return write_file(self.folder / rel, data, mtime=mtime)

    def read(self, rel: str) -> bytes:
        return (self.folder / rel).read_bytes()

    def tree(self) -> dict[str, tuple[Any, ...]]:
        return tree(self.folder)


def run_together(
    devices: Sequence[Device], *args: str, check_code: int | None = EXIT_OK
) -> list[subprocess.CompletedProcess[str]]:
    """The same command on several devices at once (only where the order cannot matter)."""
    procs = [(d, d.popen(*args)) for d in devices]
    results = []
    for _device, proc in procs:
        out, err = proc.communicate(timeout=COMMAND_TIMEOUT)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        assert "Traceback (most recent call last)" not in err, describe(done)
        if check_code is not None:
            assert done.returncode == check_code, f"expected exit {check_code}\n{describe(done)}"
        results.append(done)
    return results


# --- files and trees ---------------------------------------------------------------------------


def write_file(path: Path, data: bytes | str, *, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _internal(name: str) -> bool:
    return name.startswith(".coffre") and name != ".coffreignore"


def tree(folder: Path) -> dict[str, tuple[Any, ...]]:
    """What a person sees in the folder: per relative path, kind and content.

    Files: ("file", sha256, executable, mtime in whole seconds); folders: ("dir",);
    symlinks: ("link", target), never followed. Coffre's own `.coffre*` files are left out.
    """
    out: dict[str, tuple[Any, ...]] = {}
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        with os.scandir(folder / rel_dir if rel_dir else folder) as it:
            for entry in it:
                if _internal(entry.name):
                    continue
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    out[rel] = ("link", os.readlink(entry.path))
                elif stat.S_ISDIR(st.st_mode):
                    out[rel] = ("dir",)
                    stack.append(rel)
                elif stat.S_ISREG(st.st_mode):
                    digest = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
                    out[rel] = ("file", digest, bool(st.st_mode & 0o100), int(st.st_mtime))
                else:
                    out[rel] = ("special", stat.S_IFMT(st.st_mode))
    return out


def files_only(t: dict[str, tuple[Any, ...]]) -> dict[str, str]:
    return {p: e[1] for p, e in t.items() if e[0] == "file"}


def temp_leftovers(folder: Path) -> list[str]:
    """`.coffre-tmp-*` files anywhere in the folder (there must be none after a sync)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(f"{TEMP_PREFIX}*"))


def assert_same_tree(*devices: Device) -> dict[str, tuple[Any, ...]]:
    first = devices[0].tree()
    for other in devices[1:]:
        theirs = other.tree()
        if theirs != first:
            only_a = sorted(set(first) - set(theirs))
            only_b = sorted(set(theirs) - set(first))
            differ = sorted(p for p in set(first) & set(theirs) if first[p] != theirs[p])
            raise AssertionError(
                f"{devices[0].name} and {other.name} differ: only in {devices[0].name}: {only_a}; "
                f"only in {other.name}: {only_b}; different: "
                + "; ".join(f"{p}: {first[p]} != {theirs[p]}" for p in differ)
            )
    return first


def store_size(store: Path) -> int:
    return sum(p.stat().st_size for p in store.rglob("*") if p.is_file())


def pack_files(store: Path) -> list[Path]:
    packs = store / "packs"
    return sorted(p for p in packs.glob("*/*") if p.is_file()) if packs.is_dir() else []


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def kill_when(
    proc: subprocess.Popen[str],
    predicate: Callable[[], bool],
    timeout: float,
    *,
    must_kill: bool = False,
) -> bool:
    """SIGKILL `proc` as soon as `predicate()` holds; True if it was killed while running.

    `must_kill`: assert that it was (the command neither ended nor failed before).
    """
    seen = wait_until(lambda: proc.poll() is not None or predicate(), timeout)
    if seen and proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=COMMAND_TIMEOUT)
    killed = proc.returncode == -signal.SIGKILL
    if must_kill:
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        assert killed, f"the command was not killed in the middle of its work\n{describe(done)}"
    return killed


# --- devices -----------------------------------------------------------------------------------


class MakeDevices(Protocol):
    def __call__(self, n: int = 2, *, fresh: bool = False) -> list[Device]: ...


def _layout(root: Path, n: int, location: StoreLocation) -> list[Device]:
    return [Device(name, root / name, root / f"home-{name}", location) for name in DEVICE_NAMES[:n]]


def bind_fresh(root: Path, n: int, location: StoreLocation) -> list[Device]:
    """`coffre init` on the first device, then `coffre join` on the others (together)."""
    devices = _layout(root, n, location)
    first = devices[0]
    # English whatever the machine's locale: the tests read conflict copies' names.
    first.run("init", "--store", location.address, "--device-name", first.name, "--language", "en")
    procs = [
        (d, d.popen("join", "--store", location.address, "--device-name", d.name))
        for d in devices[1:]
    ]
    for d, proc in procs:
        out, err = proc.communicate(timeout=COMMAND_TIMEOUT)
        done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
        assert done.returncode == EXIT_OK, f"join of {d.name} failed\n{describe(done)}"
    return devices


def _copy_objects(source: StoreLocation, target: StoreLocation) -> None:
    async def copy(store: Store) -> None:
        from_store = source.open()
        try:
            for info in await from_store.list(""):
                await store.put(info.key, await from_store.get(info.key), mode=PutMode.CREATE)
        finally:
            await from_store.close()

    target._with_store(copy)


def _clone(template: Template, root: Path, n: int, location: StoreLocation) -> list[Device]:
    """Copy the session's vault and re-point each binding at the copied folder and store."""
    devices = _layout(root, n, location)
    if location.path is not None:
        assert template.location.path is not None
        shutil.copytree(template.location.path, location.path, symlinks=True)
    else:
        _copy_objects(template.location, location)
    for d in devices:
        shutil.copytree(template.root / d.name, d.folder, symlinks=True)
        shutil.copytree(template.root / f"home-{d.name}", d.home, symlinks=True)
        bindings = list(d.home.glob("folders/*/binding.json"))
        assert len(bindings) == 1, f"unexpected COFFRE_HOME layout: {bindings}"
        binding = json.loads(bindings[0].read_text())
        assert {"folder", "store"} <= binding.keys(), f"unexpected binding format: {binding}"
        binding["folder"] = str(d.folder.resolve())
        binding["store"] = location.address
        bindings[0].write_text(json.dumps(binding, indent=2))
    return devices


@dataclass(frozen=True)
class Template:
    root: Path
    location: StoreLocation


@pytest.fixture
def e2e_backend() -> str:
    """Replaced by `pytest_generate_tests` for tests that make devices."""
    return "folder"


@pytest.fixture(scope="session")
def e2e_locations(
    request: pytest.FixtureRequest,
) -> Callable[[str, Path], StoreLocation]:
    """A fresh, empty store location of a backend; servers start only when asked for."""

    def fresh(backend: str, root: Path) -> StoreLocation:
        if backend == "folder":
            return folder_location(root / "store")
        name = "e2e-" + secrets.token_hex(6)
        if backend == "s3":
            server: SeaweedFS = request.getfixturevalue("seaweedfs")
            server.start()  # a test may have killed it
            server.create_bucket(E2E_BUCKET)
            return s3_location(server, name)
        dav: WebDavServer = request.getfixturevalue("webdav_server")
        dav.mkcol(name)
        return webdav_location(dav, name)

    return fresh


@pytest.fixture(scope="session")
def vault_templates(
    tmp_path_factory: pytest.TempPathFactory, e2e_locations: Callable[[str, Path], StoreLocation]
) -> Callable[[str], Template]:
    """Per backend, one vault with three devices bound by the real `init` and `join`."""
    made: dict[str, Template] = {}

    def template(backend: str) -> Template:
        if backend not in made:
            root = tmp_path_factory.mktemp(f"vault-template-{backend}")
            location = e2e_locations(backend, root)
            bind_fresh(root, len(DEVICE_NAMES), location)
            made[backend] = Template(root, location)
        return made[backend]

    return template


@pytest.fixture
def make_devices(
    e2e_backend: str,
    e2e_locations: Callable[[str, Path], StoreLocation],
    vault_templates: Callable[[str], Template],
    tmp_path: Path,
) -> Iterator[MakeDevices]:
    made: list[Device] = []

    def make(n: int = 2, *, fresh: bool = False) -> list[Device]:
        assert 1 <= n <= len(DEVICE_NAMES)
        assert not made, "make_devices is called once per test"
        location = e2e_locations(e2e_backend, tmp_path)
        if fresh:
            devices = bind_fresh(tmp_path, n, location)
        else:
            devices = _clone(vault_templates(e2e_backend), tmp_path, n, location)
        made.extend(devices)
        return devices

    yield make
    # Shown by pytest only when the test failed: which commands it ran, device by device.
    for d in made:
        print(f"{d.name}: " + "\n    ".join(d.calls))
