"""View ▸ Classroom controls…: a teacher ticks the controls the class should not see (as
TensorFlow Playground's classroom flags hide parts of its page); remembered between launches
and applied with every lesson's own hidden controls."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout,
                               QWidget)

COLUMNS = 2


class ClassroomDialog(QDialog):
    """Check boxes, one per control name; ``hidden()`` the ticked names."""

    def __init__(self, names: list[str], hidden: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classroomDialog")
        self.setWindowTitle("Classroom: hide controls")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the controls to hide from the class in every lesson "
                                "(and outside lessons). Remembered on this computer.", wordWrap=True))
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        for index, name in enumerate(names):
            box = QCheckBox(name.replace("_", " "), objectName=f"classroom_{name}")
            box.setChecked(name in hidden)
            grid.addWidget(box, index // COLUMNS, index % COLUMNS)
            self.boxes[name] = box
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def hidden(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]
