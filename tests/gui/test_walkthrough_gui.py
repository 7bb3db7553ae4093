"""Walkthrough mode: the player, the maths panel, the activation plot, the view annotations,
and the whole mode inside a real main window (keys, scrubber, samples, every output type)."""
import numpy as np
import pytest
from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.walkthrough.activation_plot import ActivationPlot
from gui.main_window import MainWindow
from gui.network.items import LabelItem
from gui.walkthrough.math_panel import MathPanel
from gui.walkthrough.annotations import annotations_at
from gui.walkthrough.mode import WalkthroughMode
from gui.walkthrough.player import SPEEDS, WalkthroughPlayer
from model import ACTIVATIONS, OUTPUT_ACTIVATIONS, Network
from model.config import TASK_OUTPUTS, ExperimentConfig
from model.curves import softmax_curve
from model.walkthrough import walkthrough
from model.walkthrough_text import fmt

TASK_DATASETS = {"binary": "circle", "multiclass": "three_blobs", "regression": "sine"}


def small_tour(granularity="layer", output="softmax", loss="cross_entropy", outputs=3, hidden=(3, 2)):
    net = Network([2, *hidden, outputs], activation="tanh", output_activation=output, loss=loss, seed=1)
    y = np.eye(outputs)[1] if output == "softmax" else np.full(outputs, 0.5)
    return walkthrough(net, np.array([0.7, -1.2]), y, 0.1, granularity)


# -- the player ---------------------------------------------------------------------

@pytest.fixture
def player(qtbot):
    widget = WalkthroughPlayer()
    qtbot.addWidget(widget)
    return widget


def test_player_steps_scrubs_and_clamps(qtbot, player):
    seen = []
    player.stepChanged.connect(seen.append)
    player.set_total(5)
    assert seen == [0] and not player.previous_button.isEnabled()
    player.next()
    player.next()
    assert player.index == 2 and seen[-1] == 2 and player.scrubber.value() == 2
    player.previous()
    assert player.index == 1
    player.scrubber.setValue(4)
    assert player.index == 4 and seen[-1] == 4 and not player.next_button.isEnabled()
    player.next()
    assert player.index == 4 and seen.count(4) == 1
    player.set_index(-3)
    assert player.index == 0
    assert player.counter.text() == "step 1 of 5"


def test_player_plays_to_the_end_and_stops(qtbot, player):
    player.set_total(4)
    player.set_speed(100)
    assert player.speed == SPEEDS[-1]
    with qtbot.waitSignal(player.playingChanged) as started:
        QTest.mouseClick(player.play_button, Qt.LeftButton)
    assert started.args == [True] and player.is_playing
    qtbot.waitUntil(lambda: not player.is_playing, timeout=5000)
    assert player.index == 3
    player.play()                                  # at the end, play starts again from step 1
    assert player.index == 0 and player.is_playing
    player.toggle_play()
    assert not player.is_playing


def test_player_speed_slider_shows_steps_per_second(player):
    player.speed_slider.setValue(0)
    assert player.speed == SPEEDS[0] and player.speed_label.text() == f"{SPEEDS[0]:g} steps/s"


# -- the maths panel and the activation plot --------------------------------------------

def test_math_panel_shows_title_position_formula_and_sentence(qtbot):
    panel = MathPanel()
    qtbot.addWidget(panel)
    tour = small_tour()
    step = next(s for s in tour.steps if s.kind == "sum" and s.layer == 0)
    panel.show_step(step, step.index, len(tour), 2)
    assert panel.formula_text() == step.formula_for(2) and panel.formula_text().startswith("z₃")
    assert panel.title_text() == step.title
    assert panel.explanation_text() == step.explanation
    assert panel.position.text() == f"step {step.index + 1} of {len(tour)}"
    assert panel.phase_tag.text() == "FORWARD" and not panel.focus_hint.isHidden()
    loss = next(s for s in tour.steps if s.kind == "loss")
    panel.show_step(loss, loss.index, len(tour))
    assert panel.phase_tag.text() == "LOSS" and fmt(tour.loss_before) in panel.formula_text()
    assert panel.focus_hint.isHidden()


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) | set(OUTPUT_ACTIVATIONS)))
def test_activation_plot_marks_every_z_on_the_curve(qtbot, name):
    plot = ActivationPlot()
    qtbot.addWidget(plot)
    activation = OUTPUT_ACTIVATIONS.get(name) or ACTIVATIONS[name]
    z = np.array([-7.0, -0.5, 0.3, 2.0])
    plot.show_activation(activation, z, focus=1, where="hidden layer 1")
    markers = plot.marker_positions()
    if name == "softmax":                    # only the focused unit lies on the drawn curve
        a, _ = softmax_curve(z, 1, np.array([z[1]]))
        np.testing.assert_allclose(markers, [[z[1], a[0]]], atol=1e-2)
    else:
        np.testing.assert_allclose(markers, np.column_stack([z, activation(z)]), atol=1e-12)
    low, high = plot.getPlotItem().viewRange()[0]
    assert low <= -7.0 and high >= 5.0            # widened to show the saturated z = −7
    plot.show_activation(activation, None)
    assert len(plot.marker_positions()) == 0



# -- annotations: what the view shows at each step --------------------------------------

@pytest.mark.parametrize("granularity", ["layer", "neuron"])
def test_annotations_fit_the_network_at_every_step(granularity):
    tour = small_tour(granularity)
    for index in range(len(tour)):
        state = annotations_at(tour, index)
        assert [len(t) if t is not None else None for t in state.node_texts][0] == 2
        for column, texts in enumerate(state.node_texts):
            assert texts is None or len(texts) == tour.sizes[column]
        for layer, values in enumerate(state.edge_values):
            assert values is None or values.shape == tour.weights_before[layer].shape
        assert state.node_texts[0] == ("x=0.7", "x=−1.2")


def test_annotations_follow_the_pass():
    tour = small_tour()
    find = lambda kind, layer: next(s.index for s in tour.steps  # noqa: E731
                                    if s.kind == kind and s.layer == layer)
    state = annotations_at(tour, find("weighted_inputs", 1))
    np.testing.assert_array_equal(state.edge_values[1], tour.trace.a[1][0][:, None] * tour.weights_before[1])
    assert state.node_texts[1] == tuple(f"a={fmt(v)}" for v in tour.trace.a[1][0])
    assert state.focus_columns == (1, 2) and state.focus_unit == (2, 0)
    state = annotations_at(tour, find("sum", 0), clicked=(1, 2))
    assert state.node_texts[1] == tuple(f"z={fmt(v)}" for v in tour.trace.z[0][0])
    assert state.focus_unit == (1, 2) and state.formula_unit == 2
    state = annotations_at(tour, find("loss", 2))
    assert state.node_texts[3][1] == f"ŷ={fmt(tour.prediction_before[1])}\ny=1"
    state = annotations_at(tour, find("weight_gradients", 1))
    assert state.edge_values[1] is tour.gradients.weights[1]
    assert state.edge_values[2] is tour.gradients.weights[2]
    assert state.node_texts[3] == tuple(f"δ={fmt(v)}" for v in tour.gradients.deltas[2][0])
    state = annotations_at(tour, find("delta", 0))
    np.testing.assert_allclose(state.edge_values[1], tour.weights_before[1] * tour.gradients.deltas[1][0])
    state = annotations_at(tour, len(tour) - 1)
    assert f"L: {fmt(tour.loss_before)}→{fmt(tour.loss_after)}" in state.node_texts[3][0]
    assert all(values is None for values in state.edge_values) and state.focus_columns is None


def test_neuron_mode_annotations_reveal_one_neuron_at_a_time():
    tour = small_tour("neuron")
    step = next(s for s in tour.steps if s.kind == "sum" and s.layer == 0 and s.neuron == 1)
    texts = annotations_at(tour, step.index).node_texts[1]
    assert texts[0].startswith("a=") and texts[1].startswith("z=") and texts[2] == ""
    step = next(s for s in tour.steps if s.kind == "weight_gradients" and s.layer == 0 and s.neuron == 0)
    gradients = annotations_at(tour, step.index).edge_values[0]
    assert np.all(gradients[:, 1:] == 0) and np.array_equal(gradients[:, 0], tour.gradients.weights[0][:, 0])


# -- the mode in a real main window ------------------------------------------------------

@pytest.fixture
def make_window(qtbot, tmp_path):
    windows = []

    def make(config=None):
        settings = QSettings(str(tmp_path / f"settings{len(windows)}.ini"), QSettings.IniFormat)
        window = MainWindow(config or ExperimentConfig(), settings=settings)
        mode = window.add_workspace(WalkthroughMode)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()                    # shortcuts need the active window
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window, mode

    yield make
    for window in windows:
        window.close()


def view_image(window):
    return window.network_view.grab().toImage()


def test_installs_a_tools_menu_and_toolbar_action_with_shortcut_w(make_window):
    window, mode = make_window()
    action = window.findChild(QAction, "actionWalkthrough")
    assert action in window.tools_menu.actions() and action in window.main_toolbar.actions()
    assert action.shortcut().toString() == "W" and window.workspace(WalkthroughMode) is mode
    assert not mode.active and mode.dock.isHidden()
    QTest.keyClick(window, Qt.Key_W)
    assert mode.active and not mode.dock.isHidden() and action.isChecked()


def test_keys_step_forward_and_back_and_escape_returns_to_training(qtbot, make_window):
    window, mode = make_window()
    mode.enter()
    panel = mode.panel
    assert panel.player.index == 0 and mode.tour is not None
    first_text, first_image = panel.math.formula_text(), view_image(window)
    QTest.keyClick(window, Qt.Key_Right)
    QTest.keyClick(window, Qt.Key_Right)
    assert panel.player.index == 2
    assert panel.math.formula_text() != first_text
    assert view_image(window) != first_image             # z appeared under the nodes
    QTest.keyClick(window, Qt.Key_Left)
    assert panel.player.index == 1
    panel.player.scrubber.setValue(len(mode.tour) - 1)
    assert panel.math.title_text() == mode.tour.steps[-1].title
    assert fmt(mode.tour.loss_after) in panel.math.formula_text()
    panel.player.set_index(3)
    QTest.keyClick(window, Qt.Key_Escape)
    assert not mode.active and mode.dock.isHidden() and mode.tour is None
    QTest.keyClick(window, Qt.Key_Right)                  # the step keys are off outside the mode
    assert panel.player.index == 3


def test_entering_while_training_runs_pauses_it_first(qtbot, make_window):
    window, mode = make_window()
    window.findChild(QAction, "actionRun").trigger()
    qtbot.waitUntil(lambda: window.experiment.trainer.step_count > 0, timeout=10000)
    assert window.is_running
    mode.enter()
    assert not window.is_running
    steps = window.experiment.trainer.step_count
    np.testing.assert_array_equal(mode.tour.weights_before[0], window.experiment.net.weights[0])
    assert window.experiment.trainer.step_count == steps


@pytest.mark.parametrize("task, output, loss", [(task, o, l) for task, pairs in TASK_OUTPUTS.items()
                                                for o, l in pairs])
def test_every_output_type_plays_to_the_last_step(qtbot, make_window, task, output, loss):
    config = ExperimentConfig(dataset=TASK_DATASETS[task], output_activation=output, loss=loss,
                              hidden_layers=(3, 2))
    window, mode = make_window(config)
    mode.enter()
    player = mode.panel.player
    if (output, loss) in (("softmax", "cross_entropy"), ("linear", "mse")):
        player.set_speed(100)
        player.play()
        qtbot.waitUntil(lambda: not player.is_playing, timeout=20000)
    else:
        for _ in range(len(mode.tour)):
            QTest.keyClick(window, Qt.Key_Right)
    assert player.index == len(mode.tour) - 1
    assert mode.tour.sizes[-1] == (3 if task == "multiclass" else 1)
    assert mode.panel.math.title_text() == mode.tour.steps[-1].title


def test_every_hidden_activation_and_six_hidden_layers_in_both_granularities(qtbot, make_window):
    window, mode = make_window(ExperimentConfig(dataset="three_blobs", output_activation="softmax",
                                                loss="cross_entropy", hidden_layers=(3,) * 6))
    mode.enter()
    for number, name in enumerate(ACTIVATIONS):
        window.load_config(window.config.replace(activations=(name,)))   # restarts the walkthrough
        assert mode.active and mode.tour.activations[0].name == name and len(mode.tour.sizes) == 8
        for granularity in ("layer", "neuron") if number < 2 else ("layer",):
            mode.set_granularity(granularity)
            for index in range(len(mode.tour)):
                mode.panel.player.set_index(index)
            assert mode.panel.plot.activation is mode.tour.activations[-1]


def test_a_clicked_sample_restarts_and_a_clicked_neuron_is_explained(qtbot, make_window):
    window, mode = make_window(ExperimentConfig(dataset="sine", output_activation="linear",
                                                hidden_layers=(4,)))
    mode.enter()
    trainer = window.experiment.trainer
    window.set_focused_sample(trainer.train_inputs[5], trainer.train_targets[5])
    np.testing.assert_array_equal(mode.tour.inputs, trainer.train_inputs[5])
    assert "Sample" in mode.panel.sample_label.text()
    mode.panel.player.set_index(1)                          # the sums of the hidden layer
    window.network_view.neuronClicked.emit(1, 3)
    assert mode.panel.math.formula_text().startswith("z₄ =")
    old = mode.tour
    mode.panel.random_button.click()
    assert mode.tour is not old and mode.panel.player.index == 0


def test_switching_to_neuron_steps_keeps_the_place(qtbot, make_window):
    window, mode = make_window()
    mode.enter()
    layer_steps = len(mode.tour)
    backward = mode.tour.first_index("backward")
    mode.panel.player.set_index(backward)
    combo = mode.panel.granularity
    combo.setCurrentIndex(combo.findData("neuron"))
    combo.activated.emit(combo.currentIndex())
    assert mode.tour.granularity == "neuron" and len(mode.tour) > layer_steps
    step = mode.tour.steps[mode.panel.player.index]
    assert (step.phase, step.neuron) == ("backward", 0)


def test_training_snapshots_do_not_repaint_the_view_until_the_walkthrough_ends(qtbot, make_window):
    window, mode = make_window()
    mode.enter()
    mode.panel.player.set_index(1)
    QApplication.processEvents()                     # the dock settles at its height first
    during = view_image(window)
    run = window.findChild(QAction, "actionRun")
    run.trigger()                                   # training may go on behind the walkthrough
    qtbot.waitUntil(lambda: window.experiment.trainer.epoch >= 3, timeout=10000)
    run.trigger()
    window.pause_training()
    QApplication.processEvents()                     # deliver the reports still queued
    assert view_image(window) == during
    QTest.keyClick(window, Qt.Key_Escape)
    assert view_image(window) != during


def test_an_edited_weight_is_walked_through_at_the_same_step(qtbot, make_window):
    window, mode = make_window()
    mode.enter()
    mode.panel.player.set_index(4)
    window.network_view.weightEdited.emit(0, 1, 2, 2.5)
    assert mode.tour.weights_before[0][1, 2] == 2.5 and mode.panel.player.index == 4
    sums = next(s for s in mode.tour.steps if s.kind == "sum" and s.layer == 0)
    assert "2.5×" in sums.formula_for(2)


def test_closing_the_dock_leaves_the_walkthrough(qtbot, make_window):
    window, mode = make_window()
    mode.enter()
    mode.dock.close()
    assert not mode.active
    mode.dock.toggleViewAction().trigger()            # View menu: shows the dock, enters the mode
    assert mode.active and mode.tour is not None


def test_installing_twice_keeps_one_mode(make_window):
    window, mode = make_window()
    assert window.add_workspace(WalkthroughMode) is mode
    assert len([a for a in window.findChildren(QAction) if a.objectName() == "actionWalkthrough"]) == 1


def test_the_boundary_takes_the_loss_plots_room_during_the_walkthrough(qtbot, tmp_path):
    """One step has no loss curve: the boundary is not a thumbnail; the layout saved is the plain one."""
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.IniFormat)
    window = MainWindow(ExperimentConfig(), settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.findChild(QAction, "actionWalkthrough").trigger()
    qtbot.waitUntil(lambda: not window.loss_plot.isVisible())
    qtbot.waitUntil(lambda: window.boundary_view.height() >= 0.9 * window.plots_splitter.height())
    window.close()                                   # closed in the walkthrough
    again = MainWindow(ExperimentConfig(), settings=QSettings(str(tmp_path / "layout.ini"), QSettings.IniFormat))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    mode = again.workspace(WalkthroughMode)
    assert mode.active                               # it reopens where it was left …
    again.findChild(QAction, "actionWalkthroughExit").trigger()
    qtbot.waitUntil(lambda: again.loss_plot.isVisible() and again.loss_plot.height() > 50)   # … not squashed
    again.close()


def test_the_panel_keeps_one_height_from_step_to_step(qtbot, tmp_path):
    """A step with a longer formula scrolls inside the dock instead of growing it (the views above
    used to jump up and down as the student stepped)."""
    window = MainWindow(ExperimentConfig(), settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.findChild(QAction, "actionWalkthrough").trigger()
    mode = window.workspace(WalkthroughMode)
    heights = set()
    for _ in range(len(mode.tour.steps) - 1):
        window.findChild(QAction, "actionWalkthroughNext").trigger()
        QApplication.processEvents()
        heights.add(mode.dock.height())
    assert len(heights) == 1
    window.close()


def _label_boxes(view) -> list[tuple[str, QRectF]]:
    """(text, viewport rectangle) of every visible label of constant screen size in the diagram but
    the dropout marks ("×2"), which sit inside their nodes: in a cramped diagram a number beside
    one column's node may reach the next column's nodes."""
    boxes = []
    for item in view.scene().items():
        if isinstance(item, LabelItem) and item.isVisible() and item.text and not item.text.startswith("×"):
            anchor = view.mapFromScene(item.pos())
            boxes.append((item.text, item.boundingRect().adjusted(1, 1, -1, -1).translated(anchor)))
    return boxes


def test_the_formula_box_scrolls_only_a_formula_taller_than_it(qtbot):
    """Once a long formula had shown the scroll bar, the narrower text wrapped onto more lines and
    kept it: three short lines had a scroll bar. Now it follows the height at the full width."""
    panel = MathPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    bar = panel.formula_box.verticalScrollBar()
    panel.clear("\n".join(f"line {k}" for k in range(12)))          # taller than the box
    QApplication.processEvents()
    assert bar.isVisible() and bar.maximum() > 0
    # four lines that just fit the box's full width: narrowed by a scroll bar, each would wrap
    narrowed = panel.formula_box.width() - bar.sizeHint().width()
    for length in range(200, 8, -1):
        panel.clear("\n".join([("0000000 " * 30)[:length - 1] + "0"] * 4))
        if panel.formula.heightForWidth(panel.formula_box.width()) < panel.formula_box.height() < \
                panel.formula.heightForWidth(narrowed):
            break
    else:
        pytest.fail("no line length fits the box only without a scroll bar")
    QApplication.processEvents()
    assert not bar.isVisible()
    assert panel.formula.heightForWidth(panel.formula.width()) <= panel.formula_box.viewport().height()


@pytest.mark.parametrize("config", [
    ExperimentConfig(dataset="circle", hidden_layers=(4, 2)),
    ExperimentConfig(dataset="circle", hidden_layers=(6, 4), dropout=(0.5, 0.5), batch_norm=(True, True),
                     batch_size=4, activations=("relu",))], ids=["plain", "dropout-batch-norm"])
def test_no_number_covers_a_header_or_another_number_at_any_step(qtbot, tmp_path, config):
    """At 1024 × 768 the pills of a step covered the next column's header ("δ=−0.0301" over
    "tanh / 2 neurons"): the controls now step aside while walking through a narrow window, the
    headers rise above the node texts and the edge numbers avoid them. (The offscreen screen is
    800 px wide, narrower still.)"""
    window = MainWindow(config, settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.findChild(QAction, "actionWalkthrough").trigger()
    QApplication.processEvents()
    assert not window.control_dock.isVisible()
    mode = window.workspace(WalkthroughMode)
    for step in range(len(mode.tour.steps)):
        QApplication.processEvents()
        boxes = _label_boxes(window.network_view)
        assert len(boxes) >= 3
        for a, (text_a, box_a) in enumerate(boxes):
            for text_b, box_b in boxes[a + 1:]:
                assert not box_a.intersects(box_b), f"step {step + 1}: {text_a!r} covers {text_b!r}"
        window.findChild(QAction, "actionWalkthroughNext").trigger()
    assert "Controls hidden" in window.statusBar().currentMessage()
    window.findChild(QAction, "actionWalkthroughExit").trigger()
    assert window.control_dock.isVisible()                       # back with training
    assert window.statusBar().currentMessage() == ""             # and the note that they left gone
    window.close()


def test_closing_in_the_walkthrough_keeps_the_controls_in_the_saved_layout(qtbot, tmp_path):
    def shown(width: int, height: int) -> MainWindow:
        window = MainWindow(ExperimentConfig(), settings=QSettings(str(tmp_path / "layout.ini"),
                                                                   QSettings.IniFormat))
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        return window

    window = shown(1024, 768)
    window.findChild(QAction, "actionWalkthrough").trigger()
    assert not window.control_dock.isVisible()
    window.close()
    again = shown(1920, 1080)
    again.findChild(QAction, "actionWalkthroughExit").trigger()
    assert again.control_dock.isVisible()
    again.close()


@pytest.mark.parametrize("name", ["plain", "dropout-batch-norm"])
def test_at_1280_by_800_no_label_covers_a_node_or_another_label(tmp_path, name):
    """On a real 1280 × 800 screen (Qt's offscreen platform configured to it, in a process of
    its own) no walkthrough number covers a header, a node or another number at any step."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": 1280,
                                                "height": 800, "logicalDpi": 96, "logicalBaseDpi": 96,
                                                "dpr": 1}]}))
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}",
           "PYTHONPATH": os.pathsep.join([str(root), str(root / "tests" / "gui")])}
    done = subprocess.run([sys.executable, "-m", "walkthrough_labels", name], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["steps"] >= 20 and not report["controls"]
    assert report["covered"] == []
