"""What a report costs the comparison window: bounded curves, steady axes, panels painted once
per report and not again for a state they show, thick curves drawn with thin strokes."""

import dataclasses
import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform

from gui.compare.plot import CURVE_POINTS, stepped_bounds
from gui.compare.window import CompareWindow
from gui.widgets.wide_curve import WideCurve
from model.comparison import Comparison
from model.comparison_results import METRICS
from model.config import ExperimentConfig
from model.variations import Variation

BASE = ExperimentConfig(dataset="circle", samples=120, hidden_layers=(4, 3), activations=("tanh",),
                        output_activation="tanh", loss="mse", learning_rate=0.03, batch_size=10)


@pytest.fixture
def window(qtbot):
    window = CompareWindow(BASE, [Variation.parse("learning_rate", "0.01,0.1,1")])
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_stepped_bounds_by_hand():
    # x: the first of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (× 10ᵏ) at or past the last epoch
    assert stepped_bounds(2345, -2.31, -0.12)[0] == 2500
    assert stepped_bounds(2500, 0.0, 1.0)[0] == 2500
    assert stepped_bounds(30_001, 0.0, 1.0)[0] == 40_000
    assert stepped_bounds(0, 0.0, 1.0)[0] == 1
    # y: span 2.19 → step ½·10⁰ = 0.5; −2.31 → −2.5, −0.12 → 0
    _, low, high = stepped_bounds(2345, -2.31, -0.12)
    assert (low, high) == pytest.approx((-2.5, 0.0))
    # span 0.034 → step ½·10⁻² = 0.005: 0.912 → 0.91, 0.946 → 0.95
    _, low, high = stepped_bounds(10, 0.912, 0.946)
    assert (low, high) == pytest.approx((0.91, 0.95))


def long_snapshot(comparison: Comparison, epochs: int):
    """The comparison's snapshot with a made-up history of ``epochs + 1`` epochs per metric."""
    snapshot = comparison.snapshot()
    runs = len(snapshot.runs)
    t = np.arange(epochs + 1, dtype=np.float64)
    rng = np.random.default_rng(0)
    curves = 0.02 + 0.7 * np.exp(-t / np.linspace(500, 9000, runs)[:, None])
    curves = curves * (1 + 0.1 * rng.standard_normal(curves.shape))     # noisy, as mini-batch losses
    history = {name: np.clip(curves, 1e-6, 1.0) for name in METRICS}
    return dataclasses.replace(snapshot, epoch=epochs, history=history)


def test_curves_hold_a_bounded_number_of_points_and_the_axes_stay_put(qtbot):
    comparison = Comparison(BASE, [Variation.parse("learning_rate", "0.01,0.1,1")])
    window = CompareWindow(BASE, comparison.variations, comparison=comparison, train=False)
    qtbot.addWidget(window)
    window.show()
    plot = window.plot
    view = plot.plot.getPlotItem().vb
    sizes = {}
    for epochs in (300, 30_100, 30_200):
        plot.show_snapshot(long_snapshot(comparison, epochs))
        qtbot.waitUntil(lambda: view.viewRange()[0][1] >= epochs)      # fitted when painted
        sizes[epochs] = [len(curve.xData) for curve in plot._curves]
        assert all(curve.xData[-1] == epochs for curve in plot._curves)   # every curve reaches the end
        if epochs == 30_100:
            range_at_30100 = view.viewRange()
    assert sizes[300] == [301] * 3
    assert all(CURVE_POINTS <= size <= 2 * CURVE_POINTS + 1 for size in sizes[30_100] + sizes[30_200])
    # 100 epochs more stay inside the steps of the box the view fits: the axes are not laid out again
    assert view.viewRange() == range_at_30100
    assert range_at_30100[0][1] >= 40_000 > 30_200
    # log y: the view holds log10 of the drawn values, which lie inside the view
    y = np.concatenate([curve.yData for curve in plot._curves])
    assert range_at_30100[1][0] <= y.min() and y.max() <= range_at_30100[1][1]
    np.testing.assert_allclose(10 ** plot._curves[0].yData, plot.curve_data(0)[1])


def test_every_panel_shows_every_report(window, qtbot):
    """A new report comes only once the curves and every panel show the last one."""
    window.max_epochs.setValue(40)
    window.speed.setCurrentIndex(window.speed.findData(None))
    behind = []
    last = [window.latest]

    def check(snapshot):              # runs after the window's slot, which paints at once when paused
        painted = last[0] if window.controller.is_running else snapshot
        shown = [panel.shown[0] for panel in window.panels]
        if shown != [state.epoch for state in painted.runs]:
            behind.append((snapshot.epoch, shown))
        last[0] = snapshot

    window.controller.snapshotReady.connect(check)
    window.run()
    qtbot.waitUntil(lambda: window.latest.epoch == 40 and not window.controller.is_running, timeout=20000)
    assert not behind
    assert [panel.shown[0] for panel in window.panels] == [40] * 3
    assert not any(panel.veil.isVisible() or panel.diverged for panel in window.panels)
    assert window.plot.curve_data(0)[0][-1] == 40


def test_a_panel_does_not_repaint_a_state_it_shows(window, monkeypatch):
    panel, state = window.panels[0], window.latest.runs[0]
    painted = []
    monkeypatch.setattr(panel.boundary, "set_output", lambda *args: painted.append("boundary"))
    monkeypatch.setattr(panel.network, "show_parameters", lambda *args: painted.append("network"))
    panel.show_state(state, 1)
    assert painted == []                              # the window showed this epoch already
    panel.show_state(state, 2)                        # a new rank: shown again
    assert painted == ["boundary", "network"] and panel.rank.text() == "#2"
    later = dataclasses.replace(state, epoch=state.epoch + 1)
    panel.show_state(later, 2)
    assert painted == ["boundary", "network"] * 2 and panel.status.text().startswith("epoch 1")


def ink(curve: pg.PlotCurveItem, x, y) -> np.ndarray:
    """How dark (0 … 1) each pixel of a 100 × 60 image is after ``curve`` draws (x, y) at 1:1."""
    curve.setData(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    image = QImage(100, 60, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setWorldTransform(QTransform())
    curve.paint(painter, None, None)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(60, 100, 4)
    return 1.0 - pixels[..., :3].mean(axis=2) / 255.0


@pytest.mark.parametrize("x, y", [([5, 95], [30.5, 30.5]), ([5, 95], [5, 55]), ([50.5, 50.5], [5, 55])])
def test_wide_curve_covers_what_a_wide_stroke_covers(qapp, x, y):
    pen = pg.mkPen(QColor("#000000"), width=2)
    wide = ink(WideCurve(pen=pen, antialias=True), x, y)
    stroked = ink(pg.PlotCurveItem(pen=pen, antialias=True), x, y)
    thin = ink(pg.PlotCurveItem(pen=pg.mkPen(QColor("#000000"), width=1), antialias=True), x, y)
    length = math.hypot(x[1] - x[0], y[1] - y[0])
    assert wide.sum() == pytest.approx(stroked.sum(), rel=0.15)         # as much ink: ≈ 2 px × length
    assert wide.sum() == pytest.approx(2 * length, rel=0.15)
    assert thin.sum() == pytest.approx(length, rel=0.15)
    assert np.abs(wide - stroked).sum() < 0.2 * stroked.sum()           # in the same place
