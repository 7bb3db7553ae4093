"""Presenter mode's one number: how much larger every text and line is drawn (1 = normal).

``PRESENTATION.scale`` is read when a view draws text (the diagram's labels, the
plots' axes, the walkthrough's formulas); ``PRESENTATION.changed(scale)`` tells
the views to restyle. Widgets that use the application font follow
``QApplication.setFont`` (``gui.window.presenter`` sets both).
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from gui.widgets.log_axis import LogAxis

#: The scales Ctrl+= / Ctrl+− step through; Presenter switches between 1 and PRESENTER_SCALE.
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)
PRESENTER_SCALE = 1.5
#: Axis titles and tick labels: dark enough to read on a projector (pyqtgraph's default is grey).
AXIS_INK = "#202020"
AXIS_LINE = "#505050"
AXIS_POINT_SIZE = 9.0


class Presentation(QObject):
    """The text and line scale of the process's windows."""

    changed = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self.scale = 1.0

    def set_scale(self, scale: float) -> None:
        scale = float(min(max(scale, SCALES[0]), SCALES[-1]))
        if scale != self.scale:
            self.scale = scale
            self.changed.emit(scale)


PRESENTATION = Presentation()


def scaled_font(point_size: float, bold: bool = False, base: QFont | None = None) -> QFont:
    """A font of ``point_size`` × the presentation scale."""
    font = QFont(base) if base is not None else QFont()
    font.setPointSizeF(point_size * PRESENTATION.scale)
    font.setBold(bold)
    return font


class FollowsPresentation:
    """Mixin for a pyqtgraph plot widget that restyles itself at presenter mode's scale.

    A hidden plot (e.g. of a closed window, whose items pyqtgraph may already have torn
    down) restyles when it is shown again, never while hidden.
    """

    _applied_scale: float | None = None

    def follow_presentation(self) -> None:
        PRESENTATION.changed.connect(self._presentation_changed)
        self._restyle_now()

    def _presentation_changed(self, *_) -> None:
        if self.isVisible():
            self._restyle_now()

    def _restyle_now(self) -> None:
        self._applied_scale = PRESENTATION.scale
        self.apply_presentation()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._applied_scale != PRESENTATION.scale:
            self._restyle_now()

    def apply_presentation(self) -> None:
        raise NotImplementedError


def cache_axes(plot: pg.PlotItem, axes: tuple[str, ...] = ("left", "bottom")) -> None:
    """Paint ``plot``'s axes (ticks, labels, grid lines) from a pixmap that pyqtgraph re-renders
    only when an axis changes (range, size, style): a curve redrawn under them then costs a blit,
    not a replay of every tick and grid line."""
    for name in axes:
        plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def style_plot(plot: pg.PlotItem, axes: tuple[str, ...] = ("left", "bottom")) -> None:
    """Axis titles, ticks and axis lines of ``plot`` at the presentation scale, in dark ink
    (painted from a cache, ``cache_axes``)."""
    cache_axes(plot, axes)
    scale = PRESENTATION.scale
    for name in axes:
        axis = plot.getAxis(name)
        axis.setTickFont(scaled_font(AXIS_POINT_SIZE))
        axis.setTextPen(pg.mkPen(AXIS_INK))
        axis.setPen(pg.mkPen(AXIS_LINE, width=scale))
        axis.setStyle(tickLength=round(5 * scale))
        style = {"color": AXIS_INK, "font-size": f"{AXIS_POINT_SIZE * scale:g}pt"}
        if axis.labelText:
            axis.setLabel(axis.labelText, axis.labelUnits or None, **style)
        else:
            axis.labelStyle = style                  # for a title set later
        # room for the larger ticks: pyqtgraph sizes the axis from the tick font
        if name in ("left", "right"):
            axis.setWidth(None)
        else:
            axis.setHeight(None)


class PresentablePlot(FollowsPresentation, pg.PlotWidget):
    """A white pyqtgraph plot whose axis titles, ticks and lines follow presenter mode.

    Axis titles set after construction take the presentation's style too (``style_plot``
    keeps it for them)."""

    def __init__(self, parent=None, **options) -> None:
        options.setdefault("axisItems", {"left": LogAxis("left")})
        super().__init__(parent, background="w", **options)
        self.follow_presentation()

    def apply_presentation(self) -> None:
        style_plot(self.getPlotItem())
