"""Data controls: data set (built-in or CSV), noise, size, train/test ratio, regenerate."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QSpinBox, QWidget)

from model.config import ExperimentConfig
from model.datasets import DATASETS

from .base import ControlGroup, fill_combo, select_data
from .dataset_pictures import PICTURE_SIZE, dataset_icon
from .seed_box import SeedBox

CSV_ITEM = "__csv__"


def _slider(minimum: int, maximum: int, step: int, tooltip: str) -> QSlider:
    slider = QSlider(Qt.Horizontal)
    slider.setRange(minimum, maximum)
    slider.setSingleStep(step)
    slider.setPageStep(step * 2)
    slider.setTracking(False)          # valueChanged on release: one rebuild, not fifty
    slider.setToolTip(tooltip)
    return slider


class DataControls(ControlGroup):
    """Fields: dataset, csv_path, noise, samples, test_ratio, data_seed."""

    openCsvRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Data", parent)
        layout = QFormLayout(self)
        self.dataset = QComboBox(objectName="datasetCombo")
        self.dataset.setIconSize(QSize(PICTURE_SIZE, PICTURE_SIZE))
        self.dataset.setToolTip("The data set to learn. Built-in sets are 2-D points in [−6, 6]².")
        self.open_csv = QPushButton("Open CSV…", objectName="openCsvButton")
        self.open_csv.setToolTip("Load a numeric CSV file; the last column is the target "
                                 "(classes if it has ≤ 10 integer values, else regression).")
        self.open_csv.clicked.connect(self.openCsvRequested)
        row = QHBoxLayout()
        row.addWidget(self.dataset, 1)
        row.addWidget(self.open_csv)
        layout.addRow("Data set", row)

        self.noise = _slider(0, 100, 5, "Noise: how much the points stray from the clean pattern "
                                        "(100 % = Playground's 50 %).")
        self.noise.setObjectName("noiseSlider")
        self.noise_label = QLabel()
        layout.addRow(self.noise_label, self.noise)

        self.train_percent = _slider(10, 100, 10, "Share of the samples used for training; the rest "
                                                 "is the test set that measures generalisation.")
        self.train_percent.setObjectName("trainRatioSlider")
        self.ratio_label = QLabel()
        layout.addRow(self.ratio_label, self.train_percent)

        self.samples = QSpinBox(objectName="samplesSpin", minimum=4, maximum=100_000,
                                singleStep=100, keyboardTracking=False)
        self.samples.setToolTip("Number of points generated (train + test).")
        layout.addRow("Samples", self.samples)

        self.data_seed = SeedBox(objectName="dataSeedSpin")
        self.data_seed.setToolTip("Seed of the data generator and of the train/test split.")
        self.regenerate = QPushButton("Regenerate", objectName="regenerateButton")
        self.regenerate.setToolTip("Draw a new data set (next data seed) with the same settings.")
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.data_seed, 1)
        seed_row.addWidget(self.regenerate)
        layout.addRow("Data seed", seed_row)

        self.dataset.activated.connect(self._dataset_chosen)
        self.noise.valueChanged.connect(lambda v: self.emit_change(noise=v / 100))
        self.noise.sliderMoved.connect(self._show_labels)
        self.train_percent.valueChanged.connect(
            lambda v: self.emit_change(test_ratio=round(1 - v / 100, 4)))
        self.train_percent.sliderMoved.connect(self._show_labels)
        self.samples.valueChanged.connect(lambda v: self.emit_change(samples=v))
        self.data_seed.valueChanged.connect(lambda v: self.emit_change(data_seed=v))
        self.regenerate.clicked.connect(
            lambda: self.emit_change(data_seed=self.config.data_seed + 1))
        self._csv_name: str | None = None

    def set_csv_name(self, name: str | None) -> None:
        """The loaded CSV file's name, offered as the data set while it is in use."""
        self._csv_name = name

    def _show(self, config: ExperimentConfig) -> None:
        items = [(name, name.replace("_", " "), f"{spec.description} ({spec.task})")
                 for name, spec in DATASETS.items()]
        if config.csv_path:
            name = self._csv_name or config.csv_path
            items.append((CSV_ITEM, f"CSV: {name}", config.csv_path))
        fill_combo(self.dataset, items)
        for index, (name, _, _) in enumerate(items):
            if name in DATASETS:                 # built-in sets get their picture
                self.dataset.setItemIcon(index, dataset_icon(name))
        select_data(self.dataset, CSV_ITEM if config.csv_path else config.dataset)
        self.noise.setValue(round(config.noise * 100))
        self.train_percent.setValue(round((1 - config.test_ratio) * 100))
        self.samples.setValue(config.samples)
        self.data_seed.setValue(config.data_seed)
        for widget in (self.noise, self.samples):
            widget.setEnabled(not config.csv_path)
        self._show_labels()

    def _show_labels(self, *_) -> None:
        self.noise_label.setText(f"Noise {self.noise.sliderPosition()} %")
        train = self.train_percent.sliderPosition()
        self.ratio_label.setText(f"Train {train} %")

    def _dataset_chosen(self, index: int) -> None:
        name = self.dataset.itemData(index)
        if name == CSV_ITEM:
            return
        changes = {"dataset": name}
        if self.config.csv_path:
            changes.update(csv_path=None, csv_target=None)
        self.emit_change(**changes)
