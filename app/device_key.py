"""The key kept for this device: the vault key sealed to the device's own keys, revocable.

Remembering a vault on a computer (`coffre init|join --remember`, `coffre devices
remember`, the app's "Remember on this computer") gives the device its own keys
(crypto/device.py: hybrid signing and ML-KEM-768 + X25519; the private part in the
OS keyring, service "coffre-device", entry = vault id hex + device id hex) and
writes to the store an envelope of the vault key for it,
`keys/device-<device id hex>` (crypto/envelope.py: recipient id = device id,
key id = the vault header's epoch), created or overwritten by this device.

Opening then takes the keyring entry and the envelope: no Argon2id, no
passphrase. Neither is enough alone: the keyring entry opens nothing once the
envelope is deleted (`coffre devices forget`, or "forget this computer" in the
app, from any device), and the envelope opens only with this device's private
key. A passphrase change or recovery raises the header's epoch, so every
envelope sealed under an older one stops opening: the person types the new
passphrase once on each remembered device, which seals a fresh envelope.

A raw vault key kept by Coffre before device keys existed (app/key_cache.py,
service "coffre-vault", only ever written by the app) is converted on the app's
first use (and by `coffre devices remember`): checked against the header,
device keys and an envelope made, the raw entry deleted.

The folder's directory holds a `remembered` file while this device is
remembered, so that a folder never remembered costs no keyring round trip (the
keyring library takes ~50 ms to import and ~60 ms to choose its backend). It
names the keyring backend that kept the keys (a `keyring.backends.` class),
which is used again without that choice unless PYTHON_KEYRING_BACKEND or
keyring's configuration file names one. It is a hint, never trusted for
anything but skipping work: without it, or with a backend that no longer
works, the keyring chooses as usual.

`COFFRE_DEVICE_KEY_SERVICE` names another keyring service (tests, portable installs).
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from crypto.device import DeviceKeys, unwrap_device_keys, wrap_device_keys
from crypto.envelope import KemPrivateKey, open_key, seal_key
from crypto.errors import TamperedData
from crypto.header import parse_header
from crypto.identity import InvalidName
from crypto.keys import VaultKey
from crypto.signing import HybridSigningKey
from sync_engine.stores.base import PutMode, Store
from sync_engine.stores.errors import ObjectNotFound
from sync_engine.vault.vault_store import SetupProblem, VaultSetupError, read_header_bytes

from . import key_cache
from .folders import Binding
from .identity_store import _write_private as write_private
from .key_cache import KeyCacheUnavailable
from .paths import ensure_private_dir
from .unlock import CachedKeyRejected, Unlocked, check_kept_key, unlock_with_key

SERVICE = "coffre-device"
SERVICE_ENV = "COFFRE_DEVICE_KEY_SERVICE"
ENVELOPE_PREFIX = "keys/device-"
FALLBACK_NAME = "device"
MARKER = "remembered"

log = logging.getLogger(__name__)


def service() -> str:
    return os.environ.get(SERVICE_ENV, "").strip() or SERVICE


def envelope_name(device_id: str) -> str:
    """The store object holding the vault key sealed to this device (device id in hex)."""
    return f"{ENVELOPE_PREFIX}{device_id.lower()}"


def _entry(binding: Binding) -> str:
    return binding.vault_id.lower() + binding.device_id.lower()


def is_remembered(binding: Binding) -> bool:
    """Whether this device was told to remember the vault (the marker: no keyring access)."""
    return (binding.directory / MARKER).is_file()


def _mark(binding: Binding, remembered: bool) -> None:
    marker = binding.directory / MARKER
    if remembered:
        import keyring

        chosen = type(keyring.get_keyring())
        ensure_private_dir(binding.directory)
        marker.touch(mode=0o600)
        marker.write_text(f"{chosen.__module__}.{chosen.__qualname__}\n", encoding="ascii")
    else:
        marker.unlink(missing_ok=True)


def _use_remembered_backend(binding: Binding) -> None:
    """Give keyring the backend that kept this device's keys, sparing its discovery."""
    import keyring.core

    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return  # named by the environment: keyring's own rule
    try:
        from keyring.util import platform_

        if (platform_.config_root() / "keyringrc.cfg").exists():
            return  # named by keyring's configuration
        name = (binding.directory / MARKER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return
    if not name.startswith("keyring.backends.") or not name.isascii():
        return  # only keyring's own backends, never another module named in a file
    try:
        keyring.core.set_keyring(keyring.core.load_keyring(name))
    except Exception:  # not viable any more: keyring chooses as usual
        log.info("the keyring backend that kept this device's key is not usable; choosing again")


# --- the private keys, in the OS keyring ----------------------------------------------------


def load_device_keys(binding: Binding) -> DeviceKeys | None:
    """This device's keys for the binding's vault, or None (none made, damaged, no keyring)."""
    import keyring  # here, not at the top: it costs ~0.1 s
    import keyring.errors

    _use_remembered_backend(binding)
    try:
        text = keyring.get_password(service(), _entry(binding))
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not be read (%s): the passphrase will be asked", _why(exc))
        return None
    except Exception:  # a backend failing in an unexpected way (D-Bus gone): ask instead
        log.info("the keyring could not be read: the passphrase will be asked", exc_info=True)
        return None
    if not text:
        return None
    try:
        keys = DeviceKeys.from_bytes(base64.b64decode(text.encode("ascii"), validate=True))
    except (binascii.Error, UnicodeEncodeError, ValueError, TamperedData):
        log.info("a device key in the keyring is damaged: the passphrase will be asked")
        return None
    if keys.device_id.hex() != binding.device_id.lower():
        return None
    return keys


def _save_device_keys(binding: Binding, keys: DeviceKeys) -> None:
    import keyring
    import keyring.errors

    secret = base64.b64encode(keys.to_bytes()).decode("ascii")
    try:
        keyring.set_password(service(), _entry(binding), secret)
    except keyring.errors.KeyringError as exc:
        raise KeyCacheUnavailable(
            f"The system keyring could not keep this device's key ({_why(exc)}). "
            "Coffre will ask for the passphrase at the next start."
        ) from None


def _delete_device_keys(binding: Binding) -> None:
    import keyring
    import keyring.errors

    try:
        keyring.delete_password(service(), _entry(binding))
    except keyring.errors.PasswordDeleteError:
        return
    except keyring.errors.KeyringError as exc:
        log.info("the keyring could not forget a device key (%s)", _why(exc))


def _why(exc: Exception) -> str:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the keyring is locked"
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "no keyring service is running"
    return type(exc).__name__


def _new_device_keys(binding: Binding) -> DeviceKeys:
    """Fresh keys whose device id is the binding's (the id its journal and heads carry)."""
    name = binding.device_name
    try:
        return DeviceKeys(
            bytes.fromhex(binding.device_id),
            name,
            HybridSigningKey.generate(),
            KemPrivateKey.generate(),
        )
    except InvalidName:  # a host name the identity rules refuse: the id is what matters
        name = FALLBACK_NAME
    return DeviceKeys(
        bytes.fromhex(binding.device_id),
        name,
        HybridSigningKey.generate(),
        KemPrivateKey.generate(),
    )


# --- a format-2 vault: every device has its own keys (they sign what it writes) ------------

KEY_FILE = "device.key"  # in the folder's directory, when no keyring can keep the keys
KEYRING_ATTEMPTS = 3


class DeviceKeysLost(VaultSetupError):
    """This device is in the vault's log but its own keys are gone (keyring or file)."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"This computer's own keys for {folder} are gone (the system keyring was reset, "
            "or its key file deleted), so it cannot sign its changes. Join the folder again "
            "as a new computer (`coffre join`), and have an owner remove the old one.",
            kind=SetupProblem.DEVICE_KEYS_LOST,
        )


def _key_file(binding: Binding) -> Path:
    return binding.directory / KEY_FILE


def keep_device_keys(binding: Binding, keys: DeviceKeys, first_epoch: VaultKey) -> str:
    """Keep this device's keys for a format-2 vault: the keyring, else a file under E1.

    Returns where ("keyring" or "file"). The file (mode 0600) holds
    `crypto.device.wrap_device_keys`: opening the vault (passphrase or identity)
    gives E1, which unwraps it, so no second secret is asked.
    """
    for _ in range(KEYRING_ATTEMPTS):
        try:
            _save_device_keys(binding, keys)
        except KeyCacheUnavailable as exc:
            log.info("device keys kept in a file: %s", exc)
            break
        # Read back: two processes filling a fresh Secret Service at once can lose a write.
        kept = load_device_keys(binding)
        if kept is not None and kept.to_bytes() == keys.to_bytes():
            return "keyring"
    else:
        log.warning("the keyring did not keep this device's keys; they are kept in a file")
    ensure_private_dir(binding.directory)
    write_private(_key_file(binding), wrap_device_keys(keys, first_epoch))
    return "file"


def device_keys(binding: Binding, first_epoch: VaultKey | None) -> DeviceKeys | None:
    """This device's keys for a format-2 vault: the keyring's, else the file's (needs E1)."""
    keys = load_device_keys(binding)
    if keys is not None or first_epoch is None:
        return keys
    try:
        data = _key_file(binding).read_bytes()
    except FileNotFoundError:
        return None
    try:
        return unwrap_device_keys(data, first_epoch, bytes.fromhex(binding.device_id))
    except TamperedData:
        log.warning("this device's key file does not open with the vault's key; ignored")
        return None


def remember_if_kept(binding: Binding) -> bool:
    """Mark this device remembered if the keyring holds its keys (a member who joined
    through their identity has no vault passphrase: their device opens the vault)."""
    if load_device_keys(binding) is None:
        return False
    _mark(binding, True)
    return True


def forget_here(binding: Binding) -> None:
    """Format 2: this device stops opening the vault by itself (the passphrase is asked);
    its keys stay, since they sign its changes (`members remove-device` removes it)."""
    _mark(binding, False)


def new_device_keys(binding: Binding) -> DeviceKeys:
    """Fresh keys whose device id is the binding's (what its journal and heads carry)."""
    return _new_device_keys(binding)


# --- keeping, opening, forgetting -----------------------------------------------------------


async def keep(store: Store, binding: Binding, unlocked: Unlocked) -> None:
    """Seal the vault key to this device (keys made and kept in the keyring if needed).

    The keyring entry is written before the envelope, so a refused keyring
    (KeyCacheUnavailable) leaves nothing on the store.
    """
    import asyncio

    keys = await asyncio.to_thread(load_device_keys, binding)
    if keys is None:
        keys = _new_device_keys(binding)
        await asyncio.to_thread(_save_device_keys, binding, keys)
    envelope = seal_key(
        keys.kem.public,
        unlocked.key.secret,
        vault_id=unlocked.key.vault_id,
        key_id=unlocked.epoch,
        recipient_id=keys.device_id,
    )
    await store.put(envelope_name(binding.device_id), envelope, mode=PutMode.OVERWRITE)
    _mark(binding, True)
    await asyncio.to_thread(key_cache.forget, binding.vault_id)  # no raw key left beside it


async def recall(store: Store, binding: Binding, *, migrate: bool = True) -> Unlocked | None:
    """The vault opened with the key kept for this device; None when nothing is kept.

    `CachedKeyRejected` when something was kept but no longer opens the vault:
    the envelope was deleted (this device was forgotten: its keyring entry goes
    too), or it was sealed before a passphrase change, or the store altered it.
    With `migrate` (the app), a raw key an older Coffre kept is looked for and
    converted; the CLI, which never read those, skips the lookup unless this
    device is remembered.
    """
    import asyncio

    if not migrate and not is_remembered(binding):
        return None
    keys = await asyncio.to_thread(load_device_keys, binding)
    if keys is None:
        _mark(binding, False)
        return await _migrate_raw_key(store, binding)
    header_bytes = await read_header_bytes(store)
    try:
        envelope = await store.get(envelope_name(binding.device_id))
    except ObjectNotFound:
        await asyncio.to_thread(_delete_device_keys, binding)
        _mark(binding, False)
        raise CachedKeyRejected(
            f"This computer is no longer remembered for {binding.folder} (it was forgotten, "
            "here or from another device): type the passphrase."
        ) from None
    epoch = parse_header(header_bytes).epoch
    vault_id = bytes.fromhex(binding.vault_id)
    try:
        secret = open_key(
            keys.kem, envelope, vault_id=vault_id, key_id=epoch, recipient_id=keys.device_id
        )
    except TamperedData:
        raise CachedKeyRejected(
            f"The key remembered for {binding.folder} no longer opens the vault (the "
            "passphrase was changed since, or the store altered it): type the passphrase."
        ) from None
    key = VaultKey(vault_id, secret)
    return check_kept_key(
        header_bytes, key, vault_id=binding.vault_id, folder=binding.folder, url=store.url
    )


async def _migrate_raw_key(store: Store, binding: Binding) -> Unlocked | None:
    """Open with a raw key the old cache kept, and replace it by device keys and an envelope."""
    import asyncio

    raw = await asyncio.to_thread(key_cache.recall, binding.vault_id)
    if raw is None:
        return None
    try:
        unlocked = await unlock_with_key(
            store, raw, vault_id=binding.vault_id, folder=binding.folder
        )
    except CachedKeyRejected:
        await asyncio.to_thread(key_cache.forget, binding.vault_id)
        raise
    await keep(store, binding, unlocked)  # deletes the raw entry once the envelope is written
    log.info("a remembered vault key was converted to a device key")
    return unlocked


def has_device_keys(binding: Binding) -> bool:
    """Whether this computer keeps device keys for the binding (it was told to remember)."""
    return load_device_keys(binding) is not None


async def keep_if_remembered(store: Store, binding: Binding, unlocked: Unlocked) -> bool:
    """Seal the vault key again where this computer is remembered (after the passphrase was
    typed following a change, or by the change itself); True if it was."""
    import asyncio

    if not is_remembered(binding) or not await asyncio.to_thread(has_device_keys, binding):
        return False
    if parse_header(await read_header_bytes(store)).version >= 2:
        return True  # format 2: every epoch is sealed to this device's own keys already
    await keep(store, binding, unlocked)
    return True


async def forget(store: Store, binding: Binding, device_id: str | None = None) -> bool:
    """Delete a device's envelope (this device's by default, and then its keyring entries).

    True if an envelope was there. Forgetting what is not kept is fine.
    """
    import asyncio

    device = (device_id or binding.device_id).lower()
    if device == binding.device_id.lower() and (
        parse_header(await read_header_bytes(store)).version >= 2
    ):  # format 2: this device stops opening by itself; its keys stay (they sign)
        found = is_remembered(binding)
        forget_here(binding)
        await asyncio.to_thread(key_cache.forget, binding.vault_id)
        return found
    try:
        await store.head(envelope_name(device))
        found = True
    except ObjectNotFound:
        found = False
    await store.delete(envelope_name(device))
    if device == binding.device_id.lower():
        _mark(binding, False)
        await asyncio.to_thread(_delete_device_keys, binding)
        await asyncio.to_thread(key_cache.forget, binding.vault_id)
    return found


@dataclass(frozen=True)
class KeptDevice:
    device_id: str
    size: int


async def kept_devices(store: Store) -> list[KeptDevice]:
    """The devices that have an envelope on the store, by device id."""
    found = []
    for info in await store.list(ENVELOPE_PREFIX):
        device = info.key.removeprefix(ENVELOPE_PREFIX)
        if len(device) == 32 and all(c in "0123456789abcdef" for c in device):
            found.append(KeptDevice(device, info.size))
    return found
