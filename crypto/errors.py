"""The errors crypto raises, each with a message a person can act on.

Callers catch `CoffreCryptoError` to report any integrity or key problem; the
subclasses tell the UI which advice to give. No message ever contains key
material, a passphrase or decrypted content.
"""

from __future__ import annotations


class CoffreCryptoError(Exception):
    """Base of every error raised by `crypto`."""


class WrongPassphrase(CoffreCryptoError):
    """The passphrase or recovery key does not open this vault's key slot."""

    def __init__(self, detail: str = "") -> None:
        msg = (
            "The passphrase or recovery key is wrong for this vault. Check it and try "
            "again; if you are sure it is right, the vault's key slot may have been "
            "altered on the store."
        )
        super().__init__(f"{msg} {detail}".strip())


class InvalidRecoveryKey(CoffreCryptoError):
    """A recovery key that fails its checksum: almost always a typo."""


class TamperedData(CoffreCryptoError):
    """Stored data failed authentication: it was altered, swapped or truncated."""

    def __init__(self, what: str, detail: str = "") -> None:
        self.what = what
        msg = (
            f"{what} failed its integrity check: it was modified, truncated or "
            "replaced on the store. Nothing was written from it. Tell your IT "
            "department; the other copies of your files are untouched."
        )
        super().__init__(f"{msg} ({detail})" if detail else msg)


class RollbackDetected(TamperedData):
    """The store served an object older than one already accepted."""


class UnsupportedFormat(CoffreCryptoError):
    """An object in a format this version of Coffre does not read."""


class DowngradeRefused(UnsupportedFormat):
    """The store asks for weaker parameters or an older format than allowed."""
