"""Vectors for the identity, device and envelope sections of docs/FORMAT.md.

Two blocks. `identity-vectors` is deterministic (keys from a seeded byte source,
Ed25519 signatures, Argon2id + AES-GCM wraps): the code reproduces it byte for
byte. `identity-samples` holds objects that carry randomness the seeded source
cannot drive (ML-DSA-65 signs with fresh randomness, HPKE encapsulates with
it): the code opens and verifies them with the deterministic keys, and
`write()` keeps the stored samples as long as they still verify.
`python -m tests.format_vectors --write` writes both.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from crypto.device import DeviceKeys, certificate_body, certify_device
from crypto.envelope import seal_key
from crypto.identity import Identity, make_card, safety_number, wrap_identity
from crypto.kdf import FLOOR
from crypto.signing import signed_message
from tests.format_vectors import SeededBytes

IDENTITY_BEGIN, IDENTITY_END = "<!-- identity-vectors:begin -->", "<!-- identity-vectors:end -->"
SAMPLES_BEGIN, SAMPLES_END = "<!-- identity-samples:begin -->", "<!-- identity-samples:end -->"
SEED = "coffre identity vectors v1"
ALICE, BOB, DEVICE_NAME = "Alice Martin", "Benoît Durand", "portable mairie"
WRAP_PASSPHRASE = "correct horse battery staple"
CREATED_AT_MS = 1_767_225_600_000
SIGNED = (b"member-entry", b"an entry")
VAULT_ID = bytes.fromhex("f28fb74fb1b455710c27f1146714ebf7")
ENVELOPE_KEY = bytes(range(32))
ENVELOPE_KEY_ID = 1


def parties() -> tuple[Identity, Identity, DeviceKeys]:
    """Alice, Bob and Alice's device, in this order from SeededBytes(SEED)."""
    rng = SeededBytes(SEED)
    alice = Identity.generate(ALICE, rng)
    bob = Identity.generate(BOB, rng)
    device = DeviceKeys.generate(DEVICE_NAME, rng)
    return alice, bob, device


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generate() -> dict[str, Any]:
    alice, bob, device = parties()
    pub = alice.public
    body = certificate_body(alice.identity_id, device.public, CREATED_AT_MS)
    wrap = wrap_identity(alice, WRAP_PASSPHRASE, FLOOR, SeededBytes(SEED + " / wrap"))
    return {
        "seed": SEED,
        "alice": {
            "private": alice.to_bytes().hex(),
            "public_sha256": _sha(pub.to_bytes()),
            "key_bytes_sha256": _sha(pub.key_bytes()),
            "identity_id": pub.identity_id.hex(),
            "fingerprint": pub.fingerprint,
        },
        "bob": {
            "private": bob.to_bytes().hex(),
            "identity_id": bob.identity_id.hex(),
            "fingerprint": bob.public.fingerprint,
        },
        "safety_number": safety_number(pub, bob.public),
        "signed_message": signed_message(*SIGNED).hex(),
        "ed25519_signature": alice.signing.sign_ed25519(*SIGNED).hex(),
        "card_lines": make_card(alice).splitlines()[:4],
        "wrapped_identity": {"passphrase": WRAP_PASSPHRASE, "data": wrap.hex()},
        "device": {
            "private": device.to_bytes().hex(),
            "created_at_ms": CREATED_AT_MS,
            "certificate_body_sha256": _sha(body),
            "certificate_body_length": len(body),
        },
        "envelope_ids": {
            "vault_id": VAULT_ID.hex(),
            "key_id": ENVELOPE_KEY_ID,
            "recipient_id": device.device_id.hex(),
            "key": ENVELOPE_KEY.hex(),
        },
    }


def generate_samples() -> dict[str, Any]:
    """Fresh objects with randomness: a card, a hybrid signature, a certificate, an envelope."""
    alice, _, device = parties()
    return {
        "card": make_card(alice),
        "hybrid_signature": base64.b64encode(alice.sign(*SIGNED)).decode(),
        "device_certificate": base64.b64encode(
            certify_device(alice, device.public, CREATED_AT_MS).to_bytes()
        ).decode(),
        "envelope": seal_key(
            device.public.kem,
            ENVELOPE_KEY,
            vault_id=VAULT_ID,
            key_id=ENVELOPE_KEY_ID,
            recipient_id=device.device_id,
        ).hex(),
    }


def samples_verify(samples: dict[str, Any]) -> bool:
    """Whether stored samples still open and verify with today's code and keys."""
    from crypto.device import DeviceCertificate
    from crypto.envelope import open_key
    from crypto.errors import CoffreCryptoError
    from crypto.identity import parse_card

    alice, _, device = parties()
    try:
        ok = parse_card(samples["card"]) == alice.public
        alice.public.verify(*SIGNED, base64.b64decode(samples["hybrid_signature"]), "sample")
        cert = DeviceCertificate.from_bytes(base64.b64decode(samples["device_certificate"]))
        ok = ok and cert.verify(alice.public) == device.public
        key = open_key(
            device.kem,
            bytes.fromhex(samples["envelope"]),
            vault_id=VAULT_ID,
            key_id=ENVELOPE_KEY_ID,
            recipient_id=device.device_id,
        )
        return ok and key == ENVELOPE_KEY
    except (CoffreCryptoError, KeyError, ValueError):
        return False
