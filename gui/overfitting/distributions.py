"""View ▸ Batch-norm distributions: per normalised layer, z before and u after batch norm.

Histograms over the training set (evaluation mode: the running statistics), with the mean
and standard deviation of each. Before: wherever the weights put the sums; after: near mean
β and spread γ — the layer's next weights see inputs on a steady scale. Numbers from
``model.overfitting.normalisation_distributions``, computed off the GUI thread (the app's
background worker, ``gui.training.requests``) from the painted snapshot, at most twice a
second while the dock is visible; the GUI thread only paints them.

Painting is kept cheap (a 6 × 64 network has twelve histograms): each histogram is one
NumPy-built outline path, the mean and sd are plain text items, and the axes move only
when the data leave them or shrink well inside them, so the tick labels are rarely laid out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsSimpleTextItem, QLabel, QVBoxLayout, QWidget

from gui.overfitting.live_dock import LiveDock
from gui.training.requests import RequestController
from gui.widgets.loss_plot import nice_ceiling
from gui.widgets.presentation import cache_axes
from gui.workspace import WindowServices
from model import Network
from model.overfitting import Distribution, normalisation_distributions
from model.training import Snapshot

BEFORE, AFTER = "#8c6bb1", "#2a7a3a"
#: An axis is widened when the data leave it, and narrowed when they fill less than this share.
NARROW_BELOW = 0.4
MARGIN = 8                 # pixels between a caption and the left axis or the right side


def steady_range(current: tuple[float, float] | None, low: float, high: float
                 ) -> tuple[float, float]:
    """The axis range to show data spanning [low, high]: ``current`` while it holds them and
    they fill at least ``NARROW_BELOW`` of it, else [low, high] widened by a quarter each side."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return current or (-1.0, 1.0)
    span = max(high - low, 1e-9)
    if current is not None and current[0] <= low and high <= current[1] \
            and span >= NARROW_BELOW * (current[1] - current[0]):
        return current
    return (low - 0.25 * span, high + 0.25 * span)


class HistogramItem(QGraphicsPathItem):
    """A histogram as one filled step outline; ``getData()`` gives (edges, counts) as shown."""

    def __init__(self, colour: str) -> None:
        super().__init__()
        self.setPen(pg.mkPen(colour))                      # cosmetic: one pixel at any zoom
        tint = QColor(colour)                              # 40 % of the colour on white, opaque:
        self.setBrush(QColor(*(round(0.4 * c + 0.6 * 255)  # no blending to pay for
                               for c in (tint.red(), tint.green(), tint.blue()))))
        self._data = (np.array([0.0, 1.0]), np.zeros(1))

    def setData(self, edges: np.ndarray, counts: np.ndarray) -> None:   # noqa: N802 (pyqtgraph's name)
        """Bars of height counts[i] over [edges[i], edges[i+1]]: the outline (e₀, 0), (e₀, c₀),
        (e₁, c₀), (e₁, c₁), …, (e_n, c_{n−1}), (e_n, 0)."""
        edges, counts = np.asarray(edges, float), np.asarray(counts, float)
        self._data = (edges, counts)
        x = np.repeat(edges, 2)
        y = np.concatenate([[0.0], np.repeat(counts, 2), [0.0]])
        self.setPath(pg.arrayToQPath(x, y))

    def getData(self) -> tuple[np.ndarray, np.ndarray]:   # noqa: N802
        return self._data


class HistogramPlot:
    """One histogram in a plot: the outline, a one-line caption above, steady axes."""

    def __init__(self, plot: pg.PlotItem, colour: str) -> None:
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(False, False)
        plot.disableAutoRange()
        plot.getAxis("left").setStyle(showValues=False)
        cache_axes(plot)                                # a blit, unless the range changed
        # the axes always hold the whole histogram (steady_range, y from 0 to above the tallest
        # bar), so the view need not clip it — clipping asks pyqtgraph's Python shape() per paint
        plot.vb.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape, False)
        self.plot, self.histogram = plot, HistogramItem(colour)
        plot.addItem(self.histogram)
        self.caption = QGraphicsSimpleTextItem(plot)    # setText: no HTML, no re-layout
        self.caption.setBrush(QColor(colour))
        font = self.caption.font()
        font.setPointSizeF(9)
        self.caption.setFont(font)
        # the caption stands in the plot's (empty) title row, over the plot area
        plot.layout.setRowFixedHeight(0, self.caption.boundingRect().height() + 4)
        self._x_range: tuple[float, float] | None = None
        self._y_top: float | None = None

    def show(self, distribution: Distribution, caption: str) -> None:
        edges, counts = distribution.edges, distribution.counts
        self.histogram.setData(edges, counts)
        text = self.caption
        if caption != text.text():
            text.setText(caption)
        area = self.plot.vb.geometry()                     # centred over the plot area, as a
        left, room = area.left() + MARGIN, self.plot.width() - area.left() - 2 * MARGIN   # title,
        width = text.boundingRect().width()                # narrowed to fit beside the left axis
        scale = min(1.0, room / width) if width else 1.0
        text.setScale(scale)
        text.setPos(QPointF(min(max(area.center().x() - scale * width / 2, left),
                                left + room - scale * width), 2))
        x_range = steady_range(self._x_range, float(edges[0]), float(edges[-1]))
        top = float(counts.max()) if counts.size else 0.0
        y_top = self._y_top if self._y_top is not None and NARROW_BELOW * self._y_top <= top <= self._y_top \
            else nice_ceiling(top)
        if (x_range, y_top) != (self._x_range, self._y_top):
            self._x_range, self._y_top = x_range, y_top
            self.plot.vb.setRange(xRange=x_range, yRange=(0.0, y_top), padding=0)


class DistributionsPanel(QWidget):
    """One row per batch-norm layer: the histogram of z and of u."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("distributionsPanel")
        layout = QVBoxLayout(self)
        self.explanation = QLabel(
            "Batch norm rescales each layer's sums z (purple) to u = γ·ẑ + β (green): mean β and "
            "spread γ whatever the weights do, so the next layer learns on a steady scale.")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.plots.setAntialiasing(False)     # step outlines are axis-aligned: crisp, and cheaper
        layout.addWidget(self.plots, 1)
        self.shown: list[tuple[int, Distribution, Distribution]] = []
        self._rows: list[tuple[HistogramPlot, HistogramPlot]] = []

    @property
    def _curves(self) -> list[tuple[HistogramItem, HistogramItem, pg.PlotItem, pg.PlotItem]]:
        """Per row: the z and u histograms and their plots."""
        return [(z.histogram, u.histogram, z.plot, u.plot) for z, u in self._rows]

    def show_distributions(self, layers: list[tuple[int, Distribution, Distribution]]) -> None:
        if [l for l, _, _ in layers] != [l for l, _, _ in self.shown]:
            self._rebuild([l for l, _, _ in layers])
        self.shown = layers
        for (layer, before, after), (z_plot, u_plot) in zip(layers, self._rows):
            z_plot.show(before, f"layer {layer + 1}: z   mean {before.mean:.3g}, sd {before.std:.3g}")
            u_plot.show(after, f"u   mean {after.mean:.3g}, sd {after.std:.3g}")
        if not layers:
            self.explanation.setText("No hidden layer uses batch norm: tick “batch norm” beside a "
                                     "layer (Network controls) to see what it does to the sums.")

    def clear(self) -> None:
        """No rows. (Before the app quits: plots left to Python's exit can be resized while their
        parts are deleted, and pyqtgraph's resize handlers then crash the process.)"""
        self._rebuild([])
        self.shown = []

    def _rebuild(self, layers: list[int]) -> None:
        self.plots.clear()
        self._rows = [(HistogramPlot(self.plots.addPlot(row=row, col=0), BEFORE),
                       HistogramPlot(self.plots.addPlot(row=row, col=1), AFTER))
                      for row, _ in enumerate(layers)]


@dataclass(frozen=True)
class _Request:
    """What the worker needs: the network (its own copy, for the worker alone) to load the
    snapshot into, and the training inputs; ``serial`` names the experiment it belongs to."""

    serial: int
    net: Network
    snapshot: Snapshot
    inputs: np.ndarray


def _distributions(request: _Request) -> tuple[int, list[tuple[int, Distribution, Distribution]]]:
    """In the worker thread: the snapshot's network's z and u histograms over the inputs."""
    request.net.load_state(request.snapshot.state())
    with np.errstate(all="ignore"):
        return request.serial, normalisation_distributions(request.net, request.inputs)


class DistributionsView:
    """The panel in a dock (View menu), refreshed while visible; the histograms are made by a
    background worker from the latest painted snapshot, one request at a time."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        self.panel = DistributionsPanel()
        self.worker = RequestController(_distributions, self.panel)
        self.worker.resultReady.connect(self._show)
        services.closing.connect(self._close)
        self._serial = 0
        self._of = None                   # the experiment the worker's network copy belongs to
        self._net: Network | None = None
        self._inputs: np.ndarray | None = None
        self._again = False               # asked while the worker was busy: ask again after
        self._closed = False
        self.live = LiveDock(services, self.panel, "Batch-norm distributions", "distributions",
                             "Histograms of each normalised layer's sums before and after batch norm",
                             420, self.refresh)
        self.dock = self.live.dock

    def refresh(self) -> None:
        """Ask the worker for the histograms of the snapshot shown now (or once it is free)."""
        snapshot = self.services.latest_snapshot()
        if snapshot is None:
            return
        if self.worker.busy:
            self._again = True
            return
        experiment = self.services.experiment
        if self._of is not experiment:
            self._of, self._serial = experiment, self._serial + 1
            self._net = self.services.current_network()
            self._inputs = experiment.trainer.train_inputs.copy()    # data: constant, safe to read
        self._again = False
        self.worker.submit(_Request(self._serial, self._net, snapshot, self._inputs))

    def _show(self, result: tuple[int, list[tuple[int, Distribution, Distribution]]]) -> None:
        serial, layers = result
        if self._closed:
            return
        if serial == self._serial and self.dock.isVisible():   # not a previous experiment's, nor
            self.panel.show_distributions(layers)              # for a closed dock
        if self._again:
            self.live.refresh()

    def _close(self) -> None:
        """The window closes: stop the worker, show nothing more."""
        self._closed = True
        self.worker.shutdown()
        self.panel.clear()
