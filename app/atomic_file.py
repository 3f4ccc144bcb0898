"""Replacing a small file so a reader sees the old or the new content, never half of it."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes, tmp_name: str | None = None) -> None:
    """Write `data` beside `path` under `tmp_name`, then rename it over `path`.

    The temporary file is in the same folder (a rename within one file system);
    `tmp_name` lets a caller pick a name a watcher or the sync ignores.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(tmp_name or path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
