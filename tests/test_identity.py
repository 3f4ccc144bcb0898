"""Identities: ids, fingerprints, safety numbers, cards and the passphrase-wrapped keys."""

from __future__ import annotations

import base64
import re

import pytest

from crypto.errors import DowngradeRefused, TamperedData, UnsupportedFormat, WrongPassphrase
from crypto.identity import (
    CARD_HEADER,
    Identity,
    InvalidCard,
    InvalidName,
    PublicIdentity,
    check_name,
    fingerprint,
    fingerprint_matches,
    make_card,
    parse_card,
    safety_number,
    unwrap_identity,
    wrap_identity,
)
from crypto.kdf import FLOOR, Argon2Params
from crypto.signing import HYBRID_SIGNATURE_LEN


@pytest.fixture(scope="module")
def alice() -> Identity:
    return Identity.generate("Alice Martin")


@pytest.fixture(scope="module")
def bob() -> Identity:
    return Identity.generate("Bob Durand")


@pytest.fixture(scope="module")
def card(alice) -> str:
    return make_card(alice)


def test_identity_id_covers_keys_not_name(alice):
    pub = alice.public
    assert len(pub.identity_id) == 16
    renamed = alice.renamed("Alice M.").public
    assert renamed.identity_id == pub.identity_id
    assert renamed.fingerprint == pub.fingerprint
    assert Identity.generate("Alice Martin").identity_id != pub.identity_id


def test_fingerprint_shape_and_matching(alice, bob):
    fp = fingerprint(alice.public)
    assert re.fullmatch(r"([A-Z2-7]{4} ){5}[A-Z2-7]{4}", fp)
    assert fp != fingerprint(bob.public)
    assert fingerprint_matches(alice.public, fp.lower().replace(" ", "-"))
    assert not fingerprint_matches(bob.public, fp)
    assert not fingerprint_matches(alice.public, fp[:-1])


def test_safety_number_is_symmetric_and_depends_on_both_keys(alice, bob):
    number = safety_number(alice.public, bob.public)
    assert re.fullmatch(r"(\d{5} ){5}\d{5}", number)
    assert safety_number(bob.public, alice.public) == number
    carol = Identity.generate("Carol")
    assert safety_number(alice.public, carol.public) != number
    assert safety_number(carol.public, bob.public) != number
    # A name change does not change it; a key change does.
    assert safety_number(alice.renamed("A").public, bob.public) == number


def test_card_round_trip(alice, card):
    lines = card.splitlines()
    assert lines[0] == CARD_HEADER
    assert lines[1] == "Name: Alice Martin"
    assert lines[2] == f"Id: {alice.identity_id.hex()}"
    assert lines[3] == f"Fingerprint: {alice.public.fingerprint}"
    assert len(lines) == 5
    assert parse_card(card) == alice.public


def test_card_survives_mail_handling(alice, card):
    lines = card.splitlines()
    wrapped = "\r\n".join(
        ["Bonjour,", "voici ma carte :", ""]
        + [f"  {line}  " for line in lines[:4]]
        + [lines[4][i : i + 76] for i in range(0, len(lines[4]), 76)]
        + ["", ""]
    )
    assert parse_card(wrapped) == alice.public


def _blob(card: str) -> bytes:
    return base64.b64decode(card.splitlines()[4])


def _with_blob(card: str, blob: bytes) -> str:
    lines = card.splitlines()
    return "\n".join([*lines[:4], base64.b64encode(blob).decode()]) + "\n"


def test_card_with_swapped_readable_lines_is_refused(alice, bob, card):
    bob_card = make_card(bob)
    lines = card.splitlines()
    for index, replacement in (
        (1, "Name: Bob Durand"),
        (2, f"Id: {bob.identity_id.hex()}"),
        (3, f"Fingerprint: {bob.public.fingerprint}"),
    ):
        forged = "\n".join([*lines[:index], replacement, *lines[index + 1 :]])
        with pytest.raises(InvalidCard, match="does not match"):
            parse_card(forged)
    # Bob's signed part under Alice's readable lines.
    with pytest.raises(InvalidCard):
        parse_card("\n".join([*lines[:4], bob_card.splitlines()[4]]))


def test_card_with_a_swapped_name_or_key_in_the_signed_part_is_refused(alice, bob, card):
    blob = _blob(card)
    name_at = blob.index(b"Alice Martin")
    renamed = blob[:name_at] + b"Alice Mertin" + blob[name_at + 12 :]
    with pytest.raises(InvalidCard, match="signature"):
        parse_card(_with_blob(card, renamed))
    # Bob's keys with Alice's signature: refused.
    keys = bob.public.key_bytes()
    swapped = blob[:5] + keys + blob[5 + len(keys) :]
    with pytest.raises(InvalidCard):
        parse_card(_with_blob(card, swapped))
    # Only the KEM key swapped (the signing key kept, so the store could not re-sign).
    kem_at = 5 + 1984
    kem_swapped = blob[:kem_at] + keys[1984:] + blob[kem_at + 1216 :]
    with pytest.raises(InvalidCard):
        parse_card(_with_blob(card, kem_swapped))


@pytest.mark.parametrize("position", [0, 4, 5, 40, 2000, 3300, -HYBRID_SIGNATURE_LEN, -1])
def test_card_with_any_flipped_byte_is_refused(card, position):
    blob = bytearray(_blob(card))
    blob[position] ^= 0x01
    with pytest.raises(InvalidCard):
        parse_card(_with_blob(card, bytes(blob)))


def test_damaged_cards_give_clear_errors(card):
    with pytest.raises(InvalidCard, match="missing"):
        parse_card("hello")
    with pytest.raises(InvalidCard, match="missing"):
        parse_card("\n".join(card.splitlines()[:3]))
    with pytest.raises(InvalidCard, match="base64"):
        parse_card(card[:-5] + "!!!!\n")
    with pytest.raises(InvalidCard, match="truncated"):
        parse_card(_with_blob(card, _blob(card)[:-10]))
    with pytest.raises(InvalidCard, match=r"truncated|added"):
        parse_card(_with_blob(card, _blob(card) + b"\x00"))
    message = ""
    try:
        parse_card("nothing")
    except InvalidCard as exc:
        message = str(exc)
    assert "coffre identity show --card" in message


def test_re_signed_card_with_the_attackers_key_shows_another_fingerprint(alice):
    """A store or mailer can forge a card with Alice's name but its own keys: it parses,
    but its id, fingerprint and safety number differ; that is what people compare."""
    mallory = Identity.generate("Alice Martin")
    forged = parse_card(make_card(mallory))
    assert forged.name == alice.name
    assert forged.fingerprint != alice.public.fingerprint


def test_names_are_checked_and_normalised():
    assert check_name("  Zoé  ") == "Zoé"
    assert check_name("Zoe\u0301") == "Zoé"
    for bad in ("", "   ", "a\nb", "a\tb", "x" * 201, "\u202eevil"):
        with pytest.raises(InvalidName):
            check_name(bad)


def test_private_bytes_round_trip(alice):
    data = alice.to_bytes()
    assert data[:5] == b"CFIK\x01"
    again = Identity.from_bytes(data)
    assert again.public == alice.public and again.name == alice.name
    for bad in (data[:-1], data + b"\x00", b"CFIK\x02" + data[5:], b"XXXX" + data[4:]):
        with pytest.raises((TamperedData, UnsupportedFormat)):
            Identity.from_bytes(bad)


def test_identity_signs_as_its_public_identity(alice, bob):
    sig = alice.sign(b"member-entry", b"e")
    alice.public.verify(b"member-entry", b"e", sig, "An entry")
    with pytest.raises(TamperedData):
        bob.public.verify(b"member-entry", b"e", sig, "An entry")


@pytest.fixture(scope="module")
def wrapped(alice) -> bytes:
    return wrap_identity(alice, "a long passphrase for Alice", FLOOR)


def test_passphrase_wrap_round_trip(alice, wrapped):
    assert wrapped[:5] == b"CFIW\x01"
    assert unwrap_identity(wrapped, "a long passphrase for Alice").public == alice.public
    with pytest.raises(WrongPassphrase):
        unwrap_identity(wrapped, "another passphrase")


def test_passphrase_wrap_is_authenticated_everywhere(wrapped):
    for position in (20, 21, 40, len(wrapped) - 1):  # salt, nonce, ciphertext, tag
        data = bytearray(wrapped)
        data[position] ^= 1
        with pytest.raises(WrongPassphrase):
            unwrap_identity(bytes(data), "a long passphrase for Alice")


def test_passphrase_wrap_refuses_lowered_kdf_parameters(alice, wrapped):
    lowered = wrapped[:5] + (1024).to_bytes(4, "little") + wrapped[9:]
    with pytest.raises(DowngradeRefused):
        unwrap_identity(lowered, "a long passphrase for Alice")
    with pytest.raises(TamperedData):
        unwrap_identity(wrapped[:30], "a long passphrase for Alice")
    with pytest.raises(DowngradeRefused):
        wrap_identity(alice, "x", Argon2Params(memory_kib=1024, iterations=1, lanes=1))


def test_public_identity_equality_covers_name_and_keys(alice, bob):
    assert alice.public == PublicIdentity(alice.name, alice.public.signing, alice.public.kem)
    assert alice.public != PublicIdentity(bob.name, alice.public.signing, alice.public.kem)


def test_public_identity_bytes_round_trip(alice):
    data = alice.public.to_bytes()
    assert PublicIdentity.from_bytes(data) == alice.public
    for bad in (data[:-1], data + b"x", data[:100]):
        with pytest.raises(TamperedData):
            PublicIdentity.from_bytes(bad)
