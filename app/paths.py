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
