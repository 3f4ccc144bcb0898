"""Compile Coffre's bytecode before timing anything, as an installation would have it.

An installed Coffre starts from compiled bytecode. A checkout run with
PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it) would
recompile every module in every command it times, about half a second each.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_sources() -> None:
    for package in ("app", "sync_engine", "crypto"):
        compileall.compile_dir(ROOT / package, quiet=1)
