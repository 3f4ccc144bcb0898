"""Device keys in the real OS keyring (gnome-keyring in the test D-Bus session), per vault."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from app import identity_store
from crypto.device import DeviceKeys
from tests.environment import unavailable
from tests.gui.conftest import clear_keyring_service, keyring_available

VAULT, OTHER_VAULT = b"\x11" * 16, b"\x22" * 16


@pytest.fixture
def device_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not keyring_available():
        unavailable("needs a Secret Service (D-Bus session)")
    name = f"coffre-device-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv(identity_store.DEVICE_SERVICE_ENV, name)
    yield name
    clear_keyring_service(name)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The keyring library's own failing backend, as on a computer without a keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_device_keys_round_trip_through_the_keyring(device_service):
    import keyring

    keys = DeviceKeys.generate("portable")
    identity_store.keep_device_keys(VAULT, keys)
    entry = VAULT.hex() + keys.device_id.hex()
    assert keyring.get_password(device_service, entry) == keys.to_bytes().hex()
    back = identity_store.recall_device_keys(VAULT, keys.device_id)
    assert back is not None and back.public == keys.public
    assert identity_store.recall_device_keys(OTHER_VAULT, keys.device_id) is None
    assert identity_store.recall_device_keys(VAULT, b"\x00" * 16) is None
    identity_store.forget_device_keys(VAULT, keys.device_id)
    assert identity_store.recall_device_keys(VAULT, keys.device_id) is None
    identity_store.forget_device_keys(VAULT, keys.device_id)  # twice is fine


def test_a_damaged_or_misfiled_entry_is_not_used(device_service):
    import keyring

    keys, other = DeviceKeys.generate("a"), DeviceKeys.generate("b")
    keyring.set_password(device_service, VAULT.hex() + keys.device_id.hex(), "zz-not-hex")
    assert identity_store.recall_device_keys(VAULT, keys.device_id) is None
    # Another device's keys filed under this device's entry: refused.
    keyring.set_password(device_service, VAULT.hex() + keys.device_id.hex(), other.to_bytes().hex())
    assert identity_store.recall_device_keys(VAULT, keys.device_id) is None


def test_without_a_keyring_device_keys_are_refused_clearly(no_keyring):
    keys = DeviceKeys.generate("portable")
    with pytest.raises(identity_store.KeyringUnavailable, match="keyring"):
        identity_store.keep_device_keys(VAULT, keys)
    assert identity_store.recall_device_keys(VAULT, keys.device_id) is None
    identity_store.forget_device_keys(VAULT, keys.device_id)
