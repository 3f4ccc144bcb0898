"""A typed reason: what went wrong, as a kind and its parameters, never a sentence.

Errors and problems that reach a person carry a `Reason`; the application
words it in the person's language (app/messages.py). The English message of
an exception stays, for logs and support, but is never what a person reads.
Kinds are `StrEnum` members whose values are unique across Coffre ("crypto.*",
"store.*", "fs.*", "name.*", "round.*"), so a reason stored as JSON (the
problems of a round) reads back as the same kind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["LEGACY", "UNEXPECTED", "Reason", "reason_of"]

UNEXPECTED = "unexpected"  # an error that carries no reason: its English text is the detail
LEGACY = "legacy"  # a reason stored as text by a Coffre older than typed reasons


@dataclass(frozen=True, slots=True)
class Reason:
    """A kind (a StrEnum member, or its value once read back) and its named parameters."""

    kind: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, kind: StrEnum | str, **params: object) -> Reason:
        """A reason with parameters given by name; values are kept as text."""
        return cls(str(kind), tuple(sorted((k, str(v)) for k, v in params.items())))

    def param(self, name: str, default: str = "") -> str:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def as_dict(self) -> dict[str, str]:
        return dict(self.params)

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "params": dict(self.params)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Reason:
        """The reason `to_json` wrote; older plain-text reasons read as kind "legacy"."""
        try:
            data = json.loads(text)
            kind, params = data["kind"], data["params"]
        except (ValueError, TypeError, KeyError):
            return cls.of(LEGACY, detail=text)
        if not isinstance(kind, str) or not isinstance(params, dict):
            return cls.of(LEGACY, detail=text)
        return cls.of(kind, **params)


def reason_of(exc: BaseException) -> Reason:
    """The reason an error carries, or UNEXPECTED with its English text as the detail."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, Reason):
        return reason
    return Reason.of(UNEXPECTED, detail=str(exc) or type(exc).__name__)
