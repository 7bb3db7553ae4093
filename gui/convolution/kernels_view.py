"""A convolution's kernels as small images: one row per filter, one cell per input channel.

Blue weights are positive, orange negative, on one colour scale for the layer; hovering a
kernel shows its numbers (``text_at``).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from gui.convolution.hover import HoverCells
from gui.convolution.pictures import largest, signed_image
from gui.widgets.colors import BACKGROUND, INK

Array = np.ndarray


def kernel_text(kernel: Array, name: str) -> str:
    """The numbers of one k × k kernel, a row per line."""
    rows = "\n".join("  ".join(f"{value:+.3f}" for value in row) for row in kernel)
    return f"{name}\n{rows}"


class KernelsView(HoverCells):
    """Paints kernels (F, C, k, k) — ``set_kernels(kernels, layer_name)``."""

    MARGIN, GAP, LABEL = 6.0, 3.0, 26.0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kernelsView")
        self.setMinimumSize(120, 200)
        self.kernels: Array | None = None
        self.layer_name = ""

    def set_kernels(self, kernels: Array, layer_name: str) -> None:
        self.kernels = np.array(kernels, dtype=np.float64)
        self.layer_name = layer_name
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(*BACKGROUND))
        self.cells = []
        if self.kernels is not None:
            filters, channels = self.kernels.shape[:2]
            shown_channels = min(channels, 8)
            side = min((self.width() - 2 * self.MARGIN - self.LABEL) / shown_channels - self.GAP,
                       (self.height() - 2 * self.MARGIN) / filters - self.GAP)
            vmax = largest(self.kernels)
            painter.setPen(QColor(*INK))
            for f in range(filters):
                top = self.MARGIN + f * (side + self.GAP)
                painter.drawText(QRectF(self.MARGIN, top, self.LABEL, side), Qt.AlignmentFlag.AlignCenter, str(f))
                for ch in range(shown_channels):
                    rect = QRectF(self.MARGIN + self.LABEL + ch * (side + self.GAP), top, side, side)
                    painter.drawImage(rect, signed_image(self.kernels[f, ch], vmax))
                    self.cells.append((rect, kernel_text(self.kernels[f, ch],
                                                          f"{self.layer_name} filter {f}, channel {ch}")))
        painter.end()
