"""Bringing back a past version of a file, or a file from the quarantine."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sync_engine.core.model import Kind, Version
from sync_engine.core.names import normalise_path
from sync_engine.disk.localfs import DiskFs
from sync_engine.transfer.pipeline import Downloader, StoreBridge
from sync_engine.vault.state import LocalState, QuarantineItem

from .folders import Binding
from .messages import AppProblem, ReasonedError
from .session import FolderSession


class RestoreError(ReasonedError):
    """A version or item could not be restored; nothing was changed."""


def relative_path(binding: Binding, path: str) -> str:
    """PATH as given on the command line -> the vault's relative path."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(binding.folder)
        except ValueError:
            raise RestoreError(
                f"{path} is not inside the synced folder {binding.folder}.",
                AppProblem.OUTSIDE_FOLDER,
                path=path,
            ) from None
    return normalise_path(candidate.as_posix())


def _pick(versions: list[Version], wanted: str | None, rel: str) -> Version:
    if not versions:
        raise RestoreError(f"{rel} has no history in this vault.", AppProblem.NO_HISTORY, path=rel)
    if wanted is None:
        live = [v for v in versions if v.kind is not Kind.TOMBSTONE]
        if not live:
            raise RestoreError(
                f"{rel} was only ever deleted; there is nothing to restore.",
                AppProblem.ONLY_DELETED,
                path=rel,
            )
        return live[-1]
    for v in versions:
        if str(v.vid) == wanted:
            if v.kind is Kind.TOMBSTONE:
                raise RestoreError(
                    f"Version {wanted} of {rel} is a deletion; pick another one.",
                    AppProblem.VERSION_DELETED,
                    path=rel,
                )
            return v
    raise RestoreError(
        f"{rel} has no version {wanted}; see `coffre history`.", AppProblem.NO_VERSION, path=rel
    )


def _write_outside(target: Path, chunks: Iterable[bytes], version: Version) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".coffre-restore-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.utime(tmp, ns=(version.mtime_ns, version.mtime_ns))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


async def restore(session: FolderSession, path: str, wanted: str | None, output: str | None) -> str:
    rel = relative_path(session.binding, path)
    version = _pick(session.state.versions_at(rel), wanted, rel)
    if version.kind is not Kind.FILE:
        raise RestoreError(
            f"Version {version.vid} of {rel} is a {version.kind.value}, not a file.",
            AppProblem.NOT_A_FILE,
            path=rel,
        )
    downloader = Downloader(
        session.key,
        StoreBridge(session.store, asyncio.get_running_loop()),
        moved=session.state.relocations(),
    )
    downloader.check_version(version)
    if output is not None:
        target = Path(output).expanduser().resolve()
        await asyncio.to_thread(_write_outside, target, downloader.iter_content(version), version)
        return str(target)
    fs = DiskFs(session.binding.folder)
    current = fs.stat(rel)
    await asyncio.to_thread(
        fs.write_file,
        rel,
        downloader.iter_content(version),
        mtime_ns=version.mtime_ns,
        executable=version.executable,
        expect=None if current is None else current.stat_key,
    )
    return str(Path(session.binding.folder) / rel)


def restore_quarantined(binding: Binding, item: QuarantineItem) -> str:
    fs = DiskFs(binding.folder)
    fs.restore_from_quarantine(item.stored_at, item.path)
    return str(Path(binding.folder) / item.path)


def restore_quarantine_item(binding: Binding, state: LocalState, item_id: int) -> str:
    """Put one quarantined item back in the folder; the next round uploads it again."""
    item = next((i for i in state.quarantined() if i.item_id == item_id), None)
    if item is None:
        raise RestoreError(
            f"The quarantine holds no item {item_id} any more.", AppProblem.QUARANTINE_GONE
        )
    target = restore_quarantined(binding, item)
    with state.transaction():
        state.remove_quarantined(item.item_id)
    return target


def cancel_held_deletion(state: LocalState) -> list[str]:
    """Undo a deletion the mass-delete guard held, without deleting anything.

    The held paths are forgotten from the Synced tree. The next round then sees,
    for a file deleted here, a remote file never synced (downloaded again), and
    for a file deleted on another device, a local file never synced (uploaded
    again, which brings it back for every device): both sides keep every file.
    """
    held = sorted({p.path for p in state.problems() if p.kind == "held"})
    with state.transaction():
        for path in held:
            state.delete_synced(path)
    return held
