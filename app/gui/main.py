"""Entry point of `coffre-app`."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from app.gui.main_window import MainWindow


def main() -> int:
    qt_app = QApplication(sys.argv)
    qt_app.setApplicationName("Coffre")
    qt_app.setOrganizationName("Coffre")
    window = MainWindow()
    window.show()
    return qt_app.exec()


if __name__ == "__main__":
    sys.exit(main())
