"""Re-encrypting a shared folder after a removal, for the members service and the CLI.

`reencrypter(engine)` gives what `MembersService.remove(reencrypt=True)` runs once
the removal's new epoch is published: the folder's engine switches to the ring
holding it and `sync_engine/lifecycle/reencrypt.py` rewrites every referenced
pack under it. `coffre gc --reencrypt` runs the same operation alone (to finish
one that was interrupted). `rewrite_lines` says what was rewritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crypto.keyring import KeyRing
    from sync_engine.engine import Engine
    from sync_engine.lifecycle.reencrypt import ReencryptReport

    from .members import Reencrypt


def reencrypter(engine: Engine) -> Reencrypt:
    """Rewrite the folder's packs under `ring`'s current epoch, through `engine`.

    Raises `ReencryptRefused` or `GcRefused` (sync_engine.lifecycle) when it cannot
    run; nothing is lost then, and running it again resumes.
    """
    from sync_engine.lifecycle.reencrypt import Reencryptor

    async def run(ring: KeyRing) -> ReencryptReport:
        if ring.current > engine.ring.current:
            engine.use_ring(ring)  # the epoch the removal just started
        return await Reencryptor(engine).run()

    return run


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MiB"


def rewrite_lines(report: ReencryptReport) -> list[str]:
    """What a re-encryption did and what it leaves for later, for the command line."""
    lines = [
        f"Rewritten under key epoch {report.epoch}: {report.rewritten_packs} of "
        f"{report.referenced_packs} packs ({report.rewritten_chunks} chunks: "
        f"{_mib(report.bytes_read)} of old packs, {_mib(report.bytes_written)} written) "
        f"in {report.seconds:.1f} s."
    ]
    if report.missing_packs:
        lines.append(
            f"{len(report.missing_packs)} pack(s) the files need are missing from the store: "
            "run `coffre check` (and `coffre repair`)."
        )
    if report.rewritten_packs or report.gc.marked_packs:
        waiting = ", ".join(sorted(report.waiting_for))
        lines.append(
            "The old copies stay on the store until every other device of the folder has "
            "synced once and a garbage collection runs (`coffre gc`, or the app's daily one)"
            + (f"; waiting for: {waiting}." if waiting else ".")
        )
    return lines
