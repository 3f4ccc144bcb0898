"""Garbage collection without a lock or compare-and-swap: the protocol's decisions.

Theory of operation
-------------------
Two steps, after Duplicacy's fossil collection, carried by the journal that
every device already reads and writes (docs/SYNC.md section 7):

1. **Mark.** A collector (any device running `coffre gc`, or the live
   service once a day) computes the kept versions (`retention.kept`), the
   packs their chunks live in (through the relocations of earlier repacks),
   and lists `packs/`. Every pack no kept version references is *marked*:
   the collector publishes, in its next journal segment, a `Mark` naming
   those packs, the journal positions it had read (`covers`) and the chunks
   it moved out of repacked packs (`moved`). Nothing is deleted yet.
2. **Sweep.** A device that reads a mark *applies* it: it stops using the
   marked packs for deduplication (`forbidden`), records the moved chunks'
   new places, and, once it has read at least `covers` of every device
   (`can_ack`), acknowledges the mark in every segment it publishes
   (`"acks"`), writing an empty segment just for that if it has nothing
   else to say. A later GC run deletes a marked pack when every *active*
   device has acknowledged the mark (`sweep_ready`) and the pack is still
   referenced by no kept version (`sweepable`); a pack referenced again is
   *resurrected*: the mark is void for it and it stays.

Devices whose newest segment is older than the vault's `silent_ms` (default
90 days) are not active: they stop blocking the sweep, and must rejoin before
writing again (`must_rejoin`): forget every chunk location, read the newest
snapshot and the journal after it, as a new device would.

Old journal segments are folded: the collector writes a snapshot of the
kept tree, then deletes every segment that every active device has read and
that snapshot covers (`foldable`), and every older snapshot.

Safety argument: a kept version never loses a chunk
----------------------------------------------------
Let P be marked by mark M and deleted by a sweep, and v a version kept at
the sweep. Suppose v references a chunk held only in P (its relocation, if
any, points elsewhere, else P would not be unreferenced).
- If the collector knew v at the sweep, v kept means P referenced, so
  `sweepable` excludes P. Contradiction.
- So v is unknown to the collector. v's writer D is active (a silent device
  rejoins before writing, and a new or rejoined device knows no location in
  P: it learns locations only from the heads of the tree it read, which no
  sweep removed, and a pull never records a location in a forbidden pack),
  and D acknowledged M in a
  segment the collector read before sweeping (`sweep_ready`); every segment
  before that one the collector read too, so v is in a later segment, sealed
  after D applied M.
- After applying M, D writes a chunk reference in three ways only: a chunk
  location from its table (which holds nothing in P: removed when M was
  applied, and `add_chunks` refuses forbidden packs); a freshly uploaded pack
  (never P: pack ids are random and P is not rewritten); or a copy of another
  version's references (a rename's source, a conflict loser), which the
  planner takes only from heads of D's merged tree. D acknowledged only
  after reading `covers`, so D's tree includes the collector's tree at the
  mark, and a head of the larger tree that the collector knew is a head of
  the smaller one, hence kept at the mark, hence not referencing P only.
  A head the collector did not know was itself written after its writer
  applied M or before its writer acknowledged (then known at the sweep):
  by induction on the order of writes, it references no chunk held only in P.
- Every path therefore leads to a contradiction. (A copied reference may
  point into a marked pack that a version written before its writer's
  acknowledgement resurrected: the collector sees that version, so the pack
  stays. An earlier guard refusing such copies kept a conflict from ever
  being resolved, found by the GC simulator, and was removed.)
Gap found by the GC simulator (tests/sim/test_gc_stale_views.py): the
parenthesis above holds only while that resurrecting version stays kept. If it
is superseded and expires (`--keep-within`) before the sweep, the pack goes; a
device that acknowledged M, pulled before the superseder was published and
publishes after the sweep would copy that head's references into a new
version pointing at the swept pack. For a rename, the executor closes it: an
`UploadMove` whose source has chunks in a pack this device has forbidden sends
the file's content again instead of copying references. A conflict copy
(`ResolveConflict`) still copies the loser's references (refusing them kept a
conflict from ever resolving, above); it stays open for that narrower case.
Deletions are idempotent and each step is published before the next starts,
so a crash anywhere (during repack, between mark and sweep, mid-sweep) leaves
only garbage that a later run marks again, never a missing chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import ChunkRef, Version, VersionId

REPACK_BELOW = 0.5  # repack a pack whose live bytes are under half its size...
REPACK_MIN_GARBAGE = 1 << 20  # ...and that frees at least this much (small packs are all overhead)
MarkId = tuple[str, int]  # (collector device, seq of the segment carrying the mark)
Relocations = Mapping[tuple[bytes, str], ChunkRef]  # (chunk id, old pack) -> new place
_MAX_HOPS = 64  # a chunk repacked more often than this is a corrupt table


@dataclass(frozen=True)
class Moved:
    """A chunk a repack copied out of `from_pack`, and its new place."""

    from_pack: str
    to: ChunkRef


@dataclass(frozen=True)
class Mark:
    """Packs no kept version referenced, as published by a collector."""

    collector: str
    seq: int
    packs: frozenset[str]
    covers: Mapping[str, int]  # journal positions the collector had read (its own included)
    moved: tuple[Moved, ...] = ()  # chunks copied out of repacked packs: their new place

    @property
    def mark_id(self) -> MarkId:
        return (self.collector, self.seq)


@dataclass(frozen=True)
class DeviceStatus:
    """What a device's newest segment says about it."""

    device: str
    last_ms: int | None  # when it was sealed (None: a client that predates GC, always active)
    read: Mapping[str, int] = field(default_factory=dict)
    acks: frozenset[MarkId] = frozenset()


def voters(statuses: Iterable[DeviceStatus], removed: frozenset[str]) -> list[DeviceStatus]:
    """The devices whose acknowledgements and reads GC waits for: all but the removed.

    A device the membership log removed (a shared vault) never has a segment
    applied after its removal's cut (core/authority.py), so no version it
    writes can reference a pack again, and what it wrote up to the cut every
    collector has read: waiting for its acknowledgement would only hold every
    sweep (and fold) for `silent_ms`. A device merely absent from the log (one
    of a format-1 vault not yet entered) still counts.
    """
    return [s for s in statuses if s.device not in removed]


def is_active(status: DeviceStatus, now_ms: int, silent_ms: int) -> bool:
    return status.last_ms is None or now_ms - status.last_ms <= silent_ms


def must_rejoin(last_publish_ms: int | None, now_ms: int, silent_ms: int) -> bool:
    """A device silent for (nearly) longer than the vault allows re-reads the vault first.

    It checks a tenth of the limit early: its clock may lag the collector's,
    and a round that starts just under the limit may publish just over it.
    """
    return last_publish_ms is not None and now_ms - last_publish_ms > silent_ms - silent_ms // 10


def can_ack(mark: Mark, read: Mapping[str, int], own_device: str, own_seq: int) -> bool:
    """A device acknowledges a mark once its view includes the collector's at the mark."""
    for device, seq in mark.covers.items():
        have = own_seq if device == own_device else read.get(device, 0)
        if have < seq:
            return False
    return read.get(mark.collector, 0) >= mark.seq or own_device == mark.collector


def sweep_ready(mark: Mark, statuses: Iterable[DeviceStatus], now_ms: int, silent_ms: int) -> bool:
    """Every active device other than the collector has acknowledged the mark."""
    return all(
        mark.mark_id in s.acks
        for s in statuses
        if s.device != mark.collector and is_active(s, now_ms, silent_ms)
    )


def relocate(ref: ChunkRef, moved: Relocations) -> ChunkRef:
    """Where a chunk referenced at `ref` lives now, following repacks of repacks."""
    for _ in range(_MAX_HOPS):
        nxt = moved.get((ref.chunk_id, ref.pack_id))
        if nxt is None:
            return ref
        ref = nxt
    raise ValueError("a chunk's relocations form a cycle")


def live_chunks(
    versions: Iterable[Version], keep: frozenset[VersionId], moved: Relocations
) -> dict[str, dict[bytes, ChunkRef]]:
    """Per pack, the chunks kept versions read there (after relocation)."""
    out: dict[str, dict[bytes, ChunkRef]] = {}
    for v in versions:
        if v.vid in keep:
            for ref in v.chunks:
                where = relocate(ref, moved)
                out.setdefault(where.pack_id, {})[where.chunk_id] = where
    return out


def sweepable(mark: Mark, referenced: Iterable[str]) -> frozenset[str]:
    """The marked packs nothing kept references now (the others are resurrected)."""
    return mark.packs - frozenset(referenced)


def to_repack(
    pack_sizes: Mapping[str, int],
    live: Mapping[str, Mapping[bytes, ChunkRef]],
    forced: frozenset[str] = frozenset(),
    below: float = REPACK_BELOW,
    min_garbage: int = REPACK_MIN_GARBAGE,
) -> list[str]:
    """Referenced packs that are mostly garbage, or that hold purged chunks (`forced`).

    A forced pack is repacked whatever its size: a purge must not leave the
    purged chunks next to live ones.
    """
    out = []
    for pack, chunks in sorted(live.items()):
        size = pack_sizes.get(pack)
        if not size:
            continue
        live_bytes = sum(r.length for r in chunks.values())
        mostly_garbage = live_bytes < size * below and size - live_bytes >= min_garbage
        if mostly_garbage or pack in forced:
            out.append(pack)
    return out


def to_reencrypt(
    pack_epochs: Mapping[str, int],
    live: Mapping[str, Mapping[bytes, ChunkRef]],
    current: int,
) -> list[str]:
    """Referenced packs not proven sealed under the `current` epoch (re-encryption).

    `pack_epochs`: the epoch each pack's authenticated index opened under; a
    pack missing from it (its trailer named another epoch, or its index did not
    open as the current epoch's) is rewritten too: the rewrite opens every chunk
    under the key its envelope names, so nothing unproven is left behind.
    """
    return sorted(p for p in live if pack_epochs.get(p) != current)


def batches(packs: Iterable[str], sizes: Mapping[str, int], batch_bytes: int) -> list[list[str]]:
    """`packs` in order, cut into runs of about `batch_bytes` (at least one pack each).

    A re-encryption publishes one mark per batch, so an interruption loses at
    most one batch's work.
    """
    out: list[list[str]] = []
    size = 0
    for pack in packs:
        if not out or (size >= batch_bytes and out[-1]):
            out.append([])
            size = 0
        out[-1].append(pack)
        size += sizes.get(pack, 0)
    return out


def to_mark(
    pack_sizes: Mapping[str, int],
    referenced: Iterable[str],
    pending: Iterable[Mark],
) -> frozenset[str]:
    """Stored packs no kept version references and no pending mark names yet."""
    already: set[str] = set()
    for m in pending:
        already |= m.packs
    return frozenset(pack_sizes) - frozenset(referenced) - already


def foldable(
    own_device: str,
    own_seq: int,
    statuses: Iterable[DeviceStatus],
    snapshot_covers: Mapping[str, int],
    now_ms: int,
    silent_ms: int,
) -> dict[str, int]:
    """Per device, the highest segment seq every active device has read and the snapshot covers."""
    active = [s for s in statuses if is_active(s, now_ms, silent_ms)]
    out: dict[str, int] = {}
    for device, covered in snapshot_covers.items():
        upto = covered
        for s in active:
            if s.device == device:
                continue  # a device has read its own segments
            upto = min(upto, s.read.get(device, 0))
        if device == own_device:
            upto = min(upto, own_seq)
        if upto > 0:
            out[device] = upto
    return out
