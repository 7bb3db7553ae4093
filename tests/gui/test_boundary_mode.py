"""View ▸ Boundary in training mode: the boundary as a training step computes it, or evaluation."""
import numpy as np
from PySide6.QtGui import QAction

from gui.main_window import BOUNDARY_RESOLUTION
from model.config import ExperimentConfig
from model.overfitting import training_mode_output


def test_the_switch_paints_the_training_mode_boundary_and_back(make_window, qtbot):
    config = ExperimentConfig(hidden_layers=(6, 4), activations=("tanh", "tanh"), dropout=(0.5, 0.0),
                              batch_norm=(True, False), batch_size=8, seed=3)
    window = make_window(config)
    action = window.findChild(QAction, "actionBoundaryTrainingMode")
    assert action.isEnabled() and not action.isChecked() and action in window.view_menu.actions()
    evaluation = window.boundary_view._output[0].copy()
    action.trigger()
    qtbot.waitUntil(lambda: not np.array_equal(window.boundary_view._output[0], evaluation), timeout=10000)
    experiment = window.experiment
    net = window.current_network()
    _, _, plane = experiment.plane(BOUNDARY_RESOLUTION)
    expected = training_mode_output(net, plane, experiment.trainer.train_inputs, 8,
                                    np.random.default_rng(3))          # the maker's first draw
    np.testing.assert_allclose(window.boundary_view._output[0], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(evaluation, net.predict(plane), rtol=0, atol=1e-12)
    assert "training mode" in window.statusBar().currentMessage()
    assert window.boundary_mode.badge.isVisible()
    action.trigger()
    qtbot.waitUntil(lambda: np.allclose(window.boundary_view._output[0], evaluation), timeout=10000)


def test_a_network_without_dropout_or_batch_norm_has_no_training_mode(make_window):
    window = make_window(ExperimentConfig(dropout=(0.2, 0.0)))
    action = window.findChild(QAction, "actionBoundaryTrainingMode")
    action.trigger()
    assert action.isChecked()
    window.load_config(window.config.replace(dropout=(0.0, 0.0)))
    assert not action.isEnabled() and not action.isChecked() and not window.boundary_mode.training_mode
    assert not window.boundary_mode.badge.isVisible()
