"""The decision-boundary view: colours, heatmap orientation, points, clicks, plane evaluation."""
import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gui.training.grids import PlaneEvaluator
from gui.widgets.boundary_view import (BLUE, ORANGE, BoundaryView, class_colours,
                                       diverging, output_rgb)
from model.config import ExperimentConfig
from model.datasets import RADIUS
from model.experiment import build


def test_diverging_map_ends_and_middle():
    rgb = diverging(np.array([0.0, 0.5, 1.0, -3.0, 7.0, np.nan]))
    assert np.allclose(rgb[0], ORANGE) and np.allclose(rgb[2], BLUE)
    assert np.all(rgb[1] > 225)                         # near white at the boundary
    assert np.allclose(rgb[3], ORANGE) and np.allclose(rgb[4], BLUE) and np.all(rgb[5] > 225)


def test_multiclass_blends_class_colours_by_probability():
    probabilities = np.array([[1, 0, 0], [0, 0, 1], [0.5, 0.5, 0]], dtype=float)
    rgb = output_rgb(probabilities, "multiclass")
    colours = class_colours(3)
    assert np.allclose(rgb[0], colours[0]) and np.allclose(rgb[1], colours[2])
    assert np.allclose(rgb[2], (colours[0] + colours[1]) / 2)


def test_regression_scale_is_symmetric():
    rgb = output_rgb(np.array([[-2.0], [0.0], [2.0]]), "regression", scale=2.0)
    assert np.allclose(rgb[0], ORANGE) and np.allclose(rgb[2], BLUE)


def test_plane_evaluator_matches_the_network_and_reshapes_row_major():
    experiment = build(ExperimentConfig())
    evaluator = PlaneEvaluator(experiment, 8)
    net = experiment.net
    snapshot = experiment.trainer.snapshot()
    activations = evaluator.evaluate(snapshot)
    assert np.allclose(activations[-1], net.predict(evaluator.inputs))
    images = evaluator.images(activations)
    assert [im.shape for im in images] == [(2, 8, 8), (4, 8, 8), (2, 8, 8), (1, 8, 8)]
    # image[0] of column 0 is x1: it grows along the last axis (ix); x2 along rows (iy)
    assert np.allclose(images[0][0][0], evaluator.xs) and np.allclose(images[0][1][:, 0], evaluator.ys)
    # the evaluator's copy is independent of the trained network
    evaluator.evaluate(dataclasses.replace(snapshot, params=snapshot.params * 0))
    assert np.any(net.weights[0] != 0)


@pytest.fixture
def view(qtbot):
    view = BoundaryView()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def show_circle(view):
    experiment = build(ExperimentConfig())
    split = experiment.split
    view.set_data(split.train_points, split.train_targets, split.test_points, split.test_targets,
                  experiment.task, (-RADIUS, RADIUS))
    return experiment


def test_points_are_coloured_by_class(view):
    experiment = show_circle(view)
    spots = view.train_points.points()
    assert len(spots) == len(experiment.split.train_points)
    first_class = experiment.split.train_targets[0, 0]
    colour = spots[0].brush().color()
    expected = BLUE if first_class == 1 else ORANGE
    assert (colour.red(), colour.green(), colour.blue()) == tuple(expected.astype(int))
    assert view.objectName() == "boundaryView"


def test_heatmap_orientation_and_extent(view):
    show_circle(view)
    res = 10
    xs = np.linspace(-RADIUS, RADIUS, res)
    gx, _ = np.meshgrid(xs, xs)
    view.set_output((gx.ravel() > 0).astype(float)[:, None], res)   # blue right of x = 0
    image = view.image.image
    assert image.shape == (res, res, 3)
    assert image[0, -1, 2] > image[0, 0, 2]                          # right side bluer
    rect = view.image.mapRectToParent(view.image.boundingRect())
    assert rect.left() == pytest.approx(-RADIUS) and rect.width() == pytest.approx(2 * RADIUS)


def test_test_points_toggle(view):
    show_circle(view)
    assert view.test_points.isVisible()
    view.set_show_test(False)
    assert not view.test_points.isVisible()


def test_clicking_a_point_emits_its_row_and_focus_ring(view, qtbot):
    show_circle(view)
    spot = view.test_points.points()[5]
    with qtbot.waitSignal(view.sampleClicked) as blocker:
        view.test_points.sigClicked.emit(view.test_points, [spot], None)
    assert blocker.args == ["test", 5]
    view.set_focus(("test", 5))
    assert np.allclose(view.focus_ring.getData()[0], spot.pos().x())
    view.set_focus(None)
    assert len(view.focus_ring.points()) == 0


# QTest's synthetic press/release are handled by pyqtgraph's scene, which Qt reports as "not accepted"
@pytest.mark.qt_log_ignore("Mouse event .* not accepted")
def test_real_mouse_click_on_a_point(view, qtbot):
    show_circle(view)
    spot = view.train_points.points()[0]
    scene = view.getPlotItem().vb.mapViewToScene(spot.pos())
    pos = view.mapFromScene(scene)
    with qtbot.waitSignal(view.sampleClicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=pos)
    assert blocker.args[0] in ("train", "test")
