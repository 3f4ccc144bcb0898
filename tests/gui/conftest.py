"""Shared GUI test setup: an isolated home per test, and the app in French.

Every GUI test gets its own COFFRE_HOME, HOME and XDG_CONFIG_HOME (so the
default folder ~/Coffre, the autostart entry and the settings file land in a
temporary directory), and no machine policy. The QApplication speaks French
for the whole session, as most of Coffre's users do; `use_language` switches
for one test.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import device_key, key_cache
from app.gui.gui_thread_gc import GuiThreadGarbageCollector
from app.gui.i18n import install_translators
from tests.environment import REQUIRE_ALL
from tests.isolated_home import IsolatedHome, isolate_home

GuiEnv = IsolatedHome


@pytest.fixture(autouse=True)
def gui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GuiEnv:
    return isolate_home(tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def qt_garbage_collected_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app: cyclic garbage is collected on the GUI thread only, during the test,
    and once more at its end, before the next test runs (app/gui/gui_thread_gc.py).

    Left to Python's automatic collection, Qt wrappers may be freed on an engine's
    thread, and shiboken 6.11 then crashes the process in
    BindingManager::runDeletionInMainThread (a null call, seen with gdb).
    """
    collector = GuiThreadGarbageCollector()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def key_cache_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test remembers vault keys under its own keyring services (device keys, and the
    raw keys older versions kept), emptied afterwards.

    The vault template is shared by the session, so a key one test remembers
    would otherwise open the folders of the next without a prompt.
    """
    tag = uuid.uuid4().hex[:12]
    name, devices = f"coffre-vault-test-{tag}", f"coffre-device-test-{tag}"
    monkeypatch.setenv(key_cache.SERVICE_ENV, name)
    monkeypatch.setenv(device_key.SERVICE_ENV, devices)
    yield name
    clear_keyring_service(name)
    clear_keyring_service(devices)


def clear_keyring_service(name: str) -> None:
    """Delete every Secret Service item of one keyring service (keyring cannot list them)."""
    if not keyring_available():
        return
    import secretstorage

    with contextlib.closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.get_default_collection(connection)
        for item in collection.search_items({"service": name}):
            item.delete()


@pytest.fixture(scope="session", autouse=True)
def french(qapp: QApplication) -> Iterator[None]:
    """The whole GUI session runs in French (the translations are compiled if needed)."""
    install_translators("fr")
    yield


@pytest.fixture
def use_language(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """`use_language("en")` for one test; French comes back afterwards."""
    yield lambda lang: install_translators(lang)
    install_translators("fr")


def keyring_available() -> bool:
    """True inside a D-Bus session with the Secret Service backend (as CI runs pytest).

    Outside one (a developer's plain `pytest`), the keyring tests are skipped;
    under tools/test.sh its absence is an error; inside one, a locked or broken
    keyring makes them fail loudly.
    """
    found = _secret_service_backend()
    if not found and REQUIRE_ALL:
        raise RuntimeError(
            "no Secret Service in this D-Bus session: tools/test.sh starts gnome-keyring"
        )
    return found


def _secret_service_backend() -> bool:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        import keyring
        from keyring.backends.SecretService import Keyring as SecretServiceKeyring
    except ImportError:
        return False
    return isinstance(keyring.get_keyring(), SecretServiceKeyring)
