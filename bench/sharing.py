"""Benchmark: what format 2's signatures and write-authority checks cost the engine.

Two cases, each on a v1 vault and on a v2 vault shared by three people (an
owner and two editors; real identities, device certificates, membership log
and signed records, tests/sharing_world.py), on a real folder store:

1. A no-change round: three devices hold the same FILES files, settled; one
   device runs ROUNDS rounds with nothing new (the live service's idle
   round), the v1 and the v2 vault's rounds interleaved so that both see the
   same machine load. Target: v2 within 10 % of v1.
2. Pulling 10,000 changes from three authors: each author publishes its
   share as journal segments (one change per segment, the worst case, and
   100 changes per segment); a fresh device then reads them all
   (`Journal.pull`: fetch, verify the Ed25519 signatures, open, judge with
   core/authority.py, apply to its state).

    python bench/sharing.py [--files 2000] [--rounds 15] [--changes 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crypto.keys import VaultKey  # noqa: E402
from sync_engine.core.membership_entry import Role  # noqa: E402
from sync_engine.core.model import Kind, Version, VersionId  # noqa: E402
from sync_engine.engine import Engine  # noqa: E402
from sync_engine.stores import LocalStore  # noqa: E402
from sync_engine.vault.journal import Journal  # noqa: E402
from sync_engine.vault.membership_log import MembershipLog  # noqa: E402
from sync_engine.vault.state import LocalState  # noqa: E402
from tests.engine_devices import Device  # noqa: E402
from tests.sharing_world import SharedVault  # noqa: E402

AUTHORS = 3


def _store(base: Path) -> LocalStore:
    (base / "store").mkdir(parents=True)
    return LocalStore(base / "store")


def _fill(folder: Path, files: int) -> None:
    for i in range(files):
        sub = folder / f"dossier-{i % 40:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"piece-{i:05d}.txt").write_bytes(f"délibération {i}\n".encode() * 8)


async def _idle_round(engine: Engine) -> float:
    started = time.perf_counter()
    report = await engine.round()
    elapsed = time.perf_counter() - started
    assert report.settled and not report.actions
    return elapsed


async def no_change(base: Path, files: int, rounds: int) -> tuple[list[float], list[float]]:
    """Median-ready times of `rounds` idle rounds: (v1, v2), interleaved."""
    store, key = _store(base / "v1"), VaultKey.generate()
    v1 = [Device.open(f"d{i}", base / "v1", store, key) for i in range(AUTHORS)]
    _fill(v1[0].folder, files)
    for _ in range(2):
        for d in v1:
            await d.sync()
    vault = SharedVault(base / "v2", _store(base / "v2"))
    owner = await vault.create("Alice", "alice-pc")
    await vault.member(owner, "Bob", Role.EDITOR)
    await vault.member(owner, "Carol", Role.EDITOR)
    _fill(owner.folder, files)
    await vault.settle(2)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        times[0].append(await _idle_round(v1[0].engine))
        times[1].append(await _idle_round(owner.engine))
    for d in v1:
        d.close()
    vault.close()
    return times


def _changes(device: str, first: int, count: int) -> list[Version]:
    return [
        Version(
            VersionId(device, n),
            f"{device[:6]}/f-{n:06d}.txt",
            frozenset(),
            n,
            Kind.FILE,
            0,
            0,
            False,
            bytes(32),
        )
        for n in range(first, first + count)
    ]


async def _publish(journals: list[Journal], changes: int, per_segment: int) -> None:
    share = changes // len(journals)
    for journal in journals:
        for first in range(0, share, per_segment):
            await journal.push(_changes(journal.device_id, first + 1, per_segment), now_ms=1)


async def _timed_pull(journal: Journal, changes: int) -> float:
    started = time.perf_counter()
    result = await journal.pull()
    elapsed = time.perf_counter() - started
    assert not result.errors and not result.refused, (result.errors, result.refused)
    assert len(result.new_versions) == changes
    return elapsed


PullFresh = Callable[[int], Awaitable[float]]


async def published_v1(base: Path, changes: int, per_segment: int) -> PullFresh:
    """A v1 vault holding the changes; pulling them with fresh device number i."""
    store, key = _store(base), VaultKey.generate()

    def journal(name: str) -> Journal:
        state = LocalState(base / f"{name}.db")
        return Journal(store, key, state, os.urandom(16).hex(), name)

    await _publish([journal(f"author{i}") for i in range(AUTHORS)], changes, per_segment)
    return lambda i: _timed_pull(journal(f"fresh{i}"), changes)


async def published_v2(base: Path, changes: int, per_segment: int) -> PullFresh:
    """The same in a v2 vault; the fresh devices are a reader's computer, each time with
    a new state (it reads and checks the membership log too, as a new device does)."""
    vault = SharedVault(base, _store(base))
    owner = await vault.create("Alice", "alice-pc")
    authors = [owner] + [await vault.member(owner, name, Role.EDITOR) for name in ("Bob", "Carol")]
    dan = await vault.member(owner, "Dan", Role.READER)
    await _publish([a.journal for a in authors], changes, per_segment)

    def journal(i: int) -> Journal:
        state = LocalState(base / f"fresh{i}.db")
        log = MembershipLog(vault.store, state, vault.vault_id)
        return Journal(
            vault.store, vault.ring(), state, dan.device_id, dan.name, signer=dan.keys,
            membership=log,
        )  # fmt: skip

    return lambda i: _timed_pull(journal(i), changes)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    print(f"no-change round, {AUTHORS} devices, {args.files} files, {args.rounds} rounds each")
    with tempfile.TemporaryDirectory(prefix="coffre-bench-sharing-") as tmp:
        v1, v2 = await no_change(Path(tmp), args.files, args.rounds)
    medians = {"v1": statistics.median(v1), "v2": statistics.median(v2)}
    print(f"{'format':<8}{'median ms':>12}{'min ms':>10}")
    for label, times in (("v1", v1), ("v2", v2)):
        print(f"{label:<8}{statistics.median(times) * 1000:>12.1f}{min(times) * 1000:>10.1f}")
    print(f"v2 / v1 (medians): {medians['v2'] / medians['v1']:.3f} (target <= 1.10)\n")

    print(
        f"pulling {args.changes} changes from {AUTHORS} authors (Journal.pull by a fresh "
        f"device, {args.repeats} times each, v1 and v2 interleaved)"
    )
    print(
        f"{'changes/segment':<18}{'format':<8}{'segments':>10}{'min s':>8}{'median s':>10}"
        f"{'changes/s':>11}"
    )
    for per_segment in (1, 100):
        changes = args.changes // AUTHORS // per_segment * per_segment * AUTHORS
        with tempfile.TemporaryDirectory(prefix="coffre-bench-sharing-") as tmp:
            pulls = {
                "v1": await published_v1(Path(tmp) / "v1", changes, per_segment),
                "v2": await published_v2(Path(tmp) / "v2", changes, per_segment),
            }
            seconds: dict[str, list[float]] = {"v1": [], "v2": []}
            for i in range(args.repeats):
                for label, pull in pulls.items():
                    seconds[label].append(await pull(i))
        for label, times in seconds.items():
            best = min(times)
            print(
                f"{per_segment:<18}{label:<8}{changes // per_segment:>10}{best:>8.2f}"
                f"{statistics.median(times):>10.2f}{changes / best:>11.0f}"
            )
        ratio = min(seconds["v2"]) / min(seconds["v1"])
        print(f"{'':<18}v2 / v1 (best): {ratio:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
