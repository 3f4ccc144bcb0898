"""Process hardening done once at start (crypto/hardening.py: the engine's workers use it too)."""

from __future__ import annotations

from crypto.hardening import disable_core_dumps, is_dumpable

__all__ = ["disable_core_dumps", "is_dumpable"]
