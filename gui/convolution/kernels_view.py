"""A convolution's kernels as small images: per filter a block of one cell per input channel
(at most 8), the blocks in a grid.

Blue weights are positive, orange negative, on one colour scale for the layer; hovering a
kernel shows its numbers (``text_at``).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from gui.convolution.hover import PictureView
from gui.convolution.maps_view import grid
from gui.convolution.pictures import largest, signed_image

Array = np.ndarray


def kernel_text(kernel: Array, name: str) -> str:
    """The numbers of one k × k kernel, a row per line."""
    rows = "\n".join("  ".join(f"{value:+.3f}" for value in row) for row in kernel)
    return f"{name}\n{rows}"


class KernelsView(PictureView):
    """Paints kernels (F, C, k, k) — ``set_kernels(kernels, layer_name)``."""

    MARGIN, GAP = 6.0, 3.0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kernelsView")
        self.setMinimumSize(120, 200)
        self.layer_name = ""

    @property
    def kernels(self) -> Array | None:
        return self.picture

    def set_kernels(self, kernels: Array, layer_name: str) -> None:
        self.layer_name = layer_name
        self.set_picture(np.array(kernels, dtype=np.float64))

    def paint_picture(self, painter: QPainter, kernels: Array) -> None:
        filters, channels = kernels.shape[:2]
        shown = min(channels, 8)                          # channels per filter, side by side
        width, height = self.width() - 2 * self.MARGIN, self.height() - 2 * self.MARGIN
        across, side = grid(filters, width / shown, height, self.GAP)
        side = min(side, 72.0)
        vmax = largest(kernels)
        for f in range(filters):
            row, place = divmod(f, across)
            top = self.MARGIN + row * (side + self.GAP)
            left = self.MARGIN + place * shown * (side + self.GAP) + place * 2 * self.GAP
            for ch in range(shown):
                rect = QRectF(left + ch * (side + self.GAP), top, side, side)
                painter.drawImage(rect, signed_image(kernels[f, ch], vmax))
                self.cells.append((rect, kernel_text(kernels[f, ch],
                                                     f"{self.layer_name} filter {f}, channel {ch}")))
