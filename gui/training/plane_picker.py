"""Which two inputs the decision boundary shows, for data with more than two (a CSV's columns).

    picker = PlanePicker()
    picker.set_columns(("age", "height", "weight"))    # hidden for two inputs or fewer
    picker.pairChosen.connect(window.show_plane)       # (x column, y column)

The other inputs are held at their mean (0 after standardisation), which the
picker says, so a student reads the picture as a slice, not the whole model.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget


class PlanePicker(QWidget):
    """Two combo boxes naming the inputs on the boundary's x and y axes.

    It never widens the plots' pane (which would squeeze the network diagram): on a narrow
    pane the combo boxes shorten long column names, and the note, then cut, is also the
    picker's tooltip."""

    pairChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="planePicker")
        self.x_axis = QComboBox(objectName="planeX")
        self.y_axis = QComboBox(objectName="planeY")
        for combo, axis in ((self.x_axis, "across"), (self.y_axis, "up")):
            combo.setToolTip(f"The input drawn {axis} the decision boundary")
            combo.activated.connect(self._chosen)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
        self.note = QLabel("(the other inputs at their mean)")
        self.note.setStyleSheet("color: #555;")
        self.note.setToolTip("The inputs not on the axes are held at their mean: the picture is "
                             "a slice through the model")
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)   # cut first
        self.setToolTip(self.note.toolTip())
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(QLabel("Boundary over"))
        row.addWidget(self.x_axis)
        row.addWidget(QLabel("×"))
        row.addWidget(self.y_axis)
        row.addWidget(self.note, 1)
        self.hide()

    def set_columns(self, names: Sequence[str]) -> None:
        """Offer ``names`` (the network's inputs); back to the first two; shown for three or more."""
        for combo, index in ((self.x_axis, 0), (self.y_axis, 1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(names))
            combo.setCurrentIndex(min(index, len(names) - 1))
            combo.blockSignals(False)
        self.setVisible(len(names) > 2)

    def pair(self) -> tuple[int, int]:
        return self.x_axis.currentIndex(), self.y_axis.currentIndex()

    def _chosen(self, _index: int) -> None:
        x, y = self.pair()
        if x == y:                      # the same input twice: swap the other axis to the old choice
            other = self.y_axis if self.sender() is self.x_axis else self.x_axis
            other.setCurrentIndex(next(i for i in range(other.count()) if i != x))
            x, y = self.pair()
        self.pairChosen.emit(x, y)
