"""Version-2 vaults on a store: create one, open its epoch keys, change its passphrase.

The bytes come from crypto/vault.py (header, slots wrapping the root R) and
crypto/epochs.py (statements, envelopes); the membership log from
membership_log.py; this module only orders the writes so an interruption
leaves a vault that still opens:

- Creation: slots (create-only), the log's creation entry `members/00000000`,
  epoch 1 (envelopes to the creating device, its person and the root, then
  statement 1), and the header LAST, create-only: a store without
  `coffre.json` is no vault yet, whatever else it holds.
- Passphrase change (an owner only: it starts an epoch): a rotate-key entry
  starting epoch n+1, epoch n+1 whose statement publishes the root public of a
  new root R' and whose `root` envelope is sealed to it, then new slots
  wrapping R' (create-only), the header over the old one, and the old slots
  are deleted (vault_store.apply_header_change). The old
  passphrase and recovery key open only the old header and the old root, which
  no envelope of epoch n+1 is sealed to
  (issue 16, finding 3). A crash after the rotate-key entry and before its
  statement leaves epoch n+1 unpublished; running the change again publishes
  that same epoch instead of starting another.
"""

from __future__ import annotations

from dataclasses import dataclass

from crypto.device import DeviceKeys
from crypto.epochs import root_kem
from crypto.header import V2, parse_header
from crypto.identity import Identity
from crypto.kdf import DEFAULT, Argon2Params
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.rng import RandomBytes, system_random
from crypto.vault import RootChange, change_root, create_vault_v2

from ..core.membership import MembershipHistory
from ..core.membership_entry import EntryKind
from ..stores.base import PutMode, Store
from .epoch_keys import EpochKeys, recipients_of
from .membership_log import MembershipLog
from .state import LocalState
from .vault_store import (
    apply_header_change,
    put_new_header,
    require_empty,
)

__all__ = [
    "CreatedV2",
    "PassphraseChanged",
    "change_passphrase_v2",
    "create_v2_vault_on_store",
    "epoch_keys_for",
    "open_v2_ring",
    "started_unpublished",
]


def epoch_keys_for(store: Store, log: MembershipLog, rng: RandomBytes = system_random) -> EpochKeys:
    """The epoch keys checked against what `log` accepted (read the log first)."""
    return EpochKeys(store, log.state.vault_id, log.history, log.read_through, rng)


@dataclass(frozen=True)
class CreatedV2:
    """A new version-2 vault: its root R (what the slots wrap), ring (E1) and recovery key."""

    root: VaultKey
    ring: KeyRing
    recovery_key: str
    log: MembershipLog
    header: bytes


async def create_v2_vault_on_store(
    store: Store,
    passphrase: str,
    person: Identity,
    device: DeviceKeys,
    local: LocalState,
    now_ms: int,
    params: Argon2Params = DEFAULT,
    language: str | None = None,
    rng: RandomBytes = system_random,
) -> CreatedV2:
    """A version-2 vault owned by `person` through `device`, on an empty store."""
    await require_empty(store)
    vault = create_vault_v2(passphrase, params, rng, language)
    root = vault.key
    for name, data in vault.slot_objects.items():
        await store.put(name, data, mode=PutMode.CREATE)
    log = MembershipLog(store, local, root.vault_id)
    state = await log.create(person, device, now_ms)
    keys = epoch_keys_for(store, log, rng)
    ring = await keys.write_epoch(
        1, None, state.position, recipients_of(state), device, root_kem(root).public
    )
    await put_new_header(store, vault.header)
    return CreatedV2(root, ring, vault.recovery_key, log, vault.header)


async def open_v2_ring(store: Store, root: VaultKey, log: MembershipLog) -> KeyRing:
    """The ring the root R opens (after a passphrase unlock of a version-2 header).

    Reads the membership log first, so the statements are checked against the
    newest entries; `EpochRefused` says why nothing opens.
    """
    await log.read()
    return await epoch_keys_for(store, log).open_with_root(root)


def started_unpublished(history: MembershipHistory, published: set[int]) -> int | None:
    """The log position of the entry that started the current epoch if it has no statement."""
    epoch = history.latest.epoch
    if epoch < 1 or epoch in published:
        return None
    return history.epoch_starts[epoch]


@dataclass(frozen=True)
class PassphraseChanged:
    """The new root R' (keep it as the unlocked key), ring (epoch n+1) and recovery key."""

    root: VaultKey
    ring: KeyRing
    recovery_key: str
    header: bytes


async def change_passphrase_v2(
    store: Store,
    header_bytes: bytes,
    root: VaultKey,
    new_passphrase: str,
    device: DeviceKeys,
    log: MembershipLog,
    now_ms: int,
    *,
    params: Argon2Params = DEFAULT,
    rng: RandomBytes = system_random,
) -> PassphraseChanged:
    """Change a version-2 vault's passphrase: new root R', new epoch sealed to it, new header.

    `device` must be an owner's (a rotate-key entry starts the epoch):
    `MembershipRefused` otherwise, before anything is written.
    """
    if parse_header(header_bytes).version != V2:
        raise ValueError("change_passphrase_v2 applies to format version 2 vaults")
    change: RootChange = change_root(header_bytes, root, new_passphrase, params=params, rng=rng)
    await log.read()
    keys = epoch_keys_for(store, log, rng)
    ring = await keys.open_with_root(root)
    statements, _ = await keys.statements()
    position = started_unpublished(log.history, set(statements))
    if position is None:  # refused for a non-owner, before anything is written
        position = (await log.append(device, EntryKind.ROTATE_KEY, now_ms)).position
    state = log.state
    keys = epoch_keys_for(store, log, rng)
    new_ring = await keys.write_epoch(
        state.epoch, ring, position, recipients_of(state), device, root_kem(change.root).public
    )
    await apply_header_change(store, change.change)
    written = change.change
    assert written.recovery_key is not None  # change_root always makes one
    return PassphraseChanged(change.root, new_ring, written.recovery_key, written.header)
