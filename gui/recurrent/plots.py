"""pyqtgraph views of a recurrent run: the gradient-norm heat map, the sequence, the loss.

``GradientMap``: log10 ‖∂L_T/∂h_t‖ — the last output's error at each step back (mean
over a probe batch, ``worker.gradient_norms``), one row per epoch and one column per step t — how far back the gradient reaches as training goes on. Dark
to the left: it vanishes; bright everywhere: it explodes.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from gui.widgets.loss_plot import TEST_COLOUR, TRAIN_COLOUR
from gui.widgets.presentation import AXIS_INK, PresentablePlot
from gui.widgets.wide_curve import WideDataItem

MAX_ROWS = 400          # epochs kept in the heat map (the oldest drop out)


class GradientMap(PresentablePlot):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradientMap")
        self.setLabel("bottom", "time step t")
        self.setLabel("left", "epoch")
        self.setTitle("log₁₀ ‖∂L_T/∂h_t‖", color=AXIS_INK, size="9pt")
        self.setToolTip("Each row is an epoch; each column a time step t. The colour is log₁₀ ‖∂L_T/∂h_t‖: "
                        "how much of the last step's error reaches step t. Dark on the left: the gradient "
                        "vanishes on its way back through time.")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get("viridis"))
        self.addItem(self.image)
        self.rows = np.empty((0, 0))

    def clear_rows(self) -> None:
        self.rows = np.empty((0, 0))
        self.image.clear()

    def add_rows(self, norms: np.ndarray) -> None:
        """norms (m, T): one row per epoch."""
        if norms.size == 0:
            return
        if self.rows.shape[1:] != norms.shape[1:]:
            self.rows = np.empty((0, norms.shape[1]))
        self.rows = np.vstack([self.rows, norms])[-MAX_ROWS:]
        logs = np.log10(np.maximum(self.rows, 1e-30))
        finite = logs[np.isfinite(logs)]
        low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        self.image.setImage(logs, levels=(low, max(high, low + 1e-9)))
        self.image.setRect(0.5, 0, logs.shape[1], logs.shape[0])

    def latest(self) -> np.ndarray | None:
        return self.rows[-1] if len(self.rows) else None


class SequencePlot(PresentablePlot):
    """The shown sequence: input, target and prediction against t."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sequencePlot")
        self.setLabel("bottom", "time step t")
        self.addLegend(offset=(5, 5), labelTextColor=AXIS_INK, brush=pg.mkBrush(255, 255, 255, 200))
        self.input_curve = self.plot([], [], pen=pg.mkPen("#bbbbbb"), name="input x_t")
        self.target_curve = self.plot([], [], pen=pg.mkPen("#111111", width=2), name="target y_t")
        self.prediction_curve = self.plot([], [], pen=pg.mkPen("#0877bd", width=2), symbol="o", symbolSize=4,
                                          name="prediction ŷ_t")

    def show_sequence(self, inputs: np.ndarray, targets: np.ndarray, prediction: np.ndarray) -> None:
        steps = np.arange(1, len(inputs) + 1)
        self.input_curve.setData(steps, inputs[:, 0])
        if targets.ndim == 2:
            self.target_curve.setData(steps, targets[:, 0])
            self.prediction_curve.setData(steps, prediction[:, 0])
        else:                                    # one answer, at the last step
            self.target_curve.setData([steps[-1]], [targets[0]], symbol="s")
            self.prediction_curve.setData([steps[-1]], [prediction[0]])


class RecurrentLossPlot(PresentablePlot):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recurrentLossPlot")
        self.setLabel("bottom", "epoch")
        self.setLabel("left", "loss")
        self.setLogMode(y=True)
        self.addLegend(offset=(-5, 5), labelTextColor=AXIS_INK, brush=pg.mkBrush(255, 255, 255, 200))
        self.train = WideDataItem(pen=pg.mkPen(TRAIN_COLOUR, width=2), name="train")
        self.test = WideDataItem(pen=pg.mkPen(TEST_COLOUR, width=2), name="test")
        for curve in (self.train, self.test):
            self.addItem(curve)
        self.clear_history()

    def clear_history(self) -> None:
        self.history = np.empty((0, 3))
        self.train.setData([], [])
        self.test.setData([], [])

    def extend(self, epochs: np.ndarray, train: np.ndarray, test: np.ndarray) -> None:
        if len(epochs) == 0:
            return
        self.history = np.vstack([self.history, np.column_stack([epochs, train, test])])
        floor = 1e-12
        self.train.setData(self.history[:, 0], np.maximum(self.history[:, 1], floor))
        if np.isfinite(self.history[:, 2]).any():
            self.test.setData(self.history[:, 0], np.maximum(self.history[:, 2], floor))
