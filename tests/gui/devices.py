"""Two real devices of one vault for the GUI tests (tests/vault_devices.py), and the bridge.

Device A is what the window shows (its engine runs in the bridge's thread);
device B is driven directly by the test, with its own asyncio loop and engine,
to make changes that A receives through the real store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.activity import FolderModel
from app.gui.engine_bridge import EngineBridge
from sync_engine.events import FolderState
from sync_engine.live import LiveConfig
from tests.vault_devices import (  # noqa: F401 - fixtures and helpers the GUI tests import from here
    FAST_KDF,
    PASSPHRASE,
    Device,
    Vault,
    create_store,
    device_b_fixture,
    make_vault,
    vault_fixture,
    vault_template_fixture,
)

# Quick polls: a change on B reaches A within a fraction of a second.
FAST_LIVE = LiveConfig(active_poll_s=0.2, idle_poll_s=0.3, settle_s=0.05, rescan_every_s=3600)
WAIT_MS = 30_000  # as the wizard and policy tests: a 2-core CI machine mid-suite can take >15 s


@pytest.fixture(name="bridge")
def bridge_fixture(qtbot: Any) -> Iterator[EngineBridge]:
    bridge = EngineBridge(FAST_LIVE)
    yield bridge
    bridge.stop()


def start_a(qtbot: Any, bridge: EngineBridge, vault: Vault) -> FolderModel:
    """Open folder A in the bridge and wait for its first round to settle."""
    model = bridge.add_folder(vault.a)
    with qtbot.waitSignal(bridge.folderOpened, timeout=WAIT_MS):
        bridge.open_folder(vault.a, PASSPHRASE)
    wait_idle(qtbot, model)
    return model


def wait_idle(qtbot: Any, model: FolderModel) -> None:
    qtbot.waitUntil(
        lambda: model.state is FolderState.IDLE and model.last_sync_ns is not None,
        timeout=WAIT_MS,
    )
