"""f(z) and f′(z) of one layer's activation, with a marker where each neuron's z lands.

Seeing the markers on the flat ends of a sigmoid or tanh (where f′ ≈ 0) shows
why those neurons learn slowly; a ReLU marker left of 0 is a neuron that
passes no gradient. The z axis spans [−5, 5], widened to include every z.

Softmax couples the units: the curve drawn is aᵢ as a function of zᵢ with the
other z held at their current values, aᵢ = e^zᵢ / (e^zᵢ + Σⱼ≠ᵢ e^zⱼ), and its
slope aᵢ(1 − aᵢ) — a sigmoid shifted by the other units; only unit i is marked.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from model.activations import Activation
from model.curves import softmax_curve
from model.walkthrough_text import derivative_label, function_label
from gui.widgets.presentation import PresentablePlot

F_COLOUR = "#0877bd"
SLOPE_COLOUR = "#f59322"
FOCUS_COLOUR = "#d62728"
Z_LIMIT = 5.0
SAMPLES = 401


class ActivationPlot(PresentablePlot):
    """``show_activation(activation, z, focus, where)``: curves plus markers at z (may be None)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationPlot")
        self.setMinimumHeight(170)
        self.setToolTip("The activation f of this layer (solid) and its slope f′ (dashed). Dots: "
                        "where each neuron's z lands for this sample; red: the focused neuron. "
                        "Where f′ is near 0 the neuron barely learns.")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setLabel("bottom", "z  (weighted input)")
        plot.setLabel("left", "f(z)  and  f′(z)")
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen("#333")
            plot.getAxis(axis).setPen("#888")
        plot.addLine(x=0, pen=pg.mkPen("#bbb", width=1))
        plot.addLine(y=0, pen=pg.mkPen("#bbb", width=1))
        self.legend = plot.addLegend(offset=(6, 6), labelTextColor="#222", brush=pg.mkBrush(255, 255, 255, 200))
        self.f_curve = plot.plot(pen=pg.mkPen(F_COLOUR, width=2.5))
        self.slope_curve = plot.plot(pen=pg.mkPen(SLOPE_COLOUR, width=2, style=Qt.DashLine))
        self.f_markers = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w", width=1), brush=pg.mkBrush(F_COLOUR))
        self.slope_markers = pg.ScatterPlotItem(size=8, pen=pg.mkPen(SLOPE_COLOUR, width=1.5),
                                                brush=pg.mkBrush("w"), symbol="t")
        self.focus_markers = pg.ScatterPlotItem(size=13, pen=pg.mkPen(FOCUS_COLOUR, width=2.5),
                                                brush=pg.mkBrush(None))
        for item in (self.f_markers, self.slope_markers, self.focus_markers):
            plot.addItem(item)
        self.activation: Activation | None = None
        self.z: np.ndarray | None = None

    def show_activation(self, activation: Activation, z: np.ndarray | None = None,
                        focus: int | None = None, where: str = "") -> None:
        """Plot ``activation`` over the z range; mark each of ``z`` (one per neuron), ring ``focus``."""
        self.activation = activation
        self.z = None if z is None else np.asarray(z, dtype=np.float64)
        low, high = -Z_LIMIT, Z_LIMIT
        if self.z is not None and self.z.size:
            finite = self.z[np.isfinite(self.z)]
            if finite.size:
                low = max(min(low, float(finite.min()) - 0.5), -60.0)
                high = min(max(high, float(finite.max()) + 0.5), 60.0)
        grid = np.linspace(low, high, SAMPLES)
        softmax = activation.name == "softmax"
        unit = focus if focus is not None and self.z is not None and 0 <= focus < self.z.size else 0
        with np.errstate(all="ignore"):
            if softmax:
                known = self.z if self.z is not None and self.z.size > 1 else np.zeros(2)
                values, slopes = softmax_curve(known, unit, grid)
            else:
                values, slopes = activation(grid), activation.grad(grid)
        self.f_curve.setData(grid, values)
        self.slope_curve.setData(grid, slopes)
        f_name, slope_name = function_label(activation), derivative_label(activation)
        if softmax:
            f_name, slope_name = f"softmax unit {unit + 1}", "its slope a(1 − a)"
        self.legend.clear()
        self.legend.addItem(self.f_curve, f"{f_name}(z)" if not softmax else f_name)
        self.legend.addItem(self.slope_curve, f"{slope_name}(z)" if not softmax else slope_name)
        self.getPlotItem().setTitle(f"<span style='color:#222'>{where}</span>" if where else None)
        self._mark(grid, values, slopes, softmax, unit, focus)
        self.getPlotItem().setXRange(low, high, padding=0.02)
        span = np.concatenate([values[np.isfinite(values)], slopes[np.isfinite(slopes)], [0.0, 1.0]])
        bottom, top = float(np.clip(span.min(), -6, 6)), float(np.clip(span.max(), -6, 6))
        self.getPlotItem().setYRange(bottom, top, padding=0.08)

    def _mark(self, grid, values, slopes, softmax: bool, unit: int, focus: int | None) -> None:
        if self.z is None or not self.z.size:
            for item in (self.f_markers, self.slope_markers, self.focus_markers):
                item.clear()
            return
        z = self.z[[unit]] if softmax else self.z
        with np.errstate(all="ignore"):
            a = np.interp(z, grid, values) if softmax else self.activation(z)
            d = np.interp(z, grid, slopes) if softmax else self.activation.grad(z)
        self.f_markers.setData(z, a)
        self.slope_markers.setData(z, d)
        if focus is None or not 0 <= focus < self.z.size:
            self.focus_markers.clear()
            return
        index = 0 if softmax else focus
        self.focus_markers.setData([z[index], z[index]], [a[index], d[index]])

    def marker_positions(self) -> np.ndarray:
        """(n, 2) z and f(z) of the neuron markers now drawn (for tests)."""
        x, y = self.f_markers.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))
