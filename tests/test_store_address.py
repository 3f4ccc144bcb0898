"""The store address in the setup summary: the endpoint shown, secrets never."""

from __future__ import annotations

from app.store_address import shown_address


def test_the_s3_endpoint_and_region_are_shown() -> None:
    address = "s3://mairie/coffre?endpoint=https://s3.mairie.fr:9000&region=fr-par"
    assert shown_address(address) == address


def test_passwords_and_secret_values_are_hidden() -> None:
    assert shown_address("webdavs://agent:motdepasse@dav.mairie.fr/c/") == (
        "webdavs://agent@dav.mairie.fr/c/"
    )
    assert shown_address("s3://b/p?endpoint=http://h&secret_key=abc") == (
        "s3://b/p?endpoint=http://h&secret_key=***"
    )
    assert shown_address("/mnt/partage/coffre") == "/mnt/partage/coffre"
