"""A view that paints one immutable picture and names what lies under the mouse.

Subclasses implement ``paint_picture(painter, picture)`` and add ``(rect, text)`` to
``cells`` for each thing they paint; hovering shows that text (``text_at``).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QToolTip, QWidget

from gui.widgets.colors import BACKGROUND


class PictureView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.picture: Any = None
        self.cells: list[tuple[QRectF, str]] = []

    def set_picture(self, picture: Any) -> None:
        self.picture = picture
        self.update()

    def paint_picture(self, painter: QPainter, picture: Any) -> None:
        raise NotImplementedError

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(*BACKGROUND))
        self.cells = []
        if self.picture is not None:
            self.paint_picture(painter, self.picture)
        painter.end()

    def text_at(self, point: QPointF) -> str | None:
        """The text of the cell under ``point`` (widget coordinates) in the last paint, or None."""
        for rect, text in self.cells:
            if rect.contains(point):
                return text
        return None

    def mouseMoveEvent(self, event) -> None:
        text = self.text_at(event.position())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)
