################################################################
# The merge: all devices' versions -> one tree
################################################################
#
# Rule 1: every rule that decides what a path holds in the merged vault lives
# in this file. Rule 2: the merge is a pure function of the *set* of versions
# it is given. It does not know which device runs it, in what order segments
# arrived, or what the disk holds; so any two devices that have read the
# same versions compute exactly the same MergedTree (docs/SYNC.md section 2).
#
# Theory of operation
# ===================
#
# 1. Deduplicate by VersionId. The same id with two different bodies is a
#    corrupt or forged journal: merge() raises instead of picking one.
#
# 2. Per path, the heads are the versions that no other version *of that
#    path* supersedes. Supersedes-ids that name unknown versions (not read
#    yet, or at another path) are ignored. If supersession forms a cycle,
#    which honest devices cannot produce, every version of the path is a head.
#
# 3. The heads of a path are resolved by PATH_RULES, in order:
#      no live head (all tombstones)   -> the path is deleted
#      live heads, one content         -> that content; no conflict
#      a directory among live heads    -> the directory keeps the path
#      live heads, several contents    -> the content of the most recent head
#                                          wins: greatest (hlc, device id,
#                                          counter); each other content loses
#    Tombstone heads never win against content: an edit beats a delete.
#    "Content" is model.content_key: equal content is never a conflict.
#    The representative of a content is its most recent head; the heads of
#    the winning content plus the tombstone heads are the entry's `heads`
#    (what an ordinary edit supersedes), the other live heads its `losers`.
#
# 4. Implicit directories. Every proper ancestor of a live path must be a
#    directory. An ancestor that is deleted or has no version at all becomes
#    an implicit directory (version None): a file created in a directory
#    another device deleted brings the directory back. An ancestor whose
#    winner is a file or symlink becomes an implicit directory too, and the
#    file loses, exactly as "a directory and a file at one path" does.
#
# 5. Conflict copies. Paths are visited in sorted order, each path's losing
#    contents from the most recent loser down. A loser is named by
#    conflict_copy_name() from the original name, the loser's device name and
#    the UTC time of the loser's hlc:
#        "report (conflict laptop-2 2026-11-28 101530).odt"
#    The word is in the vault's language, fixed at its creation (the vault
#    header's `language`, given to merge() by the caller, never read here), so
#    every device names the copy alike: CONFLICT_WORDS, English when unknown:
#        "compte-rendu (conflit portable-mission 2026-12-04 190556).txt"
#    then "... 101530 2).odt", " 3)" and so on while the name is taken. A name
#    is taken by any entry of the tree (real, implicit or an earlier copy),
#    except that a real entry holding the loser's very content *is* the copy
#    already (a device wrote the resolution and we have read that part of it
#    first). A virtual copy appears in `entries` at its copy path, with the
#    loser as its version and copy_of = the original path, so every device
#    plans the same copy.
#
# 6. Resolution (written by the planner/executor, not here): a version of the
#    copy path with the loser's content, then a version of the original path
#    with the winner's content superseding heads | losers. After that the
#    path has one head and the copy is a real entry, at the same paths with
#    the same content, so the tree a person sees does not move. Two devices
#    writing it at once write equal content at both paths: not a conflict.

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, TypeAlias

from .model import Kind, RemoteEntry, Version, VersionId, hlc_millis

__all__ = [
    "CONFLICT_WORDS",
    "PATH_RULES",
    "Conflict",
    "MergedTree",
    "conflict_copy_name",
    "device_label",
    "merge",
]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A content that lost at `path` and is kept at `copy_path`.

    `winner` is None when the path became an implicit directory.
    """

    path: str
    winner: VersionId | None
    loser: VersionId
    copy_path: str


@dataclass(frozen=True, slots=True)
class MergedTree:
    """The Remote tree: live entries by path (sorted), conflicts, deleted paths.

    `deleted` maps each path whose heads are all tombstones to those heads.
    """

    entries: Mapping[str, RemoteEntry]
    conflicts: tuple[Conflict, ...]
    deleted: Mapping[str, frozenset[VersionId]]


# ---------------------------------------------------------------------------
# Per-path resolution
# ---------------------------------------------------------------------------


class _Outcome(NamedTuple):
    """Heads of one path split into the kept content, the losers and tombstones."""

    keep: tuple[Version, ...]  # heads of the winning content, most recent first
    losers: tuple[tuple[Version, ...], ...]  # losing contents, most recent first
    tombs: frozenset[VersionId]


def _most_recent_first(versions: Iterable[Version]) -> tuple[Version, ...]:
    return tuple(sorted(versions, key=lambda v: v.recency, reverse=True))


def _classes(live: list[Version]) -> list[tuple[Version, ...]]:
    """Group heads by content; most recent content first."""
    by_key: dict[object, list[Version]] = {}
    for v in live:
        by_key.setdefault(v.content_key, []).append(v)
    groups = [_most_recent_first(vs) for vs in by_key.values()]
    return sorted(groups, key=lambda g: g[0].recency, reverse=True)


_Contents: TypeAlias = list[tuple[Version, ...]]
_NO_IDS: frozenset[VersionId] = frozenset()
_DIR = Kind.DIR  # a module constant: looking up an Enum member costs more

# Each rule: (name, applies(contents), index of the winning content, -1: none).
# Contents arrive most recent first, so "most recent wins" is index 0.
PATH_RULES: tuple[tuple[str, Callable[[_Contents], bool], Callable[[_Contents], int]], ...] = (
    ("deleted", lambda cs: not cs, lambda cs: -1),
    ("one content", lambda cs: len(cs) == 1, lambda cs: 0),
    (
        "directory keeps the path",
        lambda cs: any(c[0].kind is Kind.DIR for c in cs),
        lambda cs: next(i for i, c in enumerate(cs) if c[0].kind is Kind.DIR),
    ),
    ("most recent wins", lambda cs: True, lambda cs: 0),
)


def _winner(contents: _Contents) -> int:
    """The index of the winning content by the first of PATH_RULES that applies."""
    for _name, applies, winner in PATH_RULES:
        if applies(contents):
            return winner(contents)
    raise AssertionError("no rule of PATH_RULES applies")  # pragma: no cover - the last does


def _resolve(versions: list[Version]) -> _Outcome:
    known = {v.vid for v in versions}
    superseded = {s for v in versions for s in v.supersedes if s in known}
    heads = [v for v in versions if v.vid not in superseded] or list(versions)
    contents = _classes([v for v in heads if v.is_live])
    tombs = frozenset(v.vid for v in heads if not v.is_live)
    i = _winner(contents)
    if i < 0:
        return _Outcome((), (), tombs)
    return _Outcome(contents[i], tuple(contents[:i] + contents[i + 1 :]), tombs)


def _add_ancestors(path: str, into: set[str]) -> None:
    """Add to `into` every non-empty proper prefix of `path` ending before a "/".

    Stops at the first one already there: `into` only ever grows by whole
    chains, so that one's own ancestors are there too.
    """
    while True:
        path = path.rpartition("/")[0]
        if not path or path in into:
            return
        into.add(path)


# ---------------------------------------------------------------------------
# Conflict copy names
# ---------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LABEL_FORBIDDEN = frozenset('/\\<>:"|?*') | frozenset(chr(c) for c in range(32)) | {"\x7f"}
_MAX_NAME_BYTES = 255  # the common limit of the disks Coffre syncs to
_MAX_LABEL_CHARS = 64


def device_label(device: str, device_names: Mapping[str, str]) -> str:
    """A device's name made safe for a file name on every OS."""
    raw = unicodedata.normalize("NFC", device_names.get(device, ""))
    label = "".join("-" if c in _LABEL_FORBIDDEN else c for c in raw)
    label = label.strip(" .")[:_MAX_LABEL_CHARS].strip(" .")
    return label or device[:8]


def _stamp(hlc: int) -> str:
    """UTC time of an hlc as YYYY-MM-DD HHMMSS; pure arithmetic, no clock."""
    try:
        t = _EPOCH + timedelta(milliseconds=hlc_millis(hlc))
    except OverflowError:
        t = datetime.max
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}{t.minute:02d}{t.second:02d}"


def _fit(stem: str, middle: str, ext: str) -> str:
    """stem + middle + ext, shortening stem (then ext) to fit in one name."""

    def size(s: str, e: str) -> int:
        return len(unicodedata.normalize("NFC", s + middle + e).encode("utf-8"))

    while stem and size(stem, ext) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    while ext and size(stem, ext) > _MAX_NAME_BYTES:
        ext = ext[:-1]
    return unicodedata.normalize("NFC", stem + middle + ext)


# The word that names a conflict copy, by vault language (rule 5).
CONFLICT_WORDS: dict[str, str] = {"en": "conflict", "fr": "conflit"}


def conflict_copy_name(
    path: str, label: str, hlc: int, attempt: int = 1, language: str = "en"
) -> str:
    """The path of a conflict copy of `path`; attempt 2, 3... when taken."""
    parent, _, name = path.rpartition("/")
    dot = name.rfind(".")
    stem, ext = (name[:dot], name[dot:]) if dot > 0 else (name, "")
    number = "" if attempt == 1 else f" {attempt}"
    word = CONFLICT_WORDS.get(language, CONFLICT_WORDS["en"])
    fitted = _fit(stem, f" ({word} {label} {_stamp(hlc)}{number})", ext)
    return f"{parent}/{fitted}" if parent else fitted


# ---------------------------------------------------------------------------
# The merge
# ---------------------------------------------------------------------------


def merge(
    versions: Iterable[Version], device_names: Mapping[str, str], language: str = "en"
) -> MergedTree:
    """The vault's tree: a pure function of the versions read so far and the vault's language."""
    # Each step hands on only what the next needs, so the big maps of a step are freed as it ends.
    entries, outcomes = _resolve_paths(*_group_by_path(versions))
    needed_dirs = _make_room_for_folders(entries, outcomes)
    deleted = _settle_paths(entries, outcomes, needed_dirs)
    conflicts = _place_conflict_copies(entries, outcomes, deleted, device_names, language)
    return MergedTree(
        entries={p: entries[p] for p in sorted(entries)},
        conflicts=tuple(sorted(conflicts, key=lambda c: (c.path, c.copy_path))),
        deleted={p: deleted[p] for p in sorted(deleted)},
    )


def _group_by_path(
    versions: Iterable[Version],
) -> tuple[dict[str, Version], dict[str, list[Version]]]:
    """1. Deduplicate, grouping by path on the way: (paths with one version, the others).

    Most paths have one version: they stay in the first map and skip the list.
    """
    by_vid: dict[VersionId, Version] = {}
    single: dict[str, Version] = {}
    several: dict[str, list[Version]] = {}
    for v in versions:
        known = len(by_vid)
        seen = by_vid.setdefault(v.vid, v)
        if len(by_vid) > known:  # a new id
            group = several.get(v.path)
            if group is not None:
                group.append(v)
            else:
                first = single.setdefault(v.path, v)
                if first is not v:
                    several[v.path] = [first, v]
                    del single[v.path]
        elif seen is not v and seen != v:
            raise ValueError(f"two different versions carry the id {v.vid}")
    return single, several


def _resolve_paths(
    single: dict[str, Version], several: dict[str, list[Version]]
) -> tuple[dict[str, RemoteEntry], dict[str, _Outcome]]:
    """2-3. Resolve each path: (entries made at once, the outcome of every other path).

    A lone version is its own and only head: when it is live and PATH_RULES
    keep it, its entry is made at once.
    """
    entries: dict[str, RemoteEntry] = {}
    outcomes: dict[str, _Outcome] = {}
    for path, v in single.items():
        if v.is_live and _winner([(v,)]) == 0:
            entries[path] = RemoteEntry(path, v, frozenset((v.vid,)), _NO_IDS)
        else:
            outcomes[path] = _resolve([v])
    for path, vs in several.items():
        outcomes[path] = _resolve(vs)
    return entries, outcomes


def _make_room_for_folders(
    entries: dict[str, RemoteEntry], outcomes: dict[str, _Outcome]
) -> set[str]:
    """4. The implicit folders (returned); a file where one must be gives way to it."""
    needed_dirs: set[str] = set()
    for path in entries:
        parent = path.rpartition("/")[0]
        if parent and parent not in needed_dirs:  # else its ancestors are there already
            _add_ancestors(path, needed_dirs)
    for path, o in outcomes.items():
        if o.keep:
            _add_ancestors(path, needed_dirs)
    for d in needed_dirs:
        made = entries.get(d)
        if made is not None:
            if made.version is None or made.version.kind is _DIR:
                continue
            del entries[d]
            outcomes[d] = _Outcome((made.version,), (), _NO_IDS)
        there = outcomes.get(d)
        if there is None:
            outcomes[d] = _Outcome((), (), _NO_IDS)
        elif not there.keep or there.keep[0].kind is not _DIR:
            demoted = ((there.keep,) if there.keep else ()) + there.losers
            outcomes[d] = _Outcome(
                (), tuple(sorted(demoted, key=lambda c: c[0].recency, reverse=True)), there.tombs
            )
    return needed_dirs


def _settle_paths(
    entries: dict[str, RemoteEntry], outcomes: dict[str, _Outcome], needed_dirs: set[str]
) -> dict[str, frozenset[VersionId]]:
    """Each resolved path becomes an entry, or a deletion (returned, with its tombstones)."""
    deleted: dict[str, frozenset[VersionId]] = {}
    for path, o in outcomes.items():
        keep = o.keep
        if keep or path in needed_dirs:
            heads = frozenset([v.vid for v in keep])
            entries[path] = RemoteEntry(
                path,
                keep[0] if keep else None,
                heads | o.tombs if o.tombs else heads,
                frozenset([v.vid for c in o.losers for v in c]) if o.losers else _NO_IDS,
            )
        else:
            deleted[path] = o.tombs
    return deleted


def _place_conflict_copies(
    entries: dict[str, RemoteEntry],
    outcomes: dict[str, _Outcome],
    deleted: dict[str, frozenset[VersionId]],
    device_names: Mapping[str, str],
    language: str,
) -> list[Conflict]:
    """5. Conflict copies, in a fixed order so names are the same everywhere."""
    conflicts: list[Conflict] = []
    for path in sorted(p for p, o in outcomes.items() if o.losers):
        o = outcomes[path]
        winner = o.keep[0].vid if o.keep else None
        copies: list[str] = []
        for content in o.losers:
            loser = content[0]
            name = _copy_slot(entries, deleted, path, loser, device_names, language)
            copies.append(name)
            conflicts.append(Conflict(path, winner, loser.vid, name))
        entry = entries[path]
        entries[path] = RemoteEntry(
            path=path,
            version=entry.version,
            heads=entry.heads,
            losers=entry.losers,
            copies=tuple(sorted(copies)),
        )
    return conflicts


def _copy_slot(
    entries: dict[str, RemoteEntry],
    deleted: dict[str, frozenset[VersionId]],
    path: str,
    loser: Version,
    device_names: Mapping[str, str],
    language: str,
) -> str:
    """The free name for `loser`'s copy (entered in `entries`), or the real version holding it."""
    label = device_label(loser.vid.device, device_names)
    attempt = 1
    while True:
        name = conflict_copy_name(path, label, loser.hlc, attempt, language)
        taken = entries.get(name)
        if taken is None:
            entries[name] = RemoteEntry(
                path=name,
                version=loser,
                heads=deleted.pop(name, frozenset()),
                copy_of=path,
            )
            return name
        if taken.copy_of is None and taken.content_key == loser.content_key:
            return name  # the copy was already written as a real version
        attempt += 1
