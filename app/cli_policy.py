"""`coffre policy`: what the organisation's policy sets on this machine, and what is in force.

For IT checking a deployment: where the policy was read, whether it is usable
(a broken policy stops sync: it fails closed), which settings are locked, and
the value of every setting as Coffre applies it.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .cli import EXIT_ERROR, EXIT_OK, add_command


def policy_report() -> dict[str, Any]:
    """The policy as read, and every setting's value in force with where it comes from."""
    from dataclasses import asdict

    from .policy.schema import SETTINGS
    from .policy.sources import load_policy
    from .settings import SettingsStore

    policy = load_policy()
    store = SettingsStore(policy=policy)
    person = asdict(store.current)
    effective: dict[str, Any] = {}
    for s in SETTINGS:
        if s.scope == "user":
            value = person[s.name]
            origin = (
                "locked"
                if policy.is_locked(s.name)
                else ("policy default" if s.name in policy.values else "person or built-in")
            )
        else:
            value = policy.get(s.name)
            origin = "policy" if s.name in policy.values else "built-in"
        effective[s.name] = {"value": value, "from": origin}
    return {"policy": policy.describe(), "settings": effective}


def cmd_policy(args: argparse.Namespace) -> int:
    report = policy_report()
    policy = report["policy"]
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        where = policy["source"] or "none (no policy on this machine)"
        print(
            f"Policy: {where}"
            + (" — BROKEN, synchronisation is stopped" if policy["broken"] else "")
        )
        for problem in policy["problems"]:
            print(f"  problem: {problem}")
        for warning in policy["warnings"]:
            print(f"  warning: {warning}")
        for name, entry in report["settings"].items():
            print(f"  {name} = {json.dumps(entry['value'], ensure_ascii=False)} ({entry['from']})")
    return EXIT_ERROR if policy["broken"] else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub, "policy", cmd_policy, "show the organisation's policy and the settings in force"
    )
    p.add_argument("--json", action="store_true")
