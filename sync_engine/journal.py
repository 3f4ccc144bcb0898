"""Journal replication: each device's hash-chained segments, its head, and snapshots.

Pull: one LIST of `heads/`; a head whose ETag is unchanged is skipped without
a GET. A changed head is opened against the newest head accepted before
(rollback and fork protection, crypto/records.py), then the device's missing
segments are fetched in order, each checked against the previous one's hash,
and the last against the head. Only then are its versions and the new head
committed to the local state, in one transaction.

Push: a device's new versions become segment `seq + 1`. The sealed segment is
first saved in the local state (write-ahead), then written create-only, then
the head is overwritten; a crash anywhere in between is finished by
`recover()` with the very same bytes, so a seq never holds two contents and
version counters are never reused.

A device that starts with nothing reads the newest snapshot first, then only
the segments written after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crypto.errors import CoffreCryptoError, RollbackDetected, TamperedData
from crypto.keys import VaultKey
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    open_head,
    open_record,
    record_hash,
    seal_head,
    seal_record,
)

from .gc_rules import DeviceStatus, MarkId, can_ack
from .journal_codec import (
    SegmentMeta,
    decode_segment,
    decode_snapshot,
    encode_segment,
    encode_snapshot,
)
from .model import Version
from .state import AcceptedHead, LocalState
from .stores.base import PutMode, Store
from .stores.errors import ObjectExists, ObjectNotFound

HEADS = "heads/"
_FETCH_CONCURRENCY = 8
SNAPSHOT_EVERY = 64


def segment_key(device: str, seq: int) -> str:
    return f"log/{device}/{seq}"


def head_key(device: str) -> str:
    return f"heads/{device}"


def snapshot_key(device: str, seq: int) -> str:
    return f"snap/{device}/{seq}"


def _is_device_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


@dataclass
class PullResult:
    new_versions: list[Version] = field(default_factory=list)
    device_names: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (device, message)
    missing: bool = False  # a segment to read was gone: folded while this device was unknown


class JournalError(Exception):
    """This device's own journal and its local state disagree; a person must look."""


class Journal:
    def __init__(
        self, store: Store, key: VaultKey, state: LocalState, device_id: str, device_name: str
    ) -> None:
        self.store = store
        self.key = key
        self.state = state
        self.device_id = device_id
        self.device_name = device_name
        self._device_bytes = bytes.fromhex(device_id)

    # --- own position --------------------------------------------------------------------

    @property
    def own_seq(self) -> int:
        return int(self.state.get_meta("own_seq", 0))

    @property
    def own_hash(self) -> bytes:
        return bytes.fromhex(self.state.get_meta("own_hash", ZERO_HASH.hex()))

    def device_names(self) -> dict[str, str]:
        names = {d: h.name for d, h in self.state.accepted_heads().items()}
        names[self.device_id] = self.device_name
        return names

    # --- pull ----------------------------------------------------------------------------

    async def heads_changed(self) -> bool:
        """Whether a pull would find anything new: one LIST of `heads/`, no GET.

        True when another device's head is new or its ETag differs from the one
        accepted, or this device's own head is not the one it wrote (the round
        then checks it). The live service polls this instead of running rounds.
        """
        accepted = self.state.accepted_heads()
        for info in await self.store.list(HEADS):
            device = info.key[len(HEADS) :]
            if not _is_device_id(device):
                continue
            if device == self.device_id:
                if self.state.get_meta("own_head_etag") != info.etag:
                    return True
                continue
            prev = accepted.get(device)
            if prev is None or prev.etag != info.etag:
                return True
        return False

    async def pull(self) -> PullResult:
        """Read what other devices wrote since the last pull."""
        result = PullResult()
        if not self.state.accepted_heads() and self.own_seq == 0:
            await self._bootstrap_from_snapshot(result)
        infos = await self.store.list(HEADS)
        accepted = self.state.accepted_heads()
        limiter = asyncio.Semaphore(_FETCH_CONCURRENCY)

        async def one(device: str, etag: str) -> None:
            async with limiter:
                try:
                    await self._pull_device(device, etag, accepted.get(device), result)
                except CoffreCryptoError as exc:
                    result.errors.append((device, str(exc)))
                except ObjectNotFound as exc:
                    result.missing = True
                    result.errors.append(
                        (device, f"The store lost part of device {device}'s journal: {exc}")
                    )

        tasks = []
        for info in infos:
            device = info.key[len(HEADS) :]
            if not _is_device_id(device):
                continue
            if device == self.device_id:
                await self._check_own_head(info.etag)
                continue
            prev = accepted.get(device)
            if prev is not None and prev.etag == info.etag:
                continue
            tasks.append(one(device, info.etag))
        await asyncio.gather(*tasks)
        result.device_names = self.device_names()
        return result

    async def _pull_device(
        self, device: str, etag: str, prev: AcceptedHead | None, result: PullResult
    ) -> None:
        device_bytes = bytes.fromhex(device)
        accepted = None if prev is None else Head(device_bytes, prev.seq, prev.segment_hash)
        data = await self.store.get(head_key(device))
        head = open_head(self.key, data, device_id=device_bytes, accepted=accepted)
        name = _head_name(head.extra, device)
        start = 1 if prev is None else prev.seq + 1
        link = ZERO_HASH if prev is None else prev.segment_hash
        versions: list[Version] = []
        metas: list[tuple[int, SegmentMeta]] = []
        for seq in range(start, head.seq + 1):
            raw = await self.store.get(segment_key(device, seq))
            record = open_record(
                self.key, SEGMENT_MAGIC, raw, device_id=device_bytes, seq=seq, link=link
            )
            segment = decode_segment(record.payload, device)
            versions.extend(segment.versions)
            metas.append((seq, segment.meta))
            link = record_hash(raw)
        if link != head.segment_hash:
            raise TamperedData("A device head", f"device {device} head does not match its journal")
        with self.state.transaction():
            self.state.add_versions(versions)
            for seq, meta in metas:
                self._apply_meta(device, seq, meta)
            self.state.set_head(device, AcceptedHead(head.seq, head.segment_hash, etag, name))
        result.new_versions.extend(versions)

    def _apply_meta(self, device: str, seq: int, meta: SegmentMeta) -> None:
        """What a segment says besides versions (inside the caller's transaction)."""
        self.state.add_settings(meta.settings)
        if meta.purge:
            self.state.purge_versions(meta.purge)
        if meta.mark is not None:
            self.state.apply_mark(dataclasses.replace(meta.mark, collector=device, seq=seq))
        for swept in meta.swept:
            self.state.set_swept(swept)
        if device != self.device_id:
            self.state.set_device_status(
                DeviceStatus(device, meta.at_ms, dict(meta.read), frozenset(meta.acks))
            )

    async def _check_own_head(self, etag: str) -> None:
        """Our own head must be the one we wrote: anything else is a rollback or a lost state."""
        if self.state.get_meta("own_head_etag") == etag:
            return
        data = await self.store.get(head_key(self.device_id))
        head = open_head(self.key, data, device_id=self._device_bytes)
        if head.seq > self.own_seq:
            raise JournalError(
                f"The store holds segment {head.seq} of this device but the local state only "
                f"knows {self.own_seq}: the local state was restored from an older copy. "
                "Bind the folder again (coffre join) as a new device."
            )
        if head.seq < self.own_seq:
            raise RollbackDetected(
                "This device's head", f"the store is back at seq {head.seq} after {self.own_seq}"
            )
        if head.segment_hash != self.own_hash:
            raise TamperedData("This device's head", "it does not match what this device wrote")
        with self.state.transaction():
            self.state.set_meta("own_head_etag", etag)

    # --- push ----------------------------------------------------------------------------

    def read_positions(self) -> dict[str, int]:
        return {d: h.seq for d, h in self.state.accepted_heads().items()}

    def acks(self) -> tuple[MarkId, ...]:
        """The pending GC marks this device may acknowledge now (gc_rules.can_ack)."""
        read = self.read_positions()
        return tuple(
            m.mark_id for m in self.state.marks() if can_ack(m, read, self.device_id, self.own_seq)
        )

    def owes_ack(self) -> bool:
        """A mark this device could acknowledge and has not yet, in its newest segment."""
        published = {tuple(a) for a in self.state.get_meta("own_acks", [])}
        return any(a not in published for a in self.acks())

    async def push(
        self,
        versions: Sequence[Version],
        meta: SegmentMeta | None = None,
        *,
        now_ms: int = 0,
        announce: bool = False,
    ) -> int:
        """Publish this device's new versions (and what `meta` says) as one segment; its seq.

        Every segment also says when it was sealed, what this device had read,
        and which GC marks it acknowledges (docs/SYNC.md section 6).
        """
        meta = meta or SegmentMeta()
        if not versions and meta == SegmentMeta() and not self.owes_ack() and not announce:
            return 0
        seq = self.own_seq + 1
        meta = dataclasses.replace(
            meta, at_ms=now_ms or None, read=self.read_positions(), acks=self.acks()
        )
        payload = encode_segment(self.device_id, self.device_name, versions, meta)
        data = seal_record(
            self.key, SEGMENT_MAGIC, Record(self._device_bytes, seq, self.own_hash, payload)
        )
        with self.state.transaction(durable=True):
            self.state.set_pending_segment(seq, data)
        await self._publish(seq, data, versions, meta)
        return seq

    async def hello(self, now_ms: int) -> PullResult:
        """A new (or rejoined) device announces itself before it writes anything, then reads again.

        From its first segment on, GC sweeps wait for its acknowledgements
        (gc_rules.py); reading again afterwards applies any mark published
        before that, so it never deduplicates against a pack a sweep removed
        while it was still unknown.
        """
        await self.push([], now_ms=now_ms, announce=True)
        return await self.pull()

    async def recover(self) -> None:
        """Finish publishing a segment that a crash interrupted."""
        pending = self.state.pending_segment()
        if pending is None:
            return
        seq, data = pending
        record = open_record(
            self.key, SEGMENT_MAGIC, data, device_id=self._device_bytes, seq=seq, link=self.own_hash
        )
        segment = decode_segment(record.payload, self.device_id)
        await self._publish(seq, data, segment.versions, segment.meta)

    async def _publish(
        self, seq: int, data: bytes, versions: Iterable[Version], meta: SegmentMeta
    ) -> None:
        key = segment_key(self.device_id, seq)
        try:
            await self.store.put(key, data, mode=PutMode.CREATE)
        except ObjectExists:
            if await self.store.get(key) != data:
                raise JournalError(
                    f"Segment {seq} of this device already exists on the store with other "
                    "content: another machine uses the same device identity. Bind this folder "
                    "again (coffre join) as a new device."
                ) from None
        seg_hash = record_hash(data)
        extra = json.dumps({"name": self.device_name}).encode()
        head = seal_head(self.key, Head(self._device_bytes, seq, seg_hash, extra))
        info = await self.store.put(head_key(self.device_id), head)
        with self.state.transaction(durable=True):
            self.state.add_versions(versions)
            self._apply_meta(self.device_id, seq, meta)
            self.state.set_meta("own_acks", [list(a) for a in meta.acks])
            if meta.at_ms is not None:
                self.state.set_meta("last_publish_ms", meta.at_ms)
            self.state.set_meta("own_seq", seq)
            self.state.set_meta("own_hash", seg_hash.hex())
            self.state.set_meta("own_head_etag", info.etag)
            self.state.clear_pending_segment()

    # --- snapshots -----------------------------------------------------------------------

    def snapshot_due(self) -> bool:
        seq = self.own_seq
        return seq > 0 and seq % SNAPSHOT_EVERY == 0 and self.state.get_meta("snap_seq") != seq

    async def write_snapshot(
        self, live_versions: Iterable[Version], history: Iterable[Version] = ()
    ) -> dict[str, int]:
        """Checkpoint the merged state so a new device need not replay every segment.

        It carries the vault settings, the GC marks not yet swept and every
        relocation, so a device starting from it follows the GC protocol.
        Returns what it covers: {device: seq}.
        """
        covers = {d: (h.seq, h.segment_hash) for d, h in self.state.accepted_heads().items()}
        covers[self.device_id] = (self.own_seq, self.own_hash)
        payload = encode_snapshot(
            covers,
            self.device_names(),
            live_versions,
            settings=self.state.settings_updates(),
            marks=self.state.marks(),
            moved=self.state.relocation_list(),
            history=history,
        )
        seq = self.own_seq
        data = seal_record(
            self.key, SNAPSHOT_MAGIC, Record(self._device_bytes, seq, self.own_hash, payload)
        )
        with contextlib.suppress(ObjectExists):
            await self.store.put(snapshot_key(self.device_id, seq), data, mode=PutMode.CREATE)
        with self.state.transaction():
            self.state.set_meta("snap_seq", seq)
        return {d: n for d, (n, _) in covers.items()}

    async def rejoin(self) -> PullResult:
        """Read the vault again as a new device would: newest snapshot, then the journal.

        For a device silent longer than the vault allows (gc_rules.must_rejoin):
        garbage collection no longer waited for it, so what it remembers of the
        store (chunk locations, old segments) may be gone. Its own segments
        after the snapshot are read back too.

        The heads accepted before stay a floor (kept in the state until the
        rejoin succeeds): a store that hides a segment to force a rejoin still
        cannot roll a device back.
        """
        floor = self.state.get_meta("rejoin_floor") or {
            d: h.seq for d, h in self.state.accepted_heads().items()
        }
        with self.state.transaction():
            self.state.set_meta("rejoin_floor", floor)
            self.state.reset_remote()
            self.state.set_meta("rejoin_own_from", 0)
        result = PullResult()
        await self._bootstrap_from_snapshot(result)
        start = int(self.state.get_meta("rejoin_own_from", 0))
        own: list[Version] = []
        for seq in range(start + 1, self.own_seq + 1):
            try:
                raw = await self.store.get(segment_key(self.device_id, seq))
            except ObjectNotFound:
                continue  # folded into the snapshot
            record = open_record(
                self.key, SEGMENT_MAGIC, raw, device_id=self._device_bytes, seq=seq
            )
            own.extend(decode_segment(record.payload, self.device_id).versions)
        with self.state.transaction():
            self.state.add_versions(own)
        more = await self.pull()
        accepted = self.state.accepted_heads()
        for device, seq in floor.items():
            if device in accepted and accepted[device].seq < seq:
                raise RollbackDetected(
                    "A device's journal",
                    f"device {device} is back at seq {accepted[device].seq} after {seq}",
                )
        with self.state.transaction():
            self.state.set_meta("rejoin_floor", None)
        result.new_versions.extend(own + more.new_versions)
        result.errors.extend(more.errors)
        result.device_names = more.device_names
        return result

    async def _bootstrap_from_snapshot(self, result: PullResult) -> None:
        latest: dict[str, int] = {}
        for info in await self.store.list("snap/"):
            parts = info.key.split("/")
            if len(parts) == 3 and _is_device_id(parts[1]) and parts[2].isdigit():
                latest[parts[1]] = max(latest.get(parts[1], 0), int(parts[2]))
        best = None
        for device, seq in latest.items():
            try:
                raw = await self.store.get(snapshot_key(device, seq))
                record = open_record(
                    self.key, SNAPSHOT_MAGIC, raw, device_id=bytes.fromhex(device), seq=seq
                )
                snap = decode_snapshot(record.payload)
            except (CoffreCryptoError, ObjectNotFound) as exc:
                result.errors.append((device, f"Snapshot skipped: {exc}"))
                continue
            if snap.covers.get(device) != (seq, record.link):
                result.errors.append((device, "Snapshot skipped: it does not cover its own seq"))
                continue
            weight = sum(s for s, _ in snap.covers.values())
            if best is None or weight > best[0]:
                best = (weight, snap)
        if best is None:
            return
        snap = best[1]
        with self.state.transaction():
            self.state.add_versions(snap.versions)
            self.state.add_settings(snap.settings)
            self.state.set_meta("rejoin_own_from", snap.covers.get(self.device_id, (0, b""))[0])
            for mark in snap.marks:
                self.state.apply_mark(mark)
            self.state.apply_relocations(snap.moved)
            self.state.add_history(snap.history)
            for device, (seq, seg_hash) in snap.covers.items():
                if device != self.device_id:
                    name = snap.names.get(device, device[:8])
                    self.state.set_head(device, AcceptedHead(seq, seg_hash, "", name))
        result.new_versions.extend(snap.versions)


def _head_name(extra: bytes, device: str) -> str:
    try:
        name = json.loads(extra).get("name")
    except (ValueError, AttributeError):
        name = None
    return name if isinstance(name, str) and name else device[:8]
