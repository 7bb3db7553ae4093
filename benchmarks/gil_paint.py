"""Does Qt's drawing hold the GIL? What a training thread keeps while the GUI thread paints.

    python benchmarks/gil_paint.py [--seconds 2]

A background thread runs small NumPy steps (the size of a training step) and counts
them, while the GUI thread repaints a view of 2,500 antialiased lines as fast as it can,
drawn three ways. The ratio is the background thread's steps/s against an idle GUI
thread in the same run:

    idle view          an empty scene repainted (the event loop's own cost)
    Python item        a QGraphicsItem whose Python ``paint`` calls QPainter.drawLines
                       (what gui/network/edges.py does)
    C++ item           a QGraphicsPathItem with the same lines, painted by Qt from the
                       event loop with no Python in between

PySide6 keeps the GIL through a C++ call made from Python, so whatever Qt rasterises
inside a Python ``paint`` (or a view's Python ``paintEvent``) is time the training
thread waits; a C++ item painted from the event loop lets it run. This is why a live
view's cost is measured in GUI-thread CPU time and kept small (benchmarks/gui_speed.py).
"""
from __future__ import annotations

import argparse
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QLineF, QRectF, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen  # noqa: E402
from PySide6.QtWidgets import (QApplication, QGraphicsItem, QGraphicsPathItem,  # noqa: E402
                               QGraphicsScene, QGraphicsView)

SIZE = (1000, 700)
PEN = QPen(QColor(8, 119, 189), 0.7)


class LinesItem(QGraphicsItem):
    """Draws its lines from Python, as the network view's edge layers do."""

    def __init__(self, lines: list[QLineF]) -> None:
        super().__init__()
        self.lines = lines

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *SIZE)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(PEN)
        painter.drawLines(self.lines)


def steps_per_second(view: QGraphicsView, seconds: float) -> tuple[float, float]:
    """(background steps/s, repaints/s) while ``view`` repaints back to back."""
    stop, counted = threading.Event(), []

    def train() -> None:
        inputs, weights, steps = np.random.rand(10, 8), np.random.rand(8, 8), 0
        while not stop.is_set():
            for _ in range(100):
                np.tanh(inputs @ weights)
            steps += 100
        counted.append(steps)

    view.show()
    QApplication.processEvents()
    frames = [0]

    def repaint() -> None:
        view.viewport().update()
        frames[0] += 1

    timer = QTimer(interval=0)
    timer.timeout.connect(repaint)
    worker = threading.Thread(target=train)
    worker.start()
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    stop.set()
    worker.join()
    view.hide()
    return counted[0] / seconds, frames[0] / seconds


def view_of(item: QGraphicsItem) -> QGraphicsView:
    scene = QGraphicsScene()
    scene.addItem(item)
    view = QGraphicsView(scene)
    view.resize(*SIZE)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.scene_ref = scene          # keep the scene alive with its view
    return view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    QApplication([])
    segments = np.random.default_rng(0).random((2500, 4)) * [SIZE[0], SIZE[1], SIZE[0], SIZE[1]]
    path = QPainterPath()
    for x0, y0, x1, y1 in segments:
        path.moveTo(x0, y0)
        path.lineTo(x1, y1)
    cpp_item = QGraphicsPathItem(path)
    cpp_item.setPen(PEN)
    rows = [("idle view", view_of(QGraphicsPathItem(QPainterPath()))),
            ("Python item (drawLines in paint)", view_of(LinesItem([QLineF(*s) for s in segments]))),
            ("C++ item (QGraphicsPathItem)", view_of(cpp_item))]
    results = [(name, *steps_per_second(view, args.seconds)) for name, view in rows]
    idle = results[0][1]
    print(f"{'GUI thread repaints':<34} {'background steps/s':>18} {'vs idle':>8} {'repaints/s':>11}")
    for name, steps, frames in results:
        print(f"{name:<34} {steps:>18,.0f} {steps / idle:>8.0%} {frames:>11.1f}")


if __name__ == "__main__":
    main()
