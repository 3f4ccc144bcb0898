"""`coffre devices list|remember|forget`: the computers that open a vault without its passphrase.

A remembered device holds its own keys in its OS keyring and finds on the store
an envelope of the vault key sealed to them (app/device_key.py). `list` shows
the devices that have an envelope; `remember` makes one for this computer (the
passphrase is asked if no key is kept yet); `forget` deletes a device's envelope
(this computer's by default, and then its keyring entry too), from any device
bound to the vault: a lost laptop asks for the passphrase at its next start.
Listing and forgetting need the store's access, not the passphrase.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .cli import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    _err,
    _open,
    _secret,
    add_command,
    folder_arg,
    passphrase_arg,
)

if TYPE_CHECKING:  # imported by the commands when they run (app/cli.py: a fast start)
    from .device_key import KeptDevice
    from .folders import Binding


def _device_names(binding: Binding) -> dict[str, str]:
    """Device id -> name, as this device's journal knows them (local state only)."""
    from sync_engine.vault.state import LocalState

    state = LocalState(binding.state_path)
    try:
        names = {d: h.name for d, h in state.accepted_heads().items()}
    finally:
        state.close()
    names[binding.device_id] = binding.device_name
    return names


def _rows(binding: Binding, kept: list[KeptDevice]) -> list[dict[str, Any]]:
    names = _device_names(binding)
    return [
        {
            "device_id": k.device_id,
            "name": names.get(k.device_id),
            "this_device": k.device_id == binding.device_id.lower(),
        }
        for k in kept
    ]


async def _kept(binding: Binding) -> list[KeptDevice]:
    from .device_key import kept_devices
    from .session import store_for

    store = store_for(binding.store)
    try:
        return await kept_devices(store)
    finally:
        await store.close()


async def _shared(binding: Binding) -> bool:
    """Whether the bound vault is format 2 (every device has its own keys and envelope)."""
    from crypto.header import parse_header
    from sync_engine.vault.vault_store import read_header_bytes

    from .session import store_for

    store = store_for(binding.store)
    try:
        return parse_header(await read_header_bytes(store)).version >= 2
    finally:
        await store.close()


async def _log_rows(binding: Binding) -> list[dict[str, Any]]:
    """A format-2 vault's current devices, as its membership log says (no secret needed)."""
    from .members import MembersError
    from .session import open_members

    access = await open_members(binding, keys=False, read_secret=str, note=_err)
    try:
        members = await access.service.list()
    except MembersError as exc:
        from .messages import describe

        raise CliError(describe(exc.reason)) from None
    finally:
        await access.close()
    return [
        {"device_id": d.id, "name": d.name, "this_device": d.this_device, "member": m.name}
        for m in members
        for d in m.devices
    ]


async def cmd_devices_list(args: argparse.Namespace) -> int:
    from .folders import find_binding

    binding = find_binding(args.folder)
    if await _shared(binding):
        rows = await _log_rows(binding)
    else:
        rows = _rows(binding, await _kept(binding))
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        here = "  (this computer)" if row["this_device"] else ""
        print(f"{row['device_id']}  {row['name'] or '(name not known here)'}{here}")
    if not rows:
        print("No device opens this vault without its passphrase.")
    return EXIT_OK


def _chosen(binding: Binding, rows: list[dict[str, Any]], wanted: str) -> dict[str, Any]:
    """The one remembered device `wanted` names: its id, the start of it, or its name."""
    text = wanted.strip().lower()
    by_id = [r for r in rows if r["device_id"] == text]
    by_prefix = [r for r in rows if len(text) >= 4 and r["device_id"].startswith(text)]
    by_name = [r for r in rows if (r["name"] or "").lower() == text]
    for found in (by_id, by_prefix, by_name):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise CliError(
                f"{wanted!r} names several remembered devices: give the device id "
                "(`coffre devices list`).",
                EXIT_USAGE,
            )
    raise CliError(
        f"No remembered device of {binding.folder} is {wanted!r}: see `coffre devices list`.",
        EXIT_USAGE,
    )


async def cmd_devices_forget(args: argparse.Namespace) -> int:
    from .device_key import forget
    from .folders import find_binding
    from .session import store_for

    binding = find_binding(args.folder)
    if await _shared(binding):
        return await _forget_shared(args, binding)
    if args.device is None:
        device_id, name, this = binding.device_id.lower(), binding.device_name, True
    else:
        row = _chosen(binding, _rows(binding, await _kept(binding)), args.device)
        device_id, name, this = (
            row["device_id"],
            row["name"] or row["device_id"],
            row["this_device"],
        )
    store = store_for(binding.store)
    try:
        found = await forget(store, binding, device_id)
    finally:
        await store.close()
    if this:
        print(
            "This computer is forgotten: its key is deleted from the store and the keyring; "
            "the passphrase will be asked."
        )
    elif found:
        print(
            f"Forgot {name}: its key is deleted from the store; it asks for the passphrase at "
            "its next start. Without a new vault key (not possible yet), a device that "
            "already had the key may have kept a copy: change the passphrase if it was lost."
        )
    else:
        print(f"{name} was not remembered.")
    return EXIT_OK


async def _forget_shared(args: argparse.Namespace, binding: Binding) -> int:
    """Format 2: this computer stops opening the vault by itself (its own keys stay: they
    sign its changes); another device is removed from the vault (`members remove-device`)."""
    import asyncio

    from .device_key import forget_here
    from .members import MembersError
    from .session import open_members

    if args.device is None or args.device.strip().lower() in (
        binding.device_id.lower(),
        binding.device_name.lower(),
    ):
        await asyncio.to_thread(forget_here, binding)
        print("This computer is forgotten: the passphrase will be asked.")
        return EXIT_OK
    access = await open_members(binding, keys=True, read_secret=lambda: _secret(args), note=_err)
    try:
        await access.service.remove_device(args.device)
    except MembersError as exc:
        from .messages import describe

        raise CliError(describe(exc.reason)) from None
    finally:
        await access.close()
    print(
        f"Removed the device {args.device} from the vault: new files are sealed under a key it "
        "was not given, and its changes are no longer accepted. What it already downloaded "
        "stays on it; withdraw its storage credentials too."
    )
    return EXIT_OK


async def cmd_devices_remember(args: argparse.Namespace) -> int:
    from .folders import find_binding
    from .key_cache import KeyCacheUnavailable
    from .session import FolderSession
    from .unlock import CachedKeyRejected

    try:  # a key kept already, or a raw one an older Coffre kept (converted): no passphrase
        session = await FolderSession.open_kept(find_binding(args.folder))
    except CachedKeyRejected as exc:
        _err(f"note: {exc}")
        session = None
    if session is None:
        session = await _open(args)
    try:
        await session.keep_key()
    except KeyCacheUnavailable as exc:
        raise CliError(str(exc)) from None
    finally:
        await session.close()
    print(
        f"This computer is remembered for {session.binding.folder}: commands open the vault "
        "without the passphrase (`coffre devices forget` undoes it)."
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub, "devices", _usage, "list, remember or forget computers that open without passphrase"
    )
    actions = p.add_subparsers(dest="devices_command", required=True)
    listing = actions.add_parser(
        "list",
        help="the devices that open this vault without the passphrase",
        description="List the devices that have a key kept for them on the store.",
    )
    listing.set_defaults(handler=cmd_devices_list)
    folder_arg(listing)
    listing.add_argument("--json", action="store_true")

    remember = actions.add_parser(
        "remember",
        help="keep a key for this computer (asks the passphrase once)",
        description="Keep a key for this computer: its own keys in the system keyring and "
        "the vault key sealed to them on the store. Later commands open the vault without "
        "the passphrase until the device is forgotten or the passphrase changes.",
    )
    remember.set_defaults(handler=cmd_devices_remember)
    folder_arg(remember)
    passphrase_arg(remember)

    forget = actions.add_parser(
        "forget",
        help="delete a device's kept key (this computer's by default)",
        description="Delete the key kept for a device (by id, the start of its id, or its "
        "name; this computer when none is given). It then needs the passphrase again.",
    )
    forget.set_defaults(handler=cmd_devices_forget)
    folder_arg(forget)
    passphrase_arg(forget)
    forget.add_argument("device", nargs="?", help="the device id or name (default: this one)")


def _usage(_args: argparse.Namespace) -> int:
    raise CliError(
        "Say what to do: `coffre devices list|remember|forget --folder FOLDER`.", EXIT_USAGE
    )
