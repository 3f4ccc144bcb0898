#!/usr/bin/env bash
# Builds Coffre.msi with wixl (msitools) from coffre.wxs and a Windows bundle folder:
#
#   bash packaging/windows/build-msi.sh BUNDLE_DIR [OUT.msi]
#
# BUNDLE_DIR is the PyInstaller one-folder bundle built on Windows (coffre.exe,
# coffre-app.exe, _internal\...): PyInstaller does not cross-compile, so on Linux this
# packages whatever tree it is given (the tests give it a placeholder tree). On Windows,
# build.ps1 builds the real bundle and the MSI with the WiX toolset from the same source.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="$(readlink -f "$1")"
python="${PYTHON:-$root/.venv/bin/python}"
version="$("$python" -c 'import tomllib; print(tomllib.load(open("'"$root"'/pyproject.toml","rb"))["project"]["version"])')"
out="$(readlink -f "${2:-$root/dist/Coffre-$version.msi}")"
work="$root/build/msi"
rm -rf "$work"
mkdir -p "$work" "$(dirname "$out")"
"$python" "$here/harvest.py" "$bundle" "$work/bundle-files.wxs"
cp "$here/coffre.wxs" "$work/coffre.wxs"
# wixl resolves the files' Source paths from the current folder, where the fragment is.
(cd "$work" && wixl --arch x64 -D Version="$version" -o "$out" coffre.wxs bundle-files.wxs 2> >(grep -v "no property named 'Secure'" | grep -v '^$' >&2))
# wixl ignores Property/@Secure: list the msiexec properties as secure ones by hand.
msibuild "$out" -q "UPDATE \`Property\` SET \`Value\` = 'OLDER_VERSION_FOUND;NEWER_VERSION_FOUND;STORE_URL;NO_AUTOSTART;NO_DESKTOP_SHORTCUT;INSTALLDIR' WHERE \`Property\` = 'SecureCustomProperties'"
echo "$out"
