"""docs/FORMAT.md "Membership log" and the code agree: the layout byte by byte, the
deterministic vectors reproduced, the sample log (hybrid signatures) replayed."""

from __future__ import annotations

import hashlib

import pytest

from sync_engine.core.membership import (
    Membership,
    MembershipProblem,
    MembershipRefused,
    apply_entry,
    extend,
)
from sync_engine.core.membership_entry import EntryKind, Role, decode_entry, encode_signed
from sync_engine.vault.membership_log import HybridChecker
from tests import membership_vectors as mv
from tests.format_vectors import documented
from tests.identity_vectors import VAULT_ID


@pytest.fixture(scope="module")
def vec() -> dict:
    return documented(mv.MEMBER_BEGIN, mv.MEMBER_END)


@pytest.fixture(scope="module")
def samples() -> list[bytes]:
    return [bytes.fromhex(e) for e in documented(mv.SAMPLES_BEGIN, mv.SAMPLES_END)["entries"]]


def test_code_reproduces_the_documented_vectors(vec):
    assert mv.generate() == vec


def test_the_signed_bytes_follow_the_documented_layout(vec):
    data = bytes.fromhex(vec["change_role_signed"])
    assert len(data) == 159
    assert data[0:4] == b"CFME" and data[4] == 1 and data[5] == EntryKind.CHANGE_ROLE.value
    assert data[6:22].hex() == vec["vault_id"]
    assert data[22:30] == (3).to_bytes(8, "little")
    assert data[30:62].hex() == vec["previous"]
    assert data[62:66] == (1).to_bytes(4, "little")
    assert int.from_bytes(data[66:74], "little") == 1_767_225_600_000
    assert data[74:90].hex() == vec["alice_device_id"]
    assert data[90:106].hex() == "95501d329eccb4c31374841333873488"  # Bob's identity id
    assert data[106:122] == bytes(16) and data[122] == Role.OWNER.value
    assert data[123:131] == bytes(8)  # empty identity and certificate
    assert data[131:135] == (1).to_bytes(4, "little")  # the cut: one device
    assert data[135:151] == mv.bob_device().device_id and data[151:159] == (7).to_bytes(8, "little")
    rotate = bytes.fromhex(vec["rotate_key_signed"])
    assert rotate[5] == EntryKind.ROTATE_KEY.value and rotate[90:123] == bytes(33)
    assert len(rotate) == 135 and rotate[131:135] == bytes(4)  # no cut: count 0


def test_the_sample_log_replays_to_the_documented_state(vec, samples):
    check = extend(Membership(VAULT_ID), 0, dict(enumerate(samples)), HybridChecker())
    assert check.refused == ()
    assert mv.summary(check.state) == vec["sample_state"]
    previous = bytes(32)
    for slot, data in enumerate(samples):
        e = decode_entry(data)
        assert encode_signed(e.entry) == e.signed  # one encoding
        assert e.entry.position == slot and e.entry.previous == previous
        assert len(e.signature) == 3373  # hybrid: Ed25519 64 + ML-DSA-65 3,309
        previous = hashlib.sha256(data).digest()
    assert check.state.head == previous


def test_a_sample_entry_altered_anywhere_signed_is_refused(samples):
    state = Membership(VAULT_ID)
    checker = HybridChecker()
    altered = bytearray(samples[0])
    altered[70] ^= 1  # at_ms: read by no rule, covered by the signature
    with pytest.raises(MembershipRefused) as info:
        apply_entry(state, 0, bytes(altered), checker)
    assert info.value.reason.kind == MembershipProblem.BAD_SIGNATURE
    ml_dsa_half = bytearray(samples[0])
    ml_dsa_half[-1] ^= 1  # the Ed25519 half still verifies: both are required
    with pytest.raises(MembershipRefused) as info:
        apply_entry(state, 0, bytes(ml_dsa_half), checker)
    assert info.value.reason.kind == MembershipProblem.BAD_SIGNATURE
