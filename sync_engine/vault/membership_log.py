"""The membership log on the store: read it incrementally, pin it, append to it.

The rules are in sync_engine/core/membership.py (theory there and in
docs/SYNC.md section 8); this shell only moves bytes:

- Entries are objects `members/<slot as 8 hex digits>`, written create-only
  (`PutMode.CREATE`). A device that loses a slot to another writer reads the
  log again and drafts its entry again against the new state (bounded).
- Reading lists `members/`, checks the pinned entry is still there with the
  same hash (rollback and fork are refused whole: `MembershipRefused`, nothing
  applied), then fetches only the slots after the last one it examined and
  lets the core apply them. Refused entries come back as reasons.
- The entries this device accepted are kept in its `state.db`
  (`member_entries`), committed with an fsync in the same transaction as the
  last slot examined: the newest accepted entry is the pin, and a restart
  replays the kept entries (checking them again) to rebuild the state.
- `HybridChecker` is the real `EntryChecker`: SHA-256 links, identities as
  self-signed card blobs (crypto/identity.py), device certificates
  (crypto/device.py) and hybrid Ed25519 + ML-DSA-65 entry signatures
  (crypto/signing.py, context "member-entry").
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from crypto.device import DeviceCertificate, DeviceKeys, certify_device
from crypto.errors import CoffreCryptoError
from crypto.identity import Identity, PublicIdentity, card_blob, parse_card_blob
from crypto.reason import Reason

from ..core.membership import (
    RULES,
    CertifiedDevice,
    CutRule,
    EntryChecker,
    Membership,
    MembershipHistory,
    MembershipProblem,
    MembershipRefused,
    Person,
    Pin,
    apply_entry,
    check_pin,
    cut_for,
    draft,
    extend,
    replay_history,
)
from ..core.membership_entry import NO_ID, EntryKind, Role, encode_signed, join_entry
from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound
from .state import LocalState

__all__ = [
    "ENTRY_CONTEXT",
    "MEMBERS_PREFIX",
    "HybridChecker",
    "LogRead",
    "MembershipLog",
    "entry_key",
]

MEMBERS_PREFIX = "members/"
ENTRY_CONTEXT = b"member-entry"  # the hybrid signature's context for a log entry
WRITE_ATTEMPTS = 8  # slots lost to other writers before giving up
FETCH_CONCURRENCY = 8
_SLOT = re.compile(r"members/([0-9a-f]{8})")
_READ_THROUGH = "members_read_through"
OWN_SEQ_META = "own_seq"  # the journal's newest own segment, in the same state.db (journal.py)
_WHAT = "A membership log entry"


def entry_key(slot: int) -> str:
    return f"{MEMBERS_PREFIX}{slot:08x}"


class HybridChecker:
    """The core's `EntryChecker` with crypto/'s real keys; parses are cached by their bytes."""

    def __init__(self) -> None:
        self._people: dict[bytes, PublicIdentity | None] = {}
        self._certificates: dict[bytes, DeviceCertificate | None] = {}

    def digest(self, data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    def _public(self, identity: bytes) -> PublicIdentity | None:
        if identity not in self._people:
            try:
                self._people[identity] = parse_card_blob(identity)
            except (CoffreCryptoError, ValueError):
                self._people[identity] = None
        return self._people[identity]

    def _certificate(self, certificate: bytes) -> DeviceCertificate | None:
        if certificate not in self._certificates:
            try:
                self._certificates[certificate] = DeviceCertificate.from_bytes(certificate)
            except (CoffreCryptoError, ValueError):
                self._certificates[certificate] = None
        return self._certificates[certificate]

    def person(self, identity: bytes) -> Person | None:
        public = self._public(identity)
        return None if public is None else Person(public.identity_id, public.name)

    def certified(self, identity: bytes, certificate: bytes) -> CertifiedDevice | None:
        public, cert = self._public(identity), self._certificate(certificate)
        if public is None or cert is None:
            return None
        try:
            device = cert.verify(public)
        except CoffreCryptoError:
            return None
        return CertifiedDevice(device.device_id, cert.identity_id, device.name)

    def signed_by(self, certificate: bytes, message: bytes, signature: bytes) -> bool:
        cert = self._certificate(certificate)
        if cert is None:
            return False
        try:
            cert.device.signing.verify(ENTRY_CONTEXT, message, signature, _WHAT)
        except CoffreCryptoError:
            return False
        return True


@dataclass(frozen=True, slots=True)
class LogRead:
    """What one read of the log gave: the state, how many entries were new, what was refused."""

    state: Membership
    accepted: int
    problems: tuple[Reason, ...]


class MembershipLog:
    """One vault's membership log, as this device has accepted it."""

    def __init__(
        self,
        store: Store,
        local: LocalState,
        vault_id: bytes,
        checker: EntryChecker | None = None,
    ) -> None:
        self._store, self._local, self._vault_id = store, local, vault_id
        self._checker: EntryChecker = checker or HybridChecker()
        self._replay()

    def _replay(self) -> None:
        replayed = replay_history(self._vault_id, self._local.member_entries(), self._checker)
        self.history = replace(replayed, read_through=max(self.read_through, replayed.read_through))

    def catch_up(self) -> bool:
        """Take in the entries another connection to this device's state accepted meanwhile
        (`coffre members` or the app's Share dialog beside a running engine); True if the
        state changed. No store access: what the other connection accepted is in state.db."""
        if self.read_through == self.history.read_through:
            return False
        self._replay()
        return True

    @property
    def state(self) -> Membership:
        """The state after the newest accepted entry."""
        return self.history.latest

    @property
    def pin(self) -> Pin | None:
        """The newest entry accepted (None before the creation was read)."""
        if self.state.position < 0:
            return None
        return Pin(self.state.position, self.state.head)

    def accepted(self) -> list[tuple[int, bytes]]:
        """The entries this device accepted, (slot, stored bytes) in log order."""
        return self._local.member_entries()

    def moved_to(self, store: Store) -> None:
        """Read and write the log in `store` from now on (the vault moved there)."""
        self._store = store

    @property
    def read_through(self) -> int:
        return int(self._local.get_meta(_READ_THROUGH, -1))

    async def _get(self, key: str) -> bytes | None:
        try:
            return await self._store.get(key)
        except ObjectNotFound:
            return None

    async def read(self) -> LogRead:
        """Read what is new; `MembershipRefused` (rollback, fork) leaves everything as it was."""
        self.catch_up()  # new slots are read after what this device's state holds already
        slots = sorted(
            int(m.group(1), 16)
            for info in await self._store.list(MEMBERS_PREFIX)
            if (m := _SLOT.fullmatch(info.key))
        )
        newest = slots[-1] if slots else None
        pin = self.pin
        if pin is not None:
            at_pin = await self._get(entry_key(pin.position)) if pin.position in slots else None
            refused = check_pin(pin, newest, at_pin, self._checker)
            if refused is not None:
                raise MembershipRefused(refused)
        start = self.read_through + 1
        wanted = [s for s in slots if s >= start]
        served = {s: d for s, d in zip(wanted, await self._fetch(wanted), strict=True) if d}
        check = extend(self.state, start, served, self._checker)
        if check.read_through >= start:
            with self._local.transaction(durable=True):
                self._local.add_member_entries(check.accepted)
                self._local.set_meta(_READ_THROUGH, check.read_through)
        self.history = self.history.extended(check)
        return LogRead(check.state, len(check.accepted), check.refused)

    async def _fetch(self, slots: Sequence[int]) -> list[bytes | None]:
        limit = asyncio.Semaphore(FETCH_CONCURRENCY)

        async def one(slot: int) -> bytes | None:
            async with limit:
                return await self._get(entry_key(slot))

        return list(await asyncio.gather(*(one(s) for s in slots)))

    async def append(
        self,
        signer: DeviceKeys,
        kind: EntryKind,
        now_ms: int,
        *,
        subject: bytes = NO_ID,
        device: bytes = NO_ID,
        role: Role | None = None,
        identity: bytes = b"",
        certificate: bytes = b"",
        cut: Mapping[bytes, int] | None = None,
    ) -> Membership:
        """Write one entry signed by `signer` in the next free slot; the state after it.

        `cut`: the newest journal segment seq this device accepted from each
        device (the journal's positions; for an upgrade's creation, each v1
        device's last seq). Required for a removal or a role change: the
        entry's cut is made from it at each attempt (`membership.cut_for`),
        for the devices the entry is about in the state it is drafted against.

        The entry is checked against the rules first: `MembershipRefused` says
        why the change is not allowed, and nothing is written. A slot taken by
        another writer means reading again and drafting the entry again.
        """
        if cut is None and RULES[kind].cut in (CutRule.SUBJECTS, CutRule.DEVICE):
            raise ValueError(f"a {kind.name.lower()} entry needs the journal's positions (cut)")
        if cut is not None and kind is not EntryKind.CREATE:
            cut = {**cut, signer.device_id: self._own_seq(signer.device_id, cut)}
        for _ in range(WRITE_ATTEMPTS):
            await self.read()
            slot = self.read_through + 1
            entry = draft(
                self.state, slot, kind, signer.device_id, now_ms,
                subject=subject, device=device, role=role, identity=identity,
                certificate=certificate,
                cut=cut_for(self.state, kind, cut or {}, subject=subject, device=device),
            )  # fmt: skip
            signed = encode_signed(entry)
            data = join_entry(signed, signer.sign(ENTRY_CONTEXT, signed))
            after = apply_entry(self.state, slot, data, self._checker)
            try:
                await self._store.put(entry_key(slot), data, mode=PutMode.CREATE)
            except ObjectExists:
                if await self._get(entry_key(slot)) == data:  # our write, its reply lost
                    return self._adopt(slot, data, after)
                continue
            return self._adopt(slot, data, after)
        raise MembershipRefused(Reason.of(MembershipProblem.CONTENDED, attempts=WRITE_ATTEMPTS))

    def _own_seq(self, device: bytes, cut: Mapping[bytes, int]) -> int:
        """The signer's own journal, as far as it wrote it (published or about to be).

        The journal's positions hold what this device accepted from the OTHERS: an
        owner demoting their own person would cut their own device at 0, and every
        segment it ever published would be refused by whoever had not applied it yet
        (a device joining later: all of them). Its own segments it wrote while
        allowed to, so the cut covers them all.
        """
        pending = self._local.pending_segment()
        written = max(int(self._local.get_meta(OWN_SEQ_META, 0)), pending[0] if pending else 0)
        return max(cut.get(device, 0), written)

    def _adopt(self, slot: int, data: bytes, after: Membership) -> Membership:
        with self._local.transaction(durable=True):
            self._local.add_member_entries([(slot, data)])
            self._local.set_meta(_READ_THROUGH, slot)
        self.history = MembershipHistory(
            self.history.vault_id, (*self.history.states, after), max(slot, self.read_through)
        )
        return after

    async def create(self, person: Identity, device: DeviceKeys, now_ms: int) -> Membership:
        """Slot 0: `person` owns the vault, acting through `device` (certified here)."""
        return await self.append(
            device, EntryKind.CREATE, now_ms, subject=person.identity_id,
            device=device.device_id, role=Role.OWNER, identity=card_blob(person),
            certificate=certify_device(person, device.public, now_ms).to_bytes(),
        )  # fmt: skip

    async def add_own_device(self, person: Identity, device: DeviceKeys, now_ms: int) -> Membership:
        """A member's new computer introduces itself, certified by the member's identity."""
        return await self.append(
            device, EntryKind.ADD_DEVICE, now_ms, subject=person.identity_id,
            device=device.device_id,
            certificate=certify_device(person, device.public, now_ms).to_bytes(),
        )  # fmt: skip
