"""Is every text a French window shows French? `english_texts(widget)` lists what is not.

It collects every text a person can see or hear in a widget tree as it is
shown now: window titles, labels, buttons, tooltips, placeholders, accessible
names and descriptions, tab titles, combo box items, list and table cells and
their headers, menu entries, wizard titles and buttons. Then each text is
checked three ways:

- an **untranslated catalogue source**: the text is the English source of a
  message of translations/*_fr.ts whose French differs (a string the code
  shows without translating, or a translation that did not load);
- an **engine sentence in English**: the text contains a piece of an English
  source sentence of app/messages.py (a reason worded without translation);
- **English words**: after removing paths, file names and quoted names, the
  text still holds two or more distinct English words from a list that
  French never uses (`the`, `could`, `your`, `folder`...).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import messages
from app.gui.i18n import TRANSLATIONS_DIR

# Words that mark a text as English: none is a French word (no "on", "a", "as"...).
# fmt: off
ENGLISH_WORDS = frozenset([
    "the", "is", "are", "was", "were", "been", "being", "could", "would", "should", "cannot",
    "can't", "don't", "doesn't", "isn't", "not", "and", "with", "this", "that", "these",
    "those", "your", "you", "please", "check", "again", "of", "to", "for", "from", "will",
    "has", "have", "had", "its", "it", "no", "into", "only", "than", "then", "when", "where",
    "which", "while", "who", "why", "what", "file", "files", "folder", "folders", "sync",
    "syncing", "synced", "storage", "store", "error", "errors", "wrong", "missing", "unlock",
    "locked", "passphrase", "settings", "open", "keep", "delete", "deleted", "waiting",
    "now", "last", "never", "items", "item", "changed", "added", "renamed", "found", "reached",
    "reach", "choose", "try",
])
# fmt: on
MIN_ENGINE_FRAGMENT = 14  # characters of an English sentence piece that betray it

_TAG = re.compile(r"<[^>]+>")
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"|'[^']*'")
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\d|%n")


@dataclass(frozen=True)
class Shown:
    where: str  # which widget and which property
    text: str


@dataclass(frozen=True)
class NotFrench:
    where: str
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} ({self.why})"


def _clean(text: str) -> str:
    text = _TAG.sub(" ", text).replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    return " ".join(text.split())


def _catalogue_sources() -> set[str]:
    """English sources of the French catalogues whose French reads differently."""
    found = set()
    for ts in TRANSLATIONS_DIR.glob("*_fr.ts"):
        for message in ET.parse(ts).getroot().iter("message"):
            source = _clean(message.findtext("source") or "")
            translation = message.find("translation")
            forms = [] if translation is None else [f.text or "" for f in translation.iter()]
            if source and all(_clean(f) != source for f in forms if f):
                found.add(source)
    return found


def _engine_fragments() -> set[str]:
    """Pieces of app/messages.py's English sentences, between their placeholders."""
    pieces = set()
    for source in messages.sources().values():
        for piece in _PLACEHOLDER.split(source):
            piece = piece.strip(" .,;:“”")
            if len(piece) >= MIN_ENGINE_FRAGMENT:
                pieces.add(piece)
    return pieces


WIZARD_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CommitButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CancelButton,
)

# Qt's own English for standard buttons (translated by qtbase_fr.qm when loaded).
QT_ENGLISH = frozenset({"Cancel", "Next >", "< Back", "Finish", "Help", "Commit", "Done", "Close"})
CATALOGUE = _catalogue_sources() | QT_ENGLISH
ENGINE_FRAGMENTS = _engine_fragments()


def why_not_french(text: str) -> str | None:
    """None if `text` may be shown by the French interface, else why not."""
    text = _clean(text)
    if not text:
        return None
    if text in CATALOGUE:
        return "untranslated catalogue source"
    for piece in ENGINE_FRAGMENTS:
        if piece in text:
            return f"English engine sentence ({piece!r})"
    plain = _QUOTED.sub(" ", text)
    tokens = [t for t in plain.split() if not re.search(r"[/\\@:.\d_]", t.strip(".,;:!?()"))]
    words = {w.lower() for t in tokens for w in _WORD.findall(t)}
    english = sorted(words & ENGLISH_WORDS)
    if len(english) >= 2:
        return f"English words {english}"
    return None


def _item_texts(view: QAbstractItemView, where: str, rows: int = 50) -> Iterable[Shown]:
    model = view.model()
    if model is None:
        return
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
    for column in range(columns):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            header = model.headerData(column, Qt.Orientation.Horizontal, role)
            if isinstance(header, str):
                yield Shown(f"{where} header {column}", header)
    for row in range(min(model.rowCount(), rows)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.AccessibleTextRole,
            ):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield Shown(f"{where} cell {row},{column}", value)


VERBATIM = "verbatim"  # a widget property: its text is not language (a command, an address)


def shown_texts(root: QWidget) -> list[Shown]:
    """Every text of `root` and its visible children, with where it is."""
    found: list[Shown] = []
    widgets = [root, *(w for w in root.findChildren(QWidget) if w.isVisibleTo(root))]
    for w in widgets:
        where = f"{type(w).__name__}({w.objectName() or w.accessibleName() or ''})"

        def add(what: str, text: object, where: str = where) -> None:
            if isinstance(text, str) and text.strip():
                found.append(Shown(f"{where}.{what}", text))

        if w is root or w.isWindow():
            add("windowTitle", w.windowTitle())
        add("toolTip", w.toolTip())
        add("statusTip", w.statusTip())
        add("whatsThis", w.whatsThis())
        add("accessibleName", w.accessibleName())
        add("accessibleDescription", w.accessibleDescription())
        if isinstance(w, QLabel):
            add("text", w.text())
        if isinstance(w, QAbstractButton):
            add("text", w.text())
        if isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit):
            add("placeholderText", w.placeholderText())
        # A field marked verbatim shows something to copy as it is (a command, an address).
        if isinstance(w, QLineEdit) and w.isReadOnly() and not w.property(VERBATIM):
            add("text", w.text())
        if isinstance(w, QTextEdit | QPlainTextEdit) and w.isReadOnly():
            add("text", w.toPlainText())
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"item {i}", w.itemText(i))
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                add(f"tab {i}", w.tabText(i))
                add(f"tab {i} toolTip", w.tabToolTip(i))
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(f"tab {i}", w.tabText(i))
        if isinstance(w, QGroupBox):
            add("title", w.title())
        if isinstance(w, QAbstractItemView):
            found.extend(_item_texts(w, where))
        if isinstance(w, QMenu):
            for action in w.actions():
                if action.isVisible():
                    add(f"action {action.text()!r}", action.text())
                    add(f"action {action.text()!r} toolTip", action.toolTip())
        if isinstance(w, QWizardPage):
            add("title", w.title())
            add("subTitle", w.subTitle())
        if isinstance(w, QWizard):
            for which in WIZARD_BUTTONS:
                button = w.button(which)
                if button is not None and button.isVisible():
                    add(f"button {which.name}", button.text())
    return found


def english_texts(root: QWidget) -> list[NotFrench]:
    """The texts of `root` (as shown now) that are not French."""
    return [
        NotFrench(s.where, s.text, why)
        for s in shown_texts(root)
        if (why := why_not_french(s.text)) is not None
    ]


def assert_french(root: QWidget, what: str = "") -> None:
    problems = english_texts(root)
    assert not problems, f"not French in {what or type(root).__name__}:\n" + "\n".join(
        map(str, problems)
    )
