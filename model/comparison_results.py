"""What a comparison reports: per-epoch history, per-run snapshots (``model.snapshot.Snapshot``, as a run trained alone),
ranking.

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
from .networks.mlp_parts import weights_and_biases
from .snapshot import Snapshot, read_only
from .training import accuracies

Array = np.ndarray
METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


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


def run_snapshot(run: Any, sizes: Sequence[int], batch_norm: Sequence[bool], state: dict, step: int,
                 history: dict[str, Array], divergence: Divergence | None,
                 plane_output: Array | None) -> Snapshot:
    """Run ``run``'s ``Snapshot`` at its last evaluated epoch (a diverged run stops there), its
    losses, accuracies and best epoch read from the comparison's ``history``."""
    row = {name: history[name][run.index] for name in METRICS}
    last = last_recorded(row["train_loss"])
    now = {name: float(values[last]) if last >= 0 else math.nan for name, values in row.items()}
    tracked = row["test_loss"] if np.isfinite(row["test_loss"]).any() else row["train_loss"]
    best = int(np.nanargmin(tracked)) if np.isfinite(tracked).any() else 0
    params = read_only(state["params"])
    weights, biases = weights_and_biases(sizes, batch_norm, params)
    return Snapshot(step=step, epoch=max(last, 0), sizes=tuple(sizes), params=params,
                    weights=tuple(weights), biases=tuple(biases),
                    statistics=tuple(None if s is None else read_only(s) for s in state["statistics"]),
                    learning_rate=run.config.learning_rate,
                    best_epoch=best, best_loss=float(tracked[best]) if last >= 0 else math.nan,
                    divergence=divergence, run=run,
                    plane_output=None if plane_output is None else read_only(plane_output), **now)


@dataclass(frozen=True)
class ComparisonSnapshot:
    """Every run's state and the whole history, at the end of epoch ``epoch``."""

    epoch: int
    runs: tuple[Snapshot, ...]
    variations: tuple
    task: str
    history: dict[str, Array] = field(repr=False)   # METRICS → (R, epoch + 1)

    def ranking(self) -> list[Snapshot]:
        """Best first: live runs by loss (then accuracy), diverged runs last (latest first)."""
        def key(state: Snapshot):
            loss = state.loss if math.isfinite(state.loss) else math.inf
            accuracy = state.accuracy if math.isfinite(state.accuracy) else 0.0
            return (state.diverged, -state.epoch if state.diverged else 0, loss, -accuracy, state.index)
        return sorted(self.runs, key=key)
