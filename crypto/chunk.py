"""Chunk ids and chunk envelopes.

Chunk id: keyed BLAKE3 of the plaintext (key = sub-key "chunk-id"), so the
store cannot test whether a vault holds some known content, and identical
chunks deduplicate inside one vault only.

Envelope: version (1) | flags (1) | nonce (12) | AES-256-GCM ciphertext | tag (16).
The payload is zstd-compressed only when that saves at least 1/32 of the size
(flag 0x01). The key is per chunk: HKDF-Expand(sub-key "chunk", info = label
+ chunk id); the nonce is random; the AAD binds vault id, chunk id, version and
flags, so an envelope moved to another vault or served for another chunk id
fails, and the decrypted plaintext is hashed again against the chunk id.
"""

from __future__ import annotations

import hmac

import blake3
import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from .errors import TamperedData, UnsupportedFormat
from .keys import KEY_LEN, Purpose, VaultKey
from .rng import RandomBytes, system_random
from .versions import check_version

VERSION = 1
FLAG_ZSTD = 0x01
KNOWN_FLAGS = FLAG_ZSTD
NONCE_LEN = 12
TAG_LEN = 16
HEADER_LEN = 2 + NONCE_LEN
OVERHEAD = HEADER_LEN + TAG_LEN
CHUNK_ID_LEN = 32
MAX_PLAINTEXT = 16 * 1024 * 1024
_SAMPLE = 64 * 1024
Buffer = bytes | bytearray | memoryview


def _saves_enough(compressed: int, original: int) -> bool:
    return compressed <= original - original // 32 and compressed < original


class ChunkCodec:
    """Seals and opens chunk envelopes for one vault. Not thread-safe: one per worker."""

    def __init__(self, key: VaultKey, *, zstd_level: int = 3, rng: RandomBytes = system_random):
        self._id_key = key.subkey(Purpose.CHUNK_ID)
        self._enc_key = key.subkey(Purpose.CHUNK)
        self._aad_prefix = b"coffre/chunk/v1\x00" + key.vault_id
        self._rng = rng
        self._compressor = zstandard.ZstdCompressor(level=zstd_level)
        self._probe = zstandard.ZstdCompressor(level=1)
        self._decompressor = zstandard.ZstdDecompressor()

    def chunk_id(self, data: Buffer) -> bytes:
        return blake3.blake3(data, key=self._id_key).digest()

    def _aead(self, chunk_id: bytes) -> AESGCM:
        info = b"coffre/v1/chunk-key" + chunk_id
        return AESGCM(HKDFExpand(hashes.SHA256(), KEY_LEN, info).derive(self._enc_key))

    def _aad(self, chunk_id: bytes, flags: int) -> bytes:
        return self._aad_prefix + chunk_id + bytes([VERSION, flags])

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
        return plain_length + OVERHEAD

    def seal_into(self, chunk_id: bytes, data: Buffer, out: memoryview) -> int:
        """Write the envelope at the start of `out`; return its length."""
        payload, flags = self._payload(data)
        end = HEADER_LEN + len(payload) + TAG_LEN
        nonce = self._rng(NONCE_LEN)
        out[0] = VERSION
        out[1] = flags
        out[2:HEADER_LEN] = nonce
        self._aead(chunk_id).encrypt_into(
            nonce, payload, self._aad(chunk_id, flags), out[HEADER_LEN:end]
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
        check_version("A chunk", version, VERSION)
        if flags & ~KNOWN_FLAGS:
            raise UnsupportedFormat(f"A chunk uses unknown flags {flags:#x}; update Coffre.")
        nonce = bytes(envelope[2:HEADER_LEN])
        try:
            payload = self._aead(chunk_id).decrypt(
                nonce, envelope[HEADER_LEN:], self._aad(chunk_id, flags)
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
