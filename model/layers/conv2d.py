"""The convolutional layer: each filter slides over the input, y = K ⋆ x + b.

Shapes: x (n, C, H, W), kernel K (F, C, k, k), bias b (F,), y (n, F, H′, W′) with
stride 1 and H′ = H − k + 1 ("valid") or H′ = H ("same": p = (k − 1)/2 zeros on
every side, odd k only). Cross-correlation, as ``torch.nn.functional.conv2d``:

    y[i, f, r, c] = b[f] + Σ_{ch, u, v} K[f, ch, u, v] · x_p[i, ch, r + u, c + v]

where x_p is x padded with p zeros. As matrices (im2col): the patch under position
(r, c) of image i is column (i, r, c) of X_col (C·k·k, n·H′·W′), so with
K_mat = K reshaped (F, C·k·k) one product gives every output, Y = K_mat·X_col + b
(Y is y with its filter axis first, (F, n·H′·W′)). Backward, with δ = ∂L/∂y as Δ
(F, n·H′·W′) in the same layout:

    ∂L/∂b = Σ over the columns of Δ
    ∂L/∂K_mat = Δ·X_colᵀ                       (the input patches weighted by δ)
    ∂L/∂X_col = K_matᵀ·Δ, and ∂L/∂x_p adds each column back onto the patch it came
    from (col2im): ∂L/∂x_p[i, ch, r + u, c + v] += ∂L/∂X_col[(ch, u, v), (i, r, c)]

X_col is one copy of a strided view of x_p (no loop over samples or positions); the
col2im runs one add per kernel offset (u, v) — k·k calls over whole arrays. A leading
run axis (a comparison of R convolutional networks) is not supported yet.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import Array, Layer, Mode, Op, Record

PADDINGS = ("valid", "same")


def no_run_axis(layer: Layer, shape: tuple[int, ...]) -> None:
    """ValueError for a batch shape with a leading run axis (image layers take (n, C, H, W))."""
    if len(shape) != 4:
        raise ValueError(f"{layer!r} takes inputs of shape (n, channels, height, width), got {shape}; "
                         f"a leading run axis (comparing several networks in lock-step) is not "
                         f"supported for convolutional layers yet: train the runs one by one")


def as_shape(array: Array, shape: tuple[int, ...]) -> Array:
    """``array`` reshaped without a copy (an error if that would need one): the calls write into it."""
    view = array.view()
    view.shape = shape
    return view


def patch_columns(padded: Array, k: int) -> Array:
    """The k×k patches of ``padded`` (n, C, Hp, Wp) as a strided view (C, k, k, n, H′, W′):
    [ch, u, v, i, r, c] = padded[i, ch, r + u, c + v]."""
    return sliding_window_view(padded, (k, k), axis=(2, 3)).transpose(1, 4, 5, 0, 2, 3)


class Conv2D(Layer):
    kind = "conv"
    in_place_backward = False
    sample_axes = 3

    def __init__(self, in_channels: int, filters: int, kernel: int, padding: str = "valid"):
        super().__init__()
        self.in_channels, self.filters, self.kernel = int(in_channels), int(filters), int(kernel)
        if min(self.in_channels, self.filters, self.kernel) < 1:
            raise ValueError(f"a convolution needs positive channels, filters and kernel size, got "
                             f"{in_channels} channels, {filters} filters, kernel {kernel}")
        if padding not in PADDINGS:
            raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
        if padding == "same" and self.kernel % 2 == 0:
            raise ValueError(f"padding 'same' needs an odd kernel size (3, 5, …), got {self.kernel}")
        self.padding = padding
        self.pad = (self.kernel - 1) // 2 if padding == "same" else 0

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"kernel": (self.filters, self.in_channels, self.kernel, self.kernel),
                "bias": (self.filters,)}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        channels, height, width = input_shape
        if channels != self.in_channels:
            raise ValueError(f"{self!r} expects {self.in_channels} input channels, got {channels}")
        shrink = self.kernel - 1 - 2 * self.pad
        if height - shrink < 1 or width - shrink < 1:
            raise ValueError(f"a {self.kernel}×{self.kernel} 'valid' convolution needs inputs of at "
                             f"least {self.kernel}×{self.kernel}, got {height}×{width}: use a smaller "
                             f"kernel, padding 'same' or fewer pooling layers before it")
        return self.filters, height - shrink, width - shrink

    def allocate(self, shape: tuple[int, ...]) -> Record:
        no_run_axis(self, shape)
        n, channels, height, width = shape
        k, p = self.kernel, self.pad
        out_height, out_width = self.output_shape(shape[1:])[1:]
        columns = n * out_height * out_width
        padded_shape = (n, channels, height + 2 * p, width + 2 * p)
        arrays = {"columns": np.empty((channels * k * k, columns)),            # X_col
                  "output_rows": np.empty((self.filters, columns)),           # Y
                  "delta_rows": np.empty((self.filters, columns)),            # Δ
                  "column_gradients": np.empty((channels * k * k, columns))}  # ∂L/∂X_col
        if p:
            arrays.update(padded=np.zeros(padded_shape), padded_gradient=np.empty(padded_shape))
        return Record(arrays)

    def _by_filter(self, rows: Array, n: int, height: int, width: int) -> Array:
        """(F, n·H′·W′) rows as (n, F, H′, W′) (a transposed view)."""
        return as_shape(rows, (self.filters, n, height, width)).transpose(1, 0, 2, 3)

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        k, n, p = self.kernel, x.shape[0], self.pad
        kernel_matrix = as_shape(self.params["kernel"], (self.filters, self.in_channels * k * k))
        bias = self.params["bias"][:, None]                                       # (F, 1)
        ops: list[Op] = []
        if p:
            ops.append((np.copyto, (record.padded[:, :, p:-p, p:-p], x)))        # x_p
        patches = patch_columns(record.padded if p else x, k)
        rows = record.output_rows
        return ops + [(np.copyto, (as_shape(record.columns, patches.shape), patches)),   # X_col
                      (np.dot, (kernel_matrix, record.columns, rows)),            # K_mat·X_col
                      (np.add, (rows, bias, rows)),                               # + b
                      (np.copyto, (y, self._by_filter(rows, n, *y.shape[2:])))]

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        k, n, p = self.kernel, x.shape[0], self.pad
        rows, columns = record.delta_rows, record.columns
        kernel_matrix = as_shape(self.params["kernel"], (self.filters, self.in_channels * k * k))
        kernel_gradient = as_shape(gradients["kernel"], kernel_matrix.shape)
        ops: list[Op] = [
            (np.copyto, (self._by_filter(rows, n, *y.shape[2:]), delta_y)),      # Δ
            (np.sum, (rows, 1, None, gradients["bias"])),                         # ∂L/∂b = Σ δ
            (np.dot, (rows, columns.T, kernel_gradient)),                         # Δ·X_colᵀ
        ]
        if delta_x is None:
            return ops
        column_gradients = record.column_gradients
        ops.append((np.dot, (kernel_matrix.T, rows, column_gradients)))         # K_matᵀ·Δ
        # col2im: every patch's gradient added back where the patch was taken, one offset at a time
        target = record.padded_gradient if p else delta_x
        by_offset = as_shape(column_gradients, (self.in_channels, k, k, n) + y.shape[2:])
        out_height, out_width = y.shape[2:]
        ops.append((np.copyto, (target, 0.0)))
        for u in range(k):
            for v in range(k):
                region = target[:, :, u:u + out_height, v:v + out_width]
                ops.append((np.add, (region, by_offset[:, u, v].transpose(1, 0, 2, 3), region)))
        if p:
            ops.append((np.copyto, (delta_x, target[:, :, p:-p, p:-p])))
        return ops

    def __repr__(self) -> str:
        return (f"Conv2D({self.in_channels} → {self.filters} filters, {self.kernel}×{self.kernel}, "
                f"{self.padding!r})")
