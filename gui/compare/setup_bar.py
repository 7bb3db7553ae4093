"""The comparison window's setup bar: which one or two settings differ between the runs, and over
which values; below them, one line naming the base setting.

    bar = SetupBar(varied_settings("mlp"))       # the settings the model says that kind can vary
    bar.set_variations(comparison.variations)
    bar.applied.connect(rebuild)                 # Apply or Enter
    bar.variations()                             # ValueError saying what to fix on bad values
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from model.config import ExperimentConfig
from model.variations import SETTINGS, Variation


def describe(config: ExperimentConfig, varied: Sequence[str] = ()) -> str:
    """One line naming the base setting; varied settings read “varied”."""
    data = f"CSV {config.csv_path}" if config.csv_path else f"{config.dataset}, {config.samples} points"
    values = {"hidden_layers": "→".join(["in", *map(str, config.hidden_layers), "out"]),
              "activations": ", ".join(dict.fromkeys(config.activations)) or "—",
              "optimizer": config.optimizer, "learning_rate": f"{config.learning_rate:g}",
              "batch_size": str(config.batch_size)}
    shown = {name: "varied" if name in varied else text for name, text in values.items()}
    return (f"Base setting: {data} · layers {shown['hidden_layers']} · activation "
            f"{shown['activations']} · output {config.output_activation} · loss {config.loss} · "
            f"optimizer {shown['optimizer']} · η {shown['learning_rate']} · batch "
            f"{shown['batch_size']} · seed {config.seed}")


class SetupBar(QWidget):
    """Two “vary [setting] over [values]” pickers and Apply. ``applied`` when Apply is pressed.

    ``settings``: the keys of ``model.variations.SETTINGS`` offered (the model says which a kind of
    network can vary: ``model.compared_models.varied_settings``)."""

    applied = Signal()

    def __init__(self, settings: Sequence[str] = tuple(SETTINGS), parent: QWidget | None = None):
        super().__init__(parent)
        self.combos, self.edits = [], []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for slot, caption in enumerate(("Vary", "and")):
            combo = QComboBox(objectName=f"varySetting{slot + 1}")
            if slot:
                combo.addItem("nothing else", None)
            for name in settings:
                combo.addItem(SETTINGS[name].label, name)
            combo.setToolTip("The setting that differs between the runs")
            edit = QLineEdit(objectName=f"varyValues{slot + 1}")
            edit.setMinimumWidth(150)
            combo.currentIndexChanged.connect(lambda _, s=slot: self._setting_changed(s))
            edit.returnPressed.connect(self.applied)
            self.combos.append(combo)
            self.edits.append(edit)
            row.addWidget(QLabel(caption))
            row.addWidget(combo)
            row.addWidget(edit, 1)
        self.apply_button = QPushButton("Apply", objectName="applyVariations")
        self.apply_button.setToolTip("Build these runs from the base setting and start over (Enter)")
        self.apply_button.clicked.connect(self.applied)
        row.addWidget(self.apply_button)
        self.base = QLabel(objectName="baseSetting")
        self.base.setStyleSheet("color: #555;")
        self.error = QLabel(objectName="setupError")
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.base)
        layout.addWidget(self.error)

    def _setting_changed(self, slot: int) -> None:
        name = self.combos[slot].currentData()
        self.edits[slot].setEnabled(name is not None)
        self.edits[slot].setText(SETTINGS[name].default_values if name else "")
        if name:
            self.edits[slot].setToolTip(f"Values of the {SETTINGS[name].label}, separated by "
                                        f"“{SETTINGS[name].separator}” — {SETTINGS[name].description}")

    def set_variations(self, variations: Sequence[Variation]) -> None:
        for slot, combo in enumerate(self.combos):
            variation = variations[slot] if slot < len(variations) else None
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(variation.setting if variation else None))
            combo.blockSignals(False)
            self._setting_changed(slot)
            if variation is not None:
                spec = SETTINGS[variation.setting]
                self.edits[slot].setText(spec.separator.join(
                    ",".join(map(str, v)) if isinstance(v, tuple) else f"{v:g}" if isinstance(v, float)
                    else str(v) for v in variation.values))

    def variations(self) -> list[Variation]:
        """The chosen variations; ValueError (with what to fix) on bad values."""
        chosen = [(c.currentData(), e.text()) for c, e in zip(self.combos, self.edits) if c.currentData()]
        if len(chosen) == 2 and chosen[0][0] == chosen[1][0]:
            raise ValueError(f"choose two different settings (both are the {SETTINGS[chosen[0][0]].label})")
        return [Variation.parse(name, text) for name, text in chosen]

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
