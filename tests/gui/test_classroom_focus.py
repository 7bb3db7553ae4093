"""Issue 10.5: after a slider changes the setting, the arrow keys go on moving the slider."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_arrow_keys_keep_moving_the_train_slider(qtbot, window):
    window.activateWindow()
    slider = window.control_panel.data.train_percent
    slider.setFocus(Qt.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is slider)
    start = slider.value()
    scroll = window.network_view.horizontalScrollBar().value()
    for presses in (1, 2, 3):
        qtbot.keyClick(slider, Qt.Key_Right)
        # each press rebuilt the experiment with the new ratio (10 % per step)
        assert slider.value() == start + 10 * presses
        assert abs(window.config.test_ratio - (1 - (start + 10 * presses) / 100)) < 1e-9
        assert QApplication.focusWidget() is slider
    assert window.network_view.horizontalScrollBar().value() == scroll   # the diagram did not pan


def test_the_value_editor_returns_the_focus_it_took(qtbot, window):
    view = window.network_view
    window.activateWindow()
    assert view.open_editor(("edge", 0, 0, 1))
    qtbot.waitUntil(lambda: view.value_editor.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(view.value_editor.line_edit, Qt.Key_Escape)
    assert not view.value_editor.isVisible()
    assert QApplication.focusWidget() is view
