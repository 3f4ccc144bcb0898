"""`coffre retention`, `coffre gc`, `coffre purge` and what `coffre history` says of them."""

from __future__ import annotations

import os

from .conftest import EXIT_ERROR, EXIT_USAGE, MakeDevices


def test_retention_gc_and_purge_from_the_command_line(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    alpha.write("big.bin", os.urandom(2_000_000))
    alpha.write("dossier/extrait.pdf", os.urandom(300_000))
    alpha.write("notes.txt", b"kept")
    alpha.sync()
    beta.sync()

    shown = alpha.json("retention")
    assert shown == {
        "keep_all_ms": "30d",
        "daily_ms": "26w",
        "deleted_ms": "30d",
        "silent_ms": "90d",
    }
    alpha.run("retention", "--keep-all", "7d", "--deleted", "12h")
    beta.sync()
    assert beta.json("retention")["keep_all_ms"] == "1w"
    alpha.run("retention", "--daily", "soon", check_code=EXIT_USAGE)

    alpha.path("big.bin").unlink()
    alpha.sync()
    beta.sync()
    history = alpha.json("history", "big.bin")
    assert history[0]["kept"] is True  # deleted an instant ago: kept for 12 hours
    before = alpha.location.size()
    dry = alpha.run("gc", "--dry-run", "--keep-within", "0s").stdout
    assert "would be marked" in dry and alpha.location.size() == before

    first = alpha.run("gc", "--keep-within", "0s").stdout
    assert "marked: 1 packs" in first and "waiting" in first and "beta" in first
    beta.sync()  # beta acknowledges the mark
    second = alpha.run("gc", "--keep-within", "0s").stdout
    assert "deleted: 1 packs" in second
    assert alpha.location.size() < before - 1_900_000
    assert alpha.json("history", "big.bin")[0]["kept"] is False

    alpha.run("purge", "dossier", check_code=EXIT_ERROR)  # no --yes and no terminal
    assert alpha.path("dossier/extrait.pdf").exists()
    out = alpha.run("purge", "dossier", "--yes").stdout
    assert "purged: dossier" in out
    alpha.run("history", "dossier/extrait.pdf", check_code=EXIT_ERROR)  # nothing left
    beta.sync()
    beta.run("history", "dossier/extrait.pdf", check_code=EXIT_ERROR)
    assert not beta.path("dossier/extrait.pdf").exists()
    assert beta.read("notes.txt") == b"kept"
    alpha.run("gc", "--keep-within", "bad", check_code=EXIT_USAGE)
