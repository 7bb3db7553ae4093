"""The inline editor that pops up over the network view to type a weight or bias.

A small frame (never modal) on the view's viewport: the parameter's name
("W[0][1, 2] =") and a line edit. Enter accepts, Escape or clicking elsewhere
cancels. Text that is not a finite number turns the box red and keeps it
open, so a typo never changes the model.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QWidget

from gui.network.tooltips import number


def parse_value(text: str) -> float | None:
    """A finite float from user text (accepts the typographic minus sign), or None."""
    try:
        value = float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _LineEdit(QLineEdit):
    """Escape and losing focus close the editor."""

    def __init__(self, editor: "ValueEditor") -> None:
        super().__init__(editor)
        self._editor = editor

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._editor.close_editor()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._editor.isVisible() and event.reason() in (Qt.FocusReason.MouseFocusReason,
                                                           Qt.FocusReason.TabFocusReason,
                                                           Qt.FocusReason.BacktabFocusReason):
            self._editor.close_editor()


class ValueEditor(QFrame):
    """Edits one parameter; emits ``accepted(target, value)`` on Enter."""

    accepted = Signal(object, float)   # target: ("weight", l, i, j) or ("bias", l, j)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("networkValueEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#networkValueEditor { background: #ffffff; border: 1px solid #888;"
                           " border-radius: 4px; }")
        self.label = QLabel(self)
        self.line_edit = _LineEdit(self)
        self.line_edit.setFixedWidth(96)
        self.line_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.line_edit.setToolTip("Type a new value and press Enter (Escape cancels).")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 3, 3)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.line_edit)
        self.target: tuple | None = None
        self.line_edit.returnPressed.connect(self._accept)
        self.line_edit.textEdited.connect(lambda _: self._mark_invalid(False))
        self.hide()

    def text(self) -> str:
        return self.line_edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming, like QLineEdit)
        self.line_edit.setText(text)

    def open(self, target: tuple, value: float, position: QPoint, label: str) -> None:
        """Show near ``position`` (viewport pixels) holding ``value``, all text selected."""
        self.target = target
        self.label.setText(f"{label} =")
        self.line_edit.setText(number(value).replace("−", "-").lstrip("+"))
        self._mark_invalid(False)
        self.adjustSize()
        parent = self.parentWidget()
        x = min(max(0, position.x() - self.width() // 2), max(0, parent.width() - self.width()))
        y = min(max(0, position.y() + 12), max(0, parent.height() - self.height()))
        self.move(x, y)
        self.show()
        self.raise_()
        self.line_edit.setFocus(Qt.FocusReason.PopupFocusReason)
        self.line_edit.selectAll()

    def close_editor(self) -> None:
        """Hide the editor; if it had the keyboard focus, hand it back to the view (and only
        then: closing an editor nobody uses must not steal the focus from, e.g., a slider)."""
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isVisible() and self.isAncestorOf(focus)
        self.target = None
        self.hide()
        if had_focus and self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def _accept(self) -> None:
        value = parse_value(self.line_edit.text())
        if value is None:
            self._mark_invalid(True)
            return
        target = self.target
        self.close_editor()
        if target is not None:
            self.accepted.emit(target, value)

    def _mark_invalid(self, invalid: bool) -> None:
        self.line_edit.setStyleSheet("QLineEdit { border: 2px solid #d62728; }" if invalid else "")
        self.line_edit.setToolTip("Not a number: type e.g. 0.5 or -1.2e-3, then press Enter."
                                  if invalid else
                                  "Type a new value and press Enter (Escape cancels).")
