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
