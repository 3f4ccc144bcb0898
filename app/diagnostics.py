"""What `coffre diagnostics` puts in a support archive, with nothing private in clear.

The archive helps IT or support see what went wrong without seeing what a
person keeps: versions (Coffre, Python, Qt, platform), the policy in force,
each synced folder's state in numbers (files, problems by kind, last sync),
and the recent log files. Never in it: passphrases, keys, credentials, file
or folder names, file contents. Folders are named by a short hash of their
id; store addresses keep only their kind; log lines are scrubbed of every
folder path, home directory and name the folders' states know.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import sys
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync_engine.core.model import Kind
from sync_engine.stores.errors import StoreConfigError
from sync_engine.stores.url import LocalSpec, S3Spec, parse_store_url
from sync_engine.vault.state import LocalState

from .folders import Binding, all_bindings
from .logs import log_dir, log_files
from .paths import coffre_home

MAX_LOG_BYTES = 4 * 1024 * 1024  # the newest lines of the log files, at most
MIN_NAME_LENGTH = 3  # shorter name segments ("a", "id") would scrub ordinary words
_TOKEN = re.compile(r"[^\s'\"(),;:=<>\[\]{}]+")


def folder_label(binding: Binding) -> str:
    return "folder-" + hashlib.sha256(binding.folder_id.encode()).hexdigest()[:10]


def _store_kind(address: str) -> str:
    try:
        spec = parse_store_url(address)
    except StoreConfigError:
        return "invalid"
    if isinstance(spec, LocalSpec):
        return "folder"
    return "s3" if isinstance(spec, S3Spec) else "webdav"


def versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
    }
    for package in ("coffre", "PySide6-Essentials", "cryptography", "obstore", "httpx"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


class Scrubber:
    """Replaces private strings in log text: folder paths, the home folder, known names."""

    def __init__(self, bindings: list[Binding]) -> None:
        self.prefixes: list[tuple[str, str]] = []
        self.names: set[str] = set()
        for binding in bindings:
            self.prefixes.append((binding.folder, f"<{folder_label(binding)}>"))
            self.names.add(binding.device_name)
            self.names.update(_known_names(binding))
        self.prefixes.append((str(coffre_home()), "<coffre-home>"))
        self.prefixes.append((str(Path.home()), "<home>"))
        self.prefixes.sort(key=lambda p: -len(p[0]))
        self.names = {n for n in self.names if len(n) >= MIN_NAME_LENGTH}

    def _token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        parts = token.split("/")
        if any(part in self.names for part in parts):
            return "<name>"
        return token

    def __call__(self, text: str) -> str:
        for prefix, label in self.prefixes:
            if prefix and prefix != "/":
                # a folder path and everything after it up to a blank or quote: names inside
                text = re.sub(re.escape(prefix) + r"[^\s'\"]*", label, text)
        return _TOKEN.sub(self._token, text)


def _known_names(binding: Binding) -> set[str]:
    """Every path segment the folder's state knows (synced files, problems)."""
    if not binding.state_path.is_file():
        return set()
    state = LocalState(binding.state_path)
    try:
        paths = list(state.synced()) + [p.path for p in state.problems()]
    finally:
        state.close()
    names: set[str] = set()
    for path in paths:
        names.update(segment for segment in path.split("/") if segment)
    return names


def folder_states(bindings: list[Binding]) -> list[dict[str, Any]]:
    out = []
    for binding in bindings:
        entry: dict[str, Any] = {
            "folder": folder_label(binding),
            "store_kind": _store_kind(binding.store),
        }
        if binding.state_path.is_file():
            state = LocalState(binding.state_path)
            try:
                problems = state.problems()
                entry.update(
                    files=sum(1 for e in state.synced().values() if e.kind is Kind.FILE),
                    versions=state.version_count(),
                    last_sync=state.get_meta("last_sync"),
                    problems=dict(Counter(p.kind for p in problems)),
                )
            finally:
                state.close()
        status = binding.directory / "status.json"
        if status.is_file():
            try:
                live = json.loads(status.read_text(encoding="utf-8"))
                entry["live_state"] = live.get("state") if isinstance(live, dict) else None
            except (OSError, ValueError):
                entry["live_state"] = "unreadable"
        out.append(entry)
    return out


def _recent_logs(scrub: Scrubber) -> list[tuple[str, str]]:
    budget = MAX_LOG_BYTES
    out = []
    for path in log_files():
        if budget <= 0:
            break
        data = path.read_bytes()[-budget:]
        budget -= len(data)
        out.append((path.name, scrub(data.decode("utf-8", errors="replace"))))
    return out


def write_archive(target: Path) -> Path:
    """Write the support archive (a zip) to `target`; returns it."""
    from .cli_policy import policy_report

    bindings = all_bindings()
    scrub = Scrubber(bindings)
    report = policy_report()
    summary = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "log_dir": scrub(str(log_dir())),
        "folders": folder_states(bindings),
    }
    policy_text = scrub(json.dumps(report, indent=2, ensure_ascii=False))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.json", json.dumps(summary, indent=2, ensure_ascii=False))
        archive.writestr("policy.json", policy_text)
        for name, text in _recent_logs(scrub):
            archive.writestr(f"logs/{name}", text)
    return target
