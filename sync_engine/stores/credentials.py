"""Secrets a network store needs, kept apart from its address.

An address (a `StoreSpec`) is printable and goes into config files; these
never do. The app reads them from the environment or the OS keyring
(`app/credentials.py`) and hands them to `open_store`. Every secret is a
`Secret`, which prints as `***` in reprs, logs and tracebacks.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field


class Secret:
    """A string that never shows itself in repr, str, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(Secret)


@dataclass(frozen=True, slots=True)
class S3Credentials:
    """An S3 access key pair (and session token for temporary credentials)."""

    access_key_id: str
    secret_access_key: Secret = field(repr=False)
    session_token: Secret | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class WebDavCredentials:
    """Basic auth (user and password) or a bearer token; neither means anonymous."""

    user: str | None = None
    password: Secret | None = field(default=None, repr=False)
    bearer_token: Secret | None = field(default=None, repr=False)


StoreCredentials = S3Credentials | WebDavCredentials
