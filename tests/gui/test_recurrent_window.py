"""The recurrent workspace: live training in its thread, the unrolled view shows the engine's
states, the heat map gets a row per epoch, the walkthrough lists the engine's steps."""
import numpy as np
import pytest

from gui.recurrent.mode import RecurrentMode
from gui.recurrent.plots import MAX_ROWS
from gui.recurrent.window import RecurrentWindow
from model.bptt import bptt_walkthrough

WAIT = 30000       # ms: generous, the machine is shared


@pytest.fixture
def window(qtbot):
    window = RecurrentWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.report is not None, timeout=WAIT)
    yield window
    window.close()
    assert window.controller.thread is None


def test_training_live_fills_the_views_with_the_engines_numbers(qtbot, window):
    window.run_button.setChecked(True)
    qtbot.waitUntil(lambda: window.report is not None and window.report.epoch >= 5, timeout=WAIT)
    window.run_button.setChecked(False)
    qtbot.waitUntil(lambda: window.report is not None and not window.report.running, timeout=WAIT)
    report = window.report
    assert len(window.loss_plot.history) == report.epoch + 1          # every epoch and the start
    assert window.gradient_map.rows.shape == (min(report.epoch + 1, MAX_ROWS), 20)
    # the unrolled view shows h_t of the shown test sequence under the reported parameters
    net = window.network()
    sequence = window.setting.split.test_inputs[:1]
    np.testing.assert_allclose(window.unrolled.picture.states, net.forward(sequence).h[0])
    assert window.unrolled.picture.states.shape == (21, 16)
    np.testing.assert_array_equal(window.unrolled.picture.recurrent_weights, net.parameters["recurrent_weights"])
    assert window.loss_plot.history[-1, 2] < window.loss_plot.history[0, 2]    # it learned something
    window.unrolled.grab()                                                    # paints without error


def test_the_walkthrough_lists_the_engines_steps(qtbot, window):
    window.steps.setValue(6)
    window.delay.setValue(2)
    window.rebuild()
    qtbot.waitUntil(lambda: window.report is not None and window.report.states.shape[0] == 7, timeout=WAIT)
    window.walk_through()
    split = window.setting.split
    steps = bptt_walkthrough(window.network(), split.test_inputs[0], split.test_targets[0], 0.01)
    assert window.walkthrough.count() == len(steps)
    assert window.walkthrough.item(0).text().startswith("forward — t = 1")
    assert steps[-1].text in window.walkthrough.item(window.walkthrough.count() - 1).text()


def test_a_bad_setting_keeps_the_previous_one(qtbot, window):
    before = window.setting
    window.delay.setValue(30)            # the echo delay must be shorter than the 20-step sequence
    window.rebuild()
    assert window.setting is before
    assert "shorter than the sequence" in window.statusBar().currentMessage()


def test_vanishing_gradients_show_in_the_heat_map(qtbot, window):
    window.recurrent_init.setCurrentText("gaussian")
    window.recurrent_scale.setValue(0.05)
    window.rebuild()
    qtbot.waitUntil(lambda: window.gradient_map.latest() is not None
                    and window.setting.network["recurrent_scale"] == 0.05, timeout=WAIT)
    norms = window.gradient_map.latest()
    assert norms[0] < 1e-6 * norms[-1]


def test_the_main_window_opens_and_closes_the_workspace(qtbot):
    from gui.main_window import MainWindow
    from PySide6.QtCore import QSettings
    main = MainWindow(settings=QSettings("BackpropStudioTest", "recurrent"))
    qtbot.addWidget(main)
    mode = main.workspace(RecurrentMode)
    assert mode.action in main.tools_menu.actions()
    mode.action.trigger()
    qtbot.waitUntil(lambda: mode.window.report is not None, timeout=WAIT)
    assert mode.window.isVisible()
    main.close()
    assert not mode.window.isVisible() and mode.window.controller.thread is None


def test_the_pace_reaches_the_worker_and_a_new_network_keeps_it(qtbot, window):
    window.pace.setCurrentIndex(2)
    assert window.controller.pace == 5.0
    window.run_button.setChecked(True)
    qtbot.waitUntil(lambda: window.report.epoch >= 2, timeout=WAIT)
    window.hidden.setValue(8)
    window.rebuild()                      # a new worker, paused, at the same pace
    qtbot.waitUntil(lambda: window.controller.pace == 5.0 and window.report is not None
                    and window.report.states.shape[1] == 8, timeout=WAIT)   # (no report yet right after)
    assert not window.run_button.isChecked()


def test_save_and_open_a_network_through_the_file_menu(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtGui import QAction
    from gui.window import network_files
    window.task.setCurrentText("sine")
    window.hidden.setValue(5)
    window.truncation.setValue(4)
    window.rebuild()
    window.run_button.setChecked(True)
    qtbot.waitUntil(lambda: window.report is not None and window.report.epoch >= 2, timeout=WAIT)
    window.run_button.setChecked(False)
    qtbot.waitUntil(lambda: window.report is not None and not window.report.running, timeout=WAIT)
    path = tmp_path / "sine.json"
    monkeypatch.setattr(network_files, "choose_save_path", lambda w: str(path))
    window.findChild(QAction, "recurrentActionSave").trigger()
    assert window.statusBar().currentMessage() == f"Saved the network to {path}"
    saved = window.network()

    other = RecurrentWindow()                         # the echo task, 16 hidden units
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: other.report is not None, timeout=WAIT)
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    other.findChild(QAction, "recurrentActionOpen").trigger()
    assert other.statusBar().currentMessage().startswith(f"Opened {path}")
    assert (other.task.currentText(), other.hidden.value(), other.truncation.value()) == ("sine", 5, 4)
    qtbot.waitUntil(lambda: other.report is not None, timeout=WAIT)
    assert other.setting.network == saved.config()
    np.testing.assert_array_equal(other.report.params, saved.params)
    sequences = other.setting.split.test_inputs[:3]
    np.testing.assert_array_equal(other.network().predict(sequences), saved.predict(sequences))
    from model import RecurrentNetwork                             # the controls describe it too
    assert RecurrentNetwork(**other.current_setting().network).config() == saved.config()

    path.write_text("not json")
    before = other.setting
    other.findChild(QAction, "recurrentActionOpen").trigger()
    assert other.statusBar().currentMessage() == ("Could not open the network: sine.json is not a Backprop "
                                                  "Studio network file (not JSON). The current network is kept.")
    assert other.setting is before
    other.close()
    assert other.controller.thread is None


def test_the_digits_task_reads_eight_rows(qtbot, window):
    window.task.setCurrentText("digits")
    assert window.steps.value() == 8                       # the digits have 8 rows, whatever was set
    assert window.setting.task == "multiclass" and window.setting.network["outputs"] == 10
    assert window.setting.network["output_activation"] == "softmax"
    assert len(window.setting.split.train_inputs) + len(window.setting.split.test_inputs) == 1797
    qtbot.waitUntil(lambda: window.report is not None and window.report.states.shape == (9, 16), timeout=WAIT)
    assert window.report.prediction.shape == (10,)


def test_the_unrolled_columns_numbers_never_overlap():
    from gui.recurrent.unrolled import labelled_columns
    xs = 40 + 20.0 * np.arange(20)                       # 20 columns 20 px apart, labels 36 px wide
    shown = sorted(labelled_columns(xs, 36))
    assert shown[-1] == 19                               # the last step is always written
    assert min(np.diff(xs[shown])) >= 36
    assert len(shown) == 10                              # and as many as fit
    wide = 40 + 80.0 * np.arange(6)
    assert labelled_columns(wide, 36) == set(range(6))   # room for all


def test_the_recurrent_window_trains_on_the_one_background_worker_at_its_pace(qtbot, window):
    import time
    from gui.training.background import Background
    assert isinstance(window.controller, Background)
    window.pace.setCurrentIndex(2)                       # 5 epochs a second
    start = time.perf_counter()
    window.run_button.setChecked(True)
    qtbot.waitUntil(lambda: window.report is not None and window.report.epoch >= 3, timeout=WAIT)
    assert window.report.epoch <= 5 * (time.perf_counter() - start) + 2   # never faster than the pace
    thread = window.controller.thread
    window.close()
    assert thread.isFinished() and window.controller.thread is None


def test_edits_after_a_lesson_keep_the_lessons_seed(qtbot, window):
    """A lesson's setting fixes the seed of the weights and the mini-batch order; the student's
    edits after it used to rebuild the network from seed 0."""
    from model.lessons.settings import SequenceSetting
    from model.networks.recurrent import RecurrentNetwork
    window.apply_setting(SequenceSetting(task="echo", hidden=8, seed=7))
    qtbot.waitUntil(lambda: window.report is not None and window.setting.network["hidden"] == 8, timeout=WAIT)
    assert window.setting.network["seed"] == 7 and window.setting.seed == 7
    window.hidden.setValue(12)
    window.rebuild()
    qtbot.waitUntil(lambda: window.setting.network["hidden"] == 12, timeout=WAIT)
    assert window.setting.network["seed"] == 7 and window.setting.seed == 7
    fresh = RecurrentNetwork(**window.setting.network)
    qtbot.waitUntil(lambda: window.report is not None and window.report.epoch == 0, timeout=WAIT)
    np.testing.assert_array_equal(window.network().params, fresh.params)
