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
col2im runs one add per kernel offset (u, v) — k·k calls over whole arrays. With a
leading run axis R (R networks of one shape in lock-step) every array gains it in
front — x (R, n, C, H, W), K (R, F, C, k, k), X_col (R, C·k·k, n·H′·W′) — and the
products become R products in one ``np.matmul``.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .base import Array, Layer, Mode, Op, Record, product, transposed

PADDINGS = ("valid", "same")


def check_image_batch(layer: Layer, shape: tuple[int, ...]) -> None:
    """ValueError unless ``shape`` is a batch of images, (n, C, H, W) or (R, n, C, H, W)."""
    if len(shape) not in (4, 5):
        raise ValueError(f"{layer!r} takes inputs of shape (n, channels, height, width), or with a "
                         f"leading run axis (R, n, channels, height, width), got {shape}")


def as_shape(array: Array, shape: tuple[int, ...]) -> Array:
    """``array`` reshaped without a copy (an error if that would need one): the calls write into it."""
    view = array.view()
    view.shape = shape
    return view


def patch_columns(padded: Array, k: int) -> Array:
    """The k×k patches of ``padded`` (…, n, C, Hp, Wp) as a strided view (…, C, k, k, n, H′, W′):
    [ch, u, v, i, r, c] = padded[i, ch, r + u, c + v] (… a run axis, if any, stays in front)."""
    lead = padded.ndim - 4
    windows = sliding_window_view(padded, (k, k), axis=(-2, -1))        # (…, n, C, H′, W′, k, k)
    return windows.transpose(*range(lead), *(lead + a for a in (1, 4, 5, 0, 2, 3)))


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
        check_image_batch(self, shape)
        *lead, n, channels, height, width = shape
        lead = tuple(lead)
        k, p = self.kernel, self.pad
        out_height, out_width = self.output_shape(shape[-3:])[1:]
        columns = n * out_height * out_width
        padded_shape = lead + (n, channels, height + 2 * p, width + 2 * p)
        arrays = {"columns": np.empty(lead + (channels * k * k, columns)),            # X_col
                  "output_rows": np.empty(lead + (self.filters, columns)),           # Y
                  "delta_rows": np.empty(lead + (self.filters, columns)),            # Δ
                  "column_gradients": np.empty(lead + (channels * k * k, columns))}  # ∂L/∂X_col
        if p:
            arrays.update(padded=np.zeros(padded_shape), padded_gradient=np.empty(padded_shape))
        return Record(arrays)

    def _by_filter(self, rows: Array, images: Array) -> Array:
        """(…, F, n·H′·W′) rows as the shape of ``images`` (…, n, F, H′, W′) (a transposed view)."""
        *lead, n, _, height, width = images.shape
        m = len(lead)
        folded = as_shape(rows, tuple(lead) + (self.filters, n, height, width))
        return folded.transpose(*range(m), m + 1, m, m + 2, m + 3)

    def _kernel_matrix(self, kernel: Array) -> Array:
        """K (…, F, C, k, k) as K_mat (…, F, C·k·k), a view."""
        return as_shape(kernel, kernel.shape[:-3] + (self.in_channels * self.kernel ** 2,))

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        k, p = self.kernel, self.pad
        kernel_matrix = self._kernel_matrix(self.params["kernel"])
        bias = self.params["bias"][..., None]                                     # (…, F, 1)
        ops: list[Op] = []
        if p:
            ops.append((np.copyto, (record.padded[..., p:-p, p:-p], x)))         # x_p
        patches = patch_columns(record.padded if p else x, k)
        rows, columns = record.output_rows, record.columns
        # X_col; the first layer's input has no run axis: its patches go to every run
        columns_by_patch = as_shape(columns, columns.shape[:-2] + patches.shape[-6:])
        return ops + [(np.copyto, (columns_by_patch, patches)),
                      (product(kernel_matrix, columns), (kernel_matrix, columns, rows)),   # K_mat·X_col
                      (np.add, (rows, bias, rows)),                               # + b
                      (np.copyto, (y, self._by_filter(rows, y)))]

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        k, p = self.kernel, self.pad
        rows, columns_t = record.delta_rows, transposed(record.columns)
        kernel_matrix = self._kernel_matrix(self.params["kernel"])
        kernel_gradient = self._kernel_matrix(gradients["kernel"])
        ops: list[Op] = [
            (np.copyto, (self._by_filter(rows, y), delta_y)),                    # Δ
            (np.sum, (rows, -1, None, gradients["bias"])),                        # ∂L/∂b = Σ δ
            (product(rows, columns_t), (rows, columns_t, kernel_gradient)),       # Δ·X_colᵀ
        ]
        if delta_x is None:
            return ops
        column_gradients, kernel_t = record.column_gradients, transposed(kernel_matrix)
        ops.append((product(kernel_t, rows), (kernel_t, rows, column_gradients)))   # K_matᵀ·Δ
        # col2im: every patch's gradient added back where the patch was taken, one offset at a time
        target = record.padded_gradient if p else delta_x
        *lead, n, _, out_height, out_width = y.shape
        m = len(lead)
        by_offset = as_shape(column_gradients, tuple(lead) + (self.in_channels, k, k, n, out_height, out_width))
        by_offset = by_offset.transpose(*range(m), m + 1, m + 2, m + 3, m, m + 4, m + 5)   # (…, k, k, n, C, H′, W′)
        ops.append((np.copyto, (target, 0.0)))
        for u in range(k):
            for v in range(k):
                region = target[..., u:u + out_height, v:v + out_width]
                ops.append((np.add, (region, by_offset[(slice(None),) * m + (u, v)], region)))
        if p:
            ops.append((np.copyto, (delta_x, target[..., p:-p, p:-p])))
        return ops

    def __repr__(self) -> str:
        return (f"Conv2D({self.in_channels} → {self.filters} filters, {self.kernel}×{self.kernel}, "
                f"{self.padding!r})")
