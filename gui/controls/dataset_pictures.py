"""Small pictures of the built-in data sets for the data-set picker, as in TensorFlow
Playground: a few hundred noise-free points over [−6, 6]², coloured by their targets with
the decision boundary's colours."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from gui.widgets.boundary_view import target_rgb
from model.datasets import RADIUS, make_dataset

PICTURE_SIZE = 40        # pixels a side
PICTURE_POINTS = 300


def dataset_picture(name: str, size: int = PICTURE_SIZE) -> QPixmap:
    """``name``'s points (first two inputs) drawn into a ``size`` × ``size`` pixmap."""
    data = make_dataset(name, n_samples=PICTURE_POINTS, noise=0.0, seed=0)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(250, 250, 250))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    xy = data.points[:, :2] if data.points.shape[1] > 1 else \
        np.column_stack([data.points[:, 0], np.zeros(len(data.points))])
    pixels = (xy + RADIUS) / (2 * RADIUS) * (size - 4) + 2
    for (x, y), rgb in zip(pixels, target_rgb(data.targets, data.task).astype(int)):
        painter.setBrush(QColor(*rgb))
        painter.drawEllipse(QPointF(x, size - y), 1.6, 1.6)     # +y up, as on the plot
    painter.end()
    return pixmap


@lru_cache(maxsize=None)
def dataset_icon(name: str) -> QIcon:
    """The picture as a combo-box icon (made once per data set)."""
    return QIcon(dataset_picture(name))
