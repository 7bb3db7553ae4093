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

Backward, with g = ∂L/∂u (the gradient flows through μ_B and σ²_B too):

    ∂L/∂β = Σ g,   ∂L/∂γ = Σ g·ẑ
    ∂L/∂z = γ/√(σ²_B + ε) · (g − ∂L/∂β / n − ẑ·∂L/∂γ / n)
"""
from __future__ import annotations

import numpy as np

from .base import Array, Layer, Mode, Op, Record, product

EPSILON = 1e-5
MOMENTUM = 0.1


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
        moments = np.empty(lead + (2, units))               # μ_B and σ²_B, side by side
        return Record({
            "average": np.full((1, n), 1.0 / max(n, 1)),     # a row of 1/n: mean = row·z
            # (n = 0: an empty test set is evaluated too; its row of 1/n is empty)
            "moments": moments, "mean": moments[..., :1, :], "var": moments[..., 1:, :],
            "inv_std": np.empty(lead + (1, units)), "centered": np.empty(shape),
            "normalized": np.empty(shape), "scratch": np.empty(shape),
            "statistics_step": np.empty(lead + (2, units)),
            # m and m·n/(n − 1): the running mean takes μ_B, the running variance unbiased σ²_B
            "momentum": np.array([[MOMENTUM], [MOMENTUM * n / (n - 1) if n > 1 else np.nan]]),
            "gamma_gradient": np.empty(lead + (1, units)), "beta_gradient": np.empty(lead + (1, units)),
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
            (mean_of, (r.average, x, r.mean)),                         # μ_B = (1/n)·Σ z
            (np.subtract, (x, r.mean, r.centered)),                    # z − μ_B
            (np.multiply, (r.centered, r.centered, r.scratch)),
            (mean_of, (r.average, r.scratch, r.var)),                  # σ²_B = (1/n)·Σ (z − μ_B)²
            (np.add, (r.var, EPSILON, r.inv_std)),
            (np.power, (r.inv_std, -0.5, r.inv_std)),                  # 1/√(σ²_B + ε)
            (np.multiply, (r.centered, r.inv_std, r.normalized)),      # ẑ
            (np.multiply, (r.normalized, gamma, y)), (np.add, (y, beta, y)),   # u = γ·ẑ + β
        ]
        if mode.update_statistics:
            statistics, step = self.statistics, r.statistics_step
            ops += [(np.multiply, (statistics, 1.0 - MOMENTUM, statistics)),   # s ← (1 − m)·s
                    (np.multiply, (r.moments, r.momentum, step)),     # + (m·μ_B, m·σ²_B·n/(n − 1))
                    (np.add, (statistics, step, statistics))]
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        r, n = record, x.shape[-2]
        gamma = self.params["gamma"][..., None, :]
        total = product(r.average, delta_y)
        ops: list[Op] = [
            (total, (r.average, delta_y, r.beta_gradient)),             # Σ g / n
            (np.multiply, (delta_y, r.normalized, r.scratch)),
            (total, (r.average, r.scratch, r.gamma_gradient)),          # Σ g·ẑ / n
            (np.multiply, (r.gamma_gradient, n, gradients["gamma"][..., None, :])),   # ∂L/∂γ
            (np.multiply, (r.beta_gradient, n, gradients["beta"][..., None, :])),     # ∂L/∂β
        ]
        if delta_x is not None:      # ∂L/∂z = γ/√(σ²_B + ε) · (g − Σg/n − ẑ·Σg·ẑ/n)
            ops += [(np.multiply, (r.normalized, r.gamma_gradient, r.scratch)),
                    (np.subtract, (delta_y, r.beta_gradient, delta_x)),
                    (np.subtract, (delta_x, r.scratch, delta_x)),
                    (np.multiply, (delta_x, r.inv_std, delta_x)),
                    (np.multiply, (delta_x, gamma, delta_x))]
        return ops

    def __repr__(self) -> str:
        return f"BatchNorm({self.units})"
