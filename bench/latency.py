"""Benchmark: live sync latency and idle cost of `coffre watch`, default settings, driven as a user.

Cases (issue 13 targets in brackets), each on a folder store on the local disk
and on S3 (SeaweedFS on 127.0.0.1, reached through a counting proxy, so every
request the devices send is counted):

  latency   two `coffre watch` processes with default settings: time from a
            write on A to the file complete on B, over N writes at unrelated
            moments (people at work: each write 0.2-1 s after the previous one
            arrived); with the median time of A's and B's rounds (from their
            debug logs) and, on S3, the requests per second both devices sent
            [median < 2 s, p90 < 3 s]
  cold      the same after each write, the devices left quiet for longer than
            the active hold: what a change made in a quiet folder waits (on S3
            the backed-off poll, by design; informative, no target)
  idle      one idle `coffre watch` on a 10,000-file folder, default settings,
            measured after the folder has been quiet for longer than the
            active hold (schedule.ACTIVE_HOLD_S): CPU time (user + system, from
            /proc/<pid>/stat) over the window, and on S3 the requests sent per
            10 s [< 1 % of one core; on S3 at most one request per 10 s]

    python bench/latency.py                                # every case, both stores
    python bench/latency.py --case latency --writes 40 --store s3
    python bench/latency.py --case idle --seconds 120 --store folder
    python bench/latency.py --case cold --cold-writes 5 --store s3

The machine's load average is printed with each figure: on a shared machine
the latencies are noisy (a round is CPU work competing with everyone else's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bytecode import compile_sources  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync_engine.core.schedule import ACTIVE_HOLD_S  # noqa: E402
from tests.faultproxy import FaultProxy  # noqa: E402
from tests.servers.seaweedfs import SeaweedFS, free_ports  # noqa: E402

PASSPHRASE = "bench latency passphrase"
TIMEOUT_S = 60.0
BUCKET = "coffre-bench-latency"
SEAWEED_PORTS = ("s3", "master", "volume", "filer", "admin")
ROUND_LINE = re.compile(r"round done in ([0-9.]+) s")


@dataclass
class Store:
    """Where the devices' vault lives, and how to count the requests sent to it."""

    kind: str  # "folder" or "s3"
    url: str
    env: dict[str, str]
    proxy: FaultProxy | None = None

    def requests(self) -> int:
        return 0 if self.proxy is None else len(self.proxy.requests)

    def sent_since(self, mark: int) -> list[tuple[str, str]]:
        return [] if self.proxy is None else list(self.proxy.requests)[mark:]


class Device:
    def __init__(self, base: Path, name: str, store: Store, *, debug_log: bool = False) -> None:
        self.name = name
        self.folder = base / name
        self.home = base / f"{name}-home"
        self.store = store
        self.env = dict(
            os.environ, COFFRE_HOME=str(self.home), COFFRE_PASSPHRASE=PASSPHRASE, **store.env
        )
        if debug_log:  # the round durations are logged at debug level
            policy = base / f"{name}-policy.json"
            policy.write_text(json.dumps({"settings": {"log_level": "debug"}}))
            self.env["COFFRE_POLICY_FILE"] = str(policy)
        self.watch_proc: subprocess.Popen[bytes] | None = None
        self.log = base / f"{name}-watch.log"

    def run(self, *args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode not in (0, 3):
            raise SystemExit(f"coffre {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc.stdout

    def bind(self, command: str) -> None:
        self.folder.mkdir(exist_ok=True)
        self.run(command, "--store", self.store.url, "--folder", str(self.folder),
                 "--device-name", self.name)  # fmt: skip

    def watch(self) -> None:
        """`coffre watch` with every setting at its default."""
        with self.log.open("wb") as out:
            self.watch_proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "watch", "--folder", str(self.folder)],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def live_state(self) -> str | None:
        live = json.loads(self.run("status", "--folder", str(self.folder), "--json"))["live"]
        return None if live is None else str(live["state"])

    def wait_idle(self) -> None:
        if not wait_until(lambda: self.live_state() == "idle", TIMEOUT_S, 0.2):
            raise SystemExit(f"{self.name}: the watch never became idle:\n{self.log.read_text()}")

    def round_times(self) -> list[float]:
        """The durations of the live rounds, from the debug log of this device."""
        times: list[float] = []
        for path in sorted((self.home / "logs").glob("*.log*")):
            times += [float(m) for m in ROUND_LINE.findall(path.read_text(errors="replace"))]
        return times

    def stop(self) -> None:
        proc = self.watch_proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f} on {os.cpu_count()} cores"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- stores ------------------------------------------------------------------------------------


@contextmanager
def seaweedfs(base: Path) -> Iterator[SeaweedFS]:
    weed = SeaweedFS(
        base / "seaweedfs", dict(zip(SEAWEED_PORTS, free_ports(len(SEAWEED_PORTS)), strict=True))
    )
    (base / "seaweedfs").mkdir()
    try:
        weed.start()
        weed.create_bucket(BUCKET)
        yield weed
    finally:
        weed.stop()
        weed.remove_stray_sockets()


@contextmanager
def open_store(kind: str, base: Path, weed: SeaweedFS | None) -> Iterator[Store]:
    if kind == "folder":
        yield Store("folder", str(base / "store"), {})
        return
    assert weed is not None
    with FaultProxy(weed.host, weed.port) as proxy:  # no faults: it only counts
        prefix = f"{base.name}-{random.randrange(1 << 30):x}"
        url = f"s3://{BUCKET}/{prefix}?endpoint={proxy.url}"
        env = {"AWS_ACCESS_KEY_ID": weed.access_key, "AWS_SECRET_ACCESS_KEY": weed.secret_key}
        yield Store("s3", url, env, proxy)


# --- cases -------------------------------------------------------------------------------------


def case_latency(base: Path, store: Store, writes: int, quiet_s: float = 0.0) -> None:
    """`quiet_s` 0: writes 0.2-1 s apart (people at work); else that long apart."""
    a = Device(base, "a", store, debug_log=True)
    b = Device(base, "b", store, debug_log=True)
    a.bind("init")
    b.bind("join")
    try:
        a.watch()
        b.watch()
        a.wait_idle()
        b.wait_idle()
        rnd = random.Random(5)
        times = []
        started_at, mark = time.monotonic(), store.requests()
        for i in range(writes):
            data = rnd.randbytes(rnd.randint(1_000, 200_000))
            target = b.folder / f"note-{i:02d}.bin"
            start = time.monotonic()
            (a.folder / target.name).write_bytes(data)

            def arrived(target: Path = target, data: bytes = data) -> bool:
                try:
                    return target.stat().st_size == len(data) and target.read_bytes() == data
                except OSError:
                    return False

            if not wait_until(arrived, TIMEOUT_S, 0.005):
                raise SystemExit(f"write {i} never reached b:\n{b.log.read_text()}")
            times.append(time.monotonic() - start)
            # Writes at unrelated moments of b's poll cycle.
            time.sleep(quiet_s + rnd.uniform(0.2, 1.0))
        active_s = time.monotonic() - started_at
        requests = store.sent_since(mark)
        sent = len(requests)
    finally:
        a.stop()
        b.stop()
    rounds_a, rounds_b = a.round_times(), b.round_times()
    if quiet_s:
        print(
            f"cold      {store.kind:6} {writes} writes A->B, each after {quiet_s:.0f} s of quiet: "
            f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
            f"max {max(times):.2f} s   (no target: the idle poll's price)   ({load()})",
            flush=True,
        )
        return
    print(
        f"latency   {store.kind:6} {writes} writes A->B, default settings: median "
        f"{statistics.median(times):.2f} s, p90 {percentile(times, 0.9):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s   [target: median < 2 s, p90 < 3 s]"
    )
    extra = ""
    if sent:
        kinds = Counter("LIST" if "list-type=2" in t else m for m, t in requests)
        per_write = ", ".join(f"{n / writes:.1f} {k}" for k, n in sorted(kinds.items()))
        extra = f", {sent / active_s:.1f} requests/s from both devices ({per_write} per write)"
    print(
        f"          {'':6} rounds: A median {statistics.median(rounds_a or [0]):.2f} s, "
        f"B median {statistics.median(rounds_b or [0]):.2f} s{extra}   ({load()})",
        flush=True,
    )


def make_small_files(folder: Path, count: int) -> None:
    rnd = random.Random(1)
    for i in range(count):
        d = folder / f"d{i // 100:04d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:06d}.txt").write_bytes(rnd.randbytes(rnd.randint(100, 2_000)))


def case_idle(base: Path, store: Store, seconds: float, files: int) -> None:
    a = Device(base, "a", store)
    a.folder.mkdir()
    make_small_files(a.folder, files)
    a.bind("init")
    a.run("sync", "--folder", str(a.folder))
    try:
        a.watch()
        a.wait_idle()
        assert a.watch_proc is not None
        pid = a.watch_proc.pid
        time.sleep(ACTIVE_HOLD_S + 5.0)  # quiet for longer than the active hold: idle
        before, start, mark = cpu_seconds(pid), time.monotonic(), store.requests()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pid) - before, time.monotonic() - start
        sent = store.sent_since(mark)
        if a.watch_proc.poll() is not None:
            raise SystemExit(f"the watch died:\n{a.log.read_text()}")
    finally:
        a.stop()
    print(
        f"idle      {store.kind:6} idle `coffre watch` on {files:,} files: {used:.2f} s CPU in "
        f"{elapsed:.0f} s = {100 * used / elapsed:.2f}% of one core   [target < 1%]   ({load()})"
    )
    if store.proxy is not None:
        kinds = sorted({f"{m} {t.split('?')[1][:40] if '?' in t else t}" for m, t in sent})
        print(
            f"          {'':6} {len(sent)} requests in {elapsed:.0f} s = "
            f"{10 * len(sent) / elapsed:.2f} per 10 s   [target <= 1 per 10 s]   {kinds}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--case", action="append", choices=["latency", "cold", "idle"])
    parser.add_argument("--store", action="append", choices=["folder", "s3"])
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--cold-writes", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    compile_sources()
    cases = args.case or ["latency", "cold", "idle"]
    kinds = args.store or ["folder", "s3"]
    print(f"coffre latency bench, {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="coffre-bench-latency-") as tmp:
        root = Path(tmp)
        with seaweedfs(root) if "s3" in kinds else _nothing() as weed:
            for case in cases:
                for kind in kinds:
                    base = root / f"{case}-{kind}"
                    base.mkdir()
                    with open_store(kind, base, weed) as store:
                        if case == "latency":
                            case_latency(base, store, args.writes)
                        elif case == "cold":
                            case_latency(base, store, args.cold_writes, ACTIVE_HOLD_S + 5.0)
                        else:
                            case_idle(base, store, args.seconds, args.files)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    main()
