"""In-process devices for store-handling tests: real Engines on real folders and SQLite states.

Each device is a `DiskFs` folder, a `LocalState` file and an `Engine`, all on
one store (a folder store by default, or any `Store`), sharing a generated
vault key (no Argon2: these tests are about the store, not the passphrase).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from crypto.keys import VaultKey
from sync_engine.disk.localfs import DiskFs
from sync_engine.engine import Engine, RoundReport
from sync_engine.stores.base import Store
from sync_engine.vault.state import LocalState


@dataclass
class Device:
    name: str
    folder: Path
    home: Path
    store: Store
    key: VaultKey
    state: LocalState
    engine: Engine
    device_id: str

    @classmethod
    def open(
        cls, name: str, base: Path, store: Store, key: VaultKey, device_id: str | None = None
    ) -> Device:
        folder = base / name
        folder.mkdir(parents=True, exist_ok=True)
        home = base / f"{name}-home"
        home.mkdir(exist_ok=True)
        fs = DiskFs(folder)
        fs.write_root_marker()
        state = LocalState(home / "state.db")
        device_id = device_id or secrets.token_hex(16)
        engine = Engine(
            store=store,
            key=key,
            fs=fs,
            state=state,
            device_id=device_id,
            device_name=name,
            quarantine_dir=home / "quarantine",
        )
        return cls(name, folder, home, store, key, state, engine, device_id)

    def write(self, rel: str, data: bytes | str) -> Path:
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def read(self, rel: str) -> bytes:
        return (self.folder / rel).read_bytes()

    async def sync(self) -> RoundReport:
        return await self.engine.sync()

    def reopen(self, store: Store) -> Device:
        """The same device (folder, state, id) on another store object."""
        self.state.close()
        return Device.open(self.name, self.folder.parent, store, self.key, self.device_id)

    def close(self) -> None:
        self.state.close()
