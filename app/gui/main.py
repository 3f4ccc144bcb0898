"""Entry point of `coffre-app`."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from app.gui.main_window import launch
from app.gui.wizard.first_start import first_start, prepare_app


def main() -> int:
    qt_app = QApplication(sys.argv)
    qt_app.setApplicationName("Coffre")
    qt_app.setOrganizationName("Coffre")
    settings = prepare_app()  # proxy and language, before any window
    if not first_start(settings):  # nothing configured: the setup wizard
        return 0
    _window = launch(settings=settings)  # window, tray, every folder's sync; alive until exit
    return qt_app.exec()


if __name__ == "__main__":
    sys.exit(main())
