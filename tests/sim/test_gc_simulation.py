"""The GC simulator (tests/sim/gc_simulation.py) as tests: a CI sweep and a nightly one.

Each seed interleaves edits, rounds, GC runs (some crashing mid-way), purges,
time passing and long absences, and checks that no kept version ever becomes
unrecoverable. Replay one: `python -m tests.sim.gc_simulation --seed N`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .gc_simulation import run_seed

CI_SEEDS = 24  # about 0.6 s each: keeps the simulator's CI time about the same
NIGHTLY_SEEDS = 2000
NIGHTLY_FIRST = 10_000  # disjoint from the CI seeds


@pytest.mark.parametrize("seed", range(CI_SEEDS), ids=lambda s: f"gc_seed_{s}")
def test_gc_seed(seed: int, tmp_path: Path) -> None:
    result = run_seed(seed, tmp_path)
    assert result.checked_versions > 0  # the invariant looked at something


NIGHTLY_CHUNK = 250


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(NIGHTLY_SEEDS // NIGHTLY_CHUNK), ids=lambda c: f"chunk_{c}")
def test_gc_nightly(chunk: int, tmp_path: Path) -> None:
    """Thousands of longer runs: `pytest tests/sim -m slow` (deselected by default)."""
    start = NIGHTLY_FIRST + chunk * NIGHTLY_CHUNK
    failures: list[tuple[int, str]] = []
    for seed in range(start, start + NIGHTLY_CHUNK):
        try:
            run_seed(seed, tmp_path / str(seed), steps=120)
        except AssertionError as exc:
            failures.append((seed, str(exc)))
    if failures:
        pytest.fail(
            f"{len(failures)} GC seeds failed: {[s for s, _ in failures]}. First:\n"
            f"{failures[0][1]}",
            pytrace=False,
        )
