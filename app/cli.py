"""The `coffre` command line.

Exit codes: 0 the folder and the store agree; 1 an error (the message says
what happened and what to do); 2 a usage or configuration error; 3 the round
finished but something was held or skipped (each listed on stderr and in
`status --json`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from crypto.errors import CoffreCryptoError
from sync_engine.engine import RoundReport
from sync_engine.journal import JournalError
from sync_engine.localfs import DiskFs, FsError
from sync_engine.merge import merge
from sync_engine.model import Kind, hlc_millis
from sync_engine.state import LocalState
from sync_engine.stores.errors import StoreConfigError, StoreError
from sync_engine.stores.local import LocalStore
from sync_engine.stores.url import LocalSpec, parse_store_url
from sync_engine.vault_store import VaultSetupError, create_vault_on_store, unlock_vault

from . import restore as restore_mod
from .folders import Binding, BindingError, create_binding, find_binding
from .passphrase import PassphraseUnavailable, read_passphrase
from .session import FolderSession, store_for

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ATTENTION = 0, 1, 2, 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _err(message: str) -> None:
    print(f"coffre: {message}", file=sys.stderr)


def _run(coro: Coroutine[Any, Any, int]) -> int:
    return asyncio.run(coro)


# --- init / join -----------------------------------------------------------------------------


async def _prepare_store(address: str, *, create: bool) -> Any:
    spec = parse_store_url(address)
    if create and isinstance(spec, LocalSpec) and not Path(spec.path).exists():
        return await LocalStore.create(spec.path, parents=True)
    return store_for(address)


def _prepare_folder(folder: str) -> Path:
    path = Path(folder).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise CliError(f"{path} exists and is not a folder. Choose a folder.", EXIT_USAGE)
    path.mkdir(parents=True, exist_ok=True)
    return path


async def cmd_init(args: argparse.Namespace) -> int:
    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    folder = _prepare_folder(args.folder)
    find_binding_or_none(folder)
    store = await _prepare_store(args.store, create=True)
    try:
        vault = await create_vault_on_store(store, passphrase)
    finally:
        await store.close()
    binding = create_binding(folder, args.store, vault.key.vault_id.hex(), args.device_name)
    _mark_root(binding)
    print(f"Created a vault at {store.url} and bound {folder} to it as {binding.device_name!r}.")
    print("Recovery key (write it down and keep it safe; it is shown only once):")
    print(f"    {vault.recovery_key}")
    return EXIT_OK


async def cmd_join(args: argparse.Namespace) -> int:
    passphrase = read_passphrase(args.passphrase_file)
    folder = _prepare_folder(args.folder)
    find_binding_or_none(folder)
    store = await _prepare_store(args.store, create=False)
    try:
        key = await unlock_vault(store, passphrase=passphrase)
    finally:
        await store.close()
    binding = create_binding(folder, args.store, key.vault_id.hex(), args.device_name)
    _mark_root(binding)
    print(f"Bound {folder} to the vault at {args.store} as {binding.device_name!r}.")
    print("Run `coffre sync --folder` to bring it up to date.")
    return EXIT_OK


def find_binding_or_none(folder: Path) -> None:
    try:
        existing = find_binding(folder)
    except BindingError:
        return
    raise CliError(f"{folder} is already synced with {existing.store}.", EXIT_USAGE)


def _mark_root(binding: Binding) -> None:
    DiskFs(binding.folder).write_root_marker()


# --- sync / watch ----------------------------------------------------------------------------


def _report_problems(report: RoundReport) -> int:
    attention = [p for p in report.problems if p.kind in ("held", "skipped", "changed")]
    errors = [p for p in report.problems if p.kind not in ("held", "skipped", "changed")]
    for p in report.problems:
        _err(f"{p.kind}: {p.path}: {p.reason}")
    if errors:
        return EXIT_ERROR
    return EXIT_ATTENTION if attention else EXIT_OK


def _summary(report: RoundReport) -> str:
    return (
        f"{report.uploaded_files} files uploaded, {report.downloaded_files} downloaded, "
        f"{report.quarantined} moved to quarantine, {report.published_versions} changes "
        f"published, {len(report.conflicts)} conflicts"
    )


async def _open(args: argparse.Namespace) -> FolderSession:
    binding = find_binding(args.folder)
    passphrase = read_passphrase(getattr(args, "passphrase_file", None))
    return await FolderSession.open(binding, passphrase)


async def cmd_sync(args: argparse.Namespace) -> int:
    session = await _open(args)
    try:
        report = await session.engine.sync(allow_mass_delete=args.allow_mass_delete)
        session.state.set_meta("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
    finally:
        await session.close()
    print(f"{session.binding.folder}: {_summary(report)}.")
    return _report_problems(report)


async def cmd_watch(args: argparse.Namespace) -> int:
    session = await _open(args)
    code = EXIT_OK
    try:
        while True:
            try:
                report = await session.engine.sync()
                session.state.set_meta("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
                if report.actions:
                    print(f"{datetime.now():%H:%M:%S} {_summary(report)}", flush=True)
                code = _report_problems(report)
            except StoreError as exc:
                _err(f"{exc} (retrying)")
            await asyncio.sleep(args.interval)
    except (KeyboardInterrupt, asyncio.CancelledError):
        return code
    finally:
        await session.close()


# --- status / conflicts / history ------------------------------------------------------------


def _state(args: argparse.Namespace) -> tuple[Binding, LocalState]:
    binding = find_binding(args.folder)
    return binding, LocalState(binding.state_path)


def cmd_status(args: argparse.Namespace) -> int:
    binding, state = _state(args)
    try:
        problems = state.problems()
        synced = state.synced()
        info = {
            "folder": binding.folder,
            "store": binding.store,
            "device": binding.device_name,
            "device_id": binding.device_id,
            "last_sync": state.get_meta("last_sync"),
            "files": sum(1 for e in synced.values() if e.kind is Kind.FILE),
            "state": "attention" if problems else ("up to date" if synced else "not synced yet"),
            "problems": [{"path": p.path, "kind": p.kind, "reason": p.reason} for p in problems],
        }
    finally:
        state.close()
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(f"{info['folder']} <-> {info['store']} ({info['device']})")
        print(f"  {info['state']}; {info['files']} files; last sync {info['last_sync'] or 'never'}")
        for p in problems:
            print(f"  {p.kind}: {p.path}: {p.reason}")
    return EXIT_ATTENTION if problems else EXIT_OK


def _names(state: LocalState, binding: Binding) -> dict[str, str]:
    names = {d: h.name for d, h in state.accepted_heads().items()}
    names[binding.device_id] = binding.device_name
    return names


def _iso(millis: int) -> str:
    return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat(timespec="seconds")


def _time(hlc: int) -> str:
    return _iso(hlc_millis(hlc))


def list_conflicts(state: LocalState, binding: Binding) -> list[dict[str, Any]]:
    """Every conflict copy still in the vault: not yet written (virtual) or written."""
    names = _names(state, binding)
    tree = merge(state.all_versions(), names)
    items = []
    for copy_path, entry in tree.entries.items():
        v = entry.version
        original = entry.copy_of or (v.copy_of if v is not None else None)
        if v is None or original is None:
            continue
        # The loser is the version at the original path with this content.
        same = [o for o in state.versions_at(original) if o.content_key == v.content_key]
        loser = max(same, key=lambda o: o.recency) if same else v
        items.append(
            {
                "path": original,
                "copy": copy_path,
                "losing_device": names.get(loser.vid.device, loser.vid.device[:8]),
                "losing_time": _time(loser.hlc),
                "loser": str(loser.vid),
                "written": entry.copy_of is None,
            }
        )
    return items


def cmd_conflicts(args: argparse.Namespace) -> int:
    binding, state = _state(args)
    try:
        items = list_conflicts(state, binding)
    finally:
        state.close()
    if args.json:
        print(json.dumps(items, indent=2))
    else:
        for item in items:
            who, copy = item["losing_device"], item["copy"]
            print(f"{item['path']}: the version from {who} is kept as {copy}")
        if not items:
            print("No conflicts.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    binding, state = _state(args)
    try:
        names = _names(state, binding)
        rel = restore_mod.relative_path(binding, args.path)
        versions = state.versions_at(rel)
    finally:
        state.close()
    items = [
        {
            "version": str(v.vid),
            "time": _time(v.hlc),
            "device": names.get(v.vid.device, v.vid.device[:8]),
            "size": v.size,
            "deleted": v.kind is Kind.TOMBSTONE,
            "kind": v.kind.value,
        }
        for v in versions
    ]
    if args.json:
        print(json.dumps(items, indent=2))
    elif not items:
        print(f"No history for {rel}.")
    else:
        for item in items:
            what = "deleted" if item["deleted"] else f"{item['size']} bytes"
            print(f"{item['version']}  {item['time']}  {item['device']:<16} {what}")
    if not items:
        raise CliError(f"{rel} has no history in this vault.", EXIT_ERROR)
    return EXIT_OK


async def cmd_restore(args: argparse.Namespace) -> int:
    session = await _open(args)
    try:
        where = await restore_mod.restore(session, args.path, args.version, args.output)
    finally:
        await session.close()
    print(f"Restored to {where}.")
    return EXIT_OK


# --- quarantine ------------------------------------------------------------------------------


def cmd_quarantine(args: argparse.Namespace) -> int:
    binding, state = _state(args)
    try:
        items = state.quarantined()
        if args.restore is not None:
            item = next((i for i in items if i.item_id == args.restore), None)
            if item is None:
                raise CliError(f"No quarantined item {args.restore}; run `coffre quarantine`.")
            target = restore_mod.restore_quarantined(binding, item)
            with state.transaction():
                state.remove_quarantined(item.item_id)
            print(f"Restored {item.path} to {target}.")
            return EXIT_OK
    finally:
        state.close()
    listing = [
        {
            "id": i.item_id,
            "path": i.path,
            "stored_at": i.stored_at,
            "time": _iso(i.time_ns // 10**6),
        }
        for i in items
    ]
    if args.json:
        print(json.dumps(listing, indent=2))
    else:
        for item in listing:
            print(f"{item['id']:>5}  {item['time']}  {item['path']}")
        if not listing:
            print("The quarantine is empty.")
    return EXIT_OK


# --- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coffre",
        description="End-to-end encrypted file sync to storage your organisation controls.",
    )
    parser.add_argument(
        "--version", action="version", version=f"coffre {package_version('coffre')}"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[..., Any], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def folder_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--folder", required=True, help="the synced folder")

    def passphrase_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--passphrase-file", help="read the vault passphrase from this file")

    for name, handler, text in (
        ("init", cmd_init, "create a vault in an empty store location and bind a folder to it"),
        ("join", cmd_join, "bind a folder to an existing vault"),
    ):
        p = command(name, handler, text)
        p.add_argument("--store", required=True, help="absolute path or file:// URL of the store")
        folder_arg(p)
        p.add_argument("--device-name", help="how other devices name this one (default: hostname)")
        passphrase_arg(p)

    p = command("sync", cmd_sync, "run sync rounds until the folder and the store agree")
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument("--allow-mass-delete", action="store_true", help="confirm a held mass deletion")

    p = command("watch", cmd_watch, "keep the folder in sync until interrupted")
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")

    for name, handler, text in (
        ("status", cmd_status, "show the folder's sync state and problems"),
        ("conflicts", cmd_conflicts, "list conflicts and where the losing versions are kept"),
    ):
        p = command(name, handler, text)
        folder_arg(p)
        p.add_argument("--json", action="store_true")

    p = command("history", cmd_history, "list the versions of a file")
    folder_arg(p)
    p.add_argument("path", help="path of the file, relative to the folder or absolute")
    p.add_argument("--json", action="store_true")

    p = command("restore", cmd_restore, "bring back a version of a file")
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument("path")
    p.add_argument("--version", dest="version", help="version id from `coffre history`")
    p.add_argument("--output", help="write the version to this file instead of PATH")

    p = command("quarantine", cmd_quarantine, "list (or restore) files removed by sync")
    folder_arg(p)
    p.add_argument("--restore", type=int, metavar="ID", help="put this item back in the folder")
    p.add_argument("--json", action="store_true")
    return parser


USAGE_ERRORS = (BindingError, PassphraseUnavailable, StoreConfigError)
RUN_ERRORS = (
    CoffreCryptoError,
    StoreError,
    FsError,
    VaultSetupError,
    JournalError,
    restore_mod.RestoreError,
    OSError,
)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.handler(args)
        if asyncio.iscoroutine(result):
            result = _run(result)
        return int(result)
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except USAGE_ERRORS as exc:
        _err(str(exc))
        return EXIT_USAGE
    except RUN_ERRORS as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
