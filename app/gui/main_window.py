"""Coffre's main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from app.paths import default_store_dir, default_sync_folder


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Coffre"))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.status_label = QLabel(
            self.tr("Your files in {folder} will be kept in an encrypted vault in {store}.").format(
                folder=default_sync_folder(), store=default_store_dir()
            ),
            central,
        )
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.tr("Status"))
        layout.addWidget(self.status_label)
        self.setCentralWidget(central)
        self.resize(640, 400)
