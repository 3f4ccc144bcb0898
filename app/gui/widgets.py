"""Small widgets shared by the wizard, the dialogs and the views."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProxyStyle,
    QPushButton,
    QStyle,
    QStyleOption,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.passphrase_strength import Hint, Level, Strength, estimate


def add_restore_row(
    owner: QWidget, layout: QVBoxLayout, texts: RestoreRowTexts
) -> tuple[QPushButton, QPushButton, QLabel]:
    """The restore and refresh buttons and the result line under a list of restorable items.

    The texts come translated from the view, so each keeps its own wording.
    """
    buttons = QHBoxLayout()
    restore = QPushButton(texts.restore, owner)
    restore.setAccessibleName(texts.restore_name)
    refresh = QPushButton(texts.refresh, owner)
    refresh.setAccessibleName(texts.refresh_name)
    buttons.addWidget(restore)
    buttons.addStretch(1)
    buttons.addWidget(refresh)
    layout.addLayout(buttons)
    message = QLabel(owner)
    message.setWordWrap(True)
    message.setAccessibleName(texts.result_name)
    layout.addWidget(message)
    return restore, refresh, message


@dataclass(frozen=True)
class RestoreRowTexts:
    restore: str
    restore_name: str
    refresh: str
    refresh_name: str
    result_name: str


class StrengthMeter(QWidget):
    """A bar and a sentence saying how strong a passphrase is, and how to improve it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, int(Level.VERY_STRONG))
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName(self.tr("Passphrase strength"))
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.strength: Strength = estimate("")
        self.update_for("")

    def level_text(self, level: Level) -> str:
        return {
            Level.VERY_WEAK: self.tr("Very weak"),
            Level.WEAK: self.tr("Weak"),
            Level.FAIR: self.tr("Fair"),
            Level.STRONG: self.tr("Strong"),
            Level.VERY_STRONG: self.tr("Very strong"),
        }[level]

    def hint_text(self, hint: Hint) -> str:
        return {
            Hint.EMPTY: self.tr("Choose a passphrase."),
            Hint.TOO_SHORT: self.tr("Use at least 12 characters; a short sentence is ideal."),
            Hint.COMMON: self.tr("This is one of the first passwords an attacker tries."),
            Hint.REPEATED: self.tr("Avoid repeated characters or words."),
            Hint.SEQUENCE: self.tr("Avoid sequences such as abcd, 1234 or azerty."),
            Hint.ONE_CLASS: self.tr("Add words, digits or punctuation."),
            Hint.MORE_WORDS: self.tr("Add another word or two: length is what makes it strong."),
        }[hint]

    def advice(self, strength: Strength) -> str:
        """The most useful hint, about what was typed: it quotes the weak part."""
        hint = strength.hints[0]
        part = strength.fragment(hint)
        if hint is Hint.COMMON and part:
            return self.tr("“%1” is one of the first passwords an attacker tries.").replace(
                "%1", part
            )
        if hint is Hint.SEQUENCE and part:
            return self.tr("“%1” is a sequence an attacker tries first: avoid it.").replace(
                "%1", part
            )
        if hint is Hint.REPEATED and part:
            return self.tr("“%1” repeats one character: avoid repetitions.").replace("%1", part)
        if hint is Hint.TOO_SHORT and strength.missing_chars:
            return self.tr(
                "Add at least %1 more characters; a short sentence of several words is ideal."
            ).replace("%1", str(strength.missing_chars))
        if hint is Hint.ONE_CLASS and strength.level < Level.FAIR:
            return self.tr("Only letters: add another word, a digit or a punctuation mark.")
        return self.hint_text(hint)

    def update_for(self, passphrase: str) -> Strength:
        self.strength = estimate(passphrase)
        level = self.strength.level
        self.bar.setValue(int(level))
        colour = {0: "#c0392b", 1: "#d35400", 2: "#b7950b", 3: "#27ae60", 4: "#1e8449"}[int(level)]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background-color: {colour}; }}")
        text = self.tr("Strength: %1").replace("%1", self.level_text(level))
        if passphrase and self.strength.hints:
            text += " — " + self.advice(self.strength)
        elif not passphrase:
            text = self.hint_text(Hint.EMPTY)
        self.label.setText(text)
        self.bar.setAccessibleDescription(text)
        return self.strength


class PathPicker(QWidget):
    """A path field with a Browse button that opens the system's folder picker."""

    changed = Signal(str)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(accessible_name)
        self.button = QPushButton(self.tr("Browse…"), self)
        self.button.setAccessibleName(self.tr("Browse for %1").replace("%1", accessible_name))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.setTabOrder(self.edit, self.button)
        self.button.clicked.connect(self.browse)
        self.edit.textChanged.connect(self.changed)

    def browse(self) -> None:
        start = self.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), start)
        if chosen:
            self.edit.setText(chosen)

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)


class UnshiftedTabsStyle(QProxyStyle):
    """The app's style, except that tabs not selected keep their label where it is.

    Fusion draws a tab that is not selected two pixels lower and clips its top:
    the accent of "État" was cut off. Not shifting the label keeps it whole.
    """

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric is QStyle.PixelMetric.PM_TabBarTabShiftVertical:
            return 0
        return super().pixelMetric(metric, option, widget)


def keep_tab_accents(tabs: QTabWidget) -> None:
    style = UnshiftedTabsStyle()
    style.setParent(tabs)  # lives as long as the tabs
    tabs.tabBar().setStyle(style)
