"""The max-pooling layer: the largest value of each non-overlapping s × s window.

Shapes: x (n, C, H, W), y (n, C, H // s, W // s) (a remainder of rows or columns
that fills no whole window is dropped, as in ``torch.nn.functional.max_pool2d``):

    y[i, ch, r, c] = max_{u, v < s} x[i, ch, s·r + u, s·c + v]

Backward: each window's δ goes to its maximum only (the first one, row by row,
when several are equal — as PyTorch routes it); every other input gets 0:

    ∂L/∂x[i, ch, s·r + u, s·c + v] = δ[i, ch, r, c] if (u, v) is the window's first argmax, else 0

The window offset (u, v) picks one value of every window at once — the strided view
x[:, :, u::s, v::s] — so the layer runs a few calls per offset (s·s offsets) over
whole arrays; no Python loop runs over samples or windows. No parameters. A leading run
axis (R, n, C, H, W) is carried along.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from .base import Array, Layer, Mode, Op, Record
from .conv2d import check_image_batch


class MaxPool2D(Layer):
    kind = "maxpool"
    in_place_backward = False
    sample_axes = 3

    def __init__(self, size: int = 2):
        super().__init__()
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"the pooling size must be a positive integer, got {size!r}")
        self.size = int(size)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        channels, height, width = input_shape
        if height < self.size or width < self.size:
            raise ValueError(f"{self.size}×{self.size} max pooling needs maps of at least "
                             f"{self.size}×{self.size}, got {height}×{width}: pool less often or "
                             f"use a smaller size")
        return channels, height // self.size, width // self.size

    def allocate(self, shape: tuple[int, ...]) -> Record:
        check_image_batch(self, shape)
        pooled = shape[:-3] + self.output_shape(shape[-3:])
        return Record({"unrouted": np.empty(pooled),                # δ not yet sent to a maximum
                       "is_max": np.empty(pooled, dtype=bool)})

    def offsets(self, images: Array, rows: int, cols: int) -> list[Array]:
        """Per window offset (u, v), row by row: the value at that offset of every window,
        a strided view (…, n, C, rows, cols) of ``images``."""
        s = self.size
        return [images[..., u:u + s * rows:s, v:v + s * cols:s] for u in range(s) for v in range(s)]

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        first, *others = self.offsets(x, *y.shape[-2:])
        larger = partial(np.maximum, out=y)         # (NumPy 2.4 takes ``out`` of maximum by name only)
        return [(np.copyto, (y, first))] + [(larger, (y, other)) for other in others]

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        if delta_x is None:
            return []
        height, width = x.shape[-2:]
        ops: list[Op] = []
        if height % self.size or width % self.size:                        # the dropped remainder
            ops.append((np.copyto, (delta_x, 0.0)))
        unrouted, is_max = record.unrouted, record.is_max
        ops.append((np.copyto, (unrouted, delta_y)))
        for value, gradient in zip(self.offsets(x, *y.shape[-2:]), self.offsets(delta_x, *y.shape[-2:])):
            ops += [(np.equal, (value, y, is_max)),                         # this offset holds the max
                    (np.multiply, (is_max, unrouted, gradient)),            # δ goes here …
                    (np.subtract, (unrouted, gradient, unrouted))]          # … and to no later tie
        return ops

    def __repr__(self) -> str:
        return f"MaxPool2D({self.size}×{self.size})"
