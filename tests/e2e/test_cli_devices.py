"""Remembered devices through the real CLI and the real Secret Service (issue 16.2, 13.2).

A remembered device opens the vault with its own keys (in gnome-keyring, under a
service of this test) and the envelope `keys/device-<id>` on the store, without
the passphrase; `coffre devices forget` from another device revokes it; a
passphrase change invalidates every envelope until the new passphrase is typed;
an envelope altered, moved to another device or put back after a change opens
nothing; a raw key kept by an older Coffre is converted on first use.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import device_key, key_cache
from crypto.keys import VaultKey
from sync_engine.stores.local import LocalStore
from sync_engine.vault.vault_store import unlock_vault
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

from .conftest import (
    EXIT_OK,
    EXIT_USAGE,
    PASSPHRASE,
    REPO_ROOT,
    Device,
    MakeDevices,
    folder_location,
    run_cli,
    wait_until,
)

NEW = "lanterne rouge sur le quai 19"


@pytest.fixture
def services() -> Iterator[dict[str, str]]:
    """Keyring services of this test only: device keys, and raw keys of older versions."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    tag = uuid.uuid4().hex[:12]
    env = {
        device_key.SERVICE_ENV: f"coffre-device-e2e-{tag}",
        key_cache.SERVICE_ENV: f"coffre-vault-e2e-{tag}",
    }
    yield env
    for name in env.values():
        clear_keyring_service(name)


def binding(device: Device) -> dict[str, str]:
    (path,) = device.home.glob("folders/*/binding.json")
    found: dict[str, str] = json.loads(path.read_text())
    return found


def cli(
    device: Device,
    services: dict[str, str],
    *args: str,
    passphrase: str | None = None,
    code: int | None = EXIT_OK,
    extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`coffre ARGS` for the device, with no passphrase unless one is given."""
    env = device.env(keep_passphrase=False) | services | (extra or {})
    if passphrase is not None:
        env["COFFRE_PASSPHRASE"] = passphrase
    device.calls.append(" ".join(device.argv(args)))
    return run_cli(device.argv(args), env=env, check_code=code)


def devices_cmd(
    device: Device, services: dict[str, str], *args: str, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """`coffre devices ACTION --folder F [ARGS]`."""
    action, *rest = args
    return cli(device, services, "devices", action, "--folder", str(device.folder), *rest, **kw)


def device_entry(services: dict[str, str], device: Device) -> str | None:
    import keyring

    b = binding(device)
    return keyring.get_password(services[device_key.SERVICE_ENV], b["vault_id"] + b["device_id"])


def refused_without_passphrase(device: Device, services: dict[str, str], why: str) -> None:
    proc = cli(device, services, "sync", code=EXIT_USAGE)
    assert why in proc.stderr and "No passphrase given" in proc.stderr, proc.stderr


def test_remembered_devices_open_without_passphrase_and_forgetting_one_revokes_it(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta = make_devices(2)
    refused_without_passphrase(alpha, services, "")  # nothing kept yet: the passphrase
    for d in (alpha, beta):
        shown = devices_cmd(d, services, "remember", passphrase=PASSPHRASE)
        assert "This computer is remembered" in shown.stdout
    ids = {d.name: binding(d)["device_id"] for d in (alpha, beta)}
    assert set(alpha.location.objects("keys/device-")) == {f"keys/device-{i}" for i in ids.values()}

    alpha.write("notes/plan.txt", "le plan de la semaine")
    beta.write("notes/budget.txt", "le budget")
    cli(alpha, services, "sync")  # no passphrase anywhere in its environment
    cli(beta, services, "sync")
    cli(alpha, services, "sync")  # beta's head names it
    assert beta.read("notes/plan.txt") == b"le plan de la semaine"
    assert alpha.read("notes/budget.txt") == b"le budget"

    rows = json.loads(devices_cmd(alpha, services, "list", "--json").stdout)
    assert sorted((r["name"], r["this_device"]) for r in rows) == [
        ("alpha", True),
        ("beta", False),
    ]
    forgot = devices_cmd(alpha, services, "forget", "beta")
    assert "Forgot beta" in forgot.stdout
    assert set(alpha.location.objects("keys/device-")) == {f"keys/device-{ids['alpha']}"}

    # The lost laptop: its keyring still holds its keys, but they open nothing now.
    assert device_entry(services, beta) is not None
    refused_without_passphrase(beta, services, "no longer remembered")
    assert device_entry(services, beta) is None, "a forgotten device drops its keys"
    cli(beta, services, "sync", passphrase=PASSPHRASE)
    refused_without_passphrase(beta, services, "")  # forgotten stays forgotten
    cli(alpha, services, "sync")  # the other device is untouched


@pytest.mark.folder_only
def test_watch_opens_with_the_kept_key(make_devices: MakeDevices, services: dict[str, str]) -> None:
    (alpha,) = make_devices(1)
    devices_cmd(alpha, services, "remember", passphrase=PASSPHRASE)
    env = alpha.env(keep_passphrase=False) | services
    log = alpha.home / "watch.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *alpha.argv(["watch", "--interval", "0.3"])],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_until(lambda: b"Watching" in log.read_bytes(), 60), log.read_text()
    finally:
        proc.terminate()
        proc.wait(30)
    assert b"No passphrase" not in log.read_bytes()


@pytest.mark.folder_only
def test_a_passphrase_change_retires_every_envelope_until_the_new_one_is_typed(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta = make_devices(2)
    for d in (alpha, beta):
        devices_cmd(d, services, "remember", passphrase=PASSPHRASE)
    beta_envelope = f"keys/device-{binding(beta)['device_id']}"
    sealed_before = alpha.location.read(beta_envelope)

    change = ("passphrase", "change", "--folder", str(alpha.folder))
    cli(alpha, services, *change, passphrase=PASSPHRASE, extra={"COFFRE_NEW_PASSPHRASE": NEW})
    refused_without_passphrase(beta, services, "no longer opens the vault")
    cli(alpha, services, "sync")  # the computer that changed it sealed its key again
    # Typing the new passphrase once seals a fresh envelope: the next runs need none.
    cli(beta, services, "sync", passphrase=NEW)
    cli(beta, services, "sync")
    # A store that puts the envelope of the old epoch back gains nothing.
    alpha.location.write(beta_envelope, sealed_before)
    refused_without_passphrase(beta, services, "no longer opens the vault")


@pytest.mark.folder_only
def test_an_altered_or_swapped_envelope_opens_nothing(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta = make_devices(2)
    for d in (alpha, beta):
        devices_cmd(d, services, "remember", passphrase=PASSPHRASE)
    a_name = f"keys/device-{binding(alpha)['device_id']}"
    b_name = f"keys/device-{binding(beta)['device_id']}"
    a_env = alpha.location.read(a_name)

    alpha.location.write(b_name, a_env)  # alpha's envelope under beta's name
    refused_without_passphrase(beta, services, "no longer opens the vault")
    flipped = bytearray(a_env)
    flipped[-5] ^= 0x01
    alpha.location.write(a_name, bytes(flipped))
    refused_without_passphrase(alpha, services, "no longer opens the vault")
    cli(alpha, services, "sync", passphrase=PASSPHRASE)  # seals a good one again
    cli(alpha, services, "sync")
    assert alpha.location.read(a_name) != bytes(flipped)


@pytest.mark.folder_only
def test_a_raw_key_kept_by_an_older_coffre_is_converted_on_first_use(
    make_devices: MakeDevices, services: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha, beta = make_devices(2)
    for name, value in services.items():
        monkeypatch.setenv(name, value)

    async def vault_key() -> VaultKey:
        store = LocalStore(str(alpha.store))
        try:
            return await unlock_vault(store, passphrase=PASSPHRASE)
        finally:
            await store.close()

    key = asyncio.run(vault_key())
    key_cache.remember(key)  # what the app before device keys left in the keyring
    refused_without_passphrase(alpha, services, "")  # the CLI never read those raw keys
    devices_cmd(alpha, services, "remember")  # converts it: no passphrase needed
    assert key_cache.recall(key.vault_id.hex()) is None, "the raw key is gone"
    assert device_entry(services, alpha) is not None
    assert f"keys/device-{binding(alpha)['device_id']}" in alpha.location.objects("keys/device-")
    cli(alpha, services, "sync")  # and the device key opens it from now on

    key_cache.remember(VaultKey(key.vault_id, bytes(32)))  # a stale raw key, for beta
    proc = devices_cmd(beta, services, "remember", code=EXIT_USAGE)
    assert "no longer opens the vault" in proc.stderr and "No passphrase given" in proc.stderr
    assert key_cache.recall(key.vault_id.hex()) is None, "a refused raw key is forgotten"


def test_init_and_join_remember_and_a_missing_keyring_is_a_note(
    tmp_path: Path, services: dict[str, str]
) -> None:
    store = tmp_path / "store"
    alpha = Device("alpha", tmp_path / "alpha", tmp_path / "home-alpha", folder_location(store))
    beta = Device("beta", tmp_path / "beta", tmp_path / "home-beta", folder_location(store))
    made = cli(alpha, services, "init", "--store", str(store), "--remember", passphrase=PASSPHRASE)
    assert "This computer is remembered" in made.stdout
    cli(alpha, services, "sync")

    no_keyring = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    joined = cli(
        beta, services, "join", "--store", str(store), "--remember", passphrase=PASSPHRASE,
        extra=no_keyring,
    )  # fmt: skip
    assert "no keyring service is running" in joined.stderr
    assert set(alpha.location.objects("keys/device-")) == {
        f"keys/device-{binding(alpha)['device_id']}"
    }, "nothing is left on the store for a device whose keyring refused"
    refused_without_passphrase(beta, services, "")
