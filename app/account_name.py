"""The name a new identity gets when the person gives none: who the OS says they are."""

from __future__ import annotations

import os


def default_name() -> str:
    """The account's full name (GECOS) where the system has one, else the login name."""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError, AttributeError):
        pass
    import getpass

    return getpass.getuser()
