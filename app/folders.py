"""Which local folders are bound to which vault: one directory per folder under COFFRE_HOME.

    <COFFRE_HOME>/folders/<folder-id>/binding.json   folder, store, vault id, device
    <COFFRE_HOME>/folders/<folder-id>/state.db       the engine's local state
    <COFFRE_HOME>/folders/<folder-id>/quarantine/    files removed by sync, kept N days

Nothing of Coffre's lives inside the synced folder except a small marker that
proves the folder is mounted.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from app.paths import coffre_home, ensure_private_dir

from .atomic_file import write_atomically


class BindingError(Exception):
    """A folder is not bound, or already bound; the message says which command to run."""


@dataclass(frozen=True)
class Binding:
    folder: str
    store: str
    vault_id: str
    device_id: str
    device_name: str
    folder_id: str

    @property
    def directory(self) -> Path:
        return coffre_home() / "folders" / self.folder_id

    @property
    def state_path(self) -> Path:
        return self.directory / "state.db"

    @property
    def quarantine_dir(self) -> Path:
        return self.directory / "quarantine"


def _canonical(folder: str | os.PathLike[str]) -> str:
    return str(Path(folder).expanduser().resolve())


def all_bindings() -> list[Binding]:
    root = coffre_home() / "folders"
    found = []
    for path in sorted(root.glob("*/binding.json")) if root.is_dir() else []:
        try:
            found.append(Binding(**json.loads(path.read_text())))
        except (OSError, ValueError, TypeError):
            continue
    return found


def find_binding(folder: str | os.PathLike[str]) -> Binding:
    wanted = _canonical(folder)
    for binding in all_bindings():
        if binding.folder == wanted:
            return binding
    raise BindingError(
        f"The folder {wanted} is not synced by Coffre yet. Run `coffre init` to create a vault "
        "for it, or `coffre join` to connect it to an existing vault."
    )


def default_device_name() -> str:
    return socket.gethostname() or "device"


def create_binding(
    folder: str | os.PathLike[str], store: str, vault_id: str, device_name: str | None
) -> Binding:
    return save_binding(new_binding(folder, store, vault_id, device_name))


def new_binding(
    folder: str | os.PathLike[str], store: str, vault_id: str, device_name: str | None
) -> Binding:
    """A binding with fresh device and folder ids, not written yet (`save_binding`).

    A format-2 vault is made with this device already in its membership log, so
    the device id is chosen before the vault (and its id) exists.
    """
    return Binding(
        folder=_canonical(folder),
        store=store,
        vault_id=vault_id,
        device_id=secrets.token_hex(16),
        device_name=device_name or default_device_name(),
        folder_id=secrets.token_hex(8),
    )


def save_binding(binding: Binding) -> Binding:
    """Record `binding` (refused if its folder is bound already)."""
    for existing in all_bindings():
        if existing.folder == binding.folder:
            raise BindingError(
                f"The folder {binding.folder} is already synced with {existing.store}. "
                "Choose another folder."
            )
    ensure_private_dir(binding.directory)
    binding.quarantine_dir.mkdir(exist_ok=True, mode=0o700)
    _write(binding)
    return binding


def _write(binding: Binding) -> None:
    write_atomically(
        binding.directory / "binding.json", json.dumps(asdict(binding), indent=2).encode()
    )


def rebind_store(binding: Binding, store: str) -> Binding:
    """The same folder and device, now syncing with the vault at `store` (a moved vault)."""
    moved = replace(binding, store=store)
    _write(moved)
    return moved
