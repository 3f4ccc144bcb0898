"""A calm, non-modal message at the top of the window, for when there is no tray to notify."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("Notification"))
        layout = QHBoxLayout(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName(self.tr("Notification text"))
        self.close_button = QPushButton(self.tr("&Dismiss"), self)
        self.close_button.setAccessibleName(self.tr("Dismiss the notification"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self.hide()

    def show_message(self, title: str, text: str) -> None:
        self.label.setText(f"<b>{title}</b><br>{text}")
        self.show()
