"""Latency by default: another device's change reaches a running device fast, idle costs little.

With the default LiveConfig (what `coffre watch` and the app use), on real stores:
a folder store on the local disk, where the OS's notifications on `heads/` wake
the receiving device, and SeaweedFS behind a counting proxy, where `heads/` is
polled every second while the folder is active, one LIST per poll; and an
Apache WebDAV server likewise, one PROPFIND per poll.
The full figures (median, p90, idle CPU and requests) are bench/latency.py's.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from sync_engine.live import LiveConfig
from sync_engine.stores.base import Store
from sync_engine.stores.open_store import open_store
from sync_engine.stores.url import S3Spec, WebDavSpec
from tests.faultproxy import FaultProxy
from tests.servers.seaweedfs import TEST_BUCKET, SeaweedFS
from tests.servers.webdav import WebDavServer
from tests.test_live import Network, eventually, idle

DEFAULT = LiveConfig()
OLD_ACTIVE_POLL_S = 10.0  # the poll interval before: a change waited for it


async def test_on_a_folder_store_a_new_head_wakes_the_other_device(tmp_path: Path) -> None:
    net = Network(tmp_path)
    try:
        a = await net.device("alpha", DEFAULT)
        b = await net.device("beta", DEFAULT)
        await idle(a)
        await idle(b)
        a.write("first.txt", b"makes heads/ exist")
        await eventually(lambda: b.has("first.txt", b"makes heads/ exist"))
        await eventually(lambda: b.live.remote_notifications)
        await idle(b)

        # B's timed poll is now a safety net at the idle interval (60 s): only the
        # notification can bring the change in this time.
        assert DEFAULT.idle_poll_s >= 60
        data = os.urandom(50_000)
        started = time.monotonic()
        a.write("docs/second.bin", data)
        await eventually(lambda: b.has("docs/second.bin", data), timeout=DEFAULT.idle_poll_s / 2)
        elapsed = time.monotonic() - started
        assert elapsed < DEFAULT.idle_poll_s / 2, f"{elapsed:.1f} s: not woken by the notification"
    finally:
        await net.close()


async def changes_arrive_fast_and_idle_polls_are_one_request(
    proxy: FaultProxy,
    make: Callable[[], Store],
    tmp_path: Path,
    is_poll: Callable[[str, str], bool],
) -> None:
    """Two devices with default settings on a polled store (S3, WebDAV), behind `proxy`."""
    net = Network(tmp_path, make)
    try:
        a = await net.device("alpha", DEFAULT)
        b = await net.device("beta", DEFAULT)
        await idle(a)
        await idle(b)
        assert not b.live.remote_notifications, "no notifications here: polled"

        data = os.urandom(80_000)
        started = time.monotonic()
        a.write("report.bin", data)
        await eventually(lambda: b.has("report.bin", data), timeout=OLD_ACTIVE_POLL_S)
        elapsed = time.monotonic() - started
        assert elapsed < OLD_ACTIVE_POLL_S * 0.8, f"{elapsed:.1f} s: not polled every second"

        # Both devices quiet: what goes to the store is polls of heads/, one request each.
        await idle(a)
        await idle(b)
        await asyncio.sleep(1.5)  # the rounds that followed the change have ended
        seen = len(proxy.requests)
        window = 4.0
        await asyncio.sleep(window)
        sent = list(proxy.requests)[seen:]
        assert sent, "the idle devices stopped polling"
        for method, target in sent:
            assert is_poll(method, target), (method, target)
        most = 2 * (window / DEFAULT.active_poll_s + 1)  # two devices, one request per poll
        assert len(sent) <= most, f"{len(sent)} requests in {window} s"
    finally:
        await net.close()


async def test_on_s3_changes_arrive_fast_and_an_idle_poll_is_one_list(
    seaweedfs: SeaweedFS, tmp_path: Path
) -> None:
    seaweedfs.start()  # another test may have killed it
    prefix = f"latency-{secrets.token_hex(5)}"
    with FaultProxy(seaweedfs.host, seaweedfs.port, seed=0) as proxy:

        def make() -> Store:
            spec = S3Spec(TEST_BUCKET, prefix, endpoint=proxy.url)
            return open_store(spec, seaweedfs.credentials())

        def is_poll(method: str, target: str) -> bool:
            return (
                method == "GET" and "list-type=2" in target and f"prefix={prefix}%2Fheads" in target
            )

        await changes_arrive_fast_and_idle_polls_are_one_request(proxy, make, tmp_path, is_poll)


async def test_on_webdav_changes_arrive_fast_and_an_idle_poll_is_one_propfind(
    webdav_server: WebDavServer, webdav_collection: str, tmp_path: Path
) -> None:
    with FaultProxy(webdav_server.host, webdav_server.port, seed=0) as proxy:
        base = f"/dav/{webdav_collection}/"

        def make() -> Store:
            return open_store(WebDavSpec(f"{proxy.url}{base}"), webdav_server.credentials)

        def is_poll(method: str, target: str) -> bool:
            return method == "PROPFIND" and target.endswith(f"{base}heads/")

        await changes_arrive_fast_and_idle_polls_are_one_request(proxy, make, tmp_path, is_poll)
