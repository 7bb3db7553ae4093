"""The convolutional network: a row of layers given as a spec list, on images.

    net = ConvNet((1, 8, 8), [("conv", 8, 3, "same"), ("relu",), ("maxpool", 2),
                              ("conv", 16, 3, "same"), ("relu",), ("maxpool", 2),
                              ("flatten",), ("dense", 10)],
                  output_activation="softmax", loss="cross_entropy", seed=0)

Spec entries, one layer each (``model.layers``):

    ("conv", filters, k, "valid" | "same")   Conv2D: y = K ⋆ x + b, K (F, C, k, k), b (F,)
    ("maxpool", s)                           MaxPool2D: the max of each s × s window
    ("flatten",)                             Flatten: (n, C, H, W) → (n, C·H·W), channel-major
    ("dense", units)                         Dense: z = a·W + b, W (in, out), b (out,)
    (activation,)                            ActivationLayer, e.g. ("relu",), element-wise

The last entry is a dense layer with one unit per class; the output activation
follows it. Shapes: X (n, C, H, W) (or flattened (n, C·H·W), as a ``Data`` holds
images); Y (n, classes). ``parameters`` names every parameter, counted per kind in
spec order ("conv0.kernel", "conv0.bias", …, "dense0.weight", "dense0.bias"), each
a view into the one flat vector ``params``; the engine is ``Sequential``, so the
trainer, snapshots and the model protocol serve a ConvNet as they serve the MLP.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..activations import ACTIVATIONS
from ..initializers import INITIALIZERS
from ..layers import ActivationLayer, Conv2D, Dense, Flatten, Layer, MaxPool2D, Mode
from ..losses import Loss, check_pairing, get_loss
from .sequential import Sequential, Workspace, views

Array = np.ndarray

DEFAULT_SPEC: tuple[tuple, ...] = (("conv", 8, 3, "same"), ("relu",), ("maxpool", 2),
                                   ("conv", 16, 3, "same"), ("relu",), ("maxpool", 2),
                                   ("flatten",), ("dense", 10))


def default_spec(classes: int) -> list[tuple]:
    """``DEFAULT_SPEC`` with one output unit per class."""
    return [*DEFAULT_SPEC[:-1], ("dense", int(classes))]


SPEC_HELP = ('entries are ("conv", filters, kernel, "valid"|"same"), ("maxpool", size), ("flatten",), '
             '("dense", units) or an activation such as ("relu",)')


_COMPACT = re.compile(r"^(?:conv(?P<filters>\d+)x(?P<kernel>\d+)(?P<padding>same|valid)?"
                      r"|(?:max)?pool(?P<size>\d+)|dense(?P<units>\d+)|(?P<word>[a-z_]+))$")


def parse_layers(text: str) -> list[tuple]:
    """A spec from its compact form, e.g. "conv8x3,relu,pool2,conv16x3,relu,pool2,dense10":
    convF×k (padding "same" unless written convFxkvalid), poolS, denseU, an activation name
    or "flatten" — a flatten is put before the first dense layer when none is written."""
    spec: list[tuple] = []
    for word in (part.strip().lower() for part in str(text).split(",")):
        found = _COMPACT.match(word)
        if found is None:
            raise ValueError(f"cannot read layer {word!r} in {text!r}: write e.g. conv8x3, conv8x3valid, "
                             f"relu, pool2, flatten, dense10")
        if found["filters"]:
            spec.append(("conv", int(found["filters"]), int(found["kernel"]), found["padding"] or "same"))
        elif found["size"]:
            spec.append(("maxpool", int(found["size"])))
        elif found["units"]:
            if ("flatten",) not in spec:
                spec.append(("flatten",))
            spec.append(("dense", int(found["units"])))
        else:
            spec.append((found["word"],))
    return spec


@dataclass(frozen=True)
class ConvTrace:
    """A forward pass: ``inputs`` X (n, C, H, W), ``outputs[i]`` the output of spec entry i,
    ``output`` the output activation's result (probabilities for softmax)."""

    inputs: Array
    outputs: tuple[Array, ...]
    output: Array
    training: bool = False
    _workspace: Workspace = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class ConvGradients:
    """∂loss/∂param by name (views into ``flat``), and ``deltas[i]`` = ∂L/∂(output of entry i)."""

    parameters: dict[str, Array]
    deltas: tuple[Array, ...]
    flat: Array


def _positive(entry: tuple, value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{what} in {entry!r} must be a positive integer, got {value!r}")
    return int(value)


def build_layers(input_shape: tuple[int, int, int], spec: Sequence[Sequence]) -> list[Layer]:
    """One layer per spec entry, checked against the shapes flowing through (ValueError says
    which entry to change)."""
    if not spec:
        raise ValueError(f"the layer list is empty; {SPEC_HELP}")
    layers: list[Layer] = []
    shape: tuple[int, ...] = tuple(input_shape)
    for position, entry in enumerate(spec):
        entry = tuple(entry) if isinstance(entry, (list, tuple)) else (entry,)
        kind, arguments = entry[0], entry[1:]
        image = len(shape) == 3
        if kind == "conv":
            if len(arguments) not in (2, 3):
                raise ValueError(f'write a convolution as ("conv", filters, kernel, "valid"|"same"), '
                                 f"got {entry!r}")
            if not image:
                raise ValueError(f"entry {position} {entry!r}: a convolution needs image maps, but "
                                 f"the maps were flattened before it")
            filters, kernel = _positive(entry, arguments[0], "filters"), _positive(entry, arguments[1], "kernel")
            layer: Layer = Conv2D(shape[0], filters, kernel, *(arguments[2:] or ("valid",)))
        elif kind == "maxpool":
            if len(arguments) != 1 or not image:
                raise ValueError(f'entry {position} {entry!r}: write ("maxpool", size), on image maps')
            layer = MaxPool2D(_positive(entry, arguments[0], "size"))
        elif kind == "flatten":
            if arguments or not image:
                raise ValueError(f'entry {position} {entry!r}: ("flatten",) takes image maps, once')
            layer = Flatten()
        elif kind == "dense":
            if len(arguments) != 1:
                raise ValueError(f'write a dense layer as ("dense", units), got {entry!r}')
            if image:
                raise ValueError(f'entry {position} {entry!r}: put ("flatten",) before the first '
                                 f"dense layer")
            layer = Dense(shape[0], _positive(entry, arguments[0], "units"))
        elif kind in ACTIVATIONS and not arguments:
            layer = ActivationLayer(kind)
        else:
            raise ValueError(f"entry {position} {entry!r} is not a layer; {SPEC_HELP}; "
                             f"activations: {', '.join(ACTIVATIONS)}")
        shape = layer.output_shape(shape)
        layers.append(layer)
    if not isinstance(layers[-1], Dense):
        raise ValueError(f'the last entry must be ("dense", classes), got {tuple(spec[-1])!r}')
    return layers


def named_parameters(layers: Sequence[Layer], flat: Array) -> dict[str, Array]:
    """{name: view of ``flat``}: "conv0.kernel", "conv0.bias", …, "dense0.weight" (in, out),
    "dense0.bias", counted per kind in layer order."""
    named: dict[str, Array] = {}
    counts = {"conv": 0, "dense": 0}
    for layer, place in zip(layers, views(layers, flat)):
        if isinstance(layer, Conv2D):
            prefix = f"conv{counts['conv']}"
            named[f"{prefix}.kernel"], named[f"{prefix}.bias"] = place["kernel"], place["bias"]
        elif isinstance(layer, Dense):
            prefix = f"dense{counts['dense']}"
            named[f"{prefix}.weight"], named[f"{prefix}.bias"] = place["block"][:-1], place["block"][-1]
        else:
            continue
        counts[layer.kind] += 1
    return named


class ConvNet:
    """A convolutional network trained by backpropagation (the model protocol).

    Parameters
    ----------
    input_shape : (channels, height, width) of one image
    spec : the layers, one entry each (see the module docstring); ends with ("dense", classes)
    output_activation : "softmax" (several classes), "sigmoid" (one unit), "linear", …
    loss : "cross_entropy" or "mse"
    seed : seeds the initial weights
    init : "he" (default, for ReLU), "xavier"/"glorot" or "uniform"; a kernel draws with
           fan_in = C·k·k and fan_out = F
    """

    def __init__(self, input_shape: Sequence[int], spec: Sequence[Sequence] = DEFAULT_SPEC,
                 output_activation: str = "softmax", loss: str = "cross_entropy", seed: int = 0,
                 init: str = "he"):
        shape = tuple(input_shape) if isinstance(input_shape, (list, tuple)) else ()
        if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1
                                  for s in shape):
            raise ValueError(f"the input shape must be (channels, height, width), positive integers, "
                             f"got {input_shape!r}")
        self.input_shape = tuple(int(s) for s in shape)
        self.spec = [tuple(entry) if isinstance(entry, (list, tuple)) else (entry,) for entry in spec]
        layers = build_layers(self.input_shape, self.spec)
        layers.append(ActivationLayer(output_activation, output=True))
        self.loss_function: Loss = get_loss(loss)
        self.output_activation = layers[-1].function
        check_pairing(self.loss_function, self.output_activation)
        classes = layers[-2].fan_out
        if self.output_activation.name == "softmax" and classes < 2:
            raise ValueError("a softmax output needs at least 2 output units (one per class)")
        if init not in INITIALIZERS:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALIZERS)}")
        self.init, self.seed = init, int(seed)
        self.engine = Sequential(layers, self.input_shape, self.loss_function, seed=self.seed)
        self.params, self.gradient = self.engine.params, self.engine.gradient
        self.parameters = named_parameters(layers, self.params)
        self._weight_layers = [layer for layer in layers if isinstance(layer, (Conv2D, Dense))]
        # inputs, then the units after each weight layer, flattened (for messages)
        self.sizes = [int(np.prod(self.input_shape))]
        shape = self.input_shape
        for layer in layers[:-1]:
            shape = layer.output_shape(shape)
            if layer in self._weight_layers:
                self.sizes.append(int(np.prod(shape)))
        self.weights, self.biases = self.split(self.params)
        self.reinitialize()

    # -- configuration ------------------------------------------------------------------

    @property
    def classes(self) -> int:
        return self.sizes[-1]

    def config(self) -> dict:
        """The constructor arguments, JSON-ready."""
        return {"input_shape": list(self.input_shape), "spec": [list(entry) for entry in self.spec],
                "output_activation": self.output_activation.name, "loss": self.loss_function.name,
                "seed": self.seed, "init": self.init}

    def reinitialize(self, seed: int | None = None) -> None:
        """Fresh initial weights from ``seed`` (default: the network's own seed)."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        draw = INITIALIZERS[self.init].draw
        for layer in self._weight_layers:
            if isinstance(layer, Conv2D):
                kernel = layer.params["kernel"]
                weights, bias = draw(rng, int(np.prod(kernel.shape[1:])), layer.filters)
                kernel[...], layer.params["bias"][...] = weights.T.reshape(kernel.shape), bias
            else:
                layer.weights[...], layer.bias[...] = draw(rng, layer.fan_in, layer.fan_out)

    def copy(self) -> "ConvNet":
        twin = ConvNet(**self.config())
        twin.load_state(self.state())
        return twin

    @property
    def statistics(self) -> list[None]:
        """Per weight layer, batch norm's running statistics: None (no batch norm in a ConvNet yet)."""
        return [None] * len(self._weight_layers)

    def state(self) -> dict:
        """A copy of what training changes: the parameters (no running statistics here)."""
        return {"params": self.params.copy(), "statistics": self.statistics}

    def load_state(self, state: dict) -> None:
        self.params[...] = state["params"]

    def split(self, flat: Array) -> tuple[tuple[Array, ...], tuple[Array, ...]]:
        """(weights, biases) views of a flat vector laid out like ``params``, per weight layer:
        kernels (F, C, k, k) and dense weights (in, out); biases (F,) and (out,)."""
        named = named_parameters(self.engine.layers, flat)
        weights = tuple(view for name, view in named.items() if not name.endswith(".bias"))
        biases = tuple(view for name, view in named.items() if name.endswith(".bias"))
        return weights, biases

    # -- passes -------------------------------------------------------------------------

    def forward(self, X: Array, training: bool = False, rng: np.random.Generator | None = None,
                masks: Sequence[Array | None] | None = None) -> ConvTrace:
        """Run X (n, C, H, W) through the network and keep every entry's output. (There is
        no dropout or batch norm in a ConvNet yet: ``training`` changes nothing.)"""
        X = self.check_inputs(X)
        workspace = self.engine.fresh_workspace(X.shape[0], Mode(training=training))
        self.engine.run_forward(workspace, X)
        outputs = tuple(np.array(output) for output in workspace.outputs[:-1])
        return ConvTrace(inputs=X, outputs=outputs, output=workspace.output, training=training,
                         _workspace=workspace)

    def backward(self, trace: ConvTrace, Y: Array) -> ConvGradients:
        """∂loss/∂param of the loss at the trace's X, by parameter name."""
        workspace = trace._workspace
        if workspace is None or len(workspace.outputs) != len(self.engine.layers):
            raise ValueError("backward needs a trace returned by this network's forward()")
        Y = self.check_targets(Y, workspace.n)
        flat = self.engine.run_backward(workspace, Y).copy()
        return ConvGradients(parameters=named_parameters(self.engine.layers, flat),
                             deltas=tuple(np.array(delta) for delta in workspace.deltas[:-1]), flat=flat)

    def predict(self, X: Array) -> Array:
        """ŷ in evaluation mode: a new array (n, classes)."""
        return np.array(self.engine.predict(self.check_inputs(X)))

    def loss(self, X: Array, Y: Array, training: bool = False,
             masks: Sequence[Array | None] | None = None) -> float:
        """The loss at X, Y (no regularisation term in a ConvNet yet)."""
        X = self.check_inputs(X)
        return self.loss_function.value(self.engine.predict(X), self.check_targets(Y, X.shape[0]))

    data_loss = loss

    def penalty(self) -> float:
        return 0.0

    def locate_divergence(self, batch_size: int | None) -> tuple[int, str]:
        """(weight layer, quantity) to blame, from the last training pass on batches of
        ``batch_size`` (None: from the parameters only) — ``model.divergence.locate``, whose
        weight layers are the convolutions and the dense layers, as in ``sizes``."""
        from ..divergence import locate     # divergence imports this package
        return locate(self.engine, None if batch_size is None else self.engine.workspace(batch_size, True))

    def train_step(self, X: Array, Y: Array, optimizer) -> None:
        """One optimisation step on a batch: X (n, C, H, W) (or flattened), Y (n, classes)."""
        if X.ndim == 2:
            X = X.reshape((X.shape[0],) + self.input_shape)
        self.engine.train_step(X, Y, optimizer)

    # -- validation ---------------------------------------------------------------------

    def check_inputs(self, X: Array) -> Array:
        """X as float64 (n, C, H, W); rows of C·H·W values are folded into images."""
        X = np.asarray(X, dtype=np.float64)
        if X.shape == self.input_shape:
            X = X[None]
        elif X.ndim == 2 and X.shape[1] == self.sizes[0]:
            X = X.reshape((X.shape[0],) + self.input_shape)
        if X.ndim != 4 or X.shape[1:] != self.input_shape:
            raise ValueError(f"inputs must have shape (n, {', '.join(map(str, self.input_shape))}) "
                             f"or (n, {self.sizes[0]}), got {X.shape}")
        return X

    def check_targets(self, Y: Array, n: int) -> Array:
        """Y as float64 (n, classes); ValueError names the shape expected."""
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1 and self.classes == 1:
            Y = Y.reshape(-1, 1)
        if Y.shape != (n, self.classes):
            raise ValueError(f"targets must have shape ({n}, {self.classes}), got {Y.shape}")
        return Y

    def __repr__(self) -> str:
        layers = ", ".join(map(repr, self.engine.layers[:-1]))
        return (f"ConvNet({self.input_shape}, [{layers}], output_activation="
                f"{self.output_activation.name!r}, loss={self.loss_function.name!r}, "
                f"parameters={self.params.size})")
