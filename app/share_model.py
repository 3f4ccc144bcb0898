"""The "Share…" dialog of a folder, without widgets: who shares it, and what changing that means.

`ShareModel` sits over `app.members.MembersService` (one bound folder): it
lists the members with their role and devices, reads a colleague's card to
add (pasted or from a file, through `app.identity_model.ColleagueCard`, so the
checks and the safety number are exactly those of "Verify a colleague"),
adds them with the fingerprint the person saw (the service refuses a card
swapped in between), changes a role, removes a member or a device.

What a removal cannot undo is spelled out before it is confirmed
(`removal_consequences`): revocation starts a new key that the removed person
never gets, but it cannot take back what they already downloaded, nor the
older keys they held (unless the files are re-encrypted), nor their access to
the storage itself (their storage credentials must be withdrawn), nor the
vault's passphrase if they knew it (it must be changed). The GUI words these
codes (app/gui/views/share_dialog.py).

`MembershipWatch` compares two listings of the same folder: who joined, who
left, and this person's own role (the folder card's read-only badge).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crypto.identity import normalise_fingerprint

from .identity_model import ColleagueCard
from .identity_store import StoredIdentity
from .members import ROLES, CardPreview, MemberRow, MembersError, MembersService, RemoveReport

OWNER, EDITOR, READER = ROLES  # most rights first: the order the role menus show
ADDABLE_ROLES = (EDITOR, READER)  # a new member is never made owner at once: a role change does
QR_SCHEME = "coffre:identity"
# The members are listed again after a sync round at most this often (one LIST of the
# store's members/ and the new entries): joins and departures are announced within it.
MEMBERS_CHECK_S = 60.0


class Consequence(enum.Enum):
    """What a removal does and does not do; the dialog words each one."""

    NEW_KEY = "new_key"  # files changed from now on are sealed under a key they never get
    KEEPS_DOWNLOADED = "keeps_downloaded"  # what they downloaded stays on their computers
    OLD_FILES_READABLE = "old_files_readable"  # the older keys they held still open old files
    REENCRYPTED = "reencrypted"  # re-encrypt: old files sealed again under the new key
    WITHDRAW_CREDENTIALS = "withdraw_credentials"  # the storage account still lets them in
    CHANGE_PASSPHRASE = "change_passphrase"  # the passphrase opens every key: change it


def removal_consequences(*, reencrypt: bool) -> tuple[Consequence, ...]:
    """What removing a member or a device means, in the order to read it.

    The same list whether or not the person is trusted: revocation is about what a
    removed key can still do, so every limit is said every time. A device is removed
    without re-encryption (the command line's `members remove-device` has none).
    """
    return (
        Consequence.NEW_KEY,
        Consequence.KEEPS_DOWNLOADED,
        Consequence.REENCRYPTED if reencrypt else Consequence.OLD_FILES_READABLE,
        Consequence.WITHDRAW_CREDENTIALS,
        Consequence.CHANGE_PASSPHRASE,
    )


def identity_uri(stored: StoredIdentity) -> str:
    """What the QR code in Settings holds: the identity id and the fingerprint, compact.

    Not the card: its post-quantum keys (about 9 KB) are far beyond a QR code a
    phone reads; a colleague's phone checks the fingerprint of the card they received.
    """
    fingerprint = normalise_fingerprint(stored.fingerprint)
    return f"{QR_SCHEME}?id={stored.identity_id.hex()}&fp={fingerprint}"


def identity_qr_png(stored: StoredIdentity, scale: int = 5) -> bytes:
    """The QR code of `identity_uri(stored)` as PNG bytes (segno writes PNG without Pillow)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(identity_uri(stored), error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass
class ShareModel:
    """One folder's members as the "Share…" dialog shows and changes them."""

    service: MembersService | None = None  # None until the folder's service is opened
    members: list[MemberRow] = field(default_factory=list)
    my_role: str = ""
    loaded: bool = False
    card: ColleagueCard = field(default_factory=ColleagueCard)  # the card being added
    card_text: str = ""
    preview: CardPreview | None = None  # what the folder's log says of the card read
    add_role: str = EDITOR

    # --- reading -------------------------------------------------------------------------

    @property
    def _service(self) -> MembersService:
        if self.service is None:
            raise ValueError("the folder's members service is not open")
        return self.service

    async def load(self) -> list[MemberRow]:
        """List the members (owners first, then by name, as the service sorts them) and
        this person's role."""
        self.members = await self._service.list()
        self.my_role = self._service.my_role
        self.loaded = True
        return self.members

    def member(self, identity_id: str) -> MemberRow | None:
        return next((m for m in self.members if m.id == identity_id), None)

    @property
    def can_manage(self) -> bool:
        """Only owners add, remove and change roles (the membership log refuses the others)."""
        return self.my_role == OWNER

    @property
    def read_only(self) -> bool:
        return self.my_role == READER

    def can_change_role(self, member: MemberRow) -> bool:
        return self.can_manage and not member.me

    def can_remove(self, member: MemberRow) -> bool:
        """An owner removes others; leaving a folder oneself is not done from this dialog."""
        return self.can_manage and not member.me

    def can_remove_device(self, member: MemberRow, device_id: str) -> bool:
        """An owner removes any device but this one; a person removes their own other devices."""
        device = next((d for d in member.devices if d.id == device_id), None)
        if device is None or device.this_device:
            return False
        return self.can_manage or member.me

    def other_roles(self, member: MemberRow) -> tuple[str, ...]:
        return tuple(r for r in ROLES if r != member.role)

    # --- adding --------------------------------------------------------------------------

    def read_card_text(self, text: str) -> str:
        """Check a pasted card; "" when it is a colleague's valid card, else a problem code."""
        self.card_text = text
        return self._previewed(self.card.read_text(text))

    def read_card_file(self, path: Path) -> tuple[str, str]:
        """Check the card in a file: (problem code or "", the text read, to show)."""
        code, text = self.card.read_file(path)
        self.card_text = text
        return self._previewed(code), text

    def _previewed(self, code: str) -> str:
        """What the folder's log says of a valid card (`MembersService.preview`)."""
        self.preview = None
        if not code and self.service is not None:
            try:
                self.preview = self.service.preview(self.card_text)
            except MembersError:  # read as valid by the card checks: not expected
                self.preview = None
        return code

    @property
    def already_member(self) -> MemberRow | None:
        """The member whose card was read, if they already share this folder."""
        preview = self.preview
        if preview is None or preview.role is None:
            return None
        return self.member(preview.id)

    @property
    def same_name(self) -> MemberRow | None:
        """Another member already bearing the card's name, with other keys: their new
        identity, or a card made to pass for them. The dialog says which to check."""
        preview = self.preview
        if preview is None or preview.same_name is None:
            return None
        return self.member(preview.same_name)

    @property
    def can_add(self) -> bool:
        return (
            self.can_manage
            and self.card.checked is not None
            and self.already_member is None
            and self.add_role in ADDABLE_ROLES
        )

    async def add(self) -> MemberRow:
        """Add the colleague whose card was checked, with the fingerprint shown to the person."""
        checked = self.card.checked
        if checked is None or not self.can_add:
            raise ValueError("no colleague's card to add")
        row = await self._service.add(
            self.card_text, self.add_role, fingerprint=checked.fingerprint
        )
        self.card, self.card_text, self.preview = ColleagueCard(), "", None
        await self.load()
        return row

    # --- changing ------------------------------------------------------------------------

    async def set_role(self, identity_id: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        await self._service.set_role(identity_id, role)
        await self.load()

    async def remove(self, identity_id: str, *, reencrypt: bool) -> RemoveReport:
        report = await self._service.remove(identity_id, reencrypt=reencrypt)
        await self.load()
        return report

    async def remove_device(self, device_id: str) -> None:
        await self._service.remove_device(device_id)
        await self.load()


@dataclass(frozen=True)
class MembershipChange:
    """Someone joined or left a folder, between two listings."""

    joined: bool
    name: str
    identity_id: str


@dataclass
class MembershipWatch:
    """The members last seen in one folder; `observe` says who joined or left since.

    The first listing is the baseline: opening the app announces nobody.
    """

    interval_s: float = MEMBERS_CHECK_S
    known: dict[str, str] | None = None  # identity id -> name
    my_role: str = ""
    checked_at: float | None = None  # when the last listing was asked (monotonic seconds)

    def due(self, now: float) -> bool:
        """Whether to list the members again: at most once per `interval_s`."""
        return self.checked_at is None or now - self.checked_at >= self.interval_s

    def asked(self, now: float) -> None:
        self.checked_at = now

    def observe(self, rows: Sequence[MemberRow], my_role: str) -> list[MembershipChange]:
        self.my_role = my_role
        now = {m.id: m.name for m in rows}
        before, self.known = self.known, now
        if before is None:
            return []
        joined = [MembershipChange(True, now[i], i) for i in now if i not in before]
        left = [MembershipChange(False, before[i], i) for i in before if i not in now]
        return joined + left
