"""Moving file contents between the disk and the store, for code on a worker thread.

The executor is synchronous (it drives the local file system); the store is
async. `StoreBridge` lets worker-thread code await store calls on the
engine's event loop, with a timeout so nothing waits forever.

Upload: files stream through the `Packer`; each full pack is written to the
store (create-only) before the next one is filled, so at most one pack is in
memory. A file's version may reference chunks only once `finish()` has
returned: then every pack it needs is stored.

Download: a version's chunks are read pack by pack, consecutive chunks of one
pack in one ranged request, each decrypted and checked against its id; the
whole is checked against the version's size and content hash before the
caller commits the file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import BinaryIO, TypeVar

from crypto.chunk import ChunkCodec
from crypto.errors import TamperedData
from crypto.keys import VaultKey
from crypto.pack import SealedPack

from .model import ChunkRef, Version
from .packer import ContentHasher, FileDigest, Packer
from .stores.base import PutMode, Store
from .stores.errors import ObjectExists

T = TypeVar("T")
STORE_CALL_TIMEOUT = 600.0
_MAX_RUN_BYTES = 32 * 1024 * 1024


class StoreBridge:
    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self._loop = loop

    def call(self, make: Callable[[], Awaitable[T]]) -> T:
        async def run() -> T:
            return await make()

        future = asyncio.run_coroutine_threadsafe(run(), self._loop)
        return future.result(timeout=STORE_CALL_TIMEOUT)


class Uploader:
    """Packs many files, writing full packs as they fill; `finish()` locates every chunk."""

    def __init__(
        self,
        key: VaultKey,
        bridge: StoreBridge,
        known: Callable[[bytes], ChunkRef | None],
    ) -> None:
        self._bridge = bridge
        self._known = known
        self._new: dict[bytes, ChunkRef] = {}
        self._packer = Packer(key, self._store_pack, is_stored=self._is_stored)
        self.packs_written = 0
        self.bytes_written = 0

    def _is_stored(self, chunk_id: bytes) -> bool:
        return chunk_id in self._new or self._known(chunk_id) is not None

    def _store_pack(self, pack: SealedPack) -> None:
        data = pack.data
        name = pack.name
        store = self._bridge.store
        try:
            self._bridge.call(lambda: store.put(name, data, mode=PutMode.CREATE))
        except ObjectExists:
            # A random 128-bit name is taken only by our own earlier try whose answer was
            # lost; anything else must not be referenced.
            if self._bridge.call(lambda: store.get(name)) != data:
                raise TamperedData("A pack", f"{name} exists with other content") from None
        pack_hex = pack.pack_id.hex()
        for e in pack.entries:
            ref = ChunkRef(e.chunk_id, pack_hex, e.offset, e.length, e.plain_length)
            self._new[e.chunk_id] = ref
        self.packs_written += 1
        self.bytes_written += pack.size
        pack.release()

    def add(self, stream: BinaryIO) -> FileDigest:
        return self._packer.add_stream(stream)

    def finish(self) -> None:
        self._packer.flush()

    @property
    def new_chunks(self) -> dict[bytes, ChunkRef]:
        return self._new

    def locate(self, digest: FileDigest) -> tuple[ChunkRef, ...]:
        """The store locations of a packed file's chunks (after `finish()`)."""
        refs = []
        for chunk_id in digest.chunk_ids:
            ref = self._new.get(chunk_id) or self._known(chunk_id)
            if ref is None:
                raise RuntimeError("chunk located before finish()")
            refs.append(ref)
        return tuple(refs)


class Downloader:
    def __init__(self, key: VaultKey, bridge: StoreBridge) -> None:
        self._codec = ChunkCodec(key)
        self._hasher = ContentHasher(key)
        self._bridge = bridge
        self.bytes_read = 0

    def _runs(self, chunks: tuple[ChunkRef, ...]) -> Iterator[list[ChunkRef]]:
        """Consecutive chunks stored in the same pack, read with one request."""
        run: list[ChunkRef] = []
        size = 0
        for ref in chunks:
            if run and (ref.pack_id != run[-1].pack_id or size + ref.length > _MAX_RUN_BYTES):
                yield run
                run, size = [], 0
            run.append(ref)
            size += ref.length
        if run:
            yield run

    def _fetch(self, key: str, ranges: list[tuple[int, int]]) -> list[bytes]:
        store = self._bridge.store
        return self._bridge.call(lambda: store.get_ranges(key, ranges))

    def iter_content(self, version: Version) -> Iterator[bytes]:
        """The version's plaintext, chunk by chunk, each authenticated."""
        for run in self._runs(version.chunks):
            pack_id = run[0].pack_id
            key = f"packs/{pack_id[:2]}/{pack_id}"
            ranges = [(r.offset, r.offset + r.length) for r in run]
            blobs = self._fetch(key, ranges)
            for ref, blob in zip(run, blobs, strict=True):
                self.bytes_read += len(blob)
                plain = self._codec.open(ref.chunk_id, blob)
                if len(plain) != ref.plain_length:
                    raise TamperedData("A chunk", "its length differs from the journal")
                yield plain

    def check_version(self, version: Version) -> None:
        """A version's chunk list must add up to its size and content hash."""
        size = sum(r.plain_length for r in version.chunks)
        digest = self._hasher.digest((r.chunk_id for r in version.chunks), size)
        if size != version.size or digest != version.content_hash:
            raise TamperedData(
                f"The journal entry for {version.path!r}",
                "its chunks do not match its content hash",
            )
