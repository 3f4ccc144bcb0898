"""Moving a vault to another store, and devices following it there.

`move_store` copies every object of the old store to the new one, reading
each back and comparing it before going on, in passes until a pass finds
nothing new (devices may still be writing to the old store meanwhile); the
vault header goes last, so the new store is a complete vault only once
everything else is there. Then the forwarding record (crypto/forward.py) is
put in the old store as `heads/moved`, and one more pass copies what devices
wrote until they saw it. The new store holds a `coffre-move` marker while
the copy runs: an interrupted move is resumed from where it stopped, and any
other non-empty destination is refused.

Devices find `heads/moved` in the LIST of `heads/` each round already makes;
the journal raises `StoreMoved` and the engine follows (engine.py): it checks
that the new store holds this vault (the header authenticates with the key),
copies anything of the old store still missing there (its own last writes),
and switches. Packs read in full on the way go through read_index.

`key` is the vault's KeyRing (a VaultKey means a v1 vault): packs and heads
open with the key of the epoch that sealed them. The forwarding record and
the header check use epoch 1's key, which is the v1 vault key (and the root
of a vault upgraded from v1); a vault created in format 2 MACs its header
under its root key, which the header's own code checks.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from crypto.errors import CoffreCryptoError
from crypto.forward import Forward, open_forward, seal_forward
from crypto.header import parse_header, verify_header
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.pack import read_index
from crypto.records import open_head

from ..stores.base import PutMode, Store
from ..stores.errors import ObjectExists, ObjectNotFound
from ..vault.journal import MOVED_KEY, StoreMoved
from ..vault.vault_store import HEADER_KEY

MARKER_KEY = "coffre-move"
MAX_PASSES = 8
__all__ = ["MOVED_KEY", "Follower", "MoveError", "MoveReport", "StoreMoved", "follow", "move_store"]
_NOT_COPIED = frozenset({HEADER_KEY, MOVED_KEY, MARKER_KEY})


class MoveError(Exception):
    """The move cannot go on; the message says why and what to do. Nothing was lost."""


class Follower(Protocol):
    """What the engine needs of its front-end to follow a moved vault."""

    async def open(self, url: str) -> Store:
        """The store at the new address, with this computer's credentials for it."""
        ...

    async def switched(self, store: Store) -> None:
        """The engine now uses `store`: remember its address (the binding), drop the old one."""
        ...


@dataclass
class MoveReport:
    copied: int = 0
    bytes_copied: int = 0
    passes: int = 0
    resumed: bool = False
    already_moved: bool = False
    damaged: list[str] = field(default_factory=list)  # packs copied as they were, failing checks


Progress = Callable[[str, int], None]  # (key copied, objects copied so far)


def _is_device_head(key: str) -> bool:
    device = key.removeprefix("heads/")
    return device != key and len(device) == 32 and all(c in "0123456789abcdef" for c in device)


def _is_pack(key: str) -> bool:
    return key.startswith("packs/")


async def read_forward(store: Store, key: VaultKey | KeyRing) -> Forward | None:
    """The store's forwarding record, authenticated, or None when the vault is here."""
    try:
        data = await store.get(MOVED_KEY)
    except ObjectNotFound:
        return None
    return open_forward(KeyRing.of(key).stable, data, found_in=store.url)


async def _copy_one(
    source: Store, target: Store, key: VaultKey | KeyRing, name: str, report: MoveReport
) -> None:
    data = await source.get(name)
    if _is_pack(name):
        try:
            read_index(key, bytes.fromhex(name.rsplit("/", 1)[1]), data)
        except (CoffreCryptoError, ValueError) as exc:
            report.damaged.append(f"{name}: {exc}")  # copied as is: `coffre check` tells more
    mode = PutMode.OVERWRITE if name.startswith("heads/") else PutMode.CREATE
    with contextlib.suppress(ObjectExists):  # compared below, like a fresh write
        await target.put(name, data, mode=mode)
    back = await target.get(name)
    if hashlib.sha256(back).digest() != hashlib.sha256(data).digest():
        raise MoveError(
            f"{target.url} holds {name} with other content than {source.url}: the copy "
            "was changed or the new store does not keep what it is given. Nothing was "
            "switched; check the new store."
        )
    report.copied += 1
    report.bytes_copied += len(data)


async def copy_pass(
    source: Store,
    target: Store,
    key: VaultKey | KeyRing,
    report: MoveReport,
    *,
    compare_existing: bool = False,
    progress: Progress | None = None,
) -> int:
    """Copy what the target lacks (and heads that changed); how many objects were copied."""
    there = {i.key: i for i in await target.list("")}
    copied = 0
    for info in await source.list(""):
        name = info.key
        if name in _NOT_COPIED:
            continue
        have = there.get(name)
        if have is not None:
            if _is_device_head(name):
                if not await _source_head_newer(source, target, key, name):
                    continue
            elif (not compare_existing and have.size == info.size) or (
                await target.get(name) == await source.get(name)
            ):
                continue
            else:
                raise MoveError(
                    f"{target.url} already holds {name} with other content: it is not a "
                    "copy of this vault. Choose an empty location."
                )
        await _copy_one(source, target, key, name, report)
        copied += 1
        if progress is not None:
            progress(name, report.copied)
    return copied


async def _source_head_newer(
    source: Store, target: Store, key: VaultKey | KeyRing, name: str
) -> bool:
    """Whether the source's head of a device is ahead of the target's (never copy one back)."""
    device = bytes.fromhex(name.split("/", 1)[1])
    theirs = open_head(key, await source.get(name), device_id=device)
    try:
        ours = open_head(key, await target.get(name), device_id=device)
    except CoffreCryptoError:
        return True  # a damaged copy: the source's authenticated head replaces it
    return theirs.seq > ours.seq


async def _check_target_vault(target: Store, key: VaultKey | KeyRing) -> None:
    ring = KeyRing.of(key)
    try:
        header = parse_header(await target.get(HEADER_KEY))
        if header.version >= 2 and header.vault_id == ring.vault_id:
            # A format-2 header's MAC is under the root R, which a device opened by its
            # own keys does not hold (and E1 is R only in an upgraded vault): the header
            # copied is the source's byte for byte, and every object copied opened with
            # this vault's epoch keys.
            return
        verify_header(header, ring.stable)
    except ObjectNotFound:
        raise MoveError(f"{target.url} holds no copy of this vault (no header).") from None
    except CoffreCryptoError as exc:
        raise MoveError(f"{target.url} holds another vault, or an altered one: {exc}") from None


async def move_store(
    source: Store,
    target: Store,
    key: VaultKey | KeyRing,
    *,
    now_ms: int,
    progress: Progress | None = None,
) -> MoveReport:
    """Copy the vault from `source` to `target`, verify it, and leave the forwarding record."""
    report = MoveReport()
    if source.url == target.url:
        raise MoveError(f"The vault is already at {source.url}.")
    forward = await read_forward(source, key)
    if forward is not None:
        if forward.target != target.url:
            raise MoveError(f"This vault already moved from {source.url} to {forward.target}.")
        report.already_moved = True  # finish an interrupted end: catch up, drop the marker
        await _check_target_vault(target, key)
    else:
        listing = await target.list("")
        marker = Forward(source.url, target.url, now_ms)
        if listing:
            if not await _is_our_marker(target, key, marker):
                raise MoveError(
                    f"{target.url} is not empty. Move the vault to an empty location (a new "
                    "bucket, prefix or folder); nothing was changed."
                )
            report.resumed = True
        else:
            await target.put(
                MARKER_KEY, seal_forward(KeyRing.of(key).stable, marker), mode=PutMode.CREATE
            )
    for _ in range(MAX_PASSES):
        report.passes += 1
        compare = report.resumed and report.passes == 1
        if not await copy_pass(
            source, target, key, report, compare_existing=compare, progress=progress
        ):
            break
    else:
        raise MoveError(
            f"{source.url} kept changing during {MAX_PASSES} copy passes; run the move "
            "again when the devices are quieter (it resumes)."
        )
    if not report.already_moved:
        header = await source.get(HEADER_KEY)
        with contextlib.suppress(ObjectExists):
            await target.put(HEADER_KEY, header, mode=PutMode.CREATE)
        if await target.get(HEADER_KEY) != header:
            raise MoveError(f"{target.url} holds another vault header; nothing was switched.")
        await _check_target_vault(target, key)
        await source.put(
            MOVED_KEY, seal_forward(KeyRing.of(key).stable, Forward(source.url, target.url, now_ms))
        )
    await copy_pass(source, target, key, report, progress=progress)  # writes made meanwhile
    await target.delete(MARKER_KEY)
    return report


async def _is_our_marker(target: Store, key: VaultKey | KeyRing, marker: Forward) -> bool:
    try:
        found = open_forward(
            KeyRing.of(key).stable, await target.get(MARKER_KEY), found_in=marker.source
        )
    except (ObjectNotFound, CoffreCryptoError):
        return False
    return found.target == marker.target


async def follow(old: Store, new: Store, key: VaultKey | KeyRing, forward: Forward) -> int:
    """Check that `new` is this vault's new home and bring it what `old` still has more."""
    if new.url != forward.target:
        raise MoveError(f"The vault moved to {forward.target}, not to {new.url}.")
    await _check_target_vault(new, key)
    return await copy_pass(old, new, key, MoveReport())
