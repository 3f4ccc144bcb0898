"""`coffre enrol --policy FILE`: set a person's computer up from the organisation's policy.

For deployment scripts: nothing is asked. The store is the policy's
`store_url` (with {user} replaced by the login name), the folder the policy's
`default_folder` (else ~/Coffre), the passphrase comes from COFFRE_PASSPHRASE
or --passphrase-file, and the storage credentials from the environment or the
OS keyring (or none, for a mounted share). If the store already holds a vault
this computer joins it; otherwise, when the policy lets it, the vault is
created and its recovery key printed once.

Exit codes: 0 enrolled (or already enrolled with this store), 2 the policy or
the environment is missing something (the message says what), 1 an error.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .cli import EXIT_OK, EXIT_USAGE, CliError, add_command, passphrase_arg

if TYPE_CHECKING:  # imported by the command when it runs (app/cli.py: a fast start)
    from .policy.model import Policy


def _policy(args: argparse.Namespace) -> Policy:
    from .policy.sources import load_policy, policy_from_json_file

    if args.policy:
        path = Path(args.policy)
        if not path.is_file():
            raise CliError(f"The policy file {path} does not exist.", EXIT_USAGE)
        return policy_from_json_file(path)
    return load_policy()


def enrol_folder(policy: Policy, given: str | None) -> Path:
    """The folder to sync: --folder if the policy allows a choice, else the policy's."""
    from .paths import default_sync_folder

    planned = policy.default_folder() or default_sync_folder()
    if given is None:
        return planned
    chosen = Path(given).expanduser().resolve()
    if policy.get("disable_custom_folder") and chosen != planned.expanduser().resolve():
        raise CliError(
            f"The organisation's policy puts the synced folder at {planned}; another "
            "location is not allowed.",
            EXIT_USAGE,
        )
    return chosen


def _check_credentials(address: str) -> None:
    """Fail with the variables to set when the store needs credentials nobody gave."""
    from sync_engine.stores.url import LocalSpec, WebDavSpec, parse_store_url

    from .credentials import load_credentials

    spec = parse_store_url(address)
    if isinstance(spec, LocalSpec) or (isinstance(spec, WebDavSpec) and spec.user is None):
        return
    if load_credentials(spec) is None:
        raise CliError(
            f"No credentials for {spec.url} in the environment or the system keyring. Set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (S3) or COFFRE_WEBDAV_PASSWORD "
            "(WebDAV), or store them in the keyring first.",
            EXIT_USAGE,
        )


async def cmd_enrol(args: argparse.Namespace) -> int:
    from . import setup
    from .folders import BindingError, find_binding
    from .passphrase import ENV_VAR, read_passphrase
    from .policy.model import ensure_store_allowed

    policy = _policy(args)
    if policy.broken:
        raise CliError(
            f"The policy {policy.source} cannot be used: {'; '.join(policy.problems)}.",
            EXIT_USAGE,
        )
    address = policy.store_url()
    if not address:
        raise CliError(
            f"The policy {policy.source or '(none)'} names no store (store_url): nothing to "
            "enrol in.",
            EXIT_USAGE,
        )
    ensure_store_allowed(policy, address)
    folder = enrol_folder(policy, args.folder)
    try:
        existing = find_binding(folder)
    except BindingError:
        existing = None
    if existing is not None:
        if existing.store == setup.stored_address(address):
            print(f"{folder} is already enrolled with {existing.store}.")
            return EXIT_OK
        raise CliError(f"{folder} is already synced with {existing.store}.", EXIT_USAGE)
    _check_credentials(address)
    if not args.passphrase_file and not _env_passphrase():
        raise CliError(
            f"No passphrase: set {ENV_VAR} or pass --passphrase-file (enrol never asks).",
            EXIT_USAGE,
        )
    passphrase = read_passphrase(args.passphrase_file)
    found = await setup.check_connection(address, None, for_create=False)
    if found.ok:
        result = await setup.join_vault(folder, address, None, passphrase, args.device_name)
        print(f"Enrolled {folder} in the vault at {result.binding.store}.")
        return EXIT_OK
    if found.problem not in ("no_vault", "not_found"):  # not_found: a folder store to make
        raise CliError(found.message, EXIT_USAGE if found.problem == "config" else 1)
    # No vault yet: this is the person's first computer.
    result = await setup.create_vault(folder, address, None, passphrase, args.device_name)
    print(f"Created the vault at {result.binding.store} and enrolled {folder}.")
    print("Recovery key (write it down and keep it safe; it is shown only once):")
    print(f"    {result.recovery_key}")
    return EXIT_OK


def _env_passphrase() -> bool:
    import os

    from .passphrase import ENV_VAR

    return bool(os.environ.get(ENV_VAR))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "enrol",
        cmd_enrol,
        "set this computer up from the organisation's policy, without asking anything",
    )
    p.add_argument(
        "--policy",
        metavar="FILE",
        help='a policy file ({"settings": ..., "locked": ...}); default: the machine\'s',
    )
    p.add_argument("--folder", help="the folder to sync (default: the policy's default_folder)")
    p.add_argument("--device-name", help="how other devices name this one (default: hostname)")
    passphrase_arg(p)
