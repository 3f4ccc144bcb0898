"""A synced folder's `.coffreignore`: read and replaced for the settings dialog."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.atomic_file import write_atomically
from app.settings import SettingsError
from sync_engine.disk.ignore import IGNORE_FILE, MAX_IGNORE_FILE_BYTES


def read_ignore_file(folder: str | os.PathLike[str]) -> str:
    """The text of a synced folder's `.coffreignore` ("" if it has none)."""
    path = Path(folder) / IGNORE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def write_ignore_file(folder: str | os.PathLike[str], text: str) -> None:
    """Replace a folder's `.coffreignore` atomically; it syncs to the other devices."""
    data = text.encode("utf-8")
    if len(data) > MAX_IGNORE_FILE_BYTES:
        raise SettingsError("ignore", "too_long", "The ignore list is too long (1 MiB at most).")
    path = Path(folder) / IGNORE_FILE
    if not data.strip() and not path.exists():
        return
    if not data.endswith(b"\n") and data:
        data += b"\n"
    with contextlib.suppress(FileNotFoundError):
        if path.read_bytes() == data:
            return
    # The temporary name is one sync always ignores (localfs's temp prefix).
    write_atomically(path, data, tmp_name=".coffre-tmp-coffreignore")
