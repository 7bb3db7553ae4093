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

from .divergence import Divergence
from .losses import Loss
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
        rows = np.asarray(rows)                       # converted once, not once per metric
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


class Paths:
    """Each run's flat parameter vector every ``stride`` epochs — its path through weight space —
    in bounded memory: at most ``limit`` points a run.

    When the arrays are full, every second point is dropped (the first is kept) and the stride
    doubles, so a path always spans the whole run at an even spacing of epochs. The arrays are
    never written where a ``frozen`` view can see (thinning makes new ones), as ``History``.
    """

    def __init__(self, sizes: Sequence[int], limit: int = 128):
        if limit < 2 or limit % 2:
            raise ValueError(f"a path keeps an even number ≥ 2 of points, got {limit}")
        self.limit, self.stride, self.count = limit, 1, 0
        self._epochs = np.zeros(limit, dtype=np.int64)
        self._points = [np.full((limit, size), math.nan) for size in sizes]

    def record(self, epoch: int, rows: Sequence[int], params: Array) -> None:
        """Store ``params[i]`` as run ``rows[i]``'s point at ``epoch`` (if it falls on the stride)."""
        if epoch % self.stride:
            return
        if self.count == 0 or self._epochs[self.count - 1] != epoch:
            if self.count == self.limit:
                self._thin()
                if epoch % self.stride:
                    return
            self._epochs[self.count] = epoch
            self.count += 1
        for row, point in zip(rows, params):
            self._points[row][self.count - 1] = point

    def _thin(self) -> None:
        half = self.limit // 2
        epochs = np.zeros_like(self._epochs)
        epochs[:half] = self._epochs[::2]
        self._epochs = epochs
        thinned = []
        for points in self._points:
            fresh = np.full_like(points, math.nan)
            fresh[:half] = points[::2]
            thinned.append(fresh)
        self._points = thinned
        self.count, self.stride = half, 2 * self.stride

    def frozen(self) -> tuple[Array, tuple[Array, ...]]:
        """Read-only views: the recorded epochs (m,) and per run its points (m, P_r), NaN rows
        where the run had diverged."""
        epochs = self._epochs[:self.count]
        points = tuple(p[:self.count] for p in self._points)
        for view in (epochs, *points):
            view.flags.writeable = False
        return epochs, points


def last_recorded(values: Array) -> int:
    """Index of the last finite entry of a history row (−1 if none)."""
    finite = np.flatnonzero(np.isfinite(values))
    return int(finite[-1]) if finite.size else -1


def run_snapshot(run: Any, net: Any, state: dict, step: int, history: dict[str, Array],
                 divergence: Divergence | None, plane_output: Array | None) -> Snapshot:
    """Run ``run``'s ``Snapshot`` at its last evaluated epoch (a diverged run stops there), its
    losses, accuracies and best epoch read from the comparison's ``history``; ``net`` (a network
    of the run's kind, the model protocol) gives its sizes and splits its parameters per layer."""
    row = {name: history[name][run.index] for name in METRICS}
    last = last_recorded(row["train_loss"])
    now = {name: float(values[last]) if last >= 0 else math.nan for name, values in row.items()}
    tracked = row["test_loss"] if np.isfinite(row["test_loss"]).any() else row["train_loss"]
    best = int(np.nanargmin(tracked)) if np.isfinite(tracked).any() else 0
    params = read_only(state["params"])
    weights, biases = net.split(params)
    return Snapshot(step=step, epoch=max(last, 0), sizes=tuple(net.sizes), params=params,
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
    path_epochs: Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    recorded_paths: tuple[Array, ...] = field(default=(), repr=False)   # per run (m, P_r), ``Paths``

    def path(self, index: int) -> Array:
        """Run ``index``'s path: its recorded points (every few epochs, before any divergence)
        and its weights now, (m, P)."""
        current = self.runs[index].params
        if index >= len(self.recorded_paths):
            return current[None].copy()
        points = self.recorded_paths[index]
        points = points[np.isfinite(points).all(axis=1)]
        if len(points) and np.array_equal(points[-1], current):
            return points.copy()
        return np.vstack([points, current[None]])

    def ranking(self) -> list[Snapshot]:
        """Best first: live runs by loss (then accuracy), diverged runs last (latest first)."""
        def key(state: Snapshot):
            loss = state.loss if math.isfinite(state.loss) else math.inf
            accuracy = state.accuracy if math.isfinite(state.accuracy) else 0.0
            return (state.diverged, -state.epoch if state.diverged else 0, loss, -accuracy, state.index)
        return sorted(self.runs, key=key)
