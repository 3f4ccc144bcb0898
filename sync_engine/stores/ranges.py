"""Coalescing of byte ranges, so a backend reads nearby chunks in one request.

Reading a small gap is cheaper than another round trip to a network share or
an object store; the results are sliced back out in the order asked.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

DEFAULT_COALESCE_GAP = 1 << 20  # the same default as object_store / obstore


def coalesce(ranges: Sequence[tuple[int, int]], max_gap: int) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering every non-empty range.

    Ranges that overlap, touch, or are at most `max_gap` bytes apart share a span.
    """
    spans: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if spans and start <= spans[-1][1] + max_gap:
            first, last = spans[-1]
            spans[-1] = (first, max(last, end))
        else:
            spans.append((start, end))
    return spans


def split(
    ranges: Sequence[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    blobs: Sequence[bytes],
) -> list[bytes]:
    """Cut each range out of the span that covers it.

    `blobs[i]` holds the object's bytes from `spans[i][0]`, possibly cut short
    by the end of the object, so slicing clamps exactly as a direct read would.
    """
    starts = [s for s, _ in spans]
    out: list[bytes] = []
    for start, end in ranges:
        if end <= start:
            out.append(b"")
            continue
        i = bisect_right(starts, start) - 1
        base = spans[i][0]
        out.append(bytes(blobs[i][start - base : end - base]))
    return out
