"""Retention of the local quarantine: what sync removed is kept N days, then let go.

Items live outside the synced folder, one dated batch directory each
(quarantine_fs.quarantine). Only items whose record is older than the retention
are removed, record and files together; anything unexpected is left alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..vault.state import LocalState

DEFAULT_RETENTION_DAYS = 30
_DAY_NS = 86_400 * 10**9


def purge_quarantine(
    state: LocalState, quarantine_dir: Path, now_ns: int, days: int = DEFAULT_RETENTION_DAYS
) -> int:
    """Remove quarantined items older than `days`; returns how many went."""
    removed = 0
    root = quarantine_dir.resolve()
    for item in state.quarantined():
        if now_ns - item.time_ns < days * _DAY_NS:
            continue
        stored = Path(item.stored_at).resolve()
        if root not in stored.parents:
            continue  # never delete anything outside the quarantine
        batch = root / stored.relative_to(root).parts[0]
        try:
            if stored.is_dir() and not stored.is_symlink():
                shutil.rmtree(stored)
            else:
                stored.unlink(missing_ok=True)
            shutil.rmtree(batch, ignore_errors=True)
        except OSError:
            continue
        with state.transaction():
            state.remove_quarantined(item.item_id)
        removed += 1
    return removed
