"""The main window: actions, live training, controls ↔ model, edits, divergence, CSV, settings."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDockWidget, QLabel, QWidget

from model.config import ExperimentConfig
from model.experiment import build
from model.optimizers import Adam

SAMPLES = __import__("pathlib").Path(__file__).resolve().parents[2] / "resources" / "samples"


def action(window, name):
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def run_until(qtbot, window, condition, timeout=10000):
    if not window.is_running:
        action(window, "actionRun").trigger()
    qtbot.waitUntil(condition, timeout=timeout)
    action(window, "actionRun").trigger()
    window.pause_training()


def test_object_names_title_and_default_experiment(window):
    for name in ("networkView", "lossPlot", "boundaryView"):
        assert window.findChild(QWidget, name) is not None, name
    for name in ("actionRun", "actionStep", "actionReset"):
        assert action(window, name) in window.main_toolbar.actions()
    assert window.windowTitle() == "Backprop Studio"
    assert window.config == ExperimentConfig()
    assert window.experiment.net.sizes == [2, 4, 2, 1]
    assert window.tools_menu.title().replace("&", "") == "Tools"
    assert not window.is_running


def test_run_pause_through_the_action_and_loss_goes_down(qtbot, window):
    first = window.experiment.trainer.snapshot().train_loss
    run = action(window, "actionRun")
    run.trigger()
    assert window.is_running and run.text() == "Pause"
    qtbot.waitUntil(lambda: window.loss_plot.history.size >= 200, timeout=15000)
    run.trigger()
    assert not window.is_running and run.text() == "Run"
    window.pause_training()
    epochs, train, test = window.loss_plot.history.arrays()
    assert train[-1] < 0.5 * first and test[-1] < 0.5 * first
    assert window.status.labels["epoch"].text().startswith("Epoch ")
    assert "Accuracy" in window.status.labels["accuracy"].text()


def test_space_key_runs_and_pauses(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window.network_view, Qt.Key_Space)
    assert window.is_running
    qtbot.keyClick(window.network_view, Qt.Key_Space)
    assert not window.is_running


def test_step_batch_then_epoch_while_paused(qtbot, window):
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: window.status.labels["step"].text() == "Step 1")
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: window.status.labels["epoch"].text() == "Epoch 1")
    assert window.status.labels["step"].text() == "Step 25"
    assert not window.is_running


def test_reset_restores_the_same_initial_weights(qtbot, window):
    initial = build(window.config).net.params.copy()
    changes = []
    window.experimentChanged.connect(lambda: changes.append(1))
    run_until(qtbot, window, lambda: window.loss_plot.history.size >= 20)
    assert not np.allclose(window.experiment.net.params, initial)
    action(window, "actionReset").trigger()
    assert np.array_equal(window.experiment.net.params, initial)
    assert changes == [1]
    epochs, _, _ = window.loss_plot.history.arrays()
    assert list(epochs) == [0]                            # only the starting loss
    assert window.status.labels["epoch"].text() == "Epoch 0"


def choose(combo, name):
    index = combo.findData(name)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_structural_controls_rebuild_the_model(qtbot, window):
    panel = window.control_panel
    panel.network.add_layer.click()
    assert window.experiment.net.sizes == [2, 4, 2, 2, 1]
    assert window.statusBar().currentMessage() == "Network changed — model reset"
    panel.network.neurons[0].setValue(6)
    assert window.experiment.net.sizes == [2, 6, 2, 2, 1]
    choose(panel.network.activations[2], "relu")
    assert window.experiment.net.activation_names == ["tanh", "tanh", "relu"]
    panel.features.boxes["x1*x2"].setChecked(True)
    assert window.experiment.net.sizes[0] == 3 and window.experiment.input_names[-1] == "x1*x2"
    choose(panel.network.loss, "cross_entropy")             # brings a sigmoid output along
    net = window.experiment.net
    assert (net.loss_function.name, net.output_activation.name) == ("cross_entropy", "sigmoid")
    choose(panel.training.optimizer, "adam")
    assert isinstance(window.experiment.optimizer, Adam)
    panel.training.seed.setValue(7)
    assert window.experiment.net.seed == 7
    choose(panel.network.init, "he")
    assert window.experiment.net.init == "he"
    choose(panel.data.dataset, "spiral")
    assert window.experiment.data.name == "spiral"
    panel.data.noise.setValue(20)
    panel.data.samples.setValue(200)
    panel.data.train_percent.setValue(80)
    split = window.experiment.split
    assert (len(split.train_points), len(split.test_points)) == (160, 40)
    assert window.experiment.config.noise == pytest.approx(0.2)
    choose(panel.data.dataset, "three_blobs")                 # multiclass: softmax output
    assert window.experiment.net.sizes[-1] == 3
    assert window.config.output_activation == "softmax"


def test_live_controls_apply_while_running(qtbot, window):
    panel = window.control_panel
    action(window, "actionRun").trigger()
    experiment = window.experiment
    panel.training.learning_rate.setEditText("0.1")
    panel.training.learning_rate.lineEdit().editingFinished.emit()
    panel.training.batch_size.setValue(5)
    panel.regularization.l2.setEditText("0.001")
    panel.regularization.l2.lineEdit().editingFinished.emit()
    panel.regularization.l1.setEditText("0.0001")
    panel.regularization.l1.lineEdit().editingFinished.emit()
    assert window.is_running and window.experiment is experiment     # not rebuilt
    window.pause_training()
    assert experiment.optimizer.learning_rate == 0.1 and experiment.trainer.batch_size == 5
    assert (experiment.net.l1, experiment.net.l2) == (0.0001, 0.001)
    assert window.config.learning_rate == 0.1


def test_a_refused_change_keeps_the_setting_and_says_why(window):
    choose(window.control_panel.network.output_activation, "softmax")   # circle is binary
    assert window.config.output_activation == "tanh"
    assert window.control_panel.network.output_activation.currentData() == "tanh"
    assert "does not suit binary" in window.statusBar().currentMessage()


def test_loaded_config_shows_in_the_controls_and_params_are_used(window):
    config = ExperimentConfig().replace(dataset="xor", hidden_layers=(5, 3),
                                        activations=("relu", "sigmoid"), learning_rate=0.3,
                                        batch_size=20, l2=0.01, features=("x1", "x2", "x1*x2"))
    params = np.linspace(-1, 1, build(config).net.params.size)
    window.load_config(config, params)
    assert window.config == config
    assert np.array_equal(window.experiment.net.params, params)
    panel = window.control_panel
    assert panel.data.dataset.currentData() == "xor"
    assert [s.value() for s in panel.network.neurons] == [5, 3]
    assert panel.network.activations[1].currentData() == "sigmoid"
    assert panel.training.learning_rate.value() == 0.3 and panel.training.batch_size.value() == 20
    assert panel.regularization.l2.value() == 0.01
    assert panel.features.boxes["x1*x2"].isChecked()
    with pytest.raises(ValueError, match="parameter vector"):
        window.load_config(ExperimentConfig(), params=np.zeros(3))
    assert window.config == config                       # the previous experiment is kept


def test_editing_a_weight_and_bias_on_the_view_changes_the_model(qtbot, window):
    window.network_view.weightEdited.emit(0, 1, 2, 2.5)
    assert window.experiment.net.weights[0][1, 2] == 2.5
    window.network_view.biasEdited.emit(1, 0, -0.75)
    assert window.experiment.net.biases[1][0] == -0.75
    action(window, "actionRun").trigger()                 # while running: queued between steps
    assert window.is_running
    window.network_view.weightEdited.emit(2, 0, 0, 9.0)
    action(window, "actionRun").trigger()                 # the pause is queued after the edit
    window.pause_training()
    weight = window.experiment.net.weights[2][0, 0]
    assert abs(weight - 9.0) < 2.0                        # applied, then (maybe) trained a little
    assert window.current_network().weights[2][0, 0] == weight


def test_neuron_buttons_on_the_diagram(window):
    window.network_view.addNeuronRequested.emit(0)
    assert window.config.hidden_layers == (5, 2)
    window.network_view.removeNeuronRequested.emit(1)
    window.network_view.removeNeuronRequested.emit(1)     # would leave 0 neurons: ignored
    assert window.config.hidden_layers == (5, 1)


def test_focused_sample_from_a_click(qtbot, window):
    assert window.focused_sample() is None
    with qtbot.waitSignal(window.focusedSampleChanged):
        window.boundary_view.sampleClicked.emit("train", 3)
    inputs, target = window.focused_sample()
    split = window.experiment.split
    assert np.allclose(inputs, split.train_points[3]) and np.allclose(target, split.train_targets[3])
    assert window.boundary_view.focus == ("train", 3)
    window.set_focused_sample(split.test_points[2], split.test_targets[2])
    assert window.boundary_view.focus == ("test", 2)


def test_current_network_is_an_independent_copy_while_running(qtbot, window):
    action(window, "actionRun").trigger()
    qtbot.waitUntil(lambda: window.loss_plot.history.size >= 5)
    net = window.current_network()
    assert net is not window.experiment.net and np.isfinite(net.params).all()
    net.params[:] = 0
    window.pause_training()
    assert np.any(window.experiment.net.params != 0)


def test_training_views_can_be_disabled(qtbot, window, monkeypatch):
    calls = []
    monkeypatch.setattr(window.network_view, "show_parameters", lambda *a, **k: calls.append(1))
    window.set_training_views_enabled(False)
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: window.status.labels["step"].text() == "Step 1")
    assert calls == []
    window.set_training_views_enabled(True)
    assert calls == [1]


def test_closing_mid_training_stops_the_thread(qtbot, make_window):
    window = make_window()
    action(window, "actionRun").trigger()
    qtbot.waitUntil(lambda: window.loss_plot.history.size >= 3)
    thread = window.controller.thread
    window.close()
    assert thread.isFinished() and window.controller.thread is None


def test_divergence_pauses_shows_why_and_reset_recovers(qtbot, make_window):
    config = ExperimentConfig().replace(dataset="plane", activations=("relu", "relu"),
                                        output_activation="linear", loss="mse", learning_rate=10.0)
    window = make_window(config)
    action(window, "actionRun").trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    assert not window.is_running and action(window, "actionRun").text() == "Run"
    text = window.banner.text()
    assert "layer" in text and "learning rate 10" in text
    assert "diverged" in window.statusBar().currentMessage()
    assert np.isfinite(window.experiment.net.params).all()
    action(window, "actionReset").trigger()
    assert not window.banner.isVisible()
    assert window.status.labels["epoch"].text() == "Epoch 0"
    panel = window.control_panel                          # a sane rate then trains fine
    panel.training.learning_rate.setEditText("0.01")
    panel.training.learning_rate.lineEdit().editingFinished.emit()
    run_until(qtbot, window, lambda: window.loss_plot.history.size >= 20)
    assert not window.banner.isVisible() and np.isfinite(window.loss_plot.history.arrays()[1]).all()


def test_bad_csv_shows_the_error_and_keeps_the_data(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,target\n1,2,0\n3,x,1\n")
    errors = []
    monkeypatch.setattr(window.file_opening, "choose_csv_path", lambda: str(bad))
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    action(window, "actionOpenCsv").trigger()
    assert len(errors) == 1 and "bad.csv" in errors[0]
    assert window.config.csv_path is None and window.experiment.data.name == "circle"


def test_good_csv_loads_and_disables_features(window, monkeypatch):
    monkeypatch.setattr(window.file_opening, "choose_csv_path", lambda: str(SAMPLES / "iris_like.csv"))
    window.control_panel.data.open_csv.click()
    assert window.experiment.task == "multiclass" and window.config.output_activation == "softmax"
    assert not any(b.isEnabled() for b in window.control_panel.features.boxes.values())
    assert window.control_panel.data.dataset.currentText().startswith("CSV: ")


def test_error_box_is_non_blocking(window):
    window.show_error("Title", "Something went wrong")
    box = window._message_box
    assert box.isVisible() and "Something went wrong" in box.text()
    box.close()


def test_settings_remember_config_and_toggles(qtbot, make_window, settings):
    window = make_window()
    window.control_panel.network.add_layer.click()
    action(window, "actionLogY").setChecked(True)
    window.centre_splitter.setSizes([300, 600])
    window.close()
    again = make_window()
    assert again.config.hidden_layers == (4, 2, 2)
    assert action(again, "actionLogY").isChecked() and again.loss_plot.log_y


def test_corrupt_settings_fall_back_to_defaults(make_window, settings):
    settings.setValue("experiment/config", "{not json")
    settings.setValue("window/geometry", "garbage")
    window = make_window()
    assert window.config == ExperimentConfig()


def test_remembered_csv_that_is_gone_falls_back(make_window, settings, tmp_path):
    import json
    settings.setValue("experiment/config",
                      json.dumps(ExperimentConfig(csv_path=str(tmp_path / "gone.csv")).to_dict()))
    window = make_window()
    assert window.config == ExperimentConfig()
    assert "could not be restored" in window.statusBar().currentMessage()


def test_panel_docks_and_help(qtbot, window):
    dock = window.add_panel_dock("Walkthrough", QLabel("hi"), "walkthroughDock")
    assert isinstance(dock, QDockWidget) and window.dockWidgetArea(dock) == window.view_dock_area
    assert dock.toggleViewAction() in window.view_menu.actions()
    action(window, "actionHelp").trigger()
    dialog = window.findChild(QDialog, "helpDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_network_view_gets_heatmaps_parameters_and_the_focused_sample(qtbot, window, monkeypatch):
    from gui.main_window import HEATMAP_RESOLUTION as RES
    seen = {}
    view = window.network_view
    for name in ("show_parameters", "show_heatmaps", "show_sample"):
        monkeypatch.setattr(view, name, lambda *a, _n=name, **k: seen.__setitem__(_n, a))
    window.boundary_view.sampleClicked.emit("test", 0)
    action(window, "actionStep").trigger()
    qtbot.waitUntil(lambda: "show_heatmaps" in seen and window.status.labels["step"].text() == "Step 1")
    images = seen["show_heatmaps"][0]
    assert [im.shape for im in images] == [(n, RES, RES) for n in window.experiment.net.sizes]
    weights = seen["show_parameters"][0]
    window.pause_training()
    assert np.array_equal(weights[0], window.experiment.net.weights[0])
    activations, pre_activations = seen["show_sample"]
    net = window.experiment.net
    trace = net.forward(window.focused_sample()[0][None, :])
    assert np.allclose(activations[-1], trace.output[0]) and np.allclose(pre_activations[0], trace.z[0][0])


def test_gradient_toggle_switches_the_edge_mode(window, monkeypatch):
    modes = []
    monkeypatch.setattr(window.network_view, "set_edge_mode", modes.append)
    action(window, "actionGradients").trigger()
    action(window, "actionGradients").trigger()
    assert modes == ["gradient", "weight"]
    assert action(window, "actionGradients").shortcut().toString() == "G"


def test_edits_for_a_network_that_is_gone_are_ignored(window):
    before = window.experiment.net.params.copy()
    window.network_view.weightEdited.emit(5, 0, 0, 1.0)
    window.network_view.weightEdited.emit(0, 9, 0, 1.0)
    window.network_view.biasEdited.emit(0, 4, float("nan"))
    assert np.array_equal(window.experiment.net.params, before)


def test_clicking_a_neuron_explains_it(window):
    window.network_view.neuronClicked.emit(1, 0)
    assert window.statusBar().currentMessage().startswith("Layer 1, neuron 1: z = Σ w·a + b, a = tanh(z)")
    window.network_view.neuronClicked.emit(0, 1)
    assert window.statusBar().currentMessage().startswith("Input x2")


def test_a_csv_with_four_inputs_shows_a_chosen_pair_named_by_its_header(window, monkeypatch, qtbot):
    picker = window.plane_picker
    assert not picker.isVisible()                       # two inputs: nothing to choose
    monkeypatch.setattr(window.file_opening, "choose_csv_path", lambda: str(SAMPLES / "iris_like.csv"))
    window.control_panel.data.open_csv.click()
    assert picker.isVisible()
    assert [picker.x_axis.itemText(i) for i in range(picker.x_axis.count())] == \
        ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    axis = window.boundary_view.getPlotItem().getAxis
    assert (axis("bottom").labelText, axis("left").labelText) == ("sepal_length", "sepal_width")

    picker.y_axis.setCurrentIndex(3)
    picker.y_axis.activated.emit(3)                     # as a click on "petal_width" does
    assert (axis("bottom").labelText, axis("left").labelText) == ("sepal_length", "petal_width")
    points = window.experiment.split.train_points
    assert np.allclose(window.boundary_view._points["train"], points[:, [0, 3]])
    # the boundary is the network's output over that plane, the other inputs at their mean (0)
    _, _, inputs = window.experiment.plane(window.boundary_view._output[1], (0, 3))
    assert np.all(inputs[:, [1, 2]] == 0) and inputs[:, 0].std() > 0 and inputs[:, 3].std() > 0
    net = window.current_network()
    qtbot.waitUntil(lambda: np.allclose(window.boundary_view._output[0], net.forward(inputs).output),
                    timeout=10000)

    picker.x_axis.setCurrentIndex(3)                    # the same input twice is not a plane
    picker.x_axis.activated.emit(3)
    assert picker.pair()[0] == 3 and picker.pair()[1] != 3


def test_the_plane_refuses_a_pair_that_is_not_two_columns(window, monkeypatch):
    monkeypatch.setattr(window.file_opening, "choose_csv_path", lambda: str(SAMPLES / "iris_like.csv"))
    window.control_panel.data.open_csv.click()
    for pair in ((1, 1), (0, 4), (-1, 2)):
        with pytest.raises(ValueError, match="two different input columns"):
            window.experiment.plane(10, pair)


def test_while_running_reports_come_at_the_frame_rate_and_no_epoch_is_lost(qtbot, window):
    from gui.training.pacing import MIN_INTERVAL
    views, controller = window.training_views, window.controller
    views.pacer.min_interval = 0.2                 # frames at most five a second
    frames = []
    views.snapshotShown.connect(lambda snapshot: frames.append(snapshot.epoch))
    run_until(qtbot, window, lambda: len(frames) >= 4)
    assert views.pacer.interval >= 0.2
    assert controller.min_interval == pytest.approx(views.pacer.interval)   # reports as often
    epochs = window.loss_plot.history.arrays()[0]
    np.testing.assert_array_equal(epochs, np.arange(epochs[-1] + 1))   # every epoch plotted
    action(window, "actionRun").trigger()          # a new run starts at the fastest report rate
    assert controller.min_interval == MIN_INTERVAL
    window.pause_training()


def test_the_plane_picker_of_a_csv_with_four_inputs_leaves_the_diagram_its_room(window, monkeypatch, qtbot):
    """The picker above the boundary ("Boundary over [x] × [y] (the other inputs at their
    mean)") used to widen the plots' pane to its full text and squeeze the network diagram
    into a strip; the note gives way (its text stays in the tooltip) and the combos shrink."""
    view = window.network_view
    before = view.width()
    monkeypatch.setattr(window.file_opening, "choose_csv_path", lambda: str(SAMPLES / "iris_like.csv"))
    window.control_panel.data.open_csv.click()
    picker, pane = window.plane_picker, window.plane_picker.parentWidget()
    # once laid out, the splitter gives the boundary's pane at least its minimum width
    qtbot.waitUntil(lambda: picker.isVisible() and
                    window.centre_splitter.sizes()[1] >= pane.minimumSizeHint().width())
    assert view.width() >= 0.9 * before
    assert "held at their mean" in picker.toolTip()
