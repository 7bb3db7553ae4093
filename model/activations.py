"""Activation functions a = f(z), their derivatives f'(z), and display formulas.

Every function works element-wise on an array ``z`` of shape (n, units) and
can write into a preallocated ``out`` array (the trainer reuses its buffers).
Where the textbook derivative is cheapest written with the output a = f(z)
(sigmoid: a(1 − a), tanh: 1 − a²), ``derivative`` uses ``a``; the others use
``z``. Softmax couples the units of a row, so it is an output activation only
and backpropagates through its Jacobian (see ``Softmax.backward_ops``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """An element-wise activation.

    ``function(z, out)`` writes f(z) into out; ``derivative(z, a, out)`` writes
    f'(z) into out (``a`` is f(z), already computed). ``formula`` and
    ``derivative_formula`` are one-line strings for display. ``one_at``: an input
    z for which f(z) is exactly 1 (None where no float64 gives exactly 1) — a
    column of it in z comes out as a column of ones in a, the next dense layer's
    bias column (``model.networks.sequential``).
    """

    name: str
    formula: str
    derivative_formula: str
    function: Callable[[Array, Array], Array]
    derivative: Callable[[Array, Array, Array], Array]
    description: str = ""
    one_at: float | None = None

    def __call__(self, z: Array) -> Array:
        """f(z) as a new array."""
        z = np.asarray(z, dtype=np.float64)
        return self.function(z, np.empty_like(z))

    def grad(self, z: Array) -> Array:
        """f'(z) as a new array."""
        z = np.asarray(z, dtype=np.float64)
        return self.derivative(z, self(z), np.empty_like(z))

    def derivative_ops(self, z: Array, a: Array, scratch: Array) -> list:
        """The calls that write f'(z) into ``scratch``."""
        return [(self.derivative, (z, a, scratch))]

    def backward_ops(self, z: Array, a: Array, delta: Array, scratch: Array) -> list:
        """The calls for δ = ∂L/∂a ⊙ f'(z), in place in ``delta`` (shape (..., n, units))."""
        if self.name == "linear":
            return []                                   # f′ = 1: δ passes through unchanged
        return self.derivative_ops(z, a, scratch) + [(np.multiply, (delta, scratch, delta))]

    def __repr__(self) -> str:
        return f"Activation({self.name!r}: {self.formula})"


# --- element-wise functions -------------------------------------------------

def _sigmoid(z: Array, out: Array) -> Array:
    # σ(z) = ½(1 + tanh(z/2)): exact, never overflows, and three cheap ufuncs.
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    np.multiply(out, 0.5, out=out)
    np.add(out, 0.5, out=out)
    return out


def _sigmoid_derivative(z: Array, a: Array, out: Array) -> Array:
    np.subtract(1.0, a, out=out)
    np.multiply(out, a, out=out)
    return out


def _tanh_derivative(z: Array, a: Array, out: Array) -> Array:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)
    return out


def _relu(z: Array, out: Array) -> Array:
    return np.maximum(z, 0.0, out=out)


def _relu_derivative(z: Array, a: Array, out: Array) -> Array:
    # 1 where z > 0, else 0: a = max(z, 0) is positive exactly there, and sign(a) is one cheap
    # call (a bool comparison cast to float costs about 3×)
    return np.sign(a, out=out)


LEAKY_SLOPE = 0.01


def _leaky_relu(z: Array, out: Array) -> Array:
    np.multiply(z, LEAKY_SLOPE, out=out)
    return np.maximum(z, out, out=out)


def _leaky_relu_derivative(z: Array, a: Array, out: Array) -> Array:
    np.greater(z, 0.0, out=out)
    out *= 1.0 - LEAKY_SLOPE
    out += LEAKY_SLOPE
    return out


def _elu(z: Array, out: Array) -> Array:
    # α = 1: z for z > 0, e^z − 1 otherwise (expm1 of min(z, 0) never overflows)
    np.minimum(z, 0.0, out=out)
    np.expm1(out, out=out)
    return np.maximum(z, out, out=out)


def _elu_derivative(z: Array, a: Array, out: Array) -> Array:
    # 1 for z > 0, e^z = a + 1 otherwise
    np.add(a, 1.0, out=out)
    return np.minimum(out, 1.0, out=out)


def _softplus(z: Array, out: Array) -> Array:
    # ln(1 + e^z) = log(e^0 + e^z), stable for large |z|
    return np.logaddexp(0.0, z, out=out)


def _softplus_derivative(z: Array, a: Array, out: Array) -> Array:
    return _sigmoid(z, out)


def _swish(z: Array, out: Array) -> Array:
    _sigmoid(z, out)
    return np.multiply(out, z, out=out)


def _swish_derivative(z: Array, a: Array, out: Array) -> Array:
    # d/dz z·σ(z) = σ(z) + z·σ(z)(1 − σ(z)) = σ(z)(1 + z) − a·σ(z) = σ(z)(1 + z − a)
    _sigmoid(z, out)
    out *= 1.0 + z - a
    return out


def _sine(z: Array, out: Array) -> Array:
    return np.sin(z, out=out)


def _sine_derivative(z: Array, a: Array, out: Array) -> Array:
    return np.cos(z, out=out)


def _linear(z: Array, out: Array) -> Array:
    np.copyto(out, z)
    return out


def _linear_derivative(z: Array, a: Array, out: Array) -> Array:
    out.fill(1.0)
    return out


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "σ(z) = 1 / (1 + e^−z)", "σ′(z) = σ(z)·(1 − σ(z))",
                   _sigmoid, _sigmoid_derivative,
                   "Squashes z into (0, 1); saturates, so gradients vanish for large |z|.",
                   one_at=40.0),                  # ½ + ½·tanh(20) is 1 in float64
        Activation("tanh", "tanh(z) = (e^z − e^−z) / (e^z + e^−z)", "tanh′(z) = 1 − tanh²(z)",
                   np.tanh, _tanh_derivative,     # a ufunc: tanh(z, out) needs no wrapper
                   "Squashes z into (−1, 1), centred on 0; saturates for large |z|.",
                   one_at=40.0),                  # tanh(40) is 1 in float64
        Activation("relu", "ReLU(z) = max(0, z)", "ReLU′(z) = 1 if z > 0 else 0",
                   _relu, _relu_derivative,
                   "Passes positive z, blocks negative z; a unit stuck at z < 0 stops learning.",
                   one_at=1.0),
        Activation("leaky_relu", f"f(z) = max({LEAKY_SLOPE}·z, z)", f"f′(z) = 1 if z > 0 else {LEAKY_SLOPE}",
                   _leaky_relu, _leaky_relu_derivative,
                   "Like ReLU but lets a small gradient through for negative z.", one_at=1.0),
        Activation("elu", "ELU(z) = z if z > 0 else e^z − 1", "ELU′(z) = 1 if z > 0 else e^z",
                   _elu, _elu_derivative,
                   "Like ReLU for z > 0, smooth and bounded below by −1 for z < 0.", one_at=1.0),
        Activation("softplus", "softplus(z) = ln(1 + e^z)", "softplus′(z) = σ(z)",
                   _softplus, _softplus_derivative,
                   "A smooth ReLU: never exactly zero, never a dead unit."),
        Activation("swish", "swish(z) = z·σ(z)", "swish′(z) = σ(z)·(1 + z − swish(z))",
                   _swish, _swish_derivative,
                   "z times its own sigmoid gate; smooth and non-monotonic near 0."),
        Activation("sine", "f(z) = sin(z)", "f′(z) = cos(z)",
                   _sine, _sine_derivative,
                   "Periodic; can fit oscillating patterns with few units.", one_at=math.pi / 2),
        Activation("linear", "f(z) = z", "f′(z) = 1",
                   _linear, _linear_derivative,
                   "No squashing: a network of linear layers is one linear map.", one_at=1.0),
    )
}


class Softmax(Activation):
    """softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ} over the units of each row (output layer only)."""

    def backward_ops(self, z: Array, a: Array, delta: Array, scratch: Array) -> list:
        """δᵢ = aᵢ·(gᵢ − Σⱼ gⱼ aⱼ) for g = ∂L/∂a: the Jacobian-vector product, in place."""
        return [(_softmax_backprop, (a, delta, scratch))]

    def grad(self, z: Array) -> Array:
        """The diagonal of the Jacobian, aᵢ(1 − aᵢ) (for plotting only)."""
        a = self(z)
        return a * (1.0 - a)


def _softmax_backprop(a: Array, delta: Array, scratch: Array) -> None:
    np.multiply(delta, a, out=scratch)
    row_dot = scratch.sum(axis=-1, keepdims=True)     # Σⱼ gⱼ aⱼ per sample
    np.subtract(delta, row_dot, out=delta)
    np.multiply(delta, a, out=delta)


def _softmax(z: Array, out: Array) -> Array:
    np.subtract(z, z.max(axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def _softmax_derivative(z: Array, a: Array, out: Array) -> Array:
    np.subtract(1.0, a, out=out)
    return np.multiply(out, a, out=out)


SOFTMAX = Softmax("softmax", "softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ", "∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ)",
                  _softmax, _softmax_derivative,
                  "Turns the outputs into class probabilities that sum to 1.")

OUTPUT_ACTIVATIONS: dict[str, Activation] = {
    "linear": ACTIVATIONS["linear"],
    "sigmoid": ACTIVATIONS["sigmoid"],
    "tanh": ACTIVATIONS["tanh"],
    "softmax": SOFTMAX,
}


def get_activation(name: str, output: bool = False) -> Activation:
    """Look up an activation by name; ValueError lists the valid names."""
    table = OUTPUT_ACTIVATIONS if output else ACTIVATIONS
    try:
        return table[name]
    except (KeyError, TypeError):
        kind = "output activation" if output else "activation"
        raise ValueError(f"unknown {kind} {name!r}; choose one of {', '.join(table)}") from None
