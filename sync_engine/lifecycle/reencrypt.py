"""Re-encryption after a removal: every referenced pack rewritten under the current epoch.

Removing a member or a device starts a new key epoch (docs/SYNC.md section 8):
new objects are sealed under it, but the packs written before stay sealed
under epochs the removed person holds. `Reencryptor.run` rewrites them with
the garbage collector's own steps (lifecycle/gc.py; every decision is
core/gc_rules.py's):

1. read the whole journal (`Collector.pull`); this device's ring must hold the
   epoch the membership log says is current, and its person may write changes;
2. the kept versions' chunks per pack (`Collector.live`) and the stored packs;
3. sweep what earlier marks already allow (`Collector.sweep`);
4. read each referenced pack's index from its end: a pack whose index opens as
   the current epoch's is done, every other one (`gc_rules.to_reencrypt`) is
   rewritten, in batches of about `batch_bytes` (`gc_rules.batches`): the
   batch's live chunks are opened (each under the epoch its envelope names),
   checked, sealed again into new packs under the current epoch, and published
   as one GC mark carrying their relocations (`Collector.repack_and_mark`).
   An interruption loses at most one batch: its new packs are unreferenced
   garbage a later GC marks, and a later run rewrites only what is still
   unproven;
5. fold (`Collector.fold`): a snapshot under the current epoch, then the
   segments and snapshots every active device has read are deleted.

The old packs leave the store at the sweep of a later GC run, once every
active device acknowledged the marks (a removed device does not count:
gc_rules.voters). What stays readable to the removed person meanwhile, and
after: docs/THREATS.md.
"""

from __future__ import annotations

import asyncio
import struct
import time
from dataclasses import dataclass, field

from crypto.errors import TamperedData
from crypto.pack import TRAILER_LEN_V2, VERSION_V2, open_index

from ..core import gc_rules
from ..core.model import ChunkRef
from ..engine import Engine
from .check import index_tail
from .gc import Collector, GcReport

BATCH_BYTES = 256 * 1024 * 1024  # rewritten per published mark
_INDEX_READS = 8  # pack indexes read at once


class ReencryptRefused(Exception):
    """This device cannot re-encrypt the vault now; nothing was changed."""


@dataclass
class ReencryptReport:
    """What a re-encryption rewrote, and what it left for later."""

    epoch: int  # the epoch every referenced pack is sealed under afterwards
    referenced_packs: int = 0  # packs the kept versions read, before the run
    rewritten_packs: int = 0  # of those, sealed under an older epoch: rewritten
    rewritten_chunks: int = 0
    bytes_read: int = 0  # size of the rewritten packs
    bytes_written: int = 0  # chunk envelopes written into new packs
    batches: int = 0  # marks published
    missing_packs: list[str] = field(default_factory=list)  # referenced, not on the store
    seconds: float = 0.0
    gc: GcReport = field(default_factory=GcReport)

    @property
    def waiting_for(self) -> list[str]:
        """Devices whose acknowledgement the old packs' sweep still waits for, by name."""
        return self.gc.waiting_for


class Reencryptor:
    """Rewrites one folder's vault under its current epoch, through its engine."""

    def __init__(self, engine: Engine, *, batch_bytes: int = BATCH_BYTES) -> None:
        self.engine = engine
        self.collector = Collector(engine)
        self.batch_bytes = batch_bytes

    async def run(self) -> ReencryptReport:
        async with self.engine.exclusive:
            return await self._run()

    def _check_can_run(self) -> int:
        ring, journal = self.engine.ring, self.engine.journal
        if ring.format != 2:
            raise ReencryptRefused(
                "This vault has a single key (format 1): there is no older key to leave behind."
            )
        log = journal.membership
        newest = ring.current if log is None else max(log.state.epoch, ring.current)
        if ring.current < newest:
            raise ReencryptRefused(
                f"The vault's newest key epoch is {newest} and this device seals under "
                f"{ring.current}: open the folder again (its new key) and retry. Nothing changed."
            )
        if not journal.may_write_changes:
            raise ReencryptRefused(
                "Only an owner or an editor of the folder can rewrite its files. Nothing changed."
            )
        return ring.current

    async def _run(self) -> ReencryptReport:
        started = time.monotonic()
        collector = self.collector
        await collector.pull()  # the log too: the epoch checked next is the newest read
        epoch = self._check_can_run()
        report = ReencryptReport(epoch)
        gc = report.gc
        live = collector.live(gc)
        sizes = await collector.pack_sizes()
        gc.store_bytes_before = sum(sizes.values())
        swept = await collector.sweep(live, sizes, gc)
        report.missing_packs = sorted(p for p in live if p not in sizes)
        stored = {p: chunks for p, chunks in live.items() if p in sizes}
        report.referenced_packs = len(stored)
        proven = await self._proven_current(stored, sizes, epoch)
        todo = gc_rules.to_reencrypt(proven, stored, epoch)
        report.rewritten_packs = len(todo)
        report.bytes_read = sum(sizes[p] for p in todo)
        report.rewritten_chunks = sum(len(stored[p]) for p in todo)
        for batch in gc_rules.batches(todo, sizes, self.batch_bytes) or [[]]:
            # The first segment also says what the sweep removed; a run with nothing to
            # rewrite still publishes one (and marks the garbage) so the fold has a fresh seq.
            await collector.repack_and_mark(batch, live, sizes, swept, gc)
            swept = []
            report.batches += bool(batch)
        report.bytes_written = gc.repacked_bytes_written
        await collector.fold(gc)
        report.seconds = time.monotonic() - started
        return report

    async def _proven_current(
        self, live: dict[str, dict[bytes, ChunkRef]], sizes: dict[str, int], epoch: int
    ) -> dict[str, int]:
        """The packs whose index opens as sealed under `epoch` (pack -> epoch).

        Only the current epoch needs proving: a trailer naming another one (or an
        index that does not open as the current epoch's, a v1 pack among them) is
        rewritten, and the rewrite authenticates every chunk it copies.
        """
        ring = self.engine.ring
        limiter = asyncio.Semaphore(_INDEX_READS)
        proven: dict[str, int] = {}

        async def one(pack: str) -> None:
            async with limiter:
                tail = await index_tail(self.engine.store, pack, sizes[pack])
            if len(tail) < TRAILER_LEN_V2:
                return
            (named,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN_V2)
            if named != epoch:
                return
            try:
                open_index(ring, bytes.fromhex(pack), tail, sizes[pack], version=VERSION_V2)
            except TamperedData:
                return  # not the current epoch's after all: rewritten
            proven[pack] = epoch

        await asyncio.gather(*(one(p) for p in live))
        return proven
