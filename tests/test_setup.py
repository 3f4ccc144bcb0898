"""Vault setup (app/setup.py) and `coffre init`/`join` on network stores.

Against the real SeaweedFS and WebDAV servers and the real Secret Service
(run under dbus-run-session, as tools/test.sh does): connection tests give
the wizard the right problem code, credentials end up in the keyring and in
no file, and the CLI asks for credentials only when it can.
"""

from __future__ import annotations

import json
import os
import pty
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import setup
from app.credentials import delete_credentials, load_credentials
from app.session import FolderSession, store_for
from sync_engine.stores.credentials import S3Credentials, Secret
from sync_engine.stores.errors import StoreAuthError
from sync_engine.stores.s3 import S3Store
from sync_engine.stores.url import S3Spec, StoreSpec, parse_store_url
from tests.e2e.conftest import PASSPHRASE, cli_env, run_cli
from tests.e2e.test_cli_setup import _read_until
from tests.servers.seaweedfs import TEST_BUCKET, SeaweedFS, free_ports
from tests.servers.webdav import WebDavServer
from tests.test_credentials import ENV_VARS, read_in_fresh_process, require_secret_service

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (*ENV_VARS, "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("COFFRE_HOME", str(home))
    return home


@pytest.fixture
def keyring_specs() -> Iterator[list[StoreSpec]]:
    require_secret_service()
    made: list[StoreSpec] = []
    yield made
    for spec in made:
        delete_credentials(spec)


def _s3_address(seaweedfs: SeaweedFS, bucket: str = TEST_BUCKET) -> str:
    return f"s3://{bucket}/setup-{secrets.token_hex(6)}?endpoint={seaweedfs.endpoint}"


def _files_containing(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


async def test_connection_checks(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    creds = seaweedfs.credentials()
    address = _s3_address(seaweedfs)

    async def problem(address: str, credentials: S3Credentials | None, create: bool) -> str:
        started = time.monotonic()
        check = await setup.check_connection(address, credentials, for_create=create)
        assert time.monotonic() - started < 5, "a connection test answers at once"
        assert check.ok == (check.problem == "") and check.message
        for secret in (seaweedfs.secret_key, "wrong-secret-value"):
            assert secret not in check.message
        return check.problem

    assert await problem(address, creds, True) == ""
    assert await problem(address, creds, False) == "no_vault"
    wrong = S3Credentials(seaweedfs.access_key, Secret("wrong-secret-value"))
    assert await problem(address, wrong, True) == "auth"
    assert await problem(address, seaweedfs.reader_credentials(), True) == "auth"  # not writable
    assert await problem(_s3_address(seaweedfs, "no-such-bucket"), creds, True) == "missing_bucket"
    (port,) = free_ports(1)
    assert await problem(f"s3://{TEST_BUCKET}/v?endpoint=http://127.0.0.1:{port}", creds, True) == (
        "unreachable"
    )
    assert await problem("s3://bucket:9000/x", creds, True) == "config"
    assert await problem("relative/path", None, True) == "config"

    # The write test leaves nothing behind.
    spec = parse_store_url(address)
    assert isinstance(spec, S3Spec)
    assert await S3Store(spec, creds).list("") == []

    folder = tmp_path / "store"
    assert await problem(str(folder), None, True) == ""  # created by create_vault
    assert await problem(str(folder), None, False) == "not_found"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    assert await problem(str(folder), None, True) == "not_empty"
    assert await problem(str(folder), None, False) == "no_vault"


async def test_create_and_join_on_s3_keep_secrets_in_the_keyring(
    seaweedfs: SeaweedFS, tmp_path: Path, _home: Path, keyring_specs: list[StoreSpec]
) -> None:
    address = _s3_address(seaweedfs)
    spec = parse_store_url(address)
    keyring_specs.append(spec)
    result = await setup.create_vault(
        tmp_path / "alpha", address, seaweedfs.credentials(), PASSPHRASE, "alpha"
    )
    assert result.recovery_key
    assert result.binding.store == spec.url and result.binding.device_name == "alpha"
    assert (tmp_path / "alpha" / ".coffre-root").exists()

    stored = read_in_fresh_process(spec.url)
    assert stored is not None and seaweedfs.secret_key in stored
    assert _files_containing(_home, seaweedfs.secret_key) == []
    assert _files_containing(tmp_path / "alpha", seaweedfs.secret_key) == []

    check = await setup.check_connection(address, None, for_create=True)  # keyring creds
    assert check.problem == "not_empty" and "Coffre vault" in check.message
    assert (await setup.check_connection(address, None, for_create=False)).ok

    # Another folder joins with the credentials from the keyring.
    joined = await setup.join_vault(tmp_path / "beta", address, None, PASSPHRASE, "beta")
    assert joined.recovery_key is None
    assert joined.binding.vault_id == result.binding.vault_id
    store = store_for(joined.binding.store)
    assert [i.key for i in await store.list("coffre.json")] == ["coffre.json"]
    await store.close()

    with pytest.raises(Exception, match="already synced"):
        await setup.join_vault(tmp_path / "beta", address, None, PASSPHRASE)


async def test_refused_credentials_are_not_kept(
    seaweedfs: SeaweedFS, tmp_path: Path, keyring_specs: list[StoreSpec]
) -> None:
    address = _s3_address(seaweedfs)
    spec = parse_store_url(address)
    keyring_specs.append(spec)
    wrong = S3Credentials(seaweedfs.access_key, Secret("not-the-secret"))
    with pytest.raises(StoreAuthError):
        await setup.create_vault(tmp_path / "f", address, wrong, PASSPHRASE)
    assert load_credentials(spec) is None


async def test_webdav_password_in_the_address_moves_to_the_keyring(
    webdav_server: WebDavServer,
    webdav_collection: str,
    tmp_path: Path,
    _home: Path,
    keyring_specs: list[StoreSpec],
) -> None:
    plain = webdav_server.address(webdav_collection)
    scheme, rest = plain.split("://", 1)
    typed = f"{scheme}://{webdav_server.user}:{webdav_server.password}@{rest}"
    spec = parse_store_url(typed)
    keyring_specs.append(spec)

    result = await setup.create_vault(tmp_path / "folder", typed, None, PASSPHRASE)
    assert webdav_server.password not in result.binding.store
    assert result.binding.store == spec.url and f"{webdav_server.user}@" in spec.url
    assert _files_containing(_home, webdav_server.password) == []
    saved = load_credentials(parse_store_url(result.binding.store))
    assert saved is not None and getattr(saved, "password", None) == Secret(webdav_server.password)


def test_default_store_path(_home: Path) -> None:
    assert setup.default_store_path() == _home / "default-store"


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_init_with_s3_options_and_env_credentials(seaweedfs: SeaweedFS, tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home", PASSPHRASE)
    for name in (*ENV_VARS, "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    prefix = f"cli-{secrets.token_hex(6)}"
    args = ["init", "--store", f"s3://{TEST_BUCKET}/{prefix}", "--folder", str(tmp_path / "f")]
    args += ["--s3-endpoint", seaweedfs.endpoint, "--s3-region", "us-east-1"]

    proc = run_cli(args, env=env, check_code=2)  # no credentials, no terminal
    assert "AWS_ACCESS_KEY_ID" in proc.stderr and "AWS_SECRET_ACCESS_KEY" in proc.stderr

    env["AWS_ACCESS_KEY_ID"] = seaweedfs.access_key
    env["AWS_SECRET_ACCESS_KEY"] = seaweedfs.secret_key
    proc = run_cli(args, env=env)
    assert "Recovery key" in proc.stdout
    (binding_file,) = (tmp_path / "home").rglob("binding.json")
    binding = json.loads(binding_file.read_text())
    assert binding["store"] == (
        f"s3://{TEST_BUCKET}/{prefix}?endpoint={seaweedfs.endpoint}&region=us-east-1"
    )
    assert _files_containing(tmp_path / "home", seaweedfs.secret_key) == []

    proc = run_cli(
        ["init", "--store", str(tmp_path / "x"), "--folder", str(tmp_path / "g"),
         "--s3-endpoint", seaweedfs.endpoint],
        env=env,
        check_code=2,
    )  # fmt: skip
    assert "only to s3://" in proc.stderr


def test_cli_asks_for_credentials_in_a_terminal(
    seaweedfs: SeaweedFS, tmp_path: Path, keyring_specs: list[StoreSpec]
) -> None:
    env = cli_env(tmp_path / "home", PASSPHRASE)
    for name in (*ENV_VARS, "AWS_ENDPOINT_URL"):
        env.pop(name, None)
    address = _s3_address(seaweedfs)
    keyring_specs.append(parse_store_url(address))
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on a terminal
        os.chdir(REPO_ROOT)
        os.execve(
            sys.executable,
            [sys.executable, "-m", "app.cli", "init", "--store", address,
             "--folder", str(tmp_path / "f")],
            env,
        )  # fmt: skip
    try:
        _read_until(fd, b"access key ID: ", 60)
        os.write(fd, seaweedfs.access_key.encode() + b"\n")
        _read_until(fd, b"secret access key: ", 30)
        os.write(fd, seaweedfs.secret_key.encode() + b"\n")
        output = _read_until(fd, b"Recovery key", 120)
        assert seaweedfs.secret_key.encode() not in output, "getpass does not echo"
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    saved = load_credentials(parse_store_url(address))
    assert saved == seaweedfs.credentials()
    assert _files_containing(tmp_path / "home", seaweedfs.secret_key) == []


async def test_a_new_vault_keeps_its_language_in_the_header(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    result = await setup.create_vault(
        tmp_path / "dossier", str(store_dir), None, PASSPHRASE, "bureau", "fr"
    )
    assert json.loads((store_dir / "coffre.json").read_text())["language"] == "fr"
    session = await FolderSession.open(result.binding, PASSPHRASE)
    try:
        assert session.engine.language == "fr"  # conflict copies: "(conflit ...)"
    finally:
        await session.close()


def test_the_vault_language_defaults_to_the_system_locale() -> None:
    assert setup.system_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert setup.system_language({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}) == "en"
    assert setup.system_language({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "C"}) == "fr"
    assert setup.system_language({"LANG": "de_DE.UTF-8"}) == "en"
    assert setup.system_language({"LANG": "C.UTF-8"}) == "en"
    assert setup.system_language({}) == "en"
