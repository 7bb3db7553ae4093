"""The recurrent network: an Elman layer read out by a dense output layer.

    z_t = x_t·W_xh + h_{t−1}·W_hh + b,   h_t = f(z_t),   h_0 = 0        (``layers.Recurrent``)
    ŷ_t = g(h_t·W_hy + b_y)   at every step (``sequence_output``) or at t = T only

Shapes: X (n, T, inputs); trace.h (n, T+1, hidden) with h[:, 0] = 0; trace.z
(n, T, hidden); ŷ (n, T, outputs), or (n, outputs) with ``sequence_output=False``.
The loss is the feed-forward loss over every (sample, step) output: MSE the
mean over every element of (ŷ − y)², cross-entropy the mean over the outputs.

``parameters`` maps "input_weights", "recurrent_weights", "hidden_bias",
"output_weights", "output_bias" to views into the one flat vector ``params``
(the layers' layout, ``sequential.layout``). ``backward`` returns the exact
gradient of the loss, or with ``truncation = k`` of the loss with the state
before the last k steps held constant. Clipping by global norm (``clip``)
happens at the update in ``train_step``, never inside ``backward``.

Implements ``model.protocol.Model``, so ``model.training.Trainer`` trains it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..activations import Activation, get_activation
from ..initializers import INITIALIZERS
from ..layers import Dense, Mode, run
from ..layers.recurrent import RECURRENT_INITIALIZERS, Recurrent, check_truncation
from ..losses import Loss, check_pairing, get_loss, output_delta_ops
from .sequential import layout, views

Array = np.ndarray
PARAMETER_NAMES = ("input_weights", "recurrent_weights", "hidden_bias", "output_weights", "output_bias")


def sequence_loss(loss: Loss) -> Loss:
    """``loss`` over every (sample, step) output: ŷ and y (n, T, k) or (n, k)."""
    def value(prediction: Array, target: Array) -> float:
        k = prediction.shape[-1]
        return loss.value(prediction.reshape(-1, k), np.reshape(target, (-1, k)))
    return Loss(loss.name, loss.formula + "  (over every sample and step)", value, loss.description)


def global_norm(gradient: Array) -> float:
    """‖g‖ = √(Σ g²) over every parameter."""
    return float(np.sqrt(np.dot(gradient, gradient)))


def clip_by_global_norm(gradient: Array, max_norm: float) -> float:
    """g ← g·min(1, c/‖g‖) in place; returns ‖g‖ before clipping."""
    norm = global_norm(gradient)
    if norm > max_norm:
        gradient *= max_norm / norm
    return norm


def _check_size(what: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"the number of {what} must be a positive integer, got {value!r}")
    return int(value)


def _check_clip(clip: float | None) -> float | None:
    if clip is None:
        return None
    clip = float(clip)
    if not np.isfinite(clip) or clip <= 0:
        raise ValueError(f"the gradient clipping norm must be a positive number (or none), got {clip}")
    return clip


class SequenceWorkspace:
    """Buffers and calls of one pass over n sequences of T steps, time-major.

    ``inputs`` (T, n, d) ← X; ``states`` (T, n, hidden): h_1 … h_T; ``readout`` [h_t, 1] for
    the output layer (every step, or the last); ``prediction`` (steps, n, k);
    ``output_gradients`` (T, n, hidden): ∂L/∂h_t through the outputs alone.
    """

    def __init__(self, net: "RecurrentNetwork", n: int, steps: int, gradient: Array):
        recurrent, dense = net.layers
        hidden, k = net.hidden, net.outputs
        self.n, self.steps, self.gradient = n, steps, gradient
        out_steps = steps if net.sequence_output else 1
        self.inputs = np.empty((steps, n, net.inputs))
        self.states = np.empty((steps, n, hidden))
        self.readout = np.ones((out_steps, n, hidden + 1))
        self.output_sums = np.empty((out_steps * n, k))
        self.prediction = np.empty((out_steps, n, k))
        self.output_delta = np.empty((out_steps, n, k))
        self.output_gradients = np.zeros((steps, n, hidden))
        self.recurrent_record = recurrent.allocate(self.inputs.shape)
        readout_rows = self.readout.reshape(-1, hidden + 1)
        self.dense_record = dense.allocate(readout_rows.shape)
        prediction_rows = self.prediction.reshape(-1, k)
        delta_rows = self.output_delta.reshape(-1, k)
        scratch = np.empty_like(prediction_rows)
        read_states = self.states if net.sequence_output else self.states[-1:]
        mode = Mode()
        self.forward = (recurrent.forward_ops(self.recurrent_record, self.inputs, self.states, mode)
                        + [(np.copyto, (self.readout[..., :-1], read_states))]
                        + dense.forward_ops(self.dense_record, readout_rows, self.output_sums, mode)
                        + [(net.output_activation.function, (self.output_sums, prediction_rows))])
        places = views(net.layers, gradient)
        sent_back = self.output_gradients if net.sequence_output else self.output_gradients[-1:]
        self.backward = (output_delta_ops(net.base_loss, net.output_activation, self.output_sums,
                                          prediction_rows, delta_rows, scratch)
                         + dense.backward_ops(self.dense_record, readout_rows, self.output_sums, delta_rows,
                                              sent_back.reshape(-1, hidden), places[1])
                         + recurrent.backward_ops(self.recurrent_record, self.inputs, self.states,
                                                  self.output_gradients, None, places[0]))

    def run_forward(self, X: Array) -> Array:
        """ŷ (time-major) for X (n, T, d): a buffer the next pass overwrites."""
        np.copyto(self.inputs, X.swapaxes(0, 1))
        run(self.forward)
        return self.prediction

    def run_backward(self, Y: Array) -> Array:
        """∂L/∂params into ``gradient`` after ``run_forward``; Y (n, T, k) or (n, k)."""
        target = Y.swapaxes(0, 1) if Y.ndim == 3 else Y[np.newaxis]
        np.subtract(self.prediction, target, out=self.output_delta)          # δ starts as ŷ − y
        run(self.backward)
        return self.gradient


@dataclass(frozen=True)
class Trace:
    """A forward pass: x (n, T, inputs), h (n, T+1, hidden) with h[:, 0] = 0, z (n, T, hidden),
    output (n, T, outputs) or (n, outputs)."""

    x: Array
    h: Array
    z: Array
    output: Array
    _workspace: SequenceWorkspace = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class Gradients:
    """∂L/∂param by name; ``hidden_deltas`` δ_t = ∂L/∂z_t and ``state_gradients`` ∂L/∂h_t
    for t = 1 … T, both (n, T, hidden); ``flat`` in the layout of ``params``."""

    parameters: dict[str, Array]
    hidden_deltas: Array
    state_gradients: Array
    flat: Array


class RecurrentNetwork:
    """An Elman recurrent network trained by backpropagation through time.

    Parameters
    ----------
    inputs, hidden, outputs : features per step, hidden units, outputs per step
    activation : the hidden activation f (any name of ``model.ACTIVATIONS``)
    output_activation, loss : as for ``Network`` ("linear"/"sigmoid"/"tanh"/"softmax"; "mse"/"cross_entropy")
    sequence_output : an output at every step (many-to-many) or at the last only (many-to-one)
    init : W_xh and W_hy from ``model.INITIALIZERS``
    recurrent_init, recurrent_scale : W_hh "gaussian" (scale = standard deviation, default 1/√hidden)
        or "orthogonal" (scale = gain, default 1)
    truncation : None for full BPTT, or k: back through the last k steps only
    clip : None, or the largest global gradient norm an update uses
    """

    def __init__(self, inputs: int = 1, hidden: int = 16, outputs: int = 1, activation: str = "tanh",
                 output_activation: str = "linear", loss: str = "mse", sequence_output: bool = True,
                 init: str = "xavier", recurrent_init: str = "orthogonal",
                 recurrent_scale: float | None = None, truncation: int | None = None,
                 clip: float | None = None, seed: int = 0):
        self.inputs, self.hidden = _check_size("inputs", inputs), _check_size("hidden units", hidden)
        self.outputs = _check_size("outputs", outputs)
        self.sizes = [self.inputs, self.hidden, self.outputs]
        self.base_loss = get_loss(loss)
        self.loss_function = sequence_loss(self.base_loss)
        self.output_activation: Activation = get_activation(output_activation, output=True)
        check_pairing(self.base_loss, self.output_activation)
        if self.output_activation.name == "softmax" and self.outputs < 2:
            raise ValueError("a softmax output needs at least 2 output units (one per class)")
        if init not in INITIALIZERS:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALIZERS)}")
        if recurrent_init not in RECURRENT_INITIALIZERS:
            raise ValueError(f"unknown recurrent initialisation {recurrent_init!r}; "
                             f"choose one of {', '.join(RECURRENT_INITIALIZERS)}")
        if recurrent_scale is not None and not (np.isfinite(recurrent_scale) and recurrent_scale >= 0):
            raise ValueError(f"the recurrent scale must be a number ≥ 0, got {recurrent_scale}")
        self.sequence_output = bool(sequence_output)
        self.init, self.recurrent_init, self.seed = init, recurrent_init, int(seed)
        self.recurrent_scale = None if recurrent_scale is None else float(recurrent_scale)
        self.clip = _check_clip(clip)
        self.layers = [Recurrent(self.inputs, self.hidden, activation, truncation),
                       Dense(self.hidden, self.outputs)]
        for index, layer in enumerate(self.layers):
            layer.index = index
        size = sum(where.stop - where.start for _, _, where, _ in layout(self.layers))
        self.params = np.zeros(size)
        self.gradient = np.zeros(size)
        for layer, params in zip(self.layers, views(self.layers, self.params)):
            layer.bind(params)
        self.parameters = self._named(self.params)
        self.last_gradient_norm = 0.0      # ‖∂L/∂params‖ of the last training step, before clipping
        self._workspaces: dict[tuple[int, int], SequenceWorkspace] = {}
        self.reinitialize()

    # -- configuration --------------------------------------------------------

    @property
    def activation(self) -> Activation:
        return self.layers[0].function

    @property
    def truncation(self) -> int | None:
        return self.layers[0].truncation

    @truncation.setter
    def truncation(self, steps: int | None) -> None:
        self.layers[0].truncation = check_truncation(steps)
        self._workspaces.clear()         # their backward calls captured the old k

    def set_clip(self, clip: float | None) -> None:
        """Change the clipping norm (None: no clipping); ValueError keeps the old one."""
        self.clip = _check_clip(clip)

    def _named(self, flat: Array) -> dict[str, Array]:
        recurrent, dense = views(self.layers, flat)
        return {**recurrent, "output_weights": dense["block"][:-1], "output_bias": dense["block"][-1]}

    @property
    def weights(self) -> tuple[Array, Array, Array]:
        """(W_xh, W_hh, W_hy): views into ``params``."""
        return self.split(self.params)[0]

    @property
    def biases(self) -> tuple[Array, Array]:
        """(b, b_y): views into ``params``."""
        return self.split(self.params)[1]

    def split(self, flat: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        """((W_xh, W_hh, W_hy), (b, b_y)) views of a flat vector laid out like ``params``."""
        named = self._named(flat)
        return ((named["input_weights"], named["recurrent_weights"], named["output_weights"]),
                (named["hidden_bias"], named["output_bias"]))

    @property
    def statistics(self) -> list:
        """Running statistics per layer (the model protocol): none in a recurrent network."""
        return []

    def config(self) -> dict:
        """The constructor arguments, JSON-ready."""
        return {"inputs": self.inputs, "hidden": self.hidden, "outputs": self.outputs,
                "activation": self.activation.name, "output_activation": self.output_activation.name,
                "loss": self.base_loss.name, "sequence_output": self.sequence_output, "init": self.init,
                "recurrent_init": self.recurrent_init, "recurrent_scale": self.recurrent_scale,
                "truncation": self.truncation, "clip": self.clip, "seed": self.seed}

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh initial parameters from ``seed`` (default: the network's own)."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        draw = INITIALIZERS[self.init].draw
        named = self.parameters
        named["input_weights"][...], named["hidden_bias"][...] = draw(rng, self.inputs, self.hidden)
        recurrent = RECURRENT_INITIALIZERS[self.recurrent_init]
        scale = recurrent.default_scale(self.hidden) if self.recurrent_scale is None else self.recurrent_scale
        named["recurrent_weights"][...] = recurrent.draw(rng, self.hidden, scale)
        named["output_weights"][...], named["output_bias"][...] = draw(rng, self.hidden, self.outputs)

    def copy(self) -> "RecurrentNetwork":
        twin = RecurrentNetwork(**self.config())
        twin.load_state(self.state())
        return twin

    def state(self) -> dict:
        return {"params": self.params.copy()}

    def load_state(self, state: dict) -> None:
        self.params[...] = state["params"]

    # -- passes ---------------------------------------------------------------

    def workspace(self, n: int, steps: int) -> SequenceWorkspace:
        """The cached workspace for batches of n sequences of ``steps`` steps."""
        found = self._workspaces.get((n, steps))
        if found is None:
            found = self._workspaces[(n, steps)] = SequenceWorkspace(self, n, steps, self.gradient)
        return found

    def forward(self, X: Array, training: bool = False, rng: np.random.Generator | None = None,
                masks: Sequence[Array | None] | None = None) -> Trace:
        """Run X (n, T, inputs) through time and keep every z_t and h_t (no dropout here:
        ``training``, ``rng`` and ``masks`` change nothing)."""
        X = self.check_inputs(X)
        n, steps = X.shape[:2]
        workspace = SequenceWorkspace(self, n, steps, np.zeros_like(self.params))
        workspace.run_forward(X)
        h = np.zeros((n, steps + 1, self.hidden))
        h[:, 1:] = workspace.states.swapaxes(0, 1)
        return Trace(x=X, h=h, z=workspace.recurrent_record.z.swapaxes(0, 1).copy(),
                     output=self._batch_major(workspace.prediction), _workspace=workspace)

    def _batch_major(self, prediction: Array) -> Array:
        """(steps, n, k) → (n, T, k), or (n, k) for one output per sequence; a new array."""
        return prediction.swapaxes(0, 1).copy() if self.sequence_output else prediction[0].copy()

    def backward(self, trace: Trace, Y: Array) -> Gradients:
        """∂L/∂param of the loss at the trace's X (truncated to the last k steps with ``truncation``)."""
        workspace = trace._workspace
        if workspace is None:
            raise ValueError("backward needs a trace returned by this network's forward()")
        Y = self.check_targets(Y, workspace.n, workspace.steps)
        flat = workspace.run_backward(Y).copy()
        record = workspace.recurrent_record
        return Gradients(parameters=self._named(flat),
                         hidden_deltas=record.hidden_deltas.swapaxes(0, 1).copy(),
                         state_gradients=record.state_gradients.swapaxes(0, 1).copy(), flat=flat)

    def loss(self, X: Array, Y: Array, training: bool = False,
             masks: Sequence[Array | None] | None = None) -> float:
        """The loss the gradients are of (of the whole sequence, whatever the truncation)."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0], X.shape[1])
        return self.loss_function.value(self.predict(X), Y)

    data_loss = loss

    def predict(self, X: Array) -> Array:
        """ŷ for X (n, T, inputs): a new (n, T, outputs) or (n, outputs) array."""
        X = self.check_inputs(X)
        return self._batch_major(self.workspace(*X.shape[:2]).run_forward(X))

    def train_step(self, X: Array, Y: Array, optimizer) -> None:
        """One update on a batch: forward, BPTT, clip the global norm (if ``clip``), step."""
        workspace = self.workspace(*X.shape[:2])
        workspace.run_forward(X)
        workspace.run_backward(Y)
        if self.clip is None:
            self.last_gradient_norm = global_norm(self.gradient)
        else:
            self.last_gradient_norm = clip_by_global_norm(self.gradient, self.clip)
        optimizer.step(self.params, self.gradient)

    def locate_divergence(self, batch_size: int | None) -> tuple[int, str]:
        """(layer, quantity) to blame — layer 0 the recurrent layer, 1 the output layer: the
        first non-finite weighted sums of the last training batch, else gradients, else weights,
        else the layer with the largest weights."""
        layers = [("input_weights", "recurrent_weights", "hidden_bias"), ("output_weights", "output_bias")]
        workspace = next((w for (n, _), w in self._workspaces.items() if n == batch_size), None)
        if workspace is not None:
            sums = (workspace.recurrent_record.z, workspace.output_sums)
            for layer, z in enumerate(sums):
                if not np.isfinite(z).all():
                    return layer, "weighted sums z"
        for quantity, flat in (("gradients", self.gradient), ("weights", self.params)):
            named = self._named(flat)
            for layer, names in enumerate(layers):
                if not all(np.isfinite(named[name]).all() for name in names):
                    return layer, quantity
        largest = [max(np.abs(self.parameters[name]).max() for name in names) for names in layers]
        return int(np.argmax(largest)), "loss"

    # -- validation -----------------------------------------------------------

    def check_inputs(self, X: Array) -> Array:
        """X as float64 (n, T, inputs) with T ≥ 1; ValueError names the shape expected."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 3 or X.shape[2] != self.inputs or (X.shape[1] < 1 and X.shape[0] > 0):
            raise ValueError(f"inputs must be sequences of shape (n, T, {self.inputs}) with T ≥ 1, "
                             f"got {X.shape}")
        return X

    def check_targets(self, Y: Array, n: int, steps: int | None = None) -> Array:
        """Y as float64 (n, T, outputs) with ``sequence_output``, else (n, outputs)."""
        Y = np.asarray(Y, dtype=np.float64)
        if self.sequence_output:
            if Y.ndim == 2 and self.outputs == 1:
                Y = Y[..., np.newaxis]
            good = Y.ndim == 3 and Y.shape[0] == n and Y.shape[2] == self.outputs \
                and (steps is None or Y.shape[1] == steps)
            expected = f"({n}, {'T' if steps is None else steps}, {self.outputs})"
        else:
            if Y.ndim == 1 and self.outputs == 1:
                Y = Y.reshape(-1, 1)
            good = Y.shape == (n, self.outputs)
            expected = f"({n}, {self.outputs})"
        if not good:
            raise ValueError(f"targets must have shape {expected}, got {Y.shape}")
        return Y

    def __repr__(self) -> str:
        kind = "many-to-many" if self.sequence_output else "many-to-one"
        truncation = "" if self.truncation is None else f", truncation={self.truncation}"
        return (f"RecurrentNetwork({self.inputs} → {self.hidden} → {self.outputs}, "
                f"activation={self.activation.name!r}, output_activation={self.output_activation.name!r}, "
                f"loss={self.base_loss.name!r}, {kind}{truncation}, parameters={self.params.size})")
