"""A horizontal axis whose labelled ticks are never closer than their labels are wide.

pyqtgraph always labels its coarsest tick level, whatever the room: on a plot 150 pixels
wide an epoch axis wrote "2000", "4000", "6000" and "8000" into one another. This axis
widens the labelled spacing to the first of 1, 2, 5 × 10ᵏ that a label fits between;
finer tick marks that divide it stay as unlabelled marks.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from model.curves import nice_ceiling

LABEL_GAP = 12          # pixels, at least, between two tick labels


class SpacedAxis(pg.AxisItem):
    """``pg.AxisItem`` (bottom or top) whose labelled ticks are a label's width apart, at least."""

    def tickSpacing(self, minVal, maxVal, size):   # noqa: N802, N803 (pyqtgraph's names)
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or size <= 0 or not maxVal > minVal or self.orientation in ("left", "right"):
            return levels
        major = levels[0][0]
        metrics = QFontMetrics(self.style["tickFont"] or QApplication.font())
        texts = self.tickStrings([minVal, maxVal], self.scale, major)
        room = max(metrics.horizontalAdvance(text) for text in texts) + LABEL_GAP
        least = nice_ceiling((maxVal - minVal) * room / size)   # data units a label needs
        if least <= major:
            return levels
        major = least
        finer = [(spacing, offset) for spacing, offset in levels
                 if spacing < major and abs(major / spacing - round(major / spacing)) < 1e-6]
        return [(major, 0.0)] + finer[:1]
