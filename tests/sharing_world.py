"""A real format-2 vault shared by several people, in-process, for the engine's sharing tests.

Everything is the real thing: identities, device keys and certificates from
crypto/, the membership log written through `MembershipLog` on the given store
(entries signed with hybrid Ed25519 + ML-DSA-65), one `LocalState`, folder and
`Engine` per device, all on one store. Only the epoch keys are made here: the
ring is built directly from a random epoch key, as the app layer would obtain
it from an envelope (crypto/envelope.py), which is not what these tests are
about. A removal starts epoch 2 (the log says so); the devices that stay get
it, the removed one does not, as envelopes would do.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from crypto.device import DeviceKeys, certify_device
from crypto.identity import Identity, card_blob
from crypto.keyring import KeyRing
from crypto.keys import VaultKey
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine, RoundReport
from sync_engine.stores.base import Store
from sync_engine.vault.journal import Journal
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class SharedDevice:
    """One computer of one person: its keys, folder, state, membership log and engine."""

    name: str
    person: Identity
    keys: DeviceKeys
    folder: Path
    home: Path
    state: LocalState
    log: MembershipLog
    engine: Engine

    @property
    def device_id(self) -> str:
        return self.keys.device_id.hex()

    @property
    def journal(self) -> Journal:
        return self.engine.journal

    def write(self, rel: str, data: bytes | str) -> Path:
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def read(self, rel: str) -> bytes:
        return (self.folder / rel).read_bytes()

    def has(self, rel: str) -> bool:
        return (self.folder / rel).exists()

    async def sync(self) -> RoundReport:
        return await self.engine.sync()

    def close(self) -> None:
        self.state.close()


@dataclass
class SharedVault:
    """A v2 vault on `store`, its epoch keys, and the devices opened on it."""

    base: Path
    store: Store
    vault_id: bytes = field(default_factory=lambda: os.urandom(16))
    epochs: dict[int, VaultKey] = field(default_factory=dict)
    devices: list[SharedDevice] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.epochs.setdefault(1, VaultKey(self.vault_id, os.urandom(32)))

    @classmethod
    def upgrading(cls, base: Path, store: Store, key: VaultKey) -> SharedVault:
        """A v1 vault's key K made epoch 1 of a v2 vault on the same store (the upgrade)."""
        return cls(base, store, key.vault_id, {1: key})

    def ring(self, upto: int | None = None) -> KeyRing:
        """The ring of a device given the epochs up to `upto` (all by default)."""
        current = max(self.epochs) if upto is None else upto
        return KeyRing(
            self.vault_id, 2, {n: k for n, k in self.epochs.items() if n <= current}, current
        )

    def new_epoch(self) -> int:
        n = max(self.epochs) + 1
        self.epochs[n] = VaultKey(self.vault_id, os.urandom(32))
        return n

    def _open(self, name: str, person: Identity, keys: DeviceKeys) -> SharedDevice:
        folder = self.base / name
        folder.mkdir(parents=True, exist_ok=True)
        home = self.base / f"{name}-home"
        home.mkdir(exist_ok=True)
        fs = DiskFs(folder)
        fs.write_root_marker()
        state = LocalState(home / "state.db")
        log = MembershipLog(self.store, state, self.vault_id)
        engine = self.engine_for(name, keys, fs, state, log, home, self.ring())
        device = SharedDevice(name, person, keys, folder, home, state, log, engine)
        self.devices.append(device)
        return device

    def engine_for(
        self,
        name: str,
        keys: DeviceKeys,
        fs: DiskFs,
        state: LocalState,
        log: MembershipLog,
        home: Path,
        ring: KeyRing,
        engine_type: type[Engine] = Engine,
    ) -> Engine:
        return engine_type(
            store=self.store, key=ring, fs=fs, state=state, device_id=keys.device_id.hex(),
            device_name=name, quarantine_dir=home / "quarantine", signer=keys, membership=log,
        )  # fmt: skip

    async def create(
        self, person_name: str, device_name: str, *, v1_cut: dict[bytes, int] | None = None
    ) -> SharedDevice:
        """The vault's creation: `person_name` owns it through a new device; `v1_cut`: an
        upgraded vault's creation entry carries each v1 device's last seq."""
        person = Identity.generate(person_name)
        keys = DeviceKeys.generate(device_name)
        device = self._open(device_name, person, keys)
        now = _now_ms()
        await device.log.append(
            keys, EntryKind.CREATE, now, subject=person.identity_id, device=keys.device_id,
            role=Role.OWNER, identity=card_blob(person),
            certificate=certify_device(person, keys.public, now).to_bytes(), cut=v1_cut or {},
        )  # fmt: skip
        return device

    async def add_member(self, by: SharedDevice, person_name: str, role: Role) -> Identity:
        person = Identity.generate(person_name)
        await by.log.append(
            by.keys, EntryKind.ADD_MEMBER, _now_ms(), subject=person.identity_id, role=role,
            identity=card_blob(person),
        )  # fmt: skip
        return person

    async def join(self, person: Identity, device_name: str) -> SharedDevice:
        """A member's new computer adds itself to the log (certified by its person)."""
        keys = DeviceKeys.generate(device_name)
        device = self._open(device_name, person, keys)
        await device.log.add_own_device(person, keys, _now_ms())
        return device

    async def member(self, owner: SharedDevice, person_name: str, role: Role) -> SharedDevice:
        """A person added with `role`, and their first computer."""
        person = await self.add_member(owner, person_name, role)
        return await self.join(person, f"{person_name.lower()}-pc")

    def _cut(self, by: SharedDevice) -> dict[bytes, int]:
        """What `by` accepted from each device: the cut its entries carry."""
        return {bytes.fromhex(d): seq for d, seq in by.journal.read_positions().items()}

    async def change_role(self, by: SharedDevice, person: Identity, role: Role) -> None:
        await by.log.append(
            by.keys, EntryKind.CHANGE_ROLE, _now_ms(), subject=person.identity_id, role=role,
            cut=self._cut(by),
        )  # fmt: skip

    async def remove_member(self, by: SharedDevice, person: Identity) -> int:
        """Remove `person`; epoch n+1 goes to the devices that stay. Returns n+1."""
        await by.log.append(
            by.keys, EntryKind.REMOVE_MEMBER, _now_ms(), subject=person.identity_id,
            cut=self._cut(by),
        )  # fmt: skip
        epoch = self.new_epoch()
        for device in self.devices:
            if device.person.identity_id != person.identity_id:
                device.engine = self._reopened(device, self.ring())
        return epoch

    async def remove_device(self, by: SharedDevice, removed: SharedDevice) -> int:
        """Remove one computer; epoch n+1 goes to every other device. Returns n+1."""
        await by.log.append(
            by.keys, EntryKind.REMOVE_DEVICE, _now_ms(), subject=removed.person.identity_id,
            device=removed.keys.device_id, cut=self._cut(by),
        )  # fmt: skip
        epoch = self.new_epoch()
        for device in self.devices:
            if device is not removed:
                device.engine = self._reopened(device, self.ring())
        return epoch

    def _reopened(self, device: SharedDevice, ring: KeyRing) -> Engine:
        """The device's engine with a new ring (what opening the new epoch's envelope gives)."""
        fs = DiskFs(device.folder)
        return self.engine_for(
            device.name, device.keys, fs, device.state, device.log, device.home, ring,
            type(device.engine),
        )  # fmt: skip

    async def settle(self, rounds: int = 3) -> list[RoundReport]:
        """Every device syncs, in order, a few times over."""
        reports = []
        for _ in range(rounds):
            for device in self.devices:
                reports.append(await device.sync())
        return reports

    def close(self) -> None:
        for device in self.devices:
            device.close()
