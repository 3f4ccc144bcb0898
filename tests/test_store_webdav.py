"""WebDAV specifics against a real Apache mod_dav server (the contract is in test_stores.py)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import time
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest

from sync_engine.stores import (
    ObjectExists,
    PutMode,
    Secret,
    StoreAuthError,
    StoreConfigError,
    StoreError,
    StoreUnavailable,
    open_store,
    parse_store_url,
)
from sync_engine.stores.credentials import WebDavCredentials
from sync_engine.stores.errors import StoreProblem
from sync_engine.stores.webdav import CA_BUNDLE_ENV, CLAIM_PREFIX, WebDavStore, _retry_after
from tests.servers.webdav import WebDavServer, _free_port

CREATE = PutMode.CREATE


def _leftovers(folder: Path) -> list[str]:
    """Temporaries and claims of the store anywhere below `folder` on the server's disk."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.startswith("."))


async def test_wrong_password_is_auth_error_without_the_secret(
    webdav_server: WebDavServer, webdav_collection: str
) -> None:
    wrong = "not-the-password-" + secrets.token_hex(4)
    store = WebDavStore(
        webdav_server.base_url + webdav_collection,
        credentials=WebDavCredentials(user=webdav_server.user, password=Secret(wrong)),
    )
    try:
        for call in (store.list(""), store.get("a"), store.put("a", b"x")):
            with pytest.raises(StoreAuthError) as exc_info:
                await call
            message = str(exc_info.value)
            assert "401" in message and "password" in message
            assert wrong not in message and webdav_server.password not in message
            assert wrong not in repr(store)
    finally:
        await store.close()


async def test_missing_base_folder_is_config_error(webdav_server: WebDavServer) -> None:
    store = WebDavStore(
        webdav_server.base_url + "no-such-folder/",
        credentials=webdav_server.credentials,
    )
    try:
        for call in (store.list(""), store.list("heads/"), store.get("a"), store.put("a/b", b"x")):
            with pytest.raises(StoreConfigError, match=r"does not exist.*Create the folder"):
                await call
        with pytest.raises(StoreConfigError):
            await store.put("a", b"x", mode=CREATE)
        with pytest.raises(StoreConfigError):
            await store.delete("a")
    finally:
        await store.close()


async def test_nothing_listening_is_unavailable_quickly() -> None:
    store = WebDavStore(f"http://127.0.0.1:{_free_port()}/dav/")
    started = time.monotonic()
    try:
        for call in (store.list(""), store.head("a"), store.put("a", b"x")):
            with pytest.raises(StoreUnavailable, match="cannot connect"):
                await call
    finally:
        await store.close()
    assert time.monotonic() - started < 5


async def test_large_object_and_ranges(webdav_store: WebDavStore) -> None:
    data = os.urandom(20 << 20)
    info = await webdav_store.put("packs/ab/big", data, mode=CREATE)
    assert info.size == len(data)
    assert await webdav_store.get("packs/ab/big") == data
    assert (
        await webdav_store.get_range("packs/ab/big", 5 << 20, (5 << 20) + 100)
        == (data[5 << 20 : (5 << 20) + 100])
    )
    assert await webdav_store.get_range("packs/ab/big", len(data) - 3, len(data) + 10) == data[-3:]
    assert await webdav_store.get_range("packs/ab/big", len(data) + 1, len(data) + 9) == b""
    ranges = [(0, 10), (100, 200), (10 << 20, (10 << 20) + 7), ((19 << 20), 21 << 20)]
    assert await webdav_store.get_ranges("packs/ab/big", ranges) == [data[s:e] for s, e in ranges]


async def test_concurrent_create_from_separate_stores(
    webdav_server: WebDavServer, webdav_collection: str
) -> None:
    """Each store has its own connections and caches, like separate devices."""
    stores = [
        WebDavStore(
            webdav_server.base_url + webdav_collection, credentials=webdav_server.credentials
        )
        for _ in range(6)
    ]

    async def attempt(i: int, key: str) -> bool:
        try:
            await stores[i % len(stores)].put(key, f"writer {i}".encode(), mode=CREATE)
        except ObjectExists:
            return False
        return True

    try:
        for round_ in range(3):
            key = f"log/dev/{round_}"
            outcomes = await asyncio.gather(*(attempt(i, key) for i in range(18)))
            assert outcomes.count(True) == 1, round_
            winner = outcomes.index(True)
            assert await stores[0].get(key) == f"writer {winner}".encode()
        assert [i.key for i in await stores[1].list("log/")] == [
            "log/dev/0",
            "log/dev/1",
            "log/dev/2",
        ]
    finally:
        for store in stores:
            await store.close()
    assert _leftovers(webdav_server.root / webdav_collection) == []


async def test_no_temporaries_left_after_puts_and_failures(
    webdav_server: WebDavServer, webdav_collection: str, webdav_store: WebDavStore
) -> None:
    store = webdav_store
    await store.put("heads/dev", b"1")
    await store.put("heads/dev", b"2")
    await store.put("log/d/1", b"x", mode=CREATE)
    with pytest.raises(ObjectExists):
        await store.put("log/d/1", b"y", mode=CREATE)
    with pytest.raises(StoreError):
        await store.put("log/d/1/under-an-object", b"z", mode=CREATE)
    with pytest.raises(StoreError):
        await store.put("log", b"z", mode=CREATE)  # a folder of objects is in the way
    assert _leftovers(webdav_server.root / webdav_collection) == []
    assert [i.key for i in await store.list("")] == ["heads/dev", "log/d/1"]


async def test_claim_left_by_a_crashed_writer_is_broken(
    webdav_server: WebDavServer, webdav_collection: str, webdav_store: WebDavStore
) -> None:
    await webdav_store.put("log/d/0", b"first")
    folder = webdav_server.root / webdav_collection / "log" / "d"
    claim = folder / (CLAIM_PREFIX + hashlib.sha256(b"1").hexdigest()[:32])
    claim.mkdir()
    old = time.time() - 3600
    os.utime(claim, (old, old))
    await webdav_store.put("log/d/1", b"mine", mode=CREATE)
    assert await webdav_store.get("log/d/1") == b"mine"
    assert _leftovers(webdav_server.root / webdav_collection) == []


async def test_open_store_from_an_address(
    webdav_server: WebDavServer, webdav_collection: str
) -> None:
    webdav_server.mkcol(f"{webdav_collection}/x")  # never created implicitly
    spec = parse_store_url(f"webdav://127.0.0.1:{webdav_server.port}/dav/{webdav_collection}/x")
    store = open_store(spec, webdav_server.credentials)
    try:
        await store.put("coffre.json", b"{}", mode=CREATE)
        assert await store.get("coffre.json") == b"{}"
        assert (
            store.url
            == f"webdav://coffre@127.0.0.1:{webdav_server.port}/dav/{webdav_collection}/x/"
        )
    finally:
        await store.close()
    assert (webdav_server.root / webdav_collection / "x" / "coffre.json").read_bytes() == b"{}"


async def test_private_ca_bundle(
    webdav_tls_server: WebDavServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = webdav_tls_server
    assert server.ca_file is not None
    monkeypatch.delenv(CA_BUNDLE_ENV, raising=False)
    name = "t-" + secrets.token_hex(6)
    server.mkcol(name)

    untrusted = WebDavStore(server.base_url + name, credentials=server.credentials)
    try:
        with pytest.raises(StoreConfigError, match=r"not trusted.*ca_bundle") as exc_info:
            await untrusted.list("")
        assert server.password not in str(exc_info.value)
        assert exc_info.value.reason.kind == StoreProblem.TLS_UNTRUSTED  # worded by app/
    finally:
        await untrusted.close()

    address = server.address(name) + f"?ca_bundle={server.ca_file}"
    store = open_store(parse_store_url(address), server.credentials)
    try:
        await store.put("heads/dev", b"over tls")
        assert await store.get("heads/dev") == b"over tls"
    finally:
        await store.close()

    monkeypatch.setenv(CA_BUNDLE_ENV, str(server.ca_file))
    from_env = WebDavStore(server.base_url + name, credentials=server.credentials)
    try:
        assert [i.key for i in await from_env.list("")] == ["heads/dev"]
    finally:
        await from_env.close()


def test_unreadable_ca_bundle_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(StoreConfigError, match="CA bundle"):
        WebDavStore("https://127.0.0.1:1/dav/", ca_bundle=tmp_path / "missing.pem")


def test_retry_after_seconds_and_date() -> None:
    def response(value: str) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": value})

    assert _retry_after(response("7")) == 7.0
    later = time.time() + 30
    seconds = _retry_after(response(formatdate(later, usegmt=True)))
    assert seconds is not None and 25 <= seconds <= 31
    assert _retry_after(response("soon")) is None
    assert _retry_after(httpx.Response(503)) is None
