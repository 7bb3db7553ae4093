"""The overfitting lab in the window: presets, the gap and best epoch, the note, Restore best."""
import numpy as np
from PySide6.QtGui import QAction

from model.config import ExperimentConfig
from model.overfitting import PRESETS


def trigger(window, name):
    window.findChild(QAction, name).trigger()


def test_overfit_me_then_restore_best_brings_back_the_best_epoch(make_window, qtbot):
    window = make_window(ExperimentConfig())
    trigger(window, "actionPreset_overfit_me")
    assert window.config == PRESETS["overfit_me"].apply(ExperimentConfig())
    assert "noisy" in window.statusBar().currentMessage()
    for _ in range(120):                                   # train 120 epochs, one at a time
        window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
        trigger(window, "actionStep")
    window.controller.wait_idle(10)
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 120, timeout=20000)
    snapshot = window.latest_snapshot()
    overlay = window.loss_plot.generalisation
    qtbot.waitUntil(lambda: overlay.best_epoch == snapshot.best_epoch, timeout=5000)
    assert snapshot.best_epoch < 100 and snapshot.test_loss > snapshot.best_loss
    assert overlay.gap.isVisible() and overlay.best.value() == snapshot.best_epoch
    assert "Overfitting" in window.statusBar().currentMessage()           # the note
    trigger(window, "actionRestoreBest")
    qtbot.waitUntil(lambda: abs(window.latest_snapshot().test_loss - snapshot.best_loss) < 1e-12,
                    timeout=5000)
    assert f"epoch {snapshot.best_epoch}" in window.statusBar().currentMessage()
    restored = window.current_network()
    experiment = window.experiment
    test_loss = restored.loss_function.value(restored.predict(experiment.trainer.test_inputs),
                                             experiment.trainer.test_targets)
    np.testing.assert_allclose(test_loss, snapshot.best_loss, rtol=1e-12)


def test_each_cure_is_a_plain_setting_change(make_window):
    window = make_window(ExperimentConfig())
    trigger(window, "actionPreset_overfit_me")
    overfit = window.config
    for name, field in (("dropout", "dropout"), ("l2", "l2"), ("more_data", "samples"),
                        ("early_stopping", "early_stopping")):
        trigger(window, f"actionPreset_{name}")
        assert window.config == PRESETS[name].apply(overfit)
        assert getattr(window.config, field) != getattr(overfit, field)
        window.load_config(overfit)


def test_without_a_test_set_there_is_no_gap_and_no_best_epoch(make_window, qtbot):
    window = make_window(ExperimentConfig(test_ratio=0.0))
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for _ in range(3):
        trigger(window, "actionStep")
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 3, timeout=10000)
    window.loss_plot.redraw()
    overlay = window.loss_plot.generalisation
    assert not overlay.gap.isVisible() and not overlay.best.isVisible() and overlay.message is None
    trigger(window, "actionRestoreBest")
    assert "needs a test set" in window.statusBar().currentMessage()


def test_the_ensemble_shows_the_thinned_networks_of_the_trained_weights(make_window, qtbot):
    from gui.overfitting.ensemble import RESOLUTION, THINNED, EnsembleView
    from model.overfitting import draw_masks, thinned_outputs
    window = make_window(ExperimentConfig(dataset="xor", hidden_layers=(8, 6), dropout=(0.5, 0.3)))
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    trigger(window, "actionStep")
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 1, timeout=10000)
    trigger(window, "actionEnsemble")
    view = window.workspace(EnsembleView)
    qtbot.waitUntil(lambda: view.panel.outputs is not None, timeout=5000)
    net = window.current_network()
    _, _, inputs = window.experiment.plane(RESOLUTION)
    expected = thinned_outputs(net, inputs, draw_masks(net, THINNED, view.panel.seed.value()))
    np.testing.assert_allclose(view.panel.outputs, expected, rtol=0, atol=1e-12)
    assert all(not tile.pixmap().isNull() for tile in view.panel.tiles)
    assert not all(np.allclose(expected[0], other) for other in expected[1:])   # different masks
    view.panel.seed.setValue(5)                                                  # new masks
    assert not np.allclose(view.panel.outputs, expected)
    window.control_panel.network.dropouts[0].setValue(0.0)
    window.control_panel.network.dropouts[1].setValue(0.0)
    qtbot.waitUntil(lambda: view.panel.outputs is None, timeout=5000)
    assert "no dropout" in view.panel.explanation.text()


def test_the_distributions_panel_shows_the_engines_histograms(make_window, qtbot):
    from gui.overfitting.distributions import DistributionsView
    from model.overfitting import normalisation_distributions
    window = make_window(ExperimentConfig(dataset="spiral", hidden_layers=(8, 6, 5),
                                          batch_norm=(True, False, True)))
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for _ in range(2):
        trigger(window, "actionStep")
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 2, timeout=10000)
    trigger(window, "actionDistributions")
    view = window.workspace(DistributionsView)
    qtbot.waitUntil(lambda: len(view.panel.shown) == 2, timeout=5000)
    expected = normalisation_distributions(window.current_network(), window.experiment.trainer.train_inputs)
    assert [l for l, _, _ in view.panel.shown] == [0, 2]
    for (layer, before, after), (_, want_before, want_after) in zip(view.panel.shown, expected):
        np.testing.assert_array_equal(before.counts, want_before.counts)
        np.testing.assert_array_equal(after.edges, want_after.edges)
    z_view, u_view = view.panel.rows[0]
    np.testing.assert_array_equal(z_view.getData()[1], expected[0][1].counts)
    assert z_view.caption.startswith("layer 1: z") and u_view.caption.startswith("layer 1: u")
    assert "<b>before batch norm</b>" in z_view.toolTip() and "<b>after batch norm</b>" in u_view.toolTip()
    window.control_panel.network.batch_norms[0].setChecked(False)      # no batch norm left:
    window.control_panel.network.batch_norms[2].setChecked(False)      # no rows, and the panel
    qtbot.waitUntil(lambda: not view.panel.rows, timeout=5000)         # says what to tick
    assert "No hidden layer uses batch norm" in view.panel.explanation.text()


def test_the_distributions_are_made_off_the_gui_thread_and_follow_training(make_window, qtbot,
                                                                          monkeypatch):
    import threading
    import gui.overfitting.distributions as distributions
    from model.overfitting import normalisation_distributions
    threads = []

    def recording(net, inputs):
        threads.append(threading.current_thread() is threading.main_thread())
        return normalisation_distributions(net, inputs)
    monkeypatch.setattr(distributions, "normalisation_distributions", recording)
    window = make_window(ExperimentConfig(hidden_layers=(6, 4), batch_norm=(True, True)))
    trigger(window, "actionDistributions")
    view = window.workspace(distributions.DistributionsView)
    qtbot.waitUntil(lambda: len(view.panel.shown) == 2, timeout=5000)
    first = view.panel.shown
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for _ in range(3):
        trigger(window, "actionStep")
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 3, timeout=10000)
    view.refresh()                                   # as the dock does after painted snapshots
    expected = normalisation_distributions(window.current_network(),
                                           window.experiment.trainer.train_inputs)
    qtbot.waitUntil(lambda: view.panel.shown is not first and all(
        np.array_equal(shown[1].counts, want[1].counts) and shown[2].mean == want[2].mean
        for shown, want in zip(view.panel.shown, expected)), timeout=5000)
    assert threads and not any(threads)              # every histogram made in the worker
    for (z_view, u_view), (_, before, after) in zip(view.panel.rows, expected):
        np.testing.assert_array_equal(z_view.getData()[0], before.edges)
        np.testing.assert_array_equal(u_view.getData()[1], after.counts)


def test_a_histogram_is_one_step_outline_over_its_bins(qtbot):
    from gui.overfitting.histogram import outline_polygon
    polygon = outline_polygon(np.array([0.0, 1.0, 3.0]), np.array([2.0, 5.0]))
    assert [(point.x(), point.y()) for point in polygon] == [(0, 0), (0, 2), (1, 2), (1, 5), (3, 5), (3, 0)]


def test_the_painted_histograms_show_the_distributions_they_hold(qtbot):
    """Each outline is its Distribution's bars, the caption its mean and sd, the x axis's values
    span it, the pixels are the bars (tinted below each bar's top, white above), and the
    tooltip under the pointer is that histogram's."""
    from PySide6.QtCore import QPointF
    from gui.overfitting.distributions import DistributionsPanel
    from gui.overfitting.histogram import outline_polygon
    from model.overfitting import histogram
    rng = np.random.default_rng(3)
    samples = {(layer, side): rng.normal(1.5 * side - layer, 0.7 + layer, 2000)
               for layer in (0, 2) for side in (0, 1)}
    layers = [(layer, histogram(samples[layer, 0], bins=12), histogram(samples[layer, 1], bins=20))
              for layer in (0, 2)]
    panel = DistributionsPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_distributions(layers)
    grid = panel.grid
    image = grid.grab().toImage()
    ratio = image.devicePixelRatio()
    for (layer, *distributions), row in zip(layers, panel.rows):
        for side, (distribution, shown) in enumerate(zip(distributions, row)):
            edges, counts = distribution.edges, distribution.counts
            points = [(p.x(), p.y()) for p in shown.outline]
            assert points == [(p.x(), p.y()) for p in outline_polygon(edges, counts)]
            assert points[0] == (edges[0], 0) and points[-1] == (edges[-1], 0)
            assert points[1::2] == [(e, c) for e, c in zip(edges, counts)] + [(edges[-1], 0)]
            caption = " ".join(shown.caption_lines)
            assert caption.startswith(f"layer {layer + 1}: {'zu'[side]}")
            values = samples[layer, side]
            mean, sd = float(caption.split("mean ")[1].split(",")[0]), float(caption.split("sd ")[1])
            assert mean == float(f"{values.mean():.3g}") and sd == float(f"{values.std():.3g}")
            low, high = shown.x_range
            assert low <= edges[0] and edges[-1] <= high and counts.max() <= shown.y_top
            ticks = [float(label) for _, label, _ in shown.ticks]
            assert len(ticks) >= 2 and all(low <= tick <= high for tick in ticks)
            transform = shown.data_transform()
            for left, right, count in zip(edges[:-1], edges[1:], counts):
                if count < 0.2 * counts.max():
                    continue                  # too few pixels high to sample inside and above
                centre = (left + right) / 2
                inside = transform.map(QPointF(centre, count / 2))
                above = transform.map(QPointF(centre, count + 0.1 * shown.y_top))
                assert image.pixelColor(int(inside.x() * ratio), int(inside.y() * ratio)) == shown.tint
                if count + 0.1 * shown.y_top < shown.y_top:          # above it, inside the plot
                    assert image.pixelColor(int(above.x() * ratio), int(above.y() * ratio)).name() == "#ffffff"
            assert grid.histogram_at(shown.plot_area.center()) is shown
            assert ("before" if side == 0 else "after") + " batch norm" in shown.toolTip()


def test_tick_labels_say_the_values_with_the_decimals_the_step_needs():
    from gui.overfitting.histogram import axis_ticks
    assert axis_ticks(-1.6, 1.6, 0.5) == [(-1.5, "-1.5"), (-1.0, "-1.0"), (-0.5, "-0.5"), (0.0, "0.0"),
                                          (0.5, "0.5"), (1.0, "1.0"), (1.5, "1.5")]
    assert axis_ticks(-7.0, 12.0, 5.0) == [(-5.0, "-5"), (0.0, "0"), (5.0, "5"), (10.0, "10")]
    assert axis_ticks(0.01, 0.07, 0.02) == [(0.02, "0.02"), (0.04, "0.04"), (0.06, "0.06")]


def test_histogram_axes_hold_still_until_the_data_leave_or_shrink_inside_them():
    from gui.overfitting.histogram import steady_range, steady_top
    assert steady_range(None, 0.0, 4.0) == (-1.0, 5.0)          # a quarter of the span each side
    assert steady_range((-1.0, 5.0), 0.5, 3.5) == (-1.0, 5.0)    # inside and filling half: kept
    assert steady_range((-1.0, 5.0), 0.0, 6.0) == (-1.5, 7.5)    # left it: widened
    assert steady_range((-1.0, 5.0), 1.0, 2.0) == (0.75, 2.25)   # a sixth of it: narrowed
    assert steady_top(None, 37.0) == 50.0            # 1, 2, 5 × 10^k above the bars, ≥ 1.25 × them
    assert steady_top(None, 45.0) == 100.0
    assert steady_top(50.0, 21.0) == 50.0            # reaching 42 % of it: kept
    assert steady_top(50.0, 15.0) == 20.0 and steady_top(50.0, 51.0) == 100.0
    tops, top = [], 2000.0                           # bars about a boundary: one change, no flicker
    for tallest in [1949.0, 2434.0] * 5:
        top = steady_top(top, tallest)
        tops.append(top)
    assert tops == [2000.0] + [5000.0] * 9


def test_quitting_right_after_the_histograms_arrive_exits_cleanly(tmp_path):
    """Plots built just before the app quits used to be resized by pyqtgraph while Python's exit
    deleted their parts: a segmentation fault (5 of 5 runs) — the dock now clears on closing."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path
    script = textwrap.dedent(f"""
        from PySide6.QtCore import QSettings
        from gui.app import application
        from gui.main_window import MainWindow
        from gui.overfitting.distributions import DistributionsView
        from model.config import ExperimentConfig
        app = application([])
        window = MainWindow(settings=QSettings({str(tmp_path / "settings.ini")!r}, QSettings.IniFormat))
        window.load_config(ExperimentConfig(hidden_layers=(6, 4), batch_norm=(True, True)))
        window.show()
        view = window.add_workspace(DistributionsView)
        view.dock.show()
        while not view.panel.shown:          # until the worker's histograms are shown
            app.processEvents()
        print(len(view.panel.shown))
        window.close()
    """)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "2"
