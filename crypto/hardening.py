"""Process hardening: no core dumps of a process that holds vault keys.

Done once at start by the CLI and the app, and by each worker process that
seals small files (sync_engine/small_files.py) before it is given the key.

A crash would otherwise write the process memory (the vault key, a typed
passphrase, decrypted file contents) to a core file, or hand it to a crash
collector such as systemd-coredump or apport. RLIMIT_CORE 0 stops the file;
PR_SET_DUMPABLE 0 (Linux) also stops ptrace attach by other processes of the
same user that are not its parent and core collection by pipes. Both are
best effort: a platform without them is left as it is, and this is logged at
debug level only.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def disable_core_dumps() -> None:
    try:
        import resource
    except ImportError:  # Windows: no core files; WER dumps are configured by policy
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError) as exc:
        log.debug("could not lower RLIMIT_CORE: %s", exc)
    if sys.platform.startswith("linux"):
        libc = _libc()
        if libc is not None and libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            log.debug("prctl(PR_SET_DUMPABLE, 0) failed")


def is_dumpable() -> bool | None:
    """Linux: whether the process may be dumped (None elsewhere); for tests and diagnostics."""
    if not sys.platform.startswith("linux"):
        return None
    libc = _libc()
    return None if libc is None else bool(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name or "libc.so.6", use_errno=True)
    except OSError:
        return None
