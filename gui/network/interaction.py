"""Mouse and keyboard on the network view: hit-testing, hover, click, zoom and pan.

Edges are batched into one item per layer, so they are hit-tested
geometrically: the nearest segment to the pointer (point-to-segment distance,
``NetworkLayout.nearest_edge``) within ``EDGE_PICK_PIXELS`` screen pixels.
A left press that moves more than ``DRAG_PIXELS`` pans; one that does not is a
click. Wheel and Ctrl+= / Ctrl+- zoom about the pointer / centre; double-click on
the background or "0" fits the diagram to the view.

``Navigator`` owns the view's zoom and scroll; ``PointerController`` turns the
view's input events into hover and click targets, which it hands to callbacks.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsView

from gui.network.diagram import Diagram
from gui.network.items import ButtonItem
from gui.network.layout import NetworkLayout

EDGE_PICK_PIXELS = 6.0
NODE_PICK_PIXELS = 3.0
DRAG_PIXELS = 4.0
ZOOM_STEP = 1.25
MAX_FIT_SCALE = 2.0


def hit_test(layout: NetworkLayout, scene_pos: QPointF, scale: float) -> tuple | None:
    """("bias", column, unit) | ("node", column, unit) | ("edge", layer, i, j) | None."""
    per_pixel = 1.0 / max(scale, 1e-9)
    x, y = scene_pos.x(), scene_pos.y()
    hit = layout.bias_at(x, y, NODE_PICK_PIXELS * per_pixel)
    if hit is not None:
        return ("bias", *hit)
    hit = layout.node_at(x, y, NODE_PICK_PIXELS * per_pixel)
    if hit is not None:
        return ("node", *hit)
    edge = layout.nearest_edge(x, y)
    if edge is not None and edge[3] <= EDGE_PICK_PIXELS * per_pixel:
        return ("edge", *edge[:3])
    return None


class Navigator:
    """Zoom and scroll of ``view`` around the diagram it is given (``show``)."""

    def __init__(self, view: QGraphicsView, compact: bool,
                 on_scale_changed: Callable[[], None]) -> None:
        self._view = view
        self._compact = compact
        self._on_scale_changed = on_scale_changed
        self._diagram: Diagram | None = None
        self.auto_fit = True
        self.fit_scale = 1.0

    def show(self, diagram: Diagram) -> None:
        self._diagram = diagram
        self.fit()

    def current_scale(self) -> float:
        return self._view.transform().m11()

    def fit(self) -> None:
        """Scale and centre so every node, header and label is visible."""
        if self._diagram is None:
            return
        view = self._view
        left, top, width, height = self._diagram.layout.bounds()
        m_left, m_top, m_right, m_bottom = self._diagram.fit_margins()
        view_w = max(view.viewport().width() - m_left - m_right, 20)
        view_h = max(view.viewport().height() - m_top - m_bottom, 20)
        scale = self.fit_scale = min(view_w / width, view_h / height, MAX_FIT_SCALE)
        view.setTransform(QTransform.fromScale(scale, scale))
        view.centerOn(QPointF(left + width / 2 + (m_right - m_left) / (2 * scale),
                              top + height / 2 + (m_bottom - m_top) / (2 * scale)))
        self.auto_fit = True
        self._on_scale_changed()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport pixels) fixed."""
        if self._diagram is None or self._compact:
            return
        view, scale = self._view, self.current_scale()
        low, high = 0.4 * self.fit_scale, max(6.0, 6.0 * self.fit_scale)
        factor = min(max(scale * factor, low), high) / scale
        if abs(factor - 1.0) < 1e-9:
            return
        anchor = anchor if anchor is not None else view.viewport().rect().center()
        before = view.mapToScene(anchor)
        view.scale(factor, factor)
        self.scroll_by(view.mapFromScene(before) - anchor)
        self.auto_fit = False
        self._on_scale_changed()

    def scroll_by(self, delta: QPoint | QPointF) -> None:
        bars = self._view.horizontalScrollBar(), self._view.verticalScrollBar()
        bars[0].setValue(bars[0].value() + round(delta.x()))
        bars[1].setValue(bars[1].value() + round(delta.y()))


class PointerController:
    """The view's input events → pan, zoom, ``on_hover(target, global_pos)`` and
    ``on_click(target, viewport_pos)``. Each handler returns True when it used the event."""

    def __init__(self, view: QGraphicsView, navigator: Navigator, compact: bool,
                 target_at: Callable[[QPointF], tuple | None],
                 on_hover: Callable[[tuple | None, QPoint], None],
                 on_click: Callable[[tuple, QPoint], None]) -> None:
        self._view = view
        self._navigator = navigator
        self._compact = compact
        self._target_at = target_at
        self._on_hover = on_hover
        self._on_click = on_click
        self._press_pos: QPointF | None = None
        self._last_pos = QPointF()
        self._dragging = False

    def _button_at(self, point: QPoint) -> bool:
        """Is an enabled +/− button under this viewport point? (It handles the click.)"""
        item = self._view.itemAt(point)
        return isinstance(item, ButtonItem) and item.isEnabled()

    def press(self, event: QMouseEvent) -> bool:
        if self._button_at(event.position().toPoint()) \
                or event.button() != Qt.MouseButton.LeftButton:
            return False
        self._press_pos = self._last_pos = event.position()
        self._dragging = False
        return True

    def move(self, event: QMouseEvent) -> bool:
        """Pans while the left button is down (True); otherwise reports the hover (False)."""
        position = event.position()
        if self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and not self._compact and \
                    (position - self._press_pos).manhattanLength() > DRAG_PIXELS:
                self._dragging = True
                self._view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                self._navigator.scroll_by(self._last_pos - position)
                self._navigator.auto_fit = False
            self._last_pos = position
            return True
        self._on_hover(self._target_at(self._view.mapToScene(position.toPoint())),
                       event.globalPosition().toPoint())
        return False

    def release(self, event: QMouseEvent) -> bool:
        if self._press_pos is None:
            return False
        was_drag, self._press_pos, self._dragging = self._dragging, None, False
        self._view.viewport().unsetCursor()
        point = event.position().toPoint()
        target = self._target_at(self._view.mapToScene(point))
        if not was_drag and target is not None:
            self._on_click(target, point)
        return True

    def double_click(self, event: QMouseEvent) -> bool:
        point = event.position().toPoint()
        if self._target_at(self._view.mapToScene(point)) is None and not self._button_at(point):
            self._navigator.fit()
            return True
        return False

    def wheel(self, event: QWheelEvent) -> bool:
        """False for a compact view (a surrounding scroll area scrolls instead)."""
        if self._compact:
            return False
        steps = event.angleDelta().y() / 120.0
        if steps:
            self._navigator.zoom_by(ZOOM_STEP ** steps, event.position().toPoint())
        return True

    def key(self, event: QKeyEvent) -> bool:
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self._navigator.zoom_by(ZOOM_STEP)
        elif ctrl and key == Qt.Key.Key_Minus:
            self._navigator.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self._navigator.fit()
        else:
            return False
        return True
