"""A running folder's `MembersService`, for the desktop app's "Share…" and members watch.

The app shares the engine's own session: the service is built on the open
folder's membership log, this device's keys and the epoch keys as the session
opened them (`app.session.session_members`, what `coffre members` uses too), so
the dialog, the watch and the sync read one log. The jobs below run on the
engine's thread through `EngineBridge.run_job`, which hands them the session.
A folder not open yet (waiting for its passphrase) is `app.folder_locked`; a
format-1 vault that has not been opened since the update, `sharing.not_shared`.
"""

from __future__ import annotations

from .folders import Binding
from .members import MemberRow, MembersError, MembersService, SharingProblem
from .messages import AppProblem, ReasonedError
from .session import FolderSession, session_members


def running_members(_binding: Binding, session: FolderSession | None) -> MembersService:
    """The service of the folder's running session; a typed error when there is none."""
    if session is None:
        raise ReasonedError("the folder is not open", AppProblem.FOLDER_LOCKED)
    if session.sharing is None:
        raise MembersError.of(SharingProblem.NOT_SHARED)
    return session_members(session)


async def list_members(
    binding: Binding, session: FolderSession | None
) -> tuple[list[MemberRow], str]:
    """The members and this person's role (the members watch's job)."""
    service = running_members(binding, session)
    return await service.list(), service.my_role
