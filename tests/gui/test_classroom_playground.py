"""Issue 10.9/10.10: Ctrl+Q in the comparison; reset to defaults in the app; the stuck warning;
discretize output."""
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from model.config import ExperimentConfig


def test_ctrl_q_in_the_comparison_quits_the_app(qtbot, make_window, settings):
    from gui.compare.mode import CompareMode
    window = make_window(ExperimentConfig(samples=40))
    window.add_workspace(CompareMode).action.trigger()
    compare = window.workspace(CompareMode).window
    qtbot.waitExposed(compare)
    compare.activateWindow()
    qtbot.waitUntil(compare.isActiveWindow)
    qtbot.keyClick(compare, Qt.Key_Q, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible() and not compare.isVisible())
    assert settings.value("experiment/config")          # the main window saved as it closed


def test_reset_to_defaults_clears_a_remembered_setting(qtbot, make_window, settings):
    diverging = ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), learning_rate=10.0)
    window = make_window(diverging)
    assert window.config == diverging
    reset = window.findChild(QAction, "actionResetDefaults")
    assert reset in window.menus.training.actions()
    reset.trigger()
    assert window.config == ExperimentConfig() and window.experiment.net.sizes == [2, 4, 2, 1]
    assert window.control_panel.training.learning_rate.value() == 0.03     # the panel shows it
    window.close()
    again = make_window(qsettings=settings)               # the next start opens the defaults
    assert again.config == ExperimentConfig()


def test_a_stuck_run_gets_a_banner_and_goes_on(qtbot, make_window):
    # linear hidden units cannot draw a circle: the loss drops to a fifth, then stays there
    window = make_window(ExperimentConfig(activations=("linear",)))
    window.toggle_running()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert "Training is stuck: the training loss has stayed at 0.2" in window.banner.text()
    assert "learning rate" in window.banner.text()
    assert window.is_running                                        # a warning, not a stop
    window.toggle_running()
    window.pause_training()
    window.reset()
    assert not window.banner.isVisible()


def test_a_learning_run_gets_no_stuck_banner(qtbot, make_window):
    window = make_window()
    window.toggle_running()
    qtbot.waitUntil(lambda: window.experiment.trainer.epoch >= 400, timeout=20000)
    window.toggle_running()
    window.pause_training()
    assert not window.banner.isVisible()


def test_discretize_output_shows_the_predicted_class_only(qtbot, make_window, settings):
    from gui.widgets.boundary_view import IMAGE_LIGHTEN, discretized, output_rgb
    values = np.array([[0.2], [0.5], [0.9]])
    np.testing.assert_array_equal(discretized(values, "binary"), [[0], [1], [1]])
    probabilities = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    np.testing.assert_array_equal(discretized(probabilities, "multiclass"), [[0, 1, 0], [1, 0, 0]])
    window = make_window()
    image = window.boundary_view.image
    before = image.image.copy()
    action = window.findChild(QAction, "actionDiscretize")
    assert action in window.view_menu.actions()
    action.trigger()
    colours = {tuple(c) for c in image.image.reshape(-1, 3)}
    assert len(colours) == 2 and len({tuple(c) for c in before.reshape(-1, 3)}) > 2
    lighten = lambda rgb: (rgb + (255 - rgb) * IMAGE_LIGHTEN).astype(np.uint8)
    expected = {tuple(lighten(output_rgb(np.array([[v]]), "binary")[0])) for v in (0.0, 1.0)}
    assert colours == expected                          # exactly the two class colours
    window.close()
    again = make_window(qsettings=settings)
    assert again.findChild(QAction, "actionDiscretize").isChecked() and again.boundary_view.discrete


def test_the_stuck_banner_leaves_when_the_loss_moves_again(make_window):
    """A plateau that training escapes: the banner goes once the last 200 epochs are no
    longer flat, and does not come back in that run; another message is left alone."""
    window = make_window()
    plot, views = window.loss_plot, window.training_views
    epochs = np.arange(0.0, 300.0)
    plot.append(epochs, np.where(epochs < 50, 1.0 - 0.01 * epochs, 0.5), np.full(300, 0.5))
    window._warn_if_stuck(views.latest)
    assert window.banner.isVisible() and "Training is stuck" in window.banner.text()
    later = np.arange(300.0, 400.0)
    plot.append(later, 0.5 - 0.004 * (later - 299), np.full(100, 0.5))    # down again
    window._warn_if_stuck(views.latest)
    assert not window.banner.isVisible()
    plot.append(np.arange(400.0, 700.0), np.full(300, 0.1), np.full(300, 0.5))   # flat again
    window._warn_if_stuck(views.latest)
    assert not window.banner.isVisible()                                 # once per run
