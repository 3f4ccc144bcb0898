"""What another computer needs to join this folder's vault: the store address to type.

The "Add another computer" dialog and its test use this; the address never
holds a secret (passwords and S3 keys live in the OS keyring, and store
addresses never carry them), so it can be shown and copied as is.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from sync_engine.stores.url import LocalSpec, parse_store_url

from .folders import Binding
from .paths import default_store_dir


@dataclass(frozen=True)
class JoinInfo:
    address: str  # what to type in "Join an existing vault" on the other computer
    command: str  # the same with the command line
    on_this_computer_only: bool  # the default store: another computer cannot reach it
    needs_credentials: bool  # S3 or WebDAV: the other computer needs its own access keys


def join_info(binding: Binding) -> JoinInfo:
    spec = parse_store_url(binding.store)
    if isinstance(spec, LocalSpec):
        address = str(spec.path)
        local = _inside(spec.path, default_store_dir())
    else:
        address, local = spec.url, False
    command = f"coffre join --store {shlex.quote(address)} --folder ~/Coffre"
    return JoinInfo(address, command, local, not isinstance(spec, LocalSpec))


def _inside(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True
