"""Loss functions L(ŷ, y) and the delta they send into the output layer.

Shapes: ``prediction`` ŷ and ``target`` y are (n, k). Every loss is a mean, so
its gradient carries a factor 1/n (and 1/(n·k) for MSE).

The output delta δ = ∂L/∂z_out is computed by ``output_delta_function``. For the two
textbook pairs — sigmoid with binary cross-entropy and softmax with
categorical cross-entropy — the activation's derivative cancels and
δ = (ŷ − y)/n exactly; otherwise δ = ∂L/∂ŷ pushed back through f_out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import Activation

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """A loss: ``value(ŷ, y)`` → float, ``gradient(ŷ, y, out)`` writes ∂L/∂ŷ into out."""

    name: str
    formula: str
    value: Callable[[Array, Array], float]
    gradient: Callable[[Array, Array, Array], Array]
    description: str = ""

    def __repr__(self) -> str:
        return f"Loss({self.name!r}: {self.formula})"


def _mse(prediction: Array, target: Array) -> float:
    error = prediction - target
    return float(np.mean(error * error)) if error.size else 0.0


def _mse_gradient(prediction: Array, target: Array, out: Array) -> Array:
    # ∂/∂ŷ mean((ŷ − y)²) = 2(ŷ − y)/(n·k)
    np.subtract(prediction, target, out=out)
    out *= 2.0 / prediction.size
    return out


# Probabilities are kept at least this far from 0 inside the logarithm so a
# confident wrong answer costs a large, finite loss (−ln 1e-12 ≈ 27.6) instead of inf.
EPSILON = 1e-12


def _cross_entropy(prediction: Array, target: Array) -> float:
    n = prediction.shape[0]
    if n == 0:
        return 0.0
    if prediction.shape[1] == 1:
        # binary: −mean(y ln p + (1 − y) ln(1 − p)); a certain right answer costs exactly 0
        log_p = np.log(np.maximum(prediction, EPSILON))
        log_not_p = np.log(np.maximum(1.0 - prediction, EPSILON))
        return float(-np.sum(target * log_p + (1.0 - target) * log_not_p) / n)
    # categorical: −mean over samples of Σₖ yₖ ln pₖ
    return float(-np.sum(target * np.log(np.maximum(prediction, EPSILON))) / n)


def _cross_entropy_gradient(prediction: Array, target: Array, out: Array) -> Array:
    # Used only for plotting/inspection; training uses the fused delta (ŷ − y)/n.
    n = prediction.shape[0]
    p = np.clip(prediction, EPSILON, 1.0 - EPSILON)
    if prediction.shape[1] == 1:
        np.copyto(out, (p - target) / (p * (1.0 - p)) / n)
    else:
        np.copyto(out, -target / p / n)
    return out


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "L = mean((ŷ − y)²)", _mse, _mse_gradient,
             "Mean squared error: the average squared distance between prediction and target."),
        Loss("cross_entropy", "L = −mean(Σ y·ln ŷ)", _cross_entropy, _cross_entropy_gradient,
             "Cross-entropy: punishes confident wrong probabilities; binary with a sigmoid "
             "output, categorical with softmax."),
    )
}

#: The output activations cross-entropy accepts: it needs probabilities.
CROSS_ENTROPY_OUTPUTS = ("sigmoid", "softmax")


def get_loss(name: str) -> Loss:
    """Look up a loss by name; ValueError lists the valid names."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None


def check_pairing(loss: Loss, output: Activation) -> None:
    """Raise ValueError for a loss/output pair that has no meaning."""
    if loss.name == "cross_entropy" and output.name not in CROSS_ENTROPY_OUTPUTS:
        raise ValueError(
            f"cross_entropy needs probabilities at the output: use a sigmoid (two classes) or "
            f"softmax (several classes) output activation, not {output.name!r}")


def is_fused(loss: Loss, output: Activation) -> bool:
    """True when δ_out = (ŷ − y)/n exactly (cross-entropy with sigmoid or softmax)."""
    return loss.name == "cross_entropy" and output.name in CROSS_ENTROPY_OUTPUTS


OutputDelta = Callable[[Array, Array, Array, Array, Array], Array]


def output_delta_function(loss: Loss, output: Activation) -> OutputDelta:
    """``delta(z, prediction, target, out, scratch)``: δ_out = ∂L/∂z_out, shape (n, k), into out.

    Fused pairs: δ = (ŷ − y)/n. Otherwise δ = f_out′(z) ⊙ ∂L/∂ŷ (or the softmax
    Jacobian-vector product). Chosen once per network: this runs every step.
    """
    subtract, multiply = np.subtract, np.multiply
    if is_fused(loss, output):
        def fused_delta(z, prediction, target, out, scratch):
            subtract(prediction, target, out=out)
            return multiply(out, 1.0 / prediction.shape[0], out=out)
        return fused_delta
    gradient, backprop = loss.gradient, output.backprop_function or output.backprop
    if loss.name == "mse":
        def mse_delta(z, prediction, target, out, scratch):
            subtract(prediction, target, out=out)                # 2(ŷ − y)/(n·k) ⊙ f′(z)
            multiply(out, 2.0 / prediction.size, out=out)
            return backprop(z, prediction, out, scratch)
        return mse_delta

    def chained_delta(z, prediction, target, out, scratch):
        gradient(prediction, target, out)
        return backprop(z, prediction, out, scratch)
    return chained_delta

