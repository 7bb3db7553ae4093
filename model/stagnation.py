"""When training is stuck: the loss has stayed flat, far from zero, for many epochs.

A run is stuck at epoch t when, over the last ``window`` epochs,

    max(L) − min(L) ≤ flat · mean(L)          (the loss barely moves)   and
    mean(L) ≥ far · L₀                         (it is far from zero: ≥ 10 % of the start)

with L the training loss per epoch and L₀ the loss before training. A run that
converged (L ≪ L₀) or is still descending by more than ``flat`` over the window is not
stuck; a network without a non-linearity on the circle (flat at a fifth of L₀) is.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WINDOW = 200      # epochs looked back
FLAT = 0.01       # relative spread of the loss over the window
FAR = 0.1         # share of the starting loss that counts as "far from zero"


@dataclass(frozen=True)
class Stagnation:
    """The loss stayed at ``loss`` (starting from ``start``) for ``epochs`` epochs."""

    loss: float
    start: float
    epochs: int

    @property
    def message(self) -> str:
        return (f"Training is stuck: the training loss has stayed at {self.loss:.3g} "
                f"(it started at {self.start:.3g}) for the last {self.epochs} epochs. Try a "
                f"larger learning rate, another activation or initialisation, or more neurons; "
                f"Reset starts again.")


def stagnation(train_losses: np.ndarray, epochs: np.ndarray | None = None, window: int = WINDOW,
               flat: float = FLAT, far: float = FAR) -> Stagnation | None:
    """``Stagnation`` if the losses (n,) from the start of training end in a flat stretch of
    ``window`` epochs at ≥ ``far`` of the first loss; None otherwise (or if the run is shorter).

    ``epochs`` (n,), ascending: the epoch of each loss (a thinned history); default 0, 1, 2, …
    """
    losses = np.asarray(train_losses, dtype=np.float64)
    epochs = np.arange(losses.size) if epochs is None else np.asarray(epochs, dtype=np.float64)
    if losses.size < 2 or epochs[-1] - epochs[0] <= window or not np.isfinite(losses[0]) \
            or losses[0] <= 0:
        return None
    recent = losses[epochs >= epochs[-1] - window + 1]
    if not np.all(np.isfinite(recent)):
        return None
    mean = float(recent.mean())
    if recent.max() - recent.min() <= flat * mean and mean >= far * losses[0]:
        return Stagnation(float(recent[-1]), float(losses[0]), window)
    return None
