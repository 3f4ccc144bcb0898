"""Setting up a synced folder: test a store, create a vault or join one, bind the folder.

Shared by `coffre init`/`join` and the GUI setup wizard, so both check the
same things in the same order and say the same thing when something is wrong.
Secrets never reach a file: credentials given here (or a password typed into
a WebDAV address) go to the OS keyring, and the binding keeps only the
printable address.
"""

from __future__ import annotations

import asyncio
import contextlib
import locale
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from crypto.header import LANGUAGES as VAULT_LANGUAGES
from crypto.keyring import KeyRing
from crypto.reason import Reason
from sync_engine.disk.localfs import DiskFs
from sync_engine.stores.backoff import RetryPolicy
from sync_engine.stores.base import Store
from sync_engine.stores.credentials import StoreCredentials, WebDavCredentials
from sync_engine.stores.errors import (
    ObjectNotFound,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreProblem,
    StoreUnavailable,
)
from sync_engine.stores.local import LocalStore
from sync_engine.stores.open_store import open_store
from sync_engine.stores.url import LocalSpec, StoreSpec, WebDavSpec, parse_store_url
from sync_engine.vault.vault_store import (
    HEADER_KEY,
    SetupProblem,
    VaultSetupError,
)

from . import credentials as creds_mod
from . import device_key
from .folders import Binding, BindingError, find_binding, new_binding, save_binding
from .paths import coffre_home, default_store_dir, ensure_private_dir
from .policy.model import ensure_store_allowed, refusal_message, store_refusal
from .policy.sources import load_policy
from .unlock import Unlocked, VaultSecret, as_secret, unlock_store

# A connection test answers at once: the resilient wrapper must not retry for minutes.
_CHECK_POLICY = RetryPolicy(max_attempts=1)


@dataclass(frozen=True)
class ConnectionCheck:
    """The verdict of a connection test, for the wizard's page and `coffre` messages."""

    ok: bool
    # "" | "unreachable" | "auth" | "missing_bucket" | "not_found" | "not_empty" | "no_vault"
    # | "config" | "policy" (the organisation's policy forbids this store)
    problem: str
    message: str  # English, actionable, no secrets
    reason: Reason | None = None  # the store's typed reason when it failed (app/messages.py)


@dataclass(frozen=True)
class SetupResult:
    binding: Binding
    recovery_key: str | None  # only when a vault was created
    # The vault as opened (key, header epoch): what remembering the vault on this computer
    # seals to the device (app/device_key.py); None when the person's identity opened it.
    unlocked: Unlocked | None = field(default=None, repr=False)
    ring: KeyRing | None = field(default=None, repr=False)  # the epoch keys it holds
    remembered: bool = False  # this device opens the vault by itself (its keys in the keyring)


def default_store_path() -> Path:
    """The embedded default store: a folder store under the app data directory."""
    return default_store_dir()


def stored_address(address: str) -> str:
    """What the binding keeps: the address as given for a folder, the printable URL otherwise.

    A password typed into a WebDAV address is dropped here (it goes to the keyring).
    """
    spec = parse_store_url(address)
    return address.strip() if isinstance(spec, LocalSpec) else spec.url


def credentials_for(spec: StoreSpec, given: StoreCredentials | None) -> StoreCredentials | None:
    """The credentials to use: those given, else the address's password, environment, keyring."""
    if given is not None:
        return given
    return creds_mod.load_credentials(spec)


def _explicit(spec: StoreSpec, given: StoreCredentials | None) -> StoreCredentials | None:
    """Credentials that came from the person now (to be kept in the keyring), not from storage."""
    if given is not None:
        return given
    if isinstance(spec, WebDavSpec) and spec.password is not None:
        return WebDavCredentials(user=spec.user, password=spec.password)
    return None


# --- the connection test ---------------------------------------------------------------------


def _classify(exc: StoreError, spec: StoreSpec) -> ConnectionCheck:
    from sync_engine.stores.s3 import MissingBucket  # lazily: no HTTP stack for folder stores

    if isinstance(exc, MissingBucket):
        return ConnectionCheck(False, "missing_bucket", str(exc), exc.reason)
    if isinstance(exc, StoreAuthError):
        return ConnectionCheck(False, "auth", str(exc), exc.reason)
    if isinstance(exc, StoreUnavailable):
        problem = "not_found" if isinstance(spec, LocalSpec) else "unreachable"
        return ConnectionCheck(False, problem, str(exc), exc.reason)
    return ConnectionCheck(False, "config", str(exc), exc.reason)


async def check_connection(
    address: str, credentials: StoreCredentials | None, *, for_create: bool
) -> ConnectionCheck:
    """Can a vault be created here (`for_create`), or is there a vault to join?

    For a new vault the store must be reachable, writable and empty; a folder
    that does not exist yet is fine, `create_vault` makes it. Nothing is left
    behind: the write test removes its object.
    """
    try:
        spec = parse_store_url(address)
    except StoreConfigError as exc:
        return ConnectionCheck(False, "config", str(exc))
    refusal = store_refusal(load_policy(), address, creating=for_create)
    if refusal is not None:
        return ConnectionCheck(False, "policy", refusal_message(refusal), refusal)
    if isinstance(spec, LocalSpec) and not spec.path.exists():
        if for_create:
            return ConnectionCheck(True, "", f"The folder {spec.path} will be created.")
        return ConnectionCheck(
            False,
            "not_found",
            f"The folder {spec.path} does not exist. Check the path; for a network share, "
            "check that it is mounted.",
            Reason.of(StoreProblem.FOLDER_MISSING, url=spec.url),
        )
    try:
        creds = credentials_for(spec, credentials)
        store = _open(spec, creds, policy=_CHECK_POLICY)
    except StoreError as exc:
        return _classify(exc, spec)
    try:
        return await _check_store(store, for_create=for_create)
    except StoreError as exc:
        return _classify(exc, spec)
    finally:
        await store.close()


async def _check_store(store: Store, *, for_create: bool) -> ConnectionCheck:
    if not for_create:
        try:
            await store.head(HEADER_KEY)
        except ObjectNotFound:
            return ConnectionCheck(
                False,
                "no_vault",
                f"There is no Coffre vault at {store.url}. Check the address, or create a "
                "new vault there instead.",
                Reason.of(SetupProblem.NO_VAULT, url=store.url),
            )
        return ConnectionCheck(True, "", f"A Coffre vault was found at {store.url}.")
    existing = await store.list("")
    if existing:
        holds = "vault" if any(o.key == HEADER_KEY for o in existing) else "other"
        what = "a Coffre vault" if holds == "vault" else "other data"
        return ConnectionCheck(
            False,
            "not_empty",
            f"The store {store.url} is not empty (it holds {what}). Create a vault in an "
            "empty location, or join the existing vault instead.",
            Reason.of(SetupProblem.NOT_EMPTY, holds=holds, url=store.url),
        )
    probe = f"coffre-write-test-{secrets.token_hex(8)}"
    await store.put(probe, b"write test")
    await store.delete(probe)
    return ConnectionCheck(True, "", f"The store {store.url} is reachable, writable and empty.")


# --- create / join ---------------------------------------------------------------------------


def prepare_folder(folder: str | Path) -> Path:
    """The folder's absolute path, created if missing; refuses a file and a bound folder."""
    path = Path(folder).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise BindingError(f"{path} exists and is not a folder. Choose a folder.")
    path.mkdir(parents=True, exist_ok=True)
    ensure_not_bound(path)
    return path


def ensure_not_bound(folder: Path) -> None:
    try:
        existing = find_binding(folder)
    except BindingError:
        return
    raise BindingError(f"{folder} is already synced with {existing.store}.")


def _open(
    spec: StoreSpec, creds: StoreCredentials | None, *, policy: RetryPolicy | None = None
) -> Store:
    return open_store(spec, creds, policy=policy)


async def _open_for_create(spec: StoreSpec, creds: StoreCredentials | None) -> Store:
    if isinstance(spec, LocalSpec) and not spec.path.exists():
        return await LocalStore.create(spec.path, parents=True)
    return _open(spec, creds)


@contextlib.contextmanager
def _keyring_entry(spec: StoreSpec, explicit: StoreCredentials | None) -> Iterator[None]:
    """Save `explicit` credentials first (a keyring problem then stops us before the store
    is touched); put back what was there if the operation fails."""
    if explicit is None or isinstance(spec, LocalSpec):
        yield
        return
    import keyring  # here: ~0.1 s to import, and folder stores never need it
    import keyring.errors

    try:
        previous = keyring.get_password(creds_mod.SERVICE, spec.url)
    except keyring.errors.KeyringError:
        previous = None  # save_credentials below reports the problem clearly
    creds_mod.save_credentials(spec, explicit)
    try:
        yield
    except BaseException:
        with contextlib.suppress(keyring.errors.KeyringError):
            if previous is None:
                creds_mod.delete_credentials(spec)
            else:
                keyring.set_password(creds_mod.SERVICE, spec.url, previous)
        raise


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The vault language the system locale suggests: "fr" for a French locale, else "en".

    POSIX order: LC_ALL, then LC_MESSAGES, then LANG; else Python's locale (Windows).
    """
    env = os.environ if environ is None else environ
    name = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    if not name and environ is None:
        name = locale.getlocale()[0] or ""
    code = name.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in VAULT_LANGUAGES else "en"


async def create_vault(
    folder: Path,
    address: str,
    credentials: StoreCredentials | None,
    passphrase: str,
    device_name: str | None = None,
    language: str | None = None,
) -> SetupResult:
    """Create a format-2 vault in an empty store and bind `folder` to it as a new device.

    The person's identity (made now if this computer has none) owns it; this
    device is in its membership log from the start (app/setup_v2.py). The
    organisation's policy is checked first: a store it forbids raises
    PolicyForbids (a StoreConfigError) before anything is touched.
    `language` ("fr", "en"; the system's when None) names conflict copies for good.
    """
    from . import setup_v2

    ensure_private_dir(coffre_home())  # before the default store is made inside it
    spec = parse_store_url(address)
    ensure_store_allowed(load_policy(), address, creating=True)
    path = prepare_folder(folder)
    plan = new_binding(path, stored_address(address), "", device_name)
    explicit = _explicit(spec, credentials)
    chosen = language or system_language()
    with _keyring_entry(spec, explicit), _planned(plan):
        store = await _open_for_create(spec, credentials_for(spec, explicit))
        try:
            root, ring, recovery_key = await setup_v2.create(
                store, plan, passphrase, language=chosen
            )
        finally:
            await store.close()
    binding = _save(replace(plan, vault_id=root.vault_id.hex()))
    unlocked = Unlocked(root, 0, language=chosen)  # a new header's epoch is 0
    return SetupResult(binding=binding, recovery_key=recovery_key, unlocked=unlocked, ring=ring)


@contextlib.contextmanager
def _planned(plan: Binding) -> Iterator[None]:
    """The planned binding's directory (its state.db holds the log from the start); removed
    again if the vault could not be made or joined, so nothing half-bound stays."""
    ensure_private_dir(plan.directory)
    try:
        yield
    except BaseException:
        shutil.rmtree(plan.directory, ignore_errors=True)
        raise


def _save(binding: Binding) -> Binding:
    saved = save_binding(binding)
    DiskFs(saved.folder).write_root_marker()
    return saved


async def check_secret(
    address: str, credentials: StoreCredentials | None, secret: VaultSecret
) -> None:
    """Raise unless `secret` opens the store's vault (WrongPassphrase, InvalidRecoveryKey,
    StaleVaultHeader...). Changes nothing: a recovery's new passphrase is set by join."""
    spec = parse_store_url(address)
    store = _open(spec, credentials_for(spec, credentials))
    try:
        await unlock_store(store, VaultSecret(secret.passphrase, secret.recovery_key))
    finally:
        await store.close()


async def join_vault(
    folder: Path,
    address: str,
    credentials: StoreCredentials | None,
    passphrase: str | VaultSecret | None,
    device_name: str | None = None,
) -> SetupResult:
    """Open the store's vault for a new device and bind `folder` to it.

    Through the person's identity when an owner added it (no passphrase needed,
    and this device is then remembered: it has no other way in), else the
    passphrase (`None`: none was given), else `NotAdded` with the card to send
    (app/setup_v2.py, app/join_decision.py). With the recovery key (and a new
    passphrase), the passphrase is reset first. A format-1 vault is upgraded.
    """
    from . import setup_v2

    ensure_private_dir(coffre_home())
    spec = parse_store_url(address)
    ensure_store_allowed(load_policy(), address)
    path = prepare_folder(folder)
    plan = new_binding(path, stored_address(address), "", device_name)
    secret = None if passphrase is None else as_secret(passphrase)
    explicit = _explicit(spec, credentials)
    with _keyring_entry(spec, explicit), _planned(plan):
        store = _open(spec, credentials_for(spec, explicit))
        try:
            opened, joined = await setup_v2.join(store, plan, secret)
        finally:
            await store.close()
    binding = _save(opened)
    remembered = False
    if joined.how == "identity":
        remembered = await asyncio.to_thread(device_key.remember_if_kept, binding)
    unlocked = None if joined.root is None else Unlocked(joined.root, 0)
    return SetupResult(
        binding=binding, recovery_key=None, unlocked=unlocked, ring=joined.ring,
        remembered=remembered,
    )  # fmt: skip


__all__ = [
    "ConnectionCheck",
    "SetupResult",
    "VaultSetupError",
    "check_connection",
    "check_secret",
    "create_vault",
    "default_store_path",
    "join_vault",
]
