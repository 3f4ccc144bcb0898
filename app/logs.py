"""Coffre's log files: rotating, in the platform's log folder, at the policy's level.

    Linux    ~/.local/state/Coffre/log/coffre.log (platformdirs' user_log_path)
    Windows  %LOCALAPPDATA%\\Coffre\\Logs\\coffre.log
    macOS    ~/Library/Logs/Coffre/coffre.log
    COFFRE_HOME set: <COFFRE_HOME>/logs/coffre.log

Five files of 2 MiB at most (coffre.log, coffre.log.1 ... .4), so support can
ask for them and a disk never fills. The level is the policy's `log_level`
(info by default); nothing at info and above names a file or carries a secret.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_log_path

from .paths import coffre_home

log = logging.getLogger(__name__)

LOG_FILE = "coffre.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 4
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_LEVELS["error"] = logging.ERROR
NOISY_LIBRARIES = ("httpx", "httpcore", "hpack", "h2", "watchdog", "keyring", "asyncio")


def log_dir() -> Path:
    if os.environ.get("COFFRE_HOME"):
        return coffre_home() / "logs"
    return user_log_path("Coffre", appauthor=False)


_handler: logging.Handler | None = None


def setup_logging(program: str, level_name: str | None = None) -> Path | None:
    """Send Coffre's log records to the rotating file (once per process).

    `level_name` defaults to the policy's log_level. Returns the file, or None
    when it cannot be opened (a read-only home): Coffre runs on without it.
    """
    global _handler
    if level_name is None:
        from .policy.sources import load_policy

        level_name = str(load_policy().get("log_level"))
    level = _LEVELS.get(level_name, logging.INFO)
    path = log_dir() / LOG_FILE
    root = logging.getLogger()
    if _handler is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
            )
        except OSError:
            return None
        handler.setFormatter(logging.Formatter(FORMAT.replace("%(name)s", f"{program} %(name)s")))
        root.addHandler(handler)
        _handler = handler
    _handler.setLevel(level)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    for chatty in NOISY_LIBRARIES:  # one line per HTTP request would drown everything else
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
    log.info("%s started (log level %s)", program, level_name)  # where each run begins
    return path


def log_files() -> list[Path]:
    """The current log file and its rotated predecessors, newest first."""
    directory = log_dir()
    names = [LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)]
    return [directory / n for n in names if (directory / n).is_file()]
