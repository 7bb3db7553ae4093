"""The network editor: hidden layers (neurons, activation, dropout, batch norm), output activation,
loss, initialiser."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from model import ACTIVATIONS, INITIALIZERS, LOSSES, OUTPUT_ACTIVATIONS
from model.config import MAX_LAYERS, MAX_UNITS, ExperimentConfig

from gui.network.tooltips import display_name

from .base import ControlGroup, fill_combo, select_data


def activation_items(table) -> list[tuple[str, str, str]]:
    return [(name, display_name(name), f"{a.formula}\n{a.description}") for name, a in table.items()]


class NetworkControls(ControlGroup):
    """Fields: hidden_layers, activations, dropout, batch_norm, output_activation, loss, init."""

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
        self.dropouts: list[QDoubleSpinBox] = []
        self.batch_norms: list[QCheckBox] = []

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
        for spin, combo, dropout, norm, units, activation, rate, on in zip(
                self.neurons, self.activations, self.dropouts, self.batch_norms, layers,
                config.activations, config.dropout, config.batch_norm):
            spin.setValue(units)
            select_data(combo, activation)
            dropout.blockSignals(True)
            dropout.setValue(rate)
            dropout.blockSignals(False)
            norm.blockSignals(True)
            norm.setChecked(on)
            norm.blockSignals(False)
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
        dropout = QDoubleSpinBox(objectName=f"dropoutSpin{index}", minimum=0.0, maximum=0.9,
                                 singleStep=0.1, decimals=2, keyboardTracking=False, prefix="dropout ")
        dropout.setToolTip(
            f"Dropout rate p of hidden layer {index + 1}: in every training step each of its neurons is "
            "switched off with probability p and the others are scaled by 1/(1−p). The network cannot "
            "rely on any single neuron, which fights overfitting. 0 = off; evaluation never drops.")
        dropout.valueChanged.connect(lambda value, i=index: self._per_layer_changed("dropout", i, value))
        norm = QCheckBox("batch norm", objectName=f"batchNormCheck{index}")
        norm.setToolTip(
            f"Batch normalisation of hidden layer {index + 1}: its sums z are normalised over each "
            "mini-batch, u = γ·(z − μ_B)/√(σ²_B + ε) + β, before the activation. Steadier, faster "
            "training; needs a batch size of at least 2.")
        norm.toggled.connect(lambda on, i=index: self._per_layer_changed("batch_norm", i, on))
        for column, widget in enumerate((label, spin, combo)):       # two lines per layer:
            self.rows.addWidget(widget, 2 * index, column)            # the dock stays narrow
        self.rows.addWidget(dropout, 2 * index + 1, 1)
        self.rows.addWidget(norm, 2 * index + 1, 2)
        self.neurons.append(spin)
        self.activations.append(combo)
        self.dropouts.append(dropout)
        self.batch_norms.append(norm)

    def _drop_row(self) -> None:
        index = len(self.neurons) - 1
        for widget in (self.rows.itemAtPosition(2 * index, column).widget() for column in range(3)):
            self.rows.removeWidget(widget)
            widget.deleteLater()
        for widget in (self.dropouts[index], self.batch_norms[index]):
            self.rows.removeWidget(widget)
            widget.deleteLater()
        self.neurons.pop()
        self.activations.pop()
        self.dropouts.pop()
        self.batch_norms.pop()

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

    def _per_layer_changed(self, field: str, index: int, value) -> None:
        """A dropout rate or batch-norm switch of one hidden layer (the network is rebuilt)."""
        values = list(getattr(self.config, field))
        if index < len(values) and values[index] != value:
            values[index] = value
            self.emit_change(**{field: tuple(values)})

    def _add_layer(self) -> None:
        layers, names = self.config.hidden_layers, self.config.activations
        self.emit_change(hidden_layers=layers + ((layers[-1] if layers else 4),),
                         activations=names + ((names[-1] if names else "tanh"),))

    def _remove_layer(self) -> None:
        if self.config.hidden_layers:
            self.emit_change(hidden_layers=self.config.hidden_layers[:-1],
                             activations=self.config.activations[:-1])
