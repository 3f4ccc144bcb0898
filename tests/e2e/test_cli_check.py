"""`coffre check` and `coffre repair` through the real CLI, on every backend."""

from __future__ import annotations

import os

from .conftest import EXIT_ERROR, MakeDevices


def test_check_finds_a_deleted_pack_names_the_files_and_repair_sends_them_again(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("notes.txt", "kept in another pack")
    alpha.sync()
    packs = set(alpha.location.objects("packs/"))
    alpha.write("Etat civil/extrait.pdf", os.urandom(300_000))
    alpha.sync()
    beta.sync()
    proc = alpha.run("check", "--read-data")
    assert "no problem found" in proc.stdout, proc.stdout

    (gone,) = set(alpha.location.objects("packs/")) - packs
    alpha.location._with_store(lambda store: store.delete(gone))

    proc = beta.run("check", check_code=EXIT_ERROR)
    assert gone in proc.stderr, proc.stderr
    assert "Etat civil/extrait.pdf (current version)" in proc.stderr, proc.stderr
    assert "notes.txt" not in proc.stderr

    proc = beta.run("repair")
    assert "sent again: Etat civil/extrait.pdf" in proc.stdout, proc.stdout
    # What remains is the version that referenced the deleted pack, now history only.
    proc = alpha.run("check", "--read-data", "50", check_code=EXIT_ERROR)
    assert "(current version)" not in proc.stderr, proc.stderr
    assert "Etat civil/extrait.pdf (older version" in proc.stderr, proc.stderr
    alpha.sync()
    assert alpha.read("Etat civil/extrait.pdf") == beta.read("Etat civil/extrait.pdf")
