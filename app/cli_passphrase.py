"""`coffre passphrase change`: choose a new vault passphrase, retiring the old one.

The old secret is the passphrase (COFFRE_PASSPHRASE, --passphrase-file, prompt) or
the recovery key (COFFRE_RECOVERY_KEY, --recovery-key-file); the new passphrase
comes from COFFRE_NEW_PASSPHRASE or is typed twice, and must pass the same
strength rule as the app's. The vault header's epoch goes up, so every device
that syncs afterwards refuses the old header and the old passphrase with it.
"""

from __future__ import annotations

import argparse

from .cli import (
    EXIT_ERROR,
    EXIT_OK,
    CliError,
    add_command,
    folder_arg,
    passphrase_arg,
    recovery_arg,
)


async def cmd_passphrase_change(args: argparse.Namespace) -> int:
    from .device_key import keep_if_remembered
    from .folders import find_binding
    from .passphrase import read_new_passphrase, read_passphrase, read_recovery_key
    from .session import change_folder_passphrase, store_for
    from .unlock import OtherVault, VaultSecret

    binding = find_binding(args.folder)
    recovery = read_recovery_key(args.recovery_key_file)
    old = (
        VaultSecret(recovery_key=recovery)
        if recovery is not None
        else VaultSecret(passphrase=read_passphrase(args.passphrase_file))
    )
    new = read_new_passphrase("Changing the passphrase")
    try:
        unlocked = await change_folder_passphrase(
            binding, old, new, new_recovery_key=args.new_recovery_key
        )
    except OtherVault as exc:
        raise CliError(str(exc), EXIT_ERROR) from None
    store = store_for(binding.store)
    try:  # this computer, if remembered, keeps working; the others need the new one once
        await keep_if_remembered(store, binding, unlocked)
    finally:
        await store.close()
    print(
        f"The passphrase of the vault at {binding.store} was changed. The old one no longer "
        "opens it on any device that has synced since; type the new one on the others."
    )
    if unlocked.new_recovery_key is not None:
        print("New recovery key (write it down and keep it safe; the old one no longer works):")
        print(f"    {unlocked.new_recovery_key}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "passphrase", _usage, "change the vault passphrase")
    actions = p.add_subparsers(dest="passphrase_command", required=True)
    change = actions.add_parser(
        "change",
        help="choose a new passphrase (from COFFRE_NEW_PASSPHRASE or typed twice)",
        description="Choose a new vault passphrase. The old one (or the recovery key) opens "
        "the vault once more; the new one comes from COFFRE_NEW_PASSPHRASE or is typed twice.",
    )
    change.set_defaults(handler=cmd_passphrase_change)
    folder_arg(change)
    passphrase_arg(change)
    recovery_arg(change)
    change.add_argument(
        "--new-recovery-key",
        action="store_true",
        help="also replace the recovery key (the new one is shown once)",
    )


def _usage(_args: argparse.Namespace) -> int:
    raise CliError("Say what to do: `coffre passphrase change --folder FOLDER`.", 2)
