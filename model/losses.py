"""Loss functions L(ŷ, y) and the delta they send into the output layer.

Shapes: ``prediction`` ŷ and ``target`` y are (n, k), or (R, n, k) for R runs
(the target (n, k) shared by all). Every loss is a mean over samples, so its
gradient carries a factor 1/n (and 1/(n·k) for MSE); with a run axis each run
gets its own mean and ``value`` returns an (R,) array.

The output delta δ = ∂L/∂z_out (``output_delta_ops``): for the two textbook
pairs — sigmoid with binary cross-entropy and softmax with categorical
cross-entropy — the activation's derivative cancels and δ = (ŷ − y)/n exactly;
for MSE δ = f_out′(z) ⊙ 2(ŷ − y)/(n·k).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import Activation

Array = np.ndarray
SAMPLES_AND_OUTPUTS = (-2, -1)


@dataclass(frozen=True)
class Loss:
    """A loss: ``value(ŷ, y)`` → float (or (R,) array with a run axis)."""

    name: str
    formula: str
    value: Callable[[Array, Array], float | Array]
    description: str = ""

    def __repr__(self) -> str:
        return f"Loss({self.name!r}: {self.formula})"


def _scalar_if_single(total: Array) -> float | Array:
    return float(total) if np.ndim(total) == 0 else total


def _mse(prediction: Array, target: Array) -> float | Array:
    """mean((ŷ − y)²) over samples and outputs."""
    if prediction.shape[-2] == 0:
        return _scalar_if_single(np.zeros(prediction.shape[:-2]))
    error = prediction - target
    return _scalar_if_single(np.mean(error * error, axis=SAMPLES_AND_OUTPUTS))


# Probabilities are kept at least this far from 0 inside the logarithm so a
# confident wrong answer costs a large, finite loss (−ln 1e-12 ≈ 27.6) instead of inf.
EPSILON = 1e-12


def _cross_entropy(prediction: Array, target: Array) -> float | Array:
    """Binary (k = 1): −mean(y ln p + (1 − y) ln(1 − p)); categorical: −mean Σₖ yₖ ln pₖ.

    A certain right answer costs exactly 0: the clip only keeps p away from 0 in the log.
    """
    n = prediction.shape[-2]
    if n == 0:
        return _scalar_if_single(np.zeros(prediction.shape[:-2]))
    log_p = np.log(np.maximum(prediction, EPSILON))
    if prediction.shape[-1] == 1:
        log_not_p = np.log(np.maximum(1.0 - prediction, EPSILON))
        total = np.sum(target * log_p + (1.0 - target) * log_not_p, axis=SAMPLES_AND_OUTPUTS)
    else:
        total = np.sum(target * log_p, axis=SAMPLES_AND_OUTPUTS)
    return _scalar_if_single(-total / n)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "L = mean((ŷ − y)²)", _mse,
             "Mean squared error: the average squared distance between prediction and target."),
        Loss("cross_entropy", "L = −mean(Σ y·ln ŷ)", _cross_entropy,
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


def output_delta_ops(loss: Loss, output: Activation, z: Array, prediction: Array, delta: Array,
                     scratch: Array) -> list:
    """The calls that turn ``delta`` = ŷ − y into δ_out = ∂L/∂z_out, shape (..., n, k), in place.

    Fused pairs: δ = (ŷ − y)/n. MSE: δ = 2(ŷ − y)/(n·k) ⊙ f_out′(z) (or the softmax
    Jacobian-vector product).
    """
    n, k = max(prediction.shape[-2], 1), prediction.shape[-1]      # (an empty batch: no step)
    if is_fused(loss, output):
        return [(np.multiply, (delta, 1.0 / n, delta))]
    return [(np.multiply, (delta, 2.0 / (n * k), delta))] + output.backward_ops(z, prediction, delta, scratch)
