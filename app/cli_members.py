"""`coffre members list|add|remove|role|remove-device`: who shares a folder (issue 11 item 7).

`list` reads the folder's membership log from the store (no passphrase, no
key: the log is signed, not secret) and prints each member's name, role, id,
fingerprint and devices; `--json` gives a list of objects with `id`, `name`,
`role`, `devices` (each `id`, `name`, `this_device`), `fingerprint` and `me`.

The changes need this device's keys and the folder's epoch keys, opened as
`coffre sync` opens them (app/session.py): `add` reads a card (a file, or `-`
for standard input), prints the safety number to compare, and refuses with
exit 2, writing nothing, when `--fingerprint` does not match the card; `remove`
starts a new key epoch the person is not given and says what revocation cannot
do; `role` and `remove-device` write their entry. The service behind them is
app/members.py; its refusals are worded in app/messages.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .cli import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    _note,
    _secret,
    add_command,
    folder_arg,
    passphrase_arg,
)

if TYPE_CHECKING:  # imported by the commands when they run (app/cli.py: a fast start)
    from .members import MemberRow, MembersError
    from .session import MembersAccess

# Refusals that are the person's input, not the folder's state: exit 2.
_USAGE_KINDS = frozenset({"sharing.fingerprint_mismatch", "sharing.bad_role"})


def _fail(exc: MembersError) -> CliError:
    from .messages import describe

    code = EXIT_USAGE if exc.reason.kind in _USAGE_KINDS else EXIT_ERROR
    return CliError(describe(exc.reason), code)


async def _access(args: argparse.Namespace, *, keys: bool) -> MembersAccess:
    from .folders import find_binding
    from .members import MembersError
    from .session import open_members

    try:
        return await open_members(
            find_binding(args.folder), keys=keys, read_secret=lambda: _secret(args), note=_note
        )
    except MembersError as exc:
        raise _fail(exc) from None


def _print_rows(rows: list[MemberRow]) -> None:
    for row in rows:
        you = "  (you)" if row.me else ""
        print(f"{row.name}  [{row.role}]{you}")
        print(f"    id:          {row.id}")
        print(f"    fingerprint: {row.fingerprint}")
        for device in row.devices:
            here = "  (this computer)" if device.this_device else ""
            print(f"    device:      {device.id}  {device.name}{here}")
        if not row.devices:
            print("    device:      none yet (they join with `coffre join`)")


async def cmd_members_list(args: argparse.Namespace) -> int:
    from .members import MembersError

    access = await _access(args, keys=False)
    try:
        rows = await access.service.list()
    except MembersError as exc:
        raise _fail(exc) from None
    finally:
        await access.close()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    _print_rows(rows)
    return EXIT_OK


def _card_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CliError(f"Cannot read the card {source}: {exc.strerror}.", EXIT_USAGE) from None


async def cmd_members_add(args: argparse.Namespace) -> int:
    from .members import MembersError, MembersService

    card = _card_text(args.card)
    try:  # a damaged card or a wrong fingerprint is refused before the vault is opened
        MembersService.check_card(card, fingerprint=args.fingerprint)
    except MembersError as exc:
        raise _fail(exc) from None
    access = await _access(args, keys=True)
    try:
        preview = access.service.preview(card)
        row = await access.service.add(card, args.role, fingerprint=args.fingerprint)
    except MembersError as exc:
        raise _fail(exc) from None
    finally:
        await access.close()
    print(f"Added {row.name} as {row.role} ({row.id}).")
    print(f"Fingerprint:   {row.fingerprint}")
    print(f"Safety number: {preview.safety_number}")
    print(
        f"Call {row.name} (or meet) and read the safety number to each other: their Coffre "
        "shows the same digits. If one differs, remove them at once "
        f"(`coffre members remove --folder {args.folder} {row.id}`). They can now join "
        "the folder with `coffre join`."
    )
    return EXIT_OK


async def cmd_members_remove(args: argparse.Namespace) -> int:
    from .members import MembersError

    access = await _access(args, keys=True)
    try:
        report = await access.service.remove(args.id, reencrypt=args.reencrypt)
    except MembersError as exc:
        raise _fail(exc) from None
    finally:
        await access.close()
    devices = len(report.devices)
    print(
        f"Removed {report.name} ({report.id}) and their {devices} device(s). New files are "
        f"sealed under key epoch {report.epoch}, which they were not given."
    )
    print(
        "What removal cannot do: they keep every file they already downloaded, and the files "
        "stored before now stay readable with the keys they held (unless rewritten with "
        "--reencrypt)."
    )
    print(
        "Withdraw their access to the storage too (their S3 keys or WebDAV account): "
        "Coffre cannot do that for you."
    )
    return EXIT_OK


async def cmd_members_role(args: argparse.Namespace) -> int:
    from .members import MembersError

    access = await _access(args, keys=True)
    try:
        await access.service.set_role(args.id, args.role)
        rows = await access.service.list()
    except MembersError as exc:
        raise _fail(exc) from None
    finally:
        await access.close()
    changed = next((r for r in rows if r.id.startswith(args.id.strip().lower())), None)
    who = changed.name if changed else args.id
    print(f"{who} is now {args.role}.")
    return EXIT_OK


async def cmd_members_remove_device(args: argparse.Namespace) -> int:
    from .members import MembersError

    access = await _access(args, keys=True)
    try:
        await access.service.remove_device(args.device)
    except MembersError as exc:
        raise _fail(exc) from None
    finally:
        await access.close()
    print(
        f"Removed the device {args.device}. New files are sealed under a new key it was not "
        "given; what it already downloaded stays on it. Withdraw its storage credentials too."
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "members", _usage, "who shares a folder, and their roles")
    actions = p.add_subparsers(dest="members_command", required=True)

    listing = actions.add_parser(
        "list",
        help="the members, their roles, fingerprints and devices",
        description="List the folder's members as its signed member list says.",
    )
    listing.set_defaults(handler=cmd_members_list)
    folder_arg(listing)
    listing.add_argument("--json", action="store_true", help="id, name, role, devices, fingerprint")

    add = actions.add_parser(
        "add",
        help="add a colleague from their identity card (owners)",
        description="Add the person whose identity card is given; prints the safety number "
        "to compare with them by phone or in person.",
    )
    add.set_defaults(handler=cmd_members_add)
    folder_arg(add)
    add.add_argument("--card", required=True, metavar="FILE", help="the card file, or - for stdin")
    add.add_argument("--role", required=True, choices=("editor", "reader"))
    add.add_argument(
        "--fingerprint", metavar="F", help="refuse the card unless its fingerprint is F"
    )
    passphrase_arg(add)

    remove = actions.add_parser(
        "remove",
        help="remove a member and renew the folder's key (owners)",
        description="Remove a member and their devices; new files are sealed under a key "
        "they are not given.",
    )
    remove.set_defaults(handler=cmd_members_remove)
    folder_arg(remove)
    remove.add_argument("id", help="the member's id (or its start)")
    remove.add_argument(
        "--reencrypt", action="store_true", help="also rewrite older files under the new key"
    )
    passphrase_arg(remove)

    role = actions.add_parser(
        "role", help="change a member's role (owners)", description="Change a member's role."
    )
    role.set_defaults(handler=cmd_members_role)
    folder_arg(role)
    role.add_argument("id", help="the member's id (or its start)")
    role.add_argument("role", choices=("reader", "editor", "owner"))
    passphrase_arg(role)

    device = actions.add_parser(
        "remove-device",
        help="remove one device, such as a lost laptop",
        description="Remove one device of a member (owners: anyone's; members: their own).",
    )
    device.set_defaults(handler=cmd_members_remove_device)
    folder_arg(device)
    device.add_argument("device", help="the device id (or its start, or its name)")
    passphrase_arg(device)


def _usage(_args: argparse.Namespace) -> int:
    raise CliError(
        "Say what to do: `coffre members list|add|remove|role|remove-device --folder FOLDER`.",
        EXIT_USAGE,
    )
