"""Content-defined chunking (FastCDC 2020, via pyfastcdc).

Boundaries follow the content rather than fixed offsets, so an edit or an
insertion in a large file changes only the chunks around it and the rest of
the file deduplicates against what is already stored.

The gear table is keyed: FastCDC's public table XOR a 63-bit seed derived from
the vault key (`crypto.keys.chunker_seed`, docs/FORMAT.md "Chunks"), so a store
that knows a file cannot compute where this vault cuts it. `PUBLIC_SEED` (0)
selects the public table; only tests use it, to play the attacker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

from pyfastcdc import FastCDC

MIN_CHUNK: Final = 256 * 1024
AVG_CHUNK: Final = 1024 * 1024
MAX_CHUNK: Final = 4 * 1024 * 1024

# pyfastcdc's avg_size is not the output average. It picks the cut masks from
# round(log2(avg_size)) and switches from the strict to the loose mask at
# avg_size, and nothing is cut before min_size. With normalized chunking 1, any
# avg_size with round(log2) == 20 averages about 1.05-1.09 MiB and any with 19
# at most about 0.76 MiB, so exactly 1 MiB is not reachable. 768 KiB sits well
# inside the "20" range.
# Measured on 512 MiB of random data (random.Random(7)), min 256 KiB and max 4 MiB,
# 471 chunks not counting the last one:
#   mean 1.086 MiB, median 0.953 MiB, p10 0.42 MiB, p90 1.86 MiB,
#   smallest 257 KiB, largest 4096 KiB (1 chunk cut at the maximum).
# Normalized chunking 2 with the same avg_size gives a tighter spread (mean
# 0.94 MiB) but resynchronises worse after an insertion. Over the same 300
# random insertions, 3 or more chunks differed in 26 of them, against 2 with
# level 1. Level 1 is also the library default.
_FASTCDC_AVG_SIZE: Final = 768 * 1024
_NORMALIZED_CHUNKING: Final = 1
PUBLIC_SEED: Final = 0


@dataclass(frozen=True, slots=True)
class Chunk:
    """One content-defined slice of the input, `length` bytes at `offset`.

    From `iter_stream` and `iter_file`, `data` is a read-only view into the
    chunker's single reusable read buffer, so memory stays bounded whatever
    the file size. That buffer is overwritten when the iterator advances.
    The view is valid only until then. At that point it is released, so using a
    stale chunk raises ValueError instead of quietly reading other bytes. If a
    buffer export of it is still held (for example a `pickle.PickleBuffer` or a
    numpy array over it), advancing raises BufferError. Views sliced out of
    `data` share the buffer and are not guarded. Call `detach()` to keep a
    chunk.

    From `iter_bytes`, `data` is a read-only view of the caller's buffer. It
    stays valid for as long as that buffer does, provided the caller does not
    modify it.
    """

    offset: int
    length: int
    data: memoryview

    def detach(self) -> Chunk:
        """Copy the data, for chunks that must outlive the iteration step."""
        return Chunk(self.offset, self.length, memoryview(self.data.tobytes()))


class Chunker:
    """Holds one configured FastCDC so every file is cut with the same
    parameters. Boundaries, and with them deduplication, depend on those
    parameters.

    pyfastcdc says a FastCDC must not be used concurrently, so give each
    thread its own Chunker. They are cheap to create.
    """

    __slots__ = ("_cdc",)

    def __init__(self, seed: int) -> None:
        """`seed`: the vault's gear seed (`crypto.keys.chunker_seed`), below 2**63."""
        if not 0 <= seed < 1 << 63:
            raise ValueError("the gear seed must be in [0, 2**63)")
        self._cdc = FastCDC(
            _FASTCDC_AVG_SIZE,
            min_size=MIN_CHUNK,
            max_size=MAX_CHUNK,
            normalized_chunking=_NORMALIZED_CHUNKING,
            seed=seed,
        )

    def iter_bytes(self, data: bytes | bytearray | memoryview) -> Iterator[Chunk]:
        """Chunk an in-memory buffer without copying it. The views stay valid
        (see `Chunk`)."""
        # cast("B") accepts any C-contiguous buffer whatever its format or shape.
        view = memoryview(data).cast("B").toreadonly()
        for raw in self._cdc.cut_buf(view):
            yield Chunk(raw.offset, raw.length, raw.data)

    def iter_stream(self, stream: BinaryIO) -> Iterator[Chunk]:
        """Chunk a blocking binary stream with bounded memory.

        A stream of at most MAX_CHUNK bytes (most files) is read whole and cut
        as a buffer: pyfastcdc's stream mode allocates a 2 * MAX_CHUNK buffer
        per call, which would dominate the cost of small files. Larger streams
        go through that one buffer with `readinto`, so no per-read allocation
        is made; then each chunk's `data` is valid only until the next chunk
        is requested (see `Chunk`).
        """
        head = read_up_to(stream, _SMALL_STREAM + 1)
        if len(head) <= _SMALL_STREAM:
            yield from self.iter_bytes(head)
            return
        for raw in self._cdc.cut_stream(_Prefixed(head, stream)):
            view = raw.data.toreadonly()
            yield Chunk(raw.offset, raw.length, view)
            # Reached only when the consumer asks for the next chunk, which is
            # when pyfastcdc moves and refills its buffer. If the generator is
            # closed instead, the buffer is never reused, so views may live on.
            _release(view)

    def iter_file(self, path: str | os.PathLike[str]) -> Iterator[Chunk]:
        """Chunk a file with bounded memory. The file is opened on the first
        iteration and closed when iteration ends or the generator is closed.

        The file is read with unbuffered `readinto`, straight into the chunker's
        buffer. It is not memory-mapped: the mapped pages would count towards
        RSS as they are touched, up to the whole file.
        """
        with open(path, "rb", buffering=0) as f:
            yield from self.iter_stream(f)


_SMALL_STREAM: Final = MAX_CHUNK


def read_up_to(stream: BinaryIO, limit: int) -> bytes:
    parts = []
    remaining = limit
    while remaining > 0:
        part = stream.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


class _Prefixed:
    """A stream that first serves bytes already read, then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readinto(self, buffer: memoryview) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        readinto = getattr(self._stream, "readinto", None)
        if readinto is not None:
            return int(readinto(buffer) or 0)
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _release(view: memoryview) -> None:
    try:
        view.release()
    except BufferError as exc:
        raise BufferError(
            "a chunk's data is still exported while the chunker is about to overwrite "
            "its buffer; copy what must outlive the iteration step with Chunk.detach()"
        ) from exc
