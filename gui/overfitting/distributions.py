"""View ▸ Batch-norm distributions: per normalised layer, z before and u after batch norm.

Histograms over the training set (evaluation mode: the running statistics), with the mean
and standard deviation of each. Before: wherever the weights put the sums; after: near mean
β and spread γ — the layer's next weights see inputs on a steady scale. Numbers from
``model.overfitting.normalisation_distributions``, computed off the GUI thread (the app's
background worker, ``gui.training.requests``) from the painted snapshot, at most twice a
second while the dock is visible; the GUI thread only paints them.

Painting is kept cheap (a 6 × 64 network has twelve histograms, refreshed while training;
``benchmarks/gui_speed.py`` times it): each histogram is a small widget that paints itself
with QPainter instead of a pyqtgraph plot — a pixmap of what rarely changes (the caption's
title, the x axis with its values, a light left edge), then the mean and sd, then the filled
step outline (one polygon in data coordinates, built with NumPy, drawn through a transform).
The axes move only when the data leave them or shrink well inside them (``steady_range``,
``steady_top``), so the ticks are laid out and the pixmap redrawn only then, on a resize and
in presenter mode, not every frame.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph.functions as pg_functions
from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPixmap, QPolygonF, QTransform
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.overfitting.live_dock import LiveDock
from gui.training.requests import RequestController
from gui.widgets.loss_plot import nice_ceiling
from gui.widgets.presentation import AXIS_INK, AXIS_LINE, AXIS_POINT_SIZE, PRESENTATION, scaled_font
from gui.workspace import WindowServices
from model import Network
from model.overfitting import Distribution, normalisation_distributions
from model.training import Snapshot

BEFORE, AFTER = "#8c6bb1", "#2a7a3a"
#: An axis is widened when the data leave it, and narrowed when they fill less than this share.
NARROW_BELOW = 0.4
MARGIN = 6                 # pixels between the widget's sides and the caption or the plot
TOP = 3                    # pixels above the caption
#: The widest numbers a caption usually shows (``:.3g``; an sd of 1.23e+03 is rare): its layout
#: is chosen for these, once per size, so it does not jump between lines as the numbers change;
#: a wider line is squeezed to fit.
WIDEST_NUMBERS = ("mean -8.88e-05", "sd 0.888")
EXPLANATION = ("Batch norm rescales each layer's sums z (purple) to u = γ·ẑ + β (green): mean β and "
               "spread γ whatever the weights do, so the next layer learns on a steady scale.")
NO_BATCH_NORM = ("No hidden layer uses batch norm: tick “batch norm” beside a layer (Network "
                 "controls) to see what it does to the sums.")


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


def steady_top(current: float | None, tallest: float) -> float:
    """The y axis's top for bars up to ``tallest``: ``current`` while they reach at least
    ``NARROW_BELOW`` of it, else the next 1, 2, 5 × 10^k above them."""
    if current is not None and NARROW_BELOW * current <= tallest <= current:
        return current
    return nice_ceiling(tallest)


def axis_ticks(low: float, high: float, step: float) -> list[tuple[float, str]]:
    """The multiples of ``step`` in [low, high] and their labels, with as many decimals as
    ``step`` needs: (−1.6, 1.6, 0.5) → (−1.5, '-1.5'), (−1, '-1.0'), …, (1.5, '1.5')."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    ticks = []
    for k in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1):
        value = round(k * step, decimals) + 0.0          # + 0.0: no −0
        ticks.append((value, f"{value:.{decimals}f}"))
    return ticks


def outline_polygon(edges: np.ndarray, counts: np.ndarray) -> QPolygonF:
    """The step outline of bars of height counts[i] over [edges[i], edges[i+1]], in data
    coordinates: (e₀, 0), (e₀, c₀), (e₁, c₀), (e₁, c₁), …, (e_n, c_{n−1}), (e_n, 0)."""
    polygon = pg_functions.create_qpolygonf(2 * len(edges))
    points = pg_functions.ndarray_from_qpolygonf(polygon)     # a view of the polygon's memory
    points[:, 0] = np.repeat(edges, 2)
    points[0, 1] = points[-1, 1] = 0.0
    points[1:-1, 1] = np.repeat(counts, 2)
    return polygon


class HistogramView(QWidget):
    """One histogram, painted with QPainter: the caption (title, mean, sd) above, the filled
    step outline, an x axis with values below. ``getData()`` gives (edges, counts) as shown,
    ``outline`` the polygon painted (data coordinates), ``caption_lines`` the caption's text."""

    def __init__(self, colour: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("histogramView")
        self.setToolTip(tooltip)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)   # paints every pixel itself
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.colour = QColor(colour)
        self.tint = QColor(*(round(0.4 * c + 0.6 * 255)    # 40 % of the colour on white, opaque:
                             for c in (self.colour.red(), self.colour.green(), self.colour.blue())))
        self._data = (np.array([0.0, 1.0]), np.zeros(1))
        self.outline = outline_polygon(*self._data)
        self.title, self.numbers = "", ("", "")
        self.x_range: tuple[float, float] | None = None
        self.y_top: float | None = None
        self._lines_per_caption = 1
        self._ticks: list[tuple[float, str, float]] = []   # value, label, label's width
        self._axes: QPixmap | None = None                  # the background, axes drawn
        self.restyle()

    # -- what is shown ------------------------------------------------------------------

    def set_histogram(self, distribution: Distribution, title: str) -> None:
        """Show ``distribution`` under the caption ``title   mean …, sd …``."""
        edges = np.asarray(distribution.edges, float)
        counts = np.asarray(distribution.counts, float)
        self._data = (edges, counts)
        self.outline = outline_polygon(edges, counts)
        if title != self.title:
            self.title, self._axes = title, None          # the title is drawn with the axes
        self.numbers = (f"mean {distribution.mean:.3g}", f"sd {distribution.std:.3g}")
        x_range = steady_range(self.x_range, float(edges[0]), float(edges[-1]))
        y_top = steady_top(self.y_top, float(counts.max()) if counts.size else 0.0)
        if (x_range, y_top) != (self.x_range, self.y_top):
            self.x_range, self.y_top = x_range, y_top
            self._lay_out_ticks()
        self.update()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:   # noqa: N802 (the plots' name for it)
        return self._data

    @property
    def caption(self) -> str:
        return "   ".join([self.title, ", ".join(self.numbers)])

    @property
    def caption_lines(self) -> list[str]:
        """The caption as painted: one line, or the title and the numbers apart, or all three."""
        if self._lines_per_caption == 1:
            return [self.caption]
        if self._lines_per_caption == 2:
            return [self.title, ", ".join(self.numbers)]
        return [self.title, *self.numbers]

    # -- layout: on resize and presenter-scale changes, and when an axis moves ------------

    def restyle(self) -> None:
        """Fonts, line widths and minimum size at the presentation scale."""
        self.scale = PRESENTATION.scale
        self.text_font = scaled_font(AXIS_POINT_SIZE)
        self.metrics = QFontMetricsF(self.text_font)
        self.axis_pen = QPen(QColor(AXIS_LINE), self.scale)
        self.outline_pen = QPen(self.colour, self.scale)
        self.outline_pen.setCosmetic(True)                  # the same width through the transform
        self.tick_length = round(4 * self.scale)
        widest_numbers = max(self.metrics.horizontalAdvance(n) for n in WIDEST_NUMBERS)
        # the numbers' line fits; with a two-line caption the plot is ≥ 36 px high
        self.setMinimumSize(math.ceil(widest_numbers) + 2 * MARGIN,
                            math.ceil(3 * self.metrics.height()) + TOP + self.tick_length + 40)
        self._lay_out()

    def sizeHint(self) -> QSize:   # noqa: N802
        """As small as allowed: the panel's rows share the dock's height (six fit at 800 px)."""
        return QSize(200, self.minimumHeight())

    def resizeEvent(self, event) -> None:   # noqa: N802
        self._lay_out()

    def _lay_out(self) -> None:
        """How many lines the caption takes at this width (one, or the title and the numbers
        apart, or all three apart), the plot area, the ticks."""
        room = self.width() - 2 * MARGIN
        advance = self.metrics.horizontalAdvance
        numbers = ", ".join(WIDEST_NUMBERS)
        self._lines_per_caption = 1 if advance(f"layer 88: z   {numbers}") <= room \
            else 2 if advance(numbers) <= room else 3
        line = self.metrics.height()
        top = TOP + self._lines_per_caption * line + 2
        bottom = self.height() - (self.tick_length + line + 2)
        self.plot_area = QRectF(MARGIN, top, max(self.width() - 2 * MARGIN, 1), max(bottom - top, 1))
        self._lay_out_ticks()

    def _lay_out_ticks(self) -> None:
        """Ticks at multiples of a 1, 2, 5 × 10^k step, as close as their labels allow (at
        least two: a student reads the scale of z and of u from them)."""
        self._ticks, self._axes = [], None
        if self.x_range is None:
            return
        low, high = self.x_range
        gap = 3 * self.metrics.horizontalAdvance(" ")

        def fit(ticks: list[tuple[float, str]]) -> bool:
            widest = max((self.metrics.horizontalAdvance(label) for _, label in ticks), default=0)
            return (widest + gap) * len(ticks) <= self.plot_area.width()

        step = nice_ceiling((high - low) / 10)
        ticks = axis_ticks(low, high, step)
        while not fit(ticks):
            step = nice_ceiling(1.5 * step)                  # the next of 1, 2, 5 × 10^k
            sparser = axis_ticks(low, high, step)
            if len(sparser) < 2:
                break
            ticks = sparser
        self._ticks = [(value, label, self.metrics.horizontalAdvance(label)) for value, label in ticks]

    def data_transform(self) -> QTransform:
        """Data (x, count) → pixels of the plot area."""
        area, (low, high), top = self.plot_area, self.x_range or (0.0, 1.0), self.y_top or 1.0
        sx, sy = area.width() / (high - low), -area.height() / top
        return QTransform(sx, 0.0, 0.0, sy, area.left() - sx * low, area.bottom())

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event) -> None:   # noqa: N802
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._background())
        painter.setFont(self.text_font)
        painter.setPen(self.colour)
        line, ascent = self.metrics.height(), self.metrics.ascent()
        if self._lines_per_caption == 1:                 # after the title, on its line
            left = MARGIN + self.metrics.horizontalAdvance(self.title + "   ")
            lines = [(left, TOP + ascent, ", ".join(self.numbers))]
        else:
            texts = [", ".join(self.numbers)] if self._lines_per_caption == 2 else self.numbers
            lines = [(MARGIN, TOP + (i + 1) * line + ascent, text) for i, text in enumerate(texts)]
        for left, baseline, text in lines:
            room, width = self.width() - MARGIN - left, self.metrics.horizontalAdvance(text)
            if width > room:                             # unusually wide numbers: squeezed
                painter.setTransform(QTransform(room / width, 0, 0, 1, left, 0))
                painter.drawText(QPointF(0, baseline), text)
                painter.resetTransform()
            else:
                painter.drawText(QPointF(left, baseline), text)
        painter.setTransform(self.data_transform())
        painter.setPen(self.outline_pen)
        painter.setBrush(self.tint)
        painter.drawPolygon(self.outline)
        painter.end()

    def _background(self) -> QPixmap:
        """White, the caption's title, the axes, their ticks and values: drawn again only when
        the size, the presentation scale, the title or an axis range changed."""
        if self._axes is not None:
            return self._axes
        ratio = self.devicePixelRatioF()
        self._axes = QPixmap(self.size() * ratio)
        self._axes.setDevicePixelRatio(ratio)
        self._axes.fill(Qt.GlobalColor.white)
        painter = QPainter(self._axes)
        area, transform = self.plot_area, self.data_transform()
        bottom, tick_end = area.bottom(), area.bottom() + self.tick_length
        painter.setPen(self.axis_pen)
        painter.drawLines([QLineF(area.left(), area.top(), area.left(), bottom),
                           QLineF(area.left(), bottom, area.right(), bottom),
                           *(QLineF(x, bottom, x, tick_end) for x in
                             (transform.map(QPointF(value, 0.0)).x() for value, _, _ in self._ticks))])
        painter.setFont(self.text_font)
        painter.setPen(self.colour)
        painter.drawText(QPointF(MARGIN, TOP + self.metrics.ascent()), self.title)
        painter.setPen(QColor(AXIS_INK))
        baseline = tick_end + 1 + self.metrics.ascent()
        for value, label, width in self._ticks:      # centred under the tick, inside the widget
            x = transform.map(QPointF(value, 0.0)).x() - width / 2
            painter.drawText(QPointF(min(max(x, 0.0), self.width() - 1 - width), baseline), label)
        painter.end()
        return self._axes


def _tooltips(layer: int) -> tuple[str, str]:
    """What the two histograms of hidden layer ``layer`` (from 1) show (rich text: it wraps)."""
    return (f"<p>Layer {layer}'s weighted sums z = W·a + b <b>before batch norm</b>, over the "
            "training set: how many of them (every neuron, every sample) fall in each bin. Their "
            "mean and spread are wherever the weights put them.</p>",
            f"<p>Layer {layer}'s sums <b>after batch norm</b>, u = γ·ẑ + β, with ẑ = z standardised "
            "by the running mean and variance: mean near β and spread near γ, whatever the "
            "weights do.</p>")


class DistributionsPanel(QWidget):
    """One row per batch-norm layer: the histogram of z and of u."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("distributionsPanel")
        layout = QVBoxLayout(self)
        self.explanation = QLabel(EXPLANATION)
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.grid = QWidget(objectName="distributionsGrid")
        self.grid_layout = QGridLayout(self.grid)
        self.grid_layout.setContentsMargins(0, 0, 0, 0)
        self.grid_layout.setSpacing(4)
        layout.addWidget(self.grid, 1)
        self.shown: list[tuple[int, Distribution, Distribution]] = []
        self.rows: list[tuple[HistogramView, HistogramView]] = []
        PRESENTATION.changed.connect(self._restyle)

    def show_distributions(self, layers: list[tuple[int, Distribution, Distribution]]) -> None:
        if [l for l, _, _ in layers] != [l for l, _, _ in self.shown] or len(self.rows) != len(layers):
            self._rebuild([l for l, _, _ in layers])
        self.shown = layers
        explanation = EXPLANATION if layers else NO_BATCH_NORM
        if self.explanation.text() != explanation:
            self.explanation.setText(explanation)
        for (layer, before, after), (z_view, u_view) in zip(layers, self.rows):
            z_view.set_histogram(before, f"layer {layer + 1}: z")
            u_view.set_histogram(after, f"layer {layer + 1}: u")

    def clear(self) -> None:
        """No rows."""
        self._rebuild([])
        self.shown = []

    def _rebuild(self, layers: list[int]) -> None:
        for z_view, u_view in self.rows:
            for view in (z_view, u_view):
                self.grid_layout.removeWidget(view)
                view.deleteLater()
        self.rows = []
        for row, layer in enumerate(layers):
            z_tip, u_tip = _tooltips(layer + 1)
            views = HistogramView(BEFORE, z_tip, self.grid), HistogramView(AFTER, u_tip, self.grid)
            for column, view in enumerate(views):
                self.grid_layout.addWidget(view, row, column)
            self.rows.append(views)

    def _restyle(self, *_) -> None:
        for views in self.rows:
            for view in views:
                view.restyle()
                view.update()


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
