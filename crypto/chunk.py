"""Chunk ids and chunk envelopes.

Chunk id: keyed BLAKE3 of the plaintext (key = sub-key "chunk-id"), so the
store cannot test whether a vault holds some known content, and identical
chunks deduplicate inside one vault only.

Envelope v1: version (1) | flags (1) | nonce (12) | AES-256-GCM ciphertext | tag (16).
Envelope v2 (a format-2 vault): 0x02 | flags | u32 epoch | nonce | ciphertext | tag,
sealed under that epoch's "chunk" sub-key; a v1 envelope opens as epoch 1.
The payload is zstd-compressed only when that saves at least 1/32 of the size
(flag 0x01). The key is per chunk: HKDF-Expand(sub-key "chunk", info = label
+ chunk id); the nonce is random; the AAD binds vault id, chunk id, version and
flags, so an envelope moved to another vault or served for another chunk id
fails, and the decrypted plaintext is hashed again against the chunk id.
"""

from __future__ import annotations

import hmac
import struct

import blake3
import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from .errors import TamperedData, UnsupportedFormat
from .keyring import KeyRing
from .keys import KEY_LEN, Purpose, VaultKey
from .rng import RandomBytes, system_random
from .versions import check_version

VERSION = 1
VERSION_V2 = 2
FLAG_ZSTD = 0x01
KNOWN_FLAGS = FLAG_ZSTD
NONCE_LEN = 12
TAG_LEN = 16
HEADER_LEN = 2 + NONCE_LEN  # v1
OVERHEAD = HEADER_LEN + TAG_LEN  # v1: 30 bytes
HEADER_LEN_V2 = 2 + 4 + NONCE_LEN
OVERHEAD_V2 = HEADER_LEN_V2 + TAG_LEN  # 34 bytes
MAX_OVERHEAD = OVERHEAD_V2
_EPOCH = struct.Struct("<I")
CHUNK_ID_LEN = 32
MAX_PLAINTEXT = 16 * 1024 * 1024
_SAMPLE = 64 * 1024
Buffer = bytes | bytearray | memoryview


def _saves_enough(compressed: int, original: int) -> bool:
    return compressed <= original - original // 32 and compressed < original


def envelope_epoch(envelope: Buffer) -> int:
    """The key epoch an envelope names (1 for a v1 envelope); untrusted until opened."""
    if len(envelope) >= HEADER_LEN_V2 and envelope[0] == VERSION_V2:
        return int(_EPOCH.unpack_from(envelope, 2)[0])
    return 1


class ChunkCodec:
    """Seals and opens chunk envelopes for one vault. Not thread-safe: one per worker.

    `key`: the vault's KeyRing (a VaultKey means `KeyRing.v1(key)`). A
    format-2 ring seals v2 envelopes under its current epoch; any envelope
    opens with the key of the epoch it names. Chunk ids use epoch 1's key.
    """

    def __init__(
        self, key: VaultKey | KeyRing, *, zstd_level: int = 3, rng: RandomBytes = system_random
    ):
        ring = KeyRing.of(key)
        self._ring = ring
        self._id_key = ring.stable.subkey(Purpose.CHUNK_ID)
        self._vault_id = ring.vault_id
        self.version = VERSION_V2 if ring.format == 2 else VERSION
        self.epoch = ring.current if ring.format == 2 else 1
        self._enc_keys: dict[int, bytes] = {}
        self._rng = rng
        self._compressor = zstandard.ZstdCompressor(level=zstd_level)
        self._probe = zstandard.ZstdCompressor(level=1)
        self._decompressor = zstandard.ZstdDecompressor()

    def chunk_id(self, data: Buffer) -> bytes:
        return blake3.blake3(data, key=self._id_key).digest()

    def _aead(self, chunk_id: bytes, epoch: int) -> AESGCM:
        enc_key = self._enc_keys.get(epoch)
        if enc_key is None:
            enc_key = self._ring.key(epoch, "A chunk").subkey(Purpose.CHUNK)
            self._enc_keys[epoch] = enc_key
        info = b"coffre/v1/chunk-key" + chunk_id
        return AESGCM(HKDFExpand(hashes.SHA256(), KEY_LEN, info).derive(enc_key))

    def _aad(self, chunk_id: bytes, flags: int, version: int, epoch: int) -> bytes:
        if version == VERSION:
            return b"coffre/chunk/v1\x00" + self._vault_id + chunk_id + bytes([VERSION, flags])
        return (
            b"coffre/chunk/v2\x00"
            + self._vault_id
            + chunk_id
            + bytes([VERSION_V2, flags])
            + _EPOCH.pack(epoch)
        )

    def _payload(self, data: Buffer) -> tuple[Buffer, int]:
        """Compress only if it pays: a fast probe of the first 64 KiB skips random data."""
        if len(data) < 64:
            return data, 0
        if len(data) > _SAMPLE:  # a small chunk is its own probe: compress it once
            probe = data[:_SAMPLE]
            if not _saves_enough(len(self._probe.compress(probe)), len(probe)):
                return data, 0
        compressed = self._compressor.compress(data)
        if _saves_enough(len(compressed), len(data)):
            return compressed, FLAG_ZSTD
        return data, 0

    @staticmethod
    def max_sealed_size(plain_length: int) -> int:
        """The most an envelope of `plain_length` bytes takes, in either version."""
        return plain_length + MAX_OVERHEAD

    def seal_into(self, chunk_id: bytes, data: Buffer, out: memoryview) -> int:
        """Write the envelope at the start of `out`; return its length."""
        payload, flags = self._payload(data)
        version, epoch = self.version, self.epoch
        header_len = HEADER_LEN_V2 if version == VERSION_V2 else HEADER_LEN
        end = header_len + len(payload) + TAG_LEN
        nonce = self._rng(NONCE_LEN)
        out[0] = version
        out[1] = flags
        if version == VERSION_V2:
            _EPOCH.pack_into(out, 2, epoch)
        out[header_len - NONCE_LEN : header_len] = nonce
        self._aead(chunk_id, epoch).encrypt_into(
            nonce, payload, self._aad(chunk_id, flags, version, epoch), out[header_len:end]
        )
        return end

    def seal(self, chunk_id: bytes, data: Buffer) -> bytes:
        out = bytearray(self.max_sealed_size(len(data)))
        n = self.seal_into(chunk_id, data, memoryview(out))
        return bytes(out[:n])

    def open(self, chunk_id: bytes, envelope: Buffer) -> bytes:
        """The plaintext of `envelope`, proven to be the chunk `chunk_id`."""
        if len(envelope) < OVERHEAD:
            raise TamperedData("A chunk", "envelope truncated")
        version, flags = envelope[0], envelope[1]
        check_version("A chunk", version, VERSION_V2, oldest=VERSION)
        if flags & ~KNOWN_FLAGS:
            raise UnsupportedFormat(f"A chunk uses unknown flags {flags:#x}; update Coffre.")
        header_len, epoch = HEADER_LEN, 1
        if version == VERSION_V2:
            if len(envelope) < OVERHEAD_V2:
                raise TamperedData("A chunk", "envelope truncated")
            header_len, epoch = HEADER_LEN_V2, envelope_epoch(envelope)
        aead = self._aead(chunk_id, epoch)
        nonce = bytes(envelope[header_len - NONCE_LEN : header_len])
        try:
            payload = aead.decrypt(
                nonce, envelope[header_len:], self._aad(chunk_id, flags, version, epoch)
            )
        except InvalidTag:
            raise TamperedData("A chunk", f"id {chunk_id.hex()[:16]}…") from None
        plain = payload
        if flags & FLAG_ZSTD:
            try:
                plain = self._decompressor.decompress(payload, max_output_size=MAX_PLAINTEXT)
            except zstandard.ZstdError as exc:
                raise TamperedData("A chunk", "compressed payload is invalid") from exc
        if not hmac.compare_digest(self.chunk_id(plain), chunk_id):
            raise TamperedData("A chunk", "content does not match its id")
        return plain
