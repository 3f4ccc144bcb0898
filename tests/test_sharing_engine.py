"""The engine in a shared (format 2) vault: who may write what, as every device enforces it.

Real vaults (tests/sharing_world.py): identities, device certificates, a
membership log signed with hybrid keys, v2 records signed with each device's
Ed25519 key, on a real folder store (and SeaweedFS for the three-device run).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import pytest

from crypto.device import DeviceKeys
from crypto.records import SEGMENT_MAGIC, Head, Record, record_hash, seal_head, seal_record
from sync_engine.core.authority import AuthorityProblem
from sync_engine.core.membership_entry import Role
from sync_engine.core.model import Kind, Version, VersionId
from sync_engine.core.round_outcome import RoundProblem
from sync_engine.engine import RoundReport
from sync_engine.stores.base import Store
from sync_engine.stores.local import LocalStore
from sync_engine.vault.journal import (
    AccessRevoked,
    Journal,
    ReadOnlyDevice,
    head_key,
    segment_key,
)
from sync_engine.vault.journal_codec import SegmentMeta, encode_segment
from sync_engine.vault.membership_log import MembershipLog
from tests.sharing_world import SharedDevice, SharedVault


def folder_store(base: Path) -> LocalStore:
    (base / "store").mkdir()
    return LocalStore(base / "store")


class RogueJournal(Journal):
    """A modified client: it publishes changes whatever its role says (and so its engine
    withholds nothing either)."""

    @property
    def may_write_changes(self) -> bool:
        return True


class StaleJournal(RogueJournal):
    """A modified client that names an old log position (as if it never read the log again)."""

    stale_position = 0

    async def read_membership(self, result: object) -> None:  # type: ignore[override]
        self._log_read = True

    def require_current_epoch(self) -> None:
        pass  # it seals under whatever epoch it still holds

    @property
    def log_position(self) -> int:
        return self.stale_position


def go_rogue(device: SharedDevice, journal: type[Journal] = RogueJournal) -> None:
    position = device.journal.log_position
    device.engine.journal.__class__ = journal
    device.engine.journal.stale_position = position  # type: ignore[attr-defined]


class HasDeviceId(Protocol):
    @property
    def device_id(self) -> str: ...


def refused(report: RoundReport, device: HasDeviceId) -> list[str]:
    """The authority reasons the report gives about `device`."""
    return [
        p.reason.kind for p in report.problems if p.kind == "refused" and p.path == device.device_id
    ]


async def team(
    store: Store, base: Path
) -> tuple[SharedVault, SharedDevice, SharedDevice, SharedDevice]:
    vault = SharedVault(base, store)
    owner = await vault.create("Alice", "alice-pc")
    editor = await vault.member(owner, "Bob", Role.EDITOR)
    reader = await vault.member(owner, "Carol", Role.READER)
    return vault, owner, editor, reader


async def converge(store: Store, base: Path) -> None:
    vault, owner, editor, reader = await team(store, base)
    owner.write("budget.ods", b"owner's budget")
    editor.write("notes/minutes.txt", "editor's minutes")
    await vault.settle()
    for device in (owner, editor, reader):
        assert device.read("budget.ods") == b"owner's budget"
        assert device.read("notes/minutes.txt") == b"editor's minutes"
    editor.write("budget.ods", b"edited by the editor")
    reports = await vault.settle()
    assert reader.read("budget.ods") == owner.read("budget.ods") == b"edited by the editor"
    assert not any(p.kind in ("refused", "tampered") for r in reports for p in r.problems)
    assert all(r.read_only == () for r in reports)
    vault.close()


async def test_owner_editor_and_reader_converge_on_a_folder_store(tmp_path: Path) -> None:
    await converge(folder_store(tmp_path), tmp_path)


async def test_owner_editor_and_reader_converge_on_seaweedfs(
    s3_store: Store, tmp_path: Path
) -> None:
    await converge(s3_store, tmp_path)


async def test_a_readers_edit_stays_on_its_computer_and_is_listed(tmp_path: Path) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    reader.write("budget.ods", b"the reader's edit")
    reader.write("new.txt", b"the reader's new file")
    report = await reader.sync()
    assert set(report.read_only) == {"budget.ods", "new.txt"}
    kinds = {(p.path, p.kind, p.reason.kind) for p in report.problems}
    assert ("new.txt", "read_only", RoundProblem.READ_ONLY) in kinds
    assert report.published_versions == 0
    await vault.settle()
    assert owner.read("budget.ods") == editor.read("budget.ods") == b"v1"
    assert not owner.has("new.txt") and not editor.has("new.txt")
    assert reader.read("budget.ods") == b"the reader's edit"  # kept, never overwritten
    assert reader.read("new.txt") == b"the reader's new file"
    # Its journal itself refuses changes and snapshots; status segments go on.
    with pytest.raises(ReadOnlyDevice):
        await reader.journal.push([_planted(reader)])
    with pytest.raises(ReadOnlyDevice):
        await reader.engine.snapshot()
    assert await reader.journal.push([], announce=True) == reader.journal.own_seq


async def test_a_reader_client_that_ignores_the_rules_is_refused_by_the_others(
    tmp_path: Path,
) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    go_rogue(reader)
    reader.write("budget.ods", b"forged by a reader")
    reader.write("planted.txt", b"planted")
    rogue = await reader.sync()
    assert rogue.published_versions == 2  # it did write CHANGES, signed with its own key
    for device in (owner, editor):
        report = await device.sync()
        assert refused(report, reader) == [AuthorityProblem.NOT_ALLOWED]
        assert device.read("budget.ods") == b"v1" and not device.has("planted.txt")
        again = await device.sync()  # still reported: the reader's chain stops there
        assert refused(again, reader) == [AuthorityProblem.NOT_ALLOWED]
    versions = {v.vid.device for v in owner.state.all_versions()}
    assert reader.device_id not in versions
    # What it writes next is not even looked at: the live service does not wake for it.
    reader.write("more.txt", b"more")
    await reader.sync()
    assert not await owner.journal.heads_changed()
    assert refused(await owner.sync(), reader) == [AuthorityProblem.NOT_ALLOWED]
    assert not owner.has("more.txt")
    # Reading the vault again (a rejoin) judges every chain afresh, with the same verdict.
    again = await owner.journal.rejoin()
    assert [why.kind for d, why in again.refused if d == reader.device_id] == [
        AuthorityProblem.NOT_ALLOWED
    ]
    assert all(v.path != "planted.txt" for v in owner.state.all_versions())


async def test_a_removed_member_stops_and_what_it_writes_after_the_cut_is_refused(
    tmp_path: Path,
) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    editor.write("minutes.txt", b"before")
    await vault.settle()
    before = editor.journal.log_position
    await vault.remove_member(owner, editor.person)
    owner.write("budget.ods", b"after the removal, under epoch 2")
    await owner.sync()
    # The honest client reads the log when a head changed: it stops, deleting nothing.
    with pytest.raises(AccessRevoked) as stopped:
        await editor.sync()
    assert stopped.value.reason.kind == RoundProblem.PERSON_REMOVED
    assert editor.read("minutes.txt") == b"before"
    # A client that does not read the log goes on writing, naming an old position.
    go_rogue(editor, StaleJournal)
    editor.engine.journal.stale_position = before  # type: ignore[attr-defined]
    editor.write("minutes.txt", b"after the removal")
    await editor.sync()
    for device in (owner, reader):
        report = await device.sync()
        assert refused(report, editor) == [AuthorityProblem.PAST_CUT]
        assert device.read("minutes.txt") == b"before"
        # Reported once: the log removed that device, so this is the removal working,
        # not a member to watch (a current one stays reported at every round, above).
        later = await device.sync()
        assert refused(later, editor) == [] and not later.problems
        assert device.read("minutes.txt") == b"before"


async def test_a_demoted_editor_naming_a_position_before_its_demotion_is_refused(
    tmp_path: Path,
) -> None:
    vault, owner, editor, _reader = await team(folder_store(tmp_path), tmp_path)
    editor.write("minutes.txt", b"as an editor")
    await vault.settle()
    await vault.change_role(owner, editor.person, Role.READER)
    go_rogue(editor, StaleJournal)
    editor.write("minutes.txt", b"after the demotion")
    await editor.sync()
    report = await owner.sync()
    assert refused(report, editor) == [AuthorityProblem.PAST_CUT]
    assert owner.read("minutes.txt") == b"as an editor"


async def test_an_honest_demoted_editor_becomes_read_only(tmp_path: Path) -> None:
    vault, owner, editor, _reader = await team(folder_store(tmp_path), tmp_path)
    editor.write("minutes.txt", b"as an editor")
    await vault.settle()
    await vault.change_role(owner, editor.person, Role.READER)
    editor.write("minutes.txt", b"after the demotion")
    report = await editor.sync()
    assert report.read_only == ("minutes.txt",)
    reports = await vault.settle()
    assert not any(p.kind == "refused" for r in reports for p in r.problems)
    assert owner.read("minutes.txt") == b"as an editor"


def _forged_keys(victim: SharedDevice, forger: SharedDevice) -> DeviceKeys:
    """The victim's device id with the forger's private keys: what a forger can sign."""
    return DeviceKeys(victim.keys.device_id, victim.name, forger.keys.signing, forger.keys.kem)


async def test_a_head_signed_by_another_devices_key_is_refused(tmp_path: Path) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    journal = owner.journal
    forged = seal_head(
        vault.ring(), Head(owner.keys.device_id, journal.own_seq, journal.own_hash),
        signer=_forged_keys(owner, editor), position=journal.log_position,
    )  # fmt: skip
    await vault.store.put(head_key(owner.device_id), forged)
    report = await reader.sync()
    tampered = [p for p in report.problems if p.kind == "tampered" and p.path == owner.device_id]
    assert tampered, report.problems


async def test_a_segment_signed_by_another_devices_key_is_refused(tmp_path: Path) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    journal = owner.journal
    seq = journal.own_seq + 1
    payload = encode_segment(owner.device_id, owner.name, [_planted(owner)], SegmentMeta())
    keys = _forged_keys(owner, editor)
    ring = vault.ring()
    segment = seal_record(
        ring, SEGMENT_MAGIC, Record(keys.device_id, seq, journal.own_hash, payload),
        signer=keys, position=journal.log_position,
    )  # fmt: skip
    head = seal_head(
        ring, Head(keys.device_id, seq, record_hash(segment)), signer=keys,
        position=journal.log_position,
    )  # fmt: skip
    await vault.store.put(segment_key(owner.device_id, seq), segment)
    await vault.store.put(head_key(owner.device_id), head)
    report = await reader.sync()
    assert [p for p in report.problems if p.kind == "tampered" and p.path == owner.device_id]
    assert not reader.has("planted.txt")
    assert all(v.path != "planted.txt" for v in reader.state.all_versions())


def _planted(device: SharedDevice) -> Version:
    """A change in `device`'s name: an empty file at planted.txt."""
    return Version(
        VersionId(device.device_id, 999), "planted.txt", frozenset(), 1, Kind.FILE, 0, 0,
        False, bytes(32),
    )  # fmt: skip


async def test_a_v2_engine_needs_its_device_keys_and_the_log(tmp_path: Path) -> None:
    vault = SharedVault(tmp_path, folder_store(tmp_path))
    owner = await vault.create("Alice", "alice-pc")
    with pytest.raises(ValueError, match="membership log"):
        Journal(vault.store, vault.ring(), owner.state, owner.device_id, "x")
    log = MembershipLog(vault.store, owner.state, vault.vault_id)
    with pytest.raises(ValueError, match="another device"):
        Journal(
            vault.store, vault.ring(), owner.state, os.urandom(16).hex(), "x",
            signer=owner.keys, membership=log,
        )  # fmt: skip


async def test_what_a_reader_withholds_reaches_the_status_file_and_coffre_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.activity import Attention, FolderModel
    from app.cli import EXIT_ATTENTION, _report_problems
    from app.status_file import status_json

    vault, owner, _editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    model = FolderModel("f0", str(reader.folder), reader.name, ready=True)
    reader.engine.events = model.apply
    reader.write("budget.ods", b"the reader's edit")
    report = await reader.sync()
    shown = status_json(model)
    assert shown["read_only"] == ["budget.ods"]
    assert Attention.SKIPPED.value in shown["attention"] and not shown["up_to_date"]
    assert _report_problems(report) == EXIT_ATTENTION
    err = capsys.readouterr().err
    assert "not synced: read-only" in err and "read_only: budget.ods" in err


class LaggingListStore(LocalStore):
    """A folder store whose listing of `members/` lags: entries from `lag_from` on are not
    listed yet (what an eventually consistent listing does for a moment)."""

    lag_from: int | None = None

    async def list(self, prefix: str = ""):  # type: ignore[no-untyped-def]
        infos = await super().list(prefix)
        if self.lag_from is None or not prefix.startswith("members/"):
            return infos
        return [i for i in infos if int(i.key.removeprefix("members/"), 16) < self.lag_from]


async def test_a_segment_naming_a_log_entry_not_read_yet_waits_for_the_next_round(
    tmp_path: Path,
) -> None:
    (tmp_path / "store").mkdir()
    store = LaggingListStore(tmp_path / "store")
    vault, owner, _editor, reader = await team(store, tmp_path)
    await vault.settle(1)
    position = owner.log.state.position
    await vault.add_member(owner, "Dan", Role.READER)  # the entry after `position`
    owner.write("budget.ods", b"written after adding Dan")
    await owner.sync()  # its segment names the new entry
    store.lag_from = position + 1
    report = await reader.sync()
    assert not reader.has("budget.ods")
    assert not [p for p in report.problems if p.kind in ("refused", "tampered")]
    store.lag_from = None
    report = await reader.sync()
    assert reader.read("budget.ods") == b"written after adding Dan"
    assert not [p for p in report.problems if p.kind in ("refused", "tampered")]


async def test_a_new_device_starts_from_a_writers_snapshot_never_from_a_readers(
    tmp_path: Path,
) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    go_rogue(reader)
    reader.write("planted.txt", b"planted")
    await reader.sync()  # refused by the others, but it is in its own state
    await reader.engine.snapshot()  # a reader's snapshot, planted file included
    newcomer = await vault.join(editor.person, "bob-laptop")
    report = await newcomer.sync()
    assert newcomer.read("budget.ods") == b"v1" and not newcomer.has("planted.txt")
    assert AuthorityProblem.NOT_ALLOWED in refused(report, reader)
    # A writer's snapshot is used: the next newcomer starts from the owner's, which it
    # needs, the owner's segments it covers being gone (as a GC fold would leave them).
    covered = await owner.engine.snapshot()
    for seq in range(1, covered[owner.device_id] + 1):
        await vault.store.delete(segment_key(owner.device_id, seq))
    later = await vault.join(editor.person, "bob-tablet")
    report = await later.sync()
    assert later.read("budget.ods") == b"v1" and not later.has("planted.txt")
    assert not [p for p in report.problems if p.path == owner.device_id]


async def test_a_removed_device_stops_with_a_clear_error_and_its_person_syncs_on(
    tmp_path: Path,
) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    laptop = await vault.join(editor.person, "bob-laptop")
    laptop.write("draft.txt", b"from the laptop")
    await vault.settle()
    await vault.remove_device(owner, laptop)
    owner.write("budget.ods", b"under the new epoch")
    await owner.sync()
    with pytest.raises(AccessRevoked) as stopped:
        await laptop.sync()
    assert stopped.value.reason.kind == RoundProblem.DEVICE_REMOVED
    assert laptop.read("draft.txt") == b"from the laptop"  # nothing deleted
    await editor.sync()
    await reader.sync()
    assert editor.read("budget.ods") == reader.read("budget.ods") == b"under the new epoch"


async def test_a_readers_edit_of_a_file_changed_elsewhere_becomes_a_local_conflict_copy(
    tmp_path: Path,
) -> None:
    vault, owner, editor, reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    await vault.settle()
    reader.write("budget.ods", b"the reader's edit")
    editor.write("budget.ods", b"the editor's edit")
    await editor.sync()
    reports = [await reader.sync() for _ in range(2)]
    assert reader.read("budget.ods") == b"the editor's edit"
    copies = [p for p in reader.folder.iterdir() if p.name.startswith("budget (")]
    assert [c.read_bytes() for c in copies] == [b"the reader's edit"]
    assert copies[0].name.removeprefix("budget ").startswith(f"(conflict {reader.name} ")
    assert copies[0].name in {p for r in reports for p in r.read_only}
    assert all(r.published_versions == 0 for r in reports)
    await owner.sync()
    assert not [p for p in owner.folder.iterdir() if p.name.startswith("budget (")]


async def test_coffre_check_verifies_every_signature_with_the_authors_keys(tmp_path: Path) -> None:
    from sync_engine.lifecycle.check import check_store

    vault, owner, editor, _reader = await team(folder_store(tmp_path), tmp_path)
    owner.write("budget.ods", b"v1")
    editor.write("notes.txt", b"minutes")
    await vault.settle()
    authors = owner.journal.authors()
    assert authors is not None
    report = await check_store(vault.store, vault.ring(), authors=authors, read_data_percent=100)
    assert report.sound and report.segments > 0, report.findings
    journal = owner.journal
    forged = seal_head(
        vault.ring(), Head(owner.keys.device_id, journal.own_seq, journal.own_hash),
        signer=_forged_keys(owner, editor), position=journal.log_position,
    )  # fmt: skip
    await vault.store.put(head_key(owner.device_id), forged)
    report = await check_store(vault.store, vault.ring(), authors=authors)
    assert not report.sound
    # Without the authors' keys the forgery is a well-formed head: the keys are what catch it.
    assert (await check_store(vault.store, vault.ring())).sound


async def test_an_upgraded_vault_keeps_its_v1_history_and_refuses_v1_writes_after_the_cut(
    tmp_path: Path,
) -> None:
    from crypto.keys import VaultKey
    from tests.engine_devices import Device

    store = folder_store(tmp_path)
    key = VaultKey.generate()
    old = Device.open("old-pc", tmp_path / "v1", store, key)  # a v1 client
    old.write("archive.txt", "written in format 1")
    await old.sync()
    cut = {bytes.fromhex(old.device_id): old.engine.journal.own_seq}
    vault = SharedVault.upgrading(tmp_path / "v2", store, key)
    owner = await vault.create("Alice", "alice-pc", v1_cut=cut)
    reader = await vault.member(owner, "Carol", Role.READER)
    await vault.settle()
    assert owner.read("archive.txt") == reader.read("archive.txt") == b"written in format 1"
    # A client still holding K writes on in format 1 after the upgrade: refused.
    old.write("archive.txt", "written in format 1 after the upgrade")
    await old.sync()
    for device in (owner, reader):
        report = await device.sync()
        assert refused(report, old) == [AuthorityProblem.UNSIGNED]
        assert device.read("archive.txt") == b"written in format 1"
    old.close()
