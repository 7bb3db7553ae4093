"""Issue 10.4: node and edge tooltips stay while the pointer rests, until it leaves."""
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from gui.network.tooltips import number
from network_view_testing import QT_LOG_IGNORE, make_view, parameters

pytestmark = QT_LOG_IGNORE


def rest_pointer(view, point):
    """What Qt sends when the pointer has stood still on ``point`` for a moment."""
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)


def test_node_tooltip_stays_while_the_pointer_rests(qtbot):
    view = make_view(qtbot)
    weights, biases = parameters([1, 2, 1])
    view.show_parameters(weights, biases)
    x, y, s, _ = view.layout.node_rect(1, 0)
    point = view.scene_to_viewport(x + s / 2, y + s / 2)
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(QToolTip.isVisible)
    text = QToolTip.text()
    assert text.startswith("Hidden layer 1 · neuron 1") and number(biases[0][0]) in text
    rest_pointer(view, point)                       # before the fix this hid the tooltip
    # QGraphicsView answered this event with an empty item tooltip, which hides the tip
    # 300 ms later (QTipLabel's hide timer): wait past that, then it must still be there
    qtbot.wait(600)
    assert QToolTip.isVisible() and QToolTip.text() == text


def test_edge_tooltip_stays_and_goes_when_the_pointer_leaves(qtbot):
    view = make_view(qtbot)
    weights, biases = parameters([1, 2, 1])
    view.show_parameters(weights, biases)
    point = view.scene_to_viewport(*view.layout.edge_midpoint(0, 0, 1))
    QTest.mouseMove(view.viewport(), point)
    qtbot.waitUntil(lambda: number(weights[0][0, 1]) in QToolTip.text())
    rest_pointer(view, point)
    assert QToolTip.isVisible() and number(weights[0][0, 1]) in QToolTip.text()
    empty = QPoint(3, 3)                                # a corner of the viewport
    assert view.hit_test(view.mapToScene(empty)) is None
    QTest.mouseMove(view.viewport(), empty)             # off every node and edge
    qtbot.waitUntil(lambda: not QToolTip.isVisible())
