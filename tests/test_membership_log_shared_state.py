"""Two membership log objects over one local state (the engine's and the app's "Share…"):
each sees the entries the other adopted, never a state older than the local one."""

from __future__ import annotations

from pathlib import Path

from crypto.device import DeviceKeys
from crypto.identity import Identity, card_blob
from sync_engine.core.membership_entry import EntryKind, Role
from sync_engine.stores.local import LocalStore
from sync_engine.vault.membership_log import MembershipLog
from sync_engine.vault.state import LocalState

VAULT = bytes.fromhex("6b" * 16)
NOW = 1_767_225_600_000


async def test_a_log_object_sees_what_another_on_the_same_state_adopted(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    store = LocalStore(tmp_path / "store")
    local = LocalState(tmp_path / "state.db")
    try:
        engine, dialog = MembershipLog(store, local, VAULT), MembershipLog(store, local, VAULT)
        alice, device = Identity.generate("Alice Martin"), DeviceKeys.generate("bureau")
        await engine.create(alice, device, NOW)
        read = await dialog.read()
        assert read.state.position == engine.state.position == 0
        assert set(read.state.members) == {alice.identity_id}

        bob = Identity.generate("Bob Durand")
        await engine.append(
            device, EntryKind.ADD_MEMBER, NOW, subject=bob.identity_id, role=Role.EDITOR,
            identity=card_blob(bob),
        )  # fmt: skip
        assert set((await dialog.read()).state.members) == {alice.identity_id, bob.identity_id}
        # And the other way round: an entry the dialog wrote is in the engine's next read.
        carol = Identity.generate("Carol Petit")
        await dialog.append(
            device, EntryKind.ADD_MEMBER, NOW, subject=carol.identity_id, role=Role.READER,
            identity=card_blob(carol),
        )  # fmt: skip
        assert carol.identity_id in (await engine.read()).state.members
        assert engine.state.position == dialog.state.position == 2
    finally:
        local.close()
