################################################################
# Epoch statements: who may publish the key of epoch n
################################################################
#
# Rule 1: the only place that decides whether an epoch statement
# (crypto/epochs.py, `keys/epochs/<n>/statement`) is accepted, given the
# membership log. Pure: no store, no clock, no cryptography (the caller has
# already checked the statement's signature with the key of the device it
# names; here we decide whether that device may sign it).
#
# Theory of operation
# ===================
#
# Epoch n starts with one membership entry: the creation (n = 1), a member
# removal, a device removal or a key rotation (RULES' "next" column in
# membership.py). The statement of epoch n names the log position p of that
# entry and its signer. It is accepted when, in this order (the first that
# fails refuses it):
#
#   1. the log this device accepted reaches p                 BEYOND_LOG
#   2. an entry was accepted at p, it carries epoch n, and    NOT_STARTED_THERE
#      the state before it had epoch n - 1 (p = 0, n = 1 for
#      the creation)
#   3. the signer is a current device at p                    UNKNOWN_SIGNER
#      (the state after the entry at p)
#   4. that device's person is an owner at p                  NOT_OWNER
#
# A device removed by the entry at p, or an editor, cannot publish the epoch
# key: an editor could otherwise make every member seal new data under a key
# the editor chose and shares with outsiders. BEYOND_LOG is not a refusal of
# the statement, only "read the log again first" (the statement may be
# newer than this device's copy of the log).
#
# `History.at(q)` is the state in force at log position q: the state after
# the newest entry accepted at a slot <= q (refused and missing slots change
# nothing), as the membership core replays it.

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from crypto.reason import Reason

from .membership import Membership
from .membership_entry import Role

__all__ = ["EpochProblem", "History", "StatesAfter", "statement_refusal"]


class EpochProblem(StrEnum):
    """Why an epoch statement or envelope is not used (worded in app/messages.py)."""

    BEYOND_LOG = "epochs.beyond_log"  # epoch, position: read the membership log first
    NOT_STARTED_THERE = "epochs.not_started_there"  # epoch, position
    UNKNOWN_SIGNER = "epochs.unknown_signer"  # epoch, signer
    NOT_OWNER = "epochs.not_owner"  # epoch, role
    BAD_STATEMENT = "epochs.bad_statement"  # epoch, detail: malformed or bad signature
    NO_STATEMENT = "epochs.no_statement"  # epoch: the store holds no statement for it
    BAD_ENVELOPE = "epochs.bad_envelope"  # epoch, detail: does not open or is not the key
    NOT_GIVEN = "epochs.not_given"  # no envelope of any epoch for this device or person
    ROOT_RETIRED = "epochs.root_retired"  # the passphrase changed since this root was current
    PUBLISHED_MEANWHILE = "epochs.published_meanwhile"  # epoch: another owner published it


class History(Protocol):
    """The membership states by log position (MembershipHistory from the membership core)."""

    def at(self, position: int) -> Membership:
        """The state in force at `position` (after the newest entry accepted at <= position)."""
        ...


class StatesAfter:
    """A `History` from the states after each accepted entry, in log order."""

    def __init__(self, states: list[Membership]) -> None:
        self._states = sorted(states, key=lambda s: s.position)

    @property
    def newest(self) -> Membership | None:
        return self._states[-1] if self._states else None

    def at(self, position: int) -> Membership:
        found: Membership | None = None
        for state in self._states:
            if state.position > position:
                break
            found = state
        if found is None:
            vault_id = self._states[0].vault_id if self._states else bytes(16)
            return Membership(vault_id)
        return found


def statement_refusal(
    history: History, newest_position: int, *, epoch: int, position: int, signer: bytes
) -> Reason | None:
    """Why this statement's signer may not publish epoch `epoch`, or None (accepted).

    `newest_position` is the newest log slot this device has examined.
    """
    if position > newest_position:
        return Reason.of(EpochProblem.BEYOND_LOG, epoch=epoch, position=position)
    after = history.at(position)
    before = history.at(position - 1) if position > 0 else None
    started = after.position == position and after.epoch == epoch
    if epoch == 1:
        started = started and position == 0
    else:
        started = started and before is not None and before.epoch == epoch - 1
    if not started:
        return Reason.of(EpochProblem.NOT_STARTED_THERE, epoch=epoch, position=position)
    role = after.role_of_device(signer)
    if role is None:
        return Reason.of(EpochProblem.UNKNOWN_SIGNER, epoch=epoch, signer=signer.hex())
    if role is not Role.OWNER:
        return Reason.of(EpochProblem.NOT_OWNER, epoch=epoch, role=role.label)
    return None
