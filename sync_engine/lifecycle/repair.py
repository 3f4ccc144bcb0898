"""`coffre repair`: send again what the store lost, from this device's own files.

After a check: every current file whose chunks are missing or damaged, and
whose copy on this device's disk is still exactly the synced content (its
content hash is verified by reading it before anything is sent), is packed
again and published as a new version of that path with the same content; the
old locations are forgotten so the packer does not trust them. Everything
else the check found (older versions, files this device does not have) is
marked lost in the local state, which `coffre check` then lists as lost. A
local file is never deleted or changed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.merge import merge
from ..core.model import Kind, Version, unstamped
from ..disk.localfs import FsError
from ..engine import Engine
from ..executor import Outgoing
from ..transfer.packer import Digester, FileDigest
from ..transfer.pipeline import StoreBridge, Uploader
from ..vault.state import LocalState
from .check import check_store

LOST_META = "lost_chunks"


@dataclass
class RepairResult:
    resent: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # "path (version)" of what could not be saved


def lost_chunks(state: LocalState) -> set[tuple[str, bytes]]:
    """Chunk locations (pack id hex, chunk id) a repair found lost: `check` says "lost"."""
    return {(p, bytes.fromhex(c)) for p, c in json.loads(state.get_meta(LOST_META, "[]"))}


def _mark_lost(state: LocalState, where: Iterable[tuple[str, bytes]]) -> None:
    known = lost_chunks(state) | set(where)
    with state.transaction():
        state.set_meta(LOST_META, json.dumps(sorted([p, c.hex()] for p, c in known)))


@dataclass(frozen=True)
class _Candidate:
    path: str
    version: Version


def _verify(engine: Engine, candidates: list[_Candidate]) -> list[_Candidate]:
    """Those whose file on disk still hashes to the lost version's content (worker thread)."""
    digester = Digester(engine.key)
    good = []
    for c in candidates:
        try:
            with engine.fs.open_read(c.path) as stream:
                digest = digester.digest_stream(stream)
        except (OSError, FsError):  # gone or unreadable here: another device may have it
            continue
        if digest.content_hash == c.version.content_hash and digest.size == c.version.size:
            good.append(c)
    return good


def _resend(
    engine: Engine, uploader: Uploader, candidates: list[_Candidate]
) -> list[tuple[_Candidate, FileDigest]]:
    sent = []
    for c in candidates:
        with engine.fs.open_read(c.path) as stream:
            digest = uploader.add(stream)
        if digest.content_hash == c.version.content_hash:  # unchanged since _verify
            sent.append((c, digest))
    uploader.finish()
    return sent


async def repair(engine: Engine, *, read_data_percent: float | None = None) -> RepairResult:
    state = engine.state
    names = engine.journal.device_names()
    report = await check_store(
        engine.store,
        engine.key,
        local_versions=state.all_versions(),
        names=names,
        read_data_percent=read_data_percent,
        authors=engine.journal.authors(),
    )
    result = RepairResult()
    if not report.bad_chunks:
        return result
    bad_ids = {chunk_id for _pack, chunk_id in report.bad_chunks}
    state.forget_chunk_locations(bad_ids)
    by_vid = {v.vid: v for v in report.versions}
    wanted = [
        _Candidate(a.path, by_vid[a.vid])
        for a in report.affected
        if a.current and by_vid[a.vid].kind is Kind.FILE
    ]
    verified = await asyncio.to_thread(_verify, engine, wanted)
    bridge = StoreBridge(engine.store, asyncio.get_running_loop())
    uploader = Uploader(engine.key, bridge, state.chunk_location)
    try:
        sent = await asyncio.to_thread(_resend, engine, uploader, verified)
    finally:
        await asyncio.to_thread(uploader.wait)
        state.add_chunks(uploader.drain_stored())
    tree = merge(state.all_versions(), names)
    outgoing = []
    for c, digest in sent:
        entry = tree.entries.get(c.path)
        on_disk = engine.fs.stat(c.path)
        if entry is None or on_disk is None:
            continue
        outgoing.append(
            Outgoing(
                unstamped(
                    c.path,
                    entry.heads,
                    Kind.FILE,
                    size=digest.size,
                    mtime_ns=c.version.mtime_ns,
                    executable=c.version.executable,
                    content_hash=digest.content_hash,
                    chunks=uploader.locate(digest),
                ),
                stat=(on_disk.size, on_disk.mtime_ns, on_disk.inode),
                ctime_ns=on_disk.ctime_ns,
            )
        )
        result.resent.append(c.path)
    await engine.publish(outgoing)
    saved = {c.path for c, _ in sent}
    result.lost = [
        f"{a.path} ({'current version' if a.current else f'older version {a.vid}'})"
        for a in report.affected
        if not (a.current and a.path in saved)
    ]
    _mark_lost(state, report.bad_chunks)
    return result
