"""Typed reasons: every kind is worded, reasons survive the state database, the CLI speaks English.

The French of each sentence is checked in tests/gui/test_french_ui.py (it needs Qt's
translator); here, without Qt, what the engine gives and what app/messages.py does with it.
"""

from __future__ import annotations

import errno
from enum import StrEnum
from pathlib import Path

import pytest

from app import messages
from app.messages import AppProblem
from app.policy.model import PolicyProblem
from crypto.errors import CryptoProblem, TamperedData, WrongPassphrase
from crypto.reason import LEGACY, UNEXPECTED, Reason, reason_of
from sync_engine.core.authority import AuthorityProblem
from sync_engine.core.membership import MembershipProblem
from sync_engine.core.names import NameProblem
from sync_engine.disk.fs_errors import FsProblem, from_oserror
from sync_engine.stores.errors import StoreProblem, StoreUnavailable, not_found
from sync_engine.vault.state import LocalState, Problem, RoundProblem
from sync_engine.vault.vault_store import SetupProblem, VaultSetupError
from sync_engine.vault.witness import WitnessProblem

KIND_ENUMS: list[type[StrEnum]] = [
    AuthorityProblem,
    PolicyProblem,
    WitnessProblem,
    MembershipProblem,
    CryptoProblem,
    StoreProblem,
    FsProblem,
    NameProblem,
    RoundProblem,
    SetupProblem,
    AppProblem,
]


@pytest.mark.parametrize("enum", KIND_ENUMS, ids=lambda e: e.__name__)
def test_every_kind_the_code_can_give_has_its_own_sentence(enum: type[StrEnum]) -> None:
    for kind in enum:
        assert kind.value in messages.SENTENCES, f"{kind!r} has no sentence in app/messages.py"


def test_kind_values_are_unique_across_layers() -> None:
    values = [k.value for enum in KIND_ENUMS for k in enum]
    assert len(values) == len(set(values))


def test_sentences_fill_their_parameters_and_never_fail_on_a_missing_one() -> None:
    reason = Reason.of(StoreProblem.FOLDER_MISSING, url="file:///srv/coffre")
    assert messages.describe(reason).startswith("The storage folder file:///srv/coffre is missing")
    assert "{url}" not in messages.describe(Reason.of(StoreProblem.FOLDER_MISSING))
    full = from_oserror(OSError(errno.ENOSPC, "No space"), "a.txt", "write", needed_bytes=5 << 20)
    assert full.reason.kind == FsProblem.DISK_FULL
    assert messages.describe(full.reason).endswith("About 6 MB more are needed.")
    unknown = Reason.of("kind.from.a.newer.version", detail="x")
    assert messages.describe(unknown) == messages.describe(Reason.of(UNEXPECTED))


def test_errors_carry_their_reason_and_keep_english_for_support() -> None:
    assert reason_of(WrongPassphrase()).kind == CryptoProblem.WRONG_PASSPHRASE
    tampered = reason_of(TamperedData("A pack", "bad magic"))
    assert tampered.kind == CryptoProblem.TAMPERED and "bad magic" in tampered.param("detail")
    missing = not_found("s3://b/p", "packs/ab")
    assert missing.reason == Reason.of(StoreProblem.NOT_FOUND, url="s3://b/p", detail=str(missing))
    unreachable = StoreUnavailable("down", url="s3://b/p")
    assert reason_of(unreachable).kind == StoreProblem.UNAVAILABLE
    setup = VaultSetupError("x", kind=SetupProblem.NOT_EMPTY, holds="vault", url="/srv")
    assert messages.describe(setup.reason) == (
        "/srv already holds a Coffre vault. Join it instead of creating a new one."
    )
    other = VaultSetupError("x", kind=SetupProblem.NOT_EMPTY, holds="other", url="/srv")
    assert messages.describe(other.reason).startswith("/srv already contains files")
    bug = reason_of(RuntimeError("an English bug"))
    assert bug.kind == UNEXPECTED and bug.param("detail") == "an English bug"
    assert messages.action(Reason.of(StoreProblem.AUTH)).startswith("Check the storage cred")
    assert messages.action(Reason.of(FsProblem.LOCKED)).startswith("Check that the folder")
    assert messages.action(Reason.of("x.y")).startswith("Choose Sync now")


def test_problems_keep_their_typed_reason_in_the_state(tmp_path: Path) -> None:
    state = LocalState(tmp_path / "state.db")
    try:
        problems = [
            Problem("CON", "skipped", Reason.of(NameProblem.WINDOWS_RESERVED, name="CON")),
            Problem("big.iso", "error", Reason.of(FsProblem.DISK_FULL, path="big.iso")),
            Problem("old", "held", Reason.of(RoundProblem.HELD)),
        ]
        with state.transaction():
            state.replace_problems(problems)
        assert state.problems() == sorted(problems, key=lambda p: (p.path, p.kind))
    finally:
        state.close()


def test_a_reason_written_before_reasons_were_typed_reads_as_its_text() -> None:
    old = Reason.from_json("mass deletion held: confirm with --allow-mass-delete")
    assert old.kind == LEGACY and old.param("detail").startswith("mass deletion held")
    assert messages.describe(old) == "mass deletion held: confirm with --allow-mass-delete"
    assert Reason.from_json(Reason.of(RoundProblem.HELD).to_json()) == Reason.of(RoundProblem.HELD)


def test_membership_refusals_have_a_sentence_per_condition_and_per_device_rule() -> None:
    from app.messages import SENTENCES, describe
    from sync_engine.core.membership import Inapplicable

    for why in Inapplicable:
        assert f"members.not_applicable/{why.value}" in SENTENCES
    reused = Reason.of(MembershipProblem.NOT_APPLICABLE, position=4, why="device_reused")
    assert "already used in this folder" in describe(reused)
    other = Reason.of(MembershipProblem.NOT_ALLOWED, position=2, entry="add_device", role="owner")
    assert "each member adds their own devices" in describe(other)
    owners_only = Reason.of(MembershipProblem.NOT_ALLOWED, position=2, entry="rotate_key")
    assert "only owners" in describe(owners_only)
