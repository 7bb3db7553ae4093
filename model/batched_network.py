"""R networks of one shape trained as one batched computation.

The comparison trains several runs that differ only in activation, learning
rate or optimizer. Runs whose layer sizes agree are stacked along a leading
*run axis* and stepped together, so NumPy's per-call overhead is paid once per
stack instead of once per run:

    params      (R, P)                  one row per run, laid out as Network.params
    block[l]    (R, sizes[l]+1, sizes[l+1])   [W[l]; b[l]] of every run (a view)
    a_aug[l]    (R, n, sizes[l]+1)      [a[l], 1]; a_aug[0] = [X, 1] (n, d+1) is shared
    z[l]        = a_aug[l] @ block[l]   (R, n, sizes[l+1])   (np.matmul over the run axis)
    δ[l−1]      = (δ[l] @ W[l]ᵀ) ⊙ f′(z[l−1])
    ∂L/∂block[l] = a_aug[l]ᵀ @ δ[l]

Per-run activations: the rows are ordered so that runs with the same hidden
activation sit next to each other, and each activation is applied to its
slice of the run axis. Per-run optimizers and learning rates live in
``BatchedOptimizer``: η is an (R, 1) array, the optimizer state is (R, P).

Every formula is the one ``Network.train_step`` and ``model.optimizers`` use,
operation for operation, so a run trained here matches the same run trained
alone by ``model.training.Trainer`` to rounding (≈1e-15).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .activations import Activation, get_activation
from .losses import check_pairing, get_loss, is_fused
from .optimizers import make_optimizer

Array = np.ndarray


def _segments(keys: Sequence) -> list[tuple[slice, object]]:
    """Maximal stretches of equal consecutive keys: [(slice(start, stop), key), …]."""
    segments, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            segments.append((slice(start, index), keys[start]))
            start = index
    return segments


class _Workspace:
    """Buffers for one batch size n: a_aug (with a ones column), z, δ, scratch.

    Transposed and (R·n, k) views are made once here: the hot loop only indexes.
    """

    def __init__(self, sizes: Sequence[int], runs: int, n: int):
        self.n = n
        k = sizes[-1]
        self.a_aug: list[Array | None] = [None]
        for size in sizes[1:-1]:
            buffer = np.empty((runs, n, size + 1))
            buffer[:, :, -1] = 1.0
            self.a_aug.append(buffer)
        self.a_aug_t = [None] + [b.transpose(0, 2, 1) for b in self.a_aug[1:]]
        self.a_hidden = [None] + [b[:, :, :-1] for b in self.a_aug[1:]]
        self.output = np.empty((runs, n, k))
        # a[l] is contiguous (element-wise calls on strided views cost about twice as much);
        # it is copied into a_aug[l] for the matrix products.
        self.a = [None] + [np.empty((runs, n, s)) for s in sizes[1:-1]] + [self.output]
        self.z = [np.empty((runs, n, s)) for s in sizes[1:]]
        self.delta = [np.empty((runs, n, s)) for s in sizes[1:]]
        self.scratch = [np.empty((runs, n, s)) for s in sizes[1:]]
        # row-wise output functions (softmax) must see one sample per row: (R·n, k)
        self.flat_out = [array.reshape(-1, k) for array in
                         (self.z[-1], self.output, self.delta[-1], self.scratch[-1])]
        self.forward_plan: list[list[tuple]] = []
        self.backward_plan: list[list[tuple]] = []

    def plan(self, layer_segments: list[list[tuple[slice, Activation]]]) -> None:
        """Per hidden layer, the calls and their slices of the run axis (views made once).

        forward: f(z[rows]) → a[rows]; backward: f′(z[rows]) → scratch[rows], or
        ``backprop`` on the whole layer when one activation covers every run.
        """
        for l, segments in enumerate(layer_segments):
            z, a, delta, scratch = self.z[l], self.a[l + 1], self.delta[l], self.scratch[l]
            self.forward_plan.append([(act.function, z[rows], a[rows]) for rows, act in segments])
            if len(segments) == 1:
                self.backward_plan.append([(segments[0][1].backprop, z, a, delta, scratch)])
            else:
                self.backward_plan.append([(act.derivative, z[rows], a[rows], scratch[rows])
                                           for rows, act in segments])


class BatchedNetwork:
    """R fully connected networks with the same ``sizes``, one row of ``params`` each.

    Parameters
    ----------
    sizes : layer widths shared by all runs, e.g. [2, 8, 8, 1]
    activations : one tuple of hidden activation names per run
    output_activation, loss, l1, l2 : shared by all runs (as in ``Network``)
    params : (R, P) initial parameters, each row laid out like ``Network.params``
    """

    def __init__(self, sizes: Sequence[int], activations: Sequence[Sequence[str]],
                 output_activation: str, loss: str, params: Array,
                 l1: float = 0.0, l2: float = 0.0):
        self.sizes = [int(s) for s in sizes]
        self.activation_names = [tuple(names) for names in activations]
        self.params = np.array(params, dtype=np.float64, order="C", ndmin=2)
        runs = self.runs = self.params.shape[0]
        shapes = [(a + 1, b) for a, b in zip(self.sizes[:-1], self.sizes[1:])]
        if self.params.shape[1] != sum(r * c for r, c in shapes) or len(self.activation_names) != runs:
            raise ValueError(f"params {self.params.shape} and {len(self.activation_names)} activation "
                             f"tuples do not fit {runs} networks of sizes {self.sizes}")
        self.output_activation: Activation = get_activation(output_activation, output=True)
        self.loss_function = get_loss(loss)
        check_pairing(self.loss_function, self.output_activation)
        self.l1, self.l2 = float(l1), float(l2)
        self.gradient = np.zeros_like(self.params)
        self._blocks = self._split(self.params)
        self._gradient_blocks = self._split(self.gradient)
        self._weights_t = [block[:, :-1].transpose(0, 2, 1) for block in self._blocks]
        self._blocks_t = [block.transpose(0, 2, 1) for block in self._blocks]
        self._fused = is_fused(self.loss_function, self.output_activation)
        # per hidden layer: [(run slice, Activation)] — one call when all runs agree
        self._layer_segments = [
            [(rows, get_activation(name)) for rows, name in
             _segments([names[l] for names in self.activation_names])]
            for l in range(len(self.sizes) - 2)]
        self._workspaces: dict[int, _Workspace] = {}
        self._predict_buffers: dict[int, tuple] = {}

    @property
    def depth(self) -> int:
        return len(self.sizes) - 1

    def _split(self, flat: Array) -> list[Array]:
        blocks, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            stop = start + (fan_in + 1) * fan_out
            blocks.append(flat[:, start:stop].reshape(self.runs, fan_in + 1, fan_out))
            start = stop
        return blocks

    def weights(self, run: int) -> list[Array]:
        """W[l] of one run (views): shapes (sizes[l], sizes[l+1])."""
        return [block[run, :-1] for block in self._blocks]

    def biases(self, run: int) -> list[Array]:
        return [block[run, -1] for block in self._blocks]

    def _workspace(self, n: int) -> _Workspace:
        workspace = self._workspaces.get(n)
        if workspace is None:
            workspace = self._workspaces[n] = _Workspace(self.sizes, self.runs, n)
            workspace.plan(self._layer_segments)
        return workspace

    # -- forward / backward ----------------------------------------------------

    def _forward(self, workspace: _Workspace) -> None:
        a_aug, z, a, plans = workspace.a_aug, workspace.z, workspace.a, workspace.forward_plan
        matmul, copyto = np.matmul, np.copyto
        last = self.depth - 1
        for l, block in enumerate(self._blocks):
            matmul(a_aug[l], block, out=z[l])                     # z = [a, 1]·[W; b], per run
            if l < last:
                for function, z_rows, a_rows in plans[l]:         # a = f(z), per activation
                    function(z_rows, a_rows)
                copyto(workspace.a_hidden[l + 1], a[l + 1])
        z_out, output = workspace.flat_out[:2]
        self.output_activation.function(z_out, output)

    def _backward(self, workspace: _Workspace, targets: Array) -> None:
        a_aug_t, delta, scratch = workspace.a_aug_t, workspace.delta, workspace.scratch
        matmul, multiply = np.matmul, np.multiply
        gradient_blocks, weights_t = self._gradient_blocks, self._weights_t
        self._output_delta(workspace, targets)
        for l in range(self.depth - 1, 0, -1):
            matmul(a_aug_t[l], delta[l], out=gradient_blocks[l])   # [∂L/∂W; ∂L/∂b] = [a, 1]ᵀ·δ
            matmul(delta[l], weights_t[l], out=delta[l - 1])       # ∂L/∂a = δ·Wᵀ
            plan = workspace.backward_plan[l - 1]
            if len(plan) == 1 and len(plan[0]) == 5:
                plan[0][0](*plan[0][1:])                           # δ ⊙ f′(z), one activation
            else:   # f′ of each slice into scratch, then one product: δ ⊙ f′(z)
                for derivative, z_rows, a_rows, scratch_rows in plan:
                    derivative(z_rows, a_rows, scratch_rows)
                multiply(delta[l - 1], scratch[l - 1], out=delta[l - 1])
        matmul(workspace.a_aug[0].T, delta[0], out=gradient_blocks[0])
        if self.l1 or self.l2:
            for block, gradient in zip(self._blocks, gradient_blocks):
                weights = block[:, :-1]
                if self.l2:
                    gradient[:, :-1] += self.l2 * weights
                if self.l1:
                    gradient[:, :-1] += self.l1 * np.sign(weights)

    def _output_delta(self, workspace: _Workspace, targets: Array) -> None:
        """δ_out per run; every mean is over one run's batch (n samples), not over R·n."""
        prediction, out = workspace.output, workspace.delta[-1]
        n, k = prediction.shape[1], prediction.shape[2]
        if self._fused:
            np.subtract(prediction, targets, out=out)       # (ŷ − y)/n
            out *= 1.0 / n
            return
        if self.loss_function.name == "mse":
            np.subtract(prediction, targets, out=out)       # 2(ŷ − y)/(n·k)
            out *= 2.0 / (n * k)
        else:
            for run in range(self.runs):
                self.loss_function.gradient(prediction[run], targets, out[run])
        self.output_activation.backprop(*workspace.flat_out)

    # -- public ---------------------------------------------------------------

    def train_step(self, inputs_with_ones: Array, targets: Array, optimizer: "BatchedOptimizer") -> None:
        """One step of every run on the same batch: [X, 1] (n, d+1), targets (n, k)."""
        workspace = self._workspace(inputs_with_ones.shape[0])
        workspace.a_aug[0] = inputs_with_ones
        self._forward(workspace)
        self._backward(workspace, targets)
        optimizer.step(self.params, self.gradient)

    def predict(self, inputs: Array) -> Array:
        """ŷ of every run for inputs X (n, d): shape (R, n, k), a buffer reused by the next call.

        Evaluation sets are large, so this pass runs transposed — zᵀ = [W; b]ᵀ·[X, 1]ᵀ,
        shape (R, units, n) — where every element-wise call and the ones row run
        along the long sample axis (the training layout's short rows are slow here).
        Buffers are kept per n: fresh large arrays would cost a page fault per 4 kB.
        """
        inputs = np.asarray(inputs, dtype=np.float64)
        n, k = inputs.shape[0], self.sizes[-1]
        buffers = self._predict_buffers.get(n)
        if buffers is None:
            a_t = [np.empty((inputs.shape[1] + 1, n))] + [
                np.empty((self.runs, size + 1, n)) for size in self.sizes[1:-1]]
            for array in a_t:
                array[..., -1, :] = 1.0
            z_t = [np.empty((self.runs, size, n)) for size in self.sizes[1:]]
            z, output = np.empty((self.runs, n, k)), np.empty((self.runs, n, k))
            buffers = self._predict_buffers[n] = (a_t, z_t, z, output)
        a_t, z_t, z, output = buffers
        a_t[0][:-1] = inputs.T
        last = self.depth - 1
        for l, block_t in enumerate(self._blocks_t):
            np.matmul(block_t, a_t[l], out=z_t[l])                 # (R, sizes[l+1], n)
            if l < last:
                for rows, activation in self._layer_segments[l]:
                    activation.function(z_t[l][rows], a_t[l + 1][rows, :-1])
        np.copyto(z, z_t[last].transpose(0, 2, 1))
        self.output_activation.function(z.reshape(-1, k), output.reshape(-1, k))
        return output

    def last_pre_activations(self, n: int) -> list[Array] | None:
        """z[l] of the last forward pass with batch size n (for divergence reports)."""
        workspace = self._workspaces.get(n)
        return None if workspace is None else workspace.z

    def select(self, rows: Sequence[int]) -> "BatchedNetwork":
        """A new stack holding only ``rows`` (their parameters copied)."""
        rows = list(rows)
        return BatchedNetwork(self.sizes, [self.activation_names[r] for r in rows],
                              self.output_activation.name, self.loss_function.name,
                              self.params[rows], self.l1, self.l2)

    def __repr__(self) -> str:
        return (f"BatchedNetwork({self.sizes}, runs={self.runs}, "
                f"activations={[names for _, names in _segments(self.activation_names)]})")


class BatchedOptimizer:
    """SGD, momentum and Adam for R runs at once: η is (R, 1), state is (R, P).

    Rows with the same optimizer must be consecutive; each update rule runs on
    its slice of the run axis with the same hyper-parameters and formulas as
    ``model.optimizers`` (momentum μ; Adam β₁, β₂, ε and bias correction).
    """

    def __init__(self, names: Sequence[str], learning_rates: Sequence[float], parameters: int):
        prototypes = [make_optimizer(name, rate) for name, rate in zip(names, learning_rates)]
        self.names = [p.name for p in prototypes]
        self.learning_rates = np.array([[p.learning_rate] for p in prototypes])
        self.steps = 0
        self._segments = _segments(self.names)
        self._hyper = {p.name: p for p in prototypes}
        runs = len(self.names)
        self.parameters = int(parameters)
        self._velocity = np.zeros((runs, parameters)) if "momentum" in self.names else None
        has_adam = "adam" in self.names
        self._m = np.zeros((runs, parameters)) if has_adam else None
        self._v = np.zeros((runs, parameters)) if has_adam else None

    def step(self, params: Array, grads: Array) -> None:
        """Update ``params`` (R, P) in place from ``grads`` (R, P)."""
        self.steps += 1
        whole = len(self._segments) == 1
        for rows, name in self._segments:
            p, g, rate = ((params, grads, self.learning_rates) if whole else
                          (params[rows], grads[rows], self.learning_rates[rows]))
            if name == "sgd":
                p -= rate * g                                   # w ← w − η·g
            elif name == "momentum":
                velocity = self._velocity if whole else self._velocity[rows]
                velocity *= self._hyper[name].momentum          # v ← μv − η·g;  w ← w + v
                velocity -= rate * g
                p += velocity
            else:
                self._adam(p, g, rate, rows if not whole else slice(None))

    def _adam(self, p: Array, g: Array, rate: Array, rows: slice) -> None:
        adam = self._hyper["adam"]
        m, v = self._m[rows], self._v[rows]
        m *= adam.beta1
        m += (1.0 - adam.beta1) * g
        v *= adam.beta2
        v += (1.0 - adam.beta2) * g * g
        t = self.steps
        step_size = rate * np.sqrt(1.0 - adam.beta2 ** t) / (1.0 - adam.beta1 ** t)
        p -= step_size * m / (np.sqrt(v) + adam.epsilon)

    def select(self, rows: Sequence[int]) -> "BatchedOptimizer":
        """A new optimizer for ``rows`` only, keeping their state and the step count."""
        rows = list(rows)
        twin = BatchedOptimizer([self.names[r] for r in rows],
                                [float(self.learning_rates[r, 0]) for r in rows], self.parameters)
        twin.steps = self.steps
        if twin._velocity is not None:
            twin._velocity[:] = self._velocity[rows]
        if twin._m is not None:
            twin._m[:] = self._m[rows]
            twin._v[:] = self._v[rows]
        return twin

    def __repr__(self) -> str:
        return f"BatchedOptimizer({self.names}, η={self.learning_rates[:, 0].tolist()})"
