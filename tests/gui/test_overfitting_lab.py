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
