"""Mouse and keyboard behaviour of the network view: hover, click-to-edit, zoom, pan.

Edges are batched into one item per layer, so they are hit-tested
geometrically: the nearest segment to the pointer (point-to-segment distance,
``NetworkLayout.nearest_edge``) within ``EDGE_PICK_PIXELS`` screen pixels.
A left press that moves more than ``DRAG_PIXELS`` pans; one that does not is a
click (node → ``neuronClicked``, edge or bias marker → the inline editor).
Wheel and Ctrl+= / Ctrl+- zoom about the pointer / centre; double-click on
the background or "0" fits the diagram to the view.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QToolTip

from gui.network.editor import ValueEditor
from gui.network.items import ButtonItem

EDGE_PICK_PIXELS = 6.0
NODE_PICK_PIXELS = 3.0
DRAG_PIXELS = 4.0
ZOOM_STEP = 1.25


class NetworkInteraction:
    """Mixin for NetworkView (a QGraphicsView with ``_layout`` and the API methods)."""

    def _init_interaction(self) -> None:
        self._press_pos: QPointF | None = None
        self._last_pos = QPointF()
        self._dragging = False
        self._auto_fit = True
        self._fit_scale = 1.0
        self._hover_target: tuple | None = None
        self.value_editor = ValueEditor(self.viewport())
        self.value_editor.accepted.connect(self._on_editor_accepted)

    # --- geometry -------------------------------------------------------------
    def current_scale(self) -> float:
        return self.transform().m11()

    def hit_test(self, scene_pos: QPointF) -> tuple | None:
        """("bias", column, unit) | ("node", column, unit) | ("edge", layer, i, j) | None."""
        layout = self._layout
        if layout is None:
            return None
        per_pixel = 1.0 / max(self.current_scale(), 1e-9)
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

    def hover_text_at(self, scene_pos: QPointF) -> str:
        """The tooltip text for the thing at ``scene_pos`` ('' for the background)."""
        target = self.hit_test(scene_pos)
        return self._tooltip_for(target) if target is not None else ""

    # --- zoom and pan -----------------------------------------------------------
    def fit_to_view(self) -> None:
        """Scale and centre so every node, header and label is visible."""
        if self._layout is None:
            return
        left, top, width, height = self._layout.bounds()
        m_left, m_top, m_right, m_bottom = self._fit_margins()
        view_w = max(self.viewport().width() - m_left - m_right, 20)
        view_h = max(self.viewport().height() - m_top - m_bottom, 20)
        scale = min(view_w / width, view_h / height, self._max_fit_scale())
        self._fit_scale = scale
        self.setTransform(QTransform.fromScale(scale, scale))
        centre = QPointF(left + width / 2 + (m_right - m_left) / (2 * scale),
                         top + height / 2 + (m_bottom - m_top) / (2 * scale))
        self.centerOn(centre)
        self._auto_fit = True
        self._scale_changed()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport pixels) fixed."""
        if self._layout is None or self.compact:
            return
        scale = self.current_scale()
        low, high = 0.4 * self._fit_scale, max(6.0, 6.0 * self._fit_scale)
        factor = min(max(scale * factor, low), high) / scale
        if abs(factor - 1.0) < 1e-9:
            return
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        before = self.mapToScene(anchor)
        self.scale(factor, factor)
        self._scroll_by(self.mapFromScene(before) - anchor)
        self._auto_fit = False
        self._scale_changed()

    def _scroll_by(self, delta: QPoint | QPointF) -> None:
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(delta.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(delta.y()))

    def _button_at(self, point: QPoint) -> bool:
        """Is an enabled +/− button under this viewport point? (It handles the click.)"""
        item = self.itemAt(point)
        return isinstance(item, ButtonItem) and item.isEnabled()

    # --- events -------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.value_editor.isVisible():
            self.value_editor.close_editor()       # a click elsewhere cancels the edit
        if self._button_at(event.position().toPoint()) \
                or event.button() != Qt.MouseButton.LeftButton:
            QGraphicsView.mousePressEvent(self, event)
            return
        self._press_pos = self._last_pos = event.position()
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if self._press_pos is not None and event.buttons() & Qt.MouseButton.LeftButton:
            if not self._dragging and not self.compact and \
                    (position - self._press_pos).manhattanLength() > DRAG_PIXELS:
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                self._scroll_by(self._last_pos - position)
                self._auto_fit = False
            self._last_pos = position
            return
        self._hover(self.mapToScene(position.toPoint()), event.globalPosition().toPoint())
        QGraphicsView.mouseMoveEvent(self, event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press_pos is None:
            QGraphicsView.mouseReleaseEvent(self, event)
            return
        was_drag, self._press_pos = self._dragging, None
        self._dragging = False
        self.viewport().unsetCursor()
        if not was_drag:
            self._click(self.mapToScene(event.position().toPoint()), event.position().toPoint())
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.hit_test(self.mapToScene(event.position().toPoint())) is None \
                and not self._button_at(event.position().toPoint()):
            self.fit_to_view()
            event.accept()
            return
        QGraphicsView.mouseDoubleClickEvent(self, event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.compact or self._layout is None:
            event.ignore()   # let a surrounding scroll area scroll
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP ** steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_by(ZOOM_STEP)
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0 and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.fit_to_view()
        else:
            QGraphicsView.keyPressEvent(self, event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        QGraphicsView.resizeEvent(self, event)
        if self._auto_fit:
            self.fit_to_view()
        self._place_legend()

    def leaveEvent(self, event) -> None:
        self._set_hover(None)
        QToolTip.hideText()
        QGraphicsView.leaveEvent(self, event)

    # --- hover and click -----------------------------------------------------------
    def _hover(self, scene_pos: QPointF, global_pos: QPoint) -> None:
        target = self.hit_test(scene_pos)
        self._set_hover(target)
        if target is None:
            QToolTip.hideText()
            return
        QToolTip.showText(global_pos, self._tooltip_for(target), self.viewport())

    def _click(self, scene_pos: QPointF, viewport_pos: QPoint) -> None:
        target = self.hit_test(scene_pos)
        if target is None:
            return
        kind = target[0]
        if kind == "node":
            self.neuronClicked.emit(target[1], target[2])
        elif kind in ("edge", "bias"):
            self.open_editor(target, viewport_pos)

    def open_editor(self, target: tuple, viewport_pos: QPoint | None = None) -> bool:
        """Open the inline editor on ("edge", l, i, j) or ("bias", column, unit).

        Returns False (and does nothing) when the view is not editable or has
        no parameters yet.
        """
        if not self._editable or self._weights is None:
            return False
        if target[0] == "edge":
            _, layer, i, j = target
            edit, value = ("weight", layer, i, j), float(self._weights[layer][i, j])
            label = f"W[{layer}][{i}, {j}]"
            point = QPointF(*self._layout.edge_midpoint(layer, i, j))
        else:
            _, column, unit = target
            edit, value = ("bias", column - 1, unit), float(self._biases[column - 1][unit])
            label = f"b[{column - 1}][{unit}]"
            x, y, w, h = self._layout.bias_rect(column, unit)
            point = QPointF(x + w / 2, y + h / 2)
        QToolTip.hideText()
        self._set_hover(target)                    # outline the edge being edited
        position = viewport_pos if viewport_pos is not None else self.mapFromScene(point)
        self.value_editor.open(edit, value, position, label)
        return True

    def _on_editor_accepted(self, target: tuple, value: float) -> None:
        if target[0] == "weight":
            self.weightEdited.emit(target[1], target[2], target[3], value)
        else:
            self.biasEdited.emit(target[1], target[2], value)
