"""The organisation's policy: sources, precedence, store rules, failing closed, enrolment.

CLI checks run the real `coffre` in a subprocess with COFFRE_POLICY_FILE
pointing at a policy written by the test, and folder stores under tmp_path.
The Windows registry is a fake (winreg exists only on Windows); the JSON and
plist readers read real files.
"""

from __future__ import annotations

import json
import plistlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.policy.model import Policy, parse_policy, store_refusal
from app.policy.sources import load_policy, policy_from_plist_file, policy_from_registry
from app.session import policy_plan_limits
from app.settings import SettingsStore
from sync_engine.disk.ignore import IgnoreRules
from sync_engine.disk.localfs import DiskFs
from tests.e2e.conftest import EXIT_OK, EXIT_USAGE, PASSPHRASE, cli_env, run_cli


def write_policy(path: Path, settings: dict[str, Any], locked: list[str] | None = None) -> Path:
    path.write_text(json.dumps({"settings": settings, "locked": locked or []}), "utf-8")
    return path


# --- sources -------------------------------------------------------------------------------


class FakeRegistry:
    """HKLM as a dict of key path -> values (what Group Policy writes from the ADMX)."""

    def __init__(self, keys: dict[str, dict[str, Any]], error: OSError | None = None) -> None:
        self.keys = keys
        self.error = error

    def values(self, subkey: str) -> dict[str, Any] | None:
        if self.error is not None:
            raise self.error
        return self.keys.get(subkey)


def test_registry_enforced_values_lock_and_recommended_ones_are_defaults() -> None:
    registry = FakeRegistry(
        {
            r"Software\Policies\Coffre": {
                "store_url": "s3://coffre-mairie/agents",
                "upload_limit_kib_s": 512,
                "pause_on_metered": 0,  # a DWORD
            },
            r"Software\Policies\Coffre\allowed_stores": {"2": "s3://b/", "1": "s3://a/"},
            r"Software\Policies\Coffre\Recommended": {"language": "fr"},
        }
    )
    policy = policy_from_registry(registry)
    assert not policy.broken
    assert policy.values["pause_on_metered"] is False
    assert policy.values["allowed_stores"] == ["s3://a/", "s3://b/"]
    assert policy.locked == frozenset({"upload_limit_kib_s", "pause_on_metered"})
    store = SettingsStore(Path("/nonexistent/settings.json"), policy=policy)
    assert store.current.upload_limit_kib_s == 512 and store.current.language == "fr"
    assert not store.is_locked("language")
    assert load_policy("win32", registry=FakeRegistry({})) == Policy()


def test_unreadable_registry_fails_closed() -> None:
    policy = policy_from_registry(FakeRegistry({}, PermissionError(5, "Access is denied")))
    assert policy.broken
    assert store_refusal(policy, "s3://anything/at-all") is not None


def test_managed_preferences_plist(tmp_path: Path) -> None:
    path = tmp_path / "fr.coffre.app.plist"
    path.write_bytes(
        plistlib.dumps(
            {
                "store_url": "webdavs://dav.example.org/coffre/",
                "start_at_login": True,
                "Recommended": {"idle_poll_s": 120},
            }
        )
    )
    policy = policy_from_plist_file(path)
    assert policy.locked == frozenset({"start_at_login"})
    assert policy.values["idle_poll_s"] == 120
    path.write_bytes(b"not a plist")
    assert policy_from_plist_file(path).broken
    assert policy_from_plist_file(tmp_path / "absent.plist") == Policy()


def test_precedence_locked_over_person_over_policy_default_over_builtin(tmp_path: Path) -> None:
    policy = parse_policy(
        {
            "settings": {"upload_limit_kib_s": 100, "download_limit_kib_s": 200},
            "locked": ["upload_limit_kib_s"],
        },
        source="test",
    )
    settings = tmp_path / "settings.json"
    store = SettingsStore(settings, policy=policy)
    assert (store.current.upload_limit_kib_s, store.current.download_limit_kib_s) == (100, 200)
    assert store.current.idle_poll_s == 60  # built-in
    store.save(replace(store.current, upload_limit_kib_s=5, download_limit_kib_s=7))
    again = SettingsStore(settings, policy=policy)
    assert (again.current.upload_limit_kib_s, again.current.download_limit_kib_s) == (100, 7)


def test_invalid_values_and_unknown_names() -> None:
    policy = parse_policy(
        {
            "settings": {"upload_limit_kib_s": -3, "future_setting": 1, "log_level": "loud"},
            "locked": ["upload_limit_kib_s"],
        },
        source="test",
    )
    assert policy.broken
    assert any("upload_limit_kib_s" in p for p in policy.problems)
    assert any("log_level" in p for p in policy.problems)
    assert any("future_setting" in w for w in policy.warnings)
    newer = parse_policy({"settings": {"future_setting": 1}}, source="test")
    assert not newer.broken  # a policy written for a newer Coffre does not stop this one
    assert parse_policy({"settings": {}, "locked": ["proxy_url"]}, source="t").broken


def test_store_rules() -> None:
    policy = parse_policy(
        {
            "settings": {
                "store_url": "s3://org/agents/{user}",
                "allowed_stores": ["webdavs://dav.example.org/shared/"],
                "personal_vaults_allowed": False,
            }
        },
        source="test",
    )
    import getpass

    own = f"s3://org/agents/{getpass.getuser()}"
    assert store_refusal(policy, own) is None
    assert store_refusal(policy, own, creating=True) is None
    assert store_refusal(policy, "webdavs://dav.example.org/shared/team") is None
    assert store_refusal(policy, "webdavs://dav.example.org/shared-not/x") is not None
    assert store_refusal(policy, "s3://org/agents/someone-else") is not None
    assert store_refusal(policy, "webdavs://dav.example.org/shared/t", creating=True) is not None
    assert store_refusal(Policy(), "/any/folder", creating=True) is None


def test_it_ignore_patterns_cannot_be_negated(tmp_path: Path) -> None:
    (tmp_path / ".coffreignore").write_text("!*.pst\n*.iso\n")
    fs = DiskFs(tmp_path)
    fs.write_root_marker()
    rules = IgnoreRules.load(fs, ("*.pst", "cache/"))
    assert rules.is_ignored("mail/archive.pst")
    assert rules.is_ignored("a/cache", is_dir=True)
    assert rules.is_ignored("x.iso") and not rules.is_ignored("x.txt")
    assert not IgnoreRules.load(fs).is_ignored("archive.pst")
    (tmp_path / ".coffreignore").unlink()  # no .coffreignore: IT's patterns still apply
    assert IgnoreRules.load(fs, ("*.pst",)).is_ignored("a.pst")


def test_mass_delete_guard_follows_policy() -> None:
    policy = parse_policy(
        {"settings": {"mass_delete_min_files": 3, "mass_delete_percent": 20}}, source="t"
    )
    limits = policy_plan_limits(policy)
    assert (limits.mass_delete_min, limits.mass_delete_fraction) == (3, 0.2)


# --- the command line ----------------------------------------------------------------------


def _env(home: Path, policy: Path) -> dict[str, str]:
    env = cli_env(home, PASSPHRASE)
    env["COFFRE_POLICY_FILE"] = str(policy)
    return env


def test_locked_store_refuses_init_and_join_elsewhere(tmp_path: Path) -> None:
    org = tmp_path / "org-store"
    policy = write_policy(tmp_path / "policy.json", {"store_url": str(org)}, ["store_url"])
    env = _env(tmp_path / "home", policy)
    other = tmp_path / "personal-store"
    for command in ("init", "join"):
        proc = run_cli(
            [command, "--store", str(other), "--folder", str(tmp_path / command)],
            env=env,
            check_code=EXIT_USAGE,
        )
        assert "organisation's policy forbids" in proc.stderr
        assert not other.exists()
    run_cli(["init", "--store", str(org), "--folder", str(tmp_path / "ok")], env=env)


def test_broken_policy_stops_sync_of_a_bound_folder(tmp_path: Path) -> None:
    policy = write_policy(tmp_path / "policy.json", {})
    env = _env(tmp_path / "home", policy)
    folder = tmp_path / "folder"
    run_cli(["init", "--store", str(tmp_path / "store"), "--folder", str(folder)], env=env)
    (folder / "a.txt").write_text("a")
    policy.write_text('{"settings": {"store_url": ', "utf-8")  # cut short: unreadable
    proc = run_cli(["sync", "--folder", str(folder)], env=env, check_code=EXIT_USAGE)
    assert "cannot be used" in proc.stderr
    assert not (tmp_path / "store" / "objects").exists() or not any(
        (tmp_path / "store").rglob("*a.txt*")
    )
    assert run_cli(["policy"], env=env, check_code=1).stdout.count("BROKEN") == 1


def test_enrol_creates_then_joins_without_asking(tmp_path: Path) -> None:
    store = tmp_path / "org" / "{user}"
    policy = write_policy(
        tmp_path / "policy.json",
        {
            "store_url": str(store),
            "default_folder": str(tmp_path / "Coffre-{user}"),
            "disable_custom_folder": True,
        },
    )
    first = cli_env(tmp_path / "pc1", PASSPHRASE)
    proc = run_cli(["enrol", "--policy", str(policy)], env=first)
    assert "Recovery key" in proc.stdout
    import getpass

    folder = tmp_path / f"Coffre-{getpass.getuser()}"
    assert folder.is_dir()
    assert "already enrolled" in run_cli(["enrol", "--policy", str(policy)], env=first).stdout
    second = cli_env(tmp_path / "pc2", PASSPHRASE)
    (folder.parent / "elsewhere").mkdir()
    refused = run_cli(
        ["enrol", "--policy", str(policy), "--folder", str(folder.parent / "elsewhere")],
        env=second,
        check_code=EXIT_USAGE,
    )
    assert "another location is not allowed" in refused.stderr
    # The second computer gets its own folder location (another test home, same policy):
    policy2 = write_policy(
        tmp_path / "policy2.json",
        {"store_url": str(store), "default_folder": str(tmp_path / "pc2-folder")},
    )
    proc = run_cli(["enrol", "--policy", str(policy2)], env=second)
    assert "Enrolled" in proc.stdout and "Recovery key" not in proc.stdout
    no_pass = cli_env(tmp_path / "pc3", None)
    proc = run_cli(["enrol", "--policy", str(policy2)], env=no_pass, check_code=EXIT_USAGE)
    assert "COFFRE_PASSPHRASE" in proc.stderr


def test_policy_command_shows_limits_in_force(tmp_path: Path) -> None:
    policy = write_policy(
        tmp_path / "policy.json",
        {"upload_limit_kib_s": 300, "ignore_patterns": ["*.pst"]},
        ["upload_limit_kib_s"],
    )
    proc = run_cli(["policy", "--json"], env=_env(tmp_path / "home", policy))
    report = json.loads(proc.stdout)
    assert report["settings"]["upload_limit_kib_s"] == {"value": 300, "from": "locked"}
    assert report["settings"]["ignore_patterns"]["value"] == ["*.pst"]
    assert report["policy"]["broken"] is False
    assert EXIT_OK == 0


def test_min_free_disk_space_stops_downloads(tmp_path: Path) -> None:
    store = tmp_path / "store"
    free = write_policy(tmp_path / "free.json", {})
    tight = write_policy(tmp_path / "tight.json", {"min_free_disk_mib": 10_000_000})  # 10 TB
    first, second = tmp_path / "first", tmp_path / "second"
    env_a = _env(tmp_path / "home-a", free)
    run_cli(["init", "--store", str(store), "--folder", str(first)], env=env_a)
    (first / "big.bin").write_bytes(b"x" * 4096)
    run_cli(["sync", "--folder", str(first)], env=env_a)
    env_b = _env(tmp_path / "home-b", tight)
    run_cli(["join", "--store", str(store), "--folder", str(second)], env=env_b)
    proc = run_cli(["sync", "--folder", str(second)], env=env_b, check_code=None)
    assert proc.returncode != 0
    assert "keep 10000000 MiB free" in proc.stderr
    assert not (second / "big.bin").exists()
    env_b["COFFRE_POLICY_FILE"] = str(free)
    run_cli(["sync", "--folder", str(second)], env=env_b)
    assert (second / "big.bin").read_bytes() == b"x" * 4096


def test_start_at_login_opt_out_of_the_packages_autostart_entry(tmp_path: Path) -> None:
    from app.login_items import XdgAutostart

    system = tmp_path / "etc-xdg-autostart"
    item = XdgAutostart(tmp_path / "config", system_dirs=[system])
    assert not item.is_enabled()
    system.mkdir()
    (system / "coffre.desktop").write_text("[Desktop Entry]\nExec=coffre-app --autostart\n")
    assert item.is_enabled()  # the .deb's entry, for every user
    item.disable()  # the person's opt-out: a Hidden=true copy of their own
    assert "Hidden=true" in item.path.read_text() and not item.is_enabled()
    item.enable(["coffre-app", "--autostart"])
    assert item.is_enabled()
