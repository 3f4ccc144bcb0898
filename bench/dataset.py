"""The fixed data set the peer benchmark runs on (issue 4): 256 MiB in 10,004 files.

10,000 files of 0.5-12 KiB, half text (compressible, like office exports and
code) and half random (like photos and archives), spread over 100 folders,
plus four random files of about 62 MiB. Generated from a seed, so every run
and every tool sees exactly the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

SMALL_FILES = 10_000
LARGE_FILES = 4
TOTAL_BYTES = 256 * 1024 * 1024
_WORDS = [
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "de",
    "du",
    "et",
    "à",
    "en",
    "pour",
    "par",
    "sur",
    "avec",
    "dans",
    "que",
    "qui",
    "ne",
    "pas",
    "plus",
    "mairie",
    "arrêté",
    "conseil",
    "municipal",
    "délibération",
    "budget",
    "agent",
    "service",
    "public",
    "dossier",
    "courrier",
    "réunion",
    "compte",
    "rendu",
    "projet",
    "commune",
    "département",
    "région",
    "état",
    "citoyen",
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "with",
    "report",
    "meeting",
    "minutes",
    "budget",
    "service",
    "council",
]


def _text(rnd: random.Random, size: int) -> bytes:
    words: list[str] = []
    length = 0
    while length < size:
        w = rnd.choice(_WORDS)
        words.append(w)
        length += len(w.encode()) + 1
        if rnd.random() < 0.08:
            words.append("\n")
    return " ".join(words).encode()[:size]


def make_dataset(root: Path, seed: int = 4) -> int:
    """Write the data set under `root` (created); return its size in bytes."""
    rnd = random.Random(seed)
    total = 0
    for i in range(SMALL_FILES):
        folder = root / f"dossier-{i // 100:03d}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        size = rnd.randint(512, 12 * 1024)
        if i % 2:
            (folder / f"note-{i:05d}.txt").write_bytes(_text(rnd, size))
        else:
            (folder / f"scan-{i:05d}.bin").write_bytes(rnd.randbytes(size))
        total += size
    large = (TOTAL_BYTES - total) // LARGE_FILES
    big = root / "archives"
    big.mkdir(parents=True, exist_ok=True)
    for i in range(LARGE_FILES):
        with open(big / f"video-{i}.bin", "wb") as f:
            left = large
            while left:
                n = min(left, 8 << 20)
                f.write(rnd.randbytes(n))
                left -= n
        total += large
    return total


SMALL_SET_FILES = 100_000
SMALL_SET_BYTES = 155_000_000  # issue 13: 100,000 small files, 155 MB


def make_small_set(root: Path, files: int = SMALL_SET_FILES, seed: int = 13) -> int:
    """The many-small-files set (issue 13): `files` files averaging 1.55 KB, half text and
    half random, 1,000 to a folder; return its size in bytes."""
    rnd = random.Random(seed)
    mean = SMALL_SET_BYTES // SMALL_SET_FILES
    total = 0
    for i in range(files):
        folder = root / f"dossier-{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        size = rnd.randint(100, 2 * mean - 100)
        if i % 2:
            (folder / f"note-{i:06d}.txt").write_bytes(_text(rnd, size))
        else:
            (folder / f"scan-{i:06d}.bin").write_bytes(rnd.randbytes(size))
        total += size
    return total


if __name__ == "__main__":
    import sys

    print(make_dataset(Path(sys.argv[1])))
