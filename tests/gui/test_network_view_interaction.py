"""NetworkView interaction: hover tooltips, inline editing, +/− buttons, zoom, pan, compact."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from gui.network.layout import NetworkLayout
from gui.network.tooltips import number
from network_view_testing import (QT_LOG_IGNORE, click_button, grab, hue_side, make_view,
                                  parameters)

pytestmark = QT_LOG_IGNORE


# --- hover, edit, buttons -----------------------------------------------------------------

def test_hovering_an_edge_shows_its_weight_and_gradient(qtbot):
    view = make_view(qtbot)
    weights, biases = parameters([1, 2, 1])
    gradients = [np.full_like(w, 0.0123) for w in weights]
    view.show_parameters(weights, biases, gradients, [np.zeros_like(b) for b in biases])
    point = view.scene_to_viewport(*view.layout.edge_midpoint(1, 1, 0))
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: number(weights[1][1, 0]) in QToolTip.text())
    assert "∂L/∂w = +0.0123" in QToolTip.text()
    text = view.hover_text_at(view.mapToScene(point))
    assert "Weight w₂₁ into output" in text and number(weights[1][1, 0]) in text


def test_hovering_a_node_shows_sample_values_and_formula(qtbot):
    view = make_view(qtbot)
    view.show_parameters(*parameters([1, 2, 1]))
    view.show_sample([np.array([0.5]), np.array([0.2, -0.3]), np.array([0.7])],
                     [np.array([0.2027, -0.3095]), np.array([0.85])])
    x, y, s, _ = view.layout.node_rect(1, 1)
    text = view.hover_text_at(QPointF(x + s / 2, y + s / 2))
    assert "z = Σᵢ wᵢ·aᵢ + b = −0.3095" in text and "a = tanh(z) = −0.3" in text
    assert "tanh(z) = (e^z" in text and "bias b =" in text


def test_clicking_an_edge_and_typing_emits_weight_edited(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    view.show_parameters(*parameters([2, 3, 1]))
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 1, 2))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point)
    editor = view.value_editor
    assert editor.isVisible() and editor.target == ("weight", 0, 1, 2)
    editor.setText("abc")
    with qtbot.assertNotEmitted(view.weightEdited):
        QTest.keyClick(editor.line_edit, Qt.Key.Key_Return)
    assert editor.isVisible()                                # a typo keeps the box open
    editor.setText("-1.25")
    with qtbot.waitSignal(view.weightEdited) as blocker:
        QTest.keyClick(editor.line_edit, Qt.Key.Key_Return)
    assert blocker.args == [0, 1, 2, -1.25]
    assert not editor.isVisible()


def test_clicking_a_bias_marker_emits_bias_edited(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    view.show_parameters(*parameters([2, 3, 1]))
    x, y, w, h = view.layout.bias_rect(2, 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.scene_to_viewport(x + w / 2, y + h / 2))
    view.value_editor.setText("0.5")
    with qtbot.waitSignal(view.biasEdited) as blocker:
        QTest.keyClick(view.value_editor.line_edit, Qt.Key.Key_Return)
    assert blocker.args == [1, 0, 0.5]


def test_escape_cancels_the_editor(qtbot):
    view = make_view(qtbot)
    view.show_parameters(*parameters([1, 2, 1]))
    assert view.open_editor(("edge", 0, 0, 0))
    with qtbot.assertNotEmitted(view.weightEdited):
        QTest.keyClick(view.value_editor.line_edit, Qt.Key.Key_Escape)
    assert not view.value_editor.isVisible()


def test_clicking_a_node_emits_neuron_clicked(qtbot):
    view = make_view(qtbot, (2, 3, 1))
    x, y, s, _ = view.layout.node_rect(1, 2)
    with qtbot.waitSignal(view.neuronClicked) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, view.scene_to_viewport(x + s / 2, y + s / 2))
    assert blocker.args == [1, 2]


def test_add_and_remove_buttons_emit(qtbot):
    view = make_view(qtbot, (2, 4, 3, 1))
    add, remove = view.neuron_buttons[1]
    assert remove.isEnabled()
    with qtbot.waitSignal(view.addNeuronRequested) as blocker:
        click_button(view, add)
    assert blocker.args == [1]
    with qtbot.waitSignal(view.removeNeuronRequested) as blocker:
        click_button(view, view.neuron_buttons[0][1])
    assert blocker.args == [0]


def test_remove_is_disabled_on_a_one_neuron_layer(qtbot):
    view = make_view(qtbot, (2, 1, 1))
    add, remove = view.neuron_buttons[0]
    assert add.isEnabled() and not remove.isEnabled()
    with qtbot.assertNotEmitted(view.removeNeuronRequested):
        click_button(view, remove)


def test_not_editable_has_no_buttons_and_no_editor(qtbot):
    view = make_view(qtbot, (2, 4, 1), editable=False)
    view.show_parameters(*parameters([2, 4, 1]))
    assert view.neuron_buttons == []
    assert not view.open_editor(("edge", 0, 0, 0))


# --- zoom, pan, compact ----------------------------------------------------------------------

def test_zoom_keys_wheel_and_fit(qtbot):
    view = make_view(qtbot, (2, 8, 8, 1))
    fitted = view.current_scale()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.current_scale() == pytest.approx(fitted * 1.25)
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.current_scale() == pytest.approx(fitted / 1.25)
    QTest.keyClick(view, Qt.Key.Key_0)
    assert view.current_scale() == pytest.approx(fitted)


def test_wheel_zooms_about_the_pointer(qtbot):
    view = make_view(qtbot, (2, 8, 8, 1))
    fitted = view.current_scale()
    x, y, s, _ = view.layout.node_rect(1, 2)
    pointer = view.scene_to_viewport(x + s / 2, y + s / 2)
    event = QWheelEvent(QPointF(pointer), QPointF(view.viewport().mapToGlobal(pointer)),
                        QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    assert view.current_scale() == pytest.approx(fitted * 1.25)
    after = view.mapToScene(pointer)
    assert abs(after.x() - (x + s / 2)) < 2 and abs(after.y() - (y + s / 2)) < 2


def test_drag_pans_and_double_click_fits(qtbot):
    view = make_view(qtbot, (2, 8, 8, 1))
    view.zoom_by(2.0)
    corner = QPoint(5, 5)                                     # background
    before = view.mapToScene(corner)
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     corner)
    for step in range(1, 6):
        QTest.mouseMove(view.viewport(), corner + QPoint(10 * step, 8 * step))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, corner + QPoint(50, 40))
    moved = view.mapToScene(corner) - before
    assert moved.x() < -10 and moved.y() < -10
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      corner)
    view.fit_to_view()
    fitted = view.current_scale()
    view.zoom_by(2.0)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      corner)
    assert view.current_scale() == pytest.approx(fitted)


def test_compact_mode_is_small_and_passive(qtbot):
    view = make_view(qtbot, (2, 8, 8, 1), compact=True, size=(240, 160))
    view.show_parameters(*parameters([2, 8, 8, 1]))
    assert view.neuron_buttons == [] and not view.open_editor(("edge", 0, 0, 0))
    scale = view.current_scale()
    view.zoom_by(2.0)
    assert view.current_scale() == scale
    assert view.layout.node_sizes[1] < NetworkLayout([2, 8, 8, 1]).node_sizes[1]
    image = grab(view)
    assert any(hue_side(image.pixelColor(x, y)) != "grey" for x in range(0, 240, 4)
               for y in range(0, 160, 4))
