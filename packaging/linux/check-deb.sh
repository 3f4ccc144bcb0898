#!/usr/bin/env bash
# Installs a Coffre .deb in a throwaway root and checks it, then removes it:
#
#   sudo bash packaging/linux/check-deb.sh dist/coffre_0.1.0_amd64.deb
#
# The throwaway root is this machine's own root seen through an overlay (upper layer in
# RAM, in a private mount namespace): dpkg, the Depends check and the programs run for
# real, yet nothing reaches the machine. Each check prints "ok: ..." or stops with
# "FAILED: ...". Root is needed (unshare, mount, chroot, dpkg).
set -euo pipefail
deb="$(readlink -f "$1")"
[ "$(id -u)" -eq 0 ] || { echo "FAILED: run as root"; exit 1; }
if [ "${COFFRE_CHECK_INSIDE:-}" != 1 ]; then
    exec env COFFRE_CHECK_INSIDE=1 unshare --mount --propagation private -- bash "$0" "$deb"
fi
top="$(mktemp -d /tmp/coffre-deb-check.XXXXXX)"
mount -t tmpfs tmpfs "$top"
mkdir -p "$top/upper" "$top/work" "$top/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$top/root"
r="$top/root"
for d in proc sys dev; do mount --rbind "/$d" "$r/$d"; done
mount -t tmpfs tmpfs "$r/tmp"
cp "$deb" "$r/tmp/coffre.deb"
in_root() { chroot "$r" env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 "$@"; }
fail() { echo "FAILED: $*"; exit 1; }

rm -rf "$r/opt/coffre" "$r/etc/coffre" "$r/srv/coffre-check"
in_root dpkg -i /tmp/coffre.deb >/dev/null || fail "dpkg -i"
echo "ok: dpkg -i"
for f in /opt/coffre/coffre /opt/coffre/coffre-app /usr/share/applications/coffre.desktop \
         /etc/xdg/autostart/coffre.desktop /usr/share/icons/hicolor/scalable/apps/coffre.svg; do
    [ -e "$r$f" ] || fail "missing $f"
done
[ ! -e "$r/etc/coffre/policy.json" ] || fail "the package ships /etc/coffre/policy.json"
echo "ok: files in place, no policy shipped"
# No Python: the bundle must not need one (the host's is hidden from the bundle's PATH).
version="$(in_root /usr/bin/coffre --version)" || fail "coffre --version"
echo "ok: coffre --version: $version"
app="$(in_root /usr/bin/coffre-app --version)" || fail "coffre-app --version"
echo "ok: coffre-app --version: $app"
selftest="$(in_root env QT_QPA_PLATFORM=offscreen /usr/bin/coffre-app --self-test 2>&1)" \
    || fail "coffre-app --self-test: $selftest"
echo "$selftest" | grep -q "self-test: ok" || fail "self-test output: $selftest"
echo "ok: coffre-app starts offscreen ($(echo "$selftest" | tr '\n' ';'))"
# Every library the bundle links to is found (the Depends are enough on this system).
missing="$(in_root sh -c 'find /opt/coffre -name "*.so*" -type f -exec ldd {} + 2>/dev/null' \
    | grep "not found" | sort -u || true)"
[ -z "$missing" ] || fail "libraries not found: $missing"
echo "ok: every bundled library resolves"
# On a real X display (Xvfb) with Qt's xcb plugin, as on a desktop.
if [ -x "$r/usr/bin/xvfb-run" ]; then
    xcb="$(in_root timeout 120 xvfb-run -a env QT_QPA_PLATFORM=xcb /usr/bin/coffre-app --self-test 2>&1)" \
        || fail "coffre-app --self-test on X11: $xcb"
    echo "$xcb" | grep -q "qt: xcb platform" || fail "xcb self-test output: $xcb"
    echo "ok: coffre-app starts on an X11 display (xcb)"
else
    echo "note: xvfb-run is not installed: the X11 start was not checked"
fi

# A locked policy, as IT installs it.
mkdir -p "$r/etc/coffre" "$r/srv/coffre-check"
cat > "$r/etc/coffre/policy.json" <<'JSON'
{"settings": {"store_url": "/srv/coffre-check/org-store", "upload_limit_kib_s": 256,
              "default_folder": "~/Coffre", "ignore_patterns": ["*.pst"]},
 "locked": ["upload_limit_kib_s"]}
JSON
set +e
refused="$(in_root env COFFRE_PASSPHRASE=check-passphrase-123 /usr/bin/coffre init \
    --store /srv/coffre-check/personal --folder /root/elsewhere 2>&1)"
code=$?
set -e
[ "$code" = 2 ] || fail "init on another store exited $code: $refused"
echo "$refused" | grep -q "organisation's policy forbids" || fail "refusal text: $refused"
[ ! -e "$r/srv/coffre-check/personal" ] || fail "the refused store was created"
echo "ok: custom store refused (exit 2)"
enrol="$(in_root env COFFRE_PASSPHRASE=check-passphrase-123 /usr/bin/coffre enrol 2>&1)" \
    || fail "enrol: $enrol"
[ -e "$r/srv/coffre-check/org-store" ] && [ -d "$r/root/Coffre" ] || fail "enrol: $enrol"
echo "ok: enrolled in the policy's store"
echo "hello" > "$r/root/Coffre/note.txt"
echo "mail" > "$r/root/Coffre/archive.pst"
in_root env COFFRE_PASSPHRASE=check-passphrase-123 /usr/bin/coffre sync --folder /root/Coffre \
    >/dev/null 2>&1 || fail "sync"
files="$(in_root /usr/bin/coffre status --folder /root/Coffre --json | grep '"files"')"
echo "$files" | grep -q '"files": 1' || fail "IT's ignore pattern not applied: $files"
echo "ok: sync ran; *.pst ignored by policy"
limits="$(in_root /usr/bin/coffre policy --json)" || fail "coffre policy"
echo "$limits" | tr -d ' \n' | grep -q '"upload_limit_kib_s":{"value":256,"from":"locked"}' \
    || fail "limit in force: $limits"
echo "ok: upload limit 256 KiB/s locked by policy"

in_root dpkg -r coffre >/dev/null || fail "dpkg -r"
[ ! -e "$r/opt/coffre" ] || fail "/opt/coffre left after dpkg -r: $(find "$r/opt/coffre" | head)"
[ ! -e "$r/usr/bin/coffre" ] && [ ! -e "$r/usr/bin/coffre-app" ] || fail "links left"
[ -e "$r/etc/coffre/policy.json" ] || fail "dpkg -r removed IT's policy"
echo "ok: dpkg -r removed /opt/coffre and the links, kept IT's policy"
in_root dpkg -P coffre >/dev/null || fail "dpkg -P"
[ ! -e "$r/etc/xdg/autostart/coffre.desktop" ] || fail "autostart entry left after purge"
echo "ok: dpkg -P removed the autostart entry"
echo "all checks passed"
