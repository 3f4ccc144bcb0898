"""The plaintext inside journal segments and snapshots: versions as compact JSON.

Pure encoding and strict decoding; the envelopes around it are crypto/records.py.
A segment payload is zstd(JSON):

    {"format": 1, "device": "<32 hex>", "name": "<device name>", "ops": [op, ...]}

and each op is a positional array (short, and zstd shrinks the repetition):

    [counter, path, [[device, counter], ...] (supersedes), hlc, kind, size,
     mtime_ns, executable (0/1), content hash (hex),
     [[chunk id (hex), pack id (hex), offset, length, plain length], ...],
     symlink target or null, and, for a conflict copy only, the path it lost at]

Every op of a segment belongs to the segment's device: a reader refuses a
segment that carries another device's versions. A snapshot payload is
{"format": 1, "covers": {device: [seq, segment hash hex]}, "names": {device:
name}, "versions": [[device, op], ...]}.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import zstandard

from crypto.errors import TamperedData, UnsupportedFormat

from ..core.model import ChunkRef, Kind, Version, VersionId

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
    try:
        return Version(
            vid=VersionId(device, _int(counter)),
            path=_str(path),
            supersedes=frozenset(
                VersionId(_str(s[0]), _int(s[1])) for s in map(_list, _list(supersedes))
            ),
            hlc=_int(hlc),
            kind=_KINDS[kind],
            size=_int(size),
            mtime_ns=_int(mtime),
            executable=bool(_int(exe)),
            content_hash=_hex(chash),
            chunks=tuple(
                ChunkRef(_hex(c[0]), _str(c[1]), _int(c[2]), _int(c[3]), _int(c[4]))
                for c in map(_list, _list(chunks))
            ),
            symlink_target=target,
            copy_of=copy_of,
        )
    except (ValueError, IndexError) as exc:
        raise _Malformed(str(exc)) from exc


def _pack(obj: object) -> bytes:
    raw = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    return bytes(zstandard.ZstdCompressor(level=3).compress(raw))


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
class Segment:
    device: str
    device_name: str
    versions: tuple[Version, ...]


def encode_segment(device: str, device_name: str, versions: Iterable[Version]) -> bytes:
    ops = []
    for v in versions:
        if v.vid.device != device:
            raise ValueError("a segment holds only its own device's versions")
        ops.append(version_to_json(v))
    return _pack({"format": FORMAT, "device": device, "name": device_name, "ops": ops})


def decode_segment(payload: bytes, device: str) -> Segment:
    what = "A journal segment"
    obj = _unpack(payload, what)
    if obj.get("device") != device:
        raise TamperedData(what, "it names another device")
    try:
        versions = tuple(_version(device, op) for op in _list(obj.get("ops")))
        return Segment(device, _str(obj.get("name")), versions)
    except _Malformed as exc:
        raise TamperedData(what, str(exc)) from exc


@dataclass(frozen=True)
class Snapshot:
    covers: dict[str, tuple[int, bytes]]
    names: dict[str, str]
    versions: tuple[Version, ...]


def encode_snapshot(
    covers: Mapping[str, tuple[int, bytes]], names: Mapping[str, str], versions: Iterable[Version]
) -> bytes:
    return _pack(
        {
            "format": FORMAT,
            "covers": {d: [seq, h.hex()] for d, (seq, h) in sorted(covers.items())},
            "names": dict(sorted(names.items())),
            "versions": [[v.vid.device, version_to_json(v)] for v in versions],
        }
    )


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
    except (_Malformed, IndexError) as exc:
        raise TamperedData(what, str(exc)) from exc
    return Snapshot(covers, names, versions)
