"""The training-mode steps of a walkthrough: batch norm and dropout, forward and back.

Each function adds the steps of one hidden layer to a walkthrough's builder
(``model.walkthrough._Builder``: ``trace``, ``gradients``, ``parts``, ``_add`` …).
Every number comes from the engine's pass: the trace's batch statistics and masks,
and ``Gradients.layer_deltas`` — the gradient between layers, copied between the
engine's own backward calls. The steps follow the batch's first sample.
"""
from __future__ import annotations

import numpy as np

from . import walkthrough_text as text
from . import walkthrough_training_text as words
from .layers.batch_norm import EPSILON


def batch_norm_forward(tour, l: int) -> None:
    """μ_B and σ²_B over the batch, ẑ and u = γ·ẑ + β of the followed sample."""
    record = tour.trace.batch_norm[l]
    batch_z = tour.trace.z[l]
    mean, var = np.ravel(record.mean), np.ravel(record.var)
    normalized, u = record.normalized[0], record.output[0]
    gamma, beta = tour.net.gammas[l], tour.net.betas[l]
    tour._add("forward", "batch_norm", l, "batch norm u = γ·ẑ + β",
              {"batch_z": batch_z, "z": tour.z[l], "mean": mean, "var": var, "epsilon": EPSILON,
               "normalized": normalized, "gamma": gamma, "beta": beta, "u": u, "batch_size": tour.n},
              lambda j, v: words.batch_norm_formula(j, batch_z, mean, var, EPSILON, normalized,
                                                    gamma, beta, u, v),
              words.BATCH_NORM_SENTENCE)


def dropout_forward(tour, l: int) -> None:
    """The mask m of the followed sample and a ← a·m."""
    mask = tour.trace.masks[l + 1][0]
    rate = tour.net.dropout[l]
    activated, outputs = tour.activated[l], tour.a[l + 1]
    tour._add("forward", "dropout", l, "dropout a·m",
              {"activations": activated, "mask": mask, "kept": mask > 0, "outputs": outputs,
               "rate": rate, "scale": 1.0 / (1.0 - rate)},
              lambda j, v: words.dropout_formula(j, rate, activated, mask, outputs, v),
              words.dropout_sentence(rate, int(np.sum(mask == 0)), len(mask)))


def hidden_delta(tour, l: int) -> None:
    """Back through hidden layer l with dropout and/or batch norm: the mask (δ stops at
    dropped units), the slope f′, then batch norm."""
    parts, by_layer = tour.parts[l], tour.gradients.layer_deltas
    next_weights, next_deltas = tour.W[l + 1], tour.deltas[l + 1]
    weighted = next_weights * next_deltas
    backpropagated = by_layer[tour.parts[l + 1]["dense"] - 1][0]     # Σₖ w·δₖ = ∂L/∂a
    gated = by_layer[parts["activation"]][0]                          # after the mask
    dropout, batch_norm = "dropout" in parts, "batch_norm" in parts
    shared = {"next_weights": next_weights, "next_deltas": next_deltas, "weighted_deltas": weighted,
              "backpropagated": backpropagated, "gated": gated}
    if dropout:
        mask = tour.trace.masks[l + 1][0]
        tour._add("backward", "dropout", l, "through dropout g = m·Σ w·δ",
                  {**shared, "mask": mask},
                  lambda j, v: words.dropout_backward_formula(j, next_weights, next_deltas,
                                                              backpropagated, mask, gated, v),
                  words.DROPOUT_BACKWARD_SENTENCE)
    result = by_layer[parts["batch_norm"]][0] if batch_norm else tour.deltas[l]
    act, derivative = tour.activations[l], tour.derivatives[l]
    argument = "u" if batch_norm else "z"
    tour._add("backward", "delta", l, "∂L/∂u = f′(u)·g" if batch_norm else "delta δ = ∂L/∂z",
              {**shared, "z": tour.pre[l], "derivatives": derivative, "deltas": result},
              lambda j, v: words.gated_delta_formula(
                  j, act, argument, gated, derivative, result, batch_norm,
                  "" if dropout else words.gradient_sum_line(j, next_weights, next_deltas,
                                                             backpropagated), v),
              text.HIDDEN_DELTA_SENTENCE)
    if batch_norm:
        _batch_norm_backward(tour, l, by_layer[parts["batch_norm"]][0])


def _batch_norm_backward(tour, l: int, upstream) -> None:
    """∂L/∂γ, ∂L/∂β over the batch and δ = ∂L/∂z of the followed sample."""
    n, index = tour.n, tour.parts[l]["batch_norm"]
    normalized = tour.trace.batch_norm[l].normalized[0]
    inv_std = np.ravel(tour.trace._workspace.records[index].inv_std)    # the engine's 1/√(σ²_B + ε)
    gamma = tour.net.gammas[l]
    gamma_gradient, beta_gradient = tour.gradients.gammas[l], tour.gradients.betas[l]
    deltas = tour.deltas[l]
    tour._add("backward", "batch_norm", l, "through batch norm δ = ∂L/∂z",
              {"upstream": upstream, "normalized": normalized, "inv_std": inv_std, "gamma": gamma,
               "gamma_gradient": gamma_gradient, "beta_gradient": beta_gradient, "deltas": deltas,
               "batch_size": n},
              lambda j, v: words.batch_norm_backward_formula(j, n, upstream, normalized, gamma, inv_std,
                                                             gamma_gradient, beta_gradient, deltas, v),
              words.BATCH_NORM_BACKWARD_SENTENCE)


def batch_weight_gradients(tour, l: int) -> None:
    """∂L/∂w of a mini-batch: the followed sample's a·δ plus the other samples' Σ a·δ."""
    inputs, deltas = tour.trace.a[l], tour.gradients.deltas[l]
    others, other_biases = inputs[1:].T @ deltas[1:], deltas[1:].sum(axis=0)
    a, d, W = tour.a[l], tour.deltas[l], tour.W[l]
    l1, l2 = tour.net.l1, tour.net.l2
    weight_gradients, bias_gradients = tour.weight_gradients[l], tour.bias_gradients[l]
    tour._add("backward", "weight_gradients", l, "gradients ∂L/∂w = Σ a·δ",
              {"inputs": a, "deltas": d, "weights": W, "data_gradients": a[:, None] * d,
               "others": others, "other_biases": other_biases, "weight_signs": np.sign(W),
               "l1": l1, "l2": l2, "weight_gradients": weight_gradients,
               "bias_gradients": bias_gradients, "batch_size": tour.n},
              lambda j, _v: text.weight_gradients_formula(
                  l, j, a, d, W, weight_gradients, bias_gradients, l1, l2, others, other_biases),
              text.GRADIENTS_SENTENCE + " Over a mini-batch the a·δ of every sample add up.")
