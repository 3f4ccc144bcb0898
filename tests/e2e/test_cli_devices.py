"""Remembered devices through the real CLI and the real Secret Service (issue 16.2, 13.2).

In a format-2 vault every device has its own keys (in gnome-keyring, under a service of
this test) and the current epoch sealed to them (`keys/epochs/<n>/<device id>`); a
remembered device opens the vault with them, without the passphrase. `coffre devices
forget DEVICE` from another device removes it from the vault (a new epoch it is not
given: it stops, saying so); `forget` alone makes this computer ask the passphrase
again; a passphrase change seals the new epoch to every device, so remembered ones go
on while the old passphrase opens nothing new; an envelope altered or moved to another
device opens nothing, and the passphrase seals a good one again.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import device_key, key_cache
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

from .conftest import (
    EXIT_ERROR,
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
    """Keyring services of this test only, for raw keys of older versions. Device keys stay
    under the default service: the session's vault template (tests/e2e/conftest.py) made
    them there when its devices joined, and every device of a format-2 vault has them."""
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    tag = uuid.uuid4().hex[:12]
    env = {key_cache.SERVICE_ENV: f"coffre-vault-e2e-{tag}"}
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
    return keyring.get_password(device_key.service(), b["vault_id"] + b["device_id"])


def refused_without_passphrase(device: Device, services: dict[str, str], why: str) -> None:
    proc = cli(device, services, "sync", code=EXIT_USAGE)
    assert why in proc.stderr and "No passphrase given" in proc.stderr, proc.stderr


def _envelope(device: Device, epoch: int = 1) -> str:
    """The object holding epoch `epoch`'s key sealed to the device (keys/epochs/<n>/<id>)."""
    return f"keys/epochs/{epoch:08x}/{binding(device)['device_id']}"


def test_remembered_devices_open_without_passphrase_and_removing_one_revokes_it(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta = make_devices(2)
    refused_without_passphrase(alpha, services, "")  # not remembered yet: the passphrase
    for d in (alpha, beta):
        shown = devices_cmd(d, services, "remember", passphrase=PASSPHRASE)
        assert "This computer is remembered" in shown.stdout
        assert device_entry(services, d) is not None  # its own keys, in the keyring

    alpha.write("notes/plan.txt", "le plan de la semaine")
    beta.write("notes/budget.txt", "le budget")
    cli(alpha, services, "sync")  # no passphrase anywhere in its environment
    cli(beta, services, "sync")
    cli(alpha, services, "sync")  # beta's head names it
    assert beta.read("notes/plan.txt") == b"le plan de la semaine"
    assert alpha.read("notes/budget.txt") == b"le budget"

    rows = json.loads(devices_cmd(alpha, services, "list", "--json").stdout)
    assert ("alpha", True) in [(r["name"], r["this_device"]) for r in rows]
    assert ("beta", False) in [(r["name"], r["this_device"]) for r in rows]
    # Forgetting another device removes it from the vault: a new key epoch it is not given.
    forgot = devices_cmd(alpha, services, "forget", "beta", passphrase=PASSPHRASE)
    assert "Removed the device beta" in forgot.stdout
    names = [r["name"] for r in json.loads(devices_cmd(alpha, services, "list", "--json").stdout)]
    assert "beta" not in names and "alpha" in names
    assert _envelope(alpha, 2) in alpha.location.objects("keys/epochs/")
    assert _envelope(beta, 2) not in alpha.location.objects("keys/epochs/")

    # The lost laptop: its keys still open the old epoch only, and it stops, saying why.
    stopped = cli(beta, services, "sync", code=EXIT_ERROR)
    assert "removed" in stopped.stderr
    cli(alpha, services, "sync")  # the other device is untouched

    # Forgetting this computer: the passphrase is asked again (its keys stay: they sign).
    assert "forgotten" in devices_cmd(alpha, services, "forget").stdout
    refused_without_passphrase(alpha, services, "")
    cli(alpha, services, "sync", passphrase=PASSPHRASE)


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
def test_a_passphrase_change_keeps_remembered_devices_and_retires_the_old_one(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta, gamma = make_devices(3)
    for d in (alpha, beta):
        devices_cmd(d, services, "remember", passphrase=PASSPHRASE)

    change = ("passphrase", "change", "--folder", str(alpha.folder))
    cli(alpha, services, *change, passphrase=PASSPHRASE, extra={"COFFRE_NEW_PASSPHRASE": NEW})
    # The new epoch is sealed to every device's own keys: remembered ones go on as before.
    assert _envelope(beta, 2) in alpha.location.objects("keys/epochs/")
    cli(alpha, services, "sync")
    cli(beta, services, "sync")
    # A device that types the passphrase needs the new one: the old root opens nothing new.
    cli(gamma, services, "sync", passphrase=PASSPHRASE, code=EXIT_ERROR)
    cli(gamma, services, "sync", passphrase=NEW)


@pytest.mark.folder_only
def test_an_altered_or_swapped_envelope_opens_nothing(
    make_devices: MakeDevices, services: dict[str, str]
) -> None:
    alpha, beta = make_devices(2)
    for d in (alpha, beta):
        devices_cmd(d, services, "remember", passphrase=PASSPHRASE)
    a_name, b_name = _envelope(alpha), _envelope(beta)
    a_env = alpha.location.read(a_name)

    alpha.location.write(b_name, a_env)  # alpha's envelope under beta's name
    refused_without_passphrase(beta, services, "own key no longer opens")
    flipped = bytearray(a_env)
    flipped[-5] ^= 0x01
    alpha.location.write(a_name, bytes(flipped))
    refused_without_passphrase(alpha, services, "own key no longer opens")
    cli(alpha, services, "sync", passphrase=PASSPHRASE)  # seals a good one again
    cli(alpha, services, "sync")
    assert alpha.location.read(a_name) != bytes(flipped)


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
    assert "keyring does not hold this device's keys" in joined.stderr
    # Its keys are kept in a file under the vault's key instead; the passphrase stays needed.
    (key_file,) = beta.home.glob("folders/*/device.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    refused_without_passphrase(beta, services, "")
    cli(beta, services, "sync", passphrase=PASSPHRASE, extra=no_keyring)
