"""The store address shown to join from another computer: complete, and never a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.folders import Binding
from app.join_info import join_info
from app.paths import default_store_dir


def _binding(store: str) -> Binding:
    return Binding("/home/a/Coffre", store, "v" * 32, "d" * 32, "bureau", "f" * 16)


def test_a_shared_folder_store_is_given_as_its_path(tmp_path: Path) -> None:
    store = tmp_path / "partage" / "coffre équipe"
    info = join_info(_binding(store.as_uri()))
    assert info.address == str(store)
    assert info.command == f"coffre join --store '{store}' --folder ~/Coffre"
    assert not info.on_this_computer_only and not info.needs_credentials


def test_the_default_store_is_said_to_be_on_this_computer_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COFFRE_HOME", str(tmp_path))
    assert join_info(_binding(default_store_dir().as_uri())).on_this_computer_only


def test_an_s3_store_keeps_its_endpoint_and_needs_keys() -> None:
    info = join_info(_binding("s3://mairie/coffre?endpoint=https://s3.mairie.fr:9000"))
    assert info.address == "s3://mairie/coffre?endpoint=https://s3.mairie.fr:9000"
    assert info.needs_credentials


def test_a_webdav_address_never_shows_a_password() -> None:
    info = join_info(_binding("webdavs://agent:motdepasse@dav.mairie.fr/coffre/"))
    assert "motdepasse" not in info.address and "motdepasse" not in info.command


def test_the_default_setup_is_taken_once_its_store_or_folder_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.paths import default_setup_taken, default_sync_folder

    monkeypatch.setenv("COFFRE_HOME", str(tmp_path / "coffre"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert not default_setup_taken(["/srv/autre"])
    assert default_setup_taken([str(default_sync_folder().resolve())])
    default_store_dir().mkdir(parents=True)
    assert default_setup_taken([])
