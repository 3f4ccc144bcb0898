"""Where a command gets its secrets: environment, file, or a terminal prompt.

The vault passphrase (`COFFRE_PASSPHRASE`, `--passphrase-file`), the recovery key
(`COFFRE_RECOVERY_KEY`, `--recovery-key-file`) and, after a recovery or for a
change, the new passphrase (`COFFRE_NEW_PASSPHRASE`). A variable is removed from
the environment once read, so programs Coffre starts (a file manager, an editor)
do not inherit it.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from crypto.errors import InvalidRecoveryKey
from crypto.recovery import parse_recovery_key

from .passphrase_strength import refusal
from .unlock import VaultSecret

ENV_VAR = "COFFRE_PASSPHRASE"
RECOVERY_ENV = "COFFRE_RECOVERY_KEY"
NEW_ENV = "COFFRE_NEW_PASSPHRASE"

# Values taken out of os.environ, for later reads in this process (the app opens
# several folders with the one passphrase it was started with).
_taken: dict[str, str] = {}


class PassphraseUnavailable(Exception):
    """No passphrase source: the message says how to give one."""


def take_env(name: str) -> str | None:
    """The variable's value, removed from os.environ at the first read."""
    value = os.environ.pop(name, None)
    if value:
        _taken[name] = value
    return _taken.get(name)


def forget_taken() -> None:
    """Drop what `take_env` kept (after use, and between tests)."""
    _taken.clear()


def _read_file(path: str, what: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PassphraseUnavailable(f"Cannot read the {what} file {path}: {exc.strerror}.") from exc
    value = text.rstrip("\r\n")
    if not value:
        raise PassphraseUnavailable(f"The {what} file {path} is empty.")
    return value


def read_passphrase(passphrase_file: str | None, *, confirm: bool = False) -> str:
    from_env = take_env(ENV_VAR)
    if from_env:
        passphrase = from_env
    elif passphrase_file:
        passphrase = _read_file(passphrase_file, "passphrase")
    elif sys.stdin.isatty():
        passphrase = getpass.getpass("Vault passphrase: ")
        if confirm and getpass.getpass("Type it again: ") != passphrase:
            raise PassphraseUnavailable("The two passphrases differ; nothing was changed.")
        if not passphrase:
            raise PassphraseUnavailable("An empty passphrase is not allowed.")
    else:
        raise PassphraseUnavailable(
            f"No passphrase given. Set {ENV_VAR}, pass --passphrase-file FILE, "
            "or run the command in a terminal to be asked for it."
        )
    if confirm:  # choosing a passphrase: the same rule as the app's
        _require_strong(passphrase)
    return passphrase


def _require_strong(passphrase: str) -> None:
    why = refusal(passphrase)
    if why is not None:
        raise PassphraseUnavailable(f"{why} Nothing was changed.")


def read_new_passphrase(purpose: str) -> str:
    """The passphrase to set (after a recovery, or a change): COFFRE_NEW_PASSPHRASE or a
    prompt typed twice; refused if too weak, before anything is unlocked."""
    passphrase = take_env(NEW_ENV)
    if not passphrase:
        if not sys.stdin.isatty():
            raise PassphraseUnavailable(
                f"{purpose} needs a new passphrase. Set {NEW_ENV}, or run the command in a "
                "terminal to be asked for it."
            )
        passphrase = getpass.getpass("New vault passphrase: ")
        if getpass.getpass("Type the new passphrase again: ") != passphrase:
            raise PassphraseUnavailable("The two new passphrases differ; nothing was changed.")
    _require_strong(passphrase)
    return passphrase


def read_recovery_key(recovery_key_file: str | None) -> str | None:
    """The recovery key from COFFRE_RECOVERY_KEY or the file, checked for typos; else None."""
    text = take_env(RECOVERY_ENV)
    if not text and recovery_key_file:
        text = _read_file(recovery_key_file, "recovery key")
    if not text:
        return None
    try:
        parse_recovery_key(text)
    except InvalidRecoveryKey as exc:
        raise PassphraseUnavailable(str(exc)) from None
    return text.strip()


def read_unlock_secret(passphrase_file: str | None, recovery_key_file: str | None) -> VaultSecret:
    """The passphrase, or the recovery key with the new passphrase that replaces the old.

    A recovery key given takes precedence: it is only ever given on purpose.
    """
    recovery = read_recovery_key(recovery_key_file)
    if recovery is not None:
        new = read_new_passphrase("Opening the vault with the recovery key")
        return VaultSecret(recovery_key=recovery, new_passphrase=new)
    return VaultSecret(passphrase=read_passphrase(passphrase_file))
