"""Benchmark: Coffre against restic, rclone crypt and Syncthing on one local SeaweedFS (issue 4).

Cases:
  peers      on the fixed 256 MiB data set (bench/dataset.py): Coffre first sync,
             restic backup, rclone copy through a crypt remote, then the no-change
             re-run of each; then end-to-end propagation to a second folder:
             Coffre (sync A, then sync B) against two local Syncthing instances
  rss-1gib   peak RSS of Coffre's first sync of one 1 GiB random file  [< 250 MB],
             and of its first download on a new device  [< 250 MB]
  download   only the first download of the data set on a new device (and the uploads it
             needs) against `restic restore` of the same snapshot, on SeaweedFS  [faster]
  small-100k 100,000 small files (155 MB, bench/dataset.make_small_set) on a folder store
             on the local disk: Coffre first sync and no-change re-run against restic
             backup to a local repository, then a new device's first download (join +
             sync) against `restic restore` of the same snapshot, with peak RSS
             [1.5x, 3x, faster; < 250 MB]
The peers case also writes the data set's bytes to the same SeaweedFS with four parallel
PUTs of 16 MiB (curl, SigV4): the ceiling a first sync is compared with.

    python bench/peers.py                      # every case
    python bench/peers.py --case rss-1gib --out /tmp/peers.json --keep

Targets (issue 4, shown, not asserted): restic first / Coffre first >= 1.5,
restic re-run / Coffre re-run >= 3, Syncthing propagation / Coffre propagation > 1,
Coffre peak RSS < 250 MB on the 1 GiB file. Wall times include each tool's process
start and Coffre's unlock. By default Coffre's devices are remembered (`init|join
--remember`) and every later command opens the vault from the device key kept in the
OS keyring, the path a person's own computer takes (issue 13): the script runs itself
in its own D-Bus session with an unlocked gnome-keyring, whose files live in the temp
directory, under keyring services of its own, so it never touches a person's keyring.
`--passphrase-unlock` times the passphrase path instead (Argon2id on every run). The
path timed is printed, and written in the JSON flags. Peak RSS is the measured process's own
(`ru_maxrss` from wait4), in decimal MB; CPU s is its user + system time, and
load the 1-minute load average at its start: on a shared machine wall times
swing with the load, CPU times much less. Dirty pages are flushed (sync) before
each timed run, so no tool pays for writing the previous one's data. Everything
listens on 127.0.0.1 only; every process started here is stopped and the temp
directory removed on exit, failure or Ctrl-C (--keep keeps the files, not the
processes).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402
from bench.bytecode import compile_sources  # noqa: E402
from bench.dataset import make_dataset  # noqa: E402
from tests.servers.seaweedfs import SeaweedFS, free_ports  # noqa: E402

SEAWEED_PORTS = ("s3", "master", "volume", "filer", "admin")
COMMAND_TIMEOUT = 900.0  # seconds, for any one measured command
SYNCTHING_TIMEOUT = 600.0
PASSPHRASE = "bench peers passphrase"
RESTIC_PASSWORD = "bench restic password"
RCLONE_PASSWORD = "bench rclone password"
BUCKETS = {"coffre": "coffre-bench", "restic": "restic-bench", "rclone": "rclone-bench"}
# Files the tools themselves put in a synced folder: not part of the data.
TOOL_FILES = {".coffre-root", ".stfolder"}
RCLONE_FLAGS = {"default": [], "transfers-8": ["--transfers", "8"]}
# The bench's own keyring: a D-Bus session and gnome-keyring started by the script itself.
KEYRING_ENV = "COFFRE_BENCH_KEYRING"  # "1" inside that session
KEYRING_PASSWORD = "bench keyring password"
KEYRING_SERVICES = {
    "COFFRE_DEVICE_KEY_SERVICE": "coffre-bench-device",  # app/device_key.py
    "COFFRE_KEY_CACHE_SERVICE": "coffre-bench-vault",  # app/key_cache.py
}
UNLOCK_PATHS = {
    "device-key": "device key kept in the OS keyring (init/join --remember; no passphrase "
    "given to later commands; gnome-keyring in the bench's own D-Bus session)",
    "passphrase": "passphrase (COFFRE_PASSPHRASE; Argon2id on every run)",
}
# Environment variables rclone 1.60 must not see (it fails with AWS_CA_BUNDLE set).
_RCLONE_DROP_PREFIXES = ("AWS_", "RCLONE_")


class BenchError(RuntimeError):
    """A tool failed or did not finish in time: the benchmark stops with this message."""


@dataclass
class Result:
    tool: str
    case: str
    seconds: float
    peak_rss_mb: float | None
    cpu_seconds: float | None = None  # user + system: what the run cost, load aside
    load: float | None = None  # the machine's 1-minute load average when the run started
    note: str = ""


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float | None = None
    load: float | None = None


# -- processes: every one started here is tracked and stopped on exit -------------------

_running: set[subprocess.Popen[bytes]] = set()


def _kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def stop_all() -> None:
    """Stop what is still running (TERM, then KILL): called on every exit path."""
    for proc in list(_running):
        if proc.poll() is None:
            _kill_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for proc in list(_running):
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        if proc.poll() is None:
            _kill_group(proc)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        _running.discard(proc)


def spawn(
    cmd: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _running.add(proc)
    return proc


def reap(proc: subprocess.Popen[bytes], deadline: float, what: str) -> tuple[int, float, float]:
    """Wait (bounded) for `proc`: its exit code, peak RSS in MB (ru_maxrss) and CPU seconds."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            _running.discard(proc)  # only once reaped: an interrupt leaves it to stop_all
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            return proc.returncode, usage.ru_maxrss * 1024 / 1e6, cpu
        if time.monotonic() > deadline:
            _kill_group(proc)
            proc.wait(timeout=10)
            _running.discard(proc)
            raise BenchError(f"{what} did not finish in time; it was killed")
        time.sleep(0.005)


def _tail(log: Path, limit: int = 2500) -> str:
    return log.read_text(errors="replace")[-limit:] if log.exists() else ""


def run_measured(cmd: list[str], env: dict[str, str], log: Path, what: str) -> Measured:
    """Run a command to its end; its wall time and peak RSS. A failure stops the benchmark."""
    load = settle()
    start = time.perf_counter()
    proc = spawn(cmd, env, log)
    code, rss, cpu = reap(proc, time.monotonic() + COMMAND_TIMEOUT, what)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise BenchError(f"{what} failed (exit {code}); log {log}:\n{_tail(log)}")
    return Measured(elapsed, rss, cpu, load)


def settle() -> float:
    """Flush dirty pages (a data set just written) so no run pays for an earlier one's writes.

    Returns the 1-minute load average: on a shared machine it explains a slow run.
    """
    os.sync()
    return os.getloadavg()[0]


# -- trees ---------------------------------------------------------------------------------


def listing(root: Path) -> dict[str, int]:
    """Relative path -> size of every file under root, the tools' own markers left out."""
    found: dict[str, int] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath, name)
            rel = path.relative_to(root).as_posix()
            if rel not in TOOL_FILES:
                found[rel] = path.stat().st_size
    return found


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def same_tree(a: Path, b: Path, expected: dict[str, int], sample: int = 300) -> str | None:
    """None if b holds a's files (names, sizes, and the contents of a sample); else why not."""
    got = listing(b)
    if got != expected:
        missing = sorted(set(expected) - set(got))[:3]
        extra = sorted(set(got) - set(expected))[:3]
        sizes = [k for k in expected if k in got and got[k] != expected[k]][:3]
        return f"{len(got)}/{len(expected)} files; missing {missing} extra {extra} size {sizes}"
    names = sorted(expected)
    rnd = random.Random(7)
    chosen = set(rnd.sample(names, min(sample, len(names))))
    chosen |= {n for n in names if n.startswith("archives/")}  # always the large files
    for rel in sorted(chosen):
        if _digest(a / rel) != _digest(b / rel):
            return f"content differs: {rel}"
    return None


# -- the bench run -------------------------------------------------------------------------


@dataclass
class Bench:
    base: Path
    weed: SeaweedFS
    data: Path
    data_bytes: int
    expected: dict[str, int]
    results: list[Result] = field(default_factory=list)
    flags: dict[str, str] = field(default_factory=dict)
    smoke: bool = False
    unlock: str = "device-key"  # a key of UNLOCK_PATHS: how Coffre's commands open the vault

    @property
    def logs(self) -> Path:
        return self.base / "logs"

    def add(
        self, tool: str, case: str, m: Measured | None, seconds: float = 0.0, note: str = ""
    ) -> None:
        r = Result(
            tool,
            case,
            round(m.seconds if m else seconds, 2),
            round(m.peak_rss_mb, 1) if m else None,
            round(m.cpu_seconds, 2) if m and m.cpu_seconds is not None else None,
            round(m.load, 1) if m and m.load is not None else None,
            note,
        )
        self.results.append(r)
        rss = f"{r.peak_rss_mb:7.1f}" if r.peak_rss_mb is not None else "      -"
        cpu = f"{r.cpu_seconds:7.2f}" if r.cpu_seconds is not None else "      -"
        load = f"load {r.load:4.1f}" if r.load is not None else ""
        print(f"  {tool:<14} {case:<30} {r.seconds:8.2f} s {rss} MB {cpu} cpu-s  {load}  {note}")

    def fresh_copy(self, name: str) -> Path:
        """A copy of the data set (with its mtimes) for a tool that needs its own folder."""
        target = self.base / name
        shutil.copytree(self.data, target, ignore=shutil.ignore_patterns(*TOOL_FILES))
        return target


class Coffre:
    """One Coffre device: its own COFFRE_HOME, driven through the real CLI."""

    def __init__(
        self, bench: Bench, name: str, folder: Path, folder_store: Path | None = None
    ) -> None:
        self.bench = bench
        self.name = name
        self.folder = folder
        self.folder_store = folder_store  # a folder store there instead of SeaweedFS
        self.env = {
            **os.environ,
            "COFFRE_HOME": str(bench.base / f"coffre-home-{name}"),
            "COFFRE_PASSPHRASE": PASSPHRASE,
            "AWS_ACCESS_KEY_ID": bench.weed.access_key,
            "AWS_SECRET_ACCESS_KEY": bench.weed.secret_key,
        }
        if bench.unlock == "device-key":
            self.env.update(KEYRING_SERVICES)

    def run(self, *args: str) -> Measured:
        """One CLI command. On the device-key path only init and join get the passphrase:
        a later command that could not open the vault from the kept key fails the bench."""
        cmd = [sys.executable, "-m", "app.cli", *args]
        env = self.env
        if self.bench.unlock == "device-key":
            if args[0] in ("init", "join"):
                cmd.append("--remember")
            else:
                env = {k: v for k, v in env.items() if k != "COFFRE_PASSPHRASE"}
        log = self.bench.logs / f"coffre-{self.name}.log"
        m = run_measured(cmd, env, log, f"coffre {args[0]} ({self.name})")
        kept = "This computer is remembered" in _tail(log, 4000)
        if args[0] in ("init", "join") and self.bench.unlock == "device-key" and not kept:
            raise BenchError(f"coffre {args[0]} --remember did not keep a device key: {log}")
        return m

    def store_url(self, prefix: str) -> str:
        if self.folder_store is not None:
            return str(self.folder_store / prefix)
        return f"s3://{BUCKETS['coffre']}/{prefix}?endpoint={self.bench.weed.endpoint}"

    def init(self, prefix: str) -> None:
        self.run(
            "init",
            "--store",
            self.store_url(prefix),
            "--folder",
            str(self.folder),
            "--device-name",
            self.name,
        )

    def join(self, prefix: str) -> Measured:
        return self.run(
            "join",
            "--store",
            self.store_url(prefix),
            "--folder",
            str(self.folder),
            "--device-name",
            self.name,
        )

    def sync(self) -> Measured:
        return self.run("sync", "--folder", str(self.folder))


def bench_coffre(b: Bench) -> None:
    dev = Coffre(b, "a", b.data)
    dev.init("vault")
    b.add("coffre", "first sync", dev.sync())
    b.add("coffre", "no-change re-run", dev.sync())


def bench_restic(b: Bench) -> None:
    repo = f"s3:{b.weed.endpoint}/{BUCKETS['restic']}"
    env = {
        **os.environ,
        "RESTIC_PASSWORD": RESTIC_PASSWORD,
        "RESTIC_CACHE_DIR": str(b.base / "restic-cache"),
        "AWS_ACCESS_KEY_ID": b.weed.access_key,
        "AWS_SECRET_ACCESS_KEY": b.weed.secret_key,
    }
    log = b.logs / "restic.log"
    run_measured(["restic", "-r", repo, "init"], env, log, "restic init")
    backup = ["restic", "-r", repo, "backup", "--exclude", ".coffre-root", str(b.data)]
    b.flags["restic"] = " ".join(backup[3:-1]) + " (defaults otherwise; own cache dir)"
    b.add("restic", "first backup", run_measured(backup, env, log, "restic backup"))
    b.add("restic", "no-change re-run", run_measured(backup, env, log, "restic backup (re-run)"))


def rclone_env(b: Bench, obscured: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_RCLONE_DROP_PREFIXES)}
    config = b.base / "rclone.conf"
    config.touch()
    env.update(
        RCLONE_CONFIG=str(config),
        RCLONE_CONFIG_STORE_TYPE="s3",
        RCLONE_CONFIG_STORE_PROVIDER="SeaweedFS",
        RCLONE_CONFIG_STORE_ENV_AUTH="false",
        RCLONE_CONFIG_STORE_ENDPOINT=b.weed.endpoint,
        RCLONE_CONFIG_STORE_ACCESS_KEY_ID=b.weed.access_key,
        RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY=b.weed.secret_key,
    )
    for label in RCLONE_FLAGS:
        name = "SECRET" + label.upper().replace("-", "")
        env[f"RCLONE_CONFIG_{name}_TYPE"] = "crypt"
        env[f"RCLONE_CONFIG_{name}_REMOTE"] = f"store:{BUCKETS['rclone']}/{label}"
        env[f"RCLONE_CONFIG_{name}_PASSWORD"] = obscured
    return env


def bench_rclone(b: Bench) -> None:
    obscured = subprocess.run(
        ["rclone", "obscure", "-"],
        input=RCLONE_PASSWORD,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    env = rclone_env(b, obscured)
    log = b.logs / "rclone.log"
    for label, extra in RCLONE_FLAGS.items():
        remote = "secret" + label.replace("-", "") + ":"
        cmd = ["rclone", "copy", str(b.data), remote, "--exclude", "/.coffre-root", *extra]
        b.flags[f"rclone ({label})"] = " ".join(["--exclude", "/.coffre-root", *extra])
        case = "" if label == "default" else f" {label}"
        b.add("rclone crypt", f"first copy{case}", run_measured(cmd, env, log, "rclone copy"))
        b.add(
            "rclone crypt",
            f"no-change re-run{case}",
            run_measured(cmd, env, log, "rclone copy (re-run)"),
        )


def prop_coffre(b: Bench) -> None:
    a = Coffre(b, "prop-a", b.fresh_copy("prop-a"))
    dest = b.base / "prop-b"
    dest.mkdir()
    other = Coffre(b, "prop-b", dest)
    a.init("propagation")
    other.join("propagation")  # not timed: binding a device is a one-off
    up = a.sync()
    down = other.sync()
    why = same_tree(a.folder, dest, b.expected)
    if why:
        raise BenchError(f"Coffre propagation incomplete after B's sync: {why}")
    b.add("coffre", "propagation: A sync", up)
    b.add("coffre", "propagation: B sync", down)
    total = Measured(
        up.seconds + down.seconds,
        max(up.peak_rss_mb, down.peak_rss_mb),
        (up.cpu_seconds or 0) + (down.cpu_seconds or 0),
        up.load,
    )
    b.add("coffre", "propagation A->B (total)", total, note="B's tree verified")
    shutil.rmtree(a.folder, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)


# -- Syncthing -----------------------------------------------------------------------------


@dataclass
class SyncthingNode:
    name: str
    home: Path
    folder: Path
    listen_port: int
    gui_port: int
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    device_id: str = ""
    proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "STNORESTART": "1", "STNOUPGRADE": "1", "STNODEFAULTFOLDER": "1"}

    def generate(self, log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as logfile:
            subprocess.run(
                ["syncthing", "generate", f"--home={self.home}", "--no-default-folder"],
                env=self.env(),
                stdout=logfile,
                stderr=subprocess.STDOUT,
                timeout=60,
                check=True,
            )
        out = subprocess.run(
            ["syncthing", "serve", f"--home={self.home}", "--device-id"],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        self.device_id = out.stdout.strip()

    def configure(self, peer: SyncthingNode) -> None:
        """Local-only, quiet, both devices known to each other, one shared folder."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        cfg = tree.getroot()
        options = cfg.find("options")
        assert options is not None
        settings = {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "announceLANAddresses": "false",
            "urAccepted": "-1",
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "setLowPriority": "false",  # Coffre does not lower its priority either
        }
        for tag, value in settings.items():
            node = options.find(tag)
            if node is None:
                node = ET.SubElement(options, tag)
            node.text = value
        gui = cfg.find("gui")
        assert gui is not None
        gui.set("enabled", "true")
        gui.set("tls", "false")
        gui.findall("address")[0].text = f"127.0.0.1:{self.gui_port}"
        gui.findall("apikey")[0].text = self.api_key
        own = cfg.find("device")
        assert own is not None
        own.set("name", self.name)
        other = ET.fromstring(ET.tostring(own))
        other.set("id", peer.device_id)
        other.set("name", peer.name)
        other.findall("address")[0].text = f"tcp://127.0.0.1:{peer.listen_port}"
        cfg.insert(list(cfg).index(own) + 1, other)
        template = cfg.find("defaults/folder")
        assert template is not None
        folder = ET.fromstring(ET.tostring(template))
        folder.set("id", "bench")
        folder.set("label", "bench")
        folder.set("path", str(self.folder))
        folder.set("type", "sendreceive")
        folder.set("fsWatcherEnabled", "false")  # one full scan at start is what we time
        for dev in folder.findall("device"):
            dev.set("id", self.device_id)
        peer_dev = ET.SubElement(folder, "device", {"id": peer.device_id, "introducedBy": ""})
        ET.SubElement(peer_dev, "encryptionPassword")
        cfg.insert(0, folder)
        tree.write(path)
        (self.folder / ".stfolder").mkdir(parents=True, exist_ok=True)

    def start(self, log: Path) -> None:
        cmd = [
            "syncthing",
            "serve",
            f"--home={self.home}",
            "--no-browser",
            "--no-restart",
            "--no-upgrade",
            f"--gui-address=http://127.0.0.1:{self.gui_port}",
            f"--gui-apikey={self.api_key}",
            f"--logfile={self.home / 'syncthing.log'}",
        ]
        self.proc = spawn(cmd, self.env(), log)

    def rest(self, path: str) -> dict[str, object] | None:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}", headers={"X-API-Key": self.api_key}
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                data = json.loads(resp.read())
                return data if isinstance(data, dict) else None
        except (OSError, urllib.error.URLError, ValueError):
            return None

    def stop(self) -> tuple[float, float] | None:
        """Stop (TERM, bounded); its peak RSS in MB and CPU seconds."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        _kill_group(proc, signal.SIGTERM)
        try:
            _code, rss, cpu = reap(proc, time.monotonic() + 20, f"syncthing {self.name} shutdown")
        except BenchError:
            return None
        return rss, cpu


def prop_syncthing(b: Bench) -> None:
    base = b.base / "syncthing"
    ports = free_ports(4)
    a = SyncthingNode("st-a", base / "home-a", b.fresh_copy("syncthing-a"), ports[0], ports[1])
    node_b = SyncthingNode("st-b", base / "home-b", base / "folder-b", ports[2], ports[3])
    log = b.logs / "syncthing.log"
    for node in (a, node_b):
        node.generate(log)
    a.configure(node_b)
    node_b.configure(a)
    b.flags["syncthing"] = (
        "tcp://127.0.0.1 only; discovery, relays, NAT, usage/crash reports, upgrades off; "
        "fsWatcher off, rescan 3600 s, setLowPriority false; otherwise defaults"
    )
    count = len(b.expected)
    try:
        load = settle()
        start = time.perf_counter()
        a.start(log)
        node_b.start(log)
        deadline = time.monotonic() + SYNCTHING_TIMEOUT
        last: object = "no answer from B's REST API"
        while True:
            if time.monotonic() > deadline:
                raise BenchError(
                    f"Syncthing B not complete within {SYNCTHING_TIMEOUT:.0f} s ({last})"
                )
            for node in (a, node_b):
                if node.proc is not None and node.proc.poll() is not None:
                    raise BenchError(f"syncthing {node.name} exited; log {node.home}/syncthing.log")
            status = node_b.rest("/rest/db/status?folder=bench")
            if status is not None:
                last = {k: status.get(k) for k in ("state", "localFiles", "needTotalItems")}
                # Directories count as 128 bytes in localBytes: check files, then the disk.
                if (
                    status.get("needTotalItems") == 0
                    and status.get("localFiles") == count
                    and listing(node_b.folder) == b.expected
                ):
                    break
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        used = [u for u in (a.stop(), node_b.stop()) if u is not None]
    why = same_tree(a.folder, node_b.folder, b.expected)  # contents, outside the timing
    if why:
        raise BenchError(f"Syncthing said B is complete, but: {why}")
    note = "peak RSS A, B: " + ", ".join(f"{rss:.0f} MB" for rss, _ in used)
    total = (
        Measured(elapsed, max(r for r, _ in used), sum(c for _, c in used), load) if used else None
    )
    b.add("syncthing", "propagation A->B (total)", total, elapsed, note + "; B's tree verified")
    shutil.rmtree(base, ignore_errors=True)


# -- raw PUT ceiling ---------------------------------------------------------------------------

RAW_PUT_PART = 16 * 1024 * 1024
RAW_PUT_PARALLEL = 4
RAW_PUT_BUCKET = "raw-put-bench"


def _raw_parts(b: Bench, target: Path) -> list[Path]:
    """The data set's bytes (every file, in listing order) cut into 16 MiB part files."""
    target.mkdir()
    parts: list[Path] = []
    out = None
    filled = 0
    for rel in sorted(b.expected):
        with open(b.data / rel, "rb") as f:
            while block := f.read(RAW_PUT_PART - filled if out else RAW_PUT_PART):
                if out is None:
                    parts.append(target / f"part-{len(parts):04d}")
                    out = open(parts[-1], "wb")  # noqa: SIM115 (closed below)
                out.write(block)
                filled += len(block)
                if filled == RAW_PUT_PART:
                    out.close()
                    out, filled = None, 0
    if out is not None:
        out.close()
    return parts


def bench_raw_put(b: Bench) -> None:
    """The same bytes as the data set, PUT to the same SeaweedFS, 4 at a time, 16 MiB each."""
    if shutil.which("curl") is None:
        print("  (curl is not installed: no raw-PUT ceiling)")
        return
    b.weed.create_bucket(RAW_PUT_BUCKET)
    parts = _raw_parts(b, b.base / "raw-put")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_RCLONE_DROP_PREFIXES)}
    log = b.logs / "raw-put.log"
    user = f"{b.weed.access_key}:{b.weed.secret_key}"

    def put(part: Path) -> subprocess.Popen[bytes]:
        url = f"{b.weed.endpoint}/{RAW_PUT_BUCKET}/{part.name}"
        cmd = ["curl", "-sS", "-f", "--aws-sigv4", "aws:amz:us-east-1:s3", "-T", str(part), url]
        return spawn([*cmd, "--user", user], env, log)

    load = settle()
    start = time.perf_counter()
    deadline = time.monotonic() + COMMAND_TIMEOUT
    waiting, running = list(parts), []
    while waiting or running:
        while waiting and len(running) < RAW_PUT_PARALLEL:
            running.append(put(waiting.pop(0)))
        for proc in list(running):
            if proc.poll() is not None:
                running.remove(proc)
                _running.discard(proc)
                if proc.returncode != 0:
                    raise BenchError(f"a raw PUT failed (exit {proc.returncode}); log {log}")
        if time.monotonic() > deadline:
            raise BenchError("the raw PUTs did not finish in time")
        time.sleep(0.002)
    elapsed = time.perf_counter() - start
    total = sum(p.stat().st_size for p in parts)
    note = f"{len(parts)} PUTs, {total / 2**20:.0f} MiB, {RAW_PUT_PARALLEL} at a time"
    b.add("raw PUT", "data set bytes", None, seconds=elapsed, note=f"{note}; load {load:.1f}")
    shutil.rmtree(b.base / "raw-put", ignore_errors=True)


# -- 100,000 small files on a folder store ---------------------------------------------------


def case_small_100k(b: Bench) -> None:
    """100,000 small files on a folder store: first sync and no-change re-run against restic
    backup to a local repository, then a new device's first download of that vault against
    `restic restore` of that snapshot; peak RSS of each."""
    data = b.base / "small-100k"
    t = time.perf_counter()
    size = dataset.make_small_set(data, dataset.SMALL_SET_FILES)
    expected = listing(data)
    print(
        f"small set: {len(expected)} files, {size / 1e6:.0f} MB, built in "
        f"{time.perf_counter() - t:.1f} s; folder store and restic repository on {b.base}",
        flush=True,
    )
    stores = b.base / "stores"
    dev = Coffre(b, "small", data, folder_store=stores)
    dev.init("small-100k")
    b.add("coffre", "100k small: first sync", dev.sync())
    b.add("coffre", "100k small: no-change", dev.sync())

    env = {
        **os.environ,
        "RESTIC_PASSWORD": RESTIC_PASSWORD,
        "RESTIC_CACHE_DIR": str(b.base / "restic-small-cache"),
    }
    repo = str(stores / "restic-small-100k")
    log = b.logs / "restic-small.log"
    run_measured(["restic", "-r", repo, "init"], env, log, "restic init (small)")
    backup = ["restic", "-r", repo, "backup", "--exclude", ".coffre-root", str(data)]
    b.flags["restic (small-100k)"] = "local repository; " + " ".join(backup[3:-1])
    b.add("restic", "100k small: first backup", run_measured(backup, env, log, "restic backup"))
    b.add("restic", "100k small: no-change", run_measured(backup, env, log, "restic re-run"))

    down = Coffre(b, "small-down", b.base / "small-100k-down", folder_store=stores)
    first_download(b, down, "small-100k", data, expected, "100k small: download")
    env["RESTIC_CACHE_DIR"] = str(b.base / "restic-small-restore-cache")  # a new device
    restic_restore(b, env, repo, data, expected, "100k small: restore")
    shutil.rmtree(data, ignore_errors=True)


def small_ratios(results: list[Result]) -> list[dict[str, object]]:
    """The raw-PUT ceiling and the 100,000-small-file rows of the table (issue 13)."""
    rows: list[dict[str, object]] = []

    def row(label: str, value: float, target: str, met: bool) -> None:
        rows.append({"ratio": label, "value": round(value, 2), "target": target, "met": met})

    first, raw = _find(results, "coffre", "first sync"), _find(results, "raw PUT", "data set bytes")
    if first and raw and raw.seconds > 0:
        row(
            "Coffre first sync / raw PUT time",
            first.seconds / raw.seconds,
            "<= 1.3",
            first.seconds / raw.seconds <= 1.3,
        )
    for label, tool_case, coffre_case, target in (
        (
            "100k small: restic first / Coffre first",
            "100k small: first backup",
            "100k small: first sync",
            1.5,
        ),
        (
            "100k small: restic no-change / Coffre",
            "100k small: no-change",
            "100k small: no-change",
            3.0,
        ),
    ):
        r, c = _find(results, "restic", tool_case), _find(results, "coffre", coffre_case)
        if r and c and c.seconds > 0:
            row(label, r.seconds / c.seconds, f">= {target:g}", r.seconds / c.seconds >= target)
    small_rss = [
        r.peak_rss_mb
        for r in results
        if r.tool == "coffre"
        and r.case in ("100k small: first sync", "100k small: no-change")
        and r.peak_rss_mb is not None
    ]
    if small_rss:  # the download's own row is in download_ratios
        row(
            "Coffre peak RSS, 100k small: upload (MB)",
            max(small_rss),
            "< 250",
            max(small_rss) < 250,
        )
    return rows


# -- cases -----------------------------------------------------------------------------------


# -- first download on a new device (issue 13) ------------------------------------------------


def _joined(first: Measured, second: Measured) -> Measured:
    """Two runs one after the other (join, then the first sync): what a new device waits for."""
    return Measured(
        first.seconds + second.seconds,
        max(first.peak_rss_mb, second.peak_rss_mb),
        (first.cpu_seconds or 0) + (second.cpu_seconds or 0),
        first.load,
    )


def first_download(
    b: Bench, dev: Coffre, prefix: str, source: Path, expected: dict[str, int], label: str
) -> None:
    """Time a new device's join and first sync of an existing vault; check the tree."""
    dev.folder.mkdir()
    join = dev.join(prefix)
    down = dev.sync()
    why = same_tree(source, dev.folder, expected)
    if why:
        raise BenchError(f"Coffre's first download ({label}) is incomplete: {why}")
    b.add("coffre", f"{label}: join", join)
    b.add("coffre", f"{label}: first sync", down)
    b.add("coffre", f"{label} (join+sync)", _joined(join, down), note="tree verified")
    shutil.rmtree(dev.folder, ignore_errors=True)


def download_coffre(b: Bench) -> None:
    """A new device joins the vault bench_coffre filled and downloads the data set."""
    dev = Coffre(b, "down", b.base / "down-coffre")
    first_download(b, dev, "vault", b.data, b.expected, "first download")


def restic_restore(
    b: Bench, env: dict[str, str], repo: str, source: Path, expected: dict[str, int], case: str
) -> None:
    """`restic restore latest` of `source`'s snapshot into an empty folder; check the tree."""
    target = b.base / f"restic-restore-{len(b.results)}"
    cmd = ["restic", "-r", repo, "restore", "latest", "--target", str(target)]
    b.flags["restic restore"] = "restore latest --target DIR (defaults otherwise)"
    m = run_measured(cmd, env, b.logs / "restic.log", "restic restore")
    # restic recreates the snapshot's absolute path under the target.
    why = same_tree(source, target / source.relative_to(source.anchor), expected)
    if why:
        raise BenchError(f"restic restore is incomplete: {why}")
    b.add("restic", case, m, note="tree verified")
    shutil.rmtree(target, ignore_errors=True)


def download_restic(b: Bench) -> None:
    """`restic restore` of the snapshot bench_restic took (the same data set, same store)."""
    repo = f"s3:{b.weed.endpoint}/{BUCKETS['restic']}"
    env = {
        **os.environ,
        "RESTIC_PASSWORD": RESTIC_PASSWORD,
        "RESTIC_CACHE_DIR": str(b.base / "restic-cache-restore"),  # a new device: no cache
        "AWS_ACCESS_KEY_ID": b.weed.access_key,
        "AWS_SECRET_ACCESS_KEY": b.weed.secret_key,
    }
    restic_restore(b, env, repo, b.data, b.expected, "restore (new device)")


def download_1gib(b: Bench, folder: Path) -> None:
    """Peak RSS of a new device downloading the 1 GiB file case_rss_1gib uploaded."""
    dev = Coffre(b, "rss-down", b.base / "rss-1gib-down")
    first_download(b, dev, "rss-1gib", folder, listing(folder), "1 GiB file: download")


def case_peers(b: Bench) -> None:
    print("Coffre:", flush=True)
    bench_coffre(b)
    print("raw PUT ceiling:", flush=True)
    bench_raw_put(b)
    print("restic:", flush=True)
    bench_restic(b)
    print("rclone crypt:", flush=True)
    bench_rclone(b)
    print("first download on a new device:", flush=True)
    download_coffre(b)
    download_restic(b)
    print("propagation:", flush=True)
    prop_coffre(b)
    prop_syncthing(b)


def case_download(b: Bench) -> None:
    """The first download of the data set on a new device, against `restic restore`, without
    the rest of `peers` (the uploads it needs are timed too, as in `peers`)."""
    print("Coffre:", flush=True)
    bench_coffre(b)
    print("restic:", flush=True)
    bench_restic(b)
    print("first download on a new device:", flush=True)
    download_coffre(b)
    download_restic(b)


def case_rss_1gib(b: Bench) -> None:
    folder = b.base / "rss-1gib"
    folder.mkdir()
    rnd = random.Random(1)
    with open(folder / "big.bin", "wb") as f:
        for _ in range(128):
            f.write(rnd.randbytes(8 << 20))
    dev = Coffre(b, "rss", folder)
    dev.init("rss-1gib")
    b.add("coffre", "1 GiB file: first sync", dev.sync())
    download_1gib(b, folder)
    shutil.rmtree(folder, ignore_errors=True)


CASES: dict[str, Callable[[Bench], None]] = {
    "peers": case_peers,
    "rss-1gib": case_rss_1gib,
    "small-100k": case_small_100k,
    "download": case_download,
}
DATA_SET_CASES = {"peers", "download"}  # the cases that run on bench/dataset.py's data set


# -- report ----------------------------------------------------------------------------------


def _find(results: list[Result], tool: str, case: str) -> Result | None:
    return next((r for r in results if r.tool == tool and r.case == case), None)


def ratios(results: list[Result]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def ratio(
        label: str,
        num: tuple[str, str],
        den: tuple[str, str],
        target: str,
        ok: Callable[[float], bool],
    ) -> None:
        n, d = _find(results, *num), _find(results, *den)
        if n and d and d.seconds > 0:
            value = n.seconds / d.seconds
            rows.append(
                {"ratio": label, "value": round(value, 2), "target": target, "met": ok(value)}
            )

    ratio(
        "restic first backup / Coffre first sync",
        ("restic", "first backup"),
        ("coffre", "first sync"),
        ">= 1.5",
        lambda v: v >= 1.5,
    )
    ratio(
        "restic re-run / Coffre re-run",
        ("restic", "no-change re-run"),
        ("coffre", "no-change re-run"),
        ">= 3",
        lambda v: v >= 3,
    )
    ratio(
        "rclone crypt first copy / Coffre first sync",
        ("rclone crypt", "first copy"),
        ("coffre", "first sync"),
        "(info)",
        lambda v: True,
    )
    ratio(
        "Syncthing propagation / Coffre propagation",
        ("syncthing", "propagation A->B (total)"),
        ("coffre", "propagation A->B (total)"),
        "> 1",
        lambda v: v > 1,
    )
    coffre_rss = [
        r.peak_rss_mb
        for r in results
        if r.tool == "coffre"
        and r.peak_rss_mb is not None
        and not r.case.startswith(("1 GiB", "100k small"))
    ]
    if coffre_rss:
        rows.append(
            {
                "ratio": "Coffre peak RSS, data set (MB)",
                "value": max(coffre_rss),
                "target": "(info)",
                "met": True,
            }
        )
    big = _find(results, "coffre", "1 GiB file: first sync")
    if big and big.peak_rss_mb is not None:
        rows.append(
            {
                "ratio": "Coffre peak RSS, 1 GiB file (MB)",
                "value": big.peak_rss_mb,
                "target": "< 250",
                "met": big.peak_rss_mb < 250,
            }
        )
    rows += small_ratios(results)
    rows += download_ratios(results)
    return rows


def download_ratios(results: list[Result]) -> list[dict[str, object]]:
    """Issue 13: a new device's first download against `restic restore`, and its peak RSS."""
    rows: list[dict[str, object]] = []
    pairs = (
        ("data set, S3", "first download (join+sync)", "restore (new device)"),
        ("100k small, folder", "100k small: download (join+sync)", "100k small: restore"),
    )
    for label, coffre_case, restic_case in pairs:
        c, r = _find(results, "coffre", coffre_case), _find(results, "restic", restic_case)
        if c and r and c.seconds > 0:
            value = r.seconds / c.seconds
            rows.append(
                {
                    "ratio": f"restic restore / Coffre first download ({label})",
                    "value": round(value, 2),
                    "target": "> 1",
                    "met": value > 1,
                }
            )
    for case in (
        "first download (join+sync)",
        "1 GiB file: download (join+sync)",
        "100k small: download (join+sync)",
    ):
        c = _find(results, "coffre", case)
        if c and c.peak_rss_mb is not None:
            rows.append(
                {
                    "ratio": f"Coffre peak RSS, {case.split(' (')[0]} (MB)",
                    "value": c.peak_rss_mb,
                    "target": "< 250",
                    "met": c.peak_rss_mb < 250,
                }
            )
    return rows


def print_table(b: Bench, rows: list[dict[str, object]]) -> None:
    print()
    head = f"{'tool':<14} {'case':<30} {'wall s':>8} {'peak RSS MB':>12} {'CPU s':>8} {'load':>5}"
    print(head + "  note")
    print("-" * 110)
    for r in b.results:
        rss = f"{r.peak_rss_mb:.1f}" if r.peak_rss_mb is not None else "-"
        cpu = f"{r.cpu_seconds:.2f}" if r.cpu_seconds is not None else "-"
        load = f"{r.load:.1f}" if r.load is not None else "-"
        print(f"{r.tool:<14} {r.case:<30} {r.seconds:>8.2f} {rss:>12} {cpu:>8} {load:>5}  {r.note}")
    print()
    for row in rows:
        mark = "" if row["target"] == "(info)" else ("  met" if row["met"] else "  NOT met")
        print(f"{row['ratio']:<46} {row['value']:>8}   target {row['target']}{mark}")
    if b.flags:
        print("\nflags:")
        for tool, flags in b.flags.items():
            print(f"  {tool}: {flags or '(defaults)'}")


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C does, through the cleanup below."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--case",
        action="append",
        choices=sorted(CASES),
        help="run only these (default: all but `download`, which `peers` includes)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench" / "out" / "peers.json",
        help="JSON results file, or a directory to write peers.json in",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp directory (data, logs)")
    parser.add_argument(
        "--passphrase-unlock",
        action="store_true",
        help="time Coffre opening the vault with the passphrase on every run (Argon2id) "
        "instead of the device key kept in the bench's own keyring",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny data set, to check the script itself (meaningless numbers)",
    )
    args = parser.parse_args()
    if not args.passphrase_unlock and os.environ.get(KEYRING_ENV) != "1":
        return run_in_own_keyring(parser)
    compile_sources()
    if args.smoke:
        dataset.SMALL_FILES, dataset.TOTAL_BYTES = 300, 8 << 20
        dataset.SMALL_SET_FILES = 1000
    cases = args.case or [c for c in CASES if c != "download"]  # download: a part of peers
    out: Path = args.out / "peers.json" if args.out.is_dir() else args.out
    for tool in ("restic", "rclone", "syncthing"):
        needed = "peers" in cases or (tool == "restic" and cases != ["rss-1gib"])
        if needed and shutil.which(tool) is None:
            parser.error(f"{tool} is not installed (apt-get install {tool})")

    base = Path(tempfile.mkdtemp(prefix="coffre-bench-peers-"))
    weed = SeaweedFS(
        base / "seaweedfs", dict(zip(SEAWEED_PORTS, free_ports(len(SEAWEED_PORTS)), strict=True))
    )
    status = 1
    try:
        with terminate_on_sigterm():
            (base / "seaweedfs").mkdir()
            weed.start()
            for bucket in BUCKETS.values():
                weed.create_bucket(bucket)
            data = base / "data"
            t = time.perf_counter()
            with_data = bool(DATA_SET_CASES & set(cases))
            size = make_dataset(data) if with_data else 0
            expected = listing(data) if with_data else {}
            if with_data:
                print(
                    f"data set: {len(expected)} files "
                    f"({dataset.SMALL_FILES} small + {dataset.LARGE_FILES} large), "
                    f"{size / 2**20:.0f} MiB, built in {time.perf_counter() - t:.1f} s; "
                    f"SeaweedFS at {weed.endpoint}",
                    flush=True,
                )
            b = Bench(base, weed, data, size, expected, smoke=args.smoke)
            b.unlock = "passphrase" if args.passphrase_unlock else "device-key"
            b.flags["coffre unlock"] = UNLOCK_PATHS[b.unlock]
            print(f"Coffre opens the vault with: {UNLOCK_PATHS[b.unlock]}", flush=True)
            for name in cases:
                CASES[name](b)
            rows = ratios(b.results)
            print_table(b, rows)
            report = {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "load": os.getloadavg(),
                    "python": platform.python_version(),
                },
                "versions": _versions(),
                "data_set": {"files": len(expected), "bytes": size},
                "results": [asdict(r) for r in b.results],
                "ratios": rows,
                "flags": b.flags,
            }
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(report, indent=2) + "\n")
            print(f"\nwritten: {out}")
            status = 0
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        status = 130
    finally:
        stop_all()
        weed.stop()
        weed.remove_stray_sockets()
        if args.keep:
            print(f"kept: {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
    return status


def run_in_own_keyring(parser: argparse.ArgumentParser) -> int:
    """Run this script again inside its own D-Bus session with an unlocked gnome-keyring
    (as tools/test.sh does for the tests), so Coffre's devices can keep their keys there.

    The keyring's files, configuration and sockets live in a temp directory of their own
    (XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_RUNTIME_DIR), and Coffre uses keyring services
    named for the bench: a person's keyring is never read or written. The session and
    its daemon end with the run; the directory is removed."""
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            parser.error(
                f"{tool} is not installed (apt-get install dbus gnome-keyring), "
                "or run with --passphrase-unlock"
            )
    home = Path(tempfile.mkdtemp(prefix="coffre-bench-keyring-"))
    env = {**os.environ, KEYRING_ENV: "1", "COFFRE_BENCH_KEYRING_PASSWORD": KEYRING_PASSWORD}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
        path = home / var.lower()
        path.mkdir(mode=0o700)
        env[var] = str(path)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.pop("PYTHON_KEYRING_BACKEND", None)
    script = (
        'printf %s "$COFFRE_BENCH_KEYRING_PASSWORD" | '
        "gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        'exec "$@"'
    )
    cmd = ["dbus-run-session", "--", "sh", "-c", script, "sh", sys.executable, *sys.argv]
    proc = subprocess.Popen(cmd, env=env)
    try:
        with terminate_on_sigterm():
            return proc.wait()
    except KeyboardInterrupt:  # the child (same process group) got Ctrl-C too
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            return 130
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _versions() -> dict[str, str]:
    found: dict[str, str] = {}
    for tool, flag in (("restic", "version"), ("rclone", "version"), ("syncthing", "--version")):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            text = subprocess.run([tool, flag], capture_output=True, text=True, timeout=30).stdout
            found[tool] = text.splitlines()[0] if text else "?"
    return found


if __name__ == "__main__":
    sys.exit(main())
