"""Opening a bound folder for work: its store, its vault key, its local state, its engine."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crypto.device import DeviceKeys
from crypto.errors import WrongPassphrase
from crypto.header import parse_header
from crypto.identity import Identity, PublicIdentity
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason
from sync_engine.core.actions import PlanLimits
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine
from sync_engine.stores.base import Store
from sync_engine.stores.open_store import open_store
from sync_engine.stores.url import parse_store_url
from sync_engine.vault.epoch_keys import EpochKeys
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState
from sync_engine.vault.vault_store import SetupProblem, VaultSetupError, read_header_bytes

from . import device_key, key_cache
from .credentials import load_credentials
from .folders import Binding
from .key_cache import KeyCacheUnavailable
from .move import SessionFollower
from .paths import restrict_file
from .policy.model import Policy, ensure_store_allowed
from .policy.sources import load_policy
from .unlock import (
    CachedKeyRejected,
    OtherVault,
    Unlocked,
    VaultSecret,
    as_secret,
    unlock_store,
    unlock_with_key,
)

if TYPE_CHECKING:
    from .members import MembersService

_log = logging.getLogger(__name__)


def store_for(address: str, policy: Policy | None = None) -> Store:
    """The store at a bound address, with its credentials from the environment or keyring.

    The organisation's policy must allow it (PolicyForbids otherwise): a folder
    bound before IT restricted stores, or under a policy that cannot be read,
    does not sync.
    """
    ensure_store_allowed(policy if policy is not None else load_policy(), address)
    spec = parse_store_url(address)
    return open_store(spec, load_credentials(spec))


def policy_plan_limits(policy: Policy) -> PlanLimits:
    """The mass-deletion guard as the organisation's policy sets it."""
    return PlanLimits(
        mass_delete_fraction=policy.get("mass_delete_percent") / 100,
        mass_delete_min=policy.get("mass_delete_min_files"),
    )


@dataclass
class FolderSession:
    binding: Binding
    store: Store
    key: VaultKey | KeyRing  # a format-1 vault's key, or a format-2 vault's epoch keys
    state: LocalState
    engine: Engine
    # How the vault was opened: its header epoch, and a new recovery key when a recovery
    # replaced it (shown once, then forgotten).
    unlocked: Unlocked | None = None
    sharing: Sharing | None = None  # a format-2 vault: its log, epoch keys, this device's keys

    @classmethod
    async def open(cls, binding: Binding, secret: str | VaultSecret) -> FolderSession:
        """Unlock with a passphrase, or the recovery key (which then sets a new passphrase).

        A format-2 vault opens through `open_sharing` (the passphrase's root, or the
        person's identity file); a format-1 vault is upgraded in place first
        (app/setup_v2.py `enter`), this device's person becoming its first owner.
        """
        store = store_for(binding.store)
        try:
            return await cls._open_shared(binding, store, lambda: secret, _log_note)
        except OtherVault:
            await store.close()
            raise VaultSetupError(
                f"The store {store.url} now holds another vault than the one {binding.folder} "
                "was bound to. Check the store address; nothing was changed.",
                kind=SetupProblem.OTHER_VAULT,
                url=store.url,
            ) from None
        except BaseException:
            await store.close()
            raise

    @classmethod
    async def _open_shared(
        cls,
        binding: Binding,
        store: Store,
        read_secret: Callable[[], str | VaultSecret],
        note: Callable[[str], None],
    ) -> FolderSession:
        """Open the bound vault in format 2 (upgrading a format-1 one) and start the engine."""
        from . import setup_v2

        given: list[VaultSecret] = []

        def secret_once() -> VaultSecret:
            if not given:
                given.append(as_secret(read_secret()))
            return given[0]

        header = parse_header(await read_header_bytes(store))
        if header.version < 2:
            await setup_v2.enter(store, binding, secret_once())
        local = LocalState(binding.state_path)
        try:
            sharing = await open_sharing(store, binding, local, secret_once, note=note)
            this_device = bytes.fromhex(binding.device_id)
            if this_device not in sharing.log.state.seen_devices:
                local.close()  # a device of the vault before its upgrade: it enters the log
                await setup_v2.enter(store, binding, secret_once())
                local = LocalState(binding.state_path)
                sharing = await open_sharing(store, binding, local, secret_once, note=note)
            if sharing.signer is None:
                raise device_key.DeviceKeysLost(binding.folder)
            new_recovery_key = await _reset_after_recovery(store, binding, sharing, given)
            if sharing.how != "device" and device_key.is_remembered(binding):
                # its own envelope did not open (altered, or sealed before a change):
                # the passphrase opened the vault, so seal it again for the next run
                await sharing.epochs.seal_for(this_device, sharing.signer.kem.public)
            # A device removed since (or its person) starts all the same: the engine's
            # first round stops with AccessRevoked, saying so, and deletes nothing.
            language = parse_header(await read_header_bytes(store)).vault_language
        except BaseException:
            local.close()
            raise
        session = cls._start(binding, store, sharing.ring, language, state=local, sharing=sharing)
        if sharing.root is not None:
            epoch = parse_header(await read_header_bytes(store)).epoch
            session.unlocked = Unlocked(sharing.root, epoch, new_recovery_key, language)
        return session

    @classmethod
    async def open_with_key(cls, binding: Binding, key: VaultKey) -> FolderSession:
        """Open with a vault key known already, without the passphrase.

        `unlock_with_key` checks it against the store's vault header; if it does not
        open it (the vault was replaced, the key is stale) `CachedKeyRejected` says
        so and nothing starts.
        """
        store = store_for(binding.store)
        try:
            unlocked = await unlock_with_key(
                store, key, vault_id=binding.vault_id, folder=binding.folder
            )
        except BaseException:
            await store.close()
            raise
        session = cls._start(binding, store, key, unlocked.language)
        session.unlocked = unlocked
        return session

    @classmethod
    async def open_kept(cls, binding: Binding, *, migrate: bool = True) -> FolderSession | None:
        """Open with the key kept for this device (app/device_key.py); None if none is kept.

        `migrate` (the app, `coffre devices remember`): also convert a raw key an
        older Coffre kept; otherwise a device never remembered returns at once.
        A format-2 vault: a remembered device opens its own epoch envelope.

        `CachedKeyRejected` if one was kept but no longer opens the vault (this
        device was forgotten, the passphrase changed): ask the passphrase then.
        """
        if not migrate and not device_key.is_remembered(binding):
            return None  # never remembered here: no store, no keyring round trip
        store = store_for(binding.store)
        try:
            header = parse_header(await read_header_bytes(store))
            if header.version >= 2:
                if migrate:  # a raw vault key an older Coffre kept is never used here
                    await asyncio.to_thread(key_cache.forget, binding.vault_id)
                if not device_key.is_remembered(binding):
                    await store.close()
                    return None

                def no_secret() -> VaultSecret:
                    raise CachedKeyRejected(
                        f"This computer's own key no longer opens {binding.folder} (it was "
                        "removed, or the store altered its envelope): type the passphrase."
                    )

                return await cls._open_shared(binding, store, no_secret, _log_note)
            unlocked = await device_key.recall(store, binding, migrate=migrate)
            if unlocked is None:
                await store.close()
                return None
            # Format 1 opened by the key kept here: upgraded in place, then opened by the
            # device's own keys (remembered), without the passphrase.
            from . import setup_v2

            await setup_v2.enter(store, binding, None, kept=unlocked.key)
            await asyncio.to_thread(device_key.remember_if_kept, binding)

            def no_secret() -> VaultSecret:
                raise CachedKeyRejected(
                    f"{binding.folder} was brought to the current format, but this computer's "
                    "own keys do not open it: type the passphrase."
                )

            return await cls._open_shared(binding, store, no_secret, _log_note)
        except BaseException:
            await store.close()
            raise

    async def keep_key(self) -> None:
        """Remember the vault on this computer: device keys and an envelope (app/device_key.py).

        KeyCacheUnavailable if the keyring cannot keep the device's key.
        """
        if self.sharing is not None:  # format 2: the device's own envelope is there already
            if not await asyncio.to_thread(device_key.remember_if_kept, self.binding):
                raise KeyCacheUnavailable(
                    "The system keyring does not hold this device's keys, so this computer "
                    "cannot open the folder by itself: the passphrase stays needed."
                )
            return
        assert self.unlocked is not None, "a session knows how it was opened"
        await device_key.keep(self.store, self.binding, self.unlocked)

    async def forget_key(self) -> None:
        """Forget this computer: it asks the passphrase again. Format 1: its envelope on the
        store and its keys in the keyring go; format 2: its keys stay (they sign its changes;
        `members remove-device` removes the device from the vault)."""
        if self.sharing is not None:
            await asyncio.to_thread(device_key.forget_here, self.binding)
            return
        await device_key.forget(self.store, self.binding)

    @classmethod
    def _start(
        cls,
        binding: Binding,
        store: Store,
        key: VaultKey | KeyRing,
        language: str,
        *,
        state: LocalState | None = None,
        sharing: Sharing | None = None,
    ) -> FolderSession:
        policy = load_policy()
        state = state or LocalState(binding.state_path)
        for path in (binding.state_path, *binding.directory.glob("state.db-*")):
            restrict_file(path)  # names of synced files: this user's only
        fs = DiskFs(binding.folder)
        fs.keep_free_bytes = policy.get("min_free_disk_mib") * 1024 * 1024
        engine = Engine(
            store=store,
            key=key,
            fs=fs,
            state=state,
            device_id=binding.device_id,
            device_name=binding.device_name,
            quarantine_dir=binding.quarantine_dir,
            limits=policy_plan_limits(policy),
            language=language,  # names conflict copies as every device of the vault does
            signer=None if sharing is None else sharing.signer,
            membership=None if sharing is None else sharing.log,
        )
        engine.enforced_ignore = tuple(policy.get("ignore_patterns"))
        session = cls(binding, store, key, state, engine, sharing=sharing)
        if sharing is not None:
            engine.epochs_follower = functools.partial(_newer_epochs, sharing)
        engine.follower = SessionFollower(session)  # a moved vault is followed (app/move.py)
        return session

    async def close(self) -> None:
        self.state.close()
        await self.store.close()


async def open_folder(
    binding: Binding,
    read_secret: Callable[[], str | VaultSecret],
    *,
    note: Callable[[str], None],
) -> FolderSession:
    """Open with the key kept for this device, else with what `read_secret` gives.

    The passphrase is read only when no kept key opens the vault (issue 13: no
    Argon2id on a remembered device). A kept key that no longer opens is `note`d;
    if this computer still holds its device keys (the passphrase changed since it
    sealed its envelope), the vault opened with the new passphrase is sealed to
    it again, so the next run needs no passphrase.
    """
    try:
        session = await FolderSession.open_kept(binding, migrate=False)
    except CachedKeyRejected as exc:
        note(str(exc))
        session = None
    if session is not None:
        return session
    session = await FolderSession.open(binding, read_secret())
    if session.sharing is not None:
        return session  # format 2: a remembered device already has its own envelope
    assert session.unlocked is not None
    try:
        await device_key.keep_if_remembered(session.store, binding, session.unlocked)
    except KeyCacheUnavailable as exc:
        note(str(exc))
    return session


# --- format 2: the vault's epoch keys, this device's signing keys, the membership log --------


@dataclass
class Sharing:
    """A format-2 vault as this device opened it: what its engine and members service use."""

    ring: KeyRing  # every epoch key this device holds; `ring.now` seals new objects
    epochs: EpochKeys  # the store's statements and envelopes (writes new epochs)
    log: MembershipLog
    signer: DeviceKeys | None  # None: this device is not (or no longer) in the vault
    how: str  # "device", "identity" or "passphrase": what opened it
    root: VaultKey | None = field(default=None, repr=False)  # when the passphrase opened it
    identity: Identity | None = field(default=None, repr=False)  # when the identity did


def epoch_keys(store: Store, log: MembershipLog) -> EpochKeys:
    """The store's epoch keys, checked against the membership log as this device accepted it."""
    return EpochKeys(store, log.state.vault_id, log.history, log.state.position)


async def open_sharing(
    store: Store,
    binding: Binding,
    local: LocalState,
    read_secret: Callable[[], str | VaultSecret],
    *,
    note: Callable[[str], None],
) -> Sharing:
    """Open a format-2 vault: its ring through this device, else the passphrase or identity.

    1. A remembered device (app/device_key.py's marker) opens its own envelope:
       no passphrase.
    2. Otherwise `read_secret()` is asked once: the vault's passphrase slot gives
       the root R, whose envelope opens the newest epoch; a passphrase that is not
       the vault's may be the person's own, protecting their identity in a file
       (a member added by an owner never learns the vault's passphrase): that
       identity's envelope opens it then.
    The membership log is read first (anything new), so the envelopes are checked
    against the newest owners. This device's signing keys come from the keyring,
    else from its file under E1.
    """
    from sync_engine.vault.epoch_keys import EpochRefused

    from . import identity_store

    vault_id = bytes.fromhex(binding.vault_id)
    log = MembershipLog(store, local, vault_id)
    await log.read()
    epochs = epoch_keys(store, log)
    if device_key.is_remembered(binding):
        keys = await asyncio.to_thread(device_key.device_keys, binding, None)
        if keys is not None:
            try:
                ring = await epochs.open_with_device(keys)
                return Sharing(ring, epochs, log, keys, "device")
            except EpochRefused as exc:
                note(_describe(exc.reason))
    secret = as_secret(read_secret())
    try:  # a recovery's new passphrase is set by the caller, as a format-2 change
        opening = VaultSecret(secret.passphrase, secret.recovery_key)
        unlocked = await unlock_store(store, opening, vault_id=binding.vault_id)
    except WrongPassphrase:
        stored = identity_store.load()
        if stored is None or stored.kept_in != identity_store.IN_FILE or not secret.passphrase:
            raise
        passphrase = secret.passphrase
        try:
            identity = await asyncio.to_thread(identity_store.unlock, lambda: passphrase)
        except WrongPassphrase:
            raise WrongPassphrase() from None
        ring = await epochs.open_with_identity(identity)
        signer = await asyncio.to_thread(device_key.device_keys, binding, ring.key(1))
        return Sharing(ring, epochs, log, signer, "identity", identity=identity)
    ring = await epochs.open_with_root(unlocked.key)
    signer = await asyncio.to_thread(device_key.device_keys, binding, ring.key(1))
    return Sharing(ring, epochs, log, signer, "passphrase", root=unlocked.key)


def journal_positions(local: LocalState) -> dict[bytes, int]:
    """The newest segment seq this device accepted from each device, by device id."""
    return {bytes.fromhex(d): head.seq for d, head in local.accepted_heads().items()}


async def _reset_after_recovery(
    store: Store, binding: Binding, sharing: Sharing, given: list[VaultSecret]
) -> str | None:
    """After opening with the recovery key, set the new passphrase as a format-2 change
    (a new root and epoch: the forgotten passphrase opens nothing new); the new recovery
    key it makes, shown once."""
    import time

    from sync_engine.vault.vault_v2 import change_passphrase_v2

    from . import vault_epochs

    secret = given[0] if given else None
    if secret is None or not secret.is_recovery or secret.new_passphrase is None:
        return None
    assert sharing.root is not None and sharing.signer is not None
    changed = await change_passphrase_v2(
        store, await read_header_bytes(store), sharing.root, secret.new_passphrase,
        sharing.signer, sharing.log, int(time.time() * 1000),
    )  # fmt: skip
    vault_epochs.accept_epoch(binding.vault_id, parse_header(changed.header).epoch)
    sharing.ring, sharing.root = changed.ring, changed.root
    sharing.epochs.ring = changed.ring
    return changed.recovery_key


async def _newer_epochs(sharing: Sharing, ring: KeyRing) -> KeyRing | None:
    """The ring of an epoch the log started since `ring` was opened, through this device's
    own envelope; None while the log is at `ring`'s epoch (no I/O then) or while the new
    epoch's key is not published yet (its owner's device publishes it)."""
    from sync_engine.vault.epoch_keys import EpochRefused

    log = sharing.log
    log.catch_up()  # an entry written beside this session (coffre members, the Share dialog)
    if log.state.epoch <= ring.current or sharing.signer is None:
        return None
    sharing.epochs.seen(log.history, log.read_through)
    try:
        newer = await sharing.epochs.open_with_device(sharing.signer)
    except EpochRefused:
        return None
    if newer.current <= ring.current:
        return None
    sharing.ring = newer
    return newer


def _log_note(message: str) -> None:
    _log.info("%s", message)


def _describe(reason: Reason) -> str:
    from .messages import describe

    return describe(reason)


@dataclass
class MembersAccess:
    """A folder's `MembersService` with the store and local state it holds open."""

    service: MembersService
    store: Store
    local: LocalState

    async def close(self) -> None:
        self.local.close()
        await self.store.close()


def _my_public_identity() -> PublicIdentity | None:
    from . import identity_store

    try:
        stored = identity_store.load()
    except identity_store.IdentityError:
        stored = None
    return None if stored is None else stored.public


def session_members(session: FolderSession, me: PublicIdentity | None = None) -> MembersService:
    """The members service of an open format-2 folder: its own log, this device's keys and
    the epoch keys as the session opened them (the desktop app's running folder uses it, so
    the dialog and the engine share one log). `me`: this person's identity (read if None).
    Removing with re-encryption runs on the session's engine, under its lock."""
    from .members import MembersService
    from .reencrypt import reencrypter

    sharing = session.sharing
    if sharing is None:  # pragma: no cover - open_folder upgrades format 1
        raise AssertionError("a format-1 session")
    local = session.state
    service = MembersService(
        sharing.log, this_device=bytes.fromhex(session.binding.device_id),
        me=me or _my_public_identity(), signer=sharing.signer, epochs=sharing.epochs,
        positions=lambda: journal_positions(local),
    )  # fmt: skip
    service.reencrypt = reencrypter(session.engine)  # removal with `--reencrypt`
    service.read_journals = functools.partial(_read_journals, session.engine)
    return service


async def _read_journals(engine: Engine) -> None:
    """Pull the others' journals (as a round's first phase does), under the engine's lock."""
    async with engine.exclusive:
        await engine.journal.pull()


async def open_members(
    binding: Binding,
    *,
    keys: bool,
    read_secret: Callable[[], str | VaultSecret],
    note: Callable[[str], None],
) -> MembersAccess:
    """The folder's members service: listing only (`keys` False: no secret asked), or
    with this device's keys and the epoch keys opened as `coffre sync` opens them
    (`open_folder`: a remembered device, else the passphrase; a format-1 vault is
    upgraded then) for changes."""
    from .members import MembersService

    me = _my_public_identity()
    this_device = bytes.fromhex(binding.device_id)
    if keys:
        session = await open_folder(binding, read_secret, note=note)
        if session.sharing is None:  # pragma: no cover - open_folder upgrades format 1
            await session.close()
            raise AssertionError("a format-1 session")
        return MembersAccess(session_members(session, me), session.store, session.state)
    store = store_for(binding.store)
    local = LocalState(binding.state_path)
    log = MembershipLog(store, local, bytes.fromhex(binding.vault_id))
    return MembersAccess(MembersService(log, this_device=this_device, me=me), store, local)


async def change_folder_passphrase(
    binding: Binding, old: str | VaultSecret, new_passphrase: str, *, new_recovery_key: bool
) -> Unlocked:
    """Change the passphrase of the vault `binding` is synced with (CLI and app).

    Format 1: a new passphrase slot under a higher header epoch (app/unlock.py).
    Format 2 (sync_engine/vault/vault_v2.py): a new root R' with new slots and
    recovery key, and a rotate-key entry starting an epoch sealed to R' and to
    every current device and member, so the old passphrase opens nothing new;
    an owner's device only. The returned `Unlocked` holds R' and the new recovery key.
    """
    import time

    from sync_engine.vault.vault_v2 import change_passphrase_v2

    from . import vault_epochs
    from .unlock import change_store_passphrase

    store = store_for(binding.store)
    try:
        header_bytes = await read_header_bytes(store)
        if parse_header(header_bytes).version < 2:
            return await change_store_passphrase(
                store, old, new_passphrase, vault_id=binding.vault_id,
                new_recovery_key=new_recovery_key,
            )  # fmt: skip
    finally:
        await store.close()
    session = await FolderSession.open(binding, old)
    try:
        sharing = session.sharing
        assert sharing is not None and sharing.signer is not None
        root = sharing.root
        if root is None:  # opened by this device's own keys: the old passphrase gives R
            given = as_secret(old)
            opening = VaultSecret(given.passphrase, given.recovery_key)
            root = (await unlock_store(session.store, opening, vault_id=binding.vault_id)).key
        header_bytes = await read_header_bytes(session.store)
        changed = await change_passphrase_v2(
            session.store, header_bytes, root, new_passphrase, sharing.signer,
            sharing.log, int(time.time() * 1000),
        )  # fmt: skip
    finally:
        await session.close()
    header = parse_header(changed.header)
    vault_epochs.accept_epoch(binding.vault_id, header.epoch)
    return Unlocked(changed.root, header.epoch, changed.recovery_key, header.vault_language)
