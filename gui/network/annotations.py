"""Walkthrough annotations on the network diagram: values on edges, texts beside nodes, focus.

The walkthrough panel plays a pass step by step; ``AnnotationLayer`` lets it say
"these are the w·a on the edges into neuron 3" (``set_edge_values``), "this is
z and a" (``set_node_texts``) and "look here" (``set_focus``). Labels are
``LabelItem`` pills of constant on-screen size, so they read at any zoom.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsView

from gui.network.diagram import Diagram, overlapping
from gui.network.items import LabelItem

MAX_EDGE_LABELS = 64       # more labels than this would be an unreadable pile
LABEL_POSITIONS = (0.5, 0.38, 0.62, 0.27, 0.73, 0.18, 0.82)   # tried along the edge, in order
SAMPLE_TEXT_MAX_UNITS = 10 # the focused sample's a-values are written beside nodes of small layers
SAMPLE_TEXT_MIN_GAP = 100  # … when columns are at least this many screen pixels apart


@dataclass(frozen=True)
class Side:
    """Where a text beside a node goes: its anchor on the node's side, shifted ``offset`` px."""

    anchor: str                   # LabelItem anchor: "left" = box to the right of the point
    offset: tuple[float, float]
    across: float                 # 1 = the node's right edge, 0 = its left edge

    def position(self, node: tuple[float, float, float, float]) -> QPointF:
        x, y, s, _ = node
        return QPointF(x + self.across * s, y + s / 2)


RIGHT, LEFT = Side("left", (4, 0), 1.0), Side("right", (-4, 0), 0.0)


def _label_number(value: float) -> str:
    return f"{float(value):.3g}".replace("-", "−")


class AnnotationLayer:
    """The annotations of one diagram, placed in ``view``'s screen space.

    ``on_overrides_changed`` is called when edge values are set or removed, so that the
    owner restyles the edges (``edge_overrides`` says which layers show which values).
    """

    def __init__(self, view: QGraphicsView, diagram: Diagram,
                 on_overrides_changed: Callable[[], None]) -> None:
        self._view = view
        self._scene = view.scene()
        self._diagram = diagram
        self._layout = diagram.layout
        self._on_overrides_changed = on_overrides_changed
        self._edge_overrides: dict[int, np.ndarray] = {}
        self._edge_labels: dict[int, list[LabelItem]] = {}
        self._node_texts: dict[int, list[LabelItem]] = {}
        self._sample_texts: dict[int, list[LabelItem]] = {}
        self._sample_a: list[np.ndarray] | None = None
        self._focus_columns: set[int] | None = None
        self._focus_unit: tuple[int, int] | None = None

    @property
    def edge_overrides(self) -> Mapping[int, np.ndarray]:
        """Layer → the values its edges show instead of the parameters (read-only view)."""
        return dict(self._edge_overrides)

    # --- edge values ---------------------------------------------------------------
    def set_edge_values(self, layer: int, values: np.ndarray | None, label: bool = True) -> None:
        """Colour/width the edges of weight layer ``layer`` by ``values`` (shape of W[layer])
        instead of W, scaled to the layer's max |value|; write the numbers on the edges
        when there are ≤ 64 of them (only the focused unit's edges if one is focused).
        None restores the normal edge style of that layer."""
        if not 0 <= layer < len(self._diagram.edge_items):
            raise ValueError(f"no weight layer {layer} in a network of sizes {self._layout.sizes}")
        self._remove_items(self._edge_labels.pop(layer, []))
        if values is None:
            self._edge_overrides.pop(layer, None)
        else:
            shape = (self._layout.sizes[layer], self._layout.sizes[layer + 1])
            values = np.asarray(values, dtype=np.float64)
            if values.size != shape[0] * shape[1]:
                raise ValueError(f"edge values for layer {layer} need shape {shape}, "
                                 f"got {values.shape}")
            self._edge_overrides[layer] = np.nan_to_num(values.reshape(shape), posinf=0.0,
                                                        neginf=0.0)
            if label:
                self._edge_labels[layer] = []
                self._label_edges(layer)
        self._on_overrides_changed()

    def _label_edges(self, layer: int) -> None:
        """(Re)create the number pills of an overridden layer, then place all pills."""
        if layer not in self._edge_labels:
            return
        self._remove_items(self._edge_labels[layer])
        values = self._edge_overrides[layer]
        n_in, n_out = values.shape
        targets = range(n_out)
        if self._focus_unit is not None and self._focus_unit[0] == layer + 1:
            targets = [self._focus_unit[1]]
        edges = [(i, j) for j in targets for i in range(n_in)]
        labels = []
        if len(edges) <= MAX_EDGE_LABELS:
            largest = float(np.max(np.abs(values))) + 1e-12
            segments = self._layout.segments[layer]
            for i, j in edges:
                pill = LabelItem(_label_number(values[i, j]), 9.0, "center", pill=True)
                strength = abs(values[i, j]) / largest
                pill.setZValue(6 + strength)
                pill.setData(0, (tuple(segments[i * n_out + j]), strength))
                self._scene.addItem(pill)
                labels.append(pill)
        self._edge_labels[layer] = labels
        self.place_labels()

    def place_labels(self) -> None:
        """Place every label in screen space, in three passes: each node text takes the side
        of its node where it covers no other node; the column headers step up clear of them;
        then the edge pills, greedily, strongest value first, each at the first of a few
        positions along its edge where it overlaps no node, no placed pill and no other label
        (node texts, headers, input names, dropout marks) — pills that fit nowhere are hidden
        (zoom in and they come back)."""
        texts = [text for texts in (*self._node_texts.values(), *self._sample_texts.values())
                 for text in texts]
        nodes = self._node_boxes()
        self._place_node_texts(texts, np.vstack([nodes, self._viewport_boxes(self._diagram.input_labels)]))
        self._diagram.clear_headers_of(self._viewport_boxes(texts), self._view.mapFromScene)
        pills = [pill for labels in self._edge_labels.values() for pill in labels]
        if not pills:
            return
        pills.sort(key=lambda pill: -pill.data(0)[1])
        ours = set(pills)
        placed = np.vstack([nodes, self._viewport_boxes([
            item for item in self._scene.items()
            if isinstance(item, LabelItem) and item.isVisible() and item not in ours])])
        for pill in pills:
            (x0, y0, x1, y1), _ = pill.data(0)
            box = pill.boundingRect()
            pill.setVisible(False)
            for t in LABEL_POSITIONS:
                anchor = self._view.mapFromScene(QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
                rect = np.array([anchor.x() + box.left() - 1, anchor.y() + box.top() - 1,
                                 anchor.x() + box.right() + 1, anchor.y() + box.bottom() + 1])
                if not np.any(overlapping(placed, rect)):
                    pill.setPos(QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
                    pill.setVisible(True)
                    placed = np.vstack([placed, rect])
                    break

    def _node_boxes(self) -> np.ndarray:
        """(nodes, 4) viewport rectangles (left, top, right, bottom) of every node square."""
        layout, boxes = self._layout, []
        for column, units in enumerate(layout.sizes):
            for unit in range(units):
                x, y, s, _ = layout.node_rect(column, unit)
                top_left = self._view.mapFromScene(QPointF(x, y))
                bottom_right = self._view.mapFromScene(QPointF(x + s, y + s))
                boxes.append((top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()))
        return np.array(boxes, dtype=float).reshape(-1, 4)

    def _place_node_texts(self, texts: Sequence[LabelItem], obstacles: np.ndarray) -> None:
        """Each text right of its node, unless there it would cover an obstacle (other nodes,
        the input names) or a text placed before it and the left side is free: in a cramped
        diagram a wide text reaches the next column's nodes."""
        placed = np.zeros((0, 4))
        for text in texts:
            blocked = np.vstack([obstacles, placed])
            box = self._put_beside(text, RIGHT)
            if np.any(overlapping(blocked, box)):
                box = self._put_beside(text, LEFT)
                if np.any(overlapping(blocked, box)):
                    box = self._put_beside(text, RIGHT)      # no side is free: the usual one
            placed = np.vstack([placed, box])

    def _put_beside(self, text: LabelItem, side: Side) -> np.ndarray:
        """Move ``text`` to ``side`` of its node (its data(0): the node rect); its viewport box."""
        text.setPos(side.position(text.data(0)))
        text.set_offset(side.offset, side.anchor)
        return self._viewport_boxes([text])[0]

    def _viewport_boxes(self, labels: Sequence[LabelItem]) -> np.ndarray:
        """(len(labels), 4) viewport rectangles (left, top, right, bottom) of labels."""
        boxes = np.zeros((len(labels), 4))
        for row, label in enumerate(labels):
            box, anchor = label.boundingRect(), self._view.mapFromScene(label.pos())
            boxes[row] = (anchor.x() + box.left(), anchor.y() + box.top(),
                          anchor.x() + box.right(), anchor.y() + box.bottom())
        return boxes

    def edge_label_texts(self, layer: int) -> list[str]:
        """The numbers currently written (visible) on the edges of a layer."""
        return [item.text for item in self._edge_labels.get(layer, []) if item.isVisible()]

    # --- node texts ----------------------------------------------------------------------
    def set_node_texts(self, column: int, texts: Sequence[str] | None) -> None:
        """Draw ``texts[u]`` beside node u of ``column`` (e.g. "z = 0.42"); None clears."""
        if not 0 <= column < self._layout.n_columns:
            raise ValueError(f"no node column {column}")
        self._remove_items(self._node_texts.pop(column, []))
        if texts is not None:
            if len(texts) != self._layout.sizes[column]:
                raise ValueError(f"column {column} has {self._layout.sizes[column]} nodes, "
                                 f"got {len(texts)} texts")
            self._node_texts[column] = self._texts_beside_nodes(column, texts, QColor(30, 30, 30))
        self.refresh_sample_texts()
        self.place_labels()

    def node_texts(self, column: int) -> list[str]:
        return [item.text for item in self._node_texts.get(column, [])]

    def _texts_beside_nodes(self, column: int, texts: Sequence[str], color: QColor) -> list:
        items = []
        for unit, text in enumerate(texts):
            if not text:
                continue
            # beside the node (the gap between stacked nodes is too small for text): its side
            # is chosen when the labels are placed
            item = LabelItem(str(text), 9.0, RIGHT.anchor, RIGHT.offset, pill=True, color=color)
            item.setData(0, self._layout.node_rect(column, unit))
            item.setPos(RIGHT.position(item.data(0)))
            item.setZValue(7)
            self._scene.addItem(item)
            items.append(item)
        return items

    def show_sample_values(self, activations: Sequence[np.ndarray] | None) -> None:
        """The focused sample's a per column (None: no sample), written where there is room."""
        self._sample_a = None if activations is None else list(activations)
        self.refresh_sample_texts()

    def refresh_sample_texts(self) -> None:
        """a-values of the focused sample beside the nodes of small layers (not compact)."""
        for items in self._sample_texts.values():
            self._remove_items(items)
        self._sample_texts = {}
        if self._sample_a is None or self._diagram.compact or \
                max(self._layout.sizes) > SAMPLE_TEXT_MAX_UNITS:
            return
        gap = self._layout.column_x[1] - self._layout.column_x[0]
        if gap * self._view.transform().m11() < SAMPLE_TEXT_MIN_GAP:
            return          # too cramped to read: hovering a node still shows its a and z
        for column, a in enumerate(self._sample_a):
            if column not in self._node_texts:
                self._sample_texts[column] = self._texts_beside_nodes(
                    column, [f"a={_label_number(v)}" for v in a], QColor(90, 90, 90))

    # --- focus -----------------------------------------------------------------------------
    def set_focus(self, columns: Iterable[int] | None, unit: tuple[int, int] | None = None) -> None:
        """Emphasise node ``columns`` and the edges between them, dim the rest; ring ``unit``
        = (column, index) and keep its incoming edges bright. None, None clears."""
        self._focus_columns = None if columns is None else {int(c) for c in columns}
        self._focus_unit = None if unit is None else (int(unit[0]), int(unit[1]))
        self._apply_focus()
        for layer in list(self._edge_labels):
            self._label_edges(layer)

    def _apply_focus(self) -> None:
        focus, unit, sizes = self._focus_columns, self._focus_unit, self._layout.sizes
        for column, item in enumerate(self._diagram.node_items):
            item.set_dimmed(focus is not None and column not in focus)
        self._place_ring(unit)
        for layer, item in enumerate(self._diagram.edge_items):
            lit = focus is None or (layer in focus and layer + 1 in focus)
            if unit is not None and unit[0] == layer + 1 and lit and 0 <= unit[1] < sizes[layer + 1]:
                item.set_dimmed(True, np.arange(sizes[layer]) * sizes[layer + 1] + unit[1])
            else:
                item.set_dimmed(not lit)

    def _place_ring(self, unit: tuple[int, int] | None) -> None:
        """The focus ring: a red square around node ``unit``, above every label."""
        ring = self._diagram.ring
        valid = unit is not None and 0 <= unit[0] < self._layout.n_columns and \
            0 <= unit[1] < self._layout.sizes[unit[0]]
        ring.setVisible(valid)
        if valid:
            x, y, s, _ = self._layout.node_rect(*unit)
            pad = 0.05 * s
            ring.setRect(QRectF(x - pad, y - pad, s + 2 * pad, s + 2 * pad))

    @property
    def focused_unit(self) -> tuple[int, int] | None:
        """The ring-highlighted (column, unit), or None."""
        return self._focus_unit if self._diagram.ring.isVisible() else None

    def clear(self) -> None:
        """Remove edge values, node texts and focus; edges show the parameters again."""
        for layers in (self._edge_labels, self._node_texts):
            for items in layers.values():
                self._remove_items(items)
        self._edge_labels, self._node_texts = {}, {}
        self._edge_overrides = {}
        self._focus_columns = self._focus_unit = None
        self._apply_focus()
        self._on_overrides_changed()
        self.refresh_sample_texts()
        self.place_labels()          # headers back in their places

    def _remove_items(self, items: list) -> None:
        for item in items:
            if item.scene() is not None:
                self._scene.removeItem(item)
