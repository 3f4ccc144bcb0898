"""The desktop app under a policy that forbids a bound folder's store: the folder does not
open, and the reason (the organisation's policy) is what the window is told."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.gui.engine_bridge import EngineBridge

from .devices import (  # noqa: F401 - the fixtures
    PASSPHRASE,
    Vault,
    bridge_fixture,
    vault_fixture,
    vault_template_fixture,
)

WAIT_MS = 30_000


@pytest.mark.parametrize("policy_text", ["forbids", "broken"])
def test_a_forbidden_store_does_not_open(
    qtbot: Any,
    bridge: EngineBridge,
    vault: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    policy_text: str,
) -> None:
    policy = tmp_path / "policy.json"
    if policy_text == "forbids":
        policy.write_text(json.dumps({"settings": {"store_url": str(tmp_path / "other")}}))
    else:
        policy.write_text('{"settings": {"store_url": 42}}')
    monkeypatch.setenv("COFFRE_POLICY_FILE", str(policy))
    model = bridge.add_folder(vault.a)
    with qtbot.waitSignal(bridge.folderFailed, timeout=WAIT_MS) as failed:
        bridge.open_folder(vault.a, PASSPHRASE)
    assert failed.args[0] == vault.a.folder_id and not model.ready
    # Told in the interface's language (French here), from the refusal's typed reason.
    expected = "interdit de synchroniser avec" if policy_text == "forbids" else "inutilisable"
    assert "politique de votre organisation" in failed.args[1] and expected in failed.args[1]
