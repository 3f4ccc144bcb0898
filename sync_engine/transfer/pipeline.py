"""Moving file contents between the disk and the store, for code on a worker thread.

The executor is synchronous (it drives the local file system); the store is
async. `StoreBridge` lets worker-thread code run store calls on the engine's
event loop, waiting for them or not, with a timeout so nothing waits forever.

Upload: files stream through the `Packer` (chunk, hash, compress, encrypt)
on the executor's thread; each full pack (about 16 MiB, filled across many
files) is handed to the loop and written create-only while the next one
fills, with at most `UPLOADS_IN_FLIGHT` packs being written at once, so
memory stays bounded whatever the data. A file's version may reference
chunks only once `finish()` has returned: then every pack it needs is
stored. `drain_stored()` gives the chunks of packs already stored, which the
executor records at once: an interrupted upload resumes without sending
them again, because the next round's packer finds them known.

Download: the executor announces the versions it will write (`prefetch`);
their chunks are read ahead in batches of about 16 MiB, each batch one
ranged request per pack (the store coalesces nearby ranges, so a thousand
small files packed together come back in a few requests), with
`DOWNLOADS_IN_FLIGHT` batches in memory at first, then as many as the store
delivers in `READ_AHEAD_SECONDS` at the rate seen so far (at most
`MAX_DOWNLOADS_IN_FLIGHT`: memory stays bounded). Each chunk is decrypted and checked
against its id as the file is written; the whole is checked against the
version's size and content hash before the caller commits the file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import itertools
import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, TypeVar

from crypto.chunk import ChunkCodec
from crypto.errors import TamperedData
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.pack import SealedPack, pack_object_name
from crypto.reason import Reason

from ..core.gc_rules import Relocations, relocate
from ..core.model import ChunkRef, Version, VersionId
from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound, StoreProblem, StoreUnavailable
from ..stores.ranges import READ_WINDOW, split, windows
from .heap import keep_large_buffers_mapped
from .packer import ContentHasher, FileDigest, Packer, SealedContent

T = TypeVar("T")
STORE_CALL_TIMEOUT = 600.0
UPLOADS_IN_FLIGHT = 4
DOWNLOADS_IN_FLIGHT = 2  # batches of read-ahead at first (each request per pack runs at once)
MAX_DOWNLOADS_IN_FLIGHT = 4  # ...and at most, once the bandwidth is known (memory bound)
READ_AHEAD_SECONDS = 1.0  # read ahead what the store delivers in this long
DOWNLOAD_BATCH_BYTES = 16 * 1024 * 1024
_MAX_RUN_BYTES = 8 * 1024 * 1024


class ChunksMissing(Exception):
    """A version's chunks are in a pack the store no longer has: that file only is skipped."""

    reason = Reason.of(StoreProblem.PACK_MISSING)


class StoreBridge:
    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self._loop = loop

    def submit(self, make: Callable[[], Awaitable[T]]) -> concurrent.futures.Future[T]:
        """Start a store call on the loop; the caller waits on the future when it needs to."""

        async def run() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def call(self, make: Callable[[], Awaitable[T]]) -> T:
        return self.submit(make).result(timeout=STORE_CALL_TIMEOUT)


def _wait(futures: Sequence[concurrent.futures.Future[T]]) -> None:
    _, late = concurrent.futures.wait(futures, timeout=STORE_CALL_TIMEOUT)
    if late:
        raise StoreUnavailable(
            f"The store did not answer within {STORE_CALL_TIMEOUT:.0f} s; the sync will retry."
        )


class Uploader:
    """Packs many files, writing full packs as they fill; `finish()` locates every chunk."""

    def __init__(
        self,
        key: VaultKey | KeyRing,
        bridge: StoreBridge,
        known: Callable[[bytes], ChunkRef | None],
        *,
        in_flight: int = UPLOADS_IN_FLIGHT,
        known_among: Callable[[Sequence[bytes]], set[bytes]] | None = None,
    ) -> None:
        """`known(id)`: where the vault already has a chunk; `known_among(ids)`: which of
        `ids` it has, in one look-up (for batches of small files; else `known` each)."""
        self._bridge = bridge
        self._known = known
        self._known_among = known_among or (lambda ids: {i for i in ids if known(i) is not None})
        self._new: dict[bytes, ChunkRef] = {}
        self._packer = Packer(key, self._store_pack, is_stored=self._is_stored)
        self._slots = threading.BoundedSemaphore(in_flight)
        self._lock = threading.Lock()
        self._pending: set[concurrent.futures.Future[None]] = set()
        self._stored: list[ChunkRef] = []  # in packs already stored, not yet drained
        self._error: BaseException | None = None
        self.packs_written = 0
        self.bytes_written = 0

    def _is_stored(self, chunk_id: bytes) -> bool:
        return chunk_id in self._new or self._known(chunk_id) is not None

    def _store_pack(self, pack: SealedPack) -> None:
        self._raise_if_failed()
        data, name, size = pack.data, pack.name, pack.size
        pack_hex = pack.pack_id.hex()
        refs = [
            ChunkRef(e.chunk_id, pack_hex, e.offset, e.length, e.plain_length) for e in pack.entries
        ]
        pack.release()  # `data` is a copy: the pack buffer goes back to the packer now
        for ref in refs:
            self._new[ref.chunk_id] = ref
        if not self._slots.acquire(timeout=STORE_CALL_TIMEOUT):
            raise StoreUnavailable("The store accepted no pack for too long; the sync will retry.")
        future = self._bridge.submit(lambda: self._put(name, data))
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(lambda f: self._stored_one(f, refs, size))

    async def _put(self, name: str, data: bytes) -> None:
        store = self._bridge.store
        try:
            await store.put(name, data, mode=PutMode.CREATE)
        except ObjectExists:
            # A random 128-bit name is taken only by our own earlier try whose answer was
            # lost; anything else must not be referenced.
            if await store.get(name) != data:
                raise TamperedData("A pack", f"{name} exists with other content") from None

    def _stored_one(
        self, future: concurrent.futures.Future[None], refs: list[ChunkRef], size: int
    ) -> None:
        error = future.exception() if not future.cancelled() else StoreUnavailable("cancelled")
        with self._lock:
            self._pending.discard(future)
            if error is not None:
                self._error = self._error or error
            else:
                self._stored.extend(refs)
                self.packs_written += 1
                self.bytes_written += size
        self._slots.release()

    def _raise_if_failed(self) -> None:
        with self._lock:
            error = self._error
        if error is not None:
            raise error

    def add(self, stream: BinaryIO) -> FileDigest:
        self._raise_if_failed()
        return self._packer.add_stream(stream)

    def add_sealed(self, files: Sequence[SealedContent]) -> None:
        """Pack files sealed by the worker processes, looking their chunks up in one go."""
        self._raise_if_failed()
        ids = [c for f in files for c in f.digest.chunk_ids if c not in self._new]
        known = self._known_among(ids) if ids else set()

        def is_stored(chunk_id: bytes) -> bool:
            return chunk_id in known or chunk_id in self._new

        for f in files:
            self._packer.add_sealed(f.digest, f.sealed, is_stored)

    def finish(self) -> None:
        """Seal the last pack and wait until every pack is stored (or raise why not)."""
        self._packer.flush()
        self.wait()
        self._raise_if_failed()

    def wait(self) -> None:
        """Wait for the packs being written, without raising their errors."""
        with self._lock:
            pending = list(self._pending)
        _wait(pending)

    def drain_stored(self) -> list[ChunkRef]:
        """Chunks whose packs were stored since the last call: safe to record as known."""
        with self._lock:
            stored, self._stored = self._stored, []
        return stored

    def locate(self, digest: FileDigest) -> tuple[ChunkRef, ...]:
        """The store locations of a packed file's chunks (after `finish()`)."""
        refs = []
        for chunk_id in digest.chunk_ids:
            ref = self._new.get(chunk_id) or self._known(chunk_id)
            if ref is None:
                raise RuntimeError("chunk located before finish()")
            refs.append(ref)
        return tuple(refs)


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive chunks of one version stored in one pack: one range request."""

    pack_key: str
    chunks: tuple[ChunkRef, ...]


def _runs(chunks: tuple[ChunkRef, ...]) -> list[_Run]:
    runs: list[_Run] = []
    run: list[ChunkRef] = []
    size = 0
    for ref in chunks:
        if run and (ref.pack_id != run[-1].pack_id or size + ref.length > _MAX_RUN_BYTES):
            runs.append(_Run(_pack_key(run[0].pack_id), tuple(run)))
            run, size = [], 0
        run.append(ref)
        size += ref.length
    if run:
        runs.append(_Run(_pack_key(run[0].pack_id), tuple(run)))
    return runs


def _skip(runs: list[_Run], start: int) -> tuple[int, int]:
    """(whole runs, then chunks of the next run) that lie before byte `start`."""
    if start <= 0:
        return 0, 0
    offset = 0
    for i, run in enumerate(runs):
        for j, ref in enumerate(run.chunks):
            if offset == start:
                return i, j
            if offset > start:
                break
            offset += ref.plain_length
    if offset == start:
        return len(runs), 0
    raise ValueError("resuming from a byte that is not a chunk boundary")


def _pack_key(pack_hex: str) -> str:
    return pack_object_name(bytes.fromhex(pack_hex))


def _window_indices(pack_key: str, ref: ChunkRef, window: int) -> Iterator[tuple[str, int]]:
    """The aligned windows (pack, index) that reading one chunk reads."""
    last = -(-(ref.offset + ref.length) // window)
    return ((pack_key, i) for i in range(ref.offset // window, last))


async def _read_hiding_lengths(
    store: Store, key: str, ranges: Sequence[tuple[int, int]], window: int
) -> list[bytes]:
    """The chunk envelopes at `ranges`, read as whole aligned windows.

    The store sees which windows of the pack are read, never a chunk's own
    offset and length (stores/ranges.py); the chunks are cut out here.
    """
    spans = windows(ranges, window)
    blobs = await store.get_ranges(key, spans)
    if len(blobs) != len(spans):
        raise TamperedData("A pack", "the store returned the wrong number of ranges")
    return split(ranges, spans, blobs)


class Downloader:
    def __init__(
        self,
        key: VaultKey | KeyRing,
        bridge: StoreBridge,
        *,
        batch_bytes: int = DOWNLOAD_BATCH_BYTES,
        in_flight: int = DOWNLOADS_IN_FLIGHT,
        window: int = READ_WINDOW,
        moved: Relocations | None = None,
    ) -> None:
        keep_large_buffers_mapped()  # read-ahead memory is returned once used (heap.py)
        self._codec = ChunkCodec(key)
        self._moved = moved or {}  # chunks a GC repack moved (gc_rules.py): read them there
        self._hasher = ContentHasher(key)
        self._bridge = bridge
        self._batch_bytes = batch_bytes
        self._in_flight = in_flight
        self._max_in_flight = max(in_flight, MAX_DOWNLOADS_IN_FLIGHT)
        self._fetch_started: float | None = None  # when the first batch was asked for
        self._fetched_bytes = 0  # bytes of the batches fetched since then
        self._window = window
        # The read-ahead plan: batches of runs, and where each version's runs are.
        self._batches: list[list[_Run]] = []
        self._where: dict[VersionId, list[tuple[int, int]]] = {}
        self._fetched: dict[int, concurrent.futures.Future[list[list[bytes] | None]]] = {}
        self._next_batch = 0  # batches below this one have been fetched (or dropped)
        self._oldest = 0  # batches below this one were dropped from memory
        self.bytes_read = 0

    def _chunks(self, version: Version) -> tuple[ChunkRef, ...]:
        if not self._moved:
            return version.chunks
        return tuple(relocate(c, self._moved) for c in version.chunks)

    # --- read-ahead ---------------------------------------------------------------------------

    def prefetch(self, versions: Sequence[Version]) -> None:
        """Announce, in order, the versions `iter_content` will be asked for."""
        batch: list[_Run] = []
        # The batch's size is that of the distinct aligned windows it reads (what it
        # holds in memory): small chunks of one pack share windows, and small chunks
        # scattered over many packs each cost whole windows.
        held: set[tuple[str, int]] = set()
        for version in versions:
            if version.vid in self._where:
                continue  # asked twice: the second read goes straight to the store
            places = self._where.setdefault(version.vid, [])
            for run in _runs(self._chunks(version)):
                places.append((len(self._batches), len(batch)))
                batch.append(run)
                for ref in run.chunks:
                    held.update(_window_indices(run.pack_key, ref, self._window))
                if len(held) * self._window >= self._batch_bytes:
                    self._batches.append(batch)
                    batch = []
                    held.clear()
            if not places:
                del self._where[version.vid]
        if batch:
            self._batches.append(batch)

    def _ahead(self) -> int:
        """Batches to keep in flight: what the store delivers in READ_AHEAD_SECONDS at the
        bandwidth seen so far, between `in_flight` and MAX_DOWNLOADS_IN_FLIGHT. A slow
        link holds little in memory; a fast one is not left waiting on each batch."""
        if self._fetch_started is None or self._fetched_bytes == 0:
            return self._in_flight
        elapsed = max(time.monotonic() - self._fetch_started, 1e-3)
        wanted = self._fetched_bytes / elapsed * READ_AHEAD_SECONDS / self._batch_bytes
        return max(self._in_flight, min(self._max_in_flight, math.ceil(wanted)))

    def _start_batches(self, upto: int) -> None:
        if self._fetch_started is None:
            self._fetch_started = time.monotonic()
        while self._next_batch < min(upto, len(self._batches)):
            self._fetched[self._next_batch] = self._bridge.submit(
                functools.partial(self._fetch, self._batches[self._next_batch])
            )
            self._next_batch += 1

    async def _fetch(self, batch: list[_Run]) -> list[list[bytes] | None]:
        """Every run of a batch, with one request per pack."""
        by_pack: dict[str, list[int]] = {}
        for i, run in enumerate(batch):
            by_pack.setdefault(run.pack_key, []).append(i)
        store = self._bridge.store

        async def one_pack(key: str, indices: list[int]) -> list[bytes] | None:
            ranges = [(r.offset, r.offset + r.length) for i in indices for r in batch[i].chunks]
            try:
                return await _read_hiding_lengths(store, key, ranges, self._window)
            except ObjectNotFound:
                return None  # only the versions reading this pack fail, not the whole batch

        answers = await asyncio.gather(*(one_pack(k, ix) for k, ix in by_pack.items()))
        out: list[list[bytes] | None] = [[] for _ in batch]
        for indices, blobs in zip(by_pack.values(), answers, strict=True):
            if blobs is None:
                for i in indices:
                    out[i] = None
                continue
            pos = 0
            for i in indices:
                n = len(batch[i].chunks)
                out[i] = blobs[pos : pos + n]
                pos += n
        return out

    def _prefetched(
        self, version: Version, skip_runs: int = 0
    ) -> Iterator[list[bytes] | None] | None:
        places = self._where.pop(version.vid, None)
        if places is None or places[0][0] < self._oldest:
            return None
        return self._from_batches(places[skip_runs:])

    def _from_batches(self, places: list[tuple[int, int]]) -> Iterator[list[bytes] | None]:
        for batch_index, run_index in places:
            self._start_batches(batch_index + self._ahead())
            # Earlier batches are behind the executor now: let their memory go.
            for old in range(self._oldest, batch_index):
                self._fetched.pop(old, None)
            self._oldest = max(self._oldest, batch_index)
            future = self._fetched[batch_index]
            _wait([future])
            result = future.result()
            if run_index == 0:  # each batch counted once, when its first run is used
                self._fetched_bytes += sum(len(b) for blobs in result if blobs for b in blobs)
            yield result[run_index]

    def _direct(self, version: Version, skip_runs: int = 0) -> Iterator[list[bytes] | None]:
        store = self._bridge.store
        for run in _runs(self._chunks(version))[skip_runs:]:
            ranges = [(r.offset, r.offset + r.length) for r in run.chunks]
            try:
                yield self._bridge.call(
                    functools.partial(
                        _read_hiding_lengths, store, run.pack_key, ranges, self._window
                    )
                )
            except ObjectNotFound:
                yield None

    # --- content ------------------------------------------------------------------------------

    def iter_content(self, version: Version, start: int = 0) -> Iterator[bytes]:
        """The version's plaintext, chunk by chunk, each authenticated; from the chunk
        that begins at byte `start` (a chunk boundary) on, without reading what is before."""
        runs = _runs(self._chunks(version))
        skip_runs, skip_chunks = _skip(runs, start)
        runs = runs[skip_runs:]
        blobs_by_run = self._prefetched(version, skip_runs) or self._direct(version, skip_runs)
        for run, blobs in zip(runs, blobs_by_run, strict=True):
            if blobs is None:
                raise ChunksMissing(
                    f"{version.path}: its content is in {run.pack_key}, which the store no "
                    "longer has; run `coffre check`, then `coffre repair` on a device that "
                    "still has the file"
                )
            if len(blobs) != len(run.chunks):
                raise TamperedData("A pack", "the store returned the wrong number of ranges")
            pairs: Iterator[tuple[ChunkRef, bytes]] = zip(run.chunks, blobs, strict=True)
            if skip_chunks:  # the first run fetched is only partly needed
                pairs = itertools.islice(pairs, skip_chunks, None)
                skip_chunks = 0
            for ref, blob in pairs:
                self.bytes_read += len(blob)
                plain = self._codec.open(ref.chunk_id, blob)
                if len(plain) != ref.plain_length:
                    raise TamperedData("A chunk", "its length differs from the journal")
                yield plain

    def present_prefix(self, version: Version, stream: BinaryIO) -> int:
        """How many bytes at the start of `stream` (a partial download of `version`) are
        whole chunks of it, each proven by its keyed id: where to resume from."""
        good = 0
        for ref in version.chunks:
            data = stream.read(ref.plain_length)
            if len(data) != ref.plain_length or self._codec.chunk_id(data) != ref.chunk_id:
                break
            good += ref.plain_length
        return good

    def close(self) -> None:
        """Drop read-ahead data; requests still running finish on their own."""
        for future in self._fetched.values():
            future.cancel()
        self._fetched.clear()

    def check_version(self, version: Version) -> None:
        """A version's chunk list must add up to its size and content hash."""
        size = sum(r.plain_length for r in version.chunks)
        digest = self._hasher.digest((r.chunk_id for r in version.chunks), size)
        if size != version.size or digest != version.content_hash:
            raise TamperedData(
                f"The journal entry for {version.path!r}",
                "its chunks do not match its content hash",
            )
