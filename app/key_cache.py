"""Remembering a vault's key on this computer, in the OS keyring, so the app opens at login.

After the person unlocks a vault in the desktop app (setup wizard or the
passphrase dialog) with "Remember on this computer" ticked, the vault key is
kept in the OS keyring: service "coffre-vault", one entry per vault named by
its id (hex), the 32 key bytes in base64 as the secret. The login session
protects it (docs/THREATS.md); unticking the box forgets it.

A remembered key is only a shortcut: `FolderSession.open_with_key` checks it
against the store's vault header, and a key that no longer fits is forgotten
and the passphrase asked for again. The CLI never reads this cache.

`COFFRE_KEY_CACHE_SERVICE` names another service (tests, portable installs),
as `COFFRE_HOME` relocates the configuration.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os

from crypto.keys import KEY_LEN, VAULT_ID_LEN, VaultKey

SERVICE = "coffre-vault"
SERVICE_ENV = "COFFRE_KEY_CACHE_SERVICE"

log = logging.getLogger(__name__)


class KeyCacheUnavailable(Exception):
    """The keyring could not keep the key (none running, locked, refused)."""


def service() -> str:
    return os.environ.get(SERVICE_ENV, "").strip() or SERVICE


def _vault_id(vault_id: str) -> bytes | None:
    try:
        raw = bytes.fromhex(vault_id)
    except ValueError:
        return None
    return raw if len(raw) == VAULT_ID_LEN else None


def remember(key: VaultKey) -> None:
    """Keep the vault key in the OS keyring (replacing an earlier one for the same vault)."""
    import keyring  # here, not at the top: it costs ~0.1 s
    import keyring.errors

    secret = base64.b64encode(key.secret).decode("ascii")
    try:
        keyring.set_password(service(), key.vault_id.hex(), secret)
    except keyring.errors.KeyringError as exc:
        raise KeyCacheUnavailable(
            f"The system keyring could not keep the vault key ({_reason(exc)}). "
            "Coffre will ask for the passphrase at the next start."
        ) from None


def recall(vault_id: str) -> VaultKey | None:
    """The remembered key of this vault, or None (never remembered, damaged, no keyring)."""
    raw_id = _vault_id(vault_id)
    if raw_id is None:
        return None
    import keyring
    import keyring.errors

    try:
        text = keyring.get_password(service(), vault_id)
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not be read (%s): the passphrase will be asked", _reason(exc))
        return None
    if not text:
        return None
    try:
        secret = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    if len(secret) != KEY_LEN:
        return None
    return VaultKey(raw_id, secret)


def forget(vault_id: str) -> None:
    """Remove the vault's remembered key; forgetting what is not there, or no keyring, is fine."""
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(service(), vault_id)
    except keyring.errors.PasswordDeleteError:
        return
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not forget a vault key (%s)", _reason(exc))


def _reason(exc: Exception) -> str:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the keyring is locked"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no keyring service is running"
    return type(exc).__name__
