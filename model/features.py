"""Input feature transforms of 2-D points, as TensorFlow Playground's input column.

Each feature maps points X of shape (n, 2), columns x1 and x2, to one column
(n,). ``make_features`` stacks the chosen ones into the network's input
matrix of shape (n, len(names)).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Feature:
    """One input feature: ``function(X (n, 2)) -> (n,)``; ``label`` is for display."""

    name: str
    label: str
    function: Callable[[Array], Array]

    def __repr__(self) -> str:
        return f"Feature({self.name!r}: {self.label})"


FEATURES: dict[str, Feature] = {feature.name: feature for feature in (
    Feature("x1", "X₁", lambda X: X[:, 0]),
    Feature("x2", "X₂", lambda X: X[:, 1]),
    Feature("x1^2", "X₁²", lambda X: X[:, 0] ** 2),
    Feature("x2^2", "X₂²", lambda X: X[:, 1] ** 2),
    Feature("x1*x2", "X₁X₂", lambda X: X[:, 0] * X[:, 1]),
    Feature("sin_x1", "sin(X₁)", lambda X: np.sin(X[:, 0])),
    Feature("sin_x2", "sin(X₂)", lambda X: np.sin(X[:, 1])),
)}

DEFAULT_FEATURES = ("x1", "x2")


def make_features(points: Array, names: Sequence[str]) -> Array:
    """Stack the named features of ``points`` (n, 2) into a (n, len(names)) float64 matrix.

    >>> make_features(np.array([[2.0, 3.0]]), ["x1", "x1*x2"])
    array([[2., 6.]])
    """
    if isinstance(names, str):
        raise ValueError(f"names must be a sequence of feature names, not the string {names!r}")
    names = list(names)
    if not names:
        raise ValueError("select at least one input feature")
    unknown = [name for name in names if not isinstance(name, str) or name not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"feature {duplicated[0]!r} is selected more than once")
    X = np.asarray(points, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"features are defined for 2-D points of shape (n, 2), got {X.shape}")
    columns = np.empty((X.shape[0], len(names)))
    for j, name in enumerate(names):
        columns[:, j] = FEATURES[name].function(X)
    return columns
