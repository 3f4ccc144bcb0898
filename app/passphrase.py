"""Where a command gets the vault passphrase: environment, file, or a terminal prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

ENV_VAR = "COFFRE_PASSPHRASE"


class PassphraseUnavailable(Exception):
    """No passphrase source: the message says how to give one."""


def read_passphrase(passphrase_file: str | None, *, confirm: bool = False) -> str:
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return from_env
    if passphrase_file:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise PassphraseUnavailable(
                f"Cannot read the passphrase file {passphrase_file}: {exc.strerror}."
            ) from exc
        passphrase = text.rstrip("\r\n")
        if not passphrase:
            raise PassphraseUnavailable(f"The passphrase file {passphrase_file} is empty.")
        return passphrase
    if sys.stdin.isatty():
        passphrase = getpass.getpass("Vault passphrase: ")
        if confirm and getpass.getpass("Type it again: ") != passphrase:
            raise PassphraseUnavailable("The two passphrases differ; nothing was changed.")
        if not passphrase:
            raise PassphraseUnavailable("An empty passphrase is not allowed.")
        return passphrase
    raise PassphraseUnavailable(
        f"No passphrase given. Set {ENV_VAR}, pass --passphrase-file FILE, "
        "or run the command in a terminal to be asked for it."
    )
