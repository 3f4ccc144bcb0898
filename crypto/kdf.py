"""Passphrase stretching with Argon2id, and the floor under its parameters.

The parameters travel in the vault header, which the store can rewrite; so the
client refuses anything below `FLOOR` (a KDF downgrade would make offline
guessing cheap) and anything above `CEILING`, the strongest parameters this
version of Coffre ever writes (a store could otherwise make every unlock take
minutes or exhaust memory: 4 GiB and 64 iterations were demonstrated).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .errors import DowngradeRefused, UnsupportedFormat
from .keys import KEY_LEN

SALT_LEN = 16


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int
    iterations: int
    lanes: int

    def to_json(self) -> dict[str, object]:
        return {
            "alg": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "lanes": self.lanes,
        }


FLOOR = Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=1)
DEFAULT = Argon2Params(memory_kib=64 * 1024, iterations=3, lanes=4)
# What Coffre itself chooses is the most it accepts: raising DEFAULT raises this too.
CEILING = DEFAULT


class KdfCostRefused(UnsupportedFormat):
    """The header asks for more Argon2id work than Coffre ever chooses: refused unrun."""


def check_params(params: Argon2Params) -> None:
    """Refuse parameters below the floor or above the ceiling."""
    if params.memory_kib < FLOOR.memory_kib or params.iterations < FLOOR.iterations:
        raise DowngradeRefused(
            f"The vault asks for Argon2id with {params.memory_kib} KiB and "
            f"{params.iterations} iterations, below Coffre's minimum of "
            f"{FLOOR.memory_kib} KiB and {FLOOR.iterations} iterations. This is refused: "
            "weak parameters make passphrases easy to guess. The vault header may have "
            "been tampered with; tell your IT department."
        )
    if (
        params.memory_kib > CEILING.memory_kib
        or params.iterations > CEILING.iterations
        or params.lanes > CEILING.lanes
    ):
        raise KdfCostRefused(
            f"The vault asks for Argon2id with {params.memory_kib} KiB, {params.iterations} "
            f"iterations and {params.lanes} lanes, more than Coffre ever chooses "
            f"({CEILING.memory_kib} KiB, {CEILING.iterations} iterations, {CEILING.lanes} "
            "lanes). This is refused without computing it: such parameters would make "
            "unlocking take minutes or exhaust this computer's memory. The vault header "
            "may have been tampered with; tell your IT department."
        )
    if params.lanes < FLOOR.lanes:
        raise UnsupportedFormat(
            f"The vault's Argon2id parameters ask for {params.lanes} lanes; at least "
            f"{FLOOR.lanes} is needed. The vault header may be damaged."
        )
    if params.memory_kib < 8 * params.lanes:
        raise UnsupportedFormat("Argon2id memory must be at least 8 KiB per lane.")


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC so that the same passphrase typed on macOS and Windows gives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_key(passphrase: str, salt: bytes, params: Argon2Params) -> bytes:
    check_params(params)
    if len(salt) != SALT_LEN:
        raise UnsupportedFormat("Argon2id salt must be 16 bytes.")
    kdf = Argon2id(
        salt=salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_passphrase(passphrase))
