"""Packs: many chunk envelopes in one padded object with an encrypted index.

Layout (all integers little-endian):

    "CFPK" | version 0x01 | 3 zero bytes                  8-byte header
    chunk envelopes, concatenated, in random order
    index envelope: nonce (12) | AES-256-GCM(index plaintext) | tag (16)
    u32: length of the index envelope                     trailer

Index plaintext: u32 count, then per chunk: chunk id (32) | offset u32 |
envelope length u32 | plaintext length u32, then zero bytes. The zeros pad
the whole pack to a Padmé length, inside the encryption, so every byte of a
pack is authenticated and the store sees neither chunk boundaries nor exact
sizes. The index AAD binds vault id, pack id and the index offset.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .chunk import CHUNK_ID_LEN, OVERHEAD, ChunkCodec
from .errors import TamperedData, UnsupportedFormat
from .keys import Purpose, VaultKey
from .padding import padme
from .rng import RandomBytes, shuffled, system_random
from .versions import check_version

MAGIC = b"CFPK"
VERSION = 1
HEADER = MAGIC + bytes([VERSION, 0, 0, 0])
NONCE_LEN = 12
TAG_LEN = 16
TRAILER_LEN = 4
PACK_ID_LEN = 16
TARGET_SIZE = 16 * 1024 * 1024
_ENTRY = struct.Struct("<32sIII")
_COUNT = struct.Struct("<I")
_MIN_PACK = len(HEADER) + NONCE_LEN + _COUNT.size + TAG_LEN + TRAILER_LEN


@dataclass(frozen=True, slots=True)
class PackEntry:
    """Where one chunk's envelope lies inside a pack."""

    chunk_id: bytes
    offset: int
    length: int
    plain_length: int


class SealedPack:
    """A finished pack as a list of buffers, in store order, ready for a vectored write.

    The envelopes stay where they were sealed, in the writer's buffer; the
    random order is a list of views, so finishing a pack copies nothing.
    Call `release()` once the pack is stored to hand the buffer back for reuse.
    """

    __slots__ = ("_release", "entries", "pack_id", "parts", "size")

    def __init__(
        self,
        pack_id: bytes,
        parts: tuple[memoryview | bytes, ...],
        entries: tuple[PackEntry, ...],
        release: Callable[[], None],
    ) -> None:
        self.pack_id = pack_id
        self.parts = parts
        self.entries = entries
        self.size = sum(len(p) for p in parts)
        self._release = release

    @property
    def name(self) -> str:
        return pack_object_name(self.pack_id)

    @property
    def data(self) -> bytes:
        """The pack as one bytes object (a copy)."""
        return b"".join(self.parts)

    def release(self) -> None:
        """Recycle the buffer; the parts must not be used afterwards."""
        self.parts = ()
        self._release()


def pack_object_name(pack_id: bytes) -> str:
    hexid = pack_id.hex()
    return f"packs/{hexid[:2]}/{hexid}"


def _index_aad(key: VaultKey, pack_id: bytes, index_offset: int) -> bytes:
    return b"coffre/pack-index/v1\x00" + key.vault_id + pack_id + struct.pack("<Q", index_offset)


class PackWriter:
    """Fills one pack at a time, sealing each chunk straight into a pooled buffer."""

    def __init__(
        self,
        key: VaultKey,
        codec: ChunkCodec,
        *,
        target_size: int = TARGET_SIZE,
        max_chunk: int = 4 * 1024 * 1024,
        rng: RandomBytes = system_random,
    ) -> None:
        self._key = key
        self._codec = codec
        self._rng = rng
        self._aead = AESGCM(key.subkey(Purpose.PACK_INDEX))
        self.target_size = target_size
        self._capacity = target_size + max_chunk + OVERHEAD
        self._pool: list[bytearray] = []
        self._stage = bytearray()  # allocated on the first add: an idle round costs nothing
        self._view = memoryview(self._stage)
        self._spans: list[tuple[bytes, int, int, int]] = []
        self._used = 0
        self._ids: set[bytes] = set()

    def _take_buffer(self) -> bytearray:
        return self._pool.pop() if self._pool else bytearray(self._capacity)

    @property
    def size(self) -> int:
        return self._used

    @property
    def is_full(self) -> bool:
        return self._used >= self.target_size

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, chunk_id: bytes) -> bool:
        return chunk_id in self._ids

    def add(self, chunk_id: bytes, data: bytes | bytearray | memoryview) -> None:
        if self._capacity - self._used < ChunkCodec.max_sealed_size(len(data)):
            raise ValueError("pack is full: call finish() first")
        if not self._stage:
            self._stage = self._take_buffer()
            self._view = memoryview(self._stage)
        n = self._codec.seal_into(chunk_id, data, self._view[self._used :])
        self._spans.append((chunk_id, self._used, n, len(data)))
        self._ids.add(chunk_id)
        self._used += n

    def add_sealed(self, chunk_id: bytes, envelope: bytes, plain_length: int) -> None:
        """Add a chunk already sealed by `ChunkCodec.seal` (by a worker process)."""
        if self._capacity - self._used < len(envelope):
            raise ValueError("pack is full: call finish() first")
        if not self._stage:
            self._stage = self._take_buffer()
            self._view = memoryview(self._stage)
        n = len(envelope)
        self._view[self._used : self._used + n] = envelope
        self._spans.append((chunk_id, self._used, n, plain_length))
        self._ids.add(chunk_id)
        self._used += n

    def finish(self) -> SealedPack:
        """Seal the pack in random chunk order, padded, and start a new one."""
        pack_id = self._rng(PACK_ID_LEN)
        order = shuffled(list(range(len(self._spans))), self._rng)
        index_plain_len = _COUNT.size + _ENTRY.size * len(order)
        unpadded = len(HEADER) + self._used + NONCE_LEN + index_plain_len + TAG_LEN + TRAILER_LEN
        total = padme(unpadded)
        index_plain = bytearray(index_plain_len + (total - unpadded))
        _COUNT.pack_into(index_plain, 0, len(order))
        stage, view = self._stage, self._view
        parts: list[memoryview | bytes] = [HEADER]
        entries = []
        pos = len(HEADER)
        for slot, i in enumerate(order):
            chunk_id, start, length, plain_length = self._spans[i]
            parts.append(view[start : start + length])
            _ENTRY.pack_into(
                index_plain, _COUNT.size + slot * _ENTRY.size, chunk_id, pos, length, plain_length
            )
            entries.append(PackEntry(chunk_id, pos, length, plain_length))
            pos += length
        nonce = self._rng(NONCE_LEN)
        sealed_index = self._aead.encrypt(nonce, index_plain, _index_aad(self._key, pack_id, pos))
        parts += [nonce, sealed_index, struct.pack("<I", NONCE_LEN + len(sealed_index))]
        self._spans.clear()
        self._ids.clear()
        self._used = 0
        self._stage = bytearray()
        self._view = memoryview(self._stage)

        def release() -> None:
            if len(self._pool) < 2:
                self._pool.append(stage)

        return SealedPack(pack_id, tuple(parts), tuple(entries), release)


def read_index(
    key: VaultKey, pack_id: bytes, data: bytes | bytearray | memoryview
) -> list[PackEntry]:
    """Authenticate a whole pack's index and check that its entries tile the body.

    Run on every pack read in full (check --read-data, move-store): with the
    chunk envelopes opened too, every byte of the pack is then verified.
    """
    if len(data) < _MIN_PACK or bytes(data[:4]) != MAGIC:
        raise TamperedData("A pack", "too short or bad magic")
    check_version("A pack", data[4], VERSION)
    if any(data[5:8]):
        raise UnsupportedFormat(
            "A pack uses header flags this Coffre does not know; update Coffre."
        )
    return open_index(key, pack_id, data[-min(len(data), index_tail_size(data)) :], len(data))


def index_tail_size(tail: bytes | bytearray | memoryview) -> int:
    """How many bytes at the end of a pack hold its index, from (at least) its trailer."""
    if len(tail) < TRAILER_LEN:
        raise TamperedData("A pack", "too short")
    (index_len,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN)
    return int(index_len) + TRAILER_LEN


def open_index(
    key: VaultKey, pack_id: bytes, tail: bytes | bytearray | memoryview, pack_size: int
) -> list[PackEntry]:
    """The index of a pack of `pack_size` bytes from its last bytes (`index_tail_size`).

    Checks the index's tag (which binds its offset, so the pack's size), its
    zero padding, and that its entries tile the bytes from the header to the
    index. The chunk envelopes themselves are not read here.
    """
    if pack_size < _MIN_PACK:
        raise TamperedData("A pack", "too short")
    need = index_tail_size(tail)
    if len(tail) < need:
        raise TamperedData("A pack", "bad index length")
    index_len = need - TRAILER_LEN
    index_offset = pack_size - TRAILER_LEN - index_len
    if index_len < NONCE_LEN + TAG_LEN + _COUNT.size or index_offset < len(HEADER):
        raise TamperedData("A pack", "bad index length")
    envelope = bytes(tail[len(tail) - need : len(tail) - TRAILER_LEN])
    try:
        plain = AESGCM(key.subkey(Purpose.PACK_INDEX)).decrypt(
            envelope[:NONCE_LEN], envelope[NONCE_LEN:], _index_aad(key, pack_id, index_offset)
        )
    except InvalidTag:
        raise TamperedData("A pack index", f"pack {pack_id.hex()}") from None
    (count,) = _COUNT.unpack_from(plain, 0)
    end_of_entries = _COUNT.size + count * _ENTRY.size
    if end_of_entries > len(plain) or any(plain[end_of_entries:]):
        raise TamperedData("A pack index", "entry count or padding is wrong")
    entries = [
        PackEntry(*_ENTRY.unpack_from(plain, _COUNT.size + i * _ENTRY.size)) for i in range(count)
    ]
    pos = len(HEADER)
    for e in sorted(entries, key=lambda e: e.offset):
        if e.offset != pos or e.length < OVERHEAD or len(e.chunk_id) != CHUNK_ID_LEN:
            raise TamperedData("A pack index", "entries do not tile the pack")
        pos += e.length
    if pos != index_offset:
        raise TamperedData("A pack index", "entries do not reach the index")
    return entries


def open_chunk(codec: ChunkCodec, entry: PackEntry, data: bytes | bytearray | memoryview) -> bytes:
    """One chunk out of a whole pack, checked against the index's lengths."""
    plain = codec.open(entry.chunk_id, data[entry.offset : entry.offset + entry.length])
    if len(plain) != entry.plain_length:
        raise TamperedData("A chunk", "length differs from the pack index")
    return plain
