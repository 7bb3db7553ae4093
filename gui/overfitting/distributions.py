"""View ▸ Batch-norm distributions: per normalised layer, z before and u after batch norm.

Histograms over the training set (evaluation mode: the running statistics), with the mean
and standard deviation of each. Before: wherever the weights put the sums; after: near mean
β and spread γ — the layer's next weights see inputs on a steady scale. Numbers from
``model.overfitting.normalisation_distributions``, computed off the GUI thread (the app's
background worker, ``gui.training.requests``) from the painted snapshot, at most twice a
second while the dock is visible; the GUI thread only paints them.

Painting is kept cheap (a 6 × 64 network has twelve histograms, refreshed while training;
``benchmarks/gui_speed.py`` times it): one widget (``HistogramGrid``) paints them all with
QPainter instead of twelve pyqtgraph plots — a pixmap of what rarely changes (each caption's
title, each x axis with its values, a light left edge), then per histogram (``gui.overfitting.histogram``'s
``Histogram``, a plain object: what it shows and where) the mean and sd and the filled step
outline. A histogram's part of the pixmap is redrawn only when its axis moves; everything on
a resize and in presenter mode. Tooltips: the histogram under the pointer says what it shows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from gui.overfitting.histogram import MARGIN, TOP, WIDEST_NUMBERS, Histogram, HistogramStyle
from gui.overfitting.live_dock import LiveDock
from gui.training.requests import RequestController
from gui.widgets.presentation import PRESENTATION
from gui.workspace import WindowServices
from model import Network
from model.overfitting import Distribution, normalisation_distributions
from model.training import Snapshot

BEFORE, AFTER = "#8c6bb1", "#2a7a3a"
SPACING = 4                # pixels between two histograms
EXPLANATION = ("Batch norm rescales each layer's sums z (purple) to u = γ·ẑ + β (green): mean β and "
               "spread γ whatever the weights do, so the next layer learns on a steady scale.")
NO_BATCH_NORM = ("No hidden layer uses batch norm: tick “batch norm” beside a layer (Network "
                 "controls) to see what it does to the sums.")


def _tooltips(layer: int) -> tuple[str, str]:
    """What the two histograms of hidden layer ``layer`` (from 1) show (rich text: it wraps)."""
    return (f"<p>Layer {layer}'s weighted sums z = W·a + b <b>before batch norm</b>, over the "
            "training set: how many of them (every neuron, every sample) fall in each bin. Their "
            "mean and spread are wherever the weights put them.</p>",
            f"<p>Layer {layer}'s sums <b>after batch norm</b>, u = γ·ẑ + β, with ẑ = z standardised "
            "by the running mean and variance: mean near β and spread near γ, whatever the "
            "weights do.</p>")


class HistogramGrid(QWidget):
    """The histograms, two a row (z, u), in one widget that paints them all: a pixmap of what
    rarely changes, then each one's numbers and outline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("distributionsGrid")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)   # paints every pixel itself
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.rows: list[tuple[Histogram, Histogram]] = []
        self._still: QPixmap | None = None
        self.restyle()

    def set_layers(self, layers: list[int]) -> None:
        """A row for each of these weight layers (from 0)."""
        self.rows = []
        for layer in layers:
            z_tip, u_tip = _tooltips(layer + 1)
            self.rows.append((Histogram(BEFORE, z_tip, self.style), Histogram(AFTER, u_tip, self.style)))
        self.updateGeometry()
        self._lay_out()

    def show_distributions(self, layers: list[tuple[int, Distribution, Distribution]]) -> None:
        moved = []                                          # a title or an axis changed
        for (layer, before, after), (z, u) in zip(layers, self.rows):
            moved += [h for h, d, name in ((z, before, "z"), (u, after, "u"))
                      if h.set_histogram(d, f"layer {layer + 1}: {name}")]
        if moved and self._still is not None:               # draw those again in the picture
            painter = QPainter(self._still)
            painter.setFont(self.style.font)
            for histogram in moved:
                histogram.paint_still(painter)
            painter.end()
        self.update()

    def histograms(self) -> list[Histogram]:
        return [histogram for row in self.rows for histogram in row]

    # -- layout ------------------------------------------------------------------------------

    def restyle(self) -> None:
        """Fonts, line widths and minimum size at the presentation scale."""
        self.style = HistogramStyle.now()
        for histogram in self.histograms():
            histogram.restyle(self.style)
        self.updateGeometry()
        self._lay_out()

    def cell_size(self) -> QSize:
        """The smallest a histogram may be: its numbers' line fits, and with a two-line caption
        the plot is ≥ 36 px high."""
        metrics = self.style.metrics
        widest_numbers = max(metrics.horizontalAdvance(n) for n in WIDEST_NUMBERS)
        return QSize(math.ceil(widest_numbers) + 2 * MARGIN,
                     math.ceil(3 * metrics.height()) + TOP + self.style.tick_length + 40)

    def minimumSizeHint(self) -> QSize:   # noqa: N802
        cell = self.cell_size()
        return QSize(2 * cell.width() + SPACING, len(self.rows) * (cell.height() + SPACING))

    def sizeHint(self) -> QSize:   # noqa: N802
        """As small as allowed: the rows share the dock's height (six fit at 800 px)."""
        return self.minimumSizeHint()

    def resizeEvent(self, event) -> None:   # noqa: N802
        self._lay_out()

    def _lay_out(self) -> None:
        self._still = None
        if not self.rows:
            return
        width = (self.width() - SPACING) / 2
        height = self.height() / len(self.rows) - SPACING
        for row, (z, u) in enumerate(self.rows):
            top = row * (height + SPACING)
            z.lay_out(QRectF(0, top, width, height))
            u.lay_out(QRectF(width + SPACING, top, width, height))

    # -- painting and tooltips ---------------------------------------------------------------

    def paintEvent(self, event) -> None:   # noqa: N802
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._still_picture())
        painter.setFont(self.style.font)
        for histogram in self.histograms():
            histogram.paint_live(painter)
        painter.end()

    def _still_picture(self) -> QPixmap:
        """The background, each histogram's title and axes: drawn again only when the size, the
        presentation scale, a title or an axis range changed."""
        if self._still is None:
            ratio = self.devicePixelRatioF()
            self._still = QPixmap(self.size() * ratio)
            self._still.setDevicePixelRatio(ratio)
            self._still.fill(self.palette().color(QPalette.ColorRole.Window))
            painter = QPainter(self._still)
            painter.setFont(self.style.font)
            for histogram in self.histograms():
                histogram.paint_still(painter)
            painter.end()
        return self._still

    def histogram_at(self, point: QPointF) -> Histogram | None:
        return next((h for h in self.histograms() if h.rect.contains(point)), None)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            histogram = self.histogram_at(QPointF(event.pos()))
            if histogram is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), histogram.tooltip, self, histogram.rect.toRect())
            return True
        return super().event(event)


class DistributionsPanel(QWidget):
    """One row per batch-norm layer: the histogram of z and of u."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("distributionsPanel")
        layout = QVBoxLayout(self)
        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.grid = HistogramGrid()
        layout.addWidget(self.grid, 1)
        self.shown: list[tuple[int, Distribution, Distribution]] = []
        PRESENTATION.changed.connect(self._restyle)

    @property
    def rows(self) -> list[tuple[Histogram, Histogram]]:
        """Per batch-norm layer: its z and u histograms."""
        return self.grid.rows

    def show_distributions(self, layers: list[tuple[int, Distribution, Distribution]]) -> None:
        if [l for l, _, _ in layers] != [l for l, _, _ in self.shown] or len(self.rows) != len(layers):
            self.grid.set_layers([l for l, _, _ in layers])
        self.shown = layers
        explanation = EXPLANATION if layers else NO_BATCH_NORM
        if self.explanation.text() != explanation:
            self.explanation.setText(explanation)
        self.grid.show_distributions(layers)

    def clear(self) -> None:
        """No rows."""
        self.grid.set_layers([])
        self.grid.update()
        self.shown = []

    def _restyle(self, *_) -> None:
        self.grid.restyle()
        self.grid.update()


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
