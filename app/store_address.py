"""A store address as it may be shown to a person: everything but a secret.

`sync_engine.stores.url.redact` hides every query value, which is right for
logs but hid the S3 endpoint in the setup summary, the one thing the person
needs to check there. Store addresses never carry access keys (those live in
the OS keyring); this still removes a password typed into the address and
any query value whose name says it is secret.
"""

from __future__ import annotations

import re

SECRET_NAMES = ("password", "passwd", "secret", "token", "key", "signature", "credential")


def shown_address(address: str) -> str:
    text = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#:@]*):[^/?#@]*@", r"\1\2@", address)

    def hide(match: re.Match[str]) -> str:
        name = match.group(2)
        if any(word in name.lower() for word in SECRET_NAMES):
            return f"{match.group(1)}{name}=***"
        return match.group(0)

    return re.sub(r"([?&])([^=&#]+)=([^&#]*)", hide, text)
