"""Padmé padding (Nikitin et al., PETS 2019): hides exact sizes at most 12% overhead.

A length L is rounded up so that only the top ~log2(log2 L) bits of it remain
significant; an observer learns O(log log L) bits of a size instead of log L.
"""

from __future__ import annotations


def padme(length: int) -> int:
    if length < 0:
        raise ValueError("length must be non-negative")
    if length < 2:
        return length
    exponent = length.bit_length() - 1  # floor(log2 L)
    size_bits = exponent.bit_length()  # floor(log2 E) + 1
    last_bits = exponent - size_bits
    mask = (1 << last_bits) - 1
    return (length + mask) & ~mask
