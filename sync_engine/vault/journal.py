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

Format 2 (a KeyRing of format 2; docs/SYNC.md section 8). Every object this
device writes is sealed under the ring's current epoch, signed with its
device key, and names the newest membership log entry it accepted. The pull
reads the membership log first (at the first pull, and whenever a head
changed), stops if this device or its person was removed (`AccessRevoked`),
then asks the log (write_gate.py, core/authority.py) about every head,
segment and snapshot of the others: one naming an entry not yet read waits
for the next round; one refused is reported, and neither it nor anything
after it in that device's chain is applied (what came before it is). A
refusal is kept in the local state and reported at every round while its
device is still in the vault (once the log removed it, only when it happened):
the chain cannot go past it. A reader publishes STATUS segments only, and no snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from crypto.device import DeviceKeys
from crypto.errors import CoffreCryptoError, EpochKeyMissing, RollbackDetected, TamperedData
from crypto.forward import Forward, open_forward
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    VERSION_V2,
    ZERO_HASH,
    Head,
    Record,
    open_head,
    open_record,
    peek_head,
    peek_record,
    record_hash,
    seal_head,
    seal_record,
)
from crypto.signing import HybridVerifyKey

from ..core.authority import PENDING, Content, content_of, may_publish
from ..core.gc_rules import DeviceStatus, MarkId, can_ack
from ..core.membership import MembershipRefused
from ..core.membership_entry import Role
from ..core.model import Version
from ..stores.base import ObjectInfo, PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound
from .epoch_keys import EpochKeys, EpochRefused
from .journal_codec import (
    Segment,
    SegmentMeta,
    decode_segment,
    decode_snapshot,
    encode_segment,
    encode_snapshot,
)
from .membership_log import MembershipLog
from .state import AcceptedHead, LocalState, RoundProblem
from .witness import (
    FindingKind,
    Position,
    cross_check,
    decode_head_extra,
    encode_head_extra,
)
from .write_gate import WriteGate

log = logging.getLogger(__name__)
HEADS = "heads/"
MOVED_KEY = HEADS + "moved"  # the forwarding record of a moved vault (move.py)
_FETCH_CONCURRENCY = 8
SNAPSHOT_EVERY = 64
REFUSED_META = "refused_chains"  # {device: [seq, reason JSON]}: chains stopped by a refusal


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
    refused: list[tuple[str, Reason]] = field(default_factory=list)  # (device, authority's why)


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
    held_back: set[str] = field(default_factory=set)  # chains stopped short (refused, waiting)


class JournalError(Exception):
    """This device's own journal and its local state disagree; a person must look."""

    @property
    def reason(self) -> Reason:
        return Reason.of(RoundProblem.JOURNAL_MISMATCH, detail=str(self))


class AccessRevoked(Exception):
    """This device may no longer sync the vault: it, or its person, was removed from it.

    Raised before anything is applied or written: nothing is deleted on this
    computer, the folder simply stops syncing.
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self._reason = reason

    @property
    def reason(self) -> Reason:
        return self._reason


class ReadOnlyDevice(Exception):
    """A reader's device was asked to publish changes (versions, purge, settings, GC)."""

    @property
    def reason(self) -> Reason:
        return Reason.of(RoundProblem.READ_ONLY)


class Journal:
    def __init__(
        self,
        store: Store,
        key: VaultKey | KeyRing,
        state: LocalState,
        device_id: str,
        device_name: str,
        *,
        signer: DeviceKeys | None = None,
        membership: MembershipLog | None = None,
    ) -> None:
        self.store = store
        self.ring = KeyRing.of(key)
        self.state = state
        self.device_id = device_id
        self.device_name = device_name
        self._device_bytes = bytes.fromhex(device_id)
        self.v2 = self.ring.format == 2
        if self.v2 and (signer is None or membership is None):
            raise ValueError("a format-2 vault needs this device's keys and its membership log")
        if signer is not None and signer.device_id != self._device_bytes:
            raise ValueError("the signer is another device")
        self.signer = signer if self.v2 else None
        self.membership = membership if self.v2 else None
        self._log_read = False  # the membership log is read at the first pull, then on changes
        self.log_fresh = False  # read during the latest pull

    @property
    def key(self) -> VaultKey:
        """Epoch 1 (a v1 vault's only key): the forwarding record of a moved vault."""
        return self.ring.stable

    # --- membership (format 2) -----------------------------------------------------------

    @property
    def role(self) -> Role | None:
        """This device's person's role in the log; None in a v1 vault (everyone writes)."""
        if self.membership is None:
            return None
        return self.membership.state.role_of_device(self._device_bytes)

    @property
    def may_write_changes(self) -> bool:
        """Versions, purges, settings, GC: a v1 vault's devices, an owner's or an editor's."""
        return self.membership is None or may_publish(self.role, Content.CHANGES)

    @property
    def log_position(self) -> int:
        """The newest membership entry accepted: what this device's objects name."""
        return 0 if self.membership is None else max(self.membership.state.position, 0)

    async def read_membership(self, result: PullResult) -> None:
        """Read what is new in the log; refused entries are reported; stop if removed."""
        assert self.membership is not None
        try:
            read = await self.membership.read()
        except MembershipRefused as exc:  # rollback or fork of the log: nothing new applied
            result.errors.append(("", exc.reason))
        else:
            result.errors.extend(("", why) for why in read.problems)
        self.log_fresh = True
        self._check_still_member()
        self._log_read = True  # a removed device reads it again at every pull, and stops
        await self._open_started_epoch(result)

    async def _open_started_epoch(self, result: PullResult) -> None:
        """The log started an epoch this ring lacks (a removal, a rotation): open this
        device's envelope of it, which the owner who started it sealed to every device
        that stays. Until it opens, nothing is sealed (`require_current_epoch`): a
        segment under the older epoch would be refused by everyone (authority.stale_epoch)
        and its content readable by whoever was removed."""
        assert self.membership is not None and self.signer is not None
        log = self.membership
        if log.state.epoch <= self.ring.current:
            return
        keys = EpochKeys(self.store, log.state.vault_id, log.history, log.read_through)
        try:
            ring = await keys.open_with_device(self.signer)
        except EpochRefused as exc:  # not written yet (the owner is between the two)
            result.errors.append(("", exc.reason))
            return
        if ring.current > self.ring.current:
            self.ring = ring

    def require_current_epoch(self) -> None:
        """Refuse to seal under an epoch older than the one the log says is in force."""
        if self.membership is not None and self.membership.state.epoch > self.ring.current:
            raise EpochKeyMissing(self.membership.state.epoch, "This device's next segment")

    def _check_still_member(self) -> None:
        assert self.membership is not None
        state = self.membership.state
        if self._device_bytes in state.devices:
            return
        history = self.membership.history
        if self._device_bytes not in state.seen_devices:
            raise AccessRevoked(
                Reason.of(RoundProblem.NOT_A_MEMBER),
                "This device is not in the vault's membership log: it cannot sync this "
                "folder until it is added (coffre join). Nothing was changed here.",
            )
        identity = next(
            (s.devices[self._device_bytes].identity_id for s in reversed(history.states)
             if self._device_bytes in s.devices),
            None,
        )  # fmt: skip
        if identity is not None and identity not in state.members:
            raise AccessRevoked(
                Reason.of(RoundProblem.PERSON_REMOVED, position=state.position),
                "An owner removed you from this vault: this folder no longer syncs. "
                "Nothing was deleted on this computer.",
            )
        raise AccessRevoked(
            Reason.of(RoundProblem.DEVICE_REMOVED, position=state.position),
            "This device was removed from the vault: this folder no longer syncs. "
            "Nothing was deleted on this computer.",
        )

    def authors(self) -> Callable[[bytes, int], HybridVerifyKey | None] | None:
        """(device id, log position) -> its signing key there: what `coffre check` verifies
        format-2 signatures with (lifecycle/check.py `Authors`); None in a v1 vault."""
        gate = self._gate()
        return None if gate is None else gate.verify_key

    def _gate(self) -> WriteGate | None:
        if self.membership is None:
            return None
        return WriteGate(self.membership.history)

    def _refusals(self) -> dict[str, list[object]]:
        return dict(self.state.get_meta(REFUSED_META, {}) or {})

    # --- sealing and opening this device's own objects -------------------------------------

    def _seal(self, magic: bytes, record: Record) -> bytes:
        if self.signer is None:
            return seal_record(self.ring, magic, record)
        self.require_current_epoch()
        return seal_record(self.ring, magic, record, signer=self.signer, position=self.log_position)

    def _seal_head(self, head: Head) -> bytes:
        if self.signer is None:
            return seal_head(self.ring, head)
        return seal_head(self.ring, head, signer=self.signer, position=self.log_position)

    def _open_own(self, magic: bytes, data: bytes, seq: int, link: bytes | None) -> Record:
        """One of this device's records (a v1 one in an upgraded vault opens unsigned)."""
        verify = None if self.signer is None else self.signer.public.signing
        return open_record(
            self.ring, magic, data, device_id=self._device_bytes, seq=seq, link=link,
            verify_key=verify,
        )  # fmt: skip

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

    def _any_head_changed(self, infos: Sequence[ObjectInfo]) -> bool:
        """Another device's head is new or differs from the one accepted.

        A device whose chain a refusal stopped is not looked at: nothing it writes
        after that can be applied (its refusal is reported at every pull).
        """
        accepted = self.state.accepted_heads()
        refused = self._refusals()
        for info in infos:
            device = info.key[len(HEADS) :]
            if _is_device_id(device) and device != self.device_id and device not in refused:
                prev = accepted.get(device)
                if prev is None or prev.etag != info.etag:
                    return True
        return False

    async def heads_changed(self) -> bool:
        """Whether a pull would find anything new: one LIST of `heads/`, no GET.

        True when another device's head is new or its ETag differs from the one
        accepted, or this device's own head is not the one it wrote (the round
        then checks it). The live service polls this instead of running rounds.
        """
        infos = await self.store.list(HEADS)
        if any(i.key == MOVED_KEY for i in infos):
            return True  # the vault moved: the round follows it
        if self.own_seq > 0 and not any(i.key == head_key(self.device_id) for i in infos):
            return True  # our own head vanished: the round says so
        own = next((i for i in infos if i.key == head_key(self.device_id)), None)
        if own is not None and self.state.get_meta("own_head_etag") != own.etag:
            return True
        return self._any_head_changed(infos)

    async def pull(self) -> PullResult:
        """Read what other devices wrote since the last pull."""
        result = PullResult()
        infos = await self.store.list(HEADS)
        if any(i.key == MOVED_KEY for i in infos):
            forward = open_forward(
                self.key, await self.store.get(MOVED_KEY), found_in=self.store.url
            )
            raise StoreMoved(forward)
        self.log_fresh = False
        if self.membership is not None:
            if not self._log_read or self._any_head_changed(infos):
                await self.read_membership(result)
            current = self.membership.state.devices
            for device, (_seq, why) in sorted(self._refusals().items()):
                # Reported at every round while its device is still in the vault (a member
                # whose client ignores the rules); once the log removed it, what it wrote
                # past its cut is the removal working, reported once when it was refused.
                if bytes.fromhex(device) in current:
                    result.refused.append((device, Reason.from_json(str(why))))
        if not self.state.accepted_heads() and self.own_seq == 0:
            await self._bootstrap_from_snapshot(result)
        accepted = self.state.accepted_heads()
        limiter = asyncio.Semaphore(_FETCH_CONCURRENCY)
        witnessed = _Witnessed()

        async def one(device: str, etag: str, gate: WriteGate | None) -> None:
            async with limiter:
                await self._pull_reporting(
                    device, etag, accepted.get(device), result, witnessed, gate
                )

        if self.own_seq > 0 and not any(i.key == head_key(self.device_id) for i in infos):
            raise JournalError(
                f"This device's head (heads/{self.device_id}) is gone from the store "
                f"{self.store.url}, though it published {self.own_seq} segments there: the "
                "store lost or removed this device's journal. Nothing more is written until "
                "someone looks: tell IT, and run `coffre check` to see what else is missing."
            )
        tasks = []
        gate = self._gate()
        refused = self._refusals()
        for info in infos:
            device = info.key[len(HEADS) :]
            if not _is_device_id(device):
                continue
            if device == self.device_id:
                await self._check_own_head(info.etag)
                continue
            prev = accepted.get(device)
            if (prev is not None and prev.etag == info.etag) or device in refused:
                continue
            tasks.append(one(device, info.etag, gate))
        await asyncio.gather(*tasks)
        await self._cross_check(witnessed, result, gate)
        result.device_names = self.device_names()
        return result

    async def _pull_reporting(
        self,
        device: str,
        etag: str,
        prev: AcceptedHead | None,
        result: PullResult,
        witnessed: _Witnessed,
        gate: WriteGate | None,
    ) -> None:
        """`_pull_device`, with what the store did wrong reported instead of raised."""
        try:
            await self._pull_device(device, etag, prev, result, witnessed, gate)
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
        gate: WriteGate | None,
    ) -> None:
        device_bytes = bytes.fromhex(device)
        accepted = None if prev is None else Head(device_bytes, prev.seq, prev.segment_hash)
        if device in self._refusals():
            witnessed.held_back.add(device)
            return  # its chain stopped at a refused segment: nothing after it is applied
        data = await self.store.get(head_key(device))
        verify = None
        if gate is not None:
            info = peek_head(data)
            if info.version == VERSION_V2:
                if gate.ahead(info.position):
                    witnessed.held_back.add(device)
                    return  # names a log entry not read yet: the next round
                verify = gate.verify_key(device_bytes, info.position)
                if verify is None:
                    why = gate.unknown_author(device_bytes, 0, info.position, info.epoch)
                    self._refuse(device, 0, why, result)
                    witnessed.held_back.add(device)
                    return
        head = open_head(
            self.ring, data, device_id=device_bytes, accepted=accepted, verify_key=verify
        )
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
        last = None if prev is None else prev.seq
        stopped = False
        for seq in range(start, head.seq + 1):
            raw = await self.store.get(segment_key(device, seq))
            if gate is None:
                record = open_record(
                    self.ring, SEGMENT_MAGIC, raw, device_id=device_bytes, seq=seq, link=link
                )
                segment = decode_segment(record.payload, device)
            else:
                opened = self._open_gated(device, seq, raw, link, gate, result)
                if opened is None:
                    stopped = True
                    break
                segment = opened
            versions.extend(segment.versions)
            metas.append((seq, segment.meta))
            link = record_hash(raw)
            passed[seq] = link
            last = seq
        if not stopped and link != head.segment_hash:
            raise TamperedData("A device head", f"device {device} head does not match its journal")
        witnessed.passed.setdefault(device, {}).update(passed)  # only a chain that checked out
        name = name or (prev.name if prev is not None else device[:8])
        if stopped:
            witnessed.held_back.add(device)
        else:
            witnessed.claims[device] = seen
        if last is None:
            return  # nothing of this device could be applied yet
        # A chain stopped short keeps the ETag only when refused (nothing more can pass
        # until the head changes); one waiting for the log is read again next round.
        waiting = stopped and device not in self._refusals()
        kept = AcceptedHead(last, link, "" if waiting else etag, name)
        if kept == prev:
            return
        with self.state.transaction(durable=True):
            self.state.add_versions(versions)
            for seq, meta in metas:
                self._apply_meta(device, seq, meta)
            self.state.set_head(device, kept)
        result.new_versions.extend(versions)

    def _open_gated(
        self,
        device: str,
        seq: int,
        raw: bytes,
        link: bytes,
        gate: WriteGate,
        result: PullResult,
    ) -> Segment | None:
        """One segment of another device, if the log lets it through; None stops the chain.

        Waiting for the log (a position not read yet) stops it without a report; a
        refusal is reported and kept (`REFUSED_META`).
        """
        device_bytes = bytes.fromhex(device)
        info = peek_record(SEGMENT_MAGIC, raw)
        signed = info.version == VERSION_V2
        verify = None
        if signed:
            if gate.ahead(info.position):
                return None
            verify = gate.verify_key(device_bytes, info.position)
            if verify is None:
                why = gate.unknown_author(device_bytes, seq, info.position, info.epoch)
                self._refuse(device, seq, why, result)
                return None
        if info.epoch not in self.ring.epochs and info.epoch > self.ring.current:
            # Sealed under an epoch this device has not opened yet (its envelope comes
            # with the log entry that started it): the chain waits, and says why.
            result.errors.append((device, EpochKeyMissing(info.epoch, "A journal segment").reason))
            return None
        segment, verdict = self._judged(device, seq, raw, link, verify, gate)
        if verdict is not None:
            if not gate.pending(verdict):
                self._refuse(device, seq, verdict, result)
            return None
        return segment

    def _judged(
        self,
        device: str,
        seq: int,
        raw: bytes,
        link: bytes | None,
        verify: HybridVerifyKey | None,
        gate: WriteGate,
    ) -> tuple[Segment, Reason | None]:
        """Open another device's segment (its signature checked with `verify`) and what
        the log says of it: None to apply it, else why not (it may only wait)."""
        record = open_record(
            self.ring, SEGMENT_MAGIC, raw, device_id=bytes.fromhex(device), seq=seq,
            link=link, verify_key=verify,
        )  # fmt: skip
        segment = decode_segment(record.payload, device)
        verdict = gate.judge_segment(
            record.device_id, seq, position=record.position, epoch=record.epoch,
            signed=verify is not None, versions=segment.versions, meta=segment.meta,
        )  # fmt: skip
        return segment, verdict

    def _refuse(self, device: str, seq: int, why: Reason, result: PullResult) -> None:
        """Report a refused object of `device` and stop its chain there, durably.

        A verdict that only waits for the log (authority.PENDING) is no refusal: the
        chain stops for this round, nothing is reported or kept.
        """
        if why.kind in PENDING:
            return
        log.warning("refused segment %d of device %s: %s", seq, device, why.kind)
        refusals = self._refusals()
        if device not in refusals:
            refusals[device] = [seq, why.to_json()]
            with self.state.transaction(durable=True):
                self.state.set_meta(REFUSED_META, refusals)
            result.refused.append((device, why))

    def _positions(self) -> dict[str, Position]:
        """This device's view: every accepted head, and its own position."""
        view = {d: Position(h.seq, h.segment_hash) for d, h in self.state.accepted_heads().items()}
        if self.own_seq:
            view[self.device_id] = Position(self.own_seq, self.own_hash)
        return view

    async def _cross_check(
        self, witnessed: _Witnessed, result: PullResult, gate: WriteGate | None
    ) -> None:
        """Check the claims of the heads just read; report rollbacks and forks that remain.

        A device claimed further than this device holds is read again first: its
        head may simply have moved on between our LIST and the witness's write.
        A device whose chain this device stops short by the log's rules (a refusal,
        an entry not read yet) is not "behind": that is reported (or waited for) as such.
        """
        if not any(witnessed.claims.values()):
            return
        held_back = witnessed.held_back | self._refusals().keys()
        findings = cross_check(self._positions(), witnessed.passed, witnessed.claims)
        findings = [
            f for f in findings if not (f.kind is FindingKind.ROLLBACK and f.device in held_back)
        ]
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
            await self._pull_reporting(device, info.etag, prev, result, witnessed, gate)
        if behind:
            held_back = witnessed.held_back | self._refusals().keys()
            findings = [
                f
                for f in cross_check(self._positions(), witnessed.passed, witnessed.claims)
                if not (f.kind is FindingKind.ROLLBACK and f.device in held_back)
            ]
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
        verify = None if self.signer is None else self.signer.public.signing
        head = open_head(self.ring, data, device_id=self._device_bytes, verify_key=verify)
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
        if content_of(versions, meta) is Content.CHANGES and not self.may_write_changes:
            raise ReadOnlyDevice(
                "This device's person is a reader of the vault: it publishes no changes."
            )
        seq = self.own_seq + 1
        meta = dataclasses.replace(
            meta, at_ms=now_ms or None, read=self.read_positions(), acks=self.acks()
        )
        payload = encode_segment(self.device_id, self.device_name, versions, meta)
        data = self._seal(SEGMENT_MAGIC, Record(self._device_bytes, seq, self.own_hash, payload))
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
        record = self._open_own(SEGMENT_MAGIC, data, seq, self.own_hash)
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
        head = self._seal_head(Head(self._device_bytes, seq, seg_hash, self._head_extra()))
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
            self._open_own(SEGMENT_MAGIC, found, seq, self.own_hash)
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
        """Every SNAPSHOT_EVERY segments, for a device that may write changes (not a reader)."""
        seq = self.own_seq
        due = seq > 0 and seq % SNAPSHOT_EVERY == 0 and self.state.get_meta("snap_seq") != seq
        return due and self.may_write_changes

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
        if not self.may_write_changes:
            raise ReadOnlyDevice("A reader's device writes no snapshot.")
        data = self._seal(SNAPSHOT_MAGIC, Record(self._device_bytes, seq, self.own_hash, payload))
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
            self.state.set_meta(REFUSED_META, None)  # every chain is judged again from the start
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
            record = self._open_own(SEGMENT_MAGIC, raw, seq, None)
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
        result.refused.extend(more.refused)
        result.device_names = more.device_names
        return result

    async def _bootstrap_from_snapshot(self, result: PullResult) -> None:
        latest: dict[str, int] = {}
        for info in await self.store.list("snap/"):
            parts = info.key.split("/")
            if len(parts) == 3 and _is_device_id(parts[1]) and parts[2].isdigit():
                latest[parts[1]] = max(latest.get(parts[1], 0), int(parts[2]))
        best = None
        gate = self._gate()
        for device, seq in latest.items():
            try:
                raw = await self.store.get(snapshot_key(device, seq))
                if gate is None:
                    record = open_record(
                        self.ring, SNAPSHOT_MAGIC, raw, device_id=bytes.fromhex(device), seq=seq
                    )
                else:
                    opened = self._open_snapshot_gated(device, seq, raw, gate, result)
                    if opened is None:
                        continue
                    record = opened
                snap = decode_snapshot(record.payload)
            except (CoffreCryptoError, ObjectNotFound) as exc:
                result.errors.append((device, _snapshot_skipped(device, str(exc))))
                continue
            if snap.covers.get(device) != (seq, record.link):
                why = "it does not cover its own seq"
                result.errors.append((device, _snapshot_skipped(device, why)))
                continue
            if gate is not None and not await self._covered_allowed(snap.covers, gate, result):
                why = "it covers journal segments the membership log refuses"
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

    async def _covered_allowed(
        self, covers: dict[str, tuple[int, bytes]], gate: WriteGate, result: PullResult
    ) -> bool:
        """Whether the segments a snapshot folds in past a cut that took a device's
        writing away pass the log's rules, each judged as the pull would judge it;
        one missing, waiting or refused: not this snapshot (the pull then reads the
        chains, applies what comes before the refused segment and reports it)."""
        for device, (seq, _) in covers.items():
            floor = gate.refusing_cut(bytes.fromhex(device), seq)
            if floor is None or device == self.device_id:
                continue
            link: bytes | None = None
            for s in range(floor + 1, seq + 1):
                try:
                    raw = await self.store.get(segment_key(device, s))
                except ObjectNotFound:
                    return False
                if not self._covered_segment_allowed(device, s, raw, link, gate):
                    return False
                link = record_hash(raw)
        return True

    def _covered_segment_allowed(
        self, device: str, seq: int, raw: bytes, link: bytes | None, gate: WriteGate
    ) -> bool:
        device_bytes = bytes.fromhex(device)
        info = peek_record(SEGMENT_MAGIC, raw)
        signed = info.version == VERSION_V2
        verify = gate.verify_key(device_bytes, info.position) if signed else None
        if (signed and (gate.ahead(info.position) or verify is None)) or (
            info.epoch not in self.ring.epochs
        ):
            return False
        return self._judged(device, seq, raw, link, verify, gate)[1] is None

    def _open_snapshot_gated(
        self, device: str, seq: int, raw: bytes, gate: WriteGate, result: PullResult
    ) -> Record | None:
        """Another device's snapshot, if the log says its author could write changes."""
        device_bytes = bytes.fromhex(device)
        info = peek_record(SNAPSHOT_MAGIC, raw)
        signed = info.version == VERSION_V2
        verify = None
        if signed:
            if gate.ahead(info.position):
                return None  # names a log entry not read yet: the segments serve meanwhile
            verify = gate.verify_key(device_bytes, info.position)
            if verify is None:
                why = gate.unknown_author(device_bytes, seq, info.position, info.epoch)
                if not gate.pending(why):
                    result.refused.append((device, why))
                return None
        record = open_record(
            self.ring, SNAPSHOT_MAGIC, raw, device_id=device_bytes, seq=seq, verify_key=verify
        )
        refused = gate.judge_snapshot(
            device_bytes, seq, position=record.position, epoch=record.epoch, signed=signed
        )
        if refused is not None:
            if not gate.pending(refused):
                result.refused.append((device, refused))
            return None
        return record


def _snapshot_skipped(device: str, why: str) -> Reason:
    return Reason.of(RoundProblem.SNAPSHOT_SKIPPED, device=device, detail=why)
