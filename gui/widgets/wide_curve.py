"""A curve drawn thick at the cost of a thin one, for plots repainted many times a second.

    curve = WideCurve(pen=pg.mkPen(colour, width=2))
    plot_item.addItem(curve)
    curve.setData(x, y)                  # as pyqtgraph's PlotCurveItem

Qt's raster engine draws an antialiased line 1 pixel wide with its fast cosmetic
stroker; anything wider goes through the general path stroker, which is 20–40×
slower per vertex (measured here, 9 curves of 1,500 noisy points: 62 ms a repaint
at width 2, 1.4 ms at width 1). A ``WideCurve`` with a pen w pixels wide (w an
integer ≥ 2) draws its path w × w times with a 1-pixel pen, shifted around the line
on a grid ``SPREAD``·(w − 1) device pixels across — at w² times the cost of a thin
line (4× for width 2: 9 ms instead of 62). An antialiased 1-pixel line already
covers up to 2 pixels, so the shifts are smaller than a pixel: with 0.7 the strokes
lay as much ink as the wide stroke within 15 % (horizontal, vertical, diagonal;
tests/gui/test_compare_cost.py). Everything else (data, bounds, clicks, the pen the
legend and padding read) is ``PlotCurveItem``'s.
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPainter, QPen, QTransform


#: How far apart (device pixels, per pixel of width beyond the first) the outermost thin strokes lie.
SPREAD = 0.7


class WideCurve(pg.PlotCurveItem):
    """A ``PlotCurveItem`` whose pen wider than 1 pixel is drawn as shifted 1-pixel strokes."""

    def paint(self, painter: QPainter, option, widget) -> None:   # noqa: D401 (Qt)
        pen = self.opts["pen"]
        strokes = round(pen.widthF())
        if (strokes < 2 or not pen.isCosmetic() or self.xData is None or not len(self.xData)
                or self.opts["fillLevel"] is not None or self.opts["shadowPen"] is not None):
            super().paint(painter, option, widget)
            return
        thin = QPen(pen)
        thin.setWidthF(1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.opts["antialias"])
        painter.setPen(thin)
        path = self.getPath()
        to_device = painter.worldTransform()
        shifts = [SPREAD * (k - (strokes - 1) / 2) for k in range(strokes)]
        for dx in shifts:
            for dy in shifts:
                painter.setWorldTransform(to_device * QTransform.fromTranslate(dx, dy))
                painter.drawPath(path)
        painter.setWorldTransform(to_device)


class WideDataItem(pg.PlotDataItem):
    """A ``PlotDataItem`` — downsampling, clip to view, legend entry — whose line is a
    ``WideCurve``: what a plot's ``plot(…)`` makes, at the cost of thin lines.

        curve = WideDataItem(pen=pg.mkPen(colour, width=2), name="train")
        plot_item.addItem(curve)

    (The loss plot after 10,000 epochs: about 6 ms a repaint, 35–45 ms with pyqtgraph's own
    2-px curves; benchmarks/gui_speed.py.)
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plain = self.curve
        plain.sigClicked.disconnect(self.sigClicked)
        plain.setParentItem(None)
        self.curve = WideCurve()
        self.curve.setParentItem(self)
        self.curve.sigClicked.connect(self.sigClicked)
        self.updateItems(styleUpdate=True)
