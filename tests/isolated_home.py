"""A home of its own for a test: COFFRE_HOME, HOME, XDG_CONFIG_HOME and no machine policy.

The default synced folder ~/Coffre, the autostart entry, the bindings and the
settings file then land in a temporary directory, never in this machine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class IsolatedHome:
    root: Path
    home: Path  # HOME: the default synced folder is home / "Coffre"
    coffre_home: Path  # COFFRE_HOME: bindings, settings, the default store
    config_home: Path  # XDG_CONFIG_HOME: the autostart entry

    def switch_coffre_home(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Act as a second installation (another computer) from now on."""
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv("COFFRE_HOME", str(path))


def isolate_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedHome:
    env = IsolatedHome(
        root=tmp_path,
        home=tmp_path / "home",
        coffre_home=tmp_path / "coffre-home",
        config_home=tmp_path / "home" / ".config",
    )
    for path in (env.home, env.coffre_home, env.config_home):
        path.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(env.home))
    monkeypatch.setenv("COFFRE_HOME", str(env.coffre_home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(env.config_home))
    monkeypatch.setenv("COFFRE_POLICY_FILE", str(tmp_path / "no-policy.json"))
    return env
