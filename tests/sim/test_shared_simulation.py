"""The simulator on a shared format-2 vault (members, roles, epochs, misbehaving clients).

Why seeds as tests: as for tests/sim/test_simulation.py, a failure names its
seed and replays exactly (`python -m tests.sim.shared_simulation --seed N
--trace`). A failure that only the documented limits of cuts explain
(shared_simulation.SHARED_KNOWN_LIMITS, docs/SYNC.md section 8) is an
expected failure, so the sweep stays useful; anything else fails.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from .shared_simulation import SHARED_KNOWN_LIMITS, SHARED_SIM_VERSION, run_shared_seed
from .simulator import SimResult, SimulationFailure

CI_SEEDS = 16  # a few seconds: each seed holds a real signed membership log and epochs
SLOW_SEEDS = 2000
SLOW_CHUNK = 200
SLOW_FIRST = 50_000  # disjoint from the CI seeds

_seen: Counter[str] = Counter()


def _run(seed: int, workdir: Path) -> SimResult:
    try:
        result = run_shared_seed(seed, workdir)
    except SimulationFailure as exc:
        if exc.known_bug in SHARED_KNOWN_LIMITS:
            pytest.xfail(f"seed {seed}: documented limit {exc.known_bug}")
        raise
    _seen.update(result.stats)
    _seen["seeds"] += 1
    return result


@pytest.mark.parametrize("seed", range(CI_SEEDS), ids=lambda s: f"shared_{s}")
def test_shared_seed(seed: int, tmp_path: Path) -> None:
    _run(seed, tmp_path)


# Seeds that found an engine bug (shared simulator v1); each also has a scenario test in
# tests/sim/test_shared_scenarios.py. Re-check them when SHARED_SIM_VERSION changes.
FOUND: dict[int, str] = {
    11: "an editor published under epoch 1 after reading a removal (stale_epoch, refused)",
    18: "the same, after a crash and restart",
    44: "the same, the chain refused with a conflict in it",
    37: "an owner demoting their own person cut their own device at seq 0 (taken then for the "
    "documented demotion race)",
    51: "the same: a content of theirs lost from history",
    50064: "a removed device's second round skipped the log and announced itself",
    50821: "a new computer started from a snapshot covering a segment a cut refuses",
    51140: "the same, the snapshot of another editor",
}


@pytest.mark.parametrize("seed", sorted(FOUND), ids=lambda s: f"shared_found_{s}")
def test_shared_found_seed(seed: int, tmp_path: Path) -> None:
    assert SHARED_SIM_VERSION == 1, "re-check FOUND for the new simulator version"
    _run(seed, tmp_path)


def test_shared_replay_is_deterministic(tmp_path: Path) -> None:
    first = run_shared_seed(2, tmp_path / "a")
    again = run_shared_seed(2, tmp_path / "b")
    assert first.trace == again.trace


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(SLOW_SEEDS // SLOW_CHUNK), ids=lambda c: f"chunk_{c}")
def test_shared_sweep(chunk: int, tmp_path: Path) -> None:
    """Thousands of shared-vault seeds: `pytest tests/sim -m slow -k shared_sweep`."""
    start = SLOW_FIRST + chunk * SLOW_CHUNK
    failures: list[SimulationFailure] = []
    known: Counter[str] = Counter()
    started = time.perf_counter()
    for seed in range(start, start + SLOW_CHUNK):
        try:
            run_shared_seed(seed, tmp_path / str(seed))
        except SimulationFailure as exc:
            if exc.known_bug in SHARED_KNOWN_LIMITS:
                known[exc.known_bug] += 1
            else:
                failures.append(exc)
    elapsed = time.perf_counter() - started
    if failures:
        pytest.fail(
            f"{len(failures)} of seeds {start}..{start + SLOW_CHUNK - 1} failed: "
            f"{[f.seed for f in failures]} ({elapsed:.0f} s; documented limits: {dict(known)}). "
            f"First failure:\n{failures[0]}",
            pytrace=False,
        )


def test_shared_sweep_covered_what_it_claims() -> None:
    """The CI seeds (run just before) must have exercised every membership step and misdeed."""
    if _seen["seeds"] < CI_SEEDS // 2:
        pytest.skip("only meaningful after the CI seeds ran (not with -k)")
    for what in (
        "members_added",
        "second_computers",
        "role_to_reader",
        "role_to_editor",
        "role_to_owner",
        "members_removed",
        "devices_removed",
        "removed_devices_stopped",
        "key_rotations",
        "epochs",
        "rogue_rounds",
        "rogue_versions",
        "chains_refused",
        "withheld_at_end",
        "crashes",
        "snapshot_bootstraps",
    ):
        assert _seen[what] > 0, f"the shared seeds never exercised {what}: {dict(_seen)}"
