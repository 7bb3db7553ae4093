"""Live train/test loss against epoch (pyqtgraph), smooth for a million-step run.

Memory is bounded: ``LossHistory`` keeps at most ``capacity`` points. When it
is full it drops every other stored point and from then on keeps only every
``stride``-th incoming epoch (stride doubles each time), so the curve stays an
evenly sampled picture of the whole run; the newest point is always drawn.
Drawing uses ``setData`` on two existing curves with peak downsampling and
clip-to-view; they are ``WideDataItem``s, 2 pixels wide at the cost of thin lines (a
repaint after 10,000 epochs: about 6 ms instead of 35–45; painting holds the GIL training
needs). The axes follow the run in steps (1, 2, 5 × 10^k), not every frame:
re-laying out tick labels 30 times a second would cost the training thread more
time than the curves themselves; the epoch axis keeps its labels a label's width
apart (``SpacedAxis``). On a narrow plot the legend hides and the overfitting
title shortens. Zooming by hand stops the following until the next run (or a
double-click).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget
from gui.widgets.presentation import PRESENTATION, FollowsPresentation, scaled_font, style_plot
from gui.widgets.log_axis import LogAxis
from gui.widgets.spaced_axis import SpacedAxis
from gui.widgets.wide_curve import WideDataItem

from model.curves import nice_ceiling

from .generalisation import GeneralisationOverlay


TRAIN_COLOUR = "#7a7a7a"      # Playground: training loss grey, test loss black
TEST_COLOUR = "#111111"
LOG_FLOOR = 1e-12             # log-y needs positive values
LEGEND_ROOM = 2.4             # the legend shows on a plot at least this many times its width


class LossHistory:
    """Bounded (epoch, train loss, test loss) series; decimates by 2 when full."""

    def __init__(self, capacity: int = 20_000):
        if capacity < 4:
            raise ValueError(f"capacity must be at least 4, got {capacity}")
        self.capacity = capacity
        self._data = np.empty((capacity, 3))
        self.size = 0
        self.stride = 1
        self._seen = 0                    # points offered since the start
        self.last: np.ndarray | None = None

    def clear(self) -> None:
        self.size, self.stride, self._seen, self.last = 0, 1, 0, None

    def extend(self, epochs: np.ndarray, train: np.ndarray, test: np.ndarray) -> None:
        """Append points (all of shape (m,)), keeping every ``stride``-th."""
        rows = np.column_stack([epochs, train, test]).astype(np.float64)
        if rows.size == 0:
            return
        self.last = rows[-1].copy()
        start, self._seen = self._seen, self._seen + len(rows)
        for k, row in enumerate(rows):
            index = start + k                 # the point's position in the whole run
            if index % self.stride:
                continue
            if self.size == self.capacity:
                self._decimate()              # stored points are now every (2·stride)-th
                if index % self.stride:
                    continue
            self._data[self.size] = row
            self.size += 1

    def _decimate(self) -> None:
        kept = self._data[: self.size : 2].copy()
        self.size = len(kept)
        self._data[: self.size] = kept
        self.stride *= 2

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epochs, train, test), the newest point included even if decimation skipped it."""
        data = self._data[: self.size]
        if self.last is not None and (self.size == 0 or data[-1, 0] != self.last[0]):
            data = np.vstack([data, self.last])
        return data[:, 0], data[:, 1], data[:, 2]


class LossPlot(FollowsPresentation, pg.PlotWidget):
    """Train and test loss per epoch with log-y, a legend and a hover read-out, the gap between
    them shaded and the best epoch marked; ``overfittingChanged`` carries the model's sentence
    when the run starts (or stops) overfitting ("" then)."""

    overfittingChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, capacity: int = 20_000):
        super().__init__(parent, background="w",
                         axisItems={"left": LogAxis("left"), "bottom": SpacedAxis("bottom")})
        self.setObjectName("lossPlot")
        self.setToolTip("Loss on the training set (grey) and on the test set (black) after each "
                        "epoch. A widening gap between them is overfitting.")
        self.history = LossHistory(capacity)
        item = self.getPlotItem()
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "loss")
        item.showGrid(x=True, y=True, alpha=0.15)
        item.getAxis("left").enableAutoSIPrefix(False)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.setMenuEnabled(False)
        item.hideButtons()
        self.legend = item.addLegend(offset=(-8, 8), labelTextColor="#222", brush=(255, 255, 255, 200))
        self.train_curve = WideDataItem(pen=pg.mkPen(TRAIN_COLOUR, width=2), name="train loss")
        self.test_curve = WideDataItem(pen=pg.mkPen(TEST_COLOUR, width=2), name="test loss")
        for curve in (self.train_curve, self.test_curve):
            item.addItem(curve)
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        self.generalisation = GeneralisationOverlay(item)
        self._overfitting = ""
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#999", style=Qt.DashLine))
        self.readout = pg.TextItem(color="#222", anchor=(0, 1), fill=(255, 255, 255, 220))
        for overlay in (self.cursor, self.readout):
            overlay.setZValue(20)
            overlay.hide()
            item.addItem(overlay, ignoreBounds=True)
        self.log_y = False
        self.follow = True                  # the axes follow the data until the user zooms
        item.disableAutoRange()
        item.vb.sigRangeChangedManually.connect(self._zoomed_by_hand)
        self.scene().sigMouseMoved.connect(self._hover)
        self._range: tuple | None = None
        self.follow_presentation()
        self.steps_per_epoch: int | None = None   # None: the x axis counts epochs

    def apply_presentation(self) -> None:
        """Axis texts, ticks and line widths at presenter mode's scale."""
        scale = PRESENTATION.scale
        style_plot(self.getPlotItem())
        self.train_curve.setPen(pg.mkPen(TRAIN_COLOUR, width=2 * scale))
        self.test_curve.setPen(pg.mkPen(TEST_COLOUR, width=2 * scale))
        self.readout.setFont(scaled_font(9.0))
        for sample, label in self.legend.items:
            label.setText(label.text, size=f"{9 * scale:g}pt")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt)
        super().resizeEvent(event)
        if self.closed or "generalisation" not in vars(self):   # closing (its items are gone),
            return                                               # or still being built
        self.generalisation.fit_title(self.width())
        # on a plot hardly wider than the legend, the legend would hide the curves and lose its
        # words past the edge: the tooltip names the curves then
        self.legend.setVisible(self.width() >= LEGEND_ROOM * self.legend.width())

    # -- data -----------------------------------------------------------------

    def clear_history(self) -> None:
        self.history.clear()
        self.follow, self._range = True, None
        self.train_curve.setData([], [])
        self.test_curve.setData([], [])
        self.readout.hide()
        self.cursor.hide()

    def append(self, epochs: np.ndarray, train: np.ndarray, test: np.ndarray,
               redraw: bool = True) -> None:
        """Add per-epoch losses (shape (m,)); redraw now unless the caller paces redraws."""
        self.history.extend(epochs, train, test)
        if redraw and len(epochs):
            self.redraw()

    def set_log_y(self, enabled: bool) -> None:
        self.log_y = bool(enabled)
        self.getPlotItem().setLogMode(y=self.log_y)
        self._range = None
        self.getPlotItem().setLabel("left", "loss (log scale)" if self.log_y else "loss")
        self.redraw()

    def set_steps_per_epoch(self, steps: int | None) -> None:
        """Count mini-batch steps on the x axis (step = epoch · ``steps``); None: epochs."""
        steps = None if steps is None else max(int(steps), 1)
        if steps == self.steps_per_epoch:
            return
        self.steps_per_epoch = steps
        self.getPlotItem().setLabel("bottom", "epoch" if steps is None else
                                    f"step ({steps} mini-batches per epoch)")
        self._range = None
        self.redraw()

    def x_values(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The history with its x in the axis' unit (epochs or steps)."""
        epochs, train, test = self.history.arrays()
        return (epochs if self.steps_per_epoch is None else epochs * self.steps_per_epoch,
                train, test)

    def redraw(self) -> None:
        epochs, train, test = self.x_values()
        if self.log_y:
            train, test = np.maximum(train, LOG_FLOOR), np.maximum(test, LOG_FLOOR)
        finite_train = np.isfinite(train)
        self.train_curve.setData(epochs[finite_train], train[finite_train])
        has_test = np.isfinite(test)
        self.test_curve.setData(epochs[has_test], test[has_test])
        self.test_curve.setVisible(bool(has_test.any()))
        self.generalisation.update(self.history.arrays()[0], train, test, x=epochs, log_y=self.log_y)
        if self.steps_per_epoch is not None and self.generalisation.best_epoch is not None:
            self.generalisation.best.setValue(self.generalisation.best_epoch * self.steps_per_epoch)
        message = self.generalisation.message or ""
        if message != self._overfitting:
            self._overfitting = message
            self.overfittingChanged.emit(message)
        if self.follow:
            self._follow_range(epochs, np.concatenate([train[finite_train], test[has_test]]))

    def _follow_range(self, epochs: np.ndarray, losses: np.ndarray) -> None:
        """x in [0, nice ≥ last epoch]; y in [0, nice ≥ max] (log: whole decades). Set only on change."""
        if len(epochs) == 0 or len(losses) == 0:
            return
        x_range = (0.0, nice_ceiling(float(epochs[-1])))
        if self.log_y:
            y_range = (float(np.floor(np.log10(losses.min()))), float(np.ceil(np.log10(losses.max()))))
            if y_range[0] == y_range[1]:
                y_range = (y_range[0] - 1, y_range[1])
        else:
            y_range = (0.0, nice_ceiling(float(losses.max())))
        if (x_range, y_range) != self._range:
            self._range = (x_range, y_range)
            view_box = self.getPlotItem().vb
            view_box.setRange(xRange=x_range, yRange=y_range, padding=0.02)
            # pyqtgraph applies a new range lazily, inside the next paint: the curves and the
            # best-epoch line then changed their geometry mid-paint and asked for a second one
            view_box.updateMatrix()
            self.generalisation.best.boundingRect()

    def _zoomed_by_hand(self, *_) -> None:
        self.follow = False

    def mouseDoubleClickEvent(self, event) -> None:
        """Double-click: follow the run again."""
        self.follow, self._range = True, None
        self.redraw()
        super().mouseDoubleClickEvent(event)

    # -- hover read-out -------------------------------------------------------

    def _hover(self, scene_pos) -> None:
        item = self.getPlotItem()
        epochs, train, test = self.history.arrays()
        if len(epochs) == 0 or not item.sceneBoundingRect().contains(scene_pos):
            self.readout.hide()
            self.cursor.hide()
            return
        epochs = self.x_values()[0]
        x = item.vb.mapSceneToView(scene_pos).x()
        i = int(np.clip(np.searchsorted(epochs, x), 0, len(epochs) - 1))
        if i > 0 and abs(epochs[i - 1] - x) < abs(epochs[i] - x):
            i -= 1
        self.readout.setText(self.describe(i))
        y_range = item.vb.viewRange()[1]
        self.readout.setPos(epochs[i], y_range[0] + 0.97 * (y_range[1] - y_range[0]))
        self.cursor.setPos(epochs[i])
        self.readout.show()
        self.cursor.show()

    def describe(self, index: int) -> str:
        """'epoch 120 · train 0.0312 · test 0.0401' for the stored point ``index``."""
        epochs, train, test = self.history.arrays()
        text = f"epoch {epochs[index]:g} · train {train[index]:.4g}"
        if self.steps_per_epoch is not None:
            text = f"step {epochs[index] * self.steps_per_epoch:g} · {text}"
        if np.isfinite(test[index]):
            text += f" · test {test[index]:.4g}"
        return text
