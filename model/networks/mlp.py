"""The multilayer perceptron: Dense → [BatchNorm] → activation → [Dropout] per hidden layer.

Notation (weight layer l = 0 … L−1 maps a[l] to a[l+1]):

    z[l]   = a[l]·W[l] + b[l]                       shape (n, sizes[l+1])
    u[l]   = γ[l]·(z[l] − μ_B)/√(σ²_B + ε) + β[l]    with batch norm, else u[l] = z[l]
    a[l+1] = f_l(u[l]) ⊙ m[l+1]                     m: the dropout mask (training), else 1
    a[0] = X,  a[L] = ŷ (no batch norm or dropout at the output)
    δ[l]   = ∂L/∂z[l];   ∂L/∂W[l] = a[l]ᵀ·δ[l],   ∂L/∂b[l] = Σ_samples δ[l]

Every layer is one of ``model.layers``; ``model.networks.sequential`` runs them;
the layer list, the layout and the records a pass returns are in ``mlp_parts``.
``weights[l]``, ``biases[l]``, ``gammas[l]`` and ``betas[l]`` are views into the
one flat vector ``params``. ``forward(X)`` is evaluation mode (no dropout,
running statistics); training uses ``forward(X, training=True)``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..activations import Activation
from ..initializers import INITIALIZERS
from ..layers import ActivationLayer, Dense, Dropout, GivenMasks, MaskSource, Mode
from ..layers.dropout import check_rate
from ..losses import Loss, check_pairing, get_loss
from .mlp_parts import (BatchNormRecord, Gradients, Trace, mlp_layers, norms_per_weight_layer,
                        per_hidden_layer, per_weight_layer, weights_and_biases)
from .sequential import Sequential, Workspace, views

Array = np.ndarray


class _ParameterList(list):
    """A list of views into the flat parameter vector; assigning copies in place."""

    def __setitem__(self, index, value):
        target = self[index]
        value = np.asarray(value, dtype=np.float64)
        if value.shape != target.shape:
            raise ValueError(f"expected shape {target.shape}, got {value.shape}")
        target[...] = value


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    try:
        checked = [int(s) for s in sizes]
        valid = len(checked) >= 2 and all(c == s and c > 0 for c, s in zip(checked, sizes))
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            f"layer sizes must be at least two positive integers (inputs … outputs), got {list(sizes)}")
    return checked


def _check_rate(name: str, rate: float) -> float:
    rate = float(rate)
    if not np.isfinite(rate) or rate < 0:
        raise ValueError(f"the {name} regularisation rate must be zero or positive, got {rate}")
    return rate


class Network:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : layer widths, inputs first, e.g. [2, 8, 8, 1]
    activation : one hidden activation name, or a list with one per hidden layer
    output_activation : "linear", "sigmoid", "tanh" or "softmax"
    loss : "mse" or "cross_entropy"
    seed : seeds the initial weights and the dropout masks
    init : "uniform" (TensorFlow Playground), "xavier"/"glorot" or "he"
    l1, l2 : regularisation rates; the loss adds l1·Σ|w| + ½·l2·Σw² (weights, not biases)
    dropout : a rate p in [0, 1) for every hidden layer, or a list with one per hidden layer
    batch_norm : True/False, or a list with one bool per hidden layer
    """

    def __init__(self, sizes: Sequence[int], activation: str | Sequence[str] = "tanh",
                 output_activation: str = "tanh", loss: str = "mse", seed: int = 0,
                 init: str = "xavier", l1: float = 0.0, l2: float = 0.0,
                 dropout: float | Sequence[float] = 0.0, batch_norm: bool | Sequence[bool] = False):
        self.sizes = _check_sizes(sizes)
        hidden = len(self.sizes) - 2
        names = per_hidden_layer("activation", activation, hidden, str) \
            if not isinstance(activation, str) else [activation] * hidden
        self.dropout = per_hidden_layer("dropout rate", dropout, hidden, check_rate)
        self.batch_norm = per_hidden_layer("batch-norm switch", batch_norm, hidden, bool)
        self.loss_function: Loss = get_loss(loss)
        if init not in INITIALIZERS:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALIZERS)}")
        self.init, self.seed = init, int(seed)
        self._l1, self._l2 = _check_rate("l1", l1), _check_rate("l2", l2)
        layers = mlp_layers(self.sizes, names, output_activation, self.dropout, self.batch_norm,
                            self._l1, self._l2)
        self.hidden_activations: list[Activation] = [
            layer.function for layer in layers[:-1] if isinstance(layer, ActivationLayer)]
        self.output_activation: Activation = layers[-1].function
        check_pairing(self.loss_function, self.output_activation)
        outputs = self.sizes[-1]
        if self.output_activation.name == "softmax" and outputs < 2:
            raise ValueError("a softmax output needs at least 2 output units (one per class)")
        if self.loss_function.name == "cross_entropy" and self.output_activation.name == "sigmoid" \
                and outputs != 1:
            raise ValueError("binary cross-entropy with a sigmoid output needs exactly 1 output unit; "
                             "for several classes use a softmax output")
        self.engine = Sequential(layers, self.sizes[0], self.loss_function, seed=self.seed)
        self.params, self.gradient = self.engine.params, self.engine.gradient
        self._dense = [layer for layer in layers if isinstance(layer, Dense)]
        self._norms = norms_per_weight_layer(layers)
        self._dropouts = [None] + per_weight_layer(layers, Dropout)[:-1] + [None]   # aligned with a
        self._has_dropout = any(layer is not None for layer in self._dropouts)
        self._mask_views: dict[int, tuple] = {}      # batch size → (workspace, its mask buffers)
        self.weights = _ParameterList(layer.weights for layer in self._dense)
        self.biases = _ParameterList(layer.bias for layer in self._dense)
        self.gammas = [None if n is None else n.params["gamma"] for n in self._norms]
        self.betas = [None if n is None else n.params["beta"] for n in self._norms]
        self.reinitialize()

    # -- configuration --------------------------------------------------------

    @property
    def depth(self) -> int:
        """Number of weight layers L."""
        return len(self.sizes) - 1

    @property
    def activation_names(self) -> list[str]:
        return [a.name for a in self.hidden_activations]

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, rate: float) -> None:
        self._l1 = _check_rate("l1", rate)
        self._set_penalties()

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, rate: float) -> None:
        self._l2 = _check_rate("l2", rate)
        self._set_penalties()

    def _set_penalties(self) -> None:
        for layer in self._dense:
            layer.l1, layer.l2 = self._l1, self._l2
        self.engine.forget_workspaces()     # their calls captured the old rates

    @property
    def running_means(self) -> list[Array | None]:
        return [None if n is None else n.running_mean for n in self._norms]

    @property
    def running_vars(self) -> list[Array | None]:
        return [None if n is None else n.running_var for n in self._norms]

    @property
    def statistics(self) -> list[Array | None]:
        """Per weight layer, batch norm's running (mean, var) as a (2, units) array, or None."""
        return [None if n is None else n.statistics for n in self._norms]

    def config(self) -> dict:
        """The constructor arguments, JSON-ready."""
        return {"sizes": list(self.sizes), "activation": self.activation_names,
                "output_activation": self.output_activation.name, "loss": self.loss_function.name,
                "seed": self.seed, "init": self.init, "l1": self.l1, "l2": self.l2,
                "dropout": list(self.dropout), "batch_norm": list(self.batch_norm)}

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh initial weights from ``seed`` (default: the network's own seed); γ = 1, β = 0,
        running statistics back to mean 0 and variance 1, the dropout generator restarted."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        draw = INITIALIZERS[self.init].draw
        for layer in self._dense:
            layer.weights[...], layer.bias[...] = draw(rng, layer.fan_in, layer.fan_out)
        for norm in self._norms:
            if norm is not None:
                norm.params["gamma"][...] = 1.0
                norm.params["beta"][...] = 0.0
                norm.reset_statistics()
        self.engine.masks.generator = np.random.default_rng(self.seed)

    def copy(self) -> "Network":
        """An independent network with the same configuration, parameters and statistics."""
        twin = Network(**self.config())
        twin.load_state(self.state())
        return twin

    def state(self) -> dict:
        """Copies of what training changes: the parameters and batch norm's running statistics."""
        return {"params": self.params.copy(),
                "statistics": [None if s is None else s.copy() for s in self.statistics]}

    def load_state(self, state: dict) -> None:
        """Put back a ``state()`` (statistics that are missing or None stay as they are)."""
        params = np.asarray(state["params"], dtype=np.float64)
        if params.shape != self.params.shape:
            raise ValueError(f"the parameter vector has {params.size} values; this network needs "
                             f"{self.params.size}")
        statistics = list(state.get("statistics") or [])
        for mine, saved in zip(self.statistics, statistics):
            if mine is not None and saved is not None and np.shape(saved) != mine.shape:
                raise ValueError(f"batch-norm statistics of shape {np.shape(saved)} do not fit "
                                 f"this network's {mine.shape}")
        self.params[...] = params
        for mine, saved in zip(self.statistics, statistics):
            if mine is not None and saved is not None:
                mine[...] = saved

    def split(self, flat: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        """(W[l], b[l]) views of a flat vector laid out like ``params`` (e.g. the gradient)."""
        weights, biases = weights_and_biases(self.sizes, self.batch_norm, flat)
        return tuple(weights), tuple(biases)

    # -- passes ---------------------------------------------------------------

    def forward(self, X: Array, training: bool = False, rng: np.random.Generator | None = None,
                masks: Sequence[Array | None] | None = None) -> Trace:
        """Run X (n, sizes[0]) through the network and keep every z and a.

        Evaluation mode by default. ``training=True``: batch statistics (which also move
        the running statistics) and dropout masks — drawn from ``rng``, from the network's
        own generator, or repeated from ``masks`` (a trace's ``masks``). Evaluation mode with
        ``masks`` (rows of shape (1, units) apply to every sample) is a thinned network.
        """
        X = self.check_inputs(X)
        mode = self._mode(training, rng, masks, update_statistics=True)
        workspace = self.engine.fresh_workspace(X.shape[0], mode)
        self.engine.run_forward(workspace, X)
        return self._trace(workspace, X, training)

    def _mode(self, training: bool, rng, masks, update_statistics: bool) -> Mode:
        """Training: batch statistics and masks (given, from ``rng`` or the network's own
        generator). Evaluation: running statistics, and no dropout unless ``masks`` are given
        (a thinned network). A None mask on a dropout layer keeps every unit."""
        source = None
        if masks is not None:
            source = GivenMasks({layer.index: np.ones((1, layer_units)) if mask is None else mask
                                 for layer, layer_units, mask in zip(self._dropouts, self.sizes, masks)
                                 if layer is not None})
        if not training:
            return Mode(masks=source)
        if source is None:
            source = MaskSource(rng) if rng is not None else self.engine.masks
        return Mode(training=True, update_statistics=update_statistics, masks=source)

    def _trace(self, workspace: Workspace, X: Array, training: bool) -> Trace:
        layers = self.engine.layers
        dense = [i for i, layer in enumerate(layers) if isinstance(layer, Dense)]
        z = tuple(workspace.outputs[i] for i in dense)
        hidden_a = tuple(np.array(workspace.inputs[i][:, :-1]) for i in dense[1:])
        a = (X, *hidden_a, workspace.output)
        masks = tuple(None if layer is None or workspace.mode.masks is None
                      else np.array(workspace.records[layer.index].mask) for layer in self._dropouts)
        norms = []
        for norm in self._norms:
            if norm is None:
                norms.append(None)
                continue
            record = workspace.records[norm.index]
            if training:
                mean, var = record.mean[0], record.var[0]
            else:
                mean, var = norm.running_mean.copy(), norm.running_var.copy()
            norms.append(BatchNormRecord(mean=mean, var=var, normalized=record.normalized,
                                         output=workspace.outputs[norm.index]))
        return Trace(z=z, a=a, output=workspace.output, masks=masks, batch_norm=tuple(norms),
                     training=training, layer_outputs=tuple(workspace.outputs), _workspace=workspace)

    def parts(self, l: int) -> dict[str, int]:
        """Where weight layer l's pieces sit in ``engine.layers``: {"dense", "batch_norm",
        "activation", "dropout"} → index (the optional ones only when present)."""
        layers = self.engine.layers
        dense = self._dense[l].index
        found = {"dense": dense}
        for index in range(dense + 1, len(layers)):
            if isinstance(layers[index], Dense):
                break
            found[layers[index].kind] = index
        return found

    def training_masks(self, n: int) -> tuple[Array | None, ...] | None:
        """The dropout masks the latest training step on a batch of n used, aligned with ``a``
        (None for columns without dropout): m = [u ≥ p]/(1 − p), (n, units) each. These are
        the engine's own buffers (the next step overwrites them): copy what you keep. None
        when no step on batches of n has run, or without dropout. (Called after every step
        while the window shows masks: the views are looked up once per workspace.)"""
        workspace = self.engine.cached_workspace(n, training=True)
        if workspace is None or not self._has_dropout:
            return None
        cached = self._mask_views.get(n)
        if cached is None or cached[0] is not workspace:     # (re)built workspace: new buffers
            cached = self._mask_views[n] = (workspace, tuple(
                None if layer is None else workspace.records[layer.index].mask
                for layer in self._dropouts))
        return cached[1]

    def predict(self, X: Array) -> Array:
        """ŷ for X in evaluation mode: a new array of shape (n, sizes[-1])."""
        return np.array(self.engine.predict(self.check_inputs(X)))

    def backward(self, trace: Trace, Y: Array) -> Gradients:
        """∂loss/∂param of the loss at the trace's X in the trace's mode — with its masks and
        batch statistics — regularisation included."""
        workspace = trace._workspace
        if workspace is None or len(workspace.outputs) != len(self.engine.layers):
            raise ValueError("backward needs a trace returned by this network's forward()")
        Y = self.check_targets(Y, workspace.n)
        layer_deltas = self.engine.run_backward_by_layer(workspace, Y)
        flat = workspace.gradient.copy()
        places = views(self.engine.layers, flat)
        weights, biases = self.split(flat)
        return Gradients(weights=weights, biases=biases,
                         deltas=tuple(np.array(workspace.deltas[layer.index]) for layer in self._dense),
                         flat=flat,
                         gammas=tuple(None if n is None else places[n.index]["gamma"] for n in self._norms),
                         betas=tuple(None if n is None else places[n.index]["beta"] for n in self._norms),
                         layer_deltas=tuple(layer_deltas))

    def loss(self, X: Array, Y: Array, training: bool = False,
             masks: Sequence[Array | None] | None = None) -> float:
        """The data loss at X, Y plus the regularisation penalty (evaluation mode unless
        ``training``; a training-mode loss leaves the running statistics as they are)."""
        return self.data_loss(X, Y, training, masks) + self.penalty()

    def data_loss(self, X: Array, Y: Array, training: bool = False,
                  masks: Sequence[Array | None] | None = None) -> float:
        """The loss without the regularisation penalty (what a loss plot shows)."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        if training:
            workspace = self.engine.fresh_workspace(X.shape[0], self._mode(True, None, masks, False))
            prediction = self.engine.run_forward(workspace, X)
        else:
            prediction = self.engine.predict(X)
        return self.loss_function.value(prediction, Y)

    def penalty(self) -> float:
        """l1·Σ|w| + ½·l2·Σw² over all weights (biases are not regularised)."""
        return float(self.engine.penalty())

    def train_step(self, X: Array, Y: Array, optimizer) -> None:
        """One optimisation step on a batch (training mode): X (n, sizes[0]), Y (n, sizes[-1])."""
        self.engine.train_step(X, Y, optimizer)

    def locate_divergence(self, batch_size: int | None) -> tuple[int, str]:
        """(weight layer, quantity) to blame, from the last training pass on batches of
        ``batch_size`` (None: from the parameters only) — ``model.divergence.locate``."""
        from ..divergence import locate     # divergence imports this package
        return locate(self.engine, None if batch_size is None else self.engine.workspace(batch_size, True))

    # -- validation -----------------------------------------------------------

    def check_inputs(self, X: Array) -> Array:
        """X as float64 (n, sizes[0]); ValueError names the shape expected."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got {X.shape}")
        return X

    def check_targets(self, Y: Array, n: int) -> Array:
        """Y as float64 (n, sizes[-1]); ValueError names the shape expected."""
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y.reshape(-1, 1)
        if Y.shape != (n, self.sizes[-1]):
            raise ValueError(f"targets must have shape ({n}, {self.sizes[-1]}), got {Y.shape}")
        return Y

    def __repr__(self) -> str:
        extras = ""
        if any(self.dropout):
            extras += f", dropout={self.dropout}"
        if any(self.batch_norm):
            extras += f", batch_norm={self.batch_norm}"
        return (f"Network({self.sizes}, activation={self.activation_names}, "
                f"output_activation={self.output_activation.name!r}, "
                f"loss={self.loss_function.name!r}{extras}, parameters={self.params.size})")
