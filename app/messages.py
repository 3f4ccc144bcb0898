"""The sentences a person reads for each typed reason the engine, stores and crypto give.

The engine never writes sentences for people: errors and problems carry a
`Reason` (a kind and its parameters, crypto/reason.py). This module, free of
Qt, holds one English source sentence per kind, marked with
`QT_TRANSLATE_NOOP("Messages", ...)` so that `python -m app.gui.i18n update`
puts it in translations/messages_*.ts, where the French is written once.

- The GUI words a reason with `describe(reason, translate)` where `translate`
  is `QCoreApplication.translate("Messages", source)` (app/gui/i18n.py
  `describe`): the same catalogue, in the chosen language.
- The CLI speaks English throughout, so it calls `describe(reason)` with no
  translation: the source sentences are the English text.

A parameter a sentence needs but the reason lacks reads as empty, never as
an error; the English technical message of the original exception stays in
the `detail` parameter, shown only as a detail for support.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum

from app.members import SharingProblem
from app.policy.model import PolicyProblem
from crypto.errors import CryptoProblem
from crypto.reason import LEGACY, UNEXPECTED, Reason, reason_of
from sync_engine.core.authority import AuthorityProblem
from sync_engine.core.membership import MembershipProblem
from sync_engine.core.names import NameProblem
from sync_engine.disk.fs_errors import FsProblem
from sync_engine.stores.errors import StoreProblem
from sync_engine.vault.state import RoundProblem
from sync_engine.vault.vault_store import SetupProblem
from sync_engine.vault.witness import WitnessProblem

__all__ = [
    "CONTEXT",
    "AppProblem",
    "ReasonedError",
    "Translate",
    "action",
    "describe",
    "describe_error",
    "sources",
]

CONTEXT = "Messages"


class AppProblem(StrEnum):
    """Reasons the application's own actions give (restoring, settling a conflict)."""

    OUTSIDE_FOLDER = "app.outside_folder"  # path
    NO_HISTORY = "app.no_history"  # path
    ONLY_DELETED = "app.only_deleted"  # path
    VERSION_DELETED = "app.version_deleted"  # path
    NO_VERSION = "app.no_version"  # path
    NOT_A_FILE = "app.not_a_file"  # path
    QUARANTINE_GONE = "app.quarantine_gone"
    FOLDER_LOCKED = "app.folder_locked"
    CONFLICT_GONE = "app.conflict_gone"  # path
    CONFLICT_CHANGED = "app.conflict_changed"  # path
    KEYRING_UNAVAILABLE = "app.keyring_unavailable"  # the system keyring cannot keep secrets


class ReasonedError(Exception):
    """An error of the application with a typed reason; the message is English, for logs."""

    def __init__(self, message: str, reason: Reason | AppProblem, **params: object) -> None:
        super().__init__(message)
        self.reason = reason if isinstance(reason, Reason) else Reason.of(reason, **params)


Translate = Callable[[str], str]  # an English source sentence -> the sentence to show


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for the catalogue; translation happens where it is shown."""
    return text


def _english(text: str) -> str:
    return text


# One sentence per kind. A key "kind/value" is the sentence for that kind when its
# first parameter named in _VARIANT has that value.
SENTENCES: dict[str, str] = {
    # --- crypto --------------------------------------------------------------------------
    CryptoProblem.WRONG_PASSPHRASE: QT_TRANSLATE_NOOP(
        "Messages",
        "The passphrase or recovery key does not open this vault. Check it (upper and lower "
        "case matter) and try again.",
    ),
    CryptoProblem.INVALID_RECOVERY_KEY: QT_TRANSLATE_NOOP(
        "Messages",
        "This recovery key is not valid: a character is probably mistyped. Check it against "
        "the paper copy.",
    ),
    CryptoProblem.TAMPERED: QT_TRANSLATE_NOOP(
        "Messages",
        "Data on the storage failed its integrity check: it was modified, truncated or "
        "replaced. Nothing was written from it. Tell your IT department; your other files "
        "are untouched.",
    ),
    CryptoProblem.ROLLBACK: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage returned older data than it had already given: it may have been "
        "restored from a backup or altered. Nothing was written from it. Tell your IT "
        "department.",
    ),
    CryptoProblem.UNSUPPORTED_FORMAT: QT_TRANSLATE_NOOP(
        "Messages",
        "This vault uses a format this version of Coffre cannot read. Update Coffre.",
    ),
    CryptoProblem.DOWNGRADE: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage asks for weaker protection than this vault uses, so Coffre refused it. "
        "Tell your IT department.",
    ),
    CryptoProblem.INVALID_CARD: QT_TRANSLATE_NOOP(
        "Messages",
        "This identity card is damaged or was altered: its contents do not match its "
        "signature. Ask the person to send their card again, unchanged.",
    ),
    # --- stores --------------------------------------------------------------------------
    StoreProblem.ERROR: QT_TRANSLATE_NOOP("Messages", "The storage {url} reported an error."),
    StoreProblem.NOT_FOUND: QT_TRANSLATE_NOOP(
        "Messages",
        "Something Coffre needs is missing from the storage {url}: another device may have "
        "deleted it, or the address points to the wrong place.",
    ),
    StoreProblem.EXISTS: QT_TRANSLATE_NOOP(
        "Messages", "Something was already on the storage {url}, so it was not written again."
    ),
    StoreProblem.UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage {url} cannot be reached. Check the network connection; Coffre will try again.",
    ),
    StoreProblem.FOLDER_MISSING: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage folder {url} is missing. If it is on a network share or a removable disk, "
        "check that it is connected; Coffre will try again.",
    ),
    StoreProblem.THROTTLED: QT_TRANSLATE_NOOP(
        "Messages", "The storage {url} asked Coffre to slow down; it will try again shortly."
    ),
    StoreProblem.AUTH: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage {url} refused access. Check the credentials and access rights.",
    ),
    StoreProblem.CONFIG: QT_TRANSLATE_NOOP(
        "Messages", "The storage address {url} is not valid or not usable. Check it."
    ),
    StoreProblem.MISSING_BUCKET: QT_TRANSLATE_NOOP(
        "Messages",
        "The bucket of {url} does not exist on the server. Check its name, or ask your "
        "administrator to create it.",
    ),
    StoreProblem.TLS_UNTRUSTED: QT_TRANSLATE_NOOP(
        "Messages",
        "The certificate of the server {url} is not trusted. If your organisation uses its own "
        "certificate authority, ask your IT department for its certificate (a PEM file) and add "
        "?ca_bundle=/path/to/ca.pem to the address.",
    ),
    StoreProblem.NOT_TLS: QT_TRANSLATE_NOOP(
        "Messages",
        "The server {url} does not use an encrypted connection on this port. Check the "
        "address: webdavs:// is encrypted (HTTPS), webdav:// is not.",
    ),
    StoreProblem.FULL: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage {url} is full or its quota is used up. Free some space or ask your "
        "administrator for more.",
    ),
    StoreProblem.CLOSED: QT_TRANSLATE_NOOP(
        "Messages", "The connection to the storage {url} was closed."
    ),
    StoreProblem.PACK_MISSING: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage no longer has this file's content. Run “coffre check”, then "
        "“coffre repair” on a computer that still has the file.",
    ),
    # --- the disk ------------------------------------------------------------------------
    FsProblem.ERROR: QT_TRANSLATE_NOOP(
        "Messages", "“{path}” could not be read or written. Check the disk; Coffre will retry."
    ),
    FsProblem.ROOT_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "The synchronised folder is missing or not mounted. Check the disk; nothing was deleted.",
    ),
    FsProblem.READ_FOLDER: QT_TRANSLATE_NOOP(
        "Messages",
        "The folder “{path}” could not be read. Its contents are left alone until it can be; "
        "check its permissions.",
    ),
    FsProblem.CHANGED: QT_TRANSLATE_NOOP(
        "Messages", "“{path}” changed while it was synchronised; Coffre will look again."
    ),
    FsProblem.DISK_FULL: QT_TRANSLATE_NOOP(
        "Messages",
        "The disk is full or your quota is used up, so “{path}” was not written. Free some "
        "space; Coffre will retry.",
    ),
    "fs.disk_full+needed": QT_TRANSLATE_NOOP("Messages", "About {needed_mb} MB more are needed."),
    FsProblem.READ_ONLY: QT_TRANSLATE_NOOP(
        "Messages", "The disk is read-only, so “{path}” was not changed. Make it writable."
    ),
    FsProblem.DENIED: QT_TRANSLATE_NOOP(
        "Messages",
        "Access to “{path}” was refused. Check that your account may change it.",
    ),
    FsProblem.LOCKED: QT_TRANSLATE_NOOP(
        "Messages", "“{path}” is open in another program. Close it; Coffre will retry."
    ),
    FsProblem.NAME_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Messages", "This disk does not accept the name “{path}”. Rename it."
    ),
    # --- names ---------------------------------------------------------------------------
    NameProblem.EMPTY_PATH: QT_TRANSLATE_NOOP("Messages", "The name is empty."),
    NameProblem.ABSOLUTE: QT_TRANSLATE_NOOP("Messages", "The path is absolute."),
    NameProblem.NUL: QT_TRANSLATE_NOOP("Messages", "The name contains an invalid character."),
    NameProblem.NOT_NFC: QT_TRANSLATE_NOOP(
        "Messages", "The name is written in an unusual Unicode form."
    ),
    NameProblem.EMPTY_SEGMENT: QT_TRANSLATE_NOOP("Messages", "The path contains an empty name."),
    NameProblem.DOT_SEGMENT: QT_TRANSLATE_NOOP("Messages", "“{name}” cannot be used as a name."),
    NameProblem.TOO_LONG: QT_TRANSLATE_NOOP(
        "Messages", "“{name}” is too long for this disk. Give it a shorter name."
    ),
    NameProblem.BACKSLASH: QT_TRANSLATE_NOOP(
        "Messages", "“{name}” contains a backslash (\\), which Windows does not allow. Rename it."
    ),
    NameProblem.WINDOWS_CHARACTER: QT_TRANSLATE_NOOP(
        "Messages",
        '“{name}” contains a character Windows does not allow (< > : " | ? *). Rename it.',
    ),
    NameProblem.WINDOWS_RESERVED: QT_TRANSLATE_NOOP(
        "Messages", "“{name}” is a name reserved by Windows. Rename it."
    ),
    NameProblem.WINDOWS_TRAILING: QT_TRANSLATE_NOOP(
        "Messages", "“{name}” ends with a dot or a space, which Windows does not allow. Rename it."
    ),
    NameProblem.NOT_UTF8: QT_TRANSLATE_NOOP(
        "Messages", "The name is not valid text for Coffre. Rename it on this computer."
    ),
    NameProblem.NFD: QT_TRANSLATE_NOOP(
        "Messages",
        "The name is written in a Unicode form Coffre cannot synchronise here. Rename it "
        "(typing the name again is enough).",
    ),
    NameProblem.NFC_CLASH: QT_TRANSLATE_NOOP(
        "Messages",
        "Another item in this folder is also spelt “{name}”, with the same letters encoded "
        "differently. Rename or remove one of them.",
    ),
    NameProblem.CASE_CLASH: QT_TRANSLATE_NOOP(
        "Messages",
        "The name differs from “{other}” only by upper and lower case, and this disk cannot "
        "hold both. Rename one of them.",
    ),
    NameProblem.CASE_PARENT: QT_TRANSLATE_NOOP(
        "Messages",
        "It is inside “{folder}”, which is not synchronised here (upper and lower case).",
    ),
    NameProblem.LINK_INVALID: QT_TRANSLATE_NOOP(
        "Messages", "The link has an empty or invalid target."
    ),
    NameProblem.LINK_ABSOLUTE: QT_TRANSLATE_NOOP("Messages", "The link points outside the folder."),
    NameProblem.LINK_OUTSIDE: QT_TRANSLATE_NOOP("Messages", "The link points outside the folder."),
    NameProblem.NOT_SEEN: QT_TRANSLATE_NOOP(
        "Messages",
        "It could not be read on this disk this time, so nothing in it is synchronised "
        "until it can be.",
    ),
    NameProblem.SPECIAL_FILE: QT_TRANSLATE_NOOP(
        "Messages", "This is not an ordinary file or folder, so it cannot be synchronised."
    ),
    # --- a round -------------------------------------------------------------------------
    RoundProblem.CHANGING: QT_TRANSLATE_NOOP(
        "Messages", "It kept changing while it was read; it is synchronised once it settles."
    ),
    RoundProblem.HELD: QT_TRANSLATE_NOOP(
        "Messages",
        "Its deletion is held: many files were deleted at once. Confirm or cancel the deletion.",
    ),
    RoundProblem.JOURNAL_LOST: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage lost part of another device's changes. Tell your IT department.",
    ),
    RoundProblem.SNAPSHOT_SKIPPED: QT_TRANSLATE_NOOP(
        "Messages",
        "A summary of another device's changes could not be used; Coffre reads them one by one.",
    ),
    RoundProblem.JOURNAL_MISMATCH: QT_TRANSLATE_NOOP(
        "Messages",
        "This computer's record of its changes disagrees with the storage. Synchronisation is "
        "stopped to protect your files; tell your IT department.",
    ),
    RoundProblem.HEAD_NOT_UNDERSTOOD: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage holds a record of device {device} that this version of Coffre does "
        "not understand; its changes are still read. If it persists, tell your IT "
        "department.",
    ),
    WitnessProblem.SELF_FORK: QT_TRANSLATE_NOOP(
        "Messages",
        "Device {by} accepted a change numbered {seq} from this computer that this "
        "computer never wrote: another machine uses its identity, or the storage shows "
        "different content to different computers. Tell your IT department.",
    ),
    WitnessProblem.SELF_STALE: QT_TRANSLATE_NOOP(
        "Messages",
        "Device {by} accepted change {seq} of this computer, which only knows older "
        "ones: this computer's Coffre data was restored from an old copy. Add this "
        "folder again as a new computer (coffre join).",
    ),
    WitnessProblem.FORK: QT_TRANSLATE_NOOP(
        "Messages",
        "Device {device} has two different histories at change {seq}: device {by} "
        "accepted one, this computer the other. The storage shows different content to "
        "different computers; tell your IT department.",
    ),
    WitnessProblem.HIDDEN: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage hides the changes of device {device}, which device {by} saw up to "
        "change {seq}: data was rolled back or withheld. Tell your IT department.",
    ),
    WitnessProblem.ROLLBACK: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage shows the changes of device {device} only up to change {served}, "
        "but device {by} already accepted change {seq}: the storage rolled them back. "
        "Tell your IT department.",
    ),
    MembershipProblem.MALFORMED: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the folder's member list cannot be read; it was ignored. "
        "If it persists, tell your IT department.",
    ),
    MembershipProblem.WRONG_VAULT: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list belongs to another folder: it was copied "
        "here on the storage, and ignored. Tell your IT department.",
    ),
    MembershipProblem.OUT_OF_ORDER: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list was copied from another place in the list; "
        "it was ignored. Tell your IT department.",
    ),
    MembershipProblem.BROKEN_CHAIN: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list does not follow the entries before it (one "
        "was removed or replaced on the storage); it was ignored. Tell your IT department.",
    ),
    MembershipProblem.FORK: QT_TRANSLATE_NOOP(
        "Messages",
        "The member list on the storage differs from the one this computer already "
        "accepted at entry {position}: the storage shows different lists to different "
        "computers. Nothing was changed; tell your IT department.",
    ),
    MembershipProblem.ROLLBACK: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage shows the member list only up to entry {served}, but this computer "
        "already accepted entry {pinned}: the list was rolled back. Nothing was changed; "
        "tell your IT department.",
    ),
    MembershipProblem.MISSING: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list is missing from the storage; what depends on "
        "it was ignored. Tell your IT department.",
    ),
    MembershipProblem.NO_CREATION: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list is not where a member list can start or "
        "restart; it was ignored. Tell your IT department.",
    ),
    MembershipProblem.UNKNOWN_SIGNER: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list was signed by a device that is not (or no "
        "longer) a member's; it was ignored.",
    ),
    MembershipProblem.NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list was written by a member whose role does not "
        "allow it (only owners add or remove members, change roles and renew keys); it was "
        "ignored.",
    ),
    "members.not_allowed/add_device": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list adds a device to another member's account "
        "(each member adds their own devices); it was ignored.",
    ),
    "members.not_allowed/remove_device": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list removes another member's device without being "
        "an owner; it was ignored.",
    ),
    MembershipProblem.BAD_SIGNATURE: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list has a signature that does not verify: it "
        "was forged or altered on the storage, and ignored. Tell your IT department.",
    ),
    MembershipProblem.BAD_CERTIFICATE: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list adds a device its owner did not certify; "
        "it was ignored. Tell your IT department.",
    ),
    MembershipProblem.NOT_APPLICABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list does not apply to the list as it stands; it "
        "was ignored.",
    ),
    "members.not_applicable/creator_not_owner": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list creates the list without making its creator "
        "an owner; it was ignored.",
    ),
    "members.not_applicable/identity_mismatch": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list carries keys that are not those of the person "
        "it names; it was ignored. Tell your IT department.",
    ),
    "members.not_applicable/already_member": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list adds someone who is already a member; it was ignored.",
    ),
    "members.not_applicable/not_member": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list is about someone who is not a member; it was ignored.",
    ),
    "members.not_applicable/same_role": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list gives a member the role they already have; it "
        "was ignored.",
    ),
    "members.not_applicable/device_reused": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list adds a device already used in this folder (a "
        "removed device cannot come back); it was ignored.",
    ),
    "members.not_applicable/not_their_device": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list removes a device that is not a current device "
        "of the member it names; it was ignored.",
    ),
    "members.not_applicable/cut_mismatch": QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list does not name exactly the devices it "
        "concerns; it was ignored.",
    ),
    MembershipProblem.LAST_OWNER: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list would leave the folder without an owner; "
        "it was ignored.",
    ),
    MembershipProblem.WRONG_EPOCH: QT_TRANSLATE_NOOP(
        "Messages",
        "Entry {position} of the member list names key generation {found} instead of "
        "{expected}; it was ignored.",
    ),
    MembershipProblem.CONTENDED: QT_TRANSLATE_NOOP(
        "Messages",
        "Other members changed the member list {attempts} times while this change was "
        "being written; nothing was written. Try again.",
    ),
    # --- sharing a folder (app/members.py) ---------------------------------------------------
    SharingProblem.INVALID_CARD: QT_TRANSLATE_NOOP(
        "Messages",
        "This identity card is damaged or was altered, so nobody was added. Ask its owner to "
        "send it again, unchanged.",
    ),
    SharingProblem.FINGERPRINT_MISMATCH: QT_TRANSLATE_NOOP(
        "Messages",
        "The card of {name} has the fingerprint {fingerprint}, not {given}: it is not the "
        "card you expected, and nobody was added. Ask the person for their card again, in "
        "person or by phone.",
    ),
    SharingProblem.BAD_ROLE: QT_TRANSLATE_NOOP(
        "Messages", "“{role}” is not a role: choose owner, editor or reader."
    ),
    SharingProblem.NOT_OWNER: QT_TRANSLATE_NOOP(
        "Messages",
        "Only an owner of this folder can change its members; nothing was changed. Ask an "
        "owner (see the list of members).",
    ),
    SharingProblem.UNKNOWN_MEMBER: QT_TRANSLATE_NOOP(
        "Messages", "No member of this folder is “{id}”: see the list of members."
    ),
    SharingProblem.UNKNOWN_DEVICE: QT_TRANSLATE_NOOP(
        "Messages", "No current device of this folder is “{id}”: see the list of members."
    ),
    SharingProblem.AMBIGUOUS: QT_TRANSLATE_NOOP(
        "Messages", "“{id}” names several members or devices: give the whole id."
    ),
    SharingProblem.ALREADY_MEMBER: QT_TRANSLATE_NOOP(
        "Messages",
        "{name} is already a member of this folder; nothing was changed. To give them "
        "another role, change their role.",
    ),
    SharingProblem.SAME_ROLE: QT_TRANSLATE_NOOP(
        "Messages", "{name} already has the role {role}; nothing was changed."
    ),
    SharingProblem.LAST_OWNER: QT_TRANSLATE_NOOP(
        "Messages",
        "This would leave the folder without an owner; nothing was changed. Make another "
        "member an owner first.",
    ),
    SharingProblem.NOT_SHARED: QT_TRANSLATE_NOOP(
        "Messages",
        "This folder has no list of members yet: it was made by an older Coffre. Open it "
        "once with its passphrase to bring it up to date.",
    ),
    SharingProblem.NO_DEVICE_KEYS: QT_TRANSLATE_NOOP(
        "Messages",
        "This computer's keys for the folder are not available, so it cannot sign a change "
        "to the members. Open the folder with its passphrase (or your identity) first.",
    ),
    SharingProblem.NO_EPOCH_KEYS: QT_TRANSLATE_NOOP(
        "Messages",
        "The folder's keys are not open on this computer, so the members cannot be changed. "
        "Unlock the folder first.",
    ),
    SharingProblem.REENCRYPT_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "Rewriting the older files under a new key is not available in this version of "
        "Coffre; nothing was changed. Remove the member without it.",
    ),
    SharingProblem.NOT_ADDED: QT_TRANSLATE_NOOP(
        "Messages",
        "No owner has added your identity to this folder yet. Send them your identity card "
        "and compare the safety number with them; then join again.",
    ),
    # --- write authority: a device's changes not applied (sync_engine/core/authority.py) ---
    AuthorityProblem.UNSIGNED: QT_TRANSLATE_NOOP(
        "Messages",
        "Change {seq} of device {device} carries no signature and comes after this folder "
        "moved to the current format; it was not applied. An old Coffre or the folder's "
        "old key may still be in use: tell your IT department.",
    ),
    AuthorityProblem.POSITION_AHEAD: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device {device} rely on a newer member list than this computer has "
        "read; they will be applied once it has read it.",
    ),
    AuthorityProblem.EPOCH_AHEAD: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device {device} use key generation {epoch}, newer than this computer "
        "knows; they will be applied once it has read the newer member list.",
    ),
    AuthorityProblem.UNKNOWN_DEVICE: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device {device} were not applied: no member of this folder added that "
        "device. Tell your IT department.",
    ),
    AuthorityProblem.REMOVED_DEVICE: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device “{name}” were not applied: that device had been removed from "
        "the folder.",
    ),
    AuthorityProblem.NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device “{name}” were not applied: the person it belongs to could only "
        "read this folder when they were made.",
    ),
    AuthorityProblem.STALE_EPOCH: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device “{name}” were not applied: they were sealed with an old key "
        "(generation {epoch} instead of {expected} or later), which removed members may "
        "still hold.",
    ),
    AuthorityProblem.PAST_CUT: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes of device “{name}” after its change {cut} were not applied: entry "
        "{position} of the member list removed that device or took away its right to "
        "change files.",
    ),
    PolicyProblem.BROKEN: QT_TRANSLATE_NOOP(
        "Messages",
        "The organisation's policy ({source}) cannot be used: {problems}. "
        "Synchronisation stays stopped until your IT department fixes it.",
    ),
    PolicyProblem.NO_PERSONAL_VAULT: QT_TRANSLATE_NOOP(
        "Messages",
        "The organisation's policy forbids creating a vault of your own. Ask your IT department.",
    ),
    PolicyProblem.STORE_FORBIDDEN: QT_TRANSLATE_NOOP(
        "Messages",
        "The organisation's policy forbids syncing with {address}; allowed: {allowed}. "
        "Ask your IT department.",
    ),
    RoundProblem.WATCHER_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "Changes in this folder cannot be watched, so Coffre looks for them every few minutes.",
    ),
    RoundProblem.READ_ONLY: QT_TRANSLATE_NOOP(
        "Messages",
        "Not synced: read-only. You are a reader of this vault, so your change stays on "
        "this computer only; ask an owner to make you an editor to share it.",
    ),
    RoundProblem.DEVICE_REMOVED: QT_TRANSLATE_NOOP(
        "Messages",
        "This computer was removed from the vault, so this folder no longer syncs. Nothing "
        "was deleted here; ask an owner to add it again if this is a mistake.",
    ),
    RoundProblem.PERSON_REMOVED: QT_TRANSLATE_NOOP(
        "Messages",
        "An owner removed you from this vault, so this folder no longer syncs. Nothing "
        "was deleted on this computer.",
    ),
    RoundProblem.NOT_A_MEMBER: QT_TRANSLATE_NOOP(
        "Messages",
        "This computer is not yet in the vault's member list, so it cannot sync. Join the "
        "vault again from this computer (coffre join).",
    ),
    # --- setting up a vault --------------------------------------------------------------
    "setup.not_empty/vault": QT_TRANSLATE_NOOP(
        "Messages",
        "{url} already holds a Coffre vault. Join it instead of creating a new one.",
    ),
    SetupProblem.NOT_EMPTY: QT_TRANSLATE_NOOP(
        "Messages",
        "{url} already contains files. A new vault needs an empty location.",
    ),
    SetupProblem.CREATED_MEANWHILE: QT_TRANSLATE_NOOP(
        "Messages",
        "Another computer created a vault here at the same moment. Join that vault instead.",
    ),
    SetupProblem.NO_VAULT: QT_TRANSLATE_NOOP(
        "Messages",
        "There is no Coffre vault at {url}. Check the address, or create a new vault.",
    ),
    SetupProblem.OTHER_VAULT: QT_TRANSLATE_NOOP(
        "Messages",
        "The storage now holds another vault than the one this folder was set up with. Check "
        "the storage address; nothing was changed.",
    ),
    SetupProblem.DEVICE_KEYS_LOST: QT_TRANSLATE_NOOP(
        "Messages",
        "This computer's own keys for the folder are gone (the system keyring was reset, or "
        "its key file deleted), so it cannot sign its changes. Add the folder again as a new "
        "computer, and ask an owner to remove the old one.",
    ),
    SetupProblem.CACHED_KEY_REJECTED: QT_TRANSLATE_NOOP(
        "Messages", "The vault's remembered key no longer opens it. Type the passphrase again."
    ),
    # --- the application's own actions ------------------------------------------------------
    AppProblem.OUTSIDE_FOLDER: QT_TRANSLATE_NOOP(
        "Messages", "“{path}” is not inside the synchronised folder."
    ),
    AppProblem.NO_HISTORY: QT_TRANSLATE_NOOP("Messages", "“{path}” has no history in this vault."),
    AppProblem.ONLY_DELETED: QT_TRANSLATE_NOOP(
        "Messages", "“{path}” was only ever deleted: there is nothing to restore."
    ),
    AppProblem.VERSION_DELETED: QT_TRANSLATE_NOOP(
        "Messages", "This version of “{path}” is a deletion: choose another one."
    ),
    AppProblem.NO_VERSION: QT_TRANSLATE_NOOP("Messages", "“{path}” has no such version."),
    AppProblem.NOT_A_FILE: QT_TRANSLATE_NOOP("Messages", "This version of “{path}” is not a file."),
    AppProblem.KEYRING_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "Messages",
        "The system keyring cannot be used (locked, missing or refused). Unlock it, or give "
        "the storage credentials in the environment.",
    ),
    AppProblem.QUARANTINE_GONE: QT_TRANSLATE_NOOP(
        "Messages", "This item is not in the quarantine any more."
    ),
    AppProblem.FOLDER_LOCKED: QT_TRANSLATE_NOOP("Messages", "Unlock the folder first."),
    AppProblem.CONFLICT_GONE: QT_TRANSLATE_NOOP(
        "Messages",
        "“{path}” is not in the folder any more; wait for the next sync and try again.",
    ),
    AppProblem.CONFLICT_CHANGED: QT_TRANSLATE_NOOP(
        "Messages",
        "“{path}” changed since the conflict was shown; nothing was changed. Look at the "
        "conflict again.",
    ),
    # A problem an older Coffre stored as English text: the CLI shows that text; the
    # app says where it comes from (the next round replaces it).
    LEGACY: QT_TRANSLATE_NOOP("Messages", "{detail}"),
    # --- anything else -------------------------------------------------------------------
    UNEXPECTED: QT_TRANSLATE_NOOP(
        "Messages",
        "Something unexpected went wrong. Try again; if it persists, give the details below "
        "to your IT department.",
    ),
}

# Kinds worded differently by the value of one parameter: kind -> that parameter.
_VARIANT: dict[str, str] = {
    SetupProblem.NOT_EMPTY: "holds",
    MembershipProblem.NOT_APPLICABLE: "why",
    MembershipProblem.NOT_ALLOWED: "entry",
}

# What a person can do, next to a folder's error state (by the start of the kind).
ACTIONS: dict[str, str] = {
    StoreProblem.AUTH: QT_TRANSLATE_NOOP(
        "Messages", "Check the storage credentials and access rights, then choose Sync now."
    ),
    StoreProblem.FULL: QT_TRANSLATE_NOOP(
        "Messages", "Free space on the storage or raise its quota, then choose Sync now."
    ),
    StoreProblem.CONFIG: QT_TRANSLATE_NOOP(
        "Messages", "Check the storage address in the folder's settings."
    ),
    StoreProblem.MISSING_BUCKET: QT_TRANSLATE_NOOP(
        "Messages", "Check the storage address in the folder's settings."
    ),
    "crypto.": QT_TRANSLATE_NOOP(
        "Messages", "The storage returned altered data; contact your IT department before going on."
    ),
    "fs.": QT_TRANSLATE_NOOP(
        "Messages",
        "Check that the folder exists and is accessible (disk connected, permissions).",
    ),
    "": QT_TRANSLATE_NOOP(
        "Messages",
        "Choose Sync now to try again; if it persists, tell your IT department.",
    ),
}


class _Params(dict[str, str]):
    """Format parameters where a missing one reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _sentence(reason: Reason) -> str:
    variant = _VARIANT.get(reason.kind)
    if variant is not None:
        specific = SENTENCES.get(f"{reason.kind}/{reason.param(variant)}")
        if specific is not None:
            return specific
    return SENTENCES.get(reason.kind, SENTENCES[UNEXPECTED])


def describe(reason: Reason, translate: Translate = _english) -> str:
    """The sentence for `reason`, in the language `translate` gives (English by default)."""
    params = _Params(reason.params)
    text = translate(_sentence(reason)).format_map(params)
    if reason.kind == FsProblem.DISK_FULL and params["needed_mb"]:
        text += " " + translate(SENTENCES["fs.disk_full+needed"]).format_map(params)
    return text


def describe_error(exc: BaseException, translate: Translate = _english) -> str:
    """The sentence for an exception: its reason's, or the unexpected-error one."""
    return describe(reason_of(exc), translate)


def action(reason: Reason, translate: Translate = _english) -> str:
    """What a person can do about a folder stopped by `reason`."""
    kind = reason.kind
    for prefix in (kind, kind.split(".", 1)[0] + ".", ""):
        if prefix in ACTIONS:
            return translate(ACTIONS[prefix])
    return ""  # pragma: no cover - "" is always in ACTIONS


def sources() -> Mapping[str, str]:
    """Every source sentence by its key (kinds, variants, actions): for tests."""
    out = dict(SENTENCES)
    out.update({f"action:{k}": v for k, v in ACTIONS.items()})
    return out
