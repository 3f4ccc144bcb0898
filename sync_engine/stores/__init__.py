"""Store backends: where the vault's encrypted objects live (docs/FORMAT.md).

The engine sees only the `Store` protocol; `parse_store_url` and `open_store`
turn a configured address into a backend.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Where each name lives: imported on first use (PEP 562), so that importing one
# submodule (`sync_engine.stores.errors`, for the CLI's policy and messages) does not load
# every backend and asyncio with it.
_SUBMODULE = {
    "DEFAULT_POLICY": ".backoff",
    "LocalSpec": ".url",
    "LocalStore": ".local",
    "MemoryStore": ".memory",
    "ObjectExists": ".errors",
    "ObjectInfo": ".base",
    "ObjectNotFound": ".errors",
    "PutMode": ".base",
    "ResilientStore": ".resilient",
    "RetryPolicy": ".backoff",
    "S3Credentials": ".credentials",
    "S3Spec": ".url",
    "Secret": ".credentials",
    "Store": ".base",
    "StoreAuthError": ".errors",
    "StoreConfigError": ".errors",
    "StoreError": ".errors",
    "StoreFull": ".errors",
    "StoreSpec": ".url",
    "StoreThrottled": ".errors",
    "StoreUnavailable": ".errors",
    "TokenBucket": ".bandwidth",
    "WebDavCredentials": ".credentials",
    "WebDavSpec": ".url",
    "is_valid_key": ".base",
    "open_store": ".open_store",
    "parse_store_url": ".url",
    "validate_key": ".base",
    "validate_prefix": ".base",
}


class _Package(types.ModuleType):
    """This package, whose `open_store` stays the function when its submodule of the same
    name is imported (the import system sets the submodule as an attribute of the package;
    the eager imports this file used to make rebound it to the function afterwards)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "open_store" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    submodule = _SUBMODULE.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(submodule, __name__), name)
    globals()[name] = value
    return value


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
