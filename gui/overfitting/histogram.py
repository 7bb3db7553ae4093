"""One histogram of the batch-norm distributions panel, painted by hand: what it shows and where.

A ``Histogram`` is a plain object — not a widget: ``gui.overfitting.distributions``'
``HistogramGrid`` paints every one of them in one widget. It holds its caption (title, mean and
sd), its x axis with values, and its filled step outline: one polygon in data coordinates,
written by NumPy (``outline_polygon``) and drawn through a transform. The axes move only when
the data leave them or shrink well inside them (``steady_range``, ``steady_top``), so its ticks
are laid out (``axis_ticks``) and its part of the grid's pixmap redrawn only then
(``paint_still``); each frame paints only the numbers and the outline (``paint_live``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph.functions as pg_functions
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF, QTransform

from gui.widgets.presentation import AXIS_INK, AXIS_LINE, AXIS_POINT_SIZE, PRESENTATION, scaled_font
from model.curves import nice_ceiling
from model.overfitting import Distribution

#: An axis is widened when the data leave it, and narrowed when they fill less than this share.
NARROW_BELOW = 0.4
MARGIN = 6                 # pixels between the widget's sides and the caption or the plot
TOP = 3                    # pixels above the caption
#: The widest numbers a caption usually shows (``:.3g``; an sd of 1.23e+03 is rare): its layout
#: is chosen for these, once per size, so it does not jump between lines as the numbers change;
#: a wider line is squeezed to fit.
WIDEST_NUMBERS = ("mean -8.88e-05", "sd 0.888")


def steady_range(current: tuple[float, float] | None, low: float, high: float
                 ) -> tuple[float, float]:
    """The axis range to show data spanning [low, high]: ``current`` while it holds them and
    they fill at least ``NARROW_BELOW`` of it, else [low, high] widened by a quarter each side."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return current or (-1.0, 1.0)
    span = max(high - low, 1e-9)
    if current is not None and current[0] <= low and high <= current[1] \
            and span >= NARROW_BELOW * (current[1] - current[0]):
        return current
    return (low - 0.25 * span, high + 0.25 * span)


def steady_top(current: float | None, tallest: float) -> float:
    """The y axis's top for bars up to ``tallest``: ``current`` while they reach at least
    ``NARROW_BELOW`` of it, else the next 1, 2, 5 × 10^k above them with a quarter to spare
    (without it, bars near 2000 would switch the top between 2000 and 5000 every frame)."""
    if current is not None and NARROW_BELOW * current <= tallest <= current:
        return current
    return nice_ceiling(1.25 * tallest)


def axis_ticks(low: float, high: float, step: float) -> list[tuple[float, str]]:
    """The multiples of ``step`` in [low, high] and their labels, with as many decimals as
    ``step`` needs: (−1.6, 1.6, 0.5) → (−1.5, '-1.5'), (−1, '-1.0'), …, (1.5, '1.5')."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    ticks = []
    for k in range(math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9) + 1):
        value = round(k * step, decimals) + 0.0          # + 0.0: no −0
        ticks.append((value, f"{value:.{decimals}f}"))
    return ticks


def outline_polygon(edges: np.ndarray, counts: np.ndarray, polygon: QPolygonF | None = None
                    ) -> QPolygonF:
    """The step outline of bars of height counts[i] over [edges[i], edges[i+1]], in data
    coordinates: (e₀, 0), (e₀, c₀), (e₁, c₀), (e₁, c₁), …, (e_n, c_{n−1}), (e_n, 0) — written
    into ``polygon`` when it has that many points (no new one each frame)."""
    if polygon is None or len(polygon) != 2 * len(edges):
        polygon = pg_functions.create_qpolygonf(2 * len(edges))
    points = pg_functions.ndarray_from_qpolygonf(polygon)     # a view of the polygon's memory
    points[:, 0] = np.repeat(edges, 2)
    points[0, 1] = points[-1, 1] = 0.0
    points[1:-1, 1] = np.repeat(counts, 2)
    return polygon


@dataclass(frozen=True)
class HistogramStyle:
    """Fonts and lines of the grid at the presentation scale."""

    scale: float
    font: QFont
    metrics: QFontMetricsF
    axis_pen: QPen
    tick_length: int
    #: The advance of each character a caption's numbers are made of: their sum says whether a
    #: line fits without laying the text out (which costs as much as painting it).
    advances: dict[str, float]

    @classmethod
    def now(cls) -> HistogramStyle:
        scale = PRESENTATION.scale
        font = scaled_font(AXIS_POINT_SIZE)
        metrics = QFontMetricsF(font)
        advances = {c: metrics.horizontalAdvance(c) for c in "mean sd,0123456789.-+finf"}
        return cls(scale, font, metrics, QPen(QColor(AXIS_LINE), scale), round(4 * scale), advances)

    def fits(self, text: str, room: float) -> bool:
        """Whether ``text`` is at most ``room`` wide (kerning can only narrow it a little; a
        pixel to spare)."""
        advances = self.advances
        if all(c in advances for c in text) and sum(advances[c] for c in text) + 1 <= room:
            return True
        return self.metrics.horizontalAdvance(text) <= room


class Histogram:
    """One histogram of the grid and where it stands (``rect``, grid coordinates): the caption
    (title, mean, sd) above, the filled step outline, an x axis with values below.
    ``getData()`` gives (edges, counts) as shown, ``outline`` the polygon painted (data
    coordinates), ``caption_lines`` the caption's text, ``toolTip()`` what it shows."""

    def __init__(self, colour: str, tooltip: str, style: HistogramStyle) -> None:
        self.colour = QColor(colour)
        self.tint = QColor(*(round(0.4 * c + 0.6 * 255)    # 40 % of the colour on white, opaque:
                             for c in (self.colour.red(), self.colour.green(), self.colour.blue())))
        self.tooltip = tooltip
        self._data = (np.array([0.0, 1.0]), np.zeros(1))
        self.outline = outline_polygon(*self._data)
        self.title, self.numbers = "", ("", "")
        self.x_range: tuple[float, float] | None = None
        self.y_top: float | None = None
        self.rect = self.plot_area = QRectF(0, 0, 1, 1)
        self.lines_per_caption = 1
        self.ticks: list[tuple[float, str, float]] = []    # value, label, label's width
        self.restyle(style)
        self.lay_out(self.rect)

    # -- what is shown ------------------------------------------------------------------

    def set_histogram(self, distribution: Distribution, title: str) -> bool:
        """Show ``distribution`` under the caption ``title   mean …, sd …``; True when what is
        painted from the grid's still picture (the title, the axes) changed."""
        edges = np.asarray(distribution.edges, float)
        counts = np.asarray(distribution.counts, float)
        self._data = (edges, counts)
        self.outline = outline_polygon(edges, counts, self.outline)
        self.numbers = (f"mean {distribution.mean:.3g}", f"sd {distribution.std:.3g}")
        x_range = steady_range(self.x_range, float(edges[0]), float(edges[-1]))
        y_top = steady_top(self.y_top, float(counts.max()) if counts.size else 0.0)
        moved = (title, x_range, y_top) != (self.title, self.x_range, self.y_top)
        if moved:
            self.title, self.x_range, self.y_top = title, x_range, y_top
            self.lay_out_ticks()
            self._title_width = self.style.metrics.horizontalAdvance(title + "   ")
        self._place_numbers()
        return moved

    def getData(self) -> tuple[np.ndarray, np.ndarray]:   # noqa: N802 (the plots' name for it)
        return self._data

    def toolTip(self) -> str:   # noqa: N802 (QWidget's name for it)
        return self.tooltip

    @property
    def caption(self) -> str:
        return "   ".join([self.title, ", ".join(self.numbers)])

    @property
    def caption_lines(self) -> list[str]:
        """The caption as painted: one line, or the title and the numbers apart, or all three."""
        if self.lines_per_caption == 1:
            return [self.caption]
        if self.lines_per_caption == 2:
            return [self.title, ", ".join(self.numbers)]
        return [self.title, *self.numbers]

    # -- layout: on resize and presenter-scale changes, and when an axis moves ------------

    def restyle(self, style: HistogramStyle) -> None:
        self.style = style
        self.text_pen = QPen(self.colour)
        self.outline_pen = QPen(self.colour, style.scale)
        self.outline_pen.setCosmetic(True)                  # the same width through the transform

    def lay_out(self, rect: QRectF) -> None:
        """Stand in ``rect``: how many lines the caption takes at its width (one, or the title
        and the numbers apart, or all three apart), the plot area, the ticks."""
        self.rect = rect
        metrics = self.style.metrics
        room = rect.width() - 2 * MARGIN
        numbers = ", ".join(WIDEST_NUMBERS)
        self.lines_per_caption = 1 if metrics.horizontalAdvance(f"layer 88: z   {numbers}") <= room \
            else 2 if metrics.horizontalAdvance(numbers) <= room else 3
        line = metrics.height()
        top = rect.top() + TOP + self.lines_per_caption * line + 2
        bottom = rect.bottom() - (self.style.tick_length + line + 2)
        self.plot_area = QRectF(rect.left() + MARGIN, top, max(room, 1), max(bottom - top, 1))
        self.lay_out_ticks()
        self._title_width = metrics.horizontalAdvance(self.title + "   ")
        self._place_numbers()

    def _place_numbers(self) -> None:
        """Where the mean and sd are painted: after the title on its line, or on the lines below
        it; a line too wide for its room (unusual numbers) is squeezed to fit."""
        metrics, rect = self.style.metrics, self.rect
        line, ascent = metrics.height(), metrics.ascent()
        if self.lines_per_caption == 1:
            left = rect.left() + MARGIN + self._title_width
            lines = [(left, rect.top() + TOP + ascent, ", ".join(self.numbers))]
        else:
            texts = [", ".join(self.numbers)] if self.lines_per_caption == 2 else self.numbers
            lines = [(rect.left() + MARGIN, rect.top() + TOP + (i + 1) * line + ascent, text)
                     for i, text in enumerate(texts)]
        self._number_lines: list[tuple[QPointF, str, QTransform | None]] = []
        for left, baseline, text in lines:
            room, squeeze = rect.right() - MARGIN - left, None
            if room > 0 and not self.style.fits(text, room):
                squeeze = QTransform(room / metrics.horizontalAdvance(text), 0, 0, 1, left, 0)
            self._number_lines.append((QPointF(0 if squeeze else left, baseline), text, squeeze))

    def lay_out_ticks(self) -> None:
        """Ticks at multiples of a 1, 2, 5 × 10^k step, as close as their labels allow (at
        least two: a student reads the scale of z and of u from them)."""
        self.ticks, self._transform = [], self.data_transform()
        if self.x_range is None:
            return
        low, high = self.x_range
        advance = self.style.metrics.horizontalAdvance
        gap = 3 * advance(" ")

        def fit(ticks: list[tuple[float, str]]) -> bool:
            widest = max((advance(label) for _, label in ticks), default=0)
            return (widest + gap) * len(ticks) <= self.plot_area.width()

        step = nice_ceiling((high - low) / 10)
        ticks = axis_ticks(low, high, step)
        while not fit(ticks):
            step = nice_ceiling(1.5 * step)                  # the next of 1, 2, 5 × 10^k
            sparser = axis_ticks(low, high, step)
            if len(sparser) < 2:
                break
            ticks = sparser
        self.ticks = [(value, label, advance(label)) for value, label in ticks]
        self._transform = self.data_transform()

    def data_transform(self) -> QTransform:
        """Data (x, count) → pixels of the plot area (grid coordinates)."""
        area, (low, high), top = self.plot_area, self.x_range or (0.0, 1.0), self.y_top or 1.0
        sx, sy = area.width() / (high - low), -area.height() / top
        return QTransform(sx, 0.0, 0.0, sy, area.left() - sx * low, area.bottom())

    # -- painting --------------------------------------------------------------------------

    def paint_still(self, painter: QPainter) -> None:
        """White, the caption's title, the axes, their ticks and values."""
        rect, area, transform, metrics = self.rect, self.plot_area, self.data_transform(), self.style.metrics
        painter.fillRect(rect, QColor("white"))
        bottom, tick_end = area.bottom(), area.bottom() + self.style.tick_length
        painter.setPen(self.style.axis_pen)
        painter.drawLines([QLineF(area.left(), area.top(), area.left(), bottom),
                           QLineF(area.left(), bottom, area.right(), bottom),
                           *(QLineF(x, bottom, x, tick_end) for x in
                             (transform.map(QPointF(value, 0.0)).x() for value, _, _ in self.ticks))])
        painter.setPen(self.colour)
        painter.drawText(QPointF(rect.left() + MARGIN, rect.top() + TOP + metrics.ascent()), self.title)
        painter.setPen(QColor(AXIS_INK))
        baseline = tick_end + 1 + metrics.ascent()
        for value, label, width in self.ticks:       # centred under the tick, inside the cell
            x = transform.map(QPointF(value, 0.0)).x() - width / 2
            painter.drawText(QPointF(min(max(x, rect.left()), rect.right() - width), baseline), label)

    def paint_live(self, painter: QPainter) -> None:
        """The mean and sd, and the outline (laid out beforehand: this runs every frame)."""
        painter.setPen(self.text_pen)
        for position, text, squeeze in self._number_lines:
            if squeeze is None:
                painter.drawText(position, text)
            else:
                painter.setTransform(squeeze)
                painter.drawText(position, text)
                painter.resetTransform()
        painter.setTransform(self._transform)
        painter.setPen(self.outline_pen)
        painter.setBrush(self.tint)
        painter.drawPolygon(self.outline)
        painter.resetTransform()
