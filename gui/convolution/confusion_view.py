"""The test set's confusion matrix (rows: true class, columns: predicted) and a gallery of
misclassified test images, each labelled "true → predicted". Hover a cell for its count."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from gui.convolution.hover import PictureView
from gui.convolution.pictures import grey_image
from gui.widgets.colors import BACKGROUND, INK, NEGATIVE, NEUTRAL, POSITIVE, mix
from model.confusion import confusion_matrix, misclassified

Array = np.ndarray
GALLERY = 12          # misclassified images shown at most


@dataclass(frozen=True, eq=False)
class ConfusionPicture:
    matrix: Array                 # (classes, classes) counts
    class_names: tuple[str, ...]
    wrong_images: Array           # (m, H, W), m ≤ GALLERY
    wrong_labels: Array           # (m,) true classes
    wrong_predictions: Array      # (m,) predicted classes


def confusion_picture(images: Array, labels: Array, probabilities: Array,
                      class_names: tuple[str, ...]) -> ConfusionPicture:
    """From test images (n, C, H, W), their labels (n,) and the predicted probabilities (n, classes)."""
    predicted = probabilities.argmax(axis=1)
    wrong = misclassified(labels, predicted)[:GALLERY]
    return ConfusionPicture(confusion_matrix(labels, predicted, len(class_names)), tuple(class_names),
                            np.array(images[wrong, 0]), labels[wrong], predicted[wrong])


class ConfusionView(PictureView):
    """Paints a ``ConfusionPicture``."""

    MARGIN, GAP = 6.0, 4.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.setMinimumSize(260, 180)

    def paint_picture(self, painter: QPainter, picture: ConfusionPicture) -> None:
        side = min(self.width() * 0.6, self.height()) - 2 * self.MARGIN
        self._paint_matrix(painter, picture, side)
        self._paint_gallery(painter, picture, self.MARGIN * 2 + side)

    def _paint_matrix(self, painter: QPainter, picture: ConfusionPicture, side: float) -> None:
        classes = len(picture.class_names)
        cell = side / (classes + 1)
        largest = max(int(picture.matrix.max()), 1)
        painter.setPen(QColor(*INK))
        if cell < 20:                     # small cells (a compared run's panel): two digits still fit
            font = painter.font()
            font.setPixelSize(max(7, int(cell * 0.55)))
            painter.setFont(font)
        for index, name in enumerate(picture.class_names):      # headers: predicted across, true down
            painter.drawText(QRectF(self.MARGIN + (index + 1) * cell, self.MARGIN, cell, cell),
                             Qt.AlignmentFlag.AlignCenter, name)
            painter.drawText(QRectF(self.MARGIN, self.MARGIN + (index + 1) * cell, cell, cell),
                             Qt.AlignmentFlag.AlignCenter, name)
        for true in range(classes):
            for predicted in range(classes):
                count = int(picture.matrix[true, predicted])
                rect = QRectF(self.MARGIN + (predicted + 1) * cell, self.MARGIN + (true + 1) * cell, cell, cell)
                hue = POSITIVE if true == predicted else NEGATIVE
                painter.fillRect(rect, mix(NEUTRAL, hue, count / largest) if count else QColor(*BACKGROUND))
                if count:
                    painter.setPen(QColor(*INK))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
                self.cells.append((rect, f"true {picture.class_names[true]}, predicted "
                                         f"{picture.class_names[predicted]}: {count} test images"))

    def _paint_gallery(self, painter: QPainter, picture: ConfusionPicture, left: float) -> None:
        painter.setPen(QColor(*INK))
        painter.drawText(QRectF(left, self.MARGIN, self.width() - left, 16), Qt.AlignmentFlag.AlignLeft,
                         "misclassified" if len(picture.wrong_images) else "no test image misclassified")
        room = self.width() - left - self.MARGIN
        columns = max(1, min(3, int(room // (42.0 + self.GAP))))       # wide enough for "7 → 1" below
        side = min(room / columns - self.GAP, 56.0)
        rows = max(int((self.height() - self.MARGIN - 18) // (side + 16)), 1)    # whole images only
        for number, image in enumerate(picture.wrong_images[:rows * columns]):
            row, column = divmod(number, columns)
            rect = QRectF(left + column * (side + self.GAP), self.MARGIN + 18 + row * (side + 16), side, side)
            painter.drawImage(rect, grey_image(image))
            true = picture.class_names[picture.wrong_labels[number]]
            predicted = picture.class_names[picture.wrong_predictions[number]]
            painter.drawText(QRectF(rect.left(), rect.bottom(), side, 14), Qt.AlignmentFlag.AlignCenter,
                             f"{true} → {predicted}")
            self.cells.append((rect, f"a {true} taken for a {predicted}"))
