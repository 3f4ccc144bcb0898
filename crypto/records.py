"""Journal segments, snapshots and heads: the sealed records of each device.

Segment and snapshot objects share one layout (little-endian):

    magic "CFSG" or "CFSN" | version 0x01 | device id (16) | seq u64 |
    link (32) | nonce (12) | AES-256-GCM ciphertext | tag (16)

The first 61 bytes are the record header; the AAD is a per-kind label, the
vault id and that header, so a record replayed under another device or seq, or
re-chained, fails. For a segment `link` is the SHA-256 of the device's previous
segment object (zeros for seq 1), which makes each device's journal a hash
chain; `record_hash` of the whole object is what the next segment and the head
point to.

Head object `heads/<device>`: magic "CFHD" | version 0x01 | device id (16) |
nonce (12) | ciphertext | tag; plaintext = seq u64 | segment hash (32) | extra,
extra padded with spaces to a multiple of 256 bytes (its length is not the name's).
A client remembers, per device, the newest head it accepted and refuses an
older one (`RollbackDetected`) or a different one at the same seq.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import RollbackDetected, TamperedData
from .keys import Purpose, VaultKey
from .rng import RandomBytes, system_random
from .versions import check_version

VERSION = 1
DEVICE_ID_LEN = 16
HASH_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
SEGMENT_MAGIC = b"CFSG"
SNAPSHOT_MAGIC = b"CFSN"
HEAD_MAGIC = b"CFHD"
ZERO_HASH = bytes(HASH_LEN)
_RECORD_HEADER = struct.Struct("<4sB16sQ32s")
_HEAD_HEADER = struct.Struct("<4sB16s")
_HEAD_BODY = struct.Struct("<Q32s")
HEAD_EXTRA_BLOCK = 256  # `extra` is padded to a multiple of this: a head's size hides its name

_KINDS = {
    SEGMENT_MAGIC: (Purpose.SEGMENT, b"coffre/segment/v1\x00", "A journal segment"),
    SNAPSHOT_MAGIC: (Purpose.SNAPSHOT, b"coffre/snapshot/v1\x00", "A snapshot"),
}


def record_hash(data: bytes | bytearray | memoryview) -> bytes:
    return hashlib.sha256(data).digest()


@dataclass(frozen=True)
class Record:
    device_id: bytes
    seq: int
    link: bytes
    payload: bytes


def seal_record(
    key: VaultKey,
    magic: bytes,
    record: Record,
    rng: RandomBytes = system_random,
) -> bytes:
    purpose, label, _ = _KINDS[magic]
    header = _RECORD_HEADER.pack(magic, VERSION, record.device_id, record.seq, record.link)
    nonce = rng(NONCE_LEN)
    sealed = AESGCM(key.subkey(purpose)).encrypt(
        nonce, record.payload, label + key.vault_id + header
    )
    return header + nonce + sealed


def open_record(
    key: VaultKey,
    magic: bytes,
    data: bytes,
    *,
    device_id: bytes,
    seq: int,
    link: bytes | None = None,
) -> Record:
    """Open a record found at (device_id, seq); `link`, if given, must match its chain link."""
    purpose, label, what = _KINDS[magic]
    if len(data) < _RECORD_HEADER.size + NONCE_LEN + TAG_LEN:
        raise TamperedData(what, "truncated")
    got_magic, version, got_device, got_seq, got_link = _RECORD_HEADER.unpack_from(data)
    if got_magic != magic:
        raise TamperedData(what, "wrong kind of object")
    check_version(what, version, VERSION)
    if got_device != device_id or got_seq != seq:
        raise TamperedData(
            what,
            f"found at device {device_id.hex()} seq {seq} but sealed for "
            f"device {got_device.hex()} seq {got_seq}: replayed or moved",
        )
    if link is not None and got_link != link:
        raise TamperedData(what, "breaks the device's hash chain")
    header = data[: _RECORD_HEADER.size]
    nonce = data[_RECORD_HEADER.size : _RECORD_HEADER.size + NONCE_LEN]
    try:
        payload = AESGCM(key.subkey(purpose)).decrypt(
            nonce, data[_RECORD_HEADER.size + NONCE_LEN :], label + key.vault_id + header
        )
    except InvalidTag:
        raise TamperedData(what, f"device {device_id.hex()} seq {seq}") from None
    return Record(got_device, got_seq, got_link, payload)


@dataclass(frozen=True)
class Head:
    """A device's newest segment: the single object that device overwrites."""

    device_id: bytes
    seq: int
    segment_hash: bytes
    extra: bytes = b""


def _head_aad(key: VaultKey, header: bytes) -> bytes:
    return b"coffre/head/v1\x00" + key.vault_id + header


def pad_head_extra(extra: bytes) -> bytes:
    """`extra` and spaces (0x20) up to the next multiple of HEAD_EXTRA_BLOCK (at least one)."""
    size = max(HEAD_EXTRA_BLOCK, -(-len(extra) // HEAD_EXTRA_BLOCK) * HEAD_EXTRA_BLOCK)
    return extra + b" " * (size - len(extra))


def seal_head(key: VaultKey, head: Head, rng: RandomBytes = system_random) -> bytes:
    """Seal a head; its `extra` is padded (`pad_head_extra`), and unpadded by `open_head`."""
    header = _HEAD_HEADER.pack(HEAD_MAGIC, VERSION, head.device_id)
    nonce = rng(NONCE_LEN)
    body = _HEAD_BODY.pack(head.seq, head.segment_hash) + pad_head_extra(head.extra)
    return (
        header
        + nonce
        + AESGCM(key.subkey(Purpose.HEAD)).encrypt(nonce, body, _head_aad(key, header))
    )


def open_head(
    key: VaultKey, data: bytes, *, device_id: bytes, accepted: Head | None = None
) -> Head:
    """Open `heads/<device_id>`, refusing anything older than the `accepted` head."""
    what = "A device head"
    if len(data) < _HEAD_HEADER.size + NONCE_LEN + _HEAD_BODY.size + TAG_LEN:
        raise TamperedData(what, "truncated")
    magic, version, got_device = _HEAD_HEADER.unpack_from(data)
    if magic != HEAD_MAGIC:
        raise TamperedData(what, "bad magic")
    check_version(what, version, VERSION)
    if got_device != device_id:
        raise TamperedData(what, "sealed for another device: replayed or moved")
    header = data[: _HEAD_HEADER.size]
    nonce = data[_HEAD_HEADER.size : _HEAD_HEADER.size + NONCE_LEN]
    try:
        body = AESGCM(key.subkey(Purpose.HEAD)).decrypt(
            nonce, data[_HEAD_HEADER.size + NONCE_LEN :], _head_aad(key, header)
        )
    except InvalidTag:
        raise TamperedData(what, f"device {device_id.hex()}") from None
    seq, segment_hash = _HEAD_BODY.unpack_from(body)
    head = Head(got_device, seq, segment_hash, body[_HEAD_BODY.size :].rstrip(b" "))
    if accepted is not None:
        if head.seq < accepted.seq:
            raise RollbackDetected(
                what,
                f"device {device_id.hex()} is back at seq {head.seq} after seq {accepted.seq} "
                "was seen: the store served an old copy",
            )
        if head.seq == accepted.seq and head.segment_hash != accepted.segment_hash:
            raise TamperedData(what, f"two different journals at seq {head.seq}: a forked view")
    return head
