"""Accessibility checks any GUI test can run on a window: `assert_accessible(widget)`.

For every interactive widget the person can see (buttons, fields, lists,
tabs...), it checks what a screen reader and a keyboard user rely on:
- an accessible name, as Qt's accessibility layer reports it (set explicitly,
  taken from a buddy label, or a button's text);
- a focus policy that lets Tab reach it, and a place in the window's focus
  chain;
- a sensible tab order: going round the focus chain follows reading order
  (top to bottom, left to right in a row), with a single wrap-around.
Parts inside another interactive widget (a spin box's line edit, a tab bar's
scroll arrows, scroll bars) are the parent's business and are skipped.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE: tuple[type[QWidget], ...] = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractSlider,
    QAbstractItemView,
    QTabBar,
)
ROW_TOLERANCE = 6  # pixels: widgets whose tops differ by less are on the same row


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    name = iface.text(QAccessible.Text.Name) if iface is not None and iface.isValid() else ""
    return (name or widget.accessibleName()).replace("&", "").strip()


def _describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) else ""
    return f"{type(widget).__name__}({widget.objectName() or label or accessible_name(widget)!r})"


def _is_part_of_other(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, INTERACTIVE):
            return True
        parent = parent.parentWidget()
    return False


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """The widgets a person can use in `root` as it is shown now."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QScrollBar):
            continue
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if _is_part_of_other(widget, root):
            continue
        found.append(widget)
    return found


def focus_chain(root: QWidget) -> list[QWidget]:
    """Root's focus chain (bounded walk), as Tab goes round it."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    limit = len(root.findChildren(QWidget)) + 2
    while widget is not None and widget is not root and len(chain) < limit:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _tab_reachable(widget: QWidget, widgets: list[QWidget]) -> bool:
    """Tab reaches it; for a radio button in an exclusive group, Tab reaches the group (Qt
    gives Tab focus to the checked one only) and the arrow keys move within it."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return True
    if isinstance(widget, QRadioButton):
        group = widget.group()
        if group is not None and group.exclusive():
            peers = [b for b in group.buttons() if b in widgets]
        elif widget.autoExclusive():
            peers = [
                w for w in widgets if isinstance(w, QRadioButton) and w.parent() is widget.parent()
            ]
        else:
            peers = []
        return any(p.focusPolicy() & Qt.FocusPolicy.TabFocus for p in peers)
    return False


def accessibility_problems(root: QWidget) -> list[str]:
    if not root.isVisible():
        root.show()
    QApplication.processEvents()
    problems: list[str] = []
    widgets = interactive_widgets(root)
    for widget in widgets:
        if not accessible_name(widget):
            problems.append(f"{_describe(widget)} has no accessible name (nor a buddy label)")
        if not _tab_reachable(widget, widgets):
            problems.append(f"{_describe(widget)} cannot be reached with the Tab key")
    wanted = set(widgets)
    # A focus proxy (e.g. a path picker forwarding to its field) stands for its owner.
    ordered = [w for w in focus_chain(root) if w in wanted]
    for widget in widgets:
        if widget not in ordered:
            problems.append(f"{_describe(widget)} is not in the window's focus chain")
    if len(ordered) > 1:
        positions = [w.mapTo(root, QPoint(0, 0)) for w in ordered]
        backward = []
        for i, here in enumerate(positions):
            there = positions[(i + 1) % len(positions)]
            same_row = abs(there.y() - here.y()) < ROW_TOLERANCE
            if there.y() < here.y() - ROW_TOLERANCE or (same_row and there.x() < here.x()):
                backward.append((ordered[i], ordered[(i + 1) % len(ordered)]))
        if len(backward) > 1:
            jumps = ", ".join(f"{_describe(a)} -> {_describe(b)}" for a, b in backward)
            problems.append(f"the tab order goes backwards more than once: {jumps}")
    return problems


def assert_accessible(root: QWidget) -> None:
    problems = accessibility_problems(root)
    assert not problems, "\n".join(problems)
