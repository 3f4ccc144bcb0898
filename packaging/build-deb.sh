#!/usr/bin/env bash
# Builds dist/coffre_<version>_amd64.deb from the PyInstaller bundle (dist/coffre/,
# made by packaging/build-bundle.sh when missing; --rebuild makes it again).
#
# Installs: /opt/coffre (the bundle), /usr/bin/coffre and /usr/bin/coffre-app (links),
# the desktop entry and icon, /etc/xdg/autostart/coffre.desktop (a conffile), the policy
# example and JSON Schema in /usr/share/coffre/. /etc/coffre/policy.json is IT's: the
# package never ships, changes or removes it.
#
#   bash packaging/build-deb.sh [--rebuild]
#   apt install ./dist/coffre_0.1.0_amd64.deb
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="${PYTHON:-$root/.venv/bin/python}"
if [ "${1:-}" = "--rebuild" ] || [ ! -x dist/coffre/coffre ]; then
    bash packaging/build-bundle.sh
fi
version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
stage="$root/build/deb/coffre_${version}_amd64"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/etc/xdg/autostart" \
    "$stage/usr/share/coffre" "$stage/usr/share/doc/coffre"
cp -a dist/coffre "$stage/opt/coffre"
ln -s /opt/coffre/coffre "$stage/usr/bin/coffre"
ln -s /opt/coffre/coffre-app "$stage/usr/bin/coffre-app"
install -m644 packaging/linux/coffre.svg "$stage/usr/share/icons/hicolor/scalable/apps/coffre.svg"
# The menu entry: the autostart one without its autostart keys, and without the comments.
grep -v -e '^#' -e '^X-GNOME-Autostart' -e '^X-KDE-autostart' packaging/linux/coffre.desktop \
    > "$stage/usr/share/applications/coffre.desktop"
# At login: hidden in the tray (--autostart), for every user; a person opts out in the app.
grep -v '^#' packaging/linux/coffre.desktop | sed 's/^Exec=coffre-app$/Exec=coffre-app --autostart/' \
    > "$stage/etc/xdg/autostart/coffre.desktop"
install -m644 packaging/linux/policy.example.json packaging/linux/policy.schema.json \
    "$stage/usr/share/coffre/"
install -m644 docs/deployment.md docs/deploiement.md "$stage/usr/share/doc/coffre/"
cat > "$stage/usr/share/doc/coffre/copyright" <<TXT
Coffre $version
License: EUPL-1.2
The bundle in /opt/coffre includes Python, Qt (LGPL-3.0, PySide6) and the Python
packages listed in /opt/coffre/_internal/*.dist-info, each under its own licence.
TXT
echo "/etc/xdg/autostart/coffre.desktop" > "$stage/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
cat > "$stage/DEBIAN/control" <<CTL
Package: coffre
Version: $version
Architecture: amd64
Maintainer: Coffre <coffre@localhost>
Installed-Size: $size
Depends: libc6 (>= 2.36), libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-randr0, libxcb-render-util0, libxcb-shape0
Recommends: gnome-keyring | kwalletmanager
Section: net
Priority: optional
Homepage: https://coffre.example
Description: end-to-end encrypted file sync to storage your organisation controls
 Coffre keeps folders in sync through a folder, S3 or WebDAV store, encrypting
 everything before it leaves the computer. IT can preset and lock its settings
 in /etc/coffre/policy.json (see /usr/share/coffre/policy.example.json).
CTL
cat > "$stage/DEBIAN/postinst" <<'SH'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
SH
chmod 755 "$stage/DEBIAN/postinst"
mkdir -p dist
out="dist/coffre_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$out" >/dev/null
rm -rf "$stage"
echo "$out"
