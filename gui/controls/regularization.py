"""Regularisation controls: L1 and L2 rates (penalty l1·Σ|w| + ½·l2·Σw², applied live)."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from model.config import ExperimentConfig

from .base import ControlGroup
from .rate_combo import REGULARIZATION_RATES, RateCombo


class RegularizationControls(ControlGroup):
    """Fields: l1, l2."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Regularisation", parent)
        layout = QFormLayout(self)
        self.l1 = RateCombo(REGULARIZATION_RATES, allow_zero=True)
        self.l1.setObjectName("l1Combo")
        self.l1.setToolTip("L1 rate: adds l1·Σ|w| to the loss, pushing weights to exactly 0 "
                           "(sparse networks). 0 = off. Applies live.")
        layout.addRow("L1 rate", self.l1)
        self.l2 = RateCombo(REGULARIZATION_RATES, allow_zero=True)
        self.l2.setObjectName("l2Combo")
        self.l2.setToolTip("L2 rate: adds ½·l2·Σw² to the loss, shrinking all weights "
                           "(weight decay). 0 = off. Applies live.")
        layout.addRow("L2 rate", self.l2)
        self.l1.valueChanged.connect(lambda v: self.emit_change(l1=v))
        self.l2.valueChanged.connect(lambda v: self.emit_change(l2=v))

    def _show(self, config: ExperimentConfig) -> None:
        self.l1.set_value(config.l1)
        self.l2.set_value(config.l2)
