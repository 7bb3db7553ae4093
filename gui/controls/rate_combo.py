"""An editable combo for rates on a log scale (learning rate, L1/L2 rate), with free entry."""
from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QWidget

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def format_rate(value: float) -> str:
    """0.0001 → '0.0001', 1e-05 → '0.00001', 3.0 → '3'."""
    if value == 0:
        return "0"
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if float(text) == value else f"{value:g}"


def parse_rate(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _RateValidator(QValidator):
    def __init__(self, allow_zero: bool, parent=None):
        super().__init__(parent)
        self.allow_zero = allow_zero

    def validate(self, text: str, pos: int):
        if text.strip() in ("", ".", "-", "e", "1e", "1e-") or text.strip().endswith(("e", "e-")):
            return QValidator.Intermediate, text, pos
        value = parse_rate(text)
        if value is None:
            return QValidator.Invalid, text, pos
        ok = value > 0 or (self.allow_zero and value == 0)
        return (QValidator.Acceptable if ok else QValidator.Intermediate), text, pos


class RateCombo(QComboBox):
    """Choose from log-spaced presets or type any number; ``valueChanged(float)`` on commit."""

    valueChanged = Signal(float)

    def __init__(self, presets=LEARNING_RATES, allow_zero: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.allow_zero = allow_zero
        self.addItems([format_rate(v) for v in presets])
        self.lineEdit().setValidator(_RateValidator(allow_zero, self))
        self._value = presets[0]
        self.activated.connect(self._commit)
        self.lineEdit().editingFinished.connect(self._commit)

    def value(self) -> float:
        return self._value

    def set_value(self, value: float) -> None:
        """Show ``value`` without emitting ``valueChanged``."""
        self._value = float(value)
        text = format_rate(self._value)
        index = self.findText(text)
        self.blockSignals(True)
        if index >= 0:
            self.setCurrentIndex(index)
        self.setEditText(text)
        self.blockSignals(False)

    def _commit(self, *_) -> None:
        value = parse_rate(self.currentText())
        if value is None or value < 0 or (value == 0 and not self.allow_zero):
            self.set_value(self._value)          # bad entry: show the value in force
            return
        if value != self._value:
            self._value = value
            self.valueChanged.emit(value)
