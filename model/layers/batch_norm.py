"""Batch normalisation of a layer's weighted sums z, before its activation.

Training, over the n samples of the mini-batch (per unit):

    μ_B  = (1/n)·Σ z                         batch mean            (..., 1, units)
    σ²_B = (1/n)·Σ (z − μ_B)²                 batch variance (biased)
    ẑ    = (z − μ_B) / √(σ²_B + ε)            normalized            (..., n, units)
    u    = γ·ẑ + β                            output

and the running statistics, as torch.nn.BatchNorm1d(momentum=0.1, eps=1e-5):

    running_mean ← (1 − m)·running_mean + m·μ_B
    running_var  ← (1 − m)·running_var  + m·σ²_B·n/(n − 1)     (unbiased)

Evaluation uses them instead: u = γ·(z − running_mean)/√(running_var + ε) + β.

Backward, with g = ∂L/∂u (the gradient flows through μ_B and σ²_B too), in the
compact form with the means ḡ = (1/n)·Σ g and (g·ẑ)‾ = (1/n)·Σ g·ẑ:

    ∂L/∂β = Σ g,   ∂L/∂γ = Σ g·ẑ
    ∂L/∂z = γ/√(σ²_B + ε) · (g − ḡ − ẑ·(g·ẑ)‾)

Calls (a NumPy call costs more than its arithmetic at mini-batch sizes, and more again
when it broadcasts a row over the batch): sums and means are matrix products with rows
of ones and of 1/n, stacked so that one product gives several — Σ, the mean, and the
running statistics' shares m·μ_B and m·σ²_B·n/(n − 1). Up to ``SMALL_BATCH`` samples
the mean is wanted on every row, so no later call broadcasts, and z − μ_B and g − ḡ
come from the same product as (I − J)·z with J the n × n matrix of 1/n; beyond, the
mean is one row and a call subtracts it. The forward pass keeps γ/√(σ²_B + ε) for the
backward pass, so u = (z − μ_B)·γ/√(σ²_B + ε) + β. γ and β are neighbours in the flat
vector: one call writes both gradients.
"""
from __future__ import annotations

import numpy as np

from .base import Array, Layer, Mode, Op, Record, product

EPSILON = 1e-5
MOMENTUM = 0.1
#: up to this many samples a mean is computed on every row (an n × n product) instead of on
#: one row that later calls broadcast
SMALL_BATCH = 32


def side_by_side(first: Array, second: Array) -> Array:
    """Two parameters (..., units) that are neighbours in one buffer as one (..., 2, units) view."""
    step = second.__array_interface__["data"][0] - first.__array_interface__["data"][0]
    if first.shape != second.shape or first.strides != second.strides or step != first.shape[-1] * first.itemsize:
        raise ValueError("the two parameters are not neighbours in one buffer")
    return np.lib.stride_tricks.as_strided(first, first.shape[:-1] + (2, first.shape[-1]),
                                           first.strides[:-1] + (step, first.strides[-1]))


class BatchNorm(Layer):
    kind = "batch_norm"

    def __init__(self, units: int):
        super().__init__()
        self.units = int(units)
        self.statistics: Array | None = None     # (..., 2, units): running mean, running var

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"gamma": (self.units,), "beta": (self.units,)}

    def reset_statistics(self, runs: int | None = None) -> None:
        """Running mean 0 and running variance 1 (torch's start)."""
        lead = () if runs is None else (runs,)
        self.statistics = np.zeros(lead + (2, self.units))
        self.statistics[..., 1, :] = 1.0

    @property
    def running_mean(self) -> Array:
        return self.statistics[..., 0, :]

    @property
    def running_var(self) -> Array:
        return self.statistics[..., 1, :]

    def allocate(self, shape: tuple[int, ...]) -> Record:
        n = shape[-2]
        lead, units = shape[:-2], shape[-1]
        small = 2 <= n <= SMALL_BATCH
        rows = n if small else 1                      # a mean is wanted on this many rows
        centering = n if small else 0                 # rows of (I − J)·z in the mean's product
        mean = np.full((1, n), 1.0 / max(n, 1))       # (n = 0: an empty test set is evaluated too)
        ones = np.ones((1, n))
        identity_minus_mean = np.eye(n) - 1.0 / n if small else None     # I − J: n × n, small batches only
        share = MOMENTUM / (n - 1) if n > 1 else np.nan
        # one buffer: z − μ_B (small batches), μ_B, m·μ_B | m·σ²_B·n/(n − 1), σ²_B on rows —
        # the two shares are neighbours: the running statistics' step
        moments = np.empty(lead + (centering + 3 + rows, units))
        # one buffer: (g·ẑ)‾ on rows, Σ g·ẑ | Σ g, then g − ḡ (small batches) or ḡ
        sums = np.empty(lead + (rows + 2 + (n if small else 1), units))
        inv_std = np.empty(lead + (rows, units))
        return Record({
            "mean_product": np.vstack(([identity_minus_mean] if small else []) + [mean, MOMENTUM * mean]),
            "variance_product": np.vstack([np.full((1, n), share)] + [mean] * rows),
            "mean_out": moments[..., :centering + 2, :], "var_out": moments[..., centering + 2:, :],
            "centered": moments[..., :n, :] if small else np.empty(shape),
            "mean": moments[..., centering:centering + 1, :],
            "statistics_step": moments[..., centering + 1:centering + 3, :],
            "var_rows": moments[..., centering + 3:, :], "var": moments[..., centering + 3:centering + 4, :],
            "inv_std_rows": inv_std, "inv_std": inv_std[..., :1, :],
            "scale_rows": np.empty(lead + (rows, units)),             # γ/√(σ²_B + ε)
            "normalized": np.empty(shape), "scratch": np.empty(shape),
            # constants as full arrays: a call costs less without broadcasting a scalar
            "epsilon": np.full(lead + (rows, units), EPSILON), "power": np.full(lead + (rows, units), -0.5),
            "keep": np.full(lead + (2, units), 1.0 - MOMENTUM),
            "gamma_product": np.vstack([mean] * rows + [ones]),
            "beta_product": np.vstack([ones, identity_minus_mean if small else mean]),
            "gamma_out": sums[..., :rows + 1, :], "beta_out": sums[..., rows + 1:, :],
            "gamma_mean": sums[..., :rows, :], "sums": sums[..., rows:rows + 2, :],
            "beta_rest": sums[..., rows + 2:, :],       # g − ḡ (small batches) or ḡ
            "small": small,
        })

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        gamma, beta = self.params["gamma"], self.params["beta"]
        gamma, beta = gamma[..., None, :], beta[..., None, :]
        r = record
        if mode.training:
            if x.shape[-2] < 2:
                raise ValueError("batch normalisation in training mode needs at least 2 samples per "
                                 "batch: the variance of one sample is 0 (use a batch size of 2 or more)")
            times = product(r.mean_product, x)
            ops: list[Op] = [(times, (r.mean_product, x, r.mean_out))]  # μ_B = (1/n)·Σ z  (and m·μ_B)
            if not r.small:                                             # (small: z − μ_B = (I − J)·z)
                ops.append((np.subtract, (x, r.mean, r.centered)))      # z − μ_B
            ops += [
                (np.multiply, (r.centered, r.centered, r.scratch)),     # σ²_B = (1/n)·Σ (z − μ_B)²
                (times, (r.variance_product, r.scratch, r.var_out)),    # (and m·σ²_B·n/(n − 1))
                (np.add, (r.var_rows, r.epsilon, r.inv_std_rows)),
            ]
        else:                        # evaluation: the running statistics stand in for the batch's
            ops = [(np.subtract, (x, self.running_mean[..., None, :], r.centered)),
                   (np.add, (self.running_var[..., None, :], r.epsilon, r.inv_std_rows))]
        ops += [
            (np.power, (r.inv_std_rows, r.power, r.inv_std_rows)),      # 1/√(σ² + ε)
            (np.multiply, (r.centered, r.inv_std_rows, r.normalized)),  # ẑ
            (np.multiply, (r.inv_std_rows, gamma, r.scale_rows)),       # γ/√(σ² + ε)
            (np.multiply, (r.centered, r.scale_rows, y)), (np.add, (y, beta, y)),   # u = γ·ẑ + β
        ]
        if mode.training and mode.update_statistics:
            statistics = self.statistics
            ops += [(np.multiply, (statistics, r.keep, statistics)),          # s ← (1 − m)·s
                    (np.add, (statistics, r.statistics_step, statistics))]    # + (m·μ_B, m·σ²_B·n/(n − 1))
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        r = record
        times = product(r.beta_product, delta_y)
        ops: list[Op] = [
            (times, (r.beta_product, delta_y, r.beta_out)),             # Σ g, and g − ḡ or ḡ
            (np.multiply, (delta_y, r.normalized, r.scratch)),
            (times, (r.gamma_product, r.scratch, r.gamma_out)),         # (g·ẑ)‾ and Σ g·ẑ
            (np.copyto, (side_by_side(gradients["gamma"], gradients["beta"]), r.sums)),
        ]                                                               # ∂L/∂γ, ∂L/∂β
        if delta_x is not None:      # ∂L/∂z = γ/√(σ²_B + ε) · (g − ḡ − ẑ·(g·ẑ)‾)
            ops.append((np.multiply, (r.normalized, r.gamma_mean, r.scratch)))
            if r.small:
                ops.append((np.subtract, (r.beta_rest, r.scratch, delta_x)))
            else:
                ops += [(np.subtract, (delta_y, r.beta_rest, delta_x)),
                        (np.subtract, (delta_x, r.scratch, delta_x))]
            ops.append((np.multiply, (delta_x, r.scale_rows, delta_x)))
        return ops

    def __repr__(self) -> str:
        return f"BatchNorm({self.units})"
