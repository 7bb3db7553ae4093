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

Per-run activations: rows with the same hidden activation sit next to each
other and each activation runs on its slice of the run axis (sigmoid and tanh
share one: ``_ScaledTanh``). Per-run optimizers and learning rates live in
``BatchedOptimizer``: η is an (R, 1) array, the optimizer state is (R, P).

At mini-batch sizes a NumPy call costs far more than its arithmetic, so a step
is a prebuilt list of calls on fixed buffers (``_Workspace``): no per-step
lookups, slicing or temporaries. Every formula is the one ``Network.train_step``
and ``model.optimizers`` use, operation for operation, so a run trained here
matches the same run trained alone by ``model.training.Trainer`` to rounding.
"""
from __future__ import annotations

from functools import partial
from typing import Callable, Sequence

import numpy as np

from .activations import Activation, get_activation
from .losses import check_pairing, get_loss, is_fused
from .optimizers import make_optimizer

Array = np.ndarray
Op = tuple[Callable, tuple]      # a NumPy call and its positional arguments, outputs included
matmul, multiply, subtract, add = np.matmul, np.multiply, np.subtract, np.add


def _segments(keys: Sequence) -> list[tuple[slice, object]]:
    """Maximal stretches of equal consecutive keys: [(slice(start, stop), key), …]."""
    segments, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            segments.append((slice(start, index), keys[start]))
            start = index
    return segments


def _run(calls: list[Op]) -> None:
    for call, args in calls:
        call(*args)


# -- activation kernels: the calls of one activation on one slice of the run axis -----------

class _Plain:
    """Any activation, through its own ``function`` and ``derivative``."""

    def __init__(self, activation: Activation):
        self.forward = lambda z, a: [(activation.function, (z, a))]
        self.backward = lambda z, a, out: [(activation.derivative, (z, a, out))]


class _Relu:
    """ReLU in one cheap call each way: max(z, 0) against a zeros array (maximum with a
    scalar is ~2× slower), ReLU′(z) = sign(a) as a = max(z, 0) > 0 exactly where z > 0
    (z > 0 cast from bool to float costs ~3×). The numbers of ``model.activations``."""

    def __init__(self, shape: tuple[int, ...]):
        zeros = np.zeros(shape)     # (maximum's positional ``out`` is slow: a partial instead)
        self.forward = lambda z, a: [(partial(np.maximum, out=a), (z, zeros))]
        self.backward = lambda z, a, out: [(np.sign, (a, out))]


# a = γ + α·tanh(β·z): tanh, and σ(z) = ½ + ½·tanh(z/2), which is how model.activations computes σ
_SCALED_TANH = {"tanh": (1.0, 1.0, 0.0), "sigmoid": (0.5, 0.5, 0.5)}


class _ScaledTanh:
    """Sigmoid and tanh rows as one activation on one slice: a = γ + α·tanh(β·z).

    tanh: α = β = 1, γ = 0; sigmoid: α = β = γ = ½. f′ = c − a·(a − d) with c = 1, d = 0
    (tanh: 1 − a·a) or c = 0, d = 1 (sigmoid: (1 − a)·a). Multiplying by 1 and adding 0
    are exact: each row gets bit for bit what its own activation gives, in 4 + 3 calls
    instead of 5 + 4. Coefficients are full-size: a (rows, 1, 1) operand costs ~2×."""

    def __init__(self, names: Sequence[str], shape: tuple[int, ...]):
        def full(values) -> Array:
            return np.ascontiguousarray(np.broadcast_to(np.reshape(values, (-1, 1, 1)), shape))
        alpha, beta, gamma = zip(*(_SCALED_TANH[name] for name in names))
        self.alpha, self.beta, self.gamma = full(alpha), full(beta), full(gamma)
        self.c = full([1.0 if name == "tanh" else 0.0 for name in names])
        self.d = 1.0 - self.c

    def forward(self, z: Array, a: Array) -> list[Op]:
        return [(multiply, (z, self.beta, a)), (np.tanh, (a, a)),
                (multiply, (a, self.alpha, a)), (add, (a, self.gamma, a))]

    def backward(self, z: Array, a: Array, out: Array) -> list[Op]:
        return [(subtract, (a, self.d, out)), (multiply, (out, a, out)), (subtract, (self.c, out, out))]


def _kernels(names: Sequence[str], shape: Callable[[int], tuple], merge: bool) -> list[tuple[slice, object]]:
    """[(run slice, kernel)] for one layer's per-row activation names; ``shape(rows)`` sizes
    the kernel's arrays. ``merge``: sigmoid and tanh rows become one ``_ScaledTanh`` slice."""
    keys = ["sigmoid|tanh" if merge and name in _SCALED_TANH else name for name in names]
    kernels = []
    for rows, key in _segments(keys):
        members = names[rows]
        if len(set(members)) > 1:
            kernel = _ScaledTanh(members, shape(rows.stop - rows.start))
        elif key == "relu":
            kernel = _Relu(shape(rows.stop - rows.start))
        else:
            kernel = _Plain(get_activation(members[0]))
        kernels.append((rows, kernel))
    return kernels


def activation_order(names: Sequence[str]) -> tuple:
    """Sort key for rows (hidden activation names per layer) that keeps sigmoid and tanh rows,
    which share one slice, next to each other."""
    return tuple((name not in _SCALED_TANH, name) for name in names)


class _Workspace:
    """Buffers for one batch size n, and the calls of a training step on them.

    ``forward`` runs after z[0] = [X, 1]·block[0]; ``backward`` after δ_out = ŷ − y
    (the two calls that take the batch itself). a[l] is contiguous and copied into
    a_aug[l] once per layer: element-wise calls writing into the strided view
    would cost more than that copy.
    """

    def __init__(self, net: "BatchedNetwork", n: int):
        sizes, runs, k = net.sizes, net.runs, net.sizes[-1]
        self.a_aug: list[Array | None] = [None] + [np.ones((runs, n, s + 1)) for s in sizes[1:-1]]
        self.a = [None] + [np.empty((runs, n, s)) for s in sizes[1:-1]]     # [a, 1] without the 1
        self.z = [np.empty((runs, n, s)) for s in sizes[1:]]
        self.delta = [np.empty((runs, n, s)) for s in sizes[1:]]
        self.scratch = [np.empty((runs, n, s)) for s in sizes[1:]]
        self.output = np.empty((runs, n, k))
        # row-wise output functions (softmax) must see one sample per row: (R·n, k)
        flat = [array.reshape(-1, k) for array in (self.z[-1], self.output, self.delta[-1], self.scratch[-1])]
        last = net.depth - 1
        kernels = [_kernels([names[l] for names in net.activation_names],
                            lambda rows, s=size: (rows, n, s), merge=True)
                   for l, size in enumerate(sizes[1:-1])]

        self.forward: list[Op] = []
        for l in range(net.depth):
            if l:
                self.forward.append((matmul, (self.a_aug[l], net._blocks[l], self.z[l])))
            if l < last:
                for rows, kernel in kernels[l]:                   # a = f(z), per activation
                    self.forward += kernel.forward(self.z[l][rows], self.a[l + 1][rows])
                self.forward.append((np.copyto, (self.a_aug[l + 1][:, :, :-1], self.a[l + 1])))
        self.forward.append((net.output_activation.function, tuple(flat[:2])))

        self.backward: list[Op] = []
        delta = self.delta
        if net._fused:
            self.backward.append((multiply, (delta[-1], 1.0 / n, delta[-1])))       # (ŷ − y)/n
        else:
            if net.loss_function.name == "mse":
                self.backward.append((multiply, (delta[-1], 2.0 / (n * k), delta[-1])))  # 2(ŷ − y)/(n·k)
            self.backward.append((net.output_activation.backprop, tuple(flat)))
        for l in range(last, 0, -1):
            self.backward.append((matmul, (self.a_aug[l].transpose(0, 2, 1), delta[l],
                                           net._gradient_blocks[l])))      # [a, 1]ᵀ·δ
            # ∂L/∂a = δ·Wᵀ; with one unit in layer l that is an outer product: one multiply
            product = multiply if sizes[l + 1] == 1 else matmul
            self.backward.append((product, (delta[l], net._weights_t[l], delta[l - 1])))
            for rows, kernel in kernels[l - 1]:                   # f′(z) into scratch, per activation
                self.backward += kernel.backward(self.z[l - 1][rows], self.a[l][rows],
                                                 self.scratch[l - 1][rows])
            self.backward.append((multiply, (delta[l - 1], self.scratch[l - 1], delta[l - 1])))


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
        [get_activation(name) for names in self.activation_names for name in names]   # names valid?
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
        self._delta_is_difference = self._fused or self.loss_function.name == "mse"
        self._regularise: list[Op] = []
        for block, gradient_block in zip(self._blocks, self._gradient_blocks):
            weights, gradient, term = block[:, :-1], gradient_block[:, :-1], np.empty(block[:, :-1].shape)
            if self.l2:                                            # ∂L/∂W += l2·W
                self._regularise += [(multiply, (weights, self.l2, term)), (add, (gradient, term, gradient))]
            if self.l1:                                            # ∂L/∂W += l1·sign(W)
                self._regularise += [(np.sign, (weights, term)), (multiply, (term, self.l1, term)),
                                     (add, (gradient, term, gradient))]
        self._workspaces: dict[int, _Workspace] = {}
        self._predict_plans: dict[int, tuple] = {}

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

    # -- public ---------------------------------------------------------------

    def train_step(self, inputs_with_ones: Array, targets: Array, optimizer: "BatchedOptimizer") -> None:
        """One step of every run on the same batch: [X, 1] (n, d+1), targets (n, k).

        Every mean is over one run's batch (n samples), not over R·n.
        """
        n = inputs_with_ones.shape[0]
        workspace = self._workspaces.get(n)
        if workspace is None:
            workspace = self._workspaces[n] = _Workspace(self, n)
        matmul(inputs_with_ones, self._blocks[0], workspace.z[0])     # z = [X, 1]·[W; b], per run
        for call, args in workspace.forward:
            call(*args)
        if self._delta_is_difference:                                 # δ_out starts as ŷ − y
            subtract(workspace.output, targets, workspace.delta[-1])
        else:
            for run in range(self.runs):
                self.loss_function.gradient(workspace.output[run], targets, workspace.delta[-1][run])
        for call, args in workspace.backward:
            call(*args)
        matmul(inputs_with_ones.T, workspace.delta[0], self._gradient_blocks[0])   # [X, 1]ᵀ·δ
        _run(self._regularise)
        optimizer.step(self.params, self.gradient)

    def predict(self, inputs: Array) -> Array:
        """ŷ of every run for inputs X (n, d): shape (R, n, k), a buffer reused by the next call.

        Evaluation sets are large, so this pass runs transposed — zᵀ = [W; b]ᵀ·[X, 1]ᵀ,
        shape (R, units, n) — where element-wise calls and the ones row run along the long
        sample axis. Arithmetic, not call count, dominates here: sigmoid and tanh keep
        separate slices (``_ScaledTanh`` would multiply tanh rows by 1). Buffers and calls
        are kept per n: fresh large arrays would cost a page fault per 4 kB.
        """
        inputs = np.asarray(inputs, dtype=np.float64)
        n = inputs.shape[0]
        plan = self._predict_plans.get(n)
        if plan is None:
            plan = self._predict_plans[n] = self._predict_plan(inputs.shape[1], n)
        first, calls, output = plan
        first[:-1] = inputs.T
        _run(calls)
        return output

    def _predict_plan(self, d: int, n: int) -> tuple[Array, list[Op], Array]:
        """[X, 1]ᵀ buffer, the calls of one transposed pass, and the output buffer (R, n, k)."""
        k, last = self.sizes[-1], self.depth - 1
        a_t = [np.ones((d + 1, n))] + [np.ones((self.runs, size + 1, n)) for size in self.sizes[1:-1]]
        z_t = [np.empty((self.runs, size, n)) for size in self.sizes[1:]]
        output = np.empty((self.runs, n, k))
        calls: list[Op] = []
        for l, block_t in enumerate(self._blocks_t):
            calls.append((matmul, (block_t, a_t[l], z_t[l])))                # (R, sizes[l+1], n)
            if l < last:
                kernels = _kernels([names[l] for names in self.activation_names],
                                   lambda rows, s=self.sizes[l + 1]: (rows, s, n), merge=False)
                for rows, kernel in kernels:
                    calls += kernel.forward(z_t[l][rows], a_t[l + 1][rows, :-1])
        if k == 1:      # (R, 1, n) and (R, n, 1) share one memory layout
            z = z_t[last].reshape(self.runs, n, 1)
        else:
            z = np.empty((self.runs, n, k))
            calls.append((np.copyto, (z, z_t[last].transpose(0, 2, 1))))
        calls.append((self.output_activation.function, (z.reshape(-1, k), output.reshape(-1, k))))
        return a_t[0], calls, output

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
        # plain SGD for every row (the common case): two calls, no temporary array
        self._sgd_step = np.empty((runs, parameters)) if set(self.names) == {"sgd"} else None

    def step(self, params: Array, grads: Array) -> None:
        """Update ``params`` (R, P) in place from ``grads`` (R, P)."""
        self.steps += 1
        if self._sgd_step is not None:
            multiply(grads, self.learning_rates, self._sgd_step)        # w ← w − η·g
            subtract(params, self._sgd_step, params)
            return
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
