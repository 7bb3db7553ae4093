"""A frozen copy of the engine's fast path as it was before the layered rewrite (commit dea1193).

Why it exists: issue 8 replaces ``model/`` with layers and sets a speed target
against *today's* engine ("at batch 10 and 500, at least 0.95× today's
engine, in the same run"). Once ``model/`` has changed, today's engine is
gone from the tree, and timings taken on another day or in another process are
not comparable on a noisy machine. ``benchmarks/train_speed.py`` therefore
times this copy side by side with the new engine, in the same process.

What it is: ``model/network.py``'s ``Network.train_step`` with its
``_Workspace`` and ``append_ones``, and only the pieces of
``model/activations.py`` (tanh, its fused backprop), ``model/losses.py`` (the
mse output delta) and ``model/optimizers.py`` (SGD on the flat vector) that
the reference workload needs: tanh hidden and output layers, mse, plain SGD,
the "uniform" initialisation (w ~ U(−0.5, 0.5), b = 0.1). The hot-path code is
copied verbatim (same NumPy calls, same ``out=`` buffers, same order), so its
speed is the speed of the old engine. Validation, the allocating public API,
other activations, losses and optimizers are left out. Do not "improve" or
update this file: it is a measuring stick, and it must depend on nothing in
``model/``.

    net = BaselineNetwork([2, 8, 8, 1], seed=0)
    optimizer = BaselineSGD(0.03)
    X1 = append_ones(X)                       # once per data set, as the old Trainer did
    net.train_step(X1[i:i + 10], Y[i:i + 10], optimizer)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Array = np.ndarray


# -- model/activations.py (tanh only) ------------------------------------------

@dataclass(frozen=True)
class _Activation:
    """The slice of ``Activation`` the fast path reads (kept, so its attribute lookups stay)."""

    name: str
    function: Callable[[Array, Array], Array]
    backprop_function: Callable[[Array, Array, Array, Array], Array]


def _tanh_backprop(z: Array, a: Array, upstream: Array, scratch: Array) -> Array:
    # δ ⊙ (1 − a²) in one Python call: tanh is the default, this runs every step
    np.multiply(a, a, out=scratch)
    np.subtract(1.0, scratch, out=scratch)
    return np.multiply(upstream, scratch, out=upstream)


TANH = _Activation("tanh", np.tanh, _tanh_backprop)   # a ufunc: tanh(z, out) needs no wrapper


# -- model/losses.py (mse through a tanh output) ---------------------------------

def _mse_tanh_output_delta():
    """``output_delta_function(mse, tanh)``: δ_out = 2(ŷ − y)/(n·k) ⊙ (1 − ŷ²), into out."""
    subtract, multiply = np.subtract, np.multiply
    backprop = TANH.backprop_function

    def mse_delta(z, prediction, target, out, scratch):
        subtract(prediction, target, out=out)                # 2(ŷ − y)/(n·k) ⊙ f′(z)
        multiply(out, 2.0 / prediction.size, out=out)
        return backprop(z, prediction, out, scratch)
    return mse_delta


# -- model/optimizers.py (SGD on the flat vector) --------------------------------

class BaselineSGD:
    """w ← w − η·g on the network's one flat parameter vector."""

    def __init__(self, learning_rate: float = 0.03):
        self._learning_rate = float(learning_rate)
        self.steps = 0

    def step(self, params: Array, grads: Array) -> None:
        if isinstance(params, np.ndarray):   # the Network's flat vector: one expression
            self.steps += 1
            params -= self._learning_rate * grads
        else:
            raise TypeError("the baseline SGD only steps one flat parameter vector")


# -- model/network.py ------------------------------------------------------------

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


class BaselineNetwork:
    """The old ``Network`` reduced to its training fast path: tanh everywhere, mse, no l1/l2.

    ``params`` is the flat vector; layer l owns the block [W[l]; b[l]] of shape
    (sizes[l]+1, sizes[l+1]), bias last row — the layout the new engine keeps
    for networks without batch norm, so ``params`` can be compared directly.
    """

    def __init__(self, sizes: Sequence[int], seed: int = 0):
        self.sizes = [int(s) for s in sizes]
        self.hidden_activations = [TANH] * (len(self.sizes) - 2)
        self.output_activation = TANH
        self._activations = self.hidden_activations + [self.output_activation]
        self._output_delta = _mse_tanh_output_delta()
        self._backprops = [activation.backprop_function for activation in self.hidden_activations]
        self._l1 = self._l2 = 0.0

        shapes = [(a + 1, b) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        self.params = np.empty(sum(r * c for r, c in shapes))
        self.gradient = np.zeros_like(self.params)
        self._blocks = self._split(self.params)
        self._gradient_blocks = self._split(self.gradient)
        self.weights = [block[:-1] for block in self._blocks]
        self.biases = [block[-1] for block in self._blocks]
        self._weights_transposed = [block[:-1].T for block in self._blocks]
        self._workspaces: dict[int, _Workspace] = {}
        # model/initializers.py "uniform" (TensorFlow Playground): w ~ U(−0.5, 0.5), b = 0.1
        rng = np.random.default_rng(seed)
        for block in self._blocks:
            fan_in, fan_out = block.shape[0] - 1, block.shape[1]
            block[:-1] = rng.uniform(-0.5, 0.5, (fan_in, fan_out))
            block[-1] = np.full(fan_out, 0.1)

    @property
    def depth(self) -> int:
        return len(self.sizes) - 1

    def _split(self, flat: Array) -> list[Array]:
        blocks, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (fan_in + 1) * fan_out
            blocks.append(flat[start:stop].reshape(fan_in + 1, fan_out))
            start = stop
        return blocks

    def train_step(self, inputs_with_ones: Array, targets: Array, optimizer: BaselineSGD) -> None:
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
        if self._l1 or self._l2:   # kept: the old step paid for this test too
            for block, gradient in zip(self._blocks, gradient_blocks):
                weights = block[:-1]
                if self._l2:
                    gradient[:-1] += self._l2 * weights
                if self._l1:
                    gradient[:-1] += self._l1 * np.sign(weights)
