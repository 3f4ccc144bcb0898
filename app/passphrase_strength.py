"""How hard a passphrase is to guess: a rough, conservative estimate for the setup wizard.

Pure code (no Qt, no I/O) so the rules are unit-tested. The estimate counts
entropy from the character classes used and the length (about 2.5 bits a
letter for plain words, as natural language carries), then removes what
guessers try first: common passwords, repeated characters, keyboard and
alphabet runs, and a phrase made of one repeated word. It never claims more
than it can justify; a long phrase of several words is what it rewards.

The vault key is protected by Argon2id, which slows each guess down, but the
passphrase is the one secret a person chooses: the wizard asks for at least
`MIN_ACCEPTED` when creating a vault.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass


class Level(enum.IntEnum):
    VERY_WEAK = 0
    WEAK = 1
    FAIR = 2
    STRONG = 3
    VERY_STRONG = 4


class Hint(enum.Enum):
    """Why a passphrase scores low; the GUI turns each into a translated sentence."""

    EMPTY = "empty"
    TOO_SHORT = "too_short"
    COMMON = "common"
    REPEATED = "repeated"
    SEQUENCE = "sequence"
    ONE_CLASS = "one_class"
    MORE_WORDS = "more_words"  # nothing specific is wrong: it is just not long enough


@dataclass(frozen=True, slots=True)
class Strength:
    level: Level
    bits: float
    hints: tuple[Hint, ...]  # the most useful first: what in *this* passphrase is weak
    # The part of the passphrase each hint is about ("1234", "aaa", "password"), so the
    # advice can quote it; and, when it is too short, how many characters are missing.
    fragments: tuple[tuple[Hint, str], ...] = ()
    missing_chars: int = 0

    def fragment(self, hint: Hint) -> str:
        return dict(self.fragments).get(hint, "")

    @property
    def acceptable(self) -> bool:
        return self.level >= MIN_ACCEPTED


MIN_LENGTH = 12
MIN_ACCEPTED = Level.FAIR
# Thresholds in bits of estimated entropy for FAIR, STRONG, VERY_STRONG (WEAK: anything >= 28).
_THRESHOLDS = (
    (28.0, Level.WEAK),
    (50.0, Level.FAIR),
    (70.0, Level.STRONG),
    (90.0, Level.VERY_STRONG),
)

# The passwords guessers try first (a short list; lower case, compared without spaces).
_COMMON_TEXT = """
    password motdepasse azerty azertyuiop qwerty qwertyuiop 123456 1234567 12345678 123456789
    1234567890 000000 111111 abc123 letmein welcome bienvenue soleil bonjour doudou chouchou
    iloveyou jetaime admin administrateur secret motdepasse123 password123 password1 coffre
    coffrefort marseille paris loulou nicolas camille dragon monkey football sunshine princess
"""
_COMMON = frozenset(_COMMON_TEXT.split())
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)


def _pool(text: str) -> int:
    pool = 0
    if re.search(r"[a-z]", text):
        pool += 26
    if re.search(r"[A-Z]", text):
        pool += 26
    if re.search(r"[0-9]", text):
        pool += 10
    if re.search(r"[^A-Za-z0-9]", text):
        pool += 33
    return pool


# Which advice helps most, first: what an attacker tries first is what to change first.
_PRIORITY = (
    Hint.EMPTY,
    Hint.COMMON,
    Hint.SEQUENCE,
    Hint.REPEATED,
    Hint.TOO_SHORT,
    Hint.ONE_CLASS,
    Hint.MORE_WORDS,
)


def _effective_length(text: str, found: dict[Hint, str] | None = None) -> tuple[float, set[Hint]]:
    """Length after discounting runs and repeats, each counted as a couple of characters.

    `found` receives the first run and the first sequence seen, as typed.
    """
    found = {} if found is None else found
    hints: set[Hint] = set()
    lower = text.lower()
    length = 0.0
    i = 0
    while i < len(lower):
        # A run of the same character.
        j = i
        while j + 1 < len(lower) and lower[j + 1] == lower[i]:
            j += 1
        if j - i >= 2:
            hints.add(Hint.REPEATED)
            found.setdefault(Hint.REPEATED, text[i : j + 1])
            length += 1.5
            i = j + 1
            continue
        # A run along the alphabet, the digits or a keyboard row (either direction).
        best = 0
        for seq in _SEQUENCES:
            for source in (seq, seq[::-1]):
                k = 1
                while i + k < len(lower):
                    pair = lower[i + k - 1 : i + k + 1]
                    if pair not in source:
                        break
                    k += 1
                best = max(best, k)
        if best >= 3:
            hints.add(Hint.SEQUENCE)
            found.setdefault(Hint.SEQUENCE, text[i : i + best])
            length += 1.5
            i += best
            continue
        length += 1
        i += 1
    return length, hints


def _repeated_unit(text: str) -> bool:
    """True when the text is one shorter piece written several times (e.g. 'abcabcabc')."""
    n = len(text)
    return any(n % size == 0 and text[:size] * (n // size) == text for size in range(1, n // 2 + 1))


def estimate(passphrase: str) -> Strength:
    """A conservative estimate of a passphrase's strength, with hints to improve it."""
    if not passphrase:
        return Strength(Level.VERY_WEAK, 0.0, (Hint.EMPTY,))
    hints: set[Hint] = set()
    fragments: dict[Hint, str] = {}
    compact = re.sub(r"\s+", "", passphrase.lower())
    stripped = re.sub(r"[0-9!?.]+$", "", compact)  # "password123!" is still "password"
    if compact in _COMMON or stripped in _COMMON:
        hints.add(Hint.COMMON)
        fragments[Hint.COMMON] = stripped if stripped in _COMMON else compact
        bits = 10.0
    else:
        length, found = _effective_length(passphrase, fragments)
        hints |= found
        if _repeated_unit(compact):
            hints.add(Hint.REPEATED)
            length = min(length, len(compact) / max(1, _unit_repeats(compact)) + 2)
        if re.fullmatch(r"[^\W\d_]+(\s+[^\W\d_]+)*", passphrase.strip()):
            # Only words: natural language carries about 2.5 bits a letter, not log2(26).
            bits = length * (3.0 if re.search(r"[A-Z]", passphrase) else 2.5)
        else:
            bits = length * math.log2(max(_pool(passphrase), 2))
    if len(passphrase) < MIN_LENGTH:
        hints.add(Hint.TOO_SHORT)
        bits = min(bits, 49.0)  # never better than WEAK below the minimum length
    if _pool(passphrase) <= 26 and len(passphrase) < 20:
        hints.add(Hint.ONE_CLASS)
    level = Level.VERY_WEAK
    for threshold, candidate in _THRESHOLDS:
        if bits >= threshold:
            level = candidate
    if level < MIN_ACCEPTED and not hints:
        hints.add(Hint.MORE_WORDS)
    return Strength(
        level,
        round(bits, 1),
        tuple(sorted(hints, key=_PRIORITY.index)),
        tuple((h, fragments[h]) for h in sorted(fragments, key=_PRIORITY.index) if h in hints),
        max(0, MIN_LENGTH - len(passphrase)),
    )


def _unit_repeats(text: str) -> int:
    n = len(text)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and text[:size] * (n // size) == text:
            return n // size
    return 1


_HINT_ENGLISH = {
    Hint.EMPTY: "choose a passphrase",
    Hint.TOO_SHORT: f"use at least {MIN_LENGTH} characters; a short sentence is ideal",
    Hint.COMMON: "it is one of the first passwords an attacker tries",
    Hint.REPEATED: "avoid repeated characters or words",
    Hint.SEQUENCE: "avoid sequences such as abcd, 1234 or azerty",
    Hint.ONE_CLASS: "add words, digits or punctuation",
    Hint.MORE_WORDS: "add another word or two",
}


def refusal(passphrase: str) -> str | None:
    """Why a new passphrase is refused (English, for the CLI), or None if it is acceptable.

    The one rule for every place a passphrase is chosen: the app's wizard and
    change dialog, `coffre init` and `coffre passphrase change`.
    """
    strength = estimate(passphrase)
    if strength.acceptable:
        return None
    advice = "; ".join(_HINT_ENGLISH[h] for h in strength.hints)
    return (
        f"This passphrase is too easy to guess (about {strength.bits:.0f} bits; Coffre asks "
        f"for {_THRESHOLDS[1][0]:.0f}): {advice}. Four or five unrelated words, with a digit "
        "or a punctuation mark, are easy to remember and hard to guess."
    )
