"""Benchmark: the bandwidth cost of reading whole aligned windows instead of exact chunks.

A device uploads a mixed data set (many small text files, medium files, a few
large random and text files) to a real folder store; then the real
`Downloader` reads it back through a recording store, once per window size:
the whole set in one pass (a first sync), and each file on its own (a sync
that fetches one changed file, or a restore). For each it prints the bytes
the chunks need, the bytes the requested windows cover, and the bytes a
backend fetches once it coalesces ranges closer than 1 MiB (S3, WebDAV and
folder stores all do).

    python bench/range_hiding.py
"""

from __future__ import annotations

import asyncio
import random
import secrets
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crypto.keys import VaultKey  # noqa: E402
from sync_engine.core.model import Kind, Version  # noqa: E402
from sync_engine.disk.localfs import DiskFs  # noqa: E402
from sync_engine.engine import Engine  # noqa: E402
from sync_engine.stores import LocalStore  # noqa: E402
from sync_engine.stores.ranges import DEFAULT_COALESCE_GAP, coalesce  # noqa: E402
from sync_engine.transfer.pipeline import Downloader, StoreBridge  # noqa: E402
from sync_engine.vault.state import LocalState  # noqa: E402
from tests.recording_store import RecordingStore  # noqa: E402

KiB, MiB = 1 << 10, 1 << 20
WINDOWS = [1, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB]
WORDS = str.split(
    "le la les un une des de du et dossier rapport service public administration agent "
    "commune mairie conseil délibération budget annexe article décret arrêté préfecture"
)


def write_data_set(folder: Path) -> None:
    """About 100 MiB: 400 small text files, 60 medium ones, 6 large ones."""
    rng = random.Random(16)

    def text(n: int) -> bytes:
        return " ".join(rng.choices(WORDS, k=n // 6 + 1)).encode()[:n]

    for i in range(400):
        (folder / f"small-{i:03d}.txt").write_bytes(text(rng.randrange(200, 60 * KiB)))
    for i in range(60):
        size = rng.randrange(100 * KiB, 3 * MiB)
        data = rng.randbytes(size) if i % 2 else text(size)
        (folder / f"medium-{i:02d}.bin").write_bytes(data)
    for i, size in enumerate([8 * MiB, 12 * MiB, 16 * MiB]):
        (folder / f"large-random-{i}.bin").write_bytes(rng.randbytes(size))
        (folder / f"large-text-{i}.txt").write_bytes(text(size))


@contextmanager
def running_loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def fetched_bytes(reads: list[tuple[str, int, int | None]], sizes: dict[str, int]) -> int:
    """Bytes a backend transfers for these requests: per call, coalesced and clamped."""
    total = 0
    for key, start, end in reads:
        assert end is not None
        total += max(0, min(end, sizes[key]) - start)
    return total


def measure(
    store: RecordingStore,
    loop: asyncio.AbstractEventLoop,
    key: VaultKey,
    versions: list[Version],
    window: int,
    sizes: dict[str, int],
) -> tuple[int, int, int, int, int, int]:
    needed = sum(ref.length for v in versions for ref in v.chunks)
    bridge = StoreBridge(store, loop)

    def one_pass(groups: list[list[Version]]) -> tuple[int, int]:
        requested = coalesced = 0
        for group in groups:
            store.reads.clear()
            store.calls.clear()
            downloader = Downloader(key, bridge, window=window)
            downloader.prefetch(group)
            for version in group:
                for _ in downloader.iter_content(version):
                    pass
            downloader.close()
            requested += fetched_bytes(store.pack_reads(), sizes)
            # Each call is coalesced on its own, as the backends do.
            spans = [
                (k, s, e)
                for k, ranges in store.calls
                if k.startswith("packs/")
                for s, e in coalesce(ranges, DEFAULT_COALESCE_GAP)
            ]
            coalesced += fetched_bytes(list(spans), sizes)
        return requested, coalesced

    whole = one_pass([versions])
    single = one_pass([[v] for v in versions])
    return needed, whole[0], whole[1], needed, single[0], single[1]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="coffre-bench-") as tmp:
        base = Path(tmp)
        (base / "store").mkdir()
        (base / "a").mkdir()
        (base / "home").mkdir()
        write_data_set(base / "a")
        key = VaultKey.generate()
        fs = DiskFs(base / "a")
        fs.write_root_marker()
        state = LocalState(base / "home" / "state.db")

        async def upload() -> None:
            store = LocalStore(base / "store")
            engine = Engine(
                store=store,
                key=key,
                fs=fs,
                state=state,
                device_id=secrets.token_hex(16),
                device_name="a",
                quarantine_dir=base / "home" / "quarantine",
            )
            assert (await engine.sync()).settled
            await store.close()

        asyncio.run(upload())
        versions = [v for v in state.all_versions() if v.kind is Kind.FILE and v.chunks]
        plain = sum(v.size for v in versions)
        packs = {
            p.relative_to(base / "store").as_posix(): p.stat().st_size
            for p in (base / "store" / "packs").rglob("*")
            if p.is_file()
        }
        print(
            f"data set: {len(versions)} files, {plain / MiB:.1f} MiB, "
            f"{len(packs)} packs of {sum(packs.values()) / MiB:.1f} MiB"
        )
        print()
        header = (
            f"{'window':>8} | {'all at once: requested':>23} {'fetched':>9} | "
            f"{'one file at a time: requested':>30} {'fetched':>9}"
        )
        print(header)
        print("-" * len(header))
        with running_loop() as loop:
            store = RecordingStore(LocalStore(base / "store"))
            for window in WINDOWS:
                n1, r1, c1, n2, r2, c2 = measure(store, loop, key, versions, window, packs)
                label = "exact" if window == 1 else f"{window // KiB} KiB"
                print(
                    f"{label:>8} | {r1 / MiB:>8.1f} MiB (+{(r1 - n1) / n1:6.1%}) "
                    f"{(c1 - n1) / n1:+8.1%} | {r2 / MiB:>15.1f} MiB (+{(r2 - n2) / n2:6.1%}) "
                    f"{(c2 - n2) / n2:+8.1%}"
                )
            asyncio.run_coroutine_threadsafe(store.close(), loop).result(timeout=30)
        print()
        print(f"needed (chunk envelopes): {n1 / MiB:.1f} MiB; percentages are the extra bytes.")
        state.close()


if __name__ == "__main__":
    main()
