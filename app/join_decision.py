################################################################
# Joining a shared folder from a new computer: which way in next
################################################################
#
# Rule: `coffre join` (and the setup wizard) asks `next_step` what to try,
# tries it, records what it learnt in `JoinFacts`, and asks again, until the
# answer is ADD_DEVICE (done: the device adds itself), NOT_ADDED (exit 1 and
# print the person's card) or WRONG_PASSPHRASE (the passphrase error as today).
# The shell (app/setup.py) does the I/O; nothing here touches the store.
#
# Theory of operation
# ===================
#
# A format-2 folder opens three ways (V2-SPEC "App"):
#   - through the person's identity, when an owner added it: the store holds
#     an envelope of an epoch key for the identity (no passphrase needed when
#     the identity is in the keyring);
#   - through the vault's passphrase slot (the root R), as a format-1 vault;
#   - a person without an identity on this computer first looks for their
#     identity among the store's passphrase-wrapped copies (`identities/*`),
#     trying the passphrase on each (bounded), so a second computer needs only
#     the passphrase.
# Opening is not enough: the new device must add itself to the membership
# log, signed with a certificate from the person's identity, so the identity
# must be a member's. Everything else ends in NOT_ADDED: the person sends the
# card printed to an owner, who adds it. A format-1 vault (no log yet) opens
# by its passphrase only and is then upgraded in place (UPGRADE).
#
# The table (first matching row wins; "-" = any; OPEN_* are the OPEN_WITH_* steps):
#
#  format | opened | identity | member | envelope | passphrase | tried          | next
#  1      | no     | -        | -      | -        | yes        | passphrase: no | OPEN_PASSPHRASE
#  1      | no     | -        | -      | -        | -          | -              | WRONG_PASSPHRASE
#  1      | yes    | -        | -      | -        | -          | -              | UPGRADE
#  2      | yes    | yes      | yes    | -        | -          | -              | ADD_DEVICE
#  2      | no     | yes      | yes    | yes      | -          | identity: no   | OPEN_IDENTITY
#  2      | no     | -        | -      | -        | yes        | passphrase: no | OPEN_PASSPHRASE
#  2      | -      | no       | -      | -        | yes        | copies: no     | TRY_STORE_COPIES
#  2      | no     | no       | -      | -        | yes        | -              | WRONG_PASSPHRASE
#  2      | -      | -        | -      | -        | -          | -              | NOT_ADDED
#
# "identity": this computer knows the person's identity (its own, or a copy
# from the store that the passphrase opened); "member": that identity is in
# the log; "envelope": an epoch envelope for it is on the store. A wrong
# passphrase with an identity at hand is NOT_ADDED, not WRONG_PASSPHRASE: the
# passphrase may well be the person's own (a member never learns the vault's),
# and what they need is an owner to add them; the message says both.

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["MAX_STORE_COPIES", "JoinFacts", "JoinStep", "next_step"]

MAX_STORE_COPIES = 32  # identity copies tried with the passphrase (each costs an Argon2id)


class JoinStep(enum.Enum):
    OPEN_WITH_IDENTITY = "open_with_identity"
    OPEN_WITH_PASSPHRASE = "open_with_passphrase"
    TRY_STORE_COPIES = "try_store_copies"
    UPGRADE = "upgrade"
    ADD_DEVICE = "add_device"
    NOT_ADDED = "not_added"
    WRONG_PASSPHRASE = "wrong_passphrase"


@dataclass(frozen=True)
class JoinFacts:
    """What the join knows so far (see the table above)."""

    format: int  # the vault header's version
    opened: bool = False  # the vault's keys are open (any way)
    identity: bool = False  # the person's identity is at hand (private keys)
    member: bool = False  # that identity is a member in the log
    envelope: bool = False  # an epoch envelope for that identity is on the store
    passphrase: bool = False  # a passphrase was given
    tried_identity: bool = False
    tried_passphrase: bool = False
    tried_copies: bool = False
    copies: bool = False  # the store holds identity copies (`identities/*`)


def next_step(f: JoinFacts) -> JoinStep:
    """The next thing `coffre join` does (the table in the header, row by row)."""
    if f.format < 2:
        if f.opened:
            return JoinStep.UPGRADE
        if f.passphrase and not f.tried_passphrase:
            return JoinStep.OPEN_WITH_PASSPHRASE
        return JoinStep.WRONG_PASSPHRASE
    if f.opened and f.identity and f.member:
        return JoinStep.ADD_DEVICE
    if not f.opened and f.identity and f.member and f.envelope and not f.tried_identity:
        return JoinStep.OPEN_WITH_IDENTITY
    if not f.opened and f.passphrase and not f.tried_passphrase:
        return JoinStep.OPEN_WITH_PASSPHRASE
    if not f.identity and f.passphrase and f.copies and not f.tried_copies:
        return JoinStep.TRY_STORE_COPIES
    if not f.opened and not f.identity and f.passphrase:
        return JoinStep.WRONG_PASSPHRASE
    return JoinStep.NOT_ADDED
