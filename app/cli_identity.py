"""`coffre identity create|show`: this computer's person, and the card they send colleagues.

`create` makes the identity (signing and encryption keys) and keeps its private
keys in the system keyring, or, without one, in a file under the passphrase
(COFFRE_PASSPHRASE, --passphrase-file, or typed twice). `show` prints the name,
id and fingerprint; `--json` gives `id`, `name`, `fingerprint`, `card` (and
`kept_in`); `--card` prints the card alone, so that
`coffre identity show --card > me.txt` is the file a person mails. `compare`
reads a colleague's card and prints the safety number both people compare by
phone or in person (`--fingerprint F` refuses a card whose keys do not match).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .account_name import default_name
from .cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CliError, add_command, passphrase_arg
from .paths import coffre_home

# The crypto and the identity store are imported by the commands when they run: the
# command line starts without them (app/cli.py, tests/test_cli_start.py).
if TYPE_CHECKING:
    from . import identity_store


def cmd_identity_create(args: argparse.Namespace) -> int:
    from crypto.identity import InvalidName, check_name

    from . import identity_store
    from .passphrase import read_passphrase

    try:
        name = check_name(args.name if args.name is not None else default_name())
    except InvalidName as exc:
        raise CliError(f"{exc} Nothing was created.", EXIT_USAGE) from None

    def passphrase() -> str:
        print(
            "note: no system keyring can keep your identity's private keys on this computer; "
            f"they are kept in {coffre_home()} under your passphrase instead.",
            file=sys.stderr,
            flush=True,
        )
        return read_passphrase(args.passphrase_file, confirm=True)

    try:
        stored = identity_store.create(name, passphrase, replace=args.replace)
    except identity_store.IdentityError as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    print(f"Created the identity of {stored.name}.")
    _print_summary(stored)
    print(
        "Send your card to the colleagues who will share folders with you: "
        "`coffre identity show --card > my-card.txt`, then compare the safety number "
        "Coffre shows them by phone or in person."
    )
    return EXIT_OK


def _where(stored: identity_store.StoredIdentity) -> str:
    from .identity_store import IN_KEYRING

    if stored.kept_in == IN_KEYRING:
        return "in the system keyring"
    return f"in {coffre_home()}, protected by your passphrase"


def _print_summary(stored: identity_store.StoredIdentity) -> None:
    print(f"Name:         {stored.name}")
    print(f"Id:           {stored.identity_id.hex()}")
    print(f"Fingerprint:  {stored.fingerprint}")
    print(f"Private keys: {_where(stored)}")


def cmd_identity_show(args: argparse.Namespace) -> int:
    from . import identity_store

    try:
        stored = identity_store.load()
    except identity_store.IdentityError as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    if stored is None:
        raise CliError(str(identity_store.NoIdentity()), EXIT_ERROR)
    if args.card:
        sys.stdout.write(stored.card)
        return EXIT_OK
    if args.json:
        print(
            json.dumps(
                {
                    "id": stored.identity_id.hex(),
                    "name": stored.name,
                    "fingerprint": stored.fingerprint,
                    "card": stored.card,
                    "kept_in": stored.kept_in,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    _print_summary(stored)
    print("Your card, to send to colleagues: `coffre identity show --card > my-card.txt`.")
    return EXIT_OK


def _read_card_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CliError(f"Cannot read the card {source}: {exc.strerror}.", EXIT_USAGE) from None


def cmd_identity_compare(args: argparse.Namespace) -> int:
    from crypto.identity import fingerprint_matches, parse_card, safety_number

    from . import identity_store

    try:
        mine = identity_store.load()
    except identity_store.IdentityError as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    if mine is None:
        raise CliError(str(identity_store.NoIdentity()), EXIT_ERROR)
    theirs = parse_card(_read_card_text(args.card))  # InvalidCard: exit 1 with the reason
    if args.fingerprint is not None and not fingerprint_matches(theirs, args.fingerprint):
        raise CliError(
            f"The card of {theirs.name} has the fingerprint {theirs.fingerprint}, not the "
            f"{args.fingerprint.strip()} you were given: it is not the card you expected. "
            "Ask the person for their card again, in person or by phone.",
            EXIT_ERROR,
        )
    number = safety_number(mine.public, theirs)
    if args.json:
        print(
            json.dumps(
                {
                    "id": theirs.identity_id.hex(),
                    "name": theirs.name,
                    "fingerprint": theirs.fingerprint,
                    "safety_number": number,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(f"Name:          {theirs.name}")
    print(f"Id:            {theirs.identity_id.hex()}")
    print(f"Fingerprint:   {theirs.fingerprint}")
    print(f"Safety number: {number}")
    print(
        f"Call {theirs.name} (or meet) and read the safety number to each other: their "
        "Coffre shows the same digits for your card. If a digit differs, the card is not "
        "theirs: do not add it."
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "identity", _usage, "your identity for sharing folders with colleagues")
    actions = p.add_subparsers(dest="identity_command", required=True)
    create = actions.add_parser(
        "create",
        help="create your identity (keys kept in the system keyring, else under a passphrase)",
        description="Create your identity: the keys colleagues use to share folders with you. "
        "The private keys stay on this computer, in the system keyring or, without one, in a "
        "file protected by a passphrase (COFFRE_PASSPHRASE, --passphrase-file, or typed twice).",
    )
    create.set_defaults(handler=cmd_identity_create)
    create.add_argument("--name", help="your name as colleagues will see it (default: account)")
    create.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing identity (colleagues will have to add you again)",
    )
    passphrase_arg(create)
    show = actions.add_parser(
        "show",
        help="show your name, id, fingerprint and identity card",
        description="Show your identity. --card prints the card alone, to send by mail: "
        "`coffre identity show --card > my-card.txt`.",
    )
    show.set_defaults(handler=cmd_identity_show)
    form = show.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="id, name, fingerprint, card as JSON")
    form.add_argument("--card", action="store_true", help="print the identity card alone")
    compare = actions.add_parser(
        "compare",
        help="check a colleague's card and show the safety number to compare with them",
        description="Read a colleague's identity card, check it, and show the safety number "
        "you both read aloud to be sure the card is theirs.",
    )
    compare.set_defaults(handler=cmd_identity_compare)
    compare.add_argument("--card", required=True, metavar="FILE", help="the card file, or -")
    compare.add_argument(
        "--fingerprint", metavar="F", help="refuse the card unless its fingerprint is F"
    )
    compare.add_argument("--json", action="store_true", help="id, name, fingerprint, number")


def _usage(_args: argparse.Namespace) -> int:
    raise CliError("Say what to do: `coffre identity create`, `show` or `compare --card FILE`.", 2)
