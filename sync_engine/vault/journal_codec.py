"""The plaintext inside journal segments and snapshots: versions as compact JSON.

Pure encoding and strict decoding; the envelopes around it are crypto/records.py.
A segment payload is zstd(JSON):

    {"format": 1, "device": "<32 hex>", "name": "<device name>", "ops": [op, ...]}

and each op is a positional array (short, and zstd shrinks the repetition):

    [counter, path, [[device, counter], ...] (supersedes), hlc, kind, size,
     mtime_ns, executable (0/1), content hash (hex),
     [[chunk id (hex), pack id (hex), offset, length, plain length], ...],
     symlink target or null, and, for a conflict copy only, the path it lost at]

A segment may also carry, each key optional (readers that predate them
ignore them, which only ever keeps garbage; see `SegmentMeta`):
"at" (ms when sealed), "read" ({device: seq} it had read), "acks"
([[collector, seq], ...] GC marks it applied), "mark" (a GC mark: {"packs":
[pack id, ...], "covers": {device: seq}, "moved": [[old pack, chunk ref...], ...]}),
"swept" ([[collector, seq], ...] marks fully processed), "settings" ([[hlc,
device, {field: ms}], ...]), "purge" ([[device, counter], ...] versions erased).

Every op of a segment belongs to the segment's device: a reader refuses a
segment that carries another device's versions. A snapshot payload is
{"format": 1, "covers": {device: [seq, segment hash hex]}, "names": {device:
name}, "versions": [[device, op], ...]} plus, optional, "settings" (the
updates in force), "marks" ([[collector, seq, mark], ...] not yet swept) and
"moved" (every relocation of a repacked chunk, as in a mark) and "history"
([[device, op], ...] older versions the retention still keeps: for history
and GC only, never merged, since their superseders may be gone).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import zstandard

from crypto.errors import TamperedData, UnsupportedFormat

from ..core.gc_rules import Mark, MarkId, Moved
from ..core.model import ChunkRef, Kind, Version, VersionId
from ..core.vault_settings import SettingsUpdate, update_from_json, update_to_json

FORMAT = 1
_MAX_PAYLOAD = 1 << 30
_KINDS = {k.value: k for k in Kind}


class _Malformed(Exception):
    pass


def version_to_json(v: Version) -> list[Any]:
    """One op, as stored in segments, snapshots and the local state."""
    return [
        v.vid.counter,
        v.path,
        sorted([s.device, s.counter] for s in v.supersedes),
        v.hlc,
        v.kind.value,
        v.size,
        v.mtime_ns,
        int(v.executable),
        v.content_hash.hex(),
        [[c.chunk_id.hex(), c.pack_id, c.offset, c.length, c.plain_length] for c in v.chunks],
        v.symlink_target,
    ] + ([v.copy_of] if v.copy_of is not None else [])


def _int(x: object) -> int:
    if not isinstance(x, int) or isinstance(x, bool) or x < 0:
        raise _Malformed("expected a non-negative integer")
    return x


def _str(x: object) -> str:
    if not isinstance(x, str):
        raise _Malformed("expected a string")
    return x


def _list(x: object) -> list[Any]:
    if not isinstance(x, list):
        raise _Malformed("expected a list")
    return x


def _hex(x: object) -> bytes:
    try:
        return bytes.fromhex(_str(x))
    except ValueError as exc:
        raise _Malformed("expected hex") from exc


_NO_IDS: frozenset[VersionId] = frozenset()


def _version(device: str, op: object) -> Version:
    """Strictly decode one op of `device` (raises _Malformed)."""
    fields = _list(op)
    if len(fields) not in (11, 12):
        raise _Malformed("an op has the wrong number of fields")
    counter, path, supersedes, hlc, kind, size, mtime, exe, chash, chunks, target = fields[:11]
    copy_of = _str(fields[11]) if len(fields) == 12 else None
    if kind not in _KINDS:
        raise _Malformed(f"unknown kind {kind!r}")
    if target is not None:
        _str(target)
    # Shared, not one copy per version: the device id, pack ids and an empty supersedes
    # set (a first download holds every version of the vault in memory at once).
    intern = sys.intern
    try:
        superseded = [
            VersionId(intern(_str(s[0])), _int(s[1])) for s in map(_list, _list(supersedes))
        ]
        return Version(
            vid=VersionId(intern(device), _int(counter)),
            path=_str(path),
            supersedes=frozenset(superseded) if superseded else _NO_IDS,
            hlc=_int(hlc),
            kind=_KINDS[kind],
            size=_int(size),
            mtime_ns=_int(mtime),
            executable=bool(_int(exe)),
            content_hash=_hex(chash),
            chunks=tuple(
                ChunkRef(_hex(c[0]), intern(_str(c[1])), _int(c[2]), _int(c[3]), _int(c[4]))
                for c in map(_list, _list(chunks))
            ),
            symlink_target=target,
            copy_of=copy_of,
        )
    except (ValueError, IndexError) as exc:
        raise _Malformed(str(exc)) from exc


def _pack(obj: object) -> bytes:
    return bytes(zstandard.ZstdCompressor(level=3).compress(_dumps(obj).encode()))


def _unpack(payload: bytes, what: str) -> dict[str, Any]:
    try:
        raw = zstandard.ZstdDecompressor().decompress(payload, max_output_size=_MAX_PAYLOAD)
        obj = json.loads(raw)
    except (zstandard.ZstdError, ValueError) as exc:
        raise TamperedData(what, "payload is not valid") from exc
    if not isinstance(obj, dict):
        raise TamperedData(what, "payload is not an object")
    if obj.get("format") != FORMAT:
        raise UnsupportedFormat(f"{what} uses payload format {obj.get('format')!r}; update Coffre.")
    return obj


def version_from_json(device: str, op: object) -> Version:
    """Decode an op from trusted local state (ValueError if it is malformed)."""
    try:
        return _version(device, op)
    except _Malformed as exc:
        raise ValueError(str(exc)) from exc


@dataclass(frozen=True)
class SegmentMeta:
    """What a segment says besides versions: GC protocol, vault settings, purges."""

    at_ms: int | None = None
    read: dict[str, int] = field(default_factory=dict)
    acks: tuple[MarkId, ...] = ()
    mark: Mark | None = None  # its seq is the segment's; 0 until the journal fills it in
    swept: tuple[MarkId, ...] = ()
    settings: tuple[SettingsUpdate, ...] = ()
    purge: tuple[VersionId, ...] = ()


@dataclass(frozen=True)
class Segment:
    device: str
    device_name: str
    versions: tuple[Version, ...]
    meta: SegmentMeta = SegmentMeta()


def ref_to_json(c: ChunkRef) -> list[Any]:
    return [c.chunk_id.hex(), c.pack_id, c.offset, c.length, c.plain_length]


def _ref(c: object) -> ChunkRef:
    f = _list(c)
    if len(f) != 5:
        raise _Malformed("a chunk reference has five fields")
    return ChunkRef(_hex(f[0]), _str(f[1]), _int(f[2]), _int(f[3]), _int(f[4]))


def moved_to_json(m: Moved) -> list[Any]:
    return [m.from_pack, *ref_to_json(m.to)]


def _moved(obj: object) -> Moved:
    f = _list(obj)
    if len(f) != 6:
        raise _Malformed("a relocation has six fields")
    return Moved(_str(f[0]), _ref(f[1:]))


def mark_to_json(m: Mark) -> dict[str, Any]:
    return {
        "packs": sorted(m.packs),
        "covers": dict(sorted(m.covers.items())),
        "moved": [moved_to_json(r) for r in m.moved],
    }


def mark_from_json(collector: str, seq: int, obj: object) -> Mark:
    if not isinstance(obj, dict):
        raise _Malformed("a mark must be an object")
    covers = obj.get("covers")
    if not isinstance(covers, dict):
        raise _Malformed("a mark's covers must be an object")
    return Mark(
        collector,
        seq,
        frozenset(_str(p) for p in _list(obj.get("packs"))),
        {_str(d): _int(n) for d, n in covers.items()},
        tuple(_moved(r) for r in _list(obj.get("moved", []))),
    )


def _meta_to_json(meta: SegmentMeta) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if meta.at_ms is not None:
        out["at"] = meta.at_ms
    if meta.read:
        out["read"] = dict(sorted(meta.read.items()))
    if meta.acks:
        out["acks"] = sorted([d, n] for d, n in meta.acks)
    if meta.mark is not None:
        out["mark"] = mark_to_json(meta.mark)
    if meta.swept:
        out["swept"] = sorted([d, n] for d, n in meta.swept)
    if meta.settings:
        out["settings"] = [update_to_json(u) for u in meta.settings]
    if meta.purge:
        out["purge"] = sorted([v.device, v.counter] for v in meta.purge)
    return out


def _meta_from_json(device: str, obj: dict[str, Any]) -> SegmentMeta:
    read = obj.get("read", {})
    if not isinstance(read, dict):
        raise _Malformed("read must be an object")
    try:
        settings = tuple(update_from_json(u) for u in _list(obj.get("settings", [])))
    except ValueError as exc:
        raise _Malformed(str(exc)) from exc
    at = obj.get("at")
    return SegmentMeta(
        at_ms=None if at is None else _int(at),
        read={_str(d): _int(n) for d, n in read.items()},
        acks=tuple((_str(a[0]), _int(a[1])) for a in map(_list, _list(obj.get("acks", [])))),
        mark=None if obj.get("mark") is None else mark_from_json(device, 0, obj["mark"]),
        swept=tuple((_str(a[0]), _int(a[1])) for a in map(_list, _list(obj.get("swept", [])))),
        settings=settings,
        purge=tuple(
            VersionId(_str(p[0]), _int(p[1])) for p in map(_list, _list(obj.get("purge", [])))
        ),
    )


def encode_segment(
    device: str,
    device_name: str,
    versions: Iterable[Version],
    meta: SegmentMeta | None = None,
) -> bytes:
    body: dict[str, Any] = {"format": FORMAT, "device": device, "name": device_name, "ops": []}
    if meta is not None:
        body.update(_meta_to_json(meta))
    # The ops are encoded one at a time into the text json.dumps(body) would give (the same
    # bytes): a round of 100,000 files would otherwise hold every op as a list, then as
    # text, then as bytes, at once (about 90 MB).
    head, empty, tail = _dumps(body).partition('"ops":[]')  # the first is the key itself
    if not empty:
        raise RuntimeError("encode_segment: the body has no ops key")
    text = bytearray(head.encode())
    text += b'"ops":['
    for i, v in enumerate(versions):
        if v.vid.device != device:
            raise ValueError("a segment holds only its own device's versions")
        if i:
            text += b","
        text += _dumps(version_to_json(v)).encode()
    text += b"]"
    text += tail.encode()
    return bytes(zstandard.ZstdCompressor(level=3).compress(text))


def _dumps(obj: object) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def decode_segment(payload: bytes, device: str) -> Segment:
    what = "A journal segment"
    obj = _unpack(payload, what)
    if obj.get("device") != device:
        raise TamperedData(what, "it names another device")
    try:
        versions = tuple(_version(device, op) for op in _list(obj.get("ops")))
        return Segment(device, _str(obj.get("name")), versions, _meta_from_json(device, obj))
    except (_Malformed, IndexError, ValueError) as exc:
        raise TamperedData(what, str(exc)) from exc


@dataclass(frozen=True)
class Snapshot:
    covers: dict[str, tuple[int, bytes]]
    names: dict[str, str]
    versions: tuple[Version, ...]
    settings: tuple[SettingsUpdate, ...] = ()
    marks: tuple[Mark, ...] = ()
    moved: tuple[Moved, ...] = ()
    history: tuple[Version, ...] = ()


def encode_snapshot(
    covers: Mapping[str, tuple[int, bytes]],
    names: Mapping[str, str],
    versions: Iterable[Version],
    *,
    settings: Iterable[SettingsUpdate] = (),
    marks: Iterable[Mark] = (),
    moved: Iterable[Moved] = (),
    history: Iterable[Version] = (),
) -> bytes:
    body: dict[str, Any] = {
        "format": FORMAT,
        "covers": {d: [seq, h.hex()] for d, (seq, h) in sorted(covers.items())},
        "names": dict(sorted(names.items())),
        "versions": [[v.vid.device, version_to_json(v)] for v in versions],
    }
    settings_list = [update_to_json(u) for u in settings]
    marks_list = [[m.collector, m.seq, mark_to_json(m)] for m in marks]
    moved_list = [moved_to_json(r) for r in moved]
    if settings_list:
        body["settings"] = settings_list
    if marks_list:
        body["marks"] = marks_list
    if moved_list:
        body["moved"] = moved_list
    history_list = [[v.vid.device, version_to_json(v)] for v in history]
    if history_list:
        body["history"] = history_list
    return _pack(body)


def decode_snapshot(payload: bytes) -> Snapshot:
    what = "A snapshot"
    obj = _unpack(payload, what)
    try:
        covers_obj = obj.get("covers")
        names_obj = obj.get("names")
        if not isinstance(covers_obj, dict) or not isinstance(names_obj, dict):
            raise _Malformed("covers and names must be objects")
        covers = {_str(d): (_int(c[0]), _hex(c[1])) for d, c in covers_obj.items()}
        names = {_str(d): _str(n) for d, n in names_obj.items()}
        versions = tuple(
            _version(_str(item[0]), item[1]) for item in map(_list, _list(obj.get("versions")))
        )
        settings = tuple(update_from_json(u) for u in _list(obj.get("settings", [])))
        marks = tuple(
            mark_from_json(_str(m[0]), _int(m[1]), m[2])
            for m in map(_list, _list(obj.get("marks", [])))
        )
        moved = tuple(_moved(r) for r in _list(obj.get("moved", [])))
        history = tuple(
            _version(_str(item[0]), item[1]) for item in map(_list, _list(obj.get("history", [])))
        )
    except (_Malformed, IndexError, ValueError) as exc:
        raise TamperedData(what, str(exc)) from exc
    return Snapshot(covers, names, versions, settings, marks, moved, history)
