"""Which folder stores get OS notifications on `heads/` (the mount table), and a real watch."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from sync_engine.stores.heads_notify import (
    HeadsWatch,
    local_heads_folder,
    mount_type,
    notifications_see_others,
)
from sync_engine.stores.local import LocalStore
from sync_engine.stores.resilient import ResilientStore

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /srv/nfs nfs4 rw,relatime 0 0
//filer/equipe /mnt/equipe cifs rw 0 0
sshfs#me@host: /home/me/remote fuse.sshfs rw 0 0
/dev/vdb /srv/nfs/local\\040disk xfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fs_type", "notified"),
    [
        ("/home/me/vault", "ext4", True),
        ("/srv/nfs/vault", "nfs4", False),
        ("/srv/nfsother/vault", "ext4", True),  # a prefix of the name is not the mount
        ("/mnt/equipe/coffre", "cifs", False),
        ("/home/me/remote/vault", "fuse.sshfs", False),
        ("/srv/nfs/local disk/vault", "xfs", True),  # the longest mount point wins
    ],
)
def test_the_mount_table_decides(path: str, fs_type: str, notified: bool) -> None:
    assert mount_type(path, MOUNTS) == fs_type
    assert notifications_see_others(mount_type(path, MOUNTS)) is notified


def test_an_unknown_mount_is_polled() -> None:
    assert mount_type("/x", "") is None
    assert notifications_see_others(None) is False


async def test_a_local_folder_store_is_found_through_its_wrapper(tmp_path: Path) -> None:
    store = await LocalStore.create(tmp_path / "store")
    try:
        assert local_heads_folder(store) == store.root / "heads"
        assert local_heads_folder(ResilientStore(store)) == store.root / "heads"
        assert local_heads_folder(object()) is None
    finally:
        await store.close()


def test_a_head_renamed_into_place_is_seen(tmp_path: Path) -> None:
    heads = tmp_path / "heads"
    heads.mkdir()
    seen = threading.Event()
    watch = HeadsWatch(heads, seen.set)
    watch.start()
    try:
        assert watch.running
        (heads / "unrelated-read").write_bytes(b"x")
        assert seen.wait(5.0)
        time.sleep(0.3)  # the write's later events (modify) have come
        seen.clear()
        (heads / "unrelated-read").read_bytes()  # reading is no change (no open/close events)
        assert not seen.wait(0.5)
        (tmp_path / ".tmp-head").write_bytes(b"new head")
        (tmp_path / ".tmp-head").rename(heads / ("a" * 32))  # how the folder store publishes
        assert seen.wait(5.0)
    finally:
        watch.stop()
    assert not watch.running


def test_a_missing_heads_folder_cannot_be_watched_yet(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        HeadsWatch(tmp_path / "heads", lambda: None).start()
