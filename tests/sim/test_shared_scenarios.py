"""What the shared-vault simulator found, each reduced to a few steps (shared_simulation.py).

Real vaults on a folder store (tests/sharing_world.py), with real epoch
statements and envelopes (sync_engine/vault/epoch_keys.py), as an owner's
app writes them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crypto.errors import EpochKeyMissing
from crypto.keyring import KeyRing
from crypto.records import SEGMENT_MAGIC, peek_record
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import EpochKeys, recipients_of
from sync_engine.vault.journal import AccessRevoked, segment_key
from tests.sharing_world import SharedDevice, SharedVault


def _store(base: Path) -> LocalStore:
    (base / "store").mkdir()
    return LocalStore(base / "store")


def _keys(vault: SharedVault, owner: SharedDevice) -> EpochKeys:
    log = owner.log
    return EpochKeys(vault.store, vault.vault_id, log.history, log.read_through)


async def _team_with_real_epochs(
    base: Path,
) -> tuple[SharedVault, SharedDevice, SharedDevice, SharedDevice]:
    """Owner, editor, reader; epoch 1's statement and envelopes on the store."""
    vault = SharedVault(base, _store(base))
    owner = await vault.create("Alice", "alice-pc")
    editor = await vault.member(owner, "Bruno", Role.EDITOR)
    reader = await vault.member(owner, "Chloé", Role.READER)
    await owner.log.read()
    await _keys(vault, owner).write_epoch(
        1, None, 0, recipients_of(owner.log.state), owner.keys, None,
        key=vault.epochs[1].secret,
    )  # fmt: skip
    return vault, owner, editor, reader


async def _start_epoch(vault: SharedVault, owner: SharedDevice) -> KeyRing:
    """What the owner's app does after a removal entry: write the new epoch, use it."""
    state = owner.log.state
    ring = await _keys(vault, owner).write_epoch(
        state.epoch, vault.ring(), state.position, recipients_of(state), owner.keys, None
    )
    vault.epochs[state.epoch] = ring.now
    owner.engine = vault._reopened(owner, ring)
    return ring


def _refusals(reports: list[object]) -> list[object]:
    return [p for r in reports for p in r.problems if p.kind == "refused"]  # type: ignore[attr-defined]


async def test_an_editor_opens_the_epoch_a_removal_started_before_publishing(
    tmp_path: Path,
) -> None:
    """Shared seeds 11, 18, 44, 56: an editor whose app had not opened epoch 2 yet
    read the removal in its round and published under epoch 1; every device refused
    its chain for good (authority.stale_epoch), so its edits never arrived. Now the
    engine opens its own envelope of the new epoch, and seals nothing before."""
    vault, owner, editor, reader = await _team_with_real_epochs(tmp_path)
    editor.write("minutes.txt", b"before")
    await vault.settle(1)
    await owner.log.append(
        owner.keys, EntryKind.REMOVE_MEMBER, int(time.time() * 1000),
        subject=reader.person.identity_id, cut=vault._cut(owner),
    )  # fmt: skip
    # The entry is there, its epoch not yet: the editor seals nothing, not even packs.
    editor.write("minutes.txt", b"after the removal")
    stored = {i.key for i in await vault.store.list("")}
    with pytest.raises(EpochKeyMissing):
        await editor.engine.round()
    assert {i.key for i in await vault.store.list("")} == stored
    assert editor.read("minutes.txt") == b"after the removal"
    await _start_epoch(vault, owner)
    assert editor.engine.ring.current == 1  # its app has not looked
    reports = [await editor.sync(), await owner.sync()]
    assert editor.engine.ring.current == 2
    raw = await vault.store.get(segment_key(editor.device_id, editor.journal.own_seq))
    assert peek_record(SEGMENT_MAGIC, raw).epoch == 2
    assert owner.read("minutes.txt") == b"after the removal"
    assert not [p for p in _refusals(reports) if p.path == editor.device_id]  # type: ignore[attr-defined]
    vault.close()


async def test_an_owner_demoting_their_own_person_keeps_what_they_published(
    tmp_path: Path,
) -> None:
    """Shared seeds 37 and 51: the cut of an entry comes from the journal's positions,
    which hold what a device accepted from the OTHERS; an owner demoting their own
    person to reader cut their own device at 0, so every segment of theirs was
    refused by whoever had not applied it yet (a computer joining later: all of
    them). Now the log adds the signer's own written seq to the cut."""
    vault, owner, editor, _reader = await _team_with_real_epochs(tmp_path)
    owner.write("budget.ods", b"the owner's budget")
    await vault.settle(1)
    await vault.change_role(owner, editor.person, Role.OWNER)  # a handover
    await vault.change_role(owner, owner.person, Role.READER)
    cut = owner.log.state.cuts[owner.keys.device_id][-1]
    assert cut.seq == owner.journal.own_seq > 0
    laptop = await vault.join(editor.person, "bruno-laptop")
    report = await laptop.sync()
    assert laptop.read("budget.ods") == b"the owner's budget"
    assert not _refusals([report])
    vault.close()


async def test_a_removed_device_stops_at_every_round_and_writes_nothing(tmp_path: Path) -> None:
    """Shared seed 50064: a removed device's second round skipped the log (read once)
    and, as a device that had never published, announced itself with a new segment
    sealed under the epoch it still held; it now stops at every round, writing nothing."""
    vault, owner, _editor, reader = await _team_with_real_epochs(tmp_path)
    await owner.log.append(
        owner.keys, EntryKind.REMOVE_MEMBER, int(time.time() * 1000),
        subject=reader.person.identity_id, cut=vault._cut(owner),
    )  # fmt: skip
    await _start_epoch(vault, owner)
    stored = {i.key for i in await vault.store.list("")}
    for _ in range(2):
        with pytest.raises(AccessRevoked):
            await reader.engine.round()
    assert {i.key for i in await vault.store.list("")} == stored
    vault.close()


async def test_a_snapshot_does_not_bring_what_a_cut_refuses(tmp_path: Path) -> None:
    """Shared seeds 50821, 51140: an editor published a segment the owner had not
    pulled, the owner demoted it (the cut refuses that segment everywhere) and promoted
    it back; the editor's next snapshot covered the refused segment, and a computer
    starting from it applied what every other device refuses (a snapshot was judged as
    its author's changes, not the segments it folds in). Now those segments are judged
    one by one, and a snapshot carrying a refused one is skipped."""
    vault, owner, editor, reader = await _team_with_real_epochs(tmp_path)
    editor.write("first.txt", b"seen by the owner")
    await editor.sync()
    await owner.sync()
    editor.write("second.txt", b"published, not pulled by the owner")
    await editor.sync()
    await vault.change_role(owner, editor.person, Role.READER)
    await vault.change_role(owner, editor.person, Role.EDITOR)
    editor.write("third.txt", b"written as an editor again")
    await editor.sync()  # reads the log (it plans): its segment names the promotion
    await editor.engine.snapshot()  # covers its own refused segment
    report = await owner.sync()
    assert [p for p in _refusals([report]) if p.path == editor.device_id]
    assert not owner.has("second.txt")
    newcomer = await vault.join(reader.person, "chloé-laptop")
    report = await newcomer.sync()
    assert newcomer.read("first.txt") == b"seen by the owner"
    # Like every other device: the editor's chain stops at the refused segment.
    assert not newcomer.has("third.txt") and not owner.has("third.txt")
    skipped = [p for p in report.problems if p.reason.kind == "round.snapshot_skipped"]
    assert skipped and [p for p in _refusals([report]) if p.path == editor.device_id]
    assert not newcomer.has("second.txt"), "the snapshot brought a segment the cut refuses"
    vault.close()
