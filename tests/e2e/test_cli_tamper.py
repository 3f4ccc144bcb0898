"""A malicious store: a flipped byte in a pack, an old head put back. Detected, nothing harmed."""

from __future__ import annotations

import os
import shutil

from .conftest import (
    EXIT_ERROR,
    EXIT_OK,
    MakeDevices,
    assert_same_tree,
    pack_files,
    temp_leftovers,
)

ROLLBACK_WORDS = ("rollback", "rolled back", "old copy", "back at seq")


def _flip_middle_byte(path: os.PathLike[str]) -> None:
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        f.seek(size // 2)
        byte = f.read(1)
        f.seek(size // 2)
        f.write(bytes([byte[0] ^ 0x01]))


def test_a_flipped_byte_in_a_pack_is_reported_and_writes_nothing(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("a.bin", b"the original, good content\n")
    alpha.write("b.txt", "an unrelated file")
    alpha.sync()
    beta.sync()
    before = beta.tree()

    packs = set(pack_files(alpha.store))
    edited = os.urandom(200_000)  # one chunk, alone in a new pack
    alpha.write("a.bin", edited)
    alpha.sync()
    (new_pack,) = set(pack_files(alpha.store)) - packs
    _flip_middle_byte(new_pack)

    for _ in range(2):  # reported again on the next round, never taken as synced
        proc = beta.sync(check_code=EXIT_ERROR)
        assert "tampered" in proc.stderr and "integrity" in proc.stderr, proc.stderr
        assert "a.bin" in proc.stderr, proc.stderr
        assert beta.tree() == before, "no wrong file written, nothing deleted"
        assert temp_leftovers(beta.folder) == []
    # beta did not answer the tampering with its own old version of a.bin.
    alpha.sync()
    assert alpha.read("a.bin") == edited


def test_an_old_head_put_back_is_reported_as_a_rollback(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    alpha.write("r.txt", "version 1")
    alpha.write("s.txt", "stays")
    alpha.sync()
    beta.sync()
    alpha_id = alpha.status(check_code=EXIT_OK)["device_id"]
    head = alpha.store / "heads" / alpha_id
    saved = alpha.store.parent / "saved-head"
    shutil.copy2(head, saved)

    alpha.write("r.txt", "version 2, the newer one")
    alpha.path("s.txt").unlink()
    alpha.sync()
    beta.sync()
    seen = beta.tree()
    assert beta.read("r.txt") == b"version 2, the newer one"

    # The store serves the old head again (written the way the store writes objects).
    shutil.copy2(saved, head.with_name(".tmp-rollback"))
    os.replace(head.with_name(".tmp-rollback"), head)

    proc = beta.sync(check_code=EXIT_ERROR)
    stderr = proc.stderr.lower()
    assert alpha_id in proc.stderr, proc.stderr
    assert any(word in stderr for word in ROLLBACK_WORDS), proc.stderr
    assert beta.tree() == seen, "a rollback changes nothing"

    proc = alpha.sync(check_code=EXIT_ERROR)  # alpha sees its own head rolled back
    assert any(word in proc.stderr.lower() for word in ROLLBACK_WORDS), proc.stderr
    assert_same_tree(alpha, beta)
