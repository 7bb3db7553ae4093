"""A spin box for seeds: every whole number from 0 to 2⁶⁴ − 1.

``QSpinBox`` holds a C int and stops at 2³¹ − 1 (a larger ``setValue``
raises OverflowError), while the model accepts any 64-bit seed, so a network
trained with ``--seed 3000000000`` needs this box to be shown.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

from model.config import MAX_SEED


class SeedBox(QAbstractSpinBox):
    """``value()``, ``setValue(int)`` and ``valueChanged(int)`` as ``QSpinBox``, for 0 … 2⁶⁴ − 1."""

    valueChanged = Signal(object)        # a Python int: Qt's int signal is 32-bit

    def __init__(self, objectName: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(objectName)
        self.setKeyboardTracking(False)
        self._value = 0
        self.lineEdit().setText("0")
        self.editingFinished.connect(self._take_text)

    def value(self) -> int:
        return self._value

    def minimum(self) -> int:
        return 0

    def maximum(self) -> int:
        return MAX_SEED

    def setValue(self, value: int) -> None:
        value = min(max(int(value), 0), MAX_SEED)
        self.lineEdit().setText(str(value))
        if value != self._value:
            self._value = value
            self.valueChanged.emit(value)

    def stepBy(self, steps: int) -> None:
        self.setValue(self._value + steps)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        enabled = QAbstractSpinBox.StepNone
        if self._value > 0:
            enabled |= QAbstractSpinBox.StepDownEnabled
        if self._value < MAX_SEED:
            enabled |= QAbstractSpinBox.StepUpEnabled
        return enabled

    def validate(self, text: str, position: int) -> object:
        text = text.strip()
        if not text:
            return QValidator.Intermediate, text, position
        if text.isdigit() and text.isascii() and int(text) <= MAX_SEED:
            return QValidator.Acceptable, text, position
        return QValidator.Invalid, text, position

    def fixup(self, text: str) -> str:
        return str(self._value)

    def _take_text(self) -> None:
        text = self.lineEdit().text().strip()
        if text.isdigit() and text.isascii():
            self.setValue(int(text))
        else:
            self.lineEdit().setText(str(self._value))
