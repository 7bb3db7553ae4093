"""NetworkView: structure, painting, heatmaps, edge modes and walkthrough annotations."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF

from gui.widgets.colors import NEGATIVE, NEUTRAL, POSITIVE, values_to_rgba
from gui.network.edges import EdgeLayerItem, style_keys
from gui.network.items import LabelItem
from gui.network.layout import NetworkLayout, point_segment_distances
from gui.network.tooltips import number
from gui.network.view import NetworkView
from network_view_testing import (QT_LOG_IGNORE, edge_thickness, grab, hue_side, make_view,
                                  parameters, pixel)

pytestmark = QT_LOG_IGNORE


# --- pure geometry and colours --------------------------------------------------------

def test_layout_counts_nodes_and_edges():
    layout = NetworkLayout([2, 8, 8, 1])
    assert [len(c) for c in layout.centres] == [2, 8, 8, 1]
    assert [len(s) for s in layout.segments] == [16, 64, 8]
    x0, y0, x1, y1 = layout.segments[1][3 * 8 + 5]          # W[1][3, 5]
    assert y0 == pytest.approx(layout.centres[1][3]) and y1 == pytest.approx(layout.centres[2][5])
    assert x0 < x1


def test_nearest_edge_finds_the_edge_under_a_point_of_it():
    layout = NetworkLayout([3, 4, 2])
    for layer, i, j in [(0, 2, 1), (1, 3, 0), (0, 0, 3)]:
        x0, y0, x1, y1 = layout.segments[layer][i * layout.sizes[layer + 1] + j]
        x, y = x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0)   # (midpoints of crossing edges coincide)
        found = layout.nearest_edge(x, y)
        assert found[:3] == (layer, i, j) and found[3] == pytest.approx(0, abs=1e-9)


def test_point_segment_distance_matches_hand_computation():
    segments = np.array([[0.0, 0.0, 10.0, 0.0], [0.0, 0.0, 0.0, 10.0]])
    assert point_segment_distances(segments, 5.0, 3.0) == pytest.approx([3.0, 5.0])
    assert point_segment_distances(segments, -4.0, -3.0) == pytest.approx([5.0, 5.0])


def test_diverging_map_ends_and_middle():
    rgba = values_to_rgba(np.array([-1.0, 0.0, 1.0, 5.0]))
    assert tuple(rgba[0, :3]) == NEGATIVE and tuple(rgba[2, :3]) == POSITIVE
    assert tuple(rgba[3, :3]) == POSITIVE                    # clipped
    assert np.abs(rgba[1, :3].astype(int) - NEUTRAL).max() <= 2 and rgba.dtype == np.uint8


def test_style_keys_order_by_magnitude_and_sign():
    keys = style_keys(np.array([0.01, -0.01, 0.9, -0.9]), 1.0)
    assert keys[0] < keys[2] and keys[1] < keys[3]          # stronger → later bucket
    assert keys[0] % 2 == 0 and keys[1] % 2 == 1            # sign in the low bit


# --- structure and painting ------------------------------------------------------------

def test_structure_builds_one_item_per_layer_and_column(qtbot):
    view = make_view(qtbot, (2, 8, 8, 1))
    assert view.objectName() == "networkView"
    assert [item.edge_count for item in view.edge_items] == [16, 64, 8]
    assert [item.unit_count for item in view.node_items] == [2, 8, 8, 1]
    assert len(view.neuron_buttons) == 2
    with pytest.raises(ValueError, match="one activation name per weight layer"):
        view.set_structure([2, 3, 1], ["a", "b"], ["tanh"])


def test_sign_flip_changes_edge_colour(qtbot):
    view = make_view(qtbot)
    weights, biases = [np.array([[0.8, 0.8]]), np.array([[0.5], [0.5]])], [np.zeros(2), np.zeros(1)]
    view.show_parameters(weights, biases)
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 0))
    assert hue_side(pixel(grab(view), point)) == "blue"
    weights[0][0, 0] = -0.8
    view.show_parameters(weights, biases)
    assert hue_side(pixel(grab(view), point)) == "orange"


def test_heavier_weight_paints_a_wider_edge(qtbot):
    view = make_view(qtbot)
    biases = [np.zeros(2), np.zeros(1)]
    view.show_parameters([np.array([[0.05, 0.05]]), np.ones((2, 1))], biases)
    thin = edge_thickness(view, 0, 0, 0)
    view.show_parameters([np.array([[1.0, 0.05]]), np.ones((2, 1))], biases)
    thick = edge_thickness(view, 0, 0, 0)
    assert thin >= 1 and thick >= thin + 2


def test_bias_marker_coloured_by_sign(qtbot):
    view = make_view(qtbot)
    weights = [np.ones((1, 2)), np.ones((2, 1))]
    view.show_parameters(weights, [np.array([0.7, -0.7]), np.zeros(1)])
    column = view.node_items[1]
    assert hue_side(column.bias_color(0)) == "blue" and hue_side(column.bias_color(1)) == "orange"
    x, y, w, h = view.layout.bias_rect(1, 1)
    assert hue_side(pixel(grab(view), view.scene_to_viewport(x + w / 2, y + h / 2))) == "orange"


def test_stale_shapes_are_ignored(qtbot):
    view = make_view(qtbot)
    weights, biases = parameters([1, 2, 1])
    view.show_parameters(weights, biases)
    before = grab(view)
    view.show_parameters(*parameters([1, 3, 1]))            # an old snapshot: no crash, no change
    assert grab(view) == before


def test_diverged_parameters_paint_without_error(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    weights, biases = parameters([2, 3, 1])
    weights[0][0, 0], weights[0][1, 1], biases[0][2] = np.nan, np.inf, -np.inf
    view.show_parameters(weights, biases)
    view.show_heatmaps([np.full((n, 8, 8), np.nan) for n in (2, 3, 1)])
    assert not grab(view).isNull()
    x, y = view.layout.edge_midpoint(1, 0, 0)
    assert number(weights[1][0, 0]) in view.hover_text_at(QPointF(x, y))


def test_feature_keys_are_shown_with_their_labels(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    view.set_structure([3, 2, 1], ["x1", "x1^2", "age"], ["relu", "sigmoid"])
    x, y, s, _ = view.layout.node_rect(0, 1)
    assert "X₁²" in view.hover_text_at(QPointF(x + s / 2, y + s / 2))
    x, y, s, _ = view.layout.node_rect(0, 2)
    assert "age" in view.hover_text_at(QPointF(x + s / 2, y + s / 2))


def test_heatmaps_drawn_inside_nodes_with_y_up(qtbot):
    view = make_view(qtbot, (2, 2, 1), size=(700, 500))
    res = 16
    ramp = np.linspace(-1, 1, res)
    x_feature = np.tile(ramp, (res, 1))                      # row = y, column = x
    y_feature = x_feature.T                                 # row 0 = lowest y
    images = [np.stack([x_feature, y_feature]), np.zeros((2, res, res)), np.zeros((1, res, res))]
    view.show_heatmaps(images)
    image = grab(view)
    x, y, s, _ = view.layout.node_rect(0, 0)
    left = pixel(image, view.scene_to_viewport(x + 0.15 * s, y + s / 2))
    right = pixel(image, view.scene_to_viewport(x + 0.85 * s, y + s / 2))
    assert hue_side(left) == "orange" and hue_side(right) == "blue"
    x, y, s, _ = view.layout.node_rect(0, 1)
    top = pixel(image, view.scene_to_viewport(x + s / 2, y + 0.15 * s))
    bottom = pixel(image, view.scene_to_viewport(x + s / 2, y + 0.85 * s))
    assert hue_side(top) == "blue" and hue_side(bottom) == "orange"
    view.show_heatmaps(None)
    assert not any(item.has_heatmaps for item in view.node_items)


def test_wide_network_builds_and_paints(qtbot):
    sizes = [2] + [64] * 6 + [1]
    view = make_view(qtbot, sizes, size=(1000, 640))
    rng = np.random.default_rng(1)
    view.show_parameters(*parameters(sizes))
    view.show_heatmaps([np.tanh(rng.normal(size=(n, 20, 20))) for n in sizes])
    image = grab(view)
    assert sum(item.edge_count for item in view.edge_items) == 2 * 64 + 5 * 64 * 64 + 64
    sides = {hue_side(image.pixelColor(x, y)) for x in range(0, 1000, 7) for y in range(0, 640, 7)}
    assert {"blue", "orange"} <= sides
    dense = view.edge_items[2]
    assert 0 < dense.last_drawn <= dense.budget                # level of detail is active


def test_dense_layer_draws_its_strongest_edges(qtbot):
    segments = NetworkLayout([64, 64]).segments[0]
    item = EdgeLayerItem(segments, 0.5, 4.0, budget=100)
    values = np.linspace(-1, 1, len(segments))
    item.set_values(values, 1.0)
    lines, bounds = item._selection(item.boundingRect().adjusted(-1, -1, 1, 1), 0.0, 100)
    assert bounds[-1] == 100
    chosen = {tuple(row) for row in lines[:100]}
    strongest = np.argsort(-np.abs(values))[:100]
    assert chosen == {tuple(segments[k]) for k in strongest}


# --- modes and annotations ------------------------------------------------------------------

def test_gradient_mode_styles_edges_by_gradient(qtbot):
    view = make_view(qtbot)
    weights = [np.array([[0.8, 0.8]]), np.array([[0.8], [0.8]])]
    gradients = [np.array([[-0.5, 0.01]]), np.array([[0.2], [0.2]])]
    biases = [np.zeros(2), np.zeros(1)]
    view.show_parameters(weights, biases, gradients, biases)
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 0))
    assert hue_side(pixel(grab(view), point)) == "blue"
    view.set_edge_mode("gradient")
    assert hue_side(pixel(grab(view), point)) == "orange"
    item = view.edge_items[0]
    assert item.style_of(0)[1] > item.style_of(1)[1]          # |∂L/∂w| sets the width
    view.set_edge_mode("weight")
    assert hue_side(pixel(grab(view), point)) == "blue"
    with pytest.raises(ValueError):
        view.set_edge_mode("bogus")


def test_set_edge_values_labels_and_restores(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    view.show_parameters(*parameters([2, 3, 1]))
    values = np.array([[0.5, -1.25, 0.0], [2.0, 0.125, -0.75]])
    view.set_edge_values(0, values)
    assert sorted(view.edge_label_texts(0)) == sorted(["0.5", "−1.25", "0", "2", "0.125", "−0.75"])
    assert view.edge_items[0].style_of(1)[0] != view.edge_items[0].style_of(0)[0]
    view.set_focus([1, 2], unit=(1, 1))                         # only the focused unit's edges
    assert sorted(view.edge_label_texts(0)) == ["0.125", "−1.25"]
    view.set_edge_values(0, values, label=False)
    assert view.edge_label_texts(0) == []
    view.set_edge_values(0, None)
    assert view.edge_label_texts(0) == []
    with pytest.raises(ValueError, match="need shape"):
        view.set_edge_values(0, np.zeros(5))


def test_edge_labels_are_painted(qtbot):
    view = make_view(qtbot, (1, 1))
    view.show_parameters([np.array([[0.3]])], [np.zeros(1)])
    before = grab(view)
    view.set_edge_values(0, np.array([[12.5]]))
    after = grab(view)
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 0))
    diff = sum(before.pixelColor(point.x() + dx, point.y() + dy) != after.pixelColor(
        point.x() + dx, point.y() + dy) for dx in range(-60, 60, 2) for dy in range(-10, 10, 2))
    assert diff > 20


def test_node_texts_and_focus(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    view.set_node_texts(1, ["z=0.1", "z=0.2", "z=0.3"])
    assert view.node_texts(1) == ["z=0.1", "z=0.2", "z=0.3"]
    view.set_focus([0, 1], unit=(1, 2))
    assert view.node_items[2].opacity() < 1 and view.node_items[1].opacity() == 1
    assert view.focused_unit == (1, 2)
    view.clear_annotations()
    assert view.node_texts(1) == [] and view.node_items[2].opacity() == 1
    assert view.focused_unit is None
    with pytest.raises(ValueError):
        view.set_node_texts(1, ["only one"])


def _viewport_rect(view, item) -> QRectF:
    return item.boundingRect().translated(view.mapFromScene(item.pos()))


def _node_rects(view) -> dict[tuple[int, int], QRectF]:
    rects = {}
    for column, units in enumerate(view.layout.sizes):
        for unit in range(units):
            x, y, s, _ = view.layout.node_rect(column, unit)
            top_left, bottom_right = view.mapFromScene(QPointF(x, y)), view.mapFromScene(QPointF(x + s, y + s))
            rects[column, unit] = QRectF(top_left, bottom_right)
    return rects


def test_a_node_text_that_would_cover_the_next_column_goes_to_the_left_of_its_node(qtbot):
    """In a cramped diagram a wide text right of a node reached the next column's node."""
    view = make_view(qtbot, (2, 3, 1), size=(520, 300))
    texts = ["z=−0.123456789"] * 3
    view.set_node_texts(1, texts)
    labels = [item for item in view.scene().items()
              if isinstance(item, LabelItem) and item.text == texts[0]]
    nodes = _node_rects(view)
    sides = set()
    for label in labels:
        box = _viewport_rect(view, label)
        assert not any(box.intersects(rect) for rect in nodes.values()), "a text covers a node"
        sides.add("left" if box.right() <= nodes[1, 0].left() else "right")
    assert "left" in sides                      # the middle one would reach the output node
    assert len(labels) == 3


def test_filling_the_width_spreads_the_columns_and_keeps_what_the_view_shows(qtbot):
    """The walkthrough fills a wide, short pane: the columns move apart so a number fits beside
    each node; the parameters, pictures and sample shown stay, annotations go (relaidOut)."""
    sizes = (2, 6, 4, 1)
    view = make_view(qtbot, sizes, size=(760, 300))
    weights, biases = parameters(sizes)
    view.show_parameters(weights, biases)
    view.show_heatmaps([np.full((n, 4, 4), 0.5) for n in sizes])
    view.set_node_texts(1, ["z"] * 6)

    def gap() -> float:
        return float(view.layout.column_x[1] - view.layout.column_x[0]) * view.current_scale()

    before = gap()
    with qtbot.waitSignal(view.relaidOut):
        view.set_fill_width(True)
    assert gap() > 1.3 * before
    assert view.node_texts(1) == []
    assert hue_side(pixel(grab(view), view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 0)))) == \
        ("blue" if weights[0][0, 0] > 0 else "orange")
    assert view.node_items[1].has_heatmaps
    wide = view.layout.aspect
    view.resize(760, 600)                      # a taller pane: laid out again for its shape
    qtbot.waitUntil(lambda: view.layout.aspect < wide / 1.5)
    view.set_fill_width(False)
    assert view.layout.aspect is None


def test_focus_dims_edges_outside(qtbot):
    view = make_view(qtbot)
    view.show_parameters([np.array([[0.9, 0.9]]), np.array([[0.9], [0.9]])],
                         [np.zeros(2), np.zeros(1)])
    point = view.scene_to_viewport(*view.layout.edge_midpoint(1, 0, 0))
    bright = pixel(grab(view), point)
    view.set_focus([0, 1])
    dim = pixel(grab(view), point)
    assert dim.saturation() < bright.saturation() - 60


def test_animate_parameters_reaches_the_target(qtbot):
    view = make_view(qtbot)
    biases = [np.zeros(2), np.zeros(1)]
    view.show_parameters([np.array([[0.9, 0.9]]), np.ones((2, 1))], biases)
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 0))
    view.animate_parameters([np.array([[-0.9, 0.9]]), np.ones((2, 1))], biases, duration_ms=120)
    assert view.is_animating()
    qtbot.waitUntil(lambda: not view.is_animating(), timeout=3000)
    assert hue_side(pixel(grab(view), point)) == "orange"


def test_sample_values_written_under_small_layers(qtbot):
    view = make_view(qtbot)
    view.show_sample([np.array([0.5]), np.array([0.25, -0.5]), np.array([0.75])])
    assert "0.25" in view.hover_text_at(QPointF(*view.layout.node_rect(1, 0)[:2]) +
                                        QPointF(5, 5))
    view.show_sample(None)
    assert "click a data point" in view.hover_text_at(
        QPointF(*view.layout.node_rect(1, 0)[:2]) + QPointF(5, 5))


def test_filling_the_width_lays_the_columns_out_again_only_when_the_shape_changes_by_15_percent(qtbot):
    """A pane dragged a little keeps its diagram (and the walkthrough's texts on it); one whose
    width / height moves past RELAYOUT_FACTOR gets its columns laid out for the new shape."""
    from gui.network.width_filling import RELAYOUT_FACTOR
    view = make_view(qtbot, (2, 6, 4, 1), size=(760, 300))
    view.set_fill_width(True)
    view.set_node_texts(1, ["z"] * 6)
    laid_out = view.layout.aspect

    def node_area_aspect() -> float:      # what the viewport offers, around the diagram's margins
        left, top, right, bottom = view._diagram.fit_margins()
        return (view.viewport().width() - left - right) / (view.viewport().height() - top - bottom)

    with qtbot.assertNotEmitted(view.relaidOut):
        view.resize(760, 320)
        qtbot.waitUntil(lambda: view.viewport().height() == 320)
    assert 1 < laid_out / node_area_aspect() < RELAYOUT_FACTOR        # a smaller change than that
    assert view.layout.aspect == laid_out and view.node_texts(1) == ["z"] * 6
    with qtbot.waitSignal(view.relaidOut):
        view.resize(760, 360)
    assert laid_out / node_area_aspect() > RELAYOUT_FACTOR
    assert view.layout.aspect == pytest.approx(node_area_aspect()) and view.node_texts(1) == []
