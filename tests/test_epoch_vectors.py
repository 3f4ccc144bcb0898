"""docs/FORMAT.md "Epoch keys and header version 2" and the code agree, both ways."""

from __future__ import annotations

import hashlib
import struct

import pytest

from crypto.epochs import chain_unwrap, ring_from_envelope, root_kem, root_recipient_id
from crypto.header import V2, parse_header
from crypto.keys import VaultKey
from crypto.vault import unlock_with_passphrase, unlock_with_recovery_key
from tests import epoch_vectors as ev
from tests.format_vectors import documented


@pytest.fixture(scope="module")
def vec() -> dict:
    return documented(ev.EPOCH_BEGIN, ev.EPOCH_END)


@pytest.fixture(scope="module")
def samples() -> dict:
    return documented(ev.SAMPLES_BEGIN, ev.SAMPLES_END)


def test_code_reproduces_the_documented_vectors(vec):
    assert ev.generate() == vec


def test_the_documented_statements_verify(samples):
    assert ev.samples_verify(samples)


def test_the_header_v2_opens_to_the_root(vec):
    header = vec["header_v2"].encode()
    slots = {name: bytes.fromhex(h) for name, h in vec["slot_objects"].items()}
    assert parse_header(header).version == V2
    root = unlock_with_passphrase(header, slots, vec["passphrase"])
    assert root.secret.hex() == vec["root"] and root.vault_id.hex() == vec["vault_id"]
    assert unlock_with_recovery_key(header, slots, vec["recovery_key"]) == root


def test_the_root_recipient_is_derived_as_documented(vec):
    root = VaultKey(bytes.fromhex(vec["vault_id"]), bytes.fromhex(vec["root"]))
    private = root_kem(root)
    assert private.to_bytes().hex() == vec["root_kem_private"]
    assert private.public.to_bytes().hex() == vec["root_kem_public"]
    digest = hashlib.sha256(b"coffre/v2/root-recipient\x00" + private.public.to_bytes()).digest()
    assert root_recipient_id(private.public).hex() == vec["root_recipient_id"] == digest[:16].hex()


def test_statement_layout_byte_by_byte(vec):
    body = bytes.fromhex(vec["statement_2_signed"])
    assert body[0:5] == b"CFES\x01" and body[5:21].hex() == vec["vault_id"]
    assert struct.unpack_from("<IQ", body, 21) == (2, ev.POSITION_2)
    assert body[33:65].hex() == vec["commit_2"]
    assert struct.unpack_from("<I", body, 65) == (60,)
    assert body[69:129].hex() == vec["chain_wrap_2"]
    assert struct.unpack_from("<I", body, 129) == (0,)  # the root did not change
    assert body[133:149].hex() == vec["signer_device_id"] and len(body) == 149
    first = bytes.fromhex(vec["statement_1_signed"])
    assert struct.unpack_from("<I", first, 65) == (0,)  # epoch 1: no chain wrap
    assert struct.unpack_from("<I", first, 69) == (1216,)
    assert first[73:1289].hex() == vec["root_kem_public"] and len(first) == 1305


def test_the_chain_opens_epoch_one_from_epoch_two(vec, samples):
    vault_id, e2 = bytes.fromhex(vec["vault_id"]), bytes.fromhex(vec["e2"])
    assert chain_unwrap(vault_id, 2, e2, bytes.fromhex(vec["chain_wrap_2"])).hex() == vec["e1"]
    ring = ring_from_envelope(ev.statements(samples), 2, e2)
    assert ring.key(1).secret.hex() == vec["e1"] and ring.current == 2
