"""Names a disk can hold: sync_engine.core.names."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.reason import Reason
from sync_engine.core import names
from sync_engine.core.names import (
    LINUX,
    MACOS,
    PATH_RULES,
    SEGMENT_RULES,
    WINDOWS,
    FsTraits,
    NameProblem,
    case_key,
    check_name,
    check_names,
    check_symlink_target,
    normalise_path,
)

GOOD_EVERYWHERE = [
    "a",
    "a/b/c.txt",
    "report (conflict laptop 2026-11-28 101530).odt",
    ".bashrc",
    "..hidden",
    "dir.with.dots/file",
    "Été/ça.md",
    "CONSOLE.txt",
    "com10",
    "lpt0",
    "x" * 255,
    "é" * 127,
]


@pytest.mark.parametrize("path", GOOD_EVERYWHERE)
@pytest.mark.parametrize("traits", [LINUX, MACOS, WINDOWS])
def test_good_names_pass(path: str, traits: FsTraits) -> None:
    assert check_name(path, traits) is None


BAD_EVERYWHERE = {
    "": NameProblem.EMPTY_PATH,
    "/etc/passwd": NameProblem.ABSOLUTE,
    "a//b": NameProblem.EMPTY_SEGMENT,
    "a/": NameProblem.EMPTY_SEGMENT,
    ".": NameProblem.DOT_SEGMENT,
    "a/./b": NameProblem.DOT_SEGMENT,
    "..": NameProblem.DOT_SEGMENT,
    "a/../../b": NameProblem.DOT_SEGMENT,
    "a\x00b": NameProblem.NUL,
    "x" * 256: NameProblem.TOO_LONG,
    "é" * 128: NameProblem.TOO_LONG,
    unicodedata.normalize("NFD", "Été"): NameProblem.NOT_NFC,
}


@pytest.mark.parametrize(("path", "kind"), sorted(BAD_EVERYWHERE.items()))
@pytest.mark.parametrize("traits", [LINUX, MACOS, WINDOWS])
def test_bad_names_fail_everywhere(path: str, kind: NameProblem, traits: FsTraits) -> None:
    reason = check_name(path, traits)
    assert reason is not None and reason.kind == kind


BAD_ON_WINDOWS = {
    "CON": NameProblem.WINDOWS_RESERVED,
    "con": NameProblem.WINDOWS_RESERVED,
    "Con.txt": NameProblem.WINDOWS_RESERVED,
    "dir/aux.tar.gz": NameProblem.WINDOWS_RESERVED,
    "NUL": NameProblem.WINDOWS_RESERVED,
    "prn ": NameProblem.WINDOWS_RESERVED,
    "COM1": NameProblem.WINDOWS_RESERVED,
    "com9.log": NameProblem.WINDOWS_RESERVED,
    "LPT5": NameProblem.WINDOWS_RESERVED,
    "COM¹": NameProblem.WINDOWS_RESERVED,
    "CONIN$": NameProblem.WINDOWS_RESERVED,
    "name.": NameProblem.WINDOWS_TRAILING,
    "name ": NameProblem.WINDOWS_TRAILING,
    "a\\b": NameProblem.BACKSLASH,
    "a:b": NameProblem.WINDOWS_CHARACTER,
    "what?": NameProblem.WINDOWS_CHARACTER,
    "star*": NameProblem.WINDOWS_CHARACTER,
    'q"uote': NameProblem.WINDOWS_CHARACTER,
    "pipe|": NameProblem.WINDOWS_CHARACTER,
    "<x>": NameProblem.WINDOWS_CHARACTER,
    "tab\tname": NameProblem.WINDOWS_CHARACTER,
}


@pytest.mark.parametrize(("path", "kind"), sorted(BAD_ON_WINDOWS.items()))
def test_windows_rules(path: str, kind: NameProblem) -> None:
    reason = check_name(path, WINDOWS)
    assert reason is not None and reason.kind == kind
    assert check_name(path, LINUX) is None
    assert check_name(path, MACOS) is None


def test_max_name_bytes_is_per_segment_and_configurable() -> None:
    short = FsTraits(case_insensitive=False, windows=False, max_name_bytes=10)
    assert check_name("0123456789/0123456789", short) is None
    assert check_name("0123456789/0123456789a", short) is not None
    assert check_name("ééééé", short) is None  # 10 bytes
    assert check_name("éééééa", short) is not None


def test_reason_names_the_offending_segment() -> None:
    assert check_name("ok/CON/x", WINDOWS) == Reason.of(NameProblem.WINDOWS_RESERVED, name="CON")


def test_normalise_path() -> None:
    nfd = unicodedata.normalize("NFD", "Été/ça")
    assert normalise_path(nfd) == "Été/ça"
    assert normalise_path("a\\b") == "a\\b"  # a legal character on POSIX
    assert normalise_path("a\\b\\c", windows=True) == "a/b/c"


def test_case_key() -> None:
    assert case_key("README") == case_key("readme")
    assert case_key("STRASSE") == case_key("straße")
    assert case_key("É") == case_key(unicodedata.normalize("NFD", "é"))
    assert case_key("a/B") != case_key("a/C")


@pytest.mark.parametrize(
    ("path", "target", "ok"),
    [
        ("l", "x", True),
        ("a/l", "../x", True),
        ("a/b/l", "../../x", True),
        ("a/b/l", "./../c/./d", True),
        ("l", "../x", False),
        ("a/l", "../../x", False),
        ("a/l", "b/../../../x", False),
        ("l", "/etc/passwd", False),
        ("l", "C:\\Windows", False),
        ("l", "\\\\server\\share", False),
        ("l", "", False),
    ],
)
def test_symlink_targets(path: str, target: str, ok: bool) -> None:
    assert (check_symlink_target(path, target) is None) is ok


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=30))
def test_check_name_never_raises_and_accepted_names_are_safe(path: str) -> None:
    for traits in (LINUX, MACOS, WINDOWS):
        if check_name(path, traits) is None:
            segments = path.split("/")
            assert path and not path.startswith("/")
            assert all(s not in ("", ".", "..") for s in segments)
            assert "\x00" not in path
            assert unicodedata.normalize("NFC", path) == path
            if traits.windows:
                assert not any(c in path for c in '<>:"|?*\\')


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_case_key_is_idempotent(path: str) -> None:
    assert case_key(case_key(path)) == case_key(path)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcXYZ./-_", max_size=20))
def test_case_key_ignores_ascii_case(path: str) -> None:
    assert case_key(path.upper()) == case_key(path.lower()) == case_key(path)


def _check_name_by_the_tables(path: str, traits: FsTraits) -> Reason | None:
    """check_name() spelled out as the tables read: first matching rule wins."""
    for applies, matches, kind in PATH_RULES:
        if applies(traits) and matches(path):
            return Reason.of(kind)
    for segment in path.split("/"):
        for seg_applies, seg_matches, seg_kind in SEGMENT_RULES:
            if seg_applies(traits) and seg_matches(segment, traits):
                return Reason.of(seg_kind, name=segment)
    return None


ANY_TRAITS = [
    LINUX,
    MACOS,
    WINDOWS,
    FsTraits(case_insensitive=False, windows=True, max_name_bytes=3),
]
NAME_PARTS = [
    "a",
    "b",
    "CON",
    "x.",
    "é",
    unicodedata.normalize("NFD", "é"),
    "..",
    "",
    "\x00",
    ":",
    "ab",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=4).map("/".join), max_size=12
    )
    | st.lists(st.text(max_size=12), max_size=12),
    st.sampled_from(ANY_TRAITS),
)
def test_check_names_is_check_name_of_each_path(paths: list[str], traits: FsTraits) -> None:
    expected = {p: r for p in paths if (r := _check_name_by_the_tables(p, traits)) is not None}
    assert check_names(paths, traits) == expected
    assert all(check_name(p, traits) == _check_name_by_the_tables(p, traits) for p in paths)


def test_check_names_reports_each_path_in_a_bad_folder() -> None:
    paths = ["ok/a", "CON/a", "CON/b", "ok/CON.txt", "ok/b"]
    assert check_names(paths, WINDOWS) == {
        "CON/a": Reason.of(NameProblem.WINDOWS_RESERVED, name="CON"),
        "CON/b": Reason.of(NameProblem.WINDOWS_RESERVED, name="CON"),
        "ok/CON.txt": Reason.of(NameProblem.WINDOWS_RESERVED, name="CON.txt"),
    }
    assert check_names(paths, LINUX) == {}


def test_nfc_renames_renames_a_decomposed_name_whose_spelling_is_free() -> None:
    nfd = unicodedata.normalize("NFD", "Été.odt")
    decision = names.nfc_renames([nfd, "autre.txt"], names.LINUX)
    assert decision.renames == {nfd: "Été.odt"} and decision.clashes == {}


def test_nfc_renames_refuses_real_clashes() -> None:
    nfd = unicodedata.normalize("NFD", "é.txt")
    # The composed twin is already there.
    assert nfd in names.nfc_renames([nfd, "é.txt"], names.LINUX).clashes
    # Two other encodings of the same letters (decomposed, and decomposed with the marks
    # in another order) both want one name: neither is renamed.
    other = "e\u0323\u0301.txt"  # e + dot below + acute: NFC reorders the marks
    twin = "e\u0301\u0323.txt"
    assert unicodedata.normalize("NFC", other) == unicodedata.normalize("NFC", twin)
    decision = names.nfc_renames([other, twin], names.LINUX)
    assert decision.renames == {} and set(decision.clashes) == {other, twin}
    # On a case-insensitive disk the composed spelling is taken by another case.
    assert nfd in names.nfc_renames([nfd, "É.TXT"], names.MACOS).clashes
    assert nfd in names.nfc_renames([nfd, "É.TXT"], names.LINUX).renames


def test_nfc_renames_applies_the_other_name_rules_to_the_new_spelling() -> None:
    nfd = unicodedata.normalize("NFD", "é") + ":x"
    decision = names.nfc_renames([nfd], names.WINDOWS)
    assert decision.renames == {}
    assert decision.clashes[nfd].kind == names.NameProblem.WINDOWS_CHARACTER
