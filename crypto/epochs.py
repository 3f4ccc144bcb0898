"""Epoch keys of a v2 vault: the signed statement of each epoch, the chain, the root recipient.

Epoch n's key E_n (32 random bytes; E1 = K for a vault upgraded from v1) is
published as a STATEMENT, `keys/epochs/<n as 8 hex>/statement`, signed by the
owner device that started the epoch, and as CFEV envelopes (crypto/envelope.py,
key id n) to each device and identity that may read it. Statement layout
(docs/FORMAT.md "Epoch statement", little-endian):

    "CFES" | 0x01 | vault id (16) | u32 epoch | u64 log position |
    commit (32) | u32 len | prev wrap | u32 len | root KEM public |
    signer device id (16) | u32 len | hybrid signature

`commit` = envelope.key_commitment(E_n, vault_id, key_id=n): an envelope is
accepted only if the key it opens has this commitment, so anyone holding E_n
may write envelopes and a replayed or swapped envelope opens nothing usable.
`prev wrap` (empty for n = 1) is nonce (12) | AES-256-GCM of E_{n-1} under
HKDF(E_n, salt = vault id, info "coffre/v2/epoch-chain"), AAD
"coffre/epoch-chain/v2" 0x00 | vault id | u32 n: holding E_n gives every
earlier epoch. The signature (context "epoch-statement") covers every byte
before its own length field.

The ROOT R (what the passphrase and recovery slots wrap) is a recipient like a
device: a KEM key pair derived from R (`root_kem`), whose public key is
published in statement 1 and in the statement of every epoch a passphrase
change starts; its envelope is `keys/epochs/<n>/root`, sealed with recipient id
`root_recipient_id(public)`. So an owner who never knew the passphrase still
seals a new epoch to the passphrase holders, and R opens the newest epoch.

Who may sign a statement (an owner's device at the statement's log position,
where the entry started epoch n) is the membership core's business:
sync_engine/core/epoch_rules.py. This module checks bytes and signatures only.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .device import DEVICE_ID_LEN, DeviceKeys
from .envelope import (
    COMMIT_LEN,
    KEM_PUBLIC_LEN,
    MLKEM_SEED_LEN,
    RECIPIENT_ID_LEN,
    X25519_LEN,
    KemPrivateKey,
    KemPublicKey,
    key_commitment,
    open_key,
    seal_key,
)
from .errors import TamperedData
from .keyring import MAX_EPOCH, KeyRing
from .keys import KEY_LEN, VAULT_ID_LEN, VaultKey, hkdf_sha256
from .rng import RandomBytes, system_random
from .signing import HYBRID_SIGNATURE_LEN, HybridVerifyKey
from .versions import check_version

__all__ = [
    "CHAIN_WRAP_LEN",
    "ROOT_OBJECT",
    "STATEMENT_CONTEXT",
    "STATEMENT_MAGIC",
    "STATEMENT_VERSION",
    "EpochStatement",
    "chain_unwrap",
    "chain_wrap",
    "new_epoch",
    "open_epoch_key",
    "open_statement",
    "ring_from_envelope",
    "ring_from_root",
    "root_kem",
    "root_recipient_id",
    "seal_epoch_key",
]

STATEMENT_MAGIC = b"CFES"
STATEMENT_VERSION = 1
STATEMENT_CONTEXT = b"epoch-statement"
ROOT_OBJECT = "root"  # keys/epochs/<n>/root: the envelope sealed to the root recipient
NONCE_LEN = 12
CHAIN_WRAP_LEN = NONCE_LEN + KEY_LEN + 16
_FIXED = struct.Struct("<4sB16sIQ32s")  # magic, version, vault id, epoch, position, commit
_LEN = struct.Struct("<I")
_WHAT = "An epoch statement"
_CHAIN_INFO = b"coffre/v2/epoch-chain"
_CHAIN_AAD = b"coffre/epoch-chain/v2\x00"
_ROOT_MLKEM_INFO = b"coffre/v2/root-kem/mlkem"
_ROOT_X25519_INFO = b"coffre/v2/root-kem/x25519"
_ROOT_RECIPIENT = b"coffre/v2/root-recipient\x00"


# ---------------------------------------------------------------------------
# The root recipient
# ---------------------------------------------------------------------------


def root_kem(root: VaultKey) -> KemPrivateKey:
    """The root's KEM key pair, derived from R (HKDF, salt = vault id): no state to keep."""
    seed = hkdf_sha256(
        root.secret, salt=root.vault_id, info=_ROOT_MLKEM_INFO, length=MLKEM_SEED_LEN
    )
    x25519 = hkdf_sha256(root.secret, salt=root.vault_id, info=_ROOT_X25519_INFO, length=X25519_LEN)
    return KemPrivateKey(seed, x25519)


def root_recipient_id(public: KemPublicKey) -> bytes:
    """SHA-256("coffre/v2/root-recipient" 0x00 | root KEM public)[0:16]."""
    return hashlib.sha256(_ROOT_RECIPIENT + public.to_bytes()).digest()[:RECIPIENT_ID_LEN]


# ---------------------------------------------------------------------------
# The chain: E_n wraps E_{n-1}
# ---------------------------------------------------------------------------


def _chain_key(vault_id: bytes, key: bytes) -> bytes:
    return hkdf_sha256(key, salt=vault_id, info=_CHAIN_INFO)


def _chain_aad(vault_id: bytes, epoch: int) -> bytes:
    return _CHAIN_AAD + vault_id + struct.pack("<I", epoch)


def chain_wrap(
    vault_id: bytes, epoch: int, key: bytes, prev: bytes, rng: RandomBytes = system_random
) -> bytes:
    """E_{n-1} sealed under E_n's chain key: nonce (12) | AES-256-GCM (32 + 16)."""
    if len(key) != KEY_LEN or len(prev) != KEY_LEN:
        raise ValueError("epoch keys are 32 bytes")
    nonce = rng(NONCE_LEN)
    return nonce + AESGCM(_chain_key(vault_id, key)).encrypt(
        nonce, prev, _chain_aad(vault_id, epoch)
    )


def chain_unwrap(vault_id: bytes, epoch: int, key: bytes, wrap: bytes) -> bytes:
    """E_{n-1} from epoch n's statement; `TamperedData` if it does not open."""
    if len(wrap) != CHAIN_WRAP_LEN:
        raise TamperedData(_WHAT, f"epoch {epoch}: chain wrap of {len(wrap)} bytes")
    try:
        return AESGCM(_chain_key(vault_id, key)).decrypt(
            wrap[:NONCE_LEN], wrap[NONCE_LEN:], _chain_aad(vault_id, epoch)
        )
    except InvalidTag:
        detail = f"epoch {epoch}: the previous epoch's key does not open"
        raise TamperedData(_WHAT, detail) from None


# ---------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EpochStatement:
    """A parsed statement (its signature not yet checked: `open_statement` checks it)."""

    vault_id: bytes
    epoch: int
    position: int  # the membership log slot of the entry that started the epoch
    commit: bytes
    prev_wrap: bytes  # empty for epoch 1
    root_public: KemPublicKey | None  # None: the root did not change in this epoch
    signer: bytes  # the signing device's id
    signature: bytes

    def signed_bytes(self) -> bytes:
        return statement_body(
            self.vault_id, self.epoch, self.position, self.commit, self.prev_wrap,
            self.root_public, self.signer,
        )  # fmt: skip

    def to_bytes(self) -> bytes:
        return self.signed_bytes() + _LEN.pack(len(self.signature)) + self.signature

    @classmethod
    def from_bytes(cls, data: bytes) -> EpochStatement:
        """Parse the exact layout; `TamperedData` for anything else (no signature check)."""
        if len(data) < len(STATEMENT_MAGIC) + 1 or data[:4] != STATEMENT_MAGIC:
            raise TamperedData(_WHAT, "bad magic")
        check_version(_WHAT, data[4], STATEMENT_VERSION)
        if len(data) < _FIXED.size + _LEN.size:
            raise TamperedData(_WHAT, "truncated")
        _, _, vault_id, epoch, position, commit = _FIXED.unpack_from(data)
        at = _FIXED.size
        prev_wrap, at = _field(data, at)
        root, at = _field(data, at)
        if at + DEVICE_ID_LEN > len(data):
            raise TamperedData(_WHAT, "truncated before the signer")
        signer = data[at : at + DEVICE_ID_LEN]
        signature, at = _field(data, at + DEVICE_ID_LEN)
        if at != len(data):
            raise TamperedData(_WHAT, "trailing bytes")
        if len(signature) != HYBRID_SIGNATURE_LEN:
            raise TamperedData(_WHAT, f"signature of {len(signature)} bytes")
        if epoch < 1 or (epoch == 1) != (not prev_wrap):
            raise TamperedData(_WHAT, "epoch 1 has no chain wrap and every later epoch has one")
        if prev_wrap and len(prev_wrap) != CHAIN_WRAP_LEN:
            raise TamperedData(_WHAT, f"chain wrap of {len(prev_wrap)} bytes")
        if root and len(root) != KEM_PUBLIC_LEN:
            raise TamperedData(_WHAT, f"root public key of {len(root)} bytes")
        root_public = KemPublicKey.from_bytes(root, _WHAT) if root else None
        return cls(vault_id, epoch, position, commit, prev_wrap, root_public, signer, signature)


def _field(data: bytes, at: int) -> tuple[bytes, int]:
    if at + _LEN.size > len(data):
        raise TamperedData(_WHAT, "truncated")
    (length,) = _LEN.unpack_from(data, at)
    end = at + _LEN.size + length
    if end > len(data):
        raise TamperedData(_WHAT, "a length overruns the object")
    return data[at + _LEN.size : end], end


def statement_body(
    vault_id: bytes,
    epoch: int,
    position: int,
    commit: bytes,
    prev_wrap: bytes,
    root_public: KemPublicKey | None,
    signer: bytes,
) -> bytes:
    """Every byte the signature covers (everything before the signature's length)."""
    if len(vault_id) != VAULT_ID_LEN or len(signer) != DEVICE_ID_LEN:
        raise ValueError("vault and device ids are 16 bytes")
    if not 1 <= epoch <= MAX_EPOCH or not 0 <= position < 1 << 64 or len(commit) != COMMIT_LEN:
        raise ValueError("an epoch is a u32 from 1, a position a u64, a commit 32 bytes")
    root = root_public.to_bytes() if root_public is not None else b""
    return (
        _FIXED.pack(STATEMENT_MAGIC, STATEMENT_VERSION, vault_id, epoch, position, commit)
        + _LEN.pack(len(prev_wrap)) + prev_wrap
        + _LEN.pack(len(root)) + root
        + signer
    )  # fmt: skip


def new_epoch(
    vault_id: bytes,
    epoch: int,
    position: int,
    signer: DeviceKeys,
    *,
    prev: bytes | None,
    root_public: KemPublicKey | None,
    key: bytes | None = None,
    rng: RandomBytes = system_random,
) -> tuple[bytes, bytes]:
    """(E_n, statement bytes) for epoch `epoch` started by the log entry at `position`.

    `prev` is E_{n-1} (None for epoch 1); `key` is E_n when it is given (an
    upgrade makes E1 = K), else 32 fresh random bytes; `root_public` is the root
    KEM public this epoch publishes (epoch 1 and passphrase changes), else None.
    """
    if (epoch == 1) != (prev is None):
        raise ValueError("epoch 1 has no previous key; every later epoch has one")
    secret = key if key is not None else rng(KEY_LEN)
    if len(secret) != KEY_LEN:
        raise ValueError("an epoch key is 32 bytes")
    wrap = b"" if prev is None else chain_wrap(vault_id, epoch, secret, prev, rng)
    commit = key_commitment(secret, vault_id=vault_id, key_id=epoch)
    body = statement_body(vault_id, epoch, position, commit, wrap, root_public, signer.device_id)
    signature = signer.sign(STATEMENT_CONTEXT, body)
    return secret, body + _LEN.pack(len(signature)) + signature


def open_statement(
    data: bytes, *, vault_id: bytes, epoch: int, verify_key: HybridVerifyKey
) -> EpochStatement:
    """The statement stored for `epoch` of `vault_id`, if `verify_key` signed it.

    Whether that key's device may sign it is checked by the caller against the
    membership log (sync_engine/core/epoch_rules.py).
    """
    statement = EpochStatement.from_bytes(data)
    if statement.vault_id != vault_id:
        raise TamperedData(_WHAT, "it names another vault")
    if statement.epoch != epoch:
        raise TamperedData(_WHAT, f"stored for epoch {epoch} but says epoch {statement.epoch}")
    verify_key.verify(STATEMENT_CONTEXT, statement.signed_bytes(), statement.signature, _WHAT)
    return statement


# ---------------------------------------------------------------------------
# Envelopes of an epoch key
# ---------------------------------------------------------------------------


def seal_epoch_key(
    recipient: KemPublicKey, key: bytes, *, vault_id: bytes, epoch: int, recipient_id: bytes
) -> bytes:
    """E_n sealed to one recipient (a device, an identity or the root): a CFEV envelope."""
    return seal_key(recipient, key, vault_id=vault_id, key_id=epoch, recipient_id=recipient_id)


def open_epoch_key(
    private: KemPrivateKey, envelope: bytes, statement: EpochStatement, recipient_id: bytes
) -> bytes:
    """E_n from an envelope, only if it matches the (verified) statement's commitment."""
    key = open_key(
        private, envelope, vault_id=statement.vault_id, key_id=statement.epoch,
        recipient_id=recipient_id,
    )  # fmt: skip
    expected = key_commitment(key, vault_id=statement.vault_id, key_id=statement.epoch)
    if not hmac.compare_digest(expected, statement.commit):
        raise TamperedData(
            "A key envelope",
            f"epoch {statement.epoch}: the key it holds is not the one the statement commits to",
        )
    return key


# ---------------------------------------------------------------------------
# Key rings
# ---------------------------------------------------------------------------


def ring_from_envelope(statements: Mapping[int, EpochStatement], epoch: int, key: bytes) -> KeyRing:
    """The format-2 ring of E_1..E_epoch from E_epoch, unwrapping the chain down to 1.

    `statements` are verified statements for at least epochs 2..epoch; each
    unwrapped key must match its own statement's commitment.
    """
    top = statements.get(epoch)
    if top is None:
        raise TamperedData(_WHAT, f"epoch {epoch} has no statement")
    vault_id = top.vault_id
    keys = {epoch: key}
    for n in range(epoch, 1, -1):
        statement = statements.get(n)
        if statement is None:
            raise TamperedData(_WHAT, f"epoch {n} has no statement: the chain is broken")
        prev = chain_unwrap(vault_id, n, keys[n], statement.prev_wrap)
        below = statements.get(n - 1)
        if below is not None and not hmac.compare_digest(
            key_commitment(prev, vault_id=vault_id, key_id=n - 1), below.commit
        ):
            raise TamperedData(_WHAT, f"epoch {n - 1}: the chained key differs from its commitment")
        keys[n - 1] = prev
    return KeyRing(vault_id, 2, {n: VaultKey(vault_id, k) for n, k in keys.items()}, epoch)


def ring_from_root(
    root: VaultKey, statements: Mapping[int, EpochStatement], epoch: int, envelope: bytes
) -> KeyRing:
    """The ring opened by the root R through `keys/epochs/<epoch>/root`."""
    private = root_kem(root)
    recipient = root_recipient_id(private.public)
    key = open_epoch_key(private, envelope, statements[epoch], recipient)
    return ring_from_envelope(statements, epoch, key)
