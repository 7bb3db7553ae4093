"""The network view shows the dropout mask the followed training sample got in its latest step."""
import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from gui.network.edges import style_keys
from model.config import ExperimentConfig


def test_the_followed_samples_latest_mask_is_drawn_with_its_edges_and_legend(make_window, qtbot):
    config = ExperimentConfig(hidden_layers=(4, 3), activations=("tanh", "tanh"), dropout=(0.5, 0.2),
                              batch_size=5)
    window = make_window(config)
    view = window.network_view
    split = window.experiment.split
    window._on_sample_clicked("train", 2)
    assert not view.dropout_mask.shown                   # not trained on yet: no mask
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    window.findChild(QAction, "actionStep").trigger()
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch == 1, timeout=10000)
    qtbot.waitUntil(lambda: view.dropout_mask.shown, timeout=5000)
    snapshot = window.training_views.latest
    kept, step = snapshot.dropout_mask_of(2)
    assert 1 <= step <= snapshot.step
    shown = view.dropout_mask.kept
    assert shown[0] is None and shown[3] is None
    np.testing.assert_array_equal(shown[1], kept[1])
    np.testing.assert_array_equal(shown[2], kept[2])
    # edges into or out of a dropped unit are drawn as 0 (the palest, thinnest style)
    weights = snapshot.weights[1]
    keep = np.outer(kept[1], kept[2])
    expected = style_keys((weights * keep).reshape(-1), max(1.0, max(np.abs(w).max() for w in snapshot.weights)))
    np.testing.assert_array_equal(view.edge_items[1]._keys, expected)
    assert view.dropout_mask.scale_texts(1) == ["×2"] * int(kept[1].sum())
    assert view.dropout_mask.scale_texts(2) == ["×1.25"] * int(kept[2].sum())
    legend = window.findChild(type(view._legend), "networkLegend").text()
    assert "1/(1−p)" in legend and "×2 for p = 0.5" in legend and f"step {step}" in legend
    # a test point was never trained on: no mask
    window._on_sample_clicked("test", 0)
    assert not view.dropout_mask.shown and "1/(1−p)" not in view._legend.text()
    assert len(split.test_points) > 0


def test_the_scale_pills_show_only_where_they_fit_inside_their_node(qtbot):
    """On a small diagram the "×1.11" pills covered the nodes, the headers and each other (three
    layers of 16 beside the distributions dock at 1280 × 800): they hide there, the legend keeps
    the factor, and they come back when the view grows or zooms in."""
    from gui.network.dropout_mask import PILL_PER_NODE, scale_text
    from gui.network.items import LabelItem
    from network_view_testing import make_view
    sizes = (2, 16, 16, 16, 1)
    view = make_view(qtbot, sizes, size=(300, 500))
    kept = [None] + [np.arange(16) % 3 != 0] * 3 + [None]
    rates = [0.0, 0.1, 0.1, 0.1, 0.0]

    def pills():
        return [item for item in view.scene().items()
                if isinstance(item, LabelItem) and item.text == scale_text(0.1)]

    view.show_dropout_mask(kept, rates)
    side = view.layout.node_rect(1, 0)[2] * view.current_scale()
    assert pills() and all(pill.boundingRect().width() > PILL_PER_NODE * side for pill in pills())
    assert not any(pill.isVisible() for pill in pills())
    assert scale_text(0.1) in view.findChild(QLabel, "networkLegend").text()
    view.resize(1400, 1000)                          # room: every kept unit carries its pill
    qtbot.waitUntil(lambda: all(pill.isVisible() for pill in pills()))
    assert len(pills()) == 3 * int(kept[1].sum())
    for size in ((1400, 1000), (520, 420), (300, 500)):    # each pill judged by its own node
        view.resize(*size)
        qtbot.wait(20)
        at = {(round(p.pos().x(), 6), round(p.pos().y(), 6)): p for p in pills()}
        for column in (1, 2, 3):
            for unit in np.flatnonzero(kept[column]):
                x, y, s, _ = view.layout.node_rect(column, int(unit))
                pill = at[(round(x + s, 6), round(y + 0.2 * s, 6))]
                assert pill.isVisible() == (
                    pill.boundingRect().width() <= PILL_PER_NODE * s * view.current_scale())
