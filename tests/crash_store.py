"""A real store that is interrupted once: writing one chosen key raises, as a crash would.

Wraps any `Store` (folder, SeaweedFS); every other call goes to the real store
unchanged. Used to show that a multi-step write (an upgrade, a passphrase
change) interrupted at that point leaves a vault that still opens, and that
running it again resumes.
"""

from __future__ import annotations

from typing import Any

from sync_engine.stores.base import ObjectInfo, PutMode, Store


class Interrupted(ConnectionError):
    """The write of the chosen key never happened."""


class CrashOnPut:
    def __init__(self, inner: Store, key: str) -> None:
        self.inner, self.key = inner, key

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def put(
        self, key: str, data: bytes | memoryview, *, mode: PutMode = PutMode.OVERWRITE
    ) -> ObjectInfo:
        if key == self.key:
            raise Interrupted(f"interrupted before writing {key}")
        return await self.inner.put(key, data, mode=mode)
