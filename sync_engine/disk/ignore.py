"""Which paths are never synced: built-in junk patterns plus the root `.coffreignore`.

`.coffreignore` uses gitignore syntax (pathspec.GitIgnoreSpec) and is itself
synced, like .gitignore, so every device ignores the same things. Only the
file at the root is read; patterns are matched case-sensitively, as git does.

The built-in patterns (office lock files, editor swap and backup files, OS
litter, Coffre's own temp and marker files) are always ignored: a negation in
`.coffreignore` cannot bring them back, since syncing a lock file between
machines only causes conflicts. They match the last path segment,
case-insensitively (Windows writes `Thumbs.db` and `thumbs.db` alike).

Speed: the scanner asks about every path on every scan. Each pattern is
compiled by pathspec, then all positive patterns are joined into one regular
expression, which is exact because with no negation "ignored" is simply
"some pattern matches". The built-ins are slash-free, so their joined regex
is matched against the last segment alone, without pathspec's "any folders
in front" prefix. A `.coffreignore` that contains negations is matched by
GitIgnoreSpec itself, pattern by pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pathspec
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from ..core.model import Kind
from .fs_errors import PathNotFound
from .localfs import LocalFs

__all__ = ["BUILTIN_PATTERNS", "IGNORE_FILE", "IgnoreRules"]

IGNORE_FILE = ".coffreignore"
MAX_IGNORE_FILE_BYTES = 1 << 20

BUILTIN_PATTERNS: tuple[str, ...] = (
    "~$*",  # Microsoft Office owner/lock files
    ".~lock.*#",  # LibreOffice lock files
    "*.tmp",
    "~*.tmp",  # Office temp saves (also covered by *.tmp; kept to document them)
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    "*.swp",  # vim swap files
    "*.swx",
    ".*.swp",
    "*~",  # editor backups
    ".coffre-tmp-*",  # Coffre's own temp files (localfs.TEMP_PREFIX)
    ".coffre-root",  # the root marker (localfs.ROOT_MARKER)
    ".#*",  # emacs lock files
    ".goutputstream-*",  # GTK atomic-save temp files
)

_GROUP_NAME = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
_ANY_FOLDERS = "^(?:.+/)?"  # how pathspec starts a pattern that has no slash


def _combined(
    patterns: Iterable[GitIgnoreSpecPattern], flags: int = 0, *, last_segment: bool = False
) -> re.Pattern[str] | None:
    """One regex equivalent to "any of these positive patterns matches" (None if none).

    With last_segment, the regex is for re.match on the last path segment only.
    """
    parts: list[str] = []
    for p in patterns:
        if p.include is None or p.regex is None:
            continue
        # Named groups would clash once joined; the matching is the same without them.
        text = _GROUP_NAME.sub("(?:", p.regex.pattern)
        if last_segment:
            if not text.startswith(_ANY_FOLDERS):
                raise ValueError(f"built-in pattern {p.pattern!r} must not contain a slash")
            text = text[len(_ANY_FOLDERS) :]
        parts.append("(?:" + text + ")")
    if not parts:
        return None
    return re.compile("|".join(parts), flags)


_BUILTIN = _combined(
    pathspec.GitIgnoreSpec.from_lines(BUILTIN_PATTERNS).patterns, re.IGNORECASE, last_segment=True
)
assert _BUILTIN is not None
_builtin_match = _BUILTIN.match


@dataclass(frozen=True)
class IgnoreRules:
    """What the scanner leaves out. Build with IgnoreRules.load(fs) or from_lines()."""

    user_lines: tuple[str, ...] = ()
    errors: tuple[tuple[int, str], ...] = ()  # (line number, problem) of refused lines
    # Patterns the organisation's policy adds (ignore_patterns): matched on their own, so
    # a negation in `.coffreignore` cannot bring back what IT excluded.
    enforced_lines: tuple[str, ...] = ()
    _user_fast: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _user_spec: pathspec.GitIgnoreSpec | None = field(init=False, repr=False, compare=False)
    _enforced: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spec = pathspec.GitIgnoreSpec.from_lines(self.user_lines) if self.user_lines else None
        fast = None
        if spec is not None and all(p.include is not False for p in spec.patterns):
            fast = _combined(spec.patterns)
            if fast is None:
                spec = None  # only comments and blank lines
        object.__setattr__(self, "_user_fast", fast)
        object.__setattr__(self, "_user_spec", None if fast is not None else spec)
        positive = [line for line in self.enforced_lines if not line.lstrip().startswith("!")]
        enforced = _combined(pathspec.GitIgnoreSpec.from_lines(positive).patterns)
        object.__setattr__(self, "_enforced", enforced)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> IgnoreRules:
        """Rules from `.coffreignore` lines; a line that does not compile is reported, not fatal."""
        good: list[str] = []
        errors: list[tuple[int, str]] = []
        for number, raw in enumerate(lines, 1):
            line = raw.rstrip("\r\n")
            try:
                GitIgnoreSpecPattern(line)
            except Exception as exc:  # pathspec raises several types for bad patterns
                errors.append((number, f"{line!r} is not a valid pattern ({exc})"))
                continue
            good.append(line)
        return cls(tuple(good), tuple(errors))

    @classmethod
    def load(cls, fs: LocalFs, enforced: tuple[str, ...] = ()) -> IgnoreRules:
        """Read the root `.coffreignore`. An unreadable one raises (FsError): ignoring less
        than the person asked for could upload what they meant to keep private.

        `enforced`: the organisation's patterns (policy), ignored whatever the file says.
        """
        entry = fs.stat(IGNORE_FILE)
        if entry is None or entry.kind is not Kind.FILE:
            return cls(enforced_lines=enforced)
        try:
            with fs.open_read(IGNORE_FILE) as f:
                data = f.read(MAX_IGNORE_FILE_BYTES)
        except PathNotFound:
            return cls(enforced_lines=enforced)
        text = data.decode("utf-8-sig", errors="replace")
        rules = cls.from_lines(text.splitlines())
        return cls(rules.user_lines, rules.errors, enforced) if enforced else rules

    def is_ignored(self, rel: str, is_dir: bool = False) -> bool:
        """True if `rel` (or, by gitignore rules, a folder above it) is excluded from sync."""
        if rel == IGNORE_FILE:
            return False
        return self.builtin_ignored(rel.rpartition("/")[2]) or self.user_ignored(rel, is_dir)

    @staticmethod
    def builtin_ignored(name: str) -> bool:
        """True if a name (last segment) is built-in junk."""
        return _builtin_match(name) is not None

    @property
    def builtin_match(self) -> Callable[[str], re.Match[str] | None]:
        """The built-in junk test as a bare regex match (not None: ignored): the scanner's
        fast path, one C call per name."""
        return _builtin_match

    @property
    def has_user_rules(self) -> bool:
        return (
            self._user_fast is not None or self._user_spec is not None or self._enforced is not None
        )

    def user_ignored(self, rel: str, is_dir: bool) -> bool:
        """True if `.coffreignore` or the organisation's patterns exclude `rel` (the root
        `.coffreignore` never is)."""
        if rel == IGNORE_FILE:
            return False
        if self._enforced is not None and self._enforced.search(rel + "/" if is_dir else rel):
            return True
        if self._user_fast is not None:
            return self._user_fast.search(rel + "/" if is_dir else rel) is not None
        if self._user_spec is not None:
            return self._user_spec.match_file(rel + "/" if is_dir else rel)
        return False
