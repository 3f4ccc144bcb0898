"""Issue 16.3/16.5-8 and 14.6: the old secret retired, the header MAC over what was read,
version bytes lowered to 0, the Argon2 ceiling, secrets out of the environment, no core
dumps, the one strength rule. Each test failed before its fix."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import passphrase as passphrase_mod
from app import vault_epochs
from app.passphrase_strength import refusal
from app.unlock import VaultSecret, change_store_passphrase, unlock_store
from crypto.chunk import ChunkCodec
from crypto.errors import DowngradeRefused, TamperedData, UnsupportedFormat, WrongPassphrase
from crypto.kdf import FLOOR, Argon2Params, KdfCostRefused
from crypto.keys import VaultKey
from crypto.pack import PackWriter, read_index
from crypto.records import (
    SEGMENT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    open_head,
    open_record,
    seal_head,
    seal_record,
)
from crypto.vault import change_passphrase, create_vault, unlock_with_passphrase
from sync_engine.stores.local import LocalStore
from sync_engine.vault.vault_store import HEADER_KEY, create_vault_on_store

PASS = "phrase de passe pour les tests"
NEW = "une autre phrase de passe 2026"
FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def vault():
    return create_vault(PASS, FAST)


def _edit(vault, edit) -> bytes:
    header = json.loads(vault.header)
    edit(header)
    return json.dumps(header).encode()


# --- the header MAC covers what was read (16.5) ----------------------------------------------


def test_an_added_header_field_fails_the_mac(vault):
    def add(h):
        h["shared_with"] = "attacker@example.org"

    with pytest.raises(TamperedData):
        unlock_with_passphrase(_edit(vault, add), vault.slot_objects, PASS)


def test_an_added_slot_field_fails_the_mac(vault):
    def add(h):
        h["slots"][1]["note"] = "x"

    with pytest.raises(TamperedData):
        unlock_with_passphrase(_edit(vault, add), vault.slot_objects, PASS)


def test_an_upper_case_vault_id_fails_the_mac(vault):
    def upper(h):
        h["vault_id"] = h["vault_id"].upper()

    assert _edit(vault, upper) != vault.header
    with pytest.raises(TamperedData):
        unlock_with_passphrase(_edit(vault, upper), vault.slot_objects, PASS)


def test_a_duplicate_header_key_is_refused(vault):
    text = vault.header.decode()
    doubled = text.replace('"version": 1', '"version": 1,\n  "version": 1', 1)
    assert doubled != text
    with pytest.raises(UnsupportedFormat, match="twice"):
        unlock_with_passphrase(doubled.encode(), vault.slot_objects, PASS)


def test_the_untouched_header_still_opens(vault):
    assert unlock_with_passphrase(vault.header, vault.slot_objects, PASS).vault_id


# --- Argon2 ceiling (14.6) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"), [("memory_kib", 4 * 1024 * 1024), ("iterations", 64), ("lanes", 64)]
)
def test_argon2_cost_above_what_coffre_chooses_is_refused_unrun(vault, field, value):
    def raise_cost(h):
        h["slots"][0]["kdf"][field] = value

    with pytest.raises(KdfCostRefused, match="more than Coffre ever chooses"):
        unlock_with_passphrase(_edit(vault, raise_cost), vault.slot_objects, PASS)


# --- version bytes lowered to 0 (14.6, 16.8) --------------------------------------------------


def _zero_version(data: bytes, pos: int) -> bytes:
    out = bytearray(data)
    out[pos] = 0
    return bytes(out)


def _assert_downgrade(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    assert isinstance(excinfo.value, DowngradeRefused)
    assert "update coffre" not in str(excinfo.value).lower()


def test_key_slot_version_zero_is_a_downgrade(vault):
    slots = {n: _zero_version(d, 4) for n, d in vault.slot_objects.items()}
    with pytest.raises(UnsupportedFormat) as err:
        unlock_with_passphrase(vault.header, slots, PASS)
    _assert_downgrade(err)


def test_chunk_segment_head_and_pack_version_zero_is_a_downgrade():
    key = VaultKey.generate()
    codec = ChunkCodec(key)
    chunk_id = codec.chunk_id(b"hello")
    with pytest.raises(UnsupportedFormat) as err:
        codec.open(chunk_id, _zero_version(codec.seal(chunk_id, b"hello"), 0))
    _assert_downgrade(err)

    device = os.urandom(16)
    sealed = seal_record(key, SEGMENT_MAGIC, Record(device, 1, ZERO_HASH, b"payload"))
    with pytest.raises(UnsupportedFormat) as err:
        open_record(key, SEGMENT_MAGIC, _zero_version(sealed, 4), device_id=device, seq=1)
    _assert_downgrade(err)

    head = seal_head(key, Head(device, 1, ZERO_HASH, b"{}"))
    with pytest.raises(UnsupportedFormat) as err:
        open_head(key, _zero_version(head, 4), device_id=device)
    _assert_downgrade(err)

    writer = PackWriter(key, codec)
    writer.add(chunk_id, b"hello")
    pack = writer.finish()
    data = b"".join(bytes(part) for part in pack.parts)
    with pytest.raises(UnsupportedFormat) as err:
        read_index(key, pack.pack_id, _zero_version(data, 4))
    _assert_downgrade(err)


# --- passphrase change and header epochs (16.3) -----------------------------------------------


def test_change_passphrase_raises_the_epoch_and_retires_the_old_slot(vault):
    key = unlock_with_passphrase(vault.header, vault.slot_objects, PASS)
    change = change_passphrase(vault.header, key, NEW, params=FAST)
    assert change.epoch == 1 and json.loads(change.header)["epoch"] == 1
    slots = {n: d for n, d in vault.slot_objects.items() if n not in change.retired}
    slots.update(change.slot_objects)
    assert unlock_with_passphrase(change.header, slots, NEW).secret == key.secret
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(change.header, slots, PASS)
    # The epoch is MAC-covered: lowering it in the new header is tampering.
    lowered = json.loads(change.header)
    lowered["epoch"] = 0
    with pytest.raises(TamperedData):
        unlock_with_passphrase(json.dumps(lowered).encode(), slots, NEW)


def test_a_device_refuses_the_header_a_change_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))

    async def scenario() -> None:
        store = await LocalStore.create(tmp_path / "store")
        created = await create_vault_on_store(store, PASS, FAST)
        old_header = await store.get(HEADER_KEY)
        old_slots = {o.key: await store.get(o.key) for o in await store.list("keys/")}
        vault_id = created.key.vault_id.hex()
        await change_store_passphrase(store, PASS, NEW, vault_id=vault_id)
        assert vault_epochs.seen_epoch(vault_id) == 1
        # The store serves the old header and slot again: the old passphrase opens them...
        await store.put(HEADER_KEY, old_header)
        for name, data in old_slots.items():
            await store.put(name, data)
        with pytest.raises(vault_epochs.StaleVaultHeader, match="old vault header"):
            await unlock_store(store, PASS)
        # ... and a recovery cannot be used to go back either.
        with pytest.raises(vault_epochs.StaleVaultHeader):
            await unlock_store(
                store, VaultSecret(recovery_key=created.recovery_key, new_passphrase=PASS)
            )
        await store.close()

    asyncio.run(scenario())
    path = tmp_path / "home" / vault_epochs.FILE_NAME
    assert (path.stat().st_mode & 0o777) == 0o600


def test_a_damaged_epoch_file_is_an_error_not_a_reset(tmp_path, monkeypatch):
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path))
    vault_epochs.accept_epoch("ab" * 16, 3)
    (tmp_path / vault_epochs.FILE_NAME).write_text("{not json")
    with pytest.raises(vault_epochs.EpochFileDamaged):
        vault_epochs.check_epoch("ab" * 16, 0)


# --- strength, environment, core dumps (16.6, 16.8) -------------------------------------------


def test_one_strength_rule_with_a_clear_message():
    assert refusal("correct horse battery staple 42") is None
    message = refusal("password123")
    assert message is not None and "first passwords an attacker tries" in message


def test_secrets_are_removed_from_the_environment_once_read(monkeypatch):
    passphrase_mod.forget_taken()
    monkeypatch.setenv("COFFRE_PASSPHRASE", PASS)
    monkeypatch.setenv("COFFRE_NEW_PASSPHRASE", NEW)
    assert passphrase_mod.read_passphrase(None) == PASS
    assert passphrase_mod.read_new_passphrase("test") == NEW
    assert "COFFRE_PASSPHRASE" not in os.environ and "COFFRE_NEW_PASSPHRASE" not in os.environ
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ.get('COFFRE_PASSPHRASE'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "None"
    assert passphrase_mod.read_passphrase(None) == PASS  # later reads in this process
    passphrase_mod.forget_taken()


def test_the_cli_process_cannot_dump_core():
    code = (
        "import resource, sys\n"
        "from app.hardening import disable_core_dumps, is_dumpable\n"
        "assert resource.getrlimit(resource.RLIMIT_CORE)[0] != 0 or True\n"
        "disable_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE), is_dumpable())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["(0,", "0)"]
    if sys.platform.startswith("linux"):
        assert out[2] == "False"


def test_a_recovery_on_a_store_holding_another_vault_writes_nothing(tmp_path, monkeypatch):
    from app.folders import create_binding
    from app.session import FolderSession
    from sync_engine.vault.vault_store import VaultSetupError

    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "home"))

    async def scenario() -> None:
        store = await LocalStore.create(tmp_path / "store")
        other = await create_vault_on_store(store, PASS, FAST)
        before = await store.get(HEADER_KEY)
        await store.close()
        (tmp_path / "folder").mkdir()
        binding = create_binding(tmp_path / "folder", str(tmp_path / "store"), "ab" * 16, None)
        secret = VaultSecret(recovery_key=other.recovery_key, new_passphrase=NEW)
        with pytest.raises(VaultSetupError, match="another vault"):
            await FolderSession.open(binding, secret)
        store = LocalStore(tmp_path / "store")
        assert await store.get(HEADER_KEY) == before  # no passphrase reset on a foreign vault
        await store.close()

    asyncio.run(scenario())
