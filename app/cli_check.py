"""`coffre check`, `coffre repair` and `coffre move-store`: the store's health and its address.

check: exit 0 when the store holds everything the journals reference, intact;
1 otherwise, with every finding and every affected file (by path: this runs
on the person's own machine) on stderr. move-store: exit 0 once the vault is
copied, verified and the old store forwards to the new one.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from .cli import (
    EXIT_ERROR,
    EXIT_OK,
    _ask_credentials,
    _open,
    add_command,
    folder_arg,
    passphrase_arg,
)

if TYPE_CHECKING:  # the engine is imported by the commands, when they run (app/cli.py)
    from sync_engine.lifecycle.check import CheckReport


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (0 to 100)") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage between 0 and 100")
    return value


def print_check(report: CheckReport, lost: set[tuple[str, bytes]]) -> int:
    """Findings and affected files on stderr, a summary on stdout; the exit code."""
    for finding in report.findings:
        print(f"coffre: {finding.kind}: {finding.key}: {finding.detail}", file=sys.stderr)
    for item in report.affected:
        where = {
            (r.pack_id, r.chunk_id) for v in report.versions if v.vid == item.vid for r in v.chunks
        }
        state = "lost" if where & lost else "affected"
        which = "current version" if item.current else f"older version {item.vid}"
        print(f"coffre: {state}: {item.path} ({which}): {item.reason}", file=sys.stderr)
    read = f", {report.packs_read} read in full" if report.packs_read else ""
    print(
        f"Checked {report.devices} devices, {report.segments} journal segments, "
        f"{len(report.versions)} versions, {report.packs} packs{read}: "
        + (
            "no problem found."
            if report.sound
            else f"{len(report.findings)} problems, {len(report.affected)} file versions affected."
        )
    )
    if not report.sound:
        print(
            "Run `coffre repair` on a device that still has the affected files: it sends "
            "them again and marks the rest lost.",
        )
    return EXIT_OK if report.sound else EXIT_ERROR


async def cmd_check(args: argparse.Namespace) -> int:
    from sync_engine.lifecycle.check import check_store
    from sync_engine.lifecycle.repair import lost_chunks

    from .move import forwarded_to

    session = await _open(args)
    try:
        moved = await forwarded_to(session)
        if moved is not None:
            print(
                f"coffre: the vault moved to {moved}; run `coffre sync` to follow it there, "
                "then check again.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        report = await check_store(
            session.store,
            session.key,
            local_versions=session.state.all_versions(),
            names=session.engine.journal.device_names(),
            read_data_percent=args.read_data,
            authors=session.engine.journal.authors(),
        )
        lost = lost_chunks(session.state)
    finally:
        await session.close()
    return print_check(report, lost)


async def cmd_repair(args: argparse.Namespace) -> int:
    from sync_engine.lifecycle.repair import repair

    session = await _open(args)
    try:
        result = await repair(session.engine, read_data_percent=args.read_data)
    finally:
        await session.close()
    for path in result.resent:
        print(f"sent again: {path}")
    for path in result.lost:
        print(f"coffre: lost: {path}: no device copy to send again", file=sys.stderr)
    if not result.resent and not result.lost:
        print("Nothing to repair: the store holds everything the journals reference.")
        return EXIT_OK
    print(f"{len(result.resent)} files sent again, {len(result.lost)} file versions lost.")
    return EXIT_ERROR if result.lost else EXIT_OK


async def cmd_move_store(args: argparse.Namespace) -> int:
    from sync_engine.lifecycle.move import MoveError
    from sync_engine.stores.url import parse_store_url

    from .move import forwarded_to, move_vault

    address = args.to
    wanted = parse_store_url(address).url
    credentials = _ask_credentials(address)
    session = await _open(args)
    old = session.store.url
    try:
        already = await forwarded_to(session)
        if already is not None and already != wanted:
            print(
                f"coffre: this vault already moved to {already}; nothing was changed.",
                file=sys.stderr,
            )
            return EXIT_ERROR

        def progress(key: str, copied: int) -> None:
            if copied % 200 == 0:
                print(f"  {copied} objects copied and verified", flush=True)

        outcome = await move_vault(session, address, credentials, progress=progress)
    except MoveError as exc:
        # Printed here: under `python -m app.cli` this module sees another CliError class.
        print(f"coffre: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        await session.close()
    report = outcome.report
    for damaged in report.damaged:
        print(f"coffre: damaged (copied as it was): {damaged}", file=sys.stderr)
    how = "resumed; " if report.resumed else ""
    if report.already_moved:
        print(f"The vault had moved to {wanted}: {session.binding.folder} now syncs there.")
    else:
        print(
            f"Moved the vault from {old} to {wanted} ({how}{report.copied} objects, "
            f"{report.bytes_copied} bytes, copied and read back). The old store now forwards "
            "to the new one: other devices follow on their next sync. Keep the old store "
            "until they have."
        )
    return EXIT_OK


def register(sub: Any) -> None:
    def read_data_arg(p: argparse.ArgumentParser, help_text: str) -> None:
        p.add_argument(
            "--read-data", nargs="?", const=100.0, type=_percent, metavar="PERCENT", help=help_text
        )

    p = add_command(sub, "check", cmd_check, "verify that the store holds every file, intact")
    folder_arg(p)
    passphrase_arg(p)
    read_data_arg(p, "also download and decrypt the packs (all, or this percentage at random)")
    p = add_command(
        sub, "repair", cmd_repair, "send again what the store lost, from this device's files"
    )
    folder_arg(p)
    passphrase_arg(p)
    read_data_arg(p, "find damaged packs by reading them too (as `check --read-data`)")
    p = add_command(
        sub,
        "move-store",
        cmd_move_store,
        "copy the vault to another (empty) store, verify it, and make every device follow",
    )
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="the new store: a folder path, s3://bucket/prefix?endpoint=... or webdavs://host/path",
    )
