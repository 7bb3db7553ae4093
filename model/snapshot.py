"""One immutable picture of a run at one moment — a single run or one run of a comparison.

    snapshot = trainer.snapshot()                 # a run trained alone
    snapshot = comparison.snapshot().runs[i]      # run i of a comparison: the same type
    snapshot.weights[l], snapshot.biases[l]       # W[l] (sizes[l], sizes[l+1]), b[l] (sizes[l+1],)
    snapshot.params                               # the same numbers, flat (P,), as Network.params

The parameters travel as one flat read-only vector laid out as
``Network.params`` (one copy per snapshot); ``weights``/``biases`` and the
gradient's ``weight_gradients``/``bias_gradients`` are read-only per-layer
views of it. Accuracies are NaN where there is none (regression, an empty
test set) — the convention of the comparison's histories. A compared run also
carries ``run`` (its index, label, varied values and setting) and its output
on the comparison's plane grid. Everything is safe to hand to another thread.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .divergence import Divergence
from .networks.mlp import weights_and_biases

if TYPE_CHECKING:
    from .comparison import Run

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
    params: Array = field(repr=False)          # (P,), laid out as Network(sizes, batch_norm=…).params
    train_loss: float
    test_loss: float                           # NaN when there is no test set
    train_accuracy: float                      # NaN for regression
    test_accuracy: float                       # NaN for regression or no test set
    learning_rate: float
    batch_norm: tuple[bool, ...] = ()          # per hidden layer (how ``params`` is laid out)
    gradient: Array | None = field(default=None, repr=False)   # ∂L/∂params of the last step (P,)
    divergence: Divergence | None = None
    best_epoch: int = 0                        # the epoch of the lowest test loss (train loss without a test set)
    best_loss: float = math.nan
    stopped_early: bool = False                # early stopping ended the run (patience ran out)
    run: "Run | None" = None                   # which run of a comparison (None: a run trained alone)
    plane_output: Array | None = field(default=None, repr=False)   # ŷ on the comparison's plane grid (m, k)

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    # -- the parameters per layer ------------------------------------------------

    def _split(self, flat: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        batch_norm = self.batch_norm or (False,) * (len(self.sizes) - 2)
        weights, biases = weights_and_biases(self.sizes, batch_norm, flat)
        return tuple(weights), tuple(biases)

    @cached_property
    def _parameters(self) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        return self._split(self.params)

    @cached_property
    def _gradients(self) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        return self._split(self.gradient) if self.gradient is not None else ((), ())

    @property
    def weights(self) -> tuple[Array, ...]:
        """W[l], shape (sizes[l], sizes[l+1]) (read-only views of ``params``)."""
        return self._parameters[0]

    @property
    def biases(self) -> tuple[Array, ...]:
        """b[l], shape (sizes[l+1],)."""
        return self._parameters[1]

    @property
    def weight_gradients(self) -> tuple[Array, ...]:
        """∂L/∂W[l] of the last step (empty when the snapshot has no gradient)."""
        return self._gradients[0]

    @property
    def bias_gradients(self) -> tuple[Array, ...]:
        return self._gradients[1]

    # -- ranking (what a comparison sorts by) ------------------------------------

    @property
    def loss(self) -> float:
        """The loss runs are ranked by: test loss, or train loss without a test set."""
        return self.test_loss if math.isfinite(self.test_loss) else self.train_loss

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
