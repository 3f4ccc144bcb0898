################################################################
# Which names a file system can hold
################################################################
#
# Rule: every rule about what makes a vault path unusable on some disk lives
# in this file, in the tables below. The planner asks check_names() (that is
# check_name() of many paths at once) about every path before it plans
# anything for it; a path with a reason is reported, never written, never
# turned into a delete (docs/ARCHITECTURE.md section 4, rule 7).
#
# Theory of operation
# ===================
#
# A vault path is relative, Unicode NFC, with "/" between segments. The same
# vault is synced to Linux, macOS and Windows disks, so a path that one device
# wrote may be impossible on another. The traits of the disk (FsTraits) are
# passed in, never probed here: this module does no I/O and imports nothing
# from the OS, so a test can ask "would this work on Windows?" anywhere.
#
# Checks come in two tables: PATH_RULES look at the whole path (empty,
# absolute, NUL, not NFC), SEGMENT_RULES look at each "/"-separated segment
# ("." and "..", length in UTF-8 bytes, and the Windows rules: reserved device
# names with or without an extension, trailing dot or space, the characters
# <>:"|?*\ and control characters). The first rule that matches gives the
# reason, a NameProblem kind with the segment as `name` (app/messages.py words
# it for a person): path rules first, then each segment in turn. A check picks
# the rules that apply to the disk once; check_names()
# also checks each folder only once for all the paths in it.
#
# Case: on a case-insensitive disk two vault paths clash when their
# case_key() is equal (casefolded and NFC, so "É" and "é", "STRASSE" and
# "straße" clash like the disk says they do). The planner decides which of
# them is materialised; this module only computes the key.
#
# Symlinks: a link whose target is absolute or climbs above the vault root
# would lead outside the folder; check_symlink_target() reports it.
#
# Decomposed names (NFD, as macOS and Mac-made archives write them): a vault
# path is NFC, so a name found on disk in another form is renamed on disk to
# its NFC spelling and then synced, as Syncthing's autoNormalize does.
# nfc_renames() decides it for one folder's names: rename when the NFC
# spelling is free (no sibling holds it exactly, or by case on a
# case-insensitive disk, and no other sibling normalises to it); otherwise
# it is a real clash, reported with what the person can do.

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from crypto.reason import Reason

__all__ = [
    "LINUX",
    "MACOS",
    "PATH_RULES",
    "SEGMENT_RULES",
    "WINDOWS",
    "WINDOWS_RESERVED_NAMES",
    "FsTraits",
    "NameProblem",
    "case_key",
    "check_name",
    "check_names",
    "check_symlink_target",
    "nfc_renames",
    "normalise_path",
]


@dataclass(frozen=True, slots=True)
class FsTraits:
    """What the local file system can hold. Given by the caller, never probed here."""

    case_insensitive: bool
    windows: bool
    max_name_bytes: int = 255


LINUX = FsTraits(case_insensitive=False, windows=False)
MACOS = FsTraits(case_insensitive=True, windows=False)
WINDOWS = FsTraits(case_insensitive=True, windows=True)

WINDOWS_RESERVED_NAMES: frozenset[str] = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"com{d}" for d in "123456789¹²³"]
    + [f"lpt{d}" for d in "123456789¹²³"]
)
_WINDOWS_FORBIDDEN = frozenset('<>:"|?*\\') | frozenset(chr(c) for c in range(1, 32))


def _windows_reserved(segment: str) -> bool:
    # Windows ignores the extension and trailing spaces: "con.txt", "CON .x".
    return segment.split(".", 1)[0].rstrip(" ").casefold() in WINDOWS_RESERVED_NAMES


class NameProblem(StrEnum):
    """Why a path cannot be held or synced (worded for a person in app/messages.py)."""

    EMPTY_PATH = "name.empty_path"
    ABSOLUTE = "name.absolute"
    NUL = "name.nul"
    NOT_NFC = "name.not_nfc"
    EMPTY_SEGMENT = "name.empty_segment"
    DOT_SEGMENT = "name.dot_segment"  # name
    TOO_LONG = "name.too_long"  # name
    BACKSLASH = "name.backslash"  # name
    WINDOWS_CHARACTER = "name.windows_character"  # name
    WINDOWS_RESERVED = "name.windows_reserved"  # name
    WINDOWS_TRAILING = "name.windows_trailing"  # name
    NOT_UTF8 = "name.not_utf8"  # seen on disk: the name is not valid UTF-8
    NFD = "name.nfd"  # seen on disk: decomposed Unicode (renamed to NFC when its spelling is free)
    NFC_CLASH = "name.nfc_clash"  # name: another item is spelt the same once composed (NFC)
    CASE_CLASH = "name.case_clash"  # other: the path it clashes with (case-insensitive disk)
    CASE_PARENT = "name.case_parent"  # folder: a folder above, not synced here (letter case)
    LINK_INVALID = "name.link_invalid"
    LINK_ABSOLUTE = "name.link_absolute"
    LINK_OUTSIDE = "name.link_outside"
    NOT_SEEN = "name.not_seen"  # unreadable or changing this round: left alone below it
    SPECIAL_FILE = "name.special_file"  # detail: what it is (a pipe, a device...), in English


# (applies(traits), matches(path), reason)
PATH_RULES: tuple[tuple[Callable[[FsTraits], bool], Callable[[str], bool], NameProblem], ...] = (
    (lambda t: True, lambda p: p == "", NameProblem.EMPTY_PATH),
    (lambda t: True, lambda p: p.startswith("/"), NameProblem.ABSOLUTE),
    (lambda t: True, lambda p: "\x00" in p, NameProblem.NUL),
    (lambda t: True, lambda p: unicodedata.normalize("NFC", p) != p, NameProblem.NOT_NFC),
)

# (applies(traits), matches(segment, traits), reason; the segment is its `name`)
SEGMENT_RULES: tuple[
    tuple[Callable[[FsTraits], bool], Callable[[str, FsTraits], bool], NameProblem], ...
] = (
    (lambda t: True, lambda s, t: s == "", NameProblem.EMPTY_SEGMENT),
    (lambda t: True, lambda s, t: s in (".", ".."), NameProblem.DOT_SEGMENT),
    (
        lambda t: True,
        lambda s, t: len(s.encode("utf-8")) > t.max_name_bytes,
        NameProblem.TOO_LONG,
    ),
    (lambda t: t.windows, lambda s, t: "\\" in s, NameProblem.BACKSLASH),
    (
        lambda t: t.windows,
        lambda s, t: not _WINDOWS_FORBIDDEN.isdisjoint(s),
        NameProblem.WINDOWS_CHARACTER,
    ),
    (lambda t: t.windows, lambda s, t: _windows_reserved(s), NameProblem.WINDOWS_RESERVED),
    (lambda t: t.windows, lambda s, t: s.endswith((".", " ")), NameProblem.WINDOWS_TRAILING),
)


def check_name(path: str, traits: FsTraits) -> Reason | None:
    """None if this disk can hold `path`, else why not."""
    path_rules, segment_rules = _rules_for(traits)
    for matches, kind in path_rules:
        if matches(path):
            return Reason.of(kind)
    for segment in path.split("/"):
        found = _check_segment(segment, traits, segment_rules)
        if found is not None:
            return found
    return None


def check_names(paths: Iterable[str], traits: FsTraits) -> dict[str, Reason]:
    """check_name() of many paths: {path: reason} for each one this disk cannot hold.

    The same answers, sooner: each folder is checked once for all the paths in it.
    """
    path_rules, segment_rules = _rules_for(traits)
    folders: dict[str, Reason | None] = {}  # folder -> why one of its segments fails
    out: dict[str, Reason] = {}
    for path in paths:
        for matches, kind in path_rules:
            if matches(path):
                out[path] = Reason.of(kind)
                break
        else:
            folder, slash, name = path.rpartition("/")
            found = None
            if slash:
                if folder in folders:
                    found = folders[folder]
                else:
                    found = folders[folder] = _check_segments(folder, traits, segment_rules)
            if found is None:
                found = _check_segment(name, traits, segment_rules)
            if found is not None:
                out[path] = found
    return out


_PathRules: TypeAlias = list[tuple[Callable[[str], bool], NameProblem]]
_SegmentRules: TypeAlias = list[tuple[Callable[[str, FsTraits], bool], NameProblem]]
_RULES_FOR: dict[FsTraits, tuple[object, object, _PathRules, _SegmentRules]] = {}


def _rules_for(traits: FsTraits) -> tuple[_PathRules, _SegmentRules]:
    """The rules of both tables that apply to this disk, in table order (remembered)."""
    known = _RULES_FOR.get(traits)
    if known is None or known[0] is not PATH_RULES or known[1] is not SEGMENT_RULES:
        path_rules = [(m, r) for applies, m, r in PATH_RULES if applies(traits)]
        segment_rules = [(m, r) for applies, m, r in SEGMENT_RULES if applies(traits)]
        if len(_RULES_FOR) >= 16:
            _RULES_FOR.clear()
        known = _RULES_FOR[traits] = (PATH_RULES, SEGMENT_RULES, path_rules, segment_rules)
    return known[2], known[3]


def _check_segment(segment: str, traits: FsTraits, rules: _SegmentRules) -> Reason | None:
    for matches, kind in rules:
        if matches(segment, traits):
            return Reason.of(kind, name=segment)
    return None


def _check_segments(folder: str, traits: FsTraits, rules: _SegmentRules) -> Reason | None:
    for segment in folder.split("/"):
        found = _check_segment(segment, traits, rules)
        if found is not None:
            return found
    return None


def check_symlink_target(path: str, target: str) -> Reason | None:
    """None if the link at `path` stays inside the vault, else why it is refused."""
    if target == "" or "\x00" in target:
        return Reason.of(NameProblem.LINK_INVALID)
    if target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        return Reason.of(NameProblem.LINK_ABSOLUTE)
    depth = path.count("/")  # segments of the directory holding the link
    for part in target.replace("\\", "/").split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return Reason.of(NameProblem.LINK_OUTSIDE)
        elif part not in ("", "."):
            depth += 1
    return None


def normalise_path(path: str, *, windows: bool = False) -> str:
    """The vault spelling of a path: NFC, '/' between segments.

    A backslash is a separator only on Windows; elsewhere it is a legal
    character of a name and stays (check_name reports it for Windows disks).
    """
    if windows:
        path = path.replace("\\", "/")
    return unicodedata.normalize("NFC", path)


def case_key(path: str) -> str:
    """Equal for two paths a case-insensitive disk takes for the same one."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


@dataclass(frozen=True, slots=True)
class NfcDecision:
    """For one folder: names to rename on disk (name -> NFC name), and clashes (name -> why)."""

    renames: dict[str, str]
    clashes: dict[str, Reason]


def nfc_renames(names_in_folder: Iterable[str], traits: FsTraits) -> NfcDecision:
    """Which of a folder's non-NFC names can take their NFC spelling on disk."""
    present = list(names_in_folder)
    taken_exact = set(present)
    taken_case = {case_key(n) for n in present if unicodedata.is_normalized("NFC", n)}
    wanted: dict[str, list[str]] = {}
    for name in present:
        if not unicodedata.is_normalized("NFC", name):
            wanted.setdefault(unicodedata.normalize("NFC", name), []).append(name)
    renames: dict[str, str] = {}
    clashes: dict[str, Reason] = {}
    for nfc, sources in wanted.items():
        free = nfc not in taken_exact and not (
            traits.case_insensitive and case_key(nfc) in taken_case
        )
        if free and len(sources) == 1:
            reason = check_name(nfc, traits)
            if reason is None:
                renames[sources[0]] = nfc
            else:
                clashes[sources[0]] = reason
            continue
        for name in sources:
            clashes[name] = Reason.of(NameProblem.NFC_CLASH, name=nfc)
    return NfcDecision(renames, clashes)
