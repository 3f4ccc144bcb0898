"""Entry point of `coffre-app`.

coffre-app               the window (the setup wizard first, when nothing is configured)
coffre-app --autostart   what the login item runs: hidden in the tray, no dialog at login
coffre-app --version     print the version and exit
coffre-app --self-test   start Qt, load translations and policy, quit (installer checks)

Qt is imported only after the system libraries its window plugin needs were
found (app/qt_libraries.py): without them the person is told which Debian
packages to install instead of Qt's own message.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app.gui.main_window import launch
from app.gui.wizard import needs_setup
from app.gui.wizard.first_start import first_start, prepare_app
from app.hardening import disable_core_dumps
from app.login_items import AUTOSTART_FLAG
from app.logs import setup_logging
from app.qt_libraries import explanation, missing_packages, uses_xcb


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    autostart = AUTOSTART_FLAG in args[1:]
    if "--version" in args[1:]:
        from importlib.metadata import version

        print(f"coffre-app {version('coffre')}")
        return 0
    if "PySide6.QtWidgets" not in sys.modules and uses_xcb():
        packages = missing_packages()
        if packages:  # Qt would abort with a message that helps nobody
            print(explanation(packages), file=sys.stderr)
            return 1

    from app.gui.gui_thread_gc import GuiThreadGarbageCollector
    from app.gui.stop_signals import StopSignals

    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(args)
    qt_app.setApplicationName("Coffre")
    qt_app.setOrganizationName("Coffre")
    qt_app.setQuitOnLastWindowClosed(True)  # until launch() knows whether there is a tray
    collector = GuiThreadGarbageCollector(qt_app)  # never free Qt objects on the engine's thread
    if "--self-test" in args[1:]:
        from app.gui.self_test import run_self_test

        return run_self_test(qt_app)
    if autostart and needs_setup():
        return 0  # at login with nothing set up: no wizard out of the blue
    disable_core_dumps()  # the process will hold vault keys
    setup_logging("coffre-app")
    settings = prepare_app()  # proxy and language, before any window
    started = first_start(settings)  # nothing configured: the setup wizard
    if started is None:
        return 0
    # Window, tray, every folder's sync; alive until the app quits.
    window = launch(settings=settings, unlocks=started.unlocks, autostart=autostart)
    stop = StopSignals(window.quit)
    try:
        return qt_app.exec()
    finally:
        stop.close()
        collector.stop()


if __name__ == "__main__":
    sys.exit(main())
