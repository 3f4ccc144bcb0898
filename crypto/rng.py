"""The one source of randomness in `crypto`, swappable only to replay test vectors."""

from __future__ import annotations

import os
from collections.abc import Callable

RandomBytes = Callable[[int], bytes]

system_random: RandomBytes = os.urandom


def random_index(rng: RandomBytes, upper: int) -> int:
    """An unbiased integer in [0, upper) from `rng` (rejection sampling)."""
    if upper <= 0:
        raise ValueError("upper must be positive")
    if upper == 1:
        return 0
    nbytes = (upper.bit_length() + 7) // 8
    limit = (256**nbytes // upper) * upper
    while True:
        value = int.from_bytes(rng(nbytes), "big")
        if value < limit:
            return value % upper


def shuffled(items: list[int], rng: RandomBytes) -> list[int]:
    """A Fisher-Yates shuffle driven by `rng`, so vectors can replay it."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = random_index(rng, i + 1)
        out[i], out[j] = out[j], out[i]
    return out
