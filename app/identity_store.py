"""Where this computer keeps its person's identity: the OS keyring, else a passphrase-wrapped file.

Two parts, because showing an identity must not need its secret:

- `<COFFRE_HOME>/identity.json` (0600): the public side — the identity id, the
  name and the self-signed identity card — and where the private keys are
  (`"keyring"` or `"file"`). `coffre identity show` reads only this, and
  re-checks the card's self-signature each time.
- The private keys (`crypto.identity.Identity.to_bytes()`): in the OS keyring,
  service `coffre-identity` (`COFFRE_IDENTITY_SERVICE` names another, for tests
  and portable installs), entry = the identity id in hex, the bytes in hex;
  or, when no keyring can keep them, in `<COFFRE_HOME>/identity-<id hex>.key` (0600),
  wrapped under the person's passphrase with Argon2id + AES-256-GCM
  (`crypto.identity.wrap_identity`, the same bytes as the copy kept in each
  store). docs/FORMAT.md gives the layouts.

Creating writes the private keys first and the public file last, so an
interruption leaves either the old identity whole or the new one whole; a
replaced identity's keys are deleted only after the new one is recorded.

A device's own keys for a vault (`crypto.device.DeviceKeys`) live in the
keyring only, service `coffre-device` (`COFFRE_DEVICE_SERVICE`), entry
`hex(vault id) | hex(device id)`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crypto.device import DeviceKeys
from crypto.errors import CoffreCryptoError, TamperedData
from crypto.identity import (
    Identity,
    PublicIdentity,
    make_card,
    parse_card,
    unwrap_identity,
    wrap_identity,
)
from crypto.kdf import DEFAULT, Argon2Params

from .paths import coffre_home, ensure_private_dir

SERVICE = "coffre-identity"
SERVICE_ENV = "COFFRE_IDENTITY_SERVICE"
INFO_FILE = "identity.json"
FORMAT = 1
IN_KEYRING, IN_FILE = "keyring", "file"
KEYRING_ATTEMPTS = 3

log = logging.getLogger(__name__)

PassphraseSource = Callable[[], str]


class IdentityError(Exception):
    """A problem with this computer's identity; the message says what to do."""


class NoIdentity(IdentityError):
    def __init__(self) -> None:
        super().__init__(
            "This computer has no Coffre identity yet. Create one with "
            '`coffre identity create --name "Your Name"`.'
        )


class IdentityExists(IdentityError):
    def __init__(self, stored: StoredIdentity) -> None:
        super().__init__(
            f"This computer already has an identity: {stored.name} ({stored.identity_id.hex()}). "
            "Replacing it makes your colleagues' copies of your card useless (they would have "
            "to add you again); to do so anyway, add --replace."
        )


class KeyringUnavailable(IdentityError):
    """The OS keyring cannot keep a secret (none running, locked, refused)."""


class IdentityDamaged(IdentityError):
    """The identity files or keyring entry do not fit together; nothing is overwritten."""


def service() -> str:
    return os.environ.get(SERVICE_ENV, "").strip() or SERVICE


def _home() -> Path:
    return coffre_home()


def _info_path() -> Path:
    return _home() / INFO_FILE


def _key_path(identity_id: bytes) -> Path:
    """One file per identity, so a replacement never overwrites the keys still recorded."""
    return _home() / f"identity-{identity_id.hex()}.key"


@dataclass(frozen=True)
class StoredIdentity:
    """The public side of this computer's identity, as `identity.json` records it."""

    public: PublicIdentity
    card: str
    kept_in: str  # IN_KEYRING or IN_FILE

    @property
    def identity_id(self) -> bytes:
        return self.public.identity_id

    @property
    def name(self) -> str:
        return self.public.name

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def load() -> StoredIdentity | None:
    """This computer's identity (public side), or None if there is none.

    `IdentityDamaged` if the file cannot be read as written or its card fails its
    own checks (the card is re-verified on every read).
    """
    path = _info_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
        card, kept_in, id_hex = data["card"], data["kept_in"], data["id"]
        if data.get("format") != FORMAT or kept_in not in (IN_KEYRING, IN_FILE):
            raise ValueError("unknown format or storage")
        public = parse_card(card)
    except (ValueError, KeyError, TypeError, CoffreCryptoError) as exc:
        raise IdentityDamaged(
            f"The identity file {path} is damaged ({exc}). Nothing was changed; restore it "
            "from a backup, or create a new identity with `coffre identity create --replace`."
        ) from None
    if public.identity_id.hex() != id_hex:
        raise IdentityDamaged(f"The identity file {path} names another identity than its card.")
    return StoredIdentity(public, card, kept_in)


def create(
    name: str,
    passphrase: PassphraseSource,
    *,
    replace: bool = False,
    params: Argon2Params = DEFAULT,
) -> StoredIdentity:
    """Make a new identity and keep it: keyring first, else a file under `passphrase()`.

    `passphrase` is called only when the keyring cannot keep the keys. Without
    `replace`, an existing identity is `IdentityExists` and a damaged record is
    `IdentityDamaged`: nothing is overwritten unless asked.
    """
    return adopt(Identity.generate(name), passphrase, replace=replace, params=params)


def adopt(
    identity: Identity,
    passphrase: PassphraseSource,
    *,
    replace: bool = False,
    params: Argon2Params = DEFAULT,
) -> StoredIdentity:
    """Keep `identity` as this computer's (one made here, or the copy a store held).

    Same rules as `create`: keyring first, else a file under `passphrase()`; an
    existing other identity is `IdentityExists` unless `replace`.
    """
    old = load() if not replace else _load_for_replace()
    if old is not None and not replace:
        if old.identity_id == identity.identity_id:
            return old  # kept already
        raise IdentityExists(old)
    kept_in = _keep_private(identity, passphrase, params)
    card = make_card(identity)
    ensure_private_dir(_home())
    record = {
        "format": FORMAT,
        "id": identity.identity_id.hex(),
        "name": identity.name,
        "kept_in": kept_in,
        "card": card,
    }
    _write_private(_info_path(), (json.dumps(record, indent=2) + "\n").encode())
    if old is not None and old.identity_id != identity.identity_id:
        _retire(old)
    return StoredIdentity(identity.public, card, kept_in)


def _load_for_replace() -> StoredIdentity | None:
    try:
        return load()
    except IdentityDamaged:
        if _info_path().exists():
            log.warning("a damaged identity file is being replaced")
        return None


def _keep_private(identity: Identity, passphrase: PassphraseSource, params: Argon2Params) -> str:
    import keyring  # here, not at the top: it costs ~0.1 s
    import keyring.errors

    entry, secret = identity.identity_id.hex(), identity.to_bytes().hex()
    for _ in range(KEYRING_ATTEMPTS):
        try:
            keyring.set_password(service(), entry, secret)
            # Read back: a Secret Service filled by two processes at once can lose a write.
            if keyring.get_password(service(), entry) == secret:
                return IN_KEYRING
        except keyring.errors.KeyringError as exc:
            log.info("the keyring cannot keep the identity (%s): using a file", type(exc).__name__)
            break
    else:
        log.warning("the keyring did not keep the identity; it is kept in a file")
    wrapped = wrap_identity(identity, passphrase(), params)
    ensure_private_dir(_home())
    _write_private(_key_path(identity.identity_id), wrapped)
    return IN_FILE


def _write_private(path: Path, data: bytes) -> None:
    """Replace `path` atomically with a file readable by this user only, fsync'd."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _retire(old: StoredIdentity) -> None:
    """Delete the replaced identity's private keys (the new one is already recorded)."""
    if old.kept_in == IN_KEYRING:
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(service(), old.identity_id.hex())
        except keyring.errors.KeyringError as exc:
            log.info("the replaced identity stays in the keyring (%s)", type(exc).__name__)
    else:
        _key_path(old.identity_id).unlink(missing_ok=True)


def unlock(passphrase: PassphraseSource) -> Identity:
    """This computer's identity with its private keys (keyring, or the file and passphrase)."""
    stored = load()
    if stored is None:
        raise NoIdentity()
    if stored.kept_in == IN_KEYRING:
        identity = _from_keyring(stored)
    else:
        path = _key_path(stored.identity_id)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise IdentityDamaged(
                f"The private keys of your identity ({path}) are missing. Restore the "
                "file from a backup, or create a new identity with `coffre identity create "
                "--replace`."
            ) from None
        identity = unwrap_identity(data, passphrase())
    if identity.public.key_bytes() != stored.public.key_bytes():
        raise IdentityDamaged(
            "The private keys kept on this computer are not those of its identity card. "
            "Nothing was changed; tell your IT department."
        )
    return identity


def _from_keyring(stored: StoredIdentity) -> Identity:
    import keyring
    import keyring.errors

    try:
        text = keyring.get_password(service(), stored.identity_id.hex())
    except keyring.errors.KeyringError as exc:
        raise IdentityError(
            f"The system keyring holds your identity's private keys but cannot be read "
            f"({type(exc).__name__}). Unlock it (log in to your desktop session) and try again."
        ) from None
    if not text:
        raise IdentityDamaged(
            "Your identity's private keys are no longer in the system keyring. Create a new "
            "identity with `coffre identity create --replace` (your colleagues will have to "
            "add you again)."
        )
    try:
        return Identity.from_bytes(bytes.fromhex(text))
    except (ValueError, TamperedData) as exc:
        raise IdentityDamaged(f"The keyring entry of your identity is damaged ({exc}).") from None


# --- a device's own keys, per vault ---------------------------------------------------------

DEVICE_SERVICE = "coffre-device"
DEVICE_SERVICE_ENV = "COFFRE_DEVICE_SERVICE"


def device_service() -> str:
    return os.environ.get(DEVICE_SERVICE_ENV, "").strip() or DEVICE_SERVICE


def _device_entry(vault_id: bytes, device_id: bytes) -> str:
    return vault_id.hex() + device_id.hex()


def keep_device_keys(vault_id: bytes, keys: DeviceKeys) -> None:
    """Keep this device's private keys for a vault in the OS keyring (service coffre-device).

    Entry `hex(vault id) | hex(device id)`, the bytes of `DeviceKeys.to_bytes()` in hex.
    `KeyringUnavailable` if no keyring can keep them (device keys have no file fallback:
    without a keyring the device opens the vault with the passphrase, as before).
    """
    import keyring
    import keyring.errors

    try:
        keyring.set_password(
            device_service(), _device_entry(vault_id, keys.device_id), keys.to_bytes().hex()
        )
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(
            f"The system keyring could not keep this device's keys ({type(exc).__name__})."
        ) from None


def recall_device_keys(vault_id: bytes, device_id: bytes) -> DeviceKeys | None:
    """This device's keys for the vault, or None (never kept, forgotten, no keyring)."""
    import keyring
    import keyring.errors

    try:
        text = keyring.get_password(device_service(), _device_entry(vault_id, device_id))
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not be read (%s)", type(exc).__name__)
        return None
    if not text:
        return None
    try:
        keys = DeviceKeys.from_bytes(bytes.fromhex(text))
    except (ValueError, CoffreCryptoError):
        log.warning("a damaged device key entry in the keyring is ignored")
        return None
    return keys if keys.device_id == device_id else None


def forget_device_keys(vault_id: bytes, device_id: bytes) -> None:
    """Remove the device's keys for the vault; forgetting what is not there is fine."""
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(device_service(), _device_entry(vault_id, device_id))
    except keyring.errors.PasswordDeleteError:
        return
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not forget device keys (%s)", type(exc).__name__)
