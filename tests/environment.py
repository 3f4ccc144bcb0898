"""What to do when a test's real component is missing from this machine.

On a developer's machine a test that needs root, a Secret Service, Apache or
`mount` is skipped with the reason. Under `tools/test.sh` (CI, and the
README's test command), which installs and starts all of them, a missing one
is a failure: a real path silently skipped would be a hole in the suite.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ALL = os.environ.get("COFFRE_TESTS_REQUIRE_ALL") == "1"


def unavailable(reason: str) -> None:
    """Skip for `reason`, or fail with it where everything must be present."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (tools/test.sh provides it: required here)", pytrace=False)
    pytest.skip(reason)
