"""`--limit-up` / `--limit-down` rates: what a technician types, in bytes per second."""

from __future__ import annotations

import argparse

import pytest

from app.cli import parse_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1000", 1000),
        ("500K", 500 * 1024),
        ("500k", 500 * 1024),
        ("2M", 2 * 1024**2),
        ("1.5M", int(1.5 * 1024**2)),
        ("1G", 1024**3),
        ("2MB", 2 * 1024**2),
        ("2MiB/s", 2 * 1024**2),
        (" 64K ", 64 * 1024),
    ],
)
def test_rates(text: str, expected: int) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "fast", "-1M", "2T", "1,5M", "M"])
def test_bad_rates_say_how_to_write_one(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="such as 500K, 2M or 1G"):
        parse_rate(text)
