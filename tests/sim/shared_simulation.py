"""The simulator with members and roles: a shared format-2 vault (issue 11, item 9).

Why: the authority rules (core/authority.py), the membership log and the
reader's withholding are each tested on hand-made sequences; what breaks
sharing lives, as for plain sync, in interleavings: a demotion read by one
device and not yet by another, a removal while an editor publishes, a new
epoch not yet opened by every device, a reader's edit racing a writer's.
This runs the plain simulator's whole schedule (edits, faults, crashes,
interleaved rounds; tests/sim/simulator.py) on a REAL format-2 vault held in
the MemoryStore, and adds between the sync steps:

  * membership steps, signed by an owner's device through the real
    `MembershipLog` (hybrid signatures, cuts from its journal's positions):
    add a member (a new person and computer: the owner seals the current
    epoch to the person's identity, the computer adds itself with its
    certificate, opens the epoch through the identity and seals it to
    itself, as `coffre join` does), add a second computer to a member,
    change a role (reader, editor, owner), remove a member, remove a device,
    rotate the key. A removal or a rotation starts an epoch: the owner
    writes its statement and envelopes (`EpochKeys.write_epoch`, to every
    current device and identity); every other device opens its own
    envelope (`EpochKeys.open_with_device`) before a later round, as the app
    does when it sees the log's epoch move, sometimes a few rounds late;
  * a misbehaving client: a reader (or a removed device, naming its last
    position before the removal) whose client ignores the rules writes a
    file and publishes it as a CHANGES segment signed with its own key
    (the tests' RogueJournal / StaleJournal); from then on that device is
    "rogue" and no longer one of the honest devices.

People: the vault's creator (dev0, owner) is never demoted or removed; the
other devices belong to people with random roles, some with two computers.

Invariants, on top of the plain simulator's (which hold for the honest
devices still in the vault, readers comparing only the paths they do not
withhold):

 A. Authority, after every step. No device holds a version of another
    device unless a segment of that device carries it which the rules,
    restated here (`judge`, independent of core/authority.py: the author in
    the log at the position it names, its role there allowing the content,
    an epoch no older than the one in force there, and for each cut of the
    device at q with seq c: seq <= c or position >= q, judged at q too),
    allow with the log that device had read.
 B. The store's journals, judged with the whole log at the end: every
    segment of an honest device is allowed (a reader publishes status only,
    a removed device nothing); the versions of the allowed prefix of every
    chain are exactly those in every remaining device's state.
 C. A removed device stops (`AccessRevoked`) at its next start without
    changing anything on its disk; every remaining device agrees on the
    membership state (position, head, members with roles, devices, epoch)
    and holds the current epoch key.
 D. Survival (the plain invariant 2e over every disk, removed and rogue
    ones included): a reader's edits stay on its disk (at their path or as a
    local conflict copy), never published.

Replay: `python -m tests.sim.shared_simulation --seed N --trace`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crypto.device import DeviceKeys
from crypto.envelope import KemPrivateKey
from crypto.errors import CoffreCryptoError
from crypto.identity import Identity, card_blob
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.records import (
    SEGMENT_MAGIC,
    ZERO_HASH,
    open_head,
    open_record,
    peek_record,
    record_hash,
)
from crypto.signing import HybridSigningKey
from sync_engine.core.membership import Membership, MembershipHistory
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.core.model import Version, VersionId
from sync_engine.engine import Engine
from sync_engine.stores.errors import StoreError
from sync_engine.vault.epoch_keys import EpochKeys, recipients_of
from sync_engine.vault.journal import AccessRevoked, Journal
from sync_engine.vault.journal_codec import SegmentMeta, decode_segment
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

from .simulator import (
    Device,
    SimClock,
    SimConfig,
    SimFs,
    SimResult,
    Simulation,
    SimulationFailure,
    _under,
    sim_tuning,
)

__all__ = ["SHARED_SIM_VERSION", "SharedSimulation", "judge", "run_shared_seed"]

SHARED_SIM_VERSION = 1
MAX_DEVICES = 6
NEW_ROLES = (Role.EDITOR, Role.EDITOR, Role.READER, Role.READER, Role.OWNER)
PEOPLE = ("Alice", "Bruno", "Chloé", "Dmitri", "Elsa", "Farid", "Gaëlle", "Hugo")
# Known limits the docs state (docs/SYNC.md section 8), named when they explain a failure.
APPLIED_BEFORE_CUT = "segment-applied-before-its-cut-arrived"
HONEST_CHAIN_STOPPED = "honest-segment-published-before-reading-its-demotion"
SNAPSHOT_PAST_CUT = "snapshot-carries-segments-a-cut-refuses"
# SNAPSHOT_PAST_CUT was fixed (journal._covered_allowed): it is named, no longer expected.
SHARED_KNOWN_LIMITS = (APPLIED_BEFORE_CUT, HONEST_CHAIN_STOPPED)
_DIVERGENCE = ("disks differ", "disk of", "no convergence", "conflict copies left virtual")
_GONE = re.compile(
    r"(?:content (\S+) was on a disk after the last edit and is now neither"
    r"|\S+: the engine replaced '.*' \((\S+)\) and that content was never published)"
)
_CONFLICT = re.compile(r" \(conflict [^)]*\)")


# ---------------------------------------------------------------------------
# The rules, restated (compare sync_engine/core/authority.py)
# ---------------------------------------------------------------------------


def _changes(versions: Iterable[Version], meta: SegmentMeta) -> bool:
    """A segment carrying anything besides at/read/acks: only writers may publish it."""
    return bool(
        list(versions) or meta.purge or meta.settings or meta.mark is not None or meta.swept
    )


def _allowed(state: Membership, device: bytes, changes: bool) -> str | None:
    there = state.devices.get(device)
    if there is None:
        return "not a device of the vault"
    role = state.members[there.identity_id].role
    if changes and role is Role.READER:
        return "a reader's changes"
    return None


def judge(
    history: MembershipHistory, device: bytes, seq: int, position: int, epoch: int, changes: bool
) -> str | None:
    """Why a signed segment may not be applied with `history` (None: it may)."""
    if position > history.read_through:
        return f"names log position {position}, beyond those read ({history.read_through})"
    there = history.at(position)
    why = _allowed(there, device, changes)
    if why is not None:
        return f"{why} at log position {position}"
    if epoch < there.epoch:
        return f"sealed under epoch {epoch}, older than epoch {there.epoch} at position {position}"
    for mark in history.latest.cuts.get(device, ()):
        if seq > mark.seq and position < mark.position:
            why = _allowed(history.at(mark.position), device, changes)
            if why is not None:
                return f"past the cut at {mark.position} (seq {mark.seq}): {why}"
    return None


@dataclass(frozen=True)
class SegmentSeen:
    device: str
    seq: int
    position: int
    epoch: int
    changes: bool
    link: bytes
    hash: bytes
    versions: tuple[Version, ...]


# ---------------------------------------------------------------------------
# Misbehaving clients (as in tests/test_sharing_engine.py)
# ---------------------------------------------------------------------------


class RogueJournal(Journal):
    """A modified client: it publishes changes whatever its role says."""

    @property
    def may_write_changes(self) -> bool:
        return True


class StaleJournal(RogueJournal):
    """A modified client that never reads the log again and names an old position."""

    stale_position = 0

    async def read_membership(self, result: object) -> None:  # type: ignore[override]
        self._log_read = True

    def require_current_epoch(self) -> None:
        pass  # it seals under whatever epoch it still holds

    @property
    def log_position(self) -> int:
        return self.stale_position


# ---------------------------------------------------------------------------
# The simulation
# ---------------------------------------------------------------------------


@dataclass
class Person:
    identity: Identity
    removed: bool = False

    @property
    def name(self) -> str:
        return self.identity.name


@dataclass
class Member:
    """What the simulation knows of one device besides the plain Device."""

    keys: DeviceKeys
    person: Person | None = None
    ring: KeyRing | None = None
    status: str = "member"  # member | removed (not noticed yet) | stopped | rogue
    stopped_tree: dict[str, tuple[object, ...]] = field(default_factory=dict)


class SharedSimulation(Simulation):
    """One seed's run on a shared format-2 vault (see the module docstring)."""

    def __init__(self, config: SimConfig, workdir: Path) -> None:
        config = dataclasses.replace(
            config,
            late_join=0,
            devices=max(3, config.devices),
            skew_ms=(config.skew_ms + (0,) * MAX_DEVICES)[:MAX_DEVICES],
        )
        self.workdir = workdir
        self._keys_rng = random.Random(f"keys-{config.seed}")
        self.info: dict[str, Member] = {}
        self.people: list[Person] = []
        self.epochs: dict[int, VaultKey] = {}
        self.seen: dict[tuple[str, int], SegmentSeen] = {}
        self.vid_segment: dict[VersionId, SegmentSeen] = {}
        self.checked: dict[str, set[VersionId]] = {}
        self.rogue_contents: set[bytes] = set()
        self.limits_seen: set[str] = set()
        self.truth = Membership(b"")  # the state after the newest entry written
        self.refused_vids: set[VersionId] = set()
        self.refused_paths: set[str] = set()
        self.refused_devices: set[str] = set()
        self.refused_hashes: set[bytes] = set()
        self.published: dict[VersionId, Version] = {}
        self.state_diff_explained = True
        self._now_ms = 1_767_225_600_000
        super().__init__(config, workdir)
        self.epochs[1] = self.key

    # -- keys, engines ----------------------------------------------------------------

    def _rb(self, n: int) -> bytes:
        return self._keys_rng.randbytes(n)

    def _clock_ms(self) -> int:
        self._now_ms += 1000
        return self._now_ms

    def _member(self, dev: Device) -> Member:
        return self.info[dev.device_id]

    def _make_engine(
        self,
        device_id: str,
        name: str,
        fs: SimFs,
        state: LocalState,
        quarantine_dir: Path,
        clock: SimClock,
    ) -> Engine:
        info = self.info.get(device_id)
        if info is None:
            keys = DeviceKeys(
                bytes.fromhex(device_id), name, HybridSigningKey.generate(self._rb),
                KemPrivateKey.generate(self._rb),
            )  # fmt: skip
            info = self.info[device_id] = Member(keys)
        ring = info.ring or KeyRing(self.key.vault_id, 2, {1: self.key}, 1)
        return Engine(
            store=self.store, key=ring, fs=fs, state=state, device_id=device_id,
            device_name=name, quarantine_dir=quarantine_dir, limits=self.cfg.limits,
            clock_ns=clock, signer=info.keys,
            membership=MembershipLog(self.store, state, self.key.vault_id),
        )  # fmt: skip

    def _log(self, dev: Device) -> MembershipLog:
        log = dev.engine.journal.membership
        assert log is not None
        return log

    def _reopen(self, dev: Device, ring: KeyRing) -> None:
        """The engine again with a new ring (what opening an epoch envelope gives the app)."""
        self._member(dev).ring = ring
        self.epochs.update(ring.epochs)
        dev.engine = self._make_engine(
            dev.device_id, dev.name, dev.fs, dev.state, dev.quarantine_dir, dev.clock
        )

    def _wrote(self, log: MembershipLog) -> None:
        if log.state.position > self.truth.position:
            self.truth = log.state

    def _epoch_keys(self, log: MembershipLog) -> EpochKeys:
        return EpochKeys(self.store, self.key.vault_id, log.history, log.read_through, self._rb)

    async def _open_ring(self, dev: Device) -> None:
        """The app opening this device's newest epoch envelope once its log moved on."""
        info = self._member(dev)
        log = self._log(dev)
        await log.read()
        if info.ring is not None and log.state.epoch <= info.ring.current:
            return
        ring = await self._epoch_keys(log).open_with_device(info.keys)
        if info.ring is None or ring.current > info.ring.current:
            self.log(f"{dev.name} opens its envelope of epoch {ring.current}")
            self._reopen(dev, ring)

    # -- the vault's people ------------------------------------------------------------

    def _role(self, dev: Device) -> Role | None:
        """The device's role after the newest entry written (whoever has read it)."""
        return self.truth.role_of_device(bytes.fromhex(dev.device_id))

    def _honest(self) -> list[Device]:
        return [d for d in self.devices if self._member(d).status in ("member", "removed")]

    def _live(self) -> list[Device]:
        return self._honest()

    def _checked_devices(self) -> list[Device]:
        return [d for d in self.devices if self._member(d).status == "member"]

    def _owners(self) -> list[Device]:
        return [d for d in self._checked_devices() if self._role(d) is Role.OWNER]

    def _cut(self, dev: Device) -> dict[bytes, int]:
        return {bytes.fromhex(d): s for d, s in dev.engine.journal.read_positions().items()}

    async def _setup(self) -> None:
        """dev0's person creates the vault; every other device joins as some person."""
        owner = self.devices[0]
        alice = Person(Identity.generate(PEOPLE[0], self._rb))
        self.people.append(alice)
        info = self._member(owner)
        info.person = alice
        log = self._log(owner)
        state = await log.create(alice.identity, info.keys, self._clock_ms())
        ring = await self._epoch_keys(log).write_epoch(
            1, None, state.position, recipients_of(state), info.keys, None, key=self.key.secret
        )
        self._wrote(log)
        self._reopen(owner, ring)
        self.log(f"{owner.name}: {alice.name} creates the vault (owner)")
        for dev in self.devices[1:]:
            others = [p for p in self.people[1:] if not p.removed]
            if others and self.rng.random() < 0.3:
                person = self.rng.choice(others)
            else:
                person = await self._add_person(owner, self.rng.choice(NEW_ROLES))
            await self._join(dev, person)

    async def _add_person(self, by: Device, role: Role) -> Person:
        person = Person(Identity.generate(PEOPLE[len(self.people) % len(PEOPLE)], self._rb))
        self.people.append(person)
        log = self._log(by)
        await log.append(
            self._member(by).keys, EntryKind.ADD_MEMBER, self._clock_ms(),
            subject=person.identity.identity_id, role=role, identity=card_blob(person.identity),
        )  # fmt: skip
        self._wrote(log)
        keys = self._epoch_keys(log)
        await keys.open_with_device(self._member(by).keys)
        await keys.seal_for(person.identity.identity_id, person.identity.kem.public)
        self.log(f"{by.name} adds {person.name} as {role.label}")
        self.stats["members_added"] += 1
        return person

    async def _join(self, dev: Device, person: Person) -> None:
        """`coffre join` on a member's computer: it adds itself, then opens the epoch."""
        info = self._member(dev)
        info.person = person
        log = self._log(dev)
        await log.add_own_device(person.identity, info.keys, self._clock_ms())
        self._wrote(log)
        keys = self._epoch_keys(log)
        ring = await keys.open_with_identity(person.identity)
        await keys.seal_for(info.keys.device_id, info.keys.kem.public)
        self._reopen(dev, ring)
        self.checked.setdefault(dev.device_id, set())
        self.log(f"{dev.name} joins as {person.name}'s computer")

    # -- membership steps --------------------------------------------------------------

    async def _member_step(self) -> None:
        rng = self.rng
        by = rng.choice(self._owners())
        await self._open_ring(by)
        log = self._log(by)
        await log.read()
        state = log.state
        others = [p for p in self.people[1:] if p.identity.identity_id in state.members]
        mine = self._member(by).person
        removable = [
            d
            for d in self._checked_devices()
            if d is not self.devices[0] and d is not by and self._member(d).person is not None
        ]
        room = len(self.devices) < MAX_DEVICES
        kinds = ["add_member", "add_device", "role", "remove_member", "remove_device", "rotate"]
        weights = [
            3 if room else 0,
            2 if room and others else 0,
            5 if others else 0,
            2 if others else 0,
            2 if removable else 0,
            1,
        ]
        kind = rng.choices(kinds, weights=weights)[0]
        if kind in ("role", "remove_member", "remove_device") and rng.random() < 0.7:
            await self._round(by)  # the app syncs first, so the entry's cut is recent
            await log.read()
            state = log.state
            others = [p for p in others if p.identity.identity_id in state.members]
            if not others and kind != "remove_device":
                return
        keys = self._member(by).keys
        now = self._clock_ms()
        if kind in ("add_member", "add_device"):
            dev = self._new_device(len(self.devices), self.workdir)
            self.devices.append(dev)
            if kind == "add_member":
                person = await self._add_person(by, rng.choice(NEW_ROLES))
            else:
                person = rng.choice(others)
                self.stats["second_computers"] += 1
            await self._join(dev, person)
            return
        if kind == "role":
            person = rng.choice(others)
            now_role = state.members[person.identity.identity_id].role
            role = rng.choice([r for r in (Role.OWNER, Role.EDITOR, Role.READER) if r != now_role])
            await log.append(
                keys, EntryKind.CHANGE_ROLE, now, subject=person.identity.identity_id, role=role,
                cut=self._cut(by),
            )  # fmt: skip
            self._wrote(log)
            self.log(f"{by.name} makes {person.name} {role.label} (was {now_role.label})")
            self.stats[f"role_to_{role.label}"] += 1
            return
        if kind == "remove_member":
            if not [p for p in others if p is not mine]:
                return
            person = rng.choice([p for p in others if p is not mine])
            await log.append(
                keys, EntryKind.REMOVE_MEMBER, now, subject=person.identity.identity_id,
                cut=self._cut(by),
            )  # fmt: skip
            person.removed = True
            gone = [d for d in self.devices if self._member(d).person is person]
            self.log(f"{by.name} removes {person.name} ({', '.join(d.name for d in gone)})")
            self.stats["members_removed"] += 1
        elif kind == "remove_device":
            dev = rng.choice(removable)
            person = self._member(dev).person
            assert person is not None
            await log.append(
                keys, EntryKind.REMOVE_DEVICE, now, subject=person.identity.identity_id,
                device=bytes.fromhex(dev.device_id), cut=self._cut(by),
            )  # fmt: skip
            gone = [dev]
            self.log(f"{by.name} removes the device {dev.name} of {person.name}")
            self.stats["devices_removed"] += 1
        else:
            await log.append(keys, EntryKind.ROTATE_KEY, now)
            gone = []
            self.log(f"{by.name} rotates the key")
            self.stats["key_rotations"] += 1
        self._wrote(log)
        for dev in gone:
            if self._member(dev).status == "member":
                self._member(dev).status = "removed"
        state = log.state
        ring = self._member(by).ring
        written = await self._epoch_keys(log).write_epoch(
            state.epoch, ring, state.position, recipients_of(state), keys, None
        )
        self._reopen(by, written)
        self.stats["epochs"] = max(self.stats["epochs"], state.epoch)
        self.log(f"{by.name} publishes epoch {state.epoch} to the devices that stay")

    # -- a misbehaving client ------------------------------------------------------------

    async def _rogue_step(self) -> None:
        candidates = [
            d
            for d in self.devices[1:]
            if self._member(d).status in ("removed", "stopped", "rogue")
            or (self._member(d).status == "member" and self._role(d) is Role.READER)
        ]
        if not candidates:
            return
        dev = self.rng.choice(candidates)
        info = self._member(dev)
        history = self._log(dev).history
        me = bytes.fromhex(dev.device_id)
        journal = dev.engine.journal
        if info.status == "member":
            journal.__class__ = RogueJournal
            how = "as a reader ignoring its role"
        else:
            journal.__class__ = StaleJournal
            last = max((s.position for s in history.states if me in s.devices), default=0)
            journal.stale_position = last  # type: ignore[attr-defined]
            how = f"after its removal, naming log position {last}"
        info.status = "rogue"
        data = self.contents.new(self.rng, dev.index)
        self.rogue_contents.add(data)
        path = f"rogue-{dev.name}.txt"
        with dev.fs.user():
            dev.fs.put_file(path, data)
        self.stats["rogue_rounds"] += 1
        try:
            report = await dev.engine.round()
        except Exception as exc:  # a rogue client may well fail: nothing to check here
            self.log(f"{dev.name} misbehaves {how}: its round fails ({type(exc).__name__})")
            return
        self.log(
            f"{dev.name} misbehaves {how}: writes {path} <- {self.contents.label(data)}, "
            f"publishes {report.published_versions} versions"
        )
        self.stats["rogue_versions"] += report.published_versions

    # -- rounds ------------------------------------------------------------------------

    async def _step(self) -> None:
        roll = self.rng.random()
        if roll < 0.09:
            await self._member_step()
        elif roll < 0.12:
            await self._rogue_step()
        else:
            await super()._step()
        await self._check_authority()

    async def _round(self, dev: Device, **kwargs: object) -> object:  # type: ignore[override]
        info = self._member(dev)
        if info.status == "member" and self.rng.random() < 0.8:
            await self._open_ring(dev)  # sometimes late: the app has not looked yet
        if info.status == "removed":
            info.stopped_tree = self._disk_tree(dev)
        stopped, seq = info.status == "stopped", dev.engine.journal.own_seq
        report = await super()._round(dev, **kwargs)  # type: ignore[arg-type]
        if stopped and dev.engine.journal.own_seq != seq:
            self.fail(f"{dev.name}: stopped after its removal, yet it published segment {seq + 1}")
        return report

    async def _nested_round(self, dev: Device) -> None:
        if self._member(dev).status == "removed":
            self._member(dev).stopped_tree = self._disk_tree(dev)
        await super()._nested_round(dev)

    def _expected_stop(self, dev: Device, exc: BaseException) -> bool:
        info = self._member(dev)
        if not isinstance(exc, AccessRevoked) or info.status not in ("removed", "stopped"):
            return False
        info.status = "stopped"
        self.stats["removed_devices_stopped"] += 1
        tree = self._disk_tree(dev)
        person_acted = bool(self.in_round_edits) or self._moved_in_round
        if tree != info.stopped_tree and not person_acted:
            self.fail(f"{dev.name}: its removal changed its disk: {sorted(tree.items())[:4]}")
        self.notes.append(f"({dev.name} stops: {exc.reason.kind}; nothing deleted)")
        return True

    async def _quiesce(self) -> None:
        # The app restarts every removed device: it must stop, touching nothing.
        for dev in self.devices:
            info = self._member(dev)
            if info.status != "removed":
                continue
            info.stopped_tree = self._disk_tree(dev)
            await self._restart(dev, why="(its person or it was removed)")
            try:
                await dev.engine.round()
            except AccessRevoked as exc:
                self._expected_stop(dev, exc)
            except Exception as exc:
                self._unexpected(dev, exc)
            else:
                self.fail(f"{dev.name}: removed from the vault, yet its round ran")
        for dev in self._checked_devices():
            await self._open_ring(dev)
        await super()._quiesce()

    # -- checks --------------------------------------------------------------------------

    def _ring(self) -> KeyRing:
        return KeyRing(self.key.vault_id, 2, dict(self.epochs), max(self.epochs))

    async def _read_segments(self) -> None:
        """Every segment in the store not read yet (segments are written create-only)."""
        ring = self._ring()
        for info in await self.store.list("log/"):
            _, device, number = info.key.split("/")
            seq = int(number)
            if (device, seq) in self.seen:
                continue
            raw = await self.store.get(info.key)
            peek = peek_record(SEGMENT_MAGIC, raw)
            if peek.epoch not in ring.epochs:
                continue  # sealed under an epoch written after the sim's last look
            record = open_record(ring, SEGMENT_MAGIC, raw, device_id=bytes.fromhex(device), seq=seq)
            segment = decode_segment(record.payload, device)
            seen = SegmentSeen(
                device, seq, record.position, record.epoch,
                _changes(segment.versions, segment.meta), record.link, record_hash(raw),
                tuple(segment.versions),
            )  # fmt: skip
            self.seen[(device, seq)] = seen
            for v in segment.versions:
                self.vid_segment.setdefault(v.vid, seen)

    async def _check_authority(self) -> None:
        """Invariant A: what each device applied, judged with the log it had read."""
        await self._read_segments()
        for dev in self.devices:
            info = self._member(dev)
            if info.status == "rogue" or info.person is None:
                continue
            checked = self.checked.setdefault(dev.device_id, set())
            history = self._log(dev).history
            for v in dev.state.all_versions():
                if v.vid in checked or v.vid.device == dev.device_id:
                    continue
                checked.add(v.vid)
                seg = self.vid_segment.get(v.vid)
                if seg is None:
                    self.fail(
                        f"{dev.name} holds version {v.vid} of {v.path!r}, which no segment "
                        "of its author carries"
                    )
                    continue
                why = judge(
                    history, bytes.fromhex(seg.device), seg.seq, seg.position, seg.epoch,
                    seg.changes,
                )  # fmt: skip
                if why is not None:
                    via = " (via a snapshot)" if dev.from_snapshot else ""
                    self.fail(
                        f"{dev.name} applied segment {seg.seq} of {self._name(seg.device)} "
                        f"({v.path!r}){via}: {why}",
                        {v.path},
                    )

    def failure_text(self, known_bug: str | None = None) -> str:
        text = super().failure_text(known_bug)
        return text.replace(
            f"python -m tests.sim.simulator --seed {self.cfg.seed}",
            f"python -m tests.sim.shared_simulation --seed {self.cfg.seed}",
        ).replace(
            f"pytest tests/sim -k seed_{self.cfg.seed}",
            f"pytest tests/sim -k shared_{self.cfg.seed}",
        )

    def _name(self, device_id: str) -> str:
        return next((d.name for d in self.devices if d.device_id == device_id), device_id[:8])

    def _withheld(self, dev: Device, path: str) -> bool:
        """A reader's local change its last round listed as read-only, what lies under it
        (a folder the reader replaced by a file hides what Remote holds inside), and the
        folders that hold one: kept as the reader left them, unpublished."""
        listed = dev.last_report.read_only if dev.last_report is not None else ()
        return any(p == path or _under(path, p) or _under(p, path) for p in listed)

    async def _store_versions(self) -> dict[VersionId, Version] | None:
        """Invariant B: the allowed prefix of every chain, judged with the whole log.

        A chain is read up to its head (a removed device may have died between a
        segment and its head: nobody reads that segment). A segment of an honest
        device that the log refuses is a violation, except past the cut of its own
        removal (the owner cut what it had seen: by design, the rest is dropped);
        past the cut of a demotion it is the documented limit HONEST_CHAIN_STOPPED.
        """
        await self._read_segments()
        history = self._log(self.devices[0]).history
        ring = self._ring()
        remaining = {d.device_id for d in self._checked_devices()}
        out: dict[VersionId, Version] = {}
        chains: dict[str, list[int]] = {}
        for device, seq in self.seen:
            chains.setdefault(device, []).append(seq)
        for device, seqs in chains.items():
            seqs.sort()
            if seqs != list(range(1, len(seqs) + 1)):
                self.fail(f"journal of {self._name(device)} has gaps: {seqs}")
                return None
            try:
                head = open_head(
                    ring, await self.store.get(f"heads/{device}"), device_id=bytes.fromhex(device)
                )
            except (CoffreCryptoError, StoreError) as exc:
                self.fail(f"head of {self._name(device)} unreadable: {exc}")
                return None
            if device not in remaining:
                seqs = [s for s in seqs if s <= head.seq]
            status = self._member_by_id(device).status
            link = ZERO_HASH
            stopped = False
            for seq in seqs:
                seg = self.seen[(device, seq)]
                if seg.link != link:
                    self.fail(f"journal of {self._name(device)} broken at {seq}")
                    return None
                link = seg.hash
                why = judge(
                    history, bytes.fromhex(device), seq, seg.position, seg.epoch, seg.changes
                )
                if why is not None:
                    self._refused_chain(device, seq, why, status)
                    stopped = True
                    break
                for v in seg.versions:
                    out[v.vid] = v
            announced = head.seq == seqs[-1] and head.segment_hash == link
            if device in remaining and not stopped and not announced:
                self.fail(f"head of {self._name(device)} does not announce its last segment")
        self.published = out
        for dev in self._checked_devices():
            held = {v.vid for v in dev.state.all_versions()}
            extra, missing = held - out.keys(), out.keys() - held
            if not extra <= self.refused_vids or (missing and not dev.from_snapshot):
                self.state_diff_explained = False
        return out

    def _refused_chain(self, device: str, seq: int, why: str, status: str) -> None:
        """What the log refuses of `device` from `seq` on: which versions, and is it wrong."""
        chain = sorted(s for d, s in self.seen if d == device and s >= seq)
        for s in chain:
            for v in self.seen[(device, s)].versions:
                self.refused_vids.add(v.vid)
                self.refused_paths.add(v.path)
                self.refused_hashes.add(v.content_hash)
        self.refused_devices.add(device)
        self.stats["chains_refused"] += 1
        if status == "rogue":
            return
        if why.startswith("past the cut") and status in ("removed", "stopped"):
            self.stats["removed_chains_cut"] += 1
            return
        if why.startswith("past the cut"):
            self.limits_seen.add(HONEST_CHAIN_STOPPED)
            self.fail(
                f"segment {seq} of the honest device {self._name(device)}, published before "
                f"it read its demotion, is refused: {why}",
                {self._name(device)},
            )
            return
        self.fail(f"segment {seq} of the honest device {self._name(device)} is refused: {why}")

    def _member_by_id(self, device_id: str) -> Member:
        return self.info[device_id]

    def _reading_key(self) -> KeyRing:
        return self._ring()

    async def _check_final(self) -> None:
        await self._check_authority()
        # Invariant C: the devices that stay agree on the log and hold the current epoch.
        remaining = self._checked_devices()
        reference = self._log(remaining[0]).state
        for dev in remaining:
            log = self._log(dev)
            await log.read()
            state = log.state
            if _membership_view(state) != _membership_view(reference):
                self.fail(f"{dev.name}'s membership state differs from {remaining[0].name}'s")
            if dev.engine.ring.current != state.epoch:
                have = dev.engine.ring.current
                self.fail(f"{dev.name} holds epoch {have}, the log is at epoch {state.epoch}")
            role = state.role_of_device(bytes.fromhex(dev.device_id))
            if role is None:
                self.fail(f"{dev.name} is counted as remaining but the log lacks it")
        # Rogue contents are nobody's edits to keep.
        self.placed -= self.rogue_contents
        await super()._check_final()
        self.stats["readers_at_end"] = sum(1 for d in remaining if self._role(d) is Role.READER)
        self.stats["withheld_at_end"] = sum(
            len(d.last_report.read_only) for d in remaining if d.last_report is not None
        )

    def known_bug(self) -> str | None:
        """The documented limit that explains every violation, if one does.

        HONEST_CHAIN_STOPPED: an editor published, then an owner who had not pulled
        that segment yet demoted it; the cut refuses the segment (and the chain
        after it) on every device, while the author holds it as published: the
        author's disk keeps content the others never get (docs/SYNC.md section 8,
        "Known limits"). APPLIED_BEFORE_CUT: a device applied a segment before the
        entry whose cut refuses it arrived; it keeps it, the others refuse it.
        SNAPSHOT_PAST_CUT (fixed, so a failure, not a limit): a writer's snapshot
        covered segments that a cut refuses and a device starting from it applied
        them; journal._covered_allowed now judges them one by one.
        """
        if not self.violations:
            return None
        demoted = snapshot = False
        for text, paths in zip(self.violations, self.violation_paths, strict=True):
            if "published before it read its demotion" in text:
                demoted = True
                continue
            if "(via a snapshot): past the cut" in text:
                snapshot = True
                continue
            gone = _GONE.match(text)
            if gone is not None:  # its only version is in a refused chain (quarantined here)
                label = gone.group(1) or gone.group(2)
                if self._hash_of_label(label) not in self.refused_hashes:
                    return None
                continue
            if "state versions differ" in text:
                if not self.state_diff_explained:
                    return None
                continue
            if not text.startswith(_DIVERGENCE) and " differs from " not in text:
                return None
            if paths is None or not all(self._explained(p) for p in paths):
                return None
        if snapshot:
            return SNAPSHOT_PAST_CUT
        return HONEST_CHAIN_STOPPED if demoted else APPLIED_BEFORE_CUT

    def _hash_of_label(self, label: str) -> bytes | None:
        data = next((d for d, lab in self.contents.labels.items() if lab == label), None)
        return None if data is None else self.contents.hash(data)

    def _explained(self, path: str) -> bool:
        """A path a refused chain's versions touch (or a conflict copy of one, or the
        refused device itself, as its problems name it)."""
        if path in self.refused_devices or path in {self._name(d) for d in self.refused_devices}:
            return True
        base = _CONFLICT.sub("", path)
        refused = self.refused_paths | {_CONFLICT.sub("", p) for p in self.refused_paths}
        return any(base == p or _under(base, p) or _under(p, base) for p in refused)

    async def run(self) -> SimResult:
        self.loop = asyncio.get_running_loop()
        await self._setup()
        return await super().run()


def _membership_view(state: Membership) -> tuple[object, ...]:
    return (
        state.position,
        state.head,
        state.epoch,
        sorted((m.identity_id, m.role.label, sorted(m.devices)) for m in state.members.values()),
    )


def run_shared_seed(
    seed: int, workdir: Path | None = None, *, steps: int | None = None
) -> SimResult:
    """Run one seed on a shared vault; raises SimulationFailure (with the trace)."""
    config = SimConfig.from_seed(seed, steps=steps)
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix=f"coffre-simshare-{seed}-"))
            )
        stack.enter_context(sim_tuning())
        sim = SharedSimulation(config, workdir)
        try:
            return asyncio.run(sim.run())
        finally:
            sim.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, help="run one seed")
    parser.add_argument("--seeds", help="run a range of seeds, e.g. 0-999")
    parser.add_argument("--steps", type=int, help="override the number of scheduled steps")
    parser.add_argument("--trace", action="store_true", help="print the trace of each seed")
    args = parser.parse_args(argv)
    if args.seed is not None:
        seeds: Iterable[int] = [args.seed]
    elif args.seeds:
        lo, _, hi = args.seeds.partition("-")
        seeds = range(int(lo), int(hi or lo) + 1)
    else:
        parser.error("give --seed N or --seeds A-B")
    failed: list[int] = []
    totals: Counter[str] = Counter()
    started = time.perf_counter()
    count = 0
    for seed in seeds:
        count += 1
        try:
            result = run_shared_seed(seed, steps=args.steps)
        except SimulationFailure as exc:
            failed.append(seed)
            print(exc if args.trace else str(exc).split("\ntrace:")[0], file=sys.stderr)
            continue
        totals.update(result.stats)
        if args.trace:
            print(f"seed {seed}: {result.config.describe()}")
            print("\n".join(result.trace))
            print(f"seed {seed}: ok ({result.passes} quiet passes; {dict(result.stats)})")
    elapsed = time.perf_counter() - started
    print(f"{count} seeds, {len(failed)} failed {failed[:50]}, {elapsed:.1f} s")
    print({k: v for k, v in sorted(totals.items()) if not k.startswith("fault_")})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
