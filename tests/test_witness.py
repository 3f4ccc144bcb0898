"""Devices witness each other's heads: a rollback or fork is caught even by a fresh device.

Journals of several devices on one store (as in tests/test_journal.py); the
store misbehaves by serving old or alternative objects, which it can do
without any key. A device joining with an empty local state must still see it,
because another device's head says how far it got.
"""

from __future__ import annotations

import json

import pytest

from crypto.reason import Reason
from crypto.records import Head, open_head, record_hash, seal_head
from sync_engine.core.model import Kind, Version, VersionId
from sync_engine.stores.base import ObjectInfo
from sync_engine.stores.memory import MemoryStore
from sync_engine.vault.journal import Journal, head_key, segment_key
from sync_engine.vault.state import LocalState
from sync_engine.vault.witness import (
    Finding,
    FindingKind,
    Position,
    WitnessProblem,
    cross_check,
    decode_head_extra,
    encode_head_extra,
)
from tests.test_journal import Net

H1, H2, H3 = (bytes([n]) * 32 for n in (1, 2, 3))
X, W = "aa" * 16, "bb" * 16


def _version(device: str, counter: int, path: str) -> Version:
    return Version(
        vid=VersionId(device, counter),
        path=path,
        supersedes=frozenset(),
        hlc=counter << 16,
        kind=Kind.FILE,
        size=3,
        content_hash=bytes([counter]) * 32,
    )


@pytest.fixture
def net(tmp_path) -> Net:
    return Net(tmp_path)


def _fresh(net: Net, name: str) -> Journal:
    """A device with an empty local state, as after a lost state.db or a first join."""
    return net.device(name)


async def test_rollback_after_another_device_accepted_is_caught_by_a_fresh_device(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    head_at_1 = await net.store.get(head_key(a.device_id))
    await a.push([_version(a.device_id, 2, "y")])
    assert not (await b.pull()).errors  # b accepts desk at seq 2...
    await b.push([_version(b.device_id, 1, "z")])  # ...and says so in its head
    # The store rolls desk back to seq 1 and hides the newer segment.
    head_at_2 = await net.store.get(head_key(a.device_id))
    segment_2 = await net.store.get(segment_key(a.device_id, 2))
    await net.store.put(head_key(a.device_id), head_at_1)
    await net.store.delete(segment_key(a.device_id, 2))

    c = _fresh(net, "new-pc")
    pulled = await c.pull()
    messages = [m for d, m in pulled.errors if d == a.device_id]
    assert len(messages) == 1, pulled.errors
    assert messages[0] == Reason.of(
        WitnessProblem.ROLLBACK, device="desk", by="laptop", seq=2, served=1
    )
    # Nothing changed on the store: the next pull still says so, then stops once the
    # store serves the newer head again.
    assert [m for d, m in (await c.pull()).errors if d == a.device_id] == messages
    await net.store.put(head_key(a.device_id), head_at_2)
    await net.store.put(segment_key(a.device_id, 2), segment_2)
    pulled = await c.pull()
    assert not pulled.errors and c.state.accepted_heads()[a.device_id].seq == 2
    assert not (await c.pull()).errors


async def test_deleted_head_of_a_witnessed_device_is_reported(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    await b.pull()
    await b.push([_version(b.device_id, 1, "z")])
    await net.store.delete(head_key(a.device_id))
    pulled = await _fresh(net, "new-pc").pull()
    assert [d for d, _ in pulled.errors] == [a.device_id]
    hidden = pulled.errors[0][1]
    assert hidden.kind == WitnessProblem.HIDDEN and hidden.param("device") == a.device_id[:8]


async def test_fork_seen_through_a_witness_is_reported(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    await b.pull()
    await b.push([_version(b.device_id, 1, "z")])
    # Another journal for desk at seq 1 (a second machine with the same identity,
    # or a store keeping two views): the store now serves that one.
    clone = net.device("desk-twin", device_id=a.device_id)  # its own, empty state
    saved = {k: await net.store.get(k) for k in (head_key(a.device_id),)}
    await net.store.delete(segment_key(a.device_id, 1))
    await clone.push([_version(a.device_id, 1, "other")])
    assert await net.store.get(head_key(a.device_id)) != saved[head_key(a.device_id)]

    pulled = await _fresh(net, "new-pc").pull()
    messages = [m for d, m in pulled.errors if d == a.device_id]
    assert len(messages) == 1
    assert messages[0].kind == WitnessProblem.FORK and messages[0].param("seq") == "1"


async def test_honest_devices_report_nothing_and_heads_carry_what_they_accepted(net):
    a, b, c = net.device("desk"), net.device("laptop"), net.device("phone")
    await a.push([_version(a.device_id, 1, "x")])
    await b.pull()
    await b.push([_version(b.device_id, 1, "y")])
    await a.pull()
    await a.push([_version(a.device_id, 2, "x2")])
    for device in (c, b, a, c):
        assert not (await device.pull()).errors
    head = open_head(
        net.key, await net.store.get(head_key(a.device_id)), device_id=bytes.fromhex(a.device_id)
    )
    name, seen = decode_head_extra(head.extra)
    accepted_b = a.state.accepted_heads()[b.device_id]
    assert name == "desk"
    assert seen == {b.device_id: Position(accepted_b.seq, accepted_b.segment_hash)}


class StaleListing(MemoryStore):
    """A store whose `heads/` listing lags once (an eventually consistent replica)."""

    def __init__(self) -> None:
        super().__init__()
        self.stale: list[ObjectInfo] | None = None

    async def list(self, prefix: str) -> list[ObjectInfo]:
        if prefix == "heads/" and self.stale is not None:
            listing, self.stale = self.stale, None
            return listing
        return await super().list(prefix)


async def test_witness_ahead_of_a_stale_listing_is_read_again_not_reported(net):
    net.store = StaleListing()
    a, b, c = net.device("desk"), net.device("laptop"), net.device("phone")
    await a.push([_version(a.device_id, 1, "x")])
    await b.push([_version(b.device_id, 1, "y")])
    assert not (await c.pull()).errors  # c accepts desk at seq 1
    await a.push([_version(a.device_id, 2, "x2")])
    old_listing = await net.store.list("heads/")
    await b.pull()
    await b.push([_version(b.device_id, 2, "y2")])  # b now claims desk at seq 2
    # c's listing still shows desk's old head (so it is skipped) but b's new one.
    b_info = next(i for i in await net.store.list("heads/") if i.key.endswith(b.device_id))
    net.store.stale = [b_info if i.key.endswith(b.device_id) else i for i in old_listing]
    pulled = await c.pull()
    assert not pulled.errors
    assert c.state.accepted_heads()[a.device_id].seq == 2
    assert {v.path for v in pulled.new_versions} == {"x2", "y2"}


async def test_a_head_written_before_witnesses_still_reads(net):
    a = net.device("desk")
    await a.push([_version(a.device_id, 1, "x")])
    head = open_head(
        net.key, await net.store.get(head_key(a.device_id)), device_id=bytes.fromhex(a.device_id)
    )
    old_extra = json.dumps({"name": "vieux poste"}).encode()  # what version 1 wrote
    old = seal_head(net.key, Head(head.device_id, head.seq, head.segment_hash, old_extra))
    await net.store.put(head_key(a.device_id), old)
    b = net.device("laptop")
    pulled = await b.pull()
    assert not pulled.errors and len(pulled.new_versions) == 1
    assert pulled.device_names[a.device_id] == "vieux poste"


async def test_state_restored_from_an_old_copy_is_told_by_a_witness(net, tmp_path):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    copy = tmp_path / "desk-copy.db"
    a.state._db.execute("VACUUM INTO ?", (str(copy),))
    await a.push([_version(a.device_id, 2, "y")])
    await b.pull()
    await b.push([_version(b.device_id, 1, "z")])
    # desk comes back with its old state, and the store serves its old head too.
    restored = Journal(net.store, net.key, LocalState(copy), a.device_id, "desk")
    await net.store.put(head_key(a.device_id), await _head_at_1(net, a))
    pulled = await restored.pull()
    assert any(m.kind == WitnessProblem.SELF_STALE for d, m in pulled.errors if d == a.device_id)


async def _head_at_1(net: Net, a: Journal) -> bytes:
    seg1 = await net.store.get(segment_key(a.device_id, 1))
    extra = encode_head_extra("desk", {})
    return seal_head(net.key, Head(bytes.fromhex(a.device_id), 1, record_hash(seg1), extra))


# --- the rules table of sync_engine/vault/witness.py ----------------------------------------


@pytest.mark.parametrize(
    ("view", "passed", "claim", "kind"),
    [
        (None, {}, Position(1, H1), FindingKind.ROLLBACK),
        (Position(1, H1), {}, Position(2, H2), FindingKind.ROLLBACK),
        (Position(2, H2), {}, Position(2, H2), None),
        (Position(2, H3), {}, Position(2, H2), FindingKind.FORK),
        (Position(3, H3), {2: H2}, Position(2, H2), None),
        (Position(3, H3), {2: H1}, Position(2, H2), FindingKind.FORK),
        (Position(3, H3), {}, Position(2, H2), None),
    ],
)
def test_cross_check_rules(view, passed, claim, kind) -> None:
    served = {} if view is None else {X: view}
    findings = cross_check(served, {X: passed}, {W: {X: claim}})
    expected = [] if kind is None else [Finding(kind, X, W, claim, view)]
    assert findings == expected


def test_a_claim_about_the_witness_itself_is_ignored() -> None:
    assert cross_check({}, {}, {W: {W: Position(9, H1)}}) == []


def test_head_extra_round_trips_and_is_byte_exact() -> None:
    extra = encode_head_extra("Poste été", {X: Position(7, H1)})
    assert extra == (
        b'{"name":"Poste \\u00e9t\\u00e9","seen":{"'
        + X.encode()
        + b'":[7,"'
        + H1.hex().encode()
        + b'"]}}'
    )
    assert decode_head_extra(extra) == ("Poste été", {X: Position(7, H1)})


@pytest.mark.parametrize(
    "seen",
    [
        [],
        {"zz": [1, "00" * 32]},
        {X: [0, "00" * 32]},
        {X: [1, "00"]},
        {X: [True, "00" * 32]},
        {X: 3},
    ],
)
def test_malformed_claims_are_refused(seen) -> None:
    with pytest.raises(ValueError):
        decode_head_extra(json.dumps({"name": "n", "seen": seen}).encode())
