"""A malicious store: a flipped byte in a pack, an old head put back. Detected, nothing harmed."""

from __future__ import annotations

import os

from .conftest import (
    EXIT_ERROR,
    EXIT_OK,
    MakeDevices,
    StoreLocation,
    assert_same_tree,
    temp_leftovers,
)

ROLLBACK_WORDS = ("rollback", "rolled back", "old copy", "back at seq")


def _flip_middle_byte(location: StoreLocation, key: str) -> None:
    data = bytearray(location.read(key))
    data[len(data) // 2] ^= 0x01
    location.write(key, bytes(data))


def test_a_flipped_byte_in_a_pack_is_reported_and_writes_nothing(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("a.bin", b"the original, good content\n")
    alpha.write("b.txt", "an unrelated file")
    alpha.sync()
    beta.sync()
    before = beta.tree()

    packs = set(alpha.location.objects("packs/"))
    edited = os.urandom(200_000)  # one chunk, alone in a new pack
    alpha.write("a.bin", edited)
    alpha.sync()
    (new_pack,) = set(alpha.location.objects("packs/")) - packs
    _flip_middle_byte(alpha.location, new_pack)

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
    head = f"heads/{alpha_id}"
    saved = alpha.location.read(head)

    alpha.write("r.txt", "version 2, the newer one")
    alpha.path("s.txt").unlink()
    alpha.sync()
    beta.sync()
    seen = beta.tree()
    assert beta.read("r.txt") == b"version 2, the newer one"

    alpha.location.write(head, saved)  # the store serves the old head again

    proc = beta.sync(check_code=EXIT_ERROR)
    stderr = proc.stderr.lower()
    assert alpha_id in proc.stderr, proc.stderr
    assert any(word in stderr for word in ROLLBACK_WORDS), proc.stderr
    assert beta.tree() == seen, "a rollback changes nothing"

    proc = alpha.sync(check_code=EXIT_ERROR)  # alpha sees its own head rolled back
    assert any(word in proc.stderr.lower() for word in ROLLBACK_WORDS), proc.stderr
    assert_same_tree(alpha, beta)


def test_a_rollback_another_device_witnessed_is_caught_by_a_device_with_no_state(
    make_devices: MakeDevices,
) -> None:
    alpha, beta, gamma = make_devices(3)
    alpha.write("r.txt", "version 1")
    alpha.sync()
    alpha_id = alpha.status(check_code=EXIT_OK)["device_id"]
    head = f"heads/{alpha_id}"
    saved = alpha.location.read(head)
    alpha.write("r.txt", "version 2, the newer one")
    alpha.sync()
    beta.sync()
    beta.write("b.txt", "beta's head now says it accepted alpha's newer one")
    beta.sync()

    alpha.location.write(head, saved)  # the store serves alpha's old head again

    # gamma never synced: no local memory of alpha's head, only beta's word for it.
    proc = gamma.sync(check_code=EXIT_ERROR)
    assert alpha_id in proc.stderr, proc.stderr
    assert "rolled them back" in proc.stderr, proc.stderr
    proc = gamma.sync(check_code=EXIT_ERROR)  # still reported on the next round
    assert "rolled them back" in proc.stderr, proc.stderr
