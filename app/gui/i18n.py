"""Translations: compile the `.ts` sources to `.qm` when needed, and load them at start.

Sources live in `translations/<name>_<lang>.ts` (one pair per part of the GUI:
`wizard_*` for the setup wizard and settings, `main_*` for the main window and
tray, `messages_*` for the sentences of app/messages.py that word the engine's
typed reasons; `describe` below translates those through the same catalogue).
`.qm` files are build products, never committed: `ensure_compiled`
runs `lrelease` (PySide6-Essentials ships it) on any `.ts` whose `.qm` is
missing or older, into the translations folder when it is writable, else into
the user cache. At start `install_translators` loads every `*_<lang>.qm` plus
Qt's own `qtbase_<lang>.qm` (standard buttons and dialogs).

    python -m app.gui.i18n compile          # build the .qm files now
    python -m app.gui.i18n update [GROUP]   # re-run lupdate over a group's sources (all groups
                                            # by default: wizard, main, messages)
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from platformdirs import user_cache_path
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app import messages
from crypto.reason import Reason

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS_DIR = ROOT / "translations"
LANGUAGES = ("fr", "en")
FALLBACK_LANGUAGE = "en"  # the source strings are English

# Which sources each .ts pair covers (paths relative to the repository root).
TS_GROUPS: dict[str, tuple[str, ...]] = {
    "wizard": (
        "app/gui/wizard/*.py",
        "app/gui/settings_dialog.py",
        "app/gui/widgets.py",
    ),
    "main": (
        "app/gui/main_window.py",
        "app/gui/move_store_dialog.py",
        "app/gui/tray.py",
        "app/gui/notifications.py",
        "app/gui/views/*.py",
    ),
    "messages": ("app/messages.py",),
}


def _pyside_tool(name: str) -> list[str] | None:
    """A Qt tool (`lrelease`, `lupdate`) from the PySide6 wheel, a venv script, or PATH."""
    try:
        import PySide6

        bundled = Path(PySide6.__file__).parent / name
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return [str(bundled)]
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    for candidate in (
        Path(sys.executable).parent / f"pyside6-{name}",
        shutil.which(f"pyside6-{name}"),
    ):
        if candidate and Path(candidate).is_file():
            return [str(candidate)]
    system = shutil.which(name) or shutil.which(f"{name}-qt6")
    return [system] if system else None


def _writable(directory: Path) -> bool:
    return directory.is_dir() and os.access(directory, os.W_OK)


def qm_dir(ts_dir: Path = TRANSLATIONS_DIR) -> Path:
    """Where compiled .qm files go: next to the sources if writable, else the user cache.

    A frozen bundle (PyInstaller, packaging/build-bundle.sh) ships its .qm files,
    compiled at build time, in `translations/` beside the modules: ROOT is then
    the bundle's folder, and those are used as they are.
    """
    if _writable(ts_dir) or getattr(sys, "frozen", False):
        return ts_dir
    return user_cache_path("Coffre", appauthor=False) / "translations"


def ensure_compiled(ts_dir: Path = TRANSLATIONS_DIR, out_dir: Path | None = None) -> list[Path]:
    """Compile every .ts whose .qm is missing or stale; return all .qm files available."""
    out = out_dir or qm_dir(ts_dir)
    sources = sorted(ts_dir.glob("*.ts")) if ts_dir.is_dir() else []
    stale = [
        ts
        for ts in sources
        if not (out / ts.with_suffix(".qm").name).exists()
        or (out / ts.with_suffix(".qm").name).stat().st_mtime < ts.stat().st_mtime
    ]
    if stale:
        tool = _pyside_tool("lrelease")
        if tool is None:
            log.warning("lrelease not found: the interface stays in English")
        else:
            out.mkdir(parents=True, exist_ok=True)
            for ts in stale:
                target = out / ts.with_suffix(".qm").name
                result = subprocess.run(
                    [*tool, "-silent", str(ts), "-qm", str(target)],
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )
                if result.returncode != 0:
                    log.warning("lrelease failed on %s: %s", ts.name, result.stderr.strip())
    return sorted(out.glob("*.qm")) if out.is_dir() else []


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The UI language: the setting, or the system's when "system"; English if unsupported."""
    if setting in LANGUAGES:
        return setting
    locale = system or QLocale.system()
    for name in locale.uiLanguages():
        code = name.split("-")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return FALLBACK_LANGUAGE


_installed: list[QTranslator] = []


def install_translators(language: str, ts_dir: Path = TRANSLATIONS_DIR) -> str:
    """Load Coffre's and Qt's translations for `language` ("system", "fr", "en").

    Replaces what an earlier call installed. Returns the language used.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translations")
    lang = resolve_language(language)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.French if lang == "fr" else QLocale.Language.English)
    )
    qm_files = [p for p in ensure_compiled(ts_dir) if p.stem.endswith(f"_{lang}")]
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{lang}", qt_dir)] + [(p.stem, str(p.parent)) for p in qm_files]
    for name, directory in candidates:
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            _installed.append(translator)
        elif not name.startswith("qtbase_") or lang != FALLBACK_LANGUAGE:
            log.info("no translation %s in %s", name, directory)
    return lang


def interface_language() -> str:
    """The language `install_translators` chose ("fr" or "en"), from the default locale."""
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


def translate_message(source: str) -> str:
    """A sentence of app/messages.py in the language installed by `install_translators`."""
    return QCoreApplication.translate(messages.CONTEXT, source)


def describe(reason: Reason) -> str:
    """The engine's typed reason as a sentence in the interface's language."""
    return messages.describe(reason, translate_message)


def describe_error(exc: BaseException) -> str:
    """An exception's reason as a sentence in the interface's language."""
    return messages.describe_error(exc, translate_message)


def action(reason: Reason) -> str:
    """What a person can do about a folder stopped by `reason`, in the interface's language."""
    return messages.action(reason, translate_message)


def update_sources(group: str = "wizard", root: Path = ROOT) -> list[Path]:
    """Re-run lupdate over a group's sources into its `_fr.ts` and `_en.ts` (keeps translations)."""
    tool = _pyside_tool("lupdate")
    if tool is None:
        raise RuntimeError("pyside6-lupdate is not installed")
    files = sorted(str(p) for pattern in TS_GROUPS[group] for p in root.glob(pattern))
    targets = [root / "translations" / f"{group}_{lang}.ts" for lang in LANGUAGES]
    targets[0].parent.mkdir(exist_ok=True)
    subprocess.run(
        [*tool, *files, "-no-obsolete", "-locations", "none", "-ts", *map(str, targets)],
        check=True,
        timeout=120,
    )
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "compile"
    if command == "compile":
        for path in ensure_compiled():
            print(path)
        return 0
    if command == "update":
        for group in args[1:] or list(TS_GROUPS):
            for path in update_sources(group):
                print(path)
        return 0
    print("usage: python -m app.gui.i18n [compile | update [GROUP]]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
