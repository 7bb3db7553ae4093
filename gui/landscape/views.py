"""The optimisation lab's three plots; each paints what it is given and computes nothing.

- ``SurfaceView``: the loss over a plane of weights as a heat map (log₁₀ colour
  scale), the training path projected onto it and the current weights;
- ``StepView``: the loss along −∇L from the current weights, the learning rate's
  step marked;
- ``HealthView``: per weight layer, the gradient norm over the epochs (log scale).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QWidget

from model.landscape import StepLine, Surface

from gui.compare.plot import HUES
from gui.widgets.presentation import AXIS_INK, PresentablePlot
from gui.widgets.wide_curve import WideDataItem

PATH_PEN = pg.mkPen("#ffffff", width=2)
CURRENT_BRUSH = pg.mkBrush("#d62728")


def log_loss_image(loss: np.ndarray) -> np.ndarray:
    """log₁₀ of the surface's losses, laid out for a row-major image: [β index, α index]
    (α along x, β along y); non-finite or non-positive losses become NaN."""
    with np.errstate(all="ignore"):
        image = np.log10(np.where(loss > 0, loss, np.nan))
    return np.ascontiguousarray(image.T)


def _quiet_plot(widget: pg.PlotWidget) -> pg.PlotItem:
    item = widget.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    return item


class SurfaceView(PresentablePlot):
    """Heat map of log₁₀ L(θ₀ + α·d₁ + β·d₂), the projected path and the current point.
    A left click inside the surface marks that point and emits ``pointClicked(α, β)``."""

    pointClicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("landscapeSurface")
        item = _quiet_plot(self)
        item.setLabel("bottom", "α (along d₁)")
        item.setLabel("left", "β (along d₂)")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(nPts=256))
        item.addItem(self.image)
        self.path = pg.PlotDataItem(pen=PATH_PEN, symbol="o", symbolSize=3, symbolPen=None,
                                    symbolBrush="#ffffff")
        self.start = pg.ScatterPlotItem(size=9, brush=pg.mkBrush("#ffffff"), pen=pg.mkPen("k"))
        self.current = pg.ScatterPlotItem(size=14, symbol="star", brush=CURRENT_BRUSH, pen=pg.mkPen("k"))
        self.marker = pg.ScatterPlotItem(size=13, symbol="x", pen=pg.mkPen("#ff7f0e", width=1),
                                         brush=pg.mkBrush("#ff7f0e"))
        for z, part in enumerate((self.path, self.start, self.current, self.marker)):
            part.setZValue(10 + z)
            item.addItem(part)
        self.surface: Surface | None = None
        self.arrows: list[tuple[pg.PlotDataItem, pg.PlotDataItem, pg.ArrowItem]] = []
        self.scene().sigMouseClicked.connect(self._on_click)
        item.vb.sigTransformChanged.connect(lambda *_: self._aim_heads())

    def _on_click(self, event) -> None:
        if self.surface is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.getPlotItem().vb.mapSceneToView(event.scenePos())
        alpha, beta = point.x(), point.y()
        a, b = self.surface.alphas, self.surface.betas
        if a[0] <= alpha <= a[-1] and b[0] <= beta <= b[-1]:
            self.marker.setData([alpha], [beta])
            self.pointClicked.emit(alpha, beta)

    def set_axis_names(self, along_x: str, along_y: str) -> None:
        self.getPlotItem().setLabel("bottom", along_x)
        self.getPlotItem().setLabel("left", along_y)

    def show_surface(self, surface: Surface, path_coords: np.ndarray) -> None:
        """Paint ``surface`` (its losses, log colour) and the path's (α, β) coordinates (m, 2)."""
        self.show_loss(surface)
        self.path.setData(path_coords[:, 0], path_coords[:, 1])
        self.start.setData(path_coords[:1, 0], path_coords[:1, 1])
        self.current.setData(path_coords[-1:, 0], path_coords[-1:, 1])

    def show_loss(self, surface: Surface) -> None:
        """Paint ``surface``'s losses (log colour) over its α, β range."""
        self.surface = surface
        image = log_loss_image(surface.loss)
        finite = image[np.isfinite(image)]
        levels = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if levels[1] <= levels[0]:
            levels = (levels[0], levels[0] + 1e-9)
        self.image.setImage(image, levels=levels)
        a, b = surface.alphas, surface.betas
        half_a, half_b = (a[1] - a[0]) / 2, (b[1] - b[0]) / 2
        self.image.setRect(QRectF(a[0] - half_a, b[0] - half_b, a[-1] - a[0] + 2 * half_a,
                                  b[-1] - b[0] + 2 * half_b))
        self.getPlotItem().setRange(xRange=(a[0], a[-1]), yRange=(b[0], b[-1]), padding=0)

    def show_arrows(self, origin: tuple[float, float], vectors: list[tuple[np.ndarray, str]]) -> None:
        """Arrows from ``origin`` along each (vector (2,), colour); an empty list clears them."""
        item = self.getPlotItem()
        for parts in self.arrows:
            for part in parts:
                item.removeItem(part)
        self.arrows = []
        x, y = origin
        for vector, colour in vectors:
            dx, dy = float(vector[0]), float(vector[1])
            if not (np.isfinite(dx) and np.isfinite(dy)) or dx == dy == 0:
                continue
            shadow = pg.PlotDataItem([x, x + dx], [y, y + dy], pen=pg.mkPen("#111111", width=5))
            line = pg.PlotDataItem([x, x + dx], [y, y + dy], pen=pg.mkPen(colour, width=2.5))
            head = pg.ArrowItem(pos=(x + dx, y + dy), headLen=14, tipAngle=35, brush=pg.mkBrush(colour),
                                pen=pg.mkPen("#111111"))
            head.direction = (dx, dy)
            for z, part in enumerate((shadow, line, head)):
                part.setZValue(30 + z)
                item.addItem(part)
            self.arrows.append((shadow, line, head))
        self._aim_heads()

    def _aim_heads(self) -> None:
        """Point each arrow head along its line on screen (the axes' scales may differ)."""
        width, height = self.getPlotItem().vb.viewPixelSize()
        for _, _, head in self.arrows:
            dx, dy = head.direction
            # ArrowItem's angle 0 points left; screen angles turn clockwise
            head.setStyle(angle=180 - float(np.degrees(np.arctan2(dy / height, dx / width))))


class StepView(PresentablePlot):
    """L(θ − t·∇L) against t, with t = η (one gradient-descent step) marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("landscapeStep")
        item = _quiet_plot(self)
        item.setLabel("bottom", "t (step size along −∇L)")
        item.setLabel("left", "loss")
        self.curve = item.plot(pen=pg.mkPen("#1f77b4", width=2))
        self.rate = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728", width=1.5, style=Qt.PenStyle.DashLine))
        item.addItem(self.rate)
        self.landing = pg.ScatterPlotItem(size=11, brush=CURRENT_BRUSH, pen=pg.mkPen("k"))
        self.landing.setZValue(10)
        item.addItem(self.landing)
        self.line: StepLine | None = None

    def show_line(self, line: StepLine) -> float:
        """Paint the line; returns the loss one step of the learning rate lands on."""
        self.line = line
        self.curve.setData(line.t, line.losses)
        landed = float(np.interp(line.learning_rate, line.t, line.losses))
        self.rate.setValue(line.learning_rate)
        self.landing.setData([line.learning_rate], [landed])
        return landed


class HealthView(PresentablePlot):
    """One curve per weight layer: ‖∂L/∂W, ∂L/∂b‖ of the latest step, over the epochs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradientHealth")
        item = _quiet_plot(self)
        item.setLogMode(y=True)
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "gradient norm")
        self.legend = item.addLegend(offset=(-4, 4), labelTextSize="8pt", labelTextColor=AXIS_INK)
        self.curves: list[pg.PlotDataItem] = []
        self.epochs: list[int] = []
        self.norms: list[np.ndarray] = []

    def clear_history(self) -> None:
        self.epochs, self.norms = [], []
        for curve in self.curves:
            self.getPlotItem().removeItem(curve)
        self.legend.clear()
        self.curves = []

    def append(self, epoch: int, norms: np.ndarray) -> None:
        """Add one epoch's per-layer norms (L,), replacing a repeat of the last epoch."""
        if self.epochs and self.epochs[-1] == epoch:
            self.epochs.pop()
            self.norms.pop()
        self.epochs.append(int(epoch))
        self.norms.append(np.asarray(norms, dtype=np.float64))
        if len(self.curves) != len(norms):
            self.clear_history()
            self.epochs, self.norms = [int(epoch)], [np.asarray(norms, dtype=np.float64)]
            for layer in range(len(norms)):
                name = f"layer {layer + 1}" if layer < len(norms) - 1 else "output layer"
                curve = WideDataItem(pen=pg.mkPen(HUES[layer % len(HUES)], width=2), name=name)
                self.getPlotItem().addItem(curve)
                self.curves.append(curve)
        if self.isVisible():          # hidden (the dock closed): drawn when shown, not every snapshot
            self._draw()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt)
        self._draw()
        super().showEvent(event)

    def _draw(self) -> None:
        if not self.curves:
            return
        table = np.array(self.norms)
        with np.errstate(all="ignore"):
            table = np.where(table > 0, table, np.nan)           # log axis: no zeros
        for layer, curve in enumerate(self.curves):
            curve.setData(np.array(self.epochs, dtype=np.float64), table[:, layer], connect="finite")
