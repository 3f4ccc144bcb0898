"""The keys of one vault by epoch: which key seals new objects, which opens an old one.

A v1 vault has one key K. A v2 vault has a chain of epoch keys E1, E2, ...;
each object says which epoch sealed it and a reader takes that epoch's key.
Sub-keys derive from an epoch key exactly as v1 derives them from K (same
HKDF labels, salt = vault id), so epoch 1 of a vault upgraded from v1 gives
byte-identical sub-keys and every v1 object stays readable. The STABLE sub-keys
(chunk-id, file-hash, chunker-seed) always come from epoch 1, so deduplication
and file identity survive key rotations (docs/FORMAT.md "Format version 2").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import EpochKeyMissing
from .keys import VaultKey

FORMATS = (1, 2)
MAX_EPOCH = 2**32 - 1  # epochs are u32 in every v2 object


@dataclass(frozen=True)
class KeyRing:
    """One vault's epoch keys: `epochs[n]` is VaultKey(vault_id, E_n); v1: {1: K}."""

    vault_id: bytes
    format: int
    epochs: Mapping[int, VaultKey] = field(repr=False, hash=False)
    current: int

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown vault format {self.format}")
        epochs = dict(self.epochs)  # a private copy: the ring cannot change under its users
        if 1 not in epochs:
            raise ValueError("a key ring holds epoch 1 (the stable sub-keys come from it)")
        if self.current not in epochs:
            raise ValueError(f"the current epoch {self.current} is not in the ring")
        if any(not 1 <= n <= MAX_EPOCH for n in epochs):
            raise ValueError("epochs are numbered from 1 to 2**32 - 1")
        if any(k.vault_id != self.vault_id for k in epochs.values()):
            raise ValueError("every epoch key of a ring belongs to the ring's vault")
        if self.format == 1 and set(epochs) != {1}:
            raise ValueError("a format-1 ring has exactly one key, epoch 1")
        object.__setattr__(self, "epochs", epochs)

    @classmethod
    def v1(cls, key: VaultKey) -> KeyRing:
        """The ring of a v1 vault: its key K as epoch 1."""
        return cls(key.vault_id, 1, {1: key}, 1)

    @classmethod
    def of(cls, key: VaultKey | KeyRing) -> KeyRing:
        """`key` itself if it is a ring; a VaultKey means `KeyRing.v1(key)`."""
        return key if isinstance(key, KeyRing) else cls.v1(key)

    def key(self, epoch: int, what: str = "An object") -> VaultKey:
        """The key of `epoch`; `EpochKeyMissing` if this device was not given it."""
        found = self.epochs.get(epoch)
        if found is None:
            raise EpochKeyMissing(epoch, what)
        return found

    @property
    def now(self) -> VaultKey:
        """The key new objects are sealed under."""
        return self.epochs[self.current]

    @property
    def stable(self) -> VaultKey:
        """Epoch 1: chunk ids, file hashes and the chunker seed come from it."""
        return self.epochs[1]

    def for_writing(self) -> KeyRing:
        """The same ring cut to what a writer needs (epoch 1 and the current one).

        Handed to worker processes, so a worker that only seals never holds
        the keys of the other epochs.
        """
        return KeyRing(
            self.vault_id, self.format, {n: self.epochs[n] for n in {1, self.current}}, self.current
        )
