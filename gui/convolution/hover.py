"""A painted widget that names what lies under the mouse: each paint records its cells."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QToolTip, QWidget


class HoverCells(QWidget):
    """Subclasses add ``(rect, text)`` to ``cells`` while painting; hovering shows the text."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.cells: list[tuple[QRectF, str]] = []

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
