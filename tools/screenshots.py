"""Render every screen of the desktop app, in French and in English, to PNG files.

    python tools/screenshots.py [--out docs/screenshots] [--lang fr en] [--only wizard]

Runs offscreen (no display needed) in a throwaway COFFRE_HOME and HOME, so
nothing of the person's own setup shows or changes. Prints each file written.

Screens come from providers: any module listed in PROVIDERS that defines
`screenshot_screens() -> list[tuple[name, factory]]`, where `factory()`
returns a widget ready to be shown. A module that does not exist yet, or has
no such function, is skipped; `register(name, factory)` adds one by hand.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVIDERS = (
    "app.gui.wizard.screens",
    "app.gui.settings_dialog",
    "app.gui.main_window",
    "app.gui.tray",
    "app.gui.views",
    "app.gui.notifications",
    "app.gui.screens",  # the main window, tray menu and passphrase dialog with sample data
)
LANGUAGES = ("fr", "en")

Factory = Callable[[], object]
_extra: list[tuple[str, Factory]] = []


def register(name: str, factory: Factory) -> None:
    """Add a screen by hand (for a provider outside PROVIDERS)."""
    _extra.append((name, factory))


def collect_screens() -> list[tuple[str, Factory]]:
    screens: list[tuple[str, Factory]] = []
    for module_name in PROVIDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that part of the app does not exist yet
            raise
        provider = getattr(module, "screenshot_screens", None)
        if provider is not None:
            screens.extend(provider())
    screens.extend(_extra)
    names = [name for name, _ in screens]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SystemExit(f"screen names used twice: {', '.join(sorted(duplicates))}")
    return screens


def _settle(app: object, seconds: float = 0.2) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def render(out_dir: Path, languages: Sequence[str], only: str | None = None) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QWidget

    from app.gui.i18n import install_translators

    app = QApplication.instance() or QApplication(["coffre-screenshots"])
    app.setApplicationName("Coffre")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for lang in languages:
        install_translators(lang)
        for name, factory in collect_screens():
            if only and only not in name:
                continue
            widget = factory()
            if not isinstance(widget, QWidget):
                raise TypeError(f"the factory of {name} returned {type(widget).__name__}")
            widget.show()
            _settle(app)
            target = out_dir / f"{name}-{lang}.png"
            if not widget.grab().save(str(target)):
                raise SystemExit(f"could not write {target}")
            written.append(target)
            print(target)
            widget.hide()
            widget.deleteLater()
            _settle(app, 0.02)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--only", help="only the screens whose name contains this text")
    args = parser.parse_args(argv)
    out_dir = args.out.resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="coffre-screenshots-") as scratch:
        home = Path(scratch) / "agent"
        home.mkdir()
        os.environ["HOME"] = str(home)
        os.environ["COFFRE_HOME"] = str(Path(scratch) / "coffre-home")
        os.environ["XDG_CONFIG_HOME"] = str(home / ".config")
        os.environ["COFFRE_POLICY_FILE"] = str(Path(scratch) / "no-policy.json")
        written = render(out_dir, args.lang, args.only)
        from app.gui.async_runner import shared_runner

        shared_runner().close()
    print(f"{len(written)} screenshots in {out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
