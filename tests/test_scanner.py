"""The scanner: stat-based change detection, and nothing unseen is ever reported absent."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

from crypto.reason import Reason
from sync_engine.core import names
from sync_engine.core.model import Kind, LocalEntry
from sync_engine.core.names import NameProblem
from sync_engine.disk.fs_errors import FsProblem, RootUnavailable
from sync_engine.disk.ignore import IGNORE_FILE, IgnoreRules
from sync_engine.disk.localfs import TEMP_PREFIX, DiskFs, LocalFs
from sync_engine.disk.scanner import ScanResult, scan
from sync_engine.vault.state import SyncedStat
from tests.memfs import MemoryFs

DEVICE = "ab" * 16


class CountingDigest:
    """A digest callable that counts the files it reads."""

    def __init__(self) -> None:
        self.calls: list[bytes] = []

    def __call__(self, stream: BinaryIO) -> tuple[int, bytes]:
        data = stream.read()
        self.calls.append(data)
        return len(data), hashlib.sha256(data).digest()


def synced_from(local: dict[str, LocalEntry]) -> dict[str, SyncedStat]:
    """What the engine records after a round that agreed with this Local tree."""
    return {
        path: SyncedStat(
            e.kind, e.size, e.mtime_ns, e.inode, e.content_hash, e.executable, e.ctime_ns
        )
        for path, e in local.items()
    }


def run(fs: LocalFs, synced: dict[str, SyncedStat] | None = None, **kw: object) -> ScanResult:
    digest = kw.pop("digest", None) or CountingDigest()
    return scan(fs, synced or {}, digest, **kw)  # type: ignore[arg-type]


@pytest.fixture
def fs() -> MemoryFs:
    fs = MemoryFs()
    fs.put_file("a.txt", b"alpha")
    fs.put_file("docs/report.odt", b"report")
    fs.put_file("docs/deep/er/x.bin", b"\x00" * 100)
    fs.put_dir("empty")
    return fs


def test_first_scan_describes_everything(fs: MemoryFs) -> None:
    digest = CountingDigest()
    r = run(fs, digest=digest)
    assert set(r.local) == {
        "a.txt", "docs", "docs/report.odt", "docs/deep", "docs/deep/er", "docs/deep/er/x.bin",
        "empty",
    }  # fmt: skip
    assert r.local["a.txt"].content_hash == hashlib.sha256(b"alpha").digest()
    assert r.local["docs"].kind is Kind.DIR
    assert r.hashed_files == 3 and r.hashed_bytes == 5 + 6 + 100 and len(digest.calls) == 3
    assert r.skipped == [] and r.unreadable == [] and r.changing == []


def test_no_change_scan_hashes_nothing(fs: MemoryFs) -> None:
    first = run(fs)
    digest = CountingDigest()
    again = run(fs, synced_from(first.local), digest=digest)
    assert digest.calls == [] and again.hashed_files == 0
    assert again.local == first.local


def test_previous_scan_spares_rehashing_unsynced_files(fs: MemoryFs) -> None:
    first = run(fs)
    digest = CountingDigest()
    again = run(fs, {}, digest=digest, previous=first.local)  # nothing synced yet
    assert digest.calls == [] and again.local == first.local
    fs.put_file("a.txt", b"alpha2")
    third = run(fs, {}, digest=digest, previous=again.local)
    assert digest.calls == [b"alpha2"]
    assert third.local["a.txt"].content_hash == hashlib.sha256(b"alpha2").digest()


def test_touched_file_is_rehashed_and_keeps_its_hash(fs: MemoryFs) -> None:
    first = run(fs)
    fs.touch("a.txt")
    digest = CountingDigest()
    again = run(fs, synced_from(first.local), digest=digest)
    assert digest.calls == [b"alpha"]
    assert again.local["a.txt"].content_hash == first.local["a.txt"].content_hash
    assert again.local["a.txt"].mtime_ns != first.local["a.txt"].mtime_ns


def test_edit_keeping_size_and_mtime_but_new_inode_is_rehashed(fs: MemoryFs) -> None:
    first = run(fs)
    old = first.local["a.txt"]
    fs.put_file("a.txt", b"ALPHA", mtime_ns=old.mtime_ns, new_inode=True)  # save-by-rename
    digest = CountingDigest()
    again = run(fs, synced_from(first.local), digest=digest)
    assert digest.calls == [b"ALPHA"]
    assert again.local["a.txt"].content_hash != old.content_hash


def test_in_place_edit_keeping_size_mtime_and_inode_is_rehashed(fs: MemoryFs) -> None:
    """Only the ctime moved (model.unchanged_on_disk): neither Synced nor the last scan is
    trusted for the hash."""
    first = run(fs)
    old = first.local["a.txt"]
    fs.put_file("a.txt", b"ALPHA", mtime_ns=old.mtime_ns)  # same size, same inode
    edited = fs.stat("a.txt")
    assert edited is not None and edited.stat_key == old.stat_key
    from_synced, from_previous = CountingDigest(), CountingDigest()
    by_synced = run(fs, synced_from(first.local), digest=from_synced)
    by_previous = run(fs, {}, digest=from_previous, previous=first.local)
    assert from_synced.calls == from_previous.calls == [b"ALPHA"]
    for again in (by_synced, by_previous):
        assert again.local["a.txt"].content_hash == hashlib.sha256(b"ALPHA").digest()


def test_executable_bit_change_is_seen(fs: MemoryFs) -> None:
    first = run(fs)
    before = first.local["a.txt"]
    fs.set_executable("a.txt", True, expect=before.stat_key)
    digest = CountingDigest()
    again = run(fs, synced_from(first.local), digest=digest)
    # chmod moves the ctime, as on a real disk: the file is read once more, to be safe.
    assert len(digest.calls) == 1
    after = again.local["a.txt"]
    assert after.executable and after.content_key != before.content_key


def test_symlinks_are_entries_never_followed(fs: MemoryFs) -> None:
    fs.put_symlink("to-docs", "docs")
    fs.put_symlink("docs/up", "../a.txt")
    fs.put_symlink("escape", "../../etc/passwd")
    r = run(fs)
    link = r.local["to-docs"]
    assert link.kind is Kind.SYMLINK and link.symlink_target == "docs"
    assert not any(p.startswith("to-docs/") for p in r.local)
    assert r.local["docs/up"].symlink_target == "../a.txt"
    assert "escape" not in r.local and r.is_unknown("escape")
    assert [p for p, _ in r.skipped] == ["escape"]


def test_symlinks_on_disk_are_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "private.txt").write_bytes(b"not for the vault")
    (root / "real.txt").write_bytes(b"x")
    (root / "sub").mkdir()
    os.symlink("sub", root / "dirlink")
    os.symlink("real.txt", root / "filelink")
    os.symlink(outside, root / "escape")
    os.mkfifo(root / "fifo")
    fs = DiskFs(root)
    fs.write_root_marker()
    digest = CountingDigest()
    r = scan(fs, {}, digest, IgnoreRules())
    assert set(r.local) == {"real.txt", "sub", "dirlink", "filelink"}
    assert r.local["dirlink"].kind is Kind.SYMLINK
    assert r.local["dirlink"].symlink_target == "sub"
    assert dict(r.skipped)["escape"].kind == NameProblem.LINK_ABSOLUTE and r.is_unknown("escape")
    assert digest.calls == [b"x"]
    first = r
    r = scan(fs, synced_from(first.local), digest, IgnoreRules())
    assert digest.calls == [b"x"]  # the no-change scan on disk read nothing
    assert ("fifo", Reason.of(NameProblem.SPECIAL_FILE, detail="a named pipe (fifo)")) in r.skipped


def test_ignored_and_internal_files_are_absent(fs: MemoryFs) -> None:
    for junk in ("~$report.docx", "docs/.DS_Store", "docs/.report.odt.swp", "x.tmp"):
        fs.put_file(junk, b"junk")
    fs.put_file(TEMP_PREFIX + "123", b"torn")
    fs.put_file(".coffre-state", b"internal")
    r = run(fs)
    assert ".coffre-root" not in r.local and TEMP_PREFIX + "123" not in r.local
    assert ".coffre-state" not in r.local
    assert not {"~$report.docx", "docs/.DS_Store", "docs/.report.odt.swp", "x.tmp"} & set(r.local)
    assert r.was_ignored("x.tmp") and not r.was_ignored("a.txt")


def test_coffreignore_is_honoured_and_synced(fs: MemoryFs) -> None:
    fs.put_file(IGNORE_FILE, b"docs/deep/\n*.odt\n")
    digest = CountingDigest()
    r = run(fs, digest=digest)  # ignore=None: loaded from the folder
    assert IGNORE_FILE in r.local
    assert "docs/deep" not in r.local and "docs/deep/er/x.bin" not in r.local
    assert "docs/report.odt" not in r.local and "docs" in r.local
    assert sorted(r.ignored) == ["docs/deep", "docs/report.odt"]
    assert r.was_ignored("docs/deep/er/x.bin")
    assert sorted(digest.calls) == sorted([b"alpha", b"docs/deep/\n*.odt\n"])


def test_unreadable_directory_is_unknown_not_deleted(fs: MemoryFs) -> None:
    first = run(fs)
    synced = synced_from(first.local)

    def deny(op: str, rel: str) -> None:
        if op == "list_dir" and rel == "docs/deep":
            raise PermissionError(13, "Permission denied")

    fs.fault = deny
    r = run(fs, synced)
    assert [p for p, _ in r.unreadable] == ["docs/deep"]
    assert r.unreadable[0][1].kind == FsProblem.READ_FOLDER
    assert "Permission denied" in r.unreadable[0][1].param("detail")
    assert "docs/deep" in r.local  # the folder itself was seen
    missing = set(synced) - set(r.local)
    assert missing == {"docs/deep/er", "docs/deep/er/x.bin"}
    assert all(r.is_unknown(p) for p in missing)  # never "deleted"
    assert not r.is_unknown("a.txt") and not r.is_unknown("docs/deep-sibling")
    assert r.unknown_prefixes == {"docs/deep"}


def test_unreadable_file_is_unknown(fs: MemoryFs) -> None:
    def deny(op: str, rel: str) -> None:
        if op == "open_read" and rel == "a.txt":
            raise PermissionError(13, "Permission denied")

    fs.fault = deny
    r = run(fs)
    assert "a.txt" not in r.local and r.is_unknown("a.txt")
    assert [p for p, _ in r.unreadable] == ["a.txt"]


def test_file_changing_while_hashed_is_retried_not_recorded(fs: MemoryFs) -> None:
    def digest(stream: BinaryIO) -> tuple[int, bytes]:
        data = stream.read()
        fs.put_file("a.txt", b"alpha, still being written")  # an application is writing it
        return len(data), b"h"

    r = run(fs, digest=digest)
    assert r.changing == ["a.txt"] or "a.txt" in r.changing
    assert "a.txt" not in r.local and r.is_unknown("a.txt")


def test_file_vanishing_before_hashing_is_retried_not_deleted(fs: MemoryFs) -> None:
    first = run(fs)
    fs.put_file("a.txt", b"alpha, saved by delete-then-create")

    def remove(op: str, rel: str) -> None:
        if op == "open_read" and rel == "a.txt" and fs.exists("a.txt"):
            fs.delete("a.txt")  # the application's delete; its create comes later

    fs.fault = remove
    r = run(fs, synced_from(first.local))
    assert "a.txt" not in r.local and r.is_unknown("a.txt")
    assert r.changing == ["a.txt"] and r.unreadable == []
    fs.fault = None
    assert "a.txt" not in run(fs).local  # settled absent: the next round sees a delete


def test_directory_vanishing_mid_scan_is_unknown(fs: MemoryFs) -> None:
    first = run(fs)

    def rename_away(op: str, rel: str) -> None:
        if op == "list_dir" and rel == "docs" and fs.exists("docs"):
            fs.delete("docs")  # moved elsewhere while we walk

    fs.fault = rename_away
    r = run(fs, synced_from(first.local))
    assert "docs" in r.changing and "docs" not in r.local
    assert r.is_unknown("docs/report.odt")


def test_names_that_cannot_be_synced_are_skipped_and_unknown() -> None:
    fs = MemoryFs()
    fs.put_file("bad\udcff.txt", b"x")
    nfd = unicodedata.normalize("NFD", "café.txt")
    fs.put_file(nfd, b"x")
    fs.put_special("sock", "a socket")
    fs.put_file("ok.txt", b"x")
    r = run(fs)
    assert set(r.local) == {"ok.txt"}
    reasons = dict(r.skipped)
    assert reasons["bad\ufffd.txt"] == Reason.of(NameProblem.NOT_UTF8)
    assert reasons["sock"] == Reason.of(NameProblem.SPECIAL_FILE, detail="a socket")
    # A decomposed name whose NFC spelling is free is not a problem: it is to be renamed.
    assert nfd not in reasons
    assert [(src, dst) for src, dst, _ in r.to_normalise] == [(nfd, "café.txt")]
    assert r.is_unknown("sock") and r.is_unknown(nfd) and r.is_unknown("café.txt")
    # Every unknown path can be stored and printed (no surrogate escapes).
    assert r.unknown_prefixes == {"sock", nfd, "café.txt"}
    # Once "café.txt" was synced, a rename to its NFD spelling must not read as a delete.
    synced = synced_from({"café.txt": LocalEntry(Kind.FILE, 1, 1, 1, False, b"h")})
    assert run(fs, synced).is_unknown("café.txt")


def test_a_decomposed_name_beside_its_composed_twin_is_a_clash_never_renamed() -> None:
    fs = MemoryFs()
    nfd = unicodedata.normalize("NFD", "résumé.txt")
    fs.put_file(nfd, b"decomposed")
    fs.put_file("résumé.txt", b"composed")
    r = run(fs)
    assert r.to_normalise == []
    assert "résumé.txt" in r.local
    assert dict(r.skipped)[nfd] == Reason.of(NameProblem.NFC_CLASH, name="résumé.txt")
    assert r.is_unknown(nfd)


def test_windows_rules_apply_with_windows_traits() -> None:
    fs = MemoryFs()
    fs.put_file("con.txt", b"x")
    fs.put_file("dir/ok.txt", b"x")
    r = run(fs, traits=names.WINDOWS)
    assert "con.txt" not in r.local
    assert dict(r.skipped)["con.txt"].kind == NameProblem.WINDOWS_RESERVED
    assert "dir/ok.txt" in r.local


def test_root_missing_or_unmounted_mid_scan_raises(fs: MemoryFs) -> None:
    fs.unmount()
    with pytest.raises(RootUnavailable):
        run(fs)
    fs.mount()

    def unmount(op: str, rel: str) -> None:
        if op == "list_dir" and rel == "docs":
            fs.unmount()

    fs.fault = unmount
    with pytest.raises(RootUnavailable):
        run(fs)


def test_digester_objects_are_accepted(fs: MemoryFs) -> None:
    @dataclass
    class Digest:
        size: int
        content_hash: bytes

    class Digester:
        def digest_stream(self, stream: BinaryIO) -> Digest:
            data = stream.read()
            return Digest(len(data), b"D" + data[:3])

    r = scan(fs, {}, Digester(), IgnoreRules())
    assert r.local["a.txt"].content_hash == b"Dalp" and r.hashed_files == 3


def test_deep_trees_do_not_recurse() -> None:
    fs = MemoryFs()
    deep = "/".join(["d"] * 1100)  # deeper than Python's recursion limit
    fs.put_file(deep + "/leaf.txt", b"x")
    r = run(fs)
    assert deep + "/leaf.txt" in r.local


def test_as_synced_counts_the_paths_exactly_as_recorded(tmp_path: Path) -> None:
    """The round's fast path reads this count (round_outcome.disk_as_synced)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_bytes(b"alpha")
    (tmp_path / "b.txt").write_bytes(b"bravo")
    os.symlink("b.txt", tmp_path / "link")
    fs = DiskFs(tmp_path)
    fs.write_root_marker()
    first = run(fs)
    assert first.as_synced == 0  # nothing synced yet
    synced = synced_from(first.local)
    for previous in (None, first.local):  # a new process, then a long-running engine
        again = run(fs, synced, previous=previous)
        assert again.as_synced == len(again.local) == len(synced) == 4


def test_an_edit_keeping_size_and_mtime_is_not_as_synced(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"alpha")
    (tmp_path / "b.txt").write_bytes(b"bravo")
    fs = DiskFs(tmp_path)
    fs.write_root_marker()
    first = run(fs)
    synced = synced_from(first.local)
    before = target.stat()
    target.write_bytes(b"ALPHA")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    for previous in (None, first.local):
        again = run(fs, synced, previous=previous)
        assert again.as_synced == 1 and again.hashed_files == 1
        assert again.local["a.txt"].content_hash == hashlib.sha256(b"ALPHA").digest()


def test_an_executable_bit_set_is_not_as_synced(fs: MemoryFs) -> None:
    first = run(fs)
    synced = synced_from(first.local)
    synced["a.txt"] = synced["a.txt"]._replace(executable=True)  # recorded as executable
    again = run(fs, synced)
    assert again.as_synced == len(again.local) - 1


def test_file_entry_is_the_same_frozen_local_entry() -> None:
    """The scanner's hot-path constructor builds exactly what the dataclass would."""
    from dataclasses import FrozenInstanceError

    from sync_engine.core.model import file_entry

    fast = file_entry(5, 10, 7, True, b"h" * 32, 20)
    slow = LocalEntry(Kind.FILE, 5, 10, 7, True, b"h" * 32, ctime_ns=20)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert type(fast) is LocalEntry and fast.symlink_target is None
    with pytest.raises(FrozenInstanceError):
        fast.size = 6  # type: ignore[misc]
