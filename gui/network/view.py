"""The network diagram: every neuron a node, every weight an edge (see NetworkView)."""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QToolTip, QWidget

from gui.network.annotations import AnnotationLayer
from gui.network.diagram import Diagram, build_diagram
from gui.network.dropout_mask import DropoutMaskLayer
from gui.network.edges import EdgeLayerItem
from gui.network.editor import ValueEditor
from gui.network.hover import FocusedSample, hover_text
from gui.network.interaction import Navigator, PointerController, hit_test
from gui.network.items import ButtonItem, LabelItem, NodeColumnItem
from gui.network.layout import NetworkLayout
from gui.network.tooltips import bias_name, weight_name
from gui.network.legend import EdgeLegend, legend_text
from gui.network.parameters import EdgeStyler, ParameterAnimation, ShownParameters
from gui.network.pictures import node_colours
from gui.network.width_filling import WidthFilling
from gui.widgets.colors import BACKGROUND
from gui.widgets.presentation import PRESENTATION
from model.features import FEATURES

TOOLTIP_MS = 10 * 60 * 1000   # a hover text stays until the pointer leaves its target (or 10 min)


class NetworkView(QGraphicsView):
    """The network as nodes and weighted edges, like TensorFlow Playground's panel.

    Composed of small parts: a ``Diagram`` (the scene items of one structure), an
    ``EdgeStyler`` (edge and bias styles from W, b or their gradients), an
    ``AnnotationLayer`` (the walkthrough's numbers, texts and focus), a ``Navigator``
    (zoom, pan, fit), a ``PointerController`` (hover, click) and a ``WidthFilling``
    (the columns spread over the width); the view holds the shown parameters and the
    focused sample and passes them to its parts.

    Drawing scheme (built to stay smooth at 6 × 64 neurons, ≈ 20,000 edges): ONE
    ``EdgeLayerItem`` per weight layer, its segments sorted into ≤ 16 styles and
    drawn with ``drawLines``, culled to the exposed rect and, for dense layers,
    limited to the strongest edges in view; ONE ``NodeColumnItem`` per column with
    its heatmaps in one pixmap; text and buttons ignore the view transform. Edges
    are hit-tested geometrically. The view never changes the model: edits are
    emitted as signals.
    """

    weightEdited = Signal(int, int, int, float)
    biasEdited = Signal(int, int, float)
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)         # weight layer, source unit, target unit
    addNeuronRequested = Signal(int)
    removeNeuronRequested = Signal(int)
    relaidOut = Signal()       # the columns moved (``set_fill_width``): annotations were cleared

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
                          "a bias marker to edit it, wheel (or Ctrl+=/Ctrl+- outside the main "
                          "window, where they scale the texts) to zoom, drag to pan, "
                          "double-click or 0 to fit.")
        self._diagram: Diagram | None = None
        self._structure: tuple | None = None            # set_structure's arguments
        self._heatmaps: tuple[Sequence[np.ndarray], Sequence[np.ndarray | None]] | None = None
        self._annotations: AnnotationLayer | None = None
        self._mask: DropoutMaskLayer | None = None
        self._parameters: ShownParameters | None = None
        self._sample: FocusedSample | None = None
        self._styler = EdgeStyler()
        self._animation = ParameterAnimation(self, self._show_frame)
        self._navigator = Navigator(self, compact, self._scale_changed)
        self._filling = WidthFilling(self.viewport(), self._relayout)
        self._pointer = PointerController(self, self._navigator, compact, self.hit_test,
                                          self._hover, self._click)
        self._legend = EdgeLegend(self)
        self._legend.setVisible(not compact)
        self.value_editor = ValueEditor(self.viewport())
        self.value_editor.accepted.connect(self._on_editor_accepted)
        PRESENTATION.changed.connect(self._apply_presentation)

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
        self._animation.stop()
        self.value_editor.close_editor()
        self.scene().clear()
        self._structure = (sizes, list(input_names), list(activation_names), editable)
        self._heatmaps = None
        layout = NetworkLayout(sizes, self.compact, self._filling.wanted_aspect(self._diagram))
        # feature keys ("x1^2") are shown with their display labels ("X₁²")
        labels = [FEATURES[n].label if n in FEATURES else str(n) for n in input_names]
        self._diagram = build_diagram(
            self.scene(), layout, labels, [str(n) for n in activation_names],
            bool(editable) and not self.compact, self.compact,
            self.addNeuronRequested.emit, self.removeNeuronRequested.emit)
        self._annotations = AnnotationLayer(self, self._diagram, self._restyle)
        self._mask = DropoutMaskLayer(self.scene(), layout)
        self._parameters = self._sample = None
        left, top, width, height = layout.bounds()
        span = max(width, height) * 6
        self.setSceneRect(QRectF(left - span, top - span, width + 2 * span, height + 2 * span))
        self._navigator.show(self._diagram)

    def set_fill_width(self, fill: bool) -> None:
        """Spread the columns over the view's width (and again on every resize that changes
        its shape), or go back to the usual near-square diagram. The walkthrough fills the
        width so a number fits beside every node. Parameters, pictures, the followed sample
        and the dropout mask stay; annotations are cleared (``relaidOut``)."""
        self._filling.set_filling(fill)

    def _relayout(self) -> None:
        """Rebuild the diagram for the view's shape, keeping what it shows (not annotations)."""
        if self._structure is None:
            return
        parameters, heatmaps, sample = self._parameters, self._heatmaps, self._sample
        mask = self._mask
        kept, rates, caption = (mask.kept, mask.rates, mask.caption) if mask is not None else (None, [], "")
        self.set_structure(*self._structure)
        self._show_frame(parameters)
        self.show_heatmaps(*(heatmaps or (None,)))
        if sample is not None:
            self.show_sample(sample.activations, sample.pre_activations)
        if kept is not None:
            self.show_dropout_mask(kept, rates, caption)
        self.relaidOut.emit()

    # --- read-only views of the scene (tests, the walkthrough player, export) -----------
    @property
    def layout(self) -> NetworkLayout | None:
        """The scene geometry (node and edge positions), or None before set_structure."""
        return self._diagram.layout if self._diagram else None

    @property
    def edge_items(self) -> list[EdgeLayerItem]:
        return list(self._diagram.edge_items) if self._diagram else []

    @property
    def node_items(self) -> list[NodeColumnItem]:
        return list(self._diagram.node_items) if self._diagram else []

    @property
    def neuron_buttons(self) -> list[tuple[ButtonItem, ButtonItem]]:
        """(add, remove) per hidden layer; empty when not editable or compact."""
        return list(self._diagram.buttons) if self._diagram else []

    def scene_to_viewport(self, x: float, y: float) -> QPoint:
        """Viewport pixel of a scene point (e.g. ``layout.edge_midpoint``)."""
        return self.mapFromScene(QPointF(x, y))

    def current_scale(self) -> float:
        return self._navigator.current_scale()

    def fit_to_view(self) -> None:
        """Scale and centre so every node, header and label is visible."""
        self._navigator.fit()

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport pixels) fixed."""
        self._navigator.zoom_by(factor, anchor)

    # --- parameters ------------------------------------------------------------------------
    def show_parameters(self, weights, biases, weight_gradients=None,
                        bias_gradients=None) -> None:
        """Restyle edges and bias markers. Arrays whose shapes do not match the
        current structure (a stale snapshot) are ignored."""
        self._animation.stop()
        if self._diagram is not None:
            self._show_frame(ShownParameters.copied(self._diagram.layout.sizes, weights, biases,
                                                    weight_gradients, bias_gradients))

    def animate_parameters(self, weights, biases, duration_ms: int = 600) -> None:
        """Move edge widths/colours smoothly from the shown weights to these ones."""
        if self._diagram is None:
            return
        end = ShownParameters.copied(self._diagram.layout.sizes, weights, biases)
        if end is None:
            return
        if self._parameters is None or duration_ms <= 0:
            self.show_parameters(weights, biases)
            return
        start = self._parameters
        self._animation.start(start, ShownParameters(end.weights, end.biases,
                                                     start.weight_gradients, start.bias_gradients),
                              duration_ms)

    def is_animating(self) -> bool:
        return self._animation.running

    def _show_frame(self, parameters: ShownParameters | None) -> None:
        if parameters is not None:
            self._parameters = parameters
            self._restyle()

    def _restyle(self) -> None:
        if self._diagram is None:
            return
        keep = {layer: self._mask.edge_keep(layer) for layer in range(len(self._diagram.edge_items))}
        self._styler.restyle(self._diagram, self._parameters, self._annotations.edge_overrides,
                             {layer: k for layer, k in keep.items() if k is not None})
        self._update_legend()

    def set_edge_mode(self, mode: str) -> None:
        """"weight": edges show W; "gradient": edges (and biases) show ∂L/∂W, ∂L/∂b."""
        self._styler.set_mode(mode)
        self._restyle()

    @property
    def edge_mode(self) -> str:
        return self._styler.mode

    # --- heatmaps and the focused sample ------------------------------------------------
    def show_heatmaps(self, images: Sequence[np.ndarray] | None,
                      colours: Sequence[np.ndarray | None] | None = None) -> None:
        """images[c]: (units_c, res, res) values of a[c] over the input plane, row 0 = lowest y;
        ``colours``: the same already coloured by ``node_colours`` (the training worker colours
        them, the output column in the boundary's colours), else they are coloured here on the
        hidden nodes' scale. None removes them."""
        if self._diagram is not None:
            if images and colours is None:
                colours = node_colours(images)
            self._heatmaps = (images, colours) if images else None
            self._diagram.show_pictures(colours if images else None)

    def show_sample(self, activations: Sequence[np.ndarray] | None,
                    pre_activations: Sequence[np.ndarray] | None = None) -> None:
        """The focused sample: a[c] (units_c,) for c = 0…L and z[l] (units_{l+1},); None clears."""
        if self._diagram is None:
            return
        sizes = self._diagram.layout.sizes
        self._sample = None
        if activations is not None and len(activations) == len(sizes) and \
                all(np.size(a) == n for a, n in zip(activations, sizes)):
            z_fits = pre_activations is not None and len(pre_activations) == len(sizes) - 1 and \
                all(np.size(z) == n for z, n in zip(pre_activations, sizes[1:]))
            self._sample = FocusedSample(
                [np.asarray(a, dtype=np.float64).reshape(-1) for a in activations],
                [np.asarray(z, float).reshape(-1) for z in pre_activations] if z_fits else None)
        shown = None if self._sample is None else self._sample.activations
        self._diagram.show_sample_fills(shown)
        self._annotations.show_sample_values(shown)

    def show_dropout_mask(self, kept: Sequence[np.ndarray | None] | None,
                          rates: Sequence[float] = (), caption: str = "Dropout mask") -> None:
        """Grey the units a dropout mask dropped, with their edges, and mark the kept ones
        ×1/(1−p): kept[c] (units_c,) bool or None per node column, rates[c] its p. None clears."""
        if self._mask is not None and (kept is not None or self._mask.shown):
            self._mask.show(kept, rates, caption)
            self._mask.fit_pills(self.current_scale())
            self._restyle()

    @property
    def dropout_mask(self) -> DropoutMaskLayer | None:
        """The mask shown (``kept`` is None when there is none)."""
        return self._mask

    # --- annotations (the walkthrough) ------------------------------------------------
    def set_edge_values(self, layer: int, values: np.ndarray | None, label: bool = True) -> None:
        """Edges of ``layer`` show ``values`` instead of W (see AnnotationLayer)."""
        if self._annotations is None:
            raise ValueError(f"no weight layer {layer} in a network of sizes []")
        self._annotations.set_edge_values(layer, values, label)

    def edge_label_texts(self, layer: int) -> list[str]:
        return self._annotations.edge_label_texts(layer) if self._annotations else []

    def set_node_texts(self, column: int, texts: Sequence[str] | None) -> None:
        """Draw ``texts[u]`` beside node u of ``column`` (e.g. "z = 0.42"); None clears."""
        if self._annotations is None:
            raise ValueError(f"no node column {column}")
        self._annotations.set_node_texts(column, texts)

    def node_texts(self, column: int) -> list[str]:
        return self._annotations.node_texts(column) if self._annotations else []

    def set_focus(self, columns: Iterable[int] | None, unit: tuple[int, int] | None = None) -> None:
        """Emphasise node ``columns`` and ring ``unit`` = (column, index); None, None clears."""
        if self._annotations is not None:
            self._annotations.set_focus(columns, unit)

    @property
    def focused_unit(self) -> tuple[int, int] | None:
        """The ring-highlighted (column, unit), or None."""
        return self._annotations.focused_unit if self._annotations else None

    def clear_annotations(self) -> None:
        """Remove edge values, node texts and focus; edges show the parameters again."""
        if self._mask is not None and self._mask.shown:
            self._mask.clear()
        if self._annotations is not None:
            self._annotations.clear()

    # --- hover, click and editing ----------------------------------------------------------
    def hit_test(self, scene_pos: QPointF) -> tuple | None:
        """("bias", column, unit) | ("node", column, unit) | ("edge", layer, i, j) | None."""
        if self._diagram is None:
            return None
        return hit_test(self._diagram.layout, scene_pos, self.current_scale())

    def hover_text_at(self, scene_pos: QPointF) -> str:
        """The tooltip text for the thing at ``scene_pos`` ('' for the background)."""
        target = self.hit_test(scene_pos)
        return self._tooltip_for(target) if target is not None else ""

    def _tooltip_for(self, target: tuple) -> str:
        return hover_text(target, self._diagram, self._parameters, self._sample,
                          self._annotations.edge_overrides)

    def _hover(self, target: tuple | None, global_pos: QPoint | None) -> None:
        if self._diagram is not None:
            self._diagram.show_hover(target)
        if target is None or global_pos is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(global_pos, self._tooltip_for(target), self.viewport(),
                              QRect(), TOOLTIP_MS)

    def viewportEvent(self, event: QEvent) -> bool:
        # The pointer came to rest: Qt asks for a tooltip. QGraphicsView would look for an
        # item tooltip, find none (edges are hit-tested, not items) and hide ours about a
        # second after it appeared; answer with the same text instead, so it stays.
        if event.type() == QEvent.Type.ToolTip and self._diagram is not None:
            self._hover(self.hit_test(self.mapToScene(event.pos())), event.globalPos())
            return True
        return super().viewportEvent(event)

    def _click(self, target: tuple, viewport_pos: QPoint) -> None:
        if target[0] == "node":
            self.neuronClicked.emit(target[1], target[2])
            return
        if target[0] == "edge":
            self.edgeClicked.emit(*target[1:])
        self.open_editor(target, viewport_pos)

    def open_editor(self, target: tuple, viewport_pos: QPoint | None = None) -> bool:
        """Open the inline editor on ("edge", l, i, j) or ("bias", column, unit).

        Returns False (and does nothing) when the view is not editable or has
        no parameters yet.
        """
        if self._diagram is None or not self._diagram.editable or self._parameters is None:
            return False
        layout = self._diagram.layout
        if target[0] == "edge":
            _, layer, i, j = target
            edit, value = ("weight", layer, i, j), float(self._parameters.weights[layer][i, j])
            label = weight_name(layer, i, j, layout.n_columns)
            point = QPointF(*layout.edge_midpoint(layer, i, j))
        else:
            _, column, unit = target
            edit = ("bias", column - 1, unit)
            value = float(self._parameters.biases[column - 1][unit])
            x, y, w, h = layout.bias_rect(column, unit)
            label = bias_name(column, unit, layout.n_columns)
            point = QPointF(x + w / 2, y + h / 2)
        QToolTip.hideText()
        self._diagram.show_hover(target)                 # outline the edge being edited
        position = viewport_pos if viewport_pos is not None else self.mapFromScene(point)
        self.value_editor.open(edit, value, position, label)
        return True

    def _on_editor_accepted(self, target: tuple, value: float) -> None:
        if target[0] == "weight":
            self.weightEdited.emit(target[1], target[2], target[3], value)
        else:
            self.biasEdited.emit(target[1], target[2], value)

    # --- scale and legend -------------------------------------------------------------------
    def _scale_changed(self) -> None:
        for item in self.edge_items:
            item.fit_lod = self._navigator.fit_scale
        layout = self.layout
        if layout is not None and len(layout.column_x) > 1:
            gap = float(layout.column_x[1] - layout.column_x[0]) * self.current_scale()
            self._diagram.fit_headers(gap)
        if self._mask is not None:
            self._mask.fit_pills(self.current_scale())
        if self._annotations is not None:
            self._annotations.refresh_sample_texts()
            self._annotations.place_labels()
        self._update_legend()

    def _update_legend(self) -> None:
        if self.compact or self._diagram is None:
            return
        text = legend_text(bool(self._annotations.edge_overrides), self._styler.mode,
                           self._styler.shows_gradients(self._parameters), self._diagram.edge_items)
        mask = self._mask.legend()
        self._legend.show_text(text + ("\n" + mask if mask else ""))

    def _apply_presentation(self, *_) -> None:
        """Presenter mode's scale changed: larger texts and buttons, fitted again."""
        if self.scene() is None:
            return
        for item in self.scene().items():
            if isinstance(item, (LabelItem, ButtonItem)):
                item.rescale()
        if self._navigator.auto_fit:
            self._navigator.fit()
        elif self._annotations is not None:
            self._annotations.place_labels()
        self._legend.setFont(QApplication.font())     # a styled label keeps its old font otherwise
        self._legend.adjustSize()
        self._legend.place()

    # --- events (delegated to the pointer controller) ----------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.value_editor.isVisible():
            self.value_editor.close_editor()       # a click elsewhere cancels the edit
        if self._pointer.press(event):
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._pointer.move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pointer.release(event):
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._pointer.double_click(event):
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self._diagram is not None and self._pointer.wheel(event):
            event.accept()
        else:
            event.ignore()   # let a surrounding scroll area scroll

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._pointer.key(event):
            event.accept()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._filling.follow_resize(self._diagram) and self._navigator.auto_fit:
            self._navigator.fit()
        self._legend.place()

    def leaveEvent(self, event) -> None:
        self._hover(None, None)
        super().leaveEvent(event)
