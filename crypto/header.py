"""The public vault header, `coffre.json`: format version, vault id, key slots.

The header is plaintext JSON so any client can read which slots exist and how
to stretch a passphrase, and the vault's `language` (chosen at creation; it
names conflict copies alike on every device; absent means "en"). It is
authenticated twice: each key slot's wrapping binds (format version, vault id,
that slot's descriptor) as AAD, and once the vault key is known the whole
header is checked against its HMAC (`mac`).

The MAC covers what was received, not a re-serialisation of the fields Coffre
knows: a header with an extra field, a duplicate key or an upper-case vault id
fails it. `epoch` counts passphrase changes and recoveries; each device refuses
a header older than the newest it has seen (app/vault_epochs.py), so a store
cannot bring an old passphrase back by serving the header it replaced.

Version 2 (docs/FORMAT.md "Header version 2") has the same fields; its slots
wrap the vault's ROOT key R and the MAC uses R's "header" sub-key. The epoch
keys are not in the header: they are under `keys/epochs/` (crypto/epochs.py).
A client that only reads version 1 says "update Coffre" for version 2.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from .errors import DowngradeRefused, TamperedData, UnsupportedFormat
from .kdf import SALT_LEN, Argon2Params
from .keys import VAULT_ID_LEN, Purpose, VaultKey

FORMAT_NAME = "coffre-vault"
V1 = 1  # one vault key K; what Coffre wrote before sharing
V2 = 2  # a root key R in the slots, epoch keys under keys/epochs/ (crypto/epochs.py)
FORMAT_VERSION = V2  # the newest version this Coffre reads (and writes for new vaults)
MIN_FORMAT_VERSION = V1
SLOT_ID_LEN = 16

PASSPHRASE = "passphrase"
RECOVERY = "recovery"

DEFAULT_LANGUAGE = "en"  # a header without `language` (every vault made before it existed)
LANGUAGES = ("en", "fr")  # what `language` may hold


def canonical_json(obj: object) -> bytes:
    """The one byte encoding of JSON that is MACed or used as AAD."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


@dataclass(frozen=True)
class SlotDescriptor:
    """A key slot as the header lists it. `kdf` is None for recovery slots (HKDF)."""

    slot_id: bytes
    kind: str
    salt: bytes
    kdf: Argon2Params | None

    def to_json(self) -> dict[str, object]:
        kdf: dict[str, object] = self.kdf.to_json() if self.kdf else {"alg": "hkdf-sha256"}
        return {"id": self.slot_id.hex(), "kind": self.kind, "salt": self.salt.hex(), "kdf": kdf}


@dataclass(frozen=True)
class VaultHeader:
    version: int
    vault_id: bytes
    slots: tuple[SlotDescriptor, ...]
    mac: bytes | None = None
    language: str | None = None  # None: the header has no field (DEFAULT_LANGUAGE)
    epoch: int = 0  # absent from the JSON while 0 (vaults never changed)
    received_body: bytes | None = None  # canonical(what was read, without "mac")

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "format": FORMAT_NAME,
            "version": self.version,
            "vault_id": self.vault_id.hex(),
            "slots": [s.to_json() for s in self.slots],
        }
        if self.language is not None:  # MAC-covered when present; absent in older vaults
            body["language"] = self.language
        if self.epoch:
            body["epoch"] = self.epoch
        return body

    @property
    def vault_language(self) -> str:
        return self.language or DEFAULT_LANGUAGE

    def slot(self, kind: str) -> SlotDescriptor:
        for s in self.slots:
            if s.kind == kind:
                return s
        raise UnsupportedFormat(f"This vault has no {kind} key slot.")


def header_mac(header: VaultHeader, key: VaultKey) -> bytes:
    return hmac.digest(key.subkey(Purpose.HEADER), canonical_json(header.body()), "sha256")


def encode_header(header: VaultHeader, key: VaultKey) -> bytes:
    body = header.body()
    body["mac"] = header_mac(header, key).hex()
    return json.dumps(body, sort_keys=True, indent=2).encode() + b"\n"


def verify_header(header: VaultHeader, key: VaultKey) -> None:
    if header.vault_id != key.vault_id:
        raise TamperedData("The vault header", "vault id differs from the unlocked key")
    if header.mac is None or not hmac.compare_digest(header.mac, header_mac(header, key)):
        raise TamperedData("The vault header (coffre.json)", "its MAC does not match")
    if header.received_body is not None and header.received_body != canonical_json(header.body()):
        # The MAC matched the fields Coffre reads, but the bytes hold more or other
        # spellings of them (an added field, an upper-case id): not what was MACed.
        raise TamperedData(
            "The vault header (coffre.json)", "it holds fields its MAC does not cover"
        )


def _bad(detail: str) -> UnsupportedFormat:
    return UnsupportedFormat(
        f"This store's coffre.json is not a Coffre vault header Coffre can read: {detail}. "
        "Check the store address."
    )


def _hex_field(obj: dict[str, Any], name: str, length: int) -> bytes:
    value = obj.get(name)
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if len(raw) != length:
        raise _bad(f"field {name!r} must be {length} bytes of hex")
    return raw


def _int_field(obj: dict[str, Any], name: str) -> int:
    value = obj.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad(f"field {name!r} must be an integer")
    return value


def _parse_slot(obj: object) -> SlotDescriptor:
    if not isinstance(obj, dict):
        raise _bad("a slot is not an object")
    kind = obj.get("kind")
    kdf = obj.get("kdf")
    if not isinstance(kdf, dict):
        raise _bad("a slot has no kdf")
    params: Argon2Params | None
    if kind == PASSPHRASE and kdf.get("alg") == "argon2id":
        params = Argon2Params(
            _int_field(kdf, "memory_kib"), _int_field(kdf, "iterations"), _int_field(kdf, "lanes")
        )
    elif kind == RECOVERY and kdf.get("alg") == "hkdf-sha256":
        params = None
    else:
        raise UnsupportedFormat(
            f"The vault has a key slot of kind {kind!r} with KDF {kdf.get('alg')!r}, "
            "which this version of Coffre does not support. Update Coffre."
        )
    return SlotDescriptor(
        slot_id=_hex_field(obj, "id", SLOT_ID_LEN),
        kind=kind,
        salt=_hex_field(obj, "salt", SALT_LEN),
        kdf=params,
    )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _bad("a field appears twice")
    return obj


def parse_header(data: bytes) -> VaultHeader:
    try:
        obj = json.loads(data, object_pairs_hook=_no_duplicates)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad("it is not JSON") from exc
    if not isinstance(obj, dict) or obj.get("format") != FORMAT_NAME:
        raise _bad("the 'format' field is missing")
    version = _int_field(obj, "version")
    if version > FORMAT_VERSION:
        raise UnsupportedFormat(
            f"This vault uses format version {version}, newer than this Coffre "
            f"understands ({FORMAT_VERSION}). Update Coffre on this machine."
        )
    if version < MIN_FORMAT_VERSION:
        raise DowngradeRefused(
            f"This vault claims format version {version}, older than any Coffre writes. "
            "The header may have been tampered with; it is refused."
        )
    slots = obj.get("slots")
    if not isinstance(slots, list) or not slots:
        raise _bad("it lists no key slots")
    mac_hex = obj.get("mac")
    mac = _hex_field(obj, "mac", 32) if mac_hex is not None else None
    language = obj.get("language")
    if language is not None and language not in LANGUAGES:
        raise _bad(f"field 'language' must be one of {', '.join(LANGUAGES)}")
    epoch = _int_field(obj, "epoch") if "epoch" in obj else 0
    if epoch < 0:
        raise _bad("field 'epoch' must not be negative")
    return VaultHeader(
        version=version,
        vault_id=_hex_field(obj, "vault_id", VAULT_ID_LEN),
        slots=tuple(_parse_slot(s) for s in slots),
        mac=mac,
        language=language,
        epoch=epoch,
        received_body=canonical_json({k: v for k, v in obj.items() if k != "mac"}),
    )
