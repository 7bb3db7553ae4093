"""The formulas with numbers of the training-mode steps of a walkthrough: dropout and batch norm.

Same conventions as ``walkthrough_text`` (3 significant digits, 1-based subscripts,
every ASCII number one of the step's values or the constants 1 and 2). Each
``*_formula`` returns the text for unit ``j`` of a column; ``n`` is the batch size.
"""
from __future__ import annotations

import numpy as np

from .activations import Activation
from .walkthrough_text import _sum, derivative_label, fmt, sub, term, vector

Array = np.ndarray


# -- forward ------------------------------------------------------------------

def dropout_formula(j: int, rate: float, activated: Array, mask: Array, outputs: Array,
                    with_vector: bool) -> str:
    """m = 1/(1 − p) for a kept unit, 0 for a dropped one; a ← a·m."""
    if mask[j] > 0:
        lines = [f"m{sub(j)} = 1/(1 − p) = 1/(1 − {fmt(rate)}) = {fmt(mask[j])}   kept",
                 f"a{sub(j)} ← a{sub(j)}·m{sub(j)} = {term(activated[j])} × {fmt(mask[j])} = "
                 f"{fmt(outputs[j])}"]
    else:
        lines = [f"m{sub(j)} = 0   dropped (each unit is, with probability p = {fmt(rate)})",
                 f"a{sub(j)} ← a{sub(j)}·m{sub(j)} = {term(activated[j])} × 0 = 0"]
    if with_vector:
        lines.append(f"m = {vector(mask)}")
    return "\n".join(lines)


def batch_norm_formula(j: int, batch_z: Array, mean: Array, var: Array, epsilon: float,
                       normalized: Array, gamma: Array, beta: Array, u: Array, with_vector: bool) -> str:
    """μ_B, σ²_B over the batch's z of unit j, then ẑ and u = γ·ẑ + β of the followed sample."""
    n = len(batch_z)
    column = batch_z[:, j]
    lines = [f"μ_B = (1/n)·Σ z{sub(j)} = ({_sum([term(v) for v in column])})/{n} = {fmt(mean[j])}",
             f"σ²_B = (1/n)·Σ (z{sub(j)} − μ_B)² = {fmt(var[j])}",
             f"ẑ{sub(j)} = (z{sub(j)} − μ_B)/√(σ²_B + ε) = ({fmt(column[0])} − {term(mean[j])})/"
             f"√({fmt(var[j])} + {fmt(epsilon)}) = {fmt(normalized[j])}",
             f"u{sub(j)} = γ{sub(j)}·ẑ{sub(j)} + β{sub(j)} = {term(gamma[j])} × {term(normalized[j])} + "
             f"{term(beta[j])} = {fmt(u[j])}"]
    if with_vector:
        lines.append(f"u = {vector(u)}")
    return "\n".join(lines)


# -- backward -----------------------------------------------------------------

def dropout_backward_formula(j: int, next_weights: Array, next_deltas: Array, backpropagated: Array,
                             mask: Array, gated: Array, with_vector: bool) -> str:
    """g = m·Σₖ w·δₖ: a dropped unit's gradient is 0 — δ stops there."""
    products = [f"{term(next_weights[j, k])}×{term(next_deltas[k])}" for k in range(len(next_deltas))]
    lines = [f"Σₖ w{sub(j)}ₖ·δₖ = {_sum(products)} = {fmt(backpropagated[j])}"]
    if mask[j] > 0:
        lines.append(f"g{sub(j)} = m{sub(j)}·Σₖ w{sub(j)}ₖ·δₖ = {fmt(mask[j])} × "
                     f"{term(backpropagated[j])} = {fmt(gated[j])}")
    else:
        lines.append(f"g{sub(j)} = m{sub(j)}·Σₖ w{sub(j)}ₖ·δₖ = 0 × {term(backpropagated[j])} = 0"
                     "   δ stops here")
    if with_vector:
        lines.append(f"g = {vector(gated)}")
    return "\n".join(lines)


def gated_delta_formula(j: int, activation: Activation, argument: str, incoming: Array,
                        derivative: Array, result: Array, batch_norm: bool, sum_line: str,
                        with_vector: bool) -> str:
    """∂L/∂u (before batch norm) or δ = ∂L/∂z: the slope times the gradient g that came back."""
    d = derivative_label(activation)
    symbol = "∂L/∂u" if batch_norm else "δ"
    lines = [sum_line] if sum_line else []
    lines.append(f"{symbol}{sub(j)} = {d}({argument}{sub(j)})·g{sub(j)} = {term(derivative[j])} × "
                 f"{term(incoming[j])} = {fmt(result[j])}")
    if with_vector:
        lines.append(f"{symbol} = {vector(result)}")
    return "\n".join(lines)


def gradient_sum_line(j: int, next_weights: Array, next_deltas: Array, backpropagated: Array) -> str:
    """g = Σₖ w·δₖ (no dropout on this layer)."""
    products = [f"{term(next_weights[j, k])}×{term(next_deltas[k])}" for k in range(len(next_deltas))]
    return f"g{sub(j)} = Σₖ w{sub(j)}ₖ·δₖ = {_sum(products)} = {fmt(backpropagated[j])}"


def batch_norm_backward_formula(j: int, n: int, upstream: Array, normalized: Array, gamma: Array,
                                inv_std: Array, gamma_gradient: Array, beta_gradient: Array,
                                deltas: Array, with_vector: bool) -> str:
    """∂L/∂β = Σ g, ∂L/∂γ = Σ g·ẑ over the batch; δ = γ/√(σ²_B + ε)·(g − Σg/n − ẑ·Σgẑ/n)."""
    lines = [f"∂L/∂β{sub(j)} = Σ ∂L/∂u{sub(j)} = {fmt(beta_gradient[j])},   "
             f"∂L/∂γ{sub(j)} = Σ ∂L/∂u{sub(j)}·ẑ{sub(j)} = {fmt(gamma_gradient[j])}",
             f"δ{sub(j)} = γ{sub(j)}/√(σ²_B + ε)·(∂L/∂u{sub(j)} − ∂L/∂β{sub(j)}/n − "
             f"ẑ{sub(j)}·∂L/∂γ{sub(j)}/n)",
             f"   = {term(gamma[j])} × {term(inv_std[j])} × ({fmt(upstream[j])} − "
             f"{term(beta_gradient[j])}/{n} − {term(normalized[j])} × {term(gamma_gradient[j])}/{n})"
             f" = {fmt(deltas[j])}"]
    if with_vector:
        lines.append(f"δ = {vector(deltas)}")
    return "\n".join(lines)


def batch_loss_lines(n: int, data_loss: float, penalty: float, total: float) -> str:
    lines = [f"batch: L = (1/n)·Σ Lᵢ over its n = {n} samples = {fmt(data_loss)}"]
    if penalty:
        lines.append(f"L + penalty = {fmt(data_loss)} + {fmt(penalty)} = {fmt(total)}")
    return "\n".join(lines)


# -- sentences ----------------------------------------------------------------

def dropout_sentence(rate: float, dropped: int, units: int) -> str:
    return (f"Dropout (training only): each unit is switched off with probability p = {fmt(rate)} "
            f"— here {dropped} of {units} for this sample — and the kept ones are multiplied by "
            f"1/(1 − p) = {fmt(1 / (1 - rate))}, so the layer's expected output stays the same and "
            "evaluation needs no dropout. Each step trains a different thinned network, so no unit "
            "can rely on another: that fights overfitting.")


BATCH_NORM_SENTENCE = (
    "Batch normalisation (training): every unit's sums z are centred and scaled with the mean μ_B "
    "and variance σ²_B of this mini-batch, then γ and β (learned) set their scale and shift. "
    "Evaluation uses running averages of μ_B and σ²_B instead, so one sample needs no batch.")
DROPOUT_BACKWARD_SENTENCE = (
    "Back through dropout: the gradient is multiplied by the same mask. A dropped unit passed "
    "nothing forward, so its gradient is 0: δ stops here, and the weights into it are not changed "
    "by this sample.")
BATCH_NORM_BACKWARD_SENTENCE = (
    "Back through batch norm: γ and β get their gradients summed over the batch, and δ = ∂L/∂z "
    "loses its batch mean and its part along ẑ, because moving one z also moves μ_B and σ²_B.")
BATCH_SENTENCE = (
    "In training mode the step uses a mini-batch: the loss is the batch's mean, so each sample's "
    "δ carries a factor 1/n and each weight's gradient sums a·δ over the samples.")
