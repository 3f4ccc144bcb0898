"""Upgrading a version-1 vault to version 2 in place, by a device that holds its key K.

K becomes both the root R (the existing passphrase and recovery slots already
wrap it: crypto/keyslot.py keeps the slot AAD at version 1) and the epoch key
E1 (so every v1 chunk, pack, segment and head stays readable unchanged). Steps,
each one safe to repeat:

1. the v1 cut: each device's newest v1 segment seq, from its head `heads/<device>`;
2. the membership log's creation entry (`members/00000000`): the caller's
   identity owns the vault through the caller's device, with the v1 cut;
3. epoch 1: envelopes of K to the device, the identity and the root
   recipient of R = K, then statement 1 (signed by the creating device);
4. the version-2 header, LAST (epoch + 1, so a device that saw it refuses the
   v1 header a store could serve again).

Until step 4 the store's header is version 1, and v1 clients ignore
`members/` and `keys/epochs/`: a crash anywhere before leaves a working v1
vault, and running the upgrade again resumes (the creation and statement 1
are reused when they are there; statement 1 must commit to K). If another
device made the creation entry, that device writes statement 1; once it has,
any holder of K may finish step 4 (the header is MACed with K alone).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

from crypto.device import DeviceKeys
from crypto.envelope import key_commitment
from crypto.epochs import root_kem
from crypto.errors import CoffreCryptoError
from crypto.header import V1, V2, parse_header, verify_header
from crypto.identity import Identity
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from crypto.reason import Reason
from crypto.records import open_head
from crypto.vault import upgraded_header

from ..core.membership import MembershipRefused
from ..stores.base import PutMode, Store
from ..stores.errors import ObjectNotFound
from .epoch_keys import history_of, recipients_of
from .journal import HEADS
from .membership_log import MembershipLog
from .vault_store import HEADER_KEY, read_header_bytes
from .vault_v2 import epoch_keys_for

__all__ = ["UpgradeProblem", "UpgradeRefused", "Upgraded", "read_v1_cut", "upgrade_v1_vault"]

_DEVICE_HEAD = re.compile(r"heads/([0-9a-f]{32})")


class UpgradeProblem(StrEnum):
    """Why the upgrade stopped (worded in app/messages.py); nothing of v1 was changed."""

    IN_PROGRESS = "upgrade.in_progress"  # another device started it; its statement 1 is awaited
    OTHER_KEY = "upgrade.other_key"  # statement 1 commits to a key that is not this vault's K
    BAD_HEAD = "upgrade.bad_head"  # device: a v1 head that does not open with K
    HEADER_CHANGED = "upgrade.header_changed"  # coffre.json changed meanwhile: run it again


class UpgradeRefused(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.kind} {reason.as_dict()}")
        self.reason = reason


@dataclass(frozen=True)
class Upgraded:
    """The vault's ring after the upgrade, and what the creation entry recorded."""

    ring: KeyRing
    cut: dict[bytes, int]  # device id -> its last v1 segment seq (read from heads/)
    cut_recorded: bool  # False while the entry format has no cut field (branch authority)
    by_this_device: bool  # this call wrote the creation entry (else it joined another's)


async def read_v1_cut(store: Store, key: VaultKey) -> dict[bytes, int]:
    """Each device's newest v1 segment seq, from the heads K opens (`heads/moved` aside)."""
    cut: dict[bytes, int] = {}
    for info in await store.list(HEADS):
        match = _DEVICE_HEAD.fullmatch(info.key)
        if match is None:
            continue
        device = bytes.fromhex(match.group(1))
        try:
            data = await store.get(info.key)
        except ObjectNotFound:
            continue
        try:
            head = open_head(key, data, device_id=device)
        except CoffreCryptoError as exc:
            raise UpgradeRefused(
                Reason.of(UpgradeProblem.BAD_HEAD, device=device.hex(), detail=str(exc))
            ) from None
        if head.version != V1:
            raise UpgradeRefused(
                Reason.of(UpgradeProblem.BAD_HEAD, device=device.hex(), detail="not a v1 head")
            )
        cut[device] = head.seq
    return cut


async def upgrade_v1_vault(
    store: Store,
    key: VaultKey,
    person: Identity,
    device: DeviceKeys,
    log: MembershipLog,
    now_ms: int,
) -> Upgraded:
    """Upgrade the v1 vault on `store` (K = `key`) to version 2; resume a partial upgrade.

    `person` and `device` (the app's identity and this computer's keys) become
    the vault's first owner and its device. A vault already at version 2 is only
    opened. `UpgradeRefused` if another device's upgrade is under way.
    """
    header_bytes = await read_header_bytes(store)
    header = parse_header(header_bytes)
    verify_header(header, key)
    if header.version == V2:  # done already (by this device or another)
        await log.read()
        ring = await epoch_keys_for(store, log).open_with_root(key)
        return Upgraded(ring, {}, cut_recorded=False, by_this_device=False)
    cut = await read_v1_cut(store, key)
    await log.read()
    by_this_device = False
    if log.state.position < 0:
        try:
            await log.create(person, device, now_ms)  # the cut: see Upgraded.cut_recorded
            by_this_device = True
        except MembershipRefused:
            await log.read()  # another device's creation took slot 0
            if log.state.position < 0:
                raise
    at_creation = history_of(key.vault_id, log.accepted()[:1]).at(0)
    keys = epoch_keys_for(store, log)
    statements, _ = await keys.statements()
    if 1 in statements and not hmac.compare_digest(
        statements[1].commit, key_commitment(key.secret, vault_id=key.vault_id, key_id=1)
    ):
        raise UpgradeRefused(Reason.of(UpgradeProblem.OTHER_KEY))
    if device.device_id in at_creation.devices:
        # writes statement 1, or finds it there (same K) and seals the envelopes again
        await keys.write_epoch(
            1, None, 0, recipients_of(at_creation), device, root_kem(key).public, key=key.secret
        )
    elif 1 not in statements:
        raise UpgradeRefused(Reason.of(UpgradeProblem.IN_PROGRESS))
    if await read_header_bytes(store) != header_bytes:  # a v1 passphrase change meanwhile
        raise UpgradeRefused(Reason.of(UpgradeProblem.HEADER_CHANGED))
    await store.put(HEADER_KEY, upgraded_header(header_bytes, key), mode=PutMode.OVERWRITE)
    ring = await epoch_keys_for(store, log).open_with_root(key)
    return Upgraded(ring, cut, cut_recorded=False, by_this_device=by_this_device)
