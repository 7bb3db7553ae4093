"""Issue 10.7: the output node's picture uses the decision boundary's colours; three classes
carry their class colours; training points read on a light background, above the test points."""
import numpy as np
from PySide6.QtGui import QColor

from gui.widgets.boundary_view import CLASS_COLOURS, IMAGE_LIGHTEN, output_node_rgba
from gui.widgets.colors import NEGATIVE, POSITIVE
from model.config import ExperimentConfig


def lighten(rgb):
    rgb = np.asarray(rgb, dtype=np.float64)
    return np.rint(rgb + (255 - rgb) * IMAGE_LIGHTEN)


def test_binary_output_pictures_use_the_boundary_scale():
    values = np.array([[[0.0, 0.5], [1.0, 0.25]]])                  # one output node, 2 × 2
    rgba = output_node_rgba(values, "binary")
    assert rgba.shape == (1, 2, 2, 4) and rgba.dtype == np.uint8 and (rgba[..., 3] == 255).all()
    np.testing.assert_array_equal(rgba[0, 0, 0, :3], lighten(NEGATIVE))      # ŷ = 0: class 0
    np.testing.assert_array_equal(rgba[0, 1, 0, :3], lighten(POSITIVE))      # ŷ = 1: class 1
    assert (rgba[0, 0, 1, :3] >= 235).all()                                  # ŷ = ½: light neutral


def test_three_output_nodes_carry_their_class_colours():
    values = np.zeros((3, 1, 2))
    values[:, 0, 1] = 1.0                                            # p_u = 1 in the right pixel
    rgba = output_node_rgba(values, "multiclass")
    for unit in range(3):
        np.testing.assert_array_equal(rgba[unit, 0, 1, :3], lighten(CLASS_COLOURS[unit]))
        np.testing.assert_array_equal(rgba[unit, 0, 0, :3], [255, 255, 255])     # p_u = 0


def test_the_windows_output_node_matches_the_boundary(qtbot, make_window):
    window = make_window()
    output_column = window.network_view.node_items[-1]
    picture = output_column._pixmap.toImage()
    boundary = window.boundary_view.image.image                     # (res, res, 3), row 0 = low y
    corners = {(0, 0): boundary[-1, 0], (picture.width() - 1, 0): boundary[-1, -1],
               (0, picture.height() - 1): boundary[0, 0]}
    for (x, y), expected in corners.items():                        # the same plane points
        colour = QColor(picture.pixel(x, y))
        assert np.abs(np.array(colour.getRgb()[:3]) - expected).max() <= 1, (x, y)


def test_training_points_are_outlined_dark_and_drawn_above_test_points(make_window):
    window = make_window(ExperimentConfig(dataset="three_blobs", output_activation="softmax",
                                          loss="cross_entropy"))
    view = window.boundary_view
    assert view.train_points.zValue() > view.test_points.zValue()
    outline = view.train_points.opts["pen"].color()
    assert outline.lightness() < 80                                  # dark on the light heatmap
    rings = {tuple(p.pen().color().getRgb()[:3]) for p in view.test_points.points()}
    assert rings <= {tuple(int(c) for c in rgb) for rgb in CLASS_COLOURS[:3]}
    assert all(p.brush().color().alpha() == 0 for p in view.test_points.points())   # hollow
