"""Coalescing of byte ranges, so a backend reads nearby chunks in one request,
and rounding of ranges out to aligned windows, so a read does not reveal them.

Reading a small gap is cheaper than another round trip to a network share or
an object store; the results are sliced back out in the order asked.

Windows: a chunk's envelope length is its compressed size + 30 (+ 34 in
format 2), so a store that sees one exact range per chunk learns chunk
lengths, a fingerprint of known content (docs/THREATS.md). `windows` widens every range to whole
`READ_WINDOW`-byte windows aligned on multiples of the window, merged where
they touch; the store then sees only which windows are read.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

DEFAULT_COALESCE_GAP = 1 << 20  # the same default as object_store / obstore
READ_WINDOW = 64 * 1024  # bench/range_hiding.py measures the bandwidth this costs


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


def windows(ranges: Sequence[tuple[int, int]], window: int) -> list[tuple[int, int]]:
    """Sorted, disjoint, window-aligned spans covering every non-empty range.

    Each span starts and ends on a multiple of `window` (the end may lie past the
    object: stores clamp it), so its length says nothing finer than a window.
    """
    if window <= 0:
        raise ValueError("window must be positive")
    aligned = [
        (start // window * window, -(-end // window) * window)
        for start, end in ranges
        if end > start
    ]
    return coalesce(aligned, 0)


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
