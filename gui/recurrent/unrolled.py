"""The network unrolled through time: a column per step with x_t, h_t and ŷ_t.

Each hidden unit is a node coloured by its value (blue positive, orange
negative, ``gui.widgets.colors``); W_hh is drawn between neighbouring columns
(one line per unit pair, width |w|, colour its sign) and labelled. Paints an
immutable ``UnrolledPicture``; holds no model.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gui.widgets.colors import INK, NEGATIVE, POSITIVE, value_rgb

MAX_COLUMNS = 30        # longer sequences show their last 30 steps


@dataclass(frozen=True)
class UnrolledPicture:
    """inputs (T, d), states (T+1, hidden) with h_0, prediction (T, k) or (k,), targets alike,
    recurrent_weights (hidden, hidden)."""

    inputs: np.ndarray
    states: np.ndarray
    prediction: np.ndarray
    targets: np.ndarray
    recurrent_weights: np.ndarray


class UnrolledView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("unrolledView")
        self.setMinimumSize(420, 260)
        self.picture: UnrolledPicture | None = None

    def show_picture(self, picture: UnrolledPicture) -> None:
        self.picture = picture
        self.update()

    def node_centres(self) -> tuple[np.ndarray, np.ndarray, int]:
        """(x of each shown column, y of each hidden unit, first step shown)."""
        steps, hidden = self.picture.states.shape[0] - 1, self.picture.states.shape[1]
        first = max(steps - MAX_COLUMNS, 0)
        columns = steps - first
        width, height = self.width(), self.height()
        xs = 40 + (np.arange(columns) + 0.5) * (width - 60) / max(columns, 1)
        ys = 50 + (np.arange(hidden) + 0.5) * (height - 110) / hidden
        return xs, ys, first

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor(250, 250, 250))
        if self.picture is None:
            painter.end()
            return
        picture = self.picture
        xs, ys, first = self.node_centres()
        hidden = len(ys)
        radius = max(2.0, min(10.0, 0.4 * (ys[1] - ys[0] if hidden > 1 else 20.0), 0.3 * (xs[1] - xs[0]) if len(xs) > 1 else 10.0))
        weights = picture.recurrent_weights
        scale = np.abs(weights).max() or 1.0
        for column in range(len(xs) - 1):                  # W_hh between columns t and t+1
            for i in range(hidden):
                for j in range(hidden):
                    w = weights[i, j]
                    colour = QColor(*(POSITIVE if w >= 0 else NEGATIVE), 90)
                    painter.setPen(QPen(colour, 0.3 + 2.0 * abs(w) / scale))
                    painter.drawLine(QPointF(xs[column], ys[i]), QPointF(xs[column + 1], ys[j]))
        vmax = max(float(np.abs(picture.states).max()), 1e-9)
        painter.setPen(QPen(QColor(*INK), 0.8))
        labelled = labelled_columns(xs, painter.fontMetrics().horizontalAdvance("−0.00") + 6)
        for column, x in enumerate(xs):
            t = first + column + 1
            for unit, y in enumerate(ys):
                painter.setBrush(QColor(*value_rgb(picture.states[t, unit], vmax)))
                painter.drawEllipse(QPointF(x, y), radius, radius)
            if column not in labelled:
                continue
            painter.drawText(QRectF(x - 30, 4, 60, 16), Qt.AlignCenter, _short(picture.inputs[t - 1]))
            painter.drawText(QRectF(x - 30, 20, 60, 16), Qt.AlignCenter, f"h{t}")
            if picture.prediction.ndim == 2 or t == len(picture.inputs):
                row = picture.prediction[t - 1] if picture.prediction.ndim == 2 else picture.prediction
                painter.drawText(QRectF(x - 30, self.height() - 50, 60, 16), Qt.AlignCenter, _short(row))
                target = picture.targets[t - 1] if picture.targets.ndim == 2 else picture.targets
                painter.drawText(QRectF(x - 30, self.height() - 34, 60, 16), Qt.AlignCenter, _short(target))
        for top, name in ((4, "x_t"), (self.height() - 50, "ŷ_t"), (self.height() - 34, "y_t")):
            painter.drawText(QRectF(2, top, 34, 16), Qt.AlignLeft, name)
        painter.drawText(QRectF(0, self.height() - 18, self.width(), 16), Qt.AlignCenter,
                         fitting(painter.fontMetrics(), self.width(), CAPTIONS))
        painter.end()


#: The caption under the diagram, longest first: the first that fits is written.
CAPTIONS = ("h_t = f(x_t·W_xh + h_{t−1}·W_hh + b): lines between columns are W_hh",
            "h_t = f(x_t·W_xh + h_{t−1}·W_hh + b)")


def fitting(metrics, width: float, texts: Sequence[str]) -> str:
    """The first of ``texts`` that fits ``width`` pixels, else the last elided to fit."""
    for text in texts:
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(texts[-1], Qt.TextElideMode.ElideRight, int(width))


def labelled_columns(xs: np.ndarray, label_width: float) -> set[int]:
    """The columns whose numbers are written: every k-th, counted back from the last (always
    written), with k the fewest columns that are ``label_width`` apart, so labels never overlap."""
    spacing = float(xs[1] - xs[0]) if len(xs) > 1 else label_width
    every = max(1, math.ceil(label_width / max(spacing, 1e-9)))
    return {column for column in range(len(xs)) if (len(xs) - 1 - column) % every == 0}


def _short(values: np.ndarray) -> str:
    values = np.ravel(values)
    return f"{values[0]:.2f}" if values.size == 1 else f"{int(np.argmax(values))}"
