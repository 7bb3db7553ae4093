"""An MLP and a ConvNet on the same digits in lock-step: shifted test images."""
import numpy as np

from model.data import load_digits
from model.why_convolution import compare_on_shifts, shifted


def test_shifting_moves_pixels_and_fills_the_edge_with_zeros():
    image = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(shifted(image, 1, 0)[0, 0], [[0, 0, 0], [1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(shifted(image, 0, -1)[0, 0], [[2, 3, 0], [5, 6, 0], [8, 9, 0]])
    np.testing.assert_array_equal(shifted(image, 0, 0), image)


def test_the_cnn_has_fewer_parameters_and_copes_better_with_shifted_digits():
    rows = list(compare_on_shifts(load_digits(), epochs=4, seed=0))
    mlp, cnn = rows[-1]
    assert [m.epoch for m, _ in rows] == [c.epoch for _, c in rows] == [1, 2, 3, 4]
    assert (mlp.parameters, cnn.parameters) == (64 * 64 + 64 + 64 * 10 + 10, 1898)
    assert mlp.test_accuracy > 0.9 and cnn.test_accuracy > 0.9
    # one pixel off costs the dense network far more than the convolutional one
    assert cnn.shifted_accuracy > mlp.shifted_accuracy + 0.05
    assert mlp.shifted_accuracy < mlp.test_accuracy - 0.2
