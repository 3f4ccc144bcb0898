"""core/epoch_rules.py on the documented sample log (no store): who may publish epoch n, where.

The sample log (tests/membership_vectors.py): 0 Alice creates (epoch 1), 1 adds
Bob, 2 Bob's device joins, 3 Bob becomes an owner, 4 Bob's device is removed
(epoch 2), 5 the key is rotated (epoch 3).
"""

from __future__ import annotations

import pytest

from sync_engine.core.epoch_rules import EpochProblem, statement_refusal
from sync_engine.core.membership import replay_history
from sync_engine.vault.membership_log import HybridChecker
from tests import membership_vectors as mv
from tests.identity_vectors import VAULT_ID, parties

E = EpochProblem


@pytest.fixture(scope="module")
def history():
    return replay_history(VAULT_ID, list(enumerate(mv.sample_log())), HybridChecker())


@pytest.fixture(scope="module")
def alice_device() -> bytes:
    return parties()[2].device_id


@pytest.mark.parametrize(
    ("epoch", "position", "expected"),
    [
        (1, 0, None),  # the creation
        (2, 4, None),  # the device removal
        (3, 5, None),  # the rotation
        (1, 1, E.NOT_STARTED_THERE),  # an add member starts nothing
        (2, 3, E.NOT_STARTED_THERE),  # a role change starts nothing
        (3, 4, E.NOT_STARTED_THERE),  # slot 4 started epoch 2, not 3
        (2, 5, E.NOT_STARTED_THERE),
        (4, 6, E.BEYOND_LOG),  # not read yet: not refused, left for later
    ],
)
def test_an_owner_device_publishes_exactly_the_epoch_its_entry_started(
    history, alice_device, epoch, position, expected
):
    reason = statement_refusal(history, 5, epoch=epoch, position=position, signer=alice_device)
    assert (reason.kind if reason else None) == expected


def test_a_device_not_current_at_that_position_may_not_publish(history):
    bobs = mv.bob_device().device_id  # an owner's device at slot 3, removed at slot 4
    reason = statement_refusal(history, 5, epoch=2, position=4, signer=bobs)
    assert reason is not None and reason.kind == E.UNKNOWN_SIGNER
    assert reason.as_dict() == {"epoch": "2", "signer": bobs.hex()}
