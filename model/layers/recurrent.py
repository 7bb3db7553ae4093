"""The recurrent (Elman) layer: one hidden state carried from step to step.

    z_t = x_t·W_xh + h_{t−1}·W_hh + b        h_0 = 0
    h_t = f(z_t)                              t = 1 … T

Shapes (time-major inside the engine, so each step is one contiguous slice):
x (T, n, inputs), z and h_1 … h_T (T, n, hidden); W_xh (inputs, hidden),
W_hh (hidden, hidden), b (hidden,). f and f′ come from the one table
``model.activations``.

Backpropagation through time (BPTT), from g_t = ∂L/∂h_t through the layer's
output alone (what the output layer sends back at each step):

    ∂L/∂h_T = g_T,   ∂L/∂h_t = g_t + δ_{t+1}·W_hhᵀ     (the gradient arriving from t + 1)
    δ_t = ∂L/∂z_t = ∂L/∂h_t ⊙ f′(z_t)
    ∂L/∂W_xh = Σ_t x_tᵀ·δ_t    ∂L/∂W_hh = Σ_t h_{t−1}ᵀ·δ_t    ∂L/∂b = Σ_t Σ_samples δ_t
    ∂L/∂x_t = δ_t·W_xhᵀ

Truncated to the last k steps (``truncation = k``): the state entering step
T − k + 1 is held constant (as ``h.detach()`` would), so δ_t = 0 for t ≤ T − k
and the sums run over the last k steps only — the exact gradient of that
truncated objective. The loop over t is the recurrence itself; every step is
vectorised over the n samples.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..activations import Activation, get_activation
from .base import Array, Layer, Mode, Op, Record


def _gaussian(rng: np.random.Generator, hidden: int, scale: float) -> Array:
    return rng.normal(0.0, scale, (hidden, hidden))


def _orthogonal(rng: np.random.Generator, hidden: int, scale: float) -> Array:
    # Q of the QR factorisation of a Gaussian matrix, signs fixed by R's diagonal so Q is
    # uniformly distributed over the orthogonal matrices (Mezzadri 2007); QᵀQ = I
    q, r = np.linalg.qr(rng.normal(0.0, 1.0, (hidden, hidden)))
    return scale * q * np.sign(np.diag(r))


@dataclass(frozen=True)
class RecurrentInitializer:
    """How W_hh is drawn: ``draw(rng, hidden, scale)``; ``scale`` is what the user chooses."""

    name: str
    formula: str
    scale_name: str
    default_scale: Callable[[int], float]
    draw: Callable[[np.random.Generator, int, float], Array]
    description: str = ""


RECURRENT_INITIALIZERS: dict[str, RecurrentInitializer] = {
    i.name: i
    for i in (
        RecurrentInitializer("gaussian", "W_hh ~ N(0, s²)", "standard deviation s",
                             lambda hidden: 1.0 / np.sqrt(hidden), _gaussian,
                             "Small s: gradients vanish through time; large s: they explode."),
        RecurrentInitializer("orthogonal", "W_hh = g·Q,  QᵀQ = I", "gain g",
                             lambda hidden: 1.0, _orthogonal,
                             "Every direction keeps its length through W_hh: gradients reach further back."),
    )
}


def check_truncation(truncation: int | None) -> int | None:
    """None (full BPTT) or a whole number of steps k ≥ 1."""
    if truncation is None:
        return None
    if isinstance(truncation, bool) or int(truncation) != truncation or truncation < 1:
        raise ValueError(f"truncated BPTT needs a whole number of steps k ≥ 1 (or none), got {truncation}")
    return int(truncation)


class Recurrent(Layer):
    """An Elman layer: inputs → hidden units whose state feeds back through W_hh."""

    kind = "recurrent"
    in_place_backward = False

    def __init__(self, inputs: int, hidden: int, activation: str = "tanh", truncation: int | None = None):
        super().__init__()
        self.inputs, self.hidden = int(inputs), int(hidden)
        self.function: Activation = get_activation(activation)
        self.truncation = check_truncation(truncation)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"input_weights": (self.inputs, self.hidden),
                "recurrent_weights": (self.hidden, self.hidden),
                "hidden_bias": (self.hidden,)}

    def output_features(self, input_features: int) -> int:
        return self.hidden

    def first_step(self, steps: int) -> int:
        """The first step (0-based) gradients flow through: T − k, or 0 for full BPTT."""
        return 0 if self.truncation is None else max(steps - self.truncation, 0)

    def allocate(self, shape: tuple[int, ...]) -> Record:
        steps, n = shape[0], shape[1]
        states = (steps, n, self.hidden)
        return Record({"z": np.empty(states),                        # z_t
                       "derivative": np.empty(states),               # f′(z_t)
                       "state_gradients": np.zeros(states),          # ∂L/∂h_t
                       "hidden_deltas": np.zeros(states),            # δ_t = ∂L/∂z_t
                       "recurrent_sum": np.empty((n, self.hidden))})  # h_{t−1}·W_hh

    def forward_ops(self, record: Record, x: Array, y: Array, mode: Mode) -> list[Op]:
        """x (T, n, inputs) → y = h_1 … h_T (T, n, hidden), contiguous."""
        W_xh, W_hh, b = (self.params[name] for name in ("input_weights", "recurrent_weights", "hidden_bias"))
        z, recurrent_sum, f = record.z, record.recurrent_sum, self.function.function
        z_rows = z.reshape(-1, self.hidden)
        # every step's x_t·W_xh + b in one product; the recurrence then adds h_{t−1}·W_hh
        ops: list[Op] = [(np.dot, (x.reshape(-1, self.inputs), W_xh, z_rows)), (np.add, (z_rows, b, z_rows)),
                         (f, (z[0], y[0]))]                                         # h_0 = 0
        for t in range(1, x.shape[0]):
            ops += [(np.dot, (y[t - 1], W_hh, recurrent_sum)),
                    (np.add, (z[t], recurrent_sum, z[t])),
                    (f, (z[t], y[t]))]
        return ops

    def backward_ops(self, record: Record, x: Array, y: Array, delta_y: Array,
                     delta_x: Array | None, gradients: dict[str, Array]) -> list[Op]:
        """``delta_y`` (T, n, hidden): g_t, ∂L/∂h_t through each step's output only."""
        W_xh, W_hh = self.params["input_weights"], self.params["recurrent_weights"]
        steps, first = x.shape[0], self.first_step(x.shape[0])
        z, derivative = record.z, record.derivative
        state_gradients, deltas = record.state_gradients, record.hidden_deltas
        W_hh_t = W_hh.T
        last = steps - 1
        ops: list[Op] = [(self.function.derivative, (z[first:], y[first:], derivative[first:])),
                         (np.copyto, (state_gradients[last], delta_y[last])),
                         (np.multiply, (state_gradients[last], derivative[last], deltas[last]))]
        for t in range(last - 1, first - 1, -1):
            ops += [(np.dot, (deltas[t + 1], W_hh_t, state_gradients[t])),          # δ_{t+1}·W_hhᵀ
                    (np.add, (state_gradients[t], delta_y[t], state_gradients[t])),  # + g_t
                    (np.multiply, (state_gradients[t], derivative[t], deltas[t]))]   # ⊙ f′(z_t)
        # steps before the truncation carry no gradient (their buffers stay zero)
        kept_x = x[first:].reshape(-1, self.inputs)
        kept_deltas = deltas[first:].reshape(-1, self.hidden)
        ops += [(np.dot, (kept_x.T, kept_deltas, gradients["input_weights"])),        # Σ x_tᵀ·δ_t
                (np.sum, (kept_deltas, 0, None, gradients["hidden_bias"]))]          # Σ δ_t
        start = max(first, 1)                  # h_0 = 0 adds nothing to ∂L/∂W_hh
        if start < steps:
            previous = y[start - 1:last].reshape(-1, self.hidden)
            ops.append((np.dot, (previous.T, deltas[start:].reshape(-1, self.hidden),
                                 gradients["recurrent_weights"])))                  # Σ h_{t−1}ᵀ·δ_t
        else:
            ops.append((gradients["recurrent_weights"].fill, (0.0,)))
        if delta_x is not None:
            ops.append((np.dot, (deltas.reshape(-1, self.hidden), W_xh.T,
                                 delta_x.reshape(-1, self.inputs))))                 # δ_t·W_xhᵀ
        return ops

    def __repr__(self) -> str:
        truncation = "" if self.truncation is None else f", truncation={self.truncation}"
        return f"Recurrent({self.inputs} → {self.hidden}, {self.function.name}{truncation})"
