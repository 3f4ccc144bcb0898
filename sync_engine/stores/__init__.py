"""Store backends: where the vault's encrypted objects live (docs/FORMAT.md).

The engine sees only the `Store` protocol; `parse_store_url` and `open_store`
turn a configured address into a backend.
"""

from __future__ import annotations

from .backoff import DEFAULT_POLICY, RetryPolicy
from .bandwidth import TokenBucket
from .base import (
    ObjectInfo,
    PutMode,
    Store,
    is_valid_key,
    validate_key,
    validate_prefix,
)
from .credentials import S3Credentials, Secret, WebDavCredentials
from .errors import (
    ObjectExists,
    ObjectNotFound,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreFull,
    StoreThrottled,
    StoreUnavailable,
)
from .local import LocalStore
from .memory import MemoryStore
from .open_store import open_store
from .resilient import ResilientStore
from .url import (
    LocalSpec,
    S3Spec,
    StoreSpec,
    WebDavSpec,
    parse_store_url,
)

__all__ = [
    "DEFAULT_POLICY",
    "LocalSpec",
    "LocalStore",
    "MemoryStore",
    "ObjectExists",
    "ObjectInfo",
    "ObjectNotFound",
    "PutMode",
    "ResilientStore",
    "RetryPolicy",
    "S3Credentials",
    "S3Spec",
    "Secret",
    "Store",
    "StoreAuthError",
    "StoreConfigError",
    "StoreError",
    "StoreFull",
    "StoreSpec",
    "StoreThrottled",
    "StoreUnavailable",
    "TokenBucket",
    "WebDavCredentials",
    "WebDavSpec",
    "is_valid_key",
    "open_store",
    "parse_store_url",
    "validate_key",
    "validate_prefix",
]
