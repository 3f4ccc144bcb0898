"""The `coffre` command line.

Exit codes: 0 the folder and the store agree; 1 an error (the message says
what happened and what to do); 2 a usage or configuration error; 3 the round
finished but something was held or skipped (each listed on stderr and in
`status --json`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

# Only what parsing the command line needs is imported here: `coffre --help` and the
# start of every command stay fast (bench/cli_start.py). Each command imports the
# engine, the stores and the crypto it uses when it runs.
if TYPE_CHECKING:
    from crypto.reason import Reason
    from sync_engine.engine import RoundReport
    from sync_engine.events import Event
    from sync_engine.live import LiveConfig
    from sync_engine.stores.credentials import StoreCredentials
    from sync_engine.vault.state import LocalState, Problem

    from .folders import Binding
    from .session import FolderSession
    from .unlock import Unlocked, VaultSecret

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_ATTENTION = 0, 1, 2, 3


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _err(message: str) -> None:
    print(f"coffre: {message}", file=sys.stderr)


def _run(coro: Coroutine[Any, Any, int]) -> int:
    import asyncio

    return asyncio.run(coro)


# --- init / join -----------------------------------------------------------------------------


def _store_address(args: argparse.Namespace) -> str:
    """The --store address, with --s3-endpoint and --s3-region folded into the s3:// one."""
    from sync_engine.stores.url import S3Spec, parse_store_url

    endpoint, region = args.s3_endpoint, args.s3_region
    if endpoint is None and region is None:
        return str(args.store)
    spec = parse_store_url(args.store)
    if not isinstance(spec, S3Spec):
        raise CliError(
            "--s3-endpoint and --s3-region apply only to s3:// store addresses.", EXIT_USAGE
        )
    merged = S3Spec(spec.bucket, spec.prefix, endpoint or spec.endpoint, region or spec.region)
    return parse_store_url(merged.url).url  # checks the endpoint and region


def _ask_credentials(address: str) -> StoreCredentials | None:
    """Credentials typed at the terminal, when neither the environment nor the keyring has them.

    Without a terminal, a store that needs them is a usage error naming the variables.
    """
    import getpass

    from sync_engine.stores.credentials import S3Credentials, Secret, WebDavCredentials
    from sync_engine.stores.url import LocalSpec, S3Spec, WebDavSpec, parse_store_url

    from .credentials import load_credentials

    spec = parse_store_url(address)
    if isinstance(spec, LocalSpec) or (isinstance(spec, WebDavSpec) and spec.password):
        return None  # a folder needs none; a password in the address moves to the keyring
    if load_credentials(spec) is not None:
        return None
    interactive = sys.stdin.isatty()
    if isinstance(spec, S3Spec):
        if not interactive:
            raise CliError(
                f"No credentials for {spec.url}. Set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY, or run the command in a terminal to be asked for them "
                "(they are then kept in the system keyring).",
                EXIT_USAGE,
            )
        key_id = input("S3 access key ID: ").strip()
        secret = getpass.getpass("S3 secret access key: ")
        if not key_id or not secret:
            raise CliError("Both the access key ID and the secret key are needed.", EXIT_USAGE)
        return S3Credentials(key_id, Secret(secret))
    if not interactive:
        if spec.user is None:
            return None  # a server that needs no login; it says so otherwise
        raise CliError(
            f"No password for {spec.url}. Set COFFRE_WEBDAV_PASSWORD (or COFFRE_WEBDAV_TOKEN), "
            "or run the command in a terminal to be asked for it (it is then kept in the "
            "system keyring).",
            EXIT_USAGE,
        )
    user = spec.user or input("WebDAV user name (empty if none is needed): ").strip() or None
    if user is None:
        return None
    password = getpass.getpass(f"WebDAV password for {user}: ")
    return WebDavCredentials(user=user, password=Secret(password) if password else None)


async def cmd_init(args: argparse.Namespace) -> int:
    from sync_engine.stores.url import parse_store_url

    from . import setup
    from .passphrase import read_passphrase

    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    folder = setup.prepare_folder(args.folder)
    address = _store_address(args)
    credentials = _ask_credentials(address)
    result = await setup.create_vault(
        folder, address, credentials, passphrase, args.device_name, args.language
    )
    binding = result.binding
    where = parse_store_url(address).url
    print(f"Created a vault at {where} and bound {folder} to it as {binding.device_name!r}.")
    print("Recovery key (write it down and keep it safe; it is shown only once):")
    print(f"    {result.recovery_key}")
    if args.remember:
        await _remember(binding, result.unlocked, shared=result.ring is not None)
    return EXIT_OK


async def _remember(binding: Binding, unlocked: Unlocked | None, *, shared: bool) -> None:
    """--remember: let this device open the vault by itself (app/device_key.py); a note if
    the keyring cannot keep the device's key (the command itself succeeded)."""
    import asyncio

    from .device_key import keep, remember_if_kept
    from .key_cache import KeyCacheUnavailable
    from .session import store_for

    if shared:  # format 2: its own keys and envelope exist; the keyring must hold the keys
        if not await asyncio.to_thread(remember_if_kept, binding):
            _err("note: the system keyring does not hold this device's keys: the passphrase "
                 "stays needed")  # fmt: skip
            return
    else:
        assert unlocked is not None, "init and join return the vault they opened"
        store = store_for(binding.store)
        try:
            await keep(store, binding, unlocked)
        except KeyCacheUnavailable as exc:
            _err(f"note: {exc}")
            return
        finally:
            await store.close()
    print(
        "This computer is remembered: later commands open the vault without the passphrase "
        "(`coffre devices forget` undoes it)."
    )


def _recovery_given(args: argparse.Namespace) -> bool:
    """Whether a recovery key was given (COFFRE_RECOVERY_KEY, --recovery-key-file): it is
    only ever given on purpose, so it opens the vault even where a key is kept."""
    from .passphrase import read_recovery_key

    return read_recovery_key(getattr(args, "recovery_key_file", None)) is not None


def _secret(args: argparse.Namespace) -> VaultSecret:
    from .passphrase import read_unlock_secret

    return read_unlock_secret(
        getattr(args, "passphrase_file", None), getattr(args, "recovery_key_file", None)
    )


def _say_recovered(secret: VaultSecret) -> None:
    if secret.is_recovery:
        print(
            "The vault was opened with the recovery key and its passphrase was replaced: "
            "use the new passphrase on every device from now on. Keep the recovery key.",
            flush=True,
        )


async def cmd_join(args: argparse.Namespace) -> int:
    from . import setup
    from .passphrase import PassphraseUnavailable
    from .setup_v2 import NotAdded

    try:  # an owner may have added this person's identity: no passphrase is then needed
        passphrase: VaultSecret | None = _secret(args)
    except PassphraseUnavailable:
        passphrase = None
    folder = setup.prepare_folder(args.folder)
    address = _store_address(args)
    credentials = _ask_credentials(address)
    try:
        result = await setup.join_vault(folder, address, credentials, passphrase, args.device_name)
    except NotAdded as exc:
        _err(str(exc))
        sys.stdout.write(exc.card)
        return EXIT_ERROR
    binding = result.binding
    if passphrase is not None:
        _say_recovered(passphrase)
    print(f"Bound {folder} to the vault at {binding.store} as {binding.device_name!r}.")
    if result.unlocked is None:
        print("Opened through your identity, which an owner added.")
    if result.remembered:
        print("This computer opens the folder with its own keys from now on.")
    print("Run `coffre sync --folder` to bring it up to date.")
    if args.remember:
        await _remember(binding, result.unlocked, shared=result.ring is not None)
    return EXIT_OK


# --- sync / watch ----------------------------------------------------------------------------


def _reason_text(reason: Reason) -> str:
    """A reason for the terminal: the sentence, then the technical English detail if any."""
    from .messages import describe

    text = describe(reason)
    detail = reason.param("detail")
    return f"{text} [{detail}]" if detail and detail not in text else text


_ATTENTION_KINDS = ("held", "skipped", "changed", "read_only")  # exit 3; other kinds exit 1


def _report_problems(report: RoundReport) -> int:
    if report.read_only:  # each is also a "read_only" problem, named below (exit 3)
        _err(
            f"not synced: read-only: {len(report.read_only)} local changes stay on this "
            "computer; you are a reader of this vault"
        )
    attention = [p for p in report.problems if p.kind in _ATTENTION_KINDS]
    errors = [p for p in report.problems if p.kind not in _ATTENTION_KINDS]
    for p in report.problems:
        _err(f"{p.kind}: {p.path}: {_reason_text(p.reason)}")
    if any(p.kind == "held" for p in report.problems):
        _err("held: run again with --allow-mass-delete to confirm the deletion")
    if errors:
        return EXIT_ERROR
    return EXIT_ATTENTION if attention else EXIT_OK


def _summary(report: RoundReport) -> str:
    return (
        f"{report.uploaded_files} files uploaded, {report.downloaded_files} downloaded, "
        f"{report.quarantined} moved to quarantine, {report.published_versions} changes "
        f"published, {len(report.conflicts)} conflicts"
    )


async def _open(args: argparse.Namespace) -> FolderSession:
    """The folder's session: opened with the key kept for this device when there is one
    (app/device_key.py), else with the passphrase, asked only then; or the recovery key."""
    from .folders import find_binding
    from .passphrase import ENV_VAR, take_env
    from .session import FolderSession, open_folder

    binding = find_binding(args.folder)
    if _recovery_given(args):
        secret = _secret(args)
        session = await FolderSession.open(binding, secret)
        _say_recovered(secret)
        if session.unlocked is not None and session.unlocked.new_recovery_key is not None:
            print("New recovery key (write it down and keep it safe; the old one no longer "
                  f"works):\n    {session.unlocked.new_recovery_key}", flush=True)  # fmt: skip
        return session
    session = await open_folder(binding, lambda: _secret(args), note=_note)
    take_env(ENV_VAR)  # unread when the kept key opened the vault: out of the environment still
    return session


def _note(message: str) -> None:
    _err(f"note: {message}")


_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?(?:/s)?", re.IGNORECASE)
_RATE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class _VersionAction(argparse.Action):
    """`--version`, read from the package metadata only when asked (it costs ~30 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        from importlib.metadata import version

        print(f"coffre {version('coffre')}")
        parser.exit()


def parse_rate(text: str) -> int:
    """A bandwidth in bytes per second: 500K, 2M, 1.5M, 1G (binary multiples), or 0 for none."""
    match = _RATE.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a rate: write bytes per second, such as 500K, 2M or 1G"
        )
    return int(float(match.group(1)) * _RATE_UNITS[match.group(2).lower()])


def _limits(args: argparse.Namespace) -> tuple[int | None, int | None]:
    """(upload, download) bytes per second; None (or 0) is unlimited.

    A --limit-* option wins over the settings in force (the person's, over the
    organisation's policy defaults), except where the policy locks the limit.
    """
    from .settings import SettingsStore  # reads settings.json and the policy

    settings = SettingsStore()
    current = settings.current
    chosen = []
    for given, name, in_force in (
        (args.limit_up, "upload_limit_kib_s", current.upload_bps),
        (args.limit_down, "download_limit_kib_s", current.download_bps),
    ):
        if given is not None and settings.is_locked(name):
            _err(f"note: the organisation's policy sets {name}; --limit-* is ignored for it")
            given = None
        chosen.append(in_force if given is None else (given or None))
    return chosen[0], chosen[1]


def _apply_limits(
    store: object,
    args: argparse.Namespace,
    apply: Callable[[int | None, int | None], None] | None = None,
) -> None:
    """The --limit-* options (or the settings in force), given to `apply` (the store's own
    `set_limits` by default; `coffre watch` gives its folder runner's)."""
    up, down = _limits(args)
    if up is None and down is None:
        return
    set_limits = getattr(store, "set_limits", None)
    if set_limits is None:
        _err("note: bandwidth limits apply to S3 and WebDAV stores; a folder store is not limited")
        return
    (apply or set_limits)(up, down)


async def cmd_sync(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    session = await _open(args)
    _apply_limits(session.store, args)
    bound_to = session.binding.store
    try:
        report = await session.engine.sync(allow_mass_delete=args.allow_mass_delete)
        session.state.set_meta("last_sync", datetime.now(UTC).isoformat(timespec="seconds"))
    finally:
        await session.close()
    if session.binding.store != bound_to:  # followed a vault moved by another device
        print(f"The vault moved to {session.binding.store}; this folder now syncs there.")
    print(f"{session.binding.folder}: {_summary(report)}.")
    return _report_problems(report)


def _watch_line(event: Event, device: str) -> tuple[str, bool] | None:
    """How `coffre watch` prints one event: (line, on stderr), or None to stay quiet."""
    from sync_engine.events import (
        ConflictDetected,
        DeletionHeld,
        Direction,
        FolderState,
        ItemSynced,
        ProblemReported,
        RoundFinished,
        StateChanged,
        VaultMoved,
    )

    match event:
        case StateChanged(state=state, message=message, action=action, paused_reason=why):
            text = state.value + (f" ({why})" if why else "")
            text += f": {message}" if message else ""
            text += f" {action}" if action else ""
            return f"state: {text}", state in (FolderState.OFFLINE, FolderState.ERROR)
        case ItemSynced(path=path, change=change, direction=direction, device_name=who):
            where = "sent" if direction is Direction.UPLOAD else f"from {who or 'another device'}"
            moved = f" (was {event.old_path})" if event.old_path else ""
            return f"{change.value}: {path}{moved} [{where}]", False
        case ConflictDetected(path=path, copy_path=copy, losing_device=who):
            return f"conflict: {path}: the version from {who} is kept as {copy}", False
        case DeletionHeld(total=total):
            return (
                f"held: a deletion of {total} items waits for confirmation; restart with "
                "`coffre watch --allow-mass-delete` to confirm",
                True,
            )
        case ProblemReported(path=path, kind=kind, reason=reason):
            return f"{kind}: {path or device}: {_reason_text(reason)}", True
        case VaultMoved(new_url=url):
            return f"moved: the vault is now at {url}; this folder syncs there", False
        case RoundFinished(uploaded_files=up, downloaded_files=down) if up or down:
            return f"synced: {up} uploaded, {down} downloaded", False
    return None


def _live_config(args: argparse.Namespace) -> LiveConfig:
    from sync_engine.live import LiveConfig

    defaults = LiveConfig()
    interval = max(0.1, defaults.active_poll_s if args.interval is None else args.interval)
    idle = args.idle_interval if args.idle_interval is not None else defaults.idle_poll_s
    settle = defaults.settle_s if args.settle is None else args.settle
    return LiveConfig(
        active_poll_s=interval,
        idle_poll_s=max(interval, idle),
        settle_s=max(0.0, settle),
        pause_on_metered=False,  # a terminal has no metered-network information
    )


class _WatchPrinter:
    """`coffre watch`'s event sink: one line per event that says something."""

    def __init__(self, binding: Binding) -> None:
        from sync_engine.events import FolderState

        self.binding = binding
        self._printed = FolderState.IDLE

    def __call__(self, event: Event) -> None:
        from datetime import datetime

        from sync_engine.events import FolderState, StateChanged

        shown = _watch_line(event, self.binding.device_name)
        if isinstance(event, StateChanged):
            # Every round scans: print states that say something, not each round's start.
            quiet = event.state is FolderState.SCANNING or (
                event.state is self._printed and not event.message and not event.paused_reason
            )
            shown = None if quiet else shown
            if not quiet:
                self._printed = event.state
        if shown is not None:
            out = sys.stderr if shown[1] else sys.stdout
            print(f"{datetime.now():%H:%M:%S} {shown[0]}", file=out, flush=True)


async def cmd_watch(args: argparse.Namespace) -> int:
    """Keep the folder in sync (a FolderRunner) until SIGINT/SIGTERM, printing events as lines."""
    import asyncio
    import signal

    from .folder_runner import STOP_TIMEOUT_S, FolderRunner
    from .folders import find_binding

    binding = find_binding(args.folder)
    # A recovery key opens as given; otherwise the kept key first, the passphrase if needed.
    recovery = _secret(args) if _recovery_given(args) else None
    loop = asyncio.get_running_loop()
    runner = FolderRunner(binding, _WatchPrinter(binding), _live_config(args))
    task = asyncio.current_task()
    signals_seen = 0

    def on_signal() -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            print("coffre: stopping after the current round", file=sys.stderr, flush=True)
            runner.stop()
        elif task is not None:  # a second signal: stop now (as safe as a crash)
            task.cancel()

    installed = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal)
            installed.append(signum)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C raises KeyboardInterrupt
            pass

    runner.start_heartbeat()
    try:
        if recovery is not None:
            session = await runner.unlock(recovery, wait_for_store=True)
        else:
            session = await runner.unlock_kept_or_asked(
                lambda: _secret(args), wait_for_store=True, note=_note
            )
        if session is None:
            return EXIT_OK
        if recovery is not None:
            _say_recovered(recovery)
        _apply_limits(session.store, args, runner.set_limits)
        if args.allow_mass_delete:
            runner.allow_mass_delete_once()
        runner.start(session)
        print(f"Watching {binding.folder} (Ctrl+C to stop).", flush=True)
        await runner.wait()
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
        await runner.close(timeout=0 if signals_seen > 1 else STOP_TIMEOUT_S)
    return EXIT_OK


# --- status / conflicts / history ------------------------------------------------------------


def _state(args: argparse.Namespace) -> tuple[Binding, LocalState]:
    from sync_engine.vault.state import LocalState

    from .folders import find_binding

    binding = find_binding(args.folder)
    return binding, LocalState(binding.state_path)


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from sync_engine.core.model import Kind

    from .status_file import live_summary, read_status, status_path

    binding, state = _state(args)
    try:
        problems = state.problems()
        synced = state.synced()
        info = {
            "folder": binding.folder,
            "store": binding.store,
            "device": binding.device_name,
            "device_id": binding.device_id,
            "last_sync": state.get_meta("last_sync"),
            "files": sum(1 for e in synced.values() if e.kind is Kind.FILE),
            "state": "attention" if problems else ("up to date" if synced else "not synced yet"),
            "problems": [_problem_json(p) for p in problems],
            # What a running `coffre watch` is doing (None when none runs): state, message,
            # action, paused_reason, last_sync, progress.
            "live": None,
        }
    finally:
        state.close()
    live: dict[str, Any] | None = read_status(status_path(binding.directory))
    info["live"] = live
    if live is not None and not problems:
        info["state"] = live_summary(live)  # what the running app or watch sees now
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        print(f"{info['folder']} <-> {info['store']} ({info['device']})")
        print(f"  {info['state']}; {info['files']} files; last sync {info['last_sync'] or 'never'}")
        if live is not None:
            message = f": {live['message']}" if live.get("message") else ""
            print(f"  watched by process {live['pid']}: {live['state']}{message}")
        for p in problems:
            print(f"  {p.kind}: {p.path}: {_reason_text(p.reason)}")
    attention = problems or (live is not None and live.get("attention"))
    return EXIT_ATTENTION if attention else EXIT_OK


def _problem_json(p: Problem) -> dict[str, Any]:
    """A problem in `status --json`: the English sentence, and the typed reason behind it."""
    from .messages import describe

    return {
        "path": p.path,
        "kind": p.kind,
        "reason": describe(p.reason),
        "reason_kind": p.reason.kind,
        "reason_params": p.reason.as_dict(),
    }


def _names(state: LocalState, binding: Binding) -> dict[str, str]:
    names = {d: h.name for d, h in state.accepted_heads().items()}
    names[binding.device_id] = binding.device_name
    return names


def _iso(millis: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat(timespec="seconds")


def _time(hlc: int) -> str:
    from sync_engine.core.model import hlc_millis

    return _iso(hlc_millis(hlc))


def cmd_conflicts(args: argparse.Namespace) -> int:
    import json

    from .conflicts import list_conflicts

    binding, state = _state(args)
    try:
        items = list_conflicts(state, binding)
    finally:
        state.close()
    if args.json:
        print(json.dumps(items, indent=2))
    else:
        for item in items:
            who, copy = item["losing_device"], item["copy"]
            print(f"{item['path']}: the version from {who} is kept as {copy}")
        if not items:
            print("No conflicts.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    import json
    import time

    from sync_engine.core.model import Kind
    from sync_engine.lifecycle.gc import kept_in_state

    from . import restore as restore_mod

    binding, state = _state(args)
    try:
        names = _names(state, binding)
        rel = restore_mod.relative_path(binding, args.path)
        versions = state.versions_at(rel)
        kept = kept_in_state(state, names, int(time.time() * 1000)) if versions else frozenset()
    finally:
        state.close()
    items = [
        {
            "version": str(v.vid),
            "time": _time(v.hlc),
            "device": names.get(v.vid.device, v.vid.device[:8]),
            "size": v.size,
            "deleted": v.kind is Kind.TOMBSTONE,
            "kind": v.kind.value,
            "kept": v.vid in kept,  # False: the next GC frees it (the vault's retention)
        }
        for v in versions
    ]
    if args.json:
        print(json.dumps(items, indent=2))
    elif not items:
        print(f"No history for {rel}.")
    else:
        for item in items:
            what = "deleted" if item["deleted"] else f"{item['size']} bytes"
            fate = "kept" if item["kept"] else "expires at next GC"
            print(f"{item['version']}  {item['time']}  {item['device']:<16} {what}  [{fate}]")
    if not items:
        raise CliError(f"{rel} has no history in this vault.", EXIT_ERROR)
    return EXIT_OK


async def cmd_restore(args: argparse.Namespace) -> int:
    from . import restore as restore_mod

    session = await _open(args)
    try:
        where = await restore_mod.restore(session, args.path, args.version, args.output)
    finally:
        await session.close()
    print(f"Restored to {where}.")
    return EXIT_OK


# --- quarantine ------------------------------------------------------------------------------


def cmd_quarantine(args: argparse.Namespace) -> int:
    import json

    from . import restore as restore_mod

    binding, state = _state(args)
    try:
        items = state.quarantined()
        if args.restore is not None:
            item = next((i for i in items if i.item_id == args.restore), None)
            if item is None:
                raise CliError(f"No quarantined item {args.restore}; run `coffre quarantine`.")
            target = restore_mod.restore_quarantined(binding, item)
            with state.transaction():
                state.remove_quarantined(item.item_id)
            print(f"Restored {item.path} to {target}.")
            return EXIT_OK
    finally:
        state.close()
    listing = [
        {
            "id": i.item_id,
            "path": i.path,
            "stored_at": i.stored_at,
            "time": _iso(i.time_ns // 10**6),
        }
        for i in items
    ]
    if args.json:
        print(json.dumps(listing, indent=2))
    else:
        for item in listing:
            print(f"{item['id']:>5}  {item['time']}  {item['path']}")
        if not listing:
            print("The quarantine is empty.")
    return EXIT_OK


# --- parser ----------------------------------------------------------------------------------


def add_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[..., Any],
    help_text: str,
) -> argparse.ArgumentParser:
    """One subcommand; `handler(args)` returns an exit code (or a coroutine of one)."""
    p = sub.add_parser(name, help=help_text, description=help_text)
    p.set_defaults(handler=handler)
    return p


def folder_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--folder", required=True, help="the synced folder")


def passphrase_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--passphrase-file", help="read the vault passphrase from this file")


def recovery_arg(p: argparse.ArgumentParser) -> None:
    """--recovery-key-file: open with the recovery key instead (then a new passphrase is set,
    from COFFRE_NEW_PASSPHRASE or typed at the terminal)."""
    p.add_argument(
        "--recovery-key-file",
        help="open the vault with the recovery key in this file (or COFFRE_RECOVERY_KEY) "
        "when the passphrase is forgotten; a new passphrase is then set, from "
        "COFFRE_NEW_PASSPHRASE or typed at the terminal",
    )


# Modules that add their own subcommands: each has `register(sub)`, using the helpers above.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli_check",
    "app.cli_policy",
    "app.cli_enrol",
    "app.cli_diagnostics",
    "app.cli_passphrase",
    "app.cli_gc",
    "app.cli_devices",
    "app.cli_identity",
    "app.cli_members",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coffre",
        description="End-to-end encrypted file sync to storage your organisation controls.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True)
    for register in (
        _register_init_and_join,
        _register_sync,
        _register_watch,
        _register_reports,
        _register_restore,
        _register_quarantine,
    ):
        register(sub)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser


def _vault_language(text: str) -> str:
    """--language, checked against the languages a vault header may hold."""
    from crypto.header import LANGUAGES  # here: the crypto costs ~45 ms to import

    if text not in LANGUAGES:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {text!r} (choose from {', '.join(LANGUAGES)})"
        )
    return text


def _register_init_and_join(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, handler, text in (
        ("init", cmd_init, "create a vault in an empty store location and bind a folder to it"),
        ("join", cmd_join, "bind a folder to an existing vault"),
    ):
        p = add_command(sub, name, handler, text)
        p.add_argument(
            "--store",
            required=True,
            help="the store: a folder path, s3://bucket/prefix or webdavs://host/path",
        )
        folder_arg(p)
        p.add_argument("--device-name", help="how other devices name this one (default: hostname)")
        passphrase_arg(p)
        if name == "join":
            recovery_arg(p)
        p.add_argument(
            "--s3-endpoint", help="S3 server address, such as https://s3.example.org:9000"
        )
        p.add_argument("--s3-region", help="S3 region name (default: us-east-1)")
        p.add_argument(
            "--remember",
            action="store_true",
            help="keep a key for this device (system keyring + an envelope on the store), so "
            "later commands open the vault without the passphrase; `coffre devices forget` "
            "undoes it (off by default: see docs/THREATS.md)",
        )
        if name == "init":
            p.add_argument(
                "--language",
                type=_vault_language,
                metavar="LANGUAGE",
                help="the vault's language (en, fr), which names conflict copies on every "
                "device (default: the system locale's, else en)",
            )


def _limits_arg(p: argparse.ArgumentParser) -> None:
    for direction in ("up", "down"):
        p.add_argument(
            f"--limit-{direction}",
            type=parse_rate,
            metavar="RATE",
            help=f"{direction}load bandwidth limit in bytes per second, such as 2M "
            "(S3 and WebDAV stores)",
        )


def _register_sync(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "sync", cmd_sync, "run sync rounds until the folder and the store agree")
    folder_arg(p)
    passphrase_arg(p)
    recovery_arg(p)
    _limits_arg(p)
    p.add_argument("--allow-mass-delete", action="store_true", help="confirm a held mass deletion")


def _register_watch(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "watch", cmd_watch, "keep the folder in sync until interrupted")
    folder_arg(p)
    passphrase_arg(p)
    recovery_arg(p)
    _limits_arg(p)
    p.add_argument(
        "--interval",
        type=float,
        help="seconds between checks for other devices' changes while active (default 1; a "
        "folder store on a local disk is watched instead)",
    )
    p.add_argument(
        "--idle-interval",
        type=float,
        help="the same when nothing happened for a while (default: 60, or --interval if longer)",
    )
    p.add_argument(
        "--settle",
        type=float,
        help="seconds a file still being written must stay unchanged before it is uploaded "
        "(default 1; a file closed after writing goes at once)",
    )
    p.add_argument(
        "--allow-mass-delete", action="store_true", help="confirm a held mass deletion once"
    )


def _register_reports(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """status, conflicts, history: read the local state, never the store."""
    for name, handler, text in (
        ("status", cmd_status, "show the folder's sync state and problems"),
        ("conflicts", cmd_conflicts, "list conflicts and where the losing versions are kept"),
    ):
        p = add_command(sub, name, handler, text)
        folder_arg(p)
        p.add_argument("--json", action="store_true")

    p = add_command(sub, "history", cmd_history, "list the versions of a file")
    folder_arg(p)
    p.add_argument("path", help="path of the file, relative to the folder or absolute")
    p.add_argument("--json", action="store_true")


def _register_restore(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "restore", cmd_restore, "bring back a version of a file")
    folder_arg(p)
    passphrase_arg(p)
    recovery_arg(p)
    p.add_argument("path")
    p.add_argument("--version", dest="version", help="version id from `coffre history`")
    p.add_argument("--output", help="write the version to this file instead of PATH")


def _register_quarantine(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(sub, "quarantine", cmd_quarantine, "list (or restore) files removed by sync")
    folder_arg(p)
    p.add_argument("--restore", type=int, metavar="ID", help="put this item back in the folder")
    p.add_argument("--json", action="store_true")


def _exit_code_for(exc: Exception) -> int | None:
    """EXIT_USAGE or EXIT_ERROR for the errors a command reports as a message; None for a bug.

    The error types are imported here, once a command failed: by then the modules that
    raise them are loaded, and `coffre --help` does not pay for them.
    """
    from crypto.errors import CoffreCryptoError
    from sync_engine.disk.localfs import FsError
    from sync_engine.stores.errors import StoreConfigError, StoreError
    from sync_engine.vault.journal import AccessRevoked, JournalError, ReadOnlyDevice
    from sync_engine.vault.vault_store import VaultSetupError

    from .folders import BindingError
    from .identity_store import IdentityError
    from .passphrase import PassphraseUnavailable
    from .restore import RestoreError
    from .vault_epochs import EpochFileDamaged

    if isinstance(exc, BindingError | PassphraseUnavailable | StoreConfigError):
        return EXIT_USAGE
    run_errors = (
        CoffreCryptoError,
        StoreError,
        FsError,
        VaultSetupError,
        JournalError,
        AccessRevoked,
        ReadOnlyDevice,
        RestoreError,
        EpochFileDamaged,
        IdentityError,
        OSError,
    )
    if _worded(exc):
        return EXIT_ERROR
    return EXIT_ERROR if isinstance(exc, run_errors) else None


def main(argv: Sequence[str] | None = None) -> int:
    code = run(argv)
    if "obstore" in sys.modules or _nothing_left_running():
        # Everything the command opened is closed by now: leave without finalizing.
        # - obstore's Rust worker threads can still be handing a finished request back to
        #   Python while the interpreter shuts down; a thread that takes the GIL then is
        #   killed by CPython in a way Rust turns into an abort (SIGABRT after the work,
        #   about one run in ten).
        # - A run over 100,000 files ends holding a few hundred thousand objects (the
        #   scan, Synced's stats); the interpreter's last collection and frees cost about
        #   0.1 s of a no-change `coffre sync` (issue 13), and the OS takes the memory
        #   back at once. Only when no other thread or child process is still running.
        import logging

        logging.shutdown()  # flushes and closes the log files
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: as the interpreter would (120)
                code = code or 120
        os._exit(code)
    return code


def _nothing_left_running() -> bool:
    """No thread but this one and no child process: finalizing would only free memory."""
    import threading

    if threading.active_count() != 1:
        return False
    if "multiprocessing" in sys.modules:
        import multiprocessing

        return not multiprocessing.active_children()
    return True


def prepare(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Everything before the command's own work: hardening, the parsed arguments, the log.

    What bench/cli_start.py times as "start to the command's work".
    """
    from .hardening import disable_core_dumps

    disable_core_dumps()
    args = build_parser().parse_args(argv)
    from .logs import setup_logging

    setup_logging("coffre")
    return args


def run(argv: Sequence[str] | None = None) -> int:
    """The command's exit code (what `main` exits with)."""
    args = prepare(argv)
    try:
        result = args.handler(args)
        if isinstance(result, Coroutine):
            result = _run(result)
        return int(result)
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        code = _exit_code_for(exc)
        if code is None:
            raise
        _err(_reason_text(exc.reason) if _worded(exc) else str(exc))
        return code


def _worded(exc: Exception) -> bool:
    """A refusal whose message is its typed reason, worded in app/messages.py."""
    from sync_engine.core.membership import MembershipRefused
    from sync_engine.vault.epoch_keys import EpochRefused
    from sync_engine.vault.upgrade import UpgradeRefused

    return isinstance(exc, EpochRefused | MembershipRefused | UpgradeRefused)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    # Run `app.cli` itself, not this `__main__` copy: command modules (app/cli_*.py) import
    # app.cli, and its CliError must be the one `run` catches.
    from app.cli import main as package_main

    sys.exit(package_main())
