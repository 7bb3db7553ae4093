"""Input feature checkboxes, one per entry of ``model.features.FEATURES`` (Playground's inputs)."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from model.config import ExperimentConfig
from model.features import FEATURES

from .base import ControlGroup

COLUMNS = 4


class FeatureControls(ControlGroup):
    """Field: features (the network's inputs, in FEATURES order). Disabled for CSV data."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Input features", parent)
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(8)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (name, feature) in enumerate(FEATURES.items()):
            box = QCheckBox(feature.label, objectName=f"feature_{name}")
            box.setToolTip(f"Feed {feature.label} ({name}) of each point to the network as an input.")
            box.toggled.connect(self._toggled)
            layout.addWidget(box, i // COLUMNS, i % COLUMNS)
            self.boxes[name] = box
        self.csv_note = QLabel(wordWrap=True)
        self.csv_note.setToolTip("A CSV file's columns are the inputs, standardised.")
        layout.addWidget(self.csv_note, 1 + len(FEATURES) // COLUMNS, 0, 1, COLUMNS)
        self.csv_note.hide()

    def set_csv_columns(self, names: tuple[str, ...] | None) -> None:
        """Show which CSV columns are the inputs (None: built-in data)."""
        self.csv_note.setVisible(bool(names))
        if names:
            self.csv_note.setText("Inputs from the CSV file: " + ", ".join(names))

    def _show(self, config: ExperimentConfig) -> None:
        for name, box in self.boxes.items():
            box.setChecked(name in config.features)
            box.setEnabled(not config.csv_path)

    def _toggled(self) -> None:
        if self._updating:
            return
        chosen = tuple(name for name, box in self.boxes.items() if box.isChecked())
        if not chosen:                  # at least one input: undo unticking the last one
            with self.updating():
                self._show(self.config)
            return
        self.emit_change(features=chosen)
