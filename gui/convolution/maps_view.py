"""The network as a row of stacks of feature maps for one image, ending in the class probabilities.

``MapsPicture`` is the immutable picture (made from a forward pass of one image);
``MapsView`` paints it: the input image, then each convolution's maps (after its
activation) and each pooling's maps as a column of small images, then a bar chart
of the probabilities with the true class marked. Hovering a map names it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.convolution.hover import PictureView
from gui.convolution.pictures import grey_image, largest, signed_image
from gui.widgets.colors import INK, NEGATIVE, POSITIVE
from model.layers import ActivationLayer, Conv2D, MaxPool2D
from model.networks.conv import ConvNet

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class MapsColumn:
    title: str
    maps: Array            # (channels, h, w), read-only
    signed: bool           # diverging colours (feature maps) or grey (the input image)


@dataclass(frozen=True, eq=False)
class MapsPicture:
    columns: tuple[MapsColumn, ...]
    probabilities: Array   # (classes,)
    label: int             # the true class
    class_names: tuple[str, ...]

    @property
    def predicted(self) -> int:
        return int(np.argmax(self.probabilities))


def maps_picture(net: ConvNet, image: Array, label: int, class_names: tuple[str, ...]) -> MapsPicture:
    """The picture of ``image`` (C, H, W) going through ``net`` (evaluation mode)."""
    trace = net.forward(np.asarray(image)[None])
    layers = net.engine.layers
    columns = [MapsColumn("input", _frozen(trace.inputs[0]), False)]
    conv_count = pool_count = 0
    for index, layer in enumerate(layers[:-1]):
        following = layers[index + 1]
        if isinstance(layer, Conv2D):
            shown = index + 1 if isinstance(following, ActivationLayer) and not following.output else index
            name = f"conv{conv_count}" + (f" + {following.function.name}" if shown != index else "")
            columns.append(MapsColumn(name, _frozen(trace.outputs[shown][0]), True))
            conv_count += 1
        elif isinstance(layer, MaxPool2D):
            columns.append(MapsColumn(f"pool{pool_count}", _frozen(trace.outputs[index][0]), True))
            pool_count += 1
    return MapsPicture(tuple(columns), _frozen(trace.output[0]), int(label), tuple(class_names))


def grid(count: int, width: float, height: float, gap: float = 3.0) -> tuple[int, float]:
    """(maps across, side of a map) that makes ``count`` square maps largest in width × height."""
    best = (1, 0.0)
    for across in range(1, count + 1):
        down = -(-count // across)
        side = min(width / across, height / down) - gap
        if side > best[1]:
            best = (across, side)
    return best


def _frozen(array: Array) -> Array:
    copy = np.array(array, dtype=np.float64)
    copy.setflags(write=False)
    return copy


class MapsView(PictureView):
    """Paints a ``MapsPicture``; ``set_picture`` replaces it."""

    MARGIN, GAP, TITLE = 8.0, 3.0, 16.0

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("featureMapsView")
        self.setMinimumSize(480, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paint_picture(self, painter: QPainter, picture: MapsPicture) -> None:
        columns = len(picture.columns) + 1                       # + the probabilities
        column_width = (self.width() - 2 * self.MARGIN) / columns
        height = self.height() - 2 * self.MARGIN - self.TITLE
        painter.setPen(QColor(*INK))
        for number, column in enumerate(picture.columns):
            left = self.MARGIN + number * column_width
            painter.drawText(QRectF(left, self.MARGIN, column_width, self.TITLE),
                             Qt.AlignmentFlag.AlignCenter, column.title)
            count = column.maps.shape[0]
            across, side = grid(count, column_width - self.GAP, height)
            down = -(-count // across)
            vmax = largest(column.maps)
            first_left = left + (column_width - across * (side + self.GAP) + self.GAP) / 2
            top = self.MARGIN + self.TITLE + (height - down * (side + self.GAP)) / 2
            for channel in range(count):
                row, place = divmod(channel, across)
                rect = QRectF(first_left + place * (side + self.GAP), top + row * (side + self.GAP), side, side)
                values = column.maps[channel]
                image = signed_image(values, vmax) if column.signed else grey_image(values)
                painter.drawImage(rect, image)
                self.cells.append((rect, f"{column.title}, map {channel}: "
                                         f"min {values.min():.3g}, max {values.max():.3g}"))
        self._paint_probabilities(painter, picture, self.MARGIN + len(picture.columns) * column_width,
                                  column_width, height)

    def _paint_probabilities(self, painter: QPainter, picture: MapsPicture, left: float, width: float,
                             height: float) -> None:
        painter.setPen(QColor(*INK))
        painter.drawText(QRectF(left, self.MARGIN, width, self.TITLE), Qt.AlignmentFlag.AlignCenter,
                         f"output: {picture.class_names[picture.predicted]}")
        classes = len(picture.probabilities)
        row = height / classes
        label_width = 18.0
        for number, probability in enumerate(picture.probabilities):
            top = self.MARGIN + self.TITLE + number * row
            painter.setPen(QColor(*INK))
            painter.drawText(QRectF(left, top, label_width, row), Qt.AlignmentFlag.AlignCenter,
                             picture.class_names[number])
            colour = POSITIVE if number == picture.label else NEGATIVE
            bar = QRectF(left + label_width, top + row * 0.15,
                         max(1.0, (width - label_width - self.GAP) * float(probability)), row * 0.7)
            painter.fillRect(bar, QColor(*colour))
            self.cells.append((bar, f"class {picture.class_names[number]}: p = {probability:.3f}"
                                     + (" (true class)" if number == picture.label else "")))
        painter.setPen(QPen(QColor(*INK), 1))
        painter.drawLine(QPointF(left + label_width, self.MARGIN + self.TITLE),
                         QPointF(left + label_width, self.MARGIN + self.TITLE + height))
