"""Epoch keys on the store: statements and envelopes under `keys/epochs/<n>/`.

Layout (docs/FORMAT.md "Epoch keys on the store"):

    keys/epochs/<n as 8 hex>/statement        crypto/epochs.py statement, signed by an owner device
    keys/epochs/<n as 8 hex>/<recipient hex>  CFEV envelope of E_n to a device or an identity
    keys/epochs/<n as 8 hex>/root             CFEV envelope of E_n to the root recipient

This shell moves bytes and asks the rules: a statement counts only if its
signer was an owner's device at the log position it names and the entry there
started epoch n (sync_engine/core/epoch_rules.py) and its signature verifies
with that device's certified key; an envelope counts only if the key it opens
matches its statement's commitment (crypto/epochs.py). Anything else is
skipped and reported as a typed reason in `problems`, and the newest epoch
that still opens is used; when none does, `EpochRefused` says why.

Write order of an epoch (`write_epoch`): the envelopes create-only, then the
statement create-only. Envelopes without a statement are ignored by readers,
so a crash before the statement leaves nothing half-valid, and the owner
writing the epoch again (a fresh key) wins with its statement and then
replaces any envelope that is not its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from crypto.device import DeviceCertificate, DeviceKeys
from crypto.envelope import KemPrivateKey, KemPublicKey, key_commitment
from crypto.epochs import (
    ROOT_OBJECT,
    EpochStatement,
    new_epoch,
    open_epoch_key,
    open_statement,
    ring_from_envelope,
    root_kem,
    root_recipient_id,
    seal_epoch_key,
)
from crypto.errors import CoffreCryptoError
from crypto.identity import Identity, parse_card_blob
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason
from crypto.rng import RandomBytes, system_random

from ..core.epoch_rules import EpochProblem, History, statement_refusal
from ..core.membership import EntryChecker, Membership, MembershipHistory, replay_history
from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound
from .membership_log import HybridChecker

__all__ = [
    "EPOCHS_PREFIX",
    "EpochKeys",
    "EpochRefused",
    "Recipient",
    "envelope_key",
    "history_of",
    "recipients_of",
    "root_key",
    "statement_key",
]

EPOCHS_PREFIX = "keys/epochs/"
STATEMENT_OBJECT = "statement"
FETCH_CONCURRENCY = 8
_OBJECT = re.compile(r"keys/epochs/([0-9a-f]{8})/(statement|root|[0-9a-f]{32})")


def statement_key(epoch: int) -> str:
    return f"{EPOCHS_PREFIX}{epoch:08x}/{STATEMENT_OBJECT}"


def envelope_key(epoch: int, recipient_id: bytes) -> str:
    return f"{EPOCHS_PREFIX}{epoch:08x}/{recipient_id.hex()}"


def root_key(epoch: int) -> str:
    return f"{EPOCHS_PREFIX}{epoch:08x}/{ROOT_OBJECT}"


class EpochRefused(Exception):
    """No epoch key could be opened or written; `reason` says why (an EpochProblem)."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.kind} {reason.as_dict()}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who an envelope is sealed to: a device id or an identity id, and its KEM public key."""

    recipient_id: bytes
    kem: KemPublicKey


def recipients_of(state: Membership) -> list[Recipient]:
    """Every current device and every member's identity in `state` (the envelopes of an epoch)."""
    found: list[Recipient] = []
    for device in state.devices.values():
        cert = DeviceCertificate.from_bytes(device.certificate)
        found.append(Recipient(device.device_id, cert.device.kem))
    for member in state.members.values():
        found.append(Recipient(member.identity_id, parse_card_blob(member.identity).kem))
    return found


def history_of(
    vault_id: bytes, accepted: Sequence[tuple[int, bytes]], checker: EntryChecker | None = None
) -> MembershipHistory:
    """The states after each accepted log entry (e.g. `MembershipLog.accepted()`)."""
    return replay_history(vault_id, accepted, checker or HybridChecker())


class EpochKeys:
    """One vault's epoch keys on the store, checked against the membership history given."""

    def __init__(
        self,
        store: Store,
        vault_id: bytes,
        history: History,
        newest_position: int,
        rng: RandomBytes = system_random,
    ) -> None:
        self._store, self._vault_id, self._history = store, vault_id, history
        self._newest_position, self._rng = newest_position, rng
        self.problems: list[Reason] = []
        self.ring: KeyRing | None = None  # what the last open or write gave
        self._statements: dict[int, EpochStatement] = {}

    def seen(self, history: History, newest_position: int) -> None:
        """Check statements against this newer view of the log (after an entry was written)."""
        self._history, self._newest_position = history, newest_position

    def moved_to(self, store: Store) -> None:
        """Read and write the epoch keys in `store` from now on (the vault moved there)."""
        self._store = store

    # --- reading -----------------------------------------------------------------------

    async def _get(self, key: str) -> bytes | None:
        try:
            return await self._store.get(key)
        except ObjectNotFound:
            return None

    async def _listing(self) -> dict[int, set[str]]:
        """Epoch -> the names of its objects (statement, root, recipient hex); one LIST."""
        found: dict[int, set[str]] = {}
        for info in await self._store.list(EPOCHS_PREFIX):
            if m := _OBJECT.fullmatch(info.key):
                found.setdefault(int(m.group(1), 16), set()).add(m.group(2))
        return found

    def _check(self, epoch: int, data: bytes) -> EpochStatement | Reason:
        """The statement if it is accepted, else why not (parse, rules, then signature)."""
        try:
            parsed = EpochStatement.from_bytes(data)
        except CoffreCryptoError as exc:
            return Reason.of(EpochProblem.BAD_STATEMENT, epoch=epoch, detail=str(exc))
        refusal = statement_refusal(
            self._history, self._newest_position,
            epoch=epoch, position=parsed.position, signer=parsed.signer,
        )  # fmt: skip
        if refusal is not None:
            return refusal
        device = self._history.at(parsed.position).devices[parsed.signer]
        try:
            signing = DeviceCertificate.from_bytes(device.certificate).device.signing
            return open_statement(data, vault_id=self._vault_id, epoch=epoch, verify_key=signing)
        except CoffreCryptoError as exc:
            return Reason.of(EpochProblem.BAD_STATEMENT, epoch=epoch, detail=str(exc))

    async def statements(self) -> tuple[dict[int, EpochStatement], dict[int, set[str]]]:
        """The accepted statements by epoch and the store's listing; refusals go to `problems`."""
        self.problems = []
        listing = await self._listing()
        wanted = sorted(n for n, names in listing.items() if STATEMENT_OBJECT in names)
        limit = asyncio.Semaphore(FETCH_CONCURRENCY)

        async def one(n: int) -> bytes | None:
            async with limit:
                return await self._get(statement_key(n))

        accepted: dict[int, EpochStatement] = {}
        for n, data in zip(wanted, await asyncio.gather(*(one(n) for n in wanted)), strict=True):
            if data is None:
                continue
            checked = self._check(n, data)
            if isinstance(checked, Reason):
                if checked.kind != EpochProblem.BEYOND_LOG:
                    self.problems.append(checked)
                continue
            accepted[n] = checked
        self._statements = accepted
        return accepted, listing

    def _chain_ok(self, statements: dict[int, EpochStatement], epoch: int) -> bool:
        return all(n in statements for n in range(1, epoch + 1))

    async def _open(
        self,
        private: KemPrivateKey,
        recipient_id: bytes,
        name: str,
        loaded: tuple[dict[int, EpochStatement], dict[int, set[str]]] | None = None,
    ) -> KeyRing:
        """The ring from the newest epoch whose envelope `name` opens with `private`."""
        statements, listing = loaded or await self.statements()
        candidates = sorted((n for n in statements if name in listing.get(n, set())), reverse=True)
        for n in candidates:
            if not self._chain_ok(statements, n):
                missing = min(m for m in range(1, n + 1) if m not in statements)
                self.problems.append(Reason.of(EpochProblem.NO_STATEMENT, epoch=missing))
                continue
            data = await self._get(f"{EPOCHS_PREFIX}{n:08x}/{name}")
            if data is None:
                continue
            try:
                key = open_epoch_key(private, data, statements[n], recipient_id)
                ring = ring_from_envelope(statements, n, key)
            except CoffreCryptoError as exc:
                self.problems.append(Reason.of(EpochProblem.BAD_ENVELOPE, epoch=n, detail=str(exc)))
                continue
            self.ring = ring
            return ring
        if self.problems:
            raise EpochRefused(self.problems[-1])
        raise EpochRefused(Reason.of(EpochProblem.NOT_GIVEN, recipient=recipient_id.hex()))

    async def open_with_device(self, device: DeviceKeys) -> KeyRing:
        """The ring this device's own envelopes give (the newest one that opens)."""
        return await self._open(device.kem, device.device_id, device.device_id.hex())

    async def open_with_identity(self, identity: Identity) -> KeyRing:
        """The ring a person's identity envelopes give (a new device of a member)."""
        return await self._open(identity.kem, identity.identity_id, identity.identity_id.hex())

    def current_root(self) -> KemPublicKey | None:
        """The root public of the newest accepted statement that published one."""
        for n in sorted(self._statements, reverse=True):
            public = self._statements[n].root_public
            if public is not None:
                return public
        return None

    async def open_with_root(self, root: VaultKey) -> KeyRing:
        """The ring the root R opens (the passphrase's way in); refused if R was replaced."""
        private = root_kem(root)
        loaded = await self.statements()
        current = self.current_root()
        if current is not None and current != private.public:
            raise EpochRefused(Reason.of(EpochProblem.ROOT_RETIRED))
        return await self._open(private, root_recipient_id(private.public), ROOT_OBJECT, loaded)

    # --- writing -----------------------------------------------------------------------

    async def _put_envelope(self, key: str, data: bytes, *, replace: bool) -> None:
        mode = PutMode.OVERWRITE if replace else PutMode.CREATE
        with contextlib.suppress(ObjectExists):  # replaced once our statement stands
            await self._store.put(key, data, mode=mode)

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
        """Publish epoch `n` (started by the log entry at `position`); the ring with it.

        `ring` holds E_{n-1} (None for n = 1); `key` is E_n when it is fixed (an
        upgrade: E1 = K), else a fresh one. `root_public` is the root KEM public
        this epoch publishes (epoch 1, a passphrase change), else None and the
        root envelope goes to the current root. `EpochRefused`, before anything
        is written, if readers would refuse the statement (the signer is not an
        owner's device there, the entry there did not start epoch `n`); after
        the envelopes, if another owner published epoch `n` with another key first.
        """
        refusal = statement_refusal(
            self._history, self._newest_position, epoch=n, position=position,
            signer=signer.device_id,
        )  # fmt: skip
        if refusal is not None:  # readers would refuse it: write nothing
            raise EpochRefused(refusal)
        prev = None if n == 1 else (ring.key(n - 1).secret if ring else None)
        if n > 1 and prev is None:
            raise ValueError("epoch n > 1 needs the ring holding epoch n - 1")
        if root_public is None:
            await self.statements()
            root_public_to = self.current_root()
        else:
            root_public_to = root_public
        secret, statement = new_epoch(
            self._vault_id, n, position, signer, prev=prev, root_public=root_public,
            key=key, rng=self._rng,
        )  # fmt: skip
        sealed: dict[str, bytes] = {}
        for r in recipients:
            sealed[envelope_key(n, r.recipient_id)] = seal_epoch_key(
                r.kem, secret, vault_id=self._vault_id, epoch=n, recipient_id=r.recipient_id
            )
        if root_public_to is not None:
            sealed[root_key(n)] = seal_epoch_key(
                root_public_to, secret, vault_id=self._vault_id, epoch=n,
                recipient_id=root_recipient_id(root_public_to),
            )  # fmt: skip
        for name, data in sealed.items():
            await self._put_envelope(name, data, replace=False)
        try:
            await self._store.put(statement_key(n), statement, mode=PutMode.CREATE)
        except ObjectExists:
            existing = await self._get(statement_key(n))
            commit = key_commitment(secret, vault_id=self._vault_id, key_id=n)
            try:
                standing = EpochStatement.from_bytes(existing or b"")
            except CoffreCryptoError:
                standing = None
            if standing is None or standing.commit != commit:
                raise EpochRefused(Reason.of(EpochProblem.PUBLISHED_MEANWHILE, epoch=n)) from None
        for name, data in sealed.items():  # ours stand: replace any other envelope
            if await self._get(name) != data:
                await self._put_envelope(name, data, replace=True)
        epochs = dict(ring.epochs) if ring is not None else {}
        epochs[n] = VaultKey(self._vault_id, secret)
        self.ring = KeyRing(self._vault_id, 2, epochs, n)
        return self.ring

    async def seal_for(self, recipient_id: bytes, kem_public: KemPublicKey) -> None:
        """Seal the current epoch of the opened ring to one more recipient (overwrite).

        Every epoch this device holds is reachable from the newest, so one
        envelope for the current epoch suffices.
        """
        if self.ring is None:
            raise ValueError("open or write the epoch keys first")
        n = self.ring.current
        data = seal_epoch_key(
            kem_public, self.ring.now.secret, vault_id=self._vault_id, epoch=n,
            recipient_id=recipient_id,
        )  # fmt: skip
        await self._store.put(envelope_key(n, recipient_id), data, mode=PutMode.OVERWRITE)
