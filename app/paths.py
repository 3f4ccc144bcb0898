"""Where Coffre keeps its configuration, local state and the embedded default store.

`COFFRE_HOME`, when set, replaces every platform location: each test and each
portable install gets its own directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def coffre_home() -> Path:
    override = os.environ.get("COFFRE_HOME")
    if override:
        return Path(override).expanduser().resolve()
    return user_data_path("Coffre", appauthor=False)


def default_store_dir() -> Path:
    """The embedded default store: a vault in a folder under the app data directory."""
    return coffre_home() / "default-store"


def default_sync_folder() -> Path:
    return Path.home() / "Coffre"


def default_setup_taken(synced_folders: list[str]) -> bool:
    """The one-click default (a vault in `default_store_dir`, synced to ~/Coffre) is in use:
    "Add a folder" then offers only a storage of one's choice or joining a vault."""
    default_folder = str(default_sync_folder().expanduser().resolve())
    return default_store_dir().exists() or default_folder in synced_folders


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and COFFRE_HOME above it) readable by this user only (0700 on POSIX).

    Bindings, local state and the epoch file are Coffre's memory of the vault: names
    of synced files, device ids. Other accounts on the computer have no business there.
    A home that already exists with wider permissions is narrowed.
    """
    home = coffre_home()
    for directory in (home, path):
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        mode = home.stat().st_mode & 0o777
        if mode & 0o077:
            home.chmod(mode & 0o700)
    return path


def restrict_file(path: Path) -> None:
    """Make an existing file readable and writable by this user only (0600 on POSIX)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)
