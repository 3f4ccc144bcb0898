"""A second implementation of the store format, written from docs/FORMAT.md's prose alone.

It shares no code with `crypto/` or `sync_engine/` (tests/test_independent_format.py
checks its imports): only `cryptography`, `blake3`, `zstandard` and the standard
library. If it and the real code disagree on a vector or a real vault, either the
code or the document is wrong, which is the point: the vectors are then not
merely the code agreeing with itself. Readers only; nothing here writes objects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any

import blake3
import zstandard
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mldsa, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

LABELS = (
    "chunk-id",
    "chunk",
    "file-hash",
    "pack-index",
    "segment",
    "snapshot",
    "head",
    "header",
    "forward",
    "chunker-seed",
)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_PLAINTEXT = 16 * 1024 * 1024


class FormatError(ValueError):
    """An object does not read as FORMAT.md says it must."""


def _hkdf(ikm: bytes, salt: bytes, info: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def _aead_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes, what: str) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    except InvalidTag:
        raise FormatError(f"{what}: the tag does not verify") from None


def canonical(x: Any) -> bytes:
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def padme(length: int) -> int:
    if length < 2:
        return length
    e = length.bit_length() - 1  # floor(log2 L)
    s = e.bit_length()  # floor(log2 E) + 1
    mask = (1 << (e - s)) - 1
    return (length + mask) & ~mask


@dataclass(frozen=True)
class Keys:
    """The vault key K, the vault id V and the sub-keys of section "Keys"."""

    vault_key: bytes
    vault_id: bytes

    def sub(self, label: str) -> bytes:
        if label not in LABELS:
            raise KeyError(label)
        return _hkdf(self.vault_key, self.vault_id, b"coffre/v1/" + label.encode())

    def chunker_seed(self) -> int:
        s = int.from_bytes(self.sub("chunker-seed")[:8], "little") & ((1 << 63) - 1)
        return s or 1


# --- recovery key ---------------------------------------------------------------------------


def recovery_checksum(secret: bytes) -> bytes:
    return hashlib.sha256(b"coffre/v1/recovery-check" + secret).digest()[:4]


def format_recovery_key(secret: bytes) -> str:
    number = int.from_bytes(secret + recovery_checksum(secret), "big")
    chars = "".join(CROCKFORD[(number >> (5 * (31 - i))) & 31] for i in range(32))
    return "-".join(chars[i : i + 4] for i in range(0, 32, 4))


def parse_recovery_key(text: str) -> bytes:
    cleaned = text.upper().replace(" ", "").replace("-", "")
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != 32 or any(c not in CROCKFORD for c in cleaned):
        raise FormatError("a recovery key is 32 Crockford base32 characters")
    number = 0
    for c in cleaned:
        number = number * 32 + CROCKFORD.index(c)
    raw = number.to_bytes(20, "big")
    if raw[16:] != recovery_checksum(raw[:16]):
        raise FormatError("recovery key checksum mismatch")
    return raw[:16]


# --- vault header and key slots -------------------------------------------------------------


def read_header(header: bytes) -> dict[str, Any]:
    body = json.loads(header.decode("utf-8"))
    if body.get("format") != "coffre-vault" or body.get("version") != 1:
        raise FormatError("not a version 1 Coffre vault header")
    return dict(body)


def check_header_mac(header: dict[str, Any], keys: Keys) -> None:
    body = {k: v for k, v in header.items() if k != "mac"}
    expected = hmac.new(keys.sub("header"), canonical(body), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(header.get("mac", ""))):
        raise FormatError("the header MAC does not verify")


def _unwrap_slot(header: dict[str, Any], slot: dict[str, Any], data: bytes, wrap: bytes) -> Keys:
    if len(data) != 65 or data[:4] != b"CFKS" or data[4] != 1:
        raise FormatError("a key slot is 65 bytes starting with CFKS 0x01")
    vault_id = bytes.fromhex(header["vault_id"])
    aad = (
        b"coffre/keyslot/v1\x00" + struct.pack("<H", header["version"]) + vault_id + canonical(slot)
    )
    vault_key = _aead_open(wrap, data[5:17], data[17:], aad, "key slot")
    keys = Keys(vault_key, vault_id)
    check_header_mac(header, keys)
    return keys


def unlock_with_passphrase(header_bytes: bytes, slots: dict[str, bytes], passphrase: str) -> Keys:
    header = read_header(header_bytes)
    for slot in header["slots"]:
        if slot["kind"] != "passphrase":
            continue
        kdf = slot["kdf"]
        if kdf["alg"] != "argon2id" or kdf["memory_kib"] < 65536 or kdf["iterations"] < 3:
            raise FormatError("Argon2id below the floor")
        wrap = Argon2id(
            salt=bytes.fromhex(slot["salt"]),
            length=32,
            iterations=kdf["iterations"],
            lanes=kdf["lanes"],
            memory_cost=kdf["memory_kib"],
        ).derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))
        return _unwrap_slot(header, slot, slots[f"keys/{slot['id']}"], wrap)
    raise FormatError("no passphrase slot")


def unlock_with_recovery_key(header_bytes: bytes, slots: dict[str, bytes], key: str) -> Keys:
    header = read_header(header_bytes)
    secret = parse_recovery_key(key)
    for slot in header["slots"]:
        if slot["kind"] == "recovery" and slot["kdf"] == {"alg": "hkdf-sha256"}:
            wrap = _hkdf(secret, bytes.fromhex(slot["salt"]), b"coffre/v1/recovery-slot")
            return _unwrap_slot(header, slot, slots[f"keys/{slot['id']}"], wrap)
    raise FormatError("no recovery slot")


# --- chunks and packs -----------------------------------------------------------------------


def chunk_id(keys: Keys, plaintext: bytes) -> bytes:
    return blake3.blake3(plaintext, key=keys.sub("chunk-id")).digest()


def open_chunk(keys: Keys, cid: bytes, envelope: bytes) -> bytes:
    if len(envelope) < 30 or envelope[0] != 1:
        raise FormatError("a chunk envelope starts with version 0x01 and is at least 30 bytes")
    flags = envelope[1]
    if flags & ~1:
        raise FormatError("unknown chunk flags")
    key = HKDFExpand(hashes.SHA256(), 32, b"coffre/v1/chunk-key" + cid).derive(keys.sub("chunk"))
    aad = b"coffre/chunk/v1\x00" + keys.vault_id + cid + bytes([1, flags])
    payload = _aead_open(key, envelope[2:14], envelope[14:], aad, "chunk")
    plain = payload
    if flags & 1:
        plain = zstandard.ZstdDecompressor().decompress(payload, max_output_size=MAX_PLAINTEXT)
    if chunk_id(keys, plain) != cid:
        raise FormatError("a chunk's content does not match its id")
    return plain


@dataclass(frozen=True)
class IndexEntry:
    chunk_id: bytes
    offset: int
    length: int
    plain_length: int


def open_pack_index(keys: Keys, pack_id: bytes, data: bytes) -> list[IndexEntry]:
    if data[:8] != b"CFPK\x01\x00\x00\x00":
        raise FormatError("a pack starts with CFPK 0x01 0x00 0x00 0x00")
    if len(data) != padme(len(data)):
        raise FormatError("a pack's length is not a Padmé length")
    (index_len,) = struct.unpack("<I", data[-4:])
    index_offset = len(data) - 4 - index_len
    if index_offset < 8:
        raise FormatError("the index length points before the pack header")
    envelope = data[index_offset:-4]
    aad = b"coffre/pack-index/v1\x00" + keys.vault_id + pack_id + struct.pack("<Q", index_offset)
    index = _aead_open(keys.sub("pack-index"), envelope[:12], envelope[12:], aad, "pack index")
    (count,) = struct.unpack_from("<I", index)
    entries = []
    pos = 4
    for _ in range(count):
        cid, offset, length, plain = struct.unpack_from("<32sIII", index, pos)
        entries.append(IndexEntry(cid, offset, length, plain))
        pos += 44
    if any(index[pos:]):
        raise FormatError("the index padding is not zero")
    cursor = 8
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.offset != cursor:
            raise FormatError("the index entries do not tile the pack")
        cursor += entry.length
    if cursor != index_offset:
        raise FormatError("the index entries do not reach the index envelope")
    return entries


def open_pack(keys: Keys, pack_id: bytes, data: bytes) -> dict[bytes, bytes]:
    """Every chunk of a pack, by id, each opened and checked."""
    return {
        e.chunk_id: open_chunk(keys, e.chunk_id, data[e.offset : e.offset + e.length])
        for e in open_pack_index(keys, pack_id, data)
    }


# --- segments, snapshots, heads -------------------------------------------------------------

_RECORD_KINDS = {
    "segment": (b"CFSG", "segment", b"coffre/segment/v1\x00"),
    "snapshot": (b"CFSN", "snapshot", b"coffre/snapshot/v1\x00"),
}


@dataclass(frozen=True)
class OpenedRecord:
    link: bytes
    payload: bytes
    record_hash: bytes


def open_record(
    keys: Keys, kind: str, data: bytes, device: bytes, seq: int, link: bytes | None = None
) -> OpenedRecord:
    magic, label, prefix = _RECORD_KINDS[kind]
    if len(data) < 61 + 12 + 16:
        raise FormatError(f"{kind} truncated")
    got_magic, version, got_device, got_seq, got_link = struct.unpack_from("<4sB16sQ32s", data)
    if got_magic != magic or version != 1:
        raise FormatError(f"{kind}: wrong magic or version")
    if (got_device, got_seq) != (device, seq):
        raise FormatError(f"{kind}: found at another device or seq than it was sealed for")
    if link is not None and got_link != link:
        raise FormatError(f"{kind}: breaks the hash chain")
    header = data[:61]
    payload = _aead_open(
        keys.sub(label), data[61:73], data[73:], prefix + keys.vault_id + header, kind
    )
    return OpenedRecord(got_link, payload, hashlib.sha256(data).digest())


@dataclass(frozen=True)
class OpenedHead:
    seq: int
    segment_hash: bytes
    extra: bytes

    def name_and_seen(self) -> tuple[str | None, dict[str, tuple[int, bytes]]]:
        try:
            body = json.loads(self.extra)
        except ValueError:
            return None, {}
        if not isinstance(body, dict):
            return None, {}
        seen = {d: (v[0], bytes.fromhex(v[1])) for d, v in body.get("seen", {}).items()}
        return body.get("name"), seen


def open_head(keys: Keys, data: bytes, device: bytes) -> OpenedHead:
    if len(data) < 21 + 12 + 40 + 16 or data[:5] != b"CFHD\x01":
        raise FormatError("a head starts with CFHD 0x01")
    if data[5:21] != device:
        raise FormatError("a head sealed for another device")
    header = data[:21]
    body = _aead_open(
        keys.sub("head"),
        data[21:33],
        data[33:],
        b"coffre/head/v1\x00" + keys.vault_id + header,
        "head",
    )
    seq, segment_hash = struct.unpack_from("<Q32s", body)
    return OpenedHead(seq, segment_hash, body[40:].rstrip(b" "))  # the writer pads with 0x20


# --- format version 2 -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ring:
    """Section "Key epochs and sub-keys (v2)": E_n as `Keys` (same labels as v1's K)."""

    vault_id: bytes
    epochs: dict[int, Keys]

    def epoch(self, n: int) -> Keys:
        if n not in self.epochs:
            raise FormatError(f"sealed under epoch {n}, which this reader was not given")
        return self.epochs[n]

    @property
    def stable(self) -> Keys:
        return self.epochs[1]  # chunk-id, file-hash, chunker-seed


def _ed25519_verify(public: bytes, context: bytes, signed: bytes, signature: bytes) -> None:
    m = b"coffre/sig/v1/" + context + b"\x00" + signed
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, m)
    except InvalidSignature:
        raise FormatError("the device's Ed25519 signature does not verify") from None


def open_chunk_v2(ring: Ring, cid: bytes, envelope: bytes) -> bytes:
    """A chunk envelope of a v2 vault: 0x02 with its epoch, or a v1 one as epoch 1."""
    if envelope[:1] == b"\x01":
        return open_chunk(ring.epoch(1), cid, envelope)
    if len(envelope) < 34 or envelope[0] != 2:
        raise FormatError("a v2 chunk envelope starts with 0x02 and is at least 34 bytes")
    flags = envelope[1]
    if flags & ~1:
        raise FormatError("unknown chunk flags")
    (epoch,) = struct.unpack_from("<I", envelope, 2)
    prk = ring.epoch(epoch).sub("chunk")
    key = HKDFExpand(hashes.SHA256(), 32, b"coffre/v1/chunk-key" + cid).derive(prk)
    aad = b"coffre/chunk/v2\x00" + ring.vault_id + cid + bytes([2, flags]) + envelope[2:6]
    payload = _aead_open(key, envelope[6:18], envelope[18:], aad, "chunk v2")
    plain = payload
    if flags & 1:
        plain = zstandard.ZstdDecompressor().decompress(payload, max_output_size=MAX_PLAINTEXT)
    if chunk_id(ring.stable, plain) != cid:
        raise FormatError("a chunk's content does not match its id")
    return plain


def open_pack_v2(ring: Ring, pack_id: bytes, data: bytes) -> dict[bytes, bytes]:
    """Every chunk of a v2 pack, by id: the index under the trailer's epoch, every
    envelope a v2 envelope of that epoch."""
    if data[:8] != b"CFPK\x02\x00\x00\x00":
        raise FormatError("a v2 pack starts with CFPK 0x02 0x00 0x00 0x00")
    if len(data) != padme(len(data)):
        raise FormatError("a pack's length is not a Padmé length")
    epoch, index_len = struct.unpack("<II", data[-8:])
    index_offset = len(data) - 8 - index_len
    if index_offset < 8:
        raise FormatError("the index length points before the pack header")
    envelope = data[index_offset:-8]
    aad = (
        b"coffre/pack-index/v2\x00"
        + ring.vault_id
        + pack_id
        + struct.pack("<Q", index_offset)
        + struct.pack("<I", epoch)
    )
    index = _aead_open(
        ring.epoch(epoch).sub("pack-index"), envelope[:12], envelope[12:], aad, "pack index v2"
    )
    (count,) = struct.unpack_from("<I", index)
    entries = [IndexEntry(*struct.unpack_from("<32sIII", index, 4 + 44 * i)) for i in range(count)]
    if any(index[4 + 44 * count :]):
        raise FormatError("the index padding is not zero")
    cursor = 8
    for entry in sorted(entries, key=lambda e: e.offset):
        if entry.offset != cursor or entry.length < 34:
            raise FormatError("the index entries do not tile the pack")
        cursor += entry.length
    if cursor != index_offset:
        raise FormatError("the index entries do not reach the index envelope")
    out = {}
    for e in entries:
        env = data[e.offset : e.offset + e.length]
        if env[0] != 2 or struct.unpack_from("<I", env, 2)[0] != epoch:
            raise FormatError("a chunk of a v2 pack is not a v2 envelope of the pack's epoch")
        out[e.chunk_id] = open_chunk_v2(ring, e.chunk_id, env)
    return out


@dataclass(frozen=True)
class OpenedRecordV2:
    link: bytes
    epoch: int
    position: int
    payload: bytes
    record_hash: bytes


def open_record_v2(
    ring: Ring,
    kind: str,
    data: bytes,
    device: bytes,
    seq: int,
    ed25519_public: bytes,
    link: bytes | None = None,
) -> OpenedRecordV2:
    """A v2 segment or snapshot: signature first, then the epoch's sub-key."""
    magic, label, _ = _RECORD_KINDS[kind]
    if len(data) < 73 + 12 + 16 + 64:
        raise FormatError(f"{kind} v2 truncated")
    fields = struct.unpack_from("<4sB16sQ32sIQ", data)
    got_magic, version, got_device, got_seq, got_link, epoch, position = fields
    if got_magic != magic or version != 2:
        raise FormatError(f"{kind}: wrong magic or version")
    if (got_device, got_seq) != (device, seq):
        raise FormatError(f"{kind}: found at another device or seq than it was sealed for")
    if link is not None and got_link != link:
        raise FormatError(f"{kind}: breaks the hash chain")
    _ed25519_verify(ed25519_public, kind.encode(), data[:-64], data[-64:])
    prefix = f"coffre/{kind}/v2".encode() + b"\x00"
    payload = _aead_open(
        ring.epoch(epoch).sub(label),
        data[73:85],
        data[85:-64],
        prefix + ring.vault_id + data[:73],
        kind,
    )
    return OpenedRecordV2(got_link, epoch, position, payload, hashlib.sha256(data).digest())


def open_head_v2(ring: Ring, data: bytes, device: bytes, ed25519_public: bytes) -> OpenedHead:
    if len(data) < 33 + 12 + 40 + 16 + 64 or data[:5] != b"CFHD\x02":
        raise FormatError("a v2 head starts with CFHD 0x02")
    if data[5:21] != device:
        raise FormatError("a head sealed for another device")
    _ed25519_verify(ed25519_public, b"head", data[:-64], data[-64:])
    (epoch,) = struct.unpack_from("<I", data, 21)
    body = _aead_open(
        ring.epoch(epoch).sub("head"),
        data[33:45],
        data[45:-64],
        b"coffre/head/v2\x00" + ring.vault_id + data[:33],
        "head v2",
    )
    seq, segment_hash = struct.unpack_from("<Q32s", body)
    return OpenedHead(seq, segment_hash, body[40:].rstrip(b" "))


def open_forward(keys: Keys, data: bytes) -> dict[str, Any]:
    """A forwarding record (`heads/moved`, or the `coffre-move` marker): its payload."""
    if len(data) < 5 + 12 + 16 or data[:5] != b"CFMV\x01":
        raise FormatError("a forwarding record starts with CFMV 0x01")
    aad = b"coffre/forward/v1\x00" + keys.vault_id + b"CFMV\x01"
    payload = _aead_open(keys.sub("forward"), data[5:17], data[17:], aad, "forwarding record")
    body = json.loads(payload)
    if canonical(body) != payload or set(body) != {"from", "moved_at", "to"}:
        raise FormatError("a forwarding record's payload is canonical JSON of from, moved_at, to")
    return dict(body)


# --- identities, devices and key envelopes ----------------------------------------------------


def _seeds_to_keys(seeds: bytes) -> tuple[bytes, tuple[Any, Any, Any, Any]]:
    """Key bytes and key objects from Ed25519 (32) | ML-DSA-65 (32) | ML-KEM-768 (64) | X25519."""
    ed = ed25519.Ed25519PrivateKey.from_private_bytes(seeds[:32])
    ml = mldsa.MLDSA65PrivateKey.from_seed_bytes(seeds[32:64])
    kem = mlkem.MLKEM768PrivateKey.from_seed_bytes(seeds[64:128])
    xk = x25519.X25519PrivateKey.from_private_bytes(seeds[128:160])
    key_bytes = (
        ed.public_key().public_bytes_raw()
        + ml.public_key().public_bytes_raw()
        + kem.public_key().public_bytes_raw()
        + xk.public_key().public_bytes_raw()
    )
    return key_bytes, (ed, ml, kem, xk)


def _name(data: bytes, at: int) -> tuple[str, int]:
    (length,) = struct.unpack_from("<H", data, at)
    end = at + 2 + length
    if end > len(data):
        raise FormatError("truncated name")
    return data[at + 2 : end].decode("utf-8"), end


def read_identity_private(data: bytes) -> tuple[str, bytes, tuple[Any, Any, Any, Any]]:
    """Name, key bytes and keys of a "CFIK" object."""
    if data[:5] != b"CFIK\x01":
        raise FormatError("not an identity private object")
    name, end = _name(data, 5 + 160)
    if end != len(data):
        raise FormatError("trailing bytes")
    key_bytes, keys = _seeds_to_keys(data[5:165])
    return name, key_bytes, keys


def identity_id(key_bytes: bytes) -> bytes:
    return hashlib.sha256(b"coffre/identity/v1\x00" + key_bytes).digest()[:16]


def _fingerprint_value(key_bytes: bytes) -> bytes:
    return hashlib.sha256(b"coffre/fingerprint/v1\x00" + key_bytes).digest()[:15]


def fingerprint(key_bytes: bytes) -> str:
    text = base64.b32encode(_fingerprint_value(key_bytes)).decode()
    return " ".join(text[i : i + 4] for i in range(0, 24, 4))


def safety_number(key_bytes_a: bytes, key_bytes_b: bytes) -> str:
    lo, hi = sorted((_fingerprint_value(key_bytes_a), _fingerprint_value(key_bytes_b)))
    d = hashlib.sha256(b"coffre/safety-number/v1\x00" + lo + hi).digest()
    return " ".join(f"{int.from_bytes(d[5 * i : 5 * i + 5], 'big') % 100000:05d}" for i in range(6))


def verify_hybrid(key_bytes: bytes, context: bytes, message: bytes, signature: bytes) -> None:
    """Both halves over "coffre/sig/v1/" | context | 0x00 | message, or FormatError."""
    m = b"coffre/sig/v1/" + context + b"\x00" + message
    if len(signature) != 64 + 3309:
        raise FormatError("a hybrid signature is 3,373 bytes")
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(key_bytes[:32]).verify(signature[:64], m)
        mldsa.MLDSA65PublicKey.from_public_bytes(key_bytes[32:1984]).verify(signature[64:], m)
    except InvalidSignature:
        raise FormatError("signature does not verify") from None


def read_card(text: str) -> tuple[str, bytes]:
    """Name and key bytes of an identity card, its self-signature and lines checked."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    start = lines.index("Coffre identity card v1")
    name_line, id_line, fp_line = lines[start + 1 : start + 4]
    blob = base64.b64decode("".join(lines[start + 4 :]), validate=True)
    if blob[:5] != b"CFID\x01":
        raise FormatError("not a card")
    key_bytes = blob[5 : 5 + 3200]
    name, end = _name(blob, 5 + 3200)
    verify_hybrid(key_bytes, b"card", blob[:end], blob[end:])
    if (
        name_line != f"Name: {name}"
        or id_line != f"Id: {identity_id(key_bytes).hex()}"
        or fp_line != f"Fingerprint: {fingerprint(key_bytes)}"
    ):
        raise FormatError("a readable line differs from the signed part")
    return name, key_bytes


def unwrap_identity(data: bytes, passphrase: str) -> bytes:
    """The "CFIK" bytes inside a "CFIW" object."""
    if data[:5] != b"CFIW\x01":
        raise FormatError("not a wrapped identity")
    memory, iterations, lanes = struct.unpack_from("<III", data, 5)
    salt, nonce = data[17:33], data[33:45]
    w = Argon2id(
        salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory
    ).derive(unicodedata.normalize("NFC", passphrase).encode())
    return _aead_open(w, nonce, data[45:], b"coffre/identity-wrap/v1\x00" + data[:33], "wrap")


def read_device_certificate(data: bytes, person_key_bytes: bytes) -> dict[str, Any]:
    if data[:5] != b"CFDC\x01":
        raise FormatError("not a device certificate")
    name, end = _name(data, 5 + 16 + 16 + 8 + 3200)
    if data[5:21] != identity_id(person_key_bytes):
        raise FormatError("certificate of another identity")
    verify_hybrid(person_key_bytes, b"device-cert", data[:end], data[end:])
    (created,) = struct.unpack_from("<Q", data, 37)
    return {"device_id": data[21:37], "created_at_ms": created, "keys": data[45:3245], "name": name}


def open_envelope(
    data: bytes, kem_seed: bytes, x25519_key: bytes, vault_id: bytes, key_id: int, recipient: bytes
) -> bytes:
    if data[:5] != b"CFEV\x01" or len(data) != 1205:
        raise FormatError("not a key envelope")
    commit = data[5:37]
    info = b"coffre/envelope/v1\x00" + vault_id + struct.pack("<Q", key_id) + recipient + commit
    private = hpke.MLKEM768X25519PrivateKey(
        mlkem.MLKEM768PrivateKey.from_seed_bytes(kem_seed),
        x25519.X25519PrivateKey.from_private_bytes(x25519_key),
    )
    suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
    try:
        key = suite.decrypt(data[37:], private, info=info)
    except InvalidTag:
        raise FormatError("envelope does not open") from None
    expected = hmac.new(
        key, b"coffre/key-commit/v1" + vault_id + struct.pack("<Q", key_id), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(expected, commit):
        raise FormatError("key commitment mismatch")
    return key


_MEMBER_FIXED = struct.Struct("<4sBB16sQ32sIQ16s16s16sB")  # "Membership log", up to role
_KINDS = {
    1: "create",
    2: "add member",
    3: "remove member",
    4: "change role",
    5: "add device",
    6: "remove device",
    7: "rotate key",
}
_ROLES = {0: None, 1: "owner", 2: "editor", 3: "reader"}


def read_member_entry(data: bytes) -> dict[str, Any]:
    """The fields of a membership entry, its signed part and signature (no check of them)."""
    fixed = _MEMBER_FIXED.unpack_from(data, 0)
    magic, version, kind, vault, position, previous, epoch, at_ms, signer, subject, device, role = (
        fixed
    )
    if magic != b"CFME" or version != 1 or kind not in _KINDS or role not in _ROLES:
        raise FormatError("not a membership entry")
    at = _MEMBER_FIXED.size
    fields: dict[str, Any] = {}
    for name in ("identity", "certificate"):
        (length,) = struct.unpack_from("<I", data, at)
        fields[name] = data[at + 4 : at + 4 + length]
        at += 4 + length
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    cut = []
    for _ in range(count):
        if at + 24 > len(data):
            raise FormatError("the entry ends inside its cut")
        cut.append((data[at : at + 16], int.from_bytes(data[at + 16 : at + 24], "little")))
        at += 24
    if [d for d, _ in cut] != sorted({d for d, _ in cut}):
        raise FormatError("the cut's devices are not in strictly increasing order")
    fields["cut"] = cut
    signed = data[:at]
    (length,) = struct.unpack_from("<I", data, at)
    if at + 4 + length != len(data):
        raise FormatError("bytes after the signature, or a short one")
    return dict(
        fields,
        kind=_KINDS[kind],
        vault=vault,
        position=position,
        previous=previous,
        epoch=epoch,
        at_ms=at_ms,
        signer=signer,
        subject=subject,
        device=device,
        role=_ROLES[role],
        signed=signed,
        signature=data[at + 4 :],
    )


def _self_signed_identity(blob: bytes) -> tuple[str, bytes]:
    """Name and key bytes of an identity card's signed part, its self-signature checked."""
    if blob[:5] != b"CFID\x01":
        raise FormatError("not a public identity")
    key_bytes = blob[5:3205]
    name, end = _name(blob, 3205)
    verify_hybrid(key_bytes, b"card", blob[:end], blob[end:])
    return name, key_bytes


def read_member_log(vault: bytes, entries: list[bytes]) -> dict[str, Any]:
    """Read a membership log whose every entry is valid: chain, signatures, roles, devices.

    Only the checks FORMAT.md states for the bytes (the rules of who may sign
    what are SYNC.md's, and not repeated here): each entry names this vault and
    its slot, holds the previous entry's SHA-256, and carries the hybrid
    signature of a device whose certificate an earlier entry (or itself) holds.
    """
    people: dict[bytes, tuple[str, bytes, str]] = {}  # id -> name, key bytes, role
    devices: dict[bytes, bytes] = {}  # device id -> its signing key bytes (1,984)
    previous, epoch = bytes(32), 0
    cuts: dict[bytes, list[list[int]]] = {}  # device -> [[position, seq], ...]
    for slot, data in enumerate(entries):
        e = read_member_entry(data)
        if e["vault"] != vault or e["position"] != slot or e["previous"] != previous:
            raise FormatError(f"entry {slot} is out of its chain")
        if e["identity"]:
            name, key_bytes = _self_signed_identity(e["identity"])
            if identity_id(key_bytes) != e["subject"]:
                raise FormatError("the identity is not the subject's")
            people[e["subject"]] = (name, key_bytes, e["role"])
        if e["certificate"]:
            cert = read_device_certificate(e["certificate"], people[e["subject"]][1])
            devices[cert["device_id"]] = cert["keys"][:1984]
        verify_hybrid(devices[e["signer"]], b"member-entry", e["signed"], e["signature"])
        if e["kind"] == "change role":
            name, key_bytes, _ = people[e["subject"]]
            people[e["subject"]] = (name, key_bytes, e["role"])
        elif e["kind"] == "remove member":
            del people[e["subject"]]
        elif e["kind"] == "remove device":
            del devices[e["device"]]
        for device_id, seq in e["cut"]:
            cuts.setdefault(device_id, []).append([slot, seq])
        previous, epoch = hashlib.sha256(data).digest(), e["epoch"]
    return {
        "cuts": {d.hex(): marks for d, marks in cuts.items()},
        "members": {p.hex(): [name, role] for p, (name, _, role) in people.items()},
        "devices": sorted(d.hex() for d in devices),
        "epoch": epoch,
    }
