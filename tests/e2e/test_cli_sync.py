"""Creates, edits, deletes and renames propagate between devices, with their metadata."""

from __future__ import annotations

import os
import shutil

from .conftest import EXIT_USAGE, MakeDevices, assert_same_tree, run_together, temp_leftovers

OLD_MTIME = 1_000_000_000.75  # 2001-09-09, with a fraction of a second
PHOTO_SIZE = 256 * 1024
PHOTOS = 20


def test_create_edit_delete_rename_propagate_to_three_devices(make_devices: MakeDevices) -> None:
    alpha, beta, gamma = make_devices(3)

    # --- alpha creates files, folders, links and metadata ---------------------------------------
    alpha.write("docs/report.odt", os.urandom(3000))
    alpha.write("docs/notes.txt", "first notes\n", mtime=OLD_MTIME)
    alpha.write("bin/run.sh", "#!/bin/sh\necho hi\n").chmod(0o755)
    alpha.write("todelete.txt", "bye")
    alpha.write("gone/x.txt", "x")
    alpha.write("gone/y/z.txt", "z")
    alpha.write("été/naïve.txt", "accents")
    alpha.write("back\\slash.txt", "a backslash is an ordinary character on Linux")
    (alpha.folder / "empty").mkdir()
    (alpha.folder / "deep/a/b/c").mkdir(parents=True)
    (alpha.folder / "old-empty").mkdir()
    os.symlink("docs/notes.txt", alpha.folder / "link-to-file")
    os.symlink("docs", alpha.folder / "link-to-dir")
    os.symlink("nowhere.txt", alpha.folder / "dangling")
    photos = {f"photos/img-{i:02}.jpg": os.urandom(PHOTO_SIZE) for i in range(PHOTOS)}
    for rel, content in photos.items():
        alpha.write(rel, content)
    alpha.sync()
    run_together([beta, gamma], "sync")

    first = assert_same_tree(alpha, beta, gamma)
    assert first["docs/notes.txt"][3] == int(OLD_MTIME), "mtime kept to the second"
    assert first["bin/run.sh"][2] is True, "the executable bit is kept"
    assert first["docs/report.odt"][2] is False
    for rel in ("empty", "deep/a/b/c", "old-empty"):
        assert first[rel] == ("dir",), rel
    assert first["link-to-file"] == ("link", "docs/notes.txt")
    assert first["link-to-dir"] == ("link", "docs"), "a link to a folder is synced, not followed"
    assert first["dangling"] == ("link", "nowhere.txt")
    assert "link-to-dir/notes.txt" not in first
    assert os.path.islink(gamma.path("link-to-dir"))
    assert beta.read("été/naïve.txt") == b"accents"

    # --- beta edits, deletes and renames ---------------------------------------------------------
    beta.write("docs/notes.txt", "second notes, longer\n")
    beta.path("todelete.txt").unlink()
    shutil.rmtree(beta.path("gone"))
    beta.path("docs/report.odt").rename(beta.path("docs/report-final.odt"))
    beta.path("archive").mkdir()
    beta.path("photos").rename(beta.path("archive/photos-2024"))
    beta.path("bin/run.sh").chmod(0o644)
    beta.path("link-to-file").unlink()
    os.symlink("docs/report-final.odt", beta.path("link-to-file"))
    beta.path("old-empty").rmdir()
    beta.path("new-empty").mkdir()
    before = beta.location.size()
    beta.sync()
    growth = beta.location.size() - before
    renamed_bytes = PHOTO_SIZE * PHOTOS
    assert growth < renamed_bytes // 100 + 32 * 1024, f"renaming a folder stored {growth} bytes"
    run_together([alpha, gamma], "sync")

    final = assert_same_tree(alpha, beta, gamma)
    assert alpha.read("docs/notes.txt") == b"second notes, longer\n"
    for rel in ("todelete.txt", "gone", "gone/x.txt", "docs/report.odt", "photos", "old-empty"):
        assert rel not in final, rel
    assert final["docs/report-final.odt"] == first["docs/report.odt"]
    assert final["bin/run.sh"][2] is False, "clearing the executable bit propagates"
    assert final["link-to-file"] == ("link", "docs/report-final.odt")
    assert final["new-empty"] == ("dir",)
    for rel, content in photos.items():
        moved = rel.replace("photos/", "archive/photos-2024/")
        assert gamma.read(moved) == content, moved
    for device in (alpha, beta, gamma):
        assert temp_leftovers(device.folder) == []


def test_a_change_of_mtime_alone_propagates(make_devices: MakeDevices) -> None:
    alpha, beta = make_devices(2)
    alpha.write("touched.txt", "same content", mtime=1_500_000_000)
    alpha.sync()
    beta.sync()
    os.utime(alpha.path("touched.txt"), (1_600_000_000, 1_600_000_000))  # `touch -d`
    alpha.sync()
    beta.sync()
    assert int(beta.path("touched.txt").stat().st_mtime) == 1_600_000_000


def test_bandwidth_limits(make_devices: MakeDevices) -> None:
    """The limits reach the store; a folder store (a local disk or share) is not limited."""
    alpha, beta = make_devices(2)
    alpha.write("limited.bin", os.urandom(300_000))
    proc = alpha.sync("--limit-up", "64M", "--limit-down", "64M")
    note = "a folder store is not limited"
    assert (note in proc.stderr) == (alpha.location.path is not None), proc.stderr
    beta.sync("--limit-down", "32M")
    assert_same_tree(alpha, beta)
    proc = alpha.sync("--limit-up", "fast", check_code=EXIT_USAGE)
    assert "such as 500K, 2M or 1G" in proc.stderr, proc.stderr
