"""Benchmark: how fast the `coffre` command line starts and how long a no-change sync takes.

Issue 13's target: a command reaches its own work in < 100 ms. Each figure is the
median wall time of whole processes (interpreter start included), with bytecode
compiled first, as an installation has it:

  python -c pass                the interpreter alone (the floor)
  start to the command's work   `app.cli.prepare(argv)`: hardening, parsing, logging, i.e.
                                everything `coffre sync` does before its handler runs
  coffre --help                 the whole help, every subcommand registered
  + the sync modules            the start, then importing what `coffre sync` uses
  no-change sync, passphrase    `coffre sync` on an unchanged folder of N files (folder
                                store), the vault opened with the passphrase (Argon2id)
  no-change sync, kept key      the same on a second folder of the vault, joined with
                                --remember: opened with the key kept for that device; needs
                                a Secret Service (run under dbus-run-session with
                                gnome-keyring, as the tests do)

The cases run in turn, round after round, so that each sees the same load.

    python bench/cli_start.py                      # this checkout
    python bench/cli_start.py --root /tmp/before   # another checkout (before/after)
    python bench/cli_start.py --files 1000 --runs 7
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench cli start: a long enough passphrase 42"
TIMEOUT_S = 300.0
MAIN = "import sys; from app.cli import main; sys.exit(main())"
PREPARE = (
    "import sys, app.cli as c; "
    "p = getattr(c, 'prepare', None) or (lambda a: c.build_parser().parse_args(a)); "
    "p(sys.argv[1:])"
)


def compile_tree(root: Path) -> None:
    import compileall

    for package in ("app", "sync_engine", "crypto"):
        compileall.compile_dir(root / package, quiet=1)


class Runner:
    def __init__(self, root: Path, home: Path, runs: int) -> None:
        self.root, self.runs = root, runs
        env = {k: v for k, v in os.environ.items() if not k.startswith("COFFRE_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # time what an installation runs
        env["PYTHONPATH"] = str(root)
        env["COFFRE_HOME"] = str(home)
        self.env = env

    def once(self, argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, *argv],
            cwd=self.root,
            env=env or self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        took = time.perf_counter() - start
        if proc.returncode not in (0, 3):
            sys.stderr.write(proc.stderr.decode(errors="replace"))
        return took, proc.returncode

    def interleaved(
        self, cases: list[tuple[str, list[str], dict[str, str] | None]]
    ) -> dict[str, tuple[float, float] | None]:
        """(median, fastest) per case, the cases run in turn so that they share the load of
        the moment (on a shared machine it drifts by tens of milliseconds)."""
        times: dict[str, list[float]] = {name: [] for name, _argv, _env in cases}
        failed: set[str] = set()
        for _name, argv, env in cases:
            self.once(argv, env)  # warm the page cache
        for _ in range(self.runs):
            for name, argv, env in cases:
                took, code = self.once(argv, env)
                if code not in (0, 3):
                    failed.add(name)
                times[name].append(took)
        return {
            name: None if name in failed else (statistics.median(t), min(t))
            for name, t in times.items()
        }

    def coffre(self, *args: str, env: dict[str, str] | None = None) -> int:
        return self.once(["-c", MAIN, *args], env)[1]


def make_files(folder: Path, count: int) -> None:
    rnd = random.Random(13)
    for i in range(count):
        d = folder / f"d{i // 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i:05d}.txt").write_bytes(rnd.randbytes(rnd.randint(100, 4000)))


def ms(value: tuple[float, float] | None) -> str:
    if value is None:
        return "n/a"
    return f"{value[0] * 1000:7.0f} ms  (fastest {value[1] * 1000:4.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to time")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root = args.root.resolve()
    compile_tree(root)
    with tempfile.TemporaryDirectory(prefix="coffre-cli-start-") as tmp:
        base = Path(tmp)
        run = Runner(root, base / "home", args.runs)
        folder, store = base / "folder", base / "store"
        folder.mkdir()
        make_files(folder, args.files)
        with_pass = dict(run.env, COFFRE_PASSPHRASE=PASSPHRASE)
        sync_argv = ["sync", "--folder", str(folder)]
        # A second folder of the same vault, remembered: its sync opens with the kept key.
        kept_folder = base / "kept"
        kept_folder.mkdir()
        kept_argv = ["sync", "--folder", str(kept_folder)]
        code = run.coffre("init", "--store", str(store), "--folder", str(folder), env=with_pass)
        if code != 0 or run.coffre(*sync_argv, env=with_pass) not in (0, 3):
            raise SystemExit("coffre init or the first sync failed")
        joined = ["join", "--store", str(store), "--folder", str(kept_folder), "--remember"]
        kept = run.coffre(*joined, env=with_pass) == 0 and run.coffre(*kept_argv) in (0, 3)
        cases: list[tuple[str, list[str], dict[str, str] | None]] = [
            ("python -c pass (the floor)", ["-c", "pass"], None),
            ("start to the command's work", ["-c", PREPARE, *sync_argv], None),
            ("coffre --help", ["-c", MAIN, "--help"], None),
            (
                "start + the sync modules",
                ["-c", PREPARE + "; import app.session", *sync_argv],
                None,
            ),
            (
                f"no-change sync, {args.files} files, passphrase",
                ["-c", MAIN, *sync_argv],
                with_pass,
            ),
        ]
        if kept:
            cases.append(
                (f"no-change sync, {args.files} files, kept key", ["-c", MAIN, *kept_argv], None)
            )
        results = run.interleaved(cases)
        rows = list(results.items())
        if not kept:
            rows.append((f"no-change sync, {args.files} files, kept key", None))
        else:
            run.coffre("devices", "forget", "--folder", str(kept_folder))
    print(f"coffre CLI start ({root}, median of {args.runs} runs, bytecode compiled)")
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name, value in rows:
        print(f"  {name:<42} {ms(value)}")


if __name__ == "__main__":
    main()
