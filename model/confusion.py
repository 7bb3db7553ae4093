"""Which classes a classifier mixes up: the confusion matrix and the misclassified samples.

``confusion_matrix(labels, predicted, classes)[t, p]`` counts the samples of true
class t predicted as p (rows: truth, columns: prediction); the diagonal is what
was right. Shapes: labels and predicted (n,) class indices.
"""
from __future__ import annotations

import numpy as np

Array = np.ndarray


def confusion_matrix(labels: Array, predicted: Array, classes: int) -> Array:
    """(classes, classes) int counts: row = true class, column = predicted class."""
    labels, predicted = np.asarray(labels, dtype=np.intp), np.asarray(predicted, dtype=np.intp)
    if labels.shape != predicted.shape or labels.ndim != 1:
        raise ValueError(f"labels and predictions must be two (n,) arrays, got {labels.shape} and "
                         f"{predicted.shape}")
    return np.bincount(labels * classes + predicted, minlength=classes * classes).reshape(classes, classes)


def misclassified(labels: Array, predicted: Array) -> Array:
    """The indices of the samples predicted wrong, in order."""
    return np.flatnonzero(np.asarray(labels) != np.asarray(predicted))
