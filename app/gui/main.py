"""Entry point of `coffre-app`.

coffre-app               the window (the setup wizard first, when nothing is configured)
coffre-app --autostart   what the login item runs: hidden in the tray, no dialog at login
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from app.gui.main_window import launch
from app.gui.wizard import needs_setup
from app.gui.wizard.first_start import first_start, prepare_app
from app.hardening import disable_core_dumps
from app.settings import AUTOSTART_FLAG


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    autostart = AUTOSTART_FLAG in args[1:]
    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication(args)
    qt_app.setApplicationName("Coffre")
    qt_app.setOrganizationName("Coffre")
    qt_app.setQuitOnLastWindowClosed(True)  # until launch() knows whether there is a tray
    if autostart and needs_setup():
        return 0  # at login with nothing set up: no wizard out of the blue
    disable_core_dumps()  # the process will hold vault keys
    settings = prepare_app()  # proxy and language, before any window
    started = first_start(settings)  # nothing configured: the setup wizard
    if started is None:
        return 0
    # Window, tray, every folder's sync; alive until the app quits.
    _window = launch(settings=settings, unlocks=started.unlocks, autostart=autostart)
    return qt_app.exec()


if __name__ == "__main__":
    sys.exit(main())
