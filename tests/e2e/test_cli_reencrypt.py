"""`coffre members remove --reencrypt` through the real CLI, on a folder store and SeaweedFS.

Alice (owner), Bob and Carol (editors) share a folder, each with their own
COFFRE_HOME and passphrase (tests/e2e/test_cli_members.py's people). Alice
removes Carol with `--reencrypt`: the command says what it rewrote and whom the
old copies wait for; Bob's next sync opens the new epoch and acknowledges; the
next `coffre gc` sweeps the old packs. Then every pack on the store names the
new epoch in its trailer, Carol's keys open none of them, Bob's `coffre check
--read-data` reads every chunk back, and a file written before the removal still
reaches him intact. `coffre gc --reencrypt` on the rewritten vault finds nothing
left to rewrite.
"""

from __future__ import annotations

import asyncio
import os
import struct
from pathlib import Path

import pytest

from crypto.errors import EpochKeyMissing
from crypto.pack import TRAILER_LEN_V2, open_index
from tests.e2e.conftest import StoreLocation
from tests.e2e.test_cli_members import Person, _ids, _people, location  # noqa: F401


def _carol_ring_epochs(carol: Person, where: StoreLocation) -> object:
    """Carol's key ring as her own identity opens it (her passphrase, her files only)."""
    from app import identity_store
    from app.folders import find_binding
    from app.session import epoch_keys
    from sync_engine.vault.membership_log import MembershipLog
    from sync_engine.vault.state import LocalState

    async def ring() -> object:
        store = where.open()
        local = LocalState(carol.home / "carol-log.db")
        try:
            log = MembershipLog(store, local, bytes.fromhex(binding.vault_id))
            await log.read()
            identity = identity_store.unlock(lambda: carol.passphrase or "")
            return await epoch_keys(store, log).open_with_identity(identity)
        finally:
            local.close()
            await store.close()

    mp = pytest.MonkeyPatch()
    mp.setenv("COFFRE_HOME", str(carol.home))
    try:
        binding = find_binding(carol.folder)
        return asyncio.run(ring())
    finally:
        mp.undo()


def test_remove_with_reencrypt_leaves_the_removed_keys_nothing(
    tmp_path: Path,
    location: StoreLocation,  # noqa: F811
) -> None:
    alice, bob, carol = _people(tmp_path, location)
    alice.run("init", "--store", location.address, "--folder", str(alice.folder),
              "--device-name", "alice-pc", "--language", "en")  # fmt: skip
    contents = {}
    for i in range(3):  # three rounds: three packs
        data = os.urandom(150_000 + i)
        (alice.folder / f"plan-{i}.bin").write_bytes(data)
        contents[f"plan-{i}.bin"] = data
        alice.folder_run("sync")
    for person, name in ((bob, "Bob Durand"), (carol, "Carol Petit")):
        person.run("identity", "create", "--name", name)
        alice.folder_run("members add", "--card", str(person.card_file()), "--role", "editor")
        person.join()
        person.folder_run("sync")
    alice.folder_run("sync")  # her removal's cut then holds what Carol's device wrote
    carol_id, _ = _ids(carol.card())
    old_packs = set(location.objects("packs/"))
    assert len(old_packs) >= 3

    removed = alice.folder_run("members remove", carol_id, "--reencrypt")
    out = removed.stdout
    assert "Removed Carol Petit" in out
    assert f"Rewritten under key epoch 2: {len(old_packs)} of {len(old_packs)} packs" in out
    assert "waiting for: bob-pc" in out  # Carol's device does not hold the sweep
    assert "storage" in out  # still: withdraw her storage credentials

    bob.folder_run("sync")  # opens epoch 2, reads the marks, acknowledges them
    swept = alice.folder_run("gc").stdout
    assert f"deleted: {len(old_packs)} packs" in swept
    packs = location.objects("packs/")
    assert packs and not set(packs) & old_packs
    carol_ring = _carol_ring_epochs(carol, location)
    for key, size in packs.items():
        data = location.read(key)
        (epoch,) = struct.unpack_from("<I", data, len(data) - TRAILER_LEN_V2)
        assert epoch == 2
        with pytest.raises(EpochKeyMissing):
            open_index(carol_ring, bytes.fromhex(key.rsplit("/", 1)[1]), data, size)  # type: ignore[arg-type]

    bob.folder_run("check", "--read-data")  # exit 0: every chunk found (relocated) and read
    # Someone added after the rewrite reads every file from the new packs.
    dan = Person("dan", tmp_path, location, "Dan garde sa propre phrase de passe 55")
    dan.run("identity", "create", "--name", "Dan Martin")
    alice.folder_run("members add", "--card", str(dan.card_file()), "--role", "reader")
    dan.join()
    dan.folder_run("sync")
    for rel, data in contents.items():
        assert (dan.folder / rel).read_bytes() == (bob.folder / rel).read_bytes() == data
    again = alice.folder_run("gc", "--reencrypt").stdout
    assert f"Rewritten under key epoch 2: 0 of {len(packs)} packs" in again


def test_a_rewrite_that_cannot_run_leaves_the_removal_and_gc_finishes_it(tmp_path: Path) -> None:
    """Bob's newest segment is unreadable when Alice removes Carol with --reencrypt: the
    collector must read every journal, so the rewrite stops (exit 1, worded) while the
    removal stands; once the segment is back, `coffre gc --reencrypt` rewrites it all."""
    from tests.e2e.conftest import folder_location

    store_at = folder_location(tmp_path / "store")
    alice, bob, carol = _people(tmp_path, store_at)
    alice.run("init", "--store", store_at.address, "--folder", str(alice.folder),
              "--device-name", "alice-pc", "--language", "en")  # fmt: skip
    (alice.folder / "budget.bin").write_bytes(os.urandom(120_000))
    alice.folder_run("sync")
    for person, name in ((bob, "Bob Durand"), (carol, "Carol Petit")):
        person.run("identity", "create", "--name", name)
        alice.folder_run("members add", "--card", str(person.card_file()), "--role", "editor")
        person.join()
        person.folder_run("sync")
    alice.folder_run("sync")
    (bob.folder / "bob.txt").write_text("Bob's notes\n", encoding="utf-8")
    bob.folder_run("sync")  # a segment Alice has not read yet
    bob_log = sorted(k for k in store_at.objects("log/") if k.startswith(f"log/{_device(bob)}"))
    newest = max(bob_log, key=lambda k: int(k.rsplit("/", 1)[1]))
    kept = store_at.read(newest)
    store_at.write(newest, kept[:-1] + bytes([kept[-1] ^ 1]))  # the store damages it
    old_packs = set(store_at.objects("packs/"))

    carol_id, _ = _ids(carol.card())
    failed = alice.folder_run("members remove", carol_id, "--reencrypt", code=1)
    assert "Carol Petit was removed, but rewriting the older files" in failed.stderr
    assert "coffre gc --reencrypt" in failed.stderr
    assert "Carol Petit" not in [m["name"] for m in alice.members()]  # the removal stands
    assert set(store_at.objects("packs/")) == old_packs  # nothing rewritten, nothing lost

    store_at.write(newest, kept)
    done = alice.folder_run("gc", "--reencrypt").stdout
    assert f"Rewritten under key epoch 2: {len(old_packs)} of {len(old_packs)} packs" in done
    bob.folder_run("sync")
    alice.folder_run("gc")
    alice.folder_run("sync")
    assert not set(store_at.objects("packs/")) & old_packs
    assert (alice.folder / "bob.txt").read_text(encoding="utf-8") == "Bob's notes\n"


def _device(person: Person) -> str:
    from app.folders import find_binding

    mp = pytest.MonkeyPatch()
    mp.setenv("COFFRE_HOME", str(person.home))
    try:
        return find_binding(person.folder).device_id
    finally:
        mp.undo()
