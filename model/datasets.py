"""Data sets: the ``Data`` container, train/test ``Split`` and built-in generators.

The generators follow TensorFlow Playground (``dataset.ts``): points are 2-D and
lie in about [-6, 6]², and ``noise`` in [0, 1] maps to Playground's 0–50 % slider
(``pg = noise / 2``). Every generator is deterministic for a given seed
(``np.random.default_rng(seed)``) and its classes are balanced; points come out
shuffled.

Shapes: ``points`` X is (n, d) float64; ``targets`` Y is (n, k) float64 —
binary (n, 1) in {0, 1}, multiclass (n, C) one-hot, regression (n, 1).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from numbers import Integral, Real
from typing import TYPE_CHECKING, Callable

import numpy as np

if TYPE_CHECKING:  # csv_data imports this module; avoid the cycle at run time
    from .csv_data import Standardizer

Array = np.ndarray
TASKS = ("binary", "multiclass", "regression")
RADIUS = 6.0  # half-width of the input plane, as in Playground


def _frozen_array(values: Array) -> Array:
    array = np.array(values, dtype=np.float64)  # always a private copy
    array.setflags(write=False)
    return array


def train_test_rows(name: str, n_samples: int, test_ratio: float, seed: int) -> tuple[Array, Array]:
    """Row indices (train, test) of a shuffle with ``seed``: the first round(n·(1 − test_ratio))
    train; ``test_ratio`` in [0, 0.9]; train keeps at least one sample."""
    if (isinstance(test_ratio, bool) or not isinstance(test_ratio, Real)
            or not 0.0 <= test_ratio <= 0.9):
        raise ValueError(f"test_ratio must be a number in [0, 0.9], got {test_ratio!r}")
    rng = np.random.default_rng(_check_seed(seed))
    order = rng.permutation(n_samples)
    n_train = 0 if n_samples == 0 else max(1, round(n_samples * (1.0 - test_ratio)))
    if n_train == 0:
        raise ValueError(f"data set {name!r} is empty; nothing to split")
    return order[:n_train], order[n_train:]


@dataclass(frozen=True, eq=False)
class Data:
    """A labelled data set: n samples with d inputs and k target columns.

    Arrays are stored as read-only float64 copies. For CSV data ``points`` are
    already standardized and ``standardizer`` maps them back to file units.
    """

    name: str
    task: str
    points: Array
    targets: Array
    class_names: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = ("x1", "x2")
    standardizer: Standardizer | None = None

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, got {self.task!r}")
        points, targets = _frozen_array(self.points), _frozen_array(self.targets)
        if points.ndim != 2 or targets.ndim != 2 or len(points) != len(targets):
            raise ValueError(f"points must be (n, d) and targets (n, k), "
                             f"got {points.shape} and {targets.shape}")
        if len(self.feature_names) != points.shape[1]:
            raise ValueError(f"{points.shape[1]} input columns but "
                             f"{len(self.feature_names)} feature names")
        if self.task != "multiclass" and targets.shape[1] != 1:
            raise ValueError(f"{self.task} targets must be (n, 1), got {targets.shape}")
        if self.task != "regression" and not (np.isin(targets, (0.0, 1.0)).all() and (
                self.task == "binary" or (targets.sum(axis=1) == 1).all())):
            raise ValueError(f"{self.task} targets must be 0/1 (one-hot rows for multiclass)")
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "class_names", tuple(self.class_names))
        object.__setattr__(self, "feature_names", tuple(self.feature_names))

    @property
    def n_classes(self) -> int:
        """Number of output units the targets need: ``targets.shape[1]`` (1 for binary)."""
        return self.targets.shape[1]

    @property
    def n_samples(self) -> int:
        return self.points.shape[0]

    @property
    def n_features(self) -> int:
        return self.points.shape[1]

    @property
    def labels(self) -> Array:
        """(n,) int class index: the 0/1 target (binary) or argmax of the one-hot row."""
        if self.task == "regression":
            raise ValueError(f"data set {self.name!r} is regression; it has no class labels")
        if self.task == "binary":
            return self.targets[:, 0].astype(np.int64)
        return np.argmax(self.targets, axis=1)

    def split(self, test_ratio: float, seed: int) -> Split:
        """Shuffle with ``seed``; the first ``round(n·(1 − test_ratio))`` go to train.

        ``test_ratio`` is in [0, 0.9]; train keeps at least one sample and test
        is empty (shape (0, d)) when ``test_ratio == 0``.
        """
        train, test = train_test_rows(self.name, self.n_samples, test_ratio, seed)
        return Split(self, self.points[train], self.targets[train],
                     self.points[test], self.targets[test])

    def __repr__(self) -> str:
        return (f"Data({self.name!r}, task={self.task!r}, n={self.n_samples}, "
                f"d={self.n_features}, outputs={self.n_classes})")


@dataclass(frozen=True, eq=False)
class Split:
    """A train/test partition of ``data`` (rows are copies, read-only)."""

    data: Data
    train_points: Array
    train_targets: Array
    test_points: Array
    test_targets: Array

    def __post_init__(self) -> None:
        for field in ("train_points", "train_targets", "test_points", "test_targets"):
            object.__setattr__(self, field, _frozen_array(getattr(self, field)))

    def __repr__(self) -> str:
        return (f"Split({self.data.name!r}, train={len(self.train_points)}, "
                f"test={len(self.test_points)})")


@dataclass(frozen=True)
class DatasetSpec:
    """A built-in data set: ``generate(n_samples, noise, seed) -> Data``."""

    name: str
    task: str
    description: str
    generate: Callable[[int, float, int], Data]


# --- generators: (n, pg noise in [0, 0.5], rng) -> (points (n, 2), class index or value (n,))

def _class_sizes(n: int, n_classes: int) -> list[int]:
    """Split n as evenly as possible: 7 into 3 -> [3, 2, 2]."""
    return [n // n_classes + (c < n % n_classes) for c in range(n_classes)]


def _concat(parts: list[tuple[Array, Array]]) -> tuple[Array, Array]:
    return np.concatenate([p for p, _ in parts]), np.concatenate([y for _, y in parts])


def _polar(r: Array, angle: Array) -> Array:
    # Playground puts x = r·sin(t), y = r·cos(t)
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)])


def _circle(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Disc of radius 2.5 (class 1) inside a ring 3.5–5 (class 0); label from the noisy point."""
    parts = []
    for label, (low, high), size in zip((1, 0), ((0.0, 2.5), (3.5, 5.0)), _class_sizes(n, 2)):
        points = _polar(rng.uniform(low, high, size), rng.uniform(0, 2 * np.pi, size))
        noisy = points + rng.uniform(-5, 5, (size, 2)) * pg
        parts.append((points, (np.hypot(noisy[:, 0], noisy[:, 1]) < 2.5).astype(float)))
    return _concat(parts)


def _xor(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Quadrants, padded 0.3 away from the axes: class 1 where x1·x2 ≥ 0 (of the noisy point)."""
    parts = []
    for same_sign, size in zip((True, False), _class_sizes(n, 2)):
        sign_x = rng.choice((-1.0, 1.0), size)
        sign_y = sign_x if same_sign else -sign_x
        points = np.column_stack([sign_x, sign_y]) * (rng.uniform(0, 5, (size, 2)) + 0.3)
        noisy = points + rng.uniform(-5, 5, (size, 2)) * pg
        parts.append((points, (noisy[:, 0] * noisy[:, 1] >= 0).astype(float)))
    return _concat(parts)


def _blobs(centers: list[tuple[float, float]], n: int, pg: float,
           rng: np.random.Generator) -> tuple[Array, Array]:
    """Gaussian blobs; variance 0.5 → 4 as Playground's noise goes 0 → 50 %."""
    std = math.sqrt(0.5 + 7.0 * pg)
    parts = [(rng.normal(center, std, (size, 2)), np.full(size, float(c)))
             for c, (center, size) in enumerate(zip(centers, _class_sizes(n, len(centers))))]
    return _concat(parts)


def _spiral(n: int, pg: float, rng: np.random.Generator, arms: int = 2) -> tuple[Array, Array]:
    """Playground's classifySpiralData: r = 5i/m, t = 1.75·2πi/m + offset, + U(−1, 1)·pg."""
    parts = []
    for arm, size in enumerate(_class_sizes(n, arms)):
        step = np.arange(size) / size
        points = _polar(5 * step, 1.75 * 2 * np.pi * step + 2 * np.pi * arm / arms)
        points += rng.uniform(-1, 1, (size, 2)) * pg
        # two arms: Playground's positive arm (offset 0) is class 1
        parts.append((points, np.full(size, float((1 - arm) if arms == 2 else arm))))
    return _concat(parts)


def _moons(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Two interleaving half circles (as scikit-learn's make_moons), scaled ×3 and centred."""
    upper, lower = _class_sizes(n, 2)
    t_up, t_low = rng.uniform(0, np.pi, upper), rng.uniform(0, np.pi, lower)
    points = np.concatenate([np.column_stack([np.cos(t_up), np.sin(t_up)]),
                             np.column_stack([1 - np.cos(t_low), 0.5 - np.sin(t_low)])])
    points += rng.normal(0, 0.8 * pg, points.shape)
    return 3 * (points - (0.5, 0.25)), np.concatenate([np.zeros(upper), np.ones(lower)])


def _uniform_plane(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Points uniform in [−6, 6]², and the same displaced by U(−6, 6)·pg for the label."""
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    return points, points + rng.uniform(-RADIUS, RADIUS, (n, 2)) * pg


def _plane(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """y = (x1 + x2)/10 at the noisy point, in about [−1.2, 1.2]."""
    points, noisy = _uniform_plane(n, pg, rng)
    return points, noisy.sum(axis=1) / 10.0


_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _multi_gaussian(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """Six signed bumps ±max(0, 1 − dist/2); y is the one largest in |·|, so y ∈ [−1, 1]."""
    points, noisy = _uniform_plane(n, pg, rng)
    values = np.stack([sign * np.clip(1 - np.hypot(noisy[:, 0] - cx, noisy[:, 1] - cy) / 2, 0, 1)
                       for cx, cy, sign in _BUMPS], axis=1)
    return points, values[np.arange(n), np.argmax(np.abs(values), axis=1)]


def _sine(n: int, pg: float, rng: np.random.Generator) -> tuple[Array, Array]:
    """y = sin(x1) + U(−1, 1)·pg; x2 is an irrelevant input."""
    points = rng.uniform(-RADIUS, RADIUS, (n, 2))
    return points, np.sin(points[:, 0]) + rng.uniform(-1, 1, n) * pg


# --- registry

def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _generate(name: str, task: str, raw: Callable, n_classes: int,
              n_samples: int, noise: float, seed: int) -> Data:
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral) or n_samples < 4:
        raise ValueError(f"n_samples must be an integer ≥ 4, got {n_samples!r}")
    if isinstance(noise, bool) or not isinstance(noise, Real) or not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be a number in [0, 1], got {noise!r}")
    rng = np.random.default_rng(_check_seed(seed))
    points, values = raw(int(n_samples), float(noise) / 2.0, rng)
    order = rng.permutation(len(points))
    points, values = points[order], values[order]
    if task == "multiclass":
        targets = np.eye(n_classes)[values.astype(int)]
    else:
        targets = values[:, None]
    class_names = tuple(str(c) for c in range(max(n_classes, 2))) if task != "regression" else ()
    return Data(name, task, points, targets, class_names)


def _spec(name: str, task: str, description: str, raw: Callable, n_classes: int = 1) -> DatasetSpec:
    return DatasetSpec(name, task, description, partial(_generate, name, task, raw, n_classes))


DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (
    _spec("circle", "binary", "A disc of one class inside a ring of the other.", _circle),
    _spec("xor", "binary", "Four quadrants: the class is the sign of x1·x2 (exclusive or).", _xor),
    _spec("gaussian", "binary", "Two Gaussian blobs, at (2, 2) and (−2, −2).",
          partial(_blobs, [(-2.0, -2.0), (2.0, 2.0)])),
    _spec("spiral", "binary", "Two interleaved spiral arms, hard for a small network.", _spiral),
    _spec("moons", "binary", "Two interleaving half moons.", _moons),
    _spec("three_blobs", "multiclass", "Three Gaussian blobs, one per class.",
          partial(_blobs, [(0.0, 3.5), (-3.03, -1.75), (3.03, -1.75)]), 3),
    _spec("spiral3", "multiclass", "Three interleaved spiral arms, one per class.",
          partial(_spiral, arms=3), 3),
    _spec("plane", "regression", "A tilted plane: y = (x1 + x2)/10.", _plane),
    _spec("multi_gaussian", "regression", "Six positive and negative Gaussian-like bumps.",
          _multi_gaussian),
    _spec("sine", "regression", "A sine wave along x1: y = sin(x1); x2 does not matter.", _sine),
)}


def make_dataset(name: str, n_samples: int = 500, noise: float = 0.0, seed: int = 0) -> Data:
    """Generate the built-in data set ``name`` (a key of ``DATASETS``)."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    return DATASETS[name].generate(n_samples, noise, seed)
