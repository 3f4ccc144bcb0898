"""Who shares a folder, and the owner's changes to it: the Qt-free service the CLI and GUI use.

`MembersService` works on one bound folder's membership log (sync_engine/vault/
membership_log.py, rules in sync_engine/core/membership.py) and, for the
changes that move keys, on its epoch keys:

- `list` reads the log (anything new first) and gives one `MemberRow` per
  person: role, fingerprint, current devices, and whether it is this person.
- `preview` checks a card and gives what the owner compares before adding:
  the fingerprint and the safety number of the two identities.
- `add` writes an "add member" entry for the card's identity (refused, with
  nothing written, when `fingerprint` is given and does not match), then seals
  the current epoch key to the new member's identity, so their first device
  opens the folder through it (`coffre join`).
- `remove` and `remove_device` write the entry that starts the next epoch and
  seal that epoch only to who remains; `set_role` writes a role change.

Every refusal is a `MembersError` carrying a `Reason` (kinds `sharing.*`, or
the log's own `members.*` for a store that rolled the log back), worded in
app/messages.py in English and French. Checks the rules make (last owner,
already a member, same role) are not repeated here: the log refuses the entry
before writing it and the refusal is reworded as the action the person tried.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from crypto.device import DeviceKeys
from crypto.envelope import KemPublicKey
from crypto.identity import (
    InvalidCard,
    PublicIdentity,
    fingerprint_matches,
    parse_card_blob,
    read_card,
    safety_number,
)
from crypto.keyring import KeyRing
from crypto.reason import Reason
from sync_engine.core.epoch_rules import History
from sync_engine.core.membership import (
    Inapplicable,
    Member,
    Membership,
    MembershipProblem,
    MembershipRefused,
)
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.vault.epoch_keys import Recipient, recipients_of
from sync_engine.vault.membership_log import MembershipLog

if TYPE_CHECKING:
    from sync_engine.lifecycle.reencrypt import ReencryptReport

# `--reencrypt`: rewrites the folder under the ring's current epoch (app/reencrypt.py).
Reencrypt = Callable[[KeyRing], Awaitable["ReencryptReport"]]

__all__ = [
    "ROLES",
    "CardPreview",
    "DeviceRow",
    "EpochWriter",
    "MemberRow",
    "MembersError",
    "MembersService",
    "RemoveReport",
    "SharingProblem",
    "parse_role",
]

ROLES = ("owner", "editor", "reader")
_MIN_PREFIX = 4  # hex digits: shorter prefixes of an id are refused as too vague


class SharingProblem(StrEnum):
    """Why a change to the members was refused (worded in app/messages.py)."""

    INVALID_CARD = "sharing.invalid_card"  # detail
    FINGERPRINT_MISMATCH = "sharing.fingerprint_mismatch"  # name, fingerprint, given
    BAD_ROLE = "sharing.bad_role"  # role
    NOT_OWNER = "sharing.not_owner"  # role (this person's, "" when not a member)
    UNKNOWN_MEMBER = "sharing.unknown_member"  # id
    UNKNOWN_DEVICE = "sharing.unknown_device"  # id
    AMBIGUOUS = "sharing.ambiguous"  # id
    ALREADY_MEMBER = "sharing.already_member"  # name
    SAME_ROLE = "sharing.same_role"  # name, role
    LAST_OWNER = "sharing.last_owner"  # name
    NOT_SHARED = "sharing.not_shared"  # a vault without a membership log (v1, not upgraded)
    NO_DEVICE_KEYS = "sharing.no_device_keys"  # this device cannot sign entries
    NO_EPOCH_KEYS = "sharing.no_epoch_keys"  # the folder was opened without its keys
    REENCRYPT_UNAVAILABLE = "sharing.reencrypt_unavailable"
    REENCRYPT_FAILED = "sharing.reencrypt_failed"  # name, detail (the removal itself stands)
    NOT_ADDED = "sharing.not_added"  # `coffre join`: no envelope for this identity, no passphrase
    KEY_CHANGED = "sharing.key_changed"  # name, fingerprint: a known person's card, other keys


class MembersError(Exception):
    """A refused change or listing; `reason` says why (app/messages.py words it)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.kind} {reason.as_dict()}")
        self.reason = reason

    @classmethod
    def of(cls, kind: SharingProblem, **params: object) -> MembersError:
        return cls(Reason.of(kind, **params))


@dataclass(frozen=True)
class DeviceRow:
    """One current device of a member."""

    id: str  # device id, hex
    name: str
    this_device: bool


@dataclass(frozen=True)
class MemberRow:
    """One member as the log says after the newest accepted entry."""

    id: str  # identity id, hex
    name: str
    role: str  # "owner", "editor" or "reader"
    fingerprint: str
    devices: tuple[DeviceRow, ...]
    me: bool  # this computer's person

    def to_json(self) -> dict[str, object]:
        """The CLI's `members list --json` object (issue 11: id, name, role, devices,
        fingerprint; `me` too)."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "fingerprint": self.fingerprint,
            "devices": [
                {"id": d.id, "name": d.name, "this_device": d.this_device} for d in self.devices
            ],
            "me": self.me,
        }


@dataclass(frozen=True)
class CardPreview:
    """What an owner checks before adding a card: who, and the number to compare."""

    name: str
    id: str  # identity id, hex
    fingerprint: str
    safety_number: str  # of this person's identity and the card's ("" without an identity)
    role: str | None  # the role the card's identity already has here, None if not a member
    same_name: str | None  # the id of another member with the card's name (a changed key?)


@dataclass(frozen=True)
class RemoveReport:
    """What removing a member did, for the confirmation shown after it."""

    id: str
    name: str
    devices: tuple[str, ...]  # the device ids removed with them, hex
    epoch: int  # the key epoch started by the removal: new files are sealed under it
    reencrypted: bool  # whether older files were rewritten under the new epoch
    rewrite: ReencryptReport | None = None  # what `reencrypt` rewrote (app/reencrypt.py)


class EpochWriter(Protocol):
    """The vault's epoch keys as this device opened them (sync_engine/vault/epoch_keys.py's
    `EpochKeys`): `ring` holds the current epoch."""

    ring: KeyRing | None

    def seen(self, history: History, newest_position: int) -> None:
        """Check statements against this newer view of the log (after an entry was written)."""
        ...

    async def seal_for(self, recipient_id: bytes, kem_public: KemPublicKey) -> None:
        """Seal the current epoch key to one more recipient (a member's identity or device)."""
        ...

    async def write_epoch(
        self,
        n: int,
        ring: KeyRing | None,
        position: int,
        recipients: Sequence[Recipient],
        signer: DeviceKeys,
        root_public: KemPublicKey | None,
        *,
        key: bytes | None = None,
    ) -> KeyRing:
        """Publish epoch `n`, started by the log entry at `position`, sealed to `recipients`."""
        ...


def parse_role(text: str) -> Role:
    """ "owner", "editor" or "reader" (any case) as a `Role`; `MembersError` otherwise."""
    try:
        return Role[text.strip().upper()]
    except KeyError:
        raise MembersError.of(SharingProblem.BAD_ROLE, role=text) from None


def _public(member: Member) -> PublicIdentity:
    """The member's public identity, from the card blob the log accepted (checked then)."""
    return parse_card_blob(member.identity)


def _refusal(refused: MembershipRefused, member: Member | None, role: Role | None) -> MembersError:
    """The log's refusal of this device's own entry, worded as the action it was."""
    reason = refused.reason
    name = member.name if member else ""
    why = reason.param("why")
    if reason.kind == MembershipProblem.LAST_OWNER:
        return MembersError.of(SharingProblem.LAST_OWNER, name=name)
    if reason.kind == MembershipProblem.NOT_APPLICABLE:
        if why == Inapplicable.ALREADY_MEMBER:
            return MembersError.of(SharingProblem.ALREADY_MEMBER, name=name)
        if why == Inapplicable.SAME_ROLE:
            label = role.label if role else ""
            return MembersError.of(SharingProblem.SAME_ROLE, name=name, role=label)
        if why == Inapplicable.NOT_MEMBER:
            return MembersError.of(SharingProblem.UNKNOWN_MEMBER, id="")
    if reason.kind in (MembershipProblem.NOT_ALLOWED, MembershipProblem.UNKNOWN_SIGNER):
        return MembersError.of(SharingProblem.NOT_OWNER, role=reason.param("role"))
    return MembersError(reason)


def _now_ms() -> int:
    return int(time.time() * 1000)


class MembersService:
    """The members of one bound folder, and the changes an owner makes to them."""

    def __init__(
        self,
        log: MembershipLog,
        *,
        this_device: bytes,
        me: PublicIdentity | None = None,
        signer: DeviceKeys | None = None,
        epochs: EpochWriter | None = None,
        positions: Callable[[], Mapping[bytes, int]] = dict,
        clock: Callable[[], int] = _now_ms,
    ) -> None:
        """`signer`: this device's keys (None: listing only); `epochs`: the vault's epoch
        keys as opened (None: changes that move keys are refused); `positions`: the
        newest journal segment seq this device accepted from each device, by device id
        (the cut a removal or role change records, so what the person wrote before it
        stays accepted and nothing after it is)."""
        self._log = log
        self._this_device = this_device
        self._me = me
        self._signer = signer
        self._epochs = epochs
        self._clock = clock
        self._positions = positions
        self.problems: tuple[Reason, ...] = ()  # entries the last read refused
        # Reads the others' journals just before a cut is taken (a running session's
        # engine sets it): what a person published up to that moment stays theirs, which
        # narrows the race docs/SYNC.md section 8 describes to the time of one entry.
        self.read_journals: Callable[[], Awaitable[object]] | None = None

    async def _cut(self) -> Mapping[bytes, int]:
        """The newest seq accepted from each device, read again first when possible."""
        if self.read_journals is not None:
            await self.read_journals()
        return self._positions()

    # --- reading -------------------------------------------------------------------------

    @property
    def state(self) -> Membership:
        """The membership as last read (`list` reads anything new first)."""
        return self._log.state

    @property
    def my_role(self) -> str:
        """This person's role ("owner", "editor", "reader"), or "" when not a member."""
        member = self._my_member(self.state)
        return member.role.label if member else ""

    def _my_member(self, state: Membership) -> Member | None:
        device = state.devices.get(self._this_device)
        if device is not None:
            return state.members.get(device.identity_id)
        if self._me is not None:
            return state.members.get(self._me.identity_id)
        return None

    async def refresh(self) -> Membership:
        """Read what is new in the log; `MembersError` for a rollback or fork (nothing applied)."""
        try:
            read = await self._log.read()
        except MembershipRefused as refused:
            raise MembersError(refused.reason) from None
        self.problems = read.problems
        if read.state.position < 0:
            raise MembersError.of(SharingProblem.NOT_SHARED)
        return read.state

    async def list(self) -> list[MemberRow]:
        """The members after the newest entry: owners first, then editors, readers, by name."""
        state = await self.refresh()
        mine = self._my_member(state)
        rows = [self._row(state, m, m is mine) for m in state.members.values()]
        rows.sort(key=lambda r: (ROLES.index(r.role), r.name.casefold(), r.id))
        return rows

    def _row(self, state: Membership, member: Member, me: bool) -> MemberRow:
        devices = sorted(
            (
                DeviceRow(d.hex(), state.devices[d].name, d == self._this_device)
                for d in member.devices
                if d in state.devices
            ),
            key=lambda r: (r.name.casefold(), r.id),
        )
        return MemberRow(
            member.identity_id.hex(),
            member.name,
            member.role.label,
            _public(member).fingerprint,
            tuple(devices),
            me,
        )

    def preview(self, card_text: str) -> CardPreview:
        """Check a card (its self-signature and readable lines) and show what to compare.

        Uses the membership as last read. `MembersError(sharing.invalid_card)` if the
        card is damaged or altered.
        """
        public, _blob = self._read_card(card_text)
        state = self.state
        member = state.members.get(public.identity_id)
        same_name = _known_under_other_keys(self._log.history.states, public)
        number = safety_number(self._me, public) if self._me is not None else ""
        return CardPreview(
            public.name,
            public.identity_id.hex(),
            public.fingerprint,
            number,
            member.role.label if member else None,
            same_name,
        )

    @staticmethod
    def _read_card(card_text: str) -> tuple[PublicIdentity, bytes]:
        try:
            return read_card(card_text)
        except InvalidCard as exc:
            raise MembersError.of(SharingProblem.INVALID_CARD, detail=str(exc)) from None

    @staticmethod
    def check_card(
        card_text: str, *, fingerprint: str | None = None
    ) -> tuple[PublicIdentity, bytes]:
        """The card's identity and signed part, if the card is intact and, when
        `fingerprint` is given, has that fingerprint (`sharing.fingerprint_mismatch`
        otherwise). Needs no folder: the CLI checks before opening the vault."""
        public, blob = MembersService._read_card(card_text)
        if fingerprint is not None and not fingerprint_matches(public, fingerprint):
            raise MembersError.of(
                SharingProblem.FINGERPRINT_MISMATCH,
                name=public.name,
                fingerprint=public.fingerprint,
                given=fingerprint.strip(),
            )
        return public, blob

    # --- changing (owners) ---------------------------------------------------------------

    def _require_signer(self) -> DeviceKeys:
        if self._signer is None:
            raise MembersError.of(SharingProblem.NO_DEVICE_KEYS)
        return self._signer

    def _require_owner(self, state: Membership) -> None:
        mine = self._my_member(state)
        if mine is None or mine.role is not Role.OWNER:
            raise MembersError.of(SharingProblem.NOT_OWNER, role=mine.role.label if mine else "")

    def _require_epochs(self) -> EpochWriter:
        if self._epochs is None or self._epochs.ring is None:
            raise MembersError.of(SharingProblem.NO_EPOCH_KEYS)
        return self._epochs

    async def complete_epochs(self) -> list[int]:
        """Publish the epochs the log started that this device holds no key for yet.

        An entry that starts an epoch (removing a member or a device) fixes its
        number; its key is published by an owner's device that is current after
        that entry (sync_engine/core/epoch_rules.py). A member removing their own
        device, or an owner removing the device they use, cannot: the next owner
        device that changes the members (or calls this) publishes it. Each epoch
        is sealed to who was in the folder until the next one started. Returns the
        epochs published; none when this person is not an owner or the keys are
        not open.
        """
        epochs, signer = self._epochs, self._signer
        state = self.state
        mine = self._my_member(state)
        if epochs is None or epochs.ring is None or signer is None:
            return []
        if mine is None or mine.role is not Role.OWNER:
            return []
        history = self._log.history
        epochs.seen(history, self._log.read_through)
        starts = history.epoch_starts
        done: list[int] = []
        while epochs.ring is not None and epochs.ring.current < state.epoch:
            n = epochs.ring.current + 1
            position = starts.get(n)
            if position is None or self._this_device not in history.at(position).devices:
                break  # another owner's device must publish it
            until = starts.get(n + 1)
            holders = history.at(until - 1) if until is not None else state
            await epochs.write_epoch(n, epochs.ring, position, recipients_of(holders), signer, None)
            done.append(n)
        return done

    def _find_member(self, state: Membership, identity_id: str) -> Member:
        text = identity_id.strip().lower()
        found = [m for m in state.members.values() if m.identity_id.hex() == text]
        if not found and len(text) >= _MIN_PREFIX:
            found = [m for m in state.members.values() if m.identity_id.hex().startswith(text)]
        if len(found) > 1:
            raise MembersError.of(SharingProblem.AMBIGUOUS, id=identity_id)
        if not found:
            raise MembersError.of(SharingProblem.UNKNOWN_MEMBER, id=identity_id)
        return found[0]

    async def add(self, card_text: str, role: str, *, fingerprint: str | None = None) -> MemberRow:
        """Add the card's person with `role`; their identity can then open the folder.

        Order: the card is checked, then `fingerprint` (a mismatch refuses with
        `sharing.fingerprint_mismatch`), then this person must be an owner; a card
        whose name a member has, or had, under other keys needs `fingerprint`
        (`sharing.key_changed`: confirmed again, as for a first meeting); only
        then is the entry written, and the current epoch key sealed to the new
        member's identity. Nothing is written when any check fails.
        """
        public, blob = self.check_card(card_text, fingerprint=fingerprint)
        chosen = parse_role(role)
        signer = self._require_signer()
        state = await self.refresh()
        self._require_owner(state)
        if fingerprint is None and _known_under_other_keys(self._log.history.states, public):
            # The same name with other keys: a new computer of theirs, or someone posing as
            # them. Only the fingerprint, read with the person, tells which.
            raise MembersError.of(
                SharingProblem.KEY_CHANGED, name=public.name, fingerprint=public.fingerprint
            )
        epochs = self._require_epochs()
        try:
            after = await self._log.append(
                signer, EntryKind.ADD_MEMBER, self._clock(), subject=public.identity_id,
                role=chosen, identity=blob,
            )  # fmt: skip
        except MembershipRefused as refused:
            known = state.members.get(public.identity_id)
            raise _refusal(refused, known, chosen) from None
        await epochs.seal_for(public.identity_id, public.kem)
        return self._row(after, after.members[public.identity_id], False)

    async def remove(self, identity_id: str, *, reencrypt: bool = False) -> RemoveReport:
        """Remove a member and their devices, and start a new epoch they are not given.

        What they downloaded stays theirs, and the files sealed under earlier
        epochs stay readable with the keys they held unless `reencrypt`.
        """
        if reencrypt and self.reencrypt is None:
            raise MembersError.of(SharingProblem.REENCRYPT_UNAVAILABLE)
        signer = self._require_signer()
        state = await self.refresh()
        self._require_owner(state)
        self._require_epochs()
        member = self._find_member(state, identity_id)
        try:
            after = await self._log.append(
                signer, EntryKind.REMOVE_MEMBER, self._clock(), subject=member.identity_id,
                cut=await self._cut(),
            )  # fmt: skip
        except MembershipRefused as refused:
            raise _refusal(refused, member, None) from None
        await self.complete_epochs()
        rewrite = await self._rewrite(member.name) if reencrypt else None
        return RemoveReport(
            member.identity_id.hex(),
            member.name,
            tuple(sorted(d.hex() for d in member.devices)),
            after.epoch,
            reencrypted=rewrite is not None,
            rewrite=rewrite,
        )

    # `--reencrypt` (app/reencrypt.py): set when the folder's engine is open (app/session.py).
    reencrypt: Reencrypt | None = None

    async def _rewrite(self, name: str) -> ReencryptReport:
        """Rewrite the files sealed under older epochs under the one the removal started;
        `sharing.reencrypt_failed` if that cannot finish (the removal stands, nothing is
        lost, `coffre gc --reencrypt` finishes it)."""
        from crypto.errors import CoffreCryptoError
        from sync_engine.lifecycle.gc import GcRefused
        from sync_engine.lifecycle.reencrypt import ReencryptRefused
        from sync_engine.stores.errors import StoreError

        ring = self._require_epochs().ring
        assert self.reencrypt is not None and ring is not None
        try:
            return await self.reencrypt(ring)
        except (ReencryptRefused, GcRefused, StoreError, CoffreCryptoError) as exc:
            why = SharingProblem.REENCRYPT_FAILED
            raise MembersError.of(why, name=name, detail=str(exc)) from None

    async def set_role(self, identity_id: str, role: str) -> None:
        """Give a member another role (owners only; the last owner cannot step down)."""
        chosen = parse_role(role)
        signer = self._require_signer()
        state = await self.refresh()
        self._require_owner(state)
        member = self._find_member(state, identity_id)
        try:
            await self._log.append(
                signer, EntryKind.CHANGE_ROLE, self._clock(), subject=member.identity_id,
                role=chosen, cut=await self._cut(),
            )  # fmt: skip
        except MembershipRefused as refused:
            raise _refusal(refused, member, chosen) from None

    async def remove_device(self, device_id: str) -> None:
        """Remove one device (a lost laptop) and start a new epoch it is not given.

        An owner removes anyone's device; a member removes their own.
        """
        signer = self._require_signer()
        state = await self.refresh()
        text = device_id.strip().lower()
        found = [d for d in state.devices.values() if d.device_id.hex() == text]
        if not found and len(text) >= _MIN_PREFIX:
            found = [d for d in state.devices.values() if d.device_id.hex().startswith(text)]
        if not found:
            found = [d for d in state.devices.values() if d.name.casefold() == text]
        if len(found) > 1:
            raise MembersError.of(SharingProblem.AMBIGUOUS, id=device_id)
        if not found:
            raise MembersError.of(SharingProblem.UNKNOWN_DEVICE, id=device_id)
        device = found[0]
        mine = self._my_member(state)
        if mine is None or (mine.role is not Role.OWNER and mine.identity_id != device.identity_id):
            raise MembersError.of(SharingProblem.NOT_OWNER, role=mine.role.label if mine else "")
        self._require_epochs()
        member = state.members[device.identity_id]
        try:
            await self._log.append(
                signer, EntryKind.REMOVE_DEVICE, self._clock(), subject=device.identity_id,
                device=device.device_id, cut=await self._cut(),
            )  # fmt: skip
        except MembershipRefused as refused:
            raise _refusal(refused, member, None) from None
        await self.complete_epochs()


def _known_under_other_keys(states: Sequence[Membership], public: PublicIdentity) -> str | None:
    """The id (hex) of a member, now or earlier, named as the card is but with other keys."""
    name = public.name.casefold()
    for state in reversed(states):
        for member in state.members.values():
            if member.identity_id != public.identity_id and member.name.casefold() == name:
                return member.identity_id.hex()
    return None
