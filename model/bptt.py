"""Backpropagation through time, step by step, for one sequence — the numbers the engine computes.

    steps = bptt_walkthrough(net, x, y, learning_rate=0.1)     # x (T, inputs), y (T, k) or (k,)

The list, in order:

1. ``forward`` per step t = 1 … T: z_t = x_t·W_xh + h_{t−1}·W_hh + b and h_t = f(z_t)
2. ``loss`` per output: ŷ_t, y_t and its share of L
3. ``backward`` per step t = T … 1: ∂L/∂h_t = (error from ŷ_t) + δ_{t+1}·W_hhᵀ,
   δ_t = ∂L/∂h_t ⊙ f′(z_t), and ∂L/∂W_hh summed over the steps seen so far
   (after the last of them it is the engine's gradient)
4. ``update``: θ ← θ − η·∂L/∂θ (gradient clipped to the network's ``clip`` first),
   and the loss on the sequence again

Every number comes from ``net.forward`` and ``net.backward``; the walkthrough
only splits ∂L/∂h_t into its two sources and sums ∂L/∂W_hh step by step.
The network itself is not changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .networks.recurrent import RecurrentNetwork, clip_by_global_norm

Array = np.ndarray


@dataclass(frozen=True)
class BpttStep:
    """One step of the walkthrough: ``phase`` and ``time`` (1-based; 0 for loss and update),
    the arrays it shows (``values``) and a sentence with the formula."""

    phase: str
    time: int
    text: str
    values: dict[str, Array] = field(default_factory=dict)


def _numbers(vector: Array) -> str:
    return "[" + ", ".join(f"{v:.3g}" for v in np.ravel(vector)[:6]) + (", …]" if np.size(vector) > 6 else "]")


def bptt_walkthrough(net: RecurrentNetwork, x: Array, y: Array, learning_rate: float) -> list[BpttStep]:
    """The whole pass on one sequence x (T, inputs) with target y (T, k) or (k,)."""
    X = net.check_inputs(np.asarray(x, dtype=np.float64)[np.newaxis])
    Y = net.check_targets(np.asarray(y, dtype=np.float64)[np.newaxis], 1, X.shape[1])
    trace = net.forward(X)
    grads = net.backward(trace, Y)
    T = X.shape[1]
    W_hh = net.parameters["recurrent_weights"]
    f = net.activation
    steps: list[BpttStep] = []
    for t in range(1, T + 1):
        z, h = trace.z[0, t - 1], trace.h[0, t]
        steps.append(BpttStep("forward", t, f"z_{t} = x_{t}·W_xh + h_{t - 1}·W_hh + b = {_numbers(z)};  "
                              f"h_{t} = {f.name}(z_{t}) = {_numbers(h)}",
                              {"x": X[0, t - 1], "h_previous": trace.h[0, t - 1], "z": z, "h": h}))
    outputs = trace.output[0] if net.sequence_output else trace.output
    targets = Y[0] if net.sequence_output else Y
    times = range(1, T + 1) if net.sequence_output else [T]
    loss = net.loss_function.value(trace.output, Y)
    for row, t in enumerate(times):
        share = net.loss_function.value(outputs[row:row + 1], targets[row:row + 1]) / len(outputs)
        steps.append(BpttStep("loss", t, f"ŷ_{t} = {_numbers(outputs[row])}, y_{t} = {_numbers(targets[row])}: "
                              f"adds {share:.3g} to L = {loss:.3g}",
                              {"prediction": outputs[row], "target": targets[row], "share": np.array(share)}))
    first = net.layers[0].first_step(T)
    deltas, state_gradients = grads.hidden_deltas[0], grads.state_gradients[0]
    recurrent_gradient = np.zeros_like(W_hh)
    for t in range(T, first, -1):
        carried = deltas[t] @ W_hh.T if t < T else np.zeros(net.hidden)
        from_output = state_gradients[t - 1] - carried
        recurrent_gradient = recurrent_gradient + np.outer(trace.h[0, t - 1], deltas[t - 1])
        steps.append(BpttStep(
            "backward", t,
            f"∂L/∂h_{t} = {_numbers(from_output)} (from ŷ_{t}) + {_numbers(carried)} (δ_{t + 1}·W_hhᵀ); "
            f"δ_{t} = ∂L/∂h_{t} ⊙ {f.name}′(z_{t}) = {_numbers(deltas[t - 1])}; "
            f"∂L/∂W_hh += h_{t - 1}ᵀ·δ_{t}",
            {"from_output": from_output, "carried": carried, "state_gradient": state_gradients[t - 1],
             "delta": deltas[t - 1], "recurrent_gradient": recurrent_gradient.copy(),
             "norm": np.array(np.linalg.norm(state_gradients[t - 1]))}))
    if first > 0:
        steps.append(BpttStep("backward", first, f"truncated: steps 1 … {first} get no gradient "
                              f"(the state h_{first} is held constant)", {}))
    gradient = grads.flat.copy()
    norm = clip_by_global_norm(gradient, net.clip) if net.clip is not None else float(np.linalg.norm(gradient))
    after = net.copy()
    after.params -= learning_rate * gradient
    new_loss = after.loss(X, Y)
    clipped = f", clipped from ‖g‖ = {norm:.3g} to {net.clip:g}" if net.clip is not None and norm > net.clip else ""
    steps.append(BpttStep("update", 0, f"θ ← θ − {learning_rate:g}·∂L/∂θ{clipped}: L {loss:.4g} → {new_loss:.4g}",
                          {"params_before": net.params.copy(), "params_after": after.params.copy(),
                           "loss_before": np.array(loss), "loss_after": np.array(new_loss)}))
    return steps


def state_gradient_norms(net: RecurrentNetwork, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(T,) the mean over sequences of ‖∂L_T/∂h_t‖ for t = 1 … T: how much of the last output's
    error reaches each step back (the engine's BPTT). With an output at every step the earlier
    targets are set to the predictions, so ŷ_t − y_t = 0 and only the last error enters."""
    trace = net.forward(inputs)
    if net.sequence_output:
        last_error_only = trace.output.copy()
        last_error_only[:, -1] = targets[:, -1]
        targets = last_error_only
    grads = net.backward(trace, targets)
    return np.linalg.norm(grads.state_gradients, axis=2).mean(axis=0)
