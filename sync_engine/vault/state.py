"""The engine's local state: one SQLite database per synced folder, outside the folder.

Holds what a device must remember between rounds: every version it has read
(the merge input and the history), the newest head accepted from each device
(rollback protection), the Synced tree, where chunks are in the store
(deduplication), its own journal position with a write-ahead copy of the
segment being published, and the problems reported by the last round.

WAL mode, one transaction per applied step: a crash (even kill -9) leaves the
state of the last committed step, and every rule in the engine is written so
that replaying a step from there is harmless.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from crypto.reason import Reason

from ..core.gc_rules import DeviceStatus, Mark, MarkId, Moved, relocate
from ..core.model import ChunkRef, Kind, SyncedEntry, Version, VersionId
from ..core.round_outcome import Problem as Problem  # re-exported: a round's problems
from ..core.round_outcome import RoundProblem as RoundProblem
from ..core.vault_settings import SettingsUpdate, update_from_json, update_to_json
from .journal_codec import mark_from_json, mark_to_json, version_from_json, version_to_json

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    device TEXT NOT NULL, counter INTEGER NOT NULL, path TEXT NOT NULL,
    hlc INTEGER NOT NULL, op TEXT NOT NULL, PRIMARY KEY (device, counter));
CREATE INDEX IF NOT EXISTS versions_path ON versions (path);
CREATE TABLE IF NOT EXISTS heads (
    device TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL,
    etag TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS synced (
    path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, content_hash BLOB NOT NULL, executable INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id BLOB PRIMARY KEY, pack_id TEXT NOT NULL, offset INTEGER NOT NULL,
    length INTEGER NOT NULL, plain_length INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pending_segment (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS problems (
    path TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (path, kind));
CREATE TABLE IF NOT EXISTS gc_marks (
    collector TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, swept INTEGER NOT NULL,
    PRIMARY KEY (collector, seq));
CREATE TABLE IF NOT EXISTS forbidden_packs (pack_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS relocations (
    chunk_id BLOB NOT NULL, from_pack TEXT NOT NULL, pack_id TEXT NOT NULL,
    offset INTEGER NOT NULL, length INTEGER NOT NULL, plain_length INTEGER NOT NULL,
    PRIMARY KEY (chunk_id, from_pack));
CREATE TABLE IF NOT EXISTS settings_updates (
    hlc INTEGER NOT NULL, device TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (hlc, device, body));
CREATE TABLE IF NOT EXISTS device_status (
    device TEXT PRIMARY KEY, last_ms INTEGER, read TEXT NOT NULL, acks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (
    device TEXT NOT NULL, counter INTEGER NOT NULL, path TEXT NOT NULL,
    hlc INTEGER NOT NULL, op TEXT NOT NULL, PRIMARY KEY (device, counter));
CREATE INDEX IF NOT EXISTS history_path ON history (path);
CREATE TABLE IF NOT EXISTS purged (
    device TEXT NOT NULL, counter INTEGER NOT NULL, PRIMARY KEY (device, counter));
CREATE TABLE IF NOT EXISTS member_entries (slot INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, stored_at TEXT NOT NULL,
    time_ns INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class AcceptedHead:
    seq: int
    segment_hash: bytes
    etag: str
    name: str


class SyncedStat(NamedTuple):
    """What the scanner needs of a Synced entry: cheap to load for 100,000 paths."""

    kind: Kind
    size: int
    mtime_ns: int
    inode: int
    content_hash: bytes
    executable: bool = False
    ctime_ns: int = 0


@dataclass(frozen=True)
class QuarantineItem:
    item_id: int
    path: str
    stored_at: str
    time_ns: int


def _synced_to_json(e: SyncedEntry) -> str:
    version = None if e.version is None else [e.version.vid.device, version_to_json(e.version)]
    heads = sorted([h.device, h.counter] for h in e.heads)
    return json.dumps([version, heads, e.size, e.mtime_ns, e.inode], separators=(",", ":"))


def _synced_from_json(text: str) -> SyncedEntry:
    version, heads, size, mtime_ns, inode = json.loads(text)
    return SyncedEntry(
        version=None if version is None else version_from_json(version[0], version[1]),
        heads=frozenset(VersionId(d, c) for d, c in heads),
        size=size,
        mtime_ns=mtime_ns,
        inode=inode,
    )


class LocalState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._depth = 0
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            found = self.get_meta("schema_version")
            if found is None:
                self.set_meta("schema_version", SCHEMA_VERSION)
            elif found != SCHEMA_VERSION:
                raise RuntimeError(
                    f"The local state {path} was written by another version of Coffre "
                    f"(schema {found}); update Coffre."
                )

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self, *, durable: bool = False) -> Iterator[None]:
        """One atomic step; nested uses join the outer transaction.

        WAL with synchronous=NORMAL survives a killed process but may lose the
        last commits on power loss; `durable` fsyncs this commit, for the few
        steps whose loss a restart cannot repair (the journal's own position).
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if durable:
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0
            if durable:
                self._db.execute("PRAGMA synchronous=NORMAL")

    # --- meta --------------------------------------------------------------------------

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value))
        )

    # --- versions ------------------------------------------------------------------------

    def add_versions(self, versions: Iterable[Version]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO versions (device, counter, path, hlc, op) VALUES (?,?,?,?,?)",
            (
                (v.vid.device, v.vid.counter, v.path, v.hlc, json.dumps(version_to_json(v)))
                for v in versions
            ),
        )
        # A purged version never comes back, whoever still lists it.
        self._db.execute(
            "DELETE FROM versions WHERE EXISTS (SELECT 1 FROM purged p "
            "WHERE p.device = versions.device AND p.counter = versions.counter)"
        )

    def purge_versions(self, vids: Iterable[VersionId]) -> None:
        """Erase versions for good (`coffre purge`): gone from history and never re-added.

        Every version they supersede, directly or not, goes too: a purger that
        only knew the newest version of a file still erases the older ones
        this device knows (else the newest gone, an older one would be a
        head again).
        """
        doomed = set(vids)
        todo = list(doomed)
        while todo:
            vid = todo.pop()
            row = self._db.execute(
                "SELECT op FROM versions WHERE device = ? AND counter = ? UNION "
                "SELECT op FROM history WHERE device = ? AND counter = ?",
                (vid.device, vid.counter) * 2,
            ).fetchone()
            if row is None:
                continue
            for older in version_from_json(vid.device, json.loads(row[0])).supersedes:
                if older not in doomed:
                    doomed.add(older)
                    todo.append(older)
        rows = [(v.device, v.counter) for v in doomed]
        self._db.executemany("INSERT OR IGNORE INTO purged (device, counter) VALUES (?,?)", rows)
        self._db.executemany("DELETE FROM versions WHERE device = ? AND counter = ?", rows)
        self._db.executemany("DELETE FROM history WHERE device = ? AND counter = ?", rows)
        # The version count no longer grows only: the next round must plan (engine's fast path).
        self.set_meta("settled_at_versions", None)

    def purged_versions(self) -> frozenset[VersionId]:
        """Every version a purge read by this device erased (and never accepts again)."""
        rows = self._db.execute("SELECT device, counter FROM purged")
        return frozenset(VersionId(d, int(c)) for d, c in rows)

    def versions_under(self, path: str) -> list[Version]:
        """Every version known at `path` or below it (history from a snapshot included)."""
        rows = self._db.execute(
            "SELECT device, op FROM versions WHERE path = ? OR substr(path, 1, ?) = ? UNION "
            "SELECT device, op FROM history WHERE path = ? OR substr(path, 1, ?) = ?",
            (path, len(path) + 1, path + "/") * 2,
        )
        return [version_from_json(d, json.loads(op)) for d, op in rows]

    def add_history(self, versions: Iterable[Version]) -> None:
        """Older versions a snapshot says are still kept: history and GC, never the merge."""
        self._db.executemany(
            "INSERT OR IGNORE INTO history (device, counter, path, hlc, op) VALUES (?,?,?,?,?)",
            (
                (v.vid.device, v.vid.counter, v.path, v.hlc, json.dumps(version_to_json(v)))
                for v in versions
            ),
        )

    def known_versions(self) -> list[Version]:
        """The merge's versions and the snapshot history, once each: what retention reads."""
        rows = self._db.execute(
            "SELECT device, op FROM versions UNION SELECT h.device, h.op FROM history h "
            "WHERE NOT EXISTS (SELECT 1 FROM versions v "
            "WHERE v.device = h.device AND v.counter = h.counter)"
        )
        return [version_from_json(d, json.loads(op)) for d, op in rows]

    def all_versions(self) -> list[Version]:
        rows = self._db.execute("SELECT device, op FROM versions")
        return [version_from_json(d, json.loads(op)) for d, op in rows]

    def versions_at(self, path: str) -> list[Version]:
        """Every version known at `path`, oldest first (history from a snapshot included)."""
        rows = self._db.execute(
            "SELECT device, op, hlc, counter FROM versions WHERE path = ? UNION "
            "SELECT device, op, hlc, counter FROM history WHERE path = ? "
            "ORDER BY hlc, device, counter",
            (path, path),
        )
        seen: set[tuple[str, int]] = set()
        out = []
        for d, op, _hlc, counter in rows:
            if (d, counter) not in seen:
                seen.add((d, counter))
                out.append(version_from_json(d, json.loads(op)))
        return out

    def has_versions(self, path: str) -> bool:
        """Whether any device ever wrote a version at `path` (an indexed lookup)."""
        row = self._db.execute("SELECT 1 FROM versions WHERE path = ? LIMIT 1", (path,))
        return row.fetchone() is not None

    def version_count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM versions").fetchone()[0])

    # --- heads ---------------------------------------------------------------------------

    def accepted_heads(self) -> dict[str, AcceptedHead]:
        rows = self._db.execute("SELECT device, seq, hash, etag, name FROM heads")
        return {d: AcceptedHead(s, bytes(h), e, n) for d, s, h, e, n in rows}

    def set_head(self, device: str, head: AcceptedHead) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO heads (device, seq, hash, etag, name) VALUES (?,?,?,?,?)",
            (device, head.seq, head.segment_hash, head.etag, head.name),
        )

    # --- synced tree ---------------------------------------------------------------------

    def synced(self) -> dict[str, SyncedEntry]:
        rows = self._db.execute("SELECT path, entry FROM synced")
        return {path: _synced_from_json(entry) for path, entry in rows}

    def synced_stats(self) -> dict[str, SyncedStat]:
        rows = self._db.execute(
            "SELECT path, kind, size, mtime_ns, inode, content_hash, executable, ctime_ns "
            "FROM synced"
        )
        kinds = {k.value: k for k in Kind}
        # tuple.__new__ itself: no Python frame per row (the keyword constructor and
        # _make have one), for 100,000 rows on every round.
        new, cls = tuple.__new__, SyncedStat
        return {p: new(cls, (kinds[k], s, m, i, h, x == 1, c)) for p, k, s, m, i, h, x, c in rows}

    def put_synced(self, path: str, entry: SyncedEntry, ctime_ns: int = 0) -> None:
        """`ctime_ns` of the file as recorded (0: unknown, the next scan reads it again)."""
        self.put_synced_many([(path, entry, ctime_ns)])

    def put_synced_many(self, rows: Iterable[tuple[str, SyncedEntry, int]]) -> None:
        """`put_synced` for many paths in one statement (a round's published files)."""
        self._db.executemany(
            "INSERT OR REPLACE INTO synced (path, kind, size, mtime_ns, inode, content_hash, "
            "executable, ctime_ns, entry) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (
                    path,
                    entry.kind.value,
                    entry.size,
                    entry.mtime_ns,
                    entry.inode,
                    b"" if entry.version is None else entry.version.content_hash,
                    entry.version is not None and entry.version.executable,
                    ctime_ns,
                    _synced_to_json(entry),
                )
                for path, entry, ctime_ns in rows
            ),
        )

    def delete_synced(self, path: str) -> None:
        self._db.execute("DELETE FROM synced WHERE path = ?", (path,))

    # --- chunk locations -----------------------------------------------------------------

    def chunk_location(self, chunk_id: bytes) -> ChunkRef | None:
        row = self._db.execute(
            "SELECT pack_id, offset, length, plain_length FROM chunks WHERE chunk_id = ?",
            (chunk_id,),
        ).fetchone()
        return None if row is None else ChunkRef(chunk_id, *row)

    def known_chunks(self, chunk_ids: Sequence[bytes]) -> set[bytes]:
        """Which of `chunk_ids` the vault already has: one query per 500, not one per chunk."""
        found: set[bytes] = set()
        for start in range(0, len(chunk_ids), 500):
            part = chunk_ids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f"SELECT chunk_id FROM chunks WHERE chunk_id IN ({marks})", tuple(part)
            )
            found.update(row[0] for row in rows)
        return found

    def add_chunks(self, refs: Iterable[ChunkRef], *, newest: bool = False) -> None:
        """Remember where chunks are, never in a pack a GC mark names (gc_rules.py);
        `newest`: a location read later replaces an older one (a chunk sent again by
        `coffre repair` is found where it now is)."""
        verb = "INSERT OR REPLACE" if newest else "INSERT OR IGNORE"
        forbidden = self.forbidden_packs()
        has_moved = self._db.execute("SELECT 1 FROM relocations LIMIT 1").fetchone() is not None
        moved = self.relocations() if has_moved else {}
        refs = [relocate(r, moved) for r in refs]
        with self.transaction():
            self._db.executemany(
                f"{verb} INTO chunks (chunk_id, pack_id, offset, length, plain_length) "
                "VALUES (?,?,?,?,?)",
                (
                    (r.chunk_id, r.pack_id, r.offset, r.length, r.plain_length)
                    for r in refs
                    if r.pack_id not in forbidden
                ),
            )

    def forget_chunk_locations(self, chunk_ids: Iterable[bytes]) -> None:
        """Drop locations the store lost, so the next upload of that content sends it again."""
        with self.transaction():
            self._db.executemany("DELETE FROM chunks WHERE chunk_id = ?", ((c,) for c in chunk_ids))

    # --- garbage collection (gc_rules.py) --------------------------------------------------

    def apply_mark(self, mark: Mark) -> None:
        """Stop using the marked packs, and learn where their kept chunks moved."""
        self._db.execute(
            "INSERT OR IGNORE INTO gc_marks (collector, seq, body, swept) VALUES (?,?,?,0)",
            (mark.collector, mark.seq, json.dumps(mark_to_json(mark))),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO forbidden_packs (pack_id) VALUES (?)",
            ((p,) for p in mark.packs),
        )
        self._db.executemany("DELETE FROM chunks WHERE pack_id = ?", ((p,) for p in mark.packs))
        self.apply_relocations(mark.moved)

    def apply_relocations(self, moved: Iterable[Moved]) -> None:
        """Learn where repacked chunks are now, for reading them.

        Not for deduplication: a relocation read late may point at a pack a
        later repack emptied and a sweep removed. The chunk table learns new
        places only through `add_chunks`, from versions read, following the
        relocations to the end.
        """
        self._db.executemany(
            "INSERT OR REPLACE INTO relocations "
            "(chunk_id, from_pack, pack_id, offset, length, plain_length) VALUES (?,?,?,?,?,?)",
            (
                (
                    m.to.chunk_id,
                    m.from_pack,
                    m.to.pack_id,
                    m.to.offset,
                    m.to.length,
                    m.to.plain_length,
                )
                for m in moved
            ),
        )

    def marks(self, *, pending_only: bool = True) -> list[Mark]:
        sql = "SELECT collector, seq, body FROM gc_marks"
        if pending_only:
            sql += " WHERE swept = 0"
        rows = self._db.execute(sql + " ORDER BY collector, seq")
        return [mark_from_json(c, n, json.loads(b)) for c, n, b in rows]

    def set_swept(self, mark: MarkId) -> None:
        self._db.execute(
            "UPDATE gc_marks SET swept = 1 WHERE collector = ? AND seq = ?", (mark[0], mark[1])
        )

    def forbidden_packs(self) -> frozenset[str]:
        return frozenset(r[0] for r in self._db.execute("SELECT pack_id FROM forbidden_packs"))

    def relocations(self) -> dict[tuple[bytes, str], ChunkRef]:
        rows = self._db.execute(
            "SELECT chunk_id, from_pack, pack_id, offset, length, plain_length FROM relocations"
        )
        return {(bytes(c), f): ChunkRef(bytes(c), p, o, n, pl) for c, f, p, o, n, pl in rows}

    def relocation_list(self) -> list[Moved]:
        return [Moved(f, ref) for (_, f), ref in self.relocations().items()]

    def add_settings(self, updates: Iterable[SettingsUpdate]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO settings_updates (hlc, device, body) VALUES (?,?,?)",
            ((u.hlc, u.device, json.dumps(update_to_json(u))) for u in updates),
        )

    def settings_updates(self) -> list[SettingsUpdate]:
        rows = self._db.execute("SELECT body FROM settings_updates")
        return [update_from_json(json.loads(b)) for (b,) in rows]

    def set_device_status(self, status: DeviceStatus) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO device_status (device, last_ms, read, acks) VALUES (?,?,?,?)",
            (
                status.device,
                status.last_ms,
                json.dumps(dict(status.read)),
                json.dumps(sorted(list(a) for a in status.acks)),
            ),
        )

    def device_statuses(self) -> dict[str, DeviceStatus]:
        rows = self._db.execute("SELECT device, last_ms, read, acks FROM device_status")
        return {
            d: DeviceStatus(d, m, json.loads(r), frozenset((a, n) for a, n in json.loads(k)))
            for d, m, r, k in rows
        }

    def reset_remote(self) -> None:
        """Forget everything read from the store (a rejoin reads it again)."""
        self.set_meta("settled_at_versions", None)
        for table in ("versions", "history", "heads", "chunks", "device_status"):
            self._db.execute(f"DELETE FROM {table}")

    # --- membership log: the entries accepted, in slot order (membership_log.py) ----------

    def member_entries(self) -> list[tuple[int, bytes]]:
        rows = self._db.execute("SELECT slot, data FROM member_entries ORDER BY slot")
        return [(slot, bytes(data)) for slot, data in rows]

    def add_member_entries(self, entries: Iterable[tuple[int, bytes]]) -> None:
        self._db.executemany(
            "INSERT INTO member_entries (slot, data) VALUES (?, ?)",
            ((slot, data) for slot, data in entries),
        )

    # --- own journal: write-ahead copy of the segment being published ---------------------

    def pending_segment(self) -> tuple[int, bytes] | None:
        row = self._db.execute("SELECT seq, data FROM pending_segment").fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def set_pending_segment(self, seq: int, data: bytes) -> None:
        self._db.execute("DELETE FROM pending_segment")
        self._db.execute("INSERT INTO pending_segment (seq, data) VALUES (?, ?)", (seq, data))

    def clear_pending_segment(self) -> None:
        self._db.execute("DELETE FROM pending_segment")

    # --- problems of the last round ------------------------------------------------------

    def replace_problems(self, problems: Iterable[Problem]) -> None:
        self._db.execute("DELETE FROM problems")
        self._db.executemany(
            "INSERT OR REPLACE INTO problems (path, kind, reason) VALUES (?,?,?)",
            ((p.path, p.kind, p.reason.to_json()) for p in problems),
        )

    def problems(self) -> list[Problem]:
        rows = self._db.execute("SELECT path, kind, reason FROM problems ORDER BY path, kind")
        return [Problem(path, kind, Reason.from_json(reason)) for path, kind, reason in rows]

    # --- quarantine ----------------------------------------------------------------------

    def add_quarantined(self, path: str, stored_at: str, time_ns: int) -> None:
        self._db.execute(
            "INSERT INTO quarantine (path, stored_at, time_ns) VALUES (?,?,?)",
            (path, stored_at, time_ns),
        )

    def quarantined(self) -> list[QuarantineItem]:
        rows = self._db.execute(
            "SELECT id, path, stored_at, time_ns FROM quarantine ORDER BY time_ns DESC, id DESC"
        )
        return [QuarantineItem(*r) for r in rows]

    def remove_quarantined(self, item_id: int) -> None:
        self._db.execute("DELETE FROM quarantine WHERE id = ?", (item_id,))
