"""The walkthrough panel: player controls, the maths of the step, the activation plot,
and the network view annotated for every step (see annotations.py).

The panel plays a ``Walkthrough`` it is given; it does not build one. Choosing
another granularity, asking for a random sample or leaving are signals for the
walkthrough mode (mode.py), which owns the window-level wiring.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from model.walkthrough import Walkthrough
from model.walkthrough_text import column_name, fmt

from gui.walkthrough.activation_plot import ActivationPlot
from gui.walkthrough.math_panel import MathPanel
from gui.walkthrough.annotations import Annotations, annotations_at
from gui.walkthrough.player import WalkthroughPlayer

GRANULARITY_CHOICES = (("layer", "Layer by layer"), ("neuron", "Neuron by neuron"))
MAX_ANIMATION_MS = 600


class WalkthroughPanel(QWidget):
    """Plays a walkthrough on ``network_view`` (a NetworkView) and explains each step."""

    exitRequested = Signal()
    randomSampleRequested = Signal()
    granularityChanged = Signal(str)

    def __init__(self, network_view, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughPanel")
        self.network_view = network_view
        self.tour: Walkthrough | None = None
        self.clicked: tuple[int, int] | None = None
        self.annotations: Annotations | None = None
        self._applied: dict = {}
        self._shown_parameters: tuple[bool, ...] | None = None
        self._shown_index = -1
        network_view.relaidOut.connect(self._show_again)

        self.sample_label = QLabel(objectName="sampleLabel")
        self.sample_label.setWordWrap(True)
        self.sample_label.setToolTip("The training sample this pass is computed on. Click a point "
                                     "in the decision-boundary view to walk through that one.")
        self.random_button = QPushButton("Random sample", objectName="randomSampleButton")
        self.random_button.setToolTip("Walk through a training sample picked at random")
        self.random_button.clicked.connect(self.randomSampleRequested)
        self.granularity = QComboBox(objectName="granularityCombo")
        for name, label in GRANULARITY_CHOICES:
            self.granularity.addItem(label, name)
        self.granularity.setToolTip("Layer by layer: a whole layer per step (click a neuron to see "
                                    "its formula). Neuron by neuron: one neuron per step.")
        self.granularity.activated.connect(
            lambda i: self.granularityChanged.emit(self.granularity.itemData(i)))
        self.back_button = QPushButton("Back to training", objectName="backToTrainingButton")
        self.back_button.setToolTip("Leave the walkthrough; the views follow training again (Esc)")
        self.back_button.clicked.connect(self.exitRequested)
        self.note = QLabel(objectName="walkthroughNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")

        self.player = WalkthroughPlayer()
        self.player.stepChanged.connect(self._show)
        self.math = MathPanel()
        self.plot = ActivationPlot()

        self.player.counter.hide()                  # the math panel says "step k of N"
        top = QHBoxLayout()
        top.addWidget(self.sample_label, 1)
        top.addWidget(self.random_button)
        top.addSpacing(12)
        top.addWidget(QLabel("Steps:"))
        top.addWidget(self.granularity)
        top.addWidget(self.back_button)
        self.body = QBoxLayout(QBoxLayout.LeftToRight)
        self.body.addWidget(self.math, 3)
        self.body.addWidget(self.plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.player)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.note)

    def resizeEvent(self, event) -> None:
        """Side by side (math | plot) when wide, as in a bottom dock; stacked when narrow."""
        wide = event.size().width() > 1.6 * event.size().height()
        self.body.setDirection(QBoxLayout.LeftToRight if wide else QBoxLayout.TopToBottom)
        super().resizeEvent(event)

    # -- playing ----------------------------------------------------------------

    def set_walkthrough(self, tour: Walkthrough, sample_text: str = "", index: int = 0,
                        note: str = "") -> None:
        """Play ``tour`` from step ``index``; the network view starts from its old parameters."""
        self.tour = tour
        self.sample_label.setText(sample_text)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.granularity.setCurrentIndex(max(self.granularity.findData(tour.granularity), 0))
        self.clicked = None
        self._applied = {}
        self._shown_parameters = None
        self._shown_index = -1
        self.network_view.clear_annotations()
        self.player.set_total(len(tour), index)

    def _show_again(self) -> None:
        """The view laid its columns out again (and cleared its annotations): show the step anew."""
        if self.tour is not None and self._shown_index >= 0:
            self._applied, self._shown_parameters = {}, None
            self._show(self._shown_index)

    def stop(self) -> None:
        """Stop playing and forget the walkthrough (the caller restores the view)."""
        self.player.pause()
        self.tour = None
        self.annotations = None
        self._applied = {}
        self.math.clear("Choose a sample to step through one training step.")

    def focus_neuron(self, column: int, unit: int) -> None:
        """A neuron was clicked: explain it (layer mode), or jump to its step (neuron mode)."""
        if self.tour is None:
            return
        self.clicked = (int(column), int(unit))
        step = self.tour.steps[self.player.index]
        if step.neuron is not None and column == step.column:
            for other in self.tour.steps:
                if (other.phase, other.kind, other.layer, other.neuron) == \
                        (step.phase, step.kind, step.layer, unit):
                    self.player.set_index(other.index)
                    return
        self._show(self.player.index)

    def _show(self, index: int) -> None:
        tour = self.tour
        if tour is None:
            return
        step = tour.steps[index]
        annotations = annotations_at(tour, index, self.clicked)
        self.annotations = annotations
        self._apply(annotations)
        self._show_parameters(index)
        self.math.show_step(step, index, len(tour), annotations.formula_unit)
        layer = annotations.plot_layer
        focus = annotations.focus_unit[1] if annotations.focus_unit and \
            annotations.focus_unit[0] == layer + 1 else None
        activation = tour.activations[layer]
        self.plot.show_activation(activation, annotations.plot_z, focus,
                                  f"{column_name(layer + 1, tour.depth)}: {activation.name}")
        self._shown_index = index

    def _apply(self, annotations: Annotations) -> None:
        """Send the annotations to the view, skipping what is already shown."""
        view, applied = self.network_view, self._applied
        for layer, (values, label) in enumerate(zip(annotations.edge_values, annotations.edge_labels)):
            key = ("edge", layer)
            if key not in applied or applied[key][0] is not values or applied[key][1] != label:
                view.set_edge_values(layer, values, label=label)
                applied[key] = (values, label)
        for column, texts in enumerate(annotations.node_texts):
            key = ("texts", column)
            if applied.get(key, ()) != texts:
                view.set_node_texts(column, None if texts is None else list(texts))
                applied[key] = texts
        kept = annotations.dropout_kept
        key = None if kept is None else tuple(None if k is None else k.tobytes() for k in kept)
        if applied.get("mask", "unset") != key:
            view.show_dropout_mask(kept, self.tour.dropout_rates,
                                   "Dropout mask of this pass")
            applied["mask"] = key
        focus = (annotations.focus_columns, annotations.focus_unit)
        if applied.get("focus") != focus:
            view.set_focus(annotations.focus_columns, annotations.focus_unit)
            applied["focus"] = focus

    def _show_parameters(self, index: int) -> None:
        """Old parameters until a layer's update step; stepping onto it animates the change."""
        tour = self.tour
        updated = tuple(s.index <= index for s in tour.steps if s.kind == "update")
        if updated == self._shown_parameters:
            return
        weights, biases = tour.parameters_at(index)
        if self._shown_parameters is not None and index == self._shown_index + 1:
            duration = int(min(MAX_ANIMATION_MS, 800 / self.player.speed))
            self.network_view.animate_parameters(weights, biases, duration_ms=duration)
        else:
            self.network_view.show_parameters(weights, biases, tour.gradients.weights,
                                              tour.gradients.biases)
        self._shown_parameters = updated


def sample_text(inputs: np.ndarray, target: np.ndarray, input_names: Sequence[str],
                class_names: Sequence[str] | None = None) -> str:
    """"Sample: x1 = 0.52, x2 = −1.3 → target y = 1 (class "orange")" for the panel header."""
    names = list(input_names) if len(input_names) == len(inputs) else \
        [f"x{i + 1}" for i in range(len(inputs))]
    shown = ", ".join(f"{n} = {fmt(v)}" for n, v in list(zip(names, inputs))[:6])
    if len(inputs) > 6:
        shown += ", …"
    target = np.ravel(target)
    if len(target) == 1:
        wanted = f"y = {fmt(target[0])}"
    else:
        wanted = "y = [" + ", ".join(fmt(t) for t in target) + "]"
        if class_names and len(class_names) == len(target) and np.count_nonzero(target) == 1:
            wanted += f" (class {class_names[int(np.argmax(target))]})"
    return f"<b>Sample</b>: {shown} → target {wanted}"
