"""Issue 10.6: wide layers get readable headers and legend; the status bar labels its figures."""
from itertools import combinations

from PySide6.QtCore import QRectF

from model.config import ExperimentConfig


def device_rect(view, item) -> QRectF:
    origin = view.mapFromScene(item.scenePos())
    return item.boundingRect().translated(origin.x(), origin.y())


def test_six_layers_of_64_have_headers_that_do_not_overlap(make_window):
    window = make_window(ExperimentConfig(hidden_layers=(64,) * 6))
    view = window.network_view
    headers = view._diagram.headers
    assert len(headers) == 8
    rects = [device_rect(view, item) for item, _ in headers]
    for a, b in combinations(rects, 2):
        assert not a.intersects(b)
    texts = [item.text for item, _ in headers]
    assert all(t in forms for t, (_, forms) in zip(texts, headers))
    assert headers[1][1] == ("tanh\n64 neurons", "tanh\n64", "64")
    buttons = [b for pair in view.neuron_buttons for b in pair]
    visible = [device_rect(view, b) for b in buttons if b.isVisible()]
    for a, b in combinations(visible, 2):
        assert not a.intersects(b)                      # +/− buttons: shown only with room
    # zoomed in far enough, the long form and the buttons come back
    view.zoom_by(6.0)
    assert headers[1][0].text == "tanh\n64 neurons"
    assert all(b.isVisible() for b in buttons)


def test_the_legend_wraps_inside_the_view(make_window):
    window = make_window(ExperimentConfig(hidden_layers=(64,) * 6))
    legend = window.network_view._legend
    assert "strongest" in legend.text()                 # the dense-layer note is there, whole
    viewport = window.network_view.rect()
    assert viewport.contains(legend.geometry())
    assert legend.sizeHint().width() <= viewport.width() - 16 + 1


def test_the_status_bar_says_which_accuracy_is_which(qtbot, window):
    label = window.status.labels["accuracy"]
    qtbot.waitUntil(lambda: label.text().startswith("Accuracy train "))
    train = window.experiment.trainer.snapshot().train_accuracy
    assert f"train {train:.0%}" in label.text() and " / test " in label.text()
