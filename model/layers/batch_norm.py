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

    ∂L/∂β = n·ḡ,   ∂L/∂γ = n·(g·ẑ)‾
    ∂L/∂z = γ/√(σ²_B + ε) · (g − ḡ − ẑ·(g·ẑ)‾)

Calls (a NumPy call costs more than its arithmetic at mini-batch sizes, and more again
when it broadcasts a row over the batch): each mean is one matrix product with rows of
1/n. Up to ``SMALL_BATCH`` samples that matrix is n × n, so the mean arrives on every
row and no later call broadcasts; beyond, it is one row and the calls broadcast it. One
more row of the same product gives the running statistics' share of μ_B and σ²_B. The
forward pass keeps γ/√(σ²_B + ε) for the backward pass, so u = (z − μ_B)·γ/√(σ²_B + ε) + β.
γ and β are neighbours in the flat vector: one call writes both gradients.
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
        rows = n if 2 <= n <= SMALL_BATCH else 1      # a mean is computed on this many rows
        share = MOMENTUM / (n - 1) if n > 1 else np.nan
        # μ_B on rows, m·μ_B, m·σ²_B·n/(n − 1), σ²_B on rows: the two shares are neighbours
        moments = np.empty(lead + (2 * rows + 2, units))
        # (g·ẑ)‾ on rows, then ḡ on rows: the middle two rows are laid out as γ and β
        means = np.empty(lead + (2 * rows, units))
        inv_std = np.empty(lead + (rows, units))
        average, variance_share = np.full((rows, n), 1.0 / max(n, 1)), np.full((1, n), share)
        return Record({
            # rows of 1/n: mean = rows·z; and a row for the running statistics' share
            # m·μ_B = (m/n)·Σ z and m·σ²_B·n/(n − 1) = (m/(n − 1))·Σ (z − μ_B)²
            # (n = 0: an empty test set is evaluated too; its rows are empty)
            "average": average,
            "mean_average": np.vstack([average, np.full((1, n), MOMENTUM / max(n, 1))]),
            "variance_average": np.vstack([variance_share, average]),
            "mean_and_share": moments[..., :rows + 1, :], "var_and_share": moments[..., rows + 1:, :],
            "mean_rows": moments[..., :rows, :], "var_rows": moments[..., rows + 2:, :],
            "mean": moments[..., :1, :], "var": moments[..., rows + 2:rows + 3, :],
            "statistics_step": moments[..., rows:rows + 2, :],
            "inv_std_rows": inv_std, "inv_std": inv_std[..., :1, :],
            "scale_rows": np.empty(lead + (rows, units)),             # γ/√(σ²_B + ε)
            "centered": np.empty(shape), "normalized": np.empty(shape), "scratch": np.empty(shape),
            # constants as full arrays: a call costs less without broadcasting a scalar
            "epsilon": np.full(lead + (rows, units), EPSILON), "power": np.full(lead + (rows, units), -0.5),
            "keep": np.full(lead + (2, units), 1.0 - MOMENTUM),
            "gamma_mean": means[..., :rows, :], "beta_mean": means[..., rows:, :],
            "means": means[..., rows - 1:rows + 1, :], "samples": np.full(lead + (2, units), float(n)),
        })

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        gamma, beta = self.params["gamma"], self.params["beta"]
        gamma, beta = gamma[..., None, :], beta[..., None, :]
        r = record
        if not mode.training:
            # the running statistics stand in for the batch's
            return [(np.subtract, (x, self.running_mean[..., None, :], r.centered)),
                    (np.add, (self.running_var[..., None, :], EPSILON, r.inv_std)),
                    (np.power, (r.inv_std, -0.5, r.inv_std)),
                    (np.multiply, (r.centered, r.inv_std, r.normalized)),
                    (np.multiply, (r.normalized, gamma, y)), (np.add, (y, beta, y))]
        if x.shape[-2] < 2:
            raise ValueError("batch normalisation in training mode needs at least 2 samples per "
                             "batch: the variance of one sample is 0 (use a batch size of 2 or more)")
        mean_of = product(r.average, x)
        ops: list[Op] = [
            (mean_of, (r.mean_average, x, r.mean_and_share)),              # μ_B = (1/n)·Σ z  (and m·μ_B)
            (np.subtract, (x, r.mean_rows, r.centered)),               # z − μ_B
            (np.multiply, (r.centered, r.centered, r.scratch)),        # σ²_B = (1/n)·Σ (z − μ_B)²
            (mean_of, (r.variance_average, r.scratch, r.var_and_share)),      # (and m·σ²_B·n/(n − 1))
            (np.add, (r.var_rows, r.epsilon, r.inv_std_rows)),
            (np.power, (r.inv_std_rows, r.power, r.inv_std_rows)),   # 1/√(σ²_B + ε)
            (np.multiply, (r.centered, r.inv_std_rows, r.normalized)),  # ẑ
            (np.multiply, (r.inv_std_rows, gamma, r.scale_rows)),       # γ/√(σ²_B + ε)
            (np.multiply, (r.centered, r.scale_rows, y)), (np.add, (y, beta, y)),   # u = γ·ẑ + β
        ]
        if mode.update_statistics:
            statistics = self.statistics
            ops += [(np.multiply, (statistics, r.keep, statistics)),          # s ← (1 − m)·s
                    (np.add, (statistics, r.statistics_step, statistics))]    # + (m·μ_B, m·σ²_B·n/(n − 1))
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        r = record
        average = r.average                                             # the rows of 1/n
        mean_of = product(average, delta_y)
        ops: list[Op] = [
            (mean_of, (average, delta_y, r.beta_mean)),                 # ḡ
            (np.multiply, (delta_y, r.normalized, r.scratch)),
            (mean_of, (average, r.scratch, r.gamma_mean)),              # (g·ẑ)‾
            (np.multiply, (r.means, r.samples, side_by_side(gradients["gamma"], gradients["beta"]))),
        ]                                                               # ∂L/∂γ, ∂L/∂β = n·means
        if delta_x is not None:      # ∂L/∂z = γ/√(σ²_B + ε) · (g − ḡ − ẑ·(g·ẑ)‾)
            ops += [(np.multiply, (r.normalized, r.gamma_mean, r.scratch)),
                    (np.subtract, (delta_y, r.beta_mean, delta_x)),
                    (np.subtract, (delta_x, r.scratch, delta_x)),
                    (np.multiply, (delta_x, r.scale_rows, delta_x))]
        return ops

    def __repr__(self) -> str:
        return f"BatchNorm({self.units})"
