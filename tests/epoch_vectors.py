"""Vectors for docs/FORMAT.md "Epoch keys" and "Header version 2".

Two blocks, as for identities (tests/identity_vectors.py). `epoch-vectors` is
deterministic (keys and nonces from a seeded byte source, Argon2id, HMAC, HKDF,
AES-GCM): the code reproduces it byte for byte. `epoch-samples` holds the
complete statements, whose hybrid signatures carry ML-DSA-65's fresh
randomness: the code verifies them with the deterministic device key, and
`write()` keeps them as long as they still verify.
`python -m tests.epoch_vectors --write` writes both blocks.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from crypto.envelope import key_commitment
from crypto.epochs import (
    EpochStatement,
    chain_wrap,
    new_epoch,
    open_statement,
    root_kem,
    root_recipient_id,
    statement_body,
)
from crypto.errors import CoffreCryptoError
from crypto.kdf import FLOOR
from crypto.keys import VaultKey
from crypto.vault import create_vault_v2
from tests.format_vectors import FORMAT_MD, PASSPHRASE, SeededBytes, documented
from tests.identity_vectors import parties

EPOCH_BEGIN, EPOCH_END = "<!-- epoch-vectors:begin -->", "<!-- epoch-vectors:end -->"
SAMPLES_BEGIN, SAMPLES_END = "<!-- epoch-samples:begin -->", "<!-- epoch-samples:end -->"
SEED = "coffre epoch vectors v1"
POSITION_2 = 4  # the log slot of the entry that started epoch 2 (a member removed)


def generate() -> dict[str, Any]:
    rng = SeededBytes(SEED)
    vault = create_vault_v2(PASSPHRASE, FLOOR, rng)
    root = vault.key
    e1, e2 = rng(32), rng(32)
    _, _, device = parties()
    public = root_kem(root).public
    wrap = chain_wrap(root.vault_id, 2, e2, e1, rng)
    commit1 = key_commitment(e1, vault_id=root.vault_id, key_id=1)
    commit2 = key_commitment(e2, vault_id=root.vault_id, key_id=2)
    body1 = statement_body(root.vault_id, 1, 0, commit1, b"", public, device.device_id)
    body2 = statement_body(root.vault_id, 2, POSITION_2, commit2, wrap, None, device.device_id)
    return {
        "seed": SEED,
        "passphrase": PASSPHRASE,
        "header_v2": vault.header.decode(),
        "slot_objects": {name: data.hex() for name, data in vault.slot_objects.items()},
        "recovery_key": vault.recovery_key,
        "vault_id": root.vault_id.hex(),
        "root": root.secret.hex(),
        "root_kem_private": root_kem(root).to_bytes().hex(),
        "root_kem_public": public.to_bytes().hex(),
        "root_recipient_id": root_recipient_id(public).hex(),
        "e1": e1.hex(),
        "e2": e2.hex(),
        "commit_1": commit1.hex(),
        "commit_2": commit2.hex(),
        "chain_wrap_2": wrap.hex(),
        "signer_device_id": device.device_id.hex(),
        "statement_1_signed": body1.hex(),
        "statement_2_signed": body2.hex(),
    }


def generate_samples() -> dict[str, Any]:
    """Statements 1 and 2 as `new_epoch` writes them (with hybrid signatures)."""
    vec = generate()
    _, _, device = parties()
    root = VaultKey(bytes.fromhex(vec["vault_id"]), bytes.fromhex(vec["root"]))
    e1, e2 = bytes.fromhex(vec["e1"]), bytes.fromhex(vec["e2"])
    nonce = bytes.fromhex(vec["chain_wrap_2"])[:12]
    _, s1 = new_epoch(root.vault_id, 1, 0, device, prev=None,
                      root_public=root_kem(root).public, key=e1)  # fmt: skip
    _, s2 = new_epoch(root.vault_id, 2, POSITION_2, device, prev=e1, root_public=None, key=e2,
                      rng=lambda n: nonce[:n])  # fmt: skip
    return {"statement_1": s1.hex(), "statement_2": s2.hex()}


def samples_verify(samples: dict[str, Any]) -> bool:
    """Whether stored statements still verify and carry the documented signed bytes."""
    vec = generate()
    _, _, device = parties()
    try:
        for n in (1, 2):
            data = bytes.fromhex(samples[f"statement_{n}"])
            st = open_statement(
                data, vault_id=bytes.fromhex(vec["vault_id"]), epoch=n,
                verify_key=device.signing.public,
            )  # fmt: skip
            if st.signed_bytes().hex() != vec[f"statement_{n}_signed"]:
                return False
    except (KeyError, ValueError, TypeError, CoffreCryptoError):
        return False
    return True


def statements(samples: dict[str, Any]) -> dict[int, EpochStatement]:
    return {n: EpochStatement.from_bytes(bytes.fromhex(samples[f"statement_{n}"])) for n in (1, 2)}


def write() -> None:
    text = FORMAT_MD.read_text()
    try:
        samples = documented(SAMPLES_BEGIN, SAMPLES_END)
    except AssertionError:
        samples = {}
    if not samples_verify(samples):
        samples = generate_samples()
    for begin, end, vectors in (
        (EPOCH_BEGIN, EPOCH_END, generate()),
        (SAMPLES_BEGIN, SAMPLES_END, samples),
    ):
        block = f"{begin}\n```json\n{json.dumps(vectors, indent=2)}\n```\n{end}"
        pattern = re.escape(begin) + r".*?" + re.escape(end)
        if not re.search(pattern, text, flags=re.S):
            raise SystemExit(f"docs/FORMAT.md has no {begin} ... {end} markers")
        text = re.sub(pattern, lambda _, b=block: b, text, flags=re.S)
    FORMAT_MD.write_text(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        print(json.dumps(generate(), indent=2))
