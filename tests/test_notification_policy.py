"""Which events deserve a notification, and how often (app/notification_policy.py, no Qt)."""

from __future__ import annotations

from app.notification_policy import NotificationPolicy
from crypto.reason import Reason
from sync_engine.disk.fs_errors import FsProblem
from sync_engine.events import ConflictDetected, DeletionHeld, FolderState, StateChanged

from .qt_free import assert_imports_without_qt


def test_the_policy_and_these_tests_need_no_qt() -> None:
    assert_imports_without_qt("tests.test_notification_policy")


def test_notifications_are_for_what_needs_a_person_and_rate_limited() -> None:
    now = [0.0]
    policy = NotificationPolicy(min_interval_s=60, clock=lambda: now[0])
    first = policy.consider(ConflictDetected("f", "a.txt", "a (conflict).txt", "b"))
    assert first is not None and first.kind == "conflict" and first.count == 1
    for i in range(5):
        assert policy.consider(ConflictDetected("f", f"{i}.txt", f"{i} (c).txt", "b")) is None
    assert policy.consider(StateChanged("f", FolderState.SYNCING)) is None
    error = policy.consider(StateChanged("f", FolderState.ERROR, message="disque plein"))
    assert error is not None and error.detail == "disque plein"
    assert policy.consider(StateChanged("f", FolderState.ERROR, message="encore")) is None
    now[0] = 61.0
    later = policy.consider(ConflictDetected("f", "z.txt", "z (c).txt", "b"))
    assert later is not None and later.count == 6  # the five held back are counted in
    held = policy.consider(DeletionHeld("f", 40, ("x",)))
    assert held is not None and held.kind == "held"
    reasoned = NotificationPolicy(min_interval_s=0)
    disk_full = Reason.of(FsProblem.DISK_FULL)
    stopped = reasoned.consider(StateChanged("f", FolderState.ERROR, "for logs", reason=disk_full))
    assert stopped is not None and stopped.reason == disk_full  # worded by the front-end
