"""Inverted dropout: during training each unit is kept with probability 1 − p.

    m = [u ≥ p] / (1 − p),  u ~ U(0, 1) per sample and unit      mask, (n, units)
    y = x ⊙ m                                                     training
    y = x                                                         evaluation
    ∂L/∂x = ∂L/∂y ⊙ m

Scaling the kept units by 1/(1 − p) keeps the expected output equal to x, so the
evaluation pass needs no correction: it is the average of the thinned networks.
With a run axis the mask (n, units) is shared by every run: runs with the same
seed see the same masks, as each would alone.
"""
from __future__ import annotations

import numpy as np

from .base import Array, Layer, Mode, Op, Record


class MaskSource:
    """Draws dropout masks from a random generator (training)."""

    def __init__(self, generator: np.random.Generator):
        self.generator = generator

    def fill(self, layer: "Dropout", mask: Array) -> None:
        """mask ← [u ≥ p] / (1 − p), u drawn uniformly."""
        self.generator.random(out=mask)
        np.greater_equal(mask, layer.rate, out=mask)
        mask *= layer.scale


class GivenMasks:
    """Masks given by the caller (to repeat a pass), keyed by the dropout layer's index."""

    def __init__(self, masks: dict[int, Array]):
        self.masks = masks

    def fill(self, layer: "Dropout", mask: Array) -> None:
        given = self.masks.get(layer.index)
        try:
            np.broadcast_shapes(np.shape(given), mask.shape[-2:])
            fits = given is not None and np.ndim(given) == 2
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"a dropout mask of shape {mask.shape[-2:]} (or one row for every sample) "
                             f"is needed for layer {layer.index}, got "
                             f"{None if given is None else np.shape(given)}")
        np.copyto(mask, given)


def check_rate(rate: float) -> float:
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"a dropout rate must be at least 0 and below 1, got {rate:g}")
    return rate


class Dropout(Layer):
    kind = "dropout"

    def __init__(self, rate: float):
        super().__init__()
        self.rate = check_rate(rate)
        self.scale = 1.0 / (1.0 - self.rate)

    def allocate(self, shape: tuple[int, ...]) -> Record:
        return Record({"mask": np.ones(shape[-2:])})    # one mask for every run; 1 = keep all

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        if mode.masks is None:                                        # evaluation
            return [(np.copyto, (y, x))]                              # y = x
        return [(mode.masks.fill, (self, record.mask)),               # m = [u ≥ p]/(1 − p)
                (np.multiply, (x, record.mask, y))]                   # y = x ⊙ m

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        return [(np.multiply, (delta_y, record.mask, delta_y))]       # δ ← δ ⊙ m

    def __repr__(self) -> str:
        return f"Dropout(p={self.rate:g})"
