"""Journal segments, snapshots and heads: the sealed records of each device.

Version 1 (every v1 vault; docs/FORMAT.md "Journal segments", "Heads"):

    magic "CFSG" or "CFSN" | 0x01 | device id (16) | seq u64 | link (32)
    | nonce (12) | AES-256-GCM ciphertext | tag (16)

The first 61 bytes are the record header; the AAD is a per-kind label, the
vault id and that header, so a record replayed under another device or seq, or
re-chained, fails. For a segment `link` is the SHA-256 of the device's previous
segment object (zeros for seq 1), which makes each device's journal a hash
chain; `record_hash` of the whole object is what the next segment and the head
point to.

Head object `heads/<device>`: magic "CFHD" | 0x01 | device id (16) |
nonce (12) | ciphertext | tag; plaintext = seq u64 | segment hash (32) | extra,
extra padded with spaces to a multiple of 256 bytes (its length is not the name's).
A client remembers, per device, the newest head it accepted and refuses an
older one (`RollbackDetected`) or a different one at the same seq.

Version 2 (docs/FORMAT.md "Format version 2") adds to the clear header the
key epoch that sealed the record and the membership log position its author
had reached (`u32 epoch | u64 position`), encrypts under that epoch's sub-key
with a "/v2" label, and appends the author device's Ed25519 signature (64
bytes, context "segment", "snapshot" or "head") over everything before it.
`peek_record` / `peek_head` read those clear headers, untrusted, so a caller
can find the author's key and the epoch before opening.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import DowngradeRefused, RollbackDetected, TamperedData
from .keyring import KeyRing
from .keys import Purpose, VaultKey
from .rng import RandomBytes, system_random
from .signing import ED25519_SIGNATURE_LEN, BadSignature, HybridVerifyKey, signed_message
from .versions import check_version

if TYPE_CHECKING:
    from .device import DeviceKeys

VERSION = 1
VERSION_V2 = 2
DEVICE_ID_LEN = 16
HASH_LEN = 32
NONCE_LEN = 12
TAG_LEN = 16
SIGNATURE_LEN = ED25519_SIGNATURE_LEN
SEGMENT_MAGIC = b"CFSG"
SNAPSHOT_MAGIC = b"CFSN"
HEAD_MAGIC = b"CFHD"
ZERO_HASH = bytes(HASH_LEN)
_RECORD_HEADER = struct.Struct("<4sB16sQ32s")  # v1: 61 bytes
_RECORD_HEADER_V2 = struct.Struct("<4sB16sQ32sIQ")  # v2: 73 bytes
_HEAD_HEADER = struct.Struct("<4sB16s")  # v1: 21 bytes
_HEAD_HEADER_V2 = struct.Struct("<4sB16sIQ")  # v2: 33 bytes
_HEAD_BODY = struct.Struct("<Q32s")
HEAD_EXTRA_BLOCK = 256  # `extra` is padded to a multiple of this: a head's size hides its name
HEAD_WHAT = "A device head"
HEAD_CONTEXT = b"head"

VerifyKey = Ed25519PublicKey | HybridVerifyKey
"""A device's public signing key: its Ed25519 half verifies segments, snapshots, heads."""


@dataclass(frozen=True)
class _Kind:
    purpose: Purpose
    label_v1: bytes
    label_v2: bytes
    context: bytes
    what: str


_KINDS = {
    SEGMENT_MAGIC: _Kind(
        Purpose.SEGMENT,
        b"coffre/segment/v1\x00",
        b"coffre/segment/v2\x00",
        b"segment",
        "A journal segment",
    ),
    SNAPSHOT_MAGIC: _Kind(
        Purpose.SNAPSHOT,
        b"coffre/snapshot/v1\x00",
        b"coffre/snapshot/v2\x00",
        b"snapshot",
        "A snapshot",
    ),
}


def record_hash(data: bytes | bytearray | memoryview) -> bytes:
    """SHA-256 of a whole record object (in v2, its signature included)."""
    return hashlib.sha256(data).digest()


@dataclass(frozen=True)
class Record:
    """A segment or snapshot; `epoch`, `position` and `version` are filled in by opening."""

    device_id: bytes
    seq: int
    link: bytes
    payload: bytes
    epoch: int = 1
    position: int = 0
    version: int = VERSION


@dataclass(frozen=True)
class RecordInfo:
    """A record's clear header, read without authenticating it (v1: epoch 1, position 0)."""

    version: int
    device_id: bytes
    seq: int
    link: bytes
    epoch: int
    position: int


@dataclass(frozen=True)
class HeadInfo:
    """A head's clear header, read without authenticating it (v1: epoch 1, position 0)."""

    version: int
    device_id: bytes
    epoch: int
    position: int


def _verify(
    verify_key: VerifyKey, context: bytes, body: bytes, signature: bytes, what: str
) -> None:
    """Raise `BadSignature` unless `signature` is the device's Ed25519 signature of `body`."""
    if isinstance(verify_key, HybridVerifyKey):
        verify_key.verify_ed25519(context, body, signature, what)
        return
    try:
        verify_key.verify(signature, signed_message(context, body))
    except InvalidSignature:
        raise BadSignature(what, "the Ed25519 signature does not verify") from None


def _sign(signer: DeviceKeys, device_id: bytes, context: bytes, body: bytes) -> bytes:
    if signer.device_id != device_id:
        raise ValueError("a device signs only its own records")
    return signer.signing.sign_ed25519(context, body)


def _refuse_unsigned(what: str) -> None:
    raise DowngradeRefused(
        f"{what} is in the unsigned format 1 where this vault requires signed format 2: "
        "it was replaced or forged on the store and is refused; nothing was read from it. "
        "Tell your IT department."
    )


def _check_signing(require_signed: bool, verify_key: VerifyKey | None) -> None:
    if require_signed and verify_key is None:
        raise ValueError("require_signed needs the author device's verify key")


def peek_record(magic: bytes, data: bytes | bytearray | memoryview) -> RecordInfo:
    """The clear header of a segment or snapshot (untrusted until opened)."""
    what = _KINDS[magic].what
    if len(data) < _RECORD_HEADER.size + NONCE_LEN + TAG_LEN:
        raise TamperedData(what, "truncated")
    if bytes(data[:4]) != magic:
        raise TamperedData(what, "wrong kind of object")
    version = data[4]
    check_version(what, version, VERSION_V2, oldest=VERSION)
    if version == VERSION:
        _, _, device_id, seq, link = _RECORD_HEADER.unpack_from(data)
        return RecordInfo(version, device_id, seq, link, 1, 0)
    if len(data) < _RECORD_HEADER_V2.size + NONCE_LEN + TAG_LEN + SIGNATURE_LEN:
        raise TamperedData(what, "truncated")
    _, _, device_id, seq, link, epoch, position = _RECORD_HEADER_V2.unpack_from(data)
    return RecordInfo(version, device_id, seq, link, epoch, position)


def seal_record(
    key: KeyRing | VaultKey,
    magic: bytes,
    record: Record,
    rng: RandomBytes = system_random,
    *,
    signer: DeviceKeys | None = None,
    position: int = 0,
) -> bytes:
    """Seal a record: v1 under a format-1 ring, else v2 under `ring.now`, signed by `signer`.

    `position` (v2): the newest membership log entry the author had accepted.
    """
    ring = KeyRing.of(key)
    kind = _KINDS[magic]
    nonce = rng(NONCE_LEN)
    if ring.format == 1:
        if signer is not None:
            raise ValueError("a format-1 vault writes unsigned v1 records")
        header = _RECORD_HEADER.pack(magic, VERSION, record.device_id, record.seq, record.link)
        aead = AESGCM(ring.stable.subkey(kind.purpose))
        return (
            header
            + nonce
            + aead.encrypt(nonce, record.payload, kind.label_v1 + ring.vault_id + header)
        )
    if signer is None:
        raise ValueError("a format-2 vault signs every record: pass the device's keys")
    header = _RECORD_HEADER_V2.pack(
        magic, VERSION_V2, record.device_id, record.seq, record.link, ring.current, position
    )
    aead = AESGCM(ring.now.subkey(kind.purpose))
    body = (
        header + nonce + aead.encrypt(nonce, record.payload, kind.label_v2 + ring.vault_id + header)
    )
    return body + _sign(signer, record.device_id, kind.context, body)


def open_record(
    key: KeyRing | VaultKey,
    magic: bytes,
    data: bytes,
    *,
    device_id: bytes,
    seq: int,
    link: bytes | None = None,
    verify_key: VerifyKey | None = None,
    require_signed: bool = False,
) -> Record:
    """Open a record found at (device_id, seq); `link`, if given, must match its chain link.

    A v2 record's signature is checked with `verify_key` (the author device's
    key) when given; `require_signed` refuses a v1 record (`DowngradeRefused`)
    and needs `verify_key`. The epoch's key comes from the ring
    (`EpochKeyMissing` if this device was not given it).
    """
    _check_signing(require_signed, verify_key)
    ring = KeyRing.of(key)
    kind = _KINDS[magic]
    what = kind.what
    info = peek_record(magic, data)
    if info.device_id != device_id or info.seq != seq:
        raise TamperedData(
            what,
            f"found at device {device_id.hex()} seq {seq} but sealed for "
            f"device {info.device_id.hex()} seq {info.seq}: replayed or moved",
        )
    if link is not None and info.link != link:
        raise TamperedData(what, "breaks the device's hash chain")
    if info.version == VERSION:
        if require_signed:
            _refuse_unsigned(what)
        header, label, end = data[: _RECORD_HEADER.size], kind.label_v1, len(data)
    else:
        header, label, end = (
            data[: _RECORD_HEADER_V2.size],
            kind.label_v2,
            len(data) - SIGNATURE_LEN,
        )
        if verify_key is not None:
            _verify(verify_key, kind.context, data[:end], data[end:], what)
    epoch_key = ring.key(info.epoch, what)
    nonce = data[len(header) : len(header) + NONCE_LEN]
    try:
        payload = AESGCM(epoch_key.subkey(kind.purpose)).decrypt(
            nonce, data[len(header) + NONCE_LEN : end], label + ring.vault_id + header
        )
    except InvalidTag:
        raise TamperedData(what, f"device {device_id.hex()} seq {seq}") from None
    return Record(
        info.device_id, info.seq, info.link, payload, info.epoch, info.position, info.version
    )


@dataclass(frozen=True)
class Head:
    """A device's newest segment: the single object that device overwrites."""

    device_id: bytes
    seq: int
    segment_hash: bytes
    extra: bytes = b""
    epoch: int = 1
    position: int = 0
    version: int = VERSION


def _head_aad(vault_id: bytes, header: bytes, version: int) -> bytes:
    label = b"coffre/head/v1\x00" if version == VERSION else b"coffre/head/v2\x00"
    return label + vault_id + header


def pad_head_extra(extra: bytes) -> bytes:
    """`extra` and spaces (0x20) up to the next multiple of HEAD_EXTRA_BLOCK (at least one)."""
    size = max(HEAD_EXTRA_BLOCK, -(-len(extra) // HEAD_EXTRA_BLOCK) * HEAD_EXTRA_BLOCK)
    return extra + b" " * (size - len(extra))


def peek_head(data: bytes | bytearray | memoryview) -> HeadInfo:
    """The clear header of a head object (untrusted until opened)."""
    what = HEAD_WHAT
    if len(data) < _HEAD_HEADER.size + NONCE_LEN + _HEAD_BODY.size + TAG_LEN:
        raise TamperedData(what, "truncated")
    if bytes(data[:4]) != HEAD_MAGIC:
        raise TamperedData(what, "bad magic")
    version = data[4]
    check_version(what, version, VERSION_V2, oldest=VERSION)
    if version == VERSION:
        return HeadInfo(version, bytes(data[5 : _HEAD_HEADER.size]), 1, 0)
    if len(data) < _HEAD_HEADER_V2.size + NONCE_LEN + _HEAD_BODY.size + TAG_LEN + SIGNATURE_LEN:
        raise TamperedData(what, "truncated")
    _, _, device_id, epoch, position = _HEAD_HEADER_V2.unpack_from(data)
    return HeadInfo(version, device_id, epoch, position)


def seal_head(
    key: KeyRing | VaultKey,
    head: Head,
    rng: RandomBytes = system_random,
    *,
    signer: DeviceKeys | None = None,
    position: int = 0,
) -> bytes:
    """Seal a head (v1 under a format-1 ring, else v2 signed by `signer`).

    Its `extra` is padded (`pad_head_extra`), and unpadded by `open_head`.
    """
    ring = KeyRing.of(key)
    nonce = rng(NONCE_LEN)
    body = _HEAD_BODY.pack(head.seq, head.segment_hash) + pad_head_extra(head.extra)
    if ring.format == 1:
        if signer is not None:
            raise ValueError("a format-1 vault writes unsigned v1 heads")
        header = _HEAD_HEADER.pack(HEAD_MAGIC, VERSION, head.device_id)
        aead = AESGCM(ring.stable.subkey(Purpose.HEAD))
        return header + nonce + aead.encrypt(nonce, body, _head_aad(ring.vault_id, header, VERSION))
    if signer is None:
        raise ValueError("a format-2 vault signs every head: pass the device's keys")
    header = _HEAD_HEADER_V2.pack(HEAD_MAGIC, VERSION_V2, head.device_id, ring.current, position)
    aead = AESGCM(ring.now.subkey(Purpose.HEAD))
    sealed = (
        header + nonce + aead.encrypt(nonce, body, _head_aad(ring.vault_id, header, VERSION_V2))
    )
    return sealed + _sign(signer, head.device_id, HEAD_CONTEXT, sealed)


def open_head(
    key: KeyRing | VaultKey,
    data: bytes,
    *,
    device_id: bytes,
    accepted: Head | None = None,
    verify_key: VerifyKey | None = None,
    require_signed: bool = False,
) -> Head:
    """Open `heads/<device_id>`, refusing anything older than the `accepted` head.

    Signatures and epochs as `open_record`.
    """
    _check_signing(require_signed, verify_key)
    ring = KeyRing.of(key)
    what = HEAD_WHAT
    info = peek_head(data)
    if info.device_id != device_id:
        raise TamperedData(what, "sealed for another device: replayed or moved")
    if info.version == VERSION:
        if require_signed:
            _refuse_unsigned(what)
        header, end = data[: _HEAD_HEADER.size], len(data)
    else:
        header, end = data[: _HEAD_HEADER_V2.size], len(data) - SIGNATURE_LEN
        if verify_key is not None:
            _verify(verify_key, HEAD_CONTEXT, data[:end], data[end:], what)
    epoch_key = ring.key(info.epoch, what)
    nonce = data[len(header) : len(header) + NONCE_LEN]
    try:
        body = AESGCM(epoch_key.subkey(Purpose.HEAD)).decrypt(
            nonce,
            data[len(header) + NONCE_LEN : end],
            _head_aad(ring.vault_id, header, info.version),
        )
    except InvalidTag:
        raise TamperedData(what, f"device {device_id.hex()}") from None
    seq, segment_hash = _HEAD_BODY.unpack_from(body)
    extra = body[_HEAD_BODY.size :].rstrip(b" ")
    head = Head(info.device_id, seq, segment_hash, extra, info.epoch, info.position, info.version)
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
