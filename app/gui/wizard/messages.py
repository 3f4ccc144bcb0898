"""Translated sentences for the setup problems the wizard may meet.

The setup module and the stores speak in codes and typed reasons; these are
what a person reads. Under the sentence, smaller, the wizard shows the typed
reason's own sentence (app/messages.py, translated) when it says more, such
as which address failed; the English technical message goes to the log only.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject

from app.credentials import CredentialsUnavailable
from app.folders import BindingError
from app.gui.i18n import describe, describe_error
from app.vault_epochs import StaleVaultHeader
from crypto.errors import CoffreCryptoError, InvalidRecoveryKey, WrongPassphrase
from crypto.reason import Reason
from sync_engine.stores.errors import (
    StoreAuthError,
    StoreConfigError,
    StoreProblem,
    StoreUnavailable,
)
from sync_engine.vault.vault_store import VaultSetupError

log = logging.getLogger(__name__)


class SetupMessages(QObject):
    """One place for the wizard's problem sentences, so each is translated once."""

    def details(self, reason: Reason | None, shown: str) -> str:
        """The grey line under a problem: the reason's own sentence, if it says more."""
        if reason is None:
            return ""
        if reason.param("detail"):
            log.info("setup problem: %s", reason.param("detail"))
        text = describe(reason)
        if not text or text == shown:
            return ""
        return self.tr("Details: %1").replace("%1", text)

    def connection_problem(self, problem: str, *, creating: bool) -> str:
        messages = {
            "unreachable": self.tr(
                "The storage server cannot be reached. Check the address and your network "
                "connection, then try again."
            ),
            "auth": self.tr(
                "The storage refused the credentials. Check the access key and secret key "
                "(or the user name and password)."
            ),
            "missing_bucket": self.tr(
                "This bucket does not exist on the server. Check its name, or ask your "
                "administrator to create it."
            ),
            "not_found": self.tr(
                "This folder cannot be found. Check the path; for a network share, make sure it "
                "is mounted."
            ),
            "not_empty": self.tr(
                "This location already contains files. A new vault needs an empty location: "
                "choose another folder or prefix, or join the existing vault instead."
            ),
            "no_vault": self.tr(
                "There is no Coffre vault at this location. Check the address, or create a new "
                "vault instead."
            ),
            "config": self.tr("The storage address is not valid. Check each field."),
        }
        return messages.get(problem, self.tr("The connection test failed."))

    def connection_ok(self, *, creating: bool) -> str:
        if creating:
            return self.tr("The connection works and the location is ready for a new vault.")
        return self.tr("The connection works and a Coffre vault was found.")

    def field_problem(self, code: str) -> str:
        return {
            "required": self.tr("Fill in this field."),
            "relative": self.tr("Give the full path of the folder, for example /srv/coffre."),
            "invalid": self.tr("This value is not valid."),
        }.get(code, self.tr("This value is not valid."))

    def passphrase_problem(self, code: str) -> str:
        return {
            "required": self.tr("Type the passphrase."),
            "weak": self.tr("This passphrase is too easy to guess: make it longer."),
            "mismatch": self.tr("The two passphrases are different."),
        }.get(code, "")

    def folder_problem(self, code: str) -> str:
        return {
            "required": self.tr("Choose the folder to synchronise."),
            "relative": self.tr("Give the full path of the folder."),
            "not_a_folder": self.tr("This path is a file, not a folder."),
            "already_synced": self.tr("This folder is already synchronised by Coffre."),
            "inside_store": self.tr(
                "The synchronised folder and the storage folder must be separate: choose a "
                "folder outside the storage."
            ),
        }.get(code, "")

    def wrong_recovery_key(self) -> str:
        return self.tr(
            "This recovery key does not open the vault. Check that it is the key of this "
            "vault, printed when the vault was created."
        )

    def setup_error(self, exc: BaseException) -> str:
        """The sentence for an exception raised while creating or joining the vault."""
        problem = getattr(exc, "problem", "")
        if isinstance(problem, str) and problem:
            return self.connection_problem(problem, creating=True)
        if isinstance(exc, WrongPassphrase):
            return self.tr(
                "This passphrase does not open the vault. Check it (upper and lower case "
                "matter) and try again."
            )
        if isinstance(exc, StaleVaultHeader):
            return self.tr(
                "The storage served an old version of the vault's header, from before its "
                "passphrase was changed. It was refused: tell your IT department."
            )
        if isinstance(exc, InvalidRecoveryKey):
            return self.tr(
                "This recovery key contains a typo or is incomplete. Compare it with the "
                "printed key."
            )
        if isinstance(exc, BindingError):
            return self.tr("This folder is already synchronised by Coffre. Choose another folder.")
        if isinstance(exc, StoreUnavailable):
            folder = exc.kind is StoreProblem.FOLDER_MISSING
            return self.connection_problem("not_found" if folder else "unreachable", creating=True)
        if isinstance(exc, StoreAuthError):
            return self.connection_problem("auth", creating=True)
        if isinstance(exc, CredentialsUnavailable):
            return self.tr(
                "The keys could not be kept in the system keyring. Unlock the keyring (or "
                "start it), then try again."
            )
        if isinstance(exc, StoreConfigError):
            return self.connection_problem("config", creating=True)
        if isinstance(exc, VaultSetupError | CoffreCryptoError):
            return describe_error(exc)
        if isinstance(exc, OSError):
            return self.tr(
                "A file or folder could not be written. Check that you may write to the chosen "
                "folders and that the disk is not full."
            )
        return self.tr("Something went wrong and nothing was set up.")
