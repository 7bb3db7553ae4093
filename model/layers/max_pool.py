"""The max-pooling layer: the largest value of each non-overlapping s × s window.

Shapes: x (n, C, H, W), y (n, C, H // s, W // s) (a remainder of rows or columns
that fills no whole window is dropped, as in ``torch.nn.functional.max_pool2d``):

    y[i, ch, r, c] = max_{u, v < s} x[i, ch, s·r + u, s·c + v]

Backward: each window's δ goes to its maximum only (the first one, row by row,
when several are equal — as PyTorch routes it); every other input gets 0:

    ∂L/∂x[i, ch, s·r + u, s·c + v] = δ[i, ch, r, c] if (u, v) is the window's argmax, else 0

The windows are a strided view of x, copied once into rows of s·s values; no
Python loop runs over samples or windows. No parameters.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import Array, Layer, Mode, Op, Record
from .conv2d import as_shape, no_run_axis


def windows(images: Array, size: int) -> Array:
    """The non-overlapping size × size windows of ``images`` (n, C, H, W) as a strided view
    (n, C, H // size, W // size, size, size); writeable when ``images`` is."""
    view = sliding_window_view(images, (size, size), axis=(2, 3), writeable=images.flags.writeable)
    return view[:, :, ::size, ::size]


class MaxPool2D(Layer):
    kind = "maxpool"
    in_place_backward = False
    sample_axes = 3

    def __init__(self, size: int = 2):
        super().__init__()
        self.size = int(size)
        if self.size < 1 or self.size != size:
            raise ValueError(f"the pooling size must be a positive integer, got {size!r}")

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        channels, height, width = input_shape
        if height < self.size or width < self.size:
            raise ValueError(f"{self.size}×{self.size} max pooling needs maps of at least "
                             f"{self.size}×{self.size}, got {height}×{width}: pool less often or "
                             f"use a smaller size")
        return channels, height // self.size, width // self.size

    def allocate(self, shape: tuple[int, ...]) -> Record:
        no_run_axis(self, shape)
        n = shape[0]
        channels, rows, cols = self.output_shape(shape[1:])
        window_values = (n, channels, rows, cols, self.size * self.size)
        return Record({"window_values": np.empty(window_values),          # each window, row by row
                       "argmax": np.empty(window_values[:-1], dtype=np.intp),
                       "routed": np.empty(window_values),                 # δ at each window's max
                       "is_max": np.empty(window_values, dtype=bool),
                       "offsets": np.arange(self.size * self.size)})

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        values = record.window_values
        found = windows(x, self.size)
        return [(np.copyto, (as_shape(values, found.shape), found)),
                (np.max, (values, -1, y))]                                 # y = max over the window

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        if delta_x is None:
            return []
        ops: list[Op] = []
        height, width = x.shape[2:]
        if height % self.size or width % self.size:                        # the dropped remainder
            ops.append((np.copyto, (delta_x, 0.0)))
        routed = record.routed
        ops += [(np.argmax, (record.window_values, -1, record.argmax)),
                (np.equal, (record.offsets, record.argmax[..., None], record.is_max)),
                (np.multiply, (record.is_max, delta_y[..., None], routed)),  # δ to the max only
                (np.copyto, (windows(delta_x, self.size), as_shape(routed, routed.shape[:-1]
                                                                    + (self.size, self.size))))]
        return ops

    def __repr__(self) -> str:
        return f"MaxPool2D({self.size}×{self.size})"
