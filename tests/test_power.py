"""Battery saver: the platform probes' rules, and the live sync pausing while it is on."""

from __future__ import annotations

import asyncio

from app.power import (
    SystemPowerStatus,
    pmset_saver_from,
    profile_saves_power,
    windows_saver_from,
)
from sync_engine.events import FolderState
from sync_engine.live import LiveConfig
from tests.test_live import FAST, Network, eventually, idle, net  # noqa: F401 - net: fixture


def test_platform_rules() -> None:
    assert profile_saves_power("power-saver") is True
    assert profile_saves_power("balanced") is False
    assert profile_saves_power("") is None
    status = SystemPowerStatus()
    assert windows_saver_from(status) is False
    status.SystemStatusFlag = 1
    assert windows_saver_from(status) is True
    assert pmset_saver_from("System-wide power settings:\n lowpowermode         1\n") is True
    assert pmset_saver_from(" lowpowermode 0\n sleep 1\n") is False
    assert pmset_saver_from("no such line") is None


async def test_battery_saver_pauses_only_when_the_setting_says_so(net: Network) -> None:  # noqa: F811
    a = await net.device("alpha")
    b = await net.device("beta")
    await idle(a)
    await idle(b)
    a.live.set_power_saver(True)  # the setting is off by default: nothing pauses
    a.write("first.txt", b"syncs while saving battery")
    await eventually(lambda: b.has("first.txt", b"syncs while saving battery"))

    a.live.set_config(LiveConfig(**{**FAST.__dict__, "pause_on_power_saver": True}))
    await eventually(lambda: a.live.state is FolderState.PAUSED)
    assert a.states()[-1].paused_reason == "power_saver"
    a.write("second.txt", b"waits for the charger")
    await asyncio.sleep(0.8)
    assert not b.has("second.txt", b"waits for the charger")
    a.live.set_power_saver(False)
    await eventually(lambda: b.has("second.txt", b"waits for the charger"))
    await idle(a)
