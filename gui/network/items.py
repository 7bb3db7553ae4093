"""Node columns, text labels and the +/− buttons of the network diagram.

``NodeColumnItem`` paints one column of nodes in a handful of calls: the
heatmaps of all its nodes are one pixmap (units stacked vertically) drawn with
a single ``drawPixmapFragments`` call, the node borders one ``drawRects``;
its child ``BiasMarkersItem`` draws the bias markers, one ``drawRects`` per
colour. Text and buttons keep
a constant on-screen size (``ItemIgnoresTransformations``): they stay legible
at any zoom.
"""
from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsObject, QGraphicsSceneHoverEvent,
                               QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget)

from gui.widgets.presentation import PRESENTATION, scaled_font
from gui.widgets.colors import INK, NEGATIVE, NEUTRAL, POSITIVE, rgba_to_qimage
from gui.network.edges import bucket_styles, style_keys

_BIAS_COLORS = [rgb for rgb, _ in bucket_styles(0.0, 0.0)] + [NEUTRAL]
ZERO_KEY = len(_BIAS_COLORS) - 1    # style key of a bias that is exactly 0


def strength_color(value: float, reference: float) -> QColor:
    """Colour of a parameter the way edges are coloured: grey → blue/orange with √|v|."""
    reference = reference if np.isfinite(reference) and reference > 0 else 1.0
    value = float(np.nan_to_num(value))
    t = np.sqrt(min(abs(value) / reference, 1.0))
    strength = 0.25 + 0.75 * t if value != 0 else 0.0
    end = NEGATIVE if value < 0 else POSITIVE
    return QColor(*(int(round(a + (b - a) * strength)) for a, b in zip(NEUTRAL, end)))


def _rect_array(rects: list[tuple[float, float, float, float]]) -> np.ndarray:
    return np.ascontiguousarray(np.array(rects, dtype=np.float64).reshape(-1, 4))


class BiasMarkersItem(QGraphicsItem):
    """The bias markers of one column (a child of its NodeColumnItem, so restyling
    them every frame does not invalidate the column's cached heatmaps)."""

    def __init__(self, bias_rects: list, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self._rects = _rect_array(bias_rects)
        self._sorted = self._rects.copy()
        self._keys = np.full(len(self._rects), ZERO_KEY, dtype=np.uint8)
        self._bounds = np.searchsorted(self._keys, np.arange(ZERO_KEY + 2))
        self._bounds_rect = QRectF(self._rects[:, 0].min(), self._rects[:, 1].min(),
                                   self._rects[0, 2], np.ptp(self._rects[:, 1]) + self._rects[0, 3]
                                   ).adjusted(-2, -2, 2, 2)

    def set_values(self, values: np.ndarray, reference: float) -> None:
        """Colour the markers like edges (``style_keys``); exactly 0 is grey."""
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        keys = np.where(values == 0, ZERO_KEY, style_keys(values, reference))
        order = np.argsort(keys, kind="stable")
        self._sorted = np.ascontiguousarray(self._rects[order])
        self._keys = keys
        self._bounds = np.searchsorted(keys[order], np.arange(ZERO_KEY + 2))
        self.update()

    def color(self, unit: int) -> QColor:
        return QColor(*_BIAS_COLORS[int(self._keys[unit])])

    def boundingRect(self) -> QRectF:
        return self._bounds_rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        border = QPen(QColor(*INK), 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        base = self._sorted.ctypes.data
        for key, rgb in enumerate(_BIAS_COLORS):
            first, last = int(self._bounds[key]), int(self._bounds[key + 1])
            if last > first:
                painter.setBrush(QColor(*rgb))
                painter.drawRects(shiboken6.wrapInstance(base + 32 * first, QRectF), last - first)


class NodeColumnItem(QGraphicsItem):
    """The nodes of one column: heatmaps (or plain fills) and borders.

    Cached in device coordinates: it changes only with the heatmaps, the
    sample or the focus, not with every training snapshot.
    """

    def __init__(self, node_rects: list, bias_rects: list | None) -> None:
        super().__init__()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._rects = _rect_array(node_rects)
        self.biases = BiasMarkersItem(bias_rects, self) if bias_rects else None
        self._fills: list[QColor] | None = None
        self._pixmap: QPixmap | None = None
        self._fragments: np.ndarray | None = None
        s = self._rects[0, 2]
        self._bounds = QRectF(self._rects[:, 0].min(), self._rects[:, 1].min(),
                              s, np.ptp(self._rects[:, 1]) + s).adjusted(-0.2 * s - 3, -0.2 * s - 3,
                                                                          0.2 * s + 3, 0.2 * s + 3)

    @property
    def unit_count(self) -> int:
        return len(self._rects)

    def node_rect(self, unit: int) -> QRectF:
        return QRectF(*self._rects[unit])

    def set_heatmaps(self, rgba: np.ndarray | None) -> None:
        """rgba: (units, res, res, 4) uint8, row 0 drawn at the top; None removes them."""
        if rgba is None:
            self._pixmap = self._fragments = None
        else:
            units, res = rgba.shape[0], rgba.shape[1]
            self._pixmap = QPixmap.fromImage(rgba_to_qimage(rgba.reshape(units * res, res, 4)))
            # PixmapFragment: x, y (centre), sourceLeft, sourceTop, width, height,
            # scaleX, scaleY, rotation, opacity
            fragments = np.zeros((units, 10))
            fragments[:, 0] = self._rects[:, 0] + self._rects[:, 2] / 2
            fragments[:, 1] = self._rects[:, 1] + self._rects[:, 3] / 2
            fragments[:, 3] = np.arange(units) * res
            fragments[:, 4:6] = res
            fragments[:, 6] = self._rects[:, 2] / res
            fragments[:, 7] = self._rects[:, 3] / res
            fragments[:, 9] = 1.0
            self._fragments = fragments
        self.update()

    @property
    def has_heatmaps(self) -> bool:
        return self._pixmap is not None

    def set_fills(self, colors: list[QColor] | None) -> None:
        """Plain node fills (used when there is no heatmap), e.g. the sample's a."""
        self._fills = colors
        self.update()

    def set_bias_values(self, values: np.ndarray, reference: float) -> None:
        if self.biases is not None:
            self.biases.set_values(values, reference)

    def bias_color(self, unit: int) -> QColor:
        return self.biases.color(unit)

    def set_dimmed(self, dimmed: bool) -> None:
        """Dimming is item opacity, so it covers the bias markers (children) too."""
        self.setOpacity(0.3 if dimmed else 1.0)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        n = len(self._rects)
        rects = shiboken6.wrapInstance(self._rects.ctypes.data, QRectF)
        if self._pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawPixmapFragments(
                shiboken6.wrapInstance(self._fragments.ctypes.data, QPainter.PixmapFragment),
                n, self._pixmap)
        elif self._fills is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            for unit, color in enumerate(self._fills):
                painter.fillRect(QRectF(*self._rects[unit]), color)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255))
            painter.drawRects(rects, n)
        border = QPen(QColor(*INK), 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects(rects, n)


class LabelItem(QGraphicsItem):
    """Text of constant on-screen size anchored at a scene point.

    ``anchor`` is where the point sits on the text box: "center", "left" (box
    to the right of the point), "right", "top" (box below) or "bottom" (box
    above); ``offset`` shifts the box in device pixels. ``pill`` draws a light
    rounded background so the text reads over edges.
    """

    def __init__(self, text: str, point_size: float = 9.0, anchor: str = "center",
                 offset: tuple[float, float] = (0.0, 0.0), pill: bool = False,
                 bold: bool = False, color: QColor | None = None) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._point_size, self._bold = point_size, bold
        self._font = scaled_font(point_size, bold)
        self._anchor, self._base_offset, self._pill = anchor, offset, pill
        self._offset = self._scaled_offset()
        self._color = color or QColor(*INK)
        self._text = ""
        self._rect = QRectF()
        self.set_text(text)

    def _scaled_offset(self) -> tuple[float, float]:
        return (self._base_offset[0] * PRESENTATION.scale, self._base_offset[1] * PRESENTATION.scale)

    def set_offset(self, offset: tuple[float, float], anchor: str | None = None) -> None:
        """Shift the box by ``offset`` device pixels (at scale 1) from its anchor (and move the
        anchor, one of the constructor's, when given)."""
        self._base_offset = offset
        self._anchor = anchor or self._anchor
        self._offset = self._scaled_offset()
        self.set_text(self._text)

    def rescale(self) -> None:
        """Follow presenter mode's scale (font and offset)."""
        self._font = scaled_font(self._point_size, self._bold)
        self._offset = self._scaled_offset()
        self.set_text(self._text)

    @property
    def text(self) -> str:
        return self._text

    def width_of(self, text: str) -> float:
        """Device pixels ``text`` would take in this label's font."""
        return QFontMetricsF(self._font).boundingRect(QRectF(0, 0, 1000, 1000),
                                                      Qt.AlignmentFlag.AlignLeft, text).width()

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self._text = text
        box = QFontMetricsF(self._font).boundingRect(QRectF(0, 0, 1000, 1000),
                                                     Qt.AlignmentFlag.AlignLeft, text)
        w, h = box.width() + (10 if self._pill else 2), box.height() + (2 if self._pill else 0)
        x = {"left": 0.0, "right": -w}.get(self._anchor, -w / 2)
        y = {"top": 0.0, "bottom": -h}.get(self._anchor, -h / 2)
        self._rect = QRectF(x + self._offset[0], y + self._offset[1], w, h)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if self._pill:
            painter.setPen(QPen(QColor(0, 0, 0, 40), 1.0))
            painter.setBrush(QColor(255, 255, 255, 225))
            radius = self._rect.height() / 2
            painter.drawRoundedRect(self._rect, radius, radius)
        painter.setFont(self._font)
        painter.setPen(self._color)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)


class ButtonItem(QGraphicsObject):
    """A round +/− button of constant on-screen size (20 px × presenter mode's scale)."""

    clicked = Signal()
    RADIUS = 10.0

    def __init__(self, symbol: str, tooltip: str, offset: tuple[float, float]) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptHoverEvents(True)
        self.setToolTip(tooltip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.symbol = symbol
        self._offset = offset
        self._lift = 0.0
        self._centre = QPointF(*offset) * PRESENTATION.scale
        self._radius = self.RADIUS * PRESENTATION.scale
        self._hovered = False

    def rescale(self) -> None:
        """Follow presenter mode's scale (size and distance from the header)."""
        self.prepareGeometryChange()
        self._centre = QPointF(self._offset[0], self._offset[1] - self._lift) * PRESENTATION.scale
        self._radius = self.RADIUS * PRESENTATION.scale
        self.update()

    def set_lift(self, lift: float) -> None:
        """Sit ``lift`` device pixels (at scale 1) higher than the offset given, with a lifted header."""
        self._lift = lift
        self.rescale()

    def boundingRect(self) -> QRectF:
        r = self._radius + 1
        return QRectF(self._centre.x() - r, self._centre.y() - r, 2 * r, 2 * r)

    def centre(self) -> QPointF:
        """Centre in item (device-pixel) coordinates."""
        return QPointF(self._centre)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not self.isEnabled():
            painter.setOpacity(0.35)     # e.g. "remove" on a one-neuron layer
        scale = PRESENTATION.scale
        painter.setPen(QPen(QColor(*INK), 1.0 * scale))
        painter.setBrush(QBrush(QColor(225, 232, 240) if self._hovered and self.isEnabled()
                                else QColor(255, 255, 255)))
        painter.drawEllipse(self._centre, self._radius, self._radius)
        pen = QPen(QColor(*INK), 2.0 * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        c, arm = self._centre, self._radius * 0.5
        painter.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()))
        if self.symbol == "+":
            painter.drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm))

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hovered = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.boundingRect().contains(event.pos()):
            self.clicked.emit()
