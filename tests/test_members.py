"""app/members.py's MembersService on a real folder store, real keys and the real log.

Alice (owner) created the folder's log; the service adds Bob (editor) and Carol
(reader) from their cards, lists them, changes roles, removes devices and
members, and refuses (with its typed reason, nothing written) a wrong
fingerprint, a damaged card, a non-owner's change and the last owner stepping down.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.members import MembersError, MembersService, SharingProblem
from app.messages import describe, sources
from crypto.device import DeviceKeys
from crypto.epochs import root_kem
from crypto.identity import Identity, make_card, safety_number
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from sync_engine.stores.local import LocalStore
from sync_engine.vault.epoch_keys import EpochKeys, recipients_of
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

VAULT = bytes.fromhex("5a" * 16)
NOW = 1_767_225_600_000


@dataclass
class Person:
    identity: Identity
    device: DeviceKeys
    local: LocalState
    log: MembershipLog
    epochs: EpochKeys | None = None

    @property
    def card(self) -> str:
        return make_card(self.identity)

    @property
    def id(self) -> str:
        return self.identity.identity_id.hex()

    def keys(self) -> EpochKeys:
        """The vault's epoch keys as this person's device reads them now."""
        return EpochKeys(
            self.log._store, VAULT, self.log.history, self.log.state.position,
        )  # fmt: skip

    async def open(self) -> MembersService:
        """The service as a folder session gives it: epoch keys opened by this device."""
        await self.log.read()
        self.epochs = self.keys()
        await self.epochs.open_with_device(self.device)
        return self.service()

    def service(self) -> MembersService:
        return MembersService(
            self.log,
            this_device=self.device.device_id,
            me=self.identity.public,
            signer=self.device,
            epochs=self.epochs,
            clock=lambda: NOW,
        )

    async def ring_by_identity(self) -> KeyRing:
        await self.log.read()
        return await self.keys().open_with_identity(self.identity)


class Folder:
    def __init__(self, store: LocalStore, home: Path) -> None:
        self.store, self.home = store, home
        self.root = VaultKey(VAULT, bytes(range(32)))

    def person(self, name: str) -> Person:
        identity = Identity.generate(name)
        device = DeviceKeys.generate(f"{name}-pc")
        local = LocalState(self.home / name / "state.db")
        return Person(identity, device, local, MembershipLog(self.store, local, VAULT))


@pytest.fixture
async def folder(tmp_path: Path) -> Folder:
    (tmp_path / "store").mkdir()
    return Folder(LocalStore(tmp_path / "store"), tmp_path / "homes")


async def _created(folder: Folder) -> tuple[Person, MembersService]:
    """Alice's new vault: the creation entry and epoch 1, sealed to her and to the root."""
    alice = folder.person("Alice Martin")
    state = await alice.log.create(alice.identity, alice.device, NOW)
    await alice.keys().write_epoch(
        1, None, 0, recipients_of(state), alice.device, root_kem(folder.root).public
    )
    return alice, await alice.open()


async def _join(person: Person) -> MembersService:
    """The person's own device adds itself through their identity (what `coffre join` does)."""
    ring = await person.ring_by_identity()
    await person.log.add_own_device(person.identity, person.device, NOW)
    person.epochs = person.keys()
    person.epochs.ring = ring
    await person.epochs.seal_for(person.device.device_id, person.device.kem.public)
    return await person.open()


async def test_add_list_and_roles(folder: Folder) -> None:
    alice, owner = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")

    preview = owner.preview(bob.card)
    assert (preview.name, preview.id, preview.role) == ("Bob Durand", bob.id, None)
    assert preview.safety_number == safety_number(alice.identity.public, bob.identity.public)

    row = await owner.add(bob.card, "editor", fingerprint=bob.identity.public.fingerprint)
    assert (row.id, row.role, row.devices, row.me) == (bob.id, "editor", (), False)
    assert (await bob.ring_by_identity()).current == 1  # his identity opens the folder
    await owner.add(carol.card, "reader")
    bobs = await _join(bob)
    await _join(carol)

    rows = await owner.list()
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
    assert owner.my_role == "owner"
    # Bob's own service sees the same list, with himself as `me`.
    assert [r.me for r in await bobs.list()] == [False, True, False]
    assert bobs.my_role == "editor"

    # A role change records the cut: the newest seq of Carol's device Alice had accepted.
    seen = {carol.device.device_id: 7, bob.device.device_id: 3}
    owner._positions = lambda: seen  # what the session reads from the journal
    await owner.set_role(carol.id[:8], "editor")  # a unique prefix names her
    (mark,) = owner.state.cuts[carol.device.device_id]
    assert (mark.seq, mark.position) == (7, owner.state.position)
    assert bob.device.device_id not in owner.state.cuts
    assert [r.role for r in await bobs.list()] == ["owner", "editor", "editor"]
    assert owner.preview(carol.card).role == "editor"


async def _refused(kind: SharingProblem, call: Awaitable[object]) -> MembersError:
    with pytest.raises(MembersError) as caught:
        await call
    assert caught.value.reason.kind == kind, caught.value.reason
    assert caught.value.reason.kind in sources()  # worded, not "something unexpected"
    return caught.value


async def test_refusals_write_nothing(folder: Folder) -> None:
    alice, owner = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")

    async def written() -> list[str]:
        return sorted(i.key for i in await folder.store.list(""))

    before = await written()
    wrong = carol.identity.public.fingerprint
    err = await _refused(
        SharingProblem.FINGERPRINT_MISMATCH, owner.add(bob.card, "editor", fingerprint=wrong)
    )
    assert err.reason.param("fingerprint") == bob.identity.public.fingerprint
    assert "not the card you expected" in describe(err.reason)
    damaged = bob.card.replace("Bob Durand", "Bob Dupont", 1)
    await _refused(SharingProblem.INVALID_CARD, owner.add(damaged, "editor"))
    await _refused(SharingProblem.BAD_ROLE, owner.add(bob.card, "admin"))
    assert await written() == before  # no entry, no envelope

    await owner.add(bob.card, "editor")
    bobs = await _join(bob)
    after_join = await written()
    await _refused(SharingProblem.ALREADY_MEMBER, owner.add(bob.card, "reader"))
    await _refused(SharingProblem.SAME_ROLE, owner.set_role(bob.id, "editor"))
    await _refused(SharingProblem.LAST_OWNER, owner.set_role(alice.id, "reader"))
    await _refused(SharingProblem.LAST_OWNER, owner.remove(alice.id))
    await _refused(SharingProblem.NOT_OWNER, bobs.add(carol.card, "reader"))
    await _refused(SharingProblem.NOT_OWNER, bobs.set_role(alice.id, "reader"))
    await _refused(SharingProblem.NOT_OWNER, bobs.remove_device(alice.device.device_id.hex()))
    await _refused(SharingProblem.UNKNOWN_MEMBER, owner.remove(carol.id))
    await _refused(SharingProblem.UNKNOWN_DEVICE, owner.remove_device("0123abcd"))
    await _refused(SharingProblem.REENCRYPT_UNAVAILABLE, owner.remove(bob.id, reencrypt=True))
    assert await written() == after_join


async def test_remove_member_and_device_start_an_epoch_without_them(folder: Folder) -> None:
    alice, owner = await _created(folder)
    bob, carol = folder.person("Bob Durand"), folder.person("Carol Petit")
    await owner.add(bob.card, "editor")
    await owner.add(carol.card, "reader")
    bobs = await _join(bob)
    await _join(carol)

    report = await owner.remove(carol.id)
    assert (report.id, report.name, report.epoch) == (carol.id, "Carol Petit", 2)
    assert report.devices == (carol.device.device_id.hex(),) and not report.reencrypted
    # Epoch 2 is sealed to Alice's and Bob's devices and identities, not to Carol.
    assert (await bob.open()).state.epoch == 2 and bob.epochs and bob.epochs.ring
    assert bob.epochs.ring.current == 2
    assert (await bob.ring_by_identity()).current == 2
    await carol.log.read()
    carols = carol.keys()
    assert (await carols.open_with_device(carol.device)).current == 1
    assert (await carol.ring_by_identity()).current == 1
    assert [r.name for r in await bobs.list()] == ["Alice Martin", "Bob Durand"]

    # Bob removes his own lost laptop (a member may). Only an owner's device publishes
    # epoch 3: Alice's does it at her next change of the members (or when asked).
    bobs = await bob.open()
    await bobs.remove_device(bob.device.device_id.hex())
    assert bob.epochs and bob.epochs.ring and bob.epochs.ring.current == 2
    owner = await alice.open()
    assert owner.state.epoch == 3
    assert await owner.complete_epochs() == [3]
    assert await owner.complete_epochs() == []
    assert (await bob.keys().open_with_device(bob.device)).current == 2
    assert (await bob.ring_by_identity()).current == 3  # his next computer joins through it
    assert (await alice.open()).state.epoch == 3 and alice.epochs and alice.epochs.ring
    assert alice.epochs.ring.current == 3
    rows = await owner.list()
    assert rows[1].devices == ()


async def test_listing_needs_no_keys_and_a_v1_vault_is_not_shared(folder: Folder) -> None:
    alice, _owner = await _created(folder)
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


async def test_two_connections_to_one_state_see_each_others_entries(folder: Folder) -> None:
    """`coffre members` beside a running engine: both read the log through this device's
    state.db; what one accepted, the other takes in (no entry refused as out of chain)."""
    alice, owner = await _created(folder)
    engine_side = MembershipLog(folder.store, LocalState(alice.local.path), VAULT)
    bob = folder.person("Bob Durand")
    await owner.add(bob.card, "editor")  # written by the service's own connection
    assert bob.identity.identity_id not in engine_side.state.members
    read = await engine_side.read()
    assert read.problems == () and bob.identity.identity_id in engine_side.state.members
    assert engine_side.state.head == owner.state.head
    assert not engine_side.catch_up()  # nothing more to take in
