"""The landscape workspace shows model.landscape's numbers for the network being trained."""
import time

import numpy as np
import pytest
from PySide6.QtGui import QAction

from gui.landscape.views import log_loss_image
from gui.landscape.workspace import LandscapeWorkspace
from model.config import ExperimentConfig
from model.gradient_health import gradient_health
from model.landscape import loss_surface, project, step_line

CONFIG = ExperimentConfig().replace(dataset="spiral", samples=120, hidden_layers=(6, 4),
                                    learning_rate=0.1)


def train_epochs(qtbot, window, workspace, epochs: int) -> None:
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for epoch in range(1, epochs + 1):
        window.findChild(QAction, "actionStep").trigger()
        qtbot.waitUntil(lambda: window.latest_snapshot().epoch == epoch)


def shown_result(qtbot, workspace, epoch: int):
    qtbot.waitUntil(lambda: workspace.panel.result is not None
                    and workspace.panel.result.request.epoch == epoch and not workspace.controller.busy,
                    timeout=10000)
    return workspace.panel.result


def test_the_plotted_surface_is_the_landscape_of_the_trained_network(qtbot, make_window):
    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    window.findChild(QAction, "actionLandscape").trigger()
    assert workspace.dock.isVisible()
    train_epochs(qtbot, window, workspace, 4)
    result = shown_result(qtbot, workspace, 4)

    net = window.current_network()
    trainer = window.experiment.trainer
    X, Y = trainer.train_inputs, trainer.train_targets
    assert len(workspace.path) == 5                        # the start and four epochs
    np.testing.assert_array_equal(workspace.path[-1], net.params)
    expected = loss_surface(net, X, Y, "pca", span=result.surface.alphas[-1], resolution=41,
                            trajectory=workspace.path)
    assert result.surface.kind == "pca"
    np.testing.assert_allclose(result.surface.loss, expected.loss, rtol=1e-12)
    # what is painted: log10 of those losses, α along x
    view = workspace.panel.surface_view
    np.testing.assert_allclose(view.image.image, log_loss_image(expected.loss), rtol=1e-12)
    assert view.image.image[7, 3] == pytest.approx(np.log10(expected.loss[3, 7]))
    coords, _ = project(workspace.path, expected)
    np.testing.assert_allclose(np.column_stack(view.path.getData()), coords, atol=1e-9)
    np.testing.assert_allclose(np.column_stack(view.current.getData()), [[0.0, 0.0]], atol=1e-9)
    # the path fits inside the surface it is drawn on
    assert np.abs(coords).max() < result.surface.alphas[-1]
    explained = expected.explained
    assert f"{explained[0]:.0%}" in workspace.panel.surface_info.text()

    line = step_line(net, X, Y, CONFIG.learning_rate)
    step = workspace.panel.step_view
    np.testing.assert_allclose(step.curve.getData()[1], line.losses, rtol=1e-12)
    assert step.rate.value() == pytest.approx(CONFIG.learning_rate)
    health = gradient_health(net, X, Y)
    assert f"{health.dead[0]:.0%} dead" in workspace.panel.health_info.text()
    assert len(workspace.panel.health_view.epochs) == 5
    assert len(workspace.panel.health_view.curves) == 3


def test_random_directions_and_a_new_run(qtbot, make_window):
    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    workspace.open()
    result = shown_result(qtbot, workspace, 0)
    assert result.surface.kind == "random"                 # one point: no PCA yet
    assert "random directions" in workspace.panel.surface_info.text()
    workspace.panel.directions.setCurrentIndex(workspace.panel.directions.findData("random"))
    train_epochs(qtbot, window, workspace, 2)
    result = shown_result(qtbot, workspace, 2)
    net = window.current_network()
    trainer = window.experiment.trainer
    expected = loss_surface(net, trainer.train_inputs, trainer.train_targets, "random", resolution=41)
    np.testing.assert_allclose(result.surface.loss, expected.loss, rtol=1e-12)
    window.reset()
    assert len(workspace.path) == 1 and len(workspace.panel.health_view.epochs) == 1


def test_clicking_the_surface_previews_the_boundary_at_those_weights(qtbot, make_window):
    from PySide6.QtCore import QPointF, Qt

    from gui.widgets.boundary_view import IMAGE_LIGHTEN, output_rgb

    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    workspace.open()
    train_epochs(qtbot, window, workspace, 3)
    result = shown_result(qtbot, workspace, 3)
    view = workspace.panel.surface_view
    alpha, beta = 0.4 * result.surface.alphas[-1], -0.3 * result.surface.betas[-1]
    scene_point = view.getPlotItem().vb.mapViewToScene(QPointF(alpha, beta))
    with qtbot.waitSignal(view.pointClicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene_point))
    clicked_alpha, clicked_beta = clicked.args
    pixel_width, pixel_height = view.getPlotItem().vb.viewPixelSize()     # clicks land on whole pixels
    assert clicked_alpha == pytest.approx(alpha, abs=1.5 * pixel_width)
    assert clicked_beta == pytest.approx(beta, abs=1.5 * pixel_height)

    net = window.current_network()
    net.params[:] = result.surface.point(clicked_alpha, clicked_beta)
    _, _, plane = window.experiment.plane(50)
    preview = workspace.panel.preview
    rgb = output_rgb(net.predict(plane), preview.task, preview.scale)
    expected = (rgb + (255.0 - rgb) * IMAGE_LIGHTEN).reshape(50, 50, 3).astype(np.uint8)
    np.testing.assert_array_equal(preview.image.image, expected)
    trainer = window.experiment.trainer
    loss = net.loss(trainer.train_inputs, trainer.train_targets)
    assert f"training loss is {loss:.4g}" in workspace.panel.preview_info.text()
    assert list(view.marker.getData()[0]) == [clicked_alpha]


def test_two_clicked_edges_give_an_exact_slice_of_those_weights(qtbot, make_window):
    from PySide6.QtCore import QPoint

    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    workspace.open()
    panel = workspace.panel
    panel.directions.setCurrentIndex(panel.directions.findData("weights"))
    train_epochs(qtbot, window, workspace, 2)
    result = shown_result(qtbot, workspace, 2)
    assert "Click two edges" in panel.surface_info.text()
    for edge in ((0, 1, 2), (1, 3, 0)):        # clicks on two edges of the diagram
        window.network_view._click(("edge", *edge), QPoint(20, 20))
        window.network_view.value_editor.close_editor()
    assert workspace.weights == [(0, 1, 2), (1, 3, 0)]
    qtbot.waitUntil(lambda: panel.result.request.weights == ((0, 1, 2), (1, 3, 0))
                    and not workspace.controller.busy, timeout=10000)
    result = panel.result
    assert "An exact slice" in panel.surface_info.text()
    assert panel.surface_view.getPlotItem().getAxis("bottom").labelText == "ΔW[0][1, 2]"
    net = window.current_network()
    trainer = window.experiment.trainer
    surface = result.surface
    for i, j in ((0, 0), (3, 17), (40, 40), (20, 20)):
        twin = net.copy()
        twin.weights[0][1, 2] = net.weights[0][1, 2] + surface.alphas[i]
        twin.weights[1][3, 0] = net.weights[1][3, 0] + surface.betas[j]
        assert surface.loss[i, j] == pytest.approx(twin.loss(trainer.train_inputs, trainer.train_targets),
                                                   rel=1e-12)
    # the path shows the two weights' own changes
    changes = [net.split(params)[0][0][1, 2] - net.weights[0][1, 2] for params in workspace.path]
    np.testing.assert_allclose(result.path_coords[:, 0], changes, atol=1e-12)


def test_the_landscape_runs_on_the_one_background_worker_and_stops_with_the_window(qtbot, make_window):
    from gui.training.background import Background
    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    assert isinstance(workspace.controller, Background)
    window.findChild(QAction, "actionLandscape").trigger()
    train_epochs(qtbot, window, workspace, 1)
    shown_result(qtbot, workspace, 1)
    thread = workspace.controller.thread
    assert thread is not None and thread.isRunning()
    window.close()
    assert thread.isFinished() and workspace.controller.thread is None


def test_the_exact_slice_shows_the_gradient_momentum_velocity_and_next_step_arrows(qtbot, make_window):
    from PySide6.QtCore import QPoint

    from model.landscape import slice_steps, unit_direction

    window = make_window(CONFIG.replace(optimizer="momentum", learning_rate=0.05))
    workspace = window.workspace(LandscapeWorkspace)
    workspace.open()
    panel = workspace.panel
    panel.directions.setCurrentIndex(panel.directions.findData("weights"))
    for edge in ((0, 1, 2), (1, 3, 0)):
        window.network_view._click(("edge", *edge), QPoint(20, 20))
        window.network_view.value_editor.close_editor()
    train_epochs(qtbot, window, workspace, 2)
    result = shown_result(qtbot, workspace, 2)
    assert result.request.weights == ((0, 1, 2), (1, 3, 0))
    net, trainer = window.current_network(), window.experiment.trainer
    pair = (unit_direction(net, 0, 1, 2), unit_direction(net, 1, 3, 0))
    expected = slice_steps(net, trainer.train_inputs, trainer.train_targets, pair, trainer.optimizer)
    assert [name for name, _ in result.steps.steps] == ["−η·∇L", "velocity v", "momentum step"]
    for (_, shown), (_, wanted) in zip(result.steps.steps, expected.steps):
        np.testing.assert_allclose(shown, wanted, rtol=1e-10)
    # the arrows start at the weights now, all scaled alike, the longest a third of the half-width
    drawn = [line.getData() for _, line, _ in panel.surface_view.arrows]
    assert len(drawn) == 3
    vectors = np.array([[x[1] - x[0], y[1] - y[0]] for x, y in drawn])
    assert all(x[0] == 0 and y[0] == 0 for x, y in drawn)
    ratios = vectors / np.array([v for _, v in expected.steps])
    np.testing.assert_allclose(ratios, ratios[0, 0], rtol=1e-8)
    assert np.hypot(*vectors.T).max() == pytest.approx(0.3 * result.surface.alphas[-1])
    text = panel.surface_info.text()
    assert f"∂L/∂w₁ = {expected.gradient[0]:.3g}" in text and "v ← μ·v − η·∂L/∂w" in text


def test_surfaces_that_follow_training_take_a_bounded_share_of_the_worker(qtbot, make_window):
    """Made back to back on the one worker, surfaces halved training's speed: now each waits
    until the last one's cost is at most SURFACE_SHARE of the time since (and MIN_INTERVAL)."""
    from gui.landscape import workspace as landscape
    window = make_window(CONFIG)
    workspace = window.workspace(LandscapeWorkspace)
    window.findChild(QAction, "actionLandscape").trigger()
    asked, made = [], []
    submit = workspace.controller.submit
    workspace.controller.submit = lambda request: (asked.append(time.perf_counter()), submit(request))
    workspace.controller.resultReady.connect(lambda result: made.append((time.perf_counter(),
                                                                        result.seconds)))
    window.set_pace("fastest")
    window.findChild(QAction, "actionRun").trigger()
    qtbot.waitUntil(lambda: len(made) >= 4, timeout=20000)
    window.pause_training()
    assert all(seconds > 0 for _, seconds in made)
    for (done, seconds), next_ask in zip(made, asked[1:]):
        wait = max(landscape.MIN_INTERVAL, seconds * (1 / landscape.SURFACE_SHARE - 1))
        assert next_ask - done >= wait - 0.02          # the timer's millisecond rounding
