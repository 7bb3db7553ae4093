"""The fully connected layer: z = a·W + b.

Shapes: a (..., n, fan_in), W (fan_in, fan_out), b (fan_out,), z (..., n, fan_out);
with a run axis W is (R, fan_in, fan_out) and b (R, fan_out).

Storage: W and b are one block [W; b] of shape (fan_in + 1, fan_out), the bias
as its last row, and the input buffer carries a trailing column of ones, so one
matrix product gives z = [a, 1]·[W; b] and one more gives both gradients:

    [∂L/∂W; ∂L/∂b] = [a, 1]ᵀ·δ        δ = ∂L/∂z
    ∂L/∂a = δ·Wᵀ

With a run axis, backward first copies Wᵀ into a contiguous buffer
(``weights_transposed``, (R, fan_out, fan_in)): a stacked matmul on the transposed
view costs about twice as much at mini-batch sizes, three times at 500 samples.

Regularisation adds l1·Σ|W| + ½·l2·ΣW² to the loss (weights, not biases), so
∂L/∂W gains l1·sign(W) + l2·W.
"""
from __future__ import annotations

import numpy as np

from .base import Array, Layer, Mode, Op, Record, product, transposed


class Dense(Layer):
    kind = "dense"
    in_place_backward = False
    wants_ones_column = True

    def __init__(self, fan_in: int, fan_out: int, l1: float = 0.0, l2: float = 0.0):
        super().__init__()
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.l1, self.l2 = float(l1), float(l2)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"block": (self.fan_in + 1, self.fan_out)}

    def output_features(self, input_features: int) -> int:
        return self.fan_out

    @property
    def weights(self) -> Array:
        return self.params["block"][..., :-1, :]

    @property
    def bias(self) -> Array:
        return self.params["block"][..., -1, :]

    def allocate(self, shape: tuple[int, ...]) -> Record:
        block = self.params["block"]
        record = Record()
        if self.l1 or self.l2:
            record.arrays["penalty_gradient"] = np.empty(block[..., :-1, :].shape)
        if block.ndim > 2:
            record.arrays["weights_transposed"] = np.empty(transposed(block[..., :-1, :]).shape)
        return record

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        block = self.params["block"]
        return [(product(x, block), (x, block, y))]                  # z = [a, 1]·[W; b]

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        block, gradient = self.params["block"], gradients["block"]
        x_t = transposed(x)
        ops: list[Op] = [(product(x_t, delta_y), (x_t, delta_y, gradient))]   # [a, 1]ᵀ·δ
        ops += self._penalty_ops(record, gradient)
        if delta_x is not None:
            weights_t = transposed(block[..., :-1, :])
            # ∂L/∂a = δ·Wᵀ; with one unit (fan_out = 1) and a few samples that is cheapest as
            # an outer product: one multiply
            outer = self.fan_out == 1 and delta_y.shape[-2] <= 32
            if outer:
                ops.append((np.multiply, (delta_y, weights_t, delta_x)))
            elif "weights_transposed" in record.arrays:                # a run axis: Wᵀ contiguous
                ops += [(np.copyto, (record.weights_transposed, weights_t)),
                        (np.matmul, (delta_y, record.weights_transposed, delta_x))]
            else:
                ops.append((product(delta_y, weights_t), (delta_y, weights_t, delta_x)))
        return ops

    def _penalty_ops(self, record: Record, gradient: Array) -> list[Op]:
        if not (self.l1 or self.l2):
            return []
        weights, weight_gradient = self.params["block"][..., :-1, :], gradient[..., :-1, :]
        term = record.penalty_gradient
        ops: list[Op] = []
        if self.l2:                                                   # ∂L/∂W += l2·W
            ops += [(np.multiply, (weights, self.l2, term)), (np.add, (weight_gradient, term, weight_gradient))]
        if self.l1:                                                   # ∂L/∂W += l1·sign(W)
            ops += [(np.sign, (weights, term)), (np.multiply, (term, self.l1, term)),
                    (np.add, (weight_gradient, term, weight_gradient))]
        return ops

    def penalty(self) -> float | Array:
        """l1·Σ|W| + ½·l2·ΣW² (per run with a run axis)."""
        weights = self.params["block"][..., :-1, :]
        axes = (-2, -1)
        total = 0.0
        if self.l1:
            total = total + self.l1 * np.abs(weights).sum(axis=axes)
        if self.l2:
            total = total + 0.5 * self.l2 * (weights * weights).sum(axis=axes)
        return total

    def __repr__(self) -> str:
        return f"Dense({self.fan_in} → {self.fan_out})"
