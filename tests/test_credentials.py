"""Store credentials in the real OS keyring (gnome-keyring's Secret Service over D-Bus).

CI runs pytest inside `dbus-run-session` with an unlocked gnome-keyring
(tools/test.sh); run these locally the same way. Each test uses its own store
addresses and removes its keyring entries.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import keyring
import keyring.errors
import pytest

from app.credentials import (
    SERVICE,
    CredentialsUnavailable,
    delete_credentials,
    load_credentials,
    save_credentials,
)
from sync_engine.stores.credentials import S3Credentials, Secret, WebDavCredentials
from sync_engine.stores.url import S3Spec, StoreSpec, parse_store_url
from tests.environment import unavailable

ENV_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "COFFRE_WEBDAV_USER",
    "COFFRE_WEBDAV_PASSWORD",
    "COFFRE_WEBDAV_TOKEN",
)


def require_secret_service() -> None:
    """Skip (fail in CI) unless a real, unlocked Secret Service answers."""
    backend = keyring.get_keyring()
    problem = None
    if "SecretService" not in type(backend).__module__ + type(backend).__name__:
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        problem = f"the keyring backend is {name}, not the Secret Service"
    else:
        try:
            keyring.get_password(SERVICE, "coffre-test-probe")
        except keyring.errors.KeyringError as exc:
            problem = f"the Secret Service does not answer ({type(exc).__name__})"
    if problem is None:
        return
    message = (
        f"{problem}. Run under dbus-run-session with an unlocked gnome-keyring, as "
        "tools/test.sh does."
    )
    unavailable(message)


@pytest.fixture(autouse=True)
def _keyring_and_clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    require_secret_service()
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def specs() -> Iterator[list[StoreSpec]]:
    """Store addresses no other test uses; their keyring entries are removed afterwards."""
    made: list[StoreSpec] = []
    yield made
    for spec in made:
        delete_credentials(spec)


def _s3(specs: list[StoreSpec]) -> S3Spec:
    spec = parse_store_url(
        f"s3://bucket-{secrets.token_hex(4)}/vault?endpoint=https://s3.example.org:9000"
    )
    assert isinstance(spec, S3Spec)
    specs.append(spec)
    return spec


def read_in_fresh_process(url: str) -> str | None:
    """What another program of this user gets from the Secret Service for `url`."""
    code = "import keyring, sys; print(keyring.get_password(sys.argv[1], sys.argv[2]) or '')"
    done = subprocess.run(
        [sys.executable, "-c", code, SERVICE, url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip() or None


def test_s3_credentials_live_in_the_secret_service(specs: list[StoreSpec]) -> None:
    spec = _s3(specs)
    secret = "sk-" + secrets.token_urlsafe(20)
    assert load_credentials(spec) is None

    save_credentials(spec, S3Credentials("AKIDEXAMPLE", Secret(secret), Secret("tok-1")))
    loaded = load_credentials(spec)
    assert loaded == S3Credentials("AKIDEXAMPLE", Secret(secret), Secret("tok-1"))
    assert secret not in repr(loaded)

    stored = read_in_fresh_process(spec.url)
    assert stored is not None, "the entry is in the Secret Service, not in this process"
    assert json.loads(stored)["secret_access_key"] == secret
    assert spec.url == "s3://" + spec.bucket + "/vault?endpoint=https://s3.example.org:9000"

    save_credentials(spec, S3Credentials("AKIDOTHER", Secret("second")))  # replaces
    assert load_credentials(spec) == S3Credentials("AKIDOTHER", Secret("second"))
    delete_credentials(spec)
    delete_credentials(spec)  # forgetting twice is fine
    assert load_credentials(spec) is None
    assert read_in_fresh_process(spec.url) is None


def test_environment_wins_over_the_keyring(
    specs: list[StoreSpec], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _s3(specs)
    save_credentials(spec, S3Credentials("FROMKEYRING", Secret("k")))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "FROMENV")
    assert load_credentials(spec) == S3Credentials("FROMKEYRING", Secret("k")), "needs both"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "envtoken")
    assert load_credentials(spec) == S3Credentials(
        "FROMENV", Secret("envsecret"), Secret("envtoken")
    )


def test_webdav_credentials(specs: list[StoreSpec], monkeypatch: pytest.MonkeyPatch) -> None:
    host = f"dav-{secrets.token_hex(4)}.example.org"
    spec = parse_store_url(f"webdavs://alice@{host}/remote.php/dav/files/alice/")
    specs.append(spec)
    assert load_credentials(spec) is None

    save_credentials(spec, WebDavCredentials(user="alice", password=Secret("pw-1")))
    assert load_credentials(spec) == WebDavCredentials(user="alice", password=Secret("pw-1"))

    # The user in the address counts as the user for a password from the environment.
    monkeypatch.setenv("COFFRE_WEBDAV_PASSWORD", "pw-env")
    assert load_credentials(spec) == WebDavCredentials(user="alice", password=Secret("pw-env"))
    monkeypatch.setenv("COFFRE_WEBDAV_USER", "bob")
    assert load_credentials(spec) == WebDavCredentials(user="bob", password=Secret("pw-env"))
    monkeypatch.setenv("COFFRE_WEBDAV_TOKEN", "bearer-1")
    assert load_credentials(spec) == WebDavCredentials(user="bob", bearer_token=Secret("bearer-1"))

    # A password typed into an address is used as is (setup moves it to the keyring).
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    typed = parse_store_url(f"webdavs://carol:typed-pw@{host}/x/")
    assert load_credentials(typed) == WebDavCredentials(user="carol", password=Secret("typed-pw"))

    with pytest.raises(TypeError):
        save_credentials(spec, S3Credentials("a", Secret("b")))


def test_folder_stores_have_no_credentials(tmp_path: os.PathLike[str]) -> None:
    assert load_credentials(parse_store_url(str(tmp_path))) is None


def test_no_keyring_gives_a_clear_error(tmp_path: os.PathLike[str]) -> None:
    """Without a usable keyring: a message naming the variables; the variables still work."""
    script = """
import sys
from app.credentials import CredentialsUnavailable, load_credentials, save_credentials
from sync_engine.stores.credentials import S3Credentials, Secret
from sync_engine.stores.url import parse_store_url
spec = parse_store_url("s3://b/v")
for call in (lambda: load_credentials(spec),
             lambda: save_credentials(spec, S3Credentials("a", Secret("TOPSECRET")))):
    try:
        call()
    except CredentialsUnavailable as exc:
        print("ERR", exc)
import os
os.environ["AWS_ACCESS_KEY_ID"] = "envkey"
os.environ["AWS_SECRET_ACCESS_KEY"] = "envsecret"
print("ENV", load_credentials(spec).access_key_id)
"""
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        check=True,
    )
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["ERR", "ERR", "ENV"], done.stdout
    for line in lines[:2]:
        assert "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in line
        assert "TOPSECRET" not in line
    assert lines[2] == "ENV envkey"
    assert issubclass(CredentialsUnavailable, Exception)
