"""The comparison window: panels, lock-step worker, pause/reset, divergence, plot, table, main window."""

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QLineEdit, QPushButton

from gui.compare.plot import run_colours
from gui.compare.window import CompareWindow
from model.comparison import Comparison
from model.variations import Variation
from model.config import ExperimentConfig
from model.curves import smooth
from model.minima import barrier, best_pair, group_solutions

BASE = ExperimentConfig(dataset="circle", samples=120, hidden_layers=(4, 3), activations=("tanh",),
                        output_activation="tanh", loss="mse", learning_rate=0.03, batch_size=10)
DIVERGING = BASE.replace(output_activation="linear", activations=("relu",))


@pytest.fixture
def make_window(qtbot):
    windows = []

    def make(config=BASE, variations=None, **options):
        window = CompareWindow(config, variations, **options)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert not window.controller.active


def fast(window, epochs):
    """No pacing, stop at ``epochs``."""
    window.max_epochs.setValue(epochs)
    window.speed.setCurrentIndex(window.speed.findData(None))


def run_to(qtbot, window, epochs):
    fast(window, epochs)
    window.run()
    qtbot.waitUntil(lambda: window.latest.epoch == epochs and not window.controller.is_running,
                    timeout=15000)


def test_a_panel_a_curve_and_a_row_per_run(make_window, qtbot):
    window = make_window()
    assert len(window.panels) == 9 and len(window.comparison.runs) == 9
    run_to(qtbot, window, 4)
    assert window.table.rowCount() == 9
    assert [window.table.item(r, 0).text() for r in range(9)] == [str(i) for i in range(1, 10)]
    labels = {window.table.item(r, 1).text() for r in range(9)}
    assert labels == {run.label for run in window.comparison.runs}
    assert len(window.plot.legend.entries) == 9
    for panel, state in zip(window.panels, window.latest.runs):
        assert panel.status.text().startswith("epoch 4")
        assert not panel.diverged
        assert state.plane_output.shape == (50 * 50, 1)
    first = window.latest.ranking()[0]
    assert window.table.item(0, 1).text() == first.label


def test_runs_share_the_start_and_move_in_lock_step(make_window, qtbot):
    window = make_window(variations=[Variation.parse("activations", "sigmoid,relu"),
                                     Variation.parse("learning_rate", "0.01,0.1")])
    start = window.latest
    assert start.epoch == 0
    params = [state.params for state in start.runs]
    for other in params[1:]:
        np.testing.assert_array_equal(other, params[0])     # same shapes, same seed
    seen = []
    window.controller.snapshotReady.connect(seen.append)
    run_to(qtbot, window, 6)
    assert seen
    for snapshot in seen:
        assert len({state.step for state in snapshot.runs}) == 1
        assert len({state.epoch for state in snapshot.runs}) == 1


def test_pause_stops_every_run_and_run_resumes(make_window, qtbot):
    window = make_window()
    window.max_epochs.setValue(100_000)
    window.speed.setCurrentIndex(window.speed.findData(30.0))
    window.run()
    qtbot.waitUntil(lambda: window.latest.epoch >= 2, timeout=10000)
    with qtbot.waitSignal(window.controller.runningChanged, timeout=5000):
        window.findChild(QAction, "actionCompareRun").trigger()      # pause
    assert window.controller.wait_idle(5.0)
    qtbot.waitUntil(lambda: window.latest.epoch == window.comparison.epoch, timeout=5000)
    paused_at = window.latest.epoch
    assert window.findChild(QAction, "actionCompareRun").text() == "Run"
    assert window.controller.wait_idle(1.0) and window.comparison.epoch == paused_at
    window.findChild(QAction, "actionCompareRun").trigger()          # resume
    qtbot.waitUntil(lambda: window.latest.epoch > paused_at, timeout=10000)
    window.pause()


def test_reset_brings_every_run_back_to_epoch_zero(make_window, qtbot):
    window = make_window(DIVERGING, [Variation.parse("learning_rate", "0.01,50")])
    run_to(qtbot, window, 5)
    assert window.panels[1].diverged
    window.findChild(QAction, "actionCompareReset").trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 0, timeout=5000)
    assert not any(panel.diverged for panel in window.panels)
    np.testing.assert_array_equal(window.latest.runs[1].params, window.comparison.initial_params[1])
    assert all(panel.status.text().startswith("epoch 0") for panel in window.panels)


def test_a_diverged_run_is_marked_and_the_others_continue(make_window, qtbot):
    window = make_window(DIVERGING, [Variation.parse("activations", "relu,linear"),
                                     Variation.parse("learning_rate", "0.01,50")])
    run_to(qtbot, window, 6)
    for panel, state in zip(window.panels, window.latest.runs):
        if "η=50" in state.label:
            assert state.diverged and panel.diverged
            assert panel.veil.isVisible()
            assert panel.veil.text() == f"diverged at epoch {state.divergence.epoch}"
        else:
            assert not panel.diverged and state.epoch == 6
    from gui.compare.table import COLUMNS
    statuses = [window.table.item(r, COLUMNS.index("Status")).text() for r in range(4)]
    assert statuses[:2] == ["", ""] and all(s.startswith("diverged at") for s in statuses[2:])
    assert "2 diverged" in window.statusBar().currentMessage()


def test_open_in_main_window_sends_the_setting_and_current_weights(make_window, qtbot):
    window = make_window(show_open=True)
    run_to(qtbot, window, 3)
    received = []
    window.openRequested.connect(lambda config, params: received.append((config, params)))
    panel = window.panels[4]
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    config, params = received[-1]
    state = window.latest.runs[4]
    assert config == window.comparison.runs[4].config
    np.testing.assert_array_equal(params, state.params)
    window.table.setCurrentCell(0, 1)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert received[-1][0] == window.latest.ranking()[0].config


def test_bad_values_show_a_message_and_keep_the_runs(make_window, qtbot):
    window = make_window(train=False)
    edit = window.findChild(QLineEdit, "varyValues2")
    edit.setText("0.1,fast")
    qtbot.mouseClick(window.findChild(QPushButton, "applyVariations"), Qt.MouseButton.LeftButton)
    assert window.setup.error.isVisible()
    assert "positive number" in window.setup.error.text()
    assert len(window.panels) == 9


def test_apply_builds_the_chosen_runs(make_window, qtbot):
    window = make_window(train=False)
    window.setup.combos[0].setCurrentIndex(window.setup.combos[0].findData("optimizer"))
    assert window.setup.edits[0].text() == "sgd,momentum,adam"
    window.setup.combos[1].setCurrentIndex(window.setup.combos[1].findData("batch_size"))
    window.setup.edits[1].setText("1,20")
    window.apply_setup()
    assert not window.setup.error.isVisible()
    assert [r.label for r in window.comparison.runs][:2] == ["sgd · batch 1", "sgd · batch 20"]
    assert len(window.panels) == 6 and window.table.rowCount() == 6
    window.setup.combos[1].setCurrentIndex(window.setup.combos[1].findData(None))
    window.apply_setup()
    assert len(window.panels) == 3
    assert "varied" in window.setup.base.text()


def test_plot_smooths_logs_and_reads_out_every_run(make_window, qtbot):
    window = make_window()
    run_to(qtbot, window, 12)
    plot, snapshot = window.plot, window.latest
    plot.smoothing.setValue(50)
    epochs, values = plot.curve_data(2)
    np.testing.assert_allclose(values, smooth(snapshot.history["test_loss"][2], 0.5))
    assert list(epochs) == list(range(13))
    assert plot.plot.getPlotItem().ctrl.logYCheck.isChecked()
    plot.log_y.setChecked(False)
    assert not plot.plot.getPlotItem().ctrl.logYCheck.isChecked()
    text = plot.readout_text(7)
    assert "epoch 7" in text
    for run in window.comparison.runs:
        assert run.label in text.replace("&#x27;", "'")
    plot.show_readout(7)
    assert plot.readout.isVisible() and plot.cursor.value() == 7
    plot.legend.entries[0].setChecked(False)
    assert window.comparison.runs[0].label not in plot.readout_text(7)
    plot.metric_box.setCurrentIndex(plot.metric_box.findData("test_accuracy"))
    np.testing.assert_allclose(plot.curve_data(3)[1], smooth(snapshot.history["test_accuracy"][3], 0.5))


def test_closing_stops_the_worker(make_window, qtbot):
    window = make_window()
    fast(window, 100_000)
    window.run()
    qtbot.waitUntil(lambda: window.latest.epoch > 0, timeout=10000)
    window.close()
    assert not window.controller.active


def test_window_can_show_a_comparison_trained_elsewhere(make_window):
    comparison = Comparison(BASE, [Variation.parse("learning_rate", "0.01,0.1,1")])
    for _ in range(3):
        comparison.run_epoch()
    window = make_window(BASE, comparison.variations, comparison=comparison, train=False)
    assert window.latest.epoch == 3 and not window.controller.active
    assert window.panels[0].status.text().startswith("epoch 3")


def test_colours_are_distinct_and_grouped_by_the_first_setting():
    colours = run_colours([3, 3], 9)
    assert len({c.name() for c in colours}) == 9
    hues = [c.hsvHue() for c in colours]
    assert hues[0] == hues[1] == hues[2] and hues[0] != hues[3]
    assert len({c.name() for c in run_colours([5], 5)}) == 5
    assert isinstance(colours[0], QColor)


# -- in the main window ----------------------------------------------------------------

def test_install_compare_adds_the_action_and_opens_runs_in_the_main_window(qtbot, tmp_path):
    from gui.compare.mode import CompareMode
    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    window = MainWindow(BASE, settings=settings)
    qtbot.addWidget(window)
    action = window.add_workspace(CompareMode).action
    assert action in window.tools_menu.actions() and action in window.main_toolbar.actions()
    assert action.shortcut().toString() == "Ctrl+K"
    action.trigger()
    compare = window.workspace(CompareMode).window
    assert compare is not None and compare.isVisible()
    assert compare.config == window.config
    compare.pause()
    fast(compare, 3)
    compare.run()
    qtbot.waitUntil(lambda: compare.latest.epoch == 3 and not compare.controller.is_running,
                    timeout=15000)
    state = compare.latest.runs[8]
    compare.open_run(8)
    assert window.config == state.config
    np.testing.assert_allclose(window.current_network().params, state.params)
    window.close()
    assert not compare.isVisible() and not compare.controller.active


def test_best_columns_draws_each_boundary_largest():
    from gui.compare.run_grid import best_columns
    # a wide pane: four runs make a 2 × 2 square, not one row of tall strips (nor one column)
    assert best_columns(4, 770, 750) == 2
    assert best_columns(16, 770, 750) == 4
    assert best_columns(2, 770, 750) == 1          # one above the other: each twice as big as side by side
    assert best_columns(4, 2000, 300) == 4         # a flat, wide strip: one row
    assert best_columns(5, 100, 2000) == 1         # a tall, narrow pane: one column
    assert best_columns(1, 10, 10) == 1


def layout_of(window):
    """(columns, rows) the run panels occupy in the grid."""
    cells = [window.run_grid.grid.getItemPosition(window.run_grid.grid.indexOf(panel)) for panel in window.panels]
    return max(c for _, c, _, _ in cells) + 1, max(r for r, _, _, _ in cells) + 1


def test_one_varied_setting_lays_its_runs_out_to_suit_the_pane(make_window, qtbot):
    window = make_window(variations=[Variation.parse("seed", "0,1,2,3")], train=False)
    window.resize(1280, 800)
    window.splitter.setSizes([780, 500])
    qtbot.waitUntil(lambda: layout_of(window) == (2, 2))
    window.splitter.setSizes([1180, 100])       # the pane becomes a wide strip …
    window.resize(1280, 330)
    qtbot.waitUntil(lambda: layout_of(window) == (4, 1))   # … and the runs form one row
    window.build(BASE, [Variation.parse("seed", ",".join(map(str, range(16))))])
    window.resize(1280, 800)
    window.splitter.setSizes([780, 500])
    qtbot.waitUntil(lambda: layout_of(window) == (4, 4))


def test_two_varied_settings_keep_their_table(make_window, qtbot):
    window = make_window(variations=[Variation.parse("learning_rate", "0.01,0.1"),
                                     Variation.parse("seed", "0,1,2")], train=False)
    assert layout_of(window) == (3, 2)           # rows: the first setting's values, columns: the second's
    window.resize(1280, 330)
    qtbot.waitUntil(lambda: window.run_grid.viewport().height() < 300)
    assert layout_of(window) == (3, 2)


def test_the_landscape_tab_draws_every_optimizers_path_on_one_surface(make_window, qtbot):
    window = make_window(variations=[Variation.parse("optimizer", "sgd,momentum,adam")])
    window.tabs.setCurrentWidget(window.landscape)
    run_to(qtbot, window, 6)
    qtbot.waitUntil(lambda: window.landscape.result is not None
                    and window.landscape.result.request.epoch == 6, timeout=20000)
    result = window.landscape.result
    surface = result.landscape.surface
    net = window.comparison.experiments[0].net.copy()
    for run in range(3):
        # the path drawn is the run's recorded path projected on the shared plane; it ends at its weights now
        x, y = window.landscape.paths[run].getData()
        np.testing.assert_allclose(np.column_stack([x, y]), result.landscape.coords[run])
        path = result.request.paths[run]
        np.testing.assert_array_equal(path[0], window.comparison.initial_params[0])
        np.testing.assert_array_equal(path[-1], window.comparison.params(run))
        net.params[:] = path[-1]
        assert result.final_losses[run] == pytest.approx(net.loss(window.comparison.train_inputs,
                                                                  window.comparison.train_targets))
    net.params[:] = surface.point(surface.alphas[3], surface.betas[30])
    assert surface.loss[3, 30] == pytest.approx(net.loss(window.comparison.train_inputs,
                                                         window.comparison.train_targets), rel=1e-10)
    assert "sgd" in window.landscape.info.text() and "Epoch 6" in window.landscape.info.text()
    window.close()
    assert not window.tabs.worker.active


def test_runs_of_different_networks_say_why_they_share_no_landscape(make_window):
    window = make_window(variations=[Variation.parse("activations", "tanh,relu")], train=False)
    window.tabs.setCurrentWidget(window.landscape)
    assert "different networks" in window.landscape.info.text()
    assert window.landscape.result is None and not window.tabs.worker.busy


XOR = BASE.replace(dataset="xor", hidden_layers=(4,), learning_rate=0.3)


def test_the_solutions_tab_groups_the_seeds_and_draws_the_line_between_two(make_window, qtbot):
    window = make_window(XOR, [Variation.parse("seed", "0,1,2,3,4")])
    window.tabs.setCurrentWidget(window.solutions)
    run_to(qtbot, window, 8)
    view = window.solutions
    qtbot.waitUntil(lambda: view.result is not None and view.result.request.epoch == 8, timeout=20000)
    comparison, result = window.comparison, view.result
    X, Y = comparison.train_inputs, comparison.train_targets
    losses = comparison.snapshot().history["train_loss"][:, -1]
    expected = sorted(group_solutions(comparison.predict(X)), key=lambda g: losses[g].min())
    assert [list(g) for g in result.groups] == expected
    # row k of the grid holds the boundaries of solution k, each showing its run's plane output
    for row, group in enumerate(result.groups):
        for run in group:
            row_of, column, _, _ = view.grid.getItemPosition(view.grid.indexOf(view.boundaries[run]))
            assert row_of == row and column >= 1
            np.testing.assert_array_equal(view.boundaries[run]._output[0],
                                          np.nan_to_num(window.latest.runs[run].plane_output))
    a, b = best_pair(expected, losses)
    assert result.pair == (a, b) and view.pair() == (a, b)
    line, height = barrier(comparison, a, b, X, Y)
    t, drawn = view.curve.getData()
    np.testing.assert_allclose(drawn, line, rtol=1e-10)
    assert result.height == pytest.approx(height)
    assert f"{len(result.groups)} solution" in view.summary.text()
    # another pair: the line between those two
    view.pickers[0].setCurrentIndex(4)
    view.pickers[0].activated.emit(4)
    qtbot.waitUntil(lambda: view.result.pair[0] == 4, timeout=20000)
    line, _ = barrier(comparison, 4, view.result.pair[1], X, Y)
    np.testing.assert_allclose(view.curve.getData()[1], line, rtol=1e-10)


def test_train_from_seeds_opens_the_solutions_of_nine_seeds(qtbot, tmp_path):
    from gui.compare.mode import CompareMode
    from gui.main_window import MainWindow

    window = MainWindow(XOR, settings=QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    mode = window.add_workspace(CompareMode)
    assert mode.seeds_action in window.tools_menu.actions()
    mode.seeds_action.trigger()
    compare = mode.window
    assert [run.config.seed for run in compare.comparison.runs] == list(range(9))
    assert compare.tabs.currentWidget() is compare.solutions
    window.close()
    assert not compare.controller.active and not compare.tabs.worker.active


def test_panels_are_painted_in_turn_so_none_waits_for_ever(make_window, monkeypatch):
    """Reports faster than a round of panels: each new one goes on where the round stopped
    (it used to start again from the first panel, and the last ones showed old epochs)."""
    window = make_window(train=False)
    snapshot = window.comparison.snapshot(window.plane_inputs)
    monkeypatch.setattr(window.controller, "_running", True)
    painted = []
    for panel in window.panels:
        monkeypatch.setattr(panel, "show_state", lambda *args, index=panel.index: painted.append(index))
    for _ in range(6):                       # a report arrives after every three panels painted
        window.show_snapshot(snapshot)
        window._panel_timer.stop()
        for _ in range(3):
            window._paint_next_panel()
    assert painted == [i % 9 for i in range(18)]


def test_the_curve_plot_grabs_on_its_own(qtbot):
    """Its metric box was named ``metric`` and hid QWidget.metric(), which Qt calls to paint:
    grabbing the plot (an export) crashed the interpreter."""
    from gui.compare.plot import ComparePlot
    plot = ComparePlot()
    qtbot.addWidget(plot)
    plot.resize(500, 360)
    image = plot.grab().toImage()
    assert image.width() >= 500 and image.height() >= 360
