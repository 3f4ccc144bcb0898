"""An in-memory store with the same semantics as the others, for tests and the simulator.

Determinism is the point: etags come from a counter, mtimes from an injectable
clock, and an optional `fault(op, key)` hook runs before each operation so a
seeded simulator can inject `StoreError`s exactly where it wants. For `put`
and `delete` the hook runs a second time, with op `"put:ack"` or
`"delete:ack"`, after the change is applied: raising there models the
acknowledgement lost on the way back (the write happened, the caller saw an
error), which real networks do.

Each operation yields to the event loop once, then runs to completion without
awaiting, so concurrent tasks on one loop interleave between operations, never
inside one. It is not thread-safe: use it from one asyncio loop.
"""

from __future__ import annotations

import asyncio
import builtins
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from . import errors
from .base import ObjectInfo, PutMode, validate_key, validate_prefix, validate_range

FaultHook = Callable[[str, str], None]

OPS = ("put", "put:ack", "get", "get_range", "get_ranges", "head", "list", "delete", "delete:ack")


@dataclass(frozen=True, slots=True)
class _Object:
    data: bytes
    info: ObjectInfo


class MemoryStore:
    """A dict of objects behind the `Store` interface."""

    def __init__(
        self,
        *,
        name: str = "memory",
        fault: FaultHook | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = f"memory://{name}"
        self.fault = fault  # public: a simulator may swap it between steps
        self._clock = clock
        self._objects: dict[str, _Object] = {}
        self._folders: Counter[str] = Counter()  # "a/b" -> objects under "a/b/"
        self._generation = 0
        self._closed = False

    def __repr__(self) -> str:
        return f"MemoryStore({self._url!r}, objects={len(self._objects)})"

    @property
    def url(self) -> str:
        return self._url

    @property
    def supports_compare_and_swap(self) -> bool:
        return False  # mirrors the folder store, which the design must work with

    async def _enter(self, op: str, key: str) -> None:
        await asyncio.sleep(0)
        if self._closed:
            raise errors.closed(self._url)
        if self.fault is not None:
            self.fault(op, key)

    def _ack(self, op: str, key: str) -> None:
        if self.fault is not None:
            self.fault(f"{op}:ack", key)

    def _lookup(self, key: str) -> _Object:
        obj = self._objects.get(key)
        if obj is None:
            raise errors.not_found(self._url, key)
        return obj

    @staticmethod
    def _parents(key: str) -> list[str]:
        parts = key.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        validate_key(key)
        payload = bytes(data)
        await self._enter("put", key)
        parents = self._parents(key)
        if self._folders[key] > 0 or any(p in self._objects for p in parents):
            raise errors.key_conflict(self._url, key)
        existing = key in self._objects
        if existing and mode is PutMode.CREATE:
            raise errors.exists(self._url, key)
        self._generation += 1
        info = ObjectInfo(
            key=key,
            size=len(payload),
            etag=f"{self._generation:x}-{len(payload):x}",
            mtime=datetime.fromtimestamp(self._clock(), tz=UTC),
        )
        self._objects[key] = _Object(payload, info)
        if not existing:
            self._folders.update(parents)
        self._ack("put", key)
        return info

    async def get(self, key: str) -> bytes:
        validate_key(key)
        await self._enter("get", key)
        return self._lookup(key).data

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        validate_key(key)
        validate_range(start, end)
        await self._enter("get_range", key)
        return self._lookup(key).data[start:end]

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        validate_key(key)
        for start, end in ranges:
            validate_range(start, end)
        await self._enter("get_ranges", key)
        data = self._lookup(key).data
        return [data[start:end] for start, end in ranges]

    async def head(self, key: str) -> ObjectInfo:
        validate_key(key)
        await self._enter("head", key)
        return self._lookup(key).info

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        validate_prefix(prefix)
        await self._enter("list", prefix)
        return [obj.info for k, obj in sorted(self._objects.items()) if k.startswith(prefix)]

    async def delete(self, key: str) -> None:
        validate_key(key)
        await self._enter("delete", key)
        if self._objects.pop(key, None) is not None:
            for parent in self._parents(key):
                left = self._folders[parent] - 1
                if left:
                    self._folders[parent] = left
                else:
                    del self._folders[parent]
        self._ack("delete", key)

    async def close(self) -> None:
        self._closed = True
