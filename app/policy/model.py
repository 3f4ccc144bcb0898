"""The policy in force: values IT set, which are locked, and what to refuse.

Pure: no file, registry or plist is read here (app/policy/sources.py does
that), so every rule is tested on plain dictionaries.

Precedence, for a setting the person can change ("user" scope):
locked policy value > the person's choice > policy value (a default) >
built-in default. A "machine" setting is IT's alone: the policy's value, else
the built-in one.

Failing closed. A policy that exists but cannot be read, or holds a value that
does not validate, is `broken`: its valid parts still apply, and no folder
syncs with any store until IT fixes it, since the store rules it meant to
impose are unknown. Unknown setting names are only warned about, so a policy
written for a newer Coffre does not stop an older one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from crypto.reason import Reason
from sync_engine.stores.errors import StoreConfigError
from sync_engine.stores.url import LocalSpec, S3Spec, StoreSpec, WebDavSpec, parse_store_url

from .schema import BY_NAME, PolicySetting, default, proxy_url_problem


class PolicyProblem(StrEnum):
    """Why the organisation's policy refuses a store (worded in app/messages.py)."""

    BROKEN = "policy.broken"  # source, problems: the policy exists but cannot be used
    NO_PERSONAL_VAULT = "policy.no_personal_vault"  # store: the organisation's ("" if none)
    STORE_FORBIDDEN = "policy.store_forbidden"  # address, allowed


class PolicyForbids(StoreConfigError):
    """The organisation's policy refuses this (a usage error: exit code 2)."""

    def __init__(self, refusal: Reason) -> None:
        super().__init__(refusal_message(refusal))
        self.refusal = refusal

    @property
    def reason(self) -> Reason:
        return self.refusal


@dataclass(frozen=True, slots=True)
class Policy:
    """What IT set. `locked` names settings the person cannot change."""

    values: Mapping[str, Any] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    source: str = ""  # where it was read ("" when there is no policy)
    problems: tuple[str, ...] = ()  # values refused; any makes the policy broken
    warnings: tuple[str, ...] = ()  # unknown names, ignored
    unreadable: bool = False  # the policy exists but could not be read at all

    @property
    def broken(self) -> bool:
        """The policy exists but is not entirely usable: sync stops (fails closed)."""
        return self.unreadable or bool(self.problems)

    def get(self, name: str) -> Any:
        """The value in force for a machine setting (the policy's, else the built-in)."""
        return self.values.get(name, default(name))

    def store_url(self) -> str:
        """The organisation's store address for this person ({user} replaced), or ""."""
        return expand_user(self.get("store_url"))

    def default_folder(self) -> Path | None:
        """Where the synced folder goes by policy (~, %USERPROFILE%, {user} expanded)."""
        text: str = self.get("default_folder")
        if not text:
            return None
        text = expand_user(text).replace("%USERPROFILE%", str(Path.home()))
        return Path(text).expanduser()

    def is_locked(self, name: str) -> bool:
        return name in self.locked

    def describe(self) -> dict[str, Any]:
        """What diagnostics show: where, what is locked, what is wrong (no secret in policy)."""
        return {
            "source": self.source or None,
            "broken": self.broken,
            "problems": list(self.problems),
            "warnings": list(self.warnings),
            "locked": sorted(self.locked),
            "values": dict(sorted(self.values.items())),
        }


USER_PLACEHOLDER = "{user}"


def expand_user(text: str) -> str:
    """`{user}` in a store address or folder is the login name: one vault per person."""
    if USER_PLACEHOLDER not in text:
        return text
    import getpass

    return text.replace(USER_PLACEHOLDER, getpass.getuser())


# --- values --------------------------------------------------------------------------------


def _coerce(s: PolicySetting, value: Any) -> Any:
    """The value as the schema types it, or ValueError saying what is wrong.

    Registry values arrive as DWORDs (0/1 for booleans) and plists as their own
    types; both are accepted when they say the same thing.
    """
    if s.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise ValueError("must be true or false")
    if s.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        assert s.minimum is not None and s.maximum is not None
        if not s.minimum <= value <= s.maximum:
            raise ValueError(f"must be between {s.minimum} and {s.maximum}")
        return value
    if s.kind == "list":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        return [v for v in value if v.strip()]
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if s.kind == "enum" and value not in s.choices:
        raise ValueError(f"must be one of {', '.join(s.choices)}")
    return value


def _check_meaning(name: str, value: Any) -> None:
    """Checks beyond the type, for values whose meaning can be wrong."""
    if name == "store_url" and value:
        parse_store_url(expand_user(value))  # raises StoreConfigError (a ValueError)
    elif name == "allowed_stores":
        for prefix in value:
            _identity(expand_user(prefix))
    elif name == "proxy_url" and value:
        if proxy_url_problem(value):
            raise ValueError("must look like http://host:port")
    elif name in ("recovery_public_key", "directory_signing_key") and value:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("must be base64") from None
        if len(raw) < 32:
            raise ValueError("is too short to be a public key")
    elif name == "ignore_patterns":
        from sync_engine.disk.ignore import IgnoreRules  # pathspec: only when a policy sets some

        errors = IgnoreRules.from_lines(value).errors
        if errors:
            raise ValueError(errors[0][1])


def check_value(name: str, value: Any) -> Any:
    """The usable value of setting `name`, or ValueError naming the problem."""
    s = BY_NAME[name]
    coerced = _coerce(s, value)
    try:
        _check_meaning(name, coerced)
    except StoreConfigError as exc:
        raise ValueError(str(exc)) from None
    return coerced


def build_policy(
    enforced: Mapping[str, Any],
    recommended: Mapping[str, Any],
    *,
    source: str,
) -> Policy:
    """A policy from IT's enforced (locked) values and recommended (default) ones."""
    values: dict[str, Any] = {}
    locked: set[str] = set()
    problems: list[str] = []
    warnings: list[str] = []
    for layer, is_enforced in ((recommended, False), (enforced, True)):
        for name, raw in layer.items():
            if name not in BY_NAME:
                warnings.append(f"{name}: not a Coffre setting (ignored)")
                continue
            if not is_enforced and not BY_NAME[name].lockable:
                warnings.append(f"{name}: is always enforced; set it outside 'Recommended'")
            try:
                values[name] = check_value(name, raw)
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
                continue
            if is_enforced and BY_NAME[name].lockable:
                locked.add(name)
    return Policy(values, frozenset(locked), source, tuple(problems), tuple(warnings))


def parse_policy(data: Any, *, source: str) -> Policy:
    """The Linux/JSON shape: {"settings": {...}, "locked": [...]}."""
    if not isinstance(data, dict):
        return Policy(source=source, problems=("the policy must be a JSON object",))
    problems: list[str] = []
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        problems.append('"settings" must be an object')
        settings = {}
    locked_names = data.get("locked", [])
    if not isinstance(locked_names, list) or not all(isinstance(n, str) for n in locked_names):
        problems.append('"locked" must be a list of setting names')
        locked_names = []
    extra = sorted(set(data) - {"settings", "locked"})
    enforced = {n: v for n, v in settings.items() if n in locked_names}
    recommended = {
        n: v
        for n, v in settings.items()
        if n not in locked_names and ((n in BY_NAME and BY_NAME[n].lockable) or n not in BY_NAME)
    }
    # Machine settings are enforced whether or not "locked" names them.
    enforced |= {n: v for n, v in settings.items() if n in BY_NAME and not BY_NAME[n].lockable}
    policy = build_policy(enforced, recommended, source=source)
    warnings = list(policy.warnings)
    warnings += [f"{name}: not a part of the policy file (ignored)" for name in extra]
    for name in locked_names:
        if name not in BY_NAME:
            warnings.append(f"{name}: not a Coffre setting (cannot be locked)")
        elif name not in settings and BY_NAME[name].lockable:
            problems.append(f'{name}: locked but given no value in "settings"')
    return Policy(
        policy.values,
        policy.locked,
        source,
        tuple(problems) + policy.problems,
        tuple(warnings),
    )


def unreadable_policy(source: str, reason: str) -> Policy:
    return Policy(source=source, problems=(f"cannot be read: {reason}",), unreadable=True)


# --- stores --------------------------------------------------------------------------------


def _identity(address: str) -> tuple[str, str | None]:
    """(where, S3 endpoint) that store rules compare: no user, password or options."""
    spec: StoreSpec = parse_store_url(address)
    if isinstance(spec, LocalSpec):
        return Path(spec.path).expanduser().resolve().as_uri(), None
    if isinstance(spec, S3Spec):
        return f"s3://{spec.bucket}/{spec.prefix}", spec.endpoint
    assert isinstance(spec, WebDavSpec)
    return spec.base_url, None


def _under(address: tuple[str, str | None], prefix: tuple[str, str | None]) -> bool:
    where, endpoint = address
    base, base_endpoint = prefix
    if base_endpoint is not None and endpoint != base_endpoint:
        return False
    base = base.rstrip("/")
    where = where.rstrip("/")
    return where == base or where.startswith(base + "/")


def store_refusal(policy: Policy, address: str, *, creating: bool = False) -> Reason | None:
    """Why the policy forbids syncing with (or creating a vault at) `address`; None if allowed."""
    if policy.broken:
        return Reason.of(
            PolicyProblem.BROKEN, source=policy.source, problems="; ".join(policy.problems)
        )
    store_url = policy.store_url()
    allowed: list[str] = [expand_user(p) for p in policy.get("allowed_stores")]
    try:
        target = _identity(address)
    except StoreConfigError:
        return None  # not a store address at all: the caller reports that
    official = bool(store_url) and _under(target, _identity(store_url))
    if creating and not policy.get("personal_vaults_allowed") and not official:
        return Reason.of(PolicyProblem.NO_PERSONAL_VAULT, store=store_url or "")
    if not store_url and not allowed:
        return None
    if official or any(_under(target, _identity(p)) for p in allowed):
        return None
    where = ", ".join(([store_url] if store_url else []) + allowed)
    return Reason.of(PolicyProblem.STORE_FORBIDDEN, address=address.strip(), allowed=where)


def refusal_message(refusal: Reason) -> str:
    """A refusal in English, for the command line and the logs (the app words its reason)."""
    if refusal.kind == PolicyProblem.BROKEN:
        return (
            f"The organisation's policy ({refusal.param('source')}) cannot be used: "
            f"{refusal.param('problems')}. Synchronisation stays stopped until your IT "
            "department fixes it."
        )
    if refusal.kind == PolicyProblem.NO_PERSONAL_VAULT:
        store = refusal.param("store")
        return "The organisation's policy forbids creating a vault of your own" + (
            f"; the organisation's store is {store}." if store else "."
        )
    return (
        f"The organisation's policy forbids syncing with {refusal.param('address')}; "
        f"allowed: {refusal.param('allowed')}. Ask your IT department."
    )


def ensure_store_allowed(policy: Policy, address: str, *, creating: bool = False) -> None:
    """Raise PolicyForbids when `store_refusal` says no."""
    reason = store_refusal(policy, address, creating=creating)
    if reason is not None:
        raise PolicyForbids(reason)
