"""Shared test setup: Qt renders offscreen unless a display is asked for explicitly."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.servers.seaweedfs", "tests.servers.webdav"]
