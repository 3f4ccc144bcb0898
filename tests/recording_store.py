"""A store wrapper that records every read a device asks of the real store beneath.

It plays the store's eyes: the known-content test and bench/range_hiding.py
look at exactly the byte ranges a device requests (before any coalescing the
backend may add, which can only merge them further).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field

from sync_engine.stores.base import ObjectInfo, PutMode, Store


@dataclass
class RecordingStore:
    """Delegates to `inner`; `reads` holds (key, start, end) per range asked (end None: all)."""

    inner: Store
    reads: list[tuple[str, int, int | None]] = field(default_factory=list)
    calls: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)  # ranged reads

    @property
    def url(self) -> str:
        return self.inner.url

    @property
    def supports_compare_and_swap(self) -> bool:
        return self.inner.supports_compare_and_swap

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        return await self.inner.put(key, data, mode=mode)

    async def get(self, key: str) -> bytes:
        self.reads.append((key, 0, None))
        return await self.inner.get(key)

    async def get_range(self, key: str, start: int, end: int) -> bytes:
        self.reads.append((key, start, end))
        self.calls.append((key, [(start, end)]))
        return await self.inner.get_range(key, start, end)

    async def get_ranges(self, key: str, ranges: Sequence[tuple[int, int]]) -> builtins.list[bytes]:
        self.reads.extend((key, start, end) for start, end in ranges)
        self.calls.append((key, list(ranges)))
        return await self.inner.get_ranges(key, ranges)

    async def head(self, key: str) -> ObjectInfo:
        return await self.inner.head(key)

    async def list(self, prefix: str) -> builtins.list[ObjectInfo]:
        return await self.inner.list(prefix)

    async def delete(self, key: str) -> None:
        await self.inner.delete(key)

    async def close(self) -> None:
        await self.inner.close()

    def pack_reads(self) -> builtins.list[tuple[str, int, int | None]]:
        return [r for r in self.reads if r[0].startswith("packs/")]
