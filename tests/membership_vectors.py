"""Vectors for the membership log section of docs/FORMAT.md.

Two blocks, as for identities (tests/identity_vectors.py). `member-vectors` is
deterministic: the signed bytes of two entries that carry no signature inside
them, and the state the sample log must give. `member-samples` is a small log
whose entries carry hybrid signatures (ML-DSA-65 signs with fresh randomness):
the code replays it with the deterministic keys, and `write()` keeps the stored
log as long as it still replays. `python -m tests.format_vectors --write`
writes both.
"""

from __future__ import annotations

from typing import Any

from crypto.device import DeviceKeys, certify_device
from crypto.identity import card_blob
from sync_engine.core.membership import Membership, MembershipRefused, apply_entry, draft, replay
from sync_engine.core.membership_entry import (
    NO_ID,
    EntryKind,
    Role,
    encode_signed,
    join_entry,
)
from sync_engine.vault.membership_log import ENTRY_CONTEXT, HybridChecker
from tests.format_vectors import SeededBytes
from tests.identity_vectors import CREATED_AT_MS, VAULT_ID, parties

MEMBER_BEGIN, MEMBER_END = "<!-- member-vectors:begin -->", "<!-- member-vectors:end -->"
SAMPLES_BEGIN, SAMPLES_END = "<!-- member-samples:begin -->", "<!-- member-samples:end -->"
SEED = "coffre membership vectors v1"
BOB_DEVICE = "poste accueil"
PREVIOUS = bytes(range(32))


def bob_device() -> DeviceKeys:
    return DeviceKeys.generate(BOB_DEVICE, SeededBytes(SEED))


def sample_log() -> list[bytes]:
    """Alice creates (her device), adds Bob as editor; Bob's device introduces itself;
    Alice makes Bob an owner (cut: Bob's device at seq 3), removes his device (cut:
    seq 4), then rotates the key."""
    alice, bob, device = parties()
    bobs = bob_device()
    checker = HybridChecker()
    state, entries = Membership(VAULT_ID), []

    def add(signer: DeviceKeys, kind: EntryKind, **fields: Any) -> None:
        nonlocal state
        slot = len(entries)
        signed = encode_signed(draft(state, slot, kind, signer.device_id, CREATED_AT_MS, **fields))
        data = join_entry(signed, signer.sign(ENTRY_CONTEXT, signed))
        state = apply_entry(state, slot, data, checker)
        entries.append(data)

    def cert(person: Any, dev: DeviceKeys) -> bytes:
        return certify_device(person, dev.public, CREATED_AT_MS).to_bytes()

    add(
        device,
        EntryKind.CREATE,
        subject=alice.identity_id,
        device=device.device_id,
        role=Role.OWNER,
        identity=card_blob(alice),
        certificate=cert(alice, device),
    )
    add(
        device,
        EntryKind.ADD_MEMBER,
        subject=bob.identity_id,
        role=Role.EDITOR,
        identity=card_blob(bob),
    )
    add(
        bobs,
        EntryKind.ADD_DEVICE,
        subject=bob.identity_id,
        device=bobs.device_id,
        certificate=cert(bob, bobs),
    )
    add(
        device,
        EntryKind.CHANGE_ROLE,
        subject=bob.identity_id,
        role=Role.OWNER,
        cut=((bobs.device_id, 3),),
    )
    add(
        device,
        EntryKind.REMOVE_DEVICE,
        subject=bob.identity_id,
        device=bobs.device_id,
        cut=((bobs.device_id, 4),),
    )
    add(device, EntryKind.ROTATE_KEY)
    return entries


def summary(state: Membership) -> dict[str, Any]:
    return {
        "position": state.position,
        "epoch": state.epoch,
        "members": {m.identity_id.hex(): [m.name, m.role.label] for m in state.members.values()},
        "devices": {d.device_id.hex(): d.identity_id.hex() for d in state.devices.values()},
        "seen_devices": sorted(d.hex() for d in state.seen_devices),
        "cuts": {d.hex(): [[m.position, m.seq] for m in marks] for d, marks in state.cuts.items()},
    }


def generate() -> dict[str, Any]:
    alice, bob, device = parties()
    state = replay(VAULT_ID, list(enumerate(sample_log())), HybridChecker())
    base = Membership(VAULT_ID, position=2, head=PREVIOUS, epoch=1)
    change_role = draft(
        base,
        3,
        EntryKind.CHANGE_ROLE,
        device.device_id,
        CREATED_AT_MS,
        subject=bob.identity_id,
        role=Role.OWNER,
        cut=((bob_device().device_id, 7),),
    )
    rotate = draft(base, 3, EntryKind.ROTATE_KEY, device.device_id, CREATED_AT_MS)
    assert rotate.subject == NO_ID
    return {
        "seed": SEED,
        "vault_id": VAULT_ID.hex(),
        "alice_device_id": device.device_id.hex(),
        "bob_device_private": bob_device().to_bytes().hex(),
        "previous": PREVIOUS.hex(),
        "change_role_signed": encode_signed(change_role).hex(),
        "rotate_key_signed": encode_signed(rotate).hex(),
        "sample_state": summary(state),
        "alice_id": alice.identity_id.hex(),
    }


def generate_samples() -> dict[str, Any]:
    return {"entries": [e.hex() for e in sample_log()]}


def samples_verify(samples: dict[str, Any]) -> bool:
    """Whether a stored sample log still replays, whole, with today's code and keys."""
    try:
        entries = [bytes.fromhex(e) for e in samples["entries"]]
        state = replay(VAULT_ID, list(enumerate(entries)), HybridChecker())
    except (KeyError, ValueError, TypeError, MembershipRefused):
        return False
    return summary(state) == generate()["sample_state"]
