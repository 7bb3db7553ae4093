"""The inline editor that pops up over the network view to type a weight or bias.

A QLineEdit child of the view's viewport (never modal): Enter accepts, Escape
or clicking elsewhere cancels. Text that is not a finite number turns the box
red and keeps it open, so a typo never changes the model.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from gui.network_tooltips import number


def parse_value(text: str) -> float | None:
    """A finite float from user text (accepts the typographic minus sign), or None."""
    try:
        value = float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class ValueEditor(QLineEdit):
    """Edits one parameter; emits ``accepted(target, value)`` on Enter."""

    accepted = Signal(object, float)   # target: ("weight", l, i, j) or ("bias", l, j)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("networkValueEditor")
        self.setFixedWidth(110)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setToolTip("Type a new value and press Enter (Escape cancels).")
        self.target: tuple | None = None
        self.returnPressed.connect(self._accept)
        self.textEdited.connect(lambda _: self._mark_invalid(False))
        self.hide()

    def open(self, target: tuple, value: float, position: QPoint, label: str) -> None:
        """Show at ``position`` (viewport pixels) holding ``value``, all text selected."""
        self.target = target
        self.setPlaceholderText(label)
        self.setText(number(value).replace("−", "-").lstrip("+"))
        parent = self.parentWidget()
        x = min(max(0, position.x() - self.width() // 2), max(0, parent.width() - self.width()))
        y = min(max(0, position.y() + 10), max(0, parent.height() - self.height()))
        self.move(x, y)
        self._mark_invalid(False)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.selectAll()

    def close_editor(self) -> None:
        self.target = None
        self.hide()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def _accept(self) -> None:
        value = parse_value(self.text())
        if value is None:
            self._mark_invalid(True)
            return
        target = self.target
        self.close_editor()
        if target is not None:
            self.accepted.emit(target, value)

    def _mark_invalid(self, invalid: bool) -> None:
        self.setStyleSheet("QLineEdit { border: 2px solid #d62728; }" if invalid else "")
        if invalid:
            self.setToolTip("Not a number: type e.g. 0.5 or -1.2e-3, then press Enter.")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_editor()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_editor()
