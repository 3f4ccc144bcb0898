"""Seeds that once failed, and the engine bugs the simulator knows are still open.

Why a list: a seed that found a bug is the cheapest reproduction there is;
kept here, it runs on every CI run and proves the fix stays fixed.

Seeds are tied to the generator: a seed reproduces the same run only for
the SIM_VERSION recorded with it. When the generator changes (new step
kinds, other weights), bump SIM_VERSION in simulator.py and re-check every
entry (`python -m tests.sim.simulator --seed N --trace`), finding a new seed
for a scenario if needed (the comment says what each one must show).

OPEN_BUGS: a failure the simulator classifies as one of these (see
Simulation.known_bug) is an expected failure (xfail), so sweeps stay useful
while the fix is pending. Remove the entry once the engine is fixed: its
seeds must then pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from .simulator import (
    IGNORED_JUNK_BLOCKS_DELETE,
    RACY_STAT_EDIT,
    STALE_SETTLED_AFTER_FAILED_PULL,
)

OPEN_BUGS: dict[str, str] = {}

FIXED_BUGS: dict[str, str] = {
    RACY_STAT_EDIT: (
        "an in-place edit that left (size, mtime, inode) as Synced recorded them was never "
        "read (the scanner reused Synced's hash; downloads set the remote's mtime); fixed by "
        "adding the inode change time (ctime) to the scanner's unchanged test"
    ),
    IGNORED_JUNK_BLOCKS_DELETE: (
        "a folder holding ignored junk (Thumbs.db, *.tmp) could not follow a deletion or a "
        "file-over-folder from another device: its quarantine failed with DirectoryNotEmpty "
        "every round (no convergence); fixed by executor._clear_ignored_junk"
    ),
    STALE_SETTLED_AFTER_FAILED_PULL: (
        "engine.round skipped merge and plan when no version was pulled *in this round*, the "
        "disk matched Synced and meta 'settled' was set; a round that pulled versions and then "
        "failed (scan error, store outage, crash) left 'settled' set, so those versions were "
        "never applied; fixed by pinning the version count ('settled_at_versions')"
    ),
}


@dataclass(frozen=True)
class Regression:
    seed: int
    sim_version: int
    found: str
    racy_mtimes: bool = False  # run with every disk's clock alike (SimConfig.racy_mtimes)


REGRESSIONS: tuple[Regression, ...] = (
    Regression(
        199,
        1,
        f"{IGNORED_JUNK_BLOCKS_DELETE}: junk in a folder that another device deletes or replaces "
        "(fails if executor._clear_ignored_junk does nothing)",
    ),
    Regression(
        213,
        1,
        f"{IGNORED_JUNK_BLOCKS_DELETE}: junk in a folder that another device deletes or replaces "
        "(fails if executor._clear_ignored_junk does nothing)",
    ),
    Regression(
        347,
        1,
        f"{IGNORED_JUNK_BLOCKS_DELETE}: junk in a folder that another device deletes or replaces "
        "(fails if executor._clear_ignored_junk does nothing)",
    ),
    Regression(
        13977,
        1,
        f"{STALE_SETTLED_AFTER_FAILED_PULL}: dev1's round at step 34 pulls dev0's new "
        "d.txt/b/c.txt, then its root listing fails (EACCES); every later dev1 round takes "
        "the settled fast path and the file never arrives",
    ),
    Regression(
        240,
        1,
        f"{RACY_STAT_EDIT}: dev1's in-place edit of b/c.txt (c7) keeps the Synced stat, so "
        "dev0's later folder delete quarantines it as unchanged: c7 is on no disk and in "
        "no version",
        racy_mtimes=True,
    ),
)
