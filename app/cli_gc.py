"""`coffre gc`, `coffre purge` and `coffre retention`: the store over years.

The decisions are sync_engine's (retention.py, gc_rules.py, vault_settings.py);
this module parses arguments, asks for confirmation and prints what happened.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from app.cli import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    _open,
    add_command,
    folder_arg,
    passphrase_arg,
)

if TYPE_CHECKING:  # the engine is imported by the commands, when they run (app/cli.py)
    from sync_engine.lifecycle.gc import GcReport


def _duration(text: str) -> int:
    from sync_engine.core.retention import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def _print_gc(report: GcReport) -> None:
    verb = "would be" if report.dry_run else "were"
    print(
        f"{report.kept_versions} versions kept, {report.dropped_versions} no longer kept; "
        f"store held {_mib(report.store_bytes_before)} of packs"
    )
    print(f"marked: {report.marked_packs} packs ({_mib(report.marked_bytes)}) {verb} marked")
    print(
        f"deleted: {report.deleted_packs} packs, {report.folded_segments} journal segments, "
        f"{report.deleted_snapshots} snapshots; reclaimed {report.reclaimed_bytes} bytes "
        f"({_mib(report.reclaimed_bytes)})"
    )
    if report.repacked_packs:
        print(
            f"repacked: {report.repacked_packs} mostly-garbage packs "
            f"({_mib(report.repacked_bytes_written)} of live chunks copied)"
        )
    if report.resurrected_packs:
        print(f"kept: {report.resurrected_packs} marked packs are in use again")
    if report.waiting_for:
        print(
            "waiting: marked packs are deleted once these devices have synced: "
            + ", ".join(sorted(report.waiting_for))
        )


async def cmd_gc(args: argparse.Namespace) -> int:
    from sync_engine.lifecycle.gc import Collector, GcRefused

    if args.reencrypt:
        return await _reencrypt(args)
    session = await _open(args)
    try:
        report = await Collector(session.engine).run(
            dry_run=args.dry_run, keep_within_ms=args.keep_within
        )
    except GcRefused as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    finally:
        await session.close()
    _print_gc(report)
    return EXIT_OK


async def _reencrypt(args: argparse.Namespace) -> int:
    """`coffre gc --reencrypt`: every referenced pack rewritten under the current epoch."""
    from app.reencrypt import reencrypter, rewrite_lines
    from sync_engine.lifecycle.gc import GcRefused
    from sync_engine.lifecycle.reencrypt import ReencryptRefused

    if args.dry_run or args.keep_within is not None:
        raise CliError("--reencrypt takes neither --dry-run nor --keep-within.", EXIT_USAGE)
    session = await _open(args)
    try:
        report = await reencrypter(session.engine)(session.engine.ring)
    except (GcRefused, ReencryptRefused) as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    finally:
        await session.close()
    for line in rewrite_lines(report):
        print(line)
    _print_gc(report.gc)
    return EXIT_OK


async def cmd_purge(args: argparse.Namespace) -> int:
    from app import restore as restore_mod
    from sync_engine.lifecycle.gc import Collector, GcRefused

    session = await _open(args)
    try:
        rel = restore_mod.relative_path(session.binding, args.path)
        count = len(session.state.versions_under(rel))
        if count == 0:
            raise CliError(f"{rel} has no history in this vault; nothing to purge.", EXIT_ERROR)
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError(
                    f"Purging {rel} erases its {count} versions from the store and from every "
                    "device, for good. Run again with --yes to confirm.",
                    EXIT_ERROR,
                )
            answer = input(
                f"Erase {rel} and its {count} versions from the store and every device, "
                "for good? Type 'purge' to confirm: "
            )
            if answer.strip() != "purge":
                print("Nothing was purged.")
                return EXIT_OK
        result = await Collector(session.engine).purge(rel)
    except GcRefused as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    finally:
        await session.close()
    print(f"purged: {rel}: {result.versions} versions erased from the history")
    _print_gc(result.gc)
    print(
        "Other devices drop it at their next sync (a copy on their disk goes to their "
        "quarantine); its data leaves the store once every device has synced and GC ran again."
    )
    return EXIT_OK


async def cmd_retention(args: argparse.Namespace) -> int:
    from sync_engine.core.retention import format_duration
    from sync_engine.lifecycle.gc import Collector, GcRefused

    session = await _open(args)
    values = {
        name: getattr(args, name)
        for name in ("keep_all_ms", "daily_ms", "deleted_ms", "silent_ms")
        if getattr(args, name) is not None
    }
    try:
        collector = Collector(session.engine)
        if values:
            settings = await collector.set_settings(values)
        else:
            settings = await collector.read_settings()
    except GcRefused as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    finally:
        await session.close()
    shown: dict[str, Any] = {k: format_duration(v) for k, v in settings.as_dict().items()}
    if args.json:
        print(json.dumps(shown, indent=2))
    else:
        print(
            f"every version kept for {shown['keep_all_ms']}, then one a day until "
            f"{shown['daily_ms']}; deleted files kept {shown['deleted_ms']}; a device silent "
            f"for {shown['silent_ms']} stops blocking garbage collection"
        )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "gc", cmd_gc, "free store space no kept version needs (no lock needed)")
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument("--dry-run", action="store_true", help="show what would go, change nothing")
    p.add_argument(
        "--keep-within",
        type=_duration,
        metavar="DURATION",
        help="keep every version younger than this and nothing older, this run only "
        "(0s keeps only the current tree); default: the vault's retention",
    )
    p.add_argument(
        "--reencrypt",
        action="store_true",
        help="rewrite every file stored under an older key epoch under the current one "
        "(what `members remove --reencrypt` does; finishes one that was interrupted)",
    )

    p = add_command(sub, "purge", cmd_purge, "erase a file or folder and all its versions")
    folder_arg(p)
    passphrase_arg(p)
    p.add_argument("path", help="path of the file or folder, relative to the folder or absolute")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    p = add_command(sub, "retention", cmd_retention, "show or set the vault's retention")
    folder_arg(p)
    passphrase_arg(p)
    for flag, dest, text in (
        ("--keep-all", "keep_all_ms", "keep every version this long (default 30d)"),
        ("--daily", "daily_ms", "then one version a day until this age (default 182d)"),
        ("--deleted", "deleted_ms", "keep deleted files this long (default 30d)"),
        ("--silent", "silent_ms", "a device silent this long stops blocking GC (default 90d)"),
    ):
        p.add_argument(flag, dest=dest, type=_duration, metavar="DURATION", help=text)
    p.add_argument("--json", action="store_true")
