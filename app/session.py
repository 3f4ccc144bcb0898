"""Opening a bound folder for work: its store, its vault key, its local state, its engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crypto.keys import VaultKey
from sync_engine.core.actions import PlanLimits
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine
from sync_engine.stores.base import Store
from sync_engine.stores.open_store import open_store
from sync_engine.stores.url import parse_store_url
from sync_engine.vault.state import LocalState
from sync_engine.vault.vault_store import SetupProblem, VaultSetupError

from . import device_key
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
    unlock_store,
    unlock_with_key,
)


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
    key: VaultKey
    state: LocalState
    engine: Engine
    # How the vault was opened: its header epoch, and a new recovery key when a recovery
    # replaced it (shown once, then forgotten).
    unlocked: Unlocked | None = None

    @classmethod
    async def open(cls, binding: Binding, secret: str | VaultSecret) -> FolderSession:
        """Unlock with a passphrase, or the recovery key (which then sets a new passphrase)."""
        store = store_for(binding.store)
        try:
            unlocked = await unlock_store(store, secret, vault_id=binding.vault_id)
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
        session = cls._start(binding, store, unlocked.key, unlocked.language)
        session.unlocked = unlocked
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

        `CachedKeyRejected` if one was kept but no longer opens the vault (this
        device was forgotten, the passphrase changed): ask the passphrase then.
        """
        if not migrate and not device_key.is_remembered(binding):
            return None  # never remembered here: no store, no keyring round trip
        store = store_for(binding.store)
        try:
            unlocked = await device_key.recall(store, binding, migrate=migrate)
        except BaseException:
            await store.close()
            raise
        if unlocked is None:
            await store.close()
            return None
        session = cls._start(binding, store, unlocked.key, unlocked.language)
        session.unlocked = unlocked
        return session

    async def keep_key(self) -> None:
        """Remember the vault on this computer: device keys and an envelope (app/device_key.py).

        KeyCacheUnavailable if the keyring cannot keep the device's key.
        """
        assert self.unlocked is not None, "a session knows how it was opened"
        await device_key.keep(self.store, self.binding, self.unlocked)

    async def forget_key(self) -> None:
        """Forget this computer: its envelope on the store, its keys in the keyring."""
        await device_key.forget(self.store, self.binding)

    @classmethod
    def _start(cls, binding: Binding, store: Store, key: VaultKey, language: str) -> FolderSession:
        policy = load_policy()
        state = LocalState(binding.state_path)
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
        )
        engine.enforced_ignore = tuple(policy.get("ignore_patterns"))
        session = cls(binding, store, key, state, engine)
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
    assert session.unlocked is not None
    try:
        await device_key.keep_if_remembered(session.store, binding, session.unlocked)
    except KeyCacheUnavailable as exc:
        note(str(exc))
    return session
