"""The network diagram: every neuron a node, every weight an edge (see NetworkView)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsView, QLabel, QWidget)

from gui.widgets.colors import BACKGROUND, HIGHLIGHT, values_to_rgba
from gui.network.annotations import NetworkAnnotations
from gui.network.edges import EdgeLayerItem
from gui.network.interaction import NetworkInteraction
from gui.network.items import ButtonItem, LabelItem, NodeColumnItem, strength_color
from gui.network.layout import NetworkLayout
from gui.network.parameters import NetworkParameters
from gui.network.tooltips import activation_formula, bias_tooltip, edge_tooltip, node_tooltip
from model.features import FEATURES

EDGE_BUDGET = 3000          # edges drawn in view for the whole network …
MIN_LAYER_BUDGET = 500      # … but never fewer than this per layer


class NetworkView(NetworkParameters, NetworkAnnotations, NetworkInteraction, QGraphicsView):
    """The network as nodes and weighted edges, like TensorFlow Playground's panel.

    Drawing scheme (built to stay smooth at 6 × 64 neurons, ≈ 20,000 edges):

    * edges: ONE ``EdgeLayerItem`` per weight layer. ``show_parameters`` sorts
      the layer's precomputed segment array by style (sign × 8 magnitude
      buckets, t = √min(|w| / ref, 1), ref = max(1, max|w|)), and ``paint`` hands
      each bucket to ``QPainter.drawLines`` as a pointer into that array —
      ≤ 16 calls per layer, faintest first, strongest on top. Level of detail:
      edges outside the exposed rect are culled, a dense layer (more than
      ~600 edges) draws only its strongest edges in view (fewer when zoomed in
      or when the diagram is small), and pens never get thinner than 0.7
      device pixels;
    * nodes: ONE ``NodeColumnItem`` per column, cached in device coordinates;
      the heatmaps of a column are one pixmap drawn with a single
      ``drawPixmapFragments``; its bias markers are a child item restyled with
      the parameters (one ``drawRects`` per colour);
    * text and +/− buttons ignore the view transform (constant size, legible
      at any zoom); there are only O(columns) of them, plus annotation labels;
    * hit-testing of edges is geometric (nearest segment), not per item.

    The view never changes the model: edits are emitted as signals.
    """

    weightEdited = Signal(int, int, int, float)
    biasEdited = Signal(int, int, float)
    neuronClicked = Signal(int, int)
    addNeuronRequested = Signal(int)
    removeNeuronRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.compact = compact
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setBackgroundBrush(QColor(*BACKGROUND))
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip("")
        self.setWhatsThis("The network: hover a neuron or an edge for its numbers, click an edge or "
                          "a bias marker to edit it, wheel or Ctrl+=/Ctrl+- to zoom, drag to pan, "
                          "double-click or 0 to fit.")
        self._layout: NetworkLayout | None = None
        self._input_names: list[str] = []
        self._activation_names: list[str] = []
        self._editable = False
        self._mode = "weight"
        self._weights = self._biases = self._weight_grads = self._bias_grads = None
        self._edge_items: list[EdgeLayerItem] = []
        self._node_items: list[NodeColumnItem] = []
        self._buttons: list[tuple[ButtonItem, ButtonItem]] = []
        self._headers: list[LabelItem] = []
        self._input_labels: list[LabelItem] = []
        self._highlight: QGraphicsLineItem | None = None
        self._ring_item: QGraphicsRectItem | None = None
        self._sample_a: list[np.ndarray] | None = None
        self._sample_z: list[np.ndarray] | None = None
        self._animation: QVariantAnimation | None = None
        self._legend = QLabel(self)
        self._legend.setObjectName("networkLegend")
        self._legend.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._legend.setStyleSheet("color: #444; background: rgba(250, 250, 250, 215);"
                                   " padding: 1px 4px; border-radius: 3px;")
        self._legend.setVisible(not compact)
        self._init_interaction()
        self._init_annotations()

    # --- structure -----------------------------------------------------------------
    def set_structure(self, sizes: Sequence[int], input_names: Sequence[str],
                      activation_names: Sequence[str], editable: bool = True) -> None:
        """Rebuild the scene for layer sizes (inputs, hidden…, outputs).

        ``activation_names`` has one entry per weight layer (hidden ones, then
        the output). Parameters, heatmaps, the sample and annotations are reset.
        """
        sizes = [int(n) for n in sizes]
        if len(activation_names) != len(sizes) - 1:
            raise ValueError(f"need one activation name per weight layer ({len(sizes) - 1}), "
                             f"got {list(activation_names)}")
        self._stop_animation()
        self.value_editor.close_editor()
        self._reset_annotations()
        self.scene().clear()
        layout = self._layout = NetworkLayout(sizes, self.compact)
        # feature keys ("x1^2") are shown with their display labels ("X₁²")
        self._input_names = [FEATURES[n].label if n in FEATURES else str(n) for n in input_names]
        self._activation_names = [str(n) for n in activation_names]
        self._editable = bool(editable) and not self.compact
        self._weights = self._biases = self._weight_grads = self._bias_grads = None
        self._sample_a = self._sample_z = None
        self._hover_target = None
        self._build_edges(layout)
        self._build_nodes(layout)
        self._build_texts(layout)
        self._highlight = QGraphicsLineItem()
        pen = QPen(QColor(30, 30, 30, 150), 4.0)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._highlight.setPen(pen)
        self._highlight.setZValue(3)
        self._highlight.hide()
        self.scene().addItem(self._highlight)
        self._ring_item = QGraphicsRectItem()
        ring_pen = QPen(QColor(*HIGHLIGHT), 2.5)
        ring_pen.setCosmetic(True)
        self._ring_item.setPen(ring_pen)
        self._ring_item.setZValue(8)
        self._ring_item.hide()
        self.scene().addItem(self._ring_item)
        left, top, width, height = layout.bounds()
        span = max(width, height) * 6
        self.setSceneRect(QRectF(left - span, top - span, width + 2 * span, height + 2 * span))
        self.fit_to_view()

    def _build_edges(self, layout: NetworkLayout) -> None:
        total = sum(len(s) for s in layout.segments)
        self._edge_items = []
        for segments in layout.segments:
            budget = max(MIN_LAYER_BUDGET, int(EDGE_BUDGET * len(segments) / total))
            item = EdgeLayerItem(segments, 0.6, layout.metrics.edge_width, budget)
            self.scene().addItem(item)
            self._edge_items.append(item)

    def _build_nodes(self, layout: NetworkLayout) -> None:
        self._node_items = []
        for column, n in enumerate(layout.sizes):
            biases = [layout.bias_rect(column, u) for u in range(n)] if column else None
            item = NodeColumnItem([layout.node_rect(column, u) for u in range(n)], biases)
            item.setZValue(2)
            self.scene().addItem(item)
            self._node_items.append(item)

    def _build_texts(self, layout: NetworkLayout) -> None:
        self._headers, self._input_labels, self._buttons = [], [], []
        last = layout.n_columns - 1
        for column, n in enumerate(layout.sizes):
            top = QPointF(layout.column_x[column], layout.column_top(column))
            if self.compact:
                text = str(n)
            elif column == 0:
                text = f"Input\n{n} feature{'s' * (n != 1)}"
            else:
                role = "output" if column == last else f"{n} neuron{'s' * (n != 1)}"
                text = f"{self._activation_names[column - 1]}\n{role}"
            header = LabelItem(text, 9.0 if self.compact else 10.0, "bottom", (0, -5))
            header.setPos(top)
            header.setZValue(4)
            header.setToolTip(self._header_tooltip(column))
            self.scene().addItem(header)
            self._headers.append(header)
            if self._editable and 0 < column < last:
                self._add_buttons(column - 1, n, top)
        if not self.compact:
            for unit, name in enumerate(self._input_names[:layout.sizes[0]]):
                x, y, s, _ = layout.node_rect(0, unit)
                label = LabelItem(name, 10.0, "right", (-6, 0))
                label.setPos(QPointF(x - 0.2 * s, y + s / 2))
                label.setZValue(4)
                self.scene().addItem(label)
                self._input_labels.append(label)

    def _add_buttons(self, hidden: int, units: int, top: QPointF) -> None:
        add = ButtonItem("+", f"Add a neuron to hidden layer {hidden + 1}", (-13, -52))
        remove = ButtonItem("−", f"Remove a neuron from hidden layer {hidden + 1}", (13, -52))
        remove.setEnabled(units > 1)
        add.clicked.connect(lambda h=hidden: self.addNeuronRequested.emit(h))
        remove.clicked.connect(lambda h=hidden: self.removeNeuronRequested.emit(h))
        for button in (add, remove):
            button.setPos(top)
            button.setZValue(5)
            self.scene().addItem(button)
        self._buttons.append((add, remove))

    def _header_tooltip(self, column: int) -> str:
        if column == 0:
            return "The input features fed to the network; each node shows its feature's values."
        name = self._activation_names[column - 1]
        return f"a = {name}(z), z = a_prev·W + b\n{activation_formula(name)}"

    # --- read-only views of the scene (tests, the walkthrough player) -----------------
    @property
    def layout(self) -> NetworkLayout | None:
        """The scene geometry (node and edge positions), or None before set_structure."""
        return self._layout

    @property
    def edge_items(self) -> list[EdgeLayerItem]:
        return list(self._edge_items)

    @property
    def node_items(self) -> list[NodeColumnItem]:
        return list(self._node_items)

    @property
    def neuron_buttons(self) -> list[tuple[ButtonItem, ButtonItem]]:
        """(add, remove) per hidden layer; empty when not editable or compact."""
        return list(self._buttons)

    def scene_to_viewport(self, x: float, y: float) -> QPoint:
        """Viewport pixel of a scene point (e.g. ``layout.edge_midpoint``)."""
        return self.mapFromScene(QPointF(x, y))

    # --- heatmaps and the focused sample ------------------------------------------------
    def show_heatmaps(self, images: Sequence[np.ndarray] | None) -> None:
        """images[c]: (units_c, res, res) values of a[c] over the input plane, row 0 = lowest y.

        Colour scale: ±max(1, max|a|) per column; each input feature on its own
        scale (±max|x|). None (or []) removes them.
        """
        if self._layout is None:
            return
        if not images:
            for item in self._node_items:
                item.set_heatmaps(None)
            return
        if len(images) != len(self._node_items):
            return
        for column, (item, values) in enumerate(zip(self._node_items, images)):
            values = np.asarray(values, dtype=np.float64)
            if values.ndim != 3 or values.shape[0] != item.unit_count or \
                    values.shape[1] != values.shape[2] or values.shape[1] == 0:
                continue
            magnitude = np.abs(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0))
            if column == 0:   # features differ in range (X₁ vs X₁²): scale each on its own
                vmax = np.maximum(magnitude.max(axis=(1, 2)), 1e-12)[:, None, None]
            else:
                vmax = max(1.0, float(magnitude.max()))
            item.set_heatmaps(values_to_rgba(values[:, ::-1, :] / vmax, 1.0))

    def show_sample(self, activations: Sequence[np.ndarray] | None,
                    pre_activations: Sequence[np.ndarray] | None = None) -> None:
        """The focused sample: a[c] (units_c,) for c = 0…L and z[l] (units_{l+1},); None clears."""
        if self._layout is None:
            return
        sizes = self._layout.sizes
        if activations is None or len(activations) != len(sizes) or \
                any(np.size(a) != n for a, n in zip(activations, sizes)):
            self._sample_a = self._sample_z = None
        else:
            self._sample_a = [np.asarray(a, dtype=np.float64).reshape(-1) for a in activations]
            ok = pre_activations is not None and len(pre_activations) == len(sizes) - 1 and \
                all(np.size(z) == n for z, n in zip(pre_activations, sizes[1:]))
            self._sample_z = [np.asarray(z, float).reshape(-1) for z in pre_activations] \
                if ok else None
        for column, item in enumerate(self._node_items):
            if self._sample_a is None:
                item.set_fills(None)
            else:
                a = self._sample_a[column]
                vmax = max(1.0, float(np.max(np.abs(a))))
                item.set_fills([strength_color(v, vmax) for v in a])
        self._refresh_sample_texts()

    # --- hooks used by the interaction mixin ---------------------------------------------
    def _tooltip_for(self, target: tuple) -> str:
        kind, n_columns = target[0], self._layout.n_columns
        if kind == "node":
            _, column, unit = target
            a = self._sample_a[column] if self._sample_a is not None else None
            z = self._sample_z[column - 1] if self._sample_z is not None and column else None
            bias = grad = None
            if column and self._biases is not None:
                bias = self._biases[column - 1][unit]
                grad = self._bias_grads[column - 1][unit] if self._bias_grads else None
            return node_tooltip(column, unit, n_columns, self._input_names,
                                self._activation_names, a, z, bias, grad)
        if kind == "bias":
            _, column, unit = target
            bias = self._biases[column - 1][unit] if self._biases is not None else None
            grad = self._bias_grads[column - 1][unit] if self._bias_grads is not None else None
            return bias_tooltip(column, unit, n_columns, bias, grad, self._editable)
        _, layer, i, j = target
        weight = self._weights[layer][i, j] if self._weights is not None else None
        grad = self._weight_grads[layer][i, j] if self._weight_grads is not None else None
        a_in = self._sample_a[layer][i] if self._sample_a is not None else None
        override = self._edge_overrides.get(layer)
        shown = override[i, j] if override is not None else None
        return edge_tooltip(layer, i, j, n_columns, self._input_names, weight, grad, a_in,
                            shown, self._editable)

    def _set_hover(self, target: tuple | None) -> None:
        self._hover_target = target
        if self._highlight is None:
            return
        if target is not None and target[0] == "edge":
            x0, y0, x1, y1 = self._layout.segments[target[1]][
                target[2] * self._layout.sizes[target[1] + 1] + target[3]]
            self._highlight.setLine(QLineF(x0, y0, x1, y1))
            self._highlight.show()
        else:
            self._highlight.hide()

    def _fit_margins(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) device pixels around the nodes for text and buttons."""
        if self.compact:
            return (6.0, 20.0, 6.0, 6.0)
        font = QFont()
        font.setPointSizeF(10.0)
        metrics = QFontMetricsF(font)
        names = self._input_names[:self._layout.sizes[0]] if self._layout else []
        left = max((metrics.horizontalAdvance(n) for n in names), default=0.0) + 24
        top = 72.0 if self._buttons else 46.0
        return (left, top, 104.0, 40.0)   # right: room for texts like "δ=−2.22e−15" beside the outputs

    def _max_fit_scale(self) -> float:
        return 2.0

    def _scale_changed(self) -> None:
        for item in self._edge_items:
            item.fit_lod = self._fit_scale
        self._refresh_sample_texts()
        self._place_edge_labels()
        self._update_legend()

    def _update_legend(self) -> None:
        if self.compact or self._layout is None:
            return
        if self._edge_overrides:
            text = "Bright edges: this step's w·a, w·δ or ∂L/∂w (blue > 0, orange < 0); faded: w"
        elif self._mode == "gradient" and self._weight_grads is not None:
            text = "Edges: gradient ∂L/∂w (blue > 0, orange < 0; width ∝ √|∂L/∂w|)"
        elif self._mode == "gradient":
            text = "Edges: gradient mode — no gradient yet (showing weights)"
        else:
            text = "Edges: weight w (blue > 0, orange < 0; width ∝ √|w|)"
        dense = [item for item in self._edge_items if item.edge_count > item.budget]
        if dense:
            text += (f" · dense layers draw their strongest {dense[0].budget:,} edges "
                     f"of those in view — zoom in for more")
        self._legend.setText(text)
        self._legend.adjustSize()
        self._place_legend()

    def _place_legend(self) -> None:
        self._legend.move(8, self.height() - self._legend.height() - 4)
