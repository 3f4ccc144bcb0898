"""The one strength rule (app/passphrase_strength.py): its advice names what was typed."""

from __future__ import annotations

from app.passphrase_strength import Hint, estimate, refusal


def test_the_most_useful_hint_comes_first_and_quotes_the_weak_part():
    common = estimate("password123")
    assert common.hints[0] is Hint.COMMON and common.fragment(Hint.COMMON) == "password"
    sequence = estimate("1234chat")
    assert sequence.hints[0] is Hint.SEQUENCE and sequence.fragment(Hint.SEQUENCE) == "1234"
    assert estimate("Tr0ub4dor&3").missing_chars == 1


def test_a_weak_passphrase_with_nothing_specific_wrong_still_gets_advice():
    weak = estimate("correct horse")
    assert not weak.acceptable and weak.hints == (Hint.MORE_WORDS,)
    assert refusal("correct horse") is not None
    assert "add another word or two" in (refusal("correct horse") or "")
    assert refusal("le chat dort sur le canapé bleu") is None
