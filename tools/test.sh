#!/usr/bin/env bash
# Installs what the test suite needs and runs it: lint, types, then pytest.
# Extra arguments go to pytest (e.g. `bash tools/test.sh -k crypto`).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: fonts and libraries for Qt offscreen, a D-Bus
# session and gnome-keyring for the real Secret Service; Apache httpd (mod_dav) as
# the WebDAV test server.
# The .deb test installs the package in a throwaway root: its Depends must be present
# (the libxcb-* and libxkbcommon-x11-0 that Qt's xcb plugin needs), and Xvfb shows that
# the installed app starts on an X11 display. wixl and msitools
# build and inspect the Windows MSI from packaging/windows/coffre.wxs.
debs=(python3-venv fonts-dejavu-core libegl1 libgl1 libx11-6 libxcb1 libxkbcommon0
      libfontconfig1 libglib2.0-0 libdbus-1-3 dbus gnome-keyring apache2
      libfreetype6 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
      libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
      xvfb xauth wixl msitools)
missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

.venv/bin/ruff check .
.venv/bin/mypy crypto sync_engine

export QT_QPA_PLATFORM=offscreen
# Everything the tests need is installed and started here: a test whose real
# component is missing fails instead of skipping (tests/environment.py).
export COFFRE_TESTS_REQUIRE_ALL=1
# One D-Bus session with an unlocked keyring for the whole run.
exec dbus-run-session -- sh -c \
    'echo -n coffre-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;
     exec .venv/bin/python -m pytest "$@"' pytest "$@"
