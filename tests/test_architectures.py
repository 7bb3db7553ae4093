"""The digits read row by row, and the three architectures on the same digits."""
import numpy as np
import pytest

from model import ConvNet, Network, RecurrentNetwork
from model.architectures import ARCHITECTURES, train_architectures
from model.data import load_digits, make_sequence_task


def test_the_digit_rows_are_the_images_read_top_to_bottom():
    digits = load_digits()
    rows = make_sequence_task("digits", 1797)
    assert (rows.task, rows.steps, rows.n_features, rows.n_outputs, rows.sequence_output) == \
        ("multiclass", 8, 8, 10, False)
    for i, t in ((0, 0), (5, 3), (1796, 7)):
        np.testing.assert_array_equal(rows.inputs[i, t], digits.images[i, 0, t])      # row t of image i
    np.testing.assert_array_equal(rows.targets, digits.targets)
    # a split with the same seed holds the same test images as the images' split
    split, image_split = rows.split(0.2, seed=3), digits.data().split(0.2, seed=3)
    np.testing.assert_array_equal(split.test_inputs, image_split.test_points.reshape(-1, 8, 8))
    np.testing.assert_array_equal(split.test_targets, image_split.test_targets)
    assert make_sequence_task("digits", 10).n_samples == 10


@pytest.mark.parametrize("ask, message", [
    (dict(n_samples=1797, steps=20), "the digits task has sequences of 8 steps; set the sequence length to 8"),
    (dict(n_samples=2000), "the digits are 1797 images; ask for at most that many sequences, got 2000"),
])
def test_the_digit_rows_refuse_what_they_cannot_be(ask, message):
    with pytest.raises(ValueError, match=message):
        make_sequence_task("digits", **ask)


def test_three_architectures_train_on_the_same_digits_from_the_same_seed():
    results = train_architectures(epochs=1, seed=2)
    assert [r.name for r in results] == ["mlp", "cnn", "rnn"]
    kinds = {"mlp": Network, "cnn": ConvNet, "rnn": RecurrentNetwork}
    digits = load_digits()
    split = digits.data().split(0.2, seed=2)
    images = split.test_points.reshape(-1, 1, 8, 8)
    for r in results:
        assert isinstance(r.net, kinds[r.name]) and r.parameters == r.net.params.size
        inputs = ARCHITECTURES[r.name].inputs(images)
        expected = np.mean(r.net.predict(inputs).argmax(axis=1) == split.test_targets.argmax(axis=1))
        assert r.test_accuracy == expected and 0.5 < r.test_accuracy <= 1.0       # one epoch learns a lot
        assert r.seconds_per_epoch > 0
    assert [r.parameters for r in results] == [64 * 32 + 32 + 32 * 10 + 10,
                                               8 * 9 + 8 + 16 * 8 * 9 + 16 + 64 * 10 + 10,
                                               8 * 32 + 32 * 32 + 32 + 32 * 10 + 10]
    # the RNN reads the rows of the same test images
    np.testing.assert_array_equal(ARCHITECTURES["rnn"].inputs(images),
                                  make_sequence_task("digits", 1797).split(0.2, seed=2).test_inputs)
    with pytest.raises(ValueError, match="unknown architecture 'gru'"):
        train_architectures(epochs=1, names=["gru"])
