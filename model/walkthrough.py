"""One training step on one sample, as an ordered list of steps a student can follow.

    tour = walkthrough(net, x, y, learning_rate=0.03)          # or granularity="neuron"
    for step in tour.steps:
        print(step.title); print(step.formula); print(step.explanation)
    tour.weights_after     # == the weights after one plain SGD step on (x, y)

Nothing is computed twice: the numbers come from ``net.forward(x[None])`` and
``net.backward(trace, y[None])`` — the code that trains — and the update is an
``SGD`` step on ``net.copy()``. ``net`` itself is not modified.

The steps, in order (L = number of weight layers):

1. forward, for l = 0 … L−1: ``weighted_inputs`` (w·a on each edge of W[l]),
   ``sum`` (z[l] = a[l]·W[l] + b[l]), ``activation`` (a[l+1] = f(z[l]));
2. ``loss`` at the output (target, prediction, per-output error);
3. backward, for l = L−1 … 0: ``delta`` (δ[l] = ∂L/∂z[l]), then
   ``weight_gradients`` (∂L/∂W[l] = a[l]ᵀ·δ[l], ∂L/∂b[l] = δ[l]);
4. update, for l = 0 … L−1: ``update`` (W ← W − η·∂L/∂W, old and new), then
   ``loss_after`` (the same sample through the updated network).

Training mode (networks with dropout or batch normalisation): the pass runs on a
mini-batch — the sample first, then ``batch`` — with dropout masks drawn from
``seed``, exactly as a training step would: ``net.copy().forward(X, training=True)``
and its ``backward``. The steps follow the first sample and add, per hidden layer,
``batch_norm`` after the sum (μ_B, σ²_B, ẑ, u = γ·ẑ + β), ``dropout`` after the
activation (the mask, a·m), and on the way back ``dropout`` (g = m·Σ w·δ: δ stops
at dropped units) before the ``delta`` and ``batch_norm`` after it (∂L/∂γ, ∂L/∂β,
δ = ∂L/∂z). The between-layer gradients are the engine's own
(``Gradients.layer_deltas``); the loss is the batch's, each δ carries its 1/n and
∂L/∂w sums a·δ over the batch. ``weights_after`` is one SGD step on that batch
with those masks, and ``loss_after`` the batch loss with the same masks.

Indexing: ``Step.layer`` is the weight-layer index l — W[l] maps node column l
to node column l+1 — and ``Step.column`` (= layer + 1) is the node column whose
z, a or δ the step shows. With ``granularity="neuron"`` each forward and
backward step is split into one step per unit of that column (``Step.neuron``),
ordered unit by unit (w·a, z, a of unit 1, then of unit 2 …; δ and ∂L/∂w of
unit 1, then unit 2 …) — except that a softmax layer forms all its sums before
its activations, which need every z. Updates stay one step per layer.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Mapping

import numpy as np

from . import walkthrough_text as text
from . import walkthrough_training as training_steps
from . import walkthrough_training_text as training_text
from .activations import Activation
from .losses import is_fused
from .networks import Gradients, Network, Trace
from .optimizers import SGD

Array = np.ndarray
GRANULARITIES = ("layer", "neuron")
PHASES = ("forward", "loss", "backward", "update")


@dataclass(frozen=True, eq=False)
class Step:
    """One moment of the pass.

    ``values`` maps names to read-only arrays (e.g. "z", "weighted_inputs" shaped
    like W[layer], "deltas"); every number in a formula is one of them (or the
    constants 1 and 2). ``formulas`` holds one formula per unit of the column
    in layer mode (``formula_for(unit)``), a single one in neuron mode.
    """

    index: int
    phase: str                 # "forward" | "loss" | "backward" | "update"
    kind: str                  # weighted_inputs, sum, batch_norm, activation, dropout, loss, delta,
                               # weight_gradients, update, loss_after
    layer: int                 # weight layer l (W[l]: column l → column l+1)
    neuron: int | None         # unit of column layer+1 (neuron mode), else None
    values: Mapping[str, Array]
    formulas: tuple[str, ...]
    explanation: str
    title: str

    @property
    def column(self) -> int:
        """The node column this step's numbers belong to (layer + 1)."""
        return self.layer + 1

    @property
    def formula(self) -> str:
        """The formula with its numbers, for ``neuron`` (neuron mode) or the first unit."""
        return self.formulas[0]

    def formula_for(self, unit: int | None) -> str:
        """The formula focused on ``unit`` of the column (layer mode); ``formula`` otherwise."""
        if unit is None or self.neuron is not None or not 0 <= unit < len(self.formulas):
            return self.formulas[0]
        return self.formulas[unit]

    def __repr__(self) -> str:
        return f"Step({self.index}: {self.title})"


@dataclass(frozen=True, eq=False)
class Walkthrough:
    """The whole pass on one sample: ``steps`` plus the before/after of the update."""

    steps: tuple[Step, ...]
    granularity: str
    sizes: tuple[int, ...]
    activations: tuple[Activation, ...]     # one per weight layer: hidden ones, then the output
    loss_name: str
    learning_rate: float
    inputs: Array                            # x, shape (sizes[0],)
    target: Array                            # y, shape (sizes[-1],)
    trace: Trace                             # net.forward(x[None])
    gradients: Gradients                     # net.backward(trace, y[None])
    weights_before: tuple[Array, ...]
    biases_before: tuple[Array, ...]
    weights_after: tuple[Array, ...]
    biases_after: tuple[Array, ...]
    prediction_before: Array
    prediction_after: Array
    loss_before: float                       # data loss + regularisation penalty
    loss_after: float
    training: bool = False                   # training mode on a mini-batch (dropout, batch norm)
    batch_size: int = 1                      # samples in the pass; the followed one is row 0
    dropout_rates: tuple[float, ...] = ()    # p per node column (0 where there is no dropout)

    def dropout_kept(self, column: int) -> Array | None:
        """Which units of node ``column`` the pass's dropout mask kept for the followed
        sample, or None (no dropout there, or evaluation mode)."""
        masks = self.trace.masks
        if not self.training or column >= len(masks) or masks[column] is None:
            return None
        return masks[column][0] > 0

    @property
    def depth(self) -> int:
        return len(self.sizes) - 1

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    def parameters_at(self, index: int) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        """(weights, biases) to show at step ``index``: layers whose update step is done are new."""
        updated = {s.layer for s in self.steps[:index + 1] if s.kind == "update"}
        weights = tuple(self.weights_after[l] if l in updated else self.weights_before[l]
                        for l in range(self.depth))
        biases = tuple(self.biases_after[l] if l in updated else self.biases_before[l]
                       for l in range(self.depth))
        return weights, biases

    def first_index(self, phase: str) -> int:
        """Index of the first step of ``phase``."""
        return next(s.index for s in self.steps if s.phase == phase)

    def __repr__(self) -> str:
        return (f"Walkthrough({len(self.steps)} steps, {self.granularity} mode, sizes={list(self.sizes)}, "
                f"loss {self.loss_before:.4g} → {self.loss_after:.4g})")


def _frozen(value) -> Array:
    array = np.array(value, dtype=np.float64)
    array.flags.writeable = False
    return array


def _check(net: Network, x, y, granularity: str) -> tuple[Array, Array]:
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 0:
        y = y.reshape(1)
    if x.shape != (net.sizes[0],):
        raise ValueError(f"the sample x must have shape ({net.sizes[0]},), one value per input, "
                         f"got {x.shape}")
    if y.shape != (net.sizes[-1],):
        raise ValueError(f"the target y must have shape ({net.sizes[-1]},), one value per output, "
                         f"got {y.shape}")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("the sample and its target must be finite numbers")
    return x, y


def _batch(net: Network, x: Array, y: Array, batch) -> tuple[Array, Array]:
    """The pass's inputs and targets: the sample first, then the rest of the mini-batch."""
    X, Y = x[None], y[None]
    if batch is not None:
        inputs = net.check_inputs(batch[0])
        X, Y = np.vstack([X, inputs]), np.vstack([Y, net.check_targets(batch[1], len(inputs))])
    if any(net.batch_norm) and len(X) < 2:
        raise ValueError("batch normalisation in training mode needs a mini-batch of at least 2 "
                         "samples (the variance of one sample is 0): set the batch size to 2 or more")
    return X, Y


def walkthrough(net: Network, x: Array, y: Array, learning_rate: float,
                granularity: str = "layer", batch: tuple[Array, Array] | None = None,
                seed: int = 0) -> Walkthrough:
    """One forward pass, backward pass and plain-SGD update of ``net`` on the sample (x, y).

    x: (sizes[0],) network inputs; y: (sizes[-1],) target. ``learning_rate`` is η of
    w ← w − η·∂L/∂w. A network with dropout or batch norm runs in training mode on the
    mini-batch x, then ``batch`` = (inputs (m, sizes[0]), targets (m, sizes[-1])), with
    dropout masks drawn from ``seed``. Raises ValueError for a bad granularity, wrongly
    shaped x/y, or batch norm with a batch of one.
    """
    x, y = _check(net, x, y, granularity)
    training = any(net.dropout) or any(net.batch_norm)
    X, Y = _batch(net, x, y, batch) if training else (x[None], y[None])
    optimizer = SGD(learning_rate)
    with np.errstate(all="ignore"):
        if training:      # on a copy: a training pass moves batch norm's running statistics
            trace = net.copy().forward(X, training=True, rng=np.random.default_rng(seed))
        else:
            trace = net.forward(X)
        masks = trace.masks if training else None
        gradients = net.backward(trace, Y)     # the copy's trace: the same parameters
        data_loss = net.data_loss(X, Y, training, masks)
        loss_before = data_loss + net.penalty()
        updated = net.copy()
        optimizer.step(updated.params, gradients.flat)
        if training:
            prediction_after = updated.copy().forward(X, training=True, masks=masks).output[0]
        else:
            prediction_after = updated.predict(X)[0]
        loss_after = updated.loss(X, Y, training, masks)
    tour = _Builder(net, updated, trace, gradients, x, y, optimizer.learning_rate, granularity,
                    len(X) if training else 1)
    tour.forward()
    tour.loss(data_loss, loss_before - data_loss, loss_before,
              float(net.loss_function.value(trace.output[:1], Y[:1])))
    tour.backward()
    tour.update(loss_before, loss_after, prediction_after)
    return Walkthrough(
        steps=tuple(tour.steps), granularity=granularity, sizes=tuple(net.sizes),
        activations=tuple(net.hidden_activations) + (net.output_activation,),
        loss_name=net.loss_function.name, learning_rate=optimizer.learning_rate,
        inputs=_frozen(x), target=_frozen(y), trace=trace, gradients=gradients,
        weights_before=tuple(_frozen(w) for w in net.weights),
        biases_before=tuple(_frozen(b) for b in net.biases),
        weights_after=tuple(_frozen(w) for w in updated.weights),
        biases_after=tuple(_frozen(b) for b in updated.biases),
        prediction_before=_frozen(trace.output[0]), prediction_after=_frozen(prediction_after),
        loss_before=float(loss_before), loss_after=float(loss_after), training=training,
        batch_size=len(X) if training else 1, dropout_rates=(0.0, *net.dropout, 0.0))


class _Builder:
    """Collects the steps; one method per phase, the text comes from walkthrough_text."""

    def __init__(self, net: Network, updated: Network, trace: Trace, gradients: Gradients,
                 x: Array, y: Array, learning_rate: float, granularity: str, batch_size: int = 1):
        self.net, self.updated, self.learning_rate = net, updated, learning_rate
        self.trace, self.gradients, self.n = trace, gradients, batch_size
        self.neuron_mode = granularity == "neuron"
        self.depth = net.depth
        self.activations = list(net.hidden_activations) + [net.output_activation]
        self.parts = [net.parts(l) for l in range(net.depth)]
        self.a = [_frozen(a[0]) for a in trace.a]
        self.z = [_frozen(z[0]) for z in trace.z]
        # what each activation sees (u after batch norm, else z) and gives (before any dropout)
        self.pre = [_frozen(trace.layer_outputs[p["batch_norm"]][0]) if "batch_norm" in p else z
                    for p, z in zip(self.parts, self.z)]
        self.activated = [_frozen(trace.layer_outputs[p["activation"]][0]) for p in self.parts]
        self.W = [_frozen(w) for w in net.weights]
        self.b = [_frozen(b) for b in net.biases]
        self.deltas = [_frozen(d[0]) for d in gradients.deltas]
        self.weight_gradients = [_frozen(g) for g in gradients.weights]
        self.bias_gradients = [_frozen(g) for g in gradients.biases]
        self.derivatives = [_frozen(act.grad(v[None])[0]) for act, v in zip(self.activations, self.pre)]
        self.target = _frozen(y)
        self.steps: list[Step] = []
        self._pending: list[list[Step]] = []

    def _add(self, phase: str, kind: str, layer: int, what: str, values: dict, formula,
             explanation: str) -> None:
        """Add one step per layer, or — neuron mode, forward and backward — one per unit.

        ``formula`` is a string, or ``formula(unit, with_vector)`` for per-unit texts
        (called at once: the callers' lambdas close over loop variables). Per-unit
        steps of a layer wait in ``_pending`` until ``_flush`` orders them unit by unit.
        """
        values = MappingProxyType({k: _frozen(v) for k, v in values.items()})
        column = None if kind in ("loss", "loss_after") else layer + 1
        units = range(self.net.sizes[layer + 1])
        if callable(formula) and self.neuron_mode and phase in ("forward", "backward"):
            self._pending.append([Step(0, phase, kind, layer, j, values, (formula(j, False),),
                                       explanation, text.title(phase, what, column, self.depth, j))
                                  for j in units])
            return
        self._flush()
        formulas = tuple(formula(j, True) for j in units) if callable(formula) else (formula,)
        self._append(Step(0, phase, kind, layer, None, values, formulas, explanation,
                          text.title(phase, what, column, self.depth, None)))

    def _append(self, step: Step) -> None:
        self.steps.append(replace(step, index=len(self.steps)))

    def _flush(self) -> None:
        """Emit the pending per-unit steps neuron by neuron: unit 1's steps, then unit 2's …"""
        for per_unit in zip(*self._pending):
            for step in per_unit:
                self._append(step)
        self._pending = []

    def forward(self) -> None:
        for l in range(self.depth):
            a, W, b, z, act = self.a[l], self.W[l], self.b[l], self.z[l], self.activations[l]
            output = l == self.depth - 1
            weighted = _frozen(a[:, None] * W)
            where = text.column_name(l + 1, self.depth).replace("output", "the output")
            self._add("forward", "weighted_inputs", l, "weighted inputs w·a",
                      {"inputs": a, "weights": W, "weighted_inputs": weighted},
                      lambda j, _v: text.weighted_inputs_formula(l, j, a, W),
                      text.WEIGHTED_INPUTS_SENTENCE.format(where=where))
            self._add("forward", "sum", l, "sum z = Σ w·a + b",
                      {"inputs": a, "weights": W, "weighted_inputs": weighted, "biases": b, "z": z},
                      lambda j, v: text.sum_formula(l, j, a, W, b, z, v), text.SUM_SENTENCE)
            if act.name == "softmax":
                self._flush()         # softmax needs every z of the layer: all sums come first
            if "batch_norm" in self.parts[l]:
                training_steps.batch_norm_forward(self, l)
            label = text.function_label(act)
            argument = "u" if "batch_norm" in self.parts[l] else "z"
            pre, activated = self.pre[l], self.activated[l]
            self._add("forward", "activation", l, f"activation a = {label}({argument})",
                      {"z": pre, "activations": activated, "derivatives": self.derivatives[l]},
                      lambda j, v: text.activation_formula(j, act, pre, activated,
                                                           self.derivatives[l], output, v, argument),
                      text.activation_sentence(act, pre, self.derivatives[l], output))
            if "dropout" in self.parts[l]:
                training_steps.dropout_forward(self, l)
            self._flush()

    def loss(self, data_loss: float, penalty: float, total: float, sample_loss: float) -> None:
        prediction, target = self.a[-1], self.target
        error = _frozen(prediction - target)
        name = self.net.loss_function.name
        values = {"prediction": prediction, "target": target, "error": error,
                  "squared_error": error * error, "outputs": len(target), "data_loss": data_loss,
                  "penalty": penalty, "loss": total}
        explanation = text.loss_sentence(name, len(target))
        if self.n == 1:
            formula = text.loss_formula(name, prediction, target, data_loss, penalty, total)
        else:
            formula = ("this sample:\n" + text.loss_formula(name, prediction, target, sample_loss, 0.0,
                                                            sample_loss)
                       + "\n" + training_text.batch_loss_lines(self.n, data_loss, penalty, total))
            values.update(sample_loss=sample_loss, batch_size=self.n)
            explanation += " " + training_text.BATCH_SENTENCE
        self._add("loss", "loss", self.depth - 1, "loss L(ŷ, y)", values, formula, explanation)

    def backward(self) -> None:
        for l in range(self.depth - 1, -1, -1):
            if l < self.depth - 1 and self.parts[l].keys() & {"dropout", "batch_norm"}:
                training_steps.hidden_delta(self, l)
            else:
                self._delta(l)
            if self.n > 1:
                training_steps.batch_weight_gradients(self, l)
                self._flush()
                continue
            a, d, W = self.a[l], self.deltas[l], self.W[l]
            l1, l2 = self.net.l1, self.net.l2
            self._add("backward", "weight_gradients", l, "gradients ∂L/∂w = a·δ",
                      {"inputs": a, "deltas": d, "weights": W, "data_gradients": a[:, None] * d,
                       "weight_signs": np.sign(W), "l1": l1, "l2": l2,
                       "weight_gradients": self.weight_gradients[l],
                       "bias_gradients": self.bias_gradients[l]},
                      lambda j, _v: text.weight_gradients_formula(
                          l, j, a, d, W, self.weight_gradients[l], self.bias_gradients[l], l1, l2),
                      text.GRADIENTS_SENTENCE)
            self._flush()

    def _delta(self, l: int) -> None:
        act, d, derivative = self.activations[l], self.deltas[l], self.derivatives[l]
        what = "delta δ = ∂L/∂z"
        if l < self.depth - 1:
            next_weights, next_deltas = self.W[l + 1], self.deltas[l + 1]
            backpropagated = _frozen(next_weights @ next_deltas)
            self._add("backward", "delta", l, what,
                      {"z": self.z[l], "derivatives": derivative, "next_weights": next_weights,
                       "next_deltas": next_deltas, "weighted_deltas": next_weights * next_deltas,
                       "backpropagated": backpropagated, "deltas": d},
                      lambda j, v: text.hidden_delta_formula(j, act, next_weights, next_deltas,
                                                             backpropagated, derivative, d, v),
                      text.HIDDEN_DELTA_SENTENCE)
            return
        prediction, target = self.a[-1], self.target
        values = {"z": self.z[l], "prediction": prediction, "target": target, "deltas": d,
                  "outputs": len(target)}
        fused = is_fused(self.net.loss_function, act)
        softmax = act.name == "softmax"
        n = self.n
        if n > 1:
            values["batch_size"] = n
        if fused:
            formula = lambda j, v: text.fused_delta_formula(j, prediction, target, d, v, n)  # noqa: E731
        else:
            gradient = _frozen(2.0 * (prediction - target) / len(target) / n)   # ∂MSE/∂ŷ, for display
            values["loss_gradient"] = gradient
            if softmax:
                dot = float(gradient @ prediction)
                values["gradient_dot_prediction"] = dot
                formula = lambda j, v: text.softmax_mse_delta_formula(  # noqa: E731
                    j, prediction, gradient, dot, d, v, n)
            else:
                values["derivatives"] = derivative
                formula = lambda j, v: text.mse_delta_formula(  # noqa: E731
                    j, act, prediction, target, derivative, d, v, n)
        self._add("backward", "delta", l, what, values, formula,
                  text.output_delta_sentence(fused, softmax))

    def update(self, loss_before: float, loss_after: float, prediction_after: Array) -> None:
        eta = self.learning_rate
        for l in range(self.depth):
            old_w, old_b = self.W[l], self.b[l]
            new_w, new_b = _frozen(self.updated.weights[l]), _frozen(self.updated.biases[l])
            gw, gb = self.weight_gradients[l], self.bias_gradients[l]
            self._add("update", "update", l, "w ← w − η·∂L/∂w",
                      {"weights_before": old_w, "weights_after": new_w, "biases_before": old_b,
                       "biases_after": new_b, "weight_gradients": gw, "bias_gradients": gb,
                       "learning_rate": eta},
                      lambda j, _v: text.update_formula(j, eta, old_w, gw, new_w, old_b, gb, new_b),
                      text.update_sentence(eta))
        prediction_before = self.a[-1]
        formula = text.loss_after_formula(loss_before, loss_after, prediction_before,
                                          prediction_after, self.target)
        self._add("update", "loss_after", self.depth - 1, "loss after the step",
                  {"loss_before": loss_before, "loss_after": loss_after,
                   "loss_change": loss_after - loss_before, "prediction_before": prediction_before,
                   "prediction_after": prediction_after, "target": self.target},
                  formula, text.loss_after_sentence(loss_before, loss_after))
