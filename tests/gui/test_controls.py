"""Control panel binding, both directions: config → widgets, and widget edits → config changes."""
import pytest

from gui.controls.panel import ControlPanel
from gui.controls.rate_combo import format_rate, parse_rate
from model import ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS
from model.config import ExperimentConfig
from model.datasets import DATASETS
from model.features import FEATURES


class Bound:
    """A panel wired like the main window does: changes are applied to the config and shown back."""

    def __init__(self, qtbot, config=None):
        self.panel = ControlPanel()
        qtbot.addWidget(self.panel)
        self.config = config or ExperimentConfig()
        self.changes = []
        self.panel.changeRequested.connect(self._apply)
        self.panel.set_config(self.config)

    def _apply(self, changes):
        self.changes.append(changes)
        self.config = self.config.replace(**changes)
        self.panel.set_config(self.config)


@pytest.fixture
def bound(qtbot):
    return Bound(qtbot)


def choose(combo, name):
    index = combo.findData(name)
    assert index >= 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_names_come_from_the_registries(bound):
    panel = bound.panel
    assert [panel.data.dataset.itemData(i) for i in range(panel.data.dataset.count())] == list(DATASETS)
    assert list(panel.features.boxes) == list(FEATURES)
    combo = panel.network.activations[0]
    assert [combo.itemData(i) for i in range(combo.count())] == list(ACTIVATIONS)
    out = panel.network.output_activation
    assert [out.itemData(i) for i in range(out.count())] == list(OUTPUT_ACTIVATIONS)
    assert panel.network.loss.count() == len(LOSSES)
    assert panel.training.optimizer.count() == len(OPTIMIZERS)


def test_every_control_has_a_tooltip(bound):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox,
                                   QSlider)
    body = bound.panel.widget()
    widgets = [w for kind in (QComboBox, QAbstractSpinBox, QSlider, QAbstractButton, QCheckBox)
               for w in body.findChildren(kind)]
    assert len(widgets) > 15
    missing = [w.objectName() or type(w).__name__ for w in widgets
               if not w.toolTip() and not isinstance(w.parent(), QComboBox)]
    assert missing == []


def test_dataset_noise_ratio_samples_seed(bound):
    data = bound.panel.data
    choose(data.dataset, "spiral")
    assert bound.config.dataset == "spiral"
    data.noise.setValue(30)
    assert bound.config.noise == pytest.approx(0.3)
    data.train_percent.setValue(80)
    assert bound.config.test_ratio == pytest.approx(0.2)
    data.samples.setValue(200)
    assert bound.config.samples == 200
    data.regenerate.click()
    assert bound.config.data_seed == 1
    assert data.noise_label.text() == "Noise 30 %" and data.ratio_label.text() == "Train 80 %"


def test_features_toggle_and_never_empty(bound):
    boxes = bound.panel.features.boxes
    boxes["x1^2"].setChecked(True)
    assert bound.config.features == ("x1", "x2", "x1^2")
    boxes["x1"].setChecked(False)
    boxes["x2"].setChecked(False)
    assert bound.config.features == ("x1^2",)
    boxes["x1^2"].setChecked(False)          # the last one: refused
    assert bound.config.features == ("x1^2",)
    assert boxes["x1^2"].isChecked()


def test_network_editor_layers_neurons_activations(bound):
    network = bound.panel.network
    network.add_layer.click()
    assert bound.config.hidden_layers == (4, 2, 2)
    assert len(network.neurons) == 3
    network.neurons[0].setValue(7)
    assert bound.config.hidden_layers == (7, 2, 2)
    choose(network.activations[1], "relu")
    assert bound.config.activations == ("tanh", "relu", "tanh")
    network.remove_layer.click()
    network.remove_layer.click()
    assert bound.config.hidden_layers == (7,) and bound.config.activations == ("tanh",)
    assert len(network.neurons) == 1
    network.remove_layer.click()
    assert bound.config.hidden_layers == () and not network.remove_layer.isEnabled()
    network.add_layer.click()
    assert bound.config.hidden_layers == (4,)
    choose(network.output_activation, "sigmoid")
    choose(network.loss, "cross_entropy")
    choose(network.init, "he")
    assert (bound.config.output_activation, bound.config.loss, bound.config.init) == \
        ("sigmoid", "cross_entropy", "he")


def test_training_and_regularisation(bound):
    training, reg = bound.panel.training, bound.panel.regularization
    choose(training.optimizer, "adam")
    assert bound.config.optimizer == "adam"
    training.learning_rate.setCurrentIndex(training.learning_rate.findText("0.3"))
    training.learning_rate.activated.emit(training.learning_rate.currentIndex())
    assert bound.config.learning_rate == 0.3
    training.learning_rate.setEditText("0.05")            # free entry
    training.learning_rate.lineEdit().editingFinished.emit()
    assert bound.config.learning_rate == 0.05
    training.learning_rate.setEditText("-1")              # refused: keeps 0.05
    training.learning_rate.lineEdit().editingFinished.emit()
    assert bound.config.learning_rate == 0.05 and training.learning_rate.currentText() == "0.05"
    training.batch_size.setValue(25)
    training.seed.setValue(42)
    assert (bound.config.batch_size, bound.config.seed) == (25, 42)
    reg.l1.setEditText("0.001")
    reg.l1.lineEdit().editingFinished.emit()
    reg.l2.setEditText("0.03")
    reg.l2.lineEdit().editingFinished.emit()
    assert (bound.config.l1, bound.config.l2) == (0.001, 0.03)


def test_a_loaded_config_shows_in_every_control(qtbot):
    config = ExperimentConfig().replace(
        dataset="xor", noise=0.25, samples=300, test_ratio=0.3, data_seed=5,
        features=("x1", "x1*x2"), hidden_layers=(8, 6, 3), activations=("relu", "sigmoid", "elu"),
        output_activation="sigmoid", loss="cross_entropy", init="he", optimizer="momentum",
        learning_rate=0.003, batch_size=17, l1=0.001, l2=0.3, seed=9)
    panel = Bound(qtbot, config).panel
    assert panel.data.dataset.currentData() == "xor"
    assert panel.data.noise.value() == 25 and panel.data.train_percent.value() == 70
    assert panel.data.samples.value() == 300 and panel.data.data_seed.value() == 5
    assert [n for n, b in panel.features.boxes.items() if b.isChecked()] == ["x1", "x1*x2"]
    assert [s.value() for s in panel.network.neurons] == [8, 6, 3]
    assert [c.currentData() for c in panel.network.activations] == ["relu", "sigmoid", "elu"]
    assert panel.network.output_activation.currentData() == "sigmoid"
    assert panel.network.loss.currentData() == "cross_entropy"
    assert panel.network.init.currentData() == "he"
    assert panel.training.optimizer.currentData() == "momentum"
    assert panel.training.learning_rate.value() == 0.003
    assert panel.training.learning_rate.currentText() == "0.003"
    assert panel.training.batch_size.value() == 17 and panel.training.seed.value() == 9
    assert panel.regularization.l1.value() == 0.001 and panel.regularization.l2.value() == 0.3
    assert panel.network.activations[0].toolTip().startswith("ReLU")


def test_setting_a_config_does_not_echo_changes(bound):
    bound.panel.set_config(ExperimentConfig().replace(hidden_layers=(5, 5, 5), learning_rate=1.0))
    assert bound.changes == []


def test_csv_config_disables_features_and_noise(qtbot, tmp_path):
    config = ExperimentConfig(csv_path=str(tmp_path / "x.csv"))
    panel = Bound(qtbot, config).panel
    panel.set_config(config, csv_name="x.csv", csv_columns=("a", "b"))
    assert not any(box.isEnabled() for box in panel.features.boxes.values())
    assert not panel.data.noise.isEnabled()
    assert panel.data.dataset.currentText() == "CSV: x.csv"
    assert "a, b" in panel.features.csv_note.text()


def test_choosing_a_builtin_dataset_leaves_csv(qtbot, tmp_path):
    bound = Bound(qtbot, ExperimentConfig(csv_path=str(tmp_path / "x.csv")))
    choose(bound.panel.data.dataset, "moons")
    assert bound.config.dataset == "moons" and bound.config.csv_path is None


@pytest.mark.parametrize("value, text", [(0.00001, "0.00001"), (0.03, "0.03"), (3.0, "3"), (0.0, "0")])
def test_rate_format_round_trip(value, text):
    assert format_rate(value) == text
    assert parse_rate(text) == value
    assert parse_rate("abc") is None and parse_rate("1e-4") == 0.0001
