"""Opening a store: the one place that turns an address's spec into a backend."""

from __future__ import annotations

from typing import assert_never

from .backoff import DEFAULT_POLICY, RetryPolicy
from .base import Store
from .credentials import S3Credentials, StoreCredentials, WebDavCredentials
from .local import LocalStore
from .url import LocalSpec, S3Spec, StoreSpec, WebDavSpec


def open_store(
    spec: StoreSpec,
    credentials: StoreCredentials | None = None,
    *,
    policy: RetryPolicy | None = None,
) -> Store:
    """The backend for a spec: the one place where backends are chosen.

    Network backends are imported here, lazily, so a folder-only setup never
    loads an HTTP stack. They come wrapped in a `ResilientStore` (retries with
    backoff per `policy`, bandwidth limits via its `set_limits`); a folder
    fails for reasons retrying does not cure, so it is not wrapped.
    """
    if isinstance(spec, LocalSpec):
        return LocalStore(spec.path)
    from .resilient import ResilientStore

    retry = policy if policy is not None else DEFAULT_POLICY
    if isinstance(spec, S3Spec):
        from .s3 import S3Store

        if credentials is not None and not isinstance(credentials, S3Credentials):
            raise TypeError("S3 stores take S3Credentials")
        return ResilientStore(S3Store.from_spec(spec, credentials), policy=retry)
    if isinstance(spec, WebDavSpec):
        from .webdav import WebDavStore

        if credentials is not None and not isinstance(credentials, WebDavCredentials):
            raise TypeError("WebDAV stores take WebDavCredentials")
        return ResilientStore(WebDavStore.from_spec(spec, credentials), policy=retry)
    assert_never(spec)
