"""Shared helpers of the NetworkView tests: build a view, read its pixels."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from gui.widgets.colors import BACKGROUND
from gui.network.view import NetworkView

# QToolTip.showText makes the offscreen platform print "This plugin does not support
# raise()": a property of the headless test platform, not a bug of the view.
QT_LOG_IGNORE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                          "This plugin does not support raise")


def make_view(qtbot, sizes=(1, 2, 1), compact=False, editable=True, size=(640, 420)):
    view = NetworkView(compact=compact)
    qtbot.addWidget(view)
    view.resize(*size)
    names = [f"X{i + 1}" for i in range(sizes[0])]
    view.set_structure(list(sizes), names, ["tanh"] * (len(sizes) - 2) + ["sigmoid"],
                       editable=editable)
    view.show()
    qtbot.waitExposed(view)
    return view


def parameters(sizes, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.8, (a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.3, b) for b in sizes[1:]]
    return weights, biases


def grab(view) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def pixel(image: QImage, point: QPoint) -> QColor:
    return image.pixelColor(point.x(), point.y())


def is_background(color: QColor) -> bool:
    return max(abs(a - b) for a, b in zip(color.getRgb()[:3], BACKGROUND)) < 12


def hue_side(color: QColor) -> str:
    """'blue', 'orange' or 'grey' by which end colour it is nearer to."""
    r, g, b = color.getRgb()[:3]
    if b - r > 40:
        return "blue"
    if r - b > 40:
        return "orange"
    return "grey"


def edge_thickness(view, layer, i, j) -> int:
    """Pixels of edge colour in the viewport column through the edge midpoint."""
    image = grab(view)
    centre = view.scene_to_viewport(*view.layout.edge_midpoint(layer, i, j))
    count = 0
    for dy in range(-20, 21):
        if not is_background(image.pixelColor(centre.x(), centre.y() + dy)):
            count += 1
    return count


def click_button(view, button) -> None:
    """Left-click the centre of a +/− ButtonItem (it keeps a constant on-screen size)."""
    centre = view.mapFromScene(button.scenePos()) + button.centre().toPoint()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     centre)
