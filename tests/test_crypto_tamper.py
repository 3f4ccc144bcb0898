"""A malicious store: every tampering is detected, with the right error, and no plaintext.

One test per attack class of docs/THREATS.md: bit flips anywhere in each
object type, truncation and extension, chunks moved across vaults or ids, a
pack index pointing at the wrong chunk, records replayed under another device
or seq, rollback, KDF downgrade, format version changes, wrong passphrases.
"""

from __future__ import annotations

import json
import os
import random
import struct

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from crypto.chunk import ChunkCodec
from crypto.errors import (
    CoffreCryptoError,
    DowngradeRefused,
    RollbackDetected,
    TamperedData,
    UnsupportedFormat,
    WrongPassphrase,
)
from crypto.kdf import FLOOR, Argon2Params
from crypto.keys import Purpose, VaultKey
from crypto.pack import PackWriter, open_chunk, read_index
from crypto.records import (
    SEGMENT_MAGIC,
    SNAPSHOT_MAGIC,
    ZERO_HASH,
    Head,
    Record,
    open_head,
    open_record,
    record_hash,
    seal_head,
    seal_record,
)
from crypto.vault import create_vault, unlock_with_passphrase, unlock_with_recovery_key

PASS = "phrase de passe pour les tests"
FAST = Argon2Params(FLOOR.memory_kib, FLOOR.iterations, 1)


def flip(data: bytes, pos: int, bit: int = 0) -> bytes:
    out = bytearray(data)
    out[pos] ^= 1 << bit
    return bytes(out)


@pytest.fixture(scope="module")
def vault():
    return create_vault(PASS, FAST)


@pytest.fixture
def key():
    return VaultKey.generate()


# --- key slots and header ----------------------------------------------------------------


def _slot_name(vault, kind: str) -> str:
    header = json.loads(vault.header)
    slot = next(s for s in header["slots"] if s["kind"] == kind)
    return f"keys/{slot['id']}"


def test_wrong_passphrase(vault):
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(vault.header, vault.slot_objects, PASS + " ")


@pytest.mark.parametrize("pos", [0, 4, 5, 16, 17, 40, 48, 64])  # magic, version, nonce, ct, tag
def test_bit_flip_in_key_slot(vault, pos):
    name = _slot_name(vault, "passphrase")
    slots = dict(vault.slot_objects)
    slots[name] = flip(slots[name], pos)
    with pytest.raises(CoffreCryptoError) as err:
        unlock_with_passphrase(vault.header, slots, PASS)
    assert isinstance(err.value, WrongPassphrase | TamperedData | UnsupportedFormat)


@pytest.mark.parametrize("change", ["truncate", "extend"])
def test_truncated_or_extended_key_slot(vault, change):
    name = _slot_name(vault, "recovery")
    slots = dict(vault.slot_objects)
    slots[name] = slots[name][:-1] if change == "truncate" else slots[name] + b"\0"
    with pytest.raises(TamperedData):
        unlock_with_recovery_key(vault.header, slots, vault.recovery_key)


def _edit_header(vault, edit) -> bytes:
    header = json.loads(vault.header)
    edit(header)
    return json.dumps(header).encode()


def test_lowered_argon2_parameters_are_refused_before_derivation(vault):
    def lower(h):
        h["slots"][0]["kdf"]["memory_kib"] = 1024
        h["slots"][0]["kdf"]["iterations"] = 1

    with pytest.raises(DowngradeRefused, match="below Coffre's minimum"):
        unlock_with_passphrase(_edit_header(vault, lower), vault.slot_objects, PASS)


def test_changed_argon2_parameters_above_floor_fail_the_slot_aad(vault):
    def change(h):
        h["slots"][0]["kdf"]["lanes"] = 2  # within what Coffre accepts, but not what was wrapped

    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(_edit_header(vault, change), vault.slot_objects, PASS)


def test_absurd_argon2_parameters_are_refused(vault):
    def huge(h):
        h["slots"][0]["kdf"]["memory_kib"] = 1 << 40

    with pytest.raises(UnsupportedFormat):
        unlock_with_passphrase(_edit_header(vault, huge), vault.slot_objects, PASS)


@pytest.mark.parametrize(
    ("version", "error"), [(3, UnsupportedFormat), (0, DowngradeRefused), (2, TamperedData)]
)
def test_header_with_another_format_version(vault, version, error):
    """A version-1 header relabelled 2 fails the MAC (the version is MAC-covered)."""
    def set_version(h):
        h["version"] = version

    with pytest.raises(error):
        unlock_with_passphrase(_edit_header(vault, set_version), vault.slot_objects, PASS)


def test_header_vault_id_swapped(vault):
    def swap(h):
        h["vault_id"] = os.urandom(16).hex()

    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(_edit_header(vault, swap), vault.slot_objects, PASS)


def test_header_slot_list_altered_fails_the_mac(vault):
    other = create_vault("another vault entirely", FAST)

    def add_slot(h):
        h["slots"].append(json.loads(other.header)["slots"][1])

    with pytest.raises(TamperedData, match="header"):
        unlock_with_recovery_key(
            _edit_header(vault, add_slot), vault.slot_objects, vault.recovery_key
        )


def test_bit_flips_across_the_header(vault):
    """Every sampled single-bit flip of coffre.json is an error, never a silent success."""
    rnd = random.Random(7)
    positions = rnd.sample(range(len(vault.header)), 12)
    for pos in positions:
        bad = flip(vault.header, pos, rnd.randrange(8))
        with pytest.raises(CoffreCryptoError):
            unlock_with_recovery_key(bad, vault.slot_objects, vault.recovery_key)


# --- chunks ------------------------------------------------------------------------------


def test_bit_flip_anywhere_in_a_chunk_envelope(key):
    codec = ChunkCodec(key)
    for data in (os.urandom(3000), b"compressible text " * 500):
        chunk_id = codec.chunk_id(data)
        env = codec.seal(chunk_id, data)
        for pos in range(len(env)):
            with pytest.raises(CoffreCryptoError) as err:
                codec.open(chunk_id, flip(env, pos, pos % 8))
            if pos >= 2:  # past the version and flags bytes: always an integrity failure
                assert isinstance(err.value, TamperedData)


@pytest.mark.parametrize("change", ["truncate", "extend", "empty"])
def test_truncated_or_extended_chunk(key, change):
    codec = ChunkCodec(key)
    data = os.urandom(1000)
    chunk_id = codec.chunk_id(data)
    env = codec.seal(chunk_id, data)
    bad = {"truncate": env[:-1], "extend": env + b"\0", "empty": b""}[change]
    with pytest.raises(TamperedData):
        codec.open(chunk_id, bad)


def test_chunk_moved_to_another_vault(key):
    data = os.urandom(1000)
    mine = ChunkCodec(key)
    theirs = ChunkCodec(VaultKey.generate())
    chunk_id = mine.chunk_id(data)
    with pytest.raises(TamperedData):
        theirs.open(chunk_id, mine.seal(chunk_id, data))


def test_chunk_served_under_another_id(key):
    codec = ChunkCodec(key)
    a, b = os.urandom(1000), os.urandom(1000)
    with pytest.raises(TamperedData):
        codec.open(codec.chunk_id(b), codec.seal(codec.chunk_id(a), a))


# --- packs -------------------------------------------------------------------------------


def _small_pack(key):
    codec = ChunkCodec(key)
    writer = PackWriter(key, codec, target_size=8192, max_chunk=8192)
    chunks = [os.urandom(300), b"lorem ipsum " * 100, os.urandom(50)]
    for c in chunks:
        writer.add(codec.chunk_id(c), c)
    return codec, writer.finish(), chunks


def _read_all(key, codec, pack_id, data):
    return [open_chunk(codec, e, data) for e in read_index(key, pack_id, data)]


def test_bit_flip_anywhere_in_a_pack(key):
    codec, pack, chunks = _small_pack(key)
    data = bytes(pack.data)
    assert sorted(_read_all(key, codec, pack.pack_id, data)) == sorted(chunks)
    for pos in range(len(data)):
        with pytest.raises(CoffreCryptoError):
            _read_all(key, codec, pack.pack_id, flip(data, pos, pos % 8))


@pytest.mark.parametrize("change", ["truncate", "extend", "cut_in_half"])
def test_truncated_or_extended_pack(key, change):
    codec, pack, _ = _small_pack(key)
    data = bytes(pack.data)
    bad = {
        "truncate": data[:-1],
        "extend": data + b"\0\0\0\0",
        "cut_in_half": data[: len(data) // 2],
    }
    with pytest.raises(TamperedData):
        _read_all(key, codec, pack.pack_id, bad[change])


def test_pack_served_under_another_pack_id(key):
    _, pack, _ = _small_pack(key)
    with pytest.raises(TamperedData):
        read_index(key, os.urandom(16), pack.data)


def test_pack_index_entry_pointing_at_the_wrong_chunk(key):
    """Even with a validly encrypted index (as an insider bug could write), ids are checked."""
    codec, pack, _ = _small_pack(key)
    data = bytearray(pack.data)
    (index_len,) = struct.unpack_from("<I", data, len(data) - 4)
    index_off = len(data) - 4 - index_len
    aad = b"coffre/pack-index/v1\x00" + key.vault_id + pack.pack_id + struct.pack("<Q", index_off)
    aead = AESGCM(key.subkey(Purpose.PACK_INDEX))
    nonce = bytes(data[index_off : index_off + 12])
    plain = bytearray(aead.decrypt(nonce, bytes(data[index_off + 12 : -4]), aad))
    first, second = plain[4:36], plain[4 + 44 : 4 + 44 + 32]
    plain[4:36], plain[4 + 44 : 4 + 44 + 32] = second, first  # swap two chunk ids
    data[index_off + 12 : -4] = aead.encrypt(nonce, bytes(plain), aad)
    entries = read_index(key, pack.pack_id, data)
    with pytest.raises(TamperedData):
        for e in entries:
            open_chunk(codec, e, data)


# --- journal records and heads -----------------------------------------------------------


def test_bit_flip_anywhere_in_a_segment_and_a_head(key):
    device = os.urandom(16)
    seg = seal_record(key, SEGMENT_MAGIC, Record(device, 3, os.urandom(32), b"operations"))
    for pos in range(len(seg)):
        with pytest.raises(CoffreCryptoError):
            open_record(key, SEGMENT_MAGIC, flip(seg, pos, pos % 8), device_id=device, seq=3)
    head = seal_head(key, Head(device, 3, record_hash(seg), b"name"))
    for pos in range(len(head)):
        with pytest.raises(CoffreCryptoError):
            open_head(key, flip(head, pos, pos % 8), device_id=device)


@pytest.mark.parametrize("change", ["truncate", "extend"])
def test_truncated_or_extended_records(key, change):
    device = os.urandom(16)
    seg = seal_record(key, SEGMENT_MAGIC, Record(device, 1, ZERO_HASH, b"ops"))
    head = seal_head(key, Head(device, 1, record_hash(seg)))

    def mutate(b):
        return b[:-1] if change == "truncate" else b + b"\0"

    with pytest.raises(TamperedData):
        open_record(key, SEGMENT_MAGIC, mutate(seg), device_id=device, seq=1)
    with pytest.raises(TamperedData):
        open_head(key, mutate(head), device_id=device)


def test_segment_replayed_under_another_device_or_seq(key):
    a, b = os.urandom(16), os.urandom(16)
    seg = seal_record(key, SEGMENT_MAGIC, Record(a, 5, ZERO_HASH, b"ops"))
    with pytest.raises(TamperedData, match="replayed"):
        open_record(key, SEGMENT_MAGIC, seg, device_id=b, seq=5)
    with pytest.raises(TamperedData, match="replayed"):
        open_record(key, SEGMENT_MAGIC, seg, device_id=a, seq=6)
    # Rewriting the plaintext header to match breaks the AAD.
    forged = bytearray(seg)
    forged[5:21] = b
    with pytest.raises(TamperedData):
        open_record(key, SEGMENT_MAGIC, bytes(forged), device_id=b, seq=5)


def test_segment_from_another_chain_or_kind(key):
    device = os.urandom(16)
    seg = seal_record(key, SEGMENT_MAGIC, Record(device, 2, os.urandom(32), b"ops"))
    with pytest.raises(TamperedData, match="chain"):
        open_record(key, SEGMENT_MAGIC, seg, device_id=device, seq=2, link=os.urandom(32))
    with pytest.raises(TamperedData):
        open_record(key, SNAPSHOT_MAGIC, seg, device_id=device, seq=2)


def test_old_head_put_back_is_a_rollback(key):
    device = os.urandom(16)
    old = seal_head(key, Head(device, 4, os.urandom(32)))
    new = open_head(key, seal_head(key, Head(device, 7, os.urandom(32))), device_id=device)
    with pytest.raises(RollbackDetected, match="old copy"):
        open_head(key, old, device_id=device, accepted=new)


def test_forked_head_at_the_same_seq(key):
    device = os.urandom(16)
    seen = open_head(key, seal_head(key, Head(device, 7, os.urandom(32))), device_id=device)
    fork = seal_head(key, Head(device, 7, os.urandom(32)))
    with pytest.raises(TamperedData, match="forked"):
        open_head(key, fork, device_id=device, accepted=seen)


def test_head_of_another_device_or_vault(key):
    a, b = os.urandom(16), os.urandom(16)
    head = seal_head(key, Head(a, 1, ZERO_HASH))
    with pytest.raises(TamperedData, match="another device"):
        open_head(key, head, device_id=b)
    with pytest.raises(TamperedData):
        open_head(VaultKey.generate(), head, device_id=a)
