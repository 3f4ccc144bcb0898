# Builds Coffre's Windows bundle and MSI on Windows (not run on the Linux CI machines).
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs: Python 3.11 (x64) on PATH, the WiX Toolset 3.14 (candle.exe, light.exe on PATH).
# Produces dist\coffre\ (PyInstaller one-folder: coffre.exe, coffre-app.exe) and
# dist\Coffre-<version>.msi from the same coffre.wxs that CI builds with wixl.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root

python -m venv .venv-win
.\.venv-win\Scripts\python -m pip install -q -e ".[dev]"
$py = "$root\.venv-win\Scripts\python.exe"
$version = & $py -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

# Translations compiled into the bundle (app/gui/i18n.py finds them beside the modules).
$qm = "$root\build\pyinstaller\qm"
New-Item -ItemType Directory -Force $qm | Out-Null
& $py -c "import sys; from pathlib import Path; from app.gui.i18n import TRANSLATIONS_DIR, ensure_compiled; sys.exit(0 if ensure_compiled(TRANSLATIONS_DIR, Path(r'$qm')) else 1)"

$env:COFFRE_ROOT = "$root"
$env:COFFRE_QM_DIR = $qm
& $py -m PyInstaller --noconfirm --clean --distpath "$root\dist" --workpath "$root\build\pyinstaller" packaging\pyinstaller\coffre.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

$work = "$root\build\msi"
New-Item -ItemType Directory -Force $work | Out-Null
& $py packaging\windows\harvest.py dist\coffre "$work\bundle-files.wxs"
Copy-Item packaging\windows\coffre.wxs $work
Push-Location $work
candle.exe -nologo -arch x64 -dVersion=$version coffre.wxs bundle-files.wxs
if ($LASTEXITCODE -ne 0) { throw "candle failed" }
light.exe -nologo -sval -out "$root\dist\Coffre-$version.msi" coffre.wixobj bundle-files.wixobj
if ($LASTEXITCODE -ne 0) { throw "light failed" }
Pop-Location

# Sign both programs and the MSI with the organisation's code-signing certificate here
# (signtool sign /fd SHA256 /tr <timestamp server> ...) before distributing them.
Write-Output "dist\Coffre-$version.msi"
