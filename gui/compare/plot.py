"""Every run's curve on one plot: smoothing, log-y, and a read-out of all runs at the cursor.

Smoothing is TensorBoard's debiased exponential moving average, weight w ∈ [0, 1):

    m_t = w·m_{t−1} + (1 − w)·v_t,  m_0 = 0;      s_t = m_t / (1 − w^(t+1))

(the division removes the bias towards the zero start). Non-finite values are
skipped and kept as they are, as TensorBoard does. Each curve is a
``model.curves.DisplayCurve``: it smooths only the epochs a report adds and
keeps at most 2·``CURVE_POINTS`` points, so a report costs the same at epoch
30,000 as at 300. The curves are ``WideCurve``s (2 pixels wide at the cost of
thin lines), and the view fits ``stepped_bounds`` around them, so the axes are
laid out again about ten times per tenfold of epochs, not at every report.
Colours: with two varied
settings, the first picks the hue and the second the shade, so a row of the
grid reads as one colour family.
"""
from __future__ import annotations

import html
import math
from typing import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QSizePolicy,
                               QSlider, QVBoxLayout, QWidget)

from model.comparison_results import ComparisonSnapshot
from model.curves import DisplayCurve
from gui.widgets.presentation import PresentablePlot
from gui.widgets.wide_curve import WideCurve

HUES = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
        "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]
METRICS = {"test_loss": "Test loss", "train_loss": "Training loss",
           "test_accuracy": "Test accuracy", "train_accuracy": "Training accuracy"}


def run_colours(shape: Sequence[int], count: int) -> list[QColor]:
    """One colour per run. ``shape`` is the value counts of the varied settings (runs are row-major)."""
    if len(shape) == 2 and shape[1] > 1 and shape[0] <= len(HUES):
        colours = []
        for index in range(count):
            row, column = divmod(index, shape[1])
            base = QColor(HUES[row])
            t = column / (shape[1] - 1)        # dark … light within the family
            h, s, v, _ = base.getHsvF()
            colours.append(QColor.fromHsvF(h, min(1.0, s * (1.0 - 0.45 * t) + 0.1 * (1 - t)),
                                           max(0.0, min(1.0, v * (0.72 + 0.45 * t)))))
        return colours
    return [QColor(HUES[i % len(HUES)]) for i in range(count)]


#: A curve keeps CURVE_POINTS … 2·CURVE_POINTS of its epochs (``DisplayCurve``): a few per pixel
#: of the plot's width, and a repaint that costs the same at epoch 30,000 as at 3,000.
CURVE_POINTS = 750
#: x-axis ends the view steps through (times a power of ten)
X_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: the y-axis limits snap outward to multiples of this share of the data's span's order of magnitude
Y_STEP = 0.5


def stepped_bounds(last_x: float, low: float, high: float) -> tuple[float, float, float]:
    """The box (x end, y low, y high) the plot shows for curves from x = 0 to ``last_x`` with
    y in [``low``, ``high``] (view units: log10 y on a log axis).

    The x end is the first of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (× 10ᵏ) at or past ``last_x``;
    the y limits are rounded outward to multiples of s = ½·10^⌊log10(span)⌋. So the box — and the
    axes — change only when the data crosses one of those steps (about 10 times per tenfold of
    epochs), not every time a curve grows by an epoch."""
    last_x = max(float(last_x), 1.0)
    decade = 10.0 ** math.floor(math.log10(last_x))
    x_end = next(decade * step for step in X_STEPS if decade * step >= last_x * (1 - 1e-12))
    span = float(high) - float(low)
    step = Y_STEP * 10.0 ** math.floor(math.log10(span)) if span > 0 else Y_STEP * max(abs(low), 1e-3)
    return x_end, math.floor(low / step) * step, math.ceil(high / step) * step


class CurveLegend(QWidget):
    """The legend, laid out like the grid of runs; unticking an entry hides that curve."""

    toggled = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compareLegend")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 0, 4, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(0)
        self.entries: list[QCheckBox] = []

    def set_runs(self, labels: Sequence[str], colours: Sequence[QColor], columns: int) -> None:
        for entry in self.entries:
            entry.setParent(None)
            entry.deleteLater()
        self.entries = []
        for index, (label, colour) in enumerate(zip(labels, colours)):
            pixmap = QPixmap(14, 4)
            pixmap.fill(colour)
            entry = QCheckBox(label, objectName="legendEntry", checked=True)
            entry.setIcon(QIcon(pixmap))
            entry.setStyleSheet("font-size: 8pt;")
            entry.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            entry.setToolTip(f"Show or hide the curve of {label}")
            entry.toggled.connect(lambda on, i=index: self.toggled.emit(i, on))
            self.grid.addWidget(entry, *divmod(index, max(columns, 1)))
            self.entries.append(entry)


class ComparePlot(QWidget):
    """Controls (metric, smoothing, log-y) above a pyqtgraph plot of one curve per run."""

    metricChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("comparePlot")
        self.metric_box = QComboBox(objectName="compareMetric")
        for key, label in METRICS.items():
            self.metric_box.addItem(label, key)
        self.metric_box.setToolTip("Which quantity the curves show")
        self.smoothing = QSlider(Qt.Orientation.Horizontal, objectName="compareSmoothing")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(60)
        self.smoothing.setToolTip("Exponential moving average, as in TensorBoard: each point is "
                                  "w·(previous) + (1 − w)·(value), corrected for the zero start. "
                                  "0 shows the raw values.")
        self.smoothing_label = QLabel()
        self.log_y = QCheckBox("log y", objectName="compareLogY")
        self.log_y.setChecked(True)
        self.log_y.setToolTip("Logarithmic loss axis: small differences between good runs stay visible")
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self.metric_box, QLabel("Smoothing"), self.smoothing, self.smoothing_label, self.log_y):
            controls.addWidget(widget)
        controls.setStretch(2, 1)
        self.plot = PresentablePlot()
        self.plot.setObjectName("compareLossPlot")
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", "epoch")
        item.getAxis("left").enableAutoSIPrefix(False)
        self.legend = CurveLegend()
        self.legend.toggled.connect(self._toggle_curve)
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#888", width=1, style=Qt.PenStyle.DashLine))
        self.cursor.setVisible(False)
        item.addItem(self.cursor, ignoreBounds=True)
        self.readout = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 225),
                                   border=pg.mkPen("#aaa"))
        self.readout.setZValue(50)
        self.readout.setVisible(False)
        item.addItem(self.readout, ignoreBounds=True)
        self._bounds = pg.PlotCurveItem(pen=None)  # invisible: the box the view fits (``_fit``)
        item.addItem(self._bounds)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot, 1)
        self._curves: list[WideCurve] = []
        self._ends: list[pg.ScatterPlotItem] = []
        self._labels: list[str] = []
        self._colours: list[QColor] = []
        self._digests: list[DisplayCurve] = []     # per run: the drawn curve, grown report by report
        self._digest_key: tuple | None = None      # (metric, smoothing weight) they were made for
        self._snapshot: ComparisonSnapshot | None = None
        self._mouse = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._moved)
        self.metric_box.currentIndexChanged.connect(self._metric_changed)
        self.smoothing.valueChanged.connect(self._redraw)
        self.log_y.toggled.connect(self._redraw)
        self._update_smoothing_label()

    # -- runs and data ---------------------------------------------------------

    def set_runs(self, labels: Sequence[str], colours: Sequence[QColor], columns: int = 3) -> None:
        """One curve (and legend entry, ``columns`` a row) per run; clears the data."""
        item = self.plot.getPlotItem()
        for curve, end in zip(self._curves, self._ends):
            item.removeItem(curve)
            item.removeItem(end)
        self.legend.set_runs(labels, colours, columns)
        self._labels, self._colours = list(labels), list(colours)
        self._curves, self._ends = [], []
        for label, colour in zip(labels, colours):
            curve = WideCurve(pen=pg.mkPen(colour, width=2))
            end = pg.ScatterPlotItem(size=11, symbol="x", pen=pg.mkPen(colour, width=2.5),
                                     brush=pg.mkBrush(colour))
            end.setVisible(False)
            item.addItem(curve, ignoreBounds=True)        # the view fits ``_bounds`` instead
            item.addItem(end, ignoreBounds=True)
            self._curves.append(curve)
            self._ends.append(end)
        self._snapshot = None
        self._digests, self._digest_key = [], None
        self._bounds.setData([], [])

    def show_snapshot(self, snapshot: ComparisonSnapshot) -> None:
        self._snapshot = snapshot
        self._redraw()

    @property
    def metric_key(self) -> str:
        return self.metric_box.currentData()

    def smoothing_weight(self) -> float:
        return self.smoothing.value() / 100.0

    def curve_data(self, run: int) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, drawn values) of one run's curve, as plotted (smoothed; thinned when long)."""
        return self._digests[run].x, self._digests[run].y

    # -- drawing ----------------------------------------------------------------

    def _toggle_curve(self, run: int, visible: bool) -> None:
        self._curves[run].setVisible(visible)
        self._ends[run].setVisible(visible and bool(len(self._ends[run].data)))
        self._fit()

    def _metric_changed(self) -> None:
        self.metricChanged.emit(self.metric_key)
        self._redraw()

    def _update_smoothing_label(self) -> None:
        self.smoothing_label.setText(f"{self.smoothing_weight():.2f}")

    def _redraw(self) -> None:
        self._update_smoothing_label()
        snapshot = self._snapshot
        if snapshot is None or len(snapshot.runs) != len(self._curves):
            return
        key = self.metric_key
        loss = key.endswith("loss")
        log = self.log_y.isChecked() and loss
        item = self.plot.getPlotItem()
        if item.ctrl.logYCheck.isChecked() != log:
            item.setLogMode(y=log)
        if item.getAxis("left").labelText != METRICS[key]:   # a new label lays the axis out again
            item.setLabel("left", METRICS[key])
        history = snapshot.history[key]
        columns, weight = history.shape[1], self.smoothing_weight()
        if (self._digest_key != (key, weight) or len(self._digests) != len(self._curves)
                or any(digest.length > columns for digest in self._digests)):   # new metric, weight, reset
            self._digests = [DisplayCurve(weight, CURVE_POINTS) for _ in self._curves]
            self._digest_key = (key, weight)
        for run, (curve, end, digest) in enumerate(zip(self._curves, self._ends, self._digests)):
            digest.extend(history[run, digest.length:columns])    # only the epochs not drawn yet
            x, values = digest.x, digest.y
            shown = np.isfinite(values) & ((values > 0) if log else True)
            drawn = np.log10(values[shown]) if log else values[shown]   # the view's y is log10 y
            curve.setData(x[shown], drawn)
            state = snapshot.runs[run]
            if state.diverged and shown.any():
                end.setData([x[shown][-1]], [drawn[-1]])
            else:
                end.setData([], [])
            end.setVisible(bool(len(end.data)) and curve.isVisible())   # an empty item costs a paint too
        self._fit()

    def _fit(self) -> None:
        """Let the view fit the visible curves' ``stepped_bounds`` (the curves themselves are
        ignored by the auto-range), so that it rescales — and the axes are laid out again — only
        when the data crosses a step, not at every report."""
        boxes = [(curve.xData[-1], curve.yData.min(), curve.yData.max()) for curve in self._curves
                 if curve.isVisible() and curve.xData is not None and len(curve.xData)]
        if not boxes:
            return
        x1, y0, y1 = stepped_bounds(max(b[0] for b in boxes), min(b[1] for b in boxes),
                                    max(b[2] for b in boxes))
        box = ([0.0, x1], [y0, y1])
        if self._bounds.xData is None or [list(self._bounds.xData), list(self._bounds.yData)] != list(box):
            self._bounds.setData(*box)

    # -- hover read-out -----------------------------------------------------------

    def readout_text(self, epoch: int) -> str:
        """Every run's drawn value at ``epoch``, best first (HTML, coloured by run)."""
        rows = []
        loss = self.metric_key.endswith("loss")
        for label, colour, digest, curve in zip(self._labels, self._colours, self._digests, self._curves):
            value = digest.value_at(epoch)
            if curve.isVisible() and math.isfinite(value):
                rows.append((value, label, colour))
        rows.sort(key=lambda r: r[0], reverse=not loss)
        lines = [f"<b>epoch {epoch}</b>"] + [
            f'<span style="color:{c.name()}">■</span> {html.escape(label)}: {value:.4g}'
            for value, label, c in rows]
        return "<br>".join(lines)

    def _moved(self, event) -> None:
        position = event[0]
        view = self.plot.getPlotItem().vb
        if not self._digests or not self.plot.sceneBoundingRect().contains(position):
            self.cursor.setVisible(False)
            self.readout.setVisible(False)
            return
        point = view.mapSceneToView(position)
        epoch = int(round(point.x()))
        if not 0 <= epoch < max(digest.length for digest in self._digests):
            self.cursor.setVisible(False)
            self.readout.setVisible(False)
            return
        self.show_readout(epoch)

    def show_readout(self, epoch: int) -> None:
        """Put the cursor line at ``epoch`` and the read-out box beside it."""
        view = self.plot.getPlotItem().vb
        (x0, x1), (y0, y1) = view.viewRange()
        self.cursor.setValue(epoch)
        self.cursor.setVisible(True)
        self.readout.setHtml(f'<div style="font-size:8pt; color:#222">{self.readout_text(epoch)}</div>')
        right_half = epoch > (x0 + x1) / 2
        self.readout.setAnchor((1.0, 0.0) if right_half else (0.0, 0.0))
        self.readout.setPos(epoch, y1)
        self.readout.setVisible(True)

    def leaveEvent(self, event) -> None:   # noqa: N802 (Qt)
        self.cursor.setVisible(False)
        self.readout.setVisible(False)
        super().leaveEvent(event)
