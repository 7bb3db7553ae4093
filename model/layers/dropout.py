"""Inverted dropout: during training each unit is kept with probability 1 − p.

    m = [u ≥ p] / (1 − p),  u ~ U(0, 1) per sample and unit      mask, (n, units)
    y = x ⊙ m                                                     training
    y = x                                                         evaluation
    ∂L/∂x = ∂L/∂y ⊙ m

Scaling the kept units by 1/(1 − p) keeps the expected output equal to x, so the
evaluation pass needs no correction: it is the average of the thinned networks.
With a run axis the mask (n, units) is shared by every run: runs with the same
seed see the same masks, as each would alone.

Drawing: a pass draws the masks of all its dropout layers with one call (``MaskSource``),
layer after layer in one buffer — the same numbers as one draw per layer, since the
generator fills an array in order — so a step pays one draw, not one per layer.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .base import Array, Layer, Mode, Op, Record


class MaskSource:
    """Draws dropout masks from a random generator (training)."""

    def __init__(self, generator: np.random.Generator):
        self.generator = generator

    def fill(self, masks: Array, rates: Array, scales: Array, kept: Array) -> None:
        """masks ← [u ≥ p] / (1 − p), u drawn uniformly; ``rates`` and ``scales`` hold p and
        1/(1 − p) for every element of ``masks`` (one flat buffer of several layers' masks),
        ``kept`` is a boolean scratch buffer of the same size (a comparison costs less into
        booleans than into floats)."""
        self.generator.random(out=masks)
        np.greater_equal(masks, rates, out=kept)
        np.multiply(kept, scales, out=masks)

    def pass_ops(self, dropouts: Sequence[tuple["Dropout", Record]]) -> list[Op]:
        """The one draw of a pass: every (layer, record)'s mask becomes a view of one buffer,
        in layer order, and the returned call fills them all."""
        if not dropouts:
            return []
        shapes = [record.mask.shape for _, record in dropouts]
        sizes = [int(np.prod(shape)) for shape in shapes]
        buffer = np.empty(sum(sizes))
        rates, scales = np.empty_like(buffer), np.empty_like(buffer)
        start = 0
        for (layer, record), shape, size in zip(dropouts, shapes, sizes):
            record.arrays["mask"] = buffer[start:start + size].reshape(shape)
            rates[start:start + size], scales[start:start + size] = layer.rate, layer.scale
            start += size
        return [(self.fill, (buffer, rates, scales, np.empty(buffer.shape, dtype=bool)))]

    def layer_ops(self, layer: "Dropout", mask: Array) -> list[Op]:
        """Nothing per layer: ``pass_ops`` draws every mask of the pass."""
        return []


class GivenMasks:
    """Masks given by the caller (to repeat a pass), keyed by the dropout layer's index."""

    def __init__(self, masks: dict[int, Array]):
        self.masks = masks

    def pass_ops(self, dropouts: Sequence[tuple["Dropout", Record]]) -> list[Op]:
        return []

    def layer_ops(self, layer: "Dropout", mask: Array) -> list[Op]:
        return [(self.fill, (layer, mask))]

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


def mask_ops(layers: Sequence[Layer], records: Sequence[Record], mode: Mode) -> list[Op]:
    """The calls that draw a pass's dropout masks before it runs (none in evaluation)."""
    if mode.masks is None:
        return []
    return mode.masks.pass_ops([(layer, record) for layer, record in zip(layers, records)
                                if isinstance(layer, Dropout)])


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

    def draw_ops(self, record: Record, mode: Mode) -> list[Op]:
        return mask_ops([self], [record], mode)

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        if mode.masks is None:                                        # evaluation
            return [(np.copyto, (y, x))]                              # y = x
        return mode.masks.layer_ops(self, record.mask) + [           # m = [u ≥ p]/(1 − p)
            (np.multiply, (x, record.mask, y))]                       # y = x ⊙ m

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        return [(np.multiply, (delta_y, record.mask, delta_y))]       # δ ← δ ⊙ m

    def __repr__(self) -> str:
        return f"Dropout(p={self.rate:g})"
