"""Benchmark: does a store's size follow what is kept? (issue 14's measure)

Two devices (real Engines, in-process, on in-memory disks) share a folder
store. Device A writes about 200 MB of files mixed with 20 MB that stay,
both devices sync, A deletes the 200 MB, both sync; then `coffre gc
--keep-within 0s` runs twice on A with every device syncing in between
(the first run marks, the second deletes once B has acknowledged). Prints
the store's size on disk after each step and how long each GC took.

    python bench/gc.py              # 200 MB deleted, 20 MB kept
    python bench/gc.py --mb 50
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync_engine.stores.local import LocalStore  # noqa: E402
from tests.gc_world import World, check_kept  # noqa: E402

MB = 1_000_000


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _mb(n: int) -> str:
    return f"{n / MB:8.1f} MB"


async def run(mb: int, kept_mb: int) -> None:
    with tempfile.TemporaryDirectory(prefix="coffre-bench-gc-") as tmp:
        root = Path(tmp) / "store"
        root.mkdir()
        store = LocalStore(root)
        w = World(Path(tmp), store)
        a, b = w.device("a"), w.device("b")
        print(f"{'step':<44} {'store':>11}")

        def show(step: str) -> None:
            print(f"{step:<44} {_mb(_du(root))}")

        for i in range(kept_mb // 4):
            a.fs.put_file(f"kept/{i}.bin", os.urandom(4 * MB))
        for i in range(mb // 4):
            a.fs.put_file(f"old/{i}.bin", os.urandom(4 * MB))
        await w.settle()
        show(f"written: {mb} MB to delete, {kept_mb} MB kept")
        for i in range(mb // 4):
            a.fs.delete(f"old/{i}.bin")
        await w.settle()
        before = _du(root)
        show("deleted, both devices synced")
        for n in (1, 2):
            started = time.perf_counter()
            report = await a.gc.run(keep_within_ms=0)
            took = time.perf_counter() - started
            show(
                f"gc {n}: marked {report.marked_packs}, deleted {report.deleted_packs} "
                f"({took:.1f} s)"
            )
            await w.settle()
            show("  all devices synced")
        after = _du(root)
        print(
            f"reclaimed {_mb(before - after).strip()} of {mb} MB deleted; "
            f"store is {after / max(1, kept_mb * MB):.2f}x the kept data"
        )
        checked = sum([await check_kept(d) for d in (a, b)])
        print(f"every kept version reads back ({checked} checked)")
        for d in (a, b):
            d.state.close()
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="megabytes deleted (default 200)")
    parser.add_argument("--kept-mb", type=int, default=20, help="megabytes kept (default 20)")
    args = parser.parse_args()
    asyncio.run(run(args.mb, args.kept_mb))


if __name__ == "__main__":
    main()
