"""Benchmark: what re-encrypting a shared vault after a removal costs (lifecycle/reencrypt.py).

A format-2 vault of about MIB MiB on a real folder store, shared by an owner and
an editor (real identities, device certificates, signed membership log and
journals: tests/sharing_world.py): large files of random bytes (incompressible,
the worst case per byte) and a few thousand small office-like files. The owner
removes the editor (epoch 2), then re-encrypts: every referenced pack is read,
each chunk opened and sealed again under epoch 2 into new packs, one GC mark
published per batch, a snapshot written. Then the next GC run sweeps the old
packs (the removed device does not hold the sweep).

Printed: the vault's size, the bytes read and written, the time and throughput
of the re-encryption, the sweep's reclaimed bytes, and for comparison the time
the first upload of the same vault took on the same machine.

    python bench/reencrypt.py [--mib 300] [--small 2000] [--batch-mib 256]
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

from sync_engine.core.membership_entry import Role  # noqa: E402
from sync_engine.lifecycle.gc import Collector  # noqa: E402
from sync_engine.lifecycle.reencrypt import Reencryptor  # noqa: E402
from sync_engine.stores import LocalStore  # noqa: E402
from tests.sharing_world import SharedVault  # noqa: E402

MIB = 1024 * 1024
BIG = 8 * MIB


def _fill(folder: Path, mib: int, small: int) -> int:
    """Random big files up to `mib` MiB, plus `small` small text files; total bytes."""
    total = 0
    for i in range(max(1, mib * MIB // BIG)):
        path = folder / f"archives/lot-{i:03d}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(BIG))
        total += BIG
    for i in range(small):
        path = folder / f"dossier-{i % 40:02d}/piece-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = f"délibération {i} du conseil municipal\n".encode() * (20 + i % 200)
        path.write_bytes(data)
        total += len(data)
    return total


async def _store_bytes(store: LocalStore, prefix: str) -> int:
    return sum(i.size for i in await store.list(prefix))


async def main(mib: int, small: int, batch_mib: int) -> None:
    with tempfile.TemporaryDirectory(prefix="coffre-bench-reencrypt-") as tmp:
        base = Path(tmp)
        (base / "store").mkdir()
        store = LocalStore(base / "store")
        vault = SharedVault(base, store)
        owner = await vault.create("Alice", "alice-pc")
        bob = await vault.member(owner, "Bob", Role.EDITOR)
        size = _fill(owner.folder, mib, small)
        started = time.perf_counter()
        await owner.sync()
        upload_s = time.perf_counter() - started
        packs_before = await _store_bytes(store, "packs/")
        await vault.remove_member(owner, bob.person)
        await owner.engine.snapshot()
        snap_before = max(i.size for i in await store.list("snap/"))

        started = time.perf_counter()
        report = await Reencryptor(owner.engine, batch_bytes=batch_mib * MIB).run()
        elapsed = time.perf_counter() - started
        stored_after = await _store_bytes(store, "packs/")
        snap_after = max(i.size for i in await store.list("snap/"))
        sweep = await Collector(owner.engine).run()
        packs_after = await _store_bytes(store, "packs/")
        vault.close()

    print(f"vault: {size / MIB:,.1f} MiB in files, {packs_before / MIB:,.1f} MiB of packs")
    print(f"first upload (for scale): {upload_s:.1f} s ({size / MIB / upload_s:,.1f} MiB/s)")
    print(
        f"re-encryption to epoch {report.epoch}: {report.rewritten_packs} of "
        f"{report.referenced_packs} packs, {report.rewritten_chunks:,} chunks, "
        f"{report.batches} batch(es)"
    )
    print(
        f"  read {report.bytes_read / MIB:,.1f} MiB, wrote {report.bytes_written / MIB:,.1f} MiB "
        f"of chunks in {elapsed:.1f} s ({report.bytes_read / MIB / elapsed:,.1f} MiB/s)"
    )
    print(
        f"  store during the wait for acknowledgements: {stored_after / MIB:,.1f} MiB of packs "
        f"({stored_after / packs_before:.2f}x)"
    )
    print(
        f"  snapshot: {snap_before / 1024:,.0f} KiB before, {snap_after / 1024:,.0f} KiB after "
        f"(it carries every chunk's relocation: "
        f"{(snap_after - snap_before) / max(1, report.rewritten_chunks):,.0f} bytes a chunk)"
    )
    print(
        f"next GC: swept {sweep.deleted_packs} old packs, reclaimed "
        f"{sweep.reclaimed_bytes / MIB:,.1f} MiB; packs now {packs_after / MIB:,.1f} MiB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=300, help="MiB of large random files")
    parser.add_argument("--small", type=int, default=2000, help="small text files")
    parser.add_argument("--batch-mib", type=int, default=256, help="MiB rewritten per mark")
    args = parser.parse_args()
    asyncio.run(main(args.mib, args.small, args.batch_mib))
