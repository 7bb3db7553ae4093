"""Comparing ConvNets from the convolution window, clicked through as a user would: Compare…,
the runs train in lock-step on the background worker, the panels and the ranking show the
model's results, bad values are refused in one line, closing the window stops it all."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from gui.compare.table import fmt
from gui.convolution.window import ConvolutionWindow
from model import ConvNet
from model.compared_models import varied_settings
from model.confusion import confusion_matrix
from model.data import make_bars


def click_action(qtbot, window, action):
    """Click the toolbar button of ``action``, as a user does."""
    bar = next(bar for bar in window.findChildren(QToolBar) if action in bar.actions())
    qtbot.mouseClick(bar.widgetForAction(action), Qt.MouseButton.LeftButton)


def open_comparison(qtbot, conv_window):
    click_action(qtbot, conv_window, conv_window.compare_action)
    compare = conv_window.compare_window
    qtbot.waitExposed(compare)
    return compare


def test_compare_trains_convnets_in_lock_step_and_ranks_them_by_the_models_results(conv_window, qtbot):
    assert conv_window.compare_action.shortcut().toString() == "Ctrl+K"
    assert "side by side" in conv_window.compare_action.toolTip()
    compare = open_comparison(qtbot, conv_window)
    assert compare.comparison.family.name == "cnn"
    combo = compare.setup.combos[0]
    assert tuple(combo.itemData(i) for i in range(combo.count())) == varied_settings("cnn")
    assert [run.label for run in compare.comparison.runs] == ["η=0.003", "η=0.03", "η=0.3"]
    compare.max_epochs.setValue(3)
    compare.speed.setCurrentIndex(compare.speed.findData(None))
    qtbot.waitUntil(lambda: compare.latest.epoch >= 1, timeout=30000)        # it started by itself
    assert compare.controller.is_running or compare.latest.epoch == 3
    qtbot.waitUntil(lambda: compare.latest.epoch == 3 and not compare.controller.is_running, timeout=30000)
    assert compare.progress.value() == 3 and compare.progress.maximum() == 3
    snapshot = compare.latest
    ranked = snapshot.ranking()
    assert [compare.table.item(row, 1).text() for row in range(3)] == [state.label for state in ranked]
    for row, state in enumerate(ranked):
        assert compare.table.item(row, 2).text() == fmt(state.loss)
        assert compare.table.item(row, 3).text() == fmt(state.accuracy, percent=True)
        assert compare.table.item(row, 5).text() == fmt(state.best_loss)
    assert [s.test_loss for s in ranked if not s.diverged] == sorted(s.test_loss for s in ranked if not s.diverged)
    # each panel shows its run: kernels, and (switched) its confusion matrix on the shared test images
    split = compare.comparison.experiments[0].split
    images, labels = split.test_points.reshape(-1, 1, 8, 8), split.test_targets.argmax(axis=1)
    compare.panel_view.setCurrentIndex(compare.panel_view.findData("confusion"))
    for panel, state in zip(compare.panels, snapshot.runs):
        assert panel.views.currentWidget() is panel.confusion
        np.testing.assert_array_equal(panel.kernels.kernels, state.weights[0])
        assert panel.status.text().startswith("epoch 3 · test accuracy")
        net = ConvNet((1, 8, 8), compare.comparison.experiments[state.index].net.spec, seed=0)
        net.load_state(state.state())
        expected = confusion_matrix(labels, net.predict(images).argmax(axis=1), 2)
        np.testing.assert_array_equal(panel.confusion.picture.matrix, expected)
        assert panel.confusion.picture.matrix.sum() == len(labels)
        row = [state.index for state in ranked].index(state.index)
        assert compare.table.item(row, 2).text() == fmt(net.loss(images, split.test_targets))


def test_a_double_clicked_run_opens_in_the_convolution_window_with_its_weights(conv_window, qtbot):
    compare = open_comparison(qtbot, conv_window)
    compare.max_epochs.setValue(2)
    qtbot.waitUntil(lambda: compare.latest.epoch == 2 and not compare.controller.is_running, timeout=30000)
    best = compare.latest.ranking()[0]
    table = compare.table
    cell = table.visualItemRect(table.item(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    np.testing.assert_array_equal(conv_window.experiment.net.params, best.params)
    np.testing.assert_array_equal(conv_window.kernels_view.kernels, best.weights[0])     # its maps and kernels
    assert conv_window.experiment.optimizer.learning_rate == best.config.learning_rate
    assert f"η {best.config.learning_rate:g}" in conv_window.accuracy_label.text()
    assert "in the convolution window" in compare.statusBar().currentMessage()
    assert not conv_window.controller.is_running


def test_bad_values_are_refused_in_one_line_and_the_runs_are_kept(conv_window, qtbot):
    compare = open_comparison(qtbot, conv_window)
    compare.pause()
    comparison = compare.comparison
    edit = compare.setup.edits[0]
    edit.clear()
    qtbot.keyClicks(edit, "0.01,fast")
    qtbot.mouseClick(compare.setup.apply_button, Qt.MouseButton.LeftButton)
    assert compare.setup.error.isVisible()
    assert "a learning rate must be a positive number" in compare.setup.error.text()
    assert "previous runs are kept" in compare.setup.error.text()
    assert compare.comparison is comparison
    # another setting, another pair of values: a grid of the two
    second = compare.setup.combos[1]
    second.setCurrentIndex(second.findData("batch_size"))
    edit.clear()
    qtbot.keyClicks(edit, "0.01,0.1")
    compare.setup.edits[1].clear()
    qtbot.keyClicks(compare.setup.edits[1], "8,16")
    qtbot.mouseClick(compare.setup.apply_button, Qt.MouseButton.LeftButton)
    assert not compare.setup.error.isVisible()
    assert len(compare.panels) == 4 and compare.run_grid.columns == 2
    assert {run.label for run in compare.comparison.runs} == {"η=0.01 · batch 8", "η=0.01 · batch 16",
                                                             "η=0.1 · batch 8", "η=0.1 · batch 16"}


def test_closing_the_convolution_window_closes_the_comparison(qtbot):
    window = ConvolutionWindow(make_bars(60, seed=1))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    compare = open_comparison(qtbot, window)
    qtbot.waitUntil(lambda: compare.latest.epoch >= 1, timeout=30000)
    window.close()
    assert not compare.isVisible() and not compare.controller.active
