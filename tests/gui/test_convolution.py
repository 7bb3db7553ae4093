"""The convolutional workspace: it joins the window through gui.workspace, trains in the
background, and its views show what the network holds."""
import numpy as np
from PySide6.QtCore import QPointF

from gui.convolution import ConvolutionWorkspace
from gui.convolution.kernels_view import kernel_text
from gui.convolution.window import ConvolutionWindow


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
    np.testing.assert_array_equal(net.params, snapshot.params)
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


def test_the_confusion_matrix_counts_the_test_predictions(conv_window, qtbot):
    view = conv_window.confusion_view
    split = conv_window.experiment.split
    predicted = conv_window.view_net.predict(split.test_points).argmax(axis=1)
    labels = split.test_targets.argmax(axis=1)
    matrix = view.picture.matrix
    assert matrix.sum() == len(labels) and np.trace(matrix) == int((predicted == labels).sum())
    for true in range(2):
        for guess in range(2):
            assert matrix[true, guess] == int(((labels == true) & (predicted == guess)).sum())
    wrong = np.flatnonzero(predicted != labels)[:12]
    np.testing.assert_array_equal(view.picture.wrong_labels, labels[wrong])
    np.testing.assert_array_equal(view.picture.wrong_images, split.test_points[wrong].reshape(-1, 8, 8))
    view.repaint()
    rect, text = view.cells[1]
    assert text == f"true horizontal, predicted vertical: {matrix[0, 1]} test images"


def test_drawing_shows_the_drawn_image_and_its_prediction(conv_window, qtbot):
    canvas = conv_window.canvas
    canvas.repaint()
    row_two = canvas.cell_at(canvas.width() / 2, canvas._square().top() + 2.5 * canvas._square().height() / 8)
    assert row_two[0] == 2
    with qtbot.waitSignal(canvas.imageChanged):
        for col in range(8):
            canvas.paint_at(2, col)                    # a horizontal bar
    picture = conv_window.maps_view.picture
    assert conv_window.showing_drawing
    np.testing.assert_array_equal(picture.columns[0].maps[0], canvas.image)
    assert (canvas.image[2] == 1.0).all() and (canvas.image[1] == 0.35).all() and (canvas.image[0] == 0).all()
    expected = conv_window.view_net.predict(canvas.image.reshape(1, 1, 8, 8))[0]
    np.testing.assert_allclose(picture.probabilities, expected)
    conv_window.drawn_label.setValue(0)
    conv_window.walk_through()
    np.testing.assert_array_equal(conv_window.walkthrough.tour.steps[0].values["patch"][0, 1:, 1:],
                                  canvas.image[:2, :2])
    canvas.paint_at(2, 3, erase=True)
    assert (canvas.image[1:4, 2:5] == 0).all()
    conv_window.image_index.setValue(1)
    assert not conv_window.showing_drawing


def test_save_and_open_a_network_through_the_file_menu(conv_window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtGui import QAction
    from gui.window import network_files
    conv_window.run_action.trigger()
    qtbot.waitUntil(lambda: conv_window.snapshot is not None and conv_window.snapshot.epoch >= 1, timeout=20000)
    conv_window.run_action.trigger()
    qtbot.waitUntil(lambda: not conv_window.controller.is_running)
    path = tmp_path / "bars.json"
    monkeypatch.setattr(network_files, "choose_save_path", lambda w: str(path))
    conv_window.findChild(QAction, "convActionSave").trigger()
    assert conv_window.statusBar().currentMessage() == f"Saved the network to {path}"
    saved = conv_window.view_net

    other = ConvolutionWindow()                       # the digits, a fresh network
    qtbot.addWidget(other)
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    other.findChild(QAction, "convActionOpen").trigger()
    assert other.statusBar().currentMessage().startswith(f"Opened {path}")
    assert other.images.name == "bars" and other.experiment.net.config() == saved.config()
    np.testing.assert_array_equal(other.experiment.net.params, saved.params)
    images = other.experiment.split.test_points.reshape(-1, 1, 8, 8)
    np.testing.assert_array_equal(other.view_net.predict(images), saved.predict(images))
    np.testing.assert_array_equal(other.kernels_view.kernels, saved.parameters["conv0.kernel"])
    epochs = conv_window.snapshot.epoch
    assert other.drawn_label.maximum() == 1 and other.accuracy_label.text() == f"opened: trained {epochs} epochs when saved"

    path.write_text('{"format": "backprop-studio", "version": 2, "model": "rnn"}')
    before = other.experiment
    other.findChild(QAction, "convActionOpen").trigger()
    message = other.statusBar().currentMessage()
    assert message == ("Could not open the network: bars.json holds a recurrent network, not a convolutional "
                       "network: open it in the recurrent window (Tools ▸ Recurrent network…). "
                       "The current network is kept.")
    assert other.experiment is before
    other.close()
    assert other.controller.thread is None


def test_a_lesson_hiding_the_layers_hides_their_label_too(conv_window, qtbot):
    from PySide6.QtWidgets import QLabel
    label = next(label for label in conv_window.findChildren(QLabel) if label.buddy() is conv_window.layers)
    assert label.isVisible() and conv_window.layers.isVisible()
    conv_window.restrict(hidden=("layers",))
    assert not label.isVisible() and not conv_window.layers.isVisible()
    conv_window.restrict()
    assert label.isVisible() and conv_window.layers.isVisible()
