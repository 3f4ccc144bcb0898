"""The errors crypto raises, each with a typed reason the application words.

Callers catch `CoffreCryptoError` to report any integrity or key problem; the
subclass's `reason` (a `CryptoProblem` kind and its parameters) tells the UI
which advice to give, in the person's language. The English message is for
logs and support. No message ever contains key material, a passphrase or
decrypted content.
"""

from __future__ import annotations

from enum import StrEnum

from .reason import Reason


class CryptoProblem(StrEnum):
    """What a person is told about a crypto error (worded in app/messages.py)."""

    WRONG_PASSPHRASE = "crypto.wrong_passphrase"
    INVALID_RECOVERY_KEY = "crypto.invalid_recovery_key"
    TAMPERED = "crypto.tampered"  # what: the object, in English (shown as a detail)
    ROLLBACK = "crypto.rollback"
    UNSUPPORTED_FORMAT = "crypto.unsupported_format"  # update Coffre
    DOWNGRADE = "crypto.downgrade"
    INVALID_CARD = "crypto.invalid_card"  # an identity card that is damaged or altered


class CoffreCryptoError(Exception):
    """Base of every error raised by `crypto`."""

    kind: CryptoProblem = CryptoProblem.TAMPERED

    @property
    def reason(self) -> Reason:
        """The kind of this error and its parameters; `detail` is the English message."""
        return Reason.of(self.kind, detail=str(self))


class WrongPassphrase(CoffreCryptoError):
    """The passphrase or recovery key does not open this vault's key slot."""

    kind = CryptoProblem.WRONG_PASSPHRASE

    def __init__(self, detail: str = "") -> None:
        msg = (
            "The passphrase or recovery key is wrong for this vault. Check it and try "
            "again; if you are sure it is right, the vault's key slot may have been "
            "altered on the store."
        )
        super().__init__(f"{msg} {detail}".strip())


class InvalidRecoveryKey(CoffreCryptoError):
    """A recovery key that fails its checksum: almost always a typo."""

    kind = CryptoProblem.INVALID_RECOVERY_KEY


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

    kind = CryptoProblem.ROLLBACK


class UnsupportedFormat(CoffreCryptoError):
    """An object in a format this version of Coffre does not read."""

    kind = CryptoProblem.UNSUPPORTED_FORMAT


class DowngradeRefused(UnsupportedFormat):
    """The store asks for weaker parameters or an older format than allowed."""

    kind = CryptoProblem.DOWNGRADE


class EpochKeyMissing(TamperedData):
    """An object sealed under a key epoch this device does not hold.

    Either the store serves an object from an epoch this device was never given
    (it was removed from the vault before that epoch started), or the epoch
    number was altered: nothing is read from it either way.
    """

    def __init__(self, epoch: int, what: str = "An object") -> None:
        self.epoch = epoch
        self.what = what
        CoffreCryptoError.__init__(
            self,
            f"{what} was sealed under key epoch {epoch}, which this device was not given: "
            "it cannot be read here. If this device was removed from the vault, ask an "
            "owner to add it again; otherwise the object was altered on the store.",
        )
