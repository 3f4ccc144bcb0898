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

Witnesses: each head also carries the heads its device accepted from the
others (sync_engine/vault/witness.py). After a pull, the claims of the heads just
read are checked against what this device holds; a device claimed further
than the store serves it is read again, and a rollback or fork that remains
is reported, even by a device that lost its local state. Accepted heads are
committed durably (fsync), so a power cut does not lower them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crypto.errors import CoffreCryptoError, RollbackDetected, TamperedData
from crypto.forward import Forward, open_forward
from crypto.keys import VaultKey
from crypto.reason import Reason
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

from ..core.gc_rules import DeviceStatus, MarkId, can_ack
from ..core.model import Version
from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound
from .journal_codec import (
    SegmentMeta,
    decode_segment,
    decode_snapshot,
    encode_segment,
    encode_snapshot,
)
from .state import AcceptedHead, LocalState, RoundProblem
from .witness import (
    FindingKind,
    Position,
    cross_check,
    decode_head_extra,
    encode_head_extra,
)

HEADS = "heads/"
MOVED_KEY = HEADS + "moved"  # the forwarding record of a moved vault (move.py)
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
    errors: list[tuple[str, Reason]] = field(default_factory=list)  # (device, why)
    missing: bool = False  # a segment to read was gone: folded while this device was unknown


class StoreMoved(Exception):
    """The vault's store holds a forwarding record: the vault now lives elsewhere."""

    def __init__(self, forward: Forward) -> None:
        super().__init__(f"The vault moved from {forward.source} to {forward.target}.")
        self.forward = forward


@dataclass
class _Witnessed:
    """What one pull learnt for the cross-check: claims read and segment hashes passed."""

    claims: dict[str, dict[str, Position]] = field(default_factory=dict)
    passed: dict[str, dict[int, bytes]] = field(default_factory=dict)


class JournalError(Exception):
    """This device's own journal and its local state disagree; a person must look."""

    @property
    def reason(self) -> Reason:
        return Reason.of(RoundProblem.JOURNAL_MISMATCH, detail=str(self))


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
        infos = await self.store.list(HEADS)
        if any(i.key == MOVED_KEY for i in infos):
            return True  # the vault moved: the round follows it
        if self.own_seq > 0 and not any(i.key == head_key(self.device_id) for i in infos):
            return True  # our own head vanished: the round says so
        for info in infos:
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
        infos = await self.store.list(HEADS)
        if any(i.key == MOVED_KEY for i in infos):
            forward = open_forward(
                self.key, await self.store.get(MOVED_KEY), found_in=self.store.url
            )
            raise StoreMoved(forward)
        if not self.state.accepted_heads() and self.own_seq == 0:
            await self._bootstrap_from_snapshot(result)
        accepted = self.state.accepted_heads()
        limiter = asyncio.Semaphore(_FETCH_CONCURRENCY)
        witnessed = _Witnessed()

        async def one(device: str, etag: str) -> None:
            async with limiter:
                await self._pull_reporting(device, etag, accepted.get(device), result, witnessed)

        if self.own_seq > 0 and not any(i.key == head_key(self.device_id) for i in infos):
            raise JournalError(
                f"This device's head (heads/{self.device_id}) is gone from the store "
                f"{self.store.url}, though it published {self.own_seq} segments there: the "
                "store lost or removed this device's journal. Nothing more is written until "
                "someone looks: tell IT, and run `coffre check` to see what else is missing."
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
        await self._cross_check(witnessed, result)
        result.device_names = self.device_names()
        return result

    async def _pull_reporting(
        self,
        device: str,
        etag: str,
        prev: AcceptedHead | None,
        result: PullResult,
        witnessed: _Witnessed,
    ) -> None:
        """`_pull_device`, with what the store did wrong reported instead of raised."""
        try:
            await self._pull_device(device, etag, prev, result, witnessed)
        except CoffreCryptoError as exc:
            result.errors.append((device, exc.reason))
        except ObjectNotFound as exc:
            result.missing = True
            lost = Reason.of(RoundProblem.JOURNAL_LOST, device=device, detail=str(exc))
            result.errors.append((device, lost))

    async def _pull_device(
        self,
        device: str,
        etag: str,
        prev: AcceptedHead | None,
        result: PullResult,
        witnessed: _Witnessed,
    ) -> None:
        device_bytes = bytes.fromhex(device)
        accepted = None if prev is None else Head(device_bytes, prev.seq, prev.segment_hash)
        data = await self.store.get(head_key(device))
        head = open_head(self.key, data, device_id=device_bytes, accepted=accepted)
        try:
            name, seen = decode_head_extra(head.extra)
        except ValueError as exc:
            name, seen = None, {}
            unread = Reason.of(RoundProblem.HEAD_NOT_UNDERSTOOD, device=device, detail=str(exc))
            result.errors.append((device, unread))
        start = 1 if prev is None else prev.seq + 1
        link = ZERO_HASH if prev is None else prev.segment_hash
        versions: list[Version] = []
        passed: dict[int, bytes] = {}
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
            passed[seq] = link
        if link != head.segment_hash:
            raise TamperedData("A device head", f"device {device} head does not match its journal")
        witnessed.passed.setdefault(device, {}).update(passed)  # only a chain that checked out
        witnessed.claims[device] = seen
        name = name or (prev.name if prev is not None else device[:8])
        with self.state.transaction(durable=True):
            self.state.add_versions(versions)
            for seq, meta in metas:
                self._apply_meta(device, seq, meta)
            self.state.set_head(device, AcceptedHead(head.seq, head.segment_hash, etag, name))
        result.new_versions.extend(versions)

    def _positions(self) -> dict[str, Position]:
        """This device's view: every accepted head, and its own position."""
        view = {d: Position(h.seq, h.segment_hash) for d, h in self.state.accepted_heads().items()}
        if self.own_seq:
            view[self.device_id] = Position(self.own_seq, self.own_hash)
        return view

    async def _cross_check(self, witnessed: _Witnessed, result: PullResult) -> None:
        """Check the claims of the heads just read; report rollbacks and forks that remain.

        A device claimed further than this device holds is read again first: its
        head may simply have moved on between our LIST and the witness's write.
        """
        if not any(witnessed.claims.values()):
            return
        findings = cross_check(self._positions(), witnessed.passed, witnessed.claims)
        behind = {
            f.device
            for f in findings
            if f.kind is FindingKind.ROLLBACK and f.device != self.device_id
        }
        for device in sorted(behind):
            try:
                info = await self.store.head(head_key(device))
            except ObjectNotFound:
                continue
            prev = self.state.accepted_heads().get(device)
            await self._pull_reporting(device, info.etag, prev, result, witnessed)
        if behind:
            findings = cross_check(self._positions(), witnessed.passed, witnessed.claims)
        names = self.device_names()
        reported = {(d, m) for d, m in result.errors}
        for finding in findings:
            entry = (finding.device, finding.reason(names, self.device_id))
            if entry not in reported:
                reported.add(entry)
                result.errors.append(entry)
        # Forget the witnesses' ETags, so the next pull reads their heads and checks
        # again: the problem stays reported for as long as the store misbehaves.
        accepted = self.state.accepted_heads()
        witnesses = {f.witness for f in findings} & accepted.keys()
        if witnesses:
            with self.state.transaction(durable=True):
                for witness in witnesses:
                    self.state.set_head(witness, dataclasses.replace(accepted[witness], etag=""))

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
        with self.state.transaction(durable=True):
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
        and which GC marks it acknowledges (docs/SYNC.md section 7).
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
            found = await self.store.get(key)
            if found != data:
                raise self._taken_segment(seq, found) from None
        seg_hash = record_hash(data)
        head = seal_head(self.key, Head(self._device_bytes, seq, seg_hash, self._head_extra()))
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

    def _taken_segment(self, seq: int, found: bytes) -> Exception:
        """Why our next segment's name is taken: a clone of this device, or the store itself.

        Only a holder of the vault key sealing for this device id, at this seq, after our
        own last segment, makes a segment that opens here: a clone. Anything else was put
        there by the store (or someone writing to it without the key).
        """
        try:
            open_record(
                self.key,
                SEGMENT_MAGIC,
                found,
                device_id=self._device_bytes,
                seq=seq,
                link=self.own_hash,
            )
        except CoffreCryptoError:
            return TamperedData(
                f"Segment {seq} of this device",
                f"the store already holds an object at {segment_key(self.device_id, seq)} that "
                "this device never wrote and that is not a valid segment: the store (or "
                "someone with write access to it) put it there. Tell IT; nothing was published",
            )
        return JournalError(
            f"Segment {seq} of this device already exists on the store with other "
            "content: another machine uses the same device identity. Bind this folder "
            "again (coffre join) as a new device."
        )

    def _head_extra(self) -> bytes:
        """What this device's head carries besides its position (docs/FORMAT.md "Heads").

        Its name, and the heads it accepted from the others: its witness
        statement, which lets every device detect a rollback or fork of a third.
        """
        seen = {d: Position(h.seq, h.segment_hash) for d, h in self.state.accepted_heads().items()}
        seen.pop(self.device_id, None)
        return encode_head_extra(self.device_name, seen)

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
                result.errors.append((device, _snapshot_skipped(device, str(exc))))
                continue
            if snap.covers.get(device) != (seq, record.link):
                why = "it does not cover its own seq"
                result.errors.append((device, _snapshot_skipped(device, why)))
                continue
            weight = sum(s for s, _ in snap.covers.values())
            if best is None or weight > best[0]:
                best = (weight, snap)
        if best is None:
            return
        snap = best[1]
        with self.state.transaction(durable=True):
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


def _snapshot_skipped(device: str, why: str) -> Reason:
    return Reason.of(RoundProblem.SNAPSHOT_SKIPPED, device=device, detail=why)
