"""The live status file: what `coffre status --json` says of a running app or watch."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from app.activity import Attention, FolderModel
from app.status_file import live_summary, read_status
from app.status_reporter import StatusReporter
from sync_engine.events import (
    ConflictDetected,
    DeletionHeld,
    FolderState,
    ProblemReported,
    RoundFinished,
    StateChanged,
)


def idle_model() -> FolderModel:
    model = FolderModel("f0", "/tmp/dossier", "bureau", ready=True)
    model.apply(StateChanged("f0", FolderState.IDLE))
    model.apply(RoundFinished("f0", True, 0, 0, 1_800_000_000_000_000_000))
    return model


def test_up_to_date_only_when_nothing_waits_for_a_person() -> None:
    model = idle_model()
    assert model.up_to_date and model.attention == []
    model.apply(ConflictDetected("f0", "a.txt", "a (conflit).txt", "portable"))
    assert not model.up_to_date and model.attention == [Attention.CONFLICT]

    model = idle_model()
    model.apply(DeletionHeld("f0", 40, ("a.txt",)))
    model.apply(RoundFinished("f0", False, 0, 0, 1))
    assert model.attention == [Attention.HELD_DELETION]

    model = idle_model()
    model.apply(ProblemReported("f0", "CON", "skipped", "reserved name"))
    model.apply(RoundFinished("f0", True, 0, 0, 2, problems=1))
    model.apply(RoundFinished("f0", True, 0, 0, 3, problems=1))  # still there next round
    assert model.attention == [Attention.SKIPPED] and not model.up_to_date

    model = idle_model()
    model.locked, model.ready = True, False
    assert model.attention == [Attention.LOCKED]


def test_the_reporter_writes_changes_beats_and_removes_the_file(tmp_path: Path) -> None:
    reporter = StatusReporter(tmp_path, heartbeat_s=0.01)
    model = idle_model()
    reporter.show(model)
    live = read_status(reporter.path)
    assert live is not None and live["pid"] == os.getpid()
    assert live["up_to_date"] and live_summary(live) == "up to date"
    first = live["updated"]

    model.apply(DeletionHeld("f0", 40, ("a.txt",)))
    reporter.show(model)
    live = read_status(reporter.path)
    assert live is not None and live["held_deletion"] == 40
    assert live_summary(live) == "attention"

    async def beat_a_little() -> None:
        task = asyncio.create_task(reporter.heartbeat())
        await asyncio.sleep(0.1)
        task.cancel()

    asyncio.run(beat_a_little())
    live = read_status(reporter.path)
    assert live is not None and live["updated"] > first

    reporter.close()
    assert not reporter.path.exists()
    reporter.show(model)  # after close: the folder stopped, nothing is written
    assert not reporter.path.exists()
