"""The tray's state icons, drawn with QPainter: one colour and one shape per state.

Shapes differ as well as colours, so the states stay distinct for people who
do not tell the colours apart and on monochrome panels.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from app.activity import TrayState

SIZE = 64
COLOURS = {
    TrayState.UP_TO_DATE: "#2e7d32",
    TrayState.SYNCING: "#1565c0",
    TrayState.PAUSED: "#757575",
    TrayState.OFFLINE: "#9e9e9e",
    TrayState.ERROR: "#c62828",
    TrayState.LOCKED: "#6a1b9a",
    TrayState.CONFLICT: "#ef6c00",
}


def _glyph(p: QPainter, state: TrayState) -> None:
    white = QPen(QColor("white"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    white.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(white)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if state is TrayState.UP_TO_DATE:  # a tick
        p.drawPolyline([QPointF(19, 33), QPointF(28, 42), QPointF(45, 23)])
    elif state is TrayState.SYNCING:  # two arrows chasing each other
        p.drawArc(QRectF(18, 18, 28, 28), 30 * 16, 140 * 16)
        p.drawArc(QRectF(18, 18, 28, 28), 210 * 16, 140 * 16)
        p.drawPolyline([QPointF(14, 26), QPointF(19, 33), QPointF(25, 27)])
        p.drawPolyline([QPointF(50, 38), QPointF(45, 31), QPointF(39, 37)])
    elif state is TrayState.PAUSED:  # two bars
        p.drawLine(QPointF(26, 20), QPointF(26, 44))
        p.drawLine(QPointF(38, 20), QPointF(38, 44))
    elif state is TrayState.OFFLINE:  # a cloud crossed out
        cloud = QPainterPath()
        cloud.addEllipse(QRectF(16, 28, 16, 14))
        cloud.addEllipse(QRectF(24, 20, 20, 20))
        cloud.addEllipse(QRectF(36, 28, 14, 14))
        p.setPen(QPen(QColor("white"), 4))
        p.drawPath(cloud.simplified())
        p.setPen(white)
        p.drawLine(QPointF(18, 18), QPointF(46, 46))
    elif state is TrayState.ERROR:  # an exclamation mark
        p.drawLine(QPointF(32, 17), QPointF(32, 36))
        p.drawPoint(QPointF(32, 46))
    elif state is TrayState.LOCKED:  # a padlock
        p.drawArc(QRectF(24, 15, 16, 18), 0, 180 * 16)
        p.drawLine(QPointF(24, 24), QPointF(24, 30))
        p.drawLine(QPointF(40, 24), QPointF(40, 30))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(QRectF(19, 30, 26, 18), 3, 3)
    else:  # conflict: two opposite arrows
        p.drawLine(QPointF(18, 26), QPointF(46, 26))
        p.drawPolyline([QPointF(40, 20), QPointF(46, 26), QPointF(40, 32)])
        p.drawLine(QPointF(46, 40), QPointF(18, 40))
        p.drawPolyline([QPointF(24, 34), QPointF(18, 40), QPointF(24, 46)])


def state_pixmap(state: TrayState, size: int = SIZE) -> QPixmap:
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(COLOURS[state]))
    if state is TrayState.CONFLICT:  # a rounded square: a different outline too
        p.drawRoundedRect(QRectF(4, 4, 56, 56), 12, 12)
    else:
        p.drawEllipse(QRectF(4, 4, 56, 56))
    _glyph(p, state)
    p.end()
    if size != SIZE:
        return pixmap.scaled(size, size, mode=Qt.TransformationMode.SmoothTransformation)
    return pixmap


@cache
def state_icon(state: TrayState) -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        icon.addPixmap(state_pixmap(state, size))
    return icon
