"""Store secrets: from the environment, else from the OS keyring (never from a file).

One keyring entry per store, under the service "coffre", named by the store's
printable address (`spec.url`, which holds no secret), holding a small JSON
object. The environment wins over the keyring so that scripts, CI and
machines without a keyring can work:

    S3:      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
    WebDAV:  COFFRE_WEBDAV_USER (or the user in the address), COFFRE_WEBDAV_PASSWORD,
             COFFRE_WEBDAV_TOKEN (a bearer token instead of a password)
"""

from __future__ import annotations

import json
import os
from typing import Any

from app.messages import AppProblem
from crypto.reason import Reason
from sync_engine.stores.credentials import (
    S3Credentials,
    Secret,
    StoreCredentials,
    WebDavCredentials,
)
from sync_engine.stores.errors import StoreConfigError
from sync_engine.stores.url import LocalSpec, S3Spec, StoreSpec, WebDavSpec

SERVICE = "coffre"
S3_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
WEBDAV_ENV = ("COFFRE_WEBDAV_USER", "COFFRE_WEBDAV_PASSWORD", "COFFRE_WEBDAV_TOKEN")


class CredentialsUnavailable(StoreConfigError):
    """The keyring cannot be used (none installed, locked, refused); use the environment."""

    @property
    def reason(self) -> Reason:
        return Reason.of(AppProblem.KEYRING_UNAVAILABLE, url=self.url or "", detail=str(self))


def env_hint(spec: StoreSpec) -> str:
    """Which environment variables give this store's credentials, for messages."""
    if isinstance(spec, S3Spec):
        return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    return "COFFRE_WEBDAV_USER and COFFRE_WEBDAV_PASSWORD (or COFFRE_WEBDAV_TOKEN)"


def _unavailable(spec: StoreSpec, exc: Exception, doing: str) -> CredentialsUnavailable:
    import keyring.errors

    reason = type(exc).__name__
    if isinstance(exc, keyring.errors.KeyringLocked):
        reason = "the keyring is locked"
    elif isinstance(exc, keyring.errors.NoKeyringError):
        reason = "no keyring service is running"
    return CredentialsUnavailable(
        f"Could not {doing} the credentials for {spec.url} in the system keyring ({reason}). "
        f"Unlock or start the keyring, or set {env_hint(spec)} in the environment instead.",
        url=spec.url,
    )


def _env(name: str) -> str | None:
    value = os.environ.get(name, "")
    return value if value.strip() else None


def _from_env(spec: S3Spec | WebDavSpec) -> StoreCredentials | None:
    if isinstance(spec, S3Spec):
        key_id, secret, token = (_env(n) for n in S3_ENV)
        if key_id is None or secret is None:
            return None
        return S3Credentials(key_id.strip(), Secret(secret), Secret(token) if token else None)
    user = _env("COFFRE_WEBDAV_USER") or spec.user
    password, token = _env("COFFRE_WEBDAV_PASSWORD"), _env("COFFRE_WEBDAV_TOKEN")
    if token is not None:
        return WebDavCredentials(user=user, bearer_token=Secret(token))
    if password is not None:
        return WebDavCredentials(user=user, password=Secret(password))
    return None


def _encode(credentials: StoreCredentials) -> str:
    def reveal(secret: Secret | None) -> str | None:
        return secret.reveal() if secret is not None else None

    data: dict[str, Any]
    if isinstance(credentials, S3Credentials):
        data = {
            "kind": "s3",
            "access_key_id": credentials.access_key_id,
            "secret_access_key": credentials.secret_access_key.reveal(),
            "session_token": reveal(credentials.session_token),
        }
    else:
        data = {
            "kind": "webdav",
            "user": credentials.user,
            "password": reveal(credentials.password),
            "bearer_token": reveal(credentials.bearer_token),
        }
    return json.dumps(data)


def _decode(spec: StoreSpec, text: str) -> StoreCredentials | None:
    try:
        data = json.loads(text)
        kind = data["kind"]

        def secret(name: str) -> Secret | None:
            value = data.get(name)
            return Secret(str(value)) if value else None

        if kind == "s3" and isinstance(spec, S3Spec):
            key = secret("secret_access_key")
            if not data.get("access_key_id") or key is None:
                return None
            return S3Credentials(str(data["access_key_id"]), key, secret("session_token"))
        if kind == "webdav" and isinstance(spec, WebDavSpec):
            user = data.get("user") or spec.user
            return WebDavCredentials(
                user=str(user) if user else None,
                password=secret("password"),
                bearer_token=secret("bearer_token"),
            )
    except (ValueError, TypeError, KeyError):
        pass
    return None  # an entry of another kind or a damaged one: as if there were none


def load_credentials(spec: StoreSpec) -> StoreCredentials | None:
    """The store's credentials: environment, then a password typed into the address, then keyring.

    None means "no credentials anywhere" (a folder store never has any).
    Raises `CredentialsUnavailable` if the keyring had to be asked and could not answer.
    """
    if isinstance(spec, LocalSpec):
        return None
    from_env = _from_env(spec)
    if from_env is not None:
        return from_env
    if isinstance(spec, WebDavSpec) and spec.password is not None:
        return WebDavCredentials(user=spec.user, password=spec.password)
    import keyring  # here, not at the top: it costs ~0.1 s, and folder stores never need it
    import keyring.errors

    try:
        text = keyring.get_password(SERVICE, spec.url)
    except keyring.errors.KeyringError as exc:
        raise _unavailable(spec, exc, "read") from None
    return _decode(spec, text) if text else None


def save_credentials(spec: StoreSpec, credentials: StoreCredentials) -> None:
    """Keep the store's credentials in the OS keyring (replacing earlier ones)."""
    if isinstance(spec, LocalSpec):
        raise TypeError("a folder store has no credentials")
    if isinstance(spec, S3Spec) != isinstance(credentials, S3Credentials):
        raise TypeError(f"{type(credentials).__name__} do not fit the store {spec.url}")
    import keyring  # here, not at the top: it costs ~0.1 s, and folder stores never need it
    import keyring.errors

    try:
        keyring.set_password(SERVICE, spec.url, _encode(credentials))
    except keyring.errors.KeyringError as exc:
        raise _unavailable(spec, exc, "save") from None


def delete_credentials(spec: StoreSpec) -> None:
    """Forget the store's credentials; forgetting what is not there is fine."""
    if isinstance(spec, LocalSpec):
        return
    import keyring  # here, not at the top: it costs ~0.1 s, and folder stores never need it
    import keyring.errors

    try:
        keyring.delete_password(SERVICE, spec.url)
    except keyring.errors.PasswordDeleteError:
        return
    except keyring.errors.KeyringError as exc:
        raise _unavailable(spec, exc, "delete") from None
