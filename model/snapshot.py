"""One immutable picture of a run at one moment — a single run or one run of a comparison.

    snapshot = trainer.snapshot()                 # a run trained alone
    snapshot = comparison.snapshot().runs[i]      # run i of a comparison: the same type
    snapshot.weights[l], snapshot.biases[l]       # W[l] (sizes[l], sizes[l+1]), b[l] (sizes[l+1],)
    snapshot.params                               # the same numbers, flat (P,), as Network.params

The parameters travel both flat (``params``, laid out as the model's
``params``, with batch norm's running ``statistics``: ``state()`` gives what
``load_state`` takes) and per layer as the model reports them (``weights``,
``biases`` and the last step's gradients), all read-only copies. Accuracies are NaN where there is none (regression, an empty
test set) — the convention of the comparison's histories. A compared run also
carries ``run`` (its index, label, varied values and setting) and its output
on the comparison's plane grid. Everything is safe to hand to another thread.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .divergence import Divergence

if TYPE_CHECKING:
    from .variations import Run

Array = np.ndarray


def read_only(array: Array) -> Array:
    """A copy that cannot be written to."""
    copy = np.array(array)
    copy.flags.writeable = False
    return copy


@dataclass(frozen=True)
class Snapshot:
    """A run at the end of step ``step`` (``epoch`` completed epochs); arrays are read-only copies."""

    step: int
    epoch: int
    sizes: tuple[int, ...]
    train_loss: float
    test_loss: float                           # NaN when there is no test set
    train_accuracy: float                      # NaN for regression
    test_accuracy: float                       # NaN for regression or no test set
    learning_rate: float
    params: Array = field(repr=False)          # (P,) every parameter, flat as the model's params
    weights: tuple[Array, ...] = field(default=(), repr=False)    # W[l] (sizes[l], sizes[l+1])
    biases: tuple[Array, ...] = field(default=(), repr=False)     # b[l] (sizes[l+1],)
    weight_gradients: tuple[Array, ...] = field(default=(), repr=False)   # ∂L/∂W[l] of the last step
    bias_gradients: tuple[Array, ...] = field(default=(), repr=False)     # (empty: none kept)
    statistics: tuple = ()                     # batch norm's running (mean, var) per weight layer, or None
    divergence: Divergence | None = None
    best_epoch: int = 0                        # the epoch of the lowest test loss (train loss without a test set)
    best_loss: float = math.nan
    stopped_early: bool = False                # early stopping ended the run (patience ran out)
    run: "Run | None" = None                   # which run of a comparison (None: a run trained alone)
    plane_output: Array | None = field(default=None, repr=False)   # ŷ on the comparison's plane grid (m, k)
    #: per node column (aligned with a; None: no dropout there), (n_train, units) bool: the units
    #: the dropout mask of each training sample's latest step kept (empty: not remembered)
    dropout_kept: tuple = field(default=(), repr=False)
    dropout_steps: Array | None = field(default=None, repr=False)   # (n_train,) that step; 0: none yet

    def dropout_mask_of(self, row: int) -> tuple[tuple[Array | None, ...], int] | None:
        """(kept units per column, step) of training sample ``row``'s latest mask, or None
        when none was remembered for it."""
        if self.dropout_steps is None or not 0 <= row < len(self.dropout_steps) \
                or self.dropout_steps[row] == 0:
            return None
        return (tuple(None if kept is None else kept[row] for kept in self.dropout_kept),
                int(self.dropout_steps[row]))

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    def state(self) -> dict:
        """The network state this snapshot shows (``Network.load_state`` takes it)."""
        return {"params": self.params, "statistics": list(self.statistics)}

    # -- ranking (what a comparison sorts by) ------------------------------------

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

    # -- a compared run's identity -------------------------------------------------

    def _identity(self) -> "Run":
        if self.run is None:
            raise AttributeError("this snapshot is of a run trained alone, not of a compared run")
        return self.run

    @property
    def index(self) -> int:
        return self._identity().index

    @property
    def label(self) -> str:
        return self._identity().label

    @property
    def values(self) -> dict[str, Any]:
        return self._identity().values

    @property
    def config(self):
        return self._identity().config
