"""Training controls: optimizer, learning rate, batch size, seed."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QWidget

from model import OPTIMIZERS
from model.config import MAX_BATCH_SIZE, ExperimentConfig

from .base import ControlGroup, fill_combo, select_data
from .rate_combo import LEARNING_RATES, RateCombo
from .seed_box import SeedBox


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text else ""


class TrainingControls(ControlGroup):
    """Fields: optimizer, learning_rate, batch_size (these two apply live), seed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Training", parent)
        layout = QFormLayout(self)
        self.optimizer = QComboBox(objectName="optimizerCombo")
        fill_combo(self.optimizer, [(name, name, f"{cls.formula}\n{_first_line(cls.__doc__)}")
                                    for name, cls in OPTIMIZERS.items()])
        layout.addRow("Optimizer", self.optimizer)
        self.learning_rate = RateCombo(LEARNING_RATES)
        self.learning_rate.setObjectName("learningRateCombo")
        self.learning_rate.setToolTip("Learning rate η: the size of each step w ← w − η·∂L/∂w. "
                                      "Pick a preset or type any positive number; applies live.")
        layout.addRow("Learning rate", self.learning_rate)
        self.batch_size = QSpinBox(objectName="batchSizeSpin", minimum=1, maximum=MAX_BATCH_SIZE,
                                   keyboardTracking=False)
        self.batch_size.setToolTip("Samples per gradient step (mini-batch); applies live.")
        layout.addRow("Batch size", self.batch_size)
        self.seed = SeedBox(objectName="seedSpin")
        self.seed.setToolTip("Seed of the initial weights and of the sample order: the same seed "
                             "gives the same run, so Reset makes runs comparable.")
        layout.addRow("Seed", self.seed)

        self.optimizer.activated.connect(
            lambda i: self.emit_change(optimizer=self.optimizer.itemData(i)))
        self.learning_rate.valueChanged.connect(lambda v: self.emit_change(learning_rate=v))
        self.batch_size.valueChanged.connect(lambda v: self.emit_change(batch_size=v))
        self.seed.valueChanged.connect(lambda v: self.emit_change(seed=v))

    def _show(self, config: ExperimentConfig) -> None:
        select_data(self.optimizer, config.optimizer)
        self.learning_rate.set_value(config.learning_rate)
        self.batch_size.setValue(config.batch_size)
        self.seed.setValue(config.seed)
