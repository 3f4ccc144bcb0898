"""A deterministic simulator of several devices syncing one vault (docs/ARCHITECTURE.md section 6).

Why: the engine's rules are each unit-tested, but the bugs that lose data
live in interleavings (an edit on one device while another crashes halfway
through publishing, a download racing a person's save...). This runs 2-4
devices against one MemoryStore, each with its own MemoryFs (SimFs) and its
own LocalState (SQLite file), and a scheduler driven by random.Random(seed)
interleaves:

  * the person's edits on one device's disk: create/modify/delete files (small
    contents, sometimes content another device also wrote; in some seeds ~1 MiB
    contents of several chunks, mostly shared), mkdir, recursive folder
    deletes, deleting almost everything, renames and moves of files and
    folders, editor-style saves (a temp name renamed over the file, sometimes
    with rounds in between), exec-bit flips, symlinks, a file replaced by a
    folder and back, ignored junk (Thumbs.db, *.tmp) in folders; two-device
    scenarios: the same path edited on two devices, equal edits, edit here and
    delete there, a file here and a folder there, a folder deleted here and
    added to there; a device that joins late (bootstrapping from a snapshot
    when there is one) with files already in its folder;
  * sync rounds of one device (`await engine.round()`), with a per-device
    clock injected as `clock_ns` (skewed, sometimes jumping back or forward);
  * one fault armed for a round, at its k-th operation: a crash (SimCrash)
    from the store's or the disk's fault hook, after which the device
    restarts (a new Engine on the reopened LocalState, the same disk after
    cleanup_temp_files()); StoreUnavailable once or for the rest of the round
    (retried by later rounds); a lost acknowledgement ("put:ack": the write
    happened, the caller got StoreUnavailable or died); a disk error (EIO,
    ENOSPC), a folder that cannot be listed (EACCES), the disk unmounted; the
    person editing, deleting or moving away, from the fs hook, the very path
    the engine is about to write, rename, quarantine or read; another device
    running a whole round in the middle of this one (between its pull and its
    publication).

Then a quiescent phase: no edits, no faults, rounds on every device in turn
until a full pass changes nothing (at most MAX_QUIET_PASSES; the person
confirms held mass deletions). Then the invariants, `_check_final`:

 1. Convergence. Every device's disk tree (paths, kinds, contents, exec
    bits, link targets; `.coffre*` files and ignored junk aside) is the same
    and equals the merged Remote tree; every device's merge equals the merge
    of the store's journals; its Synced tree equals Remote; no conflict copy
    is left without its resolution; every device's last round was settled.
 2. No lost version. (a) The versions in the store's journals (every segment
    of every device, decrypted and chain-checked, the last one announced by
    the device's head) are exactly those in every device's LocalState (a
    device bootstrapped from a snapshot may lack the history before it).
    (b) Every published file version restores from the store: its chunks
    exist, authenticate and hash to its content hash, and the bytes are
    something a person wrote. (c) Every local content the engine replaced (a
    download or a link over a file, a rename over a file) was the content of
    a published version. (d) Every content on a disk when the last edit was
    made is at the end on the disks or in history. (e) Survival: every
    content a person put at a synced path and that no person ever deleted or
    replaced *on any disk* is, at the end, on the disks (at its path, moved,
    or as a conflict copy). This is what "edit beats delete" and "a conflict
    keeps both" promise; history alone would not show a lost edit.
 3. No torn file. Every file on every disk (checked after every round) and
    in every quarantine holds exactly a content someone wrote; no
    `.coffre-tmp-*` file is left after any round that did not crash (those
    of a crash go at the restart's cleanup).
 4. Safety. The engine never asked a disk for a path outside its root
    (MemoryFs refuses it, SimFs records the refusal) and quarantines only
    under the device's quarantine folder; a file the person wrote inside a
    round, right before the engine acted on that path, is still there after
    the round (rule 1); a tombstone planned in a round names a path absent
    from the disk after it (rule 4, with unreadable folders and unmounts);
    deletions held by the mass-delete guard are reported as held and
    neither quarantined nor tombstoned until the person confirms.

A failure raises SimulationFailure with the seed, the violations and the
whole trace. `known_bug()` names the open engine bug that explains a failure
when one does (tests/sim/regressions.py lists them), so sweeps stay useful
while a fix is pending.

Replay: `python -m tests.sim.simulator --seed N --trace`, or `pytest
tests/sim -k seed_N`. A seed maps to one run only for one SIM_VERSION of the
generator: changing the generator remaps seeds, so re-check
tests/sim/regressions.py when bumping it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import hashlib
import io
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from crypto.chunk import ChunkCodec
from crypto.errors import CoffreCryptoError
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.records import SEGMENT_MAGIC, ZERO_HASH, open_head, open_record, record_hash
from sync_engine.core.actions import PlanLimits, Quarantine, UploadTombstone
from sync_engine.core.merge import MergedTree, merge
from sync_engine.core.model import Kind, StatKey, Version, VersionId
from sync_engine.disk.fs_errors import FsError, NameNotAllowed
from sync_engine.disk.localfs import INTERNAL_PREFIX, TEMP_PREFIX, FsEntry, TempFile
from sync_engine.engine import Engine, RoundReport
from sync_engine.stores.errors import StoreError, StoreUnavailable
from sync_engine.stores.memory import MemoryStore
from sync_engine.transfer.packer import ContentHasher, Digester
from sync_engine.vault.journal_codec import decode_segment
from sync_engine.vault.state import LocalState
from tests.memfs import MemoryFs

__all__ = [
    "SIM_VERSION",
    "SimConfig",
    "SimCrash",
    "SimResult",
    "Simulation",
    "SimulationFailure",
    "run_seed",
]

SIM_VERSION = 1
NAMES = ("a", "b", "c.txt", "d.txt")  # every name may be a file or a folder somewhere
JUNK_NAMES = ("Thumbs.db", "draft.tmp")  # ignored by the built-in rules
SAVE_PREFIX = ".goutputstream-"  # GTK's atomic-save temp name, ignored by the built-in rules
MAX_QUIET_PASSES = 12
IGNORED_JUNK_BLOCKS_DELETE = "ignored-junk-blocks-folder-delete"
RACY_STAT_EDIT = "edit-with-unchanged-stat-never-synced"
STALE_SETTLED_AFTER_FAILED_PULL = "settled-fast-path-ignores-versions-of-failed-round"
BIG_BASE_BYTES = 1 << 20
BIG_TAIL_BYTES = 200_000
EDIT_OPS = ("publish", "symlink", "rename", "quarantine", "open_read")
START_NS = 1_767_225_600 * 1_000_000_000  # 2026-01-01T00:00:00Z


class SimCrash(Exception):
    """A simulated power cut, raised from a fault hook; the engine must not catch it."""


class SimulationFailure(AssertionError):
    """An invariant failed; the message holds the seed, the violations and the trace.

    `known_bug` names the open engine bug that explains every violation, if any.
    """

    def __init__(self, message: str, *, seed: int, known_bug: str | None = None) -> None:
        super().__init__(message)
        self.seed = seed
        self.known_bug = known_bug


# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SimConfig:
    """Everything a seed decides before the first step."""

    seed: int
    devices: int
    steps: int
    guarded: bool  # mass-delete guard on with a low threshold; the person confirms later
    junk: bool  # ignored junk files (Thumbs.db, *.tmp) appear in folders
    fault_rate: float
    skew_ms: tuple[int, ...]
    late_join: int  # step at which the last device joins (0: it is there from the start)
    big_files: bool = False  # some contents are ~1 MiB: several chunks, shared between files
    racy_mtimes: bool = False  # all disks' clocks start alike (see Simulation._new_device)

    @classmethod
    def from_seed(
        cls, seed: int, *, steps: int | None = None, racy_mtimes: bool = False
    ) -> SimConfig:
        rng = random.Random(f"config-{seed}")
        devices = rng.choices((2, 3, 4), weights=(5, 3, 2))[0]
        skews = tuple(
            rng.choice((0, 0, rng.randint(-90_000, 90_000), rng.randint(-4_000_000, 4_000_000)))
            for _ in range(devices)
        )
        n_steps = steps if steps is not None else rng.randint(12, 36)
        late = rng.randint(max(1, n_steps // 3), n_steps) if rng.random() < 0.2 else 0
        guarded = rng.random() < 0.2
        junk = rng.random() < 0.25
        fault_rate = rng.choice((0.0, 0.15, 0.3, 0.45))
        big = rng.random() < 0.25  # drawn last: earlier seeds keep their other settings
        return cls(
            seed=seed,
            devices=devices,
            steps=n_steps,
            guarded=guarded,
            junk=junk,
            fault_rate=fault_rate,
            skew_ms=skews,
            late_join=late,
            big_files=big,
            racy_mtimes=racy_mtimes,
        )

    @property
    def limits(self) -> PlanLimits:
        if self.guarded:
            return PlanLimits(mass_delete_fraction=0.5, mass_delete_min=3)
        return PlanLimits(allow_mass_delete=True)

    def describe(self) -> str:
        return (
            f"{self.devices} devices, {self.steps} steps, fault rate {self.fault_rate}, "
            f"mass-delete guard {'on (min 3)' if self.guarded else 'off'}, "
            f"junk files {'on' if self.junk else 'off'}, clock skews (ms) {list(self.skew_ms)}"
            + (", big files" if self.big_files else "")
            + (", disk clocks alike (racy mtimes)" if self.racy_mtimes else "")
            + (f", dev{self.devices - 1} joins at step {self.late_join}" if self.late_join else "")
        )


@dataclass
class SimResult:
    seed: int
    config: SimConfig
    trace: list[str]
    stats: Counter[str]
    passes: int


# ---------------------------------------------------------------------------
# Clock, contents, disk
# ---------------------------------------------------------------------------


class SimClock:
    """A device's wall clock: advances a few ms per reading, may be skewed or stepped back."""

    def __init__(self, rng: random.Random, skew_ms: int) -> None:
        self._rng = rng
        self.now_ns = START_NS + skew_ms * 1_000_000

    def __call__(self) -> int:
        self.now_ns += self._rng.randint(1, 40) * 1_000_000
        return self.now_ns

    def jump(self, delta_ms: int) -> None:
        self.now_ns = max(0, self.now_ns + delta_ms * 1_000_000)


class Contents:
    """Every content the person wrote, with a short label for traces and its content hash."""

    def __init__(self, key: VaultKey, *, seed: int = 0, big: bool = False) -> None:
        self._digester = Digester(key)
        self._seed = seed
        self._big = big
        self._base = b""
        self.labels: dict[bytes, str] = {}
        self.by_hash: dict[bytes, bytes] = {}
        self.hashes: dict[bytes, bytes] = {}
        self.pool: list[bytes] = []
        self.targets: set[str] = set()

    def new(self, rng: random.Random, device: int) -> bytes:
        n = len(self.labels) + 1
        if self._big and rng.random() < 0.08:
            data = self._new_big(rng, n)
        elif rng.random() < 0.04 and b"" not in self.labels:
            data = b""
        else:
            data = f"c{n} from dev{device}\n".encode() * rng.randint(1, 3)
        self.add(data)
        return data

    def _new_big(self, rng: random.Random, n: int) -> bytes:
        """About 1 MiB, several chunks, most of them shared with the other big contents."""
        if not self._base:
            self._base = random.Random(f"base-{self._seed}").randbytes(BIG_BASE_BYTES)
        data = bytearray(self._base)
        at = rng.randrange(len(data) - 64)
        data[at : at + 16] = f"c{n} big".encode().ljust(16, b".")
        tail = random.Random(f"tail-{self._seed}-{n}").randbytes(rng.randint(0, BIG_TAIL_BYTES))
        return bytes(data) + tail

    def add(self, data: bytes) -> str:
        label = self.labels.get(data)
        if label is None:
            label = f"c{len(self.labels) + 1}" if data else "c-empty"
            self.labels[data] = label
            h = self.hash(data)
            self.by_hash[h] = data
            self.pool.append(data)
        return label

    def hash(self, data: bytes) -> bytes:
        h = self.hashes.get(data)
        if h is None:
            h = self._digester.digest_stream(io.BytesIO(data)).content_hash
            self.hashes[data] = h
        return h

    def label(self, data: bytes) -> str:
        label = self.labels.get(data)
        if label is None:
            return f"TORN({len(data)} bytes: {data[:24]!r}...)"
        return label if len(data) < 4096 else f"{label}[{len(data) // 1024} KiB]"

    def label_of_hash(self, h: bytes) -> str:
        data = self.by_hash.get(h)
        return "UNKNOWN-CONTENT" if data is None else self.label(data)


def _is_internal(path: str) -> bool:
    """Coffre's files, ignored junk and pending editor saves: not part of the synced tree."""
    for seg in path.split("/"):
        if seg.startswith((INTERNAL_PREFIX, SAVE_PREFIX)) or seg in JUNK_NAMES:
            return True
    return False


Snapshot = tuple[Kind, bytes | str]


class SimFs(MemoryFs):
    """MemoryFs plus what the checks need.

    One fault hook dispatches to the fault armed for the current round; every
    write the engine makes is recorded when it displaces a file or a link, and
    a path the disk refuses as leaving the root is recorded as a violation.
    Operations made by the person (user_rename) run with hooks off.
    """

    def __init__(self, name: str, quarantine_dir: str) -> None:
        self.name = name
        self.quarantine_dir = quarantine_dir
        self.armed: Callable[[str, str], None] | None = None
        self.user_depth = 0
        self.displaced: list[tuple[str, Kind, bytes | str]] = []
        self.violations: list[str] = []
        self.junk_quarantined = 0
        self._before: dict[str, Snapshot | None] = {}
        super().__init__(fault=self._dispatch)

    # -- hooks -------------------------------------------------------------

    def _dispatch(self, op: str, rel: str) -> None:
        if self.user_depth:
            return
        if self.armed is not None:
            self.armed(op, rel)
        if op in ("publish", "symlink"):
            self._before[rel] = self.snapshot(rel)

    def snapshot(self, rel: str) -> Snapshot | None:
        entry = self.paths().get(rel)
        if entry is None:
            return None
        if entry.kind is Kind.FILE:
            return (Kind.FILE, self.read_bytes(rel))
        if entry.kind is Kind.SYMLINK:
            return (Kind.SYMLINK, entry.symlink_target or "")
        return (Kind.DIR, b"")

    def _displaced(self, rel: str, before: Snapshot | None) -> None:
        if before is not None and before[0] is not Kind.DIR and not self.user_depth:
            self.displaced.append((rel, before[0], before[1]))

    @contextlib.contextmanager
    def _refusal_recorded(self, what: str, rel: str) -> Iterator[None]:
        try:
            yield
        except NameNotAllowed as exc:
            if not self.user_depth:
                self.violations.append(f"{self.name}: the engine asked to {what} {rel!r}: {exc}")
            raise

    @contextlib.contextmanager
    def user(self) -> Iterator[None]:
        self.user_depth += 1
        try:
            yield
        finally:
            self.user_depth -= 1

    # -- the engine's writes, recorded ---------------------------------------

    def write_file(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        content_check: Callable[[], None] | None = None,
        size_hint: int | None = None,
        sync_folder: bool = True,
    ) -> FsEntry:
        self._before.pop(rel, None)
        with self._refusal_recorded("write", rel):
            entry = super().write_file(
                rel,
                chunks,
                mtime_ns=mtime_ns,
                executable=executable,
                expect=expect,
                content_check=content_check,
                size_hint=size_hint,
                sync_folder=sync_folder,
            )
        self._displaced(rel, self._before.pop(rel, None))
        return entry

    def make_symlink(self, rel: str, target: str, *, expect: StatKey | None) -> FsEntry:
        self._before.pop(rel, None)
        with self._refusal_recorded("create a link at", rel):
            entry = super().make_symlink(rel, target, expect=expect)
        self._displaced(rel, self._before.pop(rel, None))
        return entry

    def write_temp(
        self,
        rel: str,
        chunks: Iterable[bytes | memoryview],
        *,
        mtime_ns: int,
        executable: bool,
        expect: StatKey | None,
        size_hint: int | None = None,
        sync: bool = False,
    ) -> TempFile:
        with self._refusal_recorded("write", rel):
            return super().write_temp(
                rel,
                chunks,
                mtime_ns=mtime_ns,
                executable=executable,
                expect=expect,
                size_hint=size_hint,
                sync=sync,
            )

    def publish_temp(self, temp: TempFile, *, expect: StatKey | None, sync_folder: bool) -> FsEntry:
        self._before.pop(temp.rel, None)
        entry = super().publish_temp(temp, expect=expect, sync_folder=sync_folder)
        self._displaced(temp.rel, self._before.pop(temp.rel, None))
        return entry

    def make_dir(self, rel: str, *, sync: bool = True) -> FsEntry:
        with self._refusal_recorded("create the folder", rel):
            return super().make_dir(rel, sync=sync)

    def rename(
        self, src: str, dst: str, *, expect_src: StatKey, expect_dst: StatKey | None = None
    ) -> FsEntry:
        before = self.snapshot(dst) if expect_dst is not None else None
        with self._refusal_recorded("move onto", dst):
            entry = super().rename(src, dst, expect_src=expect_src, expect_dst=expect_dst)
        self._displaced(dst, before)
        return entry

    def quarantine(self, rel: str, *, expect: StatKey, quarantine_dir: str) -> str:
        with self._refusal_recorded("quarantine", rel):
            stored = super().quarantine(rel, expect=expect, quarantine_dir=quarantine_dir)
        if _is_internal(rel):
            self.junk_quarantined += 1
        if not stored.startswith(self.quarantine_dir.rstrip("/") + "/"):
            self.violations.append(
                f"{self.name}: quarantined {rel!r} to {stored!r}, outside {self.quarantine_dir}"
            )
        return stored

    def remove_empty_dir(self, rel: str, *, expect: StatKey | None = None) -> None:
        with self._refusal_recorded("remove", rel):
            super().remove_empty_dir(rel, expect=expect)

    def set_mtime(self, rel: str, mtime_ns: int, *, expect: StatKey) -> FsEntry:
        with self._refusal_recorded("set the date of", rel):
            return super().set_mtime(rel, mtime_ns, expect=expect)

    def set_executable(self, rel: str, executable: bool, *, expect: StatKey) -> FsEntry:
        with self._refusal_recorded("chmod", rel):
            return super().set_executable(rel, executable, expect=expect)

    # -- the person ----------------------------------------------------------

    def user_rename(self, src: str, dst: str) -> None:
        """`mv src dst` (over dst if it is a file), as the person does it."""
        with self.user():
            view = self.paths()
            there = view.get(dst)
            self.rename(
                src,
                dst,
                expect_src=view[src].stat_key,
                expect_dst=None if there is None else there.stat_key,
            )

    def view(self) -> dict[str, FsEntry]:
        """The tree the person sees and Coffre syncs (internal and ignored names aside)."""
        return {p: e for p, e in self.paths().items() if not _is_internal(p)}

    def temp_files(self) -> list[str]:
        return sorted(p for p in self.paths() if p.rpartition("/")[2].startswith(TEMP_PREFIX))


# ---------------------------------------------------------------------------
# Faults armed for one round
# ---------------------------------------------------------------------------


class StoreFault:
    """Fires at the k-th counted store operation of the round it is armed for.

    kind "crash": every operation counts (acks too: a crash right after a
    write is a lost ack); from then on the process is dead. "error": only
    requests count; StoreUnavailable once, or for every later request when
    `offline`. "lost_ack": only acks count; the write is applied, then the
    caller sees StoreUnavailable, or dies when `crash`.
    """

    def __init__(self, kind: str, k: int, *, offline: bool = False, crash: bool = False) -> None:
        self.kind = kind
        self.k = k
        self.offline = offline
        self.crash = crash
        self.count = 0
        self.fired_at: str | None = None
        self.dead = False

    def describe(self) -> str:
        extra = " (stays offline)" if self.offline else " (then dies)" if self.crash else ""
        what = {
            "crash": "crash at store op",
            "error": "store unavailable at request",
            "lost_ack": "lost ack of write",
        }[self.kind]
        return f"{what} #{self.k}{extra}"

    def __call__(self, op: str, key: str) -> None:
        # Pack names are random (the only randomness left): keep them out of the trace.
        key = "packs/<random pack id>" if key.startswith("packs/") else key
        if self.dead:
            raise SimCrash("the process is dead")
        if self.fired_at is not None and self.offline:
            raise StoreUnavailable("simulated outage (still offline)", key=key)
        is_ack = op.endswith(":ack")
        if self.kind == "error" and is_ack:
            return
        if self.kind == "lost_ack" and not is_ack:
            return
        self.count += 1
        if self.count != self.k:
            return
        self.fired_at = f"{op} {key}"
        if self.kind == "crash" or self.crash:
            self.dead = True
            raise SimCrash(f"crash at store {op} {key}")
        raise StoreUnavailable(f"simulated outage at {op} {key}", key=key)


class FsFault:
    """Fires at the k-th disk operation of the round it is armed for.

    kind "crash": a power cut (nothing is cleaned up; the process is dead).
    "error": an OSError the disk would give (EIO, EACCES on listing, ENOSPC
    on writes). "unmount": the disk goes away (every later operation raises
    RootUnavailable) and comes back after the round. "unreadable": the k-th
    folder listed cannot be read (EACCES), nor anything in it, for the rest of
    the round. "interleave": at the k-th operation, another device (after,
    maybe, an edit of its person) runs a whole round, so its publication lands
    between this round's pull and its own publication. "edit": the person
    edits the path right before the engine's k-th write/rename/quarantine/read
    of it (no exception).
    """

    def __init__(self, kind: str, k: int, on_edit: Callable[[str, str], None]) -> None:
        self.fs_unmount: Callable[[], None] = lambda: None  # set when armed
        self.kind = kind
        self.k = k
        self.count = 0
        self.fired_at: str | None = None
        self.fired_rel: str | None = None
        self.dead = False
        self._on_edit = on_edit

    def describe(self) -> str:
        return {
            "crash": "crash at disk op",
            "error": "I/O error at disk op",
            "edit": "person edits before engine op",
            "unmount": "disk unmounted at disk op",
            "unreadable": "folder unreadable at listing",
            "interleave": "another device syncs during disk op",
        }[self.kind] + f" #{self.k}"

    def __call__(self, op: str, rel: str) -> None:
        if self.dead:
            raise SimCrash("the process is dead")
        if self.kind == "edit" and op not in EDIT_OPS:
            return
        if self.kind == "unreadable":
            if self.fired_at is not None and rel == self.fired_rel:
                raise OSError(errno.EACCES, "simulated EACCES (still unreadable)")
            if op != "list_dir":
                return
        self.count += 1
        if self.count != self.k:
            return
        self.fired_at = f"{op} {rel or '<root>'}"
        self.fired_rel = rel
        if self.kind in ("edit", "interleave"):
            self._on_edit(op, rel)
        elif self.kind == "unmount":
            self.fs_unmount()
        elif self.kind == "crash":
            self.dead = True
            raise SimCrash(f"crash at disk {op} {rel}")
        elif self.kind == "unreadable":
            raise OSError(errno.EACCES, "simulated EACCES")
        else:
            code = errno.EACCES if op == "list_dir" else errno.EIO
            if op in ("create", "write", "publish", "mkdir"):
                code = errno.ENOSPC
            raise OSError(code, f"simulated {errno.errorcode[code]}")


# ---------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------


@dataclass
class Device:
    index: int
    device_id: str
    name: str
    fs: SimFs
    clock: SimClock
    state_path: Path
    quarantine_dir: Path
    state: LocalState
    engine: Engine
    joined: bool = True
    from_snapshot: bool = False  # its first pull read a snapshot: no history before it
    stale_pull: bool = False  # a round that failed or crashed had added versions to its state
    confirm_deletes: bool = False
    last_report: RoundReport | None = None


@dataclass
class PendingSave:
    device: Device
    temp: str
    target: str


@dataclass
class InRoundEdit:
    device: Device
    path: str
    data: bytes | None  # None: the person deleted the file
    note: str


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _ancestors(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _under(path: str, top: str) -> bool:
    return path == top or path.startswith(top + "/")


class Simulation:
    """One seed's run: the scheduled steps, the quiescent phase, the checks."""

    def __init__(self, config: SimConfig, workdir: Path) -> None:
        self.cfg = config
        self.rng = random.Random(config.seed)
        seed_bytes = hashlib.sha256(f"coffre-sim-{config.seed}".encode()).digest()
        self.key = VaultKey(vault_id=seed_bytes[:16], secret=hashlib.sha256(seed_bytes).digest())
        self._store_time = 1_767_225_600.0
        self.store = MemoryStore(
            name=f"sim-{config.seed}", fault=self._store_hook, clock=self._store_clock
        )
        self.store_fault: StoreFault | None = None
        self.contents = Contents(self.key, seed=config.seed, big=config.big_files)
        self.trace: list[str] = []
        self.notes: list[str] = []
        self.violations: list[str] = []
        self.violation_paths: list[frozenset[str] | None] = []
        self._repeats: Counter[str] = Counter()
        self.divergence_only = True
        self.unsettled = False
        self.synced_differs: set[str] = set()
        self.final_remote: dict[str, tuple[object, ...]] = {}
        self.stats: Counter[str] = Counter()
        self.pending_saves: list[PendingSave] = []
        self.racy_paths: set[str] = set()
        self.placed: set[bytes] = set()  # contents the person put at a synced path
        self.killed: set[bytes] = set()  # contents the person removed from some disk
        self.in_round_edits: list[InRoundEdit] = []
        self._save_counter = 0
        self._nested = 0
        self._moved_in_round = False
        self.loop: asyncio.AbstractEventLoop | None = None
        self._step_no = 0
        self.passes = 0
        self.devices = [self._new_device(i, workdir) for i in range(config.devices)]
        if config.late_join:
            self.devices[-1].joined = False

    # -- setup -------------------------------------------------------------

    def _store_hook(self, op: str, key: str) -> None:
        if self.store_fault is not None:
            self.store_fault(op, key)

    def _store_clock(self) -> float:
        self._store_time += 0.001
        return self._store_time

    def _new_device(self, i: int, workdir: Path) -> Device:
        device_id = hashlib.sha256(f"device-{self.cfg.seed}-{i}".encode()).hexdigest()[:32]
        name = f"dev{i}"
        # Under the run's own folder: the engine's quarantine purge works on real paths.
        quarantine_dir = workdir.resolve() / "quarantine" / name
        fs = SimFs(name, str(quarantine_dir))
        # Disjoint mtime ranges: every MemoryFs starts its clock at the same instant, so
        # without this a local edit could get, by coincidence, the very mtime a download
        # copied from another device (same size, inode and mtime: invisible to a scan).
        # `racy_mtimes` keeps them alike, to show that hazard (RACY_STAT_EDIT).
        if not self.cfg.racy_mtimes:
            fs.clock_ns += i * 10**15
        clock = SimClock(random.Random(f"clock-{self.cfg.seed}-{i}"), self.cfg.skew_ms[i])
        state_path = workdir / f"{name}.sqlite"
        state = LocalState(state_path)
        engine = self._make_engine(device_id, name, fs, state, quarantine_dir, clock)
        return Device(i, device_id, name, fs, clock, state_path, quarantine_dir, state, engine)

    def _make_engine(
        self,
        device_id: str,
        name: str,
        fs: SimFs,
        state: LocalState,
        quarantine_dir: Path,
        clock: SimClock,
    ) -> Engine:
        return Engine(
            store=self.store,
            key=self.key,
            fs=fs,
            state=state,
            device_id=device_id,
            device_name=name,
            quarantine_dir=quarantine_dir,
            limits=self.cfg.limits,
            clock_ns=clock,
        )

    def close(self) -> None:
        for dev in self.devices:
            dev.state.close()

    def log(self, text: str) -> None:
        if self._nested:  # inside another device's round: shown under that round
            self.notes.append(f"({text})")
        else:
            self.trace.append(f"{self._step_no:4d} {text}")

    def fail(
        self, text: str, paths: Iterable[str] | None = None, *, divergence: bool = False
    ) -> None:
        """Record a violation. `paths` (None: none in particular) and `divergence` (devices
        disagree, nothing lost or torn) let known_bug() classify a failure."""
        if text in self.violations:  # the same trouble again (say, every round): once is enough
            self._repeats[text] += 1
            return
        self.violations.append(text)
        self.violation_paths.append(None if paths is None else frozenset(paths))
        self.divergence_only = self.divergence_only and divergence
        self.trace.append(f"     !! {text}")

    def known_bug(self) -> str | None:
        """The open engine bug that explains every violation, if one does (see regressions.py).

        RACY_STAT_EDIT: the person edited a file in place and the size, mtime and inode
        came out exactly as Synced recorded them (a download sets the remote's mtime), so
        no scan ever reads it again: the edit is never uploaded, and a later download
        overwrites it. Claimed for any failure of a run in which such an edit happened.

        STALE_SETTLED_AFTER_FAILED_PULL: a round pulled new versions, then failed or
        crashed; later rounds pull nothing new, find the disk as Synced left it and the
        state's "settled" mark still set, and skip planning: those versions are never
        applied. Claimed when devices only disagree (nothing lost or torn), every device
        whose Synced differs from Remote had a failed round that added versions to its
        state, and yet every round of the quiescent phase settled.

        IGNORED_JUNK_BLOCKS_DELETE: a folder deleted on another device stays here forever
        because an ignored file (Thumbs.db, *.tmp) inside it makes its quarantine fail.
        Explains a failure when every violation that names paths names only paths at or
        under a folder that holds ignored junk on some disk and is not a folder in Remote.
        """
        if self.racy_paths:
            return RACY_STAT_EDIT
        return self._junk_bug() or self._stale_settled_bug()

    def _stale_settled_bug(self) -> str | None:
        stale = {d.name for d in self.devices if d.stale_pull}
        if (
            self.divergence_only
            and not self.unsettled
            and self.synced_differs
            and self.synced_differs <= stale
        ):
            return STALE_SETTLED_AFTER_FAILED_PULL
        return None

    def _junk_bug(self) -> str | None:
        remote = self.final_remote
        junk_dirs = {
            a
            for d in self.devices
            for p in d.fs.paths()
            if p.rpartition("/")[2] in JUNK_NAMES
            for a in _ancestors(p)
            if remote.get(a) != ("dir",)
        }
        named = [ps for ps in self.violation_paths if ps is not None]
        if not junk_dirs or not named:
            return None
        for paths in named:
            if not paths or not all(any(_under(p, j) for j in junk_dirs) for p in paths):
                return None
        return IGNORED_JUNK_BLOCKS_DELETE

    # -- the run -------------------------------------------------------------

    async def run(self) -> SimResult:
        self.loop = asyncio.get_running_loop()
        for step in range(1, self.cfg.steps + 1):
            self._step_no = step
            await self._step()
        self._step_no += 1
        if not self.devices[-1].joined:
            self._join(self.devices[-1])
        self._finish_all_saves()
        await self._quiesce()
        await self._check_final()
        if self.violations:
            bug = self.known_bug()
            raise SimulationFailure(self.failure_text(bug), seed=self.cfg.seed, known_bug=bug)
        return SimResult(self.cfg.seed, self.cfg, self.trace, self.stats, self.passes)

    def failure_text(self, known_bug: str | None = None) -> str:
        lines = [
            f"simulation seed {self.cfg.seed} failed (simulator v{SIM_VERSION}; "
            f"{self.cfg.describe()})",
            *(
                f"  - {v}" + (f" (and {self._repeats[v]} more times)" if self._repeats[v] else "")
                for v in self.violations
            ),
            *(
                [f"  (every violation matches the known engine bug {known_bug})"]
                if known_bug
                else []
            ),
            f"replay: python -m tests.sim.simulator --seed {self.cfg.seed} --trace"
            f"   (a CI seed also: pytest tests/sim -k seed_{self.cfg.seed})",
            "trace:",
            *self.trace,
        ]
        return "\n".join(lines)

    def _live(self) -> list[Device]:
        return [d for d in self.devices if d.joined]

    def _pick(self) -> Device:
        return self.rng.choice(self._live())

    def _join(self, dev: Device) -> None:
        """A device bound late, to a folder that may already hold files."""
        dev.joined = True
        self.stats["late_joins"] += 1
        n = self.rng.choice((0, 1, 2, 3))
        self.log(f"{dev.name} joins the vault ({n} files already in its folder)")
        for _ in range(n):
            self._write(dev, self._random_path(2), self._content(dev))

    async def _step(self) -> None:
        rng = self.rng
        late = self.devices[-1]
        if not late.joined and self._step_no >= self.cfg.late_join:
            self._join(late)
        choices = ["edit", "scenario", "round", "fault", "clock", "save", "restart"]
        weights = [
            40,
            8 if len(self._live()) > 1 else 0,
            34,
            60 * self.cfg.fault_rate,
            2,
            6 if self.pending_saves else 0,
            1,
        ]
        what = rng.choices(choices, weights=weights)[0]
        if what == "edit":
            dev = self._pick()
            for _ in range(rng.choice((1, 1, 2, 3))):
                self._edit(dev)
        elif what == "scenario":
            self._scenario()
        elif what == "round":
            dev = self._pick()
            for _ in range(rng.choice((1, 1, 1, 2))):
                await self._round(dev)
        elif what == "fault":
            await self._faulty_round(self._pick())
        elif what == "clock":
            dev = self._pick()
            delta = rng.choice((-600_000, -30_000, -2_000, 5_000, 3_600_000))
            dev.clock.jump(delta)
            self.log(f"{dev.name} clock jumps {delta / 1000:+.0f} s")
        elif what == "save":
            self._finish_save(self.pending_saves.pop(rng.randrange(len(self.pending_saves))))
        else:
            await self._restart(self._pick(), why="clean restart")

    # -- rounds ----------------------------------------------------------------

    def _k(self) -> int:
        """Which operation of the round the fault hits: mostly early ones, sometimes late."""
        return self.rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 13, 17, 24, 32))

    async def _faulty_round(self, dev: Device) -> None:
        rng = self.rng
        if rng.random() < 0.5:  # give the round something to do
            for _ in range(rng.choice((1, 2))):
                self._edit(dev)
        kind = rng.choices(
            (
                "store_crash",
                "fs_crash",
                "store_error",
                "lost_ack",
                "fs_error",
                "edit",
                "unmount",
                "unreadable",
                "interleave",
            ),
            weights=(4, 3, 3, 3, 2, 4, 1, 2, 5 if len(self._live()) > 1 else 0),
        )[0]
        self.stats[f"fault_armed_{kind}"] += 1
        if kind == "store_crash":
            await self._round(dev, store_fault=StoreFault("crash", self._k()))
        elif kind == "store_error":
            fault = StoreFault("error", self._k(), offline=rng.random() < 0.4)
            await self._round(dev, store_fault=fault)
        elif kind == "lost_ack":
            fault = StoreFault("lost_ack", rng.choice((1, 1, 2, 3)), crash=rng.random() < 0.3)
            await self._round(dev, store_fault=fault)
        elif kind == "fs_crash":
            await self._round(dev, fs_fault=FsFault("crash", self._k(), self._no_edit))
        elif kind == "fs_error":
            await self._round(dev, fs_fault=FsFault("error", self._k(), self._no_edit))
        elif kind == "unmount":
            await self._round(dev, fs_fault=FsFault("unmount", self._k(), self._no_edit))
        elif kind == "interleave":
            mixer = FsFault("interleave", self._k(), lambda op, rel: self._interleave(dev))
            await self._round(dev, fs_fault=mixer)
        elif kind == "unreadable":
            k = rng.choice((1, 2, 2, 3, 3, 4))
            await self._round(dev, fs_fault=FsFault("unreadable", k, self._no_edit))
        else:
            k = rng.choice((1, 1, 2, 3))
            editor = FsFault("edit", k, lambda op, rel: self._edit_in_round(dev, op, rel))
            await self._round(dev, fs_fault=editor)

    @staticmethod
    def _no_edit(op: str, rel: str) -> None:
        raise AssertionError("not an edit fault")

    async def _round(
        self,
        dev: Device,
        *,
        store_fault: StoreFault | None = None,
        fs_fault: FsFault | None = None,
        quiet: bool = False,
    ) -> RoundReport | None:
        """One engine round of `dev` with at most one armed fault; None if it did not finish."""
        allow = dev.confirm_deletes
        dev.confirm_deletes = False
        counter_before = int(dev.state.get_meta("next_counter", 1))
        versions_before = dev.state.version_count()
        await self._note_bootstrap(dev)
        self.store_fault = store_fault
        dev.fs.armed = fs_fault
        if fs_fault is not None:
            fs_fault.fs_unmount = dev.fs.unmount
        self.notes = []
        self.in_round_edits = []
        self._moved_in_round = False
        fault: StoreFault | FsFault | None = store_fault or fs_fault
        label = f"{dev.name} round" + (" (deletions confirmed)" if allow else "")
        if fault is not None:
            label += f" [{fault.describe()}]"
        self.stats["rounds"] += 1
        crashed = False
        report: RoundReport | None = None
        fs_faults = ("error", "unmount", "unreadable")
        try:
            report = await dev.engine.round(allow_mass_delete=allow)
        except SimCrash:
            crashed = True
        except StoreUnavailable as exc:
            if store_fault is None or store_fault.fired_at is None:
                self._unexpected(dev, exc)
            self.log(f"{label}: failed, store unavailable ({_short(exc)})")
        except FsError as exc:
            if fs_fault is None or fs_fault.kind not in fs_faults or fs_fault.fired_at is None:
                self._unexpected(dev, exc)
            self.log(f"{label}: failed, disk error ({_short(exc)})")
        except Exception as exc:
            if not self._expected_stop(dev, exc):
                self._unexpected(dev, exc)
            self.log(f"{label}: failed with {type(exc).__name__}")
        finally:
            self.store_fault = None
            dev.fs.armed = None
            await self._reap(cancel=crashed)
        if fault is not None and fault.fired_at is not None:
            self.stats[f"fault_fired_{type(fault).__name__}_{fault.kind}"] += 1
        if not dev.fs.mounted:
            dev.fs.mount()
            self.notes.append(f"(the disk of {dev.name} is mounted again)")
        if crashed:
            assert fault is not None
            self.log(f"{label}: CRASHED at {fault.fired_at}")
            self.stats["crashes"] += 1
            await self._restart(dev, why="after the crash")
        if report is None and dev.state.version_count() > versions_before:
            dev.stale_pull = True
            self.stats["failed_rounds_that_pulled"] += 1
            self.notes.append("(versions this round pulled stay in the state, not yet applied)")
        if report is not None:
            dev.last_report = report
            self.log(f"{label}: {_summary(report)}")
            if fault is not None and fault.fired_at is not None:
                self.notes.append(f"(the fault hit {fault.fired_at}; the round went on)")
            elif fault is not None:
                self.notes.append("(the round ended before the fault's turn came)")
            self._after_round(dev, report, counter_before, quiet=quiet)
        for note in self.notes:
            self.trace.append(f"       {note}")
        self.notes = []
        self._check_in_round_edits()
        if not crashed:
            self._check_tombstones(dev, counter_before)
        self._check_disk(dev, when="after a round")
        return report

    def _check_tombstones(self, dev: Device, counter_before: int) -> None:
        """Rule 4: a tombstone planned and published in this round names a path the disk lacks.

        (Tombstones of an earlier, interrupted round are published by this round's
        recovery, and the path may have come back since: edit beats delete.)
        """
        if int(dev.state.get_meta("next_counter", 1)) == counter_before:
            return  # no version allocated in this round
        view = dev.fs.view()
        for v in dev.state.all_versions():
            if v.vid.device != dev.device_id or v.vid.counter < counter_before:
                continue
            if v.kind is Kind.TOMBSTONE and v.path in view:
                self.fail(
                    f"{dev.name} published a tombstone for {v.path!r} ({v.vid.counter}) "
                    f"but its disk holds {view[v.path].kind} there"
                )

    def _expected_stop(self, dev: Device, exc: BaseException) -> bool:
        """Whether a round's exception is the device rightly stopping (a shared vault's
        removed device); a plain vault has none."""
        return False

    def _unexpected(self, dev: Device, exc: BaseException) -> None:
        where = "".join(traceback.format_exception(exc, limit=-4)).strip().splitlines()
        self.fail(
            f"{dev.name}: round raised {type(exc).__name__}: {exc} (not caused by an injected "
            f"fault); last frames: {' | '.join(s.strip() for s in where[-6:])}"
        )

    async def _reap(self, *, cancel: bool) -> None:
        """Tasks a failed round left behind (gather siblings): cancel them if it crashed."""
        me = asyncio.current_task()
        others = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
        if cancel:
            for t in others:
                t.cancel()
        if others:
            await asyncio.gather(*others, return_exceptions=True)

    async def _restart(self, dev: Device, *, why: str) -> None:
        dev.state.close()
        removed = dev.fs.cleanup_temp_files()
        dev.state = LocalState(dev.state_path)
        dev.engine = self._make_engine(
            dev.device_id, dev.name, dev.fs, dev.state, dev.quarantine_dir, dev.clock
        )
        self.stats["restarts"] += 1
        self.log(f"{dev.name} restarts {why} ({removed} temp files cleaned up)")
        self._check_disk(dev, when="after the restart")

    def _after_round(
        self, dev: Device, report: RoundReport, counter_before: int, *, quiet: bool
    ) -> None:
        if report.conflicts:
            self.stats["rounds_with_conflicts"] += 1
        if not report.held:
            return
        self.stats["held_rounds"] += 1
        published = [
            v
            for v in dev.state.all_versions()
            if v.vid.device == dev.device_id and v.vid.counter >= counter_before
        ]
        reported = {(p.path, p.kind) for p in report.problems}
        for action in report.held:
            if isinstance(action, Quarantine):
                path = action.path
                person_acted = bool(self.in_round_edits) or self._moved_in_round
                if dev.fs.view().get(path) is None and not person_acted:
                    self.fail(f"{dev.name}: held quarantine of {path!r} was applied anyway")
                if (path, "held") not in reported:
                    self.fail(f"{dev.name}: held quarantine of {path!r} was not reported")
            elif isinstance(action, UploadTombstone):
                path = action.path
                if any(v.path == path and v.kind is Kind.TOMBSTONE for v in published):
                    self.fail(f"{dev.name}: held tombstone of {path!r} was published anyway")
                if (path, "held") not in reported:
                    self.fail(f"{dev.name}: held tombstone of {path!r} was not reported")
        if quiet or self.rng.random() < 0.5:
            dev.confirm_deletes = True
            self.notes.append(f"(the person confirms {dev.name}'s held deletions)")

    # -- the person, inside a round ------------------------------------------------

    def _edit_in_round(self, dev: Device, op: str, rel: str) -> None:
        """Runs on the engine's worker thread, from the fs hook, right before the engine acts."""
        fs = dev.fs
        if _is_internal(rel):
            return  # an ignored file (the engine may move junk away with its folder)
        current = fs.paths().get(rel)
        parent = _parent(rel)
        if parent and self.rng.random() < 0.2:
            self._move_away_in_round(dev, op, rel, parent)
            return
        if current is not None and current.kind is Kind.FILE and self.rng.random() < 0.3:
            self._remove(dev, rel)
            note = f"(the person deletes {rel} right before the engine's {op} of it)"
            self.notes.append(note)
            self.in_round_edits.append(InRoundEdit(dev, rel, None, note))
            self.stats["in_round_edits"] += 1
            return
        data = self.contents.new(self.rng, dev.index)
        target = rel
        if current is not None and current.kind is Kind.DIR:
            target = f"{rel}/inside.txt"
            if target in fs.paths():
                return
        self._kill_at(dev, target, data)
        fs.put_file(target, data)
        self.placed.add(data)
        note = (
            f"(the person writes {target} <- {self.contents.label(data)} right before the "
            f"engine's {op} of {rel})"
        )
        self.notes.append(note)
        self.in_round_edits.append(InRoundEdit(dev, target, data, note))
        self.stats["in_round_edits"] += 1

    def _move_away_in_round(self, dev: Device, op: str, rel: str, folder: str) -> None:
        """The person moves the folder the engine is about to act in."""
        fs = dev.fs
        self._save_counter += 1
        dst = f"moved{self._save_counter}"
        if dst in fs.paths() or folder not in fs.view():
            return
        fs.user_rename(folder, dst)
        self._moved_in_round = True
        self.notes.append(
            f"(the person moves {folder} to {dst} right before the engine's {op} of {rel})"
        )
        self.stats["in_round_moves"] += 1

    def _interleave(self, dev: Device) -> None:
        """Runs on `dev`'s worker thread: another device's whole round, on the engine's loop."""
        assert self.loop is not None
        other = self.rng.choice([d for d in self._live() if d is not dev])
        self._nested += 1
        try:
            if self.rng.random() < 0.5:
                self._edit(other)
            future = asyncio.run_coroutine_threadsafe(self._nested_round(other), self.loop)
            future.result(timeout=120)
        finally:
            self._nested -= 1
        self.stats["interleaved_rounds"] += 1

    async def _note_bootstrap(self, dev: Device) -> None:
        """Before a round: will its pull start from a snapshot (so without older history)?"""
        if dev.from_snapshot or dev.state.accepted_heads():
            return
        if int(dev.state.get_meta("own_seq", 0)) == 0 and await self.store.list("snap/"):
            dev.from_snapshot = True
            self.stats["snapshot_bootstraps"] += 1

    async def _nested_round(self, dev: Device) -> None:
        await self._note_bootstrap(dev)
        allow, dev.confirm_deletes = dev.confirm_deletes, False
        try:
            report = await dev.engine.round(allow_mass_delete=allow)
        except Exception as exc:
            if not self._expected_stop(dev, exc):
                self._unexpected(dev, exc)
            return
        dev.last_report = report
        self.log(f"meanwhile {dev.name} round: {_summary(report)}")
        self._check_disk(dev, when="after a round")

    def _check_in_round_edits(self) -> None:
        for e in self.in_round_edits:
            snap = e.device.fs.snapshot(e.path)
            if e.data is None:
                # Nothing to check here: the plan may rightly put something at that path
                # (the loser of a conflict renamed away, the winner downloaded there). What
                # the deletion must not cause, losing other content, the final checks see.
                continue
            if snap != (Kind.FILE, e.data):
                now = (
                    "nothing"
                    if snap is None
                    else (
                        self.contents.label(snap[1]) if isinstance(snap[1], bytes) else repr(snap)
                    )
                )
                self.fail(
                    f"{e.device.name}: rule 1 broken: the person's edit {e.path!r} <- "
                    f"{self.contents.label(e.data)}, made right before the engine acted, was "
                    f"replaced in the same round (now: {now})"
                )
        self.in_round_edits = []

    # -- the person, between rounds ----------------------------------------------

    def _kill_at(self, dev: Device, path: str, new: bytes | None) -> None:
        """The person replaces what `path` holds: its content is theirs to lose."""
        snap = dev.fs.snapshot(path)
        if snap is not None and snap[0] is Kind.FILE and snap[1] != new:
            assert isinstance(snap[1], bytes)
            self.killed.add(snap[1])

    def _remove(self, dev: Device, path: str) -> None:
        """The person deletes `path` and everything below it."""
        fs = dev.fs
        for p, e in fs.view().items():
            if e.kind is Kind.FILE and _under(p, path):
                self.killed.add(fs.read_bytes(p))
        fs.delete(path)

    def _random_path(self, max_depth: int) -> str:
        depth = self.rng.choices(range(1, max_depth + 1), weights=(4, 3, 2)[:max_depth])[0]
        return "/".join(self.rng.choice(NAMES) for _ in range(depth))

    @staticmethod
    def _can_hold(view: dict[str, FsEntry], path: str, kind: Kind) -> bool:
        """The person can put a `kind` at `path` without removing anything first."""
        for a in _ancestors(path):
            e = view.get(a)
            if e is not None and e.kind is not Kind.DIR:
                return False
        e = view.get(path)
        if e is None:
            return True
        return (e.kind is Kind.DIR) == (kind is Kind.DIR)

    def _content(self, dev: Device) -> bytes:
        if self.contents.pool and self.rng.random() < 0.2:
            return self.rng.choice(self.contents.pool)
        return self.contents.new(self.rng, dev.index)

    def _write(self, dev: Device, path: str, data: bytes, *, why: str = "write") -> bool:
        fs = dev.fs
        view = fs.view()
        if not self._can_hold(view, path, Kind.FILE):
            return False
        old = view.get(path)
        executable: bool | None = None
        if old is None or old.kind is not Kind.FILE:
            executable = self.rng.random() < 0.1
        elif self.rng.random() < 0.1:
            executable = not old.executable
        new_inode = old is not None and self.rng.random() < 0.3
        self._kill_at(dev, path, data)
        fs.put_file(path, data, executable=executable, new_inode=new_inode)
        self.contents.add(data)
        self.placed.add(data)
        self._note_racy_edit(dev, path, data)
        flags = []
        if old is None:
            flags.append("new")
        elif old.kind is Kind.SYMLINK:
            flags.append("replacing a link")
        elif new_inode:
            flags.append("new inode")
        if fs.view()[path].executable:
            flags.append("exec")
        self.log(
            f"{dev.name} {why} {path} <- {self.contents.label(data)}"
            + (f" ({', '.join(flags)})" if flags else "")
        )
        self.stats["edits"] += 1
        return True

    def _note_racy_edit(self, dev: Device, path: str, data: bytes) -> None:
        """An edit that leaves size, mtime and inode as Synced recorded them: a scan skips it."""
        synced = dev.state.synced().get(path)
        entry = dev.fs.view()[path]
        if synced is None or synced.version is None or synced.version.kind is not Kind.FILE:
            return
        same_stat = (synced.size, synced.mtime_ns, synced.inode) == (
            entry.size,
            entry.mtime_ns,
            entry.inode,
        )
        if same_stat and synced.version.content_hash != self.contents.hash(data):
            self.racy_paths.add(path)
            self.stats["racy_edits"] += 1
            self.log(f"{dev.name} (that edit kept the size, mtime and inode Synced has for {path})")

    def _edit(self, dev: Device) -> None:
        rng = self.rng
        fs = dev.fs
        view = fs.view()
        files = sorted(p for p, e in view.items() if e.kind is Kind.FILE)
        links = sorted(p for p, e in view.items() if e.kind is Kind.SYMLINK)
        dirs = sorted(p for p, e in view.items() if e.kind is Kind.DIR)
        ops = [
            "write",
            "modify",
            "delete",
            "mkdir",
            "rmdir",
            "move",
            "save",
            "chmod",
            "symlink",
            "replace",
            "junk",
            "purge",
        ]
        weights = [
            14,
            14 if files else 0,
            7 if files or links else 0,
            5,
            3 if dirs else 0,
            8 if files or dirs else 0,
            6 if files else 0,
            2 if files else 0,
            2,
            2 if files or dirs else 0,
            3 if self.cfg.junk else 0,
            (8 if self.cfg.guarded else 1) if len(files) > 2 else 0,
        ]
        op = rng.choices(ops, weights=weights)[0]
        if op == "write":
            path = self._random_path(3)
            if not self._write(dev, path, self._content(dev)):
                self.log(f"{dev.name} (could not write {path}: something is in the way)")
        elif op == "modify":
            self._write(dev, rng.choice(files), self._content(dev), why="modify")
        elif op == "delete":
            path = rng.choice(files + links)
            self._remove(dev, path)
            self.log(f"{dev.name} delete {path}")
        elif op == "mkdir":
            path = self._random_path(2)
            if self._can_hold(view, path, Kind.DIR):
                fs.put_dir(path)
                self.log(f"{dev.name} mkdir {path}")
        elif op == "rmdir":
            path = rng.choice(dirs)
            inside = sum(1 for p in view if p.startswith(path + "/"))
            self._remove(dev, path)
            self.log(f"{dev.name} rm -r {path} ({inside} entries inside)")
        elif op == "move":
            self._move(dev, rng.choice(files + dirs))
        elif op == "save":
            self._save(dev, rng.choice(files))
        elif op == "chmod":
            path = rng.choice(files)
            fs.put_file(path, fs.read_bytes(path), executable=not view[path].executable)
            self.log(f"{dev.name} chmod {'+x' if not view[path].executable else '-x'} {path}")
        elif op == "symlink":
            path = self._random_path(2)
            e = view.get(path)
            if self._can_hold(view, path, Kind.FILE) and (e is None or e.kind is not Kind.DIR):
                target = rng.choice(NAMES)
                self._kill_at(dev, path, None)
                fs.put_symlink(path, target)
                self.contents.targets.add(target)
                self.log(f"{dev.name} ln -s {target} {path}")
        elif op == "replace":
            path = rng.choice(files + dirs)
            was = view[path].kind
            self._remove(dev, path)
            if was is Kind.DIR:
                self._write(dev, path, self._content(dev), why="replace folder by file")
            else:
                name = rng.choice(NAMES)
                fs.put_dir(path)
                self.log(f"{dev.name} replace file {path} by a folder")
                self._write(dev, f"{path}/{name}", self._content(dev))
        elif op == "purge":
            top = sorted({p.split("/")[0] for p in view})
            keep = rng.choice((None, *top))
            for name in top:
                if name != keep:
                    self._remove(dev, name)
            self.log(
                f"{dev.name} deletes almost everything ({len(files)} files; "
                f"keeps {keep or 'nothing'})"
            )
            self.stats["purges"] += 1
        else:
            folder = rng.choice(["", *dirs])
            path = f"{folder}/{rng.choice(JUNK_NAMES)}" if folder else rng.choice(JUNK_NAMES)
            fs.put_file(path, b"junk that Coffre ignores\n")
            self.log(f"{dev.name} junk file {path} (ignored by Coffre)")

    def _move(self, dev: Device, src: str) -> None:
        fs = dev.fs
        view = fs.view()
        for _ in range(4):
            dst = self._random_path(3)
            if dst in view or _under(dst, src) or not self._can_hold(view, dst, Kind.FILE):
                continue
            for a in _ancestors(dst):
                if a not in view:
                    fs.put_dir(a)
            fs.user_rename(src, dst)
            self.log(f"{dev.name} mv {src} {dst}")
            self.stats["moves"] += 1
            return
        self.log(f"{dev.name} (no place to move {src} to)")

    def _save(self, dev: Device, path: str) -> None:
        """An editor's atomic save: write a temp name, rename it over the file (maybe later)."""
        fs = dev.fs
        data = self._content(dev)
        self._save_counter += 1
        folder = _parent(path)
        temp = f"{SAVE_PREFIX}{self._save_counter}"
        temp = f"{folder}/{temp}" if folder else temp
        fs.put_file(temp, data, executable=fs.view()[path].executable)
        self.contents.add(data)
        if self.rng.random() < 0.6:
            self._kill_at(dev, path, data)
            fs.user_rename(temp, path)
            self.placed.add(data)
            self.log(f"{dev.name} editor saves {path} <- {self.contents.label(data)}")
        else:
            self.pending_saves.append(PendingSave(dev, temp, path))
            self.log(
                f"{dev.name} editor starts saving {path} <- {self.contents.label(data)} "
                f"(temp {temp})"
            )
        self.stats["saves"] += 1

    def _finish_save(self, save: PendingSave) -> None:
        fs = save.device.fs
        paths = fs.paths()
        name = save.device.name
        if save.temp not in paths:
            self.log(f"{name} editor's temp {save.temp} is gone (its folder went away)")
            return
        there = paths.get(save.target)
        if there is not None and there.kind is not Kind.FILE:
            fs.delete(save.temp)
            self.log(f"{name} editor gives up saving {save.target} (not a file any more)")
            return
        data = fs.read_bytes(save.temp)
        self._kill_at(save.device, save.target, data)
        fs.user_rename(save.temp, save.target)
        self.placed.add(data)
        self.log(
            f"{name} editor finishes saving {save.target} "
            f"<- {self.contents.label(fs.read_bytes(save.target))}"
        )

    def _finish_all_saves(self) -> None:
        while self.pending_saves:
            self._finish_save(self.pending_saves.pop(0))

    def _scenario(self) -> None:
        """The same path touched on two devices before they sync."""
        rng = self.rng
        a, b = rng.sample(self._live(), 2)
        va, vb = a.fs.view(), b.fs.view()
        kind = rng.choice(("conflict", "twin", "edit_delete", "file_dir", "rmdir_add"))
        self.stats[f"scenario_{kind}"] += 1
        if kind in ("conflict", "twin"):
            both = sorted(p for p, e in va.items() if e.kind is Kind.FILE and p in vb)
            path = rng.choice(both) if both and rng.random() < 0.7 else self._random_path(2)
            da = self._content(a)
            db = da if kind == "twin" else self.contents.new(rng, b.index)
            self.log(f"scenario {kind}: {a.name} and {b.name} both write {path}")
            self._write(a, path, da)
            self._write(b, path, db)
        elif kind == "edit_delete":
            both = sorted(
                p
                for p, e in va.items()
                if e.kind is Kind.FILE and vb.get(p) is not None and vb[p].kind is Kind.FILE
            )
            if not both:
                return
            path = rng.choice(both)
            self.log(f"scenario edit/delete: {a.name} edits {path}, {b.name} deletes it")
            self._write(a, path, self.contents.new(rng, a.index))
            self._remove(b, path)
        elif kind == "file_dir":
            path = self._random_path(2)
            self.log(
                f"scenario file/folder: {a.name} writes file {path}, {b.name} makes folder {path}"
            )
            self._write(a, path, self._content(a))
            self._write(b, f"{path}/{rng.choice(NAMES)}", self._content(b))
        else:
            both = sorted(
                p
                for p, e in va.items()
                if e.kind is Kind.DIR and vb.get(p) is not None and vb[p].kind is Kind.DIR
            )
            if not both:
                return
            path = rng.choice(both)
            self.log(f"scenario rm -r/add: {a.name} deletes folder {path}, {b.name} adds to it")
            self._remove(a, path)
            self._write(b, f"{path}/{rng.choice(NAMES)}", self._content(b))

    # -- quiescence ----------------------------------------------------------------

    async def _quiesce(self) -> None:
        self.trace.append("---- quiescent phase: no more edits or faults ----")
        self.final_edit_contents = {
            data for dev in self.devices for data in self._disk_files(dev).values()
        }
        for n in range(1, MAX_QUIET_PASSES + 1):
            self.passes = n
            self._step_no += 1
            quiet = True
            for dev in self._checked_devices():
                report = await self._round(dev, quiet=True)
                if report is None or not _quiet(report):
                    quiet = False
            if quiet:
                return
        self.unsettled = True
        self.fail(
            f"no convergence: rounds still had work after {MAX_QUIET_PASSES} passes "
            f"of every device (see the last rounds in the trace)",
            divergence=True,
        )

    # -- checks --------------------------------------------------------------------

    def _disk_files(self, dev: Device) -> dict[str, bytes]:
        fs = dev.fs
        return {p: fs.read_bytes(p) for p, e in fs.view().items() if e.kind is Kind.FILE}

    def _disk_tree(self, dev: Device) -> dict[str, tuple[object, ...]]:
        fs = dev.fs
        tree: dict[str, tuple[object, ...]] = {}
        for p, e in fs.view().items():
            if e.kind is Kind.FILE:
                tree[p] = ("file", self.contents.label(fs.read_bytes(p)), e.executable)
            elif e.kind is Kind.SYMLINK:
                tree[p] = ("link", e.symlink_target)
            elif e.kind is Kind.DIR:
                tree[p] = ("dir",)
            else:
                tree[p] = ("special",)
        return tree

    def _remote_tree(self, tree: MergedTree) -> dict[str, tuple[object, ...]]:
        out: dict[str, tuple[object, ...]] = {}
        for p, e in tree.entries.items():
            v = e.version
            if v is None or v.kind is Kind.DIR:
                out[p] = ("dir",)
            elif v.kind is Kind.FILE:
                out[p] = ("file", self.contents.label_of_hash(v.content_hash), v.executable)
            else:
                out[p] = ("link", v.symlink_target)
        return out

    def _check_disk(self, dev: Device, *, when: str) -> None:
        """No torn file, no leftover temporary on one device's disk."""
        for path, data in self._disk_files(dev).items():
            if data not in self.contents.labels:
                self.fail(f"{dev.name}: torn file {path!r} {when}: {data[:40]!r}")
        temps = dev.fs.temp_files()
        if temps:
            self.fail(f"{dev.name}: temporary files left {when}: {temps}")

    def _checked_devices(self) -> list[Device]:
        """The devices that must converge (a shared vault leaves removed and rogue ones out)."""
        return self.devices

    def _withheld(self, dev: Device, path: str) -> bool:
        """Whether `dev` rightly keeps `path` as it is locally (a shared vault's reader)."""
        return False

    def _comparable(
        self, dev: Device, tree: dict[str, tuple[object, ...]]
    ) -> dict[str, tuple[object, ...]]:
        """What of a tree (a disk's or Remote's) `dev` must agree on: all but what it withholds."""
        return {p: e for p, e in tree.items() if not self._withheld(dev, p)}

    async def _check_final(self) -> None:
        self.trace.append("---- final checks ----")
        devices = self._checked_devices()
        # 1. Convergence.
        trees = [self._disk_tree(d) for d in devices]
        for d, tree in zip(devices[1:], trees[1:], strict=True):
            mine, first = self._comparable(d, tree), self._comparable(d, trees[0])
            if mine != first:
                self.fail(
                    f"disks differ: {devices[0].name} vs {d.name}: {_diff(first, mine)}",
                    _diff_paths(first, mine),
                    divergence=True,
                )
        names = {d.device_id: d.name for d in devices}
        published = await self._store_versions()
        version_sets = [{v.vid: v for v in d.state.all_versions()} for d in devices]
        reference = published if published is not None else version_sets[0]
        merged = merge(reference.values(), names)
        self.final_remote = remote = self._remote_tree(merged)
        if remote != trees[0]:
            self.fail(
                f"disk of {devices[0].name} differs from the merged Remote tree: "
                f"{_diff(remote, trees[0])}",
                _diff_paths(remote, trees[0]),
                divergence=True,
            )
        virtual = [p for p, e in merged.entries.items() if e.copy_of is not None]
        if virtual:
            self.fail(
                f"conflict copies left virtual (resolution never written): {virtual}", virtual
            )
        for d, vs in zip(devices, version_sets, strict=True):
            mine = merge(vs.values(), names)
            if (mine.entries, mine.conflicts, mine.deleted) != (
                merged.entries,
                merged.conflicts,
                merged.deleted,
            ):
                bad = _diff_paths(dict(mine.entries), dict(merged.entries)) | _diff_paths(
                    dict(mine.deleted), dict(merged.deleted)
                )
                self.fail(
                    f"{d.name}: its merge differs from the merge of the store's "
                    f"journals at {sorted(bad)[:6]}",
                    bad,
                )
            synced = d.state.synced()
            bad = {
                p
                for p in set(synced) | set(merged.entries)
                if p not in synced
                or p not in merged.entries
                or synced[p].content_key != merged.entries[p].content_key
            }
            bad = {p for p in bad if not self._withheld(d, p)}
            if bad:
                self.synced_differs.add(d.name)
                self.fail(
                    f"{d.name}: Synced differs from Remote at {sorted(bad)[:6]}",
                    bad,
                    divergence=True,
                )
            r = d.last_report
            if r is not None and not _quiet(r):
                self.fail(
                    f"{d.name}: last round not settled: {_summary(r)}",
                    {p.path for p in r.problems},
                    divergence=True,
                )
        # 2. No lost version.
        if published is not None:
            for d, vs in zip(devices, version_sets, strict=True):
                missing = published.keys() - vs.keys()
                extra = vs.keys() - published.keys()
                if d.from_snapshot:
                    missing = set()  # history before its snapshot is not its to hold
                if missing or extra:
                    self.fail(
                        f"{d.name}: state versions differ from the store's journals: "
                        f"missing {sorted(map(str, missing))[:5]}, "
                        f"not in the store {sorted(map(str, extra))[:5]}"
                    )
        all_versions = reference
        await self._check_history(all_versions.values())
        file_hashes = {v.content_hash for v in all_versions.values() if v.kind is Kind.FILE}
        targets = {v.symlink_target for v in all_versions.values() if v.kind is Kind.SYMLINK}
        for d in devices:
            for path, kind, content in d.fs.displaced:
                if kind is Kind.FILE:
                    assert isinstance(content, bytes)
                    ok = self.contents.hash(content) in file_hashes
                    what = self.contents.label(content)
                else:
                    ok = content in targets
                    what = f"link to {content!r}"
                if not ok:
                    self.fail(
                        f"{d.name}: the engine replaced {path!r} ({what}) and that "
                        "content was never published: lost"
                    )
        final = {data for d in self.devices for data in self._disk_files(d).values()}
        for data in sorted(self.final_edit_contents - final):
            if self.contents.hash(data) not in file_hashes:
                self.fail(
                    f"content {self.contents.label(data)} was on a disk after the last "
                    "edit and is now neither on any disk nor in history"
                )
        for data in sorted(self.placed - self.killed - final):
            self.fail(
                f"content {self.contents.label(data)} was lost: the person wrote it, no "
                "person ever deleted or replaced it on any disk, yet no disk holds it"
            )
        # 3. Torn files (disks were checked after every round), quarantines.
        for d in devices:
            self._check_disk(d, when="at the end")
            for qpath, node in d.fs.quarantined.items():
                if (
                    node.kind is Kind.FILE
                    and node.data not in self.contents.labels
                    and not node.name.startswith(TEMP_PREFIX)
                    and node.name not in JUNK_NAMES
                ):
                    self.fail(f"{d.name}: torn file in quarantine {qpath}")
        # 4. Outside the root.
        for d in devices:
            for v in d.fs.violations:
                self.fail(v)
        self.stats["versions"] = len(all_versions)
        self.stats["junk_quarantined"] = sum(d.fs.junk_quarantined for d in devices)
        self.stats["snapshots"] = len(await self.store.list("snap/"))
        self.stats["conflict_copies"] = sum(
            1 for p, e in merged.entries.items() if "(conflict " in p and e.version is not None
        )
        self.trace.append(
            f"     {len(all_versions)} versions, {len(trees[0])} paths, "
            f"{len(self.violations)} violations"
        )

    async def _store_versions(self) -> dict[VersionId, Version] | None:
        """Every version in the store's journals, each segment chain-checked and under its head."""
        out: dict[VersionId, Version] = {}
        segments: dict[str, list[int]] = {}
        for info in await self.store.list("log/"):
            _, device, number = info.key.split("/")
            segments.setdefault(device, []).append(int(number))
        for device, seqs in segments.items():
            dev_bytes = bytes.fromhex(device)
            seqs.sort()
            if seqs != list(range(1, len(seqs) + 1)):
                self.fail(f"journal of {device[:8]} has gaps: {seqs}")
                return None
            link = ZERO_HASH
            try:
                for seq in seqs:
                    raw = await self.store.get(f"log/{device}/{seq}")
                    record = open_record(
                        self.key, SEGMENT_MAGIC, raw, device_id=dev_bytes, seq=seq, link=link
                    )
                    for v in decode_segment(record.payload, device).versions:
                        out[v.vid] = v
                    link = record_hash(raw)
                head = open_head(
                    self.key, await self.store.get(f"heads/{device}"), device_id=dev_bytes
                )
            except (CoffreCryptoError, StoreError) as exc:
                self.fail(f"journal of {device[:8]} unreadable: {exc}")
                return None
            if head.seq != seqs[-1] or head.segment_hash != link:
                self.fail(
                    f"head of {device[:8]} is at seq {head.seq} but its journal has "
                    f"{seqs[-1]} segments: a published segment is not announced"
                )
        return out

    def _reading_key(self) -> VaultKey | KeyRing:
        """What opens the vault's chunks (a shared vault's simulation gives its ring)."""
        return self.key

    async def _check_history(self, versions: Iterable[Version]) -> None:
        """Every file version can be restored from the store, intact."""
        codec = ChunkCodec(self._reading_key())
        hasher = ContentHasher(self.key)
        seen: set[tuple[bytes, tuple[object, ...]]] = set()
        for v in versions:
            if v.kind is not Kind.FILE or (v.content_hash, v.chunks) in seen:
                continue
            seen.add((v.content_hash, v.chunks))
            parts: list[bytes] = []
            try:
                for ref in v.chunks:
                    key = f"packs/{ref.pack_id[:2]}/{ref.pack_id}"
                    blob = (
                        await self.store.get_ranges(key, [(ref.offset, ref.offset + ref.length)])
                    )[0]
                    parts.append(codec.open(ref.chunk_id, blob))
            except (CoffreCryptoError, StoreError) as exc:
                self.fail(f"version {v.vid} of {v.path!r} cannot be restored: {exc}")
                continue
            data = b"".join(parts)
            size = sum(r.plain_length for r in v.chunks)
            digest = hasher.digest((r.chunk_id for r in v.chunks), size)
            if digest != v.content_hash or size != v.size or data not in self.contents.labels:
                self.fail(
                    f"version {v.vid} of {v.path!r} restores to something else: {data[:40]!r}"
                )


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


def _quiet(r: RoundReport) -> bool:
    return (
        r.settled
        and not r.held
        and not r.pulled_versions
        and not r.published_versions
        and not r.actions
    )


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 90 else text[:87] + "..."


def _summary(r: RoundReport) -> str:
    parts = [
        f"pulled {r.pulled_versions}",
        f"actions {r.actions}",
        f"published {r.published_versions}",
    ]
    if r.uploaded_files or r.downloaded_files or r.quarantined:
        parts.append(f"up {r.uploaded_files} down {r.downloaded_files} quarantined {r.quarantined}")
    if r.conflicts:
        parts.append(f"conflicts {len(r.conflicts)}")
    if r.held:
        parts.append(f"HELD {len(r.held)}")
    parts.append("settled" if r.settled else "not settled")
    text = ", ".join(parts)
    if r.problems:
        probs = [f"{p.kind} {p.path}" for p in r.problems[:6]]
        more = f" +{len(r.problems) - 6}" if len(r.problems) > 6 else ""
        text += f"; problems: {', '.join(probs)}{more}"
    return text


def _diff_paths(a: Mapping[str, object], b: Mapping[str, object]) -> set[str]:
    return {p for p in set(a) | set(b) if a.get(p) != b.get(p)}


def _diff(a: dict[str, tuple[object, ...]], b: dict[str, tuple[object, ...]]) -> str:
    out = []
    for p in sorted(set(a) | set(b)):
        if a.get(p) != b.get(p):
            out.append(f"{p}: {a.get(p)} vs {b.get(p)}")
    return "; ".join(out[:8]) + (f" (+{len(out) - 8} more)" if len(out) > 8 else "")


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


SMALL_PACK_BYTES = 64 * 1024
SIM_MAX_CHUNK = 3 << 19  # 1.5 MiB: above any chunk of a simulated file (at most ~1.2 MiB)
SIM_SNAPSHOT_EVERY = 4


@contextlib.contextmanager
def sim_tuning(*, real_packs: bool = False) -> Iterator[None]:
    """Two engine constants changed while the simulator runs, restored on exit.

    Snapshots every 4 segments of a device instead of 64, so that runs this
    short write them (crashes included) and devices that join late bootstrap
    from them.

    Pack buffers of 1.6 MiB instead of 20 MiB (unless `real_packs`). Why: the
    engine builds a new Uploader, hence a zero-filled PackWriter buffer of
    TARGET_SIZE + MAX_CHUNK (about 20 MiB), in every round, even one with
    nothing to upload; that costs about 20 ms a round, most of the simulator's
    time. Simulated files are at most about 1.2 MiB, below both limits, so
    every chunk still fits; packs are just smaller (more of them). `--real-packs`
    runs without this.
    """
    from crypto.pack import PackWriter
    from sync_engine.transfer import packer
    from sync_engine.vault import journal

    defaults = PackWriter.__init__.__kwdefaults__
    assert defaults is not None
    saved = (defaults["target_size"], vars(packer)["MAX_CHUNK"], journal.SNAPSHOT_EVERY)
    journal.SNAPSHOT_EVERY = SIM_SNAPSHOT_EVERY
    if not real_packs:
        defaults["target_size"] = SMALL_PACK_BYTES
        setattr(packer, "MAX_CHUNK", SIM_MAX_CHUNK)  # noqa: B010 (not re-exported)
    try:
        yield
    finally:
        defaults["target_size"] = saved[0]
        setattr(packer, "MAX_CHUNK", saved[1])  # noqa: B010
        journal.SNAPSHOT_EVERY = saved[2]


def run_seed(
    seed: int,
    workdir: Path | None = None,
    *,
    steps: int | None = None,
    real_packs: bool = False,
    racy_mtimes: bool = False,
) -> SimResult:
    """Run one seed; raises SimulationFailure (with the trace) if an invariant fails."""
    config = SimConfig.from_seed(seed, steps=steps, racy_mtimes=racy_mtimes)
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix=f"coffre-sim-{seed}-"))
            )
        stack.enter_context(sim_tuning(real_packs=real_packs))
        sim = Simulation(config, workdir)
        try:
            return asyncio.run(sim.run())
        finally:
            sim.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, help="run one seed")
    parser.add_argument("--seeds", help="run a range of seeds, e.g. 0-999")
    parser.add_argument("--steps", type=int, help="override the number of scheduled steps")
    parser.add_argument("--trace", action="store_true", help="print the trace of each seed")
    parser.add_argument(
        "--real-packs", action="store_true", help="keep the engine's 20 MiB pack buffers"
    )
    parser.add_argument(
        "--racy-mtimes",
        action="store_true",
        help="start every disk's clock alike (shows the unchanged-stat edit hazard)",
    )
    args = parser.parse_args(argv)
    if args.seed is not None:
        seeds: Iterable[int] = [args.seed]
    elif args.seeds:
        lo, _, hi = args.seeds.partition("-")
        seeds = range(int(lo), int(hi or lo) + 1)
    else:
        parser.error("give --seed N or --seeds A-B")
    failed = []
    started = time.perf_counter()
    count = 0
    for seed in seeds:
        count += 1
        try:
            result = run_seed(
                seed, steps=args.steps, real_packs=args.real_packs, racy_mtimes=args.racy_mtimes
            )
        except SimulationFailure as exc:
            failed.append(seed)
            print(exc if args.trace else str(exc).split("\ntrace:")[0], file=sys.stderr)
            continue
        if args.trace:
            print(f"seed {seed}: {result.config.describe()}")
            print("\n".join(result.trace))
            print(f"seed {seed}: ok ({result.passes} quiet passes; {dict(result.stats)})")
    elapsed = time.perf_counter() - started
    print(f"{count} seeds, {len(failed)} failed {failed[:50]}, {elapsed:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
