"""`kill -9` in the middle of a sync: the next sync finishes the job, nothing is torn."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from .conftest import (
    TEMP_PREFIX,
    Device,
    MakeDevices,
    assert_same_tree,
    kill_when,
    temp_leftovers,
    wait_until,
)

BIG = 40 * 1024 * 1024
SMALL_FILES = 300
MANY_SMALL_FILES = 6000


def _published_packs(device: Device) -> int:
    return len(device.location.objects("packs/"))


def _big_download_started(device: Device) -> bool:
    """big.bin is being written: a temp file in the folder's root holds over 1 MiB of it."""
    for entry in os.scandir(device.folder):
        if entry.name.startswith(TEMP_PREFIX):
            try:
                if entry.stat(follow_symlinks=False).st_size > 1 << 20:
                    return True
            except FileNotFoundError:  # published or removed meanwhile
                continue
    return False


def _kill_mid_download(device: Device) -> None:
    """Start a sync and SIGKILL it in the middle of writing big.bin."""
    proc = device.popen("sync")
    kill_when(proc, lambda: _big_download_started(device), timeout=120, must_kill=True)


def _kill_after(device: Device, delay: float) -> None:
    """Start a sync and SIGKILL it after `delay` seconds, wherever it is by then."""
    proc = device.popen("sync")
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()


def test_sigkill_during_upload_and_download_then_sync_converges(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    alpha.write("big.bin", os.urandom(BIG))
    for i in range(SMALL_FILES):
        alpha.write(f"many/{i // 30:02}/f{i:03}.txt", os.urandom(200 + i))

    # Upload side: killed as soon as the first pack is published, then a bit later.
    packs = _published_packs(alpha)
    proc = alpha.popen("sync")
    kill_when(proc, lambda: _published_packs(alpha) > packs, timeout=120, must_kill=True)
    _kill_after(alpha, 2.5)
    alpha.sync()
    assert temp_leftovers(alpha.folder) == []

    # Download side: killed while big.bin is being written, then at other moments.
    _kill_mid_download(beta)
    _kill_after(beta, 2.0)
    beta.sync()

    assert_same_tree(alpha, beta)
    assert beta.path("big.bin").stat().st_size == BIG
    assert temp_leftovers(beta.folder) == [], "the temporaries of the killed syncs are gone"


PARTIAL_PREFIX = TEMP_PREFIX + "part-"  # localfs.PARTIAL_PREFIX
RESUMED = re.compile(r"Resuming a download at (\d+) of (\d+) bytes")


def _partial_size(device: Device) -> int:
    """The size of the partial download in the folder's root (0 if there is none)."""
    for entry in os.scandir(device.folder):
        if entry.name.startswith(PARTIAL_PREFIX):
            try:
                return entry.stat(follow_symlinks=False).st_size
            except FileNotFoundError:  # published meanwhile
                return 0
    return 0


def test_a_large_download_killed_in_the_middle_resumes_where_it_stopped(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    content = os.urandom(2 * BIG)
    alpha.write("big.bin", content)
    alpha.sync()

    proc = beta.popen("sync")
    kill_when(proc, lambda: _partial_size(beta) > BIG // 2, timeout=120, must_kill=True)
    left = _partial_size(beta)
    assert BIG // 2 < left < 2 * BIG, "the killed sync left its partial download"
    assert not beta.path("big.bin").exists(), "nothing half-written under the final name"

    beta.sync()
    assert beta.path("big.bin").read_bytes() == content
    assert temp_leftovers(beta.folder) == []
    log = (beta.home / "logs" / "coffre.log").read_text(errors="replace")
    resumed = [(int(at), int(size)) for at, size in RESUMED.findall(log)]
    assert resumed, "the second sync resumed the partial download instead of starting over"
    at, size = resumed[-1]
    assert size == 2 * BIG
    # Every whole chunk the killed sync wrote is kept; only the last one may be cut.
    assert 0 < at <= left
    assert left - at <= 4 * 1024 * 1024  # chunker.MAX_CHUNK


def test_temporaries_left_by_a_crash_are_removed_by_the_next_sync(
    make_devices: MakeDevices,
) -> None:
    (alpha,) = make_devices(1)
    alpha.write("doc.txt", "synced")
    # What `kill -9` leaves when it lands in the middle of a download: a temp file
    # in the destination's folder (see test_sigkill_during_upload_and_download...).
    alpha.write(f"{TEMP_PREFIX}0123456789abcdef", b"half a download")
    alpha.write(f"sub/{TEMP_PREFIX}fedcba9876543210", b"")
    alpha.sync()
    assert temp_leftovers(alpha.folder) == []


def _processes_with_home(home: Path) -> list[int]:
    """Processes (the sync, its worker processes) whose environment names this COFFRE_HOME."""
    marker = f"COFFRE_HOME={home}".encode() + b"\0"
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/environ", "rb") as f:
                    if marker in f.read() + b"\0":
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.folder_only  # the upload side only: the store kind does not matter here
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_while_workers_seal_small_files_leaves_no_process_and_converges(
    make_devices: MakeDevices,
) -> None:
    alpha, beta = make_devices(2)
    for i in range(MANY_SMALL_FILES):  # enough to start the worker processes
        alpha.write(f"many/{i // 100:02}/f{i:04}.txt", os.urandom(100 + i % 900))

    proc = alpha.popen("sync")
    # Killed once the workers run: the sync, the fork server and workers (and a resource tracker).
    kill_when(proc, lambda: len(_processes_with_home(alpha.home)) >= 4, timeout=120, must_kill=True)
    assert wait_until(lambda: not _processes_with_home(alpha.home), timeout=15), (
        "worker processes outlived the killed sync"
    )
    _kill_after(alpha, 3.0)
    assert wait_until(lambda: not _processes_with_home(alpha.home), timeout=15)

    alpha.sync()
    beta.sync()
    assert_same_tree(alpha, beta)
    assert temp_leftovers(alpha.folder) == []
