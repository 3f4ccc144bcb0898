"""app/members.py's MembersService on a real folder store, real keys and the real log.

Alice (owner) created the folder's log; the service adds Bob (editor) and Carol
(reader) from their cards, lists them, changes roles, removes devices and
members, and refuses (with its typed reason, nothing written) a wrong
fingerprint, a damaged card, a non-owner's change and the last owner stepping down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.members import (
    EpochWriter,
    MembersError,
    MembersService,
    SharingProblem,
    epoch_recipients,
)
from app.messages import describe, sources
from crypto.device import DeviceKeys
from crypto.envelope import KemPublicKey
from crypto.identity import Identity, make_card, safety_number
from sync_engine.stores.local import LocalStore
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

VAULT = bytes.fromhex("5a" * 16)
NOW = 1_767_225_600_000


@dataclass
class Sealed(EpochWriter):
    """Records what the service asks of the epoch keys (the real ones: test_members_v2.py)."""

    sealed: list[bytes] = field(default_factory=list)
    started: list[tuple[int, int, tuple[bytes, ...]]] = field(default_factory=list)

    async def seal_for(self, recipient_id: bytes, kem_public: KemPublicKey) -> None:
        self.sealed.append(recipient_id)

    async def start_epoch(
        self,
        epoch: int,
        position: int,
        recipients: Sequence[tuple[bytes, KemPublicKey]],
        signer: DeviceKeys,
    ) -> None:
        self.started.append((epoch, position, tuple(r for r, _ in recipients)))


@dataclass
class Person:
    identity: Identity
    device: DeviceKeys
    service: MembersService
    epochs: Sealed

    @property
    def card(self) -> str:
        return make_card(self.identity)

    @property
    def id(self) -> str:
        return self.identity.identity_id.hex()


class Folder:
    def __init__(self, store: LocalStore, home: Path) -> None:
        self.store, self.home = store, home

    def person(self, name: str) -> Person:
        identity = Identity.generate(name)
        device = DeviceKeys.generate(f"{name}-pc")
        local = LocalState(self.home / name / "state.db")
        log = MembershipLog(self.store, local, VAULT)
        epochs = Sealed()
        service = MembersService(
            log,
            this_device=device.device_id,
            me=identity.public,
            signer=device,
            epochs=epochs,
            clock=lambda: NOW,
        )
        return Person(identity, device, service, epochs)


@pytest.fixture
async def folder(tmp_path: Path) -> Folder:
    (tmp_path / "store").mkdir()
    return Folder(LocalStore(tmp_path / "store"), tmp_path / "homes")


async def _created(folder: Folder) -> Person:
    alice = folder.person("Alice Martin")
    await alice.service._log.create(alice.identity, alice.device, NOW)
    return alice


async def _join(person: Person) -> None:
    """The person's own device adds itself (what `coffre join` does)."""
    await person.service._log.add_own_device(person.identity, person.device, NOW)


async def test_add_list_and_roles(folder: Folder) -> None:
    alice = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")

    preview = alice.service.preview(bob.card)
    assert (preview.name, preview.id, preview.role) == ("Bob Durand", bob.id, None)
    assert preview.safety_number == safety_number(alice.identity.public, bob.identity.public)

    row = await alice.service.add(bob.card, "editor", fingerprint=bob.identity.public.fingerprint)
    assert (row.id, row.role, row.devices, row.me) == (bob.id, "editor", (), False)
    assert alice.epochs.sealed == [bob.identity.identity_id]  # his identity can open it
    await alice.service.add(carol.card, "reader")
    await _join(bob)
    await _join(carol)

    rows = await alice.service.list()
    assert [(r.name, r.role, r.me) for r in rows] == [
        ("Alice Martin", "owner", True),
        ("Bob Durand", "editor", False),
        ("Carol Petit", "reader", False),
    ]
    assert rows[1].fingerprint == bob.identity.public.fingerprint
    assert [d.id for d in rows[1].devices] == [bob.device.device_id.hex()]
    assert rows[0].devices[0].this_device and not rows[1].devices[0].this_device
    assert rows[1].to_json()["devices"] == [
        {"id": bob.device.device_id.hex(), "name": "Bob Durand-pc", "this_device": False}
    ]
    assert alice.service.my_role == "owner"
    # Bob's own service sees the same list, with himself as `me`.
    assert [r.me for r in await bob.service.list()] == [False, True, False]
    assert bob.service.my_role == "editor"

    await alice.service.set_role(carol.id[:8], "editor")  # a unique prefix names her
    assert [r.role for r in await bob.service.list()] == ["owner", "editor", "editor"]
    assert alice.service.preview(carol.card).role == "editor"


async def _refused(kind: SharingProblem, call) -> MembersError:
    with pytest.raises(MembersError) as caught:
        await call
    assert caught.value.reason.kind == kind, caught.value.reason
    assert caught.value.reason.kind in sources()  # worded, not "something unexpected"
    return caught.value


async def test_refusals_write_nothing(folder: Folder) -> None:
    alice = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")

    async def entries() -> list[str]:
        return sorted(i.key for i in await folder.store.list("members/"))

    before = await entries()
    wrong = carol.identity.public.fingerprint
    err = await _refused(
        SharingProblem.FINGERPRINT_MISMATCH,
        alice.service.add(bob.card, "editor", fingerprint=wrong),
    )
    assert err.reason.param("fingerprint") == bob.identity.public.fingerprint
    assert "not the card you expected" in describe(err.reason)
    damaged = bob.card.replace("Bob Durand", "Bob Dupont", 1)
    await _refused(SharingProblem.INVALID_CARD, alice.service.add(damaged, "editor"))
    await _refused(SharingProblem.BAD_ROLE, alice.service.add(bob.card, "admin"))
    assert await entries() == before and alice.epochs.sealed == []

    await alice.service.add(bob.card, "editor")
    await _join(bob)
    await _refused(SharingProblem.ALREADY_MEMBER, alice.service.add(bob.card, "reader"))
    await _refused(SharingProblem.SAME_ROLE, alice.service.set_role(bob.id, "editor"))
    await _refused(SharingProblem.LAST_OWNER, alice.service.set_role(alice.id, "reader"))
    await _refused(SharingProblem.LAST_OWNER, alice.service.remove(alice.id))
    await _refused(SharingProblem.NOT_OWNER, bob.service.add(carol.card, "reader"))
    await _refused(SharingProblem.NOT_OWNER, bob.service.set_role(alice.id, "reader"))
    await _refused(SharingProblem.UNKNOWN_MEMBER, alice.service.remove(carol.id))
    await _refused(SharingProblem.UNKNOWN_DEVICE, alice.service.remove_device("0123abcd"))
    after_adds = await entries()
    assert len(after_adds) == len(before) + 2  # Bob's add and his device, nothing else


async def test_remove_member_and_device_start_an_epoch_without_them(folder: Folder) -> None:
    alice = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")
    await alice.service.add(bob.card, "editor")
    await alice.service.add(carol.card, "reader")
    await _join(bob)
    await _join(carol)

    report = await alice.service.remove(carol.id)
    assert (report.id, report.name, report.epoch) == (carol.id, "Carol Petit", 2)
    assert report.devices == (carol.device.device_id.hex(),) and not report.reencrypted
    epoch, _position, recipients = alice.epochs.started[-1]
    assert epoch == 2
    assert carol.identity.identity_id not in recipients
    assert carol.device.device_id not in recipients
    assert {bob.identity.identity_id, bob.device.device_id, alice.device.device_id} <= set(
        recipients
    )
    assert recipients == tuple(r for r, _ in epoch_recipients(alice.service.state))
    assert [r.name for r in await bob.service.list()] == ["Alice Martin", "Bob Durand"]

    # Bob removes his own lost laptop (a member may); the next epoch leaves it out.
    await bob.service.remove_device(bob.device.device_id.hex())
    epoch, _position, recipients = bob.epochs.started[-1]
    assert epoch == 3 and bob.device.device_id not in recipients
    assert bob.identity.identity_id in recipients  # his next computer joins through it
    rows = await alice.service.list()
    assert rows[1].devices == ()


async def test_listing_needs_no_keys_and_a_v1_vault_is_not_shared(folder: Folder) -> None:
    alice = await _created(folder)
    local = LocalState(folder.home / "viewer" / "state.db")
    viewer = MembersService(
        MembershipLog(folder.store, local, VAULT), this_device=bytes(16), clock=lambda: NOW
    )
    rows = await viewer.list()
    assert [r.id for r in rows] == [alice.id] and viewer.my_role == ""
    await _refused(SharingProblem.NO_DEVICE_KEYS, viewer.add(make_card(alice.identity), "reader"))

    (folder.home.parent / "empty").mkdir()
    empty = MembersService(
        MembershipLog(
            LocalStore(folder.home.parent / "empty"),
            LocalState(folder.home / "e" / "state.db"),
            VAULT,
        ),
        this_device=bytes(16),
    )
    await _refused(SharingProblem.NOT_SHARED, empty.list())
