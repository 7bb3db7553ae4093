"""Three architectures, one data set: the MLP, the CNN and the RNN trained side by side on the digits.

    Tools ▸ MLP, CNN and RNN on the digits…

Each architecture sees the same 8 × 8 digits in its own way (a row of 64 pixels,
an image, a sequence of 8 rows) and trains from the same seed on the same split
with the same optimiser (``model.architectures.ArchitectureRace``), an epoch each in
turn on the app's background worker. The table gives what the issue asks to
compare — parameters, accuracy and training time — and the plot the test accuracy
epoch by epoch.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from gui.compare.plot import HUES
from gui.own_window import OwnWindowWorkspace
from gui.training.background import Background
from gui.widgets.presentation import AXIS_INK, PresentablePlot
from gui.workspace import WindowServices
from gui.window.screen_fit import fit_to_screen
from model.architectures import ARCHITECTURES, ArchitectureRace

COLUMNS = ("model", "how it sees a digit", "parameters", "train accuracy", "test accuracy", "s / epoch")


@dataclass(frozen=True)
class RaceRow:
    """One architecture's figures after ``epoch`` epochs (no network: safe to hand over)."""

    name: str
    description: str
    parameters: int
    train_accuracy: float
    test_accuracy: float
    seconds_per_epoch: float
    epoch: int


class RaceJob:
    """Worker-thread side: one epoch of every architecture per unit of work, up to ``epochs``."""

    def __init__(self, epochs: int) -> None:
        self.race = ArchitectureRace()
        self.epochs = epochs

    def ready_to_run(self) -> bool:
        return self.race.epoch < self.epochs

    def advance(self) -> bool:
        self.race.run_epoch()
        return self.ready_to_run()

    def report(self, running: bool) -> tuple[RaceRow, ...]:
        return tuple(RaceRow(r.name, r.description, r.parameters, r.train_accuracy, r.test_accuracy,
                             r.seconds_per_epoch, r.epoch) for r in self.race.results())


class RaceController(Background):
    def __init__(self, window: "ArchitecturesWindow") -> None:
        super().__init__(window, min_interval=0.1)
        self.window = window

    def deliver(self, rows: tuple[RaceRow, ...]) -> None:
        self.window.show_rows(rows)


class ArchitecturesWindow(QMainWindow):
    """The table and the test-accuracy curves of the three architectures; Run / Pause, Start over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("architecturesWindow")
        self.setWindowTitle("MLP, CNN and RNN on the same digits — Backprop Studio")
        note = QLabel("The same 1,797 handwritten 8 × 8 digits, split the same way, the same seed and "
                      "optimiser (Adam 0.01, batch 32): the MLP reads a row of 64 pixels, the CNN the "
                      "image, the RNN the rows one after another. About 2,000 weights each — which "
                      "architecture uses them best?")
        note.setWordWrap(True)
        self.table = QTableWidget(len(ARCHITECTURES), len(COLUMNS), objectName="architecturesTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)   # three rows, no gap
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.plot = PresentablePlot(objectName="architecturesPlot")
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "test accuracy")
        self.plot.setYRange(0, 1)
        legend = self.plot.addLegend(offset=(-5, -5), labelTextColor=AXIS_INK,
                                     brush=pg.mkBrush(255, 255, 255, 200))
        self.curves = {name: self.plot.plot([], [], name=name.upper(), symbol="o", symbolSize=4,
                                            pen=pg.mkPen(hue, width=2), symbolBrush=hue, symbolPen=None)
                       for name, hue in zip(ARCHITECTURES, HUES)}
        self.legend = legend
        self.history: dict[str, list[tuple[int, float]]] = {name: [] for name in ARCHITECTURES}
        self.epochs = QSpinBox(objectName="architectureEpochs", minimum=1, maximum=200, value=20,
                               suffix=" epochs")
        self.epochs.setToolTip("How many epochs each architecture trains")
        self.run_button = QPushButton("Run", objectName="architecturesRun")
        self.run_button.setToolTip("Train the three side by side, an epoch each in turn (Space)")
        self.run_button.setShortcut(Qt.Key.Key_Space)
        self.run_button.clicked.connect(self.toggle_running)
        self.restart_button = QPushButton("Start over", objectName="architecturesRestart")
        self.restart_button.clicked.connect(self.start_over)
        self.status = QLabel("Press Run.", objectName="architecturesStatus")
        buttons = QHBoxLayout()
        for widget in (self.run_button, self.restart_button, self.epochs):
            buttons.addWidget(widget)
        buttons.addWidget(self.status, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.plot, 1)
        self.setCentralWidget(central)
        fit_to_screen(self, QSize(820, 620), grow=0.0)   # a table and a plot: no need to grow
        self.controller = RaceController(self)
        self.controller.runningChanged.connect(
            lambda running: self.run_button.setText("Pause" if running else "Run"))
        self.epochs.valueChanged.connect(self._set_epochs)

    def toggle_running(self) -> None:
        if self.controller.job is None:
            self.controller.start_job(RaceJob(self.epochs.value()))
        if self.controller.is_running:
            self.controller.pause()
        else:
            self.controller.run()

    def start_over(self) -> None:
        self.controller.shutdown()
        for name in self.history:
            self.history[name] = []
            self.curves[name].setData([], [])
        self.table.clearContents()
        self.status.setText("Press Run.")

    def _set_epochs(self, epochs: int) -> None:
        self.controller.apply(lambda job: setattr(job, "epochs", epochs))

    def show_rows(self, rows: tuple[RaceRow, ...]) -> None:
        """Fill the table and extend the curves with one report."""
        for row, figures in enumerate(rows):
            cells = (figures.name.upper(), figures.description, f"{figures.parameters:,}",
                     f"{figures.train_accuracy:.1%}", f"{figures.test_accuracy:.1%}",
                     f"{figures.seconds_per_epoch:.3f}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
            history = self.history[figures.name]
            if figures.epoch and (not history or history[-1][0] != figures.epoch):
                history.append((figures.epoch, figures.test_accuracy))
                epochs, accuracies = np.array(history).T
                self.curves[figures.name].setData(epochs, accuracies)
        self.table.resizeColumnsToContents()
        if rows:
            best = max(rows, key=lambda r: r.test_accuracy)
            self.status.setText(f"epoch {rows[0].epoch} · best on the test digits: {best.name.upper()} "
                                f"({best.test_accuracy:.1%})")

    def closeEvent(self, event) -> None:   # noqa: N802 (Qt)
        self.controller.shutdown()
        super().closeEvent(event)


class ArchitecturesWorkspace(OwnWindowWorkspace):
    """Tools ▸ MLP, CNN and RNN on the digits…"""

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services, lambda parent: ArchitecturesWindow(parent), "MLP, CNN and RNN on the digits…",
                         "architectures", "Train an MLP, a CNN and an RNN on the same digits, side by side: "
                         "parameters, accuracy and training time")
