"""Benchmark: chunk + hash + compress-if-useful + encrypt into packs, on one core.

Runs the real upload CPU path (`sync_engine.transfer.packer.Packer`) over 1 GiB of mixed
data: 512 MiB of random bytes and 512 MiB of non-repeating text, in files of
64 MiB, read from the page cache. Each category runs in a fresh subprocess
pinned to one core, so its peak RSS is its own. Packs are sealed in full and
then dropped (no store I/O: this measures the CPU pipeline).

    python bench/pipeline.py            # prints a table
    python bench/pipeline.py --size-mib 256   # a quicker run
    python bench/pipeline.py --format 2       # a format-2 vault (epoch 2 current)

Targets (issue 2): >= 600 MB/s on random data, peak RSS < 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "pipeline-data"
FILE_MIB = 64
WORDS = str.split(
    "le la les un une des de du et ou mais donc or ni car dossier rapport service "
    "public administration agent commune mairie conseil délibération budget annexe "
    "the of and to in is that for it as with was on be by this are from at or have "
    "article alinéa décret arrêté préfecture région département procédure marché "
    "contrat avenant facture montant euros total date signature référence numéro"
)


def make_data(size_mib: int) -> dict[str, list[Path]]:
    """Write (once) the random and text files; returns them by category."""
    OUT.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {"random": [], "text": []}
    per_category = max(1, size_mib // 2 // FILE_MIB)
    for category in files:
        for i in range(per_category):
            path = OUT / f"{category}-{i:02d}.bin"
            files[category].append(path)
            if path.exists() and path.stat().st_size == FILE_MIB << 20:
                continue
            rnd = random.Random(f"{category}-{i}")
            with open(path, "wb") as f:
                for _ in range(FILE_MIB):
                    if category == "random":
                        f.write(rnd.randbytes(1 << 20))
                    else:
                        text = " ".join(rnd.choices(WORDS, k=200_000)).encode()
                        f.write((text + b"\n" * (1 << 20))[: 1 << 20])
    return files


def run_category(paths: list[str], vault_format: int = 1) -> dict[str, float]:
    """Runs in the child process: the measured part."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from crypto.keyring import KeyRing
    from crypto.keys import VaultKey
    from crypto.pack import SealedPack
    from sync_engine.transfer.packer import Packer

    stored = 0
    packs = 0

    def on_pack(pack: SealedPack) -> None:
        nonlocal stored, packs
        stored += pack.size
        pack.release()
        packs += 1

    e1 = VaultKey.generate()
    ring = KeyRing.v1(e1)
    if vault_format == 2:
        e2 = VaultKey(e1.vault_id, VaultKey.generate().secret)
        ring = KeyRing(e1.vault_id, 2, {1: e1, 2: e2}, 2)
    packer = Packer(ring, on_pack)
    total = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for p in paths:
        total += packer.add_file(p).size
    packer.flush()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "bytes": total,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "stored": stored,
        "packs": packs,
        "peak_rss_mb": rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="total data (default 1024)")
    parser.add_argument(
        "--format", type=int, choices=(1, 2), default=1, help="vault format (default 1)"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_category(args.child, args.format)))
        return
    files = make_data(args.size_mib)
    for paths in files.values():  # warm the page cache
        for p in paths:
            with open(p, "rb") as f:
                while f.read(1 << 24):
                    pass
    print(
        f"Coffre pack pipeline, one core, {args.size_mib} MiB of mixed data, "
        f"vault format {args.format}"
    )
    print(
        f"{'data':<8}{'MiB':>7}{'seconds':>9}{'MB/s':>9}{'MB/s per CPU-s':>16}"
        f"{'stored/input':>14}{'packs':>7}{'peak RSS MB':>13}"
    )
    total_bytes = total_seconds = 0.0
    for category, paths in files.items():
        out = subprocess.run(
            [sys.executable, __file__, "--format", str(args.format), "--child", *map(str, paths)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout)
        total_bytes += r["bytes"]
        total_seconds += r["seconds"]
        print(
            f"{category:<8}{r['bytes'] / 2**20:>7.0f}{r['seconds']:>9.2f}"
            f"{r['bytes'] / r['seconds'] / 1e6:>9.0f}{r['bytes'] / r['cpu_seconds'] / 1e6:>16.0f}"
            f"{r['stored'] / r['bytes']:>14.3f}"
            f"{r['packs']:>7}{r['peak_rss_mb']:>13.0f}"
        )
    rate = total_bytes / total_seconds / 1e6
    print(f"{'all':<8}{total_bytes / 2**20:>7.0f}{total_seconds:>9.2f}{rate:>9.0f}")
    print("Targets: random >= 600 MB/s on one core; peak RSS < 150 MB.")


if __name__ == "__main__":
    main()
