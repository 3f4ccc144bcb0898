"""Which events deserve a notification, and how often: the pure part of notifications.

Only what needs a person: conflicts, errors, held deletions, a moved vault,
someone joining or leaving a shared folder; never one per file. A rate limit
allows one notice per kind and folder per interval; what arrives in between
is counted into the next one. An error notice carries the engine's typed
reason; app/gui/notifications.py words it in the interface's language and
shows it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from crypto.reason import Reason
from sync_engine.events import (
    ConflictDetected,
    DeletionHeld,
    Event,
    FolderState,
    StateChanged,
    VaultMoved,
)

MIN_INTERVAL_S = 60.0


@dataclass(frozen=True)
class Notice:
    kind: str  # "conflict", "error", "held", "passphrase", "moved", "joined", "left"
    folder: str
    count: int  # how many such events this notice covers
    detail: str  # a path, the error message, or (joined, left) the first person's name
    reason: Reason | None = None  # an error's typed reason, worded by the front-end


@dataclass
class NotificationPolicy:
    min_interval_s: float = MIN_INTERVAL_S
    clock: Callable[[], float] = time.monotonic
    _last: dict[tuple[str, str], float] = field(default_factory=dict)
    _waiting: dict[tuple[str, str], int] = field(default_factory=dict)
    _states: dict[str, FolderState] = field(default_factory=dict)

    def consider(self, event: Event) -> Notice | None:
        """The notice this event calls for now, or None (not worth one, or too soon)."""
        if isinstance(event, ConflictDetected):
            return self._limit("conflict", event.folder, event.path)
        if isinstance(event, DeletionHeld):
            return self._limit("held", event.folder, str(event.total))
        if isinstance(event, VaultMoved):
            return Notice("moved", event.folder, 1, event.new_url)
        if isinstance(event, StateChanged):
            before = self._states.get(event.folder)
            self._states[event.folder] = event.state
            if event.state is FolderState.ERROR and before is not FolderState.ERROR:
                return self._limit("error", event.folder, event.message, event.reason)
        return None

    def _limit(
        self, kind: str, folder: str, detail: str, reason: Reason | None = None
    ) -> Notice | None:
        key = (kind, folder)
        now = self.clock()
        count = self._waiting.get(key, 0) + 1
        last = self._last.get(key)
        if last is not None and now - last < self.min_interval_s:
            self._waiting[key] = count
            return None
        self._last[key] = now
        self._waiting[key] = 0
        return Notice(kind, folder, count, detail, reason)

    def members_changed(
        self, folder: str, joined: Sequence[str], left: Sequence[str]
    ) -> list[Notice]:
        """Notices for people who joined or left `folder` (their names) since the last look.

        One notice per direction: a person's name, or the first name and how many in all.
        Never rate-limited: membership changes are rare and each one matters.
        """
        notices = []
        for kind, names in (("joined", joined), ("left", left)):
            if names:
                notices.append(Notice(kind, folder, len(names), names[0]))
        return notices
