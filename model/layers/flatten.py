"""The flatten layer: each sample's maps as one row of features, channel-major.

Shapes: x (n, C, H, W), y (n, C·H·W) with y[i, (ch·H + r)·W + c] = x[i, ch, r, c]
(as ``torch.flatten(x, 1)``). Backward: ∂L/∂x is ∂L/∂y folded back to (n, C, H, W).
No parameters. A leading run axis is carried along: (R, n, C, H, W) → (R, n, C·H·W).
"""
from __future__ import annotations

import numpy as np

from .base import Array, Layer, Mode, Op, Record
from .conv2d import as_shape, check_image_batch


class Flatten(Layer):
    kind = "flatten"
    in_place_backward = False
    sample_axes = 3

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (int(np.prod(input_shape)),)

    def allocate(self, shape: tuple[int, ...]) -> Record:
        check_image_batch(self, shape)
        return Record()

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        return [(np.copyto, (y, as_shape(x, x.shape[:-3] + y.shape[-1:])))]   # (a first layer's x has no run axis)

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        if delta_x is None:
            return []
        return [(np.copyto, (delta_x, as_shape(delta_y, delta_x.shape)))]
