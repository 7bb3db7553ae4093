"""The confusion matrix, counted by hand."""
import numpy as np
import pytest

from model.confusion import confusion_matrix, misclassified


def test_counts_by_true_row_and_predicted_column():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    np.testing.assert_array_equal(confusion_matrix(labels, predicted, 3), [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(misclassified(labels, predicted), [1, 4])


def test_mismatched_shapes_say_so():
    with pytest.raises(ValueError, match=r"two \(n,\) arrays"):
        confusion_matrix(np.zeros(3), np.zeros(4), 2)
