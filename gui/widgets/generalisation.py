"""What the loss plot adds about generalisation: the gap shaded, the best epoch marked.

The area between the training and the test loss is shaded — the generalisation gap,
test loss − training loss — and a dotted line marks the epoch of the lowest test loss
so far (what early stopping would keep). ``message`` says, in the model's words
(``model.overfitting``), when the run is overfitting.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem

from model.overfitting import overfitting_message

GAP_BRUSH = (214, 96, 77, 60)          # a light red: the test loss above the training loss
#: The shading is drawn through at most this many epochs (evenly picked): it is a tint, and
#: pyqtgraph's FillBetweenItem rebuilt its path point by point (54 ms at 2,000 epochs).
MAX_GAP_POINTS = 1000
BEST_COLOUR = "#2a7a3a"
WARNING_COLOUR = "#a04a00"


class GeneralisationOverlay:
    """Gap shading and best-epoch marker on a plot with a train and a test curve."""

    def __init__(self, plot_item: pg.PlotItem):
        self.gap = QGraphicsPathItem()
        self.gap.setBrush(pg.mkBrush(*GAP_BRUSH))
        self.gap.setPen(pg.mkPen(None))
        self.gap.setZValue(-5)
        self.gap.setToolTip("The generalisation gap: test loss − training loss")
        plot_item.addItem(self.gap, ignoreBounds=True)
        self.best = pg.InfiniteLine(angle=90, pen=pg.mkPen(BEST_COLOUR, width=1.5, style=Qt.DotLine),
                                    label="best", labelOpts={"position": 0.55, "color": BEST_COLOUR,
                                                          "fill": (255, 255, 255, 200)})
        self.best.setZValue(15)
        self.best.hide()
        plot_item.addItem(self.best, ignoreBounds=True)
        self.best_epoch: int | None = None
        self.message: str | None = None
        self._plot_item = plot_item
        self._title: str | None = None            # shown
        self._wanted_title: str | None = None     # its longest form
        self._width: float | None = None          # the plot's, once a resize said it
        self._set_title(" ")             # the title row is always there: nothing jumps when it fills

    def update(self, epochs: np.ndarray, train: np.ndarray, test: np.ndarray, x: np.ndarray | None = None,
               log_y: bool = False) -> None:
        """Shade the gap, place the best-epoch line and work out the overfitting message (history as
        drawn); ``x``: where each epoch is on the axis (default the epochs), ``log_y``: a log axis."""
        finite = np.isfinite(test)
        self.gap.setVisible(bool(finite.any()))
        self._shade(epochs if x is None else x, train, test, log_y)
        if not finite.any():
            self.best.hide()
            self.best_epoch, self.message = None, None
            self._set_title(" ")
            return
        best = int(np.nanargmin(np.where(finite, test, np.nan)))
        self.best_epoch = int(epochs[best])
        self.best.setValue(self.best_epoch)
        self.best.label.setFormat(f"best: epoch {self.best_epoch}")
        self.best.show()
        self.message = overfitting_message(train[finite], test[finite], epochs[finite])
        self._set_title(f"overfitting since epoch {self.best_epoch}" if self.message else " ")

    def fit_title(self, width: float) -> None:
        """Write the title again for a plot ``width`` pixels wide (after a resize)."""
        self._width = width
        self._set_title(self._wanted_title, force=True)

    def _shade(self, x: np.ndarray, train: np.ndarray, test: np.ndarray, log_y: bool) -> None:
        """The closed polygon along the training loss and back along the test loss."""
        both = np.isfinite(train) & np.isfinite(test)
        x, low, high = x[both], train[both], test[both]
        if len(x) < 2:
            self.gap.setPath(QPainterPath())
            return
        picked = np.unique(np.linspace(0, len(x) - 1, min(len(x), MAX_GAP_POINTS)).astype(int))
        x, low, high = x[picked], low[picked], high[picked]
        if log_y:
            low, high = np.log10(low), np.log10(high)
        path = pg.arrayToQPath(np.concatenate([x, x[::-1]]).astype(float),
                               np.concatenate([low, high[::-1]]).astype(float))
        path.closeSubpath()
        self.gap.setPath(path)

    def _set_title(self, text: str, force: bool = False) -> None:
        """Show ``text``, or on a narrow plot the longest form of it that fits: "overfitting since
        epoch 281" → "overfitting since 281" → "overfitting"."""
        if text == self._wanted_title and not force:
            return
        self._wanted_title = text
        font = QFont()
        font.setPointSizeF(10)
        font.setBold(True)
        width = self._plot_item.width() if self._width is None else self._width
        room = width - self._plot_item.getAxis("left").width() - 8    # the title row spans the view
        metrics = QFontMetrics(font)
        forms = [text, text.replace("epoch ", ""), text.split(" since")[0]]
        shown = next((form for form in forms if room <= 8 or metrics.horizontalAdvance(form) <= room),
                     forms[-1])
        if shown != self._title:
            self._title = shown
            self._plot_item.setTitle(shown, color=WARNING_COLOUR, size="10pt", bold=True)
