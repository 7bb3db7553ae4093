"""The network editor: hidden layers (neurons, activation), output activation, loss, initialiser."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from model import ACTIVATIONS, INITIALIZERS, LOSSES, OUTPUT_ACTIVATIONS
from model.config import MAX_LAYERS, MAX_UNITS, ExperimentConfig

from gui.network.tooltips import display_name

from .base import ControlGroup, fill_combo, select_data


def activation_items(table) -> list[tuple[str, str, str]]:
    return [(name, display_name(name), f"{a.formula}\n{a.description}") for name, a in table.items()]


class NetworkControls(ControlGroup):
    """Fields: hidden_layers, activations, output_activation, loss, init."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Network", parent)
        outer = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.add_layer = QPushButton("+ layer", objectName="addLayerButton")
        self.add_layer.setToolTip(f"Add a hidden layer after the last one (at most {MAX_LAYERS}).")
        self.remove_layer = QPushButton("− layer", objectName="removeLayerButton")
        self.remove_layer.setToolTip("Remove the last hidden layer.")
        self.layer_count = QLabel()
        buttons.addWidget(self.add_layer)
        buttons.addWidget(self.remove_layer)
        buttons.addWidget(self.layer_count, 1)
        outer.addLayout(buttons)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(2, 1)
        outer.addLayout(self.rows)
        self.neurons: list[QSpinBox] = []
        self.activations: list[QComboBox] = []

        form = QFormLayout()
        self.output_activation = QComboBox(objectName="outputActivationCombo")
        fill_combo(self.output_activation, activation_items(OUTPUT_ACTIVATIONS))
        form.addRow("Output", self.output_activation)
        self.loss = QComboBox(objectName="lossCombo")
        fill_combo(self.loss, [(name, display_name(name), f"{loss.formula}\n{loss.description}")
                               for name, loss in LOSSES.items()])
        form.addRow("Loss", self.loss)
        self.init = QComboBox(objectName="initCombo")
        fill_combo(self.init, [(name, name, f"{i.formula}\n{i.description}")
                               for name, i in INITIALIZERS.items()])
        form.addRow("Initial weights", self.init)
        outer.addLayout(form)

        self.add_layer.clicked.connect(self._add_layer)
        self.remove_layer.clicked.connect(self._remove_layer)
        self.output_activation.activated.connect(
            lambda i: self.emit_change(output_activation=self.output_activation.itemData(i)))
        self.loss.activated.connect(lambda i: self.emit_change(loss=self.loss.itemData(i)))
        self.init.activated.connect(lambda i: self.emit_change(init=self.init.itemData(i)))

    # -- config → widgets -----------------------------------------------------

    def _show(self, config: ExperimentConfig) -> None:
        layers = config.hidden_layers
        while len(self.neurons) > len(layers):
            self._drop_row()
        while len(self.neurons) < len(layers):
            self._add_row(len(self.neurons))
        for spin, combo, units, activation in zip(self.neurons, self.activations, layers,
                                                  config.activations):
            spin.setValue(units)
            select_data(combo, activation)
        select_data(self.output_activation, config.output_activation)
        select_data(self.loss, config.loss)
        select_data(self.init, config.init)
        self.add_layer.setEnabled(len(layers) < MAX_LAYERS)
        self.remove_layer.setEnabled(len(layers) > 0)
        self.layer_count.setText(f"{len(layers)} hidden layer{'s' if len(layers) != 1 else ''}")

    def _add_row(self, index: int) -> None:
        label = QLabel(f"Layer {index + 1}")
        spin = QSpinBox(objectName=f"neuronsSpin{index}", minimum=1, maximum=MAX_UNITS,
                        keyboardTracking=False, suffix=" neurons")
        spin.setToolTip(f"Neurons in hidden layer {index + 1} (also +/− on the diagram).")
        spin.valueChanged.connect(lambda value, i=index: self._neurons_changed(i, value))
        combo = QComboBox(objectName=f"activationCombo{index}")
        fill_combo(combo, activation_items(ACTIVATIONS))
        combo.activated.connect(lambda _, i=index: self._activation_changed(i))
        for column, widget in enumerate((label, spin, combo)):
            self.rows.addWidget(widget, index, column)
        self.neurons.append(spin)
        self.activations.append(combo)

    def _drop_row(self) -> None:
        index = len(self.neurons) - 1
        for column in range(3):
            item = self.rows.itemAtPosition(index, column)
            widget = item.widget()
            self.rows.removeWidget(widget)
            widget.deleteLater()
        self.neurons.pop()
        self.activations.pop()

    # -- widgets → changes ----------------------------------------------------

    def _neurons_changed(self, index: int, value: int) -> None:
        layers = list(self.config.hidden_layers)
        if index < len(layers):
            layers[index] = value
            self.emit_change(hidden_layers=tuple(layers))

    def _activation_changed(self, index: int) -> None:
        names = list(self.config.activations)
        names[index] = self.activations[index].currentData()
        self.emit_change(activations=tuple(names))

    def _add_layer(self) -> None:
        layers, names = self.config.hidden_layers, self.config.activations
        self.emit_change(hidden_layers=layers + ((layers[-1] if layers else 4),),
                         activations=names + ((names[-1] if names else "tanh"),))

    def _remove_layer(self) -> None:
        if self.config.hidden_layers:
            self.emit_change(hidden_layers=self.config.hidden_layers[:-1],
                             activations=self.config.activations[:-1])
