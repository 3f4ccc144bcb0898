"""Benchmark: `coffre sync` through a folder store, driven as a user would (the real CLI).

Cases (issue 3 targets in brackets):
  first-10k     first sync of 10,000 small files
  nochange-100k a no-change `coffre sync` on 100,000 files              [< 3 s]
  edit-1gib     a one-byte edit in the middle of a 1 GiB file: store growth [< 4 MiB]
  rename-dir    renaming a directory of 1,000 files: store growth       [< 1% of its size]

    python bench/sync.py                 # all cases
    python bench/sync.py --case edit-1gib --case rename-dir
Wall times include process start and the Argon2id unlock (~0.25 s) of each command.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bytecode import compile_sources  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent


class Device:
    def __init__(self, base: Path, name: str, store: Path) -> None:
        self.folder = base / name
        self.home = base / f"{name}-home"
        self.store = store
        self.env = dict(os.environ, COFFRE_HOME=str(self.home), COFFRE_PASSPHRASE="bench pass")

    def run(self, *args: str) -> float:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"coffre {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return elapsed

    def init(self) -> None:
        self.run("init", "--store", str(self.store), "--folder", str(self.folder))

    def sync(self) -> float:
        return self.run("sync", "--folder", str(self.folder))


def store_size(store: Path) -> int:
    return sum(p.stat().st_size for p in store.rglob("*") if p.is_file())


def make_small_files(folder: Path, count: int, seed: int = 1) -> int:
    rnd = random.Random(seed)
    total = 0
    per_dir = 100
    for i in range(count):
        d = folder / f"d{i // per_dir:04d}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        size = rnd.randint(500, 12 * 1024)
        (d / f"f{i:06d}.txt").write_bytes(rnd.randbytes(size))
        total += size
    return total


def case_first_10k(base: Path) -> None:
    dev = Device(base, "a", base / "store")
    dev.folder.mkdir()
    size = make_small_files(dev.folder, 10_000)
    dev.init()
    t = dev.sync()
    objects = sum(1 for p in (base / "store").rglob("*") if p.is_file())
    print(
        f"first-10k      first sync of 10,000 files ({size / 2**20:.0f} MiB): {t:.2f} s, "
        f"{objects} store objects"
    )


def case_nochange_100k(base: Path) -> None:
    dev = Device(base, "a", base / "store")
    dev.folder.mkdir()
    make_small_files(dev.folder, 100_000)
    dev.init()
    first = dev.sync()
    times = [dev.sync() for _ in range(3)]
    print(
        f"nochange-100k  first sync {first:.1f} s; no-change sync of 100,000 files: "
        f"{min(times):.2f} s best, {sum(times) / 3:.2f} s mean   [target < 3 s]"
    )


def case_edit_1gib(base: Path) -> None:
    dev = Device(base, "a", base / "store")
    dev.folder.mkdir()
    big = dev.folder / "big.bin"
    rnd = random.Random(3)
    with open(big, "wb") as f:
        for _ in range(1024):
            f.write(rnd.randbytes(1 << 20))
    dev.init()
    t_first = dev.sync()
    before = store_size(base / "store")
    with open(big, "r+b") as f:
        f.seek(512 << 20)
        byte = f.read(1)
        f.seek(512 << 20)
        f.write(bytes([byte[0] ^ 0xFF]))
    t_edit = dev.sync()
    grown = store_size(base / "store") - before
    print(
        f"edit-1gib      first sync {t_first:.1f} s; one-byte edit synced in {t_edit:.2f} s, "
        f"store grew {grown / 2**20:.2f} MiB   [target < 4 MiB]"
    )


def case_rename_dir(base: Path) -> None:
    dev = Device(base, "a", base / "store")
    src = dev.folder / "projet"
    src.mkdir(parents=True)
    rnd = random.Random(4)
    size = 0
    for i in range(1000):
        data = rnd.randbytes(rnd.randint(4 * 1024, 64 * 1024))
        (src / f"doc{i:04d}.bin").write_bytes(data)
        size += len(data)
    dev.init()
    dev.sync()
    before = store_size(base / "store")
    src.rename(dev.folder / "projet-2026")
    t = dev.sync()
    grown = store_size(base / "store") - before
    print(
        f"rename-dir     renaming 1,000 files ({size / 2**20:.1f} MiB) synced in {t:.2f} s, "
        f"store grew {grown / 1024:.1f} KiB = {100 * grown / size:.2f}% of the data "
        "[target < 1%]"
    )


CASES = {
    "first-10k": case_first_10k,
    "nochange-100k": case_nochange_100k,
    "edit-1gib": case_edit_1gib,
    "rename-dir": case_rename_dir,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    compile_sources()
    for name in args.case or list(CASES):
        base = Path(tempfile.mkdtemp(prefix=f"coffre-bench-{name}-"))
        try:
            CASES[name](base)
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
