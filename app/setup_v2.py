"""Creating and joining a format-2 (shared) vault: the person, this device, the keys.

`create` (what `coffre init` and the wizard's "new vault" do): the creator's
identity (made silently if this computer has none, named after the account) is
the owner; this device is certified by it and added; epoch 1 is sealed to the
device, the identity and the passphrase's root (sync_engine/vault/vault_v2.py);
the identity's passphrase-wrapped copy goes to `identities/<identity id hex>`
so the person's next computer needs only the passphrase; this device's keys go
to the keyring, else to a file under E1 (app/device_key.py).

`join` asks app/join_decision.py which way in to try next, tries it, and
records what it learnt: the identity's envelope, the passphrase slot, the
store's identity copies (bounded). A format-1 vault opened by its passphrase
is upgraded in place (sync_engine/vault/upgrade.py), this device's person
becoming its first owner. Once open, the new device adds itself to the log
(signed with its certificate) and seals the current epoch key to itself; a
person no owner has added gets `NotAdded`, which carries the card to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field, replace

from crypto.device import DeviceKeys
from crypto.errors import CoffreCryptoError, WrongPassphrase
from crypto.header import parse_header
from crypto.identity import Identity, unwrap_identity, wrap_identity
from crypto.kdf import DEFAULT, Argon2Params
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.errors import ObjectExists, ObjectNotFound
from sync_engine.vault.epoch_keys import EPOCHS_PREFIX, EpochKeys, EpochRefused
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState
from sync_engine.vault.upgrade import upgrade_v1_vault
from sync_engine.vault.vault_store import read_header_bytes
from sync_engine.vault.vault_v2 import create_v2_vault_on_store, epoch_keys_for

from . import device_key, identity_store
from .cli_identity import default_name
from .folders import Binding
from .join_decision import MAX_STORE_COPIES, JoinFacts, JoinStep, next_step
from .members import SharingProblem
from .unlock import VaultSecret, unlock_store

IDENTITIES_PREFIX = "identities/"
_STEPS_BOUND = 12  # next_step always ends well before this; a bound all the same


def identity_copy_key(identity_id: bytes) -> str:
    return f"{IDENTITIES_PREFIX}{identity_id.hex()}"


class NotAdded(Exception):
    """No owner has added this person's identity to the folder yet; `card` is what to send."""

    def __init__(self, card: str, name: str) -> None:
        super().__init__(
            "No owner has added your identity to this folder yet. Send your identity card "
            "(below) to an owner, compare the safety number with them by phone or in person, "
            "and run `coffre join` again once they have added you."
        )
        self.card, self.name = card, name
        self.reason = Reason.of(SharingProblem.NOT_ADDED)


@dataclass
class Joined:
    """A format-2 vault as this new device opened it."""

    ring: KeyRing
    device: DeviceKeys
    identity: Identity
    how: str  # "identity", "passphrase" (root) or "upgrade"
    root: VaultKey | None = field(default=None, repr=False)


def _now_ms() -> int:
    return int(time.time() * 1000)


# --- the person --------------------------------------------------------------------------


def my_identity(passphrase: str | None, *, create: bool) -> Identity | None:
    """This computer's identity with its private keys, or None when it cannot be opened.

    With `create`, a computer without one gets one now, named after the account,
    kept in the keyring (else under `passphrase`). `IdentityError` when one
    must be made and neither a keyring nor a passphrase can keep it.
    """
    stored = identity_store.load()
    if stored is None:
        if not create:
            return None

        def secret() -> str:
            if passphrase is None:
                raise identity_store.IdentityError(
                    "No system keyring can keep your identity on this computer; give a "
                    "passphrase (COFFRE_PASSPHRASE or --passphrase-file) to keep it in a file."
                )
            return passphrase

        identity_store.create(default_name(), secret)
    elif stored.kept_in == identity_store.IN_FILE and passphrase is None:
        return None
    try:
        return identity_store.unlock(lambda: passphrase or "")
    except WrongPassphrase:
        return None


async def _keep_copy(
    store: Store, identity: Identity, passphrase: str, params: Argon2Params
) -> None:
    """The identity's passphrase-wrapped copy in the store (kept if one is there already)."""
    wrapped = await asyncio.to_thread(wrap_identity, identity, passphrase, params)
    with contextlib.suppress(ObjectExists):
        await store.put(identity_copy_key(identity.identity_id), wrapped, mode=PutMode.CREATE)


# --- create ------------------------------------------------------------------------------


async def create(
    store: Store,
    plan: Binding,
    passphrase: str,
    *,
    language: str | None,
    params: Argon2Params = DEFAULT,
) -> tuple[VaultKey, KeyRing, str]:
    """Make a format-2 vault for `plan` (its device id); (root R, ring, recovery key)."""
    identity = await asyncio.to_thread(my_identity, passphrase, create=True)
    if identity is None:
        raise identity_store.IdentityError(
            "Your identity on this computer is kept under another passphrase than the one "
            "given for the new vault, so it cannot sign the vault's creation. Give the "
            "identity's passphrase, or create the vault from the desktop app."
        )
    device = device_key.new_device_keys(plan)
    local = LocalState(plan.state_path)
    try:
        created = await create_v2_vault_on_store(
            store, passphrase, identity, device, local, _now_ms(), params, language
        )
    finally:
        local.close()
    binding = replace(plan, vault_id=created.root.vault_id.hex())
    await asyncio.to_thread(device_key.keep_device_keys, binding, device, created.ring.key(1))
    await _keep_copy(store, identity, passphrase, params)
    return created.root, created.ring, created.recovery_key


# --- join --------------------------------------------------------------------------------


async def _envelope_for(store: Store, recipient: bytes) -> bool:
    hexed = recipient.hex()
    return any(i.key.endswith("/" + hexed) for i in await store.list(EPOCHS_PREFIX))


async def _from_copies(store: Store, passphrase: str) -> Identity | None:
    """The person's identity among the store's copies that `passphrase` opens (bounded)."""
    listed = sorted(i.key for i in await store.list(IDENTITIES_PREFIX))[:MAX_STORE_COPIES]
    for key in listed:
        try:
            data = await store.get(key)
            return await asyncio.to_thread(unwrap_identity, data, passphrase)
        except (ObjectNotFound, CoffreCryptoError, ValueError):
            continue
    return None


class _Join:
    """One join in progress: the facts next_step reads, and what each step found."""

    def __init__(self, store: Store, plan: Binding, local: LocalState, secret: VaultSecret | None):
        self.store, self.plan, self.local = store, plan, local
        self.secret = secret
        self.passphrase = secret.passphrase if secret is not None else None
        self.identity: Identity | None = None
        self.from_file = False  # the identity was opened with the passphrase (its file)
        self.ring: KeyRing | None = None
        self.root: VaultKey | None = None
        self.how = ""
        self.log: MembershipLog | None = None
        self.keys: EpochKeys | None = None
        self.device: DeviceKeys | None = None  # made by an upgrade (its creation names it)

    def passphrase_source(self) -> str:
        if self.passphrase is None:
            raise identity_store.IdentityError("a passphrase is needed to keep the identity")
        return self.passphrase

    def _may_try_secret(self, header_version: int) -> bool:
        """Whether the vault's slots may be tried. A recovery key also resets the
        passphrase, so on a shared vault it is used only where this person's identity
        is at hand (a device no owner can add must change nothing)."""
        if self.secret is None:
            return False
        return header_version < 2 or not self.secret.is_recovery or self.identity is not None

    async def facts(self, header_version: int, **tried: bool) -> JoinFacts:
        member = envelope = False
        if self.log is not None and self.identity is not None:
            member = self.identity.identity_id in self.log.state.members
            envelope = await _envelope_for(self.store, self.identity.identity_id)
        copies = (
            header_version >= 2
            and self.passphrase is not None
            and bool(await self.store.list(IDENTITIES_PREFIX))
        )
        return JoinFacts(
            header_version,
            opened=self.ring is not None,
            identity=self.identity is not None,
            member=member,
            envelope=envelope,
            passphrase=self._may_try_secret(header_version),
            copies=copies,
            **tried,
        )

    async def open_log(self, vault_id: bytes) -> None:
        self.log = MembershipLog(self.store, self.local, vault_id)
        await self.log.read()
        self.keys = epoch_keys_for(self.store, self.log)


async def join(
    store: Store, plan: Binding, secret: VaultSecret | None, *, params: Argon2Params = DEFAULT
) -> tuple[Binding, Joined]:
    """Open the store's vault for a new device `plan`; the binding (with the vault id) and
    what opened it. `NotAdded`, `WrongPassphrase` otherwise (nothing of this device written)."""
    header = parse_header(await read_header_bytes(store))
    binding = replace(plan, vault_id=header.vault_id.hex())
    return binding, await enter(store, binding, secret, params=params)


async def enter(
    store: Store,
    binding: Binding,
    secret: VaultSecret | None,
    *,
    kept: VaultKey | None = None,
    params: Argon2Params = DEFAULT,
) -> Joined:
    """Open the vault `binding` names and make sure this device is in its log.

    What `join` does for a new device; also how a bound device of a format-1
    vault opens it (upgrading it; `kept`: the vault key a remembered format-1
    device opened, instead of the passphrase) and how it enters once another
    device upgraded it.
    """
    header = parse_header(await read_header_bytes(store))
    local = LocalState(binding.state_path)
    try:
        j = _Join(store, binding, local, secret)
        tried: dict[str, bool] = {}
        if kept is not None and header.version < 2:
            j.root, j.ring = kept, KeyRing.v1(kept)
            tried["tried_passphrase"] = True
        return await _walk(j, header.version, params, tried)
    finally:
        local.close()


async def _walk(
    j: _Join, version: int, params: Argon2Params, tried: dict[str, bool] | None = None
) -> Joined:
    j.identity = await asyncio.to_thread(my_identity, j.passphrase, create=False)
    j.from_file = j.identity is not None and _kept_in_file()
    if version >= 2:
        await j.open_log(bytes.fromhex(j.plan.vault_id))
    tried = dict(tried or {})
    for _ in range(_STEPS_BOUND):
        step = next_step(await j.facts(version, **tried))
        if step is JoinStep.OPEN_WITH_IDENTITY:
            tried["tried_identity"] = True
            assert j.keys is not None and j.identity is not None
            with contextlib.suppress(EpochRefused):
                j.ring, j.how = await j.keys.open_with_identity(j.identity), "identity"
        elif step is JoinStep.OPEN_WITH_PASSPHRASE:
            tried["tried_passphrase"] = True
            assert j.secret is not None
            try:
                unlocked = await unlock_store(j.store, j.secret, vault_id=j.plan.vault_id)
            except WrongPassphrase:
                continue
            j.root = unlocked.key
            if version >= 2:
                assert j.keys is not None
                j.ring, j.how = await j.keys.open_with_root(unlocked.key), "passphrase"
            else:
                j.ring = KeyRing.v1(unlocked.key)  # opened; upgraded next
        elif step is JoinStep.TRY_STORE_COPIES:
            tried["tried_copies"] = True
            assert j.passphrase is not None
            found = await _from_copies(j.store, j.passphrase)
            if found is not None:
                await asyncio.to_thread(identity_store.adopt, found, j.passphrase_source)
                j.identity, j.from_file = found, True
        elif step is JoinStep.UPGRADE:
            await _upgrade(j)
            version = 2
        elif step is JoinStep.ADD_DEVICE:
            return await _add_device(j, params)
        elif step is JoinStep.WRONG_PASSPHRASE:
            raise WrongPassphrase()
        else:
            raise _not_added(j)
    raise AssertionError("the join decision did not end")  # pragma: no cover


def _kept_in_file() -> bool:
    stored = identity_store.load()
    return stored is not None and stored.kept_in == identity_store.IN_FILE


async def _upgrade(j: _Join) -> None:
    """Upgrade the format-1 vault just opened: this person owns it through this device."""
    assert j.root is not None
    identity = j.identity or await asyncio.to_thread(my_identity, j.passphrase, create=True)
    if identity is None:
        raise _not_added(j)
    j.identity = identity
    device = device_key.new_device_keys(j.plan)
    await j.open_log(j.root.vault_id)
    assert j.log is not None
    upgraded = await upgrade_v1_vault(j.store, j.root, identity, device, j.log, _now_ms())
    j.ring, j.how, j.device = upgraded.ring, "upgrade", device
    await j.open_log(j.root.vault_id)


async def _add_device(j: _Join, params: Argon2Params) -> Joined:
    """The new device adds itself (certified by the identity) and seals the epoch to itself."""
    assert j.log is not None and j.identity is not None and j.ring is not None
    device = j.device or device_key.new_device_keys(j.plan)
    if device.device_id not in j.log.state.devices:
        await j.log.add_own_device(j.identity, device, _now_ms())
    keys = epoch_keys_for(j.store, j.log)
    keys.ring = j.ring
    await keys.seal_for(device.device_id, device.kem.public)
    await asyncio.to_thread(device_key.keep_device_keys, j.plan, device, j.ring.key(1))
    if j.passphrase is not None and (j.from_file or j.how in ("passphrase", "upgrade")):
        await _keep_copy(j.store, j.identity, j.passphrase, params)
    return Joined(j.ring, device, j.identity, j.how, j.root)


def _not_added(j: _Join) -> NotAdded:
    """The card to send: this person's identity, made now if this computer had none."""
    stored = identity_store.load()
    if stored is None:
        my_identity(j.passphrase, create=True)
        stored = identity_store.load()
    assert stored is not None
    return NotAdded(stored.card, stored.name)


__all__ = ["IDENTITIES_PREFIX", "Joined", "NotAdded", "create", "join"]
