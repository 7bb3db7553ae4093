"""Issue 10.2: a pace students can follow — the speed control, slow motion, steps or epochs."""
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from gui.main_window import MainWindow
from gui.training.pacing import CLASSROOM_PACE, FASTEST, PACES, StepClock, pace_named


def test_paces_offered_and_named():
    rates = [(p.unit, p.per_second) for p in PACES]
    assert rates == [("batch", 1), ("batch", 5), ("epoch", 1), ("epoch", 5), ("epoch", 20),
                     ("epoch", 100), ("epoch", None)]
    assert FASTEST.fastest and not CLASSROOM_PACE.fastest
    assert pace_named("20-epochs") is CLASSROOM_PACE
    with pytest.raises(ValueError, match="choose one of 1-step"):
        pace_named("warp")


def test_clock_never_runs_ahead_of_its_backlog(qtbot):
    sent = []
    clock = StepClock(sent.append)
    clock.start(pace_named("100-epochs"))        # backlog ⌈100 / 10⌉ = 10 unanswered steps
    qtbot.waitUntil(lambda: len(sent) == 10)
    qtbot.wait(200)                              # due by now: ≥ 20 steps, but none answered
    assert len(sent) == 10 and set(sent) == {"epoch"}
    for _ in range(4):
        clock.answered()
    qtbot.waitUntil(lambda: len(sent) == 14)
    clock.stop()
    assert not clock.active


def test_a_new_window_starts_at_the_classroom_pace_and_remembers_the_choice(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "pace.ini"), QSettings.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    combo = window.window_actions.pace
    assert combo.currentData() == "20-epochs" and window.controller.pace is CLASSROOM_PACE
    assert combo in [window.main_toolbar.widgetForAction(a) for a in window.main_toolbar.actions()]
    combo.setCurrentIndex(combo.findData("5-steps"))
    assert window.controller.pace is pace_named("5-steps")
    window.close()
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    assert again.controller.pace is pace_named("5-steps")
    again.close()


def test_twenty_epochs_a_second_is_followed(qtbot, window):
    window.set_pace("20-epochs")
    start = time.perf_counter()
    window.findChild(QAction, "actionRun").trigger()
    assert window.is_running and not window.controller.loop_running   # the clock steps it
    qtbot.waitUntil(lambda: window.experiment.trainer.epoch >= 6, timeout=10000)
    window.toggle_running()
    elapsed = time.perf_counter() - start
    window.pause_training()
    # never faster than the pace: at most ⌊20 · t⌋ + 1 epochs in t seconds
    assert window.experiment.trainer.epoch <= 20 * elapsed + 1
    qtbot.waitUntil(lambda: window.loss_plot.history.size >= 6)
    epochs = window.loss_plot.history.arrays()[0]
    np.testing.assert_array_equal(np.diff(epochs), 1)     # every epoch on the loss curve


def test_slow_motion_trains_single_mini_batches(qtbot, window):
    window.set_pace("5-steps")
    window.toggle_running()
    qtbot.waitUntil(lambda: window.experiment.trainer.step_count >= 2, timeout=5000)
    window.toggle_running()
    window.pause_training()
    trainer = window.experiment.trainer
    assert trainer.epoch == 0 and 2 <= trainer.step_count < 25     # 250 points / batch 10
    qtbot.waitUntil(lambda: window.status.labels["step"].text() == f"Step {trainer.step_count}")


def test_as_fast_as_possible_lets_the_worker_train_freely(qtbot, window):
    window.set_pace("fastest")
    window.toggle_running()
    assert window.controller.active
    qtbot.waitUntil(lambda: window.experiment.trainer.epoch >= 200, timeout=15000)
    assert window.controller.loop_running             # the worker's own loop: no clock in between
    window.toggle_running()
    window.pause_training()


def test_switching_pace_while_running_keeps_running(qtbot, window):
    window.set_pace("fastest")
    window.toggle_running()
    qtbot.waitUntil(lambda: window.experiment.trainer.epoch >= 5, timeout=10000)
    window.set_pace("5-epochs")
    assert window.is_running and window.controller._clock.active
    window.toggle_running()
    window.pause_training()
    assert not window.controller._clock.active


def test_loss_plot_counts_steps_or_epochs(qtbot, window):
    window.set_pace("fastest")
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for _ in range(3):
        window.step()
    qtbot.waitUntil(lambda: window.loss_plot.history.size == 4)     # epoch 0 and three more
    steps = window.findChild(QAction, "actionLossSteps")
    steps.setChecked(True)
    per_epoch = 25                                     # 250 training points, batch size 10
    assert window.loss_plot.steps_per_epoch == per_epoch
    x, _ = window.loss_plot.train_curve.getData()
    np.testing.assert_array_equal(x, [0, 25, 50, 75])
    assert window.loss_plot.getPlotItem().getAxis("bottom").labelText.startswith("step")
    assert window.loss_plot.describe(2).startswith("step 50 · epoch 2")
    window.control_panel.training.batch_size.setValue(50)         # applied live
    assert window.loss_plot.steps_per_epoch == 5
    steps.setChecked(False)
    x, _ = window.loss_plot.train_curve.getData()
    np.testing.assert_array_equal(x, [0, 1, 2, 3])
