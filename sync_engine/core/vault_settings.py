"""Vault-wide settings carried in the encrypted journal, merged last-writer-wins.

Theory of operation
-------------------
Some settings belong to the vault, not to one device: the retention policy
(`retention.py`) and how long a device may stay silent before it stops
blocking garbage collection. Any device may change them (`coffre retention`,
or IT's policy through it); the change travels as a `SettingsUpdate` in the
writer's next journal segment (`"settings"` in the payload, docs/SYNC.md),
and snapshots carry the merged result, so the store never sees a setting in
clear and a new device learns them with everything else.

Merge: per field, the update with the greatest `(hlc, device)` wins
(`effective`), the same total order as the version merge, so every device
that has read the same updates computes the same settings. A field no update
set has its default (`FIELDS`).

| field | meaning | default |
|---|---|---|
| `keep_all_ms` | every version is kept while younger | 30 days |
| `daily_ms` | then one version a day while younger | 182 days |
| `deleted_ms` | a deleted file stays restorable | 30 days |
| `silent_ms` | a device silent longer stops blocking GC, and rejoins before writing | 90 days |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .retention import DAY_MS, RetentionPolicy

FIELDS: Mapping[str, int] = {
    "keep_all_ms": 30 * DAY_MS,
    "daily_ms": 182 * DAY_MS,
    "deleted_ms": 30 * DAY_MS,
    "silent_ms": 90 * DAY_MS,
}
MAX_MS = 100 * 365 * DAY_MS  # a century: anything larger is a typo or an attack


@dataclass(frozen=True, slots=True)
class SettingsUpdate:
    """Some fields set by one device at one hlc."""

    hlc: int
    device: str
    values: tuple[tuple[str, int], ...]  # sorted (field, value) pairs

    @classmethod
    def of(cls, hlc: int, device: str, values: Mapping[str, int]) -> SettingsUpdate:
        return cls(hlc, device, tuple(sorted(check_values(values).items())))


@dataclass(frozen=True, slots=True)
class VaultSettings:
    keep_all_ms: int = FIELDS["keep_all_ms"]
    daily_ms: int = FIELDS["daily_ms"]
    deleted_ms: int = FIELDS["deleted_ms"]
    silent_ms: int = FIELDS["silent_ms"]

    @property
    def retention(self) -> RetentionPolicy:
        return RetentionPolicy(self.keep_all_ms, self.daily_ms, self.deleted_ms)

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIELDS}


def check_values(values: Mapping[str, object]) -> dict[str, int]:
    """Known fields with whole, bounded millisecond values (ValueError otherwise)."""
    out: dict[str, int] = {}
    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(f"unknown vault setting {name!r}")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MS:
            raise ValueError(f"vault setting {name} must be a duration between 0 and 100 years")
        out[name] = value
    return out


def effective(updates: Iterable[SettingsUpdate]) -> VaultSettings:
    """Per field, the value of the update with the greatest (hlc, device)."""
    best: dict[str, tuple[tuple[int, str], int]] = {}
    for u in updates:
        order = (u.hlc, u.device)
        for name, value in u.values:
            if name not in best or order > best[name][0]:
                best[name] = (order, value)
    return VaultSettings(**{name: value for name, (_, value) in best.items()})


def update_to_json(u: SettingsUpdate) -> list[object]:
    return [u.hlc, u.device, dict(u.values)]


def update_from_json(obj: object) -> SettingsUpdate:
    """Strict decoding (ValueError if malformed)."""
    if not isinstance(obj, list) or len(obj) != 3:
        raise ValueError("a settings update is [hlc, device, {field: ms}]")
    hlc, device, values = obj
    if not isinstance(hlc, int) or isinstance(hlc, bool) or hlc < 0:
        raise ValueError("a settings update's hlc must be a non-negative integer")
    if not isinstance(device, str) or len(device) != 32:
        raise ValueError("a settings update names its device")
    if not isinstance(values, dict):
        raise ValueError("a settings update's values must be an object")
    return SettingsUpdate.of(hlc, device, values)
