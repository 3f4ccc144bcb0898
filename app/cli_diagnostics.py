"""`coffre diagnostics --output F.zip`: a support archive with nothing private in clear."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli import EXIT_OK, add_command


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from .diagnostics import write_archive  # here: the command line starts fast (app/cli.py)

    target = write_archive(Path(args.output).expanduser())
    print(f"Wrote {target}: versions, policy, folder states and recent logs; no passphrase, key,")
    print("credential, file name or content. Send it to your IT department.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "diagnostics",
        cmd_diagnostics,
        "write a support archive (versions, policy, states, recent logs; nothing private)",
    )
    p.add_argument("--output", required=True, metavar="FILE.zip", help="the archive to write")
