"""Turning file contents into chunk ids and sealed packs: the CPU side of an upload.

Per file: content-defined chunks -> keyed BLAKE3 ids -> chunks the vault does
not have yet are sealed (compress if useful, AES-256-GCM) straight into the
current pack buffer; a full pack is handed to `on_pack` (which uploads it).
Memory stays flat: one chunker read buffer and one pack buffer, whatever the
file sizes. A file's content hash is the keyed hash of its chunk-id list, so
equal content has equal hash and the scanner gets it without encrypting.

Every class takes the vault's KeyRing (a VaultKey means a v1 vault): chunk ids,
content hashes and chunk boundaries come from epoch 1's key, which never
changes, so deduplication and file identity survive key rotations; sealing
uses the ring's current epoch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import blake3

from crypto.chunk import ChunkCodec
from crypto.keyring import KeyRing
from crypto.keys import Purpose, VaultKey, chunker_seed
from crypto.pack import PackWriter, SealedPack

from .chunker import MAX_CHUNK, Chunker


@dataclass(frozen=True, slots=True)
class FileDigest:
    """What the journal needs of a file's content, before pack locations are known."""

    size: int
    content_hash: bytes
    chunk_ids: tuple[bytes, ...]
    chunk_lengths: tuple[int, ...]


class ContentHasher:
    """The content hash of a chunk-id list (keyed, so it reveals nothing to the store)."""

    def __init__(self, key: VaultKey | KeyRing) -> None:
        self._key = KeyRing.of(key).stable.subkey(Purpose.FILE_HASH)

    def digest(self, chunk_ids: Iterable[bytes], size: int) -> bytes:
        h = blake3.blake3(key=self._key)
        h.update(size.to_bytes(8, "little"))
        for chunk_id in chunk_ids:
            h.update(chunk_id)
        return h.digest()


class Digester:
    """Chunk ids and content hash of a file without sealing anything (for the scanner)."""

    def __init__(self, key: VaultKey | KeyRing) -> None:
        ring = KeyRing.of(key)
        self._chunker = Chunker(chunker_seed(ring.stable))
        self._codec = ChunkCodec(ring)
        self._hasher = ContentHasher(ring)

    def digest_stream(self, stream: BinaryIO) -> FileDigest:
        ids: list[bytes] = []
        lengths: list[int] = []
        for chunk in self._chunker.iter_stream(stream):
            ids.append(self._codec.chunk_id(chunk.data))
            lengths.append(chunk.length)
        size = sum(lengths)
        return FileDigest(size, self._hasher.digest(ids, size), tuple(ids), tuple(lengths))


@dataclass(frozen=True, slots=True)
class SealedContent:
    """A content's digest with each chunk sealed as its own envelope (in a worker process)."""

    digest: FileDigest
    sealed: tuple[bytes, ...]  # one envelope per chunk of `digest`, in order


class Sealer:
    """Chunk ids, content hash and sealed envelopes of an in-memory content (a small file)."""

    def __init__(self, key: VaultKey | KeyRing) -> None:
        ring = KeyRing.of(key)
        self._chunker = Chunker(chunker_seed(ring.stable))
        self._codec = ChunkCodec(ring)
        self._hasher = ContentHasher(ring)

    def seal_bytes(self, data: bytes) -> SealedContent:
        ids: list[bytes] = []
        lengths: list[int] = []
        sealed: list[bytes] = []
        for chunk in self._chunker.iter_bytes(data):
            chunk_id = self._codec.chunk_id(chunk.data)
            ids.append(chunk_id)
            lengths.append(chunk.length)
            sealed.append(self._codec.seal(chunk_id, chunk.data))
        size = len(data)
        digest = FileDigest(size, self._hasher.digest(ids, size), tuple(ids), tuple(lengths))
        return SealedContent(digest, tuple(sealed))


class Packer:
    """Fills packs from files; not thread-safe (one per worker thread)."""

    def __init__(
        self,
        key: VaultKey | KeyRing,
        on_pack: Callable[[SealedPack], None],
        *,
        is_stored: Callable[[bytes], bool] = lambda _chunk_id: False,
        codec: ChunkCodec | None = None,
    ) -> None:
        ring = KeyRing.of(key)
        self._codec = codec or ChunkCodec(ring)
        self._chunker = Chunker(chunker_seed(ring.stable))
        self._hasher = ContentHasher(ring)
        self._writer = PackWriter(ring, self._codec, max_chunk=MAX_CHUNK)
        self._on_pack = on_pack
        self._is_stored = is_stored
        self.sealed_bytes = 0

    def add_file(self, path: str | os.PathLike[str]) -> FileDigest:
        with open(path, "rb", buffering=0) as f:
            return self.add_stream(f)

    def add_stream(self, stream: BinaryIO) -> FileDigest:
        ids: list[bytes] = []
        lengths: list[int] = []
        for chunk in self._chunker.iter_stream(stream):
            chunk_id = self._codec.chunk_id(chunk.data)
            ids.append(chunk_id)
            lengths.append(chunk.length)
            if chunk_id in self._writer or self._is_stored(chunk_id):
                continue
            self._writer.add(chunk_id, chunk.data)
            self.sealed_bytes += chunk.length
            if self._writer.is_full:
                self.flush()
        size = sum(lengths)
        return FileDigest(size, self._hasher.digest(ids, size), tuple(ids), tuple(lengths))

    def add_sealed(
        self, digest: FileDigest, sealed: Sequence[bytes], is_stored: Callable[[bytes], bool]
    ) -> None:
        """Add a file whose chunks were sealed elsewhere (small_files.py): new chunks only."""
        for chunk_id, envelope, length in zip(
            digest.chunk_ids, sealed, digest.chunk_lengths, strict=True
        ):
            if chunk_id in self._writer or is_stored(chunk_id):
                continue
            self._writer.add_sealed(chunk_id, envelope, length)
            self.sealed_bytes += length
            if self._writer.is_full:
                self.flush()

    def flush(self) -> None:
        """Seal the current pack, if it holds anything, and hand it on."""
        if len(self._writer):
            self._on_pack(self._writer.finish())
