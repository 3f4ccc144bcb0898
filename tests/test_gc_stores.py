"""Purge and GC against real servers: SeaweedFS (S3) and Apache WebDAV, on 127.0.0.1.

The same protocol as tests/test_gc.py, through the real store clients: a
purged file's chunks leave the store (repacked out of the pack they shared),
every device's history drops it, and everything kept still reads back.
"""

from __future__ import annotations

import os

import pytest

from sync_engine.stores.base import Store
from tests.gc_world import World, check_kept


@pytest.fixture(params=["s3", "webdav"])
def real_store(request: pytest.FixtureRequest) -> Store:
    name = "s3_store" if request.param == "s3" else "webdav_store"
    store: Store = request.getfixturevalue(name)
    return store


async def test_purge_on_a_real_store(real_store: Store, tmp_path) -> None:
    w = World(tmp_path, real_store)
    a, b = w.device("a"), w.device("b")
    secret = os.urandom(600_000)
    a.fs.put_file("etat-civil/extrait.pdf", secret)  # one pack, shared with the others
    a.fs.put_file("notes.txt", b"kept")
    a.fs.put_file("budget.ods", os.urandom(50_000))
    await w.settle()
    doomed = {c.chunk_id for v in a.state.versions_under("etat-civil") for c in v.chunks}
    assert doomed <= await w.chunk_ids_in_store()

    result = await a.gc.purge("etat-civil")
    assert result.versions == 2 and result.gc.repacked_packs == 1
    await w.settle()
    assert b.state.versions_under("etat-civil") == []
    assert not b.fs.exists("etat-civil/extrait.pdf")
    report = await a.gc.run()
    assert report.deleted_packs == 1 and report.reclaimed_bytes > 600_000

    assert not doomed & await w.chunk_ids_in_store()
    c = w.device("c")
    await w.settle()
    assert c.fs.read_bytes("notes.txt") == b"kept"
    assert c.fs.read_bytes("budget.ods") == a.fs.read_bytes("budget.ods")
    assert c.state.versions_under("etat-civil") == []
    for d in (a, b, c):
        assert await check_kept(d) >= 2
