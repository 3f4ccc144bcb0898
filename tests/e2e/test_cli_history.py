"""`coffre history` lists a file's versions; `coffre restore` brings one back."""

from __future__ import annotations

from pathlib import Path

from .conftest import EXIT_ERROR, EXIT_USAGE, MakeDevices, assert_same_tree, temp_leftovers

CONTENTS = [b"version one\n", b"version two, a bit longer\n", b"version three, the longest one\n"]


def test_history_and_restore_with_and_without_output(
    tmp_path: Path, make_devices: MakeDevices
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("notes/plan.txt", CONTENTS[0], mtime=1_600_000_000)
    alpha.sync()
    beta.sync()
    beta.write("notes/plan.txt", CONTENTS[1], mtime=1_600_000_100)
    beta.sync()
    alpha.sync()
    alpha.write("notes/plan.txt", CONTENTS[2], mtime=1_600_000_200)
    alpha.sync()

    history = alpha.json("history", "notes/plan.txt")
    assert [h["size"] for h in history] == [len(c) for c in CONTENTS]
    assert [h["device"] for h in history] == ["alpha", "beta", "alpha"]
    assert all(h["deleted"] is False for h in history)
    assert all(isinstance(h["version"], str) and h["time"] for h in history)
    assert len({h["version"] for h in history}) == 3

    # --output writes the old version elsewhere and leaves the folder alone.
    out = tmp_path / "restored" / "plan-v1.txt"
    alpha.run("restore", "notes/plan.txt", "--version", history[0]["version"], "--output", str(out))
    assert out.read_bytes() == CONTENTS[0]
    assert int(out.stat().st_mtime) == 1_600_000_000
    assert alpha.read("notes/plan.txt") == CONTENTS[2]

    # Without --output the version comes back at its path; the next sync records it.
    alpha.run("restore", "notes/plan.txt", "--version", history[1]["version"])
    assert alpha.read("notes/plan.txt") == CONTENTS[1]
    assert temp_leftovers(alpha.folder) == []
    alpha.sync()
    after = alpha.json("history", "notes/plan.txt")
    assert len(after) == 4 and after[:3] == history
    assert after[3]["size"] == len(CONTENTS[1]) and after[3]["device"] == "alpha"
    beta.sync()
    assert beta.read("notes/plan.txt") == CONTENTS[1]
    assert_same_tree(alpha, beta)

    # A deleted file: history shows the deletion; restore brings back the last content.
    beta.path("notes/plan.txt").unlink()
    beta.sync()
    # An absolute path inside the folder names the same file.
    deleted = beta.json("history", str(beta.path("notes/plan.txt")))
    assert deleted[-1]["deleted"] is True and deleted[-1]["device"] == "beta"
    beta.run("restore", "notes/plan.txt")
    assert beta.read("notes/plan.txt") == CONTENTS[1]

    proc = alpha.run("history", "no/such/file.txt", check_code=EXIT_ERROR)
    assert "no history" in proc.stderr, proc.stderr


def test_restore_and_history_errors_are_messages_not_tracebacks(
    tmp_path: Path, make_devices: MakeDevices
) -> None:
    (alpha,) = make_devices(1)
    alpha.write("a.txt", "a")
    alpha.sync()
    for args in (
        ("restore", "a.txt", "--version", "not-a-version"),
        ("restore", "never-existed.txt"),
        ("history", str(tmp_path / "outside-the-folder.txt")),
    ):
        proc = alpha.run(*args, check_code=None)  # run() fails on a traceback
        assert proc.returncode in (EXIT_ERROR, EXIT_USAGE), proc.returncode
        assert proc.stderr.startswith("coffre: "), proc.stderr
    assert alpha.read("a.txt") == b"a"
