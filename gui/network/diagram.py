"""The scene items of one network structure: edges, node columns, headers, labels, buttons.

``build_diagram`` fills a scene for layer sizes once; a new structure builds a new
``Diagram`` (the old items die with ``scene.clear()``). The diagram paints what it is
given — heatmaps, the focused sample's fills, the hovered edge — and holds no parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene

from gui.widgets.presentation import PRESENTATION, scaled_font
from gui.network.edges import EdgeLayerItem
from gui.network.items import ButtonItem, LabelItem, NodeColumnItem, strength_color
from gui.network.layout import NetworkLayout
from gui.network.tooltips import activation_formula, display_name
from gui.widgets.colors import HIGHLIGHT

#: Edges drawn in view for the whole network … but never fewer than MIN_LAYER_BUDGET per
#: layer. Qt rasterises an antialiased edge in about 5 µs, holding the GIL training needs. A
#: 6 × 64 network drew 2,850 edges at 3,000 / 500, 1,690 at 1,500 / 300 and draws about 1,190
#: (the strongest 200 between two 64-wide layers; a repaint 10.5 → 8.9 ms, same run): in a mesh
#: that dense the strongest edges are what can be read.
EDGE_BUDGET = 1000
MIN_LAYER_BUDGET = 200


HEADER_GAP_PX = 6.0      # least room between two column headers
HEADER_OFFSET = -5.0     # device pixels between a header and its column's top node
BUTTON_SPACING = 13.0    # device pixels from a column's centre to its + and − buttons

def overlapping(boxes: np.ndarray, rect) -> np.ndarray:
    """(k,) True where a row of ``boxes`` (k, 4: left, top, right, bottom) overlaps ``rect``."""
    left, top, right, bottom = rect
    return (boxes[:, 0] < right) & (left < boxes[:, 2]) & (boxes[:, 1] < bottom) & (top < boxes[:, 3])


@dataclass
class Diagram:
    """The items of one structure; ``input_names`` are display labels ("X₁²")."""

    layout: NetworkLayout
    input_names: list[str]
    activation_names: list[str]
    editable: bool
    compact: bool
    edge_items: list[EdgeLayerItem]
    node_items: list[NodeColumnItem]
    buttons: list[tuple[ButtonItem, ButtonItem]]
    highlight: QGraphicsLineItem
    ring: QGraphicsRectItem
    headers: list[tuple[LabelItem, tuple[str, ...]]] = field(default_factory=list)
    header_offsets: list[float] = field(default_factory=list)   # as fit_headers placed them (px)
    input_labels: list[LabelItem] = field(default_factory=list)  # "X₁" left of the input nodes

    def fit_headers(self, column_gap_px: float) -> None:
        """Headers that never run into each other, with columns ``column_gap_px`` apart.

        Each shows its longest form ("tanh / 64 neurons", "tanh / 64", "64") that fits
        the gap; when a header naming its activation does not fit, every other header moves
        one header higher, which doubles the room, and the +/− buttons (also in the
        control panel) are hidden.
        """
        room = column_gap_px - HEADER_GAP_PX
        named = lambda forms: forms[:2]          # the forms that name the activation
        fits_in_gap = all(any(item.width_of(f) <= room for f in named(forms))
                          for item, forms in self.headers)
        if not fits_in_gap:
            room = 2 * column_gap_px - HEADER_GAP_PX
        self.header_offsets = []
        for column, (item, forms) in enumerate(self.headers):
            item.set_text(next((f for f in forms if item.width_of(f) <= room), forms[-1]))
            lift = 0.0 if fits_in_gap or column % 2 == 0 else \
                (item.boundingRect().height() + 1) / PRESENTATION.scale
            self.header_offsets.append(HEADER_OFFSET - lift)
            item.set_offset((0.0, HEADER_OFFSET - lift))
        # the +/− pair needs 2 × (13 + 10) px (× presenter scale) and the space above the header
        buttons_fit = fits_in_gap and \
            column_gap_px >= (2 * (BUTTON_SPACING + ButtonItem.RADIUS) + 4) * PRESENTATION.scale
        for pair in self.buttons:
            for button in pair:
                button.setVisible(buttons_fit)

    def clear_headers_of(self, boxes: np.ndarray, viewport_of: Callable[[QPointF], QPoint]) -> None:
        """Lift every column header that would cover one of ``boxes`` (a (k, 4) array of
        viewport-pixel rectangles: left, top, right, bottom — say the walkthrough's number
        pills) or a header placed before it to just above what it covers (and above what it
        then meets), its +/− buttons with it. Headers go from the lowest ``fit_headers`` offset up, so a header
        lifted to make room beside its neighbours also clears them when the columns' tops
        differ; one that covers nothing stays where ``fit_headers`` put it."""
        scale = PRESENTATION.scale
        buttons = dict(zip(range(1, len(self.headers) - 1), self.buttons))
        offsets = self.header_offsets if len(self.header_offsets) == len(self.headers) else \
            [HEADER_OFFSET] * len(self.headers)
        placed = np.asarray(boxes, dtype=float).reshape(-1, 4)
        for column in sorted(range(len(self.headers)), key=lambda c: -offsets[c]):
            item, base = self.headers[column][0], offsets[column]
            item.set_offset((0.0, base))
            anchor, box = viewport_of(item.pos()), item.boundingRect()
            rect = (anchor.x() + box.left(), anchor.y() + box.top(),
                    anchor.x() + box.right(), anchor.y() + box.bottom())
            shift = 0.0                  # px up; above one box it may meet the next one
            for _ in range(len(placed)):
                covered = placed[overlapping(placed, (rect[0], rect[1] - shift,
                                                      rect[2], rect[3] - shift))]
                if not len(covered):
                    break
                shift = rect[3] - covered[:, 1].min() + 2
            item.set_offset((0.0, base - shift / scale))
            for button in buttons.get(column, ()):
                button.set_lift(shift / scale)
            placed = np.vstack([placed, (rect[0], rect[1] - shift, rect[2], rect[3] - shift)])

    def show_hover(self, target: tuple | None) -> None:
        """Outline the edge ("edge", layer, i, j); anything else hides the outline."""
        if target is not None and target[0] == "edge":
            _, layer, i, j = target
            x0, y0, x1, y1 = self.layout.segments[layer][i * self.layout.sizes[layer + 1] + j]
            self.highlight.setLine(QLineF(x0, y0, x1, y1))
            self.highlight.show()
        else:
            self.highlight.hide()

    def show_pictures(self, colours: Sequence[np.ndarray | None] | None) -> None:
        """colours[c]: (units_c, res, res, 4) RGBA uint8 pictures of node column c, row 0 drawn at
        the top (``gui.network.pictures.node_colours``). None (or []) removes them; a list of the
        wrong length is ignored, and so is a column whose unit count differs (a stale snapshot)."""
        if not colours:
            for item in self.node_items:
                item.set_heatmaps(None)
            return
        if len(colours) != len(self.node_items):
            return
        for item, rgba in zip(self.node_items, colours):
            if rgba is not None and rgba.shape[0] == item.unit_count:
                item.set_heatmaps(rgba)

    def show_sample_fills(self, activations: Sequence[np.ndarray] | None) -> None:
        """Fill each node with the focused sample's a (None: back to the heatmaps)."""
        for column, item in enumerate(self.node_items):
            if activations is None:
                item.set_fills(None)
            else:
                a = activations[column]
                vmax = max(1.0, float(np.max(np.abs(a))))
                item.set_fills([strength_color(v, vmax) for v in a])

    def fit_margins(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) device pixels around the nodes for text and buttons."""
        if self.compact:
            return (6.0, 20.0, 6.0, 6.0)
        scale = PRESENTATION.scale
        metrics = QFontMetricsF(scaled_font(10.0))
        names = self.input_names[:self.layout.sizes[0]]
        left = max((metrics.horizontalAdvance(n) for n in names), default=0.0) + 24 * scale
        top = (72.0 if self.buttons else 46.0) * scale
        return (left, top, 104.0 * scale, 40.0 * scale)   # right: room for texts like "δ=−2.22e−15" beside the outputs


def build_diagram(scene: QGraphicsScene, layout: NetworkLayout, input_names: Sequence[str],
                  activation_names: Sequence[str], editable: bool, compact: bool,
                  on_add_neuron: Callable[[int], None],
                  on_remove_neuron: Callable[[int], None]) -> Diagram:
    """Add the items of ``layout`` to ``scene``; the +/− buttons call ``on_*_neuron(hidden)``."""
    diagram = Diagram(layout, list(input_names), list(activation_names), editable, compact,
                      _edge_items(scene, layout), _node_items(scene, layout), [],
                      _highlight(scene), _ring(scene))
    _add_texts(scene, diagram, on_add_neuron, on_remove_neuron)
    return diagram


def _edge_items(scene: QGraphicsScene, layout: NetworkLayout) -> list[EdgeLayerItem]:
    total = sum(len(s) for s in layout.segments)
    items = []
    for segments in layout.segments:
        budget = max(MIN_LAYER_BUDGET, int(EDGE_BUDGET * len(segments) / total))
        item = EdgeLayerItem(segments, 0.6, layout.metrics.edge_width, budget)
        scene.addItem(item)
        items.append(item)
    return items


def _node_items(scene: QGraphicsScene, layout: NetworkLayout) -> list[NodeColumnItem]:
    items = []
    for column, n in enumerate(layout.sizes):
        biases = [layout.bias_rect(column, u) for u in range(n)] if column else None
        item = NodeColumnItem([layout.node_rect(column, u) for u in range(n)], biases)
        item.setZValue(2)
        scene.addItem(item)
        items.append(item)
    return items


def _highlight(scene: QGraphicsScene) -> QGraphicsLineItem:
    item = QGraphicsLineItem()
    pen = QPen(QColor(30, 30, 30, 150), 4.0)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    item.setPen(pen)
    item.setZValue(3)
    item.hide()
    scene.addItem(item)
    return item


def _ring(scene: QGraphicsScene) -> QGraphicsRectItem:
    item = QGraphicsRectItem()
    pen = QPen(QColor(*HIGHLIGHT), 2.5)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setZValue(8)
    item.hide()
    scene.addItem(item)
    return item


def _add_texts(scene: QGraphicsScene, diagram: Diagram, on_add: Callable[[int], None],
               on_remove: Callable[[int], None]) -> None:
    layout, last = diagram.layout, diagram.layout.n_columns - 1
    for column, n in enumerate(layout.sizes):
        top = QPointF(layout.column_x[column], layout.column_top(column))
        if diagram.compact:
            text = str(n)
        elif column == 0:
            text = f"Input\n{n} feature{'s' * (n != 1)}"
        else:
            role = "output" if column == last else f"{n} neuron{'s' * (n != 1)}"
            text = f"{display_name(diagram.activation_names[column - 1])}\n{role}"
        short = f"Input\n{n}" if column == 0 else \
            f"{display_name(diagram.activation_names[column - 1])}\n{'out' if column == last else n}"
        header = LabelItem(text, 9.0 if diagram.compact else 10.0, "bottom", (0, HEADER_OFFSET))
        diagram.headers.append((header, (text,) if diagram.compact else (text, short, str(n))))
        header.setPos(top)
        header.setZValue(4)
        header.setToolTip(_header_tooltip(diagram.activation_names, column))
        scene.addItem(header)
        if diagram.editable and 0 < column < last:
            diagram.buttons.append(_neuron_buttons(scene, column - 1, n, top, on_add, on_remove))
    if not diagram.compact:
        for unit, name in enumerate(diagram.input_names[:layout.sizes[0]]):
            x, y, s, _ = layout.node_rect(0, unit)
            label = LabelItem(name, 10.0, "right", (-6, 0))
            label.setPos(QPointF(x - 0.2 * s, y + s / 2))
            label.setZValue(4)
            scene.addItem(label)
            diagram.input_labels.append(label)


def _neuron_buttons(scene: QGraphicsScene, hidden: int, units: int, top: QPointF,
                    on_add: Callable[[int], None],
                    on_remove: Callable[[int], None]) -> tuple[ButtonItem, ButtonItem]:
    add = ButtonItem("+", f"Add a neuron to hidden layer {hidden + 1}", (-BUTTON_SPACING, -52))
    remove = ButtonItem("−", f"Remove a neuron from hidden layer {hidden + 1}", (BUTTON_SPACING, -52))
    remove.setEnabled(units > 1)
    add.clicked.connect(lambda: on_add(hidden))
    remove.clicked.connect(lambda: on_remove(hidden))
    for button in (add, remove):
        button.setPos(top)
        button.setZValue(5)
        scene.addItem(button)
    return add, remove


def _header_tooltip(activation_names: Sequence[str], column: int) -> str:
    if column == 0:
        return "The input features fed to the network; each node shows its feature's values."
    name = activation_names[column - 1]
    return f"a = {name}(z), z = a_prev·W + b\n{activation_formula(name)}"
