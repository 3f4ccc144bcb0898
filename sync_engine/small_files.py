"""Small files read, chunked, hashed and sealed on every core (a process pool).

A small file costs about 0.1-0.2 ms of Python (open and re-check, read, cut,
keyed hash, compress, seal), all under one GIL: on a tree of 100,000 small
files that work bounded a first sync to one core. Here it runs in worker
processes, in batches of files (one task per batch, so the cost of handing
work over is paid per batch, not per file); the parent keeps what must stay
in one place: which chunks are new (the vault's state and the pack being
filled), the packs themselves, filled across files in plan order, and every
decision about the file.

A worker only reads: it opens the file through its own `DiskFs` on the same
root (never through a symlink), checks the file's stat against what the scan
saw before and after reading, and seals the content's chunks as standalone
envelopes (a fresh random nonce each, as `ChunkCodec` always does). Anything
unusual (the file changed, vanished, grew past the small-file limit, could
not be read) is answered with `None`, and the parent uploads that file again
itself on the ordinary path, which re-checks and reports the reason. A worker
failing as a whole (killed, out of memory) fails its batch the same way, so
the round never depends on the pool being healthy.

The workers hold the keys sealing needs, no more: epoch 1's key (chunk ids,
content hash, chunk boundaries) and the current epoch's (the envelopes); a
v1 vault has only the one. They travel with each batch through the pool's
private pipe, and reach a worker only once that worker has disabled core
dumps and ptrace by other processes (crypto/hardening.py). They keep nothing
on disk.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from crypto.hardening import disable_core_dumps
from crypto.keyring import KeyRing
from crypto.keys import VaultKey

from .core.model import StatKey
from .disk.fs_errors import FsError
from .disk.fs_primitives import FsEntry
from .disk.localfs import DiskFs
from .transfer.chunker import MAX_CHUNK, read_up_to
from .transfer.packer import FileDigest, SealedContent, Sealer

SMALL_FILE_MAX = MAX_CHUNK  # read whole and cut in memory (chunker.iter_stream does the same)
BATCH_FILES = 256
BATCH_BYTES = 2 * 1024 * 1024  # with SEALED_BATCHES_PENDING per worker: ~16 MiB in flight
POOL_MIN_FILES = 512  # fewer small uploads than this: starting the workers costs more
MAX_WORKERS = 8


@dataclass(frozen=True, slots=True)
class SealedFile:
    """A small file's content, chunked and sealed by a worker, with its stat once read."""

    content: SealedContent
    after: FsEntry  # what Synced records


# --- in the worker process ----------------------------------------------------------------

_worker: _Reader | None = None


class _Reader:
    def __init__(self, root: str, key: VaultKey | KeyRing) -> None:
        self.fs = DiskFs(root)
        self.sealer = Sealer(key)

    def seal_file(self, rel: str, expect: StatKey) -> SealedFile | None:
        try:
            with self.fs.open_read(rel) as stream:
                if self.fs.stat_open(rel, stream).stat_key != expect:
                    return None
                data = read_up_to(stream, SMALL_FILE_MAX + 1)
                after = self.fs.stat_open(rel, stream)
        except (FsError, OSError):
            return None
        if after.stat_key != expect or len(data) != after.size or len(data) > SMALL_FILE_MAX:
            return None
        return SealedFile(self.sealer.seal_bytes(data), after)


def _start_worker(root: str, parent: int) -> None:
    # A new program (exec) is dumpable again: harden before any key is sent (with the
    # first batch), so no core file or same-user ptrace ever sees it.
    disable_core_dumps()
    global _root
    _root = root
    _end_with(parent)


_root = ""


def _end_with(parent: int) -> None:
    """A worker must not outlive the sync that started it, even one killed with -9.

    Its own parent is the fork server, which stays up while the worker does, so
    the worker watches the sync's process itself: through a pidfd where Linux
    has one, else by checking every second that it still exists. (On Windows
    the workers are the sync's own children and end when its pipes break.)
    """
    if sys.platform == "win32":
        return

    def watch() -> None:
        try:
            fd = os.pidfd_open(parent)
        except (AttributeError, OSError):
            fd = -1
        if fd >= 0:
            select.select([fd], [], [])  # readable once the process has ended
        else:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os._exit(1)

    threading.Thread(target=watch, name="coffre-parent-watch", daemon=True).start()


# What crosses the pipe: plain tuples, which unpickle several times faster than slotted
# dataclasses (those go through dataclasses' __setstate__, about 3 us each).
_Wire = tuple[int, bytes, tuple[bytes, ...], tuple[int, ...], tuple[bytes, ...], FsEntry]
# The writing keys: vault id, format, current epoch, (epoch, secret) pairs.
_Keys = tuple[bytes, int, int, tuple[tuple[int, bytes], ...]]


def _keys_wire(key: VaultKey | KeyRing) -> _Keys:
    """What a worker needs of the ring (`KeyRing.for_writing`), as plain values."""
    ring = KeyRing.of(key).for_writing()
    pairs = tuple((n, ring.epochs[n].secret) for n in sorted(ring.epochs))
    return (ring.vault_id, ring.format, ring.current, pairs)


def _ring_of(keys: _Keys) -> KeyRing:
    vault_id, fmt, current, pairs = keys
    return KeyRing(vault_id, fmt, {n: VaultKey(vault_id, s) for n, s in pairs}, current)


_worker_keys: _Keys | None = None


def _seal_batch(keys: _Keys, files: Sequence[tuple[str, StatKey]]) -> list[_Wire | None]:
    global _worker, _worker_keys
    if _worker is None or _worker_keys != keys:
        _worker = _Reader(_root, _ring_of(keys))
        _worker_keys = keys
    out: list[_Wire | None] = []
    for rel, expect in files:
        done = _worker.seal_file(rel, expect)
        if done is None:
            out.append(None)
            continue
        d, sealed = done.content.digest, done.content.sealed
        out.append((d.size, d.content_hash, d.chunk_ids, d.chunk_lengths, sealed, done.after))
    return out


def _from_wire(wire: _Wire | None) -> SealedFile | None:
    if wire is None:
        return None
    size, content_hash, ids, lengths, sealed, after = wire
    return SealedFile(SealedContent(FileDigest(size, content_hash, ids, lengths), sealed), after)


# --- in the parent ------------------------------------------------------------------------

Batch = concurrent.futures.Future[list[_Wire | None]]


def pool_available() -> bool:
    """Not in a frozen bundle (PyInstaller): its executable does not run `-c` code, which
    starting a worker needs, until the entry points call multiprocessing.freeze_support()."""
    return not getattr(sys, "frozen", False)


def worker_count() -> int:
    """Every core: the parent's own share of the work is small (see the module comment)."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _context() -> multiprocessing.context.BaseContext:
    # forkserver where it exists: a fork of a process running threads (the event loop,
    # store threads, SQLite) is unsafe; the server forks from a clean process instead,
    # with this module already imported, so a worker starts in milliseconds.
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")


class SmallFileSealers:
    """The pool: batches of (path, expected stat) in, one `SealedFile | None` per file out."""

    def __init__(self, root: str, key: VaultKey | KeyRing, workers: int | None = None) -> None:
        self.workers = workers or worker_count()
        self._keys = _keys_wire(key)
        self._broken = False
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(root, os.getpid()),
        )

    @property
    def usable(self) -> bool:
        return not self._broken

    def submit(self, files: Sequence[tuple[str, StatKey]]) -> Batch:
        """A batch's future; if the pool broke (a worker died), one that fails at once."""
        try:
            return self._pool.submit(_seal_batch, self._keys, list(files))
        except (BrokenProcessPool, RuntimeError) as exc:
            self._broken = True
            failed: Batch = concurrent.futures.Future()
            failed.set_exception(exc)
            return failed

    @staticmethod
    def results(future: Batch, count: int, timeout: float) -> list[SealedFile | None]:
        """A batch's answers; a batch whose worker failed is all `None` (done inline)."""
        try:
            answers = future.result(timeout=timeout)
        except (BrokenProcessPool, OSError, concurrent.futures.TimeoutError, EOFError):
            future.cancel()
            return [None] * count
        if len(answers) != count:
            return [None] * count
        return [_from_wire(a) for a in answers]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
