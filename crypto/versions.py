"""Reading an object's format version byte without letting tampering pass for "too new".

A version byte is read before the object can be authenticated (it selects the
format). A byte lowered below the one version this Coffre writes is not an old
object: no Coffre ever wrote one (version 1 is the first), so it can only be
tampering, and is reported as `DowngradeRefused` rather than "update Coffre". Only a
higher byte can honestly mean a newer format.
"""

from __future__ import annotations

from .errors import DowngradeRefused, UnsupportedFormat


def check_version(what: str, found: int, current: int, *, oldest: int | None = None) -> None:
    """Raise unless `found` is a version of `what` this Coffre reads.

    That is `current` alone, or every version from `oldest` to `current` when
    the reader still opens older layouts (v1 objects in a v2 vault).
    """
    low = current if oldest is None else oldest
    if low <= found <= current:
        return
    if found < low:
        raise DowngradeRefused(
            f"{what} claims format version {found}, older than any Coffre has written "
            f"(the first is {low}). It was altered on the store and is refused; "
            "nothing was read from it. Tell your IT department."
        )
    raise UnsupportedFormat(f"{what} has format version {found}; update Coffre.")
