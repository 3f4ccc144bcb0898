"""Quarantine retention removes only old items, and only inside the quarantine."""

from __future__ import annotations

from sync_engine.disk.quarantine import purge_quarantine
from sync_engine.vault.state import LocalState

DAY = 86_400 * 10**9


def test_old_items_go_recent_ones_stay(tmp_path):
    state = LocalState(tmp_path / "state.db")
    q = tmp_path / "quarantine"
    old = q / "20260101-000000-aaaa" / "docs" / "old.txt"
    new = q / "20261120-000000-bbbb" / "new.txt"
    for f in (old, new):
        f.parent.mkdir(parents=True)
        f.write_text("kept for a while")
    outside = tmp_path / "precious.txt"
    outside.write_text("not quarantine")
    now = 100 * DAY
    with state.transaction():
        state.add_quarantined("docs/old.txt", str(old), now - 31 * DAY)
        state.add_quarantined("new.txt", str(new), now - 2 * DAY)
        state.add_quarantined("precious.txt", str(outside), now - 99 * DAY)
    assert purge_quarantine(state, q, now, days=30) == 1
    assert not old.exists() and not (q / "20260101-000000-aaaa").exists()
    assert new.exists() and outside.exists()
    assert sorted(i.path for i in state.quarantined()) == ["new.txt", "precious.txt"]
