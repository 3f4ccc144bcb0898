"""Ignore rules: built-in junk patterns and the root `.coffreignore` (gitignore syntax)."""

from __future__ import annotations

import errno
import itertools

import pathspec
import pytest

from sync_engine.disk.fs_errors import FsError
from sync_engine.disk.ignore import IGNORE_FILE, IgnoreRules
from tests.memfs import MemoryFs

BUILTIN_JUNK = [
    "~$report.docx",
    "sub/~$Budget.xlsx",
    ".~lock.notes.odt#",
    "scratch.tmp",
    "~WRL0001.tmp",
    "UPPER.TMP",
    ".DS_Store",
    "photos/Thumbs.db",
    "photos/thumbs.DB",
    "Desktop.ini",
    "notes.txt.swp",
    ".notes.txt.swp",
    "x.swx",
    "draft.txt~",
    ".coffre-tmp-0123abcd",
    "deep/er/.coffre-tmp-x",
    ".coffre-root",
    ".#locked.el",
    ".goutputstream-ABC123",
]

ORDINARY = [
    "notes.txt",
    "tmp",
    "tmp/notes.txt",
    "a.tmpl",
    "swp",
    "lock.txt",
    "~",  # matches "*~"? no: kept below as a check of the exact rule
    "Thumbs.db.bak",
    "my desktop.ini.txt",
    ".coffreignore",
    ".gitignore",
    "report~final.docx",
]


@pytest.mark.parametrize("path", BUILTIN_JUNK)
def test_builtin_junk_is_ignored(path: str) -> None:
    assert IgnoreRules().is_ignored(path, False)


@pytest.mark.parametrize("path", [p for p in ORDINARY if p != "~"])
def test_ordinary_names_are_synced(path: str) -> None:
    assert not IgnoreRules().is_ignored(path, False)


def test_a_lone_tilde_is_an_editor_backup_name() -> None:
    assert IgnoreRules().is_ignored("~", False)  # "*~" matches it, as in git


def test_builtins_cannot_be_negated() -> None:
    rules = IgnoreRules.from_lines(["!*.tmp", "!~$*"])
    assert rules.is_ignored("a.tmp") and rules.is_ignored("~$x.docx")


def test_coffreignore_patterns() -> None:
    rules = IgnoreRules.from_lines(
        [
            "# build output",
            "",
            "build/",
            "*.log",
            "/top-only.txt",
            "docs/**/draft*",
            "cache",
        ]
    )
    assert rules.is_ignored("build", True)
    assert not rules.is_ignored("build", False)  # dir-only pattern
    assert rules.is_ignored("src/build", True)
    assert rules.is_ignored("build/out.o", False)
    assert rules.is_ignored("a/b/c.log")
    assert rules.is_ignored("top-only.txt") and not rules.is_ignored("sub/top-only.txt")
    assert rules.is_ignored("docs/x/y/draft-1.md") and not rules.is_ignored("docs/x/final.md")
    assert rules.is_ignored("cache", True) and rules.is_ignored("a/cache", False)
    assert not rules.is_ignored("notes.txt")


def test_negations_follow_git() -> None:
    rules = IgnoreRules.from_lines(["*.log", "!keep.log", "out/*", "!out/keep/"])
    assert rules.is_ignored("a.log") and not rules.is_ignored("keep.log")
    assert rules.is_ignored("out/x.bin") and not rules.is_ignored("out/keep", True)


def test_the_root_ignore_file_itself_is_always_synced() -> None:
    rules = IgnoreRules.from_lines(["*", ".*"])
    assert not rules.is_ignored(IGNORE_FILE)
    assert rules.is_ignored("sub/" + IGNORE_FILE)
    assert rules.is_ignored("anything.txt")


def test_invalid_lines_are_reported_not_fatal() -> None:
    rules = IgnoreRules.from_lines(["*.log", "!", "foo\\"])
    assert [n for n, _ in rules.errors] == [2, 3]
    assert rules.is_ignored("x.log")


def test_fast_path_matches_gitignorespec() -> None:
    """The joined regex must decide exactly as pathspec does for positive patterns."""
    patterns = ["build/", "*.o", "/root.txt", "a/**/b", "**/logs", "doc/*.md", "x?y", "[ab]*.c"]
    paths = [
        "build", "a/build", "x.o", "src/x.o", "root.txt", "s/root.txt", "a/b", "a/q/r/b",
        "logs", "k/logs", "doc/r.md", "doc/s/r.md", "xzy", "a/xzy", "ab.c", "cb.c", "b.c/x",
    ]  # fmt: skip
    for n in range(1, len(patterns) + 1):
        for combo in itertools.combinations(patterns, n):
            rules = IgnoreRules.from_lines(combo)
            spec = pathspec.GitIgnoreSpec.from_lines(combo)
            for path, is_dir in itertools.product(paths, (False, True)):
                expected = spec.match_file(path + "/" if is_dir else path)
                assert rules.user_ignored(path, is_dir) == expected, (combo, path, is_dir)


def test_load_from_the_folder() -> None:
    fs = MemoryFs()
    assert not IgnoreRules.load(fs).has_user_rules
    fs.put_file(IGNORE_FILE, "\ufeff*.bak\r\nbuild/\n".encode())
    rules = IgnoreRules.load(fs)
    assert rules.is_ignored("x.bak") and rules.is_ignored("build", True)


def test_unreadable_ignore_file_stops_the_scan() -> None:
    fs = MemoryFs()
    fs.put_file(IGNORE_FILE, b"secrets/\n")

    def deny(op: str, rel: str) -> None:
        if op == "open_read":
            raise PermissionError(errno.EACCES, "Permission denied")

    fs.fault = deny
    with pytest.raises(FsError):
        IgnoreRules.load(fs)  # syncing what the person meant to exclude would be worse
