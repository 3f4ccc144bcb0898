"""`coffre move-store` through the real CLI: a folder store's vault moves to SeaweedFS and
the two other devices follow; an occupied destination is refused."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from tests.servers.seaweedfs import SeaweedFS

from .conftest import E2E_BUCKET, EXIT_ERROR, MakeDevices, assert_same_tree, s3_location


@pytest.mark.folder_only
def test_a_vault_moves_from_a_folder_to_seaweedfs_and_the_other_devices_follow(
    make_devices: MakeDevices, seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    alpha, beta, gamma = make_devices(3)
    alpha.write("Délibérations/2026-03.odt", os.urandom(400_000))
    alpha.write("notes.txt", "before the move")
    alpha.sync()
    beta.sync()
    gamma.sync()
    old_store = alpha.store
    objects_before = {
        p.relative_to(old_store).as_posix() for p in old_store.rglob("*") if p.is_file()
    }

    seaweedfs.start()
    seaweedfs.create_bucket(E2E_BUCKET)
    target = s3_location(seaweedfs, "moved-" + secrets.token_hex(4))
    for device in (alpha, beta, gamma):  # every computer has the S3 credentials (environment)
        device.location = type(device.location)(
            device.location.address, dict(target.env), device.location.open, device.location.path
        )
    proc = alpha.run("move-store", "--to", target.address)
    assert "Moved the vault" in proc.stdout, proc.stdout
    moved = target.objects()
    assert {k for k in moved} >= {k for k in objects_before if not k.startswith(".")}
    assert alpha.status(check_code=None)["store"] == target.address

    # beta still points at the folder store: its next sync follows the vault.
    beta.write("after.txt", "written by beta after the move")
    proc = beta.sync()
    assert "The vault moved to" in proc.stdout, proc.stdout
    assert beta.status(check_code=None)["store"] == target.address
    beta_log = "log/" + beta.status(check_code=None)["device_id"] + "/"
    assert any(k.startswith(beta_log) for k in target.objects("log/")), "beta wrote to S3"
    beta_before = {k for k in objects_before if k.startswith(beta_log)}  # its hello segment
    beta_after = {p.relative_to(old_store).as_posix() for p in (old_store / beta_log).glob("*")}
    assert beta_after == beta_before, "nothing beta wrote after the move is in the old store"
    gamma.write("gamma.txt", "and gamma too")
    proc = gamma.sync()
    assert "The vault moved to" in proc.stdout, proc.stdout
    assert gamma.read("after.txt") == b"written by beta after the move"
    beta.sync()
    alpha.sync()
    assert alpha.read("gamma.txt") == b"and gamma too"
    assert_same_tree(alpha, beta, gamma)
    assert gamma.status(check_code=None)["store"] == target.address
    proc = beta.run("check", "--read-data")
    assert "no problem found" in proc.stdout

    # Moving again to a store that is not empty is refused, nothing changed.
    occupied = s3_location(seaweedfs, "occupied-" + secrets.token_hex(4))
    occupied.write("somebody/else.txt", b"data")
    proc = alpha.run("move-store", "--to", occupied.address, check_code=EXIT_ERROR)
    assert "not empty" in proc.stderr, proc.stderr
    assert alpha.status(check_code=None)["store"] == target.address


@pytest.mark.folder_only
def test_a_store_folder_inside_the_old_one_is_refused(make_devices: MakeDevices) -> None:
    (alpha,) = make_devices(1)
    alpha.sync()
    proc = alpha.run("move-store", "--to", str(alpha.store / "inside"), check_code=EXIT_ERROR)
    assert "inside" in proc.stderr and "outside" in proc.stderr, proc.stderr
    assert not (alpha.store / "heads" / "moved").exists()
