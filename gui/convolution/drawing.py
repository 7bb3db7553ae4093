"""A small canvas to draw an image on, pixel by pixel: the network's input, live.

Left button draws (the cell under the pointer gets full ink, its four neighbours some),
right button erases; ``imageChanged`` carries the new (H, W) array in [0, 1].
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from gui.convolution.pictures import grey_image
from gui.widgets.colors import BACKGROUND, INK

NEIGHBOUR_INK = 0.35      # what the brush adds to the four cells next to the one under it


class DigitCanvas(QWidget):
    imageChanged = Signal(object)      # (H, W) float array, a copy

    def __init__(self, height: int = 8, width: int = 8, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("digitCanvas")
        self.setToolTip("Draw a digit: left button draws, right button erases")
        self.setMinimumSize(120, 120)
        self.image = np.zeros((height, width))

    def clear(self) -> None:
        self.image[...] = 0.0
        self.update()
        self.imageChanged.emit(self.image.copy())

    def _square(self) -> QRectF:
        side = min(self.width(), self.height()) - 2.0
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (row, column) under widget point (x, y), or None outside the canvas."""
        square = self._square()
        if not square.contains(x, y):
            return None
        rows, cols = self.image.shape
        row = min(int((y - square.top()) / square.height() * rows), rows - 1)
        col = min(int((x - square.left()) / square.width() * cols), cols - 1)
        return row, col

    def paint_at(self, row: int, col: int, erase: bool = False) -> None:
        """One touch of the brush (or the eraser) at (row, col)."""
        if erase:
            self.image[max(row - 1, 0):row + 2, max(col - 1, 0):col + 2] = 0.0
        else:
            self.image[row, col] = 1.0
            for r, c in ((row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1)):
                if 0 <= r < self.image.shape[0] and 0 <= c < self.image.shape[1]:
                    self.image[r, c] = min(1.0, self.image[r, c] + NEIGHBOUR_INK)
        self.update()
        self.imageChanged.emit(self.image.copy())

    def _stroke(self, event) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        buttons = event.buttons()
        if cell is not None and buttons & (Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton):
            self.paint_at(*cell, erase=bool(buttons & Qt.MouseButton.RightButton))

    def mousePressEvent(self, event) -> None:
        self._stroke(event)

    def mouseMoveEvent(self, event) -> None:
        self._stroke(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(*BACKGROUND))
        square = self._square()
        painter.drawImage(square, grey_image(self.image))
        painter.setPen(QColor(*INK))
        painter.drawRect(square)
        painter.end()
