"""The desktop app's "My identity" and "Verify a colleague" screens, without widgets.

`MyIdentity` walks a person through having an identity on this computer:
creating it (name prefilled from the account, editable; a passphrase asked
only when the system keyring cannot keep the private keys), then showing the
name, the fingerprint in readable groups and the identity card to copy or save
for a mail. `ColleagueCard` reads a colleague's card (pasted or from a file),
checks it (`crypto.identity.parse_card`) and gives the safety number both
people compare by phone or in person.

The keys and files are `app.identity_store`'s, exactly as `coffre identity`
uses them, so the app and the command line see the same identity. Problems
are codes, in the order a person fixes them; the GUI words them
(app/gui/views/identity_dialogs.py).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from crypto.identity import (
    CARD_HEADER,
    InvalidCard,
    InvalidName,
    PublicIdentity,
    check_name,
    parse_card,
    safety_number,
)

from . import identity_store
from .account_name import default_name
from .atomic_file import write_atomically
from .passphrase_form import PassphraseForm
from .paths import coffre_home

# Problem codes for creating an identity.
NAME_REQUIRED = "name_required"
NAME_INVALID = "name_invalid"  # too long, or control characters (a line break, a tab)
# ...and the passphrase's, from `PassphraseForm.new_problem` (required, weak, mismatch).

# Problem codes for a colleague's card.
CARD_REQUIRED = "card_required"
NOT_A_CARD = "not_a_card"  # no "Coffre identity card v1" line: another text or file
CARD_ALTERED = "card_altered"  # a card, but damaged or altered (`InvalidCard`)
CARD_UNREADABLE = "card_unreadable"  # the file cannot be read
OWN_CARD = "own_card"  # the person's own card, not a colleague's
NO_IDENTITY = "no_identity"  # a safety number needs the person's own identity first
IDENTITY_DAMAGED = "identity_damaged"  # the person's own identity cannot be read

MAX_CARD_FILE_BYTES = 64 * 1024  # a card is about 9 KB; anything far larger is not one


class Step(enum.Enum):
    """Where "My identity" stands."""

    CREATE = "create"  # no identity yet: the name (and, if needed, a passphrase)
    SHOW = "show"  # the identity, its fingerprint and card
    DAMAGED = "damaged"  # the identity file cannot be read: nothing is overwritten


class PassphraseNeeded(Exception):
    """The keyring cannot keep the private keys: a passphrase must protect the file."""


@dataclass
class MyIdentity:
    """This computer's identity as the "My identity" dialog shows and creates it."""

    name: str = ""
    passphrase: PassphraseForm = field(default_factory=lambda: PassphraseForm(choosing=True))
    needs_passphrase: bool = False  # set when the keyring refused to keep the keys
    stored: identity_store.StoredIdentity | None = None
    step: Step = Step.CREATE
    damage: str = ""  # English detail of a damaged identity (for the log and support)

    def load(self) -> Step:
        """Read the identity kept on this computer; the step to show follows from it."""
        try:
            self.stored = identity_store.load()
        except (identity_store.IdentityError, OSError) as exc:  # OSError: COFFRE_HOME unreadable
            self.stored, self.damage, self.step = None, str(exc), Step.DAMAGED
            return self.step
        if self.stored is None:
            self.step = Step.CREATE
            if not self.name:
                self.name = default_name()
        else:
            self.step = Step.SHOW
        return self.step

    @property
    def record_path(self) -> Path:
        """The file that records this computer's identity (named when it is damaged)."""
        return coffre_home() / identity_store.INFO_FILE

    def name_problem(self) -> str:
        if not self.name.strip():
            return NAME_REQUIRED
        try:
            check_name(self.name)
        except InvalidName:
            return NAME_INVALID
        return ""

    def problem(self) -> str:
        """The first thing to fix before creating, or ""."""
        return self.name_problem() or (
            self.passphrase.new_problem() if self.needs_passphrase else ""
        )

    def create(self) -> identity_store.StoredIdentity:
        """Create and keep the identity (blocking: the keyring, or Argon2id for the file).

        Without a keyring and before a passphrase was asked, `PassphraseNeeded` is
        raised with nothing written; `needs_passphrase` is then set, so the form
        shows the passphrase fields. `IdentityError`s (one already exists...) pass.
        """
        if self.problem():
            raise ValueError(f"the form is not complete ({self.problem()})")

        def passphrase() -> str:
            if not self.needs_passphrase:
                self.needs_passphrase = True
                raise PassphraseNeeded()
            return self.passphrase.new_passphrase

        stored = identity_store.create(self.name, passphrase)
        self.passphrase.new_passphrase = self.passphrase.new_again = ""
        self.stored, self.step = stored, Step.SHOW
        return stored

    # --- what "Show" displays ---------------------------------------------------------------

    def _shown(self) -> identity_store.StoredIdentity:
        if self.stored is None:
            raise ValueError("no identity to show")
        return self.stored

    @property
    def fingerprint_groups(self) -> list[str]:
        """The fingerprint in its groups of 4, to show large and read aloud."""
        return self._shown().fingerprint.split()

    @property
    def card(self) -> str:
        return self._shown().card

    @property
    def kept_in_keyring(self) -> bool:
        return self._shown().kept_in == identity_store.IN_KEYRING

    def card_file_name(self, prefix: str) -> str:
        """A file name for the card: `prefix` (translated "coffre-card") and the name, ASCII."""
        return f"{prefix}-{file_slug(self._shown().name)}.txt"

    def save_card(self, path: Path) -> None:
        """Write the card to `path` (replaced whole); `OSError` says why it could not."""
        write_atomically(path, self.card.encode("utf-8"))


def file_slug(name: str) -> str:
    """ "Élise Dupont-Martin" -> "elise-dupont-martin": safe in any file system and mail."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "card"


@dataclass(frozen=True)
class CheckedCard:
    """A colleague's card that passed its checks, and the safety number with them."""

    colleague: PublicIdentity
    safety_number: str

    @property
    def name(self) -> str:
        return self.colleague.name

    @property
    def fingerprint(self) -> str:
        return self.colleague.fingerprint

    @property
    def number_groups(self) -> list[str]:
        """The safety number's 6 groups of 5 digits, to read aloud one at a time."""
        return self.safety_number.split()


@dataclass
class ColleagueCard:
    """A colleague's card being checked: pasted text or a file, then the safety number."""

    checked: CheckedCard | None = None
    problem: str = ""
    detail: str = ""  # English detail of the problem (the card error, the OS error)
    error: BaseException | None = None  # the typed error, for its translated sentence

    def _fail(self, code: str, error: BaseException | None = None) -> str:
        self.checked, self.problem, self.error = None, code, error
        self.detail = str(error) if error is not None else ""
        return code

    def read_text(self, text: str) -> str:
        """Check a pasted card; "" when it is a colleague's valid card, else a problem code."""
        if not text.strip():
            return self._fail(CARD_REQUIRED)
        if CARD_HEADER not in text:
            return self._fail(NOT_A_CARD)
        try:
            mine = identity_store.load()
        except (identity_store.IdentityError, OSError) as exc:
            return self._fail(IDENTITY_DAMAGED, exc)
        if mine is None:
            return self._fail(NO_IDENTITY)
        try:
            theirs = parse_card(text)
        except InvalidCard as exc:
            return self._fail(CARD_ALTERED, exc)
        if theirs.identity_id == mine.identity_id:
            return self._fail(OWN_CARD)
        self.checked = CheckedCard(theirs, safety_number(mine.public, theirs))
        self.problem, self.detail, self.error = "", "", None
        return ""

    def read_file(self, path: Path) -> tuple[str, str]:
        """Check the card in a file: (problem code or "", the text read, to show)."""
        try:
            with path.open("rb") as src:
                data = src.read(MAX_CARD_FILE_BYTES + 1)
        except OSError as exc:
            return self._fail(CARD_UNREADABLE, exc), ""
        if len(data) > MAX_CARD_FILE_BYTES:
            return self._fail(NOT_A_CARD), ""
        text = data.decode("utf-8", errors="replace")
        return self.read_text(text), text
