"""The setup wizard's logic, without widgets: what was chosen, what is valid, what to run.

Pages read and write a `SetupModel`; every rule (address building, field
checks, the local folder check, the recovery key confirmation, which setup
call to make) lives here and is tested without a window. Problems are codes;
the pages turn them into translated sentences.
"""

from __future__ import annotations

import enum
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.folders import all_bindings
from app.passphrase_form import PassphraseForm
from app.passphrase_strength import Strength, estimate
from app.paths import default_sync_folder
from app.policy.model import Policy
from app.unlock import VaultSecret
from sync_engine.stores.credentials import (
    S3Credentials,
    Secret,
    StoreCredentials,
    WebDavCredentials,
)
from sync_engine.stores.errors import StoreConfigError
from sync_engine.stores.url import LocalSpec, S3Spec, StoreSpec, parse_store_url


class Mode(enum.Enum):
    DEFAULT = "default"  # create a vault in the embedded folder store, sync ~/Coffre
    CREATE = "create"
    JOIN = "join"


class StoreKind(enum.Enum):
    FOLDER = "folder"  # a local disk or a mounted network share
    S3 = "s3"
    WEBDAV = "webdav"


class FormError(ValueError):
    """A field that is missing or malformed: `field` names it, `code` says what is wrong."""

    def __init__(self, field_name: str, code: str, detail: str = "") -> None:
        super().__init__(f"{field_name}: {code}")
        self.field = field_name
        self.code = code
        self.detail = detail  # English, technical: shown only as a detail


@dataclass
class StoreForm:
    """What the store page's fields hold."""

    kind: StoreKind = StoreKind.FOLDER
    folder: str = ""
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_prefix: str = ""
    s3_region: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = field(default="", repr=False)
    webdav_url: str = ""
    webdav_user: str = ""
    webdav_password: str = field(default="", repr=False)
    # The organisation's store (policy store_url): the address is not the person's to
    # type; only credentials may be asked, when the keyring does not hold them.
    fixed_address: str = ""

    @classmethod
    def for_policy(cls, address: str) -> StoreForm:
        """The form for the policy's store: fields shown filled in, the address fixed."""
        spec = parse_store_url(address)
        form = cls(fixed_address=address)
        if isinstance(spec, LocalSpec):
            form.kind, form.folder = StoreKind.FOLDER, str(spec.path)
        elif isinstance(spec, S3Spec):
            form.kind, form.s3_bucket, form.s3_prefix = StoreKind.S3, spec.bucket, spec.prefix
            form.s3_endpoint, form.s3_region = spec.endpoint or "", spec.region or ""
        else:
            form.kind, form.webdav_url = StoreKind.WEBDAV, spec.base_url
            form.webdav_user = spec.user or ""
        return form

    def spec(self) -> StoreSpec:
        """The typed store address, or FormError for the first field to fix."""
        if self.fixed_address:
            return parse_store_url(self.fixed_address)
        if self.kind is StoreKind.FOLDER:
            text = self.folder.strip()
            if not text:
                raise FormError("folder", "required")
            path = Path(text).expanduser()
            if not path.is_absolute():
                raise FormError("folder", "relative")
            return LocalSpec(path)
        if self.kind is StoreKind.S3:
            return self._s3_spec()
        return self._webdav_spec()

    def _s3_spec(self) -> S3Spec:
        endpoint = self.s3_endpoint.strip().rstrip("/")
        if not endpoint:
            raise FormError("s3_endpoint", "required")
        if "://" not in endpoint:
            endpoint = "https://" + endpoint
        for name, value in (("s3_bucket", self.s3_bucket), ("s3_access_key", self.s3_access_key)):
            if not value.strip():
                raise FormError(name, "required")
        if not self.s3_secret_key:
            raise FormError("s3_secret_key", "required")
        prefix = "/".join(p for p in self.s3_prefix.strip().split("/") if p)
        query = f"endpoint={endpoint}"
        if self.s3_region.strip():
            query += f"&region={self.s3_region.strip()}"
        address = f"s3://{self.s3_bucket.strip()}/{prefix}?{query}"
        try:
            spec = parse_store_url(address)
        except StoreConfigError as exc:
            wrong = "s3_bucket"
            text = str(exc).lower()
            if "endpoint" in text:
                wrong = "s3_endpoint"
            elif "region" in text:
                wrong = "s3_region"
            elif "path" in text:
                wrong = "s3_prefix"
            raise FormError(wrong, "invalid", str(exc)) from None
        assert isinstance(spec, S3Spec)
        return spec

    def _webdav_spec(self) -> StoreSpec:
        url = self.webdav_url.strip()
        if not url:
            raise FormError("webdav_url", "required")
        if "://" not in url:
            url = "https://" + url
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("http", "https"):
            url = ("webdavs" if scheme == "https" else "webdav") + url[len(scheme) :]
        try:
            spec = parse_store_url(url)
        except StoreConfigError as exc:
            raise FormError("webdav_url", "invalid", str(exc)) from None
        if isinstance(spec, LocalSpec | S3Spec):
            raise FormError("webdav_url", "invalid")
        return spec

    def address(self) -> str:
        """The printable address saved in the folder's binding (no secret in it)."""
        spec = self.spec()
        if isinstance(spec, LocalSpec):
            return str(spec.path)
        return spec.url

    def credentials(self) -> StoreCredentials | None:
        """The secrets for a network store (for the keyring, never for a file)."""
        typed = bool(self.s3_access_key.strip() and self.s3_secret_key)
        if self.fixed_address and self.kind is StoreKind.S3 and not typed:
            return None  # from the keyring or the environment, as IT arranged
        if self.kind is StoreKind.S3:
            return S3Credentials(self.s3_access_key.strip(), Secret(self.s3_secret_key))
        if self.kind is StoreKind.WEBDAV:
            user = self.webdav_user.strip() or None
            password = Secret(self.webdav_password) if self.webdav_password else None
            if user is None and password is None:
                return None
            return WebDavCredentials(user=user, password=password)
        return None


@dataclass(frozen=True)
class FolderCheck:
    """The local folder page's verdict: `problem` blocks, `not_empty` only warns."""

    path: Path | None
    problem: str = (
        ""  # "" | "required" | "relative" | "not_a_folder" | "already_synced" | "inside_store"
    )
    not_empty: bool = False
    entries: int = 0


def check_local_folder(text: str, store: StoreSpec | None = None) -> FolderCheck:
    raw = text.strip()
    if not raw:
        return FolderCheck(None, "required")
    path = Path(raw).expanduser()
    if not path.is_absolute():
        return FolderCheck(path, "relative")
    path = path.resolve()
    if path.exists() and not path.is_dir():
        return FolderCheck(path, "not_a_folder")
    if any(Path(b.folder) == path for b in all_bindings()):
        return FolderCheck(path, "already_synced")
    if isinstance(store, LocalSpec):
        store_path = store.path.expanduser().resolve()
        if path == store_path or store_path in path.parents or path in store_path.parents:
            return FolderCheck(path, "inside_store")
    entries = 0
    if path.is_dir():
        with os.scandir(path) as it:
            for entry in it:
                if entry.name != ".coffre-root":
                    entries += 1
                    if entries >= 1000:
                        break
    return FolderCheck(path, "", not_empty=entries > 0, entries=entries)


def recovery_last_group(recovery_key: str) -> str:
    return recovery_key.replace(" ", "").split("-")[-1].upper()


def recovery_confirmed(recovery_key: str, typed: str) -> bool:
    """The person retyped the key's last group (case, spaces and dashes forgiven)."""
    cleaned = "".join(c for c in typed.upper() if c.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    expected = recovery_last_group(recovery_key).replace("O", "0").replace("I", "1")
    return bool(recovery_key) and cleaned == expected.replace("L", "1")


def default_device_name() -> str:
    return socket.gethostname() or "device"


@dataclass
class SetupModel:
    """Everything the wizard collects, and the calls that act on it."""

    mode: Mode = Mode.DEFAULT
    store: StoreForm = field(default_factory=StoreForm)
    passphrase: str = field(default="", repr=False)
    passphrase_again: str = field(default="", repr=False)
    remember_key: bool = False  # keep the vault key in the OS keyring (app/key_cache.py)
    local_folder: str = ""
    device_name: str = field(default_factory=default_device_name)
    connection_ok_for: str | None = None  # the address the last successful test was for
    binding: Any = None  # app.folders.Binding once done
    recovery_key: str = field(default="", repr=False)
    # Joining with the recovery key instead of the forgotten passphrase (a new one is set).
    recovering: bool = False
    recovery: PassphraseForm = field(default_factory=lambda: PassphraseForm(recovering=True))
    # What the passphrase page last checked against the store: (address, secret).
    verified_for: tuple[str, object] | None = field(default=None, repr=False)
    vault_language: str = "en"  # a new vault's language (the interface's): names conflict copies
    managed: bool = False  # the organisation's policy names the store (apply_policy)
    folder_fixed: bool = False  # ... and forbids another folder location
    skip_welcome: bool = False  # ... and hides the wizard: only what the person must give

    def apply_policy(self, policy: Policy) -> None:
        """Preset what the organisation's policy decides; the person gives only the rest.

        With a store address in the policy the store is not asked: the wizard
        tests it, joins its vault or, when there is none yet, creates it.
        """
        folder = policy.default_folder()
        if folder is not None:
            self.local_folder = str(folder)
        self.folder_fixed = bool(policy.get("disable_custom_folder")) and folder is not None
        address = policy.store_url()
        if not address:
            return
        self.store = StoreForm.for_policy(address)
        self.mode = Mode.JOIN  # until the connection test finds no vault there
        self.managed = True
        self.skip_welcome = bool(policy.get("hide_setup_wizard"))
        if not self.local_folder:
            self.local_folder = str(default_sync_folder())

    @property
    def creating(self) -> bool:
        return self.mode is not Mode.JOIN

    def use_default(self) -> None:
        """The one-click choice: a new vault in a folder store under the app data directory."""
        self.mode = Mode.DEFAULT
        self.store = StoreForm(kind=StoreKind.FOLDER, folder=str(default_store_path()))
        self.local_folder = str(default_sync_folder())
        self.connection_ok_for = None

    def choose(self, mode: Mode) -> None:
        if self.managed:
            return  # the organisation's store: the connection test decides join or create
        if mode is Mode.DEFAULT:
            self.use_default()
            return
        if self.mode is Mode.DEFAULT:
            self.store = StoreForm()
        self.mode = mode
        if not self.local_folder:
            self.local_folder = str(default_sync_folder())
        self.connection_ok_for = None

    def strength(self) -> Strength:
        return estimate(self.passphrase)

    def passphrase_problem(self) -> str:
        """ "" when the passphrase may be used; else "required", "weak" or "mismatch"
        (or, joining with the recovery key, a code of app.passphrase_form)."""
        if not self.creating and self.recovering:
            return self.recovery.problem()
        if not self.passphrase:
            return "required"
        if self.creating:
            if not self.strength().acceptable:
                return "weak"
            if self.passphrase != self.passphrase_again:
                return "mismatch"
        return ""

    def connection_tested(self) -> bool:
        try:
            return self.connection_ok_for == self.store.address()
        except FormError:
            return False

    async def check_connection(self) -> Any:
        """The setup module's ConnectionCheck for the current store fields."""
        from app import setup

        address, credentials = self.store.address(), self.store.credentials()
        if not self.managed:
            return await setup.check_connection(address, credentials, for_create=self.creating)
        # The organisation's store: join its vault, or create it on the first computer.
        self.mode = Mode.JOIN
        found = await setup.check_connection(address, credentials, for_create=False)
        if found.ok or found.problem not in ("no_vault", "not_found"):
            return found
        self.mode = Mode.CREATE
        return await setup.check_connection(address, credentials, for_create=True)

    def join_secret(self) -> VaultSecret:
        """What opens the vault when joining: the passphrase, or the recovery key and the new
        passphrase that replaces the forgotten one."""
        if self.recovering:
            return self.recovery.secret()
        return VaultSecret(passphrase=self.passphrase)

    def secret_verified(self) -> bool:
        try:
            wanted = (self.store.address(), self.join_secret().opening_key())
        except (FormError, ValueError):
            return False
        return self.verified_for == wanted

    async def verify_secret(self) -> None:
        """Open the vault with what was typed, on the passphrase page, so a wrong passphrase
        (or recovery key) is said there, not after the folder is chosen. Nothing is written."""
        from app import setup

        secret = self.join_secret()
        address = self.store.address()
        await setup.check_secret(address, self.store.credentials(), secret)
        self.verified_for = (address, secret.opening_key())

    async def run(self) -> Any:
        """Create or join the vault and bind the local folder; returns the SetupResult."""
        from app import setup

        folder = Path(self.local_folder).expanduser()
        address = self.store.address()
        credentials = self.store.credentials()
        name = self.device_name.strip() or None
        if self.creating:
            result = await setup.create_vault(
                folder, address, credentials, self.passphrase, name, self.vault_language
            )
        else:
            secret = self.join_secret()
            result = await setup.join_vault(folder, address, credentials, secret, name)
            if secret.new_passphrase is not None:
                self.passphrase = secret.new_passphrase  # what opens the vault from now on
        # app.setup keeps the credentials in the OS keyring itself.
        self.binding = result.binding
        self.recovery_key = getattr(result, "recovery_key", "") or ""
        return result


def default_store_path() -> Path:
    """The embedded default store, under the app data directory."""
    from app import setup

    return setup.default_store_path()
