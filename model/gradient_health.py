"""Gradient health: do the gradients reach every layer, and are the units alive?

Per weight layer l, the size of its gradient

    ‖∇_l‖ = √(Σ (∂L/∂W[l])² + Σ (∂L/∂b[l])²)

— in a deep sigmoid network it shrinks layer by layer towards the input
(vanishing gradients). Per hidden layer, over the samples X:

    dead share      = share of units whose output a is exactly 0 on every sample
                      (a ReLU unit with z < 0 everywhere: no gradient ever reaches it)
    saturated share = share of units with |f′(u)| < 0.01 on more than half the samples
                      (sigmoid and tanh units pushed into their flat tails; NaN for
                      other activations). u is the activation's input (z, or batch
                      norm's output).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

Array = np.ndarray
SATURATING = ("sigmoid", "tanh")
SATURATED_SLOPE = 0.01


@dataclass(frozen=True)
class GradientHealth:
    """``gradient_norms`` (L,) per weight layer; ``dead`` and ``saturated`` (H,) per hidden layer."""

    gradient_norms: Array
    dead: Array
    saturated: Array
    activations: tuple[str, ...]


def gradient_norms(weight_gradients: Sequence[Array], bias_gradients: Sequence[Array]) -> Array:
    """‖∇_l‖ = √(Σ ∂W[l]² + Σ ∂b[l]²) for every weight layer: an (L,) array."""
    return np.array([np.sqrt(np.sum(np.square(w)) + np.sum(np.square(b)))
                     for w, b in zip(weight_gradients, bias_gradients)])


def dead_shares(hidden_outputs: Sequence[Array]) -> Array:
    """Per hidden layer (outputs a of shape (n, units)): the share of units with a = 0 on all n."""
    return np.array([np.mean(np.all(a == 0.0, axis=0)) for a in hidden_outputs])


def saturated_shares(activations: Sequence, activation_inputs: Sequence[Array]) -> Array:
    """Per hidden layer: the share of units with |f′(u)| < 0.01 on more than half the samples
    (NaN for an activation that does not saturate)."""
    shares = []
    for function, u in zip(activations, activation_inputs):
        if function.name not in SATURATING:
            shares.append(np.nan)
            continue
        flat = np.abs(function.grad(u)) < SATURATED_SLOPE           # (n, units)
        shares.append(np.mean(np.mean(flat, axis=0) > 0.5))
    return np.array(shares, dtype=np.float64)


def gradient_health(net, X: Array, Y: Array) -> GradientHealth:
    """The three measures for ``net`` on X, Y from one evaluation-mode forward and backward pass."""
    with np.errstate(all="ignore"):
        trace = net.forward(X)
        gradients = net.backward(trace, Y)
    hidden = len(net.sizes) - 2
    inputs = [trace.z[l] if trace.batch_norm == () or trace.batch_norm[l] is None
              else trace.batch_norm[l].output for l in range(hidden)]
    return GradientHealth(
        gradient_norms=gradient_norms(gradients.weights, gradients.biases),
        dead=dead_shares(trace.a[1:hidden + 1]),
        saturated=saturated_shares(net.hidden_activations, inputs),
        activations=tuple(f.name for f in net.hidden_activations))
