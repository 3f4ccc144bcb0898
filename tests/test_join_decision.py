"""app/join_decision.py: each row of the join table, and the walks a real join takes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.join_decision import JoinFacts, JoinStep, next_step

S = JoinStep

ROWS = [
    # format 1: the passphrase, then the upgrade
    (JoinFacts(1, passphrase=True), S.OPEN_WITH_PASSPHRASE),
    (JoinFacts(1, passphrase=True, tried_passphrase=True), S.WRONG_PASSPHRASE),
    (JoinFacts(1), S.WRONG_PASSPHRASE),
    (JoinFacts(1, opened=True, tried_passphrase=True, passphrase=True), S.UPGRADE),
    # format 2, opened by a member's identity: the device adds itself
    (JoinFacts(2, opened=True, identity=True, member=True), S.ADD_DEVICE),
    (JoinFacts(2, identity=True, member=True, envelope=True), S.OPEN_WITH_IDENTITY),
    (
        JoinFacts(2, identity=True, member=True, envelope=True, passphrase=True),
        S.OPEN_WITH_IDENTITY,  # no Argon2id when the identity opens it
    ),
    # an identity that does not open it: the passphrase, then "not added"
    (
        JoinFacts(2, identity=True, member=True, envelope=True, tried_identity=True),
        S.NOT_ADDED,
    ),
    (JoinFacts(2, identity=True, passphrase=True), S.OPEN_WITH_PASSPHRASE),
    (JoinFacts(2, identity=True, passphrase=True, tried_passphrase=True), S.NOT_ADDED),
    (JoinFacts(2, identity=True), S.NOT_ADDED),
    # no identity here: the passphrase slot, then the store's copies
    (JoinFacts(2, passphrase=True, copies=True), S.OPEN_WITH_PASSPHRASE),
    (
        JoinFacts(2, passphrase=True, copies=True, tried_passphrase=True),
        S.TRY_STORE_COPIES,
    ),
    (
        JoinFacts(2, opened=True, passphrase=True, copies=True, tried_passphrase=True),
        S.TRY_STORE_COPIES,
    ),
    (
        JoinFacts(2, passphrase=True, copies=True, tried_passphrase=True, tried_copies=True),
        S.WRONG_PASSPHRASE,
    ),
    (JoinFacts(2, passphrase=True, tried_passphrase=True), S.WRONG_PASSPHRASE),
    (
        JoinFacts(2, opened=True, passphrase=True, tried_passphrase=True, tried_copies=True),
        S.NOT_ADDED,  # the passphrase opens it, but no member's identity is at hand
    ),
    (JoinFacts(2), S.NOT_ADDED),
    # a copy the passphrase opened: its identity's envelope, or "not added"
    (
        JoinFacts(
            2,
            identity=True,
            member=True,
            envelope=True,
            passphrase=True,
            tried_passphrase=True,
            copies=True,
            tried_copies=True,
        ),
        S.OPEN_WITH_IDENTITY,
    ),
    (
        JoinFacts(
            2, identity=True, passphrase=True, tried_passphrase=True, copies=True, tried_copies=True
        ),
        S.NOT_ADDED,
    ),
]


@pytest.mark.parametrize(("facts", "step"), ROWS)
def test_each_row(facts: JoinFacts, step: JoinStep) -> None:
    assert next_step(facts) is step


def _walk(facts: JoinFacts, outcomes: dict[JoinStep, dict[str, bool]]) -> list[JoinStep]:
    """Run the decision as app/setup.py does: try, record, ask again (bounded)."""
    steps: list[JoinStep] = []
    for _ in range(10):
        step = next_step(facts)
        steps.append(step)
        if step in (S.ADD_DEVICE, S.NOT_ADDED, S.WRONG_PASSPHRASE):
            return steps
        tried = {
            S.OPEN_WITH_IDENTITY: "tried_identity",
            S.OPEN_WITH_PASSPHRASE: "tried_passphrase",
            S.TRY_STORE_COPIES: "tried_copies",
            S.UPGRADE: "",
        }[step]
        changes = dict(outcomes.get(step, {}))
        if step is S.UPGRADE:
            changes["format"] = 2  # type: ignore[assignment]
        if tried:
            changes[tried] = True
        facts = replace(facts, **changes)
    raise AssertionError(f"no end after {steps}")


def test_the_walks_of_real_joins() -> None:
    # Bob, added by Alice, on his first computer: his identity opens it.
    bob = JoinFacts(2, identity=True, member=True, envelope=True, passphrase=True)
    opened = {S.OPEN_WITH_IDENTITY: {"opened": True}}
    assert _walk(bob, opened) == [S.OPEN_WITH_IDENTITY, S.ADD_DEVICE]
    # Bob before Alice added him: his own passphrase is not the vault's.
    early = JoinFacts(2, identity=True, passphrase=True)
    assert _walk(early, {}) == [S.OPEN_WITH_PASSPHRASE, S.NOT_ADDED]
    # Alice's second computer: the passphrase opens it, her copy on the store too.
    alice = JoinFacts(2, passphrase=True, copies=True)
    found = {
        S.OPEN_WITH_PASSPHRASE: {"opened": True},
        S.TRY_STORE_COPIES: {"identity": True, "member": True, "envelope": True},
    }
    assert _walk(alice, found) == [S.OPEN_WITH_PASSPHRASE, S.TRY_STORE_COPIES, S.ADD_DEVICE]
    # Bob's second computer, without a keyring: his passphrase opens his copy only.
    second = {S.TRY_STORE_COPIES: {"identity": True, "member": True, "envelope": True},
              S.OPEN_WITH_IDENTITY: {"opened": True}}  # fmt: skip
    assert _walk(JoinFacts(2, passphrase=True, copies=True), second) == [
        S.OPEN_WITH_PASSPHRASE, S.TRY_STORE_COPIES, S.OPEN_WITH_IDENTITY, S.ADD_DEVICE,
    ]  # fmt: skip
    # A format-1 vault: the passphrase, the upgrade, then the creator's identity joins.
    v1 = {S.OPEN_WITH_PASSPHRASE: {"opened": True},
          S.UPGRADE: {"identity": True, "member": True}}  # fmt: skip
    assert _walk(JoinFacts(1, passphrase=True), v1) == [
        S.OPEN_WITH_PASSPHRASE, S.UPGRADE, S.ADD_DEVICE,
    ]  # fmt: skip
