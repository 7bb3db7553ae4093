"""Local minima, counted: one setting trained from N seeds, the solutions grouped, the barriers.

    comparison = train_from_seeds(config, count=9, epochs=300)     # model.comparison, seed varied
    groups = group_solutions(comparison.predict(X))                # runs that ended as one function
    line, height = barrier(comparison, 0, 4, X, Y)                 # the loss between two solutions

The N runs differ only in the seed of their initial weights and share the data
and the mini-batch order (the comparison's lock-step, ``SETTINGS["seed"]``).
Two runs end in the same solution when they compute the same function — their
outputs on the same inputs differ by a root-mean-square below a tolerance —
whatever their weights (swapping two hidden units changes the weights, not the
function). Between two final weight vectors θ_a, θ_b the loss along the straight
line L((1 − t)·θ_a + t·θ_b) rises above both ends when a barrier separates them:

    height = max_t L(t) − max(L(0), L(1))      (≤ 0: no barrier on the straight line)
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .comparison import Comparison
from .variations import Variation
from .config import ExperimentConfig
from .datasets import Data
from .landscape import loss_along

Array = np.ndarray
SAME_FUNCTION_RMS = 0.05


def seeds(count: int, first: int = 0) -> Variation:
    """The seed as the varied setting: first, first + 1, …, first + count − 1."""
    if int(count) != count or count < 2:
        raise ValueError(f"train from at least 2 seeds, got {count}")
    return Variation("seed", tuple(range(int(first), int(first) + int(count))))


def train_from_seeds(base: ExperimentConfig, count: int, epochs: int, first_seed: int = 0,
                     data: Data | None = None) -> Comparison:
    """``base`` trained from ``count`` seeds in lock-step for ``epochs`` epochs."""
    comparison = Comparison(base, [seeds(count, first_seed)], data=data)
    for _ in range(epochs):
        comparison.run_epoch()
        if comparison.finished:
            break
    return comparison


def group_solutions(outputs: Sequence[Array], tolerance: float = SAME_FUNCTION_RMS) -> list[list[int]]:
    """Runs grouped by the function they compute: a and b are together when
    √mean((ŷ_a − ŷ_b)²) < tolerance over the same inputs (chained: a ~ b ~ c puts all three
    in one group). ``outputs[r]`` is run r's (n, k); groups are in run order."""
    count = len(outputs)
    group_of = list(range(count))

    def root(r: int) -> int:
        while group_of[r] != r:
            r = group_of[r]
        return r

    for a in range(count):
        for b in range(a + 1, count):
            with np.errstate(all="ignore"):
                distance = float(np.sqrt(np.mean((outputs[a] - outputs[b]) ** 2)))
            if distance < tolerance:
                group_of[max(root(a), root(b))] = min(root(a), root(b))
    groups: dict[int, list[int]] = {}
    for r in range(count):
        groups.setdefault(root(r), []).append(r)
    return list(groups.values())


def barrier_height(line: Array) -> float:
    """max_t L(t) − max(L(0), L(1)) of a loss line."""
    return float(np.max(line) - max(line[0], line[-1]))


def barrier(comparison: Comparison, a: int, b: int, X: Array, Y: Array,
            points: int = 51) -> tuple[Array, float]:
    """The loss along the straight line from run a's final weights to run b's, and its barrier
    height. (Batch norm's running statistics are run a's all along the line.)"""
    net = comparison.experiments[a].net.copy()
    net.load_state(comparison.state(a))
    line = loss_along(net, X, Y, comparison.params(a), comparison.params(b), points)
    return line, barrier_height(line)
