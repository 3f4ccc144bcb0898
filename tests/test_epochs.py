"""Epoch statements, the chain and the root recipient (crypto/epochs.py), on bytes."""

from __future__ import annotations

import hashlib
import struct

import pytest

from crypto.device import DeviceKeys
from crypto.envelope import KemPrivateKey, key_commitment
from crypto.epochs import (
    CHAIN_WRAP_LEN,
    EpochStatement,
    chain_unwrap,
    new_epoch,
    open_epoch_key,
    open_statement,
    ring_from_envelope,
    ring_from_root,
    root_kem,
    root_recipient_id,
    seal_epoch_key,
)
from crypto.errors import DowngradeRefused, TamperedData, UnsupportedFormat
from crypto.keys import Purpose, VaultKey
from crypto.signing import BadSignature

VAULT = bytes.fromhex("5e" * 16)
ROOT = VaultKey(VAULT, bytes(range(32)))


@pytest.fixture(scope="module")
def owner() -> DeviceKeys:
    return DeviceKeys.generate("owner-laptop")


@pytest.fixture(scope="module")
def chain(owner):
    """Epochs 1..3: statement 1 publishes the root, 2 has no root, 3 a new root."""
    r2 = VaultKey(VAULT, b"\x77" * 32)
    e1, s1 = new_epoch(VAULT, 1, 0, owner, prev=None, root_public=root_kem(ROOT).public)
    e2, s2 = new_epoch(VAULT, 2, 5, owner, prev=e1, root_public=None)
    e3, s3 = new_epoch(VAULT, 3, 9, owner, prev=e2, root_public=root_kem(r2).public)
    return {1: (e1, s1), 2: (e2, s2), 3: (e3, s3)}, r2


def _statements(chain, owner):
    keys, _ = chain
    return {
        n: open_statement(s, vault_id=VAULT, epoch=n, verify_key=owner.signing.public)
        for n, (_, s) in keys.items()
    }


def test_statement_layout_and_signature(owner, chain):
    keys, r2 = chain
    e1, s1 = keys[1]
    st = open_statement(s1, vault_id=VAULT, epoch=1, verify_key=owner.signing.public)
    assert s1[:5] == b"CFES\x01" and s1[5:21] == VAULT
    assert struct.unpack_from("<IQ", s1, 21) == (1, 0)
    assert st.commit == key_commitment(e1, vault_id=VAULT, key_id=1) == s1[33:65]
    assert st.prev_wrap == b"" and st.root_public == root_kem(ROOT).public
    assert st.signer == owner.device_id and st.to_bytes() == s1
    st3 = EpochStatement.from_bytes(keys[3][1])
    assert len(st3.prev_wrap) == CHAIN_WRAP_LEN and st3.root_public == root_kem(r2).public
    assert EpochStatement.from_bytes(keys[2][1]).root_public is None
    # 4+1+16+4+8+32 | 4+0 | 4+1216 | 16 | 4+3373
    assert len(s1) == 65 + 4 + 4 + 1216 + 16 + 4 + 3373


def test_statement_refuses_tampering_and_misfiling(owner, chain):
    keys, _ = chain
    s2 = keys[2][1]
    other = DeviceKeys.generate("someone-else")
    with pytest.raises(BadSignature):
        open_statement(s2, vault_id=VAULT, epoch=2, verify_key=other.signing.public)
    flipped = bytearray(s2)
    flipped[30] ^= 1  # the log position
    with pytest.raises(BadSignature):
        open_statement(bytes(flipped), vault_id=VAULT, epoch=2, verify_key=owner.signing.public)
    with pytest.raises(TamperedData, match="says epoch 2"):
        open_statement(s2, vault_id=VAULT, epoch=3, verify_key=owner.signing.public)
    with pytest.raises(TamperedData, match="another vault"):
        open_statement(s2, vault_id=bytes(16), epoch=2, verify_key=owner.signing.public)
    for bad in (s2[:-1], s2 + b"\x00", b"CFEX" + s2[4:], s2[:40]):
        with pytest.raises(TamperedData):
            EpochStatement.from_bytes(bad)
    with pytest.raises(UnsupportedFormat, match="update Coffre"):
        EpochStatement.from_bytes(s2[:4] + b"\x02" + s2[5:])
    with pytest.raises(DowngradeRefused):
        EpochStatement.from_bytes(s2[:4] + b"\x00" + s2[5:])


def test_chain_gives_every_earlier_epoch_and_only_those(owner, chain):
    keys, _ = chain
    statements = _statements(chain, owner)
    e3 = keys[3][0]
    ring = ring_from_envelope(statements, 3, e3)
    assert ring.format == 2 and ring.current == 3
    assert {n: k.secret for n, k in ring.epochs.items()} == {n: e for n, (e, _) in keys.items()}
    assert ring.stable.subkey(Purpose.CHUNK_ID) == VaultKey(VAULT, keys[1][0]).subkey(
        Purpose.CHUNK_ID
    )
    ring2 = ring_from_envelope(statements, 2, keys[2][0])
    assert set(ring2.epochs) == {1, 2}  # epoch 3 is not reachable from E2
    wrap = statements[3].prev_wrap
    with pytest.raises(TamperedData):  # bound to its epoch number
        chain_unwrap(VAULT, 2, e3, wrap)
    with pytest.raises(TamperedData):
        ring_from_envelope(statements, 3, keys[2][0])  # a key that is not E3


def test_root_recipient_is_derived_from_r_and_opens_the_epoch(owner, chain):
    keys, r2 = chain
    statements = _statements(chain, owner)
    private = root_kem(ROOT)
    assert root_kem(ROOT).to_bytes() == private.to_bytes()  # deterministic
    assert root_kem(r2).public != private.public
    rid = root_recipient_id(private.public)
    digest = hashlib.sha256(b"coffre/v2/root-recipient\x00" + private.public.to_bytes()).digest()
    assert rid == digest[:16]
    e2 = keys[2][0]
    env = seal_epoch_key(private.public, e2, vault_id=VAULT, epoch=2, recipient_id=rid)
    ring = ring_from_root(ROOT, statements, 2, env)
    assert ring.current == 2 and ring.key(1).secret == keys[1][0]
    with pytest.raises(TamperedData):
        ring_from_root(r2, statements, 2, env)


def test_an_envelope_of_another_key_or_epoch_is_refused(owner, chain):
    keys, _ = chain
    statements = _statements(chain, owner)
    kem = KemPrivateKey.generate()
    rid = b"\x11" * 16
    forged = seal_epoch_key(kem.public, b"\x42" * 32, vault_id=VAULT, epoch=2, recipient_id=rid)
    with pytest.raises(TamperedData, match="commits to"):
        open_epoch_key(kem, forged, statements[2], rid)
    replayed = seal_epoch_key(kem.public, keys[1][0], vault_id=VAULT, epoch=1, recipient_id=rid)
    with pytest.raises(TamperedData):
        open_epoch_key(kem, replayed, statements[2], rid)
    good = seal_epoch_key(kem.public, keys[2][0], vault_id=VAULT, epoch=2, recipient_id=rid)
    assert open_epoch_key(kem, good, statements[2], rid) == keys[2][0]
