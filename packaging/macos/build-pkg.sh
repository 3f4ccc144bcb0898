#!/usr/bin/env bash
# Builds Coffre.app and Coffre-<version>.pkg on macOS (documented; not run on the Linux CI).
#
#   bash packaging/macos/build-pkg.sh
#   sudo installer -pkg dist/Coffre-0.1.0.pkg -target /
#
# Needs: macOS 12+, Python 3.11 with the project's .venv (pip install -e '.[dev]'),
# Xcode command line tools (pkgbuild, productbuild, plutil). The .pkg installs
# /Applications/Coffre.app, the LaunchAgent /Library/LaunchAgents/fr.coffre.app.plist
# (start at login for every user) and /usr/local/bin/coffre. The organisation's policy
# comes with a configuration profile (fr.coffre.app.mobileconfig), never with the .pkg.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[ "$(uname)" = Darwin ] || { echo "build-pkg.sh runs on macOS only" >&2; exit 2; }
python="${PYTHON:-$root/.venv/bin/python}"
version="$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"

bash packaging/build-bundle.sh                     # dist/coffre: coffre, coffre-app, _internal/
stage="$root/build/macos"
rm -rf "$stage"
app="$stage/root/Applications/Coffre.app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources" "$stage/root/Library/LaunchAgents" \
    "$stage/scripts"
cp -R dist/coffre/. "$app/Contents/MacOS/"
ln -s coffre-app "$app/Contents/MacOS/Coffre"      # what the LaunchAgent runs
cat > "$app/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>CFBundleIdentifier</key><string>fr.coffre.app</string>
  <key>CFBundleName</key><string>Coffre</string>
  <key>CFBundleDisplayName</key><string>Coffre</string>
  <key>CFBundleExecutable</key><string>Coffre</string>
  <key>CFBundlePackageType</key><string>APPL</string>
  <key>CFBundleShortVersionString</key><string>$version</string>
  <key>CFBundleVersion</key><string>$version</string>
  <key>LSMinimumSystemVersion</key><string>12.0</string>
  <key>NSHighResolutionCapable</key><true/>
</dict></plist>
PLIST
plutil -lint "$app/Contents/Info.plist"
cp packaging/macos/fr.coffre.app.plist "$stage/root/Library/LaunchAgents/"
cat > "$stage/scripts/postinstall" <<'SH'
#!/bin/sh
mkdir -p /usr/local/bin
ln -sf /Applications/Coffre.app/Contents/MacOS/coffre /usr/local/bin/coffre
exit 0
SH
chmod 755 "$stage/scripts/postinstall"

# Sign before packaging (Developer ID Application), then notarize the .pkg:
#   codesign --force --deep --options runtime --timestamp -s "Developer ID Application: ..." "$app"
#   productsign --sign "Developer ID Installer: ..." in.pkg out.pkg
#   xcrun notarytool submit out.pkg --keychain-profile coffre --wait && xcrun stapler staple out.pkg
pkgbuild --root "$stage/root" --scripts "$stage/scripts" --identifier fr.coffre.app \
    --version "$version" --install-location / "$stage/Coffre-component.pkg"
productbuild --package "$stage/Coffre-component.pkg" "dist/Coffre-$version.pkg"
echo "dist/Coffre-$version.pkg"
