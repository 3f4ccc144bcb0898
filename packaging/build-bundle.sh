#!/usr/bin/env bash
# Builds the self-contained one-folder bundle (PyInstaller) into dist/coffre/:
# dist/coffre/coffre and dist/coffre/coffre-app run without a Python installation.
#
#   bash packaging/build-bundle.sh            # uses .venv (pip install -e '.[dev]')
#   PYTHON=/path/to/python bash packaging/build-bundle.sh
#
# The same spec builds the Windows and macOS bundles on those systems
# (packaging/windows/build.ps1, packaging/macos/build-pkg.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
python="${PYTHON:-$root/.venv/bin/python}"
work="$root/build/pyinstaller"
qm="$work/qm"
rm -rf "$work" "$root/dist/coffre"
mkdir -p "$qm"

# Translations: compiled here, shipped as .qm inside the bundle (app/gui/i18n.py finds them).
"$python" - "$qm" <<'PY'
import sys
from pathlib import Path
from app.gui.i18n import TRANSLATIONS_DIR, ensure_compiled
out = ensure_compiled(TRANSLATIONS_DIR, Path(sys.argv[1]))
if not out:
    sys.exit("no translation could be compiled (lrelease missing?)")
PY

COFFRE_ROOT="$root" COFFRE_QM_DIR="$qm" "$python" -m PyInstaller --noconfirm --clean \
    --log-level WARN --distpath "$root/dist" --workpath "$work" packaging/pyinstaller/coffre.spec
echo "bundle: $root/dist/coffre"
