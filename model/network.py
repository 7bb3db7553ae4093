"""A multilayer perceptron whose every intermediate quantity can be inspected.

Notation (layer l = 0 … L−1 maps a[l] to a[l+1]):

    z[l]   = a[l] · W[l] + b[l]          shape (n, sizes[l+1])
    a[l+1] = f_l(z[l])                    a[0] = X, a[L] = ŷ
    δ[l]   = ∂L/∂z[l]                     δ[L−1] from the loss, then
    δ[l−1] = (δ[l] · W[l]ᵀ) ⊙ f′_{l−1}(z[l−1])
    ∂L/∂W[l] = a[l]ᵀ · δ[l],   ∂L/∂b[l] = Σ_samples δ[l]

Storage: all parameters live in one flat float64 vector ``params``. Layer l
owns the block [W[l]; b[l]] of shape (sizes[l]+1, sizes[l+1]) — the bias is
the last row, so with a column of ones appended to a[l] one matrix product
computes z = [a, 1]·[W; b] and one more gives both ∂L/∂W and ∂L/∂b.
``weights[l]`` and ``biases[l]`` are views into that vector, and an SGD step
is a single expression on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from .activations import Activation, get_activation
from .initializers import INITIALIZERS
from .losses import Loss, check_pairing, get_loss, output_delta_function
from .optimizers import Optimizer

Array = np.ndarray


@dataclass(frozen=True)
class Trace:
    """Everything a forward pass computed: ``z[l]`` (L arrays), ``a[l]`` (L+1, a[0] = X)."""

    z: tuple[Array, ...]
    a: tuple[Array, ...]
    output: Array
    _workspace: "_Workspace" = field(repr=False, compare=False, default=None)


@dataclass(frozen=True)
class Gradients:
    """∂loss/∂param per layer, plus the deltas δ[l] = ∂L/∂z[l] and the flat vector."""

    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    deltas: tuple[Array, ...]
    flat: Array


class _Workspace:
    """Preallocated arrays for one batch size: z, a (with a ones column), δ, scratch."""

    def __init__(self, sizes: Sequence[int], n: int):
        depth = len(sizes) - 1
        self.n = n
        # a_aug[l] = [a[l], 1] for hidden layers; a_aug[0] is the caller's input.
        self.a_aug: list[Array | None] = [None]
        for size in sizes[1:-1]:
            buffer = np.empty((n, size + 1))
            buffer[:, -1] = 1.0
            self.a_aug.append(buffer)
        self.output = np.empty((n, sizes[-1]))
        self.a_aug.append(self.output)
        self.a = [None] + [b[:, :-1] for b in self.a_aug[1:-1]] + [self.output]
        self.a_aug_t = [None] + [b.T for b in self.a_aug[1:-1]]   # transposed views, made once
        self.z = [np.empty((n, sizes[l + 1])) for l in range(depth)]
        self.delta = [np.empty((n, sizes[l + 1])) for l in range(depth)]
        self.scratch = [np.empty((n, sizes[l + 1])) for l in range(depth)]


def append_ones(X: Array) -> Array:
    """[X, 1]: shape (n, d) → (n, d+1), so a bias row in the weights applies."""
    augmented = np.empty((X.shape[0], X.shape[1] + 1))
    augmented[:, :-1] = X
    augmented[:, -1] = 1.0
    return augmented


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


class Network:
    """A fully connected feed-forward network trained by backpropagation.

    Parameters
    ----------
    sizes : layer widths, inputs first, e.g. [2, 8, 8, 1]
    activation : one hidden activation name, or a list with one per hidden layer
    output_activation : "linear", "sigmoid", "tanh" or "softmax"
    loss : "mse" or "cross_entropy"
    seed : seeds the initial weights
    init : "uniform" (TensorFlow Playground), "xavier"/"glorot" or "he"
    l1, l2 : regularisation rates; the loss adds l1·Σ|w| + ½·l2·Σw² (weights, not biases)
    """

    def __init__(self, sizes: Sequence[int], activation: str | Sequence[str] = "tanh",
                 output_activation: str = "tanh", loss: str = "mse", seed: int = 0,
                 init: str = "xavier", l1: float = 0.0, l2: float = 0.0):
        self.sizes = _check_sizes(sizes)
        hidden = len(self.sizes) - 2
        names = [activation] * hidden if isinstance(activation, str) else list(activation)
        if len(names) != hidden:
            raise ValueError(f"give one activation per hidden layer: {hidden} hidden layer(s), "
                             f"{len(names)} activation(s) {names}")
        self.hidden_activations: list[Activation] = [get_activation(n) for n in names]
        self.output_activation: Activation = get_activation(output_activation, output=True)
        self.loss_function: Loss = get_loss(loss)
        check_pairing(self.loss_function, self.output_activation)
        outputs = self.sizes[-1]
        if self.output_activation.name == "softmax" and outputs < 2:
            raise ValueError("a softmax output needs at least 2 output units (one per class)")
        if self.loss_function.name == "cross_entropy" and self.output_activation.name == "sigmoid" \
                and outputs != 1:
            raise ValueError("binary cross-entropy with a sigmoid output needs exactly 1 output unit; "
                             "for several classes use a softmax output")
        if init not in INITIALIZERS:
            raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALIZERS)}")
        self.init = init
        self.seed = int(seed)
        self.l1 = l1
        self.l2 = l2
        self._activations = self.hidden_activations + [self.output_activation]
        self._output_delta = output_delta_function(self.loss_function, self.output_activation)
        self._backprops = [activation.backprop_function or activation.backprop
                           for activation in self.hidden_activations]

        shapes = [(a + 1, b) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        self.params = np.empty(sum(r * c for r, c in shapes))
        self.gradient = np.zeros_like(self.params)
        self._blocks = self._split(self.params)
        self._gradient_blocks = self._split(self.gradient)
        self.weights = _ParameterList(block[:-1] for block in self._blocks)
        self.biases = _ParameterList(block[-1] for block in self._blocks)
        self._weights_transposed = [block[:-1].T for block in self._blocks]
        self._workspaces: dict[int, _Workspace] = {}
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

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, rate: float) -> None:
        self._l2 = _check_rate("l2", rate)

    def config(self) -> dict:
        """The constructor arguments, JSON-ready."""
        return {"sizes": list(self.sizes), "activation": self.activation_names,
                "output_activation": self.output_activation.name, "loss": self.loss_function.name,
                "seed": self.seed, "init": self.init, "l1": self.l1, "l2": self.l2}

    def reinitialize(self, seed: int | None = None) -> None:
        """Draw fresh initial weights from ``seed`` (default: the network's own seed)."""
        if seed is not None:
            self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        draw = INITIALIZERS[self.init].draw
        for block in self._blocks:
            weights, bias = draw(rng, block.shape[0] - 1, block.shape[1])
            block[:-1] = weights
            block[-1] = bias

    def copy(self) -> "Network":
        """An independent network with the same configuration and parameters."""
        twin = Network(**self.config())
        twin.params[:] = self.params
        return twin

    def _split(self, flat: Array) -> list[Array]:
        blocks, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (fan_in + 1) * fan_out
            blocks.append(flat[start:stop].reshape(fan_in + 1, fan_out))
            start = stop
        return blocks

    # -- the public, allocating API ------------------------------------------

    def forward(self, X: Array) -> Trace:
        """Run X (n, sizes[0]) through the network and keep every z and a."""
        X = self._check_inputs(X)
        workspace = _Workspace(self.sizes, X.shape[0])
        workspace.a_aug[0] = append_ones(X)
        self._forward(workspace)
        a = (X, *(np.array(a) for a in workspace.a[1:-1]), workspace.output)
        return Trace(z=tuple(workspace.z), a=a, output=workspace.output, _workspace=workspace)

    def predict(self, X: Array) -> Array:
        """ŷ for X: shape (n, sizes[-1])."""
        return self.forward(X).output

    def backward(self, trace: Trace, Y: Array) -> Gradients:
        """∂loss/∂W[l], ∂loss/∂b[l] of ``loss(X, Y)`` at the trace's X (regularisation included)."""
        workspace = trace._workspace
        if workspace is None or len(workspace.z) != self.depth:
            raise ValueError("backward needs a trace returned by this network's forward()")
        Y = self._check_targets(Y, workspace.n)
        flat = np.zeros_like(self.params)
        blocks = self._split(flat)
        self._backward(workspace, Y, blocks)
        return Gradients(weights=tuple(b[:-1] for b in blocks), biases=tuple(b[-1] for b in blocks),
                         deltas=tuple(np.array(d) for d in workspace.delta), flat=flat)

    def loss(self, X: Array, Y: Array) -> float:
        """The data loss at X, Y plus the regularisation penalty."""
        prediction = self.predict(X)
        Y = self._check_targets(Y, prediction.shape[0])
        return self.loss_function.value(prediction, Y) + self.penalty()

    def data_loss(self, X: Array, Y: Array) -> float:
        """The loss without the regularisation penalty (what a loss plot shows)."""
        prediction = self.predict(X)
        return self.loss_function.value(prediction, self._check_targets(Y, prediction.shape[0]))

    def penalty(self) -> float:
        """l1·Σ|w| + ½·l2·Σw² over all weights (biases are not regularised)."""
        if not (self._l1 or self._l2):
            return 0.0
        total = 0.0
        for w in self.weights:
            total += self._l1 * float(np.abs(w).sum()) + 0.5 * self._l2 * float(np.vdot(w, w))
        return total

    # -- the fast path the trainer uses ---------------------------------------

    def train_step(self, inputs_with_ones: Array, targets: Array, optimizer: Optimizer) -> None:
        """One optimisation step on a batch: forward, backward into ``self.gradient``, update.

        ``inputs_with_ones`` is [X, 1] (see ``append_ones``), shape (n, sizes[0]+1): the
        trainer appends the ones column once per data set, not per step.
        """
        n = inputs_with_ones.shape[0]
        workspace = self._workspaces.get(n)
        if workspace is None:
            workspace = self._workspaces[n] = _Workspace(self.sizes, n)
        workspace.a_aug[0] = inputs_with_ones
        self._forward(workspace)
        self._backward(workspace, targets, self._gradient_blocks)
        optimizer.step(self.params, self.gradient)

    def _forward(self, workspace: _Workspace) -> None:
        a_aug, z, a = workspace.a_aug, workspace.z, workspace.a
        dot, blocks, activations = np.dot, self._blocks, self._activations
        for l in range(len(blocks)):
            dot(a_aug[l], blocks[l], out=z[l])     # z = [a, 1]·[W; b]
            activations[l].function(z[l], a[l + 1])

    def _backward(self, workspace: _Workspace, targets: Array, gradient_blocks: list[Array]) -> None:
        a_aug_t, z, a, delta, scratch = (workspace.a_aug_t, workspace.z, workspace.a,
                                         workspace.delta, workspace.scratch)
        a_aug_t[0] = workspace.a_aug[0].T
        last = self.depth - 1
        self._output_delta(z[last], workspace.output, targets, delta[last], scratch[last])
        dot, transposed, backprops = np.dot, self._weights_transposed, self._backprops
        for l in range(last, -1, -1):
            dot(a_aug_t[l], delta[l], out=gradient_blocks[l])    # [∂L/∂W; ∂L/∂b] = [a, 1]ᵀ·δ
            if l:
                dot(delta[l], transposed[l], out=delta[l - 1])   # ∂L/∂a = δ·Wᵀ
                backprops[l - 1](z[l - 1], a[l], delta[l - 1], scratch[l - 1])  # ⊙ f′(z)
        if self._l1 or self._l2:
            for block, gradient in zip(self._blocks, gradient_blocks):
                weights = block[:-1]
                if self._l2:
                    gradient[:-1] += self._l2 * weights
                if self._l1:
                    gradient[:-1] += self._l1 * np.sign(weights)

    # -- validation -----------------------------------------------------------

    def _check_inputs(self, X: Array) -> Array:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"inputs must have shape (n, {self.sizes[0]}), got {X.shape}")
        return X

    def _check_targets(self, Y: Array, n: int) -> Array:
        Y = np.asarray(Y, dtype=np.float64)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y.reshape(-1, 1)
        if Y.shape != (n, self.sizes[-1]):
            raise ValueError(f"targets must have shape ({n}, {self.sizes[-1]}), got {Y.shape}")
        return Y

    def __repr__(self) -> str:
        return (f"Network({self.sizes}, activation={self.activation_names}, "
                f"output_activation={self.output_activation.name!r}, "
                f"loss={self.loss_function.name!r}, parameters={self.params.size})")


def _check_rate(name: str, rate: float) -> float:
    rate = float(rate)
    if not np.isfinite(rate) or rate < 0:
        raise ValueError(f"the {name} regularisation rate must be zero or positive, got {rate}")
    return rate
