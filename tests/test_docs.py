"""The repository explains itself: its docs agree with the code they describe.

The planner's decision table lives in `planner.DECISIONS`; docs/SYNC.md and
the planner's header comment show it to readers. Both copies are parsed here
and must say exactly what the table says, so they cannot drift.
"""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from sync_engine.core.planner import DECISIONS, Decision, LocalState, RemoteState

ROOT = Path(__file__).resolve().parents[1]

# How the docs word each decision ("—" or "-": the pair cannot happen).
WORDS: dict[str, Decision | None] = {
    "nothing": Decision.NOTHING,
    "download": Decision.DOWNLOAD,
    "download (edit beats delete)": Decision.DOWNLOAD,
    "quarantine": Decision.QUARANTINE,
    "upload": Decision.UPLOAD,
    "upload (edit beats delete)": Decision.UPLOAD,
    "equal: record, else conflict": Decision.RECORD_OR_CONFLICT,
    "record|conflict": Decision.RECORD_OR_CONFLICT,
    "tombstone": Decision.TOMBSTONE,
    "forget": Decision.FORGET,
    "—": None,
    "-": None,
}

Table = dict[tuple[LocalState, RemoteState], Decision]


def _table(header: list[str], rows: list[list[str]]) -> Table:
    remotes = [RemoteState[h.strip()] for h in header]
    out: Table = {}
    for row in rows:
        local = LocalState[row[0].strip()]
        assert len(row) - 1 == len(remotes), row
        for remote, cell in zip(remotes, row[1:], strict=True):
            decision = WORDS[cell.strip()]
            if decision is not None:
                out[(local, remote)] = decision
    return out


def sync_md_table() -> Table:
    text = (ROOT / "docs/SYNC.md").read_text(encoding="utf-8")
    section = text.split("### The decision table (`DECISIONS`)", 1)[1]
    lines = list(itertools.takewhile(lambda ln: ln.startswith("|"), section.strip().splitlines()))
    cells = [ln.strip().strip("|").split("|") for ln in lines]
    header = cells[0][1:]
    return _table(header, cells[2:])


def planner_header_table() -> Table:
    text = (ROOT / "sync_engine/core/planner.py").read_text(encoding="utf-8")
    section = text.split("# The decision table", 1)[1]
    lines = [ln[1:].strip() for ln in section.splitlines()[3:9]]
    header = lines[0].split("|", 1)[1].split()
    rows = []
    for line in lines[1:]:
        local, rest = line.split("|", 1)
        # Cells are separated by two or more spaces; a cell may hold one space.
        rows.append([local, *re.split(r"\s{2,}", rest.strip())])
    return _table(header, rows)


@pytest.mark.parametrize("read", [sync_md_table, planner_header_table])
def test_the_decision_table_shown_to_readers_is_the_one_the_planner_uses(read) -> None:  # type: ignore[no-untyped-def]
    assert read() == DECISIONS


OUTSIDE_MAP = "DESIGN" + ".md"  # spelt in two parts so this file does not name it itself


def test_no_doc_or_code_points_outside_the_repository() -> None:
    """The design map once lived outside the repository; nothing may send readers there."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "*.md"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = [
        name
        for name in tracked
        if OUTSIDE_MAP in (ROOT / name).read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []
