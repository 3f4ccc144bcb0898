"""The newest vault header epoch this computer has seen, per vault, kept durably.

A passphrase change or a reset after a recovery raises the header's epoch
(crypto/header.py). A store that later serves the header it replaced would let
the old passphrase in again; remembering the highest epoch seen and refusing
anything lower stops that on every device that saw the change. The file
`<COFFRE_HOME>/vault-epochs.json` maps vault id (hex) to epoch; it is replaced
atomically and fsync'd, readable by this user only. A damaged file is an error,
not a reason to forget (forgetting would re-open the gap).
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from crypto.errors import RollbackDetected

from .paths import coffre_home, ensure_private_dir

FILE_NAME = "vault-epochs.json"


class StaleVaultHeader(RollbackDetected):
    """The store served a vault header older than one this computer already accepted."""

    def __init__(self, seen: int, served: int) -> None:
        self.seen, self.served = seen, served
        super().__init__(
            "The vault header (coffre.json)",
            f"the store served an old vault header: epoch {served}, while this computer has "
            f"already seen epoch {seen}. The passphrase was changed since; the old header "
            "and its old passphrase are refused",
        )


class EpochFileDamaged(Exception):
    """The epoch file cannot be read; it is not silently reset."""


def _path() -> Path:
    return coffre_home() / FILE_NAME


def _load() -> dict[str, int]:
    path = _path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
        for k, v in data.items()
    ):
        raise EpochFileDamaged(
            f"{path} is damaged. Restore it from a backup, or delete it if you trust the "
            "store (this computer then accepts the store's current vault header)."
        )
    return data


def seen_epoch(vault_id: str) -> int:
    return _load().get(vault_id.lower(), 0)


def check_epoch(vault_id: str, served: int) -> None:
    """Raise StaleVaultHeader if `served` is older than the newest epoch seen here."""
    seen = seen_epoch(vault_id)
    if served < seen:
        raise StaleVaultHeader(seen, served)


def accept_epoch(vault_id: str, epoch: int) -> None:
    """Remember `epoch` for the vault if it is newer; call after the header's MAC checked out."""
    data = _load()
    key = vault_id.lower()
    if data.get(key, 0) >= epoch:
        return
    data[key] = epoch
    path = _path()
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(data, sort_keys=True).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
