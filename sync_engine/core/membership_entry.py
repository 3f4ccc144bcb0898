"""One entry of a shared vault's membership log: its fields and its canonical bytes.

An entry is `signed || signature length (u32) || signature`; `signed` is the
canonical encoding below, with every field present in a fixed order (unused
ones zero or empty), so one entry has exactly one encoding and the bytes a
device signed are the bytes every reader checks. docs/FORMAT.md "Membership
log" gives the layout byte by byte, with vectors.

    magic "CFME" | version 1 | kind u8 | vault id 16 | position u64 |
    previous entry hash 32 | epoch u32 | at_ms u64 | signer device id 16 |
    subject identity id 16 | device id 16 | role u8 |
    identity length u32 | identity | certificate length u32 | certificate |
    cut count u32 | count x (device id 16 | seq u64)

The CUT names, for each device an entry is about, the newest journal segment
seq the signing owner had accepted from it (write authority: a segment past
the cut is judged at the entry's position, sync_engine/core/authority.py).
Its devices are in strictly increasing byte order, so one cut has one
encoding. Integers are unsigned and little-endian, as everywhere in the
format. Decoding refuses anything but that exact shape (a short or long
entry, an unknown kind or role, a length that overruns, a cut out of order),
with `MalformedEntry`. Which kinds may carry a cut is a rule
(membership.py), not a matter of shape. Pure:
no hashing, no signatures here (the rules in `membership.py` call an
injected checker for those).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from itertools import pairwise

__all__ = [
    "CUT_ITEM_LEN",
    "ENTRY_MAGIC",
    "ENTRY_VERSION",
    "HASH_LEN",
    "ID_LEN",
    "MAX_ENTRY_LEN",
    "NO_ID",
    "Cut",
    "EntryKind",
    "MalformedEntry",
    "MemberEntry",
    "Role",
    "SignedEntry",
    "decode_entry",
    "encode_signed",
    "join_entry",
]

ENTRY_MAGIC = b"CFME"
ENTRY_VERSION = 1
ID_LEN = 16  # identity ids, device ids and vault ids
HASH_LEN = 32  # SHA-256 of the previous entry
NO_ID = bytes(ID_LEN)  # an id field the entry's kind does not use
MAX_ENTRY_LEN = 1 << 20  # far above any real entry (a hybrid signature is 3,373 bytes)
_FIXED_LEN = 4 + 1 + 1 + ID_LEN + 8 + HASH_LEN + 4 + 8 + ID_LEN + ID_LEN + ID_LEN + 1
CUT_ITEM_LEN = ID_LEN + 8  # device id, seq

# A cut: (device id, newest segment seq accepted from it), devices in increasing order.
Cut = tuple[tuple[bytes, int], ...]


class EntryKind(enum.Enum):
    """What an entry does; the value is its byte in the encoding."""

    CREATE = 1
    ADD_MEMBER = 2
    REMOVE_MEMBER = 3
    CHANGE_ROLE = 4
    ADD_DEVICE = 5
    REMOVE_DEVICE = 6
    ROTATE_KEY = 7


class Role(enum.Enum):
    """A member's role; the value is its byte in the encoding (0 is "no role")."""

    OWNER = 1
    EDITOR = 2
    READER = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class MalformedEntry(ValueError):
    """Bytes that are not a membership entry of a version this Coffre reads."""


@dataclass(frozen=True, slots=True)
class MemberEntry:
    """The signed content of an entry (see the module docstring for the fields)."""

    kind: EntryKind
    vault_id: bytes
    position: int
    previous: bytes  # hash of the entry at position - 1; zeros for position 0
    epoch: int  # the key epoch once this entry is applied
    at_ms: int  # when the signer wrote it (informative: no rule reads it)
    signer: bytes  # the device that signs
    subject: bytes = NO_ID  # the person the entry is about
    device: bytes = NO_ID  # the device the entry is about
    role: Role | None = None
    identity: bytes = b""  # a person's public identity (crypto.identity's bytes)
    certificate: bytes = b""  # a device certificate (crypto.device's bytes)
    cut: Cut = ()  # per device of the subject: the newest segment seq the signer accepted


@dataclass(frozen=True, slots=True)
class SignedEntry:
    """An entry as stored: its content, the exact bytes signed, and the signature."""

    entry: MemberEntry
    signed: bytes
    signature: bytes

    @property
    def data(self) -> bytes:
        return join_entry(self.signed, self.signature)


def _u(value: int, size: int, what: str) -> bytes:
    if not 0 <= value < 1 << (8 * size):
        raise ValueError(f"{what} {value} does not fit in {size} bytes")
    return value.to_bytes(size, "little")


def _id(value: bytes, what: str, size: int = ID_LEN) -> bytes:
    if len(value) != size:
        raise ValueError(f"{what} must be {size} bytes, not {len(value)}")
    return value


def _cut(cut: Cut) -> bytes:
    devices = [device for device, _ in cut]
    if devices != sorted(set(devices)):
        raise ValueError("a cut names each device once, in increasing byte order")
    return _u(len(cut), 4, "cut count") + b"".join(
        _id(device, "cut device") + _u(seq, 8, "cut seq") for device, seq in cut
    )


def encode_signed(e: MemberEntry) -> bytes:
    """The canonical bytes a device signs for `e`."""
    return b"".join(
        (
            ENTRY_MAGIC,
            bytes((ENTRY_VERSION, e.kind.value)),
            _id(e.vault_id, "vault id"),
            _u(e.position, 8, "position"),
            _id(e.previous, "previous hash", HASH_LEN),
            _u(e.epoch, 4, "epoch"),
            _u(e.at_ms, 8, "time"),
            _id(e.signer, "signer"),
            _id(e.subject, "subject"),
            _id(e.device, "device"),
            bytes((0 if e.role is None else e.role.value,)),
            _u(len(e.identity), 4, "identity length"),
            e.identity,
            _u(len(e.certificate), 4, "certificate length"),
            e.certificate,
            _cut(e.cut),
        )
    )


def join_entry(signed: bytes, signature: bytes) -> bytes:
    """The stored bytes of an entry: what was signed, then the signature."""
    return signed + _u(len(signature), 4, "signature length") + signature


class _Reader:
    __slots__ = ("at", "data")

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int, what: str) -> bytes:
        if self.at + n > len(self.data):
            raise MalformedEntry(f"the entry ends inside its {what}")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def int(self, n: int, what: str) -> int:
        return int.from_bytes(self.take(n, what), "little")

    def chunk(self, what: str) -> bytes:
        return self.take(self.int(4, f"{what} length"), what)


def decode_entry(data: bytes) -> SignedEntry:
    """The entry `data` holds; `MalformedEntry` unless it is exactly one canonical entry."""
    if len(data) > MAX_ENTRY_LEN:
        raise MalformedEntry(f"the entry is {len(data)} bytes, more than any entry")
    r = _Reader(data)
    if r.take(4, "magic") != ENTRY_MAGIC:
        raise MalformedEntry("not a membership entry (wrong magic)")
    version = r.int(1, "version")
    if version != ENTRY_VERSION:
        raise MalformedEntry(f"membership entry version {version} (this Coffre reads 1)")
    kind_byte = r.int(1, "kind")
    try:
        kind = EntryKind(kind_byte)
    except ValueError:
        raise MalformedEntry(f"unknown entry kind {kind_byte}") from None
    vault_id = r.take(ID_LEN, "vault id")
    position = r.int(8, "position")
    previous = r.take(HASH_LEN, "previous hash")
    epoch = r.int(4, "epoch")
    at_ms = r.int(8, "time")
    signer = r.take(ID_LEN, "signer")
    subject = r.take(ID_LEN, "subject")
    device = r.take(ID_LEN, "device")
    role_byte = r.int(1, "role")
    try:
        role = None if role_byte == 0 else Role(role_byte)
    except ValueError:
        raise MalformedEntry(f"unknown role {role_byte}") from None
    identity = r.chunk("identity")
    certificate = r.chunk("certificate")
    count = r.int(4, "cut count")
    if count * CUT_ITEM_LEN > len(data) - r.at:
        raise MalformedEntry("the entry ends inside its cut")
    cut = tuple((r.take(ID_LEN, "cut"), r.int(8, "cut")) for _ in range(count))
    if any(a[0] >= b[0] for a, b in pairwise(cut)):
        raise MalformedEntry("the cut's devices are not in increasing order")
    signed_len = r.at
    signature = r.chunk("signature")
    if r.at != len(data):
        raise MalformedEntry(f"{len(data) - r.at} bytes follow the signature")
    assert signed_len >= _FIXED_LEN
    entry = MemberEntry(
        kind, vault_id, position, previous, epoch, at_ms, signer, subject, device, role,
        identity, certificate, cut,
    )  # fmt: skip
    return SignedEntry(entry, data[:signed_len], signature)
