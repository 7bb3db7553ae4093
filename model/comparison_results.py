"""What a comparison reports: per-epoch history, per-run state, ranking.

Histories are (R, epochs + 1) arrays, column e holding the value after e
epochs (column 0: the initial weights); a run that diverged has NaN after its
last finite epoch. Accuracies are NaN for regression. Everything handed out
by ``Comparison.snapshot`` is a read-only copy, safe to pass to another thread.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .config import ExperimentConfig
from .divergence import Divergence
from .losses import Loss
from .networks.mlp import weights_and_biases
from .training import accuracies

Array = np.ndarray
METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def _read_only(array: Array) -> Array:
    copy = np.array(array)
    copy.flags.writeable = False
    return copy


def evaluate(loss: Loss, train_prediction: Array, train_targets: Array, test_prediction: Array,
             test_targets: Array, task: str) -> tuple[Array, Array, Array, Array]:
    """Per-run train/test loss and accuracy of predictions (R, n, k): four (R,) arrays.

    The definitions of ``Loss.value`` and ``training.accuracies``; an empty test set gives
    NaN, regression gives NaN accuracies.
    """
    def losses(prediction: Array, targets: Array) -> Array:
        if prediction.shape[1] == 0:
            return np.full(prediction.shape[0], math.nan)
        return loss.value(prediction, targets)
    return (losses(train_prediction, train_targets), losses(test_prediction, test_targets),
            accuracies(train_prediction, train_targets, task), accuracies(test_prediction, test_targets, task))


class History:
    """Growable (R, capacity) arrays of each metric, NaN where nothing was recorded."""

    def __init__(self, runs: int, capacity: int = 256):
        self._arrays = {name: np.full((runs, capacity), math.nan) for name in METRICS}

    def record(self, epoch: int, rows: Sequence[int], *values: Array) -> None:
        """Store one epoch's metrics (in ``METRICS`` order) for the runs ``rows``."""
        capacity = self._arrays[METRICS[0]].shape[1]
        if epoch >= capacity:
            for name, array in self._arrays.items():
                grown = np.full((array.shape[0], max(2 * capacity, epoch + 1)), math.nan)
                grown[:, :capacity] = array
                self._arrays[name] = grown
        for name, value in zip(METRICS, values):
            self._arrays[name][rows, epoch] = value

    def truncate(self, run: int, from_epoch: int) -> None:
        """Forget a run's values from ``from_epoch`` on (it diverged)."""
        for array in self._arrays.values():
            array[run, from_epoch:] = math.nan

    def frozen(self, epoch: int) -> dict[str, Array]:
        """Read-only views of columns 0 … epoch: no copy, yet immutable in effect.

        Columns up to the current epoch are never written again — ``record`` fills
        later columns, growing allocates new arrays, a divergence erases only
        columns not yet handed out — so a view taken now keeps its values.
        """
        views = {}
        for name, array in self._arrays.items():
            view = array[:, :epoch + 1]
            view.flags.writeable = False
            views[name] = view
        return views


def last_recorded(values: Array) -> int:
    """Index of the last finite entry of a history row (−1 if none)."""
    finite = np.flatnonzero(np.isfinite(values))
    return int(finite[-1]) if finite.size else -1


@dataclass(frozen=True)
class RunState:
    """One run at one moment. ``epoch`` is its last evaluated epoch (a diverged run stops there)."""

    index: int
    label: str
    values: dict
    config: ExperimentConfig
    sizes: tuple[int, ...]
    params: Array                  # flat, laid out as Network.params (read-only)
    epoch: int
    step: int
    train_loss: float
    test_loss: float
    train_accuracy: float          # NaN for regression
    test_accuracy: float
    best_epoch: int                # epoch of the lowest test loss (train loss without a test set)
    best_loss: float
    divergence: Divergence | None = None
    plane_output: Array | None = field(default=None, repr=False)   # ŷ on the plane grid (m, k)

    @classmethod
    def make(cls, run: Any, sizes: Sequence[int], params: Array, step: int,
             history: dict[str, Array], divergence: Divergence | None,
             plane_output: Array | None) -> "RunState":
        row = {name: history[name][run.index] for name in METRICS}
        last = last_recorded(row["train_loss"])
        now = {name: float(values[last]) if last >= 0 else math.nan for name, values in row.items()}
        tracked = row["test_loss"] if np.isfinite(row["test_loss"]).any() else row["train_loss"]
        best = int(np.nanargmin(tracked)) if np.isfinite(tracked).any() else 0
        return cls(index=run.index, label=run.label, values=dict(run.values), config=run.config,
                   sizes=tuple(sizes), params=_read_only(params), epoch=max(last, 0), step=step,
                   best_epoch=best, best_loss=float(tracked[best]) if last >= 0 else math.nan,
                   divergence=divergence,
                   plane_output=None if plane_output is None else _read_only(plane_output), **now)

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    @property
    def loss(self) -> float:
        """The loss runs are ranked by: test loss, or train loss without a test set."""
        return self.test_loss if math.isfinite(self.test_loss) else self.train_loss

    @property
    def gap(self) -> float:
        """The generalisation gap: test loss − train loss (NaN without a test set)."""
        return self.test_loss - self.train_loss

    @property
    def accuracy(self) -> float:
        return self.test_accuracy if math.isfinite(self.test_accuracy) else self.train_accuracy

    @property
    def weights(self) -> list[Array]:
        """W[l], shape (sizes[l], sizes[l+1]) (read-only views)."""
        return weights_and_biases(self.sizes, self.config.batch_norm, self.params)[0]

    @property
    def biases(self) -> list[Array]:
        return weights_and_biases(self.sizes, self.config.batch_norm, self.params)[1]


@dataclass(frozen=True)
class ComparisonSnapshot:
    """Every run's state and the whole history, at the end of epoch ``epoch``."""

    epoch: int
    runs: tuple[RunState, ...]
    variations: tuple
    task: str
    history: dict[str, Array] = field(repr=False)   # METRICS → (R, epoch + 1)

    def ranking(self) -> list[RunState]:
        """Best first: live runs by loss (then accuracy), diverged runs last (latest first)."""
        def key(state: RunState):
            loss = state.loss if math.isfinite(state.loss) else math.inf
            accuracy = state.accuracy if math.isfinite(state.accuracy) else 0.0
            return (state.diverged, -state.epoch if state.diverged else 0, loss, -accuracy, state.index)
        return sorted(self.runs, key=key)
