"""The rules of the forms where a passphrase is typed or replaced, without widgets.

Shared by the unlock dialog, the setup wizard's passphrase page and the change
dialog, so each says the same thing about the same input: an old passphrase or
a recovery key to open the vault, and a new passphrase (typed twice, and as
strong as `passphrase_strength` asks) when one is being chosen. Problems are
codes; the GUI turns them into translated sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crypto.errors import InvalidRecoveryKey
from crypto.recovery import parse_recovery_key

from .passphrase_strength import estimate
from .unlock import VaultSecret

# Problem codes, in the order a person fixes them.
KEY_REQUIRED = "key_required"
KEY_INVALID = "key_invalid"
PASSPHRASE_REQUIRED = "required"
WEAK = "weak"
MISMATCH = "mismatch"


@dataclass
class PassphraseForm:
    """What the fields hold. `recovering`: the recovery key replaces the passphrase, and a
    new passphrase must then be chosen. `choosing`: a new passphrase is chosen anyway (a
    change)."""

    passphrase: str = field(default="", repr=False)
    recovery_key: str = field(default="", repr=False)
    new_passphrase: str = field(default="", repr=False)
    new_again: str = field(default="", repr=False)
    recovering: bool = False
    choosing: bool = False

    @property
    def needs_new_passphrase(self) -> bool:
        return self.recovering or self.choosing

    def key_problem(self) -> str:
        if not self.recovery_key.strip():
            return KEY_REQUIRED
        try:
            parse_recovery_key(self.recovery_key)
        except InvalidRecoveryKey:
            return KEY_INVALID
        return ""

    def new_problem(self) -> str:
        if not self.new_passphrase:
            return PASSPHRASE_REQUIRED
        if not estimate(self.new_passphrase).acceptable:
            return WEAK
        if self.new_passphrase != self.new_again:
            return MISMATCH
        return ""

    def problem(self) -> str:
        """ "" when the form may be submitted, else the first problem's code."""
        if self.recovering:
            found = self.key_problem()
        else:
            found = "" if self.passphrase else PASSPHRASE_REQUIRED
        if not found and self.needs_new_passphrase:
            found = self.new_problem()
        return found

    def key_detail(self) -> str:
        """What is wrong with the typed recovery key (English, shown as a detail)."""
        try:
            parse_recovery_key(self.recovery_key)
        except InvalidRecoveryKey as exc:
            return str(exc)
        return ""

    def opening_secret(self) -> VaultSecret:
        """What opens the vault (without the new passphrase)."""
        if self.recovering:
            return VaultSecret(recovery_key=self.recovery_key.strip())
        return VaultSecret(passphrase=self.passphrase)

    def secret(self) -> VaultSecret:
        """What opens the vault, with the new passphrase after a recovery."""
        if self.recovering:
            return VaultSecret(
                recovery_key=self.recovery_key.strip(), new_passphrase=self.new_passphrase
            )
        return VaultSecret(passphrase=self.passphrase)
