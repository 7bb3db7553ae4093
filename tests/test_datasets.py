"""Built-in generators, Data/Split and input features (model/datasets.py, model/features.py)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.datasets import DATASETS, TASKS, Data, make_dataset
from model.features import DEFAULT_FEATURES, FEATURES, make_features

CLASSIFICATION = [name for name, spec in DATASETS.items() if spec.task != "regression"]
REGRESSION = [name for name, spec in DATASETS.items() if spec.task == "regression"]


def test_registry_names_order_and_tasks():
    assert list(DATASETS)[:6] == ["circle", "xor", "gaussian", "spiral", "moons", "three_blobs"]
    assert REGRESSION == ["plane", "multi_gaussian", "sine"]
    assert list(DATASETS).index("plane") > max(list(DATASETS).index(n) for n in CLASSIFICATION)
    for name, spec in DATASETS.items():
        assert spec.name == name and spec.task in TASKS
        assert spec.description.endswith(".") and "\n" not in spec.description


@pytest.mark.parametrize("name", DATASETS)
def test_shapes_dtype_range_and_validity(name):
    data = make_dataset(name, n_samples=203, noise=0.5, seed=3)
    assert data.name == name and data.task == DATASETS[name].task
    assert data.points.shape == (203, 2) and data.points.dtype == np.float64
    assert data.targets.dtype == np.float64 and len(data.targets) == 203
    assert np.all(np.isfinite(data.points)) and np.all(np.isfinite(data.targets))
    assert np.abs(data.points).max() < 12  # "about [-6, 6]", blobs may spill a little
    assert data.feature_names == ("x1", "x2") and data.standardizer is None
    assert not data.points.flags.writeable
    assert name in repr(data)


@pytest.mark.parametrize("name", DATASETS)
def test_deterministic_per_seed_and_different_between_seeds(name):
    first = make_dataset(name, 100, 0.2, seed=7)
    again = DATASETS[name].generate(100, 0.2, 7)
    other = make_dataset(name, 100, 0.2, seed=8)
    np.testing.assert_array_equal(first.points, again.points)
    np.testing.assert_array_equal(first.targets, again.targets)
    assert not np.array_equal(first.points, other.points)


@pytest.mark.parametrize("name", DATASETS)
def test_noise_changes_the_data(name):
    clean, noisy = make_dataset(name, 300, 0.0, 1), make_dataset(name, 300, 1.0, 1)
    assert not (np.array_equal(clean.points, noisy.points)
                and np.array_equal(clean.targets, noisy.targets))


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("n", [4, 101, 300])
def test_classes_balanced_and_encoded(name, n):
    data = make_dataset(name, n, noise=0.0, seed=2)
    counts = np.bincount(data.labels, minlength=len(data.class_names))
    assert counts.max() - counts.min() <= 1
    assert data.class_names == tuple(str(c) for c in range(len(counts)))
    if data.task == "binary":
        assert data.n_classes == 1 and set(np.unique(data.targets)) <= {0.0, 1.0}
    else:
        assert data.n_classes == 3 and np.all(data.targets.sum(axis=1) == 1)
        np.testing.assert_array_equal(np.argmax(data.targets, axis=1), data.labels)


def test_clean_shapes_follow_playground():
    radius = np.hypot(*make_dataset("circle", 400).points.T)
    labels = make_dataset("circle", 400).labels
    assert radius[labels == 1].max() <= 2.5 and radius[labels == 0].min() >= 3.5
    xor = make_dataset("xor", 400)
    x1, x2 = xor.points.T
    np.testing.assert_array_equal(xor.labels, (x1 * x2 >= 0).astype(int))
    assert np.abs(xor.points).min() >= 0.3
    gauss = make_dataset("gaussian", 2000)
    np.testing.assert_allclose(gauss.points[gauss.labels == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(gauss.points[gauss.labels == 0].mean(axis=0), [-2, -2], atol=0.1)
    spiral = make_dataset("spiral", 200)
    arm = spiral.points[spiral.labels == 1]
    np.testing.assert_allclose(np.sort(np.hypot(*arm.T)), np.arange(100) / 100 * 5, atol=1e-12)
    # the two arms are point reflections of each other (offset π)
    other = spiral.points[spiral.labels == 0]
    order = lambda p: p[np.argsort(np.hypot(*p.T))]  # noqa: E731
    np.testing.assert_allclose(order(other), -order(arm), atol=1e-12)


def test_noisy_circle_and_xor_label_noise():
    clean, noisy = make_dataset("xor", 1000, 0.0, 4), make_dataset("xor", 1000, 1.0, 4)
    x1, x2 = noisy.points.T
    flipped = np.mean(noisy.labels != (x1 * x2 >= 0))
    assert 0.05 < flipped < 0.45
    assert clean.labels.mean() == 0.5
    circle = make_dataset("circle", 1000, 1.0, 4)
    wrong_side = circle.labels != (np.hypot(*circle.points.T) < 2.5)
    assert 0.05 < wrong_side.mean() < 0.5


def test_regression_targets():
    plane = make_dataset("plane", 500)
    np.testing.assert_allclose(plane.targets[:, 0], plane.points.sum(axis=1) / 10)
    assert np.abs(plane.targets).max() <= 1.2
    bumps = make_dataset("multi_gaussian", 500, noise=1.0)
    assert np.abs(bumps.targets).max() <= 1.0 and bumps.targets.std() > 0.1
    sine = make_dataset("sine", 500)
    np.testing.assert_allclose(sine.targets[:, 0], np.sin(sine.points[:, 0]))
    assert np.abs(make_dataset("sine", 500, 1.0).targets).max() <= 1.5
    with pytest.raises(ValueError, match="regression"):
        sine.labels


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="nope"), "unknown data set 'nope'.*circle.*sine"),
    (dict(name="circle", n_samples=3), "n_samples"),
    (dict(name="circle", n_samples=10.5), "n_samples"),
    (dict(name="circle", noise=1.5), "noise"),
    (dict(name="circle", noise=-0.1), "noise"),
    (dict(name="circle", noise=float("nan")), "noise"),
    (dict(name="circle", seed=-1), "seed"),
])
def test_make_dataset_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(**kwargs)


def test_data_validates_its_arrays():
    with pytest.raises(ValueError, match="task"):
        Data("d", "ranking", np.zeros((4, 2)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="shape|must be"):
        Data("d", "binary", np.zeros((4, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="0/1"):
        Data("d", "binary", np.zeros((4, 2)), np.full((4, 1), 2.0))
    with pytest.raises(ValueError, match="feature names"):
        Data("d", "regression", np.zeros((4, 3)), np.zeros((4, 1)))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(4, 120), ratio=st.floats(0.0, 0.9), seed=st.integers(0, 2**32 - 1))
def test_split_sizes_and_partition(n, ratio, seed):
    data = make_dataset("gaussian", n, 0.3, seed=1)
    split = data.split(ratio, seed)
    n_train = max(1, round(n * (1 - ratio)))
    assert split.train_points.shape == (n_train, 2) and split.test_points.shape == (n - n_train, 2)
    assert len(split.train_targets) == n_train and len(split.test_targets) == n - n_train
    assert split.data is data
    together = np.vstack([np.hstack([split.train_points, split.train_targets]),
                          np.hstack([split.test_points, split.test_targets])])
    everything = np.hstack([data.points, data.targets])
    np.testing.assert_array_equal(np.sort(together, axis=0), np.sort(everything, axis=0))
    assert len(np.unique(together, axis=0)) == n  # disjoint: no row used twice


def test_split_seeded_and_edge_ratios():
    data = make_dataset("spiral", 50)
    a, b, c = data.split(0.2, 5), data.split(0.2, 5), data.split(0.2, 6)
    np.testing.assert_array_equal(a.train_points, b.train_points)
    assert not np.array_equal(a.train_points, c.train_points)
    assert data.split(0.0, 0).test_points.shape == (0, 2)
    assert data.split(0.0, 0).test_targets.shape == (0, 1)
    assert len(make_dataset("xor", 4).split(0.9, 0).train_points) == 1
    for bad in (0.95, -0.1, float("nan"), "0.2", True):
        with pytest.raises(ValueError, match="test_ratio"):
            data.split(bad, 0)


def test_features_match_hand_formulas():
    points = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -1.5]])
    x1, x2 = points.T
    expected = {"x1": x1, "x2": x2, "x1^2": x1 ** 2, "x2^2": x2 ** 2, "x1*x2": x1 * x2,
                "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    assert list(FEATURES) == list(expected) and DEFAULT_FEATURES == ("x1", "x2")
    matrix = make_features(points, list(expected))
    assert matrix.shape == (3, 7) and matrix.dtype == np.float64
    for j, name in enumerate(expected):
        np.testing.assert_allclose(matrix[:, j], expected[name])
        assert FEATURES[name].name == name and FEATURES[name].label
    np.testing.assert_array_equal(make_features(points, DEFAULT_FEATURES), points)
    np.testing.assert_allclose(make_features(points, ("sin_x2", "x1")),
                               np.column_stack([np.sin(x2), x1]))
    assert FEATURES["x1^2"].label == "X₁²" and FEATURES["sin_x1"].label == "sin(X₁)"


@pytest.mark.parametrize("points, names, message", [
    (np.zeros((3, 2)), ["x3"], "unknown feature 'x3'"),
    (np.zeros((3, 2)), [], "at least one"),
    (np.zeros((3, 2)), "x1", "sequence"),
    (np.zeros((3, 2)), ["x1", "x1"], "more than once"),
    (np.zeros((3, 3)), ["x1"], r"\(n, 2\)"),
    (np.zeros(3), ["x1"], r"\(n, 2\)"),
])
def test_make_features_rejects_bad_input(points, names, message):
    with pytest.raises(ValueError, match=message):
        make_features(points, names)
