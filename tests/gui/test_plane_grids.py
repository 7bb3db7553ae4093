"""Plane pictures (boundary, heatmaps) are made in the training thread, when the GUI wants them."""
import threading

import numpy as np
import pytest
from PySide6.QtGui import QAction

from gui.main_window import BOUNDARY_RESOLUTION, HEATMAP_RESOLUTION
from gui.training.grids import PlaneGridMaker
from gui.training.worker import TrainingController
from model.config import ExperimentConfig
from model.experiment import build


class CountingGridMaker(PlaneGridMaker):
    """A grid maker that records the thread of every call."""

    def __init__(self, *args):
        super().__init__(*args)
        self.threads = []

    def __call__(self, snapshot):
        self.threads.append(threading.get_ident())
        return super().__call__(snapshot)


@pytest.fixture
def controller(qtbot):
    controller = TrainingController()
    yield controller
    controller.shutdown()


def test_grids_match_a_forward_pass_of_the_snapshot(qtbot, controller):
    experiment = build(ExperimentConfig(hidden_layers=(3, 2)))
    make_grids = PlaneGridMaker(experiment, 10, 6)
    reports = []
    controller.progress.connect(reports.append)
    controller.start(experiment, make_grids)
    controller.step("epoch")
    qtbot.waitUntil(lambda: bool(reports) and reports[-1].grids is not None)
    progress = reports[-1]
    snapshot, grids = progress.snapshot, progress.grids
    assert grids.step == snapshot.step
    net = experiment.net.copy()
    for layer, (w, b) in enumerate(zip(snapshot.weights, snapshot.biases)):
        net.weights[layer], net.biases[layer] = w, b
    _, _, inputs = experiment.plane(10)
    np.testing.assert_allclose(grids.output, net.forward(inputs).output)
    assert [h.shape for h in grids.heatmaps] == [(n, 6, 6) for n in net.sizes]


def test_while_running_grids_are_made_only_when_the_gui_asks(qtbot, controller):
    experiment = build(ExperimentConfig())
    make_grids = CountingGridMaker(experiment, 12, 6)
    reports = []
    controller.progress.connect(reports.append)
    controller.start(experiment, make_grids)
    controller.run()
    qtbot.waitUntil(lambda: len(reports) >= 6, timeout=30000)
    with_grids = [r for r in reports if r.grids is not None]
    assert len(with_grids) == 1                     # the first; nobody asked for more
    controller.want_grids()
    qtbot.waitUntil(lambda: sum(r.grids is not None for r in reports) == 2, timeout=30000)
    controller.pause(wait=True)
    qtbot.waitUntil(lambda: not reports[-1].running)
    last = reports[-1]
    assert last.grids is not None and last.grids.step == last.snapshot.step   # pausing: current
    assert threading.get_ident() not in make_grids.threads                    # all in the worker


def test_the_main_window_paints_grids_it_did_not_compute(qtbot, make_window, monkeypatch):
    makers = []

    def counting(*args):
        maker = CountingGridMaker(*args)
        makers.append(maker)
        return maker

    monkeypatch.setattr("gui.main_window.PlaneGridMaker", counting)
    window = make_window(ExperimentConfig())
    shown = []
    monkeypatch.setattr(window.boundary_view, "set_output",
                        lambda output, resolution: shown.append((output, resolution)))
    run = window.findChild(QAction, "actionRun")
    run.trigger()
    qtbot.waitUntil(lambda: len(shown) >= 3 and window.latest_snapshot().epoch >= 5, timeout=15000)
    run.trigger()
    window.pause_training()
    maker = makers[-1]
    gui_thread = threading.get_ident()
    assert maker.threads[0] == gui_thread                  # the first picture, before the worker
    assert gui_thread not in maker.threads[1:] and len(maker.threads) >= 3
    assert all(resolution == BOUNDARY_RESOLUTION for _, resolution in shown)
    assert HEATMAP_RESOLUTION < BOUNDARY_RESOLUTION


def test_a_batch_norm_network_is_drawn_with_its_own_statistics(qtbot):
    """The boundary is the evaluation-mode network: γ, β and the running statistics included."""
    config = ExperimentConfig(dataset="spiral", hidden_layers=(6, 5), batch_norm=(True, True),
                              dropout=(0.2, 0.0))
    experiment = build(config)
    list(experiment.trainer.run(epochs=3))
    snapshot = experiment.trainer.snapshot()
    grids = PlaneGridMaker(experiment, 12, 6)(snapshot)
    _, _, inputs = experiment.plane(12)
    np.testing.assert_allclose(grids.output, experiment.net.predict(inputs), rtol=0, atol=1e-12)
    assert not np.allclose(experiment.net.running_vars[0], 1.0)        # really trained statistics


def test_the_workers_coloured_pictures_are_what_the_window_would_colour(qtbot, make_window):
    """The worker colours the node pictures (the GUI thread only paints): hidden columns on the
    diverging scale, the output in the boundary's colours — at the boundary's regression scale."""
    from gui.network.pictures import node_colours
    from gui.widgets.boundary_view import output_node_rgba
    window = make_window(ExperimentConfig(dataset="plane", hidden_layers=(3,), activations=("tanh",),
                                          output_activation="linear", loss="mse", noise=0.3))
    view = window.boundary_view
    assert view.scale != 1.0                           # max |y| of this data: the scale matters
    grids = PlaneGridMaker(window.experiment, BOUNDARY_RESOLUTION, HEATMAP_RESOLUTION)(
        window.training_views.latest)
    expected = node_colours(grids.heatmaps, lambda v: output_node_rgba(v, view.task, view.scale))
    assert len(grids.heatmap_colours) == 3
    for made, wanted in zip(grids.heatmap_colours, expected):
        np.testing.assert_array_equal(made, wanted)
    assert not np.array_equal(grids.heatmap_colours[-1],
                              node_colours(grids.heatmaps, lambda v: output_node_rgba(v, "regression"))[-1])
