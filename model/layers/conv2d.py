"""The convolutional layer: each filter slides over the input, y = K ⋆ x + b.

Shapes: x (n, C, H, W), kernel K (F, C, k, k), bias b (F,), y (n, F, H′, W′) with
stride 1 and H′ = H − k + 1 ("valid") or H′ = H ("same": p = (k − 1)/2 zeros on
every side, odd k only). Cross-correlation, as ``torch.nn.functional.conv2d``:

    y[i, f, r, c] = b[f] + Σ_{ch, u, v} K[f, ch, u, v] · x_p[i, ch, r + u, c + v]

where x_p is x padded with p zeros. As matrices (im2col): the patch under
position (r, c) is a column of X_col[i] (C·k·k, H′·W′), so y[i] = K_mat·X_col[i] + b
with K_mat = K reshaped (F, C·k·k). Backward, with δ = ∂L/∂y (n, F, H′, W′):

    ∂L/∂b[f] = Σ_{i, r, c} δ[i, f, r, c]
    ∂L/∂K_mat = Σ_i δ[i]·X_col[i]ᵀ                  (the input patches weighted by δ)
    ∂L/∂x = δ_q ⋆ rot180(K)ᵀ                         (a "full" convolution)

where δ_q is δ padded with q = k − 1 − p zeros and rot180(K)ᵀ is K turned by 180°
with its filter and channel axes swapped (C, F, k, k): the same im2col product.

The patches are a strided view of a padded buffer (no copy until the one copy into
X_col); no Python loop runs over samples or positions. A leading run axis (a
comparison of R convolutional networks) is not supported yet.
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
    """The k×k patches of ``padded`` (n, C, Hp, Wp) as a strided view (n, C, k, k, H′, W′):
    [i, ch, u, v, r, c] = padded[i, ch, r + u, c + v]."""
    return sliding_window_view(padded, (k, k), axis=(2, 3)).transpose(0, 1, 4, 5, 2, 3)


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
        k, p, filters = self.kernel, self.pad, self.filters
        out_height, out_width = self.output_shape(shape[1:])[1:]
        positions = out_height * out_width
        padded = np.zeros((n, channels, height + 2 * p, width + 2 * p))
        columns = np.empty((n, channels * k * k, positions))
        # backward: δ padded by q = k − 1 − p, its patches, the turned kernel, and ∂L/∂K per sample
        q = k - 1 - p
        delta_padded = np.zeros((n, filters, out_height + 2 * q, out_width + 2 * q))
        delta_columns = np.empty((n, filters * k * k, height * width))
        turned_kernel = np.empty((channels, filters, k, k))
        kernel_gradients = np.empty((n, filters, channels * k * k))
        return Record({"padded": padded, "columns": columns, "delta_padded": delta_padded,
                       "delta_columns": delta_columns, "turned_kernel": turned_kernel,
                       "kernel_gradients": kernel_gradients})

    def _padded_interior(self, padded: Array, pad: int) -> Array:
        return padded if pad == 0 else padded[:, :, pad:-pad, pad:-pad]

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        k, n = self.kernel, x.shape[0]
        kernel_matrix = self.params["kernel"].reshape(self.filters, -1)          # (F, C·k·k)
        bias = self.params["bias"][:, None]                                       # (F, 1)
        columns, padded = record.columns, record.padded
        patches = patch_columns(padded if self.pad else x, k)
        ops: list[Op] = []
        if self.pad:
            ops.append((np.copyto, (self._padded_interior(padded, self.pad), x)))   # x_p
        y_rows = as_shape(y, (n, self.filters, y.shape[2] * y.shape[3]))                                   # (n, F, H′·W′)
        ops += [(np.copyto, (as_shape(columns, patches.shape), patches)),           # X_col
                (np.matmul, (kernel_matrix, columns, y_rows)),                    # K_mat·X_col
                (np.add, (y_rows, bias, y_rows))]                                 # + b
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        k, n, q = self.kernel, x.shape[0], self.kernel - 1 - self.pad
        delta_rows = as_shape(delta_y, (n, self.filters, y.shape[2] * y.shape[3]))                         # (n, F, H′·W′)
        columns_t = record.columns.swapaxes(1, 2)                                 # (n, H′·W′, C·k·k)
        kernel_gradient = as_shape(gradients["kernel"], (self.filters, self.in_channels * k * k))
        ops: list[Op] = [
            (np.sum, (delta_rows, (0, 2), None, gradients["bias"])),              # ∂L/∂b = Σ δ
            (np.matmul, (delta_rows, columns_t, record.kernel_gradients)),        # δ[i]·X_col[i]ᵀ
            (np.sum, (record.kernel_gradients, 0, None, kernel_gradient)),        # Σ over samples
        ]
        if delta_x is not None:
            kernel = self.params["kernel"]
            turned = kernel[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)              # rot180(K)ᵀ
            delta_patches = patch_columns(record.delta_padded, k)
            ops += [(np.copyto, (self._padded_interior(record.delta_padded, q), delta_y)),   # δ_q
                    (np.copyto, (as_shape(record.delta_columns, delta_patches.shape), delta_patches)),
                    (np.copyto, (record.turned_kernel, turned)),
                    (np.matmul, (record.turned_kernel.reshape(self.in_channels, -1),
                                 record.delta_columns, as_shape(delta_x, (n, self.in_channels, x.shape[2] * x.shape[3]))))]
        return ops

    def __repr__(self) -> str:
        return (f"Conv2D({self.in_channels} → {self.filters} filters, {self.kernel}×{self.kernel}, "
                f"{self.padding!r})")
