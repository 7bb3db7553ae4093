"""The shipped digits and the generated image sets."""
import numpy as np
import pytest

from model.data import IMAGE_DATASETS, load_digits, load_images, make_bars
from model.data.digits import DIGITS_FILE


def test_digits_shapes_labels_and_values():
    digits = load_digits()
    assert digits.images.shape == (1797, 1, 8, 8) and digits.targets.shape == (1797, 10)
    assert not np.isnan(digits.images).any()
    assert digits.images.min() == 0.0 and digits.images.max() == 1.0
    np.testing.assert_array_equal(digits.targets.sum(axis=1), 1.0)
    counts = np.bincount(digits.labels, minlength=10)
    assert counts.sum() == 1797 and counts.min() >= 170        # about 180 of each digit
    assert list(digits.labels[:10]) == list(range(10))         # the UCI file's order: 0, 1, …, 9
    # pixels are 4×4 block counts 0…16: multiples of 1/16 after scaling
    np.testing.assert_array_equal(digits.images * 16, np.round(digits.images * 16))


def test_the_digits_ship_with_their_attribution():
    licence = (DIGITS_FILE.parent / "LICENSE.md").read_text()
    assert "CC BY 4.0" in licence and "Alpaydin" in licence


def test_digits_as_data_rows_are_channel_major_pixels():
    digits = load_digits()
    data = digits.data()
    assert data.task == "multiclass" and data.points.shape == (1797, 64)
    np.testing.assert_array_equal(data.points[5].reshape(8, 8), digits.images[5, 0])
    assert data.feature_names[9] == "r1c1"


def test_bars_are_horizontal_or_vertical():
    bars = make_bars(40, seed=1)
    assert bars.images.shape == (40, 1, 8, 8)
    for image, label in zip(bars.images[:, 0], bars.labels):
        lit = image > 0.5
        lines = lit.all(axis=1 if label == 0 else 0)           # whole rows (0) or columns (1)
        assert lines.any() and (lit == (lines[:, None] if label == 0 else lines[None, :])).all()


def test_unknown_image_set_names_the_choices():
    with pytest.raises(ValueError, match="choose one of digits, bars"):
        load_images("mnist")
    assert set(IMAGE_DATASETS) == {"digits", "bars"}
