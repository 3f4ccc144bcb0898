"""`coffre check`: is everything the journals reference really in the store, intact?

Structure (always): every device's head opens and matches the end of its
hash-chained segments, with no gap and nothing past the head; the newest
snapshot of each device opens and covers its own seq; every chunk a known
version references is listed, at the same offset and lengths, by the
authenticated index of a pack that exists (the index is read by two range
requests at most per pack, with read_index's tiling and padding checks).
With `--read-data`, a sample (or all) of those packs is read in full: the
whole-pack `read_index` and every chunk envelope are verified, so bytes a
range read never touches (an extended pack, a flipped unread byte) are caught.
`key` is the vault's KeyRing (a VaultKey means a v1 vault): every object opens
with the key of the epoch it names. Signatures of format-2 heads, segments and
snapshots are checked when the caller passes `authors` (the author device's
key at the log position an object names, from the membership log); a v2
object whose author was not a device of the vault there is a finding.

The pure part (`affected_files`) turns bad chunks into the files a person
must hear about; the shell (`check_store`) does the reading. Nothing here
writes to the store or to the local state.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from crypto.chunk import ChunkCodec
from crypto.errors import CoffreCryptoError, TamperedData
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.pack import PackEntry, index_tail_size, open_chunk, open_index, read_index
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    VERSION_V2,
    ZERO_HASH,
    VerifyKey,
    open_head,
    open_record,
    peek_head,
    peek_record,
)
from crypto.records import record_hash as hash_of_record

from ..core import gc_rules
from ..core.gc_rules import Moved
from ..core.merge import merge
from ..core.model import ChunkRef, Version, VersionId
from ..stores.base import ObjectInfo, Store
from ..stores.errors import ObjectNotFound
from ..vault.journal import head_key, segment_key, snapshot_key
from ..vault.journal_codec import decode_segment, decode_snapshot

INDEX_TAIL_GUESS = 64 * 1024  # one range request reads most packs' whole index


@dataclass(frozen=True)
class Finding:
    """One thing wrong in the store: what (`kind`), which object, why."""

    kind: str  # missing-pack, bad-index, bad-chunk, journal, head, snapshot
    key: str
    detail: str


@dataclass(frozen=True)
class AffectedFile:
    """A file version that cannot be restored because of bad chunks."""

    path: str
    vid: VersionId
    current: bool  # the version the folder shows now (else an older one, in history)
    reason: str


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    affected: list[AffectedFile] = field(default_factory=list)
    # (pack id hex, chunk id) -> reason: a chunk is bad where a version expects it, though
    # another pack may hold it too (sent again by `coffre repair`)
    bad_chunks: dict[tuple[str, bytes], str] = field(default_factory=dict)
    versions: list[Version] = field(default_factory=list)
    devices: int = 0
    segments: int = 0
    packs: int = 0
    packs_read: int = 0
    chunks_read: int = 0

    @property
    def sound(self) -> bool:
        return not self.findings and not self.affected


Resolve = Callable[[ChunkRef], ChunkRef]  # where a version's chunk really is now


def _as_written(ref: ChunkRef) -> ChunkRef:
    return ref


def affected_files(
    versions: Iterable[Version],
    bad: Mapping[tuple[str, bytes], str],
    names: Mapping[str, str],
    resolve: Resolve = _as_written,
) -> list[AffectedFile]:
    """Every version with a bad chunk, current ones first, then by path."""
    versions = list(versions)
    tree = merge(versions, names)
    current: set[VersionId] = set()
    for entry in tree.entries.values():
        current |= entry.heads | entry.losers
    out: dict[VersionId, AffectedFile] = {}
    for v in versions:
        where = [resolve(ref) for ref in v.chunks]
        reasons = [bad[(r.pack_id, r.chunk_id)] for r in where if (r.pack_id, r.chunk_id) in bad]
        if reasons and v.vid not in out:
            out[v.vid] = AffectedFile(v.path, v.vid, v.vid in current, reasons[0])
    return sorted(out.values(), key=lambda a: (not a.current, a.path, str(a.vid)))


def refs_by_pack(
    versions: Iterable[Version], resolve: Resolve = _as_written
) -> dict[str, dict[bytes, ChunkRef]]:
    by_pack: dict[str, dict[bytes, ChunkRef]] = {}
    for v in versions:
        for ref in map(resolve, v.chunks):
            by_pack.setdefault(ref.pack_id, {})[ref.chunk_id] = ref
    return by_pack


def mismatched(refs: Mapping[bytes, ChunkRef], entries: Iterable[PackEntry]) -> list[bytes]:
    """Referenced chunks that the pack's index does not hold where the journal says."""
    index = {e.chunk_id: e for e in entries}
    bad = []
    for chunk_id, ref in refs.items():
        e = index.get(chunk_id)
        if e is None or (e.offset, e.length, e.plain_length) != (
            ref.offset,
            ref.length,
            ref.plain_length,
        ):
            bad.append(chunk_id)
    return bad


def pack_key(pack_hex: str) -> str:
    return f"packs/{pack_hex[:2]}/{pack_hex}"


async def index_tail(store: Store, pack_hex: str, size: int) -> bytes:
    """The end of a `size`-byte pack holding its index and trailer (`open_index`'s input),
    by range reads: one request, two for huge indexes."""
    key = pack_key(pack_hex)
    tail = await store.get_range(key, max(0, size - INDEX_TAIL_GUESS), size)
    need = index_tail_size(tail)
    if need > len(tail) and need <= size:
        tail = await store.get_range(key, size - need, size)
    return tail


def _is_device_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


Authors = Callable[[bytes, int], VerifyKey | None]
"""(device id, log position) -> that device's signing key there, or None if it was not one."""


class _Checker:
    def __init__(
        self,
        store: Store,
        key: VaultKey | KeyRing,
        report: CheckReport,
        authors: Authors | None = None,
    ) -> None:
        self.store = store
        self.key = key
        self.report = report
        self.authors = authors
        self.names: dict[str, str] = {}
        # Chunks GC repacks moved (marks in segments, snapshots): (chunk, old pack) -> now.
        self.moved: dict[tuple[bytes, str], ChunkRef] = {}

    def learn_moves(self, moved: Iterable[Moved]) -> None:
        self.moved.update(((m.to.chunk_id, m.from_pack), m.to) for m in moved)

    def resolve(self, ref: ChunkRef) -> ChunkRef:
        """Where a version's chunk is now, following the relocations read."""
        return gc_rules.relocate(ref, self.moved)

    def _author(self, what: str, device: bytes, version: int, position: int) -> VerifyKey | None:
        """The key a v2 object's signature is checked with (None: not checked)."""
        if self.authors is None or version != VERSION_V2:
            return None
        found = self.authors(device, position)
        if found is None:
            raise TamperedData(
                what,
                f"signed as device {device.hex()}, which was not a device of the vault at "
                f"membership log position {position}",
            )
        return found

    def find(self, kind: str, key: str, detail: str) -> None:
        self.report.findings.append(Finding(kind, key, detail))

    async def journals(self, listing: Mapping[str, ObjectInfo]) -> None:
        """Every device's chain of segments, its head, and its newest snapshot."""
        logs: dict[str, list[int]] = {}
        snaps: dict[str, list[int]] = {}
        heads = set()
        for k in listing:
            parts = k.split("/")
            if len(parts) == 3 and parts[0] in ("log", "snap") and parts[2].isdigit():
                (logs if parts[0] == "log" else snaps).setdefault(parts[1], []).append(
                    int(parts[2])
                )
            elif len(parts) == 2 and parts[0] == "heads" and _is_device_id(parts[1]):
                heads.add(parts[1])
        hashes: dict[tuple[str, int], bytes] = {}
        for device in sorted(heads | set(logs)):
            await self._device(device, sorted(logs.get(device, [])), device in heads, hashes)
        covered: dict[str, int] = {}  # per device, the newest seq a valid snapshot covers
        for device, seqs in sorted(snaps.items()):
            for dev, seq in (await self._snapshot(device, max(seqs), hashes)).items():
                covered[dev] = max(covered.get(dev, 0), seq)
        for device, seqs in sorted(logs.items()):
            first = min(seqs)
            if first > 1 and covered.get(device, 0) < first - 1:
                self.find(
                    "journal",
                    segment_key(device, first - 1),
                    f"segments 1 to {first - 1} are missing and no snapshot covers them",
                )

    async def _device(
        self, device: str, seqs: list[int], has_head: bool, hashes: dict[tuple[str, int], bytes]
    ) -> None:
        self.report.devices += 1
        dev = bytes.fromhex(device)
        head = None
        if not has_head:
            self.find("head", head_key(device), "missing: the device's journal has no head")
        else:
            try:
                data = await self.store.get(head_key(device))
                seen = peek_head(data)
                verify = self._author("A device head", dev, seen.version, seen.position)
                head = open_head(self.key, data, device_id=dev, verify_key=verify)
            except (CoffreCryptoError, ObjectNotFound) as exc:
                self.find("head", head_key(device), str(exc))
        last = head.seq if head is not None else (seqs[-1] if seqs else 0)
        first = seqs[0] if seqs else last + 1
        link: bytes | None = ZERO_HASH if first == 1 else None
        for seq in range(first, last + 1):
            key = segment_key(device, seq)
            try:
                raw = await self.store.get(key)
                info = peek_record(SEGMENT_MAGIC, raw)
                verify = self._author("A journal segment", dev, info.version, info.position)
                record = open_record(
                    self.key,
                    SEGMENT_MAGIC,
                    raw,
                    device_id=dev,
                    seq=seq,
                    link=link,
                    verify_key=verify,
                )
                segment = decode_segment(record.payload, device)
            except ObjectNotFound:
                self.find("journal", key, "missing: a gap in the device's journal")
                link = None
                continue
            except CoffreCryptoError as exc:
                self.find("journal", key, str(exc))
                link = None
                continue
            self.report.segments += 1
            self.report.versions.extend(segment.versions)
            if segment.meta.mark is not None:
                self.learn_moves(segment.meta.mark.moved)
            if segment.device_name:
                self.names[device] = segment.device_name
            link = hash_of_record(raw)
            hashes[(device, seq)] = link
        for seq in seqs:
            if seq > last:
                self.find(
                    "journal",
                    segment_key(device, seq),
                    f"a segment past the device's head (seq {last}): not written by that "
                    "device's publication; the store holds an object it should not",
                )
        if head is not None and last >= first and hashes.get((device, last)) != head.segment_hash:
            self.find("head", head_key(device), "does not match the device's last segment")

    async def _snapshot(
        self, device: str, seq: int, hashes: Mapping[tuple[str, int], bytes]
    ) -> dict[str, int]:
        """Check one snapshot; the seq it covers per device (nothing if it is refused)."""
        key = snapshot_key(device, seq)
        try:
            raw = await self.store.get(key)
            dev = bytes.fromhex(device)
            info = peek_record(SNAPSHOT_MAGIC, raw)
            verify = self._author("A snapshot", dev, info.version, info.position)
            record = open_record(
                self.key, SNAPSHOT_MAGIC, raw, device_id=dev, seq=seq, verify_key=verify
            )
            snap = decode_snapshot(record.payload)
        except (CoffreCryptoError, ObjectNotFound) as exc:
            self.find("snapshot", key, str(exc))
            return {}
        if snap.covers.get(device) != (seq, record.link):
            self.find("snapshot", key, "does not cover its own device's seq")
            return {}
        known = hashes.get((device, seq))
        if known is not None and known != record.link:
            self.find("snapshot", key, "does not match the device's journal at its seq")
            return {}
        self.report.versions.extend(snap.versions)
        self.learn_moves(snap.moved)
        return {dev: covered_seq for dev, (covered_seq, _hash) in snap.covers.items()}

    async def index(self, pack_hex: str, size: int) -> list[PackEntry]:
        """A pack's index by range reads of its end: one request, two for huge indexes."""
        tail = await index_tail(self.store, pack_hex, size)
        return open_index(self.key, bytes.fromhex(pack_hex), tail, size)

    async def read_pack(self, pack_hex: str, refs: Mapping[bytes, ChunkRef]) -> None:
        """The whole pack: its index as read_index checks it, then every chunk it holds."""
        key = pack_key(pack_hex)
        data = await self.store.get(key)
        self.report.packs_read += 1
        entries = read_index(self.key, bytes.fromhex(pack_hex), data)
        codec = ChunkCodec(self.key)
        for entry in entries:
            self.report.chunks_read += 1
            try:
                open_chunk(codec, entry, data)
            except CoffreCryptoError as exc:
                self.find("bad-chunk", key, f"chunk {entry.chunk_id.hex()[:16]}: {exc}")
                if entry.chunk_id in refs:
                    self.report.bad_chunks[(pack_hex, entry.chunk_id)] = f"damaged in {key}"


def _mark(report: CheckReport, pack_hex: str, chunk_ids: Iterable[bytes], reason: str) -> None:
    for chunk_id in chunk_ids:
        report.bad_chunks[(pack_hex, chunk_id)] = reason


async def check_store(
    store: Store,
    key: VaultKey | KeyRing,
    *,
    local_versions: Iterable[Version] = (),
    names: Mapping[str, str] | None = None,
    read_data_percent: float | None = None,
    rng: random.Random | None = None,
    resolve: Resolve = _as_written,
    authors: Authors | None = None,
) -> CheckReport:
    """Check the vault on `store`; `local_versions` (this device's history) are checked too.

    `resolve` maps a version's chunk reference to where the chunk is now, for chunks
    moved since the version was written (a repacked pack); by default the relocations
    of the GC marks and snapshots read from the store. `authors`: see `Authors`
    (a format-2 vault's signatures are checked only when it is given).
    """
    report = CheckReport()
    checker = _Checker(store, key, report, authors)
    listing = {info.key: info for info in await store.list("")}
    await checker.journals(listing)
    if resolve is _as_written:  # by default, where the GC marks read say chunks moved
        resolve = checker.resolve
    versions = {v.vid: v for v in [*report.versions, *local_versions]}
    report.versions = list(versions.values())
    by_pack = refs_by_pack(report.versions, resolve)
    report.packs = len(by_pack)
    readable: list[str] = []
    for pack_hex, refs in sorted(by_pack.items()):
        key_name = pack_key(pack_hex)
        info = listing.get(key_name)
        if info is None:
            checker.find("missing-pack", key_name, "missing from the store")
            _mark(report, pack_hex, refs, f"{key_name} is missing")
            continue
        try:
            entries = await checker.index(pack_hex, info.size)
        except (CoffreCryptoError, ObjectNotFound) as exc:
            checker.find("bad-index", key_name, str(exc))
            _mark(report, pack_hex, refs, f"{key_name} has a damaged index")
            continue
        wrong = mismatched(refs, entries)
        if wrong:
            checker.find("bad-index", key_name, f"{len(wrong)} chunks not where the journal says")
            _mark(report, pack_hex, wrong, f"{key_name} does not hold it")
        readable.append(pack_hex)
    if read_data_percent is not None and readable:
        share = min(100.0, max(0.0, read_data_percent)) / 100.0
        count = min(len(readable), math.ceil(len(readable) * share))
        chosen = (rng or random.Random()).sample(readable, count)
        for pack_hex in sorted(chosen):
            refs = by_pack[pack_hex]
            try:
                await checker.read_pack(pack_hex, refs)
            except (CoffreCryptoError, ObjectNotFound) as exc:
                key_name = pack_key(pack_hex)
                checker.find("bad-chunk", key_name, str(exc))
                _mark(report, pack_hex, refs, f"{key_name} is damaged")
    all_names = dict(checker.names)
    all_names.update(names or {})
    report.affected = affected_files(report.versions, report.bad_chunks, all_names, resolve)
    return report
