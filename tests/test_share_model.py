"""The "Share…" model without Qt, over the real MembersService of a real shared folder.

tests/share_world.py builds the folder: a real vault on a folder store, its
membership log and epoch keys, Alice on this computer (owner), Bob (editor,
his computer joined) and Carol (reader), added through the app's own opener.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import identity_store
from app.identity_model import NOT_A_CARD, OWN_CARD
from app.members import MembersError, SharingProblem
from app.notification_policy import NotificationPolicy
from app.session import MembersAccess, open_members
from app.share_model import (
    EDITOR,
    MEMBERS_CHECK_S,
    OWNER,
    READER,
    Consequence,
    MembershipChange,
    MembershipWatch,
    ShareModel,
    identity_qr_png,
    identity_uri,
    removal_consequences,
)
from crypto.identity import Identity, fingerprint_matches, make_card
from tests.isolated_home import isolate_home
from tests.qt_free import assert_imports_without_qt
from tests.share_world import (  # noqa: F401 - the fixtures
    PASSPHRASE,
    SharedFolder,
    keyring_services_fixture,
    shared_fixture,
)


def test_the_models_import_without_qt() -> None:
    assert_imports_without_qt("app.share_model")
    assert_imports_without_qt("app.share_session")
    assert_imports_without_qt("app.notification_policy")


async def opened(shared: SharedFolder) -> tuple[ShareModel, MembersAccess]:
    """The model over the service `coffre members` uses (the folder opened as sync does)."""
    access = await open_members(
        shared.binding, keys=True, read_secret=lambda: PASSPHRASE, note=lambda _m: None
    )
    model = ShareModel(access.service)
    await model.load()
    return model, access


async def test_the_members_their_roles_devices_and_what_this_person_may_do(
    shared: SharedFolder,
) -> None:
    model, access = await opened(shared)
    try:
        assert [(m.name, m.role, m.me) for m in model.members] == [
            ("Alice Martin", OWNER, True),
            ("Bob Durand", EDITOR, False),
            ("Carol Petit", READER, False),
        ]
        alice, bob, carol = model.members
        assert [d.name for d in alice.devices] == ["bureau"] and alice.devices[0].this_device
        assert [d.name for d in bob.devices] == ["portable-bob"]
        assert carol.devices == ()  # added; her computer has not joined yet
        assert bob.id == shared.bob.id
        assert model.my_role == OWNER and model.can_manage and not model.read_only
        assert not model.can_remove(alice) and model.can_remove(bob)
        assert not model.can_change_role(alice) and model.can_change_role(carol)
        assert not model.can_remove_device(alice, alice.devices[0].id)  # this computer
        assert model.can_remove_device(bob, bob.devices[0].id)
        assert not model.can_remove_device(bob, "00" * 16)
        assert model.other_roles(carol) == (OWNER, EDITOR)
    finally:
        await access.close()


async def test_adding_checks_the_card_shows_the_safety_number_and_adds(
    shared: SharedFolder, tmp_path: Path
) -> None:
    elise = shared.colleague(tmp_path, "Élise Dupont", "elise")
    alice_card = tmp_path / "carte-alice.txt"
    alice_card.write_text(shared.alice.card, encoding="utf-8")
    # What Élise's own Coffre shows her for Alice's card.
    seen_by_elise = json.loads(
        elise.cli("identity", "compare", "--card", str(alice_card), "--json")
    )
    model, access = await opened(shared)
    try:
        assert model.read_card_text("Bonjour, à demain") == NOT_A_CARD and not model.can_add
        assert model.read_card_text(shared.alice.card) == OWN_CARD and not model.can_add
        assert model.read_card_text(shared.bob.card) == ""  # valid, but he shares it already
        assert model.already_member is not None and model.already_member.name == "Bob Durand"
        assert not model.can_add
        # Another card in Bob's name, with other keys: his new identity, or a forgery.
        assert model.read_card_text(make_card(Identity.generate("Bob Durand"))) == ""
        assert model.already_member is None
        assert model.same_name is not None and model.same_name.id == shared.bob.id

        assert model.read_card_text("Bonjour Alice,\n\n" + elise.card) == ""
        assert model.same_name is None
        checked = model.card.checked
        assert checked is not None and model.already_member is None and model.can_add
        assert checked.safety_number.split() == seen_by_elise["safety_number"].split()
        model.add_role = READER
        row = await model.add()
        assert (row.name, row.role) == ("Élise Dupont", READER)
        assert [m.name for m in model.members][-1] == "Élise Dupont"
        assert model.card.checked is None and model.card_text == ""  # ready for the next
    finally:
        await access.close()
    # Her computer joins through her identity, no passphrase: the key really was given.
    elise.folder.mkdir(parents=True)
    elise.cli("join", "--store", str(shared.store), "--folder", str(elise.folder))
    model, access = await opened(shared)
    try:
        assert [len(m.devices) for m in model.members if m.name == "Élise Dupont"] == [1]
    finally:
        await access.close()


async def test_roles_change_and_removals_start_a_new_epoch(shared: SharedFolder) -> None:
    model, access = await opened(shared)
    try:
        carol_id = shared.carol.id
        await model.set_role(carol_id, EDITOR)
        assert model.member(carol_id).role == EDITOR  # type: ignore[union-attr]

        bob = model.member(shared.bob.id)
        assert bob is not None
        await model.remove_device(bob.devices[0].id)
        assert model.member(shared.bob.id).devices == ()  # type: ignore[union-attr]

        with pytest.raises(MembersError) as refused:  # what the service cannot do yet
            await model.remove(shared.bob.id, reencrypt=True)
        assert refused.value.reason.kind == SharingProblem.REENCRYPT_UNAVAILABLE
        assert model.member(shared.bob.id) is not None  # nothing was changed

        report = await model.remove(shared.bob.id, reencrypt=False)
        assert report.name == "Bob Durand" and report.epoch > 1 and not report.reencrypted
        assert model.member(shared.bob.id) is None
        assert [m.name for m in model.members] == ["Alice Martin", "Carol Petit"]
    finally:
        await access.close()
    listed = json.loads(
        shared.alice.cli("members", "list", "--folder", str(shared.alice.folder), "--json")
    )
    assert [(m["name"], m["role"]) for m in listed] == [
        ("Alice Martin", "owner"),
        ("Carol Petit", "editor"),
    ]


async def test_a_reader_sees_the_members_but_may_change_nothing(shared: SharedFolder) -> None:
    folder = str(shared.alice.folder)
    shared.alice.cli("members", "role", "--folder", folder, shared.bob.id, "owner")
    alice_id = json.loads(shared.alice.cli("identity", "show", "--json"))["id"]
    shared.bob.cli("members", "role", "--folder", str(shared.bob.folder), alice_id, "reader")
    model, access = await opened(shared)
    try:
        assert model.my_role == READER and model.read_only and not model.can_manage
        bob = model.member(shared.bob.id)
        me = model.member(alice_id)
        assert bob is not None and me is not None and me.me
        assert not model.can_remove(bob) and not model.can_change_role(bob)
        assert not model.can_remove_device(bob, bob.devices[0].id)
        assert model.read_card_text(shared.carol.card) == "" and not model.can_add
        with pytest.raises(ValueError):
            await model.add()
    finally:
        await access.close()


def test_every_removal_says_what_it_cannot_do() -> None:
    plain = removal_consequences(reencrypt=False)
    again = removal_consequences(reencrypt=True)
    for said in (plain, again):
        assert Consequence.KEEPS_DOWNLOADED in said
        assert Consequence.WITHDRAW_CREDENTIALS in said
        assert Consequence.CHANGE_PASSPHRASE in said
        assert said[0] is Consequence.NEW_KEY
    assert Consequence.OLD_FILES_READABLE in plain and Consequence.REENCRYPTED not in plain
    assert Consequence.REENCRYPTED in again and Consequence.OLD_FILES_READABLE not in again


def test_the_qr_code_holds_the_id_and_fingerprint_not_the_card(
    keyring_services: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_home(tmp_path, monkeypatch)
    stored = identity_store.create("Alice Martin", lambda: "")
    uri = identity_uri(stored)
    match = re.fullmatch(r"coffre:identity\?id=([0-9a-f]{32})&fp=([A-Z2-7]{24})", uri)
    assert match is not None, uri
    assert match.group(1) == stored.identity_id.hex()
    assert fingerprint_matches(stored.public, match.group(2))
    png = identity_qr_png(stored)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    import segno

    qr = segno.make(uri, error="m")
    assert qr.version <= 5  # a small code any phone reads at a glance
    with pytest.raises(segno.DataOverflowError):
        segno.make(stored.card, error="m")  # the whole card does not fit in any QR code


def test_the_watch_announces_who_joined_or_left_after_the_first_listing() -> None:
    from app.members import DeviceRow, MemberRow

    def row(name: str) -> MemberRow:
        return MemberRow(
            name.lower() * 4, name, EDITOR, "FP", (DeviceRow("d", "pc", False),), False
        )

    watch = MembershipWatch()
    assert watch.due(0.0)
    watch.asked(0.0)
    assert not watch.due(MEMBERS_CHECK_S - 1) and watch.due(MEMBERS_CHECK_S)
    assert watch.observe([row("Alice"), row("Bob")], OWNER) == []  # the baseline
    assert watch.my_role == OWNER
    changes = watch.observe([row("Alice"), row("Carol")], READER)
    assert changes == [
        MembershipChange(True, "Carol", "carol" * 4),
        MembershipChange(False, "Bob", "bob" * 4),
    ]
    assert watch.my_role == READER
    assert watch.observe([row("Alice"), row("Carol")], READER) == []

    policy = NotificationPolicy(min_interval_s=3600)
    notices = policy.members_changed("f0", ["Carol", "Denis"], ["Bob"])
    assert [(n.kind, n.count, n.detail) for n in notices] == [
        ("joined", 2, "Carol"),
        ("left", 1, "Bob"),
    ]
    assert policy.members_changed("f0", ["Émile"], []) != []  # never held back by the limit
