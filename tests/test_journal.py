"""Journal replication over a store: chains, heads, rollback, crash recovery, snapshots."""

from __future__ import annotations

import secrets

import pytest

from crypto.errors import CryptoProblem, RollbackDetected
from crypto.keys import VaultKey
from sync_engine.core.model import Kind, Version, VersionId
from sync_engine.stores.memory import MemoryStore
from sync_engine.vault.journal import Journal, JournalError, head_key, segment_key
from sync_engine.vault.state import LocalState, RoundProblem


def _version(device: str, counter: int, path: str, supersedes=()) -> Version:
    return Version(
        vid=VersionId(device, counter),
        path=path,
        supersedes=frozenset(supersedes),
        hlc=counter << 16,
        kind=Kind.FILE,
        size=3,
        content_hash=bytes([counter]) * 32,
    )


class Net:
    """Several devices' journals on one store."""

    def __init__(self, tmp_path) -> None:
        self.store = MemoryStore()
        self.key = VaultKey.generate()
        self.tmp_path = tmp_path

    def device(self, name: str, device_id: str | None = None) -> Journal:
        device_id = device_id or secrets.token_hex(16)
        state = LocalState(self.tmp_path / f"{name}-{device_id}.db")
        return Journal(self.store, self.key, state, device_id, name)


@pytest.fixture
def net(tmp_path) -> Net:
    return Net(tmp_path)


async def test_push_then_pull_delivers_versions_and_names(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x.txt"), _version(a.device_id, 2, "y.txt")])
    await a.push([_version(a.device_id, 3, "x.txt", {VersionId(a.device_id, 1)})])
    pulled = await b.pull()
    assert sorted(v.vid.counter for v in pulled.new_versions) == [1, 2, 3]
    assert pulled.device_names[a.device_id] == "desk"
    assert not pulled.errors
    assert (await b.pull()).new_versions == []  # unchanged head: nothing fetched again
    assert b.state.version_count() == 3


async def test_old_head_put_back_is_refused(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    old_head = await net.store.get(head_key(a.device_id))
    await a.push([_version(a.device_id, 2, "x", {VersionId(a.device_id, 1)})])
    await b.pull()
    await net.store.put(head_key(a.device_id), old_head)
    pulled = await b.pull()
    assert pulled.new_versions == []
    assert pulled.errors and pulled.errors[0][1].kind == CryptoProblem.ROLLBACK
    assert "old copy" in pulled.errors[0][1].param("detail")
    assert b.state.accepted_heads()[a.device_id].seq == 2


async def test_tampered_or_missing_segment_is_reported_and_nothing_accepted(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    await a.push([_version(a.device_id, 2, "y")])
    raw = bytearray(await net.store.get(segment_key(a.device_id, 2)))
    raw[-5] ^= 1
    await net.store.put(segment_key(a.device_id, 2), bytes(raw))
    pulled = await b.pull()
    assert pulled.new_versions == [] and b.state.version_count() == 0
    assert pulled.errors[0][1].kind == CryptoProblem.TAMPERED
    assert "integrity" in pulled.errors[0][1].param("detail")
    await net.store.delete(segment_key(a.device_id, 2))
    pulled = await b.pull()
    assert pulled.new_versions == [] and pulled.errors[0][1].kind == RoundProblem.JOURNAL_LOST


async def test_segment_replayed_at_another_seq_breaks_the_chain(net):
    a, b = net.device("desk"), net.device("laptop")
    await a.push([_version(a.device_id, 1, "x")])
    await a.push([_version(a.device_id, 2, "y")])
    seg1 = await net.store.get(segment_key(a.device_id, 1))
    await net.store.put(segment_key(a.device_id, 2), seg1)
    pulled = await b.pull()
    assert pulled.new_versions == [] and pulled.errors


async def test_crash_before_segment_write_is_finished_by_recover(net):
    a = net.device("desk")
    versions = [_version(a.device_id, 1, "x")]

    def crash(op: str, key: str) -> None:
        if op == "put" and key.startswith("log/"):
            raise ConnectionError("power cut")

    net.store.fault = crash
    with pytest.raises(ConnectionError):
        await a.push(versions)
    net.store.fault = None
    assert a.own_seq == 0 and a.state.pending_segment() is not None
    await a.recover()
    assert a.own_seq == 1 and a.state.pending_segment() is None
    b = net.device("laptop")
    assert [v.vid for v in (await b.pull()).new_versions] == [versions[0].vid]


async def test_crash_after_segment_before_head_rewrites_the_same_bytes(net):
    a = net.device("desk")

    def lose_head(op: str, key: str) -> None:
        if op == "put" and key.startswith("heads/"):
            raise ConnectionError("crash")

    net.store.fault = lose_head
    with pytest.raises(ConnectionError):
        await a.push([_version(a.device_id, 1, "x")])
    net.store.fault = None
    await a.recover()  # the segment exists: identical bytes, so it is accepted
    assert a.own_seq == 1
    b = net.device("laptop")
    assert len((await b.pull()).new_versions) == 1


async def test_same_device_identity_on_two_machines_is_detected(net):
    a = net.device("desk")
    twin = net.device("twin", device_id=a.device_id)
    await a.push([_version(a.device_id, 1, "x")])
    with pytest.raises(JournalError, match="same device identity"):
        await twin.push([_version(a.device_id, 1, "other")])


async def test_own_head_rolled_back_on_the_store_is_refused(net):
    a = net.device("desk")
    await a.push([_version(a.device_id, 1, "x")])
    old = await net.store.get(head_key(a.device_id))
    await a.push([_version(a.device_id, 2, "y")])
    await net.store.put(head_key(a.device_id), old)
    with pytest.raises(RollbackDetected):
        await a.pull()


async def test_new_device_bootstraps_from_a_snapshot(net):
    a = net.device("desk")
    for i in range(1, 6):
        await a.push([_version(a.device_id, i, f"f{i}")])
    await a.write_snapshot(a.state.all_versions())
    await a.push([_version(a.device_id, 6, "late")])
    c = net.device("new")
    pulled = await c.pull()
    assert sorted(v.vid.counter for v in pulled.new_versions) == [1, 2, 3, 4, 5, 6]
    assert c.state.accepted_heads()[a.device_id].seq == 6
    # Only the segment after the snapshot was read.
    reads = []
    net.store.fault = lambda op, key: reads.append(key) if op == "get" else None
    d = net.device("another")
    await d.pull()
    assert [k for k in reads if k.startswith("log/")] == [segment_key(a.device_id, 6)]


@pytest.mark.parametrize("name", ["laptop", 'x","ops":[]', '"ops":[]', "poste é"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_segment_is_the_whole_body_dumped_at_once_though_encoded_op_by_op(
    name: str, count: int
) -> None:
    """encode_segment streams its ops (memory); the bytes are those of one json.dumps."""
    import json

    import zstandard

    from sync_engine.core.model import ChunkRef, stamped, unstamped
    from sync_engine.vault import journal_codec as jc

    device = "d" * 32
    paths = ["a.txt", 'é"ops":[]', "dossier/b.bin"]
    ref = ChunkRef(b"\x02" * 32, "ab" * 16, 0, 10, 3)
    versions = [
        stamped(
            unstamped(p, frozenset(), Kind.FILE, size=3, content_hash=b"\x01" * 32, chunks=(ref,)),
            VersionId(device, i + 1),
            7,
        )
        for i, p in enumerate(paths[:count])
    ]
    for meta in (None, jc.SegmentMeta(at_ms=5)):
        body = {"format": jc.FORMAT, "device": device, "name": name}
        body["ops"] = [jc.version_to_json(v) for v in versions]
        if meta is not None:
            body.update(jc._meta_to_json(meta))
        whole = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        expected = zstandard.ZstdCompressor(level=3).compress(whole)
        assert jc.encode_segment(device, name, versions, meta) == expected
        assert jc.decode_segment(expected, device).versions == tuple(versions)
