"""Benchmark: the pure sync core (merge + plan) on a synthetic 100,000-file vault.

The vault has 100,000 files in 1,000 directories (100 files each). Variants:
  unchanged     Remote, Local and Synced all agree: the no-change round
  local-edit    1% of the files edited on this disk (1,000 Uploads)
  remote-edit   1% of the files edited by another device (1,000 Downloads;
                the merge reads 101,000 versions)
  fresh         a fresh device: everything remote, nothing local or synced
                (101,000 MakeDirs and Downloads)

    python bench/core.py                      # every variant, best of 3
    python bench/core.py --variant unchanged --repeat 5 --files 20000
    python bench/core.py --traits windows     # plan for a case-insensitive Windows disk

Times are CPU seconds (time.process_time), so a loaded machine skews them less
than wall time; they include the garbage collector's share. Synced is rebuilt
before each plan from new objects, as the engine reads it back from its state
database every round. Target: merge and plan each under 1.0 s on `unchanged`,
and linear-ish on the others.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync_engine.core.actions import Plan, PlanLimits  # noqa: E402
from sync_engine.core.merge import MergedTree, merge  # noqa: E402
from sync_engine.core.model import (  # noqa: E402
    Kind,
    LocalEntry,
    SyncedEntry,
    Version,
    VersionId,
)
from sync_engine.core.names import LINUX, MACOS, WINDOWS, FsTraits  # noqa: E402
from sync_engine.core.planner import plan  # noqa: E402

DEV = "a" * 32
OTHER = "b" * 32
NAMES = {DEV: "laptop", OTHER: "desktop"}
TRAITS = FsTraits(case_insensitive=False, windows=False)
ALL_TRAITS = {"linux": LINUX, "macos": MACOS, "windows": WINDOWS}
LIMITS = PlanLimits()
VARIANTS = ("unchanged", "local-edit", "remote-edit", "fresh")

T = TypeVar("T")


def base_versions(files: int, per_dir: int) -> list[Version]:
    return [
        Version(
            VersionId(DEV, i + 1),
            f"d{i // per_dir:04d}/f{i:06d}.txt",
            frozenset(),
            (i + 1) << 16,
            Kind.FILE,
            100,
            5,
            False,
            i.to_bytes(32, "little"),
        )
        for i in range(files)
    ]


def remote_edits(versions: list[Version], every: int) -> list[Version]:
    """Another device edits every `every`-th file, superseding what it had read."""
    top = max(v.hlc for v in versions)
    return [
        Version(
            VersionId(OTHER, n + 1),
            v.path,
            frozenset({v.vid}),
            top + ((n + 1) << 16),
            Kind.FILE,
            101,
            6,
            False,
            v.content_hash[:-1] + b"\x01",
        )
        for n, v in enumerate(versions[::every])
    ]


def agreed_state(
    tree: MergedTree,
) -> tuple[dict[str, LocalEntry], dict[str, SyncedEntry]]:
    """Local and Synced for a disk that holds exactly `tree`, synced."""
    local: dict[str, LocalEntry] = {}
    synced: dict[str, SyncedEntry] = {}
    for p, e in tree.entries.items():
        v = e.version
        if v is None:
            local[p] = LocalEntry(Kind.DIR, 0, 5, 1)
            synced[p] = SyncedEntry(None, e.heads, 0, 5, 1)
        else:
            ino = hash(p) & 0xFFFF
            local[p] = LocalEntry(Kind.FILE, v.size, v.mtime_ns, ino, False, v.content_hash)
            synced[p] = SyncedEntry(v, e.heads, v.size, v.mtime_ns, ino)
    return local, synced


def as_loaded(synced: dict[str, SyncedEntry]) -> dict[str, SyncedEntry]:
    """Synced as the engine has it each round: decoded from the state database,
    so made of new objects, none shared with the Remote tree."""
    out: dict[str, SyncedEntry] = {}
    for p, s in synced.items():
        v = s.version
        if v is not None:
            v = Version(
                VersionId(v.vid.device, v.vid.counter),
                v.path,
                frozenset(VersionId(i.device, i.counter) for i in v.supersedes),
                v.hlc,
                v.kind,
                v.size,
                v.mtime_ns,
                v.executable,
                bytes(v.content_hash),
                v.chunks,
                v.symlink_target,
            )
        heads = frozenset(VersionId(i.device, i.counter) for i in s.heads)
        out[p] = SyncedEntry(v, heads, s.size, s.mtime_ns, s.inode)
    return out


def best(
    fn: Callable[[], T], repeat: int, setup: Callable[[], None] = lambda: None
) -> tuple[float, T]:
    """(least CPU seconds over `repeat` runs of fn, each after an untimed setup;
    the last result)."""
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        setup()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    assert result is not None
    return min(times), result


def run_variant(
    name: str, files: int, per_dir: int, repeat: int, traits: FsTraits = TRAITS
) -> tuple[float, float, Plan]:
    versions = base_versions(files, per_dir)
    every = 100  # 1%
    base_tree = merge(versions, NAMES)
    local, synced = agreed_state(base_tree)
    if name == "remote-edit":
        versions = versions + remote_edits(versions, every)
    merge_s, tree = best(lambda: merge(versions, NAMES), repeat)
    remote = tree.entries
    if name == "local-edit":
        for p, e in list(remote.items())[::every]:
            if e.version is not None:
                old = local[p]
                local[p] = LocalEntry(
                    Kind.FILE, 101, 6, old.inode, False, old.content_hash[:-1] + b"\x02"
                )
    elif name == "fresh":
        local, synced = {}, {}
    loaded = [synced]

    def load() -> None:
        loaded[0] = {}  # free the last round's first
        loaded[0] = as_loaded(synced)

    plan_s, result = best(
        lambda: plan(remote, local, loaded[0], limits=LIMITS, traits=traits), repeat, load
    )
    return merge_s, plan_s, result


def summary(p: Plan) -> str:
    counts: dict[str, int] = {}
    for a in p.actions:
        counts[type(a).__name__] = counts.get(type(a).__name__, 0) + 1
    parts = [f"{n} {k}" for k, n in sorted(counts.items())] or ["no actions"]
    if p.held:
        parts.append(f"{len(p.held)} held")
    if p.skipped:
        parts.append(f"{len(p.skipped)} skipped")
    return ", ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variant", action="append", choices=VARIANTS)
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--per-dir", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--traits", choices=ALL_TRAITS, default="linux", help="the disk planned for")
    args = ap.parse_args()
    print(
        f"{args.files:,} files in {-(-args.files // args.per_dir):,} directories; "
        f"{args.traits} disk; CPU seconds, best of {args.repeat}"
    )
    print(f"{'variant':<12} {'merge':>8} {'plan':>8}  plan")
    for name in args.variant or VARIANTS:
        merge_s, plan_s, result = run_variant(
            name, args.files, args.per_dir, args.repeat, ALL_TRAITS[args.traits]
        )
        print(f"{name:<12} {merge_s:8.3f} {plan_s:8.3f}  {summary(result)}", flush=True)


if __name__ == "__main__":
    main()
