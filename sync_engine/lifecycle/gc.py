"""Garbage collection, purge and vault settings: the I/O shell around gc_rules and retention.

A GC run (`Collector.run`), each step published before the next starts so a
crash anywhere is finished by the next run (docs/SYNC.md section 7):

1. read the journal (a round's pull);
2. decide what is kept (`retention.kept`) and where its chunks live;
3. sweep: delete the packs of every pending mark that all active devices
   acknowledged and nothing kept references again (`gc_rules.sweep_ready`,
   `sweepable`);
4. repack the referenced packs that are mostly garbage or hold purged
   chunks: their live chunks are copied (decrypted, checked, sealed again)
   into new packs, written create-only;
5. mark every stored pack nothing kept references, with the relocations of
   step 4, in one journal segment (which also says what step 3 swept);
6. fold: write a snapshot, then delete the segments every active device has
   read and the snapshot covers, and older snapshots.

Every decision is gc_rules.py's or retention.py's; this module only reads and
writes the store and the local state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from crypto.chunk import ChunkCodec
from crypto.pack import PackWriter, SealedPack, pack_object_name

from ..core import gc_rules, retention
from ..core.gc_rules import DeviceStatus, Mark, MarkId, Moved
from ..core.merge import merge
from ..core.model import ChunkRef, Version, VersionId, hlc_next
from ..core.vault_settings import SettingsUpdate, VaultSettings, effective
from ..engine import Engine
from ..stores.base import PutMode
from ..stores.errors import ObjectExists
from ..transfer.chunker import MAX_CHUNK
from ..vault.journal import snapshot_key
from ..vault.journal_codec import SegmentMeta
from ..vault.state import LocalState

log = logging.getLogger(__name__)
PACKS = "packs/"


class GcRefused(Exception):
    """The collector's view of the vault is incomplete; nothing was changed."""


@dataclass
class GcReport:
    dry_run: bool = False
    kept_versions: int = 0
    dropped_versions: int = 0
    marked_packs: int = 0
    marked_bytes: int = 0
    deleted_packs: int = 0
    resurrected_packs: int = 0
    repacked_packs: int = 0
    repacked_bytes_written: int = 0
    folded_segments: int = 0
    deleted_snapshots: int = 0
    reclaimed_bytes: int = 0
    store_bytes_before: int = 0
    waiting_for: list[str] = field(default_factory=list)  # devices whose ack a sweep awaits


@dataclass
class PurgeReport:
    path: str
    versions: int
    packs: int
    gc: GcReport


def kept_in_state(
    state: LocalState,
    device_names: dict[str, str],
    now_ms: int,
    policy: retention.RetentionPolicy | None = None,
) -> frozenset[VersionId]:
    """The versions the vault's retention keeps now, of those this device knows.

    A version with a chunk in a pack a GC marked (a `--keep-within` run may
    have been stricter than the vault's retention) is not: its data is gone
    or going.
    """
    versions = state.known_versions()
    policy = policy or effective(state.settings_updates()).retention
    tree = merge(state.all_versions(), device_names)
    keep = retention.kept(versions, tree, policy, now_ms)
    forbidden = state.forbidden_packs()
    if not forbidden:
        return keep
    moved = state.relocations()
    return frozenset(
        v.vid
        for v in versions
        if v.vid in keep
        and not any(gc_rules.relocate(c, moved).pack_id in forbidden for c in v.chunks)
    )


def _pack_id(key: str) -> str | None:
    parts = key.split("/")
    if len(parts) == 3 and parts[0] == "packs" and len(parts[2]) == 32:
        return parts[2]
    return None


class Collector:
    """Runs GC, purge and settings changes for one folder, through its engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store
        self.state = engine.state
        self.journal = engine.journal
        self.device_id = engine.device_id

    def _now_ms(self) -> int:
        return self.engine.clock_ns() // 1_000_000

    def settings(self) -> VaultSettings:
        return effective(self.state.settings_updates())

    # --- reading --------------------------------------------------------------------------

    async def pull(self) -> None:
        """Read the whole journal; a collector that could not read all of it must not collect."""
        pulled = await self.engine.pull()
        if pulled.errors:
            device, message = pulled.errors[0]
            raise GcRefused(
                f"Garbage collection needs every device's journal and could not read "
                f"device {device[:8]}'s: {message} Nothing was marked or deleted."
            )

    def kept_now(
        self, versions: list[Version], keep_within_ms: int | None = None
    ) -> frozenset[VersionId]:
        policy = (
            self.settings().retention
            if keep_within_ms is None
            else retention.RetentionPolicy.within(keep_within_ms)
        )
        tree = merge(self.state.all_versions(), self.journal.device_names())
        return retention.kept(versions, tree, policy, self._now_ms())

    def _statuses(self) -> list[DeviceStatus]:
        """Every device with a head that the membership log did not remove (gc_rules.voters);
        one whose status is unknown counts as active, not acked."""
        known = self.state.device_statuses()
        statuses = [known.get(d, DeviceStatus(d, None)) for d in self.state.accepted_heads()]
        return gc_rules.voters(statuses, self._removed_devices())

    def _removed_devices(self) -> frozenset[str]:
        """Devices the membership log removed (a shared vault); none in a format-1 vault."""
        log = self.journal.membership
        if log is None:
            return frozenset()
        state = log.state
        return frozenset(d.hex() for d in state.seen_devices if d not in state.devices)

    async def pack_sizes(self) -> dict[str, int]:
        """Every stored pack and its size (one LIST of `packs/`)."""
        sizes = {}
        for info in await self.store.list(PACKS):
            pack = _pack_id(info.key)
            if pack is not None:
                sizes[pack] = info.size
        return sizes

    # --- the run --------------------------------------------------------------------------

    async def run(
        self,
        *,
        dry_run: bool = False,
        keep_within_ms: int | None = None,
        force_repack: Iterable[str] = (),
    ) -> GcReport:
        async with self.engine.exclusive:
            return await self._run(dry_run, keep_within_ms, force_repack)

    async def _run(
        self, dry_run: bool, keep_within_ms: int | None, force_repack: Iterable[str]
    ) -> GcReport:
        report = GcReport(dry_run=dry_run)
        await self.pull()
        live = self.live(report, keep_within_ms)
        sizes = await self.pack_sizes()
        report.store_bytes_before = sum(sizes.values())
        swept = await self.sweep(live, sizes, report, dry_run=dry_run)
        forced = frozenset(force_repack) | frozenset(self.state.get_meta("purge_packs", []))
        candidates = gc_rules.to_repack(sizes, live, forced)
        await self.repack_and_mark(candidates, live, sizes, swept, report, dry_run=dry_run)
        if dry_run:
            return report
        with self.state.transaction():
            self.state.set_meta("purge_packs", [])
        await self.fold(report)
        return report

    # --- the steps of a run (also re-encryption's: lifecycle/reencrypt.py) --------------------

    def live(
        self, report: GcReport, keep_within_ms: int | None = None
    ) -> dict[str, dict[bytes, ChunkRef]]:
        """Per pack, the chunks the kept versions read there (after relocations)."""
        versions = self.state.known_versions()
        keep = self.kept_now(versions, keep_within_ms)
        report.kept_versions = len(keep)
        report.dropped_versions = len(versions) - len(keep)
        return gc_rules.live_chunks(versions, keep, self.state.relocations())

    async def sweep(
        self,
        live: dict[str, dict[bytes, ChunkRef]],
        sizes: dict[str, int],
        report: GcReport,
        *,
        dry_run: bool = False,
    ) -> list[MarkId]:
        """Delete the packs of every mark all active devices acknowledged that nothing kept
        references again; the marks swept (said in the next segment). `sizes` loses them."""
        now, silent_ms = self._now_ms(), self.settings().silent_ms
        statuses = self._statuses()
        swept: list[MarkId] = []
        for mark in self.state.marks():
            if not gc_rules.sweep_ready(mark, statuses, now, silent_ms):
                continue
            gone = gc_rules.sweepable(mark, live)
            report.resurrected_packs += len(mark.packs - gone)
            for pack in sorted(gone):
                report.deleted_packs += pack in sizes
                report.reclaimed_bytes += sizes.pop(pack, 0)
                if not dry_run:
                    await self.store.delete(pack_object_name(bytes.fromhex(pack)))
            swept.append(mark.mark_id)
        return swept

    async def repack_and_mark(
        self,
        candidates: list[str],
        live: dict[str, dict[bytes, ChunkRef]],
        sizes: dict[str, int],
        swept: list[MarkId],
        report: GcReport,
        *,
        dry_run: bool = False,
    ) -> None:
        """Copy the live chunks of `candidates` into new packs sealed under the current
        epoch, then publish one segment: a mark naming every stored pack nothing kept
        references (the candidates always) with the relocations, and the `swept` marks."""
        relocated: list[Moved] = []
        if candidates and not dry_run:
            relocated = await self._repack(candidates, live)
            report.repacked_bytes_written += sum(m.to.length for m in relocated)
        report.repacked_packs += len(candidates)
        referenced = set(live) - set(candidates)
        referenced |= {m.to.pack_id for m in relocated}
        # A repacked pack is always in the new mark, even if an older mark names it too:
        # every pack a relocation leaves is forbidden (gc_rules.py).
        marked = gc_rules.to_mark(sizes, referenced, self.state.marks()) | frozenset(candidates)
        report.marked_packs += len(marked)
        report.marked_bytes += sum(sizes.get(p, 0) for p in marked)
        if dry_run:
            return
        # Always one segment: it carries the mark, and the snapshot below gets a fresh seq.
        now = self._now_ms()
        covers = self.journal.read_positions()
        covers[self.device_id] = self.journal.own_seq
        new_mark = Mark(self.device_id, 0, marked, covers, tuple(relocated)) if marked else None
        meta = SegmentMeta(at_ms=now, mark=new_mark, swept=tuple(swept))
        await self.journal.push([], meta, now_ms=now)

    def _waiting_for(self, now: int, silent_ms: int) -> list[str]:
        """The active devices some pending mark still waits for, by name."""
        names = self.journal.device_names()
        marks = self.state.marks()
        return sorted(
            names.get(s.device, s.device[:8])
            for s in self._statuses()
            if gc_rules.is_active(s, now, silent_ms)
            and any(m.collector != s.device and m.mark_id not in s.acks for m in marks)
        )

    async def _repack(
        self, packs: list[str], live: dict[str, dict[bytes, ChunkRef]]
    ) -> list[Moved]:
        """Copy the live chunks of `packs` into new packs; their new places."""
        codec = ChunkCodec(self.engine.ring)  # seals under the current epoch, opens any held
        writer = PackWriter(self.engine.ring, codec, max_chunk=MAX_CHUNK)
        out: list[Moved] = []
        sources: dict[bytes, list[str]] = {}  # chunk -> the repacked packs it came from

        async def store(sealed: SealedPack) -> None:
            pack_hex = sealed.pack_id.hex()
            try:
                await self.store.put(sealed.name, sealed.data, mode=PutMode.CREATE)
            except ObjectExists:
                if await self.store.get(sealed.name) != sealed.data:
                    raise
            for e in sealed.entries:
                to = ChunkRef(e.chunk_id, pack_hex, e.offset, e.length, e.plain_length)
                out.extend(Moved(p, to) for p in sources.pop(e.chunk_id))
            sealed.release()

        for pack in packs:
            refs = sorted(live[pack].values(), key=lambda r: r.offset)
            blobs = await self.store.get_ranges(
                pack_object_name(bytes.fromhex(pack)),
                [(r.offset, r.offset + r.length) for r in refs],
            )
            for ref, blob in zip(refs, blobs, strict=True):
                plain = await asyncio.to_thread(codec.open, ref.chunk_id, blob)
                sources.setdefault(ref.chunk_id, []).append(pack)
                if ref.chunk_id not in writer:
                    writer.add(ref.chunk_id, plain)
                if writer.is_full:
                    await store(writer.finish())
        if len(writer):
            await store(writer.finish())
        return out

    async def fold(self, report: GcReport) -> None:
        """Snapshot the kept tree, then delete what every active device has read and it covers.

        Also says which devices a pending mark still waits for (`report.waiting_for`).
        """
        now, silent_ms = self._now_ms(), self.settings().silent_ms
        covers = await self.engine.snapshot()
        bounds = gc_rules.foldable(
            self.device_id, self.journal.own_seq, self._statuses(), covers, now, silent_ms
        )
        for info in await self.store.list("log/"):
            parts = info.key.split("/")
            if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) <= bounds.get(parts[1], 0):
                await self.store.delete(info.key)
                report.folded_segments += 1
                report.reclaimed_bytes += info.size
        ours = snapshot_key(self.device_id, self.journal.own_seq)
        for info in await self.store.list("snap/"):
            parts = info.key.split("/")
            if (
                info.key != ours
                and len(parts) == 3
                and parts[2].isdigit()
                and int(parts[2]) <= bounds.get(parts[1], 0)
            ):
                await self.store.delete(info.key)
                report.deleted_snapshots += 1
                report.reclaimed_bytes += info.size
        report.waiting_for = self._waiting_for(now, silent_ms)

    # --- purge and settings ---------------------------------------------------------------

    async def purge(self, path: str) -> PurgeReport:
        """Erase `path` (a file or a folder) and every version of it, on every device."""
        async with self.engine.exclusive:
            return await self._purge(path)

    async def _purge(self, path: str) -> PurgeReport:
        await self.pull()
        doomed = self.state.versions_under(path)
        # Also what they supersede: another device may know an older version this one lost.
        vids = tuple(sorted({v.vid for v in doomed} | {s for v in doomed for s in v.supersedes}))
        packs = sorted({c.pack_id for v in doomed for c in v.chunks})
        if vids:
            with self.state.transaction(durable=True):
                self.state.set_meta("purge_packs", packs)  # a crash before the GC keeps them
            await self.journal.push([], SegmentMeta(purge=vids), now_ms=self._now_ms())
        report = await self._run(False, None, packs)
        return PurgeReport(path, len(doomed), len(packs), report)

    async def read_settings(self) -> VaultSettings:
        """The vault settings after reading the journal."""
        async with self.engine.exclusive:
            await self.pull()
            return self.settings()

    async def set_settings(self, values: dict[str, int]) -> VaultSettings:
        async with self.engine.exclusive:
            return await self._set_settings(values)

    async def _set_settings(self, values: dict[str, int]) -> VaultSettings:
        await self.pull()
        last = max((v.hlc for v in self.state.all_versions()), default=0)
        last = max(last, int(self.state.get_meta("last_hlc", 0)))
        hlc = hlc_next(last, self._now_ms())
        with self.state.transaction(durable=True):
            self.state.set_meta("last_hlc", hlc)
        update = SettingsUpdate.of(hlc, self.device_id, values)
        await self.journal.push([], SegmentMeta(settings=(update,)), now_ms=self._now_ms())
        return self.settings()
