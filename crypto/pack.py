"""Packs: many chunk envelopes in one padded object with an encrypted index.

Layout (all integers little-endian):

    "CFPK" | version 0x01 | 3 zero bytes                  8-byte header
    chunk envelopes, concatenated, in random order
    index envelope: nonce (12) | AES-256-GCM(index plaintext) | tag (16)
    u32: length of the index envelope                     trailer

Version 2 (a format-2 vault): header "CFPK" 0x02 0 0 0; the index is sealed
under the pack's epoch's "pack-index" sub-key with the epoch in its AAD; the
trailer is u32 epoch | u32 index envelope length (8 bytes); every chunk
envelope in it is a v2 envelope of that same epoch.

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

from .chunk import CHUNK_ID_LEN, OVERHEAD, OVERHEAD_V2, ChunkCodec, envelope_epoch
from .errors import EpochKeyMissing, TamperedData, UnsupportedFormat
from .keyring import KeyRing
from .keys import Purpose, VaultKey
from .padding import padme
from .rng import RandomBytes, shuffled, system_random
from .versions import check_version

MAGIC = b"CFPK"
VERSION = 1
VERSION_V2 = 2
HEADER = MAGIC + bytes([VERSION, 0, 0, 0])
HEADER_V2 = MAGIC + bytes([VERSION_V2, 0, 0, 0])
HEADER_LEN = len(HEADER)
NONCE_LEN = 12
TAG_LEN = 16
TRAILER_LEN = 4  # v1: u32 index length
TRAILER_LEN_V2 = 8  # v2: u32 epoch | u32 index length
PACK_ID_LEN = 16
TARGET_SIZE = 16 * 1024 * 1024
_ENTRY = struct.Struct("<32sIII")
_COUNT = struct.Struct("<I")
_MIN_PACK = HEADER_LEN + NONCE_LEN + _COUNT.size + TAG_LEN + TRAILER_LEN
_WHAT_INDEX = "A pack index"


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


def _trailer_len(version: int) -> int:
    return TRAILER_LEN_V2 if version == VERSION_V2 else TRAILER_LEN


def _index_aad(
    vault_id: bytes, pack_id: bytes, index_offset: int, version: int, epoch: int
) -> bytes:
    if version == VERSION:
        return b"coffre/pack-index/v1\x00" + vault_id + pack_id + struct.pack("<Q", index_offset)
    return (
        b"coffre/pack-index/v2\x00"
        + vault_id
        + pack_id
        + struct.pack("<Q", index_offset)
        + struct.pack("<I", epoch)
    )


class PackWriter:
    """Fills one pack at a time, sealing each chunk straight into a pooled buffer.

    `key`: the vault's KeyRing (a VaultKey means `KeyRing.v1(key)`); a format-2
    ring writes v2 packs under its current epoch, as `codec` must seal.
    """

    def __init__(
        self,
        key: VaultKey | KeyRing,
        codec: ChunkCodec,
        *,
        target_size: int = TARGET_SIZE,
        max_chunk: int = 4 * 1024 * 1024,
        rng: RandomBytes = system_random,
    ) -> None:
        ring = KeyRing.of(key)
        self.version = VERSION_V2 if ring.format == 2 else VERSION
        self.epoch = ring.current if ring.format == 2 else 1
        if (codec.version, codec.epoch) != (self.version, self.epoch):
            raise ValueError("the chunk codec seals another format or epoch than the pack")
        self._vault_id = ring.vault_id
        self._header = HEADER_V2 if self.version == VERSION_V2 else HEADER
        self._codec = codec
        self._rng = rng
        self._aead = AESGCM(ring.now.subkey(Purpose.PACK_INDEX))
        self.target_size = target_size
        self._capacity = target_size + ChunkCodec.max_sealed_size(max_chunk)
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
        """Add a chunk already sealed by `ChunkCodec.seal` (by a worker process).

        It must be sealed in this pack's format and epoch (all chunks of a pack share it).
        """
        if not envelope or envelope[0] != self.version or envelope_epoch(envelope) != self.epoch:
            raise ValueError("the envelope was sealed in another format or epoch than the pack")
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
        trailer_len = _trailer_len(self.version)
        unpadded = HEADER_LEN + self._used + NONCE_LEN + index_plain_len + TAG_LEN + trailer_len
        total = padme(unpadded)
        index_plain = bytearray(index_plain_len + (total - unpadded))
        _COUNT.pack_into(index_plain, 0, len(order))
        stage, view = self._stage, self._view
        parts: list[memoryview | bytes] = [self._header]
        entries = []
        pos = HEADER_LEN
        for slot, i in enumerate(order):
            chunk_id, start, length, plain_length = self._spans[i]
            parts.append(view[start : start + length])
            _ENTRY.pack_into(
                index_plain, _COUNT.size + slot * _ENTRY.size, chunk_id, pos, length, plain_length
            )
            entries.append(PackEntry(chunk_id, pos, length, plain_length))
            pos += length
        nonce = self._rng(NONCE_LEN)
        aad = _index_aad(self._vault_id, pack_id, pos, self.version, self.epoch)
        sealed_index = self._aead.encrypt(nonce, index_plain, aad)
        index_len = NONCE_LEN + len(sealed_index)
        if self.version == VERSION_V2:
            trailer = struct.pack("<II", self.epoch, index_len)
        else:
            trailer = struct.pack("<I", index_len)
        parts += [nonce, sealed_index, trailer]
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
    key: VaultKey | KeyRing, pack_id: bytes, data: bytes | bytearray | memoryview
) -> list[PackEntry]:
    """Authenticate a whole pack's index and check that its entries tile the body.

    Run on every pack read in full (check --read-data, move-store): with the
    chunk envelopes opened too, every byte of the pack is then verified. The
    header's version selects the layout; in a v2 pack every envelope must be
    a v2 envelope of the pack's epoch.
    """
    if len(data) < _MIN_PACK or bytes(data[:4]) != MAGIC:
        raise TamperedData("A pack", "too short or bad magic")
    version = data[4]
    check_version("A pack", version, VERSION_V2, oldest=VERSION)
    if any(data[5:8]):
        raise UnsupportedFormat(
            "A pack uses header flags this Coffre does not know; update Coffre."
        )
    tail = data[-min(len(data), index_tail_size(data)) :]
    entries = open_index(key, pack_id, tail, len(data), version=version)
    if version == VERSION_V2:
        (epoch,) = struct.unpack_from("<I", data, len(data) - TRAILER_LEN_V2)
        for e in entries:
            envelope = data[e.offset : e.offset + e.length]
            if envelope[0] != VERSION_V2 or envelope_epoch(envelope) != epoch:
                raise TamperedData("A pack", "a chunk is not sealed under the pack's epoch")
    return entries


def index_tail_size(tail: bytes | bytearray | memoryview) -> int:
    """How many bytes at the end of a pack hold its index, from (at least) its trailer.

    The last four bytes give the index envelope's length in both versions;
    the answer counts the longer (v2) trailer, so it covers either.
    """
    if len(tail) < TRAILER_LEN:
        raise TamperedData("A pack", "too short")
    (index_len,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN)
    return int(index_len) + TRAILER_LEN_V2


def _layouts(ring: KeyRing, tail: bytes | bytearray | memoryview) -> tuple[tuple[int, int], ...]:
    """(version, epoch) layouts a pack's tail may have, the likelier first.

    A range read sees no header, and both trailers end in the index length.
    A v2 trailer's epoch is one the ring holds; in a v1 pack the same four
    bytes are the end of the index tag, random. Trying a layout costs one
    AES-GCM check and the labels differ, so no index opens as the other kind.
    """
    if len(tail) < TRAILER_LEN_V2:
        return ((VERSION, 1),)
    (epoch,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN_V2)
    if epoch in ring.epochs:
        return ((VERSION_V2, epoch), (VERSION, 1))
    return ((VERSION, 1), (VERSION_V2, epoch))


def open_index(
    key: VaultKey | KeyRing,
    pack_id: bytes,
    tail: bytes | bytearray | memoryview,
    pack_size: int,
    *,
    version: int | None = None,
) -> list[PackEntry]:
    """The index of a pack of `pack_size` bytes from its last bytes (`index_tail_size`).

    Checks the index's tag (which binds its offset, so the pack's size, and in
    v2 its epoch), its zero padding, and that its entries tile the bytes from
    the header to the index. The chunk envelopes themselves are not read here.
    `version`: the pack's, when its header was read; else the tail decides
    (`_layouts`). A v2 pack of an epoch the ring lacks raises
    `EpochKeyMissing`.
    """
    ring = KeyRing.of(key)
    if version is not None:
        epoch = 1
        if version == VERSION_V2:
            if len(tail) < TRAILER_LEN_V2:
                raise TamperedData("A pack", "too short")
            (epoch,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN_V2)
        return _open_index(ring, pack_id, tail, pack_size, version, epoch)
    failure: TamperedData | None = None
    missing = 0
    for candidate, epoch in _layouts(ring, tail):
        if epoch not in ring.epochs:
            missing = epoch
            continue
        try:
            return _open_index(ring, pack_id, tail, pack_size, candidate, epoch)
        except TamperedData as exc:
            failure = failure or exc
    if missing and ring.format == 2 and missing > ring.current:
        # not a v1 index: a v2 pack of an epoch this device was not given (or tampering)
        raise EpochKeyMissing(missing, _WHAT_INDEX)
    if failure is None:
        raise TamperedData(_WHAT_INDEX, f"pack {pack_id.hex()}")
    raise failure


def _open_index(
    ring: KeyRing,
    pack_id: bytes,
    tail: bytes | bytearray | memoryview,
    pack_size: int,
    version: int,
    epoch: int,
) -> list[PackEntry]:
    trailer_len = _trailer_len(version)
    if pack_size < _MIN_PACK - TRAILER_LEN + trailer_len:
        raise TamperedData("A pack", "too short")
    if len(tail) < TRAILER_LEN:
        raise TamperedData("A pack", "too short")
    (index_len,) = struct.unpack_from("<I", tail, len(tail) - TRAILER_LEN)
    need = index_len + trailer_len
    if len(tail) < need:
        raise TamperedData("A pack", "bad index length")
    index_offset = pack_size - trailer_len - index_len
    if index_len < NONCE_LEN + TAG_LEN + _COUNT.size or index_offset < HEADER_LEN:
        raise TamperedData("A pack", "bad index length")
    envelope = bytes(tail[len(tail) - need : len(tail) - trailer_len])
    index_key = ring.key(epoch, _WHAT_INDEX).subkey(Purpose.PACK_INDEX)
    try:
        plain = AESGCM(index_key).decrypt(
            envelope[:NONCE_LEN],
            envelope[NONCE_LEN:],
            _index_aad(ring.vault_id, pack_id, index_offset, version, epoch),
        )
    except InvalidTag:
        raise TamperedData(_WHAT_INDEX, f"pack {pack_id.hex()}") from None
    (count,) = _COUNT.unpack_from(plain, 0)
    end_of_entries = _COUNT.size + count * _ENTRY.size
    if end_of_entries > len(plain) or any(plain[end_of_entries:]):
        raise TamperedData(_WHAT_INDEX, "entry count or padding is wrong")
    entries = [
        PackEntry(*_ENTRY.unpack_from(plain, _COUNT.size + i * _ENTRY.size)) for i in range(count)
    ]
    min_envelope = OVERHEAD_V2 if version == VERSION_V2 else OVERHEAD
    pos = HEADER_LEN
    for e in sorted(entries, key=lambda e: e.offset):
        if e.offset != pos or e.length < min_envelope or len(e.chunk_id) != CHUNK_ID_LEN:
            raise TamperedData(_WHAT_INDEX, "entries do not tile the pack")
        pos += e.length
    if pos != index_offset:
        raise TamperedData(_WHAT_INDEX, "entries do not reach the index")
    return entries


def open_chunk(codec: ChunkCodec, entry: PackEntry, data: bytes | bytearray | memoryview) -> bytes:
    """One chunk out of a whole pack, checked against the index's lengths."""
    plain = codec.open(entry.chunk_id, data[entry.offset : entry.offset + entry.length])
    if len(plain) != entry.plain_length:
        raise TamperedData("A chunk", "length differs from the pack index")
    return plain
