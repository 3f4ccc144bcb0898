"""Benchmark: live sync latency and idle cost of `coffre watch`, driven as a user would.

Cases (issue 5 targets in brackets):
  latency   two `coffre watch` processes on one folder store, poll interval 1 s:
            time from a write on A to the file complete on B, over N writes
            [median < 2 s]
  idle-cpu  CPU time (user + system, from /proc/<pid>/stat) of an idle
            `coffre watch` on a 10,000-file folder over 60 s, default intervals
            [< 1% of one core]

    python bench/latency.py                      # both cases
    python bench/latency.py --case latency --writes 20
    python bench/latency.py --case idle-cpu --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bytecode import compile_sources  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench latency passphrase"
TIMEOUT_S = 60.0


class Device:
    def __init__(self, base: Path, name: str, store: Path) -> None:
        self.name = name
        self.folder = base / name
        self.home = base / f"{name}-home"
        self.store = store
        self.env = dict(os.environ, COFFRE_HOME=str(self.home), COFFRE_PASSPHRASE=PASSPHRASE)
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
        self.run(command, "--store", str(self.store), "--folder", str(self.folder),
                 "--device-name", self.name)  # fmt: skip

    def watch(self, *extra: str) -> None:
        with self.log.open("wb") as out:
            self.watch_proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "watch", "--folder", str(self.folder), *extra],
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


def case_latency(base: Path, writes: int) -> None:
    store = base / "store"
    a, b = Device(base, "a", store), Device(base, "b", store)
    a.bind("init")
    b.bind("join")
    try:
        a.watch("--interval", "1", "--idle-interval", "1")
        b.watch("--interval", "1", "--idle-interval", "1")
        a.wait_idle()
        b.wait_idle()
        rnd = random.Random(5)
        times = []
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
            time.sleep(rnd.uniform(0.2, 1.0))  # writes at unrelated moments of b's poll cycle
    finally:
        a.stop()
        b.stop()
    times.sort()
    p90 = times[min(len(times) - 1, round(0.9 * (len(times) - 1)))]
    print(
        f"latency   {writes} writes A->B, poll 1 s, settle 1 s: median "
        f"{statistics.median(times):.2f} s, p90 {p90:.2f} s, min {times[0]:.2f} s, "
        f"max {times[-1]:.2f} s   [target: median < 2 s]"
    )


def make_small_files(folder: Path, count: int) -> None:
    rnd = random.Random(1)
    for i in range(count):
        d = folder / f"d{i // 100:04d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:06d}.txt").write_bytes(rnd.randbytes(rnd.randint(100, 2_000)))


def case_idle_cpu(base: Path, seconds: float, files: int) -> None:
    a = Device(base, "a", base / "store")
    a.folder.mkdir()
    make_small_files(a.folder, files)
    a.bind("init")
    a.run("sync", "--folder", str(a.folder))
    try:
        a.watch()  # default intervals: 10 s active, 60 s idle
        a.wait_idle()
        assert a.watch_proc is not None
        pid = a.watch_proc.pid
        time.sleep(2.0)  # let the start-up work finish
        before, start = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pid) - before, time.monotonic() - start
        if a.watch_proc.poll() is not None:
            raise SystemExit(f"the watch died:\n{a.log.read_text()}")
    finally:
        a.stop()
    print(
        f"idle-cpu  idle `coffre watch` on {files:,} files: {used:.2f} s CPU in {elapsed:.0f} s "
        f"= {100 * used / elapsed:.2f}% of one core   [target < 1%]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=["latency", "idle-cpu"])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    compile_sources()
    cases = args.case or ["latency", "idle-cpu"]
    for case in cases:
        with tempfile.TemporaryDirectory(prefix=f"coffre-bench-{case}-") as tmp:
            if case == "latency":
                case_latency(Path(tmp), args.writes)
            else:
                case_idle_cpu(Path(tmp), args.seconds, args.files)


if __name__ == "__main__":
    main()
