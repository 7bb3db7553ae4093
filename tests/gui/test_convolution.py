"""The convolutional workspace: it joins the window through gui.workspace, trains in the
background, and its views show what the network holds."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui.convolution import ConvolutionWorkspace
from gui.convolution.kernels_view import kernel_text
from gui.convolution.window import ConvolutionWindow
from model.data import make_bars


@pytest.fixture
def conv_window(qtbot):
    window = ConvolutionWindow(make_bars(80, seed=0))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    assert window.controller.thread is None


def test_the_workspace_joins_the_tools_menu_and_closes_with_the_window(make_window, qtbot):
    window = make_window()
    workspace = window.add_workspace(ConvolutionWorkspace)
    action = window.findChild(type(workspace.action), "actionConvolution")
    assert action is workspace.action and action in window.tools_menu.actions()
    conv_window = workspace.open()
    qtbot.waitExposed(conv_window)
    assert conv_window.isVisible() and conv_window.maps_view.picture is not None
    window.close()
    assert not conv_window.isVisible() and conv_window.controller.thread is None


def test_training_updates_the_maps_and_kernels_to_the_networks_numbers(conv_window, qtbot):
    conv_window.run_action.trigger()
    qtbot.waitUntil(lambda: conv_window.snapshot is not None and conv_window.snapshot.epoch >= 2, timeout=20000)
    conv_window.run_action.trigger()
    qtbot.waitUntil(lambda: not conv_window.controller.is_running)
    snapshot = conv_window.snapshot
    np.testing.assert_array_equal(conv_window.kernels_view.kernels, snapshot.weights[0])
    picture = conv_window.maps_view.picture
    assert [column.title for column in picture.columns] == ["input", "conv0 + relu", "pool0",
                                                            "conv1 + relu", "pool1"]
    # the maps are the network's: redo the forward pass with the snapshot's parameters
    net = conv_window.experiment.net.copy()
    for view, value in zip(sum(net.split(net.params), ()), snapshot.weights + snapshot.biases):
        view[...] = value
    image = conv_window.experiment.split.test_points[0].reshape(1, 1, 8, 8)
    trace = net.forward(image)
    np.testing.assert_allclose(picture.columns[1].maps, trace.outputs[1][0])
    np.testing.assert_allclose(picture.columns[4].maps, trace.outputs[5][0])
    np.testing.assert_allclose(picture.probabilities, trace.output[0])
    assert "test accuracy" in conv_window.accuracy_label.text()
    assert len(conv_window.loss_plot.history.arrays()[0]) >= 2


def test_choosing_another_image_repaints_its_maps(conv_window, qtbot):
    first = conv_window.maps_view.picture
    conv_window.image_index.setValue(3)
    second = conv_window.maps_view.picture
    np.testing.assert_array_equal(second.columns[0].maps[0],
                                  conv_window.experiment.split.test_points[3].reshape(8, 8))
    assert not np.array_equal(first.columns[0].maps, second.columns[0].maps)
    view = conv_window.maps_view
    view.repaint()
    rect, _ = view.cells[0]
    assert view.text_at(rect.center()).startswith("input, map 0: min 0")
    bar_texts = [text for _, text in view.cells if text.startswith("class ")]
    label = second.label
    assert len(bar_texts) == 2 and "(true class)" in bar_texts[label]


def test_hovering_a_kernel_gives_its_numbers(conv_window, qtbot):
    view = conv_window.kernels_view
    view.repaint()
    rect, _ = view.cells[3]
    text = view.text_at(QPointF(rect.center()))
    assert text == kernel_text(conv_window.view_net.parameters["conv0.kernel"][3, 0], "conv0 filter 3, channel 0")
    assert f"{conv_window.view_net.parameters['conv0.kernel'][3, 0, 0, 0]:+.3f}" in text


def test_the_walkthrough_panel_plays_the_engines_steps(conv_window, qtbot):
    panel = conv_window.walkthrough
    panel.button.click()
    steps = panel.tour.steps
    assert panel.slider.maximum() == len(steps) - 1
    assert panel.formula.text() == steps[0].formula and "position (0, 0)" in panel.title.text()
    panel.slider.setValue(len(steps) - 1)
    assert panel.formula.text() == steps[-1].formula
    assert panel.tour.loss_after < panel.tour.loss_before
